/* SPDX-License-Identifier: MIT */
/*
 * sitlog report: the figures of cli/report.h shown as a table (a summary; for more than a day a
 * table by day with a bar of sitting hours and an hour-of-day strip; for a day the bouts),
 * JSON (json-glib, "version": 1) or CSV. The layout is documented in sitlog(1); nothing here
 * is computed from the store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercises.h"
#include "output.h"
#include "plot.h"
#include "report.h"
#include "time-parse.h"
#include "verbs.h"

#define REPORT_JSON_VERSION 1

static const char *const class_keys[_REPORT_CLASS_MAX] = {
	"under_30", "30_to_60", "60_to_90", "90_or_more",
};

struct view {
	struct output_style st;
	usec_t prolonged;
	usec_t break_min;
	usec_t upright_per_day;
};

/* The writers of the per-day rows: the table, CSV and JSON have a row for each of thousands
 * of days, so a row is put together by hand in a buffer rather than by printf (the output is
 * the same as "%u", "%s" and friends would give). */

static char *
put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* v in decimal at the end of tmp[24], two digits at a time; returns where it begins. */
static char *
decimal(char tmp[24], uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
				    "31323334353637383940414243444546474849505152535455565758596061"
				    "6263646566676869707172737475767778798081828384858687888990919293"
				    "949596979899";
	char *b = tmp + 24;

	while (v >= 100) {
		unsigned k = (unsigned) (v % 100) * 2;

		v /= 100;
		*--b = pairs[k + 1];
		*--b = pairs[k];
	}
	if (v >= 10) {
		*--b = pairs[v * 2 + 1];
		*--b = pairs[v * 2];
	} else {
		*--b = (char) ('0' + v);
	}
	return b;
}

/* v in decimal at p; returns the end. */
static char *
put_uint(char *p, uint64_t v)
{
	char tmp[24], *b = decimal(tmp, v);

	return put_mem(p, b, (size_t) (tmp + 24 - b));
}

static char *
put_int(char *p, int64_t v)
{
	if (v >= 0)
		return put_uint(p, (uint64_t) v);
	*p++ = '-';
	return put_uint(p, -(uint64_t) v);
}

static char *
put_2digits(char *p, unsigned v)
{
	*p++ = (char) ('0' + v / 10 % 10);
	*p++ = (char) ('0' + v % 10);
	return p;
}

/* s (ASCII: one column a byte) and blanks up to width, left- or right-aligned. */
static char *
put_padded(char *p, const char *s, size_t n, size_t width, bool right)
{
	size_t blanks = n < width ? width - n : 0;

	if (right)
		for (size_t i = 0; i < blanks; i++)
			*p++ = ' ';
	p = put_mem(p, s, n);
	if (!right)
		for (size_t i = 0; i < blanks; i++)
			*p++ = ' ';
	return p;
}

static char *
put_sgr(char *p, const struct output_style *st, const char *code)
{
	if (st->color) {
		p = put_mem(p, "\033[", 2);
		p = put_mem(p, code, strlen(code));
		*p++ = 'm';
	}
	return p;
}

static char *
put_sgr_reset(char *p, const struct output_style *st)
{
	return st->color ? put_mem(p, "\033[0m", 4) : p;
}

/* YYYY-MM-DD, as g_date_strftime("%Y-%m-%d") has it; returns the end. */
static char *
put_date(char *p, const GDate *d)
{
	p = put_uint(p, g_date_get_year(d));
	*p++ = '-';
	p = put_2digits(p, g_date_get_month(d));
	*p++ = '-';
	return put_2digits(p, g_date_get_day(d));
}

/* Room for n more bytes in out, at once rather than by doubling. */
static void
reserve(GString *out, gsize n)
{
	gsize len = out->len;

	g_string_set_size(out, len + n);
	g_string_truncate(out, len);
}

static void
date_string(const GDate *d, char *buf, size_t size)
{
	char tmp[32], *end = put_date(tmp, d);

	*end = '\0';
	g_strlcpy(buf, tmp, size);
}

