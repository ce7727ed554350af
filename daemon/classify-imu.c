/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "classify-imu.h"

#define DEG2RAD(d) ((d) * M_PI / 180.0)

static double cos2(double deg);

static bool
normalise(const double v[3], double ret[3])
{
	double n = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);

	if (!(n > 0) || !isfinite(n))
		return false;
	for (int i = 0; i < 3; i++)
		ret[i] = v[i] / n;
	return true;
}

static double sin2(double deg);

/* A new axis (unit vector): is the mount flat on the thigh, and which way is lateral? */
static void
use_axis(struct imu_classifier *c, const double u[3])
{
	double lat[3] = { u[1], -u[0], 0 }; /* u x z: the normal of the plane of u and z */

	memcpy(c->axis, u, sizeof(c->axis));
	c->axis_known = true;
	c->axis_stale = false;
	c->replaced_time = 0;
	c->flat_mount = u[2] * u[2] <= sin2(IMU_FLAT_MOUNT_DEG) && normalise(lat, c->lateral);
}

void
imu_classifier_init(struct imu_classifier *c, const struct imu_classifier_params *p)
{
	memset(c, 0, sizeof(*c));
	c->params = *p;
	c->use_scale = p->units_per_g[0] > 0 && p->units_per_g[1] > 0 && p->units_per_g[2] > 0;
	for (int i = 0; i < 3; i++)
		c->scale[i] = c->use_scale ? 1.0 / p->units_per_g[i] : 1.0;
	c->k2_sit_enter = cos2(IMU_SIT_ENTER_DEG);
	c->k2_sit_exit = cos2(IMU_SIT_EXIT_DEG);
	c->k2_not_walking = cos2(IMU_NOT_WALKING_DEG);
	c->k_relearn = cos(DEG2RAD(IMU_RELEARN_DEG));
	c->k_refined = cos(DEG2RAD(IMU_REFINED_DEG));
	c->k2_replaced = sin2(IMU_REPLACED_DEG);
	c->k2_plane_sitting = sin2(IMU_NOT_WALKING_DEG);
	if (p->have_axis) {
		double u[3];

		if (normalise(p->axis, u))
			use_axis(c, u);
		if (p->axis_fixed)
			c->flat_mount = false; /* a configured mount is never re-learned */
	}
	c->raw_posture = POSTURE_UNKNOWN;
}

