/* SPDX-License-Identifier: MIT */
/*
 * Throughput of the pure core (classifier + debounce + tracker + reminder policy), parsing
 * excluded: 8 hours of a 1 kHz accelerometer, the same read as the live daemon samples it
 * (every 250 ms), and 50 M frames of a 100 Hz pressure mat, pre-generated in memory. Each
 * figure comes with its ratio to real time (how many devices one core could follow), which
 * does not depend on how fast the machine is the way frames/s does. Prints figures; it is not
 * a test.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-util.h"
#include "core.h"

struct frame {
	int32_t v[3];
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static const struct core_params params = {
	.min_segment = 10 * USEC_PER_SEC,
	.tracker = {
		.break_min = 60 * USEC_PER_SEC,
		.remind_after = 30 * USEC_PER_MINUTE,
		.repeat_every = 10 * USEC_PER_MINUTE,
	},
};

/* An hour-long pattern at 1 kHz: walking, standing, sitting. */
static struct frame *
make_imu_hour(size_t *ret_n)
{
	size_t n = 3600 * 1000;
	struct frame *f = malloc(n * sizeof(*f));

	if (!f)
		abort();
	for (size_t k = 0; k < n; k++) {
		double t = (double) k / 1000.0, minute = fmod(t / 60.0, 60.0), angle, dyn = 0;

		if (minute < 5) {
			angle = 7.5 + 17.5 * sin(2 * M_PI * 0.9 * t);
			dyn = 0.35 * sin(2 * M_PI * 1.8 * t);
		} else if (minute < 10) {
			angle = 0;
		} else {
			angle = 85;
		}
		angle *= M_PI / 180;
		f[k].v[0] = (int32_t) lround(0.02 * 8192 * sin(7 * t));
		f[k].v[1] = (int32_t) lround((cos(angle) * (1 + dyn)) * 8192);
		f[k].v[2] = (int32_t) lround(sin(angle) * 8192);
	}
	*ret_n = n;
	return f;
}

/* step: 1 reads every frame; 250 feeds every 250th (a 250 ms sample of a 1 kHz device) */
static void
bench_imu(size_t step)
{
	struct imu_classifier_params ip = { .units_per_g = { 8192, 8192, 8192 } };
	size_t n, total = 0;
	struct frame *f = make_imu_hour(&n);
	struct core *core = core_new(&params);
	struct tracker_event ev;
	usec_t t = USEC_PER_SEC;
	unsigned events = 0;
	double t0, t1;

	core_add_imu(core, &ip);
	t0 = now_s();
	for (int hour = 0; hour < 8; hour++) {
		for (size_t k = 0; k < n; k += step, t += 1000 * step) {
			core_feed(core, 0, t, EV_ABS, ABS_X, f[k].v[0]);
			core_feed(core, 0, t, EV_ABS, ABS_Y, f[k].v[1]);
			core_feed(core, 0, t, EV_ABS, ABS_Z, f[k].v[2]);
			core_feed(core, 0, t, EV_SYN, SYN_REPORT, 0);
			while (core_next_event(core, &ev))
				events++;
		}
		total += n / step;
	}
	core_finish(core, t);
	t1 = now_s();
	printf("core, 1 kHz accelerometer%s: %zu frames (8 h) in %.3f s: %.2f M frames/s, "
	       "%.2f M events/s, %.0f× real time (%u decisions)\n",
	       step > 1 ? ", sampled every 250 ms" : ", every frame", total, t1 - t0,
	       (double) total / (t1 - t0) / 1e6, 4.0 * (double) total / (t1 - t0) / 1e6,
	       8 * 3600.0 / (t1 - t0), events);
	core_free(core);
	free(f);
}

static void
bench_seat(void)
{
	struct seat_classifier_params sp = {
		.mode = SEAT_MODE_AXIS, .axis = ABS_PRESSURE, .axis_min = 0, .axis_max = 1023,
		.occupied = 0.3, .vacant = 0.2,
	};
	struct core *core = core_new(&params);
	struct tracker_event ev;
	size_t n = 50 * 1000 * 1000;
	usec_t t = USEC_PER_SEC;
	double t0, t1;
	unsigned events = 0;

	core_add_seat(core, &sp);
	t0 = now_s();
	for (size_t k = 0; k < n; k++, t += 10000) {
		/* sit 40 min, stand 5 min, with noise */
		bool sitting = (k / 100 / 60) % 45 < 40;
		int32_t v = (sitting ? 700 : 40) + (int32_t) (k * 2654435761u % 61) - 30;

		core_feed(core, 0, t, EV_ABS, ABS_PRESSURE, v);
		core_feed(core, 0, t, EV_SYN, SYN_REPORT, 0);
		while (core_next_event(core, &ev))
			events++;
	}
	core_finish(core, t);
	t1 = now_s();
	printf("core, 100 Hz pressure mat: %zu frames in %.3f s: %.2f M frames/s, %.2f M seat "
	       "events/s, %.0f× real time (%u decisions)\n",
	       n, t1 - t0, (double) n / (t1 - t0) / 1e6, 2.0 * (double) n / (t1 - t0) / 1e6,
	       (double) n / 100.0 / (t1 - t0), events);
	core_free(core);
}

int
main(void)
{
	bench_print_machine("bench-core");
	bench_imu(1);
	bench_imu(250);
	bench_seat();
	return 0;
}
