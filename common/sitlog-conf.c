/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <errno.h>
#include <glib.h>
#include <libevdev/libevdev.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
		.imu_sample_interval = 100 * USEC_PER_MSEC,
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

		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '[') {
			size_t l = strlen(line);

			if (l < 3 || line[l - 1] != ']') {
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
		*eq = '\0';
		g_strstrip(line);
		g_hash_table_insert(idx->lines, g_strdup_printf("%s\n%s", group, line),
				    GUINT_TO_POINTER(lineno));
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
};

/* Each duration's range (sitlogd(1), CONFIGURATION): SITLOG_DURATION_MIN..MAX unless its row
 * says otherwise. zero_ok: 0 is allowed besides the range (it means "off"). */
struct duration_range {
	usec_t min, max;
	bool zero_ok;
};

#define DEFAULT_RANGE { SITLOG_DURATION_MIN, SITLOG_DURATION_MAX, false }

static const struct known_key {
	const char *group;
	const char *key;
	enum value_kind kind;
	size_t offset;
	struct duration_range range; /* VALUE_DURATION only */
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
	  offsetof(struct sitlog_config, escalate_after) },
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
};

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
duration_out_of_range(const struct duration_range *range, usec_t d)
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
		char *end = NULL;
		guint64 v = g_ascii_isdigit(value[0]) ? g_ascii_strtoull(value, &end, 10) : 0;
		unsigned u = (unsigned) v;

		if (!end || *end != '\0' || v > 1000) {
			*ret_why = "expected a whole number from 0 to 1000";
			return -EINVAL;
		}
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
	case VALUE_AXIS_VECTOR:
		if (parse_axis_vector(value, c->imu_axis) < 0) {
			*ret_why = "expected X, -Y, Z (a device axis) or three numbers such as "
				   "\"0 -1 0\"";
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
	g_strlcpy(d.label, group + 7, sizeof(d.label));
	for (size_t k = 0; keys && keys[k]; k++) {
		g_autofree char *value = g_strstrip(g_key_file_get_string(kf, group, keys[k], NULL));
		const char *why = NULL;
		unsigned v, p;
		char tail;

		if (g_str_equal(keys[k], "role")) {
			if (g_str_equal(value, "seat") || g_str_equal(value, "imu"))
				g_strlcpy(d.role, value, sizeof(d.role));
			else
				why = "expected seat or imu";
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
	for (size_t i = 0; i < G_N_ELEMENTS(known_keys); i++)
		if (g_str_equal(known_keys[i].group, group))
			return true;
	return false;
}

static const struct known_key *
key_lookup(const char *group, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(known_keys); i++)
		if (g_str_equal(known_keys[i].group, group) && g_str_equal(known_keys[i].key, key))
			return &known_keys[i];
	return NULL;
}

int
config_load_file(struct sitlog_config *c, const char *path, char **ret_error)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error)) {
		if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return -ENOENT;
		if (ret_error)
			*ret_error = g_strdup_printf("%s: %s", path, error->message);
		return -EIO;
	}
	return config_load_data(c, path, text, ret_error);
}

int
config_load_data(struct sitlog_config *c, const char *path, const char *text, char **ret_error)
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

		if (is_device_group(groups[g])) {
			r = parse_device_group(&copy, kf, groups[g], &idx, path, ret_error);
			if (r < 0)
				goto out;
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
			const char *why = NULL;

			if (!known) {
				*ret_error = g_strdup_printf("%s:%u: unknown key \"%s\" in [%s]", path,
							     line_of(&idx, groups[g], keys[k]),
							     keys[k], groups[g]);
				r = -EINVAL;
				goto out;
			}
			value = g_key_file_get_string(kf, groups[g], keys[k], NULL);
			if (!value ||
			    parse_value(&copy, known, g_strstrip(value), &why, &why_owned) < 0) {
				*ret_error = g_strdup_printf("%s:%u: %s=%s: %s", path,
							     line_of(&idx, groups[g], keys[k]),
							     keys[k], value ? value : "",
							     why_owned ? why_owned :
							     why ? why : "invalid value");
				r = -EINVAL;
				goto out;
			}
		}
	}

	if (copy.seat_vacant >= copy.seat_occupied) {
		*ret_error = g_strdup_printf("%s:%u: [Seat] vacant must be below occupied", path,
					     line_of(&idx, "Seat", "vacant"));
		r = -EINVAL;
		goto out;
	}
	*c = copy;
	r = 0;
out:
	line_index_clear(&idx);
	return r;
}

int
config_load_default(struct sitlog_config *c, char **ret_error)
{
	const char *const *dirs = g_get_system_config_dirs();
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	struct sitlog_config copy;
	guint n;

	config_init(&copy);
	/* Lowest priority first: the system dirs are listed most important first. */
	for (n = 0; dirs[n]; n++)
		;
	while (n-- > 0)
		g_ptr_array_add(paths, g_build_filename(dirs[n], "sitlog", "sitlog.conf", NULL));
	g_ptr_array_add(paths, g_build_filename(g_get_user_config_dir(), "sitlog", "sitlog.conf",
						NULL));
	for (guint i = 0; i < paths->len; i++) {
		int r = config_load_file(&copy, paths->pdata[i], ret_error);

		if (r < 0 && r != -ENOENT)
			return r;
	}
	*c = copy;
	return 0;
}

int
sitlog_config_load(const char *opt_config, struct sitlog_config *ret, char **ret_error)
{
	g_autofree char *error = NULL;
	struct sitlog_config c;
	int r;

	assert(ret_error);
	if (!opt_config) {
		r = config_load_default(&c, &error);
	} else {
		config_init(&c);
		r = config_load_file(&c, opt_config, &error);
		if (r == -ENOENT)
			error = g_strdup_printf("%s: no such configuration file", opt_config);
	}
	if (r < 0) {
		*ret_error = error ? g_steal_pointer(&error) : g_strdup(g_strerror(-r));
		return r;
	}
	*ret = c;
	return 0;
}
