/* SPDX-License-Identifier: MIT */
#pragma once

/* The numbers of `sitlog report`, computed from the store as docs/semantics.md "Reports" says:
 * local days (DST-safe), bouts on the day they start with their full length, sitting seconds
 * split at local midnight, seconds rounded to the nearest.
 *
 * This header is the contract between the figures (report.c: SQL, roll-up) and what shows
 * them (verb-report.c: table, JSON, CSV; plot.c: SVG/PNG; metrics). Everything a view shows
 * is a field here; a view computes nothing from the store itself. */

#include <glib.h>
#include <stdint.h>

#include "store.h"
#include "time-util.h"

/* Bout length classes, by the bout's full length: [0, 30 min), [30, 60), [60, 90), [90, ∞). */
enum report_class {
	REPORT_CLASS_SHORT = 0,
	REPORT_CLASS_30,
	REPORT_CLASS_60,
	REPORT_CLASS_90,
	_REPORT_CLASS_MAX,
};

struct report_bout {
	int64_t id;
	int64_t start_ms, end_ms;
	int64_t seconds;
	bool prolonged;
	bool open;
	unsigned prompts, heeded;
	char *responses; /* the prompts' responses in order, ", "-separated ("" when none); owned */
};

struct report_prompt {
	int64_t t_ms;
	int64_t bout_id;
	bool heeded;
	const char *reason;   /* interned: "due", "resumed", "late", ... */
	const char *response; /* interned, NULL when unanswered */
};

/* The figures of a day, of a range (sums; longest: the maximum) or of the period before. */
struct report_figures {
	int64_t sitting_seconds;
	/* standing + walking, counted only from a worn sensor's segments (a vacant seat is away,
	 * not upright) */
	int64_t upright_seconds;
	/* seconds a worn sensor decided the posture (any posture): 0 means upright was not
	 * measured, and a view says "not measured", never "0 min upright" */
	int64_t measured_seconds;
	int64_t away_seconds; /* seat vacant */
	unsigned bouts;
	int64_t longest_bout_seconds;
	unsigned prolonged_bouts; /* ≥ [Tracking] prolonged */
	unsigned bouts_by_class[_REPORT_CLASS_MAX];
	int64_t bout_seconds_by_class[_REPORT_CLASS_MAX]; /* the bouts' full lengths, summed */
	unsigned breaks;			  /* bouts ended by a break (ended_by = 'break') */
	unsigned prompts, prompts_heeded;
	unsigned days_measured; /* days with measured_seconds > 0 (1 or 0 for a day) */
};

struct report_day {
	GDate date;
	int64_t start_ms, end_ms; /* local midnight to local midnight (23 or 25 h on DST days) */
	struct report_figures fig;
	int64_t sitting_ms; /* report.c's accumulator, before rounding */
	/* filled only with REPORT_LISTS */
	GArray *bout_list;   /* struct report_bout, by start */
	GArray *prompt_list; /* struct report_prompt, by time */
};

enum report_flags {
	REPORT_LISTS = 1 << 0,	  /* per-day bout and prompt lists (the day view, bouts, plots) */
	REPORT_PREVIOUS = 1 << 1, /* the figures of the period of the same length just before */
};

struct report {
	GDate since, until;
	unsigned n_days;
	struct report_day *days;
	struct report_figures total;
	/* seconds of prolonged bouts (≥ [Tracking] prolonged) in each local hour of the day,
	 * summed over the range: *when* the long bouts happen */
	int64_t prolonged_seconds_by_hour[24];
	/* with REPORT_PREVIOUS: the n_days before since */
	bool has_previous;
	struct report_figures previous;
	/* where the figures came from, for tests and bench: days served by the roll-up */
	unsigned days_from_rollup;
};

/* YYYY-MM-DD, "today" or "yesterday" (local), from 1970-01-01 to 2099-12-31: time_parse_local(). */
bool report_parse_date(const char *s, GDate *ret);

/* Local midnight at the start of a date, in ms since the epoch. */
int64_t report_day_start_ms(const GDate *d);

int report_compute(struct store *s, const GDate *since, const GDate *until, usec_t prolonged,
		   unsigned flags, struct report *ret);
void report_clear(struct report *r);
