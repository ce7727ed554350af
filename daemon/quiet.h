/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Working hours as timed inputs: whether a wall-clock time lies outside the configured working
 * hours and days, and when that changes next, so that the session feeds the core an
 * "off-hours" fact at each boundary (two a working day) instead of the core asking.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sitlog-conf.h"

/* Are working hours or days configured at all? */
bool quiet_have_working_time(const struct sitlog_config *c);

/* Is wall_us (µs since the epoch) outside the working hours and days (local time)? The next
 * moment this changes goes to *ret_next_us (INT64_MAX: never). */
bool quiet_off_hours(const struct sitlog_config *c, int64_t wall_us, int64_t *ret_next_us);

/* A local day (wall-clock µs since the epoch; INT64_MAX: none). */
struct quiet_day {
	int64_t start_us, end_us;           /* its midnights */
	int64_t work_start_us, work_end_us; /* its working hours */
	int64_t summary_after_us;           /* [Budget] summary_after on it */
};

/* The local day that wall_us falls in, DST-right (docs/semantics.md "The whole day"). Returns 0
 * or -ERANGE (a time GLib cannot place). */
int quiet_day(const struct sitlog_config *c, int64_t wall_us, struct quiet_day *ret);
