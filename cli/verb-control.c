/* SPDX-License-Identifier: MIT */
/*
 * status, pause, resume, snooze: they talk to the running sitlogd over its control interface
 * on the session bus (data/dbus/io.sitlog.Sitlog1.xml), when it writes the database named
 * (cli/daemon-link.c). status reads the database when no daemon answers or the daemon writes
 * another file, and says so; prune then prunes the named file itself.
 */
#include <errno.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "daemon-link.h"
#include "output.h"
#include "sitlog-limits.h"
#include "store.h"
#include "time-parse.h"
#include "verbs.h"

#define TIMEOUT_MS DAEMON_TIMEOUT_MS
#define CALL_FLAGS DAEMON_CALL_FLAGS

static int
call_failed(const char *verb, GError *error)
{
	g_dbus_error_strip_remote_error(error);
	cli_error("%s: %s", verb, error->message);
	return EXIT_FAILURE;
}

/* "14:02:11" today, else "2026-11-29 14:02:11". */
static char *
format_time(int64_t us)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(us / G_USEC_PER_SEC);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();

	if (!dt)
		return g_strdup("?");
	if (g_date_time_get_year(dt) == g_date_time_get_year(now) &&
	    g_date_time_get_day_of_year(dt) == g_date_time_get_day_of_year(now))
		return g_date_time_format(dt, "%H:%M:%S");
	return g_date_time_format(dt, "%F %T");
}

static char *
format_span(int64_t us)
{
	char buf[32];

	/* the report's own form and rounding (to the nearest second): a bout reads the same in
	 * both */
	format_duration((usec_t) (us < 0 ? -us : us), buf, sizeof(buf));
	return g_strdup(buf);
}

static void
json_time(GString *out, const char *key, int64_t us, bool last)
{
	g_autofree char *iso = us ? output_iso8601_ms(us / 1000) : NULL;

	g_string_append_printf(out, "\"%s\":", key);
	if (iso)
		g_string_append_printf(out, "\"%s\"", iso);
	else
		g_string_append(out, "null");
	g_string_append(out, last ? "" : ",");
}

/* ---- the whole day (docs/semantics.md): today's sitting, budget left, upright ---- */

struct day_now {
	bool known; /* the daemon counts a day budget */
	int64_t sitting, upright, budget, target; /* µs, now */
};

/* The day's figures now, from the properties as of DayFiguresAt and the posture since. */
static void
day_now(SitlogSitlog1 *proxy, const char *posture, int64_t now, struct day_now *ret)
{
	g_autoptr(GDateTime) today = g_date_time_new_now_local();
	g_autoptr(GDateTime) midnight = NULL;
	int64_t at = sitlog_sitlog1_get_day_figures_at(proxy), start;
	bool sitting = g_str_equal(posture, "sitting");
	bool upright = g_str_equal(posture, "standing") || g_str_equal(posture, "walking");

	*ret = (struct day_now) {
		.budget = (int64_t) sitlog_sitlog1_get_sitting_budget(proxy) * G_USEC_PER_SEC,
		.target = (int64_t) sitlog_sitlog1_get_upright_target(proxy) * G_USEC_PER_SEC,
	};
	ret->known = ret->budget > 0; /* an older daemon has none of these properties */
	if (!ret->known || !today)
		return;
	midnight = g_date_time_new_local(g_date_time_get_year(today), g_date_time_get_month(today),
					 g_date_time_get_day_of_month(today), 0, 0, 0);
	start = midnight ? g_date_time_to_unix(midnight) * G_USEC_PER_SEC : 0;
	if (at < start) {
		/* of an earlier day: today holds only the posture since midnight */
		at = start;
	} else {
		ret->sitting = (int64_t) sitlog_sitlog1_get_sitting_today(proxy) * G_USEC_PER_SEC;
		ret->upright = (int64_t) sitlog_sitlog1_get_upright_today(proxy) * G_USEC_PER_SEC;
	}
	if (now > at && sitting)
		ret->sitting += now - at;
	if (now > at && upright)
		ret->upright += now - at;
}

