/* SPDX-License-Identifier: MIT */
/*
 * `sitlog report --plot` (cli/plot.c): the images are valid PNG and SVG of the requested size,
 * and their pixels show the scenario: the bouts of a day at the x of their times, in the colour
 * of their length class (computed here from the scenario, not taken from the report), the
 * 30-min step, the prompts filled when heeded; a range's bars as high as the hours they stand
 * for. The SVG is rendered with rsvg-convert and sampled the same way. Then the errors and the
 * sitlog binary's --plot and --size. In Europe/Berlin, as test-report.
 */
#include <cairo.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "close-bout.h"
#include "plot.h"
#include "report.h"
#include "store-fixture.h"
#include "store.h"

#define MIN_MS ((int64_t) 60 * 1000)
#define HOUR_MS (60 * MIN_MS)
#define HEED_WINDOW_MS (5 * MIN_MS)
#define PROLONGED_S (30 * 60)
/* how far from a bar's edge (in minutes of the day view) a sample must be to be sure of it */
#define EDGE_MS (2 * MIN_MS)

static int64_t
local_ms(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(y, mo, d, h, mi, s);

	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt) * 1000;
}

static GDate
date(int y, int mo, int d)
{
	GDate g;

	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay) d, (GDateMonth) mo, (GDateYear) y);
	return g;
}

/* A missing tool the test needs: a visible skip, an error in CI. */
static void
skip_or_fail(const char *why)
{
	if (g_strcmp0(g_getenv("CI"), "true") == 0)
		g_error("%s, and CI must run everything", why);
	g_test_skip(why);
}

/* ---------------------------------------------------------------- the scenario */

struct scenario_bout {
	int h0, m0, h1, m1;
	int prompts[2][2]; /* h, m of up to two prompts ({0, 0}: none) */
};

/* 2026-03-02 (Monday): one bout of each class, two short ones, prompts heeded and not */
static const struct scenario_bout day_bouts[] = {
	{ 8, 10, 8, 25, { { 0, 0 } } },			/* 15 min */
	{ 9, 0, 9, 45, { { 9, 30 }, { 9, 42 } } },	/* 45 min: 09:30 not heeded, 09:42 heeded */
	{ 10, 30, 11, 40, { { 11, 0 }, { 11, 38 } } },	/* 70 min */
	{ 13, 0, 14, 40, { { 13, 30 }, { 0, 0 } } },	/* 100 min */
	{ 15, 0, 15, 20, { { 0, 0 } } },		/* 20 min */
};

struct fixture {
	char *dir;
	char *db;
	struct store *s;
	int64_t device;
};

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	test_store_open("sitlog-test-plot-XXXXXX", "Chair", &f->dir, &f->db, &f->s, &f->device);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	store_close(f->s);
	test_rm_rf(f->dir); /* everything the test made in its directory */
	g_free(f->db);
	g_free(f->dir);
}

static void
sit(struct fixture *f, int64_t a, int64_t b, const int64_t *ts, size_t n)
{
	int64_t seg, id;

	g_assert_cmpint(store_segment_begin(f->s, f->device, POSTURE_SITTING, a, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->s, seg, b), ==, 0);
	g_assert_cmpint(store_bout_begin(f->s, a, &id), ==, 0);
	for (size_t k = 0; k < n; k++)
		g_assert_cmpint(store_prompt_add(f->s, id, ts[k], ts[k] - a, (unsigned) k, "due",
						 "none", NULL),
				==, 0);
	g_assert_cmpint(test_close_bout(f->s, id, b, "break", HEED_WINDOW_MS), ==, 0);
}

static void
populate_day(struct fixture *f)
{
	for (size_t i = 0; i < G_N_ELEMENTS(day_bouts); i++) {
		const struct scenario_bout *b = &day_bouts[i];
		int64_t ts[2];
		size_t n = 0;

		for (int k = 0; k < 2; k++)
			if (b->prompts[k][0])
				ts[n++] = local_ms(2026, 3, 2, b->prompts[k][0], b->prompts[k][1], 0);
		sit(f, local_ms(2026, 3, 2, b->h0, b->m0, 0), local_ms(2026, 3, 2, b->h1, b->m1, 0),
		    ts, n);
	}
}

/* The class of a bout of this length, by report.h's boundaries, here on its own. */
static enum report_class
class_of_minutes(int minutes)
{
	return minutes >= 90 ? REPORT_CLASS_90 :
	       minutes >= 60 ? REPORT_CLASS_60 :
	       minutes >= 30 ? REPORT_CLASS_30 :
			       REPORT_CLASS_SHORT;
}

