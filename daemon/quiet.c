/* SPDX-License-Identifier: MIT */
#include <glib.h>

#include "quiet.h"

const char *
quiet_check(usec_t t, void *userdata)
{
	const struct quiet *q = userdata;
	const struct sitlog_config *c = q->config;

	if (c->have_working_hours || c->working_days != 0xfe) {
		int64_t ms = recorder_wall_ms(q->recorder, t);
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(ms / 1000);

		if (dt && !config_is_working_time(c, g_date_time_get_day_of_week(dt),
						  (unsigned) (g_date_time_get_hour(dt) * 60 +
							      g_date_time_get_minute(dt))))
			return "off-hours";
	}
	if (q->locked && c->quiet_when_locked)
		return "locked";
	if (q->inhibited && c->quiet_when_inhibited)
		return "idle-inhibited";
	if (q->dnd && c->respect_dnd)
		return "do-not-disturb";
	return NULL;
}
