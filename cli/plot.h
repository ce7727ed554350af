/* SPDX-License-Identifier: MIT */
#pragma once

/* `sitlog report --plot FILE`: the report drawn with cairo (text with pango) as SVG or PNG.
 * It draws only what struct report holds (cli/report.h); it reads nothing from the store.
 *
 * One day (n_days == 1): a timeline of the day. The hours shown are 07:00-19:00, widened to
 * whole hours that take in every bout and prompt of the day (never beyond the day's midnights).
 * Bouts are bars coloured by their length class, breaks the gaps between them. The 30-min line
 * (`prolonged`, [Tracking] prolonged) is a step: a bout's bar is 60 % high for its first 30 min
 * and full height after, so the tall parts are the prolonged sitting. Prompts are ticks above
 * the bars, filled when heeded, hollow when not.
 *
 * A range (n_days > 1): per day a bar of sitting hours stacked by bout length class (the bouts'
 * full lengths, on the day they start), beside it a bar of upright hours on days a worn sensor
 * measured (none where it did not: "not measured" is not "0 h"), and the upright target as a
 * dashed line across the chart. */

#include <glib.h>
#include <stdint.h>

#include "report.h"

#define PLOT_DAY_WIDTH 1200
#define PLOT_DAY_HEIGHT 400
#define PLOT_RANGE_WIDTH 1200
#define PLOT_RANGE_HEIGHT 500
#define PLOT_SIZE_MIN 200
#define PLOT_SIZE_MAX 8000
/* The daily upright target, the Buckley 2015 expert statement's 2 h. */
#define PLOT_UPRIGHT_TARGET_DEFAULT (2 * 3600)

enum plot_format {
	PLOT_FORMAT_SVG,
	PLOT_FORMAT_PNG,
};

struct plot_options {
	unsigned width, height;		/* pixels; 0: the view's default */
	int64_t upright_target_seconds; /* per day; 0: no target line */
	int64_t prolonged_seconds;	/* the day view's 30-min line; 0: none */
};

/* sRGB, 0..255: what a bar of each bout length class is filled with (viridis, from light to
 * dark as the bouts get longer), and the upright bars. Tests sample pixels for these. */
struct plot_rgb {
	uint8_t r, g, b;
};
extern const struct plot_rgb plot_class_rgb[_REPORT_CLASS_MAX];
extern const struct plot_rgb plot_upright_rgb;
extern const struct plot_rgb plot_background_rgb;

/* Where the data go in the image, in pixels from the top left, so that tests can find them.
 * Day view: time t_ms is at x0 + (t_ms - t0_ms) * (x1 - x0) / (t1_ms - t0_ms); the bars span
 * bar_step..bar_bottom (bar_top..bar_bottom past the 30-min line); prompt ticks are centred at tick_y. Range view: day i's slot is
 * [x0 + i * slot, x0 + (i + 1) * slot) with slot = (x1 - x0) / n_days, its sitting bar
 * [sit_left, sit_right) and upright bar [up_left, up_right) in fractions of the slot; h hours
 * are at y1 - h * (y1 - y0) / hours_max. */
struct plot_layout {
	double x0, y0, x1, y1; /* the plot area */
	/* day view */
	int64_t t0_ms, t1_ms;
	double bar_top, bar_bottom, tick_y, tick_radius;
	double bar_step; /* the top of a bout before its 30-min line */
	/* range view */
	double hours_max;
	double sit_left, sit_right, up_left, up_right;
};

/* The format by the extension (.svg or .png, any case): 0, or -EINVAL. */
int plot_format_from_path(const char *path, enum plot_format *ret_format);

/* "WxH" with both within PLOT_SIZE_MIN..PLOT_SIZE_MAX: 0, or -EINVAL. */
int plot_parse_size(const char *s, unsigned *ret_width, unsigned *ret_height);

/* The image size and layout plot_report() uses for this report and these options. */
void plot_layout_compute(const struct report *r, const struct plot_options *o,
			 unsigned *ret_width, unsigned *ret_height, struct plot_layout *ret_layout);

/* Draws the report into path (format by its extension), written to a temporary file in the
 * same directory and renamed over path, so that path is never a half-written file. Returns
 * 0, or -errno with *error set to "PATH: why" ("report.pdf: unsupported extension (want .svg
 * or .png)", "/nonexistent/x.png: No such file or directory"). */
int plot_report(const struct report *r, const struct plot_options *o, const char *path,
		GError **error);
