/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "exercises.h"
#include "output.h"
#include "report.h"
#include "verbs.h"

static void
date_string(const GDate *d, char *buf, size_t size)
{
	g_date_strftime(buf, size, "%Y-%m-%d", d);
}

static void
hhmm(int64_t ms, char *buf, size_t size)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(ms / 1000);

	g_autofree char *s = dt ? g_date_time_format(dt, "%H:%M") : g_strdup("?");
	g_strlcpy(buf, s, size);
}

static void
dur(int64_t seconds, char *buf, size_t size)
{
	format_duration((usec_t) seconds * USEC_PER_SEC, buf, size);
}

static void
print_table(const struct report *r, GString *out)
{
	char date[16], sit[32], longest[32];

	g_string_append_printf(out, "%-10s  %9s  %5s  %9s  %9s  %7s  %6s\n", "Date", "Sitting",
			       "Bouts", "Longest", "Prolonged", "Prompts", "Heeded");
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_day *d = &r->days[i];

		date_string(&d->date, date, sizeof(date));
		dur(d->fig.sitting_seconds, sit, sizeof(sit));
		dur(d->fig.longest_bout_seconds, longest, sizeof(longest));
		g_string_append_printf(out, "%-10s  %9s  %5u  %9s  %9u  %7u  %6u\n", date, sit, d->fig.bouts,
				       d->fig.bouts ? longest : "-", d->fig.prolonged_bouts, d->fig.prompts,
				       d->fig.prompts_heeded);
	}
	if (r->n_days > 1) {
		dur(r->total.sitting_seconds, sit, sizeof(sit));
		dur(r->total.longest_bout_seconds, longest, sizeof(longest));
		g_string_append_printf(out, "%-10s  %9s  %5u  %9s  %9u  %7u  %6u\n", "Total", sit,
				       r->total.bouts, r->total.bouts ? longest : "-", r->total.prolonged_bouts,
				       r->total.prompts, r->total.prompts_heeded);
	}
	if (r->n_days == 1 && r->days[0].bout_list && r->days[0].bout_list->len > 0) {
		const GArray *list = r->days[0].bout_list;

		g_string_append(out, "\nBouts (continuous sitting; breaks under a minute are part "
				     "of a bout):\n");
		for (guint k = 0; k < list->len; k++) {
			const struct report_bout *b = &g_array_index(list, struct report_bout, k);
			char from[8], to[8], len[32];

			hhmm(b->start_ms, from, sizeof(from));
			hhmm(b->end_ms, to, sizeof(to));
			dur(b->seconds, len, sizeof(len));
			g_string_append_printf(out, "  %s-%s  %8s", from, b->open ? "now  " : to, len);
			if (b->prolonged || b->prompts)
				g_string_append_printf(out, "  %-9s", b->prolonged ? "prolonged" : "");
			if (b->prompts)
				g_string_append_printf(out, "  %u prompt%s, %u heeded", b->prompts,
						       b->prompts == 1 ? "" : "s", b->heeded);
			g_string_append_c(out, '\n');
		}
	}
}

static void
json_numbers(GString *out, int64_t sitting, unsigned bouts, int64_t longest, unsigned prolonged,
	     unsigned prompts, unsigned heeded)
{
	g_string_append_printf(out,
			       "\"sitting_seconds\":%" G_GINT64_FORMAT ",\"bouts\":%u,"
			       "\"longest_bout_seconds\":%" G_GINT64_FORMAT ",\"prolonged_bouts\":%u,"
			       "\"prompts\":%u,\"prompts_heeded\":%u",
			       sitting, bouts, longest, prolonged, prompts, heeded);
}

static void
print_json(const struct report *r, GString *out)
{
	char date[16];

	date_string(&r->since, date, sizeof(date));
	g_string_append_printf(out, "{\"since\":\"%s\",", date);
	date_string(&r->until, date, sizeof(date));
	g_string_append_printf(out, "\"until\":\"%s\",", date);
	json_numbers(out, r->total.sitting_seconds, r->total.bouts, r->total.longest_bout_seconds, r->total.prolonged_bouts,
		     r->total.prompts, r->total.prompts_heeded);
	g_string_append(out, ",\"days\":[");
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_day *d = &r->days[i];

		date_string(&d->date, date, sizeof(date));
		g_string_append_printf(out, "%s{\"date\":\"%s\",", i ? "," : "", date);
		json_numbers(out, d->fig.sitting_seconds, d->fig.bouts, d->fig.longest_bout_seconds,
			     d->fig.prolonged_bouts, d->fig.prompts, d->fig.prompts_heeded);
		g_string_append_c(out, '}');
	}
	g_string_append(out, "]}\n");
}

