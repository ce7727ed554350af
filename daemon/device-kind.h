/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The kinds of device sitlog reads, behind one table (as iio-sensor-proxy does with its
 * drivers): how a kind is named, how its classifier is set up from a device description (the
 * same for a recording's header and a live device), how a live device's state becomes one
 * input frame, how often a live device is read, and what is kept per device. Sources and the
 * session ask the table instead of testing the role.
 */

#include <libevdev/libevdev.h>
#include <stdbool.h>

#include "core.h"
#include "evemu-reader.h"
#include "sitlog-conf.h"

/* One input event of a state frame. */
typedef void (*device_kind_emit_fn)(unsigned type, unsigned code, int value, void *userdata);

struct device_kind {
	const char *name; /* "seat" or "imu": SITLOG_ROLE, the store's role, messages */
	/* Add the device's classifier to the core. `what` names the device in messages (a file
	 * or a device node); default_axis is a mount known from udev (NULL: none). Returns the
	 * core's device index, -EINVAL (message printed: "sitlogd: WHAT: reason") or -E2BIG. */
	int (*add)(struct core *core, const struct evemu_device_info *info, const char *what,
		   const struct sitlog_config *cfg, const double *default_axis);
	/* Live: the device's current state as one frame (without the closing SYN_REPORT). */
	void (*state_frame)(struct libevdev *evdev, device_kind_emit_fn emit, void *userdata);
	/* Live: read every `interval` instead of at every burst (0: at every burst). */
	usec_t (*sample_interval)(const struct sitlog_config *cfg);
	/* Live: take the device for ourselves (its keys reach nothing else). */
	bool (*grab)(const struct sitlog_config *cfg);
	/* The classifier learns a long axis that is kept per device in the store. */
	bool keeps_axis;
};

extern const struct device_kind device_kind_seat;
extern const struct device_kind device_kind_imu;

/* "seat" or "imu" to its kind; NULL for anything else. */
const struct device_kind *device_kind_from_name(const char *name);

/* A recording without a given role: an accelerometer is worn, anything else a seat. */
const struct device_kind *device_kind_infer(const struct evemu_device_info *info);

/* How often a device of this kind is read: every interval (> 0), or at every burst (0). */
usec_t device_kind_sample_interval(const struct device_kind *kind, const struct sitlog_config *cfg);

/* One sample of a device read every sample interval: its state (as libevdev holds it after
 * reading what was pending) as one frame closed by SYN_REPORT. The live reader
 * (evdev-source.c) and replay's emulation of it (replay.c, --replay-sampled) both sample
 * through this, at the device's open and then every device_kind_sample_interval(), so the
 * two cannot read a device differently. */
void device_kind_sample(const struct device_kind *kind, struct libevdev *evdev,
			device_kind_emit_fn emit, void *userdata);
