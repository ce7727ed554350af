/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "device-kind.h"
#include "live.h"
#include "replay.h"
#include "sitlog-conf.h"
#include "store.h"
#include "time-util.h"

#define EXIT_USAGE 2

static char **opt_replay;
static char *opt_role;
static char *opt_replay_start;
static gboolean opt_replay_sampled;
static char *opt_sample_phase;
static char *opt_db;
static char *opt_config;
static char *opt_notify;
static gboolean opt_version;
static gboolean opt_print_config;

static const GOptionEntry entries[] = {
	{ "replay", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_replay,
	  "Replay an evemu recording instead of reading devices (repeatable)", "FILE" },
	{ "role", 0, 0, G_OPTION_ARG_STRING, &opt_role,
	  "Role of the replayed devices (default: inferred from each recording)", "seat|imu" },
	{ "replay-start", 0, 0, G_OPTION_ARG_STRING, &opt_replay_start,
	  "Wall-clock time of the first replayed event (default: now minus the recording's "
	  "length)", "ISO8601" },
	{ "replay-sampled", 0, 0, G_OPTION_ARG_NONE, &opt_replay_sampled,
	  "Read replayed IMUs as the live daemon does: their state every [IMU] sample_interval "
	  "(default: every event)", NULL },
	{ "replay-sample-phase", 0, 0, G_OPTION_ARG_STRING, &opt_sample_phase,
	  "With --replay-sampled: the first sample this long after the device's first event, "
	  "shorter than the interval (default: 0)", "DURATION" },
	{ "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db,
	  "Database (default: $SITLOG_DB, else $XDG_STATE_HOME/sitlog/sitlog.db)", "PATH" },
	{ "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config,
	  "Read this configuration file, not the user's (the system's locks still hold)", "PATH" },
	{ "notify", 0, 0, G_OPTION_ARG_STRING, &opt_notify,
	  "How to show prompts (default: none when replaying, desktop live)", "none|log|desktop" },
	{ "print-config", 0, 0, G_OPTION_ARG_NONE, &opt_print_config,
	  "Print every configuration value, with the file and line it comes from, and exit",
	  NULL },
	{ "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
	{ NULL }
};

/* --print-config: what sitlogd would run with, through the printer `sitlog config` uses. */
static int
print_config(void)
{
	g_autofree char *error = NULL, *text = NULL;
	struct config_info *info = NULL;
	struct sitlog_config config;
	int r = sitlog_config_load_full(opt_config, &config, &info, &error);

	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", error);
		return EXIT_FAILURE;
	}
	for (const char *const *w = config_info_get_warnings(info); *w; w++)
		fprintf(stderr, "sitlogd: %s\n", *w);
	text = config_format(&config, info, CONFIG_FORMAT_TEXT);
	config_info_free(info);
	if (fputs(text, stdout) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "sitlogd: writing: %s\n", g_strerror(errno));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *db = NULL;
	g_autofree char *config_error = NULL, *db_error = NULL;
	struct sitlog_config config;
	struct replay_request req;
	usec_t sample_phase = 0;
	int notify, r;

	setlocale(LC_ALL, "");
	/* a write past RLIMIT_FSIZE fails with EFBIG (the store's "File too large" path) instead of
	 * killing the daemon without a word, as PostgreSQL does */
	signal(SIGXFSZ, SIG_IGN);
	context = g_option_context_new("- record sitting time from seat and motion sensors");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_description(context,
		"Without --replay, sitlogd reads the input devices that have a sitlog role.\n"
		"See sitlogd(1).");
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "sitlogd: %s\n", error->message);
		return EXIT_USAGE;
	}
	if (opt_version) {
		printf("sitlogd %s\n", VERSION);
		return EXIT_SUCCESS;
	}
	if (argc > 1) {
		fprintf(stderr, "sitlogd: unexpected argument \"%s\" (see --help)\n", argv[1]);
		return EXIT_USAGE;
	}
	if (opt_role && !device_kind_from_name(opt_role)) {
		fprintf(stderr, "sitlogd: --role: expected seat or imu, not \"%s\"\n", opt_role);
		return EXIT_USAGE;
	}
	if ((opt_role || opt_replay_start || opt_replay_sampled) && !opt_replay) {
		fprintf(stderr, "sitlogd: --role, --replay-start and --replay-sampled go with "
			"--replay\n");
		return EXIT_USAGE;
	}
	if (opt_sample_phase && !opt_replay_sampled) {
		fprintf(stderr, "sitlogd: --replay-sample-phase goes with --replay-sampled\n");
		return EXIT_USAGE;
	}
	if (opt_sample_phase && parse_duration(opt_sample_phase, &sample_phase) < 0) {
		fprintf(stderr, "sitlogd: --replay-sample-phase: not a duration: \"%s\" "
			"(such as 120ms)\n", opt_sample_phase);
		return EXIT_USAGE;
	}
	if (opt_print_config)
		return print_config();
	notify = opt_notify ? notify_mode_from_string(opt_notify) :
			      (opt_replay ? NOTIFY_NONE : NOTIFY_DESKTOP);
	if (notify < 0) {
		fprintf(stderr, "sitlogd: --notify: expected none, log or desktop, not \"%s\"\n",
			opt_notify);
		return EXIT_USAGE;
	}

	r = sitlog_config_load(opt_config, &config, &config_error);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", config_error);
		return EXIT_FAILURE;
	}

	r = store_db_path(opt_db, &db, &db_error);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", db_error);
		return r == -EINVAL ? EXIT_USAGE : EXIT_FAILURE;
	}
	if (!opt_replay) {
		struct live_request live = {
			.db_path = db,
			.notify = (enum notify_mode) notify,
			.config = &config,
			.config_path = opt_config,
		};

		return live_run(&live);
	}

	req = (struct replay_request) {
		.files = opt_replay,
		.role = opt_role,
		.start = opt_replay_start,
		.db_path = db,
		.notify = (enum notify_mode) notify,
		.config = &config,
		.sampled = opt_replay_sampled,
		.sample_phase = sample_phase,
	};
	return replay_run(&req);
}