/* ---------------------------------------------------------------- pixels */

struct image {
	cairo_surface_t *surface;
	int width, height, stride;
	const unsigned char *data;
};

static void
image_load(struct image *img, const char *png)
{
	img->surface = cairo_image_surface_create_from_png(png);
	g_assert_cmpint(cairo_surface_status(img->surface), ==, CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(img->surface);
	img->width = cairo_image_surface_get_width(img->surface);
	img->height = cairo_image_surface_get_height(img->surface);
	img->stride = cairo_image_surface_get_stride(img->surface);
	img->data = cairo_image_surface_get_data(img->surface);
}

static void
image_clear(struct image *img)
{
	cairo_surface_destroy(img->surface);
}

static struct plot_rgb
pixel(const struct image *img, double x, double y)
{
	int ix = (int) floor(x), iy = (int) floor(y);
	uint32_t v;

	g_assert_cmpint(ix, >=, 0);
	g_assert_cmpint(ix, <, img->width);
	g_assert_cmpint(iy, >=, 0);
	g_assert_cmpint(iy, <, img->height);
	memcpy(&v, img->data + (size_t) iy * img->stride + (size_t) ix * 4, 4);
	/* cairo's native-endian xRGB (an opaque image: the background is painted) */
	return (struct plot_rgb){ (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
}

static bool
same(struct plot_rgb a, struct plot_rgb b)
{
	return abs(a.r - b.r) <= 8 && abs(a.g - b.g) <= 8 && abs(a.b - b.b) <= 8;
}

static int
class_at(const struct image *img, double x, double y)
{
	struct plot_rgb p = pixel(img, x, y);

	for (int c = 0; c < _REPORT_CLASS_MAX; c++)
		if (same(p, plot_class_rgb[c]))
			return c;
	return -1;
}

/* PNG: the signature and the IHDR's size, read here, not by cairo */
static void
assert_png_size(const char *path, unsigned width, unsigned height)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	g_autofree char *buf = NULL;
	const unsigned char *b;
	gsize len;

	g_assert_true(g_file_get_contents(path, &buf, &len, NULL));
	g_assert_cmpuint(len, >, 33);
	b = (const unsigned char *) buf;
	g_assert_cmpmem(b, 8, sig, 8);
	g_assert_cmpmem(b + 12, 4, "IHDR", 4);
	g_assert_cmpuint((unsigned) b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19], ==, width);
	g_assert_cmpuint((unsigned) b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23], ==, height);
}

/* ---------------------------------------------------------------- the day view */

static double
x_of(const struct plot_layout *l, int64_t t)
{
	return l->x0 + (double) (t - l->t0_ms) * (l->x1 - l->x0) / (double) (l->t1_ms - l->t0_ms);
}

/* Every column of the plot area against the scenario: inside a bout (by more than EDGE_MS)
 * its class colour in the low part of the bar, and in the high part only past 30 min; in a
 * break no bar colour at all. Prompts: a filled mark when heeded, hollow when not. */
