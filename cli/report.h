/* SPDX-License-Identifier: MIT */
#pragma once

/* The numbers of `sitlog report`, computed from the store as docs/semantics.md "Reports" says:
 * local days (DST-safe), bouts on the day they start with their full length, sitting seconds
 * split at local midnight, seconds rounded to the nearest. */

#include <glib.h>
#include <stdint.h>

#include "store.h"
#include "time-util.h"

struct report_bout {
	int64_t id;
	int64_t start_ms, end_ms;
	int64_t seconds;
	bool prolonged;
	bool open;
	unsigned prompts, heeded;
};

struct report_day {
	GDate date;
	int64_t start_ms, end_ms; /* local midnight to local midnight */
	int64_t sitting_ms;
	int64_t sitting_seconds;
	unsigned bouts;
	int64_t longest_bout_seconds;
	unsigned prolonged_bouts;
	unsigned prompts, prompts_heeded;
	GArray *bout_list; /* struct report_bout */
};

struct report {
	GDate since, until;
	unsigned n_days;
	struct report_day *days;
	/* totals: sums of the days (longest: the maximum) */
	int64_t sitting_seconds;
	unsigned bouts;
	int64_t longest_bout_seconds;
	unsigned prolonged_bouts;
	unsigned prompts, prompts_heeded;
};

/* YYYY-MM-DD, "today" or "yesterday" (local), from 1970 to 2100: time_parse_local(). */
bool report_parse_date(const char *s, GDate *ret);

/* Local midnight at the start of a date, in ms since the epoch. */
int64_t report_day_start_ms(const GDate *d);

int report_compute(struct store *s, const GDate *since, const GDate *until, usec_t prolonged,
		   struct report *ret);
void report_clear(struct report *r);