static void
status_day(GString *out, const struct day_now *d, bool json)
{
	if (json) {
		g_string_append_printf(out, ",\"sitting_today_seconds\":%" G_GINT64_FORMAT
				       ",\"sitting_budget_seconds\":%" G_GINT64_FORMAT
				       ",\"budget_left_seconds\":%" G_GINT64_FORMAT
				       ",\"upright_today_seconds\":%" G_GINT64_FORMAT
				       ",\"upright_target_seconds\":%" G_GINT64_FORMAT,
				       d->sitting / G_USEC_PER_SEC, d->budget / G_USEC_PER_SEC,
				       (d->budget - d->sitting) / G_USEC_PER_SEC,
				       d->upright / G_USEC_PER_SEC, d->target / G_USEC_PER_SEC);
	} else {
		g_autofree char *sit = format_span(d->sitting), *budget = format_span(d->budget);
		g_autofree char *left = format_span(d->budget - d->sitting);
		g_autofree char *up = format_span(d->upright), *target = format_span(d->target);

		g_string_append_printf(out, "Today:       %s sitting of %s (%s %s)\n", sit, budget,
				       left, d->sitting <= d->budget ? "left" : "over");
		if (d->target)
			g_string_append_printf(out, "Upright:     %s of %s\n", up, target);
		else
			g_string_append_printf(out, "Upright:     %s\n", up);
	}
}

