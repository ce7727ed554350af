/* SPDX-License-Identifier: MIT */
/*
 * The whole day (docs/semantics.md "The whole day"), one test per rule: the pace prompt's
 * projection, its once-a-day and quiet rules, the 80 % rule without working hours, the adaptive
 * first prompt, the summary, and zero wake-ups at rest. The core is driven with explicit
 * times through a seat switch; the day's boundaries are given as the session would.
 */
#include <glib.h>
#include <linux/input.h>

#include <stdlib.h>

#include "classify-seat.h"
#include "core.h"
#include "quiet.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)
#define MINUTES(x) ((usec_t) (x) * USEC_PER_MINUTE)
#define HOURS(x) ((usec_t) (x) * USEC_PER_HOUR)
#define DAY0 S(86400 * 20000) /* a local midnight; nothing depends on its value */
#define AT(day, h, m) (DAY0 + HOURS(24) * (day) + HOURS(h) + MINUTES(m))
#define MSEG S(10)            /* min_segment: a seat change is confirmed 10 s later */

struct harness {
	struct core *core;
	int dev;
	GArray *events;
};

static struct core_params
params(void)
{
	return (struct core_params) {
		.min_segment = MSEG,
		.tracker = {
			.break_min = S(60),
			.remind_after = MINUTES(30),
			.repeat_every = MINUTES(10),
			.heed_window = MINUTES(5),
		},
		.budget = {
			.sitting_per_day = HOURS(6),
			.upright_per_day = HOURS(2),
			.pace = true,
			.remind_after_min = MINUTES(20),
			.prolonged = MINUTES(30),
		},
	};
}

static void
drain(struct harness *h)
{
	struct tracker_event ev;

	while (core_next_event(h->core, &ev))
		g_array_append_val(h->events, ev);
}

static void
harness_init(struct harness *h, const struct core_params *cp)
{
	struct seat_classifier_params sp = { .mode = SEAT_MODE_SWITCH };

	h->core = core_new(cp);
	h->dev = core_add_seat(h->core, &sp);
	h->events = g_array_new(FALSE, TRUE, sizeof(struct tracker_event));
}

static void
harness_clear(struct harness *h)
{
	core_free(h->core);
	g_array_unref(h->events);
}

static void
advance(struct harness *h, usec_t t)
{
	while (core_advance(h->core, t))
		drain(h);
	drain(h);
}

/* Day `day` as the session gives it: midnights, working hours (h0:00-h1:00, or none) */
static void
set_day(struct harness *h, int day, int h0, int h1, usec_t summary_after)
{
	struct budget_day d = {
		.id = day,
		.start = AT(day, 0, 0),
		.end = AT(day + 1, 0, 0),
		.work_start = h0 < 0 ? USEC_INFINITY : AT(day, h0, 0),
		.work_end = h0 < 0 ? USEC_INFINITY : AT(day, h1, 0),
		.summary_after = summary_after,
	};

	advance(h, d.start);
	core_set_day(h->core, &d);
	drain(h);
}

/* The seat at t: occupied or vacant (confirmed min_segment later, dated back to t). */
static void
seat(struct harness *h, usec_t t, bool occupied)
{
	advance(h, t);
	core_feed(h->core, h->dev, t, EV_KEY, BTN_0, occupied);
	core_feed(h->core, h->dev, t, EV_SYN, SYN_REPORT, 0);
	drain(h);
}

static unsigned
count(const struct harness *h, enum tracker_event_type type)
{
	unsigned n = 0;

	for (guint i = 0; i < h->events->len; i++)
		n += g_array_index(h->events, struct tracker_event, i).type == type;
	return n;
}

static const struct tracker_event *
nth(const struct harness *h, enum tracker_event_type type, unsigned n)
{
	for (guint i = 0; i < h->events->len; i++) {
		const struct tracker_event *ev = &g_array_index(h->events, struct tracker_event, i);

		if (ev->type == type && n-- == 0)
			return ev;
	}
	g_assert_not_reached();
}

/* Sitting all the working hours from their start: N = 0, due at once, but not before an
 * hour of them has passed. */