static void
check_day_pixels(const struct image *img, const struct plot_layout *l)
{
	double y_low = l->bar_bottom - 0.25 * (l->bar_bottom - l->bar_step);
	double y_high = l->bar_top + 0.3 * (l->bar_step - l->bar_top);
	unsigned inside = 0, outside = 0, tall = 0;

	/* the documented window: 07:00-19:00, the scenario lies within it */
	g_assert_cmpint(l->t0_ms, ==, local_ms(2026, 3, 2, 7, 0, 0));
	g_assert_cmpint(l->t1_ms, ==, local_ms(2026, 3, 2, 19, 0, 0));

	for (int x = (int) ceil(l->x0) + 1; x < (int) l->x1 - 1; x++) {
		int64_t t = l->t0_ms + (int64_t) ((x + 0.5 - l->x0) / (l->x1 - l->x0) *
						  (double) (l->t1_ms - l->t0_ms));
		int expect = -1, expect_high = -1;
		bool unsure = false;

		for (size_t i = 0; i < G_N_ELEMENTS(day_bouts); i++) {
			const struct scenario_bout *b = &day_bouts[i];
			int64_t a = local_ms(2026, 3, 2, b->h0, b->m0, 0);
			int64_t e = local_ms(2026, 3, 2, b->h1, b->m1, 0);
			int minutes = (int) ((e - a) / MIN_MS);

			if (t > a - EDGE_MS && t < e + EDGE_MS && (t < a + EDGE_MS || t > e - EDGE_MS))
				unsure = true;
			if (t >= a + EDGE_MS && t <= e - EDGE_MS) {
				expect = class_of_minutes(minutes);
				if (minutes > 30 && t > a + 30 * MIN_MS + EDGE_MS)
					expect_high = expect;
				else if (minutes > 30 && t > a + 30 * MIN_MS - EDGE_MS)
					unsure = true;
			}
		}
		if (unsure)
			continue;
		g_test_message("x=%d t=%" G_GINT64_FORMAT, x, t);
		g_assert_cmpint(class_at(img, x, y_low), ==, expect);
		g_assert_cmpint(class_at(img, x, y_high), ==, expect_high);
		if (expect >= 0)
			inside++;
		else
			outside++;
		if (expect_high >= 0)
			tall++;
	}
	/* the loop did look at bouts, breaks and prolonged parts */
	g_assert_cmpuint(inside, >, 100);
	g_assert_cmpuint(outside, >, 100);
	g_assert_cmpuint(tall, >, 50);

	/* prompts: heeded when the bout ended within the heed window after it */
	for (size_t i = 0; i < G_N_ELEMENTS(day_bouts); i++) {
		const struct scenario_bout *b = &day_bouts[i];
		int64_t e = local_ms(2026, 3, 2, b->h1, b->m1, 0);

		for (int k = 0; k < 2 && b->prompts[k][0]; k++) {
			int64_t t = local_ms(2026, 3, 2, b->prompts[k][0], b->prompts[k][1], 0);
			bool heeded = e - t <= HEED_WINDOW_MS;
			struct plot_rgb c = pixel(img, x_of(l, t), l->tick_y);

			g_assert_true(same(c, plot_background_rgb) == !heeded);
			g_assert_true(c.r < 0x40 || !heeded);
			/* the ring of a hollow mark */
			g_assert_false(same(pixel(img, x_of(l, t), l->tick_y - l->tick_radius),
					    plot_background_rgb));
		}
	}
	/* no mark above the short first bout */
	g_assert_true(same(pixel(img, x_of(l, local_ms(2026, 3, 2, 8, 17, 0)), l->tick_y),
			   plot_background_rgb));
}

static void
compute(struct fixture *f, GDate since, GDate until, struct report *ret)
{
	g_assert_cmpint(report_compute(f->s, &since, &until, PROLONGED_S * USEC_PER_SEC,
				       REPORT_LISTS, ret),
			==, 0);
}

static void
test_plot_day_png(struct fixture *f, gconstpointer data)
{
	const struct plot_options o = { .prolonged_seconds = PROLONGED_S };
	g_autofree char *png = g_build_filename(f->dir, "day.png", NULL);
	g_autoptr(GError) error = NULL;
	struct plot_layout l;
	struct image img;
	struct report r;
	unsigned w, h;

	populate_day(f);
	compute(f, date(2026, 3, 2), date(2026, 3, 2), &r);
	g_assert_cmpint(plot_report(&r, &o, png, &error), ==, 0);
	g_assert_no_error(error);
	plot_layout_compute(&r, &o, &w, &h, &l);
	report_clear(&r);

	g_assert_cmpuint(w, ==, 1200);
	g_assert_cmpuint(h, ==, 400);
	assert_png_size(png, 1200, 400);
	image_load(&img, png);
	check_day_pixels(&img, &l);
	image_clear(&img);
}

/* The window widens to the whole hours around data outside 07:00-19:00. */
static void
test_plot_day_window(struct fixture *f, gconstpointer data)
{
	const struct plot_options o = { .prolonged_seconds = PROLONGED_S };
	struct plot_layout l;
	struct report r;
	unsigned w, h;

	sit(f, local_ms(2026, 3, 3, 5, 40, 0), local_ms(2026, 3, 3, 6, 10, 0), NULL, 0);
	sit(f, local_ms(2026, 3, 3, 19, 30, 0), local_ms(2026, 3, 3, 20, 15, 0), NULL, 0);
	compute(f, date(2026, 3, 3), date(2026, 3, 3), &r);
	plot_layout_compute(&r, &o, &w, &h, &l);
	g_assert_cmpint(l.t0_ms, ==, local_ms(2026, 3, 3, 5, 0, 0));
	g_assert_cmpint(l.t1_ms, ==, local_ms(2026, 3, 3, 21, 0, 0));
	report_clear(&r);

	/* a bout into the next day ends the window at midnight */
	sit(f, local_ms(2026, 3, 4, 23, 10, 0), local_ms(2026, 3, 5, 0, 40, 0), NULL, 0);
	compute(f, date(2026, 3, 4), date(2026, 3, 4), &r);
	plot_layout_compute(&r, &o, &w, &h, &l);
	g_assert_cmpint(l.t0_ms, ==, local_ms(2026, 3, 4, 7, 0, 0));
	g_assert_cmpint(l.t1_ms, ==, local_ms(2026, 3, 5, 0, 0, 0));
	report_clear(&r);

	/* the 23-hour day: 01:30-03:30 local is one real hour, and the axis is real time */
	sit(f, local_ms(2026, 3, 29, 1, 30, 0), local_ms(2026, 3, 29, 3, 30, 0), NULL, 0);
	compute(f, date(2026, 3, 29), date(2026, 3, 29), &r);
	plot_layout_compute(&r, &o, &w, &h, &l);
	g_assert_cmpint(l.t0_ms, ==, local_ms(2026, 3, 29, 1, 0, 0));
	g_assert_cmpint(l.t1_ms, ==, local_ms(2026, 3, 29, 19, 0, 0));
	g_assert_cmpint(l.t1_ms - l.t0_ms, ==, 17 * HOUR_MS);
	report_clear(&r);
}

