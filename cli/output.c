/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json-util.h"
#include "output.h"
#include "report.h"
#include "time-parse.h"
#include "verbs.h"

char *
output_valid_utf8(const char *s)
{
	return json_util_valid_utf8(s);
}

void
output_json_append(GString *out, JsonNode *root)
{
	json_util_append(out, root);
}

void
output_json_node(GString *out, JsonNode *root)
{
	output_json_append(out, root);
	g_string_append_c(out, '\n');
}

int
output_color_parse(const char *s, enum output_color *ret)
{
	if (!s || g_str_equal(s, "auto"))
		*ret = OUTPUT_COLOR_AUTO;
	else if (g_str_equal(s, "always"))
		*ret = OUTPUT_COLOR_ALWAYS;
	else if (g_str_equal(s, "never"))
		*ret = OUTPUT_COLOR_NEVER;
	else
		return -EINVAL;
	return 0;
}

bool
output_color_enabled(enum output_color mode)
{
	const char *no_color = g_getenv("NO_COLOR");
	const char *term = g_getenv("TERM");

	if (mode != OUTPUT_COLOR_AUTO)
		return mode == OUTPUT_COLOR_ALWAYS;
	if (no_color && no_color[0])
		return false;
	if (!term || !term[0] || g_str_equal(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

bool
output_utf8(void)
{
	return g_get_charset(NULL);
}

void
output_pad(GString *out, const char *s, int width, bool right)
{
	long n = g_utf8_validate(s, -1, NULL) ? g_utf8_strlen(s, -1) : (long) strlen(s);

	if (!right)
		g_string_append(out, s);
	for (long i = n; i < width; i++)
		g_string_append_c(out, ' ');
	if (right)
		g_string_append(out, s);
}

void
output_sgr(GString *out, const struct output_style *st, const char *code)
{
	if (st->color)
		g_string_append_printf(out, "\033[%sm", code);
}

void
output_sgr_reset(GString *out, const struct output_style *st)
{
	if (st->color)
		g_string_append(out, "\033[0m");
}

void
output_json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *) (s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
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
			if (*p < 0x20)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char) *p);
		}
	}
	g_string_append_c(out, '"');
}

void
output_csv_field(GString *out, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		g_string_append(out, s);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

char *
output_iso8601_ms(int64_t ms)
{
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int millis = (int) (ms - sec * 1000);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(sec);
	g_autofree char *base = NULL, *offset = NULL;

	if (!dt)
		return g_strdup("invalid");
	base = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
	offset = g_date_time_format(dt, "%:z");
	return g_strdup_printf("%s.%03d%s", base, millis, offset);
}

int
output_flush(GString *out)
{
	size_t done = 0;

	while (done < out->len) {
		ssize_t n = write(STDOUT_FILENO, out->str + done, out->len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t) n;
	}
	g_string_truncate(out, 0);
	return 0;
}

void
output_range_entries(struct output_range_opts *o, GOptionEntry ret[6])
{
	const GOptionEntry entries[6] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &o->since,
		  "First day (YYYY-MM-DD, today, yesterday; default: today)", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &o->until,
		  "Last day, inclusive (default: today)", "DATE" },
		{ "week", 0, 0, G_OPTION_ARG_NONE, &o->week,
		  "The 7 days up to --until (default: today), both included", NULL },
		{ "month", 0, 0, G_OPTION_ARG_NONE, &o->month,
		  "The calendar month up to --until (default: this month so far)", NULL },
		{ "days", 0, 0, G_OPTION_ARG_INT, &o->days,
		  "The N days up to --until (default: today), both included", "N" },
		{ NULL }
	};

	o->days = G_MININT;
	memcpy(ret, entries, sizeof(entries));
}

void
output_range_opts_clear(struct output_range_opts *o)
{
	g_clear_pointer(&o->since, g_free);
	g_clear_pointer(&o->until, g_free);
}

int
output_parse_date_option(const char *verb, const char *opt, const char *s, GDate *ret)
{
	int64_t unused;
	int r = time_parse_local(s, TIME_PARSE_DATE | TIME_PARSE_DAY_WORD, g_get_real_time(),
				 &unused, ret);

	if (r == -ERANGE)
		cli_error("%s: %s %s: out of range (1970-01-01 to 2099-12-31)", verb, opt, s);
	else if (r < 0)
		cli_error("%s: %s %s: not a date (want YYYY-MM-DD)", verb, opt, s);
	return r < 0 ? -EINVAL : 0;
}

