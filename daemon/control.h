/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The control interface io.sitlog.Sitlog1 on the session bus (data/dbus/io.sitlog.Sitlog1.xml):
 * what sitlog status, pause, resume and snooze talk to. The daemon owns the state; this module
 * only speaks D-Bus, through the callbacks below.
 */

#include <gio/gio.h>
#include <stdint.h>

#include "time-util.h"

#define CONTROL_BUS_NAME "io.sitlog.Sitlog1"
#define CONTROL_OBJECT_PATH "/io/sitlog/Sitlog1"
#define CONTROL_ERROR_NO_BOUT "io.sitlog.Sitlog1.Error.NoBout"

struct control_state {
	const char *posture;
	int64_t posture_since; /* µs since the epoch */
	int64_t bout_start;    /* µs since the epoch, 0: none */
	int64_t next_prompt;
	int64_t paused_until;
};

struct control_ops {
	/* length 0: the configured default. Return the new paused-until / next-prompt time (µs
	 * since the epoch) or set *error. */
	int64_t (*pause)(void *userdata, usec_t length, GError **error);
	void (*resume)(void *userdata);
	int64_t (*snooze)(void *userdata, usec_t length); /* -1: no open bout */
	/* why a prompt due now would stay quiet, NULL when it would be shown */
	const char *(*quiet)(void *userdata);
};

struct control;

/* Owns the name on the session bus (asynchronously); without a session bus the daemon runs on
 * without its control interface, and says so. */
struct control *control_new(const struct control_ops *ops, void *userdata);
void control_free(struct control *c);

/* The daemon's state now: emits PropertiesChanged for what changed, PostureChanged too. */
void control_update(struct control *c, const struct control_state *s);
