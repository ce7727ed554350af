/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Which input devices sitlog uses: an event node with the udev property SITLOG_ROLE=seat|imu,
 * or, without one, a [Device] section of the config that matches its name, ids and phys.
 * Everything is read from udev: deciding never opens a device. Shared by sitlogd (what to open)
 * and `sitlog devices` (what it would open, and why).
 */

#include <libudev.h>

#include "sitlog-conf.h"

struct device_role {
	const char *role; /* "seat", "imu", or NULL: not used */
	char why[160];    /* "udev SITLOG_ROLE", "config [Device pedal]", or why not */
};

/* Returns 0 for an input event node (ret filled), -ENOENT for anything else. */
int device_role_of(struct udev_device *d, const struct sitlog_config *cfg,
		   struct device_role *ret);

/* The input device's name as the kernel gives it (NAME, or the parent's name attribute). */
const char *device_role_name(struct udev_device *d, char *buf, size_t size);
