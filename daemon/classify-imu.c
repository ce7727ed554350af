/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "classify-imu.h"

#define DEG2RAD(d) ((d) * M_PI / 180.0)

const struct imu_tuning imu_tuning_default = {
	.gravity_tau_s = 1.0,
	.movement_tau_s = 1.0,
	.movement_clip_g = 0.35,
	.walk_enter_g = 0.15,
	.walk_exit_g = 0.08,
	.learn_window_s = 10.0,
	.learn_coherence = 0.75,
	.relearn_windows = 2,
	.relearn_deg = 25.0,
	.refined_deg = 2.0,
	.sit_enter_deg = 30.0,
	.sit_exit_deg = 22.0,
	.sit_sure_deg = 55.0,
	.edge_sit_deg = 55.0,
	.swing_plane_deg = 20.0,
	.swing_ratio = 3.0,
	.side_ratio = 5.0,
	.flat_mount_deg = 30.0,
	.side_mount_deg = 45.0,
	.plane_sit_deg = 30.0,
	.perch_deg = 30.0,
	.perch_plane_deg = 22.0,
	.vote_s = 2.0,
};

static const struct {
	const char *name;
	size_t offset;
} tuning_names[] = {
#define T(n) { #n, offsetof(struct imu_tuning, n) }
	T(gravity_tau_s), T(movement_tau_s), T(movement_clip_g), T(walk_enter_g),
	T(walk_exit_g), T(learn_window_s), T(learn_coherence), T(relearn_windows),
	T(relearn_deg), T(refined_deg), T(sit_enter_deg), T(sit_exit_deg), T(sit_sure_deg),
	T(edge_sit_deg), T(swing_plane_deg), T(swing_ratio), T(side_ratio), T(flat_mount_deg),
	T(side_mount_deg), T(plane_sit_deg), T(perch_deg), T(perch_plane_deg), T(vote_s),
#undef T
};

int
imu_tuning_parse(const char *spec, struct imu_tuning *ret)
{
	struct imu_tuning t = *ret;
	const char *s = spec;

	while (s && *s) {
		const char *eq = strchr(s, '='), *end = strchr(s, ',');
		char *num_end;
		double v;
		size_t i;

		if (!end)
			end = s + strlen(s);
		if (!eq || eq > end)
			return -EINVAL;
		for (i = 0; i < sizeof(tuning_names) / sizeof(tuning_names[0]); i++)
			if (strlen(tuning_names[i].name) == (size_t) (eq - s) &&
			    strncmp(tuning_names[i].name, s, (size_t) (eq - s)) == 0)
				break;
		if (i == sizeof(tuning_names) / sizeof(tuning_names[0]))
			return -EINVAL;
		v = strtod(eq + 1, &num_end);
		if (num_end == eq + 1 || num_end != end || !isfinite(v) || v < 0)
			return -EINVAL;
		memcpy((char *) &t + tuning_names[i].offset, &v, sizeof(v));
		s = *end ? end + 1 : end;
	}
	*ret = t;
	return 0;
}

