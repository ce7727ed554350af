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
 */

#include <gio/gio.h>
#include <stdbool.h>

#include "sitlog-conf.h"

enum desktop_fact {
	DESKTOP_LOCKED,
	DESKTOP_IDLE_INHIBITED,
	DESKTOP_DND,
	_DESKTOP_FACT_MAX,
};

/* A fact changed (or is reported for the first time): called from the main loop. */
typedef void (*desktop_fact_fn)(enum desktop_fact fact, bool on, void *userdata);

struct desktop;

/* system_bus may be NULL (then nothing is locked or inhibited). The current state of each
 * watched fact is reported through fn before desktop_new() returns, changes later from the main
 * loop. */
struct desktop *desktop_new(GDBusConnection *system_bus, const struct sitlog_config *config,
			    desktop_fact_fn fn, void *userdata);
void desktop_free(struct desktop *d);
