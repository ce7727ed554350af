/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <libevdev/libevdev.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config-internal.h"
#include "json-util.h"
#include "sitlog-conf.h"

#define ALL_DAYS 0xfeu /* bits 1..7 */

static const char *const day_names[] = { NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

void
config_init(struct sitlog_config *c)
{
	*c = (struct sitlog_config) {
		.min_segment = 10 * USEC_PER_SEC,
		.break_min = 60 * USEC_PER_SEC,
		.prolonged = 30 * USEC_PER_MINUTE,
		.remind_after = 30 * USEC_PER_MINUTE,
		.repeat_every = 10 * USEC_PER_MINUTE,
		.heed_window = 5 * USEC_PER_MINUTE,
		.snooze = 10 * USEC_PER_MINUTE,
		.pause = USEC_PER_HOUR,
		.escalate_after = 3,
		.working_days = ALL_DAYS,
		.quiet_when_locked = true,
		.respect_dnd = true,
		.seat_axis = ABS_PRESSURE,
		.seat_occupied = 0.30,
		.seat_vacant = 0.20,
		.seat_key_type = 0,
		.seat_key_code = 0,
		.imu_sample_interval = 250 * USEC_PER_MSEC,
		.upright_per_day = 2 * USEC_PER_HOUR,
		.metrics_textfile_dir = SITLOG_METRICS_TEXTFILE_DIR,
		.sitting_per_day = 6 * USEC_PER_HOUR,
		.budget_pace = true,
		.remind_after_min = 20 * USEC_PER_MINUTE,
		.summary_after_min = -1,
	};
}

/* Where each group and key stands in the file, so that value errors can name the line. */
struct line_index {
	GHashTable *lines; /* "group\nkey" or "group" -> line number */
};

static void
line_index_clear(struct line_index *idx)
{
	g_clear_pointer(&idx->lines, g_hash_table_unref);
}

/* What a key's name is made of (GKeyFile takes more: "key[de]" for a translation) */
#define KEY_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

/* GKeyFile parses, but its syntax errors carry no line number: check the shape of every line
 * ourselves first, then hand the text to GKeyFile. */
static int
scan_lines(const char *path, const char *text, struct line_index *idx, char **ret_error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *group = NULL;

	idx->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (unsigned n = 0; lines[n]; n++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[n]));
		unsigned lineno = n + 1;
		char *eq;

		if (!g_utf8_validate(lines[n], -1, NULL)) {
			/* GKeyFile would hand back NULL for such a value */
			*ret_error = g_strdup_printf("%s:%u: not valid UTF-8", path, lineno);
			return -EINVAL;
		}
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '[') {
			size_t l = strlen(line);

			/* GKeyFile takes no [ or ] inside the name, and would say so without a line */
			if (l < 3 || line[l - 1] != ']' || strpbrk(line + 1, "[]") != line + l - 1) {
				*ret_error = g_strdup_printf("%s:%u: malformed group header \"%s\"",
							     path, lineno, line);
				return -EINVAL;
			}
			g_free(group);
			group = g_strndup(line + 1, l - 2);
			if (g_hash_table_contains(idx->lines, group)) {
				*ret_error = g_strdup_printf("%s:%u: group [%s] appears twice", path,
							     lineno, group);
				return -EINVAL;
			}
			g_hash_table_insert(idx->lines, g_strdup(group), GUINT_TO_POINTER(lineno));
			continue;
		}
		eq = strchr(line, '=');
		if (!eq || eq == line) {
			*ret_error = g_strdup_printf("%s:%u: expected \"key = value\", \"[Group]\" or a "
						     "# comment, got \"%s\"",
						     path, lineno, line);
			return -EINVAL;
		}
		if (!group) {
			*ret_error = g_strdup_printf("%s:%u: key outside of any [Group]", path, lineno);
			return -EINVAL;
		}
		for (const char *b = strchr(eq + 1, '\\'); b; b = strchr(b + 2, '\\'))
			if (!b[1] || !strchr("sntr\\", b[1])) {
				/* GKeyFile's own message has no line (and GLib 2.74 sets its
				 * GError twice for "\q ... \" at the end) */
				*ret_error = g_strdup_printf("%s:%u: a bad escape sequence \"\\%.1s\" "
							     "(\\\\ for a backslash)", path, lineno,
							     b + 1);
				return -EINVAL;
			}
		*eq = '\0';
		g_strstrip(line);
		/* GKeyFile would take "key[xx]" as a translation of key and keep it silently */
		if (line[strspn(line, KEY_NAME_CHARS)] != '\0') {
			*ret_error = g_strdup_printf("%s:%u: \"%s\" is not a key name (letters, "
						     "digits, _ and -)", path, lineno, line);
			return -EINVAL;
		}
		{
			g_autofree char *k = g_strdup_printf("%s\n%s", group, line);
			unsigned first = GPOINTER_TO_UINT(g_hash_table_lookup(idx->lines, k));

			/* GKeyFile would keep the last one without a word */
			if (first) {
				*ret_error = g_strdup_printf("%s:%u: %s= appears twice in [%s] (first "
							     "at line %u)", path, lineno, line,
							     group, first);
				return -EINVAL;
			}
			g_hash_table_insert(idx->lines, g_steal_pointer(&k),
					    GUINT_TO_POINTER(lineno));
		}
	}
	return 0;
}

static unsigned
line_of(const struct line_index *idx, const char *group, const char *key)
{
	g_autofree char *k = key ? g_strdup_printf("%s\n%s", group, key) : g_strdup(group);

	return GPOINTER_TO_UINT(g_hash_table_lookup(idx->lines, k));
}

enum value_kind {
	VALUE_DURATION,
	VALUE_PERCENT,
	VALUE_ABS_AXIS,
	VALUE_SEAT_KEY,
	VALUE_AXIS_VECTOR,
	VALUE_BOOL,
	VALUE_COUNT,
	VALUE_HOURS,
	VALUE_DAYS,
	VALUE_PATH, /* an absolute path, into a char[SITLOG_CONFIG_PATH_MAX] */
	VALUE_CLOCK, /* "HH:MM", or "end" (-1): an int of minutes after midnight */
};

/* Each duration's and count's range (sitlog.conf(5)): for durations (in µs)
 * SITLOG_DURATION_MIN..MAX unless its row says otherwise. zero_ok: 0 is allowed besides the
 * range (it means "off"). */
struct value_range {
	uint64_t min, max;
	bool zero_ok;
};

#define DEFAULT_RANGE { SITLOG_DURATION_MIN, SITLOG_DURATION_MAX, false }