static void
test_pace_projection_not_before_an_hour(void)
{
	struct core_params cp = params();
	struct harness h;
	const struct tracker_event *ev;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	advance(&h, AT(0, 9, 59));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	g_assert_cmpuint(core_next_deadline(h.core), <=, AT(0, 10, 0));
	advance(&h, AT(0, 10, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	ev = nth(&h, TRACKER_PACE, 0);
	g_assert_cmpuint(ev->time, ==, AT(0, 10, 0));
	g_assert_cmpuint(ev->figures.sitting, ==, HOURS(1));
	g_assert_cmpuint(ev->figures.projected, ==, HOURS(8)); /* 1 h · 8 h / 1 h */
	g_assert_cmpuint(ev->figures.budget, ==, HOURS(6));
	g_assert_cmpuint(ev->figures.work_end, ==, AT(0, 17, 0));
	g_assert_cmpuint(ev->bout_start, ==, AT(0, 9, 0));
	harness_clear(&h);
}

/* ws + ceil(W·N/(W-B)): 30 min sitting, an hour's break (N = 1 h), then sitting: W = 8 h,
 * B = 6 h, due 4 h after 9:00, when P = 3 h · 8 h / 4 h = 6 h = B. */
static void
test_pace_projection_closed_form(void)
{
	struct core_params cp = params();
	struct harness h;
	const struct tracker_event *ev;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 9, 30), false);
	seat(&h, AT(0, 10, 30), true);
	g_assert_cmpuint(core_next_deadline(h.core), <=, AT(0, 13, 0));
	advance(&h, AT(0, 13, 0) - 1);
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	advance(&h, AT(0, 16, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	ev = nth(&h, TRACKER_PACE, 0);
	g_assert_cmpuint(ev->time, ==, AT(0, 13, 0));
	g_assert_cmpuint(ev->figures.sitting, ==, HOURS(3));
	g_assert_cmpuint(ev->figures.projected, ==, HOURS(6));
	harness_clear(&h);
}

/* Once a day: sitting on after it brings no second one; the next day it can come again. */
static void
test_pace_once_a_day(void)
{
	struct core_params cp = params();
	struct harness h;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 11, 0), false);
	seat(&h, AT(0, 11, 5), true);
	advance(&h, AT(0, 17, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	seat(&h, AT(0, 18, 0), false);
	set_day(&h, 1, 9, 17, USEC_INFINITY);
	seat(&h, AT(1, 9, 0), true);
	advance(&h, AT(1, 12, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 1)->time, ==, AT(1, 10, 0));
	harness_clear(&h);
}

/* While sitting continuously: not sitting at the due time (up for a while) means not due;
 * the deadline is recomputed when sitting is confirmed again. */
static void
test_pace_only_while_sitting(void)
{
	struct core_params cp = params();
	struct harness h;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 9, 50), false); /* N grows from 9:50 */
	advance(&h, AT(0, 11, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	/* N = 70 min: due at 9:00 + 8·70/2 min = 9:00 + 280 min = 13:40 */
	seat(&h, AT(0, 11, 0), true);
	advance(&h, AT(0, 17, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 0)->time, ==, AT(0, 13, 40));
	harness_clear(&h);
}

/* W <= B: P(t) <= W <= B, never due; not after the working hours either. */
static void
test_pace_never_when_the_budget_covers_the_working_hours(void)
{
	struct core_params cp = params();
	struct harness h;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 15, USEC_INFINITY); /* W = 6 h = B */
	seat(&h, AT(0, 9, 0), true);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	harness_clear(&h);

	/* sitting starts at 16:00 after a day away: due at 9 + 8·7/2 h, past the end */
	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 8, 0), false);
	seat(&h, AT(0, 16, 0), true);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	harness_clear(&h);
}

