/* SPDX-License-Identifier: MIT */
/*
 * The CLI's side of the metrics (cli/metrics.h): `sitlog export --format openmetrics
 * [--textfile]` and the lines `sitlog status` prints about them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"
#include "output.h"
#include "verbs.h"

/* What the text holds, for status (docs/privacy.md lists the same). */
static const char *const exported[] = {
	"sitlog_sitting_seconds", "sitlog_bouts", "sitlog_prolonged_bouts", "sitlog_prompts",
	"sitlog_prompts_heeded", "sitlog_upright_seconds", "sitlog_current_bout_age_seconds",
	"sitlog_build_info",
};

int
verb_export_openmetrics(const struct cli_context *ctx, bool textfile)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *error = NULL, *path = NULL;
	struct sitlog_config c;
	struct store *store = NULL;
	int r;

	if (cli_load_config(ctx, &c) < 0)
		return EXIT_FAILURE;
	if (textfile) {
		path = metrics_textfile_path(&c);
		if (!c.metrics_enabled) {
			/* off (or turned off): nothing written, and nothing stale left behind */
			if (unlink(path) < 0 && errno != ENOENT) {
				cli_error("export: %s: %s", path, g_strerror(errno));
				return EXIT_FAILURE;
			}
			return EXIT_SUCCESS;
		}
	}
	r = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (r < 0) {
		cli_error("%s", error);
		return EXIT_FAILURE;
	}
	r = metrics_compute(store, &c, g_get_real_time() / 1000, out);
	if (r < 0) {
		cli_error("%s: %s", ctx->db_path, store_errmsg(store));
		store_close(store);
		return EXIT_FAILURE;
	}
	store_close(store);
	if (textfile) {
		g_clear_pointer(&error, g_free);
		r = metrics_write_textfile(path, out->str, &error);
		if (r < 0) {
			cli_error("export: %s", error);
			return EXIT_FAILURE;
		}
		return EXIT_SUCCESS;
	}
	r = output_flush(out);
	if (r < 0 && r != -EPIPE) {
		cli_error("writing: %s", g_strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

struct metrics_state {
	bool loaded; /* false: the configuration did not load */
	bool enabled;
	struct config_origin origin;
	char *path;
	int64_t written_us; /* the file's mtime; 0: not there */
};

static void
metrics_state_load(const struct cli_context *ctx, struct metrics_state *ret)
{
	g_autofree char *error = NULL;
	struct config_info *info = NULL;
	struct sitlog_config c;
	struct stat st;

	*ret = (struct metrics_state) {};
	/* the load's warnings are config's and export's to print, not status's */
	if (sitlog_config_load_full(ctx->config_path, &c, &info, &error) < 0)
		return;
	ret->loaded = true;
	ret->enabled = c.metrics_enabled;
	(void) config_info_get_origin(info, "Metrics", "enabled", &ret->origin);
	/* the origin's strings live in info: keep what we print */
	ret->origin.file = g_strdup(ret->origin.file);
	ret->origin.lock_file = g_strdup(ret->origin.lock_file);
	config_info_free(info);
	ret->path = metrics_textfile_path(&c);
	if (stat(ret->path, &st) == 0)
		ret->written_us = (int64_t) st.st_mtim.tv_sec * G_USEC_PER_SEC +
				  st.st_mtim.tv_nsec / 1000;
}

static void
metrics_state_clear(struct metrics_state *m)
{
	g_free((char *) m->origin.file);
	g_free((char *) m->origin.lock_file);
	g_free(m->path);
}

void
status_append_metrics(const struct cli_context *ctx, GString *out, bool json)
{
	struct metrics_state m;

	metrics_state_load(ctx, &m);
	if (json) {
		g_autofree char *written = m.written_us ? output_iso8601_ms(m.written_us / 1000) :
							  NULL;

		g_string_append(out, "\"metrics\":");
		if (!m.loaded) {
			g_string_append(out, "null");
			return;
		}
		g_string_append_printf(out, "{\"enabled\":%s,\"locked\":%s,\"file\":",
				       m.enabled ? "true" : "false",
				       m.origin.lock_file ? "true" : "false");
		output_json_string(out, m.path);
		g_string_append(out, ",\"last_written\":");
		if (written)
			output_json_string(out, written);
		else
			g_string_append(out, "null");
		g_string_append(out, ",\"exported\":[");
		for (size_t i = 0; i < G_N_ELEMENTS(exported); i++)
			g_string_append_printf(out, "%s\"%s\"", i ? "," : "", exported[i]);
		g_string_append(out, "]}");
		metrics_state_clear(&m);
		return;
	}
	if (!m.loaded) {
		g_string_append(out, "Metrics:     unknown (the configuration does not load: "
				     "sitlog config)\n");
		return;
	}
	g_string_append_printf(out, "Metrics:     %s", m.enabled ? "on" : "off");
	if (m.origin.file)
		g_string_append_printf(out, " (%s:%u", m.origin.file, m.origin.line);
	else
		g_string_append(out, " (default");
	if (m.origin.lock_file)
		g_string_append_printf(out, ", locked by %s:%u", m.origin.lock_file,
				       m.origin.lock_line);
	g_string_append(out, ")\n");
	if (m.enabled) {
		g_string_append_printf(out, "             to %s by sitlog-metrics.timer, ", m.path);
		if (m.written_us) {
			g_autoptr(GDateTime) dt =
				g_date_time_new_from_unix_local(m.written_us / G_USEC_PER_SEC);
			g_autofree char *when = dt ? g_date_time_format(dt, "%F %T") : NULL;

			g_string_append_printf(out, "last written %s\n", when ? when : "?");
		} else {
			g_string_append(out, "not written yet (systemctl --user status "
					     "sitlog-metrics.timer)\n");
		}
		g_string_append(out, "             today's and yesterday's sitting seconds, bouts, "
				     "prolonged bouts, prompts,\n"
				     "             heeded prompts, upright seconds (where measured); "
				     "the open bout's age;\n"
				     "             the version. No times of day. The text: sitlog "
				     "export --format openmetrics\n");
	}
	metrics_state_clear(&m);
}
