/* SPDX-License-Identifier: MIT */
/*
 * IMU classifier tests on synthetic thigh kinematics. The generator below knows the true
 * posture of every instant (it makes the motion from a script); the classifier only sees
 * accelerometer frames. Ground truth never comes from the classifier.
 */
#include <errno.h>
#include <glib.h>
#include <linux/input.h>
#include <math.h>

#include "classify-imu.h"
#include "core.h"

#define S(x) ((usec_t) ((x) * (double) USEC_PER_SEC))

enum act {
	ACT_STAND,   /* thigh upright, slight sway */
	ACT_WALK,    /* thigh swinging about upright, steps */
	ACT_SIT,     /* thigh at `angle` */
	ACT_LEAN,    /* standing, leaning forward: thigh at `angle` briefly */
	ACT_FIDGET,  /* sitting at `angle`, jiggling a leg */
};

struct step {
	enum act act;
	double seconds;
	double angle; /* degrees from upright */
};

struct sim {
	double rate;        /* Hz */
	double units_per_g; /* resolution */
	double u[3], w[3];  /* device frame: thigh axis, and the forward direction at 90° */
	GRand *rand;
};

static enum posture
truth_of(enum act a)
{
	switch (a) {
	case ACT_STAND:
	case ACT_LEAN:
		return POSTURE_STANDING;
	case ACT_WALK:
		return POSTURE_WALKING;
	case ACT_SIT:
	case ACT_FIDGET:
		return POSTURE_SITTING;
	}
	g_assert_not_reached();
}

/* Thigh angle from upright at time t into a step, with ~1 s transitions from prev_angle. */
static double
thigh_angle(const struct step *s, double t, double prev_angle, double *ret_dyn)
{
	/* gait: hip flexion from about -10° to +25°, so the thigh's mean is ~7.5° forward */
	double target = s->act == ACT_STAND ? 0.0 : s->act == ACT_WALK ? 7.5 : s->angle;
	double x = t < 1.0 ? t : 1.0;
	double angle = prev_angle + (target - prev_angle) * (0.5 - 0.5 * cos(M_PI * x));

	*ret_dyn = 0;
	if (s->act == ACT_WALK) {
		/* hip flexion swings ±20° at the stride rate, heel strikes at twice it */
		angle += 17.5 * sin(2 * M_PI * 0.9 * t);
		*ret_dyn = 0.35 * sin(2 * M_PI * 1.8 * t);
	} else if (s->act == ACT_FIDGET) {
		*ret_dyn = 0.12 * sin(2 * M_PI * 4.0 * t);
	} else if (s->act == ACT_STAND) {
		angle += 2.0 * sin(2 * M_PI * 0.2 * t);
	}
	return angle;
}

struct run {
	GArray *segments; /* struct tracker_event of type TRACKER_SEGMENT */
	GArray *truth;    /* enum posture per second */
	GArray *seen;     /* enum posture per second, from the confirmed timeline */
};

static void
feed_frame(struct core *core, usec_t t, const double a[3], double units_per_g)
{
	for (int i = 0; i < 3; i++)
		core_feed(core, 0, t, EV_ABS, (uint16_t) (ABS_X + i),
			  (int32_t) lround(a[i] * units_per_g));
	core_feed(core, 0, t, EV_SYN, SYN_REPORT, 0);
}

