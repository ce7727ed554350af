/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What the desktop says about interrupting the person, read when a prompt falls due (no
 * watching, no wake-ups): logind's LockedHint of the user's display session and its
 * BlockInhibited "idle" (a presentation or a video holds the screen on), and GNOME's
 * org.gnome.desktop.notifications show-banners ("do not disturb"). Where a desktop exposes no
 * such setting, its notification server applies its own do-not-disturb to sitlog's prompts.
 */

#include <gio/gio.h>
#include <stdbool.h>

#include "quiet.h"

struct desktop;

/* system_bus may be NULL (then nothing is locked or inhibited). */
struct desktop *desktop_new(GDBusConnection *system_bus);
void desktop_free(struct desktop *d);

/* Fill q->locked, q->inhibited and q->dnd as they are now, for what the config asks about. */
void desktop_refresh(struct desktop *d, struct quiet *q);