int
output_range_parse(GOptionContext *oc, const char *verb, int *argc, char ***argv,
		   struct output_range_opts *o, GDate *ret_since, GDate *ret_until,
		   char *const *format, char *const *color, enum output_color *ret_color)
{
	g_autoptr(GError) error = NULL;
	int r;

	if (!g_option_context_parse(oc, argc, argv, &error)) {
		cli_error("%s: %s", verb, error->message);
		output_range_opts_clear(o);
		return -EINVAL;
	}
	if (*argc > 1) {
		cli_error("%s: unexpected argument \"%s\"", verb, (*argv)[1]);
		output_range_opts_clear(o);
		return -EINVAL;
	}
	r = output_range_resolve(verb, o, ret_since, ret_until);
	output_range_opts_clear(o);
	if (r < 0)
		return r;
	if (*format && !g_str_equal(*format, "table") && !g_str_equal(*format, "json") &&
	    !g_str_equal(*format, "csv")) {
		cli_error("%s: --format %s: want table, json or csv", verb, *format);
		return -EINVAL;
	}
	if (output_color_parse(*color, ret_color) < 0) {
		cli_error("%s: --color %s: want auto, always or never", verb, *color);
		return -EINVAL;
	}
	return 0;
}

int
output_range_resolve(const char *verb, const struct output_range_opts *o, GDate *ret_since,
		     GDate *ret_until)
{
	unsigned n_spans = (o->week ? 1 : 0) + (o->month ? 1 : 0) + (o->days != G_MININT ? 1 : 0);
	GDate since, until, first;

	if (n_spans > 1) {
		cli_error("%s: --week, --month and --days cannot go together", verb);
		return -EINVAL;
	}
	if (n_spans && o->since) {
		cli_error("%s: --since cannot go with --%s", verb,
			  o->week ? "week" : o->month ? "month" : "days");
		return -EINVAL;
	}
	if (o->days != G_MININT && (o->days < 1 || o->days > 36600)) {
		cli_error("%s: --days %d: want a number of days from 1 to 36600", verb, o->days);
		return -EINVAL;
	}
	if (output_parse_date_option(verb, "--until", o->until ? o->until : "today", &until) < 0)
		return -EINVAL;
	if (o->week || o->days != G_MININT) {
		since = until;
		g_date_subtract_days(&since, o->week ? 6 : (guint) o->days - 1);
	} else if (o->month) {
		since = until;
		g_date_set_day(&since, 1);
	} else if (o->since) {
		if (output_parse_date_option(verb, "--since", o->since, &since) < 0)
			return -EINVAL;
	} else {
		since = until; /* only --until: that one day */
	}
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, 1, G_DATE_JANUARY, 1970);
	if (g_date_compare(&since, &first) < 0) {
		cli_error("%s: the range would begin before 1970", verb);
		return -EINVAL;
	}
	if (g_date_compare(&since, &until) > 0) {
		if (o->until)
			cli_error("%s: --until %s is before --since %s", verb, o->until, o->since);
		else
			cli_error("%s: --since %s is after today", verb, o->since);
		return -EINVAL;
	}
	*ret_since = since;
	*ret_until = until;
	return 0;
}

void
output_store_open_error(int r, const char *path, const char *error)
{
	if (r == -ENOENT)
		cli_error("no data yet (no database at %s); is sitlogd running? `systemctl --user "
			  "status sitlogd`", path);
	else
		cli_error("%s", error);
}

char *
output_clock_after(int64_t start_ms, int64_t end_ms)
{
	g_autoptr(GDateTime) a = g_date_time_new_from_unix_local(start_ms / 1000);
	g_autoptr(GDateTime) b = g_date_time_new_from_unix_local(end_ms / 1000);
	g_autofree char *clock = NULL;
	GDate da, db;
	int y, m, d, days;

	if (!a || !b)
		return g_strdup("?");
	clock = g_date_time_format(b, "%H:%M");
	g_date_time_get_ymd(a, &y, &m, &d);
	g_date_clear(&da, 1);
	g_date_set_dmy(&da, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
	g_date_time_get_ymd(b, &y, &m, &d);
	g_date_clear(&db, 1);
	g_date_set_dmy(&db, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
	days = g_date_days_between(&da, &db);
	if (days <= 0)
		return g_steal_pointer(&clock);
	return g_strdup_printf("%s+%dd", clock, days);
}
