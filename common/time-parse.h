/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The one parser of dates and times a person gives sitlog: `sitlog report|export --since/--until`,
 * `sitlog pause --until`, `sitlogd --replay-start`. Local time zone ($TZ), DST-safe; every result
 * lies in SITLOG_WALL_MIN_US..SITLOG_WALL_MAX_US (sitlog-limits.h).
 */

#include <glib.h>
#include <stdint.h>

/* What time_parse_local() accepts: any combination. */
enum {
	/* YYYY-MM-DD: that local day's first instant (its midnight, or the end of a DST gap that
	 * swallows midnight) */
	TIME_PARSE_DATE = 1u << 0,
	/* "today", "yesterday" (lower case): the same, for the day now_us falls on */
	TIME_PARSE_DAY_WORD = 1u << 1,
	/* HH:MM or HH:MM:SS: the first such local time after now_us (today, else tomorrow) */
	TIME_PARSE_CLOCK = 1u << 2,
	/* ISO 8601 YYYY-MM-DDTHH:MM[:SS[.frac]] ('T' or a space), local time, or with Z, ±HH:MM,
	 * ±HHMM or ±HH for an explicit offset */
	TIME_PARSE_DATETIME = 1u << 3,
};

/*
 * Parse s as one of the accepted forms, relative to now_us (µs since the epoch; only "today",
 * "yesterday" and HH:MM use it). On success *ret_us is the instant (µs since the epoch) and, if
 * ret_date is not NULL, *ret_date the local date of that instant (for a date: the date itself).
 * A local time that a DST change skips means the moment of the change (02:30 on the spring day
 * in Berlin: 03:00 CEST); one that happens twice means the first (or, for HH:MM, the first
 * still to come).
 *
 * Returns 0; -EINVAL when s is none of the accepted forms or not a real date or time
 * ("2026-02-30", "24:00"); -ERANGE when it is one, but outside 1970-01-01T00:00:00Z ..
 * 2100-01-01T00:00:00Z, or for a day (a date, today, yesterday) outside 1970-01-01 ..
 * 2099-12-31 (its own date, whatever the zone: its first instant may precede the epoch).
 * Nothing is written on failure.
 */
int time_parse_local(const char *s, unsigned accept, int64_t now_us, int64_t *ret_us,
		     GDate *ret_date);

/* A wall-clock time (µs since the epoch) in local time, in a g_date_time_format() format such as
 * "%F %T"; "?" when it cannot be shown. g_free() the result. */
char *time_format_local(int64_t us, const char *format);