static void
simulate(const struct sim *sim, const struct step *steps, size_t n_steps,
	 const struct imu_classifier_params *ip, struct run *ret)
{
	struct core_params cp = {
		.min_segment = S(10),
		.tracker = { .break_min = S(60), .remind_after = S(1800), .repeat_every = S(600) },
	};
	struct core *core = core_new(&cp);
	struct tracker_event ev;
	usec_t t = S(1000), t_start = t, period = S(1.0 / sim->rate);
	double prev = 0.0, total = 0;

	g_assert_cmpint(core_add_imu(core, ip), ==, 0);
	ret->segments = g_array_new(FALSE, TRUE, sizeof(struct tracker_event));
	ret->truth = g_array_new(FALSE, TRUE, sizeof(enum posture));
	ret->seen = g_array_new(FALSE, TRUE, sizeof(enum posture));

	for (size_t k = 0; k < n_steps; k++) {
		const struct step *s = &steps[k];
		double last_angle = prev;

		for (double x = 0; x < s->seconds; x += 1.0 / sim->rate) {
			double dyn, angle = thigh_angle(s, x, prev, &dyn), r = angle * M_PI / 180;
			double a[3];

			for (int i = 0; i < 3; i++)
				a[i] = cos(r) * sim->u[i] + sin(r) * sim->w[i] +
				       dyn * sim->u[i] * cos(r) +
				       0.01 * g_rand_double_range(sim->rand, -1, 1);
			feed_frame(core, t, a, sim->units_per_g);
			t += period;
			last_angle = angle;
		}
		for (double x = 0; x < s->seconds; x += 1.0) {
			enum posture p = truth_of(s->act);

			g_array_append_val(ret->truth, p);
		}
		total += s->seconds;
		prev = s->act == ACT_WALK ? 7.5 : last_angle;
	}
	core_finish(core, t);
	while (core_next_event(core, &ev))
		if (ev.type == TRACKER_SEGMENT)
			g_array_append_val(ret->segments, ev);

	/* posture per second from the confirmed segments */
	for (guint s = 0; s < ret->truth->len; s++) {
		usec_t at = t_start + S(s) + S(0.5);
		enum posture p = POSTURE_UNKNOWN;

		for (guint i = 0; i < ret->segments->len; i++) {
			const struct tracker_event *seg =
				&g_array_index(ret->segments, struct tracker_event, i);

			if (seg->time <= at)
				p = seg->posture;
		}
		g_array_append_val(ret->seen, p);
	}
	core_free(core);
	(void) total;
}

static void
run_clear(struct run *r)
{
	g_array_unref(r->segments);
	g_array_unref(r->truth);
	g_array_unref(r->seen);
}

/* A realistic stretch of a day for a thigh-strapped sensor. */
static const struct step day[] = {
	{ ACT_STAND, 30, 0 },   /* no axis yet: unknown, never standing */
	{ ACT_WALK, 40, 0 },    /* learns the axis */
	{ ACT_SIT, 300, 88 },
	{ ACT_STAND, 20, 0 },
	{ ACT_LEAN, 4, 40 },    /* a lean forward while standing: not sitting */
	{ ACT_STAND, 30, 0 },
	{ ACT_SIT, 200, 65 },   /* crossed legs */
	{ ACT_FIDGET, 60, 80 }, /* jiggling a leg while seated */
	{ ACT_SIT, 60, 42 },    /* perching on a high chair */
	{ ACT_WALK, 60, 0 },
	{ ACT_STAND, 60, 0 },
	{ ACT_SIT, 120, 90 },
};

static void
dump(const struct run *r)
{
	if (!g_getenv("SITLOG_TEST_DEBUG"))
		return;
	for (guint i = 0; i < r->segments->len; i++) {
		const struct tracker_event *seg = &g_array_index(r->segments, struct tracker_event, i);

		g_printerr("segment %.1f %s\n", (double) (seg->time - S(1000)) / 1e6,
			   posture_to_string(seg->posture));
	}
}

static double
agreement(const struct run *r, bool sit_only, guint from)
{
	dump(r);
	guint ok = 0, n = 0;

	for (guint s = from; s < r->truth->len && s < r->seen->len; s++) {
		enum posture want = g_array_index(r->truth, enum posture, s);
		enum posture got = g_array_index(r->seen, enum posture, s);

		n++;
		if (sit_only)
			ok += (want == POSTURE_SITTING) == (got == POSTURE_SITTING);
		else
			ok += want == got;
	}
	return n ? (double) ok / n : 0;
}

static void
sim_init(struct sim *sim, double rate, double units_per_g, guint32 seed)
{
	/* the device sits in the pocket at an odd angle: thigh axis and forward direction */
	static const double u[3] = { 0.20, -0.96, 0.19 };
	double w[3] = { 0.10, 0.22, 0.97 }, n, d;

	*sim = (struct sim) { .rate = rate, .units_per_g = units_per_g };
	n = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
	for (int i = 0; i < 3; i++)
		sim->u[i] = u[i] / n;
	d = w[0] * sim->u[0] + w[1] * sim->u[1] + w[2] * sim->u[2];
	for (int i = 0; i < 3; i++)
		w[i] -= d * sim->u[i];
	n = sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
	for (int i = 0; i < 3; i++)
		sim->w[i] = w[i] / n;
	sim->rand = g_rand_new_with_seed(seed);
}

