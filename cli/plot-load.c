/* SPDX-License-Identifier: MIT */
/* plot_report() for sitlog: cairo and pango (some 25 libraries) are loaded only when a plot is
 * asked for, from the plotting module (sitlog-plot.so: plot.c), so that every other sitlog
 * command starts as fast as before. The module is looked for beside the sitlog executable
 * first (an uninstalled build: build/cli/), then where it is installed (PLOT_MODULE_DIR). */
#include <errno.h>
#include <gmodule.h>

#include "config.h"
#include "plot.h"

#define PLOT_MODULE_NAME "sitlog-plot.so"

typedef int (*plot_report_fn)(const struct report *r, const struct plot_options *o,
			      const char *path, GError **error);

static GModule *
open_module(char **ret_error)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *beside = NULL, *installed = NULL;
	GModule *m;

	if (exe) {
		g_autofree char *dir = g_path_get_dirname(exe);

		beside = g_build_filename(dir, PLOT_MODULE_NAME, NULL);
		if (g_file_test(beside, G_FILE_TEST_EXISTS)) {
			m = g_module_open(beside, G_MODULE_BIND_LOCAL);
			if (!m)
				*ret_error = g_strdup(g_module_error());
			return m;
		}
	}
	installed = g_build_filename(PLOT_MODULE_DIR, PLOT_MODULE_NAME, NULL);
	m = g_module_open(installed, G_MODULE_BIND_LOCAL);
	if (!m)
		*ret_error = g_strdup(g_module_error());
	return m;
}

int
plot_report(const struct report *r, const struct plot_options *o, const char *path,
	    GError **error)
{
	static plot_report_fn fn;
	g_autofree char *why = NULL;

	if (!fn) {
		GModule *m = open_module(&why);

		if (!m || !g_module_symbol(m, "plot_report", (gpointer *) &fn) || !fn) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
				    "%s: cannot load the plotting module: %s", path,
				    why ? why : g_module_error());
			fn = NULL;
			return -ENOENT;
		}
		/* pango and GLib's type system must not be unloaded under each other */
		g_module_make_resident(m);
	}
	return fn(r, o, path, error);
}
