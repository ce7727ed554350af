/* SPDX-License-Identifier: MIT */
/* The report as a picture: cairo draws, pango sets the text; see plot.h for what is drawn. */
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"

#define HOUR_MS ((int64_t) 3600 * 1000)

/* viridis at 0.80, 0.55, 0.30, 0.00: light to dark as bouts get longer; told apart by
 * lightness alone, so also in grey and by colour-blind readers */
const struct plot_rgb plot_class_rgb[_REPORT_CLASS_MAX] = {
	[REPORT_CLASS_SHORT] = { 0x7a, 0xd1, 0x51 },
	[REPORT_CLASS_30] = { 0x21, 0x91, 0x8c },
	[REPORT_CLASS_60] = { 0x3b, 0x52, 0x8b },
	[REPORT_CLASS_90] = { 0x44, 0x01, 0x54 },
};
/* Okabe-Ito orange and vermillion: neither is on the viridis ramp */
const struct plot_rgb plot_upright_rgb = { 0xe6, 0x9f, 0x00 };
static const struct plot_rgb target_rgb = { 0xd5, 0x5e, 0x00 };
/* an opaque light background, so that a dark viewer shows the same picture */
const struct plot_rgb plot_background_rgb = { 0xff, 0xff, 0xff };
static const struct plot_rgb ink_rgb = { 0x1a, 0x1a, 0x1a };
static const struct plot_rgb muted_rgb = { 0x59, 0x59, 0x59 };
static const struct plot_rgb grid_rgb = { 0xdc, 0xdc, 0xdc };

static const char *const class_label[_REPORT_CLASS_MAX] = {
	"< 30 min", "30\u201360 min", "60\u201390 min", "\u2265 90 min",
};

struct plot {
	cairo_t *cr;
	PangoLayout *layout;
	PangoFontDescription *font, *bold;
	double fs; /* font size in pixels, and the unit of the margins */
	unsigned width, height;
};

static void
set_rgb(cairo_t *cr, struct plot_rgb c)
{
	cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static enum report_class
class_of(int64_t seconds)
{
	if (seconds >= 90 * 60)
		return REPORT_CLASS_90;
	if (seconds >= 60 * 60)
		return REPORT_CLASS_60;
	if (seconds >= 30 * 60)
		return REPORT_CLASS_30;
	return REPORT_CLASS_SHORT;
}

/* "5 h 07 min", "45 min", "0 min": whole minutes, as the table shows them */
static void
hm(int64_t seconds, char *buf, size_t size)
{
	int64_t m = MAX(seconds, 0) / 60;

	if (m >= 60 && m % 60 == 0)
		snprintf(buf, size, "%" G_GINT64_FORMAT " h", m / 60);
	else if (m >= 60)
		snprintf(buf, size, "%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", m / 60,
			 m % 60);
	else
		snprintf(buf, size, "%" G_GINT64_FORMAT " min", m);
}

/* Text at (x, y): xalign/yalign 0 = left/top, 0.5 = centre, 1 = right/bottom. Returns its
 * width. */
static double
text(struct plot *p, bool bold, struct plot_rgb c, double x, double y, double xalign,
     double yalign, const char *s)
{
	int w, h;

	pango_layout_set_font_description(p->layout, bold ? p->bold : p->font);
	pango_layout_set_text(p->layout, s, -1);
	pango_layout_get_pixel_size(p->layout, &w, &h);
	set_rgb(p->cr, c);
	cairo_move_to(p->cr, x - xalign * w, y - yalign * h);
	pango_cairo_show_layout(p->cr, p->layout);
	return w;
}

/* The title: one line, ellipsized at the right margin on a narrow image. */
static void
title(struct plot *p, const char *s)
{
	pango_layout_set_width(p->layout, (int) ((p->width - 2 * p->fs) * PANGO_SCALE));
	pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_END);
	text(p, true, ink_rgb, p->fs, p->fs, 0, 0, s);
	pango_layout_set_width(p->layout, -1);
	pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_NONE);
}

static double
text_width(struct plot *p, const char *s)
{
	int w, h;

	pango_layout_set_font_description(p->layout, p->font);
	pango_layout_set_text(p->layout, s, -1);
	pango_layout_get_pixel_size(p->layout, &w, &h);
	return w;
}