static const struct known_key {
	const char *group;
	const char *key;
	enum value_kind kind;
	size_t offset;
	struct value_range range; /* VALUE_DURATION and VALUE_COUNT only */
} known_keys[] = {
	/* 0: every posture change counts at once; more than an hour would hide whole bouts */
	{ "Tracking", "min_segment", VALUE_DURATION, offsetof(struct sitlog_config, min_segment),
	  { 0, USEC_PER_HOUR, false } },
	{ "Tracking", "break_min", VALUE_DURATION, offsetof(struct sitlog_config, break_min),
	  DEFAULT_RANGE },
	{ "Tracking", "prolonged", VALUE_DURATION, offsetof(struct sitlog_config, prolonged),
	  DEFAULT_RANGE },
	{ "Reminders", "remind_after", VALUE_DURATION,
	  offsetof(struct sitlog_config, remind_after), DEFAULT_RANGE },
	{ "Reminders", "repeat_every", VALUE_DURATION,
	  offsetof(struct sitlog_config, repeat_every), DEFAULT_RANGE },
	{ "Reminders", "heed_window", VALUE_DURATION, offsetof(struct sitlog_config, heed_window),
	  DEFAULT_RANGE },
	{ "Reminders", "snooze", VALUE_DURATION, offsetof(struct sitlog_config, snooze),
	  DEFAULT_RANGE },
	{ "Reminders", "pause", VALUE_DURATION, offsetof(struct sitlog_config, pause),
	  DEFAULT_RANGE },
	{ "Reminders", "escalate_after", VALUE_COUNT,
	  offsetof(struct sitlog_config, escalate_after), { 0, 1000, false } },
	{ "Reminders", "working_hours", VALUE_HOURS, 0 },
	{ "Reminders", "working_days", VALUE_DAYS, offsetof(struct sitlog_config, working_days) },
	{ "Reminders", "quiet_when_locked", VALUE_BOOL,
	  offsetof(struct sitlog_config, quiet_when_locked) },
	{ "Reminders", "quiet_when_inhibited", VALUE_BOOL,
	  offsetof(struct sitlog_config, quiet_when_inhibited) },
	{ "Reminders", "respect_dnd", VALUE_BOOL, offsetof(struct sitlog_config, respect_dnd) },
	{ "Seat", "axis", VALUE_ABS_AXIS, offsetof(struct sitlog_config, seat_axis) },
	{ "Seat", "occupied", VALUE_PERCENT, offsetof(struct sitlog_config, seat_occupied) },
	{ "Seat", "vacant", VALUE_PERCENT, offsetof(struct sitlog_config, seat_vacant) },
	{ "Seat", "key", VALUE_SEAT_KEY, 0 },
	{ "Seat", "grab", VALUE_BOOL, offsetof(struct sitlog_config, seat_grab) },
	{ "IMU", "axis", VALUE_AXIS_VECTOR, 0 },
	/* 0: read every burst; 5 ms is 200 Hz, faster than any IMU sitlog knows; above 1 s
	 * walking is no longer seen */
	{ "IMU", "sample_interval", VALUE_DURATION,
	  offsetof(struct sitlog_config, imu_sample_interval),
	  { 5 * USEC_PER_MSEC, USEC_PER_SEC, true } },
	/* 0: keep every record; 36600 days is a century */
	{ "Storage", "keep_days", VALUE_COUNT, offsetof(struct sitlog_config, keep_days),
	  { 1, 36600, true } },
	/* a local day's targets: upright time to reach (0: none), sitting not to exceed */
	{ "Budget", "upright_per_day", VALUE_DURATION,
	  offsetof(struct sitlog_config, upright_per_day), { 0, 24 * USEC_PER_HOUR, false } },
	{ "Budget", "sitting_per_day", VALUE_DURATION,
	  offsetof(struct sitlog_config, sitting_per_day),
	  { USEC_PER_HOUR, 24 * USEC_PER_HOUR, false } },
	/* the whole day (docs/semantics.md): the pace prompt, the adaptive first prompt and its
	 * floor, the end-of-day summary and when it comes */
	{ "Budget", "pace", VALUE_BOOL, offsetof(struct sitlog_config, budget_pace) },
	{ "Budget", "adaptive", VALUE_BOOL, offsetof(struct sitlog_config, budget_adaptive) },
	{ "Budget", "remind_after_min", VALUE_DURATION,
	  offsetof(struct sitlog_config, remind_after_min), DEFAULT_RANGE },
	{ "Budget", "summary", VALUE_BOOL, offsetof(struct sitlog_config, budget_summary) },
	{ "Budget", "summary_after", VALUE_CLOCK,
	  offsetof(struct sitlog_config, summary_after_min) },
	/* [Metrics]: off by default; the textfile is node_exporter's to scrape (docs/privacy.md) */
	{ "Metrics", "enabled", VALUE_BOOL, offsetof(struct sitlog_config, metrics_enabled) },
	{ "Metrics", "textfile_dir", VALUE_PATH,
	  offsetof(struct sitlog_config, metrics_textfile_dir) },
};

#define N_KNOWN_KEYS G_N_ELEMENTS(known_keys)

static int
parse_percent(const char *s, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = g_ascii_strtod(s, &end);
	if (errno != 0 || end == s)
		return -EINVAL;
	if (*end == '%')
		end++;
	if (*end != '\0' || !isfinite(v) || v < 0 || v > 100)
		return -EINVAL;
	*ret = v / 100.0;
	return 0;
}

/* "X", "-y", "+Z" or three numbers "0.1 -0.99 0" (not all zero). */
static int
parse_axis_vector(const char *s, double ret[3])
{
	g_auto(GStrv) parts = NULL;
	double v[3] = {};
	guint n = 0;

	if (strlen(s) <= 2) {
		const char *p = s;
		double sign = 1;

		if (*p == '-' || *p == '+')
			sign = *p++ == '-' ? -1 : 1;
		if (g_ascii_tolower(*p) < 'x' || g_ascii_tolower(*p) > 'z' || p[1] != '\0')
			return -EINVAL;
		v[g_ascii_tolower(*p) - 'x'] = sign;
		memcpy(ret, v, sizeof(v));
		return 0;
	}
	parts = g_strsplit_set(s, " \t,", -1);
	for (guint i = 0; parts[i]; i++) {
		char *end;

		if (parts[i][0] == '\0')
			continue;
		if (n == 3)
			return -EINVAL;
		errno = 0;
		v[n] = g_ascii_strtod(parts[i], &end);
		if (errno != 0 || *end != '\0' || !isfinite(v[n]))
			return -EINVAL;
		n++;
	}
	if (n != 3 || (v[0] == 0 && v[1] == 0 && v[2] == 0))
		return -EINVAL;
	memcpy(ret, v, sizeof(v));
	return 0;
}

/* "HH:MM" -> minutes after midnight (24:00 allowed as an end). */
static int
parse_clock(const char *s, unsigned *ret)
{
	unsigned h, m;
	char tail;

	if (strlen(s) != 5 || s[2] != ':' || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) ||
	    sscanf(s, "%2u:%2u%c", &h, &m, &tail) != 2 || m > 59 || h > 24 || (h == 24 && m > 0))
		return -EINVAL;
	*ret = h * 60 + m;
	return 0;
}

