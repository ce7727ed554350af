/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "sitlog-conf.h"

/* What every verb gets from the global options. */
struct cli_context {
	const char *db_path;
	const char *config_path; /* NULL: the default files */
};

/* Each verb parses its own options (argv[0] is the verb) and returns an exit status:
 * 0, 1 (failure) or 2 (usage). */
int verb_report(const struct cli_context *ctx, int argc, char **argv);
int verb_export(const struct cli_context *ctx, int argc, char **argv);
int verb_devices(const struct cli_context *ctx, int argc, char **argv);
int verb_status(const struct cli_context *ctx, int argc, char **argv);
int verb_pause(const struct cli_context *ctx, int argc, char **argv);
int verb_resume(const struct cli_context *ctx, int argc, char **argv);
int verb_snooze(const struct cli_context *ctx, int argc, char **argv);
int verb_prune(const struct cli_context *ctx, int argc, char **argv);
int verb_config(const struct cli_context *ctx, int argc, char **argv);
int verb_bouts(const struct cli_context *ctx, int argc, char **argv);

/* verb-metrics.c: export --format openmetrics [--textfile] (an exit status), and the
 * Metrics lines of status (JSON: a "metrics": member, no comma around it). */
int verb_export_openmetrics(const struct cli_context *ctx, bool textfile);
void status_append_metrics(const struct cli_context *ctx, GString *out, bool json);

/* Shared helpers for verbs. */
#define EXIT_USAGE 2

/* sitlog: <what>: <why> on stderr. */
void cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* The configuration as the daemon reads it (for report parameters); its warnings (a user's
 * value for a locked key) on stderr. */
int cli_load_config(const struct cli_context *ctx, struct sitlog_config *ret);

/* A load's warnings on stderr, one "sitlog: FILE:LINE: ..., ignoring" each. */
void cli_print_config_warnings(const struct config_info *info);
