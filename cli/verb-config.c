/* SPDX-License-Identifier: MIT */
/*
 * sitlog config: every effective value of the configuration, defaults included, with the file
 * and line it comes from and its lock, as sitlogd would read it (the same printer as
 * `sitlogd --print-config`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "verbs.h"

int
verb_config(const struct cli_context *ctx, int argc, char **argv)
{
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "JSON instead of sitlog.conf syntax",
		  NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- the effective configuration");
	g_autoptr(GError) gerror = NULL;
	g_autoptr(GString) out = NULL;
	g_autofree char *error = NULL, *text = NULL;
	struct config_info *info = NULL;
	struct sitlog_config config;
	int r;

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"Above each value a comment gives the file and line it comes from, or \"default\",\n"
		"and \"locked by FILE:LINE\" when an admin file locks it. See sitlog.conf(5).");
	if (!g_option_context_parse(oc, &argc, &argv, &gerror)) {
		cli_error("config: %s", gerror->message);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		cli_error("config: unexpected argument \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	r = sitlog_config_load_full(ctx->config_path, &config, &info, &error);
	if (r < 0) {
		cli_error("%s", error);
		return EXIT_FAILURE;
	}
	cli_print_config_warnings(info);
	text = config_format(&config, info, json ? CONFIG_FORMAT_JSON : CONFIG_FORMAT_TEXT);
	config_info_free(info);
	out = g_string_new(text);
	r = output_flush(out);
	if (r < 0 && r != -EPIPE) {
		cli_error("writing: %s", g_strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