static const char *
weekday(const GDate *d)
{
	static const char *const names[] = { "?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	GDateWeekday w = g_date_get_weekday(d);

	return names[w <= G_DATE_SUNDAY ? w : 0];
}

static void
hhmm(int64_t ms, char *buf, size_t size)
{
	g_autofree char *s = time_format_local(ms * 1000, "%H:%M");

	g_strlcpy(buf, s, size);
}

static void
dur(int64_t seconds, char *buf, size_t size)
{
	format_duration((usec_t) MAX(seconds, 0) * USEC_PER_SEC, buf, size);
}

/* The nearest whole number of a / b (b > 0), halves away from zero. */
static int64_t
div_round(int64_t a, int64_t b)
{
	return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

static unsigned
at_least(const struct report_figures *f, enum report_class c)
{
	unsigned n = 0;

	for (int k = c; k < _REPORT_CLASS_MAX; k++)
		n += f->bouts_by_class[k];
	return n;
}

/* "≥" or ">=" */
static const char *
ge(const struct view *v)
{
	return v->st.utf8 ? "\u2265" : ">=";
}

static void
label(GString *out, const struct view *v G_GNUC_UNUSED, const char *s)
{
	g_string_append(out, s);
	for (size_t i = strlen(s); i < 12; i++)
		g_string_append_c(out, ' ');
}

/* "42 min" or "1h 05m" for a signed number of minutes, sign included ("−" on UTF-8). */
static void
signed_minutes(GString *out, const struct view *v, int64_t minutes)
{
	int64_t m = minutes < 0 ? -minutes : minutes;

	if (minutes < 0)
		g_string_append(out, v->st.utf8 ? "\u2212" : "-");
	else if (minutes > 0)
		g_string_append_c(out, '+');
	if (m >= 60)
		g_string_append_printf(out, "%" G_GINT64_FORMAT "h %02" G_GINT64_FORMAT "m", m / 60,
				       m % 60);
	else
		g_string_append_printf(out, "%" G_GINT64_FORMAT " min", m);
}

static void
print_summary(const struct report *r, const struct view *v, GString *out)
{
	const struct report_figures *t = &r->total;
	char a[16], b[16], s1[32], s2[32];
	bool day = r->n_days == 1;

	date_string(&r->since, a, sizeof(a));
	date_string(&r->until, b, sizeof(b));
	output_sgr(out, &v->st, "1");
	if (day)
		g_string_append_printf(out, "sitlog report: %s (%s)", a, weekday(&r->since));
	else
		g_string_append_printf(out, "sitlog report: %s (%s) to %s (%s), %u days", a,
				       weekday(&r->since), b, weekday(&r->until), r->n_days);
	output_sgr_reset(out, &v->st);
	g_string_append(out, "\n\n");

	label(out, v, "Sitting");
	dur(t->sitting_seconds, s1, sizeof(s1));
	g_string_append(out, s1);
	if (!day) {
		dur(div_round(t->sitting_seconds, r->n_days), s2, sizeof(s2));
		g_string_append_printf(out, ", %s a day", s2);
	}
	g_string_append_c(out, '\n');

	label(out, v, "Bouts");
	g_string_append_printf(out, "%u", t->bouts);
	if (t->bouts) {
		dur(t->longest_bout_seconds, s1, sizeof(s1));
		g_string_append_printf(out, ", longest %s", s1);
	}
	format_duration_exact(v->prolonged, s2, sizeof(s2));
	g_string_append_printf(out, "; prolonged (%s %s): %u\n", ge(v), s2, t->prolonged_bouts);

	label(out, v, "By length");
	g_string_append_printf(out, "%s 30 min: %u, %s 60 min: %u, %s 90 min: %u\n", ge(v),
			       at_least(t, REPORT_CLASS_30), ge(v), at_least(t, REPORT_CLASS_60),
			       ge(v), at_least(t, REPORT_CLASS_90));

	label(out, v, "Breaks");
	g_string_append_printf(out, "%u\n", t->breaks);

	label(out, v, "Prompts");
	g_string_append_printf(out, "%u, %u heeded\n", t->prompts, t->prompts_heeded);

	label(out, v, "Upright");
	if (t->measured_seconds == 0) {
		g_string_append(out, "not measured (no worn sensor)\n");
		label(out, v, "");
		g_string_append(out, "A vacant seat counts as away, not as upright.\n");
	} else {
		int64_t per_day = day ? t->upright_seconds
				      : div_round(t->upright_seconds, MAX(t->days_measured, 1u));
		bool met = v->upright_per_day &&
			   (usec_t) per_day * USEC_PER_SEC >= v->upright_per_day;

		dur(per_day, s1, sizeof(s1));
		format_duration(v->upright_per_day, s2, sizeof(s2));
		output_sgr(out, &v->st, met ? "32" : "33");
		g_string_append(out, s1);
		output_sgr_reset(out, &v->st);
		if (!day)
			g_string_append_printf(out, " a day on %u of %u days measured",
					       t->days_measured, r->n_days);
		if (v->upright_per_day)
			g_string_append_printf(out, "; target %s a day", s2);
		g_string_append_c(out, '\n');
	}

	if (r->has_previous) {
		const struct report_figures *p = &r->previous;

		label(out, v, "Change");
		if (p->sitting_seconds == 0 && p->bouts == 0 && p->measured_seconds == 0 &&
		    p->away_seconds == 0) {
			if (day)
				g_string_append(out, "nothing recorded the day before\n");
			else
				g_string_append_printf(out, "nothing recorded in the %u days before\n",
						       r->n_days);
		} else {
			int64_t m = div_round(t->sitting_seconds - p->sitting_seconds,
					      (int64_t) r->n_days * 60);

			if (m == 0)
				g_string_append(out, "no change in sitting");
			else {
				signed_minutes(out, v, m);
				g_string_append(out, day ? " sitting" : "/day sitting");
			}
			if (day)
				g_string_append(out, " vs the day before\n");
			else
				g_string_append_printf(out, " vs the %u days before\n", r->n_days);
		}
	}
}

/* One cell per hour of sitting: eighths of a cell on UTF-8 (U+2588..U+258F), else '#' for a
 * full hour and '+' for half an hour or more left over; with the two blanks before it, or
 * nothing at all. */
static int64_t
bar_cells(const struct view *v, int64_t seconds, int *ret_rest)
{
	if (seconds <= 0) {
		*ret_rest = 0;
		return 0;
	}
	if (v->st.utf8) {
		int64_t eighths = div_round(seconds * 8, 3600);

		*ret_rest = (int) (eighths % 8);
		return eighths / 8;
	}
	*ret_rest = seconds % 3600 >= 1800;
	return seconds / 3600;
}

/* The most bytes put_bar() writes for seconds. */
static size_t
bar_size(const struct view *v, int64_t seconds)
{
	int rest;

	return (size_t) bar_cells(v, seconds, &rest) * 3 + 16;
}

static char *
put_bar(char *p, const struct view *v, int64_t seconds)
{
	int rest;
	int64_t cells = bar_cells(v, seconds, &rest);

	if (cells == 0 && rest == 0)
		return p;
	p = put_mem(p, "  ", 2);
	p = put_sgr(p, &v->st, "36");
	for (int64_t i = 0; i < cells; i++) {
		if (v->st.utf8)
			p = put_mem(p, "\u2588", 3);
		else
			*p++ = '#';
	}
	if (rest && v->st.utf8) {
		/* U+2590 - rest: E2 96 (0x90 - rest) */
		*p++ = (char) 0xe2;
		*p++ = (char) 0x96;
		*p++ = (char) (0x90 - rest);
	} else if (rest) {
		*p++ = '+';
	}
	return put_sgr_reset(p, &v->st);
}

/* n right-aligned in width, inside the SGR sgr (if any) when n is not 0. */
static char *
put_count(char *p, const struct view *v, unsigned n, size_t width, const char *sgr)
{
	char tmp[24], *b = decimal(tmp, n);

	if (n && sgr)
		p = put_sgr(p, &v->st, sgr);
	p = put_padded(p, b, (size_t) (tmp + 24 - b), width, true);
	if (n && sgr)
		p = put_sgr_reset(p, &v->st);
	return p;
}

static char *
put_duration_cell(char *p, int64_t seconds, size_t width)
{
	char s[32];

	dur(seconds, s, sizeof(s));
	return put_padded(p, s, strlen(s), width, true);
}

/* The columns of a row (without the bar) at p, returns the end: at most TABLE_ROW_MAX bytes
 * (12 cells of at most 32 bytes, their blanks and a few SGR sequences). date and wday are
 * ASCII. */
#define TABLE_ROW_MAX 768
static char *
put_table_row(char *p, const struct view *v, const char *date, const char *wday,
	      const struct report_figures *f, bool is_total)
{
	if (is_total)
		p = put_sgr(p, &v->st, "1");
	p = put_padded(p, date, MIN(strlen(date), 32), 10, false);
	p = put_mem(p, "  ", 2);
	p = put_padded(p, wday, MIN(strlen(wday), 32), 3, false);
	p = put_mem(p, "  ", 2);
	p = put_duration_cell(p, f->sitting_seconds, 8);
	if (is_total)
		p = put_sgr_reset(p, &v->st);
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, f->bouts, 5, NULL);
	p = put_mem(p, "  ", 2);
	if (f->bouts)
		p = put_duration_cell(p, f->longest_bout_seconds, 7);
	else
		p = put_padded(p, "-", 1, 7, true);
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, at_least(f, REPORT_CLASS_30), 4, NULL);
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, at_least(f, REPORT_CLASS_60), 4, "33");
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, at_least(f, REPORT_CLASS_90), 4, "31");
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, f->breaks, 6, NULL);
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, f->prompts, 7, NULL);
	p = put_mem(p, "  ", 2);
	p = put_count(p, v, f->prompts_heeded, 6, NULL);
	p = put_mem(p, "  ", 2);
	if (f->measured_seconds)
		p = put_duration_cell(p, f->upright_seconds, 8);
	else
		p = put_padded(p, "-", 1, 8, true);
	return p;
}

