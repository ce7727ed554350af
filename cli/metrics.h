/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * `sitlog export --format openmetrics`: the day's aggregates for Prometheus, as node_exporter's
 * textfile collector reads them (docs/privacy.md says what is in it and why).
 *
 * Every sample is a gauge of today's or yesterday's figures (label day="today"|"yesterday",
 * nothing else), the open bout's age, or the build info. No timestamps, no times of day, no
 * per-bout or per-segment values, no user or device names: the same totals on different days
 * give the same text. The text is OpenMetrics 1.0 (# TYPE, # HELP, # UNIT, # EOF) that is also
 * valid Prometheus text format 0.0.4, where # UNIT and # EOF are comments (what promtool and
 * node_exporter read).
 */

#include <glib.h>
#include <stdint.h>

#include "report.h"
#include "sitlog-conf.h"
#include "store.h"

/* An open bout whose last heartbeat is older than this is not open any more: its sitlogd
 * died with it, and the next start closes it as "crash" (the heartbeat is 60 s). */
#define METRICS_BOUT_STALE_MS (3 * 60 * 1000)

struct metrics_input {
	const struct report_figures *today;
	const struct report_figures *yesterday;
	int64_t bout_age_seconds; /* the open bout's age; -1: none open (exported as 0) */
};

/* Pure: the text for these figures, appended to out. */
void metrics_format(const struct metrics_input *in, GString *out);

/* The figures of the local day of now_ms and the day before (report_compute()), the open bout
 * from their bout lists, and metrics_format(). 0 or -errno (from the store). */
int metrics_compute(struct store *s, const struct sitlog_config *c, int64_t now_ms,
		    GString *out);

/* DIR/sitlog-UID.prom for [Metrics] textfile_dir. g_free(). */
char *metrics_textfile_path(const struct sitlog_config *c);

/* text into path atomically: a temporary file in the same directory, fsync, mode 0644, rename
 * over path. 0 or -errno; *ret_error (g_free()) names the file that failed. */
int metrics_write_textfile(const char *path, const char *text, char **ret_error);