static void
rect(cairo_t *cr, struct plot_rgb c, double x, double y, double w, double h)
{
	set_rgb(cr, c);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void
prompt_mark(struct plot *p, double x, double y, double r, bool heeded)
{
	cairo_t *cr = p->cr;

	cairo_new_path(cr);
	cairo_arc(cr, x, y, r, 0, 2 * G_PI);
	set_rgb(cr, heeded ? ink_rgb : plot_background_rgb);
	cairo_fill_preserve(cr);
	set_rgb(cr, ink_rgb);
	cairo_set_line_width(cr, MAX(1.0, r / 3));
	cairo_stroke(cr);
}

/* A swatch and its label at x; returns the x after it. */
static double
legend_swatch(struct plot *p, double x, double y, struct plot_rgb c, const char *label)
{
	double s = p->fs * 0.9;

	rect(p->cr, c, x, y - s / 2, s, s);
	x += s + p->fs * 0.4;
	x += text(p, false, ink_rgb, x, y, 0, 0.5, label);
	return x + p->fs * 1.2;
}

/* Local midnight-relative times: h:00 on the day that starts at day_start_ms. */
static int64_t
local_hour_ms(const struct report_day *d, int hour)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(g_date_get_year(&d->date),
							 g_date_get_month(&d->date),
							 g_date_get_day(&d->date), hour, 0, 0);

	return dt ? g_date_time_to_unix(dt) * 1000 : d->start_ms + hour * HOUR_MS;
}

/* The local whole hour at or before t (at or after it with up). */
static int64_t
to_hour(int64_t t_ms, bool up)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(t_ms / 1000);
	int64_t past, floor_ms;

	if (!dt)
		return t_ms;
	past = ((int64_t) g_date_time_get_minute(dt) * 60 + g_date_time_get_second(dt)) * 1000 +
	       t_ms % 1000;
	floor_ms = t_ms - past;
	return up && past > 0 ? floor_ms + HOUR_MS : floor_ms;
}

/* The day's window: 07:00-19:00, widened to the whole hours around every bout and prompt. */
static void
day_window(const struct report_day *d, int64_t *ret_t0, int64_t *ret_t1)
{
	int64_t lo = local_hour_ms(d, 7), hi = local_hour_ms(d, 19);

	for (guint k = 0; d->bout_list && k < d->bout_list->len; k++) {
		const struct report_bout *b = &g_array_index(d->bout_list, struct report_bout, k);

		lo = MIN(lo, b->start_ms);
		hi = MAX(hi, MIN(b->end_ms, d->end_ms));
	}
	for (guint k = 0; d->prompt_list && k < d->prompt_list->len; k++) {
		const struct report_prompt *q =
			&g_array_index(d->prompt_list, struct report_prompt, k);

		lo = MIN(lo, q->t_ms);
		hi = MAX(hi, q->t_ms);
	}
	*ret_t0 = MAX(to_hour(lo, false), d->start_ms);
	*ret_t1 = MIN(to_hour(hi, true), d->end_ms);
}

static double
font_size(unsigned width, unsigned height, double rows)
{
	return CLAMP(round(MIN(width / 80.0, height / rows)), 8, 24);
}

void
plot_layout_compute(const struct report *r, const struct plot_options *o, unsigned *ret_width,
		    unsigned *ret_height, struct plot_layout *ret_layout)
{
	bool day = r->n_days == 1;
	unsigned w = o->width ? o->width : (day ? PLOT_DAY_WIDTH : PLOT_RANGE_WIDTH);
	unsigned h = o->height ? o->height : (day ? PLOT_DAY_HEIGHT : PLOT_RANGE_HEIGHT);
	struct plot_layout l = { 0 };
	double fs = font_size(w, h, day ? 28 : 32), m = fs;

	l.y0 = m + 4.6 * fs; /* below the title and the legend */
	l.y1 = h - m - 1.8 * fs;
	if (day) {
		l.x0 = m + 1.5 * fs;
		l.x1 = w - m - 1.5 * fs;
		day_window(&r->days[0], &l.t0_ms, &l.t1_ms);
		l.tick_radius = MAX(2.5, fs * 0.32);
		l.tick_y = l.y0 + l.tick_radius + 1;
		l.bar_top = l.tick_y + l.tick_radius + fs * 0.7;
		l.bar_bottom = l.y1;
		l.bar_step = l.bar_bottom - 0.6 * (l.bar_bottom - l.bar_top);
	} else {
		double most = MAX(o->upright_target_seconds, 0) / 3600.0, step;

		l.x0 = m + 3.2 * fs;
		l.x1 = w - m;
		for (unsigned i = 0; i < r->n_days; i++) {
			const struct report_figures *f = &r->days[i].fig;
			int64_t s = 0;

			for (int c = 0; c < _REPORT_CLASS_MAX; c++)
				s += f->bout_seconds_by_class[c];
			most = MAX(most, s / 3600.0);
			if (f->measured_seconds > 0)
				most = MAX(most, f->upright_seconds / 3600.0);
		}
		step = most > 12 ? 4 : most > 6 ? 2 : 1;
		l.hours_max = MAX(step, ceil(most / step - 1e-9) * step);
		l.sit_left = 0.12;
		l.sit_right = 0.55;
		l.up_left = 0.58;
		l.up_right = 0.86;
	}
	*ret_width = w;
	*ret_height = h;
	*ret_layout = l;
}