static void
print_days(const struct report *r, const struct view *v, GString *out)
{
	g_autofree char *h30 = g_strdup_printf("%s30", ge(v));
	g_autofree char *h60 = g_strdup_printf("%s60", ge(v));
	g_autofree char *h90 = g_strdup_printf("%s90", ge(v));
	const char *const heads[] = { "Date", "Day", "Sitting", "Bouts", "Longest", h30, h60, h90,
				      "Breaks", "Prompts", "Heeded", "Upright" };
	const int widths[] = { 10, 3, 8, 5, 7, 4, 4, 4, 6, 7, 6, 8 };

	reserve(out, (gsize) r->n_days * 160); /* a row: 110 bytes, 140 with colour and bar */
	g_string_append_c(out, '\n');
	output_sgr(out, &v->st, "1");
	for (size_t k = 0; k < G_N_ELEMENTS(heads); k++) {
		output_pad(out, heads[k], widths[k], k > 1);
		g_string_append(out, "  ");
	}
	g_string_append(out, "Sitting hours");
	output_sgr_reset(out, &v->st);
	g_string_append_c(out, '\n');
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_day *d = &r->days[i];
		size_t size = TABLE_ROW_MAX + bar_size(v, d->fig.sitting_seconds) + 1;
		char row[TABLE_ROW_MAX + 256], date[16], *p;
		g_autofree char *big = size > sizeof(row) ? g_malloc(size) : NULL;

		*put_date(date, &d->date) = '\0';
		p = put_table_row(big ? big : row, v, date, weekday(&d->date), &d->fig, false);
		p = put_bar(p, v, d->fig.sitting_seconds);
		*p++ = '\n';
		g_string_append_len(out, big ? big : row, p - (big ? big : row));
	}
	{
		char row[TABLE_ROW_MAX + 1], *p = put_table_row(row, v, "Total", "", &r->total, true);

		*p++ = '\n';
		g_string_append_len(out, row, p - row);
	}
}

/* 24 cells, one per local hour, from prolonged_seconds_by_hour: blank for none, then four
 * shades up to the busiest hour. */
static void
print_hours(const struct report *r, const struct view *v, GString *out)
{
	static const char *const utf8_cells[] = { "\u00b7", "\u2591", "\u2592", "\u2593",
						  "\u2588" };
	static const char *const ascii_cells[] = { ".", "-", "+", "*", "#" };
	const char *const *cells = v->st.utf8 ? utf8_cells : ascii_cells;
	int64_t max = 0;
	int busiest = 0;
	char s[32];

	for (int h = 0; h < 24; h++)
		if (r->prolonged_seconds_by_hour[h] > max) {
			max = r->prolonged_seconds_by_hour[h];
			busiest = h;
		}
	format_duration_exact(v->prolonged, s, sizeof(s));
	g_string_append_printf(out, "\nProlonged sitting (bouts %s %s) by hour of the day:", ge(v),
			       s);
	if (max == 0) {
		g_string_append(out, " none\n");
		return;
	}
	dur(max, s, sizeof(s));
	g_string_append_printf(out, "\n  00    06    12    18    24\n  ");
	output_sgr(out, &v->st, "33");
	for (int h = 0; h < 24; h++) {
		int64_t x = r->prolonged_seconds_by_hour[h];
		int level = x <= 0 ? 0 : (int) MIN(4, MAX(1, (x * 4 + max - 1) / max));

		g_string_append(out, cells[level]);
	}
	output_sgr_reset(out, &v->st);
	g_string_append_printf(out, "  %s %s in %02d:00-%02d:00\n", cells[4], s, busiest,
			       busiest + 1);
}