static void
test_imu_day_with_learned_axis(void)
{
	struct imu_classifier_params ip = { .units_per_g = { 1024, 1024, 1024 } };
	struct sim sim;
	struct run r;

	sim_init(&sim, 50, 1024, 1);
	simulate(&sim, day, G_N_ELEMENTS(day), &ip, &r);
	/* before the first walk nothing but unknown: never standing */
	for (guint s = 0; s < 30; s++)
		g_assert_cmpint(g_array_index(r.seen, enum posture, s), ==, POSTURE_UNKNOWN);
	g_assert_cmpfloat(agreement(&r, true, 0), >=, 0.98);
	g_assert_cmpfloat(agreement(&r, false, 30), >=, 0.95);
	run_clear(&r);
	g_rand_free(sim.rand);
}

static void
test_imu_configured_axis_needs_no_walk(void)
{
	struct imu_classifier_params ip = {
		.units_per_g = { 4096, 4096, 4096 }, .have_axis = true, .axis_fixed = true,
	};
	struct sim sim;
	struct run r;

	sim_init(&sim, 100, 4096, 2);
	memcpy(ip.axis, sim.u, sizeof(ip.axis));
	simulate(&sim, day, G_N_ELEMENTS(day), &ip, &r);
	g_assert_cmpint(g_array_index(r.seen, enum posture, 15), ==, POSTURE_STANDING);
	g_assert_cmpfloat(agreement(&r, false, 12), >=, 0.95);
	run_clear(&r);
	g_rand_free(sim.rand);
}

/* The same motion at 5 Hz .. 1 kHz and 1024 .. 8192 units/g gives the same segments. */
static void
test_imu_rate_and_resolution_independent(void)
{
	static const struct {
		double rate, units;
	} devices[] = {
		{ 50, 1024 }, { 5, 1024 }, { 20, 4096 }, { 100, 8192 }, { 400, 1024 }, { 1000, 8192 },
	};
	struct run ref = {};

	for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
		struct imu_classifier_params ip = {
			.units_per_g = { devices[i].units, devices[i].units, devices[i].units },
		};
		struct sim sim;
		struct run r;

		sim_init(&sim, devices[i].rate, devices[i].units, 3);
		simulate(&sim, day, G_N_ELEMENTS(day), &ip, &r);
		if (i == 0) {
			ref = r;
		} else {
			g_assert_cmpuint(r.segments->len, ==, ref.segments->len);
			for (guint k = 0; k < r.segments->len; k++) {
				const struct tracker_event *a =
					&g_array_index(r.segments, struct tracker_event, k);
				const struct tracker_event *b =
					&g_array_index(ref.segments, struct tracker_event, k);
				double dt = ((double) a->time - (double) b->time) / 1e6;

				g_assert_cmpint(a->posture, ==, b->posture);
				if (fabs(dt) > 1.5)
					g_error("%g Hz, %g units/g: segment %u starts %.2f s off", devices[i].rate,
						devices[i].units, k, dt);
			}
			run_clear(&r);
		}
		g_rand_free(sim.rand);
	}
	run_clear(&ref);
}

static void
test_imu_missing_resolution_falls_back_to_gravity(void)
{
	struct imu_classifier_params ip = {}; /* no resolution */
	struct sim sim;
	struct run r;

	sim_init(&sim, 50, 16384, 4);
	simulate(&sim, day, G_N_ELEMENTS(day), &ip, &r);
	g_assert_cmpfloat(agreement(&r, true, 0), >=, 0.98);
	run_clear(&r);
	g_rand_free(sim.rand);
}

static void
test_imu_upside_down_reads_the_same(void)
{
	struct imu_classifier c;
	struct imu_classifier_params ip = {
		.units_per_g = { 1000, 1000, 1000 }, .have_axis = true, .axis = { 0, 1, 0 },
	};
	enum posture p = POSTURE_UNKNOWN;

	imu_classifier_init(&c, &ip);
	/* gravity along -Y (the device upside down on an upright thigh) for 3 s at 10 Hz */
	for (int k = 0; k < 30; k++) {
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_X, 0, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_Y, -1000, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_Z, 0, &p);
		/* gyro and timestamps are ignored */
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_RX, 12345, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_MSC, MSC_TIMESTAMP, k, &p);
		g_assert_true(imu_classifier_feed(&c, S(k * 0.1), EV_SYN, SYN_REPORT, 0, &p));
	}
	g_assert_cmpint(p, ==, POSTURE_STANDING);
	g_assert_cmpfloat(imu_classifier_inclination(&c), <, 1.0);
}