/* "09:00-17:30" (may span midnight: "22:00-06:00"); "" or "any": always. */
static int
parse_hours(struct sitlog_config *c, const char *s)
{
	g_auto(GStrv) parts = NULL;
	unsigned a, b;

	if (s[0] == '\0' || g_ascii_strcasecmp(s, "any") == 0) {
		c->have_working_hours = false;
		c->work_start_min = c->work_end_min = 0;
		return 0;
	}
	parts = g_strsplit(s, "-", -1);
	if (g_strv_length(parts) != 2 || parse_clock(g_strstrip(parts[0]), &a) < 0 ||
	    parse_clock(g_strstrip(parts[1]), &b) < 0 || a == b)
		return -EINVAL;
	c->have_working_hours = true;
	c->work_start_min = a;
	c->work_end_min = b;
	return 0;
}

static int
day_from_name(const char *s)
{
	for (int d = 1; d <= 7; d++)
		if (g_ascii_strncasecmp(s, day_names[d], 3) == 0 && strlen(s) == 3)
			return d;
	return -EINVAL;
}

/* "Mon-Fri", "Mon,Wed,Fri", "Sat-Sun", "Fri-Mon" (wraps) -> a bit per ISO weekday. */
static int
parse_days(const char *s, unsigned *ret)
{
	g_auto(GStrv) items = g_strsplit(s, ",", -1);
	unsigned mask = 0;

	if (g_ascii_strcasecmp(s, "any") == 0 || s[0] == '\0') {
		*ret = ALL_DAYS;
		return 0;
	}
	for (size_t i = 0; items[i]; i++) {
		g_auto(GStrv) range = g_strsplit(g_strstrip(items[i]), "-", -1);
		guint n = g_strv_length(range);
		int a, b;

		if (n < 1 || n > 2)
			return -EINVAL;
		a = day_from_name(g_strstrip(range[0]));
		b = n == 2 ? day_from_name(g_strstrip(range[1])) : a;
		if (a < 0 || b < 0)
			return -EINVAL;
		for (int d = a;; d = d % 7 + 1) {
			mask |= 1u << d;
			if (d == b)
				break;
		}
	}
	*ret = mask;
	return 0;
}

bool
config_is_working_time(const struct sitlog_config *c, int iso_weekday, unsigned minute_of_day)
{
	unsigned s = c->work_start_min, e = c->work_end_min;
	int day = iso_weekday;

	if (!c->have_working_hours)
		return (c->working_days & (1u << day)) != 0;
	if (s < e)
		return (c->working_days & (1u << day)) && minute_of_day >= s && minute_of_day < e;
	/* across midnight: the early hours belong to the working day that began the evening before */
	if (minute_of_day >= s)
		return (c->working_days & (1u << day)) != 0;
	if (minute_of_day < e) {
		day = day == 1 ? 7 : day - 1;
		return (c->working_days & (1u << day)) != 0;
	}
	return false;
}

/* "must be between 1s and 366d" for a duration outside its row's range, else NULL. */
static char *
duration_out_of_range(const struct value_range *range, usec_t d)
{
	char lo[32], hi[32];

	if ((d == 0 && range->zero_ok) || (d >= range->min && d <= range->max))
		return NULL;
	format_duration_exact(range->min, lo, sizeof(lo));
	format_duration_exact(range->max, hi, sizeof(hi));
	if (range->zero_ok)
		return g_strdup_printf("must be 0 (off) or between %s and %s", lo, hi);
	if (d == 0)
		return g_strdup_printf("must be longer than 0: between %s and %s", lo, hi);
	return g_strdup_printf("must be between %s and %s", lo, hi);
}

static int
parse_value(struct sitlog_config *c, const struct known_key *k, const char *value,
	    const char **ret_why, char **ret_why_owned)
{
	char *field = (char *) c + k->offset;
	int code, r;

	switch (k->kind) {
	case VALUE_DURATION: {
		usec_t d;

		r = parse_duration(value, &d);
		if (r == -ERANGE) {
			/* too large even to be counted: the same message as any other too large */
			d = USEC_INFINITY;
		} else if (r < 0) {
			*ret_why = "expected a duration such as 90s, 10min or 1h";
			return -EINVAL;
		}
		*ret_why_owned = duration_out_of_range(&k->range, d);
		if (*ret_why_owned)
			return -ERANGE;
		memcpy(field, &d, sizeof(d));
		return 0;
	}
	case VALUE_PERCENT: {
		double v;

		if (parse_percent(value, &v) < 0) {
			*ret_why = "expected a percentage from 0% to 100%";
			return -EINVAL;
		}
		memcpy(field, &v, sizeof(v));
		return 0;
	}
	case VALUE_ABS_AXIS:
		code = libevdev_event_code_from_name(EV_ABS, value);
		if (code < 0) {
			*ret_why = "expected an absolute axis name such as ABS_PRESSURE";
			return -EINVAL;
		}
		memcpy(field, &code, sizeof(code));
		return 0;
	case VALUE_SEAT_KEY:
		if (g_str_equal(value, "any")) {
			c->seat_key_type = 0;
			c->seat_key_code = 0;
			return 0;
		}
		code = libevdev_event_code_from_name(EV_KEY, value);
		if (code >= 0) {
			c->seat_key_type = EV_KEY;
			c->seat_key_code = code;
			return 0;
		}
		code = libevdev_event_code_from_name(EV_SW, value);
		if (code >= 0) {
			c->seat_key_type = EV_SW;
			c->seat_key_code = code;
			return 0;
		}
		*ret_why = "expected \"any\" or a key or switch name such as BTN_0 or SW_LID";
		return -EINVAL;
	case VALUE_BOOL: {
		bool b;

		if (g_ascii_strcasecmp(value, "true") == 0 || g_str_equal(value, "1") ||
		    g_ascii_strcasecmp(value, "yes") == 0)
			b = true;
		else if (g_ascii_strcasecmp(value, "false") == 0 || g_str_equal(value, "0") ||
			 g_ascii_strcasecmp(value, "no") == 0)
			b = false;
		else {
			*ret_why = "expected true or false";
			return -EINVAL;
		}
		memcpy(field, &b, sizeof(b));
		return 0;
	}
	case VALUE_COUNT: {
		const struct value_range *range = &k->range;
		char *end = NULL;
		guint64 v = g_ascii_isdigit(value[0]) ? g_ascii_strtoull(value, &end, 10) : 0;
		unsigned u;

		/* strtoull saturates on overflow, which is out of every range */
		if (!end || *end != '\0' || !((v == 0 && range->zero_ok) ||
					     (v >= range->min && v <= range->max))) {
			*ret_why_owned =
				range->zero_ok ?
					g_strdup_printf("expected 0 (off) or a whole number from "
							"%" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
							range->min, range->max) :
					g_strdup_printf("expected a whole number from %" G_GUINT64_FORMAT
							" to %" G_GUINT64_FORMAT,
							range->min, range->max);
			return -EINVAL;
		}
		u = (unsigned) v;
		memcpy(field, &u, sizeof(u));
		return 0;
	}
	case VALUE_HOURS:
		if (parse_hours(c, value) < 0) {
			*ret_why = "expected working hours such as 09:00-17:30 (or \"any\")";
			return -EINVAL;
		}
		return 0;
	case VALUE_DAYS: {
		unsigned mask;

		if (parse_days(value, &mask) < 0) {
			*ret_why = "expected days such as Mon-Fri or Mon,Wed,Fri (or \"any\")";
			return -EINVAL;
		}
		memcpy(field, &mask, sizeof(mask));
		return 0;
	}
	case VALUE_PATH:
		if (value[0] != '/' || strlen(value) >= SITLOG_CONFIG_PATH_MAX) {
			*ret_why_owned = g_strdup_printf("expected an absolute path (below %d bytes)",
							 SITLOG_CONFIG_PATH_MAX);
			return -EINVAL;
		}
		memset(field, 0, SITLOG_CONFIG_PATH_MAX);
		memcpy(field, value, strlen(value));
		return 0;
	case VALUE_CLOCK: {
		unsigned m;
		int v;

		if (g_ascii_strcasecmp(value, "end") == 0) {
			v = -1;
		} else if (parse_clock(value, &m) == 0 && m < 24 * 60) {
			v = (int) m;
		} else {
			*ret_why = "expected a time of day such as 16:30, or \"end\" (the end of the "
				   "working hours)";
			return -EINVAL;
		}
		memcpy(field, &v, sizeof(v));
		return 0;
	}
	case VALUE_AXIS_VECTOR:
		/* what the printer writes for "unset": the axis is learned from walking */
		if (value[0] == '\0' || g_ascii_strcasecmp(value, "auto") == 0) {
			c->imu_have_axis = false;
			memset(c->imu_axis, 0, sizeof(c->imu_axis));
			return 0;
		}
		if (parse_axis_vector(value, c->imu_axis) < 0) {
			*ret_why = "expected X, -Y, Z (a device axis), three numbers such as "
				   "\"0 -1 0\", or auto";
			return -EINVAL;
		}
		c->imu_have_axis = true;
		return 0;
	}
	g_assert_not_reached();
}

