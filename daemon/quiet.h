/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * When prompts stay quiet although one falls due: outside the configured working hours and
 * days, while the session is locked or idle-inhibited (if the user chose so), and while the
 * desktop's "do not disturb" is on. A prompt that falls due then is kept as suppressed, with the
 * reason as its delivery. The live daemon keeps the flags up to date; replay has none of them.
 */

#include <stdbool.h>

#include "recorder.h"
#include "sitlog-conf.h"

struct quiet {
	const struct sitlog_config *config;
	const struct recorder *recorder; /* maps core time to wall-clock time */
	bool locked;
	bool inhibited;
	bool dnd;
};

/* A tracker_quiet_fn: NULL, or "off-hours", "locked", "idle-inhibited", "do-not-disturb". */
const char *quiet_check(usec_t t, void *userdata);
