/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * IMU classifier (pure): a thigh-strapped or trouser-pocket accelerometer (INPUT_PROP_ACCELEROMETER,
 * ABS_X/Y/Z) to a raw posture, once per frame. A model of the thigh, not of one mount
 * (docs/imu.md explains the physics and where every number was chosen):
 *
 * - gravity: first-order low-pass of the acceleration, time constant 1 s (rate-independent: the
 *   filter coefficient comes from each frame's dt);
 * - movement: the RMS of the acceleration magnitude's deviation from its low-pass, also over
 *   ~1 s (steps shake the magnitude; turning the thigh does not);
 * - the thigh frame, learned from walking (or the axis configured): the thigh axis is the mean
 *   gravity direction over a walk (the thigh swings about upright), the swing plane the plane
 *   in which the acceleration varies most about it (the thigh swings about the hip's sideways
 *   axis). Any rotation of the mount about the thigh is learned with it;
 * - inclination: the angle between gravity and the thigh axis, sign ignored;
 * - a posture change is a rotation in the swing plane; gravity far out of it is a device turned
 *   in the pocket or put back, for which the inclination is no longer the thigh's. What still
 *   holds for any mount flat on the thigh: gravity far out of the device plane means a thigh
 *   far from vertical (the thigh axis lies in that plane);
 * - when unsure: unknown, never a confident wrong posture; a posture is reported once it holds
 *   most of the last IMU_VOTE_S seconds, so one contrary sample changes nothing.
 */

#include <stdbool.h>
#include <stdint.h>
#include <linux/input.h>

#include "posture.h"
#include "time-util.h"

/*
 * Every constant of the classifier, with its default (docs/imu.md gives what each was chosen
 * on and the validation figures with and without it). The defaults are the product; the
 * struct exists so that the validation can vary one at a time (imu_tuning_parse()).
 */
struct imu_tuning {
	double gravity_tau_s;    /* low-pass of gravity */
	double movement_tau_s;   /* low-pass of the movement statistic */
	double movement_clip_g;  /* a frame's deviation counts up to this (0: no clip) */
	double walk_enter_g;     /* movement RMS: walking from ... */
	double walk_exit_g;      /* ... until below */
	double learn_window_s;   /* continuous walking needed for one window of learning */
	double learn_coherence;  /* a window is learned from when its mean acceleration is at
				  * least this share of its mean magnitude (a walk's; a jog's,
				  * swinging the thigh far, or a clipped one's is less) */
	double relearn_windows;  /* agreeing windows that a new placement needs */
	double relearn_deg;      /* a window's axis this far from the known one replaces it */
	double refined_deg;      /* a refined axis is handed on to be stored once this far moved */
	double sit_enter_deg;    /* in the swing plane: sitting from this inclination ... */
	double sit_exit_deg;     /* ... until back within this */
	double sit_sure_deg;     /* sitting at any azimuth, moving or not */
	double edge_sit_deg;     /* flat mount, gravity in the device plane: sitting (the device
				  * turned about the thigh) from this inclination */
	double swing_plane_deg;  /* gravity within this of the swing plane: a posture change */
	double swing_ratio;      /* the swing plane is known when its variance is this many
				  * times the sideways one */
	double side_ratio;       /* ... and a side mount is believed from this many times */
	double flat_mount_deg;   /* the mount is flat when the axis is this near the device plane */
	double side_mount_deg;   /* flat mount: a forward direction this far from the device
				  * normal is a mount on the side of the thigh */
	double plane_sit_deg;    /* flat mount: gravity this far out of the device plane: sitting */
	double perch_deg;        /* flat mount: this far from the axis ... */
	double perch_plane_deg;  /* ... and this far out of the device plane: sitting (a thigh
				  * inclined, the device at the side of the front) */
	double vote_s;           /* a raw posture holds most of this window before it is reported */
};

extern const struct imu_tuning imu_tuning_default;

/* "name=value,name=value" over the defaults (the names of struct imu_tuning's members).
 * Returns 0, or -EINVAL with *ret untouched. For validation only (docs/imu.md). */
int imu_tuning_parse(const char *spec, struct imu_tuning *ret);

struct imu_classifier_params {
	double units_per_g[3]; /* resolution of ABS_X/Y/Z; 0: use the measured gravity (fallback) */
	bool have_axis;        /* axis[] holds a configured mount or a stored learned axis */
	bool axis_fixed;       /* configured: never re-learned */
	double axis[3];        /* device frame, any length */
	const struct imu_tuning *tuning; /* NULL: imu_tuning_default */
};

#define IMU_VOTE_RUNS 64

/* Windows of walking summed: their mean acceleration (each window's turned to agree in sign:
 * the axis has no sign) and their covariance about their own means, weighted by time. */
struct imu_evidence {
	double sum[3];
	double cov[6]; /* xx yy zz xy xz yz */
	double time;   /* s */
	unsigned n;    /* windows */
};
#define IMU_KNOWN_AXES 4

/* Where the device lies, from the learned thigh frame. */
enum imu_mount {
	IMU_MOUNT_FRONT, /* flat on the front of the thigh (a trouser pocket): sitting turns
			  * gravity out of the device plane */
	IMU_MOUNT_SIDE,  /* flat on the side of the thigh: sitting turns it within the plane */
	IMU_MOUNT_OTHER, /* not flat on the thigh: the inclination alone */
};

struct imu_classifier {
	struct imu_classifier_params params;
	struct imu_tuning k;
	int32_t raw[3];
	bool have_raw[3];
	bool started;
	usec_t last_t;
	usec_t cached_dt;
	double alpha_gravity, alpha_movement, k_movement;
	bool use_scale;  /* every axis declares its resolution */
	double scale[3]; /* 1 / units_per_g, or 1 (raw units, gravity as the yardstick) */
	/* squared sines and cosines of the angles, for comparisons without acos or sqrt */
	double c2_sit_enter, c2_sit_exit, c2_sit_sure, c2_edge_sit, c2_perch, s2_perch_plane;
	double s2_swing_plane;
	double s2_plane_sit, s2_plane_sure; /* with the axis' own distance from the plane */
	double k_relearn, k_refined;
	double a[3];     /* this frame's acceleration, scaled */
	double g[3];     /* low-passed acceleration, scaled */
	double m;        /* low-passed magnitude of the acceleration */
	double dyn2;     /* low-passed squared deviation of the magnitude from it */

	/* the thigh frame */
	bool axis_known;
	double axis[3];   /* unit vector: the thigh axis */
	bool flat_mount;  /* the axis lies near the device plane */
	bool swing_known; /* the swing plane is known: forward[] in it, lateral[] its normal */
	double forward[3], lateral[3];
	double swing_anisotropy; /* the variance in the swing plane over the sideways one */
	enum imu_mount mount;
	bool walking;
	usec_t last_step_t; /* the last frame with movement at walking level */
	enum posture frame_posture; /* this frame's reading, before the vote */
	const char *reason;         /* ... and what decided it */
	enum posture raw_posture;   /* what the vote reports ... */
	usec_t raw_since;           /* ... since when */

	/* learning: the moments of the acceleration over walking, weighted by time */
	double walk_sum[3], walk_mom[6], walk_mag;
	double walk_time; /* s */
	struct imu_evidence axis_ev; /* every window since the axis was (re-)learned */
	struct imu_evidence pend_ev; /* windows far from the axis, agreeing: a new placement? */
	double axis_handed[3]; /* the axis last handed on to be stored */
	/* the thigh axes of the placements seen lately, the current one first: a device put
	 * back is often put back as it was before */
	double known[IMU_KNOWN_AXES][3];
	unsigned n_known;
	bool axis_updated;     /* a new axis was learned: the caller stores it */

	/* the vote: runs of frame postures over the last vote_s seconds */
	struct {
		usec_t start;
		enum posture p;
	} runs[IMU_VOTE_RUNS];
	unsigned run_first, n_runs;
};

void imu_classifier_init(struct imu_classifier *c, const struct imu_classifier_params *p);

/* Feed one event; returns true at the end of a frame with the raw posture. */
bool imu_classifier_feed(struct imu_classifier *c, usec_t t, uint16_t type, uint16_t code,
			 int32_t value, enum posture *ret_posture);

/* Use this axis (a stored learned one) unless the mount is fixed by configuration. */
void imu_classifier_set_axis(struct imu_classifier *c, const double axis[3]);

/* A new axis has been learned since the last call: returns true once, with it. */
bool imu_classifier_take_axis(struct imu_classifier *c, double ret_axis[3]);

/* Since when the posture last returned has held (the vote dates a change back to the first
 * frame of it in its window; at most vote_s before the frame). */
usec_t imu_classifier_since(const struct imu_classifier *c);

/* What decided the last frame's reading, in words (for tests and tools). */
const char *imu_classifier_reason(const struct imu_classifier *c);

/* The swing plane is known (learned from a walk since the axis was set). */
bool imu_classifier_swing_known(const struct imu_classifier *c);

/* The inclination of the last frame in degrees (for tests and tools), or -1 without an axis. */
double imu_classifier_inclination(const struct imu_classifier *c);
