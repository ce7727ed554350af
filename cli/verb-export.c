/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "json-util.h"
#include "output.h"
#include "report.h"
#include "verbs.h"

struct export_ctx {
	GString *out;
	bool json;
	unsigned n;
	int write_error; /* -errno from stdout, to tell it from the database's */
};

/* One segment as one JSON object, made by json-glib and written at once: the export streams,
 * years of segments are never in memory. */
static void
segment_json(GString *out, const struct store_segment *seg, const char *start, const char *end,
	     const char *device)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_util_add_span(b, start, end, seg->start_ms, seg->end_ms);
	json_builder_set_member_name(b, "posture");
	json_builder_add_string_value(b, posture_to_string(seg->posture));
	json_builder_set_member_name(b, "device");
	if (device)
		json_builder_add_string_value(b, device);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	output_json_append(out, root);
}

static int
export_segment(const struct store_segment *seg, void *userdata)
{
	struct export_ctx *e = userdata;
	g_autofree char *start = output_iso8601_ms(seg->start_ms);
	g_autofree char *end = output_iso8601_ms(seg->end_ms);
	/* json-glib wants UTF-8, and so do CSV readers: a name with other bytes is made valid */
	g_autofree char *device = output_valid_utf8(seg->device);
	int r;

	if (e->json) {
		g_string_append(e->out, e->n ? ",\n  " : "\n  ");
		segment_json(e->out, seg, start, end, device);
	} else {
		g_string_append_printf(e->out, "%s,%s,%s,", start, end,
				       posture_to_string(seg->posture));
		output_csv_field(e->out, device);
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
		"Times are ISO 8601 in local time with their offset. JSON is one object, \"version\": 1,\n"
		"whose \"segments\" array is written as it is read. --format openmetrics: today's and\n"
		"yesterday's totals for Prometheus instead (sitlog(1), METRICS). See sitlog(1).");
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
	if (!format) {
		cli_error("export: --format csv, json or openmetrics is required");
		return EXIT_USAGE;
	}
	if (!g_str_equal(format, "csv") && !g_str_equal(format, "json")) {
		cli_error("export: --format %s: want csv, json or openmetrics", format);
		return EXIT_USAGE;
	}
	if (textfile) {
		cli_error("export: --textfile is for --format openmetrics");
		return EXIT_USAGE;
	}
	if (since) {
		if (output_parse_date_option("export", "--since", since, &d) < 0)
			return EXIT_USAGE;
		from = report_day_start_ms(&d);
	}
	if (until) {
		if (output_parse_date_option("export", "--until", until, &d) < 0)
			return EXIT_USAGE;
		g_date_add_days(&d, 1);
		to = report_day_start_ms(&d);
	}
	if (from >= to) {
		cli_error("export: --until %s is before --since %s", until, since);
		return EXIT_USAGE;
	}
	e.json = g_str_equal(format, "json");

	r = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (r < 0) {
		output_store_open_error(r, ctx->db_path, error);
		return EXIT_FAILURE;
	}
	g_string_append(out, e.json ? "{\"version\":1,\"segments\":[" : "start,end,posture,device\n");
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
		g_string_append(out, e.n ? "\n]}\n" : "]}\n");
	r = output_flush(out);
	if (r < 0 && r != -EPIPE) {
		cli_error("writing: %s", g_strerror(-r));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
