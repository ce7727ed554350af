/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "store.h"
#include "verbs.h"

static const struct verb {
	const char *name;
	int (*run)(const struct cli_context *ctx, int argc, char **argv);
	const char *summary;
	bool no_db; /* the verb never opens the database */
} verbs[] = {
	{ "report", verb_report, "Sitting, bouts, prompts and upright time; by day for a range" },
	{ "bouts", verb_bouts, "One line per sitting bout: start, length, prompts, responses" },
	{ "export", verb_export, 
	  "The recorded posture segments (CSV, JSON); daily totals (OpenMetrics)" },
	{ "devices", verb_devices, "Input devices that could be sensors, and whether sitlog uses them",
	  true },
	{ "status", verb_status, "Posture now, the open bout, the next prompt (from sitlogd)" },
	{ "pause", verb_pause, "No prompts for a while [DURATION | --until TIME]; tracking goes on" },
	{ "resume", verb_resume, "End a pause" },
	{ "snooze", verb_snooze, "Postpone the next prompt [DURATION]" },
	{ "prune", verb_prune, "Delete history before a date (--before DATE [--yes])" },
	{ "config", verb_config, "Every configuration value, and the file and line it comes from",
	  true },
};

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sitlog: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_print_config_warnings(const struct config_info *info)
{
	for (const char *const *w = config_info_get_warnings(info); *w; w++)
		cli_error("%s", *w);
}

int
cli_load_config(const struct cli_context *ctx, struct sitlog_config *ret)
{
	g_autofree char *error = NULL;
	struct config_info *info = NULL;
	int r = sitlog_config_load_full(ctx->config_path, ret, &info, &error);

	if (r < 0) {
		cli_error("%s", error);
		return r;
	}
	cli_print_config_warnings(info);
	config_info_free(info);
	return r;
}

static char *
verbs_help(void)
{
	GString *s = g_string_new("Commands:\n");

	for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++)
		g_string_append_printf(s, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
	g_string_append(s, "  help      Help on a command (same as COMMAND --help)\n\n"
			   "Run \"sitlog COMMAND --help\" for a command's options. See sitlog(1).\n"
			   "sitlog is not medical advice.");
	return g_string_free(s, FALSE);
}

static bool
asks_help(char **argv)
{
	for (char **a = argv; *a; a++)
		if (g_str_equal(*a, "--help") || g_str_equal(*a, "-h") || g_str_equal(*a, "-?"))
			return true;
	return false;
}

static const struct verb *
find_verb(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(verbs); i++)
		if (g_str_equal(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	g_autofree char *db = NULL, *config = NULL, *help = verbs_help();
	gboolean version = FALSE;
	const GOptionEntry entries[] = {
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
		  "Database (default: $SITLOG_DB, else $XDG_STATE_HOME/sitlog/sitlog.db)", "PATH" },
		{ "config", 0, 0, G_OPTION_ARG_FILENAME, &config,
		  "Read this configuration file, not the user's (the system's locks still hold)", "PATH" },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) oc = g_option_context_new("COMMAND [OPTION…]");
	g_autoptr(GError) error = NULL;
	g_autofree char *db_path = NULL, *db_error = NULL;
	struct cli_context ctx;
	const struct verb *verb;
	char *help_argv[] = { NULL, (char *) "--help", NULL };

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	/* past RLIMIT_FSIZE a write fails with EFBIG ("File too large") instead of killing us */
	signal(SIGXFSZ, SIG_IGN);
	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_summary(oc, "Reports of the sitting time recorded by sitlogd.");
	g_option_context_set_description(oc, help);
	/* options before the command are ours; the rest belongs to the command */
	g_option_context_set_strict_posix(oc, TRUE);
	if (!g_option_context_parse(oc, &argc, &argv, &error)) {
		cli_error("%s", error->message);
		return EXIT_USAGE;
	}
	if (version) {
		printf("sitlog %s\n", VERSION);
		return EXIT_SUCCESS;
	}
	if (argc < 2) {
		g_autofree char *usage = g_option_context_get_help(oc, TRUE, NULL);

		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (g_str_equal(argv[1], "help")) {
		if (argc < 3) {
			g_autofree char *usage = g_option_context_get_help(oc, TRUE, NULL);

			fputs(usage, stdout);
			return EXIT_SUCCESS;
		}
		verb = find_verb(argv[2]);
		if (!verb) {
			cli_error("unknown command \"%s\" (see sitlog --help)", argv[2]);
			return EXIT_USAGE;
		}
		help_argv[0] = argv[2];
		argc = 2;
		argv = help_argv;
	} else {
		verb = find_verb(argv[1]);
		if (!verb) {
			cli_error("unknown command \"%s\" (see sitlog --help)", argv[1]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	/* help needs no database (nor a home to find one in) */
	if (store_db_path(db, &db_path, &db_error) < 0 && (db || !(verb->no_db || asks_help(argv)))) {
		cli_error("%s", db_error);
		return db ? EXIT_USAGE : EXIT_FAILURE;
	}
	ctx = (struct cli_context) {
		.db_path = db_path,
		.config_path = config,
	};
	return verb->run(&ctx, argc, argv);
}