static void
print_bouts(const struct report *r, const struct view *v, GString *out)
{
	const GArray *list = r->days[0].bout_list;
	char brk[32];

	if (!list || list->len == 0)
		return;
	format_duration_exact(v->break_min, brk, sizeof(brk));
	g_string_append_printf(out, "\nBouts (continuous sitting; breaks under %s are part of a "
				    "bout):\n", brk);
	for (guint k = 0; k < list->len; k++) {
		const struct report_bout *b = &g_array_index(list, struct report_bout, k);
		g_autofree char *to = output_clock_after(b->start_ms, b->end_ms);
		char from[16], len[32];

		hhmm(b->start_ms, from, sizeof(from));
		dur(b->seconds, len, sizeof(len));
		g_string_append_printf(out, "  %s-%s  %8s", from, b->open ? "now  " : to, len);
		if (b->prolonged || b->prompts) {
			g_string_append(out, "  ");
			if (b->prolonged)
				output_sgr(out, &v->st, "33");
			g_string_append_printf(out, "%-9s", b->prolonged ? "prolonged" : "");
			if (b->prolonged)
				output_sgr_reset(out, &v->st);
		}
		if (b->prompts) {
			g_string_append_printf(out, "  %u prompt%s, %u heeded", b->prompts,
					       b->prompts == 1 ? "" : "s", b->heeded);
			if (b->responses && b->responses[0])
				g_string_append_printf(out, ": %s", b->responses);
		}
		g_string_append_c(out, '\n');
	}
}

static void
print_table(const struct report *r, const struct view *v, GString *out)
{
	print_summary(r, v, out);
	if (r->n_days > 1) {
		print_days(r, v, out);
		print_hours(r, v, out);
	} else {
		print_bouts(r, v, out);
	}
}

static void
json_date(JsonBuilder *b, const char *key, const GDate *d)
{
	char s[16];

	date_string(d, s, sizeof(s));
	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, s);
}

static void
json_int(JsonBuilder *b, const char *key, int64_t v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, v);
}

/* The figures as members of the object being built (flat, as version 1 has them). */
static void
json_figures(JsonBuilder *b, const struct report_figures *f)
{
	json_int(b, "sitting_seconds", f->sitting_seconds);
	json_int(b, "bouts", f->bouts);
	json_int(b, "longest_bout_seconds", f->longest_bout_seconds);
	json_int(b, "prolonged_bouts", f->prolonged_bouts);
	json_int(b, "prompts", f->prompts);
	json_int(b, "prompts_heeded", f->prompts_heeded);
	json_int(b, "breaks", f->breaks);
	json_builder_set_member_name(b, "bouts_by_class");
	json_builder_begin_object(b);
	for (int k = 0; k < _REPORT_CLASS_MAX; k++)
		json_int(b, class_keys[k], f->bouts_by_class[k]);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "bout_seconds_by_class");
	json_builder_begin_object(b);
	for (int k = 0; k < _REPORT_CLASS_MAX; k++)
		json_int(b, class_keys[k], f->bout_seconds_by_class[k]);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "upright_seconds");
	if (f->measured_seconds)
		json_builder_add_int_value(b, f->upright_seconds);
	else
		json_builder_add_null_value(b);
	json_int(b, "measured_seconds", f->measured_seconds);
	json_int(b, "away_seconds", f->away_seconds);
	json_int(b, "days_measured", f->days_measured);
}

/* One day's object of "days", made by json-glib: the tree is built once, and for each day its
 * values are set in place and it is generated onto the output. Years of days so cost neither a
 * tree of thousands of objects nor building and freeing one for each day.
 *
 * Even so json-glib's generator costs about 35,000 instructions a day (a printf and a hash
 * lookup for each number, its key escaped a byte at a time), most of a 5-year report. So the
 * generator's text of the day is also cut, once, into the constant text between the values
 * (every key, brace and comma as json-glib writes them) and the places of the values, found
 * by generating the tree with distinct marker values; a day is then that text with its date
 * and numbers written in (put_int(), as "%" G_GINT64_FORMAT). The cut is checked at once
 * against the generator on days of awkward figures (0, negative, INT64_MIN/MAX, upright
 * null and not); should it not match, or the markers not be found, every day goes through
 * the generator. */
enum {
	JD_SITTING,
	JD_BOUTS,
	JD_LONGEST,
	JD_PROLONGED,
	JD_PROMPTS,
	JD_HEEDED,
	JD_BREAKS,
	JD_BY_CLASS,
	JD_SECONDS_BY_CLASS = JD_BY_CLASS + _REPORT_CLASS_MAX,
	JD_UPRIGHT = JD_SECONDS_BY_CLASS + _REPORT_CLASS_MAX,
	JD_MEASURED,
	JD_AWAY,
	JD_DAYS_MEASURED,
	JD_DATE, /* the only string: YYYY-MM-DD */
	_JD_MAX,
};

#define JD_DATE_MARKER "0000-00-00"
#define JD_MARKER_BASE INT64_C(1000000000000000000) /* 19 digits, + the slot */

struct json_day {
	JsonNode *root;
	JsonObject *obj;
	JsonGenerator *gen;
	JsonNode *node[_JD_MAX];
	bool upright_null;
	/* the cut: text[0..len) is json-glib's day with markers; the slots in the order of
	 * their places, each at at[] with marker length mlen[] */
	bool cut;
	char *text;
	size_t len;
	unsigned order[_JD_MAX];
	size_t at[_JD_MAX], mlen[_JD_MAX];
};

