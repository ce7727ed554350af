/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "device-kind.h"
#include "device-params.h"

static int
seat_add(struct core *core, const struct evemu_device_info *info, const char *what,
	 const struct sitlog_config *cfg, const double *default_axis)
{
	struct seat_classifier_params p;
	int r = device_seat_params(info, what, cfg, &p);

	return r < 0 ? r : core_add_seat(core, &p);
}

/* Keys and switches as they are now, then the seat axes. */
static void
seat_state_frame(struct libevdev *evdev, device_kind_emit_fn emit, void *userdata)
{
	for (unsigned type = EV_KEY; type <= EV_SW; type += EV_SW - EV_KEY) {
		int max = libevdev_event_type_get_max(type);

		for (int code = 0; code <= max; code++)
			if (libevdev_has_event_code(evdev, type, (unsigned) code))
				emit(type, (unsigned) code,
				     libevdev_get_event_value(evdev, type, (unsigned) code), userdata);
	}
	for (unsigned code = 0; code < ABS_CNT; code++)
		if (libevdev_has_event_code(evdev, EV_ABS, code))
			emit(EV_ABS, code, libevdev_get_event_value(evdev, EV_ABS, code), userdata);
}

static usec_t
seat_sample_interval(const struct sitlog_config *cfg)
{
	return 0; /* a seat's every change matters and costs nothing at rest */
}

static bool
seat_grab(const struct sitlog_config *cfg)
{
	return cfg->seat_grab;
}

static int
imu_add(struct core *core, const struct evemu_device_info *info, const char *what,
	const struct sitlog_config *cfg, const double *default_axis)
{
	struct imu_classifier_params p;
	int r = device_imu_params(info, what, cfg, &p);

	if (r < 0)
		return r;
	if (!p.have_axis && default_axis) {
		/* a default: learning may still replace it */
		memcpy(p.axis, default_axis, sizeof(p.axis));
		p.have_axis = true;
	}
	return core_add_imu(core, &p);
}

static void
imu_state_frame(struct libevdev *evdev, device_kind_emit_fn emit, void *userdata)
{
	for (unsigned code = ABS_X; code <= ABS_Z; code++)
		emit(EV_ABS, code, libevdev_get_event_value(evdev, EV_ABS, code), userdata);
}

/* Posture rate: the classifier gives the same answers from 5 Hz up (docs/live.md). */
static usec_t
imu_sample_interval(const struct sitlog_config *cfg)
{
	return cfg->imu_sample_interval;
}

static bool
imu_grab(const struct sitlog_config *cfg)
{
	return false; /* a worn sensor's motion reaches nobody's cursor */
}

const struct device_kind device_kind_seat = {
	.name = "seat",
	.add = seat_add,
	.state_frame = seat_state_frame,
	.sample_interval = seat_sample_interval,
	.grab = seat_grab,
	.keeps_axis = false,
};

const struct device_kind device_kind_imu = {
	.name = "imu",
	.add = imu_add,
	.state_frame = imu_state_frame,
	.sample_interval = imu_sample_interval,
	.grab = imu_grab,
	.keeps_axis = true,
};

static const struct device_kind *const kinds[] = { &device_kind_seat, &device_kind_imu };

const struct device_kind *
device_kind_from_name(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}

const struct device_kind *
device_kind_infer(const struct evemu_device_info *info)
{
	return evemu_device_has_prop(info, INPUT_PROP_ACCELEROMETER) ? &device_kind_imu :
								       &device_kind_seat;
}

usec_t
device_kind_sample_interval(const struct device_kind *kind, const struct sitlog_config *cfg)
{
	return kind->sample_interval(cfg);
}

void
device_kind_sample(const struct device_kind *kind, struct libevdev *evdev,
		   device_kind_emit_fn emit, void *userdata)
{
	kind->state_frame(evdev, emit, userdata);
	emit(EV_SYN, SYN_REPORT, 0, userdata);
}