/* No working hours: when the day's sitting reaches 80 % of the budget (4 h 48 min). */
static void
test_pace_without_working_hours_at_80_percent(void)
{
	struct core_params cp = params();
	struct harness h;
	const struct tracker_event *ev;

	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	seat(&h, AT(0, 8, 0), true);
	seat(&h, AT(0, 10, 0), false);
	seat(&h, AT(0, 11, 0), true); /* 2 h so far: 2 h 48 min to go, at 13:48 */
	advance(&h, AT(0, 20, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	ev = nth(&h, TRACKER_PACE, 0);
	g_assert_cmpuint(ev->time, ==, AT(0, 13, 48));
	g_assert_cmpuint(ev->figures.sitting, ==, HOURS(4) + MINUTES(48));
	g_assert_cmpuint(ev->figures.projected, ==, 0);
	harness_clear(&h);
}

/* Quiet rules apply: it waits for do-not-disturb to end (then it is due at once while the
 * rule still holds), and for a pause to end. */
static void
test_pace_waits_for_quiet_and_pause(void)
{
	struct core_params cp = params();
	struct harness h;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	advance(&h, AT(0, 9, 30));
	core_set_quiet(h.core, AT(0, 9, 30), TRACKER_QUIET_DND, true);
	advance(&h, AT(0, 11, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	core_set_quiet(h.core, AT(0, 11, 0), TRACKER_QUIET_DND, false);
	advance(&h, AT(0, 11, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 0)->time, ==, AT(0, 11, 0));
	harness_clear(&h);

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	advance(&h, AT(0, 9, 45));
	core_pause(h.core, AT(0, 10, 30));
	advance(&h, AT(0, 10, 30) - 1);
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	advance(&h, AT(0, 12, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 0)->time, ==, AT(0, 10, 30));
	harness_clear(&h);
}

/* Zero wake-ups at rest: a day with its budget, pace and summary on, and nobody on the seat,
 * has no deadline at all; a day without sitting has no prompts. */
static void
test_day_without_sitting_has_no_prompts_and_no_deadline(void)
{
	struct core_params cp = params();
	struct harness h;

	cp.budget.summary = true;
	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	seat(&h, AT(0, 8, 0), false);
	advance(&h, AT(0, 8, 1));
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	advance(&h, AT(0, 23, 59));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0);
	harness_clear(&h);
}

/* Adaptive: r = max(min(remind_after_min, remind_after), remind_after·(B - min(S, B))/B), S the
 * day's sitting before the bout; back to remind_after on the next day. */
static void
test_adaptive_first_prompt_comes_sooner_as_the_budget_runs_out(void)
{
	struct core_params cp = params();
	struct harness h;
	static const struct {
		usec_t sit, up;      /* a bout from sit to up */
		usec_t first_prompt; /* its first prompt's bout age */
	} bouts[] = {
		{ AT(0, 8, 0), AT(0, 9, 30), MINUTES(30) },       /* S = 0: 30 min */
		{ AT(0, 9, 40), AT(0, 10, 10), MINUTES(30) * 3 / 4 }, /* 1.5 h: 22.5 min */
		{ AT(0, 10, 20), AT(0, 12, 50), MINUTES(20) },    /* 2 h: 20 min */
		{ AT(0, 13, 0), AT(0, 13, 40), MINUTES(20) },     /* 4.5 h: 7.5 min -> the floor */
	};

	cp.budget.adaptive = true;
	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	for (size_t i = 0; i < G_N_ELEMENTS(bouts); i++) {
		seat(&h, bouts[i].sit, true);
		seat(&h, bouts[i].up, false);
	}
	advance(&h, AT(0, 14, 0));
	/* the first prompt of each bout, at bout_start + r */
	{
		unsigned k = 0;

		for (guint i = 0; i < h.events->len; i++) {
			const struct tracker_event *ev =
				&g_array_index(h.events, struct tracker_event, i);

			if (ev->type != TRACKER_PROMPT || ev->seq != 0)
				continue;
			g_assert_cmpuint(k, <, G_N_ELEMENTS(bouts));
			g_assert_cmpuint(ev->bout_start, ==, bouts[k].sit);
			g_assert_cmpuint(ev->time - ev->bout_start, ==, bouts[k].first_prompt);
			k++;
		}
		g_assert_cmpuint(k, ==, 4);
	}
	/* the next day, the first bout's first prompt comes at remind_after again */
	seat(&h, AT(0, 23, 0), false);
	set_day(&h, 1, -1, -1, USEC_INFINITY);
	seat(&h, AT(1, 8, 0), true);
	advance(&h, AT(1, 9, 0));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), >=, 5);
	{
		const struct tracker_event *ev = NULL;

		for (guint i = 0; i < h.events->len; i++) {
			const struct tracker_event *e =
				&g_array_index(h.events, struct tracker_event, i);

			if (e->type == TRACKER_PROMPT && e->bout_start == AT(1, 8, 0) && e->seq == 0)
				ev = e;
		}
		g_assert_nonnull(ev);
		g_assert_cmpuint(ev->time, ==, AT(1, 8, 30));
	}
	harness_clear(&h);
}

/* Adaptive off (the default): every bout's first prompt at remind_after, whatever the day. */
static void
test_adaptive_off_keeps_remind_after(void)
{
	struct core_params cp = params();
	struct harness h;

	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	seat(&h, AT(0, 8, 0), true);
	seat(&h, AT(0, 13, 0), false);
	seat(&h, AT(0, 13, 10), true);
	advance(&h, AT(0, 14, 0));
	for (guint i = 0; i < h.events->len; i++) {
		const struct tracker_event *ev = &g_array_index(h.events, struct tracker_event, i);

		if (ev->type == TRACKER_PROMPT && ev->seq == 0)
			g_assert_cmpuint(ev->time - ev->bout_start, ==, MINUTES(30));
	}
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), >, 2);
	harness_clear(&h);
}