static void
json_day_values(const struct report_figures *f, int64_t v[_JD_MAX])
{
	v[JD_SITTING] = f->sitting_seconds;
	v[JD_BOUTS] = f->bouts;
	v[JD_LONGEST] = f->longest_bout_seconds;
	v[JD_PROLONGED] = f->prolonged_bouts;
	v[JD_PROMPTS] = f->prompts;
	v[JD_HEEDED] = f->prompts_heeded;
	v[JD_BREAKS] = f->breaks;
	for (int k = 0; k < _REPORT_CLASS_MAX; k++) {
		v[JD_BY_CLASS + k] = f->bouts_by_class[k];
		v[JD_SECONDS_BY_CLASS + k] = f->bout_seconds_by_class[k];
	}
	v[JD_UPRIGHT] = f->upright_seconds;
	v[JD_MEASURED] = f->measured_seconds;
	v[JD_AWAY] = f->away_seconds;
	v[JD_DAYS_MEASURED] = f->days_measured;
	v[JD_DATE] = 0;
}

/* upright_seconds: a number, or null when not measured. A member that changes between the two
 * is replaced (json-glib 1.6's json_node_init_*() on a value node reuses the value it freed). */
static void
json_day_set_upright(struct json_day *j, bool null, int64_t v)
{
	if (null != j->upright_null) {
		if (null)
			json_object_set_null_member(j->obj, "upright_seconds");
		else
			json_object_set_int_member(j->obj, "upright_seconds", v);
		j->node[JD_UPRIGHT] = json_object_get_member(j->obj, "upright_seconds");
		j->upright_null = null;
	} else if (!null) {
		json_node_set_int(j->node[JD_UPRIGHT], v);
	}
}

/* The day through json-glib's generator. */
static void
json_day_generate(struct json_day *j, GString *out, const char *date,
		  const struct report_figures *f)
{
	int64_t v[_JD_MAX];

	json_day_values(f, v);
	json_node_set_string(j->node[JD_DATE], date);
	for (int k = 0; k < JD_DATE; k++) {
		if (k == JD_UPRIGHT)
			json_day_set_upright(j, !f->measured_seconds, v[k]);
		else
			json_node_set_int(j->node[k], v[k]);
	}
	json_generator_to_gstring(j->gen, out);
}

/* The same text from the cut. */
static void
json_day_splice(const struct json_day *j, GString *out, const char *date,
		const struct report_figures *f)
{
	/* the text without markers, 20 numbers of at most 20 characters, "null" */
	char buf[2048], *p = buf;
	size_t from = 0;
	int64_t v[_JD_MAX];

	json_day_values(f, v);
	for (unsigned i = 0; i < _JD_MAX; i++) {
		unsigned k = j->order[i];

		p = put_mem(p, j->text + from, j->at[k] - from);
		if (k == JD_DATE)
			p = put_mem(p, date, strlen(date));
		else if (k == JD_UPRIGHT && !f->measured_seconds)
			p = put_mem(p, "null", 4);
		else
			p = put_int(p, v[k]);
		from = j->at[k] + j->mlen[k];
	}
	p = put_mem(p, j->text + from, j->len - from);
	g_string_append_len(out, buf, p - buf);
}

/* Cut the generator's text of the day with markers; false if a marker is not found once. */
static bool
json_day_cut(struct json_day *j)
{
	g_autoptr(GString) t = g_string_new(NULL);
	int64_t v[_JD_MAX] = { 0 };

	for (int k = 0; k < JD_DATE; k++)
		v[k] = JD_MARKER_BASE + k;
	json_node_set_string(j->node[JD_DATE], JD_DATE_MARKER);
	for (int k = 0; k < JD_DATE; k++) {
		if (k == JD_UPRIGHT)
			json_day_set_upright(j, false, v[k]);
		else
			json_node_set_int(j->node[k], v[k]);
	}
	json_generator_to_gstring(j->gen, t);
	if (t->len > 1024)
		return false;
	for (unsigned k = 0; k < _JD_MAX; k++) {
		char m[32], *end = k == JD_DATE ? put_mem(m, JD_DATE_MARKER, 10) : put_int(m, v[k]);
		const char *at, *again;

		*end = '\0';
		at = strstr(t->str, m);
		if (!at)
			return false;
		again = strstr(at + 1, m);
		if (again)
			return false;
		j->at[k] = (size_t) (at - t->str);
		j->mlen[k] = (size_t) (end - m);
	}
	for (unsigned k = 0; k < _JD_MAX; k++) {
		unsigned i = k;

		while (i > 0 && j->at[j->order[i - 1]] > j->at[k]) {
			j->order[i] = j->order[i - 1];
			i--;
		}
		j->order[i] = k;
	}
	for (unsigned i = 1; i < _JD_MAX; i++)
		if (j->at[j->order[i - 1]] + j->mlen[j->order[i - 1]] > j->at[j->order[i]])
			return false;
	j->len = t->len;
	j->text = g_string_free(g_steal_pointer(&t), FALSE);
	return true;
}

