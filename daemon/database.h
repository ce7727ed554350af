/* SPDX-License-Identifier: MIT */
#pragma once

#include "store.h"

/* The database a session writes, for live mode and replay alike: one writer per database
 * (an exclusive lock on PATH.lock, held until *ret_lock_fd is closed: a second sitlogd started
 * by mistake stops here), then the store opened for writing. Errors are printed ("sitlogd:
 * ..."); returns 0 or a negative errno (-EBUSY: another sitlogd holds it). */
int database_open(const char *path, int *ret_lock_fd, struct store **ret);
