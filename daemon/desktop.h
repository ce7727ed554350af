/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A watcher of what the desktop says about interrupting the person: logind's LockedHint of the
 * user's display session, logind's BlockInhibited containing "idle" (a presentation or a video
 * holds the screen on), and GNOME's org.gnome.desktop.notifications show-banners ("do not
 * disturb"). It subscribes to their change signals (PropertiesChanged, GSettings::changed) and
 * reports each change through the callback: nothing is polled, nothing is read when a prompt
 * falls due, so the core gets these facts as timed inputs and never blocks on them.
 *
 * Only what the config asks about is watched (quiet_when_locked, quiet_when_inhibited,
 * respect_dnd). Where a desktop exposes no do-not-disturb setting, its notification server
 * applies its own to sitlog's prompts.
 *
 * One more fact is always watched, and it is not a quiet reason: DESKTOP_ACTIVE, whether the
 * same session (the user's display session, else the first of the user's sessions) is the
 * active one on its seat (logind's Session.Active; a session without a seat never is). While it
 * is not, someone else may sit at the devices, so they are not read (evdev-source.c). The user
 * without a session is not active; without a system bus, or when logind knows no such user or
 * does not answer, the session counts as active.
 */

#include <gio/gio.h>
#include <stdbool.h>

#include "sitlog-conf.h"

enum desktop_fact {
	DESKTOP_LOCKED,
	DESKTOP_IDLE_INHIBITED,
	DESKTOP_DND,
	DESKTOP_ACTIVE, /* the user's session is the active one on its seat: devices are read */
	_DESKTOP_FACT_MAX,
};

/* A fact changed (or is reported for the first time): called from the main loop. */
typedef void (*desktop_fact_fn)(enum desktop_fact fact, bool on, void *userdata);

struct desktop;

/* system_bus may be NULL (then nothing is locked or inhibited, and the session is active). The
 * current state of each watched fact is reported through fn before desktop_new() returns,
 * changes later from the main loop. */
struct desktop *desktop_new(GDBusConnection *system_bus, const struct sitlog_config *config,
			    desktop_fact_fn fn, void *userdata);
void desktop_free(struct desktop *d);