static double
time_x(const struct plot_layout *l, int64_t t_ms)
{
	t_ms = CLAMP(t_ms, l->t0_ms, l->t1_ms);
	return l->x0 + (double) (t_ms - l->t0_ms) * (l->x1 - l->x0) / (double) (l->t1_ms - l->t0_ms);
}

static void
draw_day(struct plot *p, const struct report *r, const struct plot_options *o,
	 const struct plot_layout *l)
{
	const struct report_day *d = &r->days[0];
	const struct report_figures *f = &d->fig;
	cairo_t *cr = p->cr;
	double px_per_hour = (l->x1 - l->x0) * HOUR_MS / (double) (l->t1_ms - l->t0_ms);
	int label_every = 1;
	char date[64], a[32], b[32], line[64];
	g_autoptr(GString) heading = g_string_new(NULL);
	double x, y;

	/* title: the date and the totals */
	g_date_strftime(date, sizeof(date), "%A %Y-%m-%d", &d->date);
	hm(f->sitting_seconds, a, sizeof(a));
	g_string_append_printf(heading, "%s \u2014 sitting %s in %u bout%s", date, a, f->bouts,
			       f->bouts == 1 ? "" : "s");
	if (f->bouts) {
		hm(f->longest_bout_seconds, b, sizeof(b));
		g_string_append_printf(heading, ", longest %s, %u prolonged", b, f->prolonged_bouts);
	}
	g_string_append_printf(heading, "; %u prompt%s, %u heeded", f->prompts,
			       f->prompts == 1 ? "" : "s", f->prompts_heeded);
	if (f->measured_seconds > 0) {
		hm(f->upright_seconds, a, sizeof(a));
		g_string_append_printf(heading, "; upright %s", a);
	}
	title(p, heading->str);

	/* legend */
	y = p->fs * 3.2;
	x = p->fs;
	for (int c = 0; c < _REPORT_CLASS_MAX; c++)
		x = legend_swatch(p, x, y, plot_class_rgb[c], class_label[c]);
	prompt_mark(p, x + l->tick_radius, y, l->tick_radius, true);
	x += 2 * l->tick_radius + p->fs * 0.4;
	x += text(p, false, ink_rgb, x, y, 0, 0.5, "prompt heeded") + p->fs * 1.2;
	prompt_mark(p, x + l->tick_radius, y, l->tick_radius, false);
	x += 2 * l->tick_radius + p->fs * 0.4;
	x += text(p, false, ink_rgb, x, y, 0, 0.5, "not heeded") + p->fs * 1.2;
	if (o->prolonged_seconds > 0) {
		hm(o->prolonged_seconds, a, sizeof(a));
		rect(cr, plot_class_rgb[REPORT_CLASS_30], x, y - p->fs * 0.05, p->fs * 0.7,
		     p->fs * 0.5);
		rect(cr, plot_class_rgb[REPORT_CLASS_30], x + p->fs * 0.7, y - p->fs * 0.45,
		     p->fs * 0.7, p->fs * 0.9);
		x += p->fs * 1.8;
		snprintf(line, sizeof(line), "taller after %s sitting", a);
		text(p, false, ink_rgb, x, y, 0, 0.5, line);
	}

	/* hour grid and labels */
	while (label_every < 6 && label_every * px_per_hour < text_width(p, "00:00") * 1.5)
		label_every = label_every == 4 ? 6 : label_every + 1 + (label_every == 2);
	cairo_set_line_width(cr, 1);
	for (int64_t t = l->t0_ms; t <= l->t1_ms; t += HOUR_MS) {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(t / 1000);
		double hx = round(time_x(l, t)) + 0.5;

		set_rgb(cr, grid_rgb);
		cairo_move_to(cr, hx, l->bar_top);
		cairo_line_to(cr, hx, l->bar_bottom + p->fs * 0.3);
		cairo_stroke(cr);
		if (dt && g_date_time_get_hour(dt) % label_every == 0) {
			g_autofree char *s = g_date_time_format(dt, "%H:%M");

			text(p, false, muted_rgb, hx, l->bar_bottom + p->fs * 0.4, 0.5, 0, s);
		}
	}
	set_rgb(cr, muted_rgb);
	cairo_move_to(cr, l->x0, l->bar_bottom + 0.5);
	cairo_line_to(cr, l->x1, l->bar_bottom + 0.5);
	cairo_stroke(cr);

	if (!d->bout_list || d->bout_list->len == 0)
		text(p, false, muted_rgb, (l->x0 + l->x1) / 2, (l->bar_top + l->bar_bottom) / 2,
		     0.5, 0.5, "no sitting recorded");

	/* bouts; a break is the gap between two */
	for (guint k = 0; d->bout_list && k < d->bout_list->len; k++) {
		const struct report_bout *bt = &g_array_index(d->bout_list, struct report_bout, k);
		enum report_class c = class_of(bt->seconds);
		double bx0 = time_x(l, bt->start_ms), bx1 = time_x(l, bt->end_ms);

		double mx = bx1;

		/* the 30-min line: a bout rises to full height once it is prolonged, so that
		 * the tall parts are the time sat past it (and a line is never taken for a
		 * break) */
		if (o->prolonged_seconds > 0 && bt->seconds > o->prolonged_seconds)
			mx = time_x(l, bt->start_ms + o->prolonged_seconds * 1000);
		else if (o->prolonged_seconds <= 0)
			mx = bx0;
		rect(cr, plot_class_rgb[c], bx0, l->bar_step, MAX(bx1 - bx0, 1.0),
		     l->bar_bottom - l->bar_step);
		if (bx1 > mx)
			rect(cr, plot_class_rgb[c], mx, l->bar_top, bx1 - mx,
			     l->bar_step - l->bar_top + 1);
	}

	/* prompts above the bars, a stem down to them */
	for (guint k = 0; d->prompt_list && k < d->prompt_list->len; k++) {
		const struct report_prompt *q =
			&g_array_index(d->prompt_list, struct report_prompt, k);
		double qx = time_x(l, q->t_ms);

		set_rgb(cr, ink_rgb);
		cairo_set_line_width(cr, 1);
		cairo_move_to(cr, round(qx) + 0.5, l->tick_y + l->tick_radius);
		cairo_line_to(cr, round(qx) + 0.5, l->bar_top);
		cairo_stroke(cr);
		prompt_mark(p, qx, l->tick_y, l->tick_radius, q->heeded);
	}
}

