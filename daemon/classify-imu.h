/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * IMU classifier (pure): a thigh-strapped or trouser-pocket accelerometer (INPUT_PROP_ACCELEROMETER,
 * ABS_X/Y/Z) to a raw posture, once per frame. docs/imu.md explains the physics and the numbers.
 *
 * - gravity: first-order low-pass of the acceleration, time constant 1 s (rate-independent: the
 *   filter coefficient comes from each frame's dt);
 * - movement: the RMS of the acceleration magnitude's deviation from its low-pass, also over
 *   ~1 s (steps shake the magnitude; turning the thigh does not);
 * - inclination: the angle between gravity and the device's long (thigh) axis, sign ignored, so
 *   a phone put back upside down reads the same;
 * - the long axis is configured, or learned from walking (the thigh swings about upright, so
 *   the mean gravity direction over a walk is the upright thigh). Until it is known, only
 *   walking can be told; anything else is unknown, never standing;
 * - a re-placement without a walk (gravity held out of the thigh's swing plane, which no posture
 *   change does) makes the axis stale: unknown again (walking and an unmistakably horizontal
 *   thigh excepted) until the next walk gives the new axis.
 */

#include <stdbool.h>
#include <stdint.h>
#include <linux/input.h>

#include "posture.h"
#include "time-util.h"

/* The decision thresholds, from the physics (docs/imu.md). */
#define IMU_SIT_ENTER_DEG 30.0    /* thigh this far from the learned upright: sitting ... */
#define IMU_SIT_EXIT_DEG 22.0     /* ... until back within this */
#define IMU_NOT_WALKING_DEG 55.0  /* a thigh this far from upright is not walking */
#define IMU_WALK_ENTER_G 0.15     /* RMS of the magnitude's movement: walking from ... */
#define IMU_WALK_EXIT_G 0.08      /* ... until below */
#define IMU_GRAVITY_TAU_S 1.0
#define IMU_MOVEMENT_TAU_S 1.0
#define IMU_MOVEMENT_CLIP_G 0.35  /* a frame's movement counts up to this */
#define IMU_LEARN_WINDOW_S 10.0   /* walking needed to learn (or re-learn) the axis */
#define IMU_RELEARN_DEG 25.0      /* a walk's axis this far from the known one replaces it */
#define IMU_REFINED_DEG 2.0       /* ... else refines it: stored again once this far moved */
/* Re-placement without a walk (docs/imu.md): the mount is flat on the thigh when the learned axis
 * lies within IMU_FLAT_MOUNT_DEG of the device plane (x-y); then the thigh swings and sits down in
 * the plane spanned by the axis and the device normal (z), and gravity held this far out of that
 * plane for IMU_REPLACED_S is no posture change but the device put back differently. */
#define IMU_FLAT_MOUNT_DEG 30.0
#define IMU_REPLACED_DEG 55.0
#define IMU_REPLACED_S 2.0

struct imu_classifier_params {
	double units_per_g[3]; /* resolution of ABS_X/Y/Z; 0: use the measured gravity (fallback) */
	bool have_axis;        /* axis[] holds a configured mount or a stored learned axis */
	bool axis_fixed;       /* configured: never re-learned */
	double axis[3];        /* device frame, any length */
};

struct imu_classifier {
	struct imu_classifier_params params;
	int32_t raw[3];
	bool have_raw[3];
	bool started;
	usec_t last_t;
	usec_t cached_dt;
	double alpha_gravity, alpha_movement, k_movement;
	bool use_scale;  /* every axis declares its resolution */
	double scale[3]; /* 1 / units_per_g, or 1 (raw units, gravity as the yardstick) */
	double k2_sit_enter, k2_sit_exit, k2_not_walking, k_relearn, k_refined;
	double g[3];     /* low-passed acceleration, scaled */
	double m;        /* low-passed magnitude of the acceleration */
	double dyn2;     /* low-passed squared deviation of the magnitude from it */

	bool axis_known;
	double axis[3]; /* unit vector */
	bool flat_mount; /* the axis lies near the device plane: lateral[] is the swing plane's normal */
	double lateral[3];
	double k2_replaced, k2_plane_sitting;
	usec_t replaced_time; /* how long gravity has been out of the swing plane */
	bool axis_stale;      /* re-placed since the axis was learned: unknown until the next walk */
	bool walking;
	enum posture raw_posture;

	/* learning */
	double walk_sum[3];
	usec_t walk_time;
	double axis_sum[3];    /* every window of walking since the axis was (re-)learned */
	double axis_handed[3]; /* the axis last handed on to be stored */
	bool axis_updated; /* a new axis was learned: the caller stores it */
};

void imu_classifier_init(struct imu_classifier *c, const struct imu_classifier_params *p);

/* Feed one event; returns true at the end of a frame with the raw posture. */
bool imu_classifier_feed(struct imu_classifier *c, usec_t t, uint16_t type, uint16_t code,
			 int32_t value, enum posture *ret_posture);

/* Use this axis (a stored learned one) unless the mount is fixed by configuration. */
void imu_classifier_set_axis(struct imu_classifier *c, const double axis[3]);

/* A new axis has been learned since the last call: returns true once, with it. */
bool imu_classifier_take_axis(struct imu_classifier *c, double ret_axis[3]);

/* The device was put back differently since the axis was learned (until the next walk). */
bool imu_classifier_axis_stale(const struct imu_classifier *c);

/* The inclination of the last frame in degrees (for tests and tools), or -1 without an axis. */
double imu_classifier_inclination(const struct imu_classifier *c);