static double
dot(const double a[3], const double b[3])
{
	return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The inclination is at least the angle whose cos² is k2: compared without acos or sqrt. */
static bool
inclination_at_least(double g2, double gu, double k2)
{
	return gu * gu <= k2 * g2;
}

static double
cos2(double deg)
{
	double k = cos(DEG2RAD(deg));

	return k * k;
}

static double
sin2(double deg)
{
	double k = sin(DEG2RAD(deg));

	return k * k;
}

static void
learn(struct imu_classifier *c, double dt)
{
	double cand[3];

	if (c->params.axis_fixed)
		return;
	if (c->walking) {
		for (int i = 0; i < 3; i++)
			c->walk_sum[i] += c->g[i] * dt;
		c->walk_time += (usec_t) (dt * 1e6);
		if ((double) c->walk_time < IMU_LEARN_WINDOW_S * 1e6)
			return;
	} else if ((double) c->walk_time < IMU_LEARN_WINDOW_S * 1e6) {
		/* a walk too short to learn from */
		memset(c->walk_sum, 0, sizeof(c->walk_sum));
		c->walk_time = 0;
		return;
	}

	/* A whole window of walking: its mean gravity direction is the upright thigh. */
	if (normalise(c->walk_sum, cand)) {
		if (!c->axis_known || c->axis_stale || fabs(dot(cand, c->axis)) < c->k_relearn) {
			use_axis(c, cand);
			memcpy(c->axis_sum, c->walk_sum, sizeof(c->axis_sum));
			memcpy(c->axis_handed, cand, sizeof(c->axis_handed));
			c->axis_updated = true;
		} else if (c->axis_sum[0] != 0 || c->axis_sum[1] != 0 || c->axis_sum[2] != 0) {
			double u[3];

			for (int i = 0; i < 3; i++)
				c->axis_sum[i] += c->walk_sum[i];
			if (normalise(c->axis_sum, u)) {
				/* handed on to be stored only once it has moved (the log and the
				 * database hear of it a few times a walk, not every window) */
				if (dot(u, c->axis_handed) < c->k_refined)
					c->axis_updated = true;
				use_axis(c, u);
			}
		}
	}
	memset(c->walk_sum, 0, sizeof(c->walk_sum));
	c->walk_time = 0;
}

static enum posture
classify(struct imu_classifier *c)
{
	double g2 = dot(c->g, c->g);
	double gu, units_per_g2, walk_enter, walk_exit;

	if (!(g2 > 0))
		return c->raw_posture;

	/* Movement in g: by the declared resolution, or else gravity itself is the yardstick. */
	units_per_g2 = c->use_scale ? 1.0 : c->m * c->m;
	walk_enter = IMU_WALK_ENTER_G * IMU_WALK_ENTER_G * units_per_g2;
	walk_exit = IMU_WALK_EXIT_G * IMU_WALK_EXIT_G * units_per_g2;
	if (c->dyn2 >= walk_enter)
		c->walking = true;
	else if (c->dyn2 <= walk_exit)
		c->walking = false;

	if (!c->axis_known)
		return c->walking ? POSTURE_WALKING : POSTURE_UNKNOWN;

	if (c->axis_stale || c->replaced_time > 0) {
		/* Put back differently (or gravity out of the swing plane, which no posture
		 * change does), no walk since: what still holds is that the device lies flat on
		 * the thigh, so the thigh is at least as far from upright as gravity is from the
		 * device plane. */
		if (c->g[2] * c->g[2] >= c->k2_plane_sitting * g2)
			return POSTURE_SITTING;
		return c->walking ? POSTURE_WALKING : POSTURE_UNKNOWN;
	}

	gu = dot(c->g, c->axis);
	if (inclination_at_least(g2, gu, c->k2_not_walking))
		return POSTURE_SITTING; /* a horizontal thigh, fidgeting or not */
	if (c->walking)
		return POSTURE_WALKING;
	if (c->raw_posture == POSTURE_SITTING)
		return inclination_at_least(g2, gu, c->k2_sit_exit) ? POSTURE_SITTING :
								      POSTURE_STANDING;
	return inclination_at_least(g2, gu, c->k2_sit_enter) ? POSTURE_SITTING : POSTURE_STANDING;
}

/* Gravity held out of the swing plane (axis, device normal): the device was put back. */
static void
check_replaced(struct imu_classifier *c, usec_t dt)
{
	double g2, gl;

	if (!c->axis_known || !c->flat_mount || c->axis_stale || c->params.axis_fixed)
		return;
	g2 = dot(c->g, c->g);
	gl = dot(c->g, c->lateral);
	if (!(gl * gl >= c->k2_replaced * g2)) {
		c->replaced_time = 0;
		return;
	}
	c->replaced_time += dt;
	if ((double) c->replaced_time < IMU_REPLACED_S * 1e6)
		return;
	c->axis_stale = true;
	/* the next window of walking is learned from the new mount only */
	memset(c->walk_sum, 0, sizeof(c->walk_sum));
	c->walk_time = 0;
}

static void
set_alphas(struct imu_classifier *c, usec_t dt)
{
	double s = (double) dt / 1e6;

	c->cached_dt = dt;
	c->alpha_gravity = -expm1(-s / IMU_GRAVITY_TAU_S);
	c->alpha_movement = -expm1(-s / IMU_MOVEMENT_TAU_S);
	/* The deviation is taken from the mean before this frame, which has its own variance,
	 * a share α/(2−α) of the signal's: scaled by (2−α)/2 the mean square is the signal's
	 * variance at any rate (a 4 Hz sample would otherwise read 12 % more movement; from
	 * the mean after the frame, 32 % less). */
	c->k_movement = (2.0 - c->alpha_movement) / 2.0;
}

static void
frame(struct imu_classifier *c, usec_t t)
{
	double a[3], m, d, yardstick;
	usec_t dt;

	for (int i = 0; i < 3; i++)
		a[i] = (double) c->raw[i] * c->scale[i];
	m = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
	/* No gravity at all: a device that has not reported yet (all axes 0) or free fall. */
	if (m == 0.0 || (c->use_scale && m < 0.1))
		return;

	if (!c->started) {
		memcpy(c->g, a, sizeof(a));
		c->m = m;
		c->dyn2 = 0;
		c->started = true;
		c->last_t = t;
		return;
	}
	dt = t - c->last_t;
	c->last_t = t;
	yardstick = c->use_scale ? 1.0 : c->m;
	if (dt == 0)
		return;
	if (dt != c->cached_dt)
		set_alphas(c, dt);
	for (int i = 0; i < 3; i++)
		c->g[i] += c->alpha_gravity * (a[i] - c->g[i]);
	/* Movement is measured on the magnitude: steps shake it, turning the thigh (sitting
	 * down, standing up) does not, so a posture change is not mistaken for a walk. */
	d = m - c->m;
	c->m += c->alpha_movement * d;
	/* The statistic only has to tell 0.08 g from 0.15 g: one sampled jolt (sitting down
	 * onto a chair) must not hold it above that for seconds. */
	d = fmax(-IMU_MOVEMENT_CLIP_G * yardstick, fmin(d, IMU_MOVEMENT_CLIP_G * yardstick));
	c->dyn2 += c->alpha_movement * (c->k_movement * d * d - c->dyn2);
	check_replaced(c, dt);
	c->raw_posture = classify(c);
	learn(c, (double) dt / 1e6);
}

bool
imu_classifier_feed(struct imu_classifier *c, usec_t t, uint16_t type, uint16_t code,
		    int32_t value, enum posture *ret_posture)
{
	if (type == EV_ABS && code <= ABS_Z) {
		c->raw[code] = value;
		c->have_raw[code] = true;
		return false;
	}
	if (type != EV_SYN || code != SYN_REPORT)
		return false; /* gyro axes, MSC_TIMESTAMP, anything else: ignored */
	if (!(c->have_raw[0] && c->have_raw[1] && c->have_raw[2])) {
		*ret_posture = POSTURE_UNKNOWN;
		return true;
	}
	frame(c, t);
	*ret_posture = c->raw_posture;
	return true;
}

void
imu_classifier_set_axis(struct imu_classifier *c, const double axis[3])
{
	double u[3];

	if (c->params.axis_fixed || !normalise(axis, u))
		return;
	use_axis(c, u);
}

bool
imu_classifier_axis_stale(const struct imu_classifier *c)
{
	return c->axis_stale;
}

bool
imu_classifier_take_axis(struct imu_classifier *c, double ret_axis[3])
{
	if (!c->axis_updated)
		return false;
	c->axis_updated = false;
	memcpy(c->axis_handed, c->axis, sizeof(c->axis));
	memcpy(ret_axis, c->axis, sizeof(c->axis));
	return true;
}

double
imu_classifier_inclination(const struct imu_classifier *c)
{
	double g[3];

	if (!c->axis_known || !normalise(c->g, g))
		return -1;
	return acos(fmin(1.0, fabs(dot(g, c->axis)))) * 180.0 / M_PI;
}
