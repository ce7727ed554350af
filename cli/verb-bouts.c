/* SPDX-License-Identifier: MIT */
/*
 * sitlog bouts: one line per sitting bout of a range (the bouts that start in it), with its
 * prompts and their responses; a table, JSON (json-glib, "version": 1) or CSV, as sitlog(1)
 * documents. The bouts and prompts are report.h's lists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-util.h"
#include "output.h"
#include "report.h"
#include "time-parse.h"
#include "verbs.h"

#define BOUTS_JSON_VERSION 1

/* bout id -> GPtrArray of const struct report_prompt * (in time order), over all days: a
 * bout's prompts may fall on the day after its start. */
static GHashTable *
prompts_by_bout(const struct report *r)
{
	GHashTable *h = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					      (GDestroyNotify) g_ptr_array_unref);

	for (unsigned i = 0; i < r->n_days; i++) {
		const GArray *list = r->days[i].prompt_list;

		for (guint k = 0; list && k < list->len; k++) {
			const struct report_prompt *p = &g_array_index(list, struct report_prompt, k);
			GPtrArray *a = g_hash_table_lookup(h, &p->bout_id);

			if (!a) {
				a = g_ptr_array_new();
				g_hash_table_insert(h, (gpointer) &p->bout_id, a);
			}
			g_ptr_array_add(a, (gpointer) p);
		}
	}
	return h;
}

static const char *
response_word(const struct report_prompt *p)
{
	return p->response ? p->response : "unanswered";
}

/* The prompts' responses in order, "unanswered" for a prompt without one. */
static char *
responses_of(GPtrArray *prompts, const char *sep)
{
	GString *s = g_string_new(NULL);

	for (guint k = 0; prompts && k < prompts->len; k++)
		g_string_append_printf(s, "%s%s", k ? sep : "",
				       response_word(g_ptr_array_index(prompts, k)));
	return g_string_free(s, FALSE);
}

static void
print_table(const struct report *r, GHashTable *prompts, const struct output_style *st,
	    GString *out)
{
	unsigned n = 0;

	output_sgr(out, st, "1");
	g_string_append(out, "Start             End    Length   Prolonged  Prompts  Heeded  "
			     "Responses");
	output_sgr_reset(out, st);
	g_string_append_c(out, '\n');
	for (unsigned i = 0; i < r->n_days; i++) {
		const GArray *list = r->days[i].bout_list;

		for (guint k = 0; list && k < list->len; k++) {
			const struct report_bout *b = &g_array_index(list, struct report_bout, k);
			g_autofree char *start = time_format_local(b->start_ms * 1000, "%Y-%m-%d %H:%M");
			g_autofree char *end = output_clock_after(b->start_ms, b->end_ms);
			g_autofree char *resp = responses_of(g_hash_table_lookup(prompts, &b->id), ", ");
			char len[32];

			format_duration((usec_t) b->seconds * USEC_PER_SEC, len, sizeof(len));
			g_string_append_printf(out, "%-16s  %-5s  %7s  ", start, b->open ? "now" : end,
					       len);
			if (b->prolonged)
				output_sgr(out, st, "33");
			g_string_append_printf(out, "%-9s", b->prolonged ? "yes" : "no");
			if (b->prolonged)
				output_sgr_reset(out, st);
			g_string_append_printf(out, "  %7u  %6u  %s\n", b->prompts, b->heeded,
					       resp[0] ? resp : "-");
			n++;
		}
	}
	if (n == 0)
		g_string_append(out, "(no bouts)\n");
}

