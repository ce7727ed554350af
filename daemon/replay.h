/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "notifier.h"
#include "sitlog-conf.h"
#include "time-util.h"

/* sysexits.h: the input data was incorrect */
#define EXIT_DATAERR 65

struct replay_request {
	char **files;            /* NULL-terminated */
	const char *role;        /* "seat", "imu" or NULL: inferred from each recording */
	const char *start;       /* ISO 8601, or NULL: now minus the recording's length */
	const char *db_path;
	enum notify_mode notify;
	const struct sitlog_config *config;
	bool sampled;            /* read sampled devices as live does (--replay-sampled) */
	usec_t sample_phase;     /* ... the first sample this long after the first event */
};

/* Replays the recordings through the core into the store. Returns an exit status: 0,
 * EXIT_FAILURE (store), EXIT_DATAERR (recording), 2 (usage). Messages go to stderr. */
int replay_run(const struct replay_request *req);