static void
test_imu_axis_relearned_after_put_back(void)
{
	/* walk, then the device is put back rotated by 90° about the forward direction, walk again:
	 * the second walk replaces the axis */
	struct imu_classifier c;
	struct imu_classifier_params ip = { .units_per_g = { 1000, 1000, 1000 } };
	double axis[3];
	enum posture p;
	usec_t t = 0;

	imu_classifier_init(&c, &ip);
	for (int phase = 0; phase < 2; phase++) {
		/* 25 s of walking (a new placement needs two agreeing 10 s windows), then 5 s
		 * standing still while the device is handled */
		for (int k = 0; k < 50 * 30; k++, t += S(0.02)) {
			double x = k / 50.0, walk = x < 25 ? 1 : 0;
			double r = (7.5 + walk * 17.5 * sin(2 * M_PI * 0.9 * x)) * M_PI / 180;
			double up = cos(r) * (1 + walk * 0.35 * sin(2 * M_PI * 1.8 * x)), fw = sin(r);
			int32_t v[3] = { 0, 0, 0 };

			if (phase == 0) {
				v[1] = (int32_t) lround(up * 1000);
				v[2] = (int32_t) lround(fw * 1000);
			} else {
				v[0] = (int32_t) lround(up * 1000);
				v[2] = (int32_t) lround(fw * 1000);
			}
			for (int i = 0; i < 3; i++)
				imu_classifier_feed(&c, t, EV_ABS, (uint16_t) i, v[i], &p);
			imu_classifier_feed(&c, t, EV_SYN, SYN_REPORT, 0, &p);
		}
		g_assert_true(imu_classifier_take_axis(&c, axis));
		g_assert_false(imu_classifier_take_axis(&c, axis)); /* once */
		g_assert_cmpfloat(fabs(axis[phase == 0 ? 1 : 0]), >, 0.95);
	}
}

/* One frame at t: the thigh at angle degrees from upright (walking or not), the device's up and
 * forward directions in its own frame given as axis indices. */
static void
feed_thigh(struct imu_classifier *c, usec_t t, int up, int fwd, double angle, bool walk,
	   double x, enum posture *p)
{
	double r = (angle + (walk ? 17.5 * sin(2 * M_PI * 0.9 * x) : 0)) * M_PI / 180;
	double a[3] = { 0, 0, 0 };

	a[up] = cos(r) * (1 + (walk ? 0.35 * sin(2 * M_PI * 1.8 * x) : 0));
	a[fwd] = sin(r);
	for (int i = 0; i < 3; i++)
		imu_classifier_feed(c, t, EV_ABS, (uint16_t) i, (int32_t) lround(a[i] * 1000), p);
	imu_classifier_feed(c, t, EV_SYN, SYN_REPORT, 0, p);
}

/* Feed `seconds` of one thigh motion at `rate` Hz; returns the last raw posture and asserts that
 * every frame after `settle` seconds reads `want` (or anything, for _POSTURE_MAX). */
static enum posture
feed_for(struct imu_classifier *c, usec_t *t, double rate, double seconds, int up, int fwd,
	 double from_angle, double angle, bool walk, double settle, enum posture want)
{
	enum posture p = POSTURE_UNKNOWN;

	for (double x = 0; x < seconds; x += 1.0 / rate, *t += S(1.0 / rate)) {
		double a = from_angle + (angle - from_angle) * fmin(x, 1.0);

		feed_thigh(c, *t, up, fwd, a, walk, x, &p);
		if (want != _POSTURE_MAX && x >= settle)
			g_assert_cmpint(p, ==, want);
	}
	return p;
}