/* The summary at the end of the working hours, with the day's figures: sitting, bouts that
 * began today (longest, prolonged), prompts shown and heeded. */
static void
test_summary_at_end_of_working_hours(void)
{
	struct core_params cp = params();
	struct harness h;
	const struct tracker_event *ev;

	cp.budget.summary = true;
	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	core_set_history(h.core, HOURS(5));
	/* 9:00-9:33: prompt at 9:30, a break 3 min later: heeded */
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 9, 33), false);
	/* 10:00-10:20: no prompt */
	seat(&h, AT(0, 10, 0), true);
	seat(&h, AT(0, 10, 20), false);
	/* 14:00-16:00: prompts 14:30, 14:40, ... 16:00 (10: at 16:00 the break is not yet
	 * confirmed), the last one heeded */
	seat(&h, AT(0, 14, 0), true);
	seat(&h, AT(0, 16, 0), false);
	advance(&h, AT(0, 17, 0) - 1);
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 0);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 1);
	ev = nth(&h, TRACKER_SUMMARY, 0);
	g_assert_cmpuint(ev->time, ==, AT(0, 17, 0));
	g_assert_cmpuint(ev->figures.sitting, ==, MINUTES(33 + 20 + 120));
	g_assert_cmpuint(ev->figures.bouts, ==, 3);
	g_assert_cmpuint(ev->figures.longest_bout, ==, HOURS(2));
	g_assert_cmpuint(ev->figures.prolonged_bouts, ==, 2);
	g_assert_cmpuint(ev->figures.prompts, ==, 11);
	g_assert_cmpuint(ev->figures.prompts_heeded, ==, 2);
	g_assert_true(ev->figures.have_history);
	g_assert_cmpuint(ev->figures.avg_sitting_7d, ==, HOURS(5));
	g_assert_cmpuint(ev->bout_start, ==, AT(0, 14, 0));
	harness_clear(&h);
}

/* summary_after: at the first break of 15 min after that time (the break may begin before it;
 * only its part after the time counts), not while sitting. */
static void
test_summary_after_time_waits_for_a_break(void)
{
	struct core_params cp = params();
	struct harness h;

	cp.budget.summary = true;
	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, AT(0, 16, 0));
	seat(&h, AT(0, 15, 0), true);
	seat(&h, AT(0, 16, 30), false); /* 10 min up: not enough */
	seat(&h, AT(0, 16, 40), true);
	seat(&h, AT(0, 17, 0), false); /* up for good: due 17:15 */
	advance(&h, AT(0, 17, 15) - 1);
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 0);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_SUMMARY, 0)->time, ==, AT(0, 17, 15));
	harness_clear(&h);

	/* up since 15:50: the break after 16:00 has lasted 15 min at 16:15 */
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, AT(0, 16, 0));
	seat(&h, AT(0, 15, 0), true);
	seat(&h, AT(0, 15, 50), false);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_SUMMARY, 0)->time, ==, AT(0, 16, 15));
	harness_clear(&h);
}

/* The summary waits for a pause to end; off-hours (its own moment) does not hold it back. */
static void
test_summary_quiet_rules(void)
{
	struct core_params cp = params();
	struct harness h;

	cp.budget.summary = true;
	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 12, 0), false);
	core_set_quiet(h.core, AT(0, 17, 0), TRACKER_QUIET_OFF_HOURS, true);
	advance(&h, AT(0, 17, 0));
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 1);
	harness_clear(&h);

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	seat(&h, AT(0, 12, 0), false);
	advance(&h, AT(0, 16, 50));
	core_pause(h.core, AT(0, 17, 20));
	advance(&h, AT(0, 17, 20) - 1);
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 0);
	advance(&h, AT(0, 23, 0));
	g_assert_cmpuint(count(&h, TRACKER_SUMMARY), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_SUMMARY, 0)->time, ==, AT(0, 17, 20));
	harness_clear(&h);
}

