/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"
#include "report.h"
#include "verbs.h"

struct export_ctx {
	GString *out;
	bool json;
	unsigned n;
	int write_error; /* -errno from stdout, to tell it from the database's */
};

static int
export_segment(const struct store_segment *seg, void *userdata)
{
	struct export_ctx *e = userdata;
	g_autofree char *start = output_iso8601_ms(seg->start_ms);
	g_autofree char *end = output_iso8601_ms(seg->end_ms);
	int r;

	if (e->json) {
		g_string_append(e->out, e->n ? ",\n" : "\n");
		g_string_append_printf(e->out, "  {\"start\":\"%s\",\"end\":\"%s\",\"start_ms\":%"
				       G_GINT64_FORMAT ",\"end_ms\":%" G_GINT64_FORMAT ",\"posture\":\"%s\","
				       "\"device\":", start, end, seg->start_ms, seg->end_ms,
				       posture_to_string(seg->posture));
		if (seg->device)
			output_json_string(e->out, seg->device);
		else
			g_string_append(e->out, "null");
		g_string_append_c(e->out, '}');
	} else {
		g_string_append_printf(e->out, "%s,%s,%s,", start, end,
				       posture_to_string(seg->posture));
		output_csv_field(e->out, seg->device);
		g_string_append_c(e->out, '\n');
	}
	e->n++;
	/* stream: years of segments need not sit in memory */
	if (e->out->len > 65536) {
		r = output_flush(e->out);
		if (r < 0) {
			e->write_error = r;
			return r;
		}
	}
	return 0;
}

int
verb_export(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *since = NULL, *until = NULL, *format = NULL, *error = NULL;
	gboolean textfile = FALSE;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format (required)",
		  "csv|json|openmetrics" },
		{ "textfile", 0, 0, G_OPTION_ARG_NONE, &textfile,
		  "openmetrics: write [Metrics] textfile_dir/sitlog-UID.prom instead (nothing when "
		  "[Metrics] enabled=false)", NULL },
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since,
		  "First day (YYYY-MM-DD; default: everything)", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until, "Last day, inclusive", "DATE" },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- the recorded posture segments");
	g_autoptr(GError) gerror = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct export_ctx e = { .out = out };
	struct store *store = NULL;
	int64_t from = INT64_MIN, to = INT64_MAX;
	GDate d;
	int r;

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"Times are ISO 8601 in local time with their offset. --format openmetrics: today's\n"
		"and yesterday's totals for Prometheus instead (sitlog(1), METRICS). See sitlog(1).");
	if (!g_option_context_parse(oc, &argc, &argv, &gerror)) {
		cli_error("export: %s", gerror->message);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		cli_error("export: unexpected argument \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (format && g_str_equal(format, "openmetrics")) {
		/* today's and yesterday's aggregates only (cli/verb-metrics.c) */
		if (since || until) {
			cli_error("export: --format openmetrics takes no --since or --until");
			return EXIT_USAGE;
		}
		return verb_export_openmetrics(ctx, textfile);
	}
	if (!format || (!g_str_equal(format, "csv") && !g_str_equal(format, "json"))) {
		cli_error("export: --format: expected csv, json or openmetrics");
		return EXIT_USAGE;
	}
	if (textfile) {
		cli_error("export: --textfile is for --format openmetrics");
		return EXIT_USAGE;
	}
	if (since) {
		if (!report_parse_date(since, &d)) {
			cli_error("export: --since: \"%s\" is not a date (YYYY-MM-DD from 1970 to "
				  "2100, today, yesterday)", since);
			return EXIT_USAGE;
		}
		from = report_day_start_ms(&d);
	}
	if (until) {
		if (!report_parse_date(until, &d)) {
			cli_error("export: --until: \"%s\" is not a date (YYYY-MM-DD from 1970 to "
				  "2100, today, yesterday)", until);
			return EXIT_USAGE;
		}
		g_date_add_days(&d, 1);
		to = report_day_start_ms(&d);
	}
	if (from >= to) {
		cli_error("export: --since is after --until");
		return EXIT_USAGE;
	}
	e.json = g_str_equal(format, "json");

	r = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (r < 0) {
		cli_error("%s", error);
		return EXIT_FAILURE;
	}
	g_string_append(out, e.json ? "[" : "start,end,posture,device\n");
	r = store_foreach_segment(store, from, to, export_segment, &e);
	if (r < 0 && !e.write_error) {
		cli_error("%s: %s", ctx->db_path, store_errmsg(store));
		store_close(store);
		return EXIT_FAILURE;
	}
	store_close(store);
	if (e.write_error == -EPIPE)
		return EXIT_SUCCESS; /* the reader went away: nothing to say */
	if (e.write_error < 0) {
		cli_error("writing: %s", g_strerror(-e.write_error));
		return EXIT_FAILURE;
	}
	if (e.json)
		g_string_append(out, e.n ? "\n]\n" : "]\n");
	r = output_flush(out);
	if (r < 0 && r != -EPIPE) {
		cli_error("writing: %s", g_strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