static bool
is_device_group(const char *group)
{
	return g_str_has_prefix(group, "Device ") && group[7] != '\0';
}

/* [Device LABEL]: role= and at least one match key. */
static int
parse_device_group(struct sitlog_config *c, GKeyFile *kf, const char *group,
		   const struct line_index *idx, const char *path, char **ret_error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	struct config_device d = {};
	bool any_match = false;

	if (c->n_devices == SITLOG_MAX_DEVICES) {
		*ret_error = g_strdup_printf("%s:%u: more than %d [Device] sections", path,
					     line_of(idx, group, NULL), SITLOG_MAX_DEVICES);
		return -EINVAL;
	}
	if (strlen(group + 7) >= sizeof(d.label)) {
		*ret_error = g_strdup_printf("%s:%u: [Device LABEL]: a label of more than %zu bytes",
					     path, line_of(idx, group, NULL), sizeof(d.label) - 1);
		return -EINVAL;
	}
	g_strlcpy(d.label, group + 7, sizeof(d.label));
	for (size_t k = 0; keys && keys[k]; k++) {
		g_autofree char *value = g_key_file_get_string(kf, group, keys[k], NULL);
		const char *why = NULL;
		unsigned v, p;
		char tail;

		if (!value) {
			/* GKeyFile refuses a bad escape sequence ("\q") */
			*ret_error = g_strdup_printf("%s:%u: %s=: not a valid value (a bad \\ "
						     "escape?)", path, line_of(idx, group, keys[k]),
						     keys[k]);
			return -EINVAL;
		}
		g_strstrip(value);
		if (g_str_equal(keys[k], "role")) {
			if (g_str_equal(value, "seat") || g_str_equal(value, "imu"))
				g_strlcpy(d.role, value, sizeof(d.role));
			else
				why = "expected seat or imu";
		} else if ((g_str_equal(keys[k], "name") || g_str_equal(keys[k], "phys")) &&
			   value[0] == '\0') {
			/* "" would match any device, and the printed form would drop it */
			why = "an empty glob (\"*\" matches any)";
		} else if ((g_str_equal(keys[k], "name") || g_str_equal(keys[k], "phys")) &&
			   strlen(value) >= sizeof(d.name)) {
			/* not cut short: a shorter glob matches other devices */
			why = "longer than 255 bytes";
		} else if (g_str_equal(keys[k], "name")) {
			g_strlcpy(d.name, value, sizeof(d.name));
			any_match = true;
		} else if (g_str_equal(keys[k], "phys")) {
			g_strlcpy(d.phys, value, sizeof(d.phys));
			any_match = true;
		} else if (g_str_equal(keys[k], "id")) {
			if (strlen(value) == 9 && sscanf(value, "%4x:%4x%c", &v, &p, &tail) == 2 &&
			    g_ascii_isxdigit(value[0]) && g_ascii_isxdigit(value[5])) {
				d.have_id = true;
				d.vendor = v;
				d.product = p;
				any_match = true;
			} else {
				why = "expected VENDOR:PRODUCT in hex, such as 1209:5e47";
			}
		} else {
			*ret_error = g_strdup_printf("%s:%u: unknown key \"%s\" in [%s]", path,
						     line_of(idx, group, keys[k]), keys[k], group);
			return -EINVAL;
		}
		if (why) {
			*ret_error = g_strdup_printf("%s:%u: %s=%s: %s", path,
						     line_of(idx, group, keys[k]), keys[k], value, why);
			return -EINVAL;
		}
	}
	if (d.role[0] == '\0' || !any_match) {
		*ret_error = g_strdup_printf("%s:%u: [%s] needs role= and at least one of name=, "
					     "id=, phys=", path, line_of(idx, group, NULL), group);
		return -EINVAL;
	}
	c->devices[c->n_devices++] = d;
	return 0;
}

const struct config_device *
config_match_device(const struct sitlog_config *c, const char *name, unsigned vendor,
		    unsigned product, const char *phys)
{
	for (unsigned i = 0; i < c->n_devices; i++) {
		const struct config_device *d = &c->devices[i];

		if (d->name[0] && !g_pattern_match_simple(d->name, name ? name : ""))
			continue;
		if (d->phys[0] && !g_pattern_match_simple(d->phys, phys ? phys : ""))
			continue;
		if (d->have_id && (d->vendor != vendor || d->product != product))
			continue;
		return d;
	}
	return NULL;
}

static bool
group_known(const char *group)
{
	for (size_t i = 0; i < N_KNOWN_KEYS; i++)
		if (g_str_equal(known_keys[i].group, group))
			return true;
	return false;
}

static const struct known_key *
key_lookup(const char *group, const char *key)
{
	for (size_t i = 0; i < N_KNOWN_KEYS; i++)
		if (g_str_equal(known_keys[i].group, group) && g_str_equal(known_keys[i].key, key))
			return &known_keys[i];
	return NULL;
}

/* What [Locks] sections= can name: every group of the key table, and "Device" for all
 * [Device LABEL] sections. */