/* Days are the session's: a 23-hour day (DST) counts from its own midnights; sitting across
 * midnight is split there. */
static void
test_day_boundaries_split_sitting(void)
{
	struct core_params cp = params();
	struct harness h;
	struct budget_figures f;
	struct budget_day d1 = {
		.id = 1, .start = AT(1, 0, 0), .end = AT(1, 23, 0), /* a 23-hour day */
		.work_start = USEC_INFINITY, .work_end = USEC_INFINITY,
		.summary_after = USEC_INFINITY,
	};

	cp.budget.pace = false;
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	seat(&h, AT(0, 23, 0), true);
	advance(&h, AT(1, 0, 0));
	core_set_day(h.core, &d1);
	drain(&h);
	core_day_figures(h.core, AT(1, 0, 30), &f);
	g_assert_cmpuint(f.sitting, ==, MINUTES(30));
	g_assert_cmpuint(f.bouts, ==, 0); /* the bout began yesterday */
	seat(&h, AT(1, 1, 0), false);
	advance(&h, AT(1, 2, 0));
	core_day_figures(h.core, AT(1, 2, 0), &f);
	g_assert_cmpuint(f.sitting, ==, HOURS(1));
	harness_clear(&h);
}

/* A reload keeps the day's counts and the pace prompt once given. */
static void
test_reload_keeps_the_day(void)
{
	struct core_params cp = params();
	struct harness h;
	struct budget_figures f;

	harness_init(&h, &cp);
	set_day(&h, 0, 9, 17, USEC_INFINITY);
	seat(&h, AT(0, 9, 0), true);
	advance(&h, AT(0, 10, 30));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	cp.budget.sitting_per_day = HOURS(7);
	core_set_params(h.core, AT(0, 10, 30), &cp);
	advance(&h, AT(0, 16, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	core_day_figures(h.core, AT(0, 16, 0), &f);
	g_assert_cmpuint(f.sitting, ==, HOURS(7));
	g_assert_cmpuint(f.budget, ==, HOURS(7));
	/* the same day again (other working hours, or a wall-clock step): the counts stay */
	{
		struct budget_day d = {
			.id = 0, .start = AT(0, 0, 0), .end = AT(1, 0, 0),
			.work_start = AT(0, 8, 0), .work_end = AT(0, 18, 0),
			.summary_after = USEC_INFINITY,
		};

		core_set_day(h.core, &d);
		core_day_figures(h.core, AT(0, 16, 0), &f);
		g_assert_cmpuint(f.sitting, ==, HOURS(7));
		g_assert_cmpuint(f.work_end, ==, AT(0, 18, 0));
		advance(&h, AT(0, 17, 0));
		g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	}
	harness_clear(&h);
}

/* Started in the middle of a day: what the store held counts first, and a pace prompt already
 * given that day is not given again. */
static void
test_day_seeded_from_the_store(void)
{
	struct core_params cp = params();
	struct harness h;
	struct budget_seed seed = { .sitting = HOURS(4) + MINUTES(45), .bouts = 3 };

	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	core_seed_day(h.core, &seed);
	seat(&h, AT(0, 14, 0), true);
	advance(&h, AT(0, 15, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 0)->time, ==, AT(0, 14, 3));
	g_assert_cmpuint(nth(&h, TRACKER_PACE, 0)->figures.bouts, ==, 4);
	harness_clear(&h);

	seed.pace_done = true;
	harness_init(&h, &cp);
	set_day(&h, 0, -1, -1, USEC_INFINITY);
	core_seed_day(h.core, &seed);
	seat(&h, AT(0, 14, 0), true);
	advance(&h, AT(0, 18, 0));
	g_assert_cmpuint(count(&h, TRACKER_PACE), ==, 0);
	harness_clear(&h);
}

static int64_t
berlin_us(int y, int mo, int d, int h, int mi)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/Berlin");
	g_autoptr(GDateTime) dt = g_date_time_new(tz, y, mo, d, h, mi, 0);

	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt) * 1000000;
}

/* The session's local days (quiet_day()): cut at their own midnights, 23 and 25 hours long on
 * the DST days; working hours on working days only, none when they span midnight. */