static void
print_csv(const struct report *r, GString *out)
{
	char date[16];

	g_string_append(out, "date,sitting_seconds,bouts,longest_bout_seconds,prolonged_bouts,"
			     "prompts,prompts_heeded\n");
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_day *d = &r->days[i];

		date_string(&d->date, date, sizeof(date));
		g_string_append_printf(out, "%s,%" G_GINT64_FORMAT ",%u,%" G_GINT64_FORMAT ",%u,%u,%u\n",
				       date, d->fig.sitting_seconds, d->fig.bouts, d->fig.longest_bout_seconds,
				       d->fig.prolonged_bouts, d->fig.prompts, d->fig.prompts_heeded);
	}
}

/* ---- the whole day (issue 14), a block of its own under a table of several days: the
 * budget, the day's prompts and the exercise balance (docs/semantics.md "The whole day") ---- */

struct day_block {
	const struct catalogue *catalogue;
	unsigned pace, summaries;
	unsigned done[_EXERCISE_KIND_MAX];
};

static int
day_block_prompt(const struct store_prompt *p, void *userdata)
{
	struct day_block *b = userdata;
	const struct exercise *e;

	if (g_strcmp0(p->reason, "budget") == 0)
		b->pace++;
	else if (g_strcmp0(p->reason, "summary") == 0)
		b->summaries++;
	else if (g_strcmp0(p->response, "done") == 0 &&
		 (e = catalogue_find(b->catalogue, p->exercise)))
		b->done[e->kind]++;
	return 0;
}

static int64_t
local_midnight_ms(const GDate *d)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local((int) g_date_get_year(d),
							(int) g_date_get_month(d),
							(int) g_date_get_day(d), 0, 0, 0);

	return dt ? g_date_time_to_unix(dt) * 1000 : 0;
}

static int
print_day_block(struct store *store, const struct report *r, const struct sitlog_config *cfg,
		GString *out)
{
	struct catalogue *catalogue = NULL;
	g_autofree char *error = NULL;
	struct day_block b = { 0 };
	GDate end = r->until;
	unsigned over = 0, reached = 0, measured = 0;
	unsigned l, st;
	char budget[32], target[32];
	int ret;

	if (catalogue_load(NULL, &catalogue, &error) < 0)
		catalogue = NULL; /* the balance says so below */
	b.catalogue = catalogue;
	g_date_add_days(&end, 1);
	ret = store_foreach_prompt(store, local_midnight_ms(&r->since), local_midnight_ms(&end),
				   day_block_prompt, &b);
	catalogue_free(catalogue);
	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < r->n_days; i++) {
		const struct report_figures *f = &r->days[i].fig;

		over += f->sitting_seconds * (int64_t) USEC_PER_SEC > (int64_t) cfg->sitting_per_day;
		measured += f->measured_seconds > 0;
		reached += f->measured_seconds > 0 && cfg->upright_per_day > 0 &&
			   f->upright_seconds * (int64_t) USEC_PER_SEC >= (int64_t) cfg->upright_per_day;
	}
	format_duration(cfg->sitting_per_day, budget, sizeof(budget));
	format_duration(cfg->upright_per_day, target, sizeof(target));
	g_string_append_printf(out, "\nThe whole day: sitting over the budget (%s) on %u of %u "
			       "day%s", budget, over, r->n_days, r->n_days == 1 ? "" : "s");
	if (cfg->upright_per_day == 0)
		g_string_append(out, "; no upright target\n");
	else if (measured == 0)
		g_string_append_printf(out, "; upright (target %s) not measured: no worn sensor\n",
				       target);
	else
		g_string_append_printf(out, "; upright target (%s) reached on %u of %u measured "
				       "day%s\n", target, reached, measured, measured == 1 ? "" : "s");
	g_string_append_printf(out, "Pace prompts: %u; summaries: %u\n", b.pace, b.summaries);
	l = b.done[EXERCISE_LENGTHEN];
	st = b.done[EXERCISE_STRENGTHEN];
	if (!error)
		g_string_append_printf(out, "Exercises done: %u lengthening, %u strengthening", l, st);
	else
		g_string_append(out, "Exercises done: the catalogue cannot be read");
	if (!error && (l >= 3 * st || st >= 3 * l) && l + st > 0 && l != st)
		g_string_append_printf(out, ": %s outnumbers %s 3:1 or more; the prompts "
				       "suggest %s until they even out", l > st ? "lengthening" :
				       "strengthening", l > st ? "strengthening" : "lengthening",
				       l > st ? "strengthening" : "lengthening");
	g_string_append_c(out, '\n');
	return 0;
}