static void
print_json(const struct report *r, GHashTable *prompts, usec_t prolonged, GString *out)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	char date[16];

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "version");
	json_builder_add_int_value(b, BOUTS_JSON_VERSION);
	g_date_strftime(date, sizeof(date), "%Y-%m-%d", &r->since);
	json_builder_set_member_name(b, "since");
	json_builder_add_string_value(b, date);
	g_date_strftime(date, sizeof(date), "%Y-%m-%d", &r->until);
	json_builder_set_member_name(b, "until");
	json_builder_add_string_value(b, date);
	json_builder_set_member_name(b, "prolonged_threshold_seconds");
	json_builder_add_int_value(b, (int64_t) (prolonged / USEC_PER_SEC));
	json_builder_set_member_name(b, "bouts");
	json_builder_begin_array(b);
	for (unsigned i = 0; i < r->n_days; i++) {
		const GArray *list = r->days[i].bout_list;

		for (guint k = 0; list && k < list->len; k++) {
			const struct report_bout *bt = &g_array_index(list, struct report_bout, k);
			g_autofree char *start = output_iso8601_ms(bt->start_ms);
			g_autofree char *end = output_iso8601_ms(bt->end_ms);
			GPtrArray *ps = g_hash_table_lookup(prompts, &bt->id);

			json_builder_begin_object(b);
			json_util_add_span(b, start, end, bt->start_ms, bt->end_ms);
			json_builder_set_member_name(b, "seconds");
			json_builder_add_int_value(b, bt->seconds);
			json_builder_set_member_name(b, "prolonged");
			json_builder_add_boolean_value(b, bt->prolonged);
			json_builder_set_member_name(b, "open");
			json_builder_add_boolean_value(b, bt->open);
			json_builder_set_member_name(b, "prompts");
			json_builder_add_int_value(b, bt->prompts);
			json_builder_set_member_name(b, "heeded");
			json_builder_add_int_value(b, bt->heeded);
			json_builder_set_member_name(b, "prompt_list");
			json_builder_begin_array(b);
			for (guint j = 0; ps && j < ps->len; j++) {
				const struct report_prompt *p = g_ptr_array_index(ps, j);
				g_autofree char *t = output_iso8601_ms(p->t_ms);

				json_builder_begin_object(b);
				json_builder_set_member_name(b, "time");
				json_builder_add_string_value(b, t);
				json_builder_set_member_name(b, "time_ms");
				json_builder_add_int_value(b, p->t_ms);
				json_builder_set_member_name(b, "reason");
				json_builder_add_string_value(b, p->reason ? p->reason : "");
				json_builder_set_member_name(b, "response");
				if (p->response)
					json_builder_add_string_value(b, p->response);
				else
					json_builder_add_null_value(b);
				json_builder_set_member_name(b, "heeded");
				json_builder_add_boolean_value(b, p->heeded);
				json_builder_end_object(b);
			}
			json_builder_end_array(b);
			json_builder_end_object(b);
		}
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	output_json_node(out, root);
}

static void
print_csv(const struct report *r, GHashTable *prompts, GString *out)
{
	g_string_append(out, "start,end,seconds,prolonged,open,prompts,heeded,responses\n");
	for (unsigned i = 0; i < r->n_days; i++) {
		const GArray *list = r->days[i].bout_list;

		for (guint k = 0; list && k < list->len; k++) {
			const struct report_bout *b = &g_array_index(list, struct report_bout, k);
			g_autofree char *start = output_iso8601_ms(b->start_ms);
			g_autofree char *end = output_iso8601_ms(b->end_ms);
			g_autofree char *resp = responses_of(g_hash_table_lookup(prompts, &b->id), " ");

			g_string_append_printf(out, "%s,%s,%" G_GINT64_FORMAT ",%d,%d,%u,%u,", start,
					       end, b->seconds, b->prolonged, b->open, b->prompts,
					       b->heeded);
			output_csv_field(out, resp);
			g_string_append_c(out, '\n');
		}
	}
}

int
verb_bouts(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *format = NULL, *color = NULL;
	struct output_range_opts range = { 0 };
	GOptionEntry entries[8]; /* 5 range options, 2 more, the NULL one */
	const GOptionEntry more[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format (default: table)",
		  "table|json|csv" },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &color,
		  "Colour in the table (default: auto, on a terminal unless NO_COLOR is set)",
		  "auto|always|never" },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- one line per sitting bout");
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GHashTable) prompts = NULL;
	struct sitlog_config config;
	enum output_color color_mode;
	struct output_style st;
	struct report r;
	GDate since, until;
	int ret;

	output_range_entries(&range, entries);
	memcpy(&entries[5], more, sizeof(more));
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"The bouts that start in the range (local dates, both inclusive; default: today),\n"
		"with their full length, and the prompts issued in the range. See sitlog(1).");
	if (output_range_parse(oc, "bouts", &argc, &argv, &range, &since, &until, &format, &color,
			       &color_mode) < 0)
		return EXIT_USAGE;
	if (cli_load_config(ctx, &config) < 0)
		return EXIT_FAILURE;
	if (output_report_open(ctx, "bouts", &since, &until, config.prolonged, REPORT_LISTS, &r,
			       NULL) < 0)
		return EXIT_FAILURE;
	st = (struct output_style) { .color = output_color_enabled(color_mode),
				     .utf8 = output_utf8() };
	prompts = prompts_by_bout(&r);
	if (!format || g_str_equal(format, "table"))
		print_table(&r, prompts, &st, out);
	else if (g_str_equal(format, "json"))
		print_json(&r, prompts, config.prolonged, out);
	else
		print_csv(&r, prompts, out);
	g_clear_pointer(&prompts, g_hash_table_unref);
	report_clear(&r);
	ret = output_flush(out);
	if (ret < 0 && ret != -EPIPE) {
		cli_error("writing the bouts: %s", g_strerror(-ret));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