static double
dot(const double a[3], const double b[3])
{
	return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void
cross(const double a[3], const double b[3], double ret[3])
{
	ret[0] = a[1] * b[2] - a[2] * b[1];
	ret[1] = a[2] * b[0] - a[0] * b[2];
	ret[2] = a[0] * b[1] - a[1] * b[0];
}

static bool
normalise(const double v[3], double ret[3])
{
	double n = sqrt(dot(v, v));

	if (!(n > 0) || !isfinite(n))
		return false;
	for (int i = 0; i < 3; i++)
		ret[i] = v[i] / n;
	return true;
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

/* The symmetric second moment matrix, stored as xx yy zz xy xz yz. */
static double
mom_get(const double m[6], int i, int j)
{
	static const int idx[3][3] = { { 0, 3, 4 }, { 3, 1, 5 }, { 4, 5, 2 } };

	return m[idx[i][j]];
}

static double
quad(const double m[6], const double a[3], const double b[3])
{
	double s = 0;

	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			s += a[i] * mom_get(m, i, j) * b[j];
	return s;
}

/*
 * The swing plane from the moments of the acceleration over walking: the thigh swings about the
 * hip's sideways axis, so about the thigh axis the acceleration varies most in the plane of
 * the axis and the forward direction. Its normal (lateral) is the direction of least variance
 * perpendicular to the axis; it is known when the two variances differ by swing_ratio.
 */
static void
learn_swing(struct imu_classifier *c)
{
	const double *u = c->axis;
	double cov[6], e1[3], e2[3], f[3], ref[3] = { 0, 0, 0 };
	double a, b, d, phi, lmax, lmin, r;
	int least = 0;

	c->swing_known = false;
	if (!(c->axis_ev.time > 0))
		return;
	for (int i = 0; i < 6; i++)
		cov[i] = c->axis_ev.cov[i] / c->axis_ev.time;

	/* a basis of the plane perpendicular to the axis */
	for (int i = 1; i < 3; i++)
		if (fabs(u[i]) < fabs(u[least]))
			least = i;
	ref[least] = 1;
	for (int i = 0; i < 3; i++)
		e1[i] = ref[i] - u[least] * u[i];
	if (!normalise(e1, e1))
		return;
	cross(u, e1, e2);

	a = quad(cov, e1, e1);
	b = quad(cov, e1, e2);
	d = quad(cov, e2, e2);
	r = sqrt((a - d) * (a - d) / 4 + b * b);
	lmax = (a + d) / 2 + r;
	lmin = (a + d) / 2 - r;
	c->swing_anisotropy = lmin > 0 ? lmax / lmin : INFINITY;
	if (!(lmax > 0) || !(lmax >= c->k.swing_ratio * fmax(lmin, 0)))
		return;
	phi = 0.5 * atan2(2 * b, a - d);
	for (int i = 0; i < 3; i++)
		f[i] = cos(phi) * e1[i] + sin(phi) * e2[i];
	cross(u, f, c->lateral);
	c->swing_known = normalise(c->lateral, c->lateral) && normalise(f, c->forward);
}

/* Front, side or neither: a flat mount is on the front of the thigh unless the swing plane,
 * known, puts the forward direction in the device plane. */
static void
set_mount(struct imu_classifier *c)
{
	if (!c->flat_mount)
		c->mount = IMU_MOUNT_OTHER;
	else if (c->swing_known && c->swing_anisotropy >= c->k.side_ratio &&
		 c->forward[2] * c->forward[2] < cos2(c->k.side_mount_deg))
		c->mount = IMU_MOUNT_SIDE;
	else
		c->mount = IMU_MOUNT_FRONT;
}

/* A new axis (unit vector): is the mount flat on the thigh? */
/* The current axis goes first among the known ones; one within relearn_deg of it (the same
 * placement, refined) or the oldest makes room. */
static void
remember_axis(struct imu_classifier *c, const double u[3])
{
	unsigned i;

	for (i = 0; i < c->n_known; i++)
		if (fabs(dot(c->known[i], u)) >= c->k_relearn)
			break;
	if (i == c->n_known) {
		if (c->n_known < IMU_KNOWN_AXES)
			c->n_known++;
		i = c->n_known - 1;
	}
	memmove(c->known[1], c->known[0], i * sizeof(c->known[0]));
	memcpy(c->known[0], u, sizeof(c->known[0]));
}

static void
use_axis(struct imu_classifier *c, const double u[3])
{
	double elev;

	memcpy(c->axis, u, sizeof(c->axis));
	remember_axis(c, u);
	c->axis_known = true;
	c->flat_mount = u[2] * u[2] <= sin2(c->k.flat_mount_deg);
	/* the axis lies within this of the device plane, so gravity must leave the plane by as
	 * much more before the plane says anything of the thigh */
	elev = asin(fmin(1.0, fabs(u[2]))) * 180.0 / M_PI;
	c->s2_plane_sit = sin2(fmin(90.0, c->k.plane_sit_deg + elev));
	c->s2_plane_sure = sin2(fmin(90.0, c->k.sit_sure_deg + elev));
	learn_swing(c);
	set_mount(c);
}

void
imu_classifier_init(struct imu_classifier *c, const struct imu_classifier_params *p)
{
	memset(c, 0, sizeof(*c));
	c->params = *p;
	c->k = p->tuning ? *p->tuning : imu_tuning_default;
	c->params.tuning = NULL;
	c->use_scale = p->units_per_g[0] > 0 && p->units_per_g[1] > 0 && p->units_per_g[2] > 0;
	for (int i = 0; i < 3; i++)
		c->scale[i] = c->use_scale ? 1.0 / p->units_per_g[i] : 1.0;
	c->c2_sit_enter = cos2(c->k.sit_enter_deg);
	c->c2_sit_exit = cos2(c->k.sit_exit_deg);
	c->c2_sit_sure = cos2(c->k.sit_sure_deg);
	c->c2_edge_sit = cos2(c->k.edge_sit_deg);
	c->c2_perch = cos2(c->k.perch_deg);
	c->s2_perch_plane = sin2(c->k.perch_plane_deg);
	c->s2_swing_plane = sin2(c->k.swing_plane_deg);
	c->k_relearn = cos(DEG2RAD(c->k.relearn_deg));
	c->k_refined = cos(DEG2RAD(c->k.refined_deg));
	if (p->have_axis) {
		double u[3];

		if (normalise(p->axis, u))
			use_axis(c, u);
	}
	c->frame_posture = POSTURE_UNKNOWN;
	c->raw_posture = POSTURE_UNKNOWN;
}

static void
add_moments(double sum[3], double mom[6], const double a[3], double w)
{
	for (int i = 0; i < 3; i++)
		sum[i] += a[i] * w;
	mom[0] += a[0] * a[0] * w;
	mom[1] += a[1] * a[1] * w;
	mom[2] += a[2] * a[2] * w;
	mom[3] += a[0] * a[1] * w;
	mom[4] += a[0] * a[2] * w;
	mom[5] += a[1] * a[2] * w;
}

static void
reset_window(struct imu_classifier *c)
{
	memset(c->walk_sum, 0, sizeof(c->walk_sum));
	memset(c->walk_mom, 0, sizeof(c->walk_mom));
	c->walk_mag = 0;
	c->walk_time = 0;
}

/* Add this window of walking to the evidence. */
static void
evidence_add(struct imu_evidence *e, const struct imu_classifier *c)
{
	double sign = e->n > 0 && dot(e->sum, c->walk_sum) < 0 ? -1 : 1;
	double t = c->walk_time, mean[3];

	for (int i = 0; i < 3; i++) {
		mean[i] = c->walk_sum[i] / t;
		e->sum[i] += sign * c->walk_sum[i];
	}
	e->cov[0] += c->walk_mom[0] - mean[0] * mean[0] * t;
	e->cov[1] += c->walk_mom[1] - mean[1] * mean[1] * t;
	e->cov[2] += c->walk_mom[2] - mean[2] * mean[2] * t;
	e->cov[3] += c->walk_mom[3] - mean[0] * mean[1] * t;
	e->cov[4] += c->walk_mom[4] - mean[0] * mean[2] * t;
	e->cov[5] += c->walk_mom[5] - mean[1] * mean[2] * t;
	e->time += t;
	e->n++;
}

/*
 * A whole window of walking: its mean direction is the upright thigh, its variance the swing.
 * Over a walk the acceleration keeps near the thigh axis (the thigh swings ±20–25°): its mean is
 * nearly as long as its mean magnitude. A jog swings the thigh far more, and a phone's ±2 g range
 * clips it: the mean is then much shorter, and not the axis. A window far from the axis is a new
 * placement once relearn_windows windows in a row agree on it (one window of a game is not).
 */
static void
learn_window(struct imu_classifier *c)
{
	double cand[3], p[3], u[3];
	bool fresh;

	if (!normalise(c->walk_sum, cand) ||
	    sqrt(dot(c->walk_sum, c->walk_sum)) < c->k.learn_coherence * c->walk_mag)
		return;
	/* flat on the thigh, a walking thigh keeps gravity near the device plane: movement with
	 * gravity out of it is a thigh inclined (a leg jiggled while seated, a crouch) */
	if (c->axis_known && c->mount != IMU_MOUNT_OTHER &&
	    cand[2] * cand[2] >= c->s2_plane_sit)
		return;
	fresh = !c->params.axis_fixed &&
		(!c->axis_known || fabs(dot(cand, c->axis)) < c->k_relearn);
	if (!fresh) {
		evidence_add(&c->axis_ev, c);
		c->pend_ev = (struct imu_evidence) {};
	} else {
		if (c->pend_ev.n > 0 && normalise(c->pend_ev.sum, p) &&
		    fabs(dot(p, cand)) < c->k_relearn)
			c->pend_ev = (struct imu_evidence) {};
		evidence_add(&c->pend_ev, c);
		if (c->axis_known && c->pend_ev.n < c->k.relearn_windows)
			return;
		c->axis_ev = c->pend_ev;
		c->pend_ev = (struct imu_evidence) {};
	}
	if (c->params.axis_fixed) {
		learn_swing(c); /* a configured axis: only the swing plane is learned */
		set_mount(c);
		return;
	}
	if (!normalise(c->axis_ev.sum, u))
		return;
	if (fresh) {
		memcpy(c->axis_handed, u, sizeof(c->axis_handed));
		c->axis_updated = true;
	} else if (fabs(dot(u, c->axis_handed)) < c->k_refined) {
		/* handed on to be stored only once it has moved (the log and the database hear of
		 * it a few times a walk, not every window) */
		c->axis_updated = true;
	}
	use_axis(c, u);
}

static void
learn(struct imu_classifier *c, double dt)
{
	if (c->walking) {
		add_moments(c->walk_sum, c->walk_mom, c->a, dt);
		c->walk_mag += sqrt(dot(c->a, c->a)) * dt;
		c->walk_time += dt;
		if (c->walk_time < c->k.learn_window_s)
			return;
		learn_window(c);
	} else if (c->walk_time >= c->k.learn_window_s) {
		learn_window(c);
	}
	reset_window(c);
}

/* What decided this frame, for tests and tools (imu_classifier_reason()). */
static enum posture
why(struct imu_classifier *c, const char *reason, enum posture p)
{
	c->reason = reason;
	return p;
}

/* The inclination from the axis in the swing plane, with hysteresis; out of it, the device
 * turned rather than the thigh. */
static enum posture
classify_swing(struct imu_classifier *c, double g2, double gu)
{
	double gl = c->swing_known ? dot(c->g, c->lateral) : 0;
	double k2 = c->frame_posture == POSTURE_SITTING ? c->c2_sit_exit : c->c2_sit_enter;

	if (c->swing_known && gl * gl > c->s2_swing_plane * g2)
		return why(c, "out of the swing plane", POSTURE_STANDING);
	return gu * gu <= k2 * g2 ? why(c, "inclined in the swing plane", POSTURE_SITTING) :
				    why(c, "upright in the swing plane", POSTURE_STANDING);
}

/* Gravity within swing_plane_deg of a known swing plane. */
static bool
in_swing_plane(const struct imu_classifier *c, double g2)
{
	double gl = dot(c->g, c->lateral);

	return c->swing_known && gl * gl <= c->s2_swing_plane * g2;
}

/* Gravity at least edge_sit_deg from every placement's thigh axis seen lately. */
static bool
far_from_known(const struct imu_classifier *c, double g2)
{
	for (unsigned i = 0; i < c->n_known; i++) {
		double gu = dot(c->g, c->known[i]);

		if (gu * gu > c->c2_edge_sit * g2)
			return false;
	}
	return c->n_known > 0;
}

static enum posture
classify(struct imu_classifier *c)
{
	double g2 = dot(c->g, c->g);
	double gu, units_per_g2, walk_enter, walk_exit;

	if (!(g2 > 0))
		return c->frame_posture;

	/* Movement in g: by the declared resolution, or else gravity itself is the yardstick. */
	units_per_g2 = c->use_scale ? 1.0 : c->m * c->m;
	walk_enter = c->k.walk_enter_g * c->k.walk_enter_g * units_per_g2;
	walk_exit = c->k.walk_exit_g * c->k.walk_exit_g * units_per_g2;
	if (c->dyn2 >= walk_enter) {
		c->walking = true;
		c->last_step_t = c->last_t;
	} else if (c->dyn2 <= walk_exit) {
		c->walking = false;
	}

	if (!c->axis_known)
		return why(c, "no axis", c->walking ? POSTURE_WALKING : POSTURE_UNKNOWN);

	gu = dot(c->g, c->axis);
	if (c->mount != IMU_MOUNT_OTHER) {
		/* Flat on the thigh: the thigh axis lies in the device plane, so the thigh is at
		 * least as far from upright as gravity is from that plane, whatever happened to
		 * the learned axis. */
		double gz2 = c->g[2] * c->g[2];

		if (gz2 >= c->s2_plane_sure * g2) /* fidgeting or not: not walking */
			return why(c, "far out of the device plane", POSTURE_SITTING);
		if (c->walking)
			return why(c, "moving", POSTURE_WALKING);
		if (gz2 >= c->s2_plane_sit * g2)
			return why(c, "out of the device plane", POSTURE_SITTING);
		/* gravity in the device plane, far from the axis: a device turned about the
		 * thigh (a phone on its edge in the pocket), the thigh horizontal */
		if (far_from_known(c, g2))
			return why(c, "far from every known axis", POSTURE_SITTING);
		if (gu * gu <= c->c2_sit_sure * g2 && in_swing_plane(c, g2))
			return why(c, "far from the axis in the swing plane", POSTURE_SITTING);
		if (gu * gu <= c->c2_perch * g2 && gz2 >= c->s2_perch_plane * g2)
			return why(c, "inclined, out of the device plane", POSTURE_SITTING);
		/* on the front of the thigh, sitting would have turned gravity out of the device
		 * plane; on its side, it turns gravity within it, in the swing plane */
		if (c->mount == IMU_MOUNT_FRONT)
			return why(c, "in the device plane, near an axis", POSTURE_STANDING);
		return classify_swing(c, g2, gu);
	}

	/* Not flat on the thigh: the inclination alone. */
	if (gu * gu <= c->c2_sit_sure * g2) /* a thigh this far from upright is not walking */
		return why(c, "far from the axis", POSTURE_SITTING);
	if (c->walking)
		return why(c, "moving", POSTURE_WALKING);
	return classify_swing(c, g2, gu);
}

/* The vote: the posture that held most of the last vote_s seconds, and since when. */
static void
vote(struct imu_classifier *c, usec_t t)
{
	usec_t w = (usec_t) (c->k.vote_s * 1e6), from = t > w ? t - w : 0;
	usec_t held[_POSTURE_MAX] = { 0 }, total = 0, best_t = 0;
	unsigned last = (c->run_first + c->n_runs - 1) % IMU_VOTE_RUNS;
	enum posture best = c->raw_posture;

	if (c->n_runs == 0 || c->runs[last].p != c->frame_posture) {
		if (c->n_runs == IMU_VOTE_RUNS) {
			c->run_first = (c->run_first + 1) % IMU_VOTE_RUNS;
			c->n_runs--;
		}
		last = (c->run_first + c->n_runs) % IMU_VOTE_RUNS;
		c->runs[last].start = t;
		c->runs[last].p = c->frame_posture;
		c->n_runs++;
	}
	/* runs that ended before the window are gone */
	while (c->n_runs > 1 && c->runs[(c->run_first + 1) % IMU_VOTE_RUNS].start <= from) {
		c->run_first = (c->run_first + 1) % IMU_VOTE_RUNS;
		c->n_runs--;
	}
	if (w == 0 || c->n_runs == 1) {
		if (c->raw_posture != c->frame_posture)
			c->raw_since = c->runs[last].start;
		c->raw_posture = c->frame_posture;
		return;
	}
	for (unsigned i = 0; i < c->n_runs; i++) {
		unsigned k = (c->run_first + i) % IMU_VOTE_RUNS;
		usec_t a = c->runs[k].start > from ? c->runs[k].start : from;
		usec_t b = i + 1 < c->n_runs ? c->runs[(k + 1) % IMU_VOTE_RUNS].start : t;

		held[c->runs[k].p] += b - a;
		total += b - a;
	}
	for (int p = 0; p < _POSTURE_MAX; p++)
		if (held[p] > best_t) {
			best_t = held[p];
			best = (enum posture) p;
		}
	if (2 * best_t > total && best != c->raw_posture) {
		usec_t prev_since = c->raw_since;

		/* dated back to the first of its runs in the window, as the debounce dates a change
		 * back to when it began */
		c->raw_since = t;
		for (unsigned i = 0; i < c->n_runs; i++) {
			unsigned k = (c->run_first + i) % IMU_VOTE_RUNS;

			if (c->runs[k].p == best) {
				c->raw_since = c->runs[k].start > from ? c->runs[k].start : from;
				break;
			}
		}
		/* a walk ends with its last step, not when the movement statistic has decayed */
		if (c->raw_posture == POSTURE_WALKING && c->last_step_t > prev_since &&
		    c->last_step_t < c->raw_since)
			c->raw_since = c->last_step_t;
		c->raw_posture = best;
	}
}

static void
set_alphas(struct imu_classifier *c, usec_t dt)
{
	double s = (double) dt / 1e6;

	c->cached_dt = dt;
	c->alpha_gravity = -expm1(-s / c->k.gravity_tau_s);
	c->alpha_movement = -expm1(-s / c->k.movement_tau_s);
	/* The deviation is taken from the mean before this frame, which has its own variance,
	 * a share α/(2−α) of the signal's: scaled by (2−α)/2 the mean square is the signal's
	 * variance at any rate (a 4 Hz sample would otherwise read 12 % more movement; from
	 * the mean after the frame, 32 % less). */
	c->k_movement = (2.0 - c->alpha_movement) / 2.0;
}

static void
frame(struct imu_classifier *c, usec_t t)
{
	double m, d, yardstick, clip;
	usec_t dt;

	for (int i = 0; i < 3; i++)
		c->a[i] = (double) c->raw[i] * c->scale[i];
	m = sqrt(dot(c->a, c->a));
	/* No gravity at all: a device that has not reported yet (all axes 0) or free fall. */
	if (m == 0.0 || (c->use_scale && m < 0.1))
		return;

	if (!c->started) {
		memcpy(c->g, c->a, sizeof(c->g));
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
		c->g[i] += c->alpha_gravity * (c->a[i] - c->g[i]);
	/* Movement is measured on the magnitude: steps shake it, turning the thigh (sitting
	 * down, standing up) does not, so a posture change is not mistaken for a walk. */
	d = m - c->m;
	c->m += c->alpha_movement * d;
	/* The statistic only has to tell walk_exit from walk_enter: one sampled jolt (sitting
	 * down onto a chair) must not hold it above that for seconds. */
	if (c->k.movement_clip_g > 0) {
		clip = c->k.movement_clip_g * yardstick;
		d = fmax(-clip, fmin(d, clip));
	}
	c->dyn2 += c->alpha_movement * (c->k_movement * d * d - c->dyn2);
	c->frame_posture = classify(c);
	vote(c, t);
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
	c->axis_ev = (struct imu_evidence) {}; /* the swing plane is learned again with it */
	use_axis(c, u);
}

usec_t
imu_classifier_since(const struct imu_classifier *c)
{
	return c->raw_since;
}

const char *
imu_classifier_reason(const struct imu_classifier *c)
{
	return c->reason ? c->reason : "no frame yet";
}

bool
imu_classifier_swing_known(const struct imu_classifier *c)
{
	return c->swing_known;
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
