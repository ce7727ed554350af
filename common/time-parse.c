/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "sitlog-limits.h"
#include "time-parse.h"

#define SEC_PER_DAY ((int64_t) 86400)
/* g_date_get_julian() of 1970-01-01 (day 1 is 0001-01-01) */
#define JULIAN_EPOCH 719163

struct when {
	int64_t us;
	bool have_date; /* the input was a day: its date stands, whatever the offset */
	GDate date;
};

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Exactly n ASCII digits. */
static bool
digits(const char *s, size_t n, unsigned *ret)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return false;
		v = v * 10 + (unsigned) (s[i] - '0');
	}
	*ret = v;
	return true;
}

/* "YYYY-MM-DD" at the start of s: -EINVAL for another shape or no such day, -ERANGE for a year
 * sitlog never records (checked exactly on the instant later). */
static int
parse_ymd(const char *s, GDate *ret)
{
	unsigned y, m, d;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		return -EINVAL;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -EINVAL;
	if (y < 1969 || y > 2100)
		return -ERANGE;
	if (!g_date_valid_dmy((GDateDay) d, (GDateMonth) m, (GDateYear) y))
		return -EINVAL;
	g_date_clear(ret, 1);
	g_date_set_dmy(ret, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
	return 0;
}

/* "HH:MM" or "HH:MM:SS", with a fraction of a second if fraction is true; *p moves past it. */
static int
parse_hms(const char **p, bool fraction, int64_t *ret_sec, unsigned *ret_usec)
{
	const char *s = *p;
	unsigned h, m, sec = 0, usec = 0;

	if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m))
		return -EINVAL;
	s += 5;
	if (*s == ':') {
		if (!digits(s + 1, 2, &sec))
			return -EINVAL;
		s += 3;
		if (fraction && (*s == '.' || *s == ',')) {
			unsigned n = 0, scale = 100000;

			for (s++; g_ascii_isdigit(*s); s++, n++) {
				usec += (unsigned) (*s - '0') * scale;
				scale /= 10;
			}
			if (n == 0 || n > 9)
				return -EINVAL;
		}
	}
	/* no 24:00 and no leap second: neither is a time sitlog could be at */
	if (h > 23 || m > 59 || sec > 59)
		return -EINVAL;
	*ret_sec = (int64_t) h * 3600 + m * 60 + sec;
	*ret_usec = usec;
	*p = s;
	return 0;
}

/* Seconds since the epoch of a local wall-clock time (seconds since the epoch as if it were
 * UTC), both readings when it happens twice (ret[0] <= ret[1]); a time skipped by a change
 * becomes the moment of the change. */
static void
local_to_utc(GTimeZone *tz, int64_t local, int64_t ret[2])
{
	for (int k = 0; k < 2; k++) {
		gint64 t = local;
		int i = g_time_zone_adjust_time(tz, k ? G_TIME_TYPE_DAYLIGHT : G_TIME_TYPE_STANDARD,
						&t);

		ret[k] = t - g_time_zone_get_offset(tz, i);
	}
	if (ret[0] > ret[1]) {
		int64_t t = ret[0];

		ret[0] = ret[1];
		ret[1] = t;
	}
}

static int64_t
local_seconds(GTimeZone *tz, int64_t utc)
{
	return utc + g_time_zone_get_offset(tz, g_time_zone_find_interval(tz,
									  G_TIME_TYPE_UNIVERSAL,
									  utc));
}

static int64_t
date_days(const GDate *d)
{
	return (int64_t) g_date_get_julian(d) - JULIAN_EPOCH;
}

static void
date_from_days(int64_t days, GDate *ret)
{
	g_date_clear(ret, 1);
	g_date_set_julian(ret, (guint32) (days + JULIAN_EPOCH));
}

/* The first instant of a local day. */
static int64_t
day_start_us(GTimeZone *tz, const GDate *d)
{
	int64_t utc[2];

	local_to_utc(tz, date_days(d) * SEC_PER_DAY, utc);
	return utc[0] * G_USEC_PER_SEC;
}

/* The local day (days since 1970-01-01) that an instant falls on. */
static int64_t
local_day(GTimeZone *tz, int64_t us)
{
	return floor_div(local_seconds(tz, floor_div(us, G_USEC_PER_SEC)), SEC_PER_DAY);
}

static int
parse_day_word(GTimeZone *tz, const char *s, int64_t now_us, struct when *ret)
{
	int64_t today = local_day(tz, now_us);

	date_from_days(strcmp(s, "yesterday") == 0 ? today - 1 : today, &ret->date);
	ret->have_date = true;
	ret->us = day_start_us(tz, &ret->date);
	return 0;
}