int
verb_report(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *since = NULL, *until = NULL, *format = NULL, *error = NULL;
	gboolean week = FALSE;
	int days = G_MININT; /* not given */
	const GOptionEntry entries[] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &since,
		  "First day (YYYY-MM-DD, today, yesterday; default: today)", "DATE" },
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until,
		  "Last day, inclusive (default: today)", "DATE" },
		{ "week", 0, 0, G_OPTION_ARG_NONE, &week, "The last 7 days, today included", NULL },
		{ "days", 0, 0, G_OPTION_ARG_INT, &days, "The last N days, today included", "N" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format (default: table)",
		  "table|json|csv" },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("- sitting time, bouts and prompts by day");
	g_autoptr(GError) gerror = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct sitlog_config config;
	struct store *store = NULL;
	struct report r;
	GDate d_since, d_until;
	int ret;

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"Dates are local and both inclusive. A bout counts on the day it starts, with its\n"
		"full length; sitting time is split at midnight. See sitlog(1).");
	if (!g_option_context_parse(oc, &argc, &argv, &gerror)) {
		cli_error("report: %s", gerror->message);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		cli_error("report: unexpected argument \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if ((week || days != G_MININT) && (since || until)) {
		cli_error("report: --week and --days cannot go with --since or --until");
		return EXIT_USAGE;
	}
	if (week && days != G_MININT) {
		cli_error("report: --week and --days cannot go together");
		return EXIT_USAGE;
	}
	if (week)
		days = 7;
	if (days != G_MININT && (days < 1 || days > 100000)) {
		cli_error("report: --days: expected a number of days from 1");
		return EXIT_USAGE;
	}
	if (!report_parse_date(until ? until : "today", &d_until)) {
		cli_error("report: --until: \"%s\" is not a date (YYYY-MM-DD from 1970 to "
			  "2100, today, yesterday)", until);
		return EXIT_USAGE;
	}
	if (days > 0) {
		d_since = d_until;
		g_date_subtract_days(&d_since, (guint) days - 1);
	} else if (!report_parse_date(since ? since : (until ? until : "today"), &d_since)) {
		cli_error("report: --since: \"%s\" is not a date (YYYY-MM-DD from 1970 to "
			  "2100, today, yesterday)", since);
		return EXIT_USAGE;
	}
	if (g_date_compare(&d_since, &d_until) > 0) {
		cli_error("report: --since is after --until");
		return EXIT_USAGE;
	}
	if (format && !g_str_equal(format, "table") && !g_str_equal(format, "json") &&
	    !g_str_equal(format, "csv")) {
		cli_error("report: --format: expected table, json or csv, not \"%s\"", format);
		return EXIT_USAGE;
	}
	if (cli_load_config(ctx, &config) < 0)
		return EXIT_FAILURE;

	ret = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (ret < 0) {
		cli_error("%s", error);
		return EXIT_FAILURE;
	}
	/* the table lists a single day's bouts; the lists cost a query over every bout */
	ret = report_compute(store, &d_since, &d_until, config.prolonged,
			     g_date_compare(&d_since, &d_until) == 0 ? REPORT_LISTS : 0, &r);
	if (ret < 0) {
		cli_error("%s: %s", ctx->db_path, store_errmsg(store));
		store_close(store);
		return EXIT_FAILURE;
	}
	if (!format || g_str_equal(format, "table")) {
		print_table(&r, out);
		/* the whole day over a week or more (--week): budget, day prompts, balance */
		if (r.n_days >= 7 && print_day_block(store, &r, &config, out) < 0) {
			cli_error("%s: %s", ctx->db_path, store_errmsg(store));
			report_clear(&r);
			store_close(store);
			return EXIT_FAILURE;
		}
	}
	else if (g_str_equal(format, "json"))
		print_json(&r, out);
	else
		print_csv(&r, out);
	report_clear(&r);
	store_close(store);
	ret = output_flush(out);
	if (ret < 0 && ret != -EPIPE) {
		cli_error("writing the report: %s", g_strerror(-ret));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
