/* SPDX-License-Identifier: MIT */
/*
 * time_parse_local() (common/time-parse.c), the one parser of the dates and times people give
 * sitlog, in Europe/Berlin across both DST changes of 2026 (29 March 02:00 CET -> 03:00 CEST,
 * 25 October 03:00 CEST -> 02:00 CET), and the range 1970..2100 (sitlog-limits.h).
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sitlog-limits.h"
#include "time-parse.h"

#define DATE TIME_PARSE_DATE
#define WORD TIME_PARSE_DAY_WORD
#define CLOCK TIME_PARSE_CLOCK
#define DATETIME TIME_PARSE_DATETIME
#define ALL (DATE | WORD | CLOCK | DATETIME)

static int64_t
iso_us(const char *iso)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, utc);

	if (!dt)
		g_error("test table: \"%s\" is not ISO 8601 with an offset", iso);
	return g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
}

static char *
utc_string(int64_t us)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
	g_autofree char *s = g_date_time_format(dt, "%FT%T");

	if (us % G_USEC_PER_SEC)
		return g_strdup_printf("%s.%06dZ", s, (int) (us % G_USEC_PER_SEC));
	return g_strdup_printf("%sZ", s);
}

static void
test_time_parse_table(void)
{
	static const struct {
		const char *s;
		unsigned accept;
		const char *now;  /* ISO 8601 with offset; NULL: irrelevant */
		int r;
		const char *want; /* UTC, as utc_string() prints it */
		const char *date; /* the local date of the result */
	} rows[] = {
		/* dates: the local day's first instant */
		{ "2026-03-02", DATE, NULL, 0, "2026-03-01T23:00:00Z", "2026-03-02" },
		{ "2026-03-29", DATE, NULL, 0, "2026-03-28T23:00:00Z", "2026-03-29" },
		{ "2026-03-30", DATE, NULL, 0, "2026-03-29T22:00:00Z", "2026-03-30" }, /* 23 h */
		{ "2026-10-25", DATE, NULL, 0, "2026-10-24T22:00:00Z", "2026-10-25" },
		{ "2026-10-26", DATE, NULL, 0, "2026-10-25T23:00:00Z", "2026-10-26" }, /* 25 h */
		{ "2028-02-29", DATE, NULL, 0, "2028-02-28T23:00:00Z", "2028-02-29" },
		{ "1970-01-02", DATE, NULL, 0, "1970-01-01T23:00:00Z", "1970-01-02" },
		{ "2099-12-31", DATE, NULL, 0, "2099-12-30T23:00:00Z", "2099-12-31" },
		{ "2026-02-29", DATE, NULL, -EINVAL },
		{ "2026-13-01", DATE, NULL, -EINVAL },
		{ "2026-03-00", DATE, NULL, -EINVAL },
		{ "2026-3-01", DATE, NULL, -EINVAL },
		{ " 2026-3-01", DATE, NULL, -EINVAL },
		{ "+2026-03-1", DATE, NULL, -EINVAL },
		{ "2026-03-01x", DATE, NULL, -EINVAL },
		{ "2026/03/01", DATE, NULL, -EINVAL },
		{ "20260301", DATE, NULL, -EINVAL },
		{ "", ALL, NULL, -EINVAL },
		{ "9999-12-31", DATE, NULL, -ERANGE },
		{ "0001-01-01", DATE, NULL, -ERANGE },
		{ "1969-12-31", DATE, NULL, -ERANGE },
		/* a day is in range by its date: its first instant, 1969-12-31T23:00Z in Berlin,
		 * is before the epoch, and 2100-01-01 begins at 2099-12-31T23:00Z */
		{ "1970-01-01", DATE, NULL, 0, "1969-12-31T23:00:00Z", "1970-01-01" },
		{ "2100-01-01", DATE, NULL, -ERANGE },
		{ "2100-06-30", DATE, NULL, -ERANGE },
		{ "2100-01-02", DATE, NULL, -ERANGE },
		{ "2026-03-02", DATETIME | CLOCK, NULL, -EINVAL }, /* not accepted here */

		/* today, yesterday */
		{ "today", WORD, "2026-03-29T12:00:00+02:00", 0, "2026-03-28T23:00:00Z",
		  "2026-03-29" },
		{ "yesterday", WORD, "2026-03-29T12:00:00+02:00", 0, "2026-03-27T23:00:00Z",
		  "2026-03-28" },
		{ "yesterday", WORD, "2026-03-30T00:30:00+02:00", 0, "2026-03-28T23:00:00Z",
		  "2026-03-29" },
		{ "today", WORD, "2026-10-25T23:59:59+01:00", 0, "2026-10-24T22:00:00Z",
		  "2026-10-25" },
		{ "Today", ALL, "2026-03-29T12:00:00+02:00", -EINVAL },
		{ "tomorrow", ALL, "2026-03-29T12:00:00+02:00", -EINVAL },
		{ "today", DATE | CLOCK | DATETIME, "2026-03-29T12:00:00+02:00", -EINVAL },

		/* HH:MM[:SS]: the next such time */
		{ "15:30", CLOCK, "2026-03-02T10:00:00+01:00", 0, "2026-03-02T14:30:00Z",
		  "2026-03-02" },
		{ "09:00", CLOCK, "2026-03-02T10:00:00+01:00", 0, "2026-03-03T08:00:00Z",
		  "2026-03-03" },
		{ "10:00", CLOCK, "2026-03-02T10:00:00+01:00", 0, "2026-03-03T09:00:00Z",
		  "2026-03-03" },
		{ "10:00:01", CLOCK, "2026-03-02T10:00:00+01:00", 0, "2026-03-02T09:00:01Z",
		  "2026-03-02" },
		{ "00:00", CLOCK, "2026-03-02T23:59:00+01:00", 0, "2026-03-02T23:00:00Z",
		  "2026-03-03" },
		/* tomorrow's 08:00 across a change is not 24 h later */
		{ "08:00", CLOCK, "2026-03-28T20:00:00+01:00", 0, "2026-03-29T06:00:00Z",
		  "2026-03-29" },
		{ "08:00", CLOCK, "2026-10-24T20:00:00+02:00", 0, "2026-10-25T07:00:00Z",
		  "2026-10-25" },
		/* 02:30 does not happen on 29 March: the moment the clocks jump (03:00 CEST) */
		{ "02:30", CLOCK, "2026-03-29T01:00:00+01:00", 0, "2026-03-29T01:00:00Z",
		  "2026-03-29" },
		/* 02:30 happens twice on 25 October: the first still to come */
		{ "02:30", CLOCK, "2026-10-25T01:00:00+02:00", 0, "2026-10-25T00:30:00Z",
		  "2026-10-25" },
		{ "02:30", CLOCK, "2026-10-25T02:45:00+02:00", 0, "2026-10-25T01:30:00Z",
		  "2026-10-25" },
		{ "02:30", CLOCK, "2026-10-25T02:45:00+01:00", 0, "2026-10-26T01:30:00Z",
		  "2026-10-26" },
		{ "24:00", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "9:30", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "12:60", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "12:30:60", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "12:30:00.5", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "1230", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "12:30Z", CLOCK, "2026-03-02T10:00:00+01:00", -EINVAL },
		{ "15:30", DATE | WORD | DATETIME, "2026-03-02T10:00:00+01:00", -EINVAL },

		/* ISO 8601 date and time, local or with an offset */
		{ "2026-03-02T08:30:00", DATETIME, NULL, 0, "2026-03-02T07:30:00Z", "2026-03-02" },
		{ "2026-03-02T08:30", DATETIME, NULL, 0, "2026-03-02T07:30:00Z", "2026-03-02" },
		{ "2026-03-02 08:30", DATETIME, NULL, 0, "2026-03-02T07:30:00Z", "2026-03-02" },
		{ "2026-07-02t08:30", DATETIME, NULL, 0, "2026-07-02T06:30:00Z", "2026-07-02" },
		{ "2026-03-02T08:30:00.25", DATETIME, NULL, 0, "2026-03-02T07:30:00.250000Z",
		  "2026-03-02" },
		{ "2026-03-02T08:30:00,000001", DATETIME, NULL, 0, "2026-03-02T07:30:00.000001Z",
		  "2026-03-02" },
		{ "2026-03-02T08:30:00Z", DATETIME, NULL, 0, "2026-03-02T08:30:00Z", "2026-03-02" },
		{ "2026-03-02T08:30:00+05:30", DATETIME, NULL, 0, "2026-03-02T03:00:00Z",
		  "2026-03-02" },
		{ "2026-03-02T00:30-0100", DATETIME, NULL, 0, "2026-03-02T01:30:00Z",
		  "2026-03-02" },
		{ "2026-03-02T00:30+01", DATETIME, NULL, 0, "2026-03-01T23:30:00Z", "2026-03-02" },
		/* local date of the instant, not of the text */
		{ "2026-03-02T23:30:00-05:00", DATETIME, NULL, 0, "2026-03-03T04:30:00Z",
		  "2026-03-03" },
		{ "2026-03-29T02:30", DATETIME, NULL, 0, "2026-03-29T01:00:00Z", "2026-03-29" },
		{ "2026-10-25T02:30", DATETIME, NULL, 0, "2026-10-25T00:30:00Z", "2026-10-25" },
		{ "2026-10-25T02:30+01:00", DATETIME, NULL, 0, "2026-10-25T01:30:00Z",
		  "2026-10-25" },
		{ "1970-01-01T00:00:00Z", DATETIME, NULL, 0, "1970-01-01T00:00:00Z", "1970-01-01" },
		{ "2100-01-01T00:00:00Z", DATETIME, NULL, 0, "2100-01-01T00:00:00Z", "2100-01-01" },
		/* sitlogd --replay-start took this and then exported "invalid" */
		{ "9999-12-31T20:00:00", DATETIME, NULL, -ERANGE },
		{ "2100-01-01T00:00:01Z", DATETIME, NULL, -ERANGE },
		{ "1969-12-31T23:59:59Z", DATETIME, NULL, -ERANGE },
		{ "1970-01-01T00:30:00", DATETIME, NULL, -ERANGE }, /* 1969-12-31T23:30Z */
		{ "0001-01-01T00:00:00Z", DATETIME, NULL, -ERANGE },
		{ "9999-12-31Tjunk", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T8:30", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T24:00", DATETIME, NULL, -EINVAL },
		{ "2026-02-30T08:00", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30+1", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30+25:00", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30:00.", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30:00.1234567890", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30 ", DATETIME, NULL, -EINVAL },
		{ "2026-03-02_08:30", DATETIME, NULL, -EINVAL },
		{ "2026-03-02T08:30:00", DATE | WORD | CLOCK, NULL, -EINVAL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		int64_t now = rows[i].now ? iso_us(rows[i].now) : iso_us("2026-06-15T12:00:00Z");
		int64_t got = -42;
		GDate date, untouched;
		int r;

		g_date_clear(&date, 1);
		untouched = date;
		g_test_message("row %zu: \"%s\"", i, rows[i].s);
		r = time_parse_local(rows[i].s, rows[i].accept, now, &got, &date);
		g_assert_cmpint(r, ==, rows[i].r);
		if (r < 0) {
			g_assert_cmpint(got, ==, -42);
			g_assert_cmpmem(&date, sizeof(date), &untouched, sizeof(untouched));
		} else {
			g_autofree char *s = utc_string(got);
			char d[16];

			g_assert_cmpstr(s, ==, rows[i].want);
			g_assert_true(g_date_valid(&date));
			g_date_strftime(d, sizeof(d), "%F", &date);
			g_assert_cmpstr(d, ==, rows[i].date);
		}
	}
}

static void
test_time_parse_no_date_wanted(void)
{
	int64_t got = 0;

	g_assert_cmpint(time_parse_local("2026-03-02T08:30:00Z", DATETIME, 0, &got, NULL), ==, 0);
	g_assert_cmpint(got, ==, iso_us("2026-03-02T08:30:00Z"));
	g_assert_cmpint(time_parse_local(NULL, ALL, 0, &got, NULL), ==, -EINVAL);
}

/* The bounds are those of sitlog-limits.h. */
static void
test_time_parse_bounds(void)
{
	int64_t got = 0;

	g_assert_cmpint(time_parse_local("1970-01-01T00:00:00Z", DATETIME, 0, &got, NULL), ==, 0);
	g_assert_cmpint(got, ==, SITLOG_WALL_MIN_US);
	g_assert_cmpint(time_parse_local("2100-01-01T00:00:00Z", DATETIME, 0, &got, NULL), ==, 0);
	g_assert_cmpint(got, ==, SITLOG_WALL_MAX_US);
}

int
main(int argc, char **argv)
{
	/* before GLib looks at the local time zone */
	g_setenv("TZ", "Europe/Berlin", TRUE);
	tzset();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/time/parse-table", test_time_parse_table);
	g_test_add_func("/time/parse-no-date-wanted", test_time_parse_no_date_wanted);
	g_test_add_func("/time/parse-bounds", test_time_parse_bounds);
	return g_test_run();
}