/* Does the cut give what the generator gives, on figures that a day could hardly have? */
static bool
json_day_check(struct json_day *j)
{
	const struct report_figures tests[] = {
		{ 0 },
		{ .sitting_seconds = INT64_MAX, .upright_seconds = INT64_MIN,
		  .measured_seconds = -1, .away_seconds = 1, .bouts = UINT_MAX,
		  .longest_bout_seconds = -86400, .prolonged_bouts = 7,
		  .bouts_by_class = { 1, 22, 333, 4444 },
		  .bout_seconds_by_class = { -5, 0, 123456789, INT64_MIN },
		  .breaks = 10, .prompts = 100, .prompts_heeded = 99, .days_measured = 1 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++) {
		g_autoptr(GString) a = g_string_new(NULL);
		g_autoptr(GString) b = g_string_new(NULL);

		json_day_generate(j, a, "2026-03-29", &tests[i]);
		json_day_splice(j, b, "2026-03-29", &tests[i]);
		if (!g_string_equal(a, b))
			return false;
	}
	return true;
}

static void
json_day_init(struct json_day *j)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	const struct report_figures zero = { .measured_seconds = 1 };
	JsonObject *o, *by_class, *seconds_by_class;
	static const char *const names[] = {
		[JD_SITTING] = "sitting_seconds",
		[JD_BOUTS] = "bouts",
		[JD_LONGEST] = "longest_bout_seconds",
		[JD_PROLONGED] = "prolonged_bouts",
		[JD_PROMPTS] = "prompts",
		[JD_HEEDED] = "prompts_heeded",
		[JD_BREAKS] = "breaks",
		[JD_UPRIGHT] = "upright_seconds",
		[JD_MEASURED] = "measured_seconds",
		[JD_AWAY] = "away_seconds",
		[JD_DAYS_MEASURED] = "days_measured",
		[JD_DATE] = "date",
	};

	*j = (struct json_day) { 0 };
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "date");
	json_builder_add_string_value(b, "");
	json_figures(b, &zero);
	json_builder_end_object(b);
	j->root = json_builder_get_root(b);
	j->gen = json_generator_new();
	json_generator_set_root(j->gen, j->root);
	o = j->obj = json_node_get_object(j->root);
	by_class = json_object_get_object_member(o, "bouts_by_class");
	seconds_by_class = json_object_get_object_member(o, "bout_seconds_by_class");
	for (int k = 0; k < _JD_MAX; k++) {
		if (k >= JD_BY_CLASS && k < JD_SECONDS_BY_CLASS)
			j->node[k] = json_object_get_member(by_class, class_keys[k - JD_BY_CLASS]);
		else if (k >= JD_SECONDS_BY_CLASS && k < JD_UPRIGHT)
			j->node[k] = json_object_get_member(seconds_by_class,
							    class_keys[k - JD_SECONDS_BY_CLASS]);
		else
			j->node[k] = json_object_get_member(o, names[k]);
		g_assert(j->node[k]);
	}
	j->cut = json_day_cut(j) && json_day_check(j);
}

static void
json_day_clear(struct json_day *j)
{
	g_clear_object(&j->gen);
	g_clear_pointer(&j->root, json_node_unref);
	g_clear_pointer(&j->text, g_free);
}

/* The day's object onto out. Its only string is a date (YYYY-MM-DD) and the rest are numbers,
 * so json-glib's text has no control character to escape (json_util_escape_controls()). */
static void
json_day_append(struct json_day *j, GString *out, const struct report_day *d)
{
	char date[16];

	date_string(&d->date, date, sizeof(date));
	if (j->cut)
		json_day_splice(j, out, date, &d->fig);
	else
		json_day_generate(j, out, date, &d->fig);
}

/* The whole object is json-glib's, in two parts: every member but "days" as one tree (its
 * closing brace left off), then "days" streamed one day's object at a time (struct json_day),
 * as one tree with "days" last would have them. */
static void
print_json(const struct report *r, const struct view *v, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	struct json_day day;

	json_builder_begin_object(b);
	json_int(b, "version", REPORT_JSON_VERSION);
	json_date(b, "since", &r->since);
	json_date(b, "until", &r->until);
	json_int(b, "n_days", r->n_days);
	json_int(b, "prolonged_threshold_seconds", (int64_t) (v->prolonged / USEC_PER_SEC));
	json_int(b, "upright_target_seconds_per_day",
		 (int64_t) (v->upright_per_day / USEC_PER_SEC));
	json_figures(b, &r->total);
	json_builder_set_member_name(b, "prolonged_seconds_by_hour");
	json_builder_begin_array(b);
	for (int h = 0; h < 24; h++)
		json_builder_add_int_value(b, r->prolonged_seconds_by_hour[h]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "previous");
	if (r->has_previous) {
		GDate ps = r->since, pu = r->since;

		g_date_subtract_days(&ps, r->n_days);
		g_date_subtract_days(&pu, 1);
		json_builder_begin_object(b);
		json_date(b, "since", &ps);
		json_date(b, "until", &pu);
		json_figures(b, &r->previous);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	output_json_append(out, root);
	g_assert(out->len > 0 && out->str[out->len - 1] == '}');
	g_string_truncate(out, out->len - 1);

	reserve(out, (gsize) r->n_days * 420); /* a day's object: about 390 bytes */
	g_string_append(out, ",\"days\":[");
	json_day_init(&day);
	for (unsigned i = 0; i < r->n_days; i++) {
		if (i)
			g_string_append_c(out, ',');
		json_day_append(&day, out, &r->days[i]);
	}
	json_day_clear(&day);
	g_string_append(out, "]}\n");
}

static void
print_csv(const struct report *r, GString *out)
{
	g_string_append(out, "date,sitting_seconds,bouts,longest_bout_seconds,prolonged_bouts,"
			     "prompts,prompts_heeded,breaks,bouts_under_30,bouts_30_to_60,"
			     "bouts_60_to_90,bouts_90_or_more,upright_seconds,measured_seconds,"
			     "away_seconds\n");
	reserve(out, (gsize) r->n_days * 64); /* a row: about 50 bytes */
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_figures *f = &r->days[i].fig;
		/* 15 fields of at most 20 characters and their commas */
		char row[512], *p = row;

		p = put_date(p, &r->days[i].date);
		*p++ = ',';
		p = put_int(p, f->sitting_seconds);
		*p++ = ',';
		p = put_uint(p, f->bouts);
		*p++ = ',';
		p = put_int(p, f->longest_bout_seconds);
		*p++ = ',';
		p = put_uint(p, f->prolonged_bouts);
		*p++ = ',';
		p = put_uint(p, f->prompts);
		*p++ = ',';
		p = put_uint(p, f->prompts_heeded);
		*p++ = ',';
		p = put_uint(p, f->breaks);
		for (int k = 0; k < _REPORT_CLASS_MAX; k++) {
			*p++ = ',';
			p = put_uint(p, f->bouts_by_class[k]);
		}
		*p++ = ',';
		if (f->measured_seconds)
			p = put_int(p, f->upright_seconds);
		*p++ = ',';
		p = put_int(p, f->measured_seconds);
		*p++ = ',';
		p = put_int(p, f->away_seconds);
		*p++ = '\n';
		g_string_append_len(out, row, p - row);
	}
}

