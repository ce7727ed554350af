/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The control interface io.sitlog.Sitlog1 on the session bus (data/dbus/io.sitlog.Sitlog1.xml,
 * exported with gdbus-codegen's skeleton): what sitlog status, pause, resume and snooze talk
 * to. The daemon owns the state; this module only speaks D-Bus, through the callbacks below.
 */

#include <gio/gio.h>
#include <stdint.h>

#include "time-util.h"

struct control_state {
	const char *posture;
	int64_t posture_since; /* µs since the epoch */
	int64_t bout_start;    /* µs since the epoch, 0: none */
	int64_t next_prompt;
	int64_t paused_until;
	/* why a prompt due now would stay quiet ("paused", "locked", …), "" or NULL when it
	 * would be shown */
	const char *quiet;
	/* the whole day, as of day_at (µs since the epoch): seconds */
	uint64_t sitting_today, upright_today, sitting_budget, upright_target;
	int64_t day_at;
};

struct control_ops {
	/* length 0: the configured default, else in [SITLOG_DURATION_MIN, SITLOG_DURATION_MAX]
	 * (longer is refused here). Return the new paused-until / next-prompt time (µs since the
	 * epoch) or set *error. */
	int64_t (*pause)(void *userdata, usec_t length, GError **error);
	void (*resume)(void *userdata);
	/* the new next-prompt time, -1: no open bout, or *error set (a length past a lock) */
	int64_t (*snooze)(void *userdata, usec_t length, GError **error);
	/* retention: delete what ended before `before` (µs since the epoch); 0 and the counts
	 * (segments, bouts, prompts), -EINVAL (after now) or another -errno with *error set */
	int (*prune)(void *userdata, int64_t before, unsigned ret_counts[3], GError **error);
};

struct control;

/* Owns the name on the session bus (asynchronously); without a session bus the daemon runs on
 * without its control interface, and says so. */
struct control *control_new(const struct control_ops *ops, void *userdata);
void control_free(struct control *c);

/* The database the daemon writes (the Database, DatabaseDevice and DatabaseInode properties),
 * set once before the bus name is owned: made absolute and stat()ed here. */
void control_set_database(struct control *c, const char *path);

/* The daemon's state now: what changed goes out in one PropertiesChanged, then PostureChanged
 * when the posture did. */
void control_update(struct control *c, const struct control_state *s);