static void
test_imu_put_back_turned_while_standing(void)
{
	/* walk (axis +Y, forward +Z), stand, sit down and stand up (a rotation in the swing plane),
	 * then the phone is put back turned by 40° about its normal and the person stands still:
	 * standing, never sitting (gravity stays in the device plane, near the axis); sitting down
	 * on the new mount is told by gravity leaving the device plane; the next walk learns the
	 * new axis. At 4, 50 and 1000 Hz alike. */
	static const double rates[] = { 4, 50, 1000 };

	for (size_t i = 0; i < G_N_ELEMENTS(rates); i++) {
		struct imu_classifier c;
		struct imu_classifier_params ip = { .units_per_g = { 1000, 1000, 1000 } };
		double r = rates[i], turned[3];
		usec_t t = 0;

		imu_classifier_init(&c, &ip);
		feed_for(&c, &t, r, 25, 1, 2, 7.5, 7.5, true, 2, _POSTURE_MAX);
		feed_for(&c, &t, r, 10, 1, 2, 7.5, 0, false, 5, POSTURE_STANDING);
		feed_for(&c, &t, r, 30, 1, 2, 0, 90, false, 5, POSTURE_SITTING);
		feed_for(&c, &t, r, 10, 1, 2, 90, 0, false, 5, POSTURE_STANDING);
		/* put back turned by 40° about z: up is now cos40 y + sin40 x */
		for (double x = 0; x < 60; x += 1.0 / r, t += S(1.0 / r)) {
			enum posture p;
			int32_t v[3] = { (int32_t) lround(1000 * sin(40 * M_PI / 180)),
					 (int32_t) lround(1000 * cos(40 * M_PI / 180)), 0 };

			for (int k = 0; k < 3; k++)
				imu_classifier_feed(&c, t, EV_ABS, (uint16_t) k, v[k], &p);
			imu_classifier_feed(&c, t, EV_SYN, SYN_REPORT, 0, &p);
			g_assert_cmpint(p, !=, POSTURE_SITTING);
			if (x >= 3)
				g_assert_cmpint(p, ==, POSTURE_STANDING);
		}
		/* sitting down on the new mount (up +X now, forward still +Z) */
		feed_for(&c, &t, r, 20, 0, 2, 0, 90, false, 5, POSTURE_SITTING);
		feed_for(&c, &t, r, 5, 0, 2, 90, 0, false, 5, _POSTURE_MAX);
		/* the next walk learns it */
		feed_for(&c, &t, r, 25, 0, 2, 7.5, 7.5, true, 2, _POSTURE_MAX);
		g_assert_true(imu_classifier_take_axis(&c, turned));
		g_assert_cmpfloat(fabs(turned[0]), >, 0.95);
		feed_for(&c, &t, r, 10, 0, 2, 7.5, 0, false, 5, POSTURE_STANDING);
		g_assert_cmpfloat(imu_classifier_inclination(&c), <, 10.0);
	}
}

static void
test_imu_side_mount(void)
{
	/* strapped on the side of the thigh (DSADS): the thigh swings in the device plane (up +X,
	 * forward +Y), and sitting turns gravity within it. The swing plane learned from the walk
	 * tells sitting, standing and perching; nothing is unknown after the walk. */
	static const double rates[] = { 4, 50 };

	for (size_t i = 0; i < G_N_ELEMENTS(rates); i++) {
		struct imu_classifier c;
		struct imu_classifier_params ip = { .units_per_g = { 1000, 1000, 1000 } };
		double r = rates[i];
		usec_t t = 0;

		imu_classifier_init(&c, &ip);
		feed_for(&c, &t, r, 25, 0, 1, 7.5, 7.5, true, 2, _POSTURE_MAX);
		g_assert_true(imu_classifier_swing_known(&c));
		g_assert_cmpint(c.mount, ==, IMU_MOUNT_SIDE);
		feed_for(&c, &t, r, 20, 0, 1, 7.5, 0, false, 5, POSTURE_STANDING);
		feed_for(&c, &t, r, 30, 0, 1, 0, 85, false, 5, POSTURE_SITTING);
		feed_for(&c, &t, r, 20, 0, 1, 85, 0, false, 5, POSTURE_STANDING);
		/* a high stool: the thigh 45° from upright */
		feed_for(&c, &t, r, 30, 0, 1, 0, 45, false, 5, POSTURE_SITTING);
	}
}

