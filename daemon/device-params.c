/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-params.h"

int
device_seat_params(const struct evemu_device_info *info, const char *what,
		   const struct sitlog_config *cfg, struct seat_classifier_params *ret)
{
	struct seat_classifier_params p = {
		.occupied = cfg->seat_occupied,
		.vacant = cfg->seat_vacant,
	};

	if (evemu_device_has_code(info, EV_ABS, (unsigned) cfg->seat_axis)) {
		const struct input_absinfo *abs = &info->abs[cfg->seat_axis];

		if (abs->maximum <= abs->minimum) {
			fprintf(stderr, "sitlogd: %s: seat axis 0x%02x has an empty range [%d, %d]\n",
				what, cfg->seat_axis, abs->minimum, abs->maximum);
			return -EINVAL;
		}
		p.mode = SEAT_MODE_AXIS;
		p.axis = (unsigned) cfg->seat_axis;
		p.axis_min = abs->minimum;
		p.axis_max = abs->maximum;
	} else if (cfg->seat_key_type != 0) {
		if (!evemu_device_has_code(info, (unsigned) cfg->seat_key_type,
					   (unsigned) cfg->seat_key_code)) {
			fprintf(stderr, "sitlogd: %s: the device does not declare the configured seat "
				"key (type 0x%02x code 0x%03x)\n",
				what, cfg->seat_key_type, cfg->seat_key_code);
			return -EINVAL;
		}
		p.mode = SEAT_MODE_SWITCH;
		p.key_type = (unsigned) cfg->seat_key_type;
		p.key_code = (unsigned) cfg->seat_key_code;
	} else if (evemu_device_has_type(info, EV_KEY) || evemu_device_has_type(info, EV_SW)) {
		p.mode = SEAT_MODE_SWITCH;
	} else {
		fprintf(stderr, "sitlogd: %s: \"%s\" declares neither the seat axis 0x%02x nor any key "
			"or switch: not usable as a seat sensor\n",
			what, info->name, cfg->seat_axis);
		return -EINVAL;
	}
	*ret = p;
	return 0;
}

int
device_imu_params(const struct evemu_device_info *info, const char *what,
		  const struct sitlog_config *cfg, struct imu_classifier_params *ret)
{
	struct imu_classifier_params p = {};
	bool resolution = true;

	for (unsigned code = ABS_X; code <= ABS_Z; code++) {
		if (!evemu_device_has_code(info, EV_ABS, code)) {
			fprintf(stderr, "sitlogd: %s: \"%s\" lacks ABS_X, ABS_Y or ABS_Z: not usable as "
				"an accelerometer\n", what, info->name);
			return -EINVAL;
		}
		p.units_per_g[code] = info->abs[code].resolution;
		if (info->abs[code].resolution <= 0)
			resolution = false;
	}
	if (!resolution) {
		fprintf(stderr, "sitlogd: %s: \"%s\" declares no resolution (units per g) on ABS_X/Y/Z; "
			"measuring movement against the measured gravity instead\n",
			what, info->name);
		memset(p.units_per_g, 0, sizeof(p.units_per_g));
	}
	if (getenv("SITLOG_IMU_TUNING")) {
		/* validation only (docs/imu.md): one constant varied at a time */
		static struct imu_tuning tuning;

		tuning = imu_tuning_default;
		if (imu_tuning_parse(getenv("SITLOG_IMU_TUNING"), &tuning) < 0) {
			fprintf(stderr, "sitlogd: SITLOG_IMU_TUNING: not a list of name=value of "
				"struct imu_tuning: \"%s\"\n", getenv("SITLOG_IMU_TUNING"));
			return -EINVAL;
		}
		p.tuning = &tuning;
	}
	if (cfg->imu_have_axis) {
		p.have_axis = true;
		p.axis_fixed = true;
		memcpy(p.axis, cfg->imu_axis, sizeof(p.axis));
	}
	*ret = p;
	return 0;
}