static void
draw_range(struct plot *p, const struct report *r, const struct plot_options *o,
	   const struct plot_layout *l)
{
	const struct report_figures *f = &r->total;
	cairo_t *cr = p->cr;
	double slot = (l->x1 - l->x0) / r->n_days;
	double px_per_hour = (l->y1 - l->y0) / l->hours_max, label_w = 0;
	double step = l->hours_max > 12 ? 4 : l->hours_max > 6 ? 2 : 1;
	const char *day_fmt = r->n_days <= 14 ? "%a %d" : "%m-%d";
	unsigned label_every;
	char since[16], until[16], a[32], b[32], line[96];
	g_autoptr(GString) heading = g_string_new(NULL);
	double x, y;

	/* title */
	g_date_strftime(since, sizeof(since), "%Y-%m-%d", &r->since);
	g_date_strftime(until, sizeof(until), "%Y-%m-%d", &r->until);
	hm(f->sitting_seconds, a, sizeof(a));
	hm(f->sitting_seconds / r->n_days, b, sizeof(b));
	g_string_append_printf(heading, "%s \u2013 %s \u2014 sitting %s (%s a day), %u bouts, %u "
			       "prolonged", since, until, a, b, f->bouts, f->prolonged_bouts);
	if (f->measured_seconds > 0 && f->days_measured > 0) {
		hm(f->upright_seconds / f->days_measured, a, sizeof(a));
		g_string_append_printf(heading, "; upright %s a day on %u measured day%s", a,
				       f->days_measured, f->days_measured == 1 ? "" : "s");
	} else {
		g_string_append(heading, "; upright not measured");
	}
	title(p, heading->str);

	/* legend */
	y = p->fs * 3.2;
	x = p->fs;
	for (int c = 0; c < _REPORT_CLASS_MAX; c++)
		x = legend_swatch(p, x, y, plot_class_rgb[c], class_label[c]);
	x = legend_swatch(p, x, y, plot_upright_rgb, "upright (standing, walking)");
	if (o->upright_target_seconds > 0) {
		hm(o->upright_target_seconds, a, sizeof(a));
		snprintf(line, sizeof(line), "upright target %s a day", a);
		set_rgb(cr, target_rgb);
		cairo_set_line_width(cr, 2);
		cairo_set_dash(cr, (double[]){ 5, 3 }, 2, 0);
		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + p->fs * 1.6, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		x += p->fs * 2;
		x += text(p, false, ink_rgb, x, y, 0, 0.5, line) + p->fs * 1.2;
	}
	for (unsigned i = 0; i < r->n_days; i++)
		if (r->days[i].fig.measured_seconds <= 0) {
			rect(cr, muted_rgb, x, y - 0.75, p->fs * 1.2, 1.5);
			text(p, false, ink_rgb, x + p->fs * 1.6, y, 0, 0.5, "upright not measured");
			break;
		}

	/* hour axis and grid, behind the bars */
	cairo_set_line_width(cr, 1);
	for (double hr = 0; hr <= l->hours_max + 1e-9; hr += step) {
		double gy = round(l->y1 - hr * px_per_hour) + 0.5;

		set_rgb(cr, hr == 0 ? muted_rgb : grid_rgb);
		cairo_move_to(cr, l->x0, gy);
		cairo_line_to(cr, l->x1, gy);
		cairo_stroke(cr);
		snprintf(line, sizeof(line), "%.0f h", hr);
		text(p, false, muted_rgb, l->x0 - p->fs * 0.4, gy, 1, 0.5, line);
	}
	if (o->upright_target_seconds > 0) {
		double ty = round(l->y1 - o->upright_target_seconds / 3600.0 * px_per_hour);

		set_rgb(cr, target_rgb);
		cairo_set_line_width(cr, 2);
		cairo_set_dash(cr, (double[]){ 6, 4 }, 2, 0);
		cairo_move_to(cr, l->x0, ty);
		cairo_line_to(cr, l->x1, ty);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}

	/* day labels, thinned out to fit */
	for (unsigned i = 0; i < r->n_days; i++) {
		g_date_strftime(line, sizeof(line), day_fmt, &r->days[i].date);
		label_w = MAX(label_w, text_width(p, line));
	}
	label_every = MAX(1u, (unsigned) ceil((label_w + p->fs) / slot));

	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_figures *df = &r->days[i].fig;
		double sx = l->x0 + i * slot, base = l->y1;

		for (int c = 0; c < _REPORT_CLASS_MAX; c++) {
			double hgt = df->bout_seconds_by_class[c] / 3600.0 * px_per_hour;

			if (hgt <= 0)
				continue;
			rect(cr, plot_class_rgb[c], sx + l->sit_left * slot, base - hgt,
			     (l->sit_right - l->sit_left) * slot, hgt);
			base -= hgt;
		}
		if (df->measured_seconds > 0) {
			double hgt = df->upright_seconds / 3600.0 * px_per_hour;

			rect(cr, plot_upright_rgb, sx + l->up_left * slot, l->y1 - hgt,
			     (l->up_right - l->up_left) * slot, hgt);
		} else {
			/* not measured: a grey dash on the axis, not a bar of 0 h */
			rect(cr, muted_rgb, sx + l->up_left * slot, l->y1 - 1.5,
			     (l->up_right - l->up_left) * slot, 1.5);
		}
		if (i % label_every == 0) {
			g_date_strftime(line, sizeof(line), day_fmt, &r->days[i].date);
			text(p, false, muted_rgb, sx + slot / 2, l->y1 + p->fs * 0.4, 0.5, 0, line);
		}
	}
}