static const char *const lockable_sections[] = {
	"Tracking", "Reminders", "Seat", "IMU", "Storage", "Budget", "Device", "Metrics",
};

#define SECTION_DEVICE 6

/* The keys of a [Device LABEL] section, in the printer's order. */
static const char *const device_keys[] = { "role", "name", "id", "phys" };

static int
section_index(const char *section)
{
	for (size_t i = 0; i < G_N_ELEMENTS(lockable_sections); i++)
		if (g_str_equal(lockable_sections[i], section))
			return (int) i;
	return -ENOENT;
}

/* A place in a file; file NULL: the shipped default (or no lock). */
struct place {
	const char *file; /* in config_info.strings */
	unsigned line;
};

struct config_info {
	GStringChunk *strings;
	struct place value[N_KNOWN_KEYS];
	struct place key_lock[N_KNOWN_KEYS];
	struct place section_lock[G_N_ELEMENTS(lockable_sections)];
	/* the lock above is a system file's (config-internal.h: CONFIG_SYSTEM) */
	bool key_lock_system[N_KNOWN_KEYS];
	bool section_lock_system[G_N_ELEMENTS(lockable_sections)];
	struct place device[SITLOG_MAX_DEVICES][5]; /* the section, then device_keys[] */
	GPtrArray *warnings; /* char *, NULL-terminated */
};

struct config_info *
config_info_new(void)
{
	struct config_info *info = g_new0(struct config_info, 1);

	info->strings = g_string_chunk_new(256);
	info->warnings = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(info->warnings, NULL);
	return info;
}

void
config_info_free(struct config_info *info)
{
	if (!info)
		return;
	g_string_chunk_free(info->strings);
	g_ptr_array_unref(info->warnings);
	g_free(info);
}

const char *const *
config_info_get_warnings(const struct config_info *info)
{
	return (const char *const *) info->warnings->pdata;
}

static void G_GNUC_PRINTF(2, 3)
info_warn(struct config_info *info, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* before the terminating NULL */
	g_ptr_array_insert(info->warnings, (int) info->warnings->len - 1,
			   g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

static struct place
info_place(struct config_info *info, const char *file, unsigned line)
{
	return (struct place) { g_string_chunk_insert_const(info->strings, file), line };
}

/* The lock on a key: its own, else its section's; file NULL when there is none. A system
 * file's lock comes before another's. */
static struct place
key_lock_of(const struct config_info *info, size_t k, bool *ret_system)
{
	int s = section_index(known_keys[k].group);
	bool system;

	assert(s >= 0);
	system = info->key_lock_system[k] || info->section_lock_system[s];
	if (ret_system)
		*ret_system = system;
	if (info->key_lock[k].file && (info->key_lock_system[k] || !system))
		return info->key_lock[k];
	return info->section_lock[s];
}

/* Whether a file of this trust may set key k (or a [Device] section, k = -1); when not, the
 * lock that keeps it. */
static bool
may_set(const struct config_info *info, enum config_trust trust, ssize_t k,
	struct place *ret_lock)
{
	struct place lock;
	bool system;

	if (!info || trust == CONFIG_SYSTEM)
		return true;
	if (k < 0) {
		lock = info->section_lock[SECTION_DEVICE];
		system = info->section_lock_system[SECTION_DEVICE];
	} else {
		lock = key_lock_of(info, (size_t) k, &system);
	}
	if (!lock.file || (trust == CONFIG_ADMIN && !system))
		return true;
	*ret_lock = lock;
	return false;
}

int
config_info_get_origin(const struct config_info *info, const char *section, const char *key,
		       struct config_origin *ret)
{
	const struct known_key *known = key_lookup(section, key);
	size_t k;
	struct place lock;

	if (!known)
		return -ENOENT;
	k = (size_t) (known - known_keys);
	lock = key_lock_of(info, k, NULL);
	*ret = (struct config_origin) {
		.file = info->value[k].file,
		.line = info->value[k].line,
		.lock_file = lock.file,
		.lock_line = lock.line,
	};
	return 0;
}

/* [Locks] keys=Section.key ... sections=Section ...: checked always, recorded in info when
 * there is one. The first lock of a key is the one named in messages. */
static int
parse_locks(GKeyFile *kf, const struct line_index *idx, const char *path,
	    struct config_info *info, bool system, char **ret_error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "Locks", NULL, NULL);

	for (size_t k = 0; keys && keys[k]; k++) {
		g_autofree char *value = g_key_file_get_string(kf, "Locks", keys[k], NULL);
		unsigned line = line_of(idx, "Locks", keys[k]);
		bool sections = g_str_equal(keys[k], "sections");
		g_auto(GStrv) items = NULL;

		if (!sections && !g_str_equal(keys[k], "keys")) {
			*ret_error = g_strdup_printf("%s:%u: unknown key \"%s\" in [Locks] (expected "
						     "keys= or sections=)", path, line, keys[k]);
			return -EINVAL;
		}
		items = g_strsplit_set(value ? value : "", " \t,;", -1);
		for (size_t i = 0; items[i]; i++) {
			struct place *lock;
			bool *lock_system;

			if (items[i][0] == '\0')
				continue;
			if (sections) {
				int s = section_index(items[i]);

				if (s < 0) {
					*ret_error = g_strdup_printf(
						"%s:%u: sections=: unknown section \"%s\" (expected "
						"Tracking, Reminders, Seat, IMU, Storage, Budget, Device or Metrics)",
						path, line, items[i]);
					return -EINVAL;
				}
				lock = info ? &info->section_lock[s] : NULL;
				lock_system = info ? &info->section_lock_system[s] : NULL;
			} else {
				g_autofree char *group = g_strdup(items[i]);
				char *dot = strchr(group, '.');
				const struct known_key *known = NULL;

				if (dot) {
					*dot = '\0';
					known = key_lookup(group, dot + 1);
				}
				if (!known) {
					*ret_error = g_strdup_printf(
						"%s:%u: keys=: unknown key \"%s\" (expected "
						"Section.key, such as Reminders.remind_after)",
						path, line, items[i]);
					return -EINVAL;
				}
				lock = info ? &info->key_lock[known - known_keys] : NULL;
				lock_system = info ? &info->key_lock_system[known - known_keys] :
						     NULL;
			}
			/* the first lock is named, a system file's before any other */
			if (lock && (!lock->file || (system && !*lock_system))) {
				*lock = info_place(info, path, line);
				*lock_system = system;
			}
		}
	}
	return 0;
}

/* A UTF-8 byte order mark (editors on other systems write one) is not part of the text. */
static const char *
skip_bom(const char *text)
{
	return g_str_has_prefix(text, "\xEF\xBB\xBF") ? text + 3 : text;
}

/* One file over *c, with what its trust allows (config-internal.h): a value a lock keeps is
 * ignored with a warning. info, when given, learns where each value came from, the locks and
 * the warnings; it is meaningful only when the whole load succeeds. */
static int
load_text(struct sitlog_config *c, struct config_info *info, enum config_trust trust,
	  const char *path, const char *text, char **ret_error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) groups = NULL;
	struct line_index idx = {};
	struct sitlog_config copy = *c;
	g_autofree char *scratch = NULL;
	int r;

	/* messages are optional for callers that only want a yes or no */
	if (!ret_error)
		ret_error = &scratch;
	text = skip_bom(text);
	r = scan_lines(path, text, &idx, ret_error);
	if (r < 0)
		goto out;
	if (!g_key_file_load_from_data(kf, text, (gsize) -1, G_KEY_FILE_NONE, &error)) {
		*ret_error = g_strdup_printf("%s: %s", path, error->message);
		r = -EINVAL;
		goto out;
	}

	groups = g_key_file_get_groups(kf, NULL);
	for (size_t g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = NULL;

		if (g_str_equal(groups[g], "Locks")) {
			if (trust == CONFIG_USER) {
				if (info)
					info_warn(info, "%s:%u: [Locks] is read only from the admin's "
						  "files, ignoring", path,
						  line_of(&idx, groups[g], NULL));
				continue;
			}
			r = parse_locks(kf, &idx, path, info, trust == CONFIG_SYSTEM, ret_error);
			if (r < 0)
				goto out;
			continue;
		}
		if (is_device_group(groups[g])) {
			struct place lock;

			if (!may_set(info, trust, -1, &lock)) {
				info_warn(info, "%s:%u: [%s], locked by %s:%u, ignoring", path,
					  line_of(&idx, groups[g], NULL), groups[g], lock.file,
					  lock.line);
				continue;
			}
			r = parse_device_group(&copy, kf, groups[g], &idx, path, ret_error);
			if (r < 0)
				goto out;
			if (info) {
				struct place *d = info->device[copy.n_devices - 1];

				d[0] = info_place(info, path, line_of(&idx, groups[g], NULL));
				for (size_t k = 0; k < G_N_ELEMENTS(device_keys); k++)
					d[k + 1] = info_place(info, path, line_of(&idx, groups[g],
										   device_keys[k]));
			}
			continue;
		}
		if (!group_known(groups[g])) {
			*ret_error = g_strdup_printf("%s:%u: unknown group [%s]", path,
						     line_of(&idx, groups[g], NULL), groups[g]);
			r = -EINVAL;
			goto out;
		}
		keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (size_t k = 0; keys && keys[k]; k++) {
			const struct known_key *known = key_lookup(groups[g], keys[k]);
			g_autofree char *value = NULL, *why_owned = NULL;
			unsigned line = line_of(&idx, groups[g], keys[k]);
			const char *why = NULL;
			struct place lock;

			if (!known) {
				*ret_error = g_strdup_printf("%s:%u: unknown key \"%s\" in [%s]", path,
							     line, keys[k], groups[g]);
				r = -EINVAL;
				goto out;
			}
			value = g_key_file_get_string(kf, groups[g], keys[k], NULL);
			if (value)
				g_strstrip(value);
			/* a value a lock keeps is not even checked: it is not used */
			if (!may_set(info, trust, known - known_keys, &lock)) {
				info_warn(info, "%s:%u: [%s] %s=%s, locked by %s:%u, ignoring", path,
					  line, groups[g], keys[k], value ? value : "", lock.file,
					  lock.line);
				continue;
			}
			if (!value || parse_value(&copy, known, value, &why, &why_owned) < 0) {
				*ret_error = g_strdup_printf("%s:%u: %s=%s: %s", path, line, keys[k],
							     value ? value : "",
							     why_owned ? why_owned :
							     why ? why : "invalid value");
				r = -EINVAL;
				goto out;
			}
			if (info)
				info->value[known - known_keys] = info_place(info, path, line);
		}
	}

	if (copy.seat_vacant >= copy.seat_occupied) {
		/* this file may set only one of the two, the other coming from a layer before */
		unsigned line = line_of(&idx, "Seat", "vacant");

		*ret_error = g_strdup_printf("%s:%u: [Seat] vacant must be below occupied", path,
					     line ? line : line_of(&idx, "Seat", "occupied"));
		r = -EINVAL;
		goto out;
	}
	*c = copy;
	r = 0;
out:
	line_index_clear(&idx);
	return r;
}