static void
test_imu_phone_on_edge_seated(void)
{
	/* a phone in a front pocket (up +Y, forward +Z) that slides onto its edge when seated:
	 * the device turns about the thigh, gravity ends along +X, in the device plane and 90°
	 * from the axis: sitting, though out of the swing plane */
	struct imu_classifier c;
	struct imu_classifier_params ip = { .units_per_g = { 1000, 1000, 1000 } };
	usec_t t = 0;

	imu_classifier_init(&c, &ip);
	feed_for(&c, &t, 50, 25, 1, 2, 7.5, 7.5, true, 2, _POSTURE_MAX);
	feed_for(&c, &t, 50, 30, 1, 0, 0, 85, false, 5, POSTURE_SITTING);
	g_assert_cmpstr(imu_classifier_reason(&c), ==, "far from every known axis");
}

static void
test_imu_one_contrary_sample(void)
{
	/* sampled at 4 Hz, seated: one sample of an upright thigh (a sample that caught a shift
	 * in the chair) changes nothing, neither the posture nor since when it holds */
	struct imu_classifier c;
	struct imu_classifier_params ip = {
		.units_per_g = { 1000, 1000, 1000 }, .have_axis = true, .axis = { 0, 1, 0 },
	};
	enum posture p = POSTURE_UNKNOWN;
	usec_t since = 0;

	imu_classifier_init(&c, &ip);
	for (int k = 0; k < 4 * 60; k++) {
		bool up = k == 4 * 30;
		int32_t y = up ? 1000 : 0, z = up ? 0 : 1000;

		imu_classifier_feed(&c, S(k * 0.25), EV_ABS, ABS_X, 0, &p);
		imu_classifier_feed(&c, S(k * 0.25), EV_ABS, ABS_Y, y, &p);
		imu_classifier_feed(&c, S(k * 0.25), EV_ABS, ABS_Z, z, &p);
		imu_classifier_feed(&c, S(k * 0.25), EV_SYN, SYN_REPORT, 0, &p);
		if (k == 4 * 10)
			since = imu_classifier_since(&c);
		if (k > 4 * 10) {
			g_assert_cmpint(p, ==, POSTURE_SITTING);
			g_assert_cmpuint(imu_classifier_since(&c), ==, since);
		}
	}
}

static void
test_imu_jog_teaches_no_axis(void)
{
	/* a jog swings the thigh ±45° and a phone's ±2 g range clips it: its mean acceleration is
	 * not the thigh axis. A walk gives the axis (+Y); a clipped jog with the phone turned
	 * (+X up) must not replace it. */
	struct imu_classifier c;
	struct imu_classifier_params ip = { .units_per_g = { 1000, 1000, 1000 } };
	double axis[3];
	enum posture p;
	usec_t t = 0;

	imu_classifier_init(&c, &ip);
	feed_for(&c, &t, 50, 25, 1, 2, 7.5, 7.5, true, 2, _POSTURE_MAX);
	g_assert_true(imu_classifier_take_axis(&c, axis));
	for (double x = 0; x < 60; x += 0.02, t += S(0.02)) {
		double r = (10 + 45 * sin(2 * M_PI * 1.4 * x)) * M_PI / 180;
		double up = cos(r) * (1 + 1.5 * sin(2 * M_PI * 2.8 * x)), fw = sin(r) * 1.5;
		int32_t v[3] = { (int32_t) lround(fmax(-2.0, fmin(2.0, up)) * 1000), 0,
				 (int32_t) lround(fmax(-2.0, fmin(2.0, fw)) * 1000) };

		for (int k = 0; k < 3; k++)
			imu_classifier_feed(&c, t, EV_ABS, (uint16_t) k, v[k], &p);
		imu_classifier_feed(&c, t, EV_SYN, SYN_REPORT, 0, &p);
	}
	g_assert_false(imu_classifier_take_axis(&c, axis));
	g_assert_cmpfloat(fabs(c.axis[1]), >, 0.95);
}

