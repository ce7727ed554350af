/* SPDX-License-Identifier: MIT */
/* What --plot and --size say, checked without cairo: sitlog links this, the plotting module
 * (plot.c, loaded only for --plot) has its own copy. */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "plot.h"

int
plot_format_from_path(const char *path, enum plot_format *ret_format)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return -EINVAL;
	if (g_ascii_strcasecmp(dot, ".svg") == 0)
		*ret_format = PLOT_FORMAT_SVG;
	else if (g_ascii_strcasecmp(dot, ".png") == 0)
		*ret_format = PLOT_FORMAT_PNG;
	else
		return -EINVAL;
	return 0;
}

static int
parse_dimension(const char *s, const char *end, unsigned *ret)
{
	unsigned v = 0;

	if (s == end || end - s > 5)
		return -EINVAL;
	for (const char *c = s; c < end; c++) {
		if (!g_ascii_isdigit(*c))
			return -EINVAL;
		v = v * 10 + (unsigned) (*c - '0');
	}
	if (v < PLOT_SIZE_MIN || v > PLOT_SIZE_MAX)
		return -EINVAL;
	*ret = v;
	return 0;
}

int
plot_parse_size(const char *s, unsigned *ret_width, unsigned *ret_height)
{
	const char *x = strchr(s, 'x');
	unsigned w, h;

	if (!x || parse_dimension(s, x, &w) < 0 || parse_dimension(x + 1, x + strlen(x), &h) < 0)
		return -EINVAL;
	*ret_width = w;
	*ret_height = h;
	return 0;
}
