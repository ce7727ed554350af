/* SPDX-License-Identifier: MIT */
#pragma once

/* Classifier parameters from a device's description, the same for a recording's header and a
 * live device (read into the same struct): one set of rules for both paths. */

#include "classify-imu.h"
#include "classify-seat.h"
#include "evemu-reader.h"
#include "sitlog-conf.h"

/* `what` names the device in messages (a file or a device node). Errors are printed to stderr
 * as "sitlogd: WHAT: reason" and returned as -EINVAL. */
int device_seat_params(const struct evemu_device_info *info, const char *what,
		       const struct sitlog_config *cfg, struct seat_classifier_params *ret);
int device_imu_params(const struct evemu_device_info *info, const char *what,
		      const struct sitlog_config *cfg, struct imu_classifier_params *ret);
