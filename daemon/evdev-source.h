/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Live devices as an event source: udev finds the input devices that have a sitlog role (and
 * watches for hotplug), libevdev reads them, and their devices, frames and disappearances go
 * to the session. Seat devices wake the main loop only when they report something; worn
 * sensors are sampled at their kind's interval. Nothing here decides or writes.
 *
 * Devices are open only while the user's session is the active one on the seat (desktop.c's
 * DESKTOP_ACTIVE): on a shared workstation someone else may sit there otherwise. A role device
 * that cannot be opened yet (EACCES before logind grants the uaccess ACL, ENOENT before its
 * node is there) is tried again at its next udev event and when the session becomes active.
 */

#include <stdbool.h>

#include "session.h"
#include "sitlog-conf.h"

struct evdev_source;

struct evdev_source_ops {
	usec_t (*now)(void *userdata);     /* the live clock */
	usec_t (*wake)(void *userdata);    /* a wake-up begins (sleep.h): the live clock, after it
					    * handled a sleep since the last reading */
	void (*changed)(void *userdata);   /* input went to the session: commit and reschedule */
};

/* Enumerates the devices there are now (opens them when active) and starts watching udev.
 * -ENOMEM or -EIO. */
int evdev_source_new(struct session *session, const struct sitlog_config *config,
		     const struct evdev_source_ops *ops, void *userdata, bool active,
		     struct evdev_source **ret);
void evdev_source_free(struct evdev_source *src);

/* How many sitlog devices have been seen. */
unsigned evdev_source_n_devices(const struct evdev_source *src);

/* The system woke from a sleep: each present device reports its state afresh (a forced
 * libevdev sync). The devices were made unknown when it began (sleep.h). */
void evdev_source_resume(struct evdev_source *src);

/* The user's session became the active one on the seat (every present role device is opened
 * and reports its state afresh, in its old session slot) or stopped being it (every open device
 * is closed, unread, and is unknown from now; devices that appear meanwhile are noted, not
 * opened). The caller commits afterwards. */
void evdev_source_set_active(struct evdev_source *src, bool active);