struct svg_root {
	char *name, *width, *height;
};

static void
svg_start(GMarkupParseContext *ctx, const char *element, const char **names,
	  const char **values, gpointer user_data, GError **error)
{
	struct svg_root *root = user_data;

	if (root->name)
		return;
	root->name = g_strdup(element);
	for (int i = 0; names[i]; i++) {
		if (g_str_equal(names[i], "width"))
			root->width = g_strdup(values[i]);
		else if (g_str_equal(names[i], "height"))
			root->height = g_strdup(values[i]);
	}
}

/* The same day as SVG at another size: well-formed XML whose <svg> says the size; rendered by
 * rsvg-convert, the same pixels. */
static void
test_plot_day_svg(struct fixture *f, gconstpointer data)
{
	const struct plot_options o = { .prolonged_seconds = PROLONGED_S, .width = 900,
					.height = 300 };
	const GMarkupParser parser = { .start_element = svg_start };
	g_autofree char *svg = g_build_filename(f->dir, "day.SVG", NULL);
	g_autofree char *png = g_build_filename(f->dir, "rendered.png", NULL);
	g_autofree char *text = NULL, *rsvg = g_find_program_in_path("rsvg-convert");
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GMarkupParseContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	struct svg_root root = { 0 };
	struct plot_layout l;
	struct image img;
	struct report r;
	unsigned w, h;
	gsize len;
	int status;

	populate_day(f);
	compute(f, date(2026, 3, 2), date(2026, 3, 2), &r);
	g_assert_cmpint(plot_report(&r, &o, svg, &error), ==, 0);
	g_assert_no_error(error);
	plot_layout_compute(&r, &o, &w, &h, &l);
	report_clear(&r);

	g_assert_true(g_file_get_contents(svg, &text, &len, NULL));
	ctx = g_markup_parse_context_new(&parser, 0, &root, NULL);
	g_assert_true(g_markup_parse_context_parse(ctx, text, (gssize) len, &error));
	g_assert_true(g_markup_parse_context_end_parse(ctx, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(root.name, ==, "svg");
	g_assert_cmpstr(root.width, ==, "900px");
	g_assert_cmpstr(root.height, ==, "300px");
	g_free(root.name);
	g_free(root.width);
	g_free(root.height);

	if (!rsvg) {
		skip_or_fail("rsvg-convert not found (Debian: librsvg2-bin)");
		return;
	}
	g_assert_true(g_spawn_sync(NULL, (char *[]){ rsvg, "-o", png, svg, NULL }, NULL,
				   G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
	g_assert_no_error(error);
	g_assert_cmpint(status, ==, 0);
	assert_png_size(png, 900, 300);
	image_load(&img, png);
	check_day_pixels(&img, &l);
	image_clear(&img);
}

/* ---------------------------------------------------------------- the range view */

/* Day i's bars against the hours they stand for: sitting stacked by class from the axis up,
 * upright beside it where measured, nothing of upright's colour where not. */
static void
check_range_bars(const struct image *img, const struct plot_layout *l, unsigned n_days,
		 const int64_t (*class_s)[_REPORT_CLASS_MAX], const int64_t *upright_s,
		 const bool *measured)
{
	double slot = (l->x1 - l->x0) / n_days, px_per_s = (l->y1 - l->y0) / l->hours_max / 3600;

	for (unsigned i = 0; i < n_days; i++) {
		double xs = l->x0 + (i + (l->sit_left + l->sit_right) / 2) * slot;
		double xu = l->x0 + (i + (l->up_left + l->up_right) / 2) * slot;
		double base = l->y1, total = 0;

		for (int c = 0; c < _REPORT_CLASS_MAX; c++) {
			double hgt = class_s[i][c] * px_per_s;

			if (hgt >= 5)
				g_assert_cmpint(class_at(img, xs, base - hgt / 2), ==, c);
			base -= hgt;
			total += hgt;
		}
		g_assert_cmpfloat(total, <=, l->y1 - l->y0 + 0.5); /* it fits */
		/* the top: bar colour 2 px below it, none 2 px above it */
		if (total >= 3)
			g_assert_cmpint(class_at(img, xs, l->y1 - total + 2), >=, 0);
		g_assert_cmpint(class_at(img, xs, l->y1 - total - 2), ==, -1);

		if (measured[i]) {
			double hgt = upright_s[i] * px_per_s;

			if (hgt >= 3)
				g_assert_true(same(pixel(img, xu, l->y1 - hgt + 2),
						   plot_upright_rgb));
			g_assert_false(same(pixel(img, xu, l->y1 - hgt - 2), plot_upright_rgb));
		} else {
			for (double y = l->y0; y < l->y1 + 2; y++)
				g_assert_false(same(pixel(img, xu, y), plot_upright_rgb));
		}
	}
}

/* A report made by hand: the range view draws what the fields say. */
static void
test_plot_range_bars(void)
{
	static const int64_t class_s[7][_REPORT_CLASS_MAX] = {
		{ 3600, 2700, 3900, 0 },    { 1800, 0, 0, 6000 }, { 0, 0, 0, 0 },
		{ 5400, 1800, 0, 0 },       { 600, 2400, 4200, 5700 }, { 1200, 0, 0, 0 },
		{ 7200, 3600, 3600, 5400 },
	};
	static const int64_t upright_s[7] = { 3600, 9000, 0, 0, 1800, 600, 7200 };
	static const bool measured[7] = { true, true, true, false, true, false, true };
	const struct plot_options o = { .upright_target_seconds = 7200 };
	g_autofree char *dir = g_dir_make_tmp("sitlog-test-plot-XXXXXX", NULL);
	g_autofree char *png = g_build_filename(dir, "week.png", NULL);
	g_autoptr(GError) error = NULL;
	struct report r = { .n_days = 7 };
	struct plot_layout l;
	struct image img;
	unsigned w, h;
	double ty;
	bool target_seen = false;

	r.since = date(2026, 3, 2);
	r.until = date(2026, 3, 8);
	r.days = g_new0(struct report_day, 7);
	for (unsigned i = 0; i < 7; i++) {
		struct report_day *d = &r.days[i];

		d->date = date(2026, 3, 2 + (int) i);
		for (int c = 0; c < _REPORT_CLASS_MAX; c++) {
			d->fig.bout_seconds_by_class[c] = class_s[i][c];
			d->fig.sitting_seconds += class_s[i][c];
		}
		d->fig.upright_seconds = upright_s[i];
		d->fig.measured_seconds = measured[i] ? 8 * 3600 : 0;
		r.total.sitting_seconds += d->fig.sitting_seconds;
	}
	g_assert_cmpint(plot_report(&r, &o, png, &error), ==, 0);
	g_assert_no_error(error);
	plot_layout_compute(&r, &o, &w, &h, &l);
	g_free(r.days);

	assert_png_size(png, 1200, 500);
	g_assert_cmpfloat(l.hours_max, >=, 19800 / 3600.0);
	image_load(&img, png);
	check_range_bars(&img, &l, 7, class_s, upright_s, measured);
	/* the target line at 2 h, between the bars of day 2 (which has none) */
	ty = l.y1 - 2 * (l.y1 - l.y0) / l.hours_max;
	for (double x = l.x0 + 2 * (l.x1 - l.x0) / 7; x < l.x0 + 3 * (l.x1 - l.x0) / 7; x++)
		target_seen |= !same(pixel(&img, x, ty), plot_background_rgb) &&
			       pixel(&img, x, ty).r > 0xc0 && pixel(&img, x, ty).b < 0x40;
	g_assert_true(target_seen);
	image_clear(&img);
	g_unlink(png);
	g_rmdir(dir);
}

/* Through the store and report_compute: three days, the bars as high as the scenario's bouts,
 * upright from a worn sensor's standing and walking on the one day it was worn.
 */
static void
test_plot_range_from_store(struct fixture *f, gconstpointer data)
{
	/* day d: bouts [h0:m0, h1:m1) */
	static const struct {
		int day, h0, m0, h1, m1;
	} bouts[] = {
		{ 2, 8, 0, 8, 50 }, { 2, 9, 0, 10, 40 }, { 2, 14, 0, 14, 20 },
		{ 3, 9, 0, 11, 0 }, { 4, 10, 0, 10, 10 }, { 4, 11, 0, 12, 5 },
	};
	int64_t class_s[3][_REPORT_CLASS_MAX] = { { 0 } }, upright_s[3] = { 0, 3600, 0 }, sum = 0;
	const bool measured[3] = { false, true, false };
	const struct store_device imu = { .name = "Phone", .role = "imu" };
	int64_t imu_id, seg;
	const struct plot_options o = { .upright_target_seconds = 7200 };
	g_autofree char *png = g_build_filename(f->dir, "range.png", NULL);
	g_autoptr(GError) error = NULL;
	struct plot_layout l;
	struct image img;
	struct report r;
	unsigned w, h;

	for (size_t i = 0; i < G_N_ELEMENTS(bouts); i++) {
		int64_t a = local_ms(2026, 3, bouts[i].day, bouts[i].h0, bouts[i].m0, 0);
		int64_t b = local_ms(2026, 3, bouts[i].day, bouts[i].h1, bouts[i].m1, 0);

		sit(f, a, b, NULL, 0);
		class_s[bouts[i].day - 2][class_of_minutes((int) ((b - a) / MIN_MS))] += (b - a) / 1000;
	}
	/* 2026-03-03: 40 min standing, 20 walking, 10 sitting on the worn sensor */
	g_assert_cmpint(store_device_ensure(f->s, &imu, 0, &imu_id), ==, 0);
	g_assert_cmpint(store_segment_begin(f->s, imu_id, POSTURE_STANDING,
					    local_ms(2026, 3, 3, 12, 0, 0), &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->s, seg, local_ms(2026, 3, 3, 12, 40, 0)), ==, 0);
	g_assert_cmpint(store_segment_begin(f->s, imu_id, POSTURE_WALKING,
					    local_ms(2026, 3, 3, 12, 40, 0), &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->s, seg, local_ms(2026, 3, 3, 13, 0, 0)), ==, 0);
	g_assert_cmpint(store_segment_begin(f->s, imu_id, POSTURE_SITTING,
					    local_ms(2026, 3, 3, 13, 0, 0), &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->s, seg, local_ms(2026, 3, 3, 13, 10, 0)), ==, 0);
	compute(f, date(2026, 3, 2), date(2026, 3, 4), &r);
	for (unsigned i = 0; i < r.n_days; i++)
		for (int c = 0; c < _REPORT_CLASS_MAX; c++)
			sum += r.days[i].fig.bout_seconds_by_class[c];
	g_assert_cmpint(sum, >, 0);
	g_assert_cmpint(r.days[1].fig.measured_seconds, >, 0);
	g_assert_cmpint(plot_report(&r, &o, png, &error), ==, 0);
	g_assert_no_error(error);
	plot_layout_compute(&r, &o, &w, &h, &l);
	report_clear(&r);

	assert_png_size(png, 1200, 500);
	image_load(&img, png);
	check_range_bars(&img, &l, 3, (const int64_t(*)[_REPORT_CLASS_MAX]) class_s, upright_s,
			 measured);
	image_clear(&img);
}

/* ---------------------------------------------------------------- errors */

static unsigned
entries(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	unsigned n = 0;

	while (d && g_dir_read_name(d))
		n++;
	return n;
}

static void
test_plot_errors(struct fixture *f, gconstpointer data)
{
	const struct plot_options o = { .prolonged_seconds = PROLONGED_S };
	g_autofree char *pdf = g_build_filename(f->dir, "report.pdf", NULL);
	g_autofree char *sub = g_build_filename(f->dir, "sub", NULL);
	g_autofree char *in_sub = g_build_filename(sub, "x.png", NULL);
	g_autofree char *png = g_build_filename(f->dir, "x.png", NULL);
	g_autofree char *expect = NULL, *old = NULL;
	g_autoptr(GError) error = NULL;
	struct report r;
	unsigned before;

	populate_day(f);
	compute(f, date(2026, 3, 2), date(2026, 3, 2), &r);
	before = entries(f->dir);

	g_assert_cmpint(plot_report(&r, &o, pdf, &error), ==, -EINVAL);
	expect = g_strdup_printf("%s: unsupported extension (want .svg or .png)", pdf);
	g_assert_cmpstr(error->message, ==, expect);
	g_clear_error(&error);
	g_assert_cmpint(plot_report(&r, &o, "png", &error), ==, -EINVAL);
	g_clear_error(&error);

	g_assert_cmpint(plot_report(&r, &o, "/nonexistent/x.png", &error), ==, -ENOENT);
	g_assert_cmpstr(error->message, ==, "/nonexistent/x.png: No such file or directory");
	g_clear_error(&error);

	/* a directory in the way: nothing left behind */
	g_assert_cmpint(g_mkdir(png, 0700), ==, 0);
	g_assert_cmpint(plot_report(&r, &o, png, &error), <, 0);
	g_assert_nonnull(error);
	g_assert_true(g_str_has_prefix(error->message, png));
	g_clear_error(&error);
	g_assert_cmpint(entries(f->dir), ==, before + 1);
	g_rmdir(png);

	/* an unwritable directory (root may write anyway) */
	g_assert_cmpint(g_mkdir(sub, 0500), ==, 0);
	if (geteuid() != 0) {
		g_assert_cmpint(plot_report(&r, &o, in_sub, &error), ==, -EACCES);
		expect = (g_free(expect), g_strdup_printf("%s: Permission denied", in_sub));
		g_assert_cmpstr(error->message, ==, expect);
		g_clear_error(&error);
		g_assert_cmpuint(entries(sub), ==, 0);
	}
	g_chmod(sub, 0700);

	/* an old file is replaced whole, and nothing else stays */
	g_assert_true(g_file_set_contents(png, "old", -1, NULL));
	g_assert_cmpint(plot_report(&r, &o, png, &error), ==, 0);
	g_assert_no_error(error);
	assert_png_size(png, 1200, 400);
	g_assert_cmpint(entries(f->dir), ==, before + 2); /* x.png, sub */
	report_clear(&r);
}

static void
test_plot_parse_size(void)
{
	static const struct {
		const char *s;
		int ret;
		unsigned w, h;
	} rows[] = {
		{ "1200x400", 0, 1200, 400 }, { "200x200", 0, 200, 200 }, { "8000x8000", 0, 8000, 8000 },
		{ "199x400", -EINVAL },	      { "1200x8001", -EINVAL },	  { "1200", -EINVAL },
		{ "x400", -EINVAL },	      { "1200x", -EINVAL },	  { "1200x400x2", -EINVAL },
		{ "1200X400", -EINVAL },      { " 1200x400", -EINVAL },	  { "+1200x400", -EINVAL },
		{ "-1200x400", -EINVAL },     { "12000000000x400", -EINVAL }, { "", -EINVAL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		unsigned w = 1, h = 1;

		g_test_message("%s", rows[i].s);
		g_assert_cmpint(plot_parse_size(rows[i].s, &w, &h), ==, rows[i].ret);
		g_assert_cmpuint(w, ==, rows[i].ret == 0 ? rows[i].w : 1);
		g_assert_cmpuint(h, ==, rows[i].ret == 0 ? rows[i].h : 1);
	}
}

/* ---------------------------------------------------------------- the sitlog binary */

struct run {
	char *out, *err;
	int status;
};

static bool
run_sitlog(struct run *ret, const char *const *args)
{
	const char *bin = g_getenv("SITLOG_BIN");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;

	if (!bin) {
		g_test_skip("$SITLOG_BIN is not set (meson sets it)");
		return false;
	}
	g_ptr_array_add(argv, (char *) bin);
	for (int i = 0; args[i]; i++)
		g_ptr_array_add(argv, (char *) args[i]);
	g_ptr_array_add(argv, NULL);
	g_free(ret->out);
	g_free(ret->err);
	g_assert_true(g_spawn_sync(NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   &ret->out, &ret->err, &ret->status, &error));
	g_assert_no_error(error);
	ret->status = WIFEXITED(ret->status) ? WEXITSTATUS(ret->status) : 128;
	g_test_message("exit %d\n%s%s", ret->status, ret->out, ret->err);
	return true;
}

static void
test_plot_cli(struct fixture *f, gconstpointer data)
{
	g_autofree char *png = g_build_filename(f->dir, "r.PNG", NULL);
	g_autofree char *svg = g_build_filename(f->dir, "week.svg", NULL);
	struct run r = { 0 };
	static const struct {
		const char *a[4];
		int status;
		const char *err;
	} errors[] = {
		{ { "--plot", "r.pdf" }, 2, "sitlog: report: --plot r.pdf: unsupported extension "
					    "(want .svg or .png)\n" },
		{ { "--plot", "r" }, 2, "sitlog: report: --plot r: unsupported extension (want .svg "
					"or .png)\n" },
		{ { "--plot", "r.png", "--size", "100x400" }, 2,
		  "sitlog: report: --size: \"100x400\" is not WIDTHxHEIGHT with each from 200 to "
		  "8000\n" },
		{ { "--plot", "r.png", "--size", "1200" }, 2, NULL },
		{ { "--plot", "r.png", "--size", "1200x400x1" }, 2, NULL },
		{ { "--plot", "r.png", "--size", "9000x400" }, 2, NULL },
		{ { "--size", "800x300" }, 2, "sitlog: report: --size goes with --plot\n" },
		{ { "--plot", "r.png", "--format", "json" }, 2, NULL },
		{ { "--plot", "/nonexistent/x.png" }, 1,
		  "sitlog: report: --plot /nonexistent/x.png: No such file or directory\n" },
	};

	populate_day(f);
	for (size_t i = 0; i < G_N_ELEMENTS(errors); i++) {
		const char *args[12] = { "--db", f->db, "report", "--since", "2026-03-02",
					 "--until", "2026-03-02" };

		for (int k = 0; k < 4; k++)
			args[7 + k] = errors[i].a[k];
		if (!run_sitlog(&r, args))
			return;
		g_assert_cmpint(r.status, ==, errors[i].status);
		g_assert_cmpstr(r.out, ==, "");
		if (errors[i].err)
			g_assert_cmpstr(r.err, ==, errors[i].err);
		else
			g_assert_true(g_str_has_prefix(r.err, "sitlog: report: --"));
	}
	/* the failed runs wrote nothing (the relative paths are in the test's directory) */
	g_assert_false(g_file_test("r.png", G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test("r.pdf", G_FILE_TEST_EXISTS));

	/* a day at a given size: nothing on stdout, a PNG of that size with the bouts */
	g_assert_true(run_sitlog(&r, (const char *[]){ "--db", f->db, "report", "--since",
						       "2026-03-02", "--until", "2026-03-02",
						       "--plot", png, "--size", "640x480", NULL }));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==, "");
	g_assert_cmpstr(r.err, ==, "");
	assert_png_size(png, 640, 480);
	{
		const struct plot_options o = { .prolonged_seconds = PROLONGED_S, .width = 640,
						.height = 480 };
		struct plot_layout l;
		struct image img;
		struct report rep;
		unsigned w, h;

		compute(f, date(2026, 3, 2), date(2026, 3, 2), &rep);
		plot_layout_compute(&rep, &o, &w, &h, &l);
		report_clear(&rep);
		image_load(&img, png);
		check_day_pixels(&img, &l);
		image_clear(&img);
	}

	/* a range as SVG at the default size */
	g_assert_true(run_sitlog(&r, (const char *[]){ "--db", f->db, "report", "--since",
						       "2026-03-01", "--until", "2026-03-07",
						       "--plot", svg, NULL }));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==, "");
	{
		g_autofree char *text = NULL;

		g_assert_true(g_file_get_contents(svg, &text, NULL, NULL));
		g_assert_nonnull(strstr(text, "<svg"));
		g_assert_nonnull(strstr(text, "width=\"1200px\" height=\"500px\""));
	}
	g_free(r.out);
	g_free(r.err);
}

#define ADD(path, fn) g_test_add(path, struct fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main(int argc, char **argv)
{
	g_setenv("TZ", "Europe/Berlin", TRUE);
	g_setenv("LC_ALL", "C.UTF-8", TRUE);
	g_setenv("XDG_CONFIG_HOME", "/nonexistent/sitlog-test-plot", TRUE);
	g_setenv("XDG_CONFIG_DIRS", "/nonexistent/sitlog-test-plot", TRUE);
	g_unsetenv("SITLOG_DB");
	tzset();
	g_test_init(&argc, &argv, NULL);

	ADD("/plot/day-png-bouts-at-their-times", test_plot_day_png);
	ADD("/plot/day-window", test_plot_day_window);
	ADD("/plot/day-svg-rendered", test_plot_day_svg);
	g_test_add_func("/plot/range-bar-heights", test_plot_range_bars);
	ADD("/plot/range-from-store", test_plot_range_from_store);
	ADD("/plot/errors", test_plot_errors);
	g_test_add_func("/plot/parse-size", test_plot_parse_size);
	ADD("/plot/cli", test_plot_cli);
	return g_test_run();
}