static void
test_day_local_days_are_dst_right(void)
{
	struct sitlog_config c;
	struct quiet_day q;

	config_init(&c);
	c.have_working_hours = true;
	c.work_start_min = 9 * 60;
	c.work_end_min = 17 * 60;
	g_assert_cmpint(quiet_day(&c, berlin_us(2026, 3, 29, 12, 0), &q), ==, 0);
	g_assert_cmpint(q.start_us, ==, berlin_us(2026, 3, 29, 0, 0));
	g_assert_cmpint(q.end_us, ==, berlin_us(2026, 3, 30, 0, 0));
	g_assert_cmpint(q.end_us - q.start_us, ==, 23 * (int64_t) USEC_PER_HOUR);
	g_assert_cmpint(q.work_start_us, ==, berlin_us(2026, 3, 29, 9, 0));
	g_assert_cmpint(q.work_end_us - q.work_start_us, ==, 8 * (int64_t) USEC_PER_HOUR);
	g_assert_cmpint(q.summary_after_us, ==, INT64_MAX);

	g_assert_cmpint(quiet_day(&c, berlin_us(2026, 10, 25, 1, 30), &q), ==, 0);
	g_assert_cmpint(q.end_us - q.start_us, ==, 25 * (int64_t) USEC_PER_HOUR);
	/* the last microsecond of a day belongs to it, the next midnight to the next */
	g_assert_cmpint(quiet_day(&c, berlin_us(2026, 10, 26, 0, 0) - 1, &q), ==, 0);
	g_assert_cmpint(q.start_us, ==, berlin_us(2026, 10, 25, 0, 0));

	c.working_days = 0x3e; /* Mon-Fri: the Sunday has none */
	c.summary_after_min = 16 * 60 + 30;
	g_assert_cmpint(quiet_day(&c, berlin_us(2026, 3, 29, 12, 0), &q), ==, 0);
	g_assert_cmpint(q.work_start_us, ==, INT64_MAX);
	g_assert_cmpint(q.summary_after_us, ==, berlin_us(2026, 3, 29, 16, 30));

	c.working_days = 0xfe;
	c.work_start_min = 22 * 60; /* across midnight: none */
	c.work_end_min = 6 * 60;
	g_assert_cmpint(quiet_day(&c, berlin_us(2026, 3, 24, 12, 0), &q), ==, 0);
	g_assert_cmpint(q.work_start_us, ==, INT64_MAX);
}

int
main(int argc, char **argv)
{
	setenv("TZ", "Europe/Berlin", 1);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/budget/day/local-days-are-dst-right", test_day_local_days_are_dst_right);
	g_test_add_func("/budget/pace/projection-not-before-an-hour",
			test_pace_projection_not_before_an_hour);
	g_test_add_func("/budget/pace/projection-closed-form", test_pace_projection_closed_form);
	g_test_add_func("/budget/pace/once-a-day", test_pace_once_a_day);
	g_test_add_func("/budget/pace/only-while-sitting", test_pace_only_while_sitting);
	g_test_add_func("/budget/pace/never-when-the-budget-covers-the-working-hours",
			test_pace_never_when_the_budget_covers_the_working_hours);
	g_test_add_func("/budget/pace/without-working-hours-at-80-percent",
			test_pace_without_working_hours_at_80_percent);
	g_test_add_func("/budget/pace/waits-for-quiet-and-pause",
			test_pace_waits_for_quiet_and_pause);
	g_test_add_func("/budget/day/without-sitting-no-prompts-no-deadline",
			test_day_without_sitting_has_no_prompts_and_no_deadline);
	g_test_add_func("/budget/adaptive/first-prompt-sooner-as-the-budget-runs-out",
			test_adaptive_first_prompt_comes_sooner_as_the_budget_runs_out);
	g_test_add_func("/budget/adaptive/off-keeps-remind-after",
			test_adaptive_off_keeps_remind_after);
	g_test_add_func("/budget/summary/at-end-of-working-hours",
			test_summary_at_end_of_working_hours);
	g_test_add_func("/budget/summary/after-time-waits-for-a-break",
			test_summary_after_time_waits_for_a_break);
	g_test_add_func("/budget/summary/quiet-rules", test_summary_quiet_rules);
	g_test_add_func("/budget/day/boundaries-split-sitting", test_day_boundaries_split_sitting);
	g_test_add_func("/budget/reload-keeps-the-day", test_reload_keeps_the_day);
	g_test_add_func("/budget/day/seeded-from-the-store", test_day_seeded_from_the_store);
	return g_test_run();
}