/* Only the [Locks] of a file (config_load_system_locks()); the rest is checked when the file
 * is loaded in its turn. */
static int
load_locks(struct config_info *info, const char *path, const char *text, char **ret_error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	struct line_index idx = {};
	int r;

	text = skip_bom(text);
	r = scan_lines(path, text, &idx, ret_error);
	if (r >= 0 && !g_key_file_load_from_data(kf, text, (gsize) -1, G_KEY_FILE_NONE, &error)) {
		*ret_error = g_strdup_printf("%s: %s", path, error->message);
		r = -EINVAL;
	}
	if (r >= 0 && g_key_file_has_group(kf, "Locks"))
		r = parse_locks(kf, &idx, path, info, true, ret_error);
	line_index_clear(&idx);
	return r < 0 ? r : 0;
}

#define CONFIG_TEXT_MAX (1024 * 1024)

/* A configuration file's text. Never waits on a FIFO or a device: only a regular file is
 * read, and /dev/null (a drop-in masked the systemd way) is empty. -ENOENT: not there. */
static int
read_text(const char *path, char **ret_text, gsize *ret_length, char **ret_error)
{
	g_autoptr(GString) text = NULL;
	struct stat st;
	char buf[8192];
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT)
			*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-r));
	} else if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) {
		st.st_size = 0; /* /dev/null */
	} else if (!S_ISREG(st.st_mode)) {
		*ret_error = g_strdup_printf("%s: not a regular file", path);
		r = -EINVAL;
	}
	text = g_string_new(NULL);
	while (r == 0 && st.st_size > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-r));
		} else if (n == 0) {
			break;
		} else if (text->len + (size_t) n > CONFIG_TEXT_MAX) {
			*ret_error = g_strdup_printf("%s: larger than %d KiB", path,
						     CONFIG_TEXT_MAX / 1024);
			r = -EFBIG;
		} else {
			g_string_append_len(text, buf, n);
		}
	}
	close(fd);
	if (r < 0)
		return r;
	*ret_length = text->len;
	*ret_text = g_string_free(g_steal_pointer(&text), FALSE);
	return 0;
}

static int
load_file(struct sitlog_config *c, struct config_info *info, enum config_trust trust,
	  const char *path, bool locks_only, char **ret_error)
{
	g_autofree char *text = NULL, *scratch = NULL;
	const char *nul;
	gsize length;
	int r;

	if (!ret_error)
		ret_error = &scratch;
	r = read_text(path, &text, &length, ret_error);
	if (r < 0)
		return r;
	/* the text would end at the NUL: what follows it would be dropped without a word */
	nul = memchr(text, '\0', length);
	if (nul) {
		unsigned line = 1;

		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		*ret_error = g_strdup_printf("%s:%u: a NUL byte", path, line);
		return -EINVAL;
	}
	if (locks_only)
		return load_locks(info, path, text, ret_error);
	return load_text(c, info, trust, path, text, ret_error);
}