static void
draw(cairo_surface_t *surface, const struct report *r, const struct plot_options *o,
     unsigned width, unsigned height, const struct plot_layout *l)
{
	struct plot p = {
		.cr = cairo_create(surface),
		.width = width,
		.height = height,
		.fs = font_size(width, height, r->n_days == 1 ? 28 : 32),
	};

	p.layout = pango_cairo_create_layout(p.cr);
	p.font = pango_font_description_from_string("Sans");
	pango_font_description_set_absolute_size(p.font, p.fs * PANGO_SCALE);
	p.bold = pango_font_description_copy(p.font);
	pango_font_description_set_weight(p.bold, PANGO_WEIGHT_BOLD);

	set_rgb(p.cr, plot_background_rgb);
	cairo_paint(p.cr);
	if (r->n_days == 1)
		draw_day(&p, r, o, l);
	else
		draw_range(&p, r, o, l);

	pango_font_description_free(p.bold);
	pango_font_description_free(p.font);
	g_object_unref(p.layout);
	cairo_destroy(p.cr);
}

struct sink {
	int fd;
	int error; /* errno of the first failed write */
};

static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	struct sink *k = closure;

	while (length > 0) {
		ssize_t n = write(k->fd, data, length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			k->error = n < 0 ? errno : EIO;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		length -= (unsigned) n;
	}
	return CAIRO_STATUS_SUCCESS;
}