static int
status_from_daemon(const struct cli_context *ctx, SitlogSitlog1 *proxy, bool json)
{
	g_autoptr(GString) out = g_string_new(NULL);
	const char *posture, *quiet;
	int64_t bout, next, paused, now = g_get_real_time();
	struct day_now day;

	posture = sitlog_sitlog1_get_posture(proxy);
	quiet = sitlog_sitlog1_get_quiet(proxy);
	if (!posture)
		posture = "unknown";
	if (!quiet)
		quiet = "";
	bout = sitlog_sitlog1_get_bout_start(proxy);
	next = sitlog_sitlog1_get_next_prompt(proxy);
	paused = sitlog_sitlog1_get_paused_until(proxy);
	day_now(proxy, posture, now, &day);

	if (json) {
		g_string_append(out, "{\"daemon\":\"running\",\"posture\":");
		output_json_string(out, posture);
		g_string_append_c(out, ',');
		json_time(out, "bout_start", bout, false);
		g_string_append_printf(out, "\"bout_seconds\":%" G_GINT64_FORMAT ",",
				       bout ? (now - bout + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC : 0);
		json_time(out, "next_prompt", next, false);
		json_time(out, "paused_until", paused, false);
		g_string_append(out, "\"quiet\":");
		if (*quiet)
			output_json_string(out, quiet);
		else
			g_string_append(out, "null");
		g_string_append_c(out, ',');
		status_append_metrics(ctx, out, true);
		if (day.known)
			status_day(out, &day, true);
		g_string_append(out, "}\n");
	} else {
		g_autofree char *b = bout ? format_time(bout) : NULL;
		g_autofree char *bl = bout ? format_span(now - bout) : NULL;
		g_autofree char *n = next ? format_time(next) : NULL;
		g_autofree char *nl = next ? format_span(next - now) : NULL;
		g_autofree char *p = paused ? format_time(paused) : NULL;

		g_string_append_printf(out, "Daemon:      running\nPosture:     %s\n", posture);
		if (bout)
			g_string_append_printf(out, "Bout:        %s, since %s\n", bl, b);
		else
			g_string_append(out, "Bout:        none open\n");
		if (next && next >= now)
			g_string_append_printf(out, "Next prompt: %s (in %s)\n", n, nl);
		else if (next)
			g_string_append_printf(out, "Next prompt: %s (due now)\n", n);
		else
			g_string_append(out, "Next prompt: none due\n");
		if (paused)
			g_string_append_printf(out, "Prompts:     paused until %s\n", p);
		else if (*quiet)
			g_string_append_printf(out, "Prompts:     quiet now (%s)\n", quiet);
		else
			g_string_append(out, "Prompts:     on\n");
		status_append_metrics(ctx, out, false);
		if (day.known)
			status_day(out, &day, false);
	}
	return output_flush(out) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

struct last_rows {
	struct store_segment seg;
	struct store_bout bout;
	bool have_seg, have_bout;
};

static int
last_segment(const struct store_segment *seg, void *userdata)
{
	struct last_rows *l = userdata;

	l->seg = *seg;
	l->seg.device = NULL;
	l->have_seg = true;
	return 0;
}

static int
last_bout(const struct store_bout *b, void *userdata)
{
	struct last_rows *l = userdata;

	l->bout = *b;
	l->bout.ended_by = NULL;
	l->have_bout = true;
	return 0;
}

/* theirs: the database a running sitlogd writes instead (NULL: none runs) */
static int
status_from_database(const struct cli_context *ctx, const char *why, const char *theirs,
		     bool json)
{
	g_autofree char *error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct store *store = NULL;
	struct last_rows l = {};
	int64_t since = (g_get_real_time() / 1000) - 30LL * 24 * 3600 * 1000, paused = 0, paused_ms;
	int r;

	r = store_open(ctx->db_path, STORE_READ_ONLY, &store, &error);
	if (r < 0) {
		cli_error("status: %s; and %s", why, error);
		return EXIT_FAILURE;
	}
	r = store_foreach_segment(store, since, INT64_MAX, last_segment, &l);
	if (r >= 0)
		r = store_foreach_bout(store, since, INT64_MAX, last_bout, &l);
	if (r < 0) {
		cli_error("status: %s: %s", ctx->db_path, store_errmsg(store));
		store_close(store);
		return EXIT_FAILURE;
	}
	if (store_get_paused_until(store, &paused_ms) >= 0 &&
	    paused_ms * 1000 > g_get_real_time())
		paused = paused_ms * 1000;
	store_close(store);

	if (json) {
		g_string_append(out, theirs ? "{\"daemon\":\"another database\","
					      "\"daemon_database\":" :
					      "{\"daemon\":\"not running\",");
		if (theirs) {
			output_json_string(out, theirs);
			g_string_append_c(out, ',');
		}
		g_string_append(out, "\"last_posture\":");
		if (l.have_seg)
			output_json_string(out, posture_to_string(l.seg.posture));
		else
			g_string_append(out, "null");
		g_string_append_c(out, ',');
		json_time(out, "last_recorded", l.have_seg ? l.seg.end_ms * 1000 : 0, false);
		json_time(out, "last_bout_start", l.have_bout ? l.bout.start_ms * 1000 : 0, false);
		json_time(out, "last_bout_end", l.have_bout ? l.bout.end_ms * 1000 : 0, false);
		json_time(out, "paused_until", paused, false);
		status_append_metrics(ctx, out, true);
		g_string_append(out, "}\n");
	} else {
		g_string_append_printf(out, "Daemon:      %s\n"
				       "             (what follows is the last recorded in %s)\n",
				       why, ctx->db_path);
		if (l.have_seg) {
			g_autofree char *a = format_time(l.seg.start_ms * 1000);
			g_autofree char *b = format_time(l.seg.end_ms * 1000);

			g_string_append_printf(out, "Posture:     %s, %s to %s\n",
					       posture_to_string(l.seg.posture), a, b);
		} else {
			g_string_append(out, "Posture:     nothing recorded in the last 30 days\n");
		}
		if (l.have_bout) {
			g_autofree char *a = format_time(l.bout.start_ms * 1000);
			g_autofree char *b = format_time(l.bout.end_ms * 1000);
			g_autofree char *len = format_span((l.bout.end_ms - l.bout.start_ms) * 1000);

			g_string_append_printf(out, "Last bout:   %s, %s to %s\n", len, a, b);
		}
		if (paused) {
			g_autofree char *p = format_time(paused);

			g_string_append_printf(out, "Prompts:     paused until %s\n", p);
		}
		status_append_metrics(ctx, out, false);
	}
	return output_flush(out) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* "from 1s to 366d": the range of every duration a person gives (sitlog-limits.h). */
static char *
duration_range(void)
{
	char lo[32], hi[32];

	format_duration_exact(SITLOG_DURATION_MIN, lo, sizeof(lo));
	format_duration_exact(SITLOG_DURATION_MAX, hi, sizeof(hi));
	return g_strdup_printf("between %s and %s", lo, hi);
}

/* The daemon takes whole seconds: round up, so that a pause lasts at least what was asked. */
static usec_t
whole_seconds(usec_t d)
{
	return (d + USEC_PER_SEC - 1) / USEC_PER_SEC * USEC_PER_SEC;
}

/* Parse the verb's options; the only positional argument allowed is a duration, in
 * SITLOG_DURATION_MIN..SITLOG_DURATION_MAX (*ret_duration 0: none given). */
static bool
parse(const char *verb, const char *summary, const GOptionEntry *entries, int *argc,
      char ***argv, bool takes_duration, usec_t *ret_duration)
{
	g_autoptr(GOptionContext) oc = g_option_context_new(summary);
	g_autoptr(GError) error = NULL;
	usec_t d = 0;
	int r;

	if (entries)
		g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"Durations: 90s, 10min, 1h, 1h30min, 2d; from 1s to 366d. It talks to the running\n"
		"sitlogd on the session bus. See sitlog(1).");
	if (!g_option_context_parse(oc, argc, argv, &error)) {
		cli_error("%s: %s", verb, error->message);
		return false;
	}
	if (*argc > (takes_duration ? 2 : 1)) {
		cli_error("%s: unexpected argument \"%s\"", verb, (*argv)[*argc - 1]);
		return false;
	}
	if (*argc == 2) {
		g_autofree char *what = g_strdup_printf("\"%s\"", (*argv)[1]);

		r = parse_duration((*argv)[1], &d);
		if (r == -EINVAL) {
			cli_error("%s: %s is not a duration such as 10min or 1h", verb, what);
			return false;
		}
		/* never 0 for a duration given: 0 would mean the configured default */
		if (r < 0 || d < SITLOG_DURATION_MIN || d > SITLOG_DURATION_MAX) {
			g_autofree char *range = duration_range();

			cli_error("%s: %s: must be %s", verb, what, range);
			return false;
		}
	}
	*ret_duration = whole_seconds(d);
	return true;
}

int
verb_status(const struct cli_context *ctx, int argc, char **argv)
{
	gboolean json = FALSE;
	const GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
		{ NULL }
	};
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *why = NULL, *theirs = NULL;
	usec_t unused;

	if (!parse("status", "- posture now, the open bout, the next prompt", entries, &argc,
		   &argv, false, &unused))
		return EXIT_USAGE;
	proxy = daemon_proxy(&why);
	if (proxy && !daemon_load_properties(proxy, &error)) {
		g_dbus_error_strip_remote_error(error);
		cli_error("status: sitlogd did not answer: %s", error->message);
		return EXIT_FAILURE;
	}
	if (proxy && daemon_writes(proxy, ctx->db_path, &theirs))
		return status_from_daemon(ctx, proxy, json);
	if (proxy)
		why = g_strdup_printf("running, but writes %s, not this database", theirs);
	return status_from_database(ctx, why, theirs, json);
}

int
verb_pause(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *until_s = NULL, *when = NULL;
	const GOptionEntry entries[] = {
		{ "until", 0, 0, G_OPTION_ARG_STRING, &until_s,
		  "Pause until this time (local HH:MM[:SS], or ISO 8601 "
		  "YYYY-MM-DDTHH:MM[:SS][+HH:MM])", "TIME" },
		{ NULL }
	};
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	usec_t length;
	gint64 until = 0, now = g_get_real_time();
	int r;

	if (!parse("pause", "[DURATION] - no prompts for a while (default: [Reminders] pause, 1h)",
		   entries, &argc, &argv, true, &length))
		return EXIT_USAGE;
	if (until_s && length) {
		cli_error("pause: give a DURATION or --until, not both");
		return EXIT_USAGE;
	}
	if (until_s) {
		r = time_parse_local(until_s, TIME_PARSE_CLOCK | TIME_PARSE_DATETIME, now, &until,
				     NULL);
		if (r == -ERANGE) {
			cli_error("pause: --until: \"%s\" is out of range (1970-01-01 to 2099-12-31)", until_s);
			return EXIT_USAGE;
		}
		if (r < 0) {
			cli_error("pause: --until: \"%s\" is not a time (HH:MM[:SS], or "
				  "YYYY-MM-DDTHH:MM[:SS] with an optional UTC offset)", until_s);
			return EXIT_USAGE;
		}
		if (until <= now) {
			cli_error("pause: --until: \"%s\" is not a time to come", until_s);
			return EXIT_USAGE;
		}
		length = whole_seconds((usec_t) (until - now));
		if (length > SITLOG_DURATION_MAX) {
			g_autofree char *range = duration_range();

			cli_error("pause: --until: \"%s\" is too far ahead (a pause lasts %s)",
				  until_s, range);
			return EXIT_USAGE;
		}
	}
	proxy = daemon_for("pause", ctx->db_path);
	if (!proxy)
		return EXIT_FAILURE;
	if (!sitlog_sitlog1_call_pause_sync(proxy, length / USEC_PER_SEC, CALL_FLAGS, TIMEOUT_MS,
					    &until, NULL, &error))
		return call_failed("pause", error);
	when = format_time(until);
	printf("Prompts paused until %s; sitting time is still recorded.\n", when);
	return EXIT_SUCCESS;
}

int
verb_resume(const struct cli_context *ctx, int argc, char **argv)
{
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	usec_t unused;

	if (!parse("resume", "- end a pause: prompts are shown again", NULL, &argc, &argv, false,
		   &unused))
		return EXIT_USAGE;
	proxy = daemon_for("resume", ctx->db_path);
	if (!proxy)
		return EXIT_FAILURE;
	if (!sitlog_sitlog1_call_resume_sync(proxy, CALL_FLAGS, TIMEOUT_MS, NULL, &error))
		return call_failed("resume", error);
	printf("Prompts are shown again.\n");
	return EXIT_SUCCESS;
}

int
verb_snooze(const struct cli_context *ctx, int argc, char **argv)
{
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *when = NULL;
	usec_t length;
	gint64 next = 0;

	if (!parse("snooze", "[DURATION] - postpone the next prompt (default: [Reminders] snooze, "
		   "10min)", NULL, &argc, &argv, true, &length))
		return EXIT_USAGE;
	proxy = daemon_for("snooze", ctx->db_path);
	if (!proxy)
		return EXIT_FAILURE;
	if (!sitlog_sitlog1_call_snooze_sync(proxy, length / USEC_PER_SEC, CALL_FLAGS, TIMEOUT_MS,
					     &next, NULL, &error))
		return call_failed("snooze", error);
	when = next ? format_time(next) : NULL;
	if (when)
		printf("Next prompt at %s.\n", when);
	else
		printf("Snoozed.\n");
	return EXIT_SUCCESS;
}

/* Ask before deleting history, unless told not to; never without a person or --yes. */
static bool
confirm_prune(const char *before_s, bool yes)
{
	char answer[16];

	if (yes)
		return true;
	if (!isatty(STDIN_FILENO)) {
		cli_error("prune: not a terminal: confirm with --yes");
		return false;
	}
	printf("Delete everything sitlog recorded before %s? This cannot be undone. [y/N] ",
	       before_s);
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

/* Without a daemon: this command is the writer for a moment, if nobody else is. */
static int
prune_here(const struct cli_context *ctx, int64_t before_ms, struct store_pruned *ret)
{
	g_autofree char *error = NULL;
	struct store *store = NULL;
	int fd, r;

	r = store_lock_writer(ctx->db_path, &fd);
	if (r == -EBUSY) {
		cli_error("prune: %s is in use by another sitlogd (one without a session bus, or a "
			  "replay); try again when it is done", ctx->db_path);
		return EXIT_FAILURE;
	}
	if (r < 0) {
		cli_error("prune: %s.lock (the database's lock file): %s", ctx->db_path,
			  g_strerror(-r));
		return EXIT_FAILURE;
	}
	if (!g_file_test(ctx->db_path, G_FILE_TEST_EXISTS)) {
		cli_error("prune: no database at %s", ctx->db_path);
		close(fd);
		return EXIT_FAILURE;
	}
	r = store_open(ctx->db_path, STORE_READ_WRITE, &store, &error);
	if (r >= 0)
		r = store_begin(store);
	if (r >= 0)
		r = store_prune(store, before_ms, 0, 0, ret);
	if (r >= 0)
		r = store_commit(store);
	if (r < 0 && store) {
		cli_error("prune: %s: %s", ctx->db_path, store_errmsg(store));
		store_rollback(store);
	} else if (r < 0) {
		cli_error("prune: %s", error);
	}
	store_close(store);
	close(fd);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
verb_prune(const struct cli_context *ctx, int argc, char **argv)
{
	g_autofree char *before_s = NULL;
	gboolean yes = FALSE;
	const GOptionEntry entries[] = {
		{ "before", 0, 0, G_OPTION_ARG_STRING, &before_s,
		  "Delete what ended before this local date or time (YYYY-MM-DD, today, "
		  "yesterday, or YYYY-MM-DDTHH:MM[:SS])", "DATE" },
		{ "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not ask for confirmation", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("--before DATE - delete old history");
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *why = NULL, *theirs = NULL;
	struct store_pruned n = { 0 };
	gint64 now = g_get_real_time(), before;
	guint segments, bouts, prompts;
	int r;

	g_option_context_add_main_entries(oc, entries, NULL);
	if (!g_option_context_parse(oc, &argc, &argv, &error)) {
		cli_error("prune: %s", error->message);
		return EXIT_USAGE;
	}
	if (argc > 1 || !before_s) {
		cli_error("prune: give --before DATE (see sitlog prune --help)");
		return EXIT_USAGE;
	}
	r = time_parse_local(before_s, TIME_PARSE_DATE | TIME_PARSE_DAY_WORD | TIME_PARSE_DATETIME,
			     now, &before, NULL);
	if (r < 0) {
		cli_error("prune: --before: \"%s\" is %s", before_s,
			  r == -ERANGE ? "out of range (1970-01-01 to 2099-12-31)" :
					 "not a date (YYYY-MM-DD, today, yesterday) or a time "
					 "(YYYY-MM-DDTHH:MM[:SS])");
		return EXIT_USAGE;
	}
	if (before > now) {
		cli_error("prune: --before: \"%s\" is still to come: only the past can be pruned",
			  before_s);
		return EXIT_USAGE;
	}
	if (!confirm_prune(before_s, yes))
		return EXIT_FAILURE;

	/* the daemon is the only writer of its database: when it runs on this one, it prunes */
	proxy = daemon_proxy(&why);
	if (proxy && !daemon_load_properties(proxy, &error)) {
		g_dbus_error_strip_remote_error(error);
		cli_error("prune: sitlogd did not answer: %s", error->message);
		return EXIT_FAILURE;
	}
	if (proxy && daemon_writes(proxy, ctx->db_path, &theirs)) {
		if (!sitlog_sitlog1_call_prune_sync(proxy, before, CALL_FLAGS, TIMEOUT_MS, &segments,
						    &bouts, &prompts, NULL, &error))
			return call_failed("prune", error);
		n = (struct store_pruned) { segments, bouts, prompts };
	} else {
		r = prune_here(ctx, before / 1000, &n);
		if (r != EXIT_SUCCESS)
			return r;
	}
	printf("Deleted %u segments, %u bouts and %u prompts recorded before %s.\n", n.segments,
	       n.bouts, n.prompts, before_s);
	return EXIT_SUCCESS;
}