int
config_load_file(struct sitlog_config *c, const char *path, char **ret_error)
{
	return load_file(c, NULL, CONFIG_SYSTEM, path, false, ret_error);
}

int
config_load_data(struct sitlog_config *c, const char *path, const char *text, char **ret_error)
{
	return load_text(c, NULL, CONFIG_SYSTEM, path, text, ret_error);
}

int
config_load_file_as(struct sitlog_config *c, struct config_info *info, enum config_trust trust,
		    const char *path, char **ret_error)
{
	return load_file(c, info, trust, path, false, ret_error);
}

int
config_load_system_locks(struct config_info *info, const char *path, char **ret_error)
{
	return load_file(NULL, info, CONFIG_SYSTEM, path, true, ret_error);
}

void
config_finish(struct sitlog_config *c, const struct config_info *info)
{
	const struct known_key *pause = key_lookup("Reminders", "pause");
	const struct known_key *snooze = key_lookup("Reminders", "snooze");

	c->pause_max = key_lock_of(info, (size_t) (pause - known_keys), NULL).file ? c->pause : 0;
	c->snooze_max = key_lock_of(info, (size_t) (snooze - known_keys), NULL).file ? c->snooze :
										      0;
}

/* The printer: one value in the file's syntax. */

static const char *const day_display[] = { NULL, "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static void
append_double(GString *out, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	/* 15 digits: what was written (0.1, 30%) comes back, not its binary tail; and never the
	 * locale's decimal comma */
	g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.15g", v));
}

static void
format_days(GString *out, unsigned mask)
{
	bool first = true;

	if ((mask & ALL_DAYS) == ALL_DAYS) {
		g_string_append(out, "any");
		return;
	}
	for (int d = 1; d <= 7; d++) {
		int e = d;

		if (!(mask & (1u << d)))
			continue;
		while (e < 7 && (mask & (1u << (e + 1))))
			e++;
		g_string_append_printf(out, "%s%s", first ? "" : ",", day_display[d]);
		if (e > d)
			g_string_append_printf(out, "-%s", day_display[e]);
		first = false;
		d = e;
	}
}

static void
format_value(GString *out, const struct sitlog_config *c, const struct known_key *k)
{
	const char *field = (const char *) c + k->offset;
	char buf[64];

	switch (k->kind) {
	case VALUE_DURATION: {
		usec_t d;

		memcpy(&d, field, sizeof(d));
		format_duration_exact(d, buf, sizeof(buf));
		g_string_append(out, buf);
		return;
	}
	case VALUE_PERCENT: {
		double v;

		memcpy(&v, field, sizeof(v));
		append_double(out, v * 100);
		g_string_append_c(out, '%');
		return;
	}
	case VALUE_ABS_AXIS: {
		int code;
		const char *name;

		memcpy(&code, field, sizeof(code));
		name = libevdev_event_code_get_name(EV_ABS, (unsigned) code);
		if (name)
			g_string_append(out, name);
		else
			g_string_append_printf(out, "%d", code);
		return;
	}
	case VALUE_SEAT_KEY: {
		const char *name = c->seat_key_type ?
			libevdev_event_code_get_name((unsigned) c->seat_key_type,
						     (unsigned) c->seat_key_code) : "any";

		g_string_append(out, name ? name : "any");
		return;
	}
	case VALUE_AXIS_VECTOR: {
		int axis = -1, nonzero = 0;

		if (!c->imu_have_axis) {
			g_string_append(out, "auto");
			return;
		}
		for (int i = 0; i < 3; i++)
			if (c->imu_axis[i] != 0) {
				nonzero++;
				axis = i;
			}
		if (nonzero == 1 && fabs(c->imu_axis[axis]) == 1) {
			g_string_append_printf(out, "%s%c", c->imu_axis[axis] < 0 ? "-" : "",
					       'X' + axis);
			return;
		}
		for (int i = 0; i < 3; i++) {
			if (i > 0)
				g_string_append_c(out, ' ');
			append_double(out, c->imu_axis[i]);
		}
		return;
	}
	case VALUE_BOOL: {
		bool b;

		memcpy(&b, field, sizeof(b));
		g_string_append(out, b ? "true" : "false");
		return;
	}
	case VALUE_COUNT: {
		unsigned u;

		memcpy(&u, field, sizeof(u));
		g_string_append_printf(out, "%u", u);
		return;
	}
	case VALUE_HOURS:
		if (!c->have_working_hours)
			g_string_append(out, "any");
		else
			g_string_append_printf(out, "%02u:%02u-%02u:%02u", c->work_start_min / 60,
					       c->work_start_min % 60, c->work_end_min / 60,
					       c->work_end_min % 60);
		return;
	case VALUE_DAYS: {
		unsigned mask;

		memcpy(&mask, field, sizeof(mask));
		format_days(out, mask);
		return;
	}
	case VALUE_PATH:
		g_string_append(out, field);
		return;
	case VALUE_CLOCK: {
		int v;

		memcpy(&v, field, sizeof(v));
		if (v < 0)
			g_string_append(out, "end");
		else
			g_string_append_printf(out, "%02d:%02d", v / 60, v % 60);
		return;
	}
	}
	g_assert_not_reached();
}

/* GKeyFile's escapes, so that the text reads back as the same string. */
static void
append_keyfile_string(GString *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		default:
			g_string_append_c(out, *s);
		}
	}
}

/* One printed entry: section, key, value and where they come from. */
struct entry {
	const char *section;
	const char *key;
	const char *value;
	struct place origin;
	struct place lock;
	const struct known_key *known; /* NULL for [Device] keys */
};

/* "FILE:LINE" in a comment of the text form: a file name is bytes, and one with a newline
 * would end the comment and forge a line, so control characters, backslashes and bytes that
 * are not UTF-8 are written as \xHH. */
static void
append_place(GString *out, struct place p)
{
	for (const char *c = p.file; *c;) {
		gunichar u = g_utf8_get_char_validated(c, -1);

		if (u == (gunichar) -1 || u == (gunichar) -2 || u < 0x20 || u == 0x7f || u == '\\') {
			g_string_append_printf(out, "\\x%02x", (unsigned char) *c);
			c++;
		} else {
			const char *next = g_utf8_next_char(c);

			g_string_append_len(out, c, next - c);
			c = next;
		}
	}
	g_string_append_printf(out, ":%u", p.line);
}

/* "# FILE:LINE[, locked by FILE:LINE]" on a line of its own: GKeyFile has no comments after
 * a value, and the text must read back. */
static void
emit_source_comment(GString *out, struct place origin, struct place lock)
{
	g_string_append(out, "# ");
	if (origin.file)
		append_place(out, origin);
	else
		g_string_append(out, "default");
	if (lock.file) {
		g_string_append(out, ", locked by ");
		append_place(out, lock);
	}
	g_string_append_c(out, '\n');
}

