/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The figures of local days, computed from the raw tables (segments, bouts, prompts) and kept
 * in the daily roll-up (schema/004-rollup.sql) by the one writer. docs/semantics.md "Reports"
 * defines every figure; this is the one place that computes them, for the writer's roll-up and
 * for a reader's days that the roll-up cannot serve (another zone, other rules, rows changed
 * since the last commit).
 */

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Bumped whenever a figure's definition changes: a roll-up cut with other rules is rebuilt by
 * the writer and ignored by readers. */
#define ROLLUP_RULES 2 /* 2: the day's prompts (budget, summary) are not the bouts' */

/* Bout length classes by the bout's full length: [0, 30 min), [30, 60), [60, 90), [90, ∞). */
#define ROLLUP_CLASSES 4
#define ROLLUP_CLASS_MS ((int64_t) 30 * 60 * 1000)

struct rollup_day {
	int64_t start_ms, end_ms; /* local midnight to local midnight */
	int64_t sitting_ms, upright_ms, measured_ms, away_ms;
	unsigned bouts, breaks, prompts, heeded;
	int64_t longest_ms;
	unsigned class_n[ROLLUP_CLASSES];
	int64_t class_ms[ROLLUP_CLASSES];
	/* bouts of at least the threshold asked for (from the raw tables; from the classes for
	 * the roll-up's days) */
	unsigned prolonged;
};

/* The spans of a day's bouts in each local hour of the day, by the bout's class (the roll-up
 * keeps classes 1..3). */
typedef int64_t rollup_hours[ROLLUP_CLASSES][24];

/* The class of a bout of ms milliseconds. */
static inline int
rollup_class(int64_t ms)
{
	return ms >= 3 * ROLLUP_CLASS_MS ? 3 : (int) (ms / ROLLUP_CLASS_MS);
}

/* Local midnight at the start of a date, in ms since the epoch (the process's zone). */
int64_t rollup_day_start_ms(const GDate *d);
/* The n + 1 local midnights that start the dates first .. first + n. */
void rollup_day_starts(const GDate *first, unsigned n, int64_t *ret);

/* The identifier of the process's local zone ($TZ, else /etc/localtime's). g_free() it. */
char *rollup_zone_id(void);

/* Add the span [a_ms, b_ms) to slots[local hour of the day], split at local hour boundaries
 * (and at any change of the zone's offset): a 25-h day's repeated hour counts twice in its
 * slot, a 23-h day's missing one gets nothing. */
void rollup_add_hours(GTimeZone *tz, int64_t a_ms, int64_t b_ms, int64_t slots[24]);

/* The figures of n consecutive days, day i being [starts[i], starts[i + 1]), from the raw
 * tables. ret_days (n of them) is zeroed first, and so is ret_day_hours (n of them, may be
 * NULL); prolonged_ms: for .prolonged, and the spans of those bouts by local hour added to
 * add_prolonged_hours (may be NULL). */
int rollup_compute_raw(struct store *s, unsigned n, const int64_t *starts, int64_t prolonged_ms,
		       struct rollup_day *ret_days, rollup_hours *ret_day_hours,
		       int64_t add_prolonged_hours[24]);

/* Reader side, inside one read transaction (store_read_begin()). */
/* Does the roll-up hold days cut in this process's zone with these rules? */
int rollup_usable(struct store *s, bool *ret);
typedef int (*rollup_dirty_cb)(int64_t from_ms, int64_t to_ms, void *userdata);
/* The spans changed since the roll-up was last brought up to date. */
int rollup_foreach_dirty(struct store *s, rollup_dirty_cb cb, void *userdata);
/* The roll-up's days among Julian days first..last (and maybe a few around them; days without
 * figures had nothing): their figures as stored, for rollup_decode(); fig NULL for a day whose
 * month's row cannot be read. */
typedef int (*rollup_day_cb)(uint32_t julian, const void *fig, size_t size, void *userdata);
int rollup_foreach_day(struct store *s, uint32_t first, uint32_t last, rollup_day_cb cb,
		       void *userdata);

/* A row's figures into *ret_day and its hour slots added to *hours, when it is well formed and
 * its day is [start_ms, end_ms) (the reader's own midnights); false otherwise, *hours then
 * untouched (compute the day from the raw tables). */
bool rollup_decode(const void *fig, size_t size, int64_t start_ms, int64_t end_ms,
		   struct rollup_day *ret_day, rollup_hours *hours);

/* Writer side, inside the writer's transaction: bring the roll-up up to date (the days named
 * by rollup_dirty; all of it when it was cut in another zone or with other rules).
 * store_commit() calls it. */
int rollup_flush(struct store *s);
/* Recompute all of it in this process's zone and rules. */
int rollup_rebuild(struct store *s);
