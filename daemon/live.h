/* SPDX-License-Identifier: MIT */
#pragma once

#include "notifier.h"
#include "sitlog-conf.h"

struct live_request {
	const char *db_path;
	enum notify_mode notify;
	const struct sitlog_config *config;
	const char *config_path; /* --config, read again on SIGHUP; NULL: the default files */
};

/* Runs the daemon on live devices until SIGTERM/SIGINT; SIGHUP reloads the configuration.
 * Returns an exit status. */
int live_run(const struct live_request *req);

