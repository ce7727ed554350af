/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>

#include "quiet.h"

bool
quiet_have_working_time(const struct sitlog_config *c)
{
	return c->have_working_hours || c->working_days != 0xfe;
}

/* The rule at a minute, in local time, as config_is_working_time() defines it. */
static bool
off_at(const struct sitlog_config *c, int64_t unix_s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(unix_s);

	if (!dt)
		return false;
	return !config_is_working_time(c, g_date_time_get_day_of_week(dt),
				       (unsigned) (g_date_time_get_hour(dt) * 60 +
						   g_date_time_get_minute(dt)));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/*
 * The state can only change at a local midnight (another weekday) or at the start or end of
 * the working hours: try those for the next eight days, then narrow down to the first minute
 * at which it really changes (a DST change can move a boundary off its nominal time).
 */
bool
quiet_off_hours(const struct sitlog_config *c, int64_t wall_us, int64_t *ret_next_us)
{
	int64_t s = floor_div(wall_us, 1000000), best = INT64_MAX, lo, hi;
	bool now = quiet_have_working_time(c) && off_at(c, s);
	g_autoptr(GDateTime) here = NULL;
	unsigned minutes[3] = { 0, c->work_start_min, c->work_end_min };

	*ret_next_us = INT64_MAX;
	if (!quiet_have_working_time(c))
		return false;
	here = g_date_time_new_from_unix_local(s);
	if (!here)
		return now;
	for (int day = 0; day <= 8; day++) {
		g_autoptr(GDateTime) d = g_date_time_add_days(here, day);

		for (size_t i = 0; d && i < G_N_ELEMENTS(minutes); i++) {
			g_autoptr(GDateTime) cand = g_date_time_new_local(
				g_date_time_get_year(d), g_date_time_get_month(d),
				g_date_time_get_day_of_month(d), (int) (minutes[i] / 60),
				(int) (minutes[i] % 60), 0);
			int64_t t = cand ? g_date_time_to_unix(cand) : INT64_MAX;

			if (t > s && t < best && off_at(c, t) != now)
				best = t;
		}
	}
	if (best == INT64_MAX)
		return now;
	/* the first minute start in (s, best] where the state differs */
	lo = floor_div(s, 60);
	hi = floor_div(best, 60);
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (off_at(c, mid * 60) != now)
			hi = mid;
		else
			lo = mid;
	}
	*ret_next_us = hi * 60 * 1000000;
	return now;
}

static int64_t
local_us(int y, int mo, int d, unsigned minute)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(y, mo, d, (int) (minute / 60),
							(int) (minute % 60), 0);

	return dt ? g_date_time_to_unix(dt) * 1000000 : INT64_MAX;
}

/*
 * The local day around wall_us, cut at its own midnights (23 or 25 h on DST days); its working
 * hours when it is a working day and they lie within it (hours across midnight give none: the
 * budget then counts the day without them); the summary's time of day.
 */
int
quiet_day(const struct sitlog_config *c, int64_t wall_us, struct quiet_day *ret)
{
	g_autoptr(GDateTime) here = g_date_time_new_from_unix_local(floor_div(wall_us, 1000000));
	g_autoptr(GDateTime) next = NULL;
	struct quiet_day d = {
		.work_start_us = INT64_MAX,
		.work_end_us = INT64_MAX,
		.summary_after_us = INT64_MAX,
	};
	int y, mo, day;

	if (!here)
		return -ERANGE;
	y = g_date_time_get_year(here);
	mo = g_date_time_get_month(here);
	day = g_date_time_get_day_of_month(here);
	next = g_date_time_add_days(here, 1);
	if (!next)
		return -ERANGE;
	d.start_us = local_us(y, mo, day, 0);
	d.end_us = local_us(g_date_time_get_year(next), g_date_time_get_month(next),
			    g_date_time_get_day_of_month(next), 0);
	if (d.start_us == INT64_MAX || d.end_us == INT64_MAX || d.end_us <= d.start_us ||
	    wall_us < d.start_us || wall_us >= d.end_us)
		return -ERANGE;
	if (c->have_working_hours && c->work_start_min < c->work_end_min &&
	    (c->working_days & (1u << g_date_time_get_day_of_week(here)))) {
		d.work_start_us = local_us(y, mo, day, c->work_start_min);
		d.work_end_us = c->work_end_min >= 24 * 60 ? d.end_us :
							     local_us(y, mo, day, c->work_end_min);
		if (d.work_start_us >= d.work_end_us)
			d.work_start_us = d.work_end_us = INT64_MAX;
	}
	if (c->summary_after_min >= 0)
		d.summary_after_us = local_us(y, mo, day, (unsigned) c->summary_after_min);
	*ret = d;
	return 0;
}