/* Nothing at all recorded in the range: said so, rather than a table of zeros. */
static int
check_not_empty(struct store *store, const char *db_path, const char *verb,
		const struct report *r)
{
	int64_t from = report_day_start_ms(&r->since);
	GDate after = r->until;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	GDate today;
	char a[16], b[16];
	bool any = false;
	int ret;

	g_date_add_days(&after, 1);
	ret = store_has_segments_between(store, from, report_day_start_ms(&after) - 1, &any);
	if (ret < 0) {
		cli_error("%s: %s", db_path, store_errmsg(store));
		return ret;
	}
	if (any)
		return 0;
	g_date_clear(&today, 1);
	g_date_set_dmy(&today, (GDateDay) g_date_time_get_day_of_month(now),
		       (GDateMonth) g_date_time_get_month(now),
		       (GDateYear) g_date_time_get_year(now));
	date_string(&r->since, a, sizeof(a));
	date_string(&r->until, b, sizeof(b));
	if (r->n_days == 1)
		cli_error("%s: nothing recorded on %s%s", verb, a,
			  g_date_compare(&r->until, &today) == 0
				  ? " (today); is sitlogd running? `systemctl --user status sitlogd`"
				  : "");
	else
		cli_error("%s: nothing recorded from %s to %s%s", verb, a, b,
			  g_date_compare(&r->until, &today) == 0
				  ? "; is sitlogd running? `systemctl --user status sitlogd`"
				  : "");
	return -ENODATA;
}

int
output_report_open(const struct cli_context *ctx, const char *verb, const GDate *since,
		   const GDate *until, usec_t prolonged, unsigned flags, struct report *ret,
		   struct store **ret_store)
{
	g_autofree char *error = NULL;
	struct store *store = NULL;
	int r;

	r = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (r < 0) {
		output_store_open_error(r, ctx->db_path, error);
		return r;
	}
	r = report_compute(store, since, until, prolonged, flags, ret);
	if (r < 0) {
		cli_error("%s: %s", ctx->db_path, store_errmsg(store));
		store_close(store);
		return r;
	}
	r = check_not_empty(store, ctx->db_path, verb, ret);
	if (r < 0) {
		report_clear(ret);
		store_close(store);
		return r;
	}
	if (ret_store)
		*ret_store = store;
	else
		store_close(store);
	return 0;
}

/* ---- the whole day (issue 14), a block of its own under a table of several days: the
 * budget, the day's prompts and the exercise balance (docs/semantics.md "The whole day") ---- */

struct day_block {
	const struct catalogue *catalogue;
	int64_t remind_after_ms;
	unsigned pace, summaries, sooner;
	unsigned done[_EXERCISE_KIND_MAX];
};

static int
day_block_prompt(const struct store_prompt *p, void *userdata)
{
	struct day_block *b = userdata;
	const struct exercise *e;

	if (g_strcmp0(p->reason, "budget") == 0)
		b->pace++;
	else if (g_strcmp0(p->reason, "summary") == 0)
		b->summaries++;
	else {
		/* a bout's first prompt before remind_after: [Budget] adaptive brought it forward */
		if (p->seq == 0 && g_strcmp0(p->reason, "suppressed") != 0 &&
		    p->bout_age_ms < b->remind_after_ms)
			b->sooner++;
		if (g_strcmp0(p->response, "done") == 0 &&
		    (e = catalogue_find(b->catalogue, p->exercise)))
			b->done[e->kind]++;
	}
	return 0;
}

static int64_t
local_midnight_ms(const GDate *d)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local((int) g_date_get_year(d),
							(int) g_date_get_month(d),
							(int) g_date_get_day(d), 0, 0, 0);

	return dt ? g_date_time_to_unix(dt) * 1000 : 0;
}

/* The prompts of the range's last 7 days (the balance's window, docs/semantics.md), so that
 * the block costs the same over a week and over years. */
static int
print_day_block(const struct cli_context *ctx, struct store *store, const struct report *r,
		const struct sitlog_config *cfg, GString *out)
{
	struct catalogue *catalogue = NULL;
	g_autofree char *error = NULL;
	struct day_block b = { 0 };
	GDate end = r->until, first = r->until;
	unsigned over = 0, reached = 0, measured = 0;
	unsigned l, st;
	char budget[32], target[32];
	int ret;

	if (catalogue_load(NULL, &catalogue, &error) < 0)
		catalogue = NULL; /* the balance says so below */
	b.catalogue = catalogue;
	b.remind_after_ms = (int64_t) (cfg->remind_after / USEC_PER_MSEC);
	g_date_add_days(&end, 1);
	g_date_subtract_days(&first, 6);
	if (g_date_compare(&first, &r->since) < 0)
		first = r->since;
	ret = store_foreach_prompt(store, local_midnight_ms(&first), local_midnight_ms(&end),
				   day_block_prompt, &b);
	catalogue_free(catalogue);
	if (ret < 0) {
		cli_error("%s: %s", ctx->db_path, store_errmsg(store));
		return ret;
	}
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_figures *f = &r->days[i].fig;

		over += f->sitting_seconds * (int64_t) USEC_PER_SEC > (int64_t) cfg->sitting_per_day;
		measured += f->measured_seconds > 0;
		reached += f->measured_seconds > 0 && cfg->upright_per_day > 0 &&
			   f->upright_seconds * (int64_t) USEC_PER_SEC >= (int64_t) cfg->upright_per_day;
	}
	format_duration(cfg->sitting_per_day, budget, sizeof(budget));
	format_duration(cfg->upright_per_day, target, sizeof(target));
	g_string_append_printf(out, "\nThe whole day: sitting over the budget (%s) on %u of %u "
			       "day%s", budget, over, r->n_days, r->n_days == 1 ? "" : "s");
	if (cfg->upright_per_day == 0)
		g_string_append(out, "; no upright target\n");
	else if (measured == 0)
		g_string_append_printf(out, "; upright (target %s) not measured: no worn sensor\n",
				       target);
	else
		g_string_append_printf(out, "; upright target (%s) reached on %u of %u measured "
				       "day%s\n", target, reached, measured, measured == 1 ? "" : "s");
	g_string_append_printf(out, "The last 7 days: pace prompts: %u; summaries: %u; first prompts "
			       "brought forward (adaptive): %u\n", b.pace, b.summaries, b.sooner);
	l = b.done[EXERCISE_LENGTHEN];
	st = b.done[EXERCISE_STRENGTHEN];
	if (!error)
		g_string_append_printf(out, "Exercises done in the last 7 days: %u lengthening, %u "
				       "strengthening", l, st);
	else
		g_string_append(out, "Exercises done: the catalogue cannot be read");
	if (!error && (l >= 3 * st || st >= 3 * l) && l + st > 0 && l != st)
		g_string_append_printf(out, ": %s outnumbers %s 3:1 or more; the prompts "
				       "suggest %s until they even out", l > st ? "lengthening" :
				       "strengthening", l > st ? "strengthening" : "lengthening",
				       l > st ? "strengthening" : "lengthening");
	g_string_append_c(out, '\n');
	return 0;
}