static int
fail(GError **error, const char *path, int err, const char *why)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s", path,
		    why ? why : g_strerror(err));
	return -err;
}

int
plot_report(const struct report *r, const struct plot_options *o, const char *path,
	    GError **error)
{
	g_autofree char *dir = NULL, *tmp = NULL;
	struct plot_layout layout;
	struct stat old;
	enum plot_format format;
	struct sink sink = { .fd = -1 };
	cairo_surface_t *surface;
	cairo_status_t status;
	unsigned width, height;
	int err = 0;

	if (plot_format_from_path(path, &format) < 0)
		return fail(error, path, EINVAL, "unsupported extension (want .svg or .png)");
	if (r->n_days == 0)
		return fail(error, path, EINVAL, "nothing to draw (no days)");
	plot_layout_compute(r, o, &width, &height, &layout);

	/* a temporary file beside it, renamed over it when complete; its name short whatever
	 * the image's (a name of 255 bytes is valid), its mode 0600 (the figures are the
	 * user's), or that of the image it replaces */
	dir = g_path_get_dirname(path);
	tmp = g_build_filename(dir, ".sitlog-plot.XXXXXX", NULL);
	sink.fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
	if (sink.fd < 0)
		return fail(error, path, errno, NULL);
	if (stat(path, &old) == 0 && S_ISREG(old.st_mode) &&
	    fchmod(sink.fd, old.st_mode & 07777) < 0) {
		err = errno;
		close(sink.fd);
		(void) g_unlink(tmp);
		return fail(error, path, err, NULL);
	}

	if (format == PLOT_FORMAT_SVG) {
		surface = cairo_svg_surface_create_for_stream(sink_write, &sink, width, height);
		cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);
		draw(surface, r, o, width, height, &layout);
		cairo_surface_finish(surface);
		status = cairo_surface_status(surface);
	} else {
		surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int) width, (int) height);
		draw(surface, r, o, width, height, &layout);
		cairo_surface_flush(surface);
		status = cairo_surface_status(surface);
		if (status == CAIRO_STATUS_SUCCESS)
			status = cairo_surface_write_to_png_stream(surface, sink_write, &sink);
	}
	cairo_surface_destroy(surface);

	if (sink.error)
		err = sink.error;
	else if (status != CAIRO_STATUS_SUCCESS)
		err = status == CAIRO_STATUS_NO_MEMORY ? ENOMEM : EIO;
	else if (fsync(sink.fd) < 0)
		err = errno;
	if (close(sink.fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		(void) g_unlink(tmp);
		return fail(error, path, err,
			    status != CAIRO_STATUS_SUCCESS && !sink.error ?
				    cairo_status_to_string(status) :
				    NULL);
	}
	return 0;
}
