/* SPDX-License-Identifier: MIT */
#pragma once

#include "notifier.h"
#include "sitlog-conf.h"

struct live_request {
	const char *db_path;
	enum notify_mode notify;
	const struct sitlog_config *config;
};

/* Runs the daemon on live devices until SIGTERM/SIGINT. Returns an exit status. */
int live_run(const struct live_request *req);

/* One writer per database: takes an exclusive lock on DB.lock. -EBUSY when another sitlogd
 * holds it. The lock lasts until *ret_fd is closed. */
int live_lock_database(const char *db_path, int *ret_fd);