static int
parse_date(GTimeZone *tz, const char *s, struct when *ret)
{
	int r;

	if (strlen(s) != 10)
		return -EINVAL;
	r = parse_ymd(s, &ret->date);
	if (r < 0)
		return r;
	ret->have_date = true;
	ret->us = day_start_us(tz, &ret->date);
	return 0;
}

/* The first HH:MM[:SS] after now: today's, tomorrow's (either reading of an hour that happens
 * twice), or the day after's when tomorrow has none later than now (never, but cheap). */
static int
parse_clock(GTimeZone *tz, const char *s, int64_t now_us, struct when *ret)
{
	int64_t sec, today, best = INT64_MAX;
	unsigned usec;
	int r = parse_hms(&s, false, &sec, &usec);

	if (r < 0 || *s)
		return -EINVAL;
	today = local_day(tz, now_us);
	for (int64_t day = today; day <= today + 2 && best == INT64_MAX; day++) {
		int64_t utc[2];

		local_to_utc(tz, day * SEC_PER_DAY + sec, utc);
		for (int k = 0; k < 2; k++)
			if (utc[k] * G_USEC_PER_SEC > now_us && utc[k] * G_USEC_PER_SEC < best)
				best = utc[k] * G_USEC_PER_SEC;
	}
	ret->us = best;
	return 0;
}

/* "+01:00", "-0530", "+01", "Z": seconds east of UTC. */
static int
parse_offset(const char *s, int64_t *ret)
{
	unsigned h, m = 0;
	int sign;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*ret = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -EINVAL;
	sign = s[0] == '-' ? -1 : 1;
	if (!digits(s + 1, 2, &h))
		return -EINVAL;
	s += 3;
	if (*s == ':')
		s++;
	if (*s && (!digits(s, 2, &m) || s[2] != '\0'))
		return -EINVAL;
	if (h > 18 || m > 59)
		return -EINVAL;
	*ret = sign * ((int64_t) h * 3600 + m * 60);
	return 0;
}

static int
parse_datetime(GTimeZone *tz, const char *s, struct when *ret)
{
	const char *p = s + 11;
	GDate date;
	int64_t sec, utc;
	unsigned usec;
	int r, ymd;

	if (strlen(s) < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -EINVAL;
	ymd = parse_ymd(s, &date);
	if (ymd == -EINVAL)
		return ymd;
	r = parse_hms(&p, true, &sec, &usec);
	if (r < 0)
		return r;
	if (*p) {
		int64_t offset;

		r = parse_offset(p, &offset);
		if (r < 0)
			return r;
		if (ymd < 0)
			return ymd;
		utc = date_days(&date) * SEC_PER_DAY + sec - offset;
	} else {
		int64_t both[2];

		if (ymd < 0)
			return ymd;
		local_to_utc(tz, date_days(&date) * SEC_PER_DAY + sec, both);
		utc = both[0];
	}
	ret->us = utc * G_USEC_PER_SEC + usec;
	return 0;
}

int
time_parse_local(const char *s, unsigned accept, int64_t now_us, int64_t *ret_us,
		 GDate *ret_date)
{
	g_autoptr(GTimeZone) tz = NULL;
	struct when w = {};
	int r = -EINVAL;

	if (!s)
		return -EINVAL;
	tz = g_time_zone_new_local();
	if ((accept & TIME_PARSE_DAY_WORD) &&
	    (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0))
		r = parse_day_word(tz, s, now_us, &w);
	else if ((accept & TIME_PARSE_DATE) && strlen(s) == 10)
		r = parse_date(tz, s, &w);
	else if ((accept & TIME_PARSE_CLOCK) && strlen(s) <= 8 && s[0] && s[1] && s[2] == ':')
		r = parse_clock(tz, s, now_us, &w);
	else if ((accept & TIME_PARSE_DATETIME) && strlen(s) > 10)
		r = parse_datetime(tz, s, &w);
	if (r < 0)
		return r;
	/* a day is in range by its date (1970-01-01 to 2099-12-31 in any zone: a day east of
	 * UTC begins before the epoch), an instant by itself */
	if (w.have_date ? g_date_get_year(&w.date) < 1970 || g_date_get_year(&w.date) > 2099 :
			  w.us < SITLOG_WALL_MIN_US || w.us > SITLOG_WALL_MAX_US)
		return -ERANGE;
	if (ret_date) {
		if (w.have_date)
			*ret_date = w.date;
		else
			date_from_days(local_day(tz, w.us), ret_date);
	}
	*ret_us = w.us;
	return 0;
}

char *
time_format_local(int64_t us, const char *format)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(us / G_USEC_PER_SEC);
	char *text = dt ? g_date_time_format(dt, format) : NULL;

	return text ? text : g_strdup("?");
}