static void
test_imu_tuning_parse(void)
{
	struct imu_tuning k = imu_tuning_default;

	g_assert_cmpint(imu_tuning_parse("sit_sure_deg=60,vote_s=0", &k), ==, 0);
	g_assert_cmpfloat(k.sit_sure_deg, ==, 60);
	g_assert_cmpfloat(k.vote_s, ==, 0);
	g_assert_cmpfloat(k.perch_deg, ==, imu_tuning_default.perch_deg);
	g_assert_cmpint(imu_tuning_parse("nosuch=1", &k), ==, -EINVAL);
	g_assert_cmpint(imu_tuning_parse("vote_s=", &k), ==, -EINVAL);
	g_assert_cmpint(imu_tuning_parse("vote_s=-1", &k), ==, -EINVAL);
	g_assert_cmpint(imu_tuning_parse("vote_s", &k), ==, -EINVAL);
	g_assert_cmpfloat(k.sit_sure_deg, ==, 60); /* untouched on failure */
}

static void
test_imu_no_gravity_frames_ignored(void)
{
	/* a device that has not reported yet reads (0, 0, 0): no movement spike from it */
	struct imu_classifier c;
	struct imu_classifier_params ip = {
		.units_per_g = { 1000, 1000, 1000 }, .have_axis = true, .axis = { 0, 1, 0 },
	};
	enum posture p = POSTURE_UNKNOWN;

	imu_classifier_init(&c, &ip);
	for (int k = 0; k < 40; k++) {
		bool zero = k < 5;

		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_X, 0, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_Y, 0, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_ABS, ABS_Z, zero ? 0 : 1000, &p);
		imu_classifier_feed(&c, S(k * 0.1), EV_SYN, SYN_REPORT, 0, &p);
		g_assert_false(c.walking);
	}
	g_assert_cmpint(p, ==, POSTURE_SITTING);
}

static void
test_imu_turning_the_thigh_is_not_walking(void)
{
	/* standing up in a second turns gravity by 90° but does not shake its magnitude */
	struct imu_classifier c;
	struct imu_classifier_params ip = {
		.units_per_g = { 1000, 1000, 1000 }, .have_axis = true, .axis = { 0, 1, 0 },
	};
	enum posture p = POSTURE_UNKNOWN;

	imu_classifier_init(&c, &ip);
	for (int k = 0; k < 500; k++) {
		double x = k < 200 ? 0 : fmin((k - 200) / 100.0, 1.0);
		double a = (90 - 90 * (0.5 - 0.5 * cos(M_PI * x))) * M_PI / 180;

		imu_classifier_feed(&c, S(k * 0.01), EV_ABS, ABS_X, 0, &p);
		imu_classifier_feed(&c, S(k * 0.01), EV_ABS, ABS_Y, (int32_t) lround(1000 * cos(a)), &p);
		imu_classifier_feed(&c, S(k * 0.01), EV_ABS, ABS_Z, (int32_t) lround(1000 * sin(a)), &p);
		imu_classifier_feed(&c, S(k * 0.01), EV_SYN, SYN_REPORT, 0, &p);
		g_assert_cmpint(p, !=, POSTURE_WALKING);
	}
	g_assert_cmpint(p, ==, POSTURE_STANDING);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imu/day-with-learned-axis", test_imu_day_with_learned_axis);
	g_test_add_func("/imu/configured-axis-needs-no-walk", test_imu_configured_axis_needs_no_walk);
	g_test_add_func("/imu/rate-and-resolution-independent",
			test_imu_rate_and_resolution_independent);
	g_test_add_func("/imu/missing-resolution-falls-back-to-gravity",
			test_imu_missing_resolution_falls_back_to_gravity);
	g_test_add_func("/imu/upside-down-reads-the-same", test_imu_upside_down_reads_the_same);
	g_test_add_func("/imu/axis-relearned-after-put-back", test_imu_axis_relearned_after_put_back);
	g_test_add_func("/imu/put-back-turned-while-standing",
			test_imu_put_back_turned_while_standing);
	g_test_add_func("/imu/side-mount", test_imu_side_mount);
	g_test_add_func("/imu/phone-on-edge-seated", test_imu_phone_on_edge_seated);
	g_test_add_func("/imu/one-contrary-sample", test_imu_one_contrary_sample);
	g_test_add_func("/imu/jog-teaches-no-axis", test_imu_jog_teaches_no_axis);
	g_test_add_func("/imu/tuning-parse", test_imu_tuning_parse);
	g_test_add_func("/imu/no-gravity-frames-ignored", test_imu_no_gravity_frames_ignored);
	g_test_add_func("/imu/turning-the-thigh-is-not-walking",
			test_imu_turning_the_thigh_is_not_walking);
	return g_test_run();
}
