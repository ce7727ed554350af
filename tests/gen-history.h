/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A realistic office history written through the store's writer API, one transaction a day as
 * sitlogd commits (so the daily roll-up is kept by the real code path): on workdays about ten
 * bouts of 5 to 100 minutes with short interruptions inside, breaks of a few minutes, a lunch
 * break, prompts on the schedule (some while paused, so suppressed; some answered, the ones
 * within the heed window heeded), about 40 segments; a worn IMU (standing, walking, sitting)
 * on every third day, otherwise the seat (sitting, away); now and then an evening bout across
 * midnight; weekends nearly empty. Deterministic for a seed. For bench/ and tests/.
 */

#include <glib.h>

#include "close-bout.h"
#include "store.h"

#define GEN_MIN_MS ((int64_t) 60 * 1000)

struct gen_history {
	struct store *s;
	GRand *rand;
	int64_t seat, imu;
	/* counts of what was written */
	unsigned days, segments, bouts, prompts;
};

static inline int64_t
gen_local_ms(const GDate *d, int h, int m, int s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(g_date_get_year(d), g_date_get_month(d),
							g_date_get_day(d), h, m, s);

	return g_date_time_to_unix(dt) * 1000;
}

static inline int
gen_segment(struct gen_history *g, int64_t device, enum posture p, int64_t a, int64_t b)
{
	int64_t id;
	int r = store_segment_begin(g->s, device, p, a, &id);

	if (r >= 0)
		r = store_segment_set_end(g->s, id, b);
	g->segments += r >= 0;
	return r;
}

static inline int
gen_range(struct gen_history *g, int lo, int hi)
{
	return g_rand_int_range(g->rand, lo, hi + 1);
}

/* One bout from *t: sitting with short interruptions, its prompts, then a break (the break's
 * segments written too). Leaves *t at the break's end. */
static inline int
gen_bout(struct gen_history *g, bool worn, bool paused, int64_t len, int64_t brk, int64_t *t)
{
	int64_t dev = worn ? g->imu : g->seat, a = *t, end = a + len, at = a, id;
	int n_int = len > 20 * GEN_MIN_MS ? gen_range(g, 1, 3) : gen_range(g, 0, 1), r;
	static const char *const answers[] = { "done", "snoozed", "dismissed", "expired", NULL };

	r = store_bout_begin(g->s, a, &id);
	for (int k = 0; r >= 0 && k < n_int; k++) {
		/* an interruption of 10-50 s somewhere in the bout's middle part */
		int64_t from = a + (len * (k + 1)) / (n_int + 1) + gen_range(g, -60, 60) * 1000;
		int64_t up = gen_range(g, 10, 50) * 1000;

		if (from <= at || from + up >= end)
			continue;
		r = gen_segment(g, dev, POSTURE_SITTING, at, from);
		if (r >= 0)
			r = gen_segment(g, dev, worn ? POSTURE_STANDING : POSTURE_AWAY, from, from + up);
		at = from + up;
	}
	if (r >= 0)
		r = gen_segment(g, dev, POSTURE_SITTING, at, end);
	for (int64_t age = 30 * GEN_MIN_MS; r >= 0 && age <= len; age += 10 * GEN_MIN_MS) {
		int64_t pid;
		const char *answer = answers[gen_range(g, 0, G_N_ELEMENTS(answers) - 1)];

		r = store_prompt_add(g->s, id, a + age, age, (int) ((age - 30 * GEN_MIN_MS) / 600000),
				     paused ? "suppressed" : "due", paused ? "paused" : "desktop",
				     &pid);
		if (r >= 0 && answer && !paused)
			r = store_prompt_set_response(g->s, pid, answer, a + age + 20000);
		g->prompts += r >= 0;
	}
	if (r >= 0)
		r = test_close_bout(g->s, id, end, "break", 5 * GEN_MIN_MS);
	g->bouts += r >= 0;
	/* the break: standing then walking on a worn sensor, away from the seat otherwise */
	if (r >= 0 && worn) {
		int64_t stand = brk / 3;

		r = gen_segment(g, dev, POSTURE_STANDING, end, end + stand);
		if (r >= 0)
			r = gen_segment(g, dev, POSTURE_WALKING, end + stand, end + brk);
	} else if (r >= 0) {
		r = gen_segment(g, dev, POSTURE_AWAY, end, end + brk);
	}
	*t = end + brk;
	return r;
}

static inline int
gen_day(struct gen_history *g, const GDate *d)
{
	GDateWeekday wd = g_date_get_weekday(d);
	bool weekend = wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY;
	bool worn = g_date_get_julian(d) % 3 == 0;
	bool paused_day = gen_range(g, 0, 19) == 0;
	int n = weekend ? gen_range(g, 0, 2) : gen_range(g, 8, 12);
	int64_t t = gen_local_ms(d, weekend ? 10 : 8, gen_range(g, 0, 59), gen_range(g, 0, 59));
	int r = store_begin(g->s);

	for (int b = 0; r >= 0 && b < n; b++) {
		/* mostly short bouts, some long: 5-30, 30-60 or 60-100 min */
		int kind = gen_range(g, 0, 9);
		int64_t len = (kind < 6 ? gen_range(g, 5, 30) :
			       kind < 9 ? gen_range(g, 30, 60) :
					  gen_range(g, 60, 100)) * GEN_MIN_MS + gen_range(g, 0, 59999);
		int64_t brk = (b == n / 2 ? gen_range(g, 30, 60) : gen_range(g, 2, 15)) * GEN_MIN_MS;

		r = gen_bout(g, worn, paused_day && b < 3, len, brk, &t);
	}
	/* now and then an evening across midnight */
	if (r >= 0 && gen_range(g, 0, 9) == 0) {
		t = gen_local_ms(d, 23, gen_range(g, 0, 40), 0);
		r = gen_bout(g, worn, false, gen_range(g, 40, 120) * GEN_MIN_MS, 5 * GEN_MIN_MS, &t);
	}
	if (r >= 0)
		r = store_commit(g->s);
	else
		store_rollback(g->s);
	g->days += r >= 0;
	return r;
}

/* n_days from first (local dates); devices are registered on the first call. */
static inline int
gen_history(struct gen_history *g, const GDate *first, unsigned n_days)
{
	const struct store_device seat = { .name = "USB Chair Switch", .role = "seat",
					   .bustype = 3, .vendor = 0x0c45, .product = 0x7404 };
	const struct store_device imu = { .name = "Thigh IMU", .role = "imu", .bustype = 5 };
	GDate d = *first;
	int r = 0;

	if (!g->seat)
		r = store_device_ensure(g->s, &seat, gen_local_ms(first, 0, 0, 0), &g->seat);
	if (r >= 0 && !g->imu)
		r = store_device_ensure(g->s, &imu, gen_local_ms(first, 0, 0, 0), &g->imu);
	for (unsigned i = 0; r >= 0 && i < n_days; i++) {
		r = gen_day(g, &d);
		g_date_add_days(&d, 1);
	}
	return r;
}
