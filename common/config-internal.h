/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Between the parser (sitlog-conf.c: one file) and the layers (config-layers.c: which files,
 * in which order, with which trust). Not for other modules.
 */

#include "sitlog-conf.h"

/* Who wrote a file, which decides what it may do:
 *  - CONFIG_USER: the user's own files; values for locked keys are ignored, [Locks] too;
 *  - CONFIG_ADMIN: a file the user's environment points at ($XDG_CONFIG_DIRS, --config); it
 *    may lock keys against the user's files, but its values for keys the system's files lock
 *    are ignored;
 *  - CONFIG_SYSTEM: the system's configuration directory (SITLOG_SYSTEM_CONFIG_DIR); its
 *    locks bind every other file. */
enum config_trust {
	CONFIG_USER,
	CONFIG_ADMIN,
	CONFIG_SYSTEM,
};

struct config_info *config_info_new(void);

/* One file over *c with that trust; -ENOENT when it does not exist (nothing changed). */
int config_load_file_as(struct sitlog_config *c, struct config_info *info,
			enum config_trust trust, const char *path, char **ret_error);

/* Only the [Locks] of one system file, recorded as the system's: read before any other file,
 * so that a system lock holds over files read before it. -ENOENT: no such file. */
int config_load_system_locks(struct config_info *info, const char *path, char **ret_error);

/* After the last file: the bounds that follow from the locks (a locked [Reminders] pause or
 * snooze is the longest the D-Bus calls take). */
void config_finish(struct sitlog_config *c, const struct config_info *info);