static void
emit_text(GString *out, const struct entry *e)
{
	emit_source_comment(out, e->origin, e->lock);
	g_string_append_printf(out, "%s=", e->key);
	append_keyfile_string(out, e->value);
	g_string_append_c(out, '\n');
}

static void
json_member_string(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value) {
		/* file names are bytes; json-glib takes UTF-8 */
		g_autofree char *valid = json_util_valid_utf8(value);

		json_builder_add_string_value(b, valid);
	} else {
		json_builder_add_null_value(b);
	}
}

static void
emit_json(JsonBuilder *b, const struct entry *e)
{
	json_builder_begin_object(b);
	json_member_string(b, "section", e->section);
	json_member_string(b, "key", e->key);
	json_member_string(b, "value", e->value);
	if (e->origin.file) {
		g_autofree char *source = g_strdup_printf("%s:%u", e->origin.file, e->origin.line);

		json_member_string(b, "source", source);
		json_member_string(b, "file", e->origin.file);
		json_builder_set_member_name(b, "line");
		json_builder_add_int_value(b, e->origin.line);
	} else {
		json_member_string(b, "source", "default");
		json_member_string(b, "file", NULL);
		json_builder_set_member_name(b, "line");
		json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "locked");
	json_builder_add_boolean_value(b, e->lock.file != NULL);
	if (e->lock.file) {
		g_autofree char *by = g_strdup_printf("%s:%u", e->lock.file, e->lock.line);

		json_member_string(b, "locked_by", by);
	} else {
		json_member_string(b, "locked_by", NULL);
	}
	if (e->known && (e->known->kind == VALUE_DURATION || e->known->kind == VALUE_COUNT)) {
		char lo[32], hi[32];

		if (e->known->kind == VALUE_DURATION) {
			format_duration_exact(e->known->range.min, lo, sizeof(lo));
			format_duration_exact(e->known->range.max, hi, sizeof(hi));
		} else {
			g_snprintf(lo, sizeof(lo), "%" G_GUINT64_FORMAT, e->known->range.min);
			g_snprintf(hi, sizeof(hi), "%" G_GUINT64_FORMAT, e->known->range.max);
		}
		json_member_string(b, "min", lo);
		json_member_string(b, "max", hi);
		json_builder_set_member_name(b, "zero_ok");
		json_builder_add_boolean_value(b, e->known->range.zero_ok);
	}
	json_builder_end_object(b);
}

/* JSON (b not NULL) or text */
static void
emit(GString *out, JsonBuilder *b, const struct entry *e)
{
	if (b)
		emit_json(b, e);
	else
		emit_text(out, e);
}

/* "FILE:LINE" onto a ", "-separated list, once. */
static void
append_place_once(GString *list, struct place p)
{
	g_autoptr(GString) item = g_string_new(NULL);
	g_auto(GStrv) items = g_strsplit(list->str, ", ", -1);

	append_place(item, p);
	if (g_strv_contains((const char *const *) items, item->str))
		return;
	g_string_append_printf(list, "%s%s", list->len ? ", " : "", item->str);
}

static void
emit_locks_text(GString *out, const struct config_info *info)
{
	g_autoptr(GString) keys = g_string_new(NULL);
	g_autoptr(GString) sections = g_string_new(NULL);
	g_autoptr(GString) from_keys = g_string_new(NULL);
	g_autoptr(GString) from_sections = g_string_new(NULL);

	for (size_t k = 0; k < N_KNOWN_KEYS; k++) {
		if (!info->key_lock[k].file)
			continue;
		g_string_append_printf(keys, "%s%s.%s", keys->len ? " " : "", known_keys[k].group,
				       known_keys[k].key);
		append_place_once(from_keys, info->key_lock[k]);
	}
	for (size_t s = 0; s < G_N_ELEMENTS(lockable_sections); s++) {
		if (!info->section_lock[s].file)
			continue;
		g_string_append_printf(sections, "%s%s", sections->len ? " " : "",
				       lockable_sections[s]);
		append_place_once(from_sections, info->section_lock[s]);
	}
	if (!keys->len && !sections->len)
		return;
	g_string_append(out, "\n[Locks]\n");
	if (keys->len)
		g_string_append_printf(out, "keys=%s\n# from %s\n", keys->str, from_keys->str);
	if (sections->len)
		g_string_append_printf(out, "sections=%s\n# from %s\n", sections->str,
				       from_sections->str);
}

char *
config_format(const struct sitlog_config *c, const struct config_info *info,
	      enum config_format format)
{
	GString *out = g_string_new(NULL);
	g_autoptr(JsonBuilder) b = format == CONFIG_FORMAT_JSON ? json_builder_new() : NULL;
	const char *group = NULL;

	assert(info);
	if (b) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "values");
		json_builder_begin_array(b);
	} else
		g_string_append(out, "# The effective configuration (sitlog.conf(5)): above each "
				     "value the file and line\n# it comes from, or \"default\", and "
				     "its lock.\n");
	for (size_t k = 0; k < N_KNOWN_KEYS; k++) {
		g_autoptr(GString) value = g_string_new(NULL);
		struct entry e;

		format_value(value, c, &known_keys[k]);
		e = (struct entry) {
			.section = known_keys[k].group,
			.key = known_keys[k].key,
			.value = value->str,
			.origin = info->value[k],
			.lock = key_lock_of(info, k, NULL),
			.known = &known_keys[k],
		};
		if (format == CONFIG_FORMAT_TEXT && g_strcmp0(group, e.section) != 0)
			g_string_append_printf(out, "%s[%s]\n", group ? "\n" : "", e.section);
		group = e.section;
		emit(out, b, &e);
	}
	for (unsigned i = 0; i < c->n_devices; i++) {
		const struct config_device *d = &c->devices[i];
		g_autofree char *section = g_strdup_printf("Device %s", d->label);
		g_autofree char *id = g_strdup_printf("%04x:%04x", d->vendor, d->product);
		const struct entry base = {
			.section = section,
			.origin = info->device[i][0],
			.lock = info->section_lock[SECTION_DEVICE],
		};
		const char *values[] = { d->role, d->name, d->have_id ? id : "", d->phys };
		struct entry e;

		if (format == CONFIG_FORMAT_TEXT) {
			g_string_append_c(out, '\n');
			emit_source_comment(out, base.origin, base.lock);
			g_string_append_printf(out, "[%s]\n", section);
		}
		for (size_t k = 0; k < G_N_ELEMENTS(device_keys); k++) {
			if (!values[k][0])
				continue;
			e = base;
			e.key = device_keys[k];
			e.value = values[k];
			e.origin = info->device[i][k + 1];
			emit(out, b, &e);
		}
	}
	if (b) {
		g_autoptr(JsonNode) root = NULL;

		json_builder_end_array(b);
		json_builder_end_object(b);
		root = json_builder_get_root(b);
		json_util_append(out, root);
		g_string_append_c(out, '\n');
	} else {
		emit_locks_text(out, info);
	}
	return g_string_free(out, FALSE);
}