int
verb_report(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *format = NULL, *color = NULL, *plot = NULL, *size = NULL;
	struct output_range_opts range = { 0 };
	struct plot_options plot_opts = { 0 };
	enum plot_format plot_format;
	GOptionEntry entries[10]; /* 5 range options, 4 more, the NULL one */
	const GOptionEntry more[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format (default: table)",
		  "table|json|csv" },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &color,
		  "Colour in the table (default: auto, on a terminal unless NO_COLOR is set)",
		  "auto|always|never" },
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot,
		  "Draw the report into FILE (.svg or .png) instead of printing it", "FILE" },
		{ "size", 0, 0, G_OPTION_ARG_STRING, &size,
		  "The plot's size in pixels (default: 1200x400 a day, 1200x500 a range)", "WxH" },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- sitting time, bouts, prompts and "
							    "upright time");
	g_autoptr(GError) gerror = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct sitlog_config config;
	enum output_color color_mode;
	struct view v;
	struct report r;
	struct store *store = NULL;
	bool day_block;
	GDate since, until;
	unsigned flags = 0;
	int ret;

	output_range_entries(&range, entries);
	memcpy(&entries[5], more, sizeof(more));
	G_STATIC_ASSERT(G_N_ELEMENTS(entries) == 5 + G_N_ELEMENTS(more));
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"Dates are local and both inclusive; the default is today. A bout counts on the day\n"
		"it starts, with its full length; sitting time is split at midnight. Upright time\n"
		"is measured only by a worn sensor: a vacant seat counts as away. See sitlog(1).");
	if (output_range_parse(oc, "report", &argc, &argv, &range, &since, &until, &format, &color,
			       &color_mode) < 0)
		return EXIT_USAGE;
	if (size && !plot) {
		cli_error("report: --size goes with --plot");
		return EXIT_USAGE;
	}
	if (plot && format) {
		cli_error("report: --plot and --format cannot go together");
		return EXIT_USAGE;
	}
	if (plot && plot_format_from_path(plot, &plot_format) < 0) {
		cli_error("report: --plot %s: unsupported extension (want .svg or .png)", plot);
		return EXIT_USAGE;
	}
	if (size && plot_parse_size(size, &plot_opts.width, &plot_opts.height) < 0) {
		cli_error("report: --size: \"%s\" is not WIDTHxHEIGHT with each from %d to %d",
			  size, PLOT_SIZE_MIN, PLOT_SIZE_MAX);
		return EXIT_USAGE;
	}
	if (cli_load_config(ctx, &config) < 0)
		return EXIT_FAILURE;

	v = (struct view) {
		.st = { .color = output_color_enabled(color_mode), .utf8 = output_utf8() },
		.prolonged = config.prolonged,
		.break_min = config.break_min,
		.upright_per_day = config.upright_per_day,
	};
	/* only what the format shows: CSV has no period before, only the day's table lists */
	if (!format || !g_str_equal(format, "csv"))
		flags |= REPORT_PREVIOUS;
	if ((!format || g_str_equal(format, "table")) && g_date_compare(&since, &until) == 0)
		flags |= REPORT_LISTS;
	if (plot)
		flags = REPORT_LISTS; /* the day's timeline; a range's bars need only the days */
	/* a table of a week or more ends with the whole day, read from the same store */
	day_block = !plot && (!format || g_str_equal(format, "table")) &&
		    g_date_days_between(&since, &until) >= 6;
	if (output_report_open(ctx, "report", &since, &until, config.prolonged, flags, &r,
			       day_block ? &store : NULL) < 0)
		return EXIT_FAILURE;
	if (plot) {
		plot_opts.prolonged_seconds = (int64_t) (config.prolonged / USEC_PER_SEC);
		plot_opts.upright_target_seconds = (int64_t) (config.upright_per_day / USEC_PER_SEC);
		ret = plot_report(&r, &plot_opts, plot, &gerror);
		report_clear(&r);
		if (ret < 0) {
			cli_error("report: --plot %s", gerror->message);
			return EXIT_FAILURE;
		}
		return EXIT_SUCCESS;
	}
	if (!format || g_str_equal(format, "table")) {
		print_table(&r, &v, out);
		if (day_block) {
			/* budget, day prompts, balance */
			ret = print_day_block(ctx, store, &r, &config, out);
			store_close(store);
			if (ret < 0) {
				report_clear(&r);
				return EXIT_FAILURE;
			}
		}
	}
	else if (g_str_equal(format, "json"))
		print_json(&r, &v, out);
	else
		print_csv(&r, out);
	report_clear(&r);
	ret = output_flush(out);
	if (ret < 0 && ret != -EPIPE) {
		cli_error("writing the report: %s", g_strerror(-ret));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
