/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the pure core, one per rule of DESIGN.md / docs/semantics.md. Every test
 * drives the core with explicit times; nothing reads a clock.
 */
#include <glib.h>
#include <linux/input.h>
#include <math.h>

#include "classify-seat.h"
#include "core.h"
#include "debounce.h"
#include "tracker.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)
#define MINUTES(x) ((usec_t) (x) * USEC_PER_MINUTE)
#define T0 S(1000000) /* an arbitrary origin: nothing depends on 0 */

/* ---- harness: a core with one seat switch, decisions collected ---- */

struct harness {
	struct core *core;
	int dev;
	GArray *events; /* struct tracker_event */
};

static void
harness_init_full(struct harness *h, usec_t break_min)
{
	struct core_params cp = {
		.min_segment = S(10),
		.tracker = {
			.break_min = break_min,
			.remind_after = MINUTES(30),
			.repeat_every = MINUTES(10),
		},
	};
	struct seat_classifier_params sp = { .mode = SEAT_MODE_SWITCH };

	h->core = core_new(&cp);
	h->dev = core_add_seat(h->core, &sp);
	g_assert_cmpint(h->dev, ==, 0);
	h->events = g_array_new(FALSE, TRUE, sizeof(struct tracker_event));
}

static void
harness_init(struct harness *h)
{
	harness_init_full(h, S(60));
}

static void
harness_drain(struct harness *h)
{
	struct tracker_event ev;

	while (core_next_event(h->core, &ev))
		g_array_append_val(h->events, ev);
}

static void
harness_clear(struct harness *h)
{
	core_free(h->core);
	g_array_unref(h->events);
}

/* Seat switch: pressed = occupied. */
static void
seat(struct harness *h, usec_t t, bool occupied)
{
	core_feed(h->core, h->dev, t, EV_KEY, BTN_0, occupied ? 1 : 0);
	core_feed(h->core, h->dev, t, EV_SYN, SYN_REPORT, 0);
	harness_drain(h);
}

static void
advance(struct harness *h, usec_t t)
{
	while (core_advance(h->core, t))
		harness_drain(h);
	harness_drain(h);
}

static void
finish(struct harness *h, usec_t t)
{
	core_finish(h->core, t);
	harness_drain(h);
}

static unsigned
count(const struct harness *h, enum tracker_event_type type)
{
	unsigned n = 0;

	for (guint i = 0; i < h->events->len; i++)
		n += g_array_index(h->events, struct tracker_event, i).type == type;
	return n;
}

/* The n-th event of a type (0-based). */
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

/* ---- seat classifier ---- */

static void
test_seat_switch_any_code_pressed_is_occupied(void)
{
	struct seat_classifier c;
	struct seat_classifier_params p = { .mode = SEAT_MODE_SWITCH };
	static const struct {
		uint16_t type, code;
		int32_t value;
		enum posture after_frame;
	} steps[] = {
		{ EV_KEY, BTN_0, 1, POSTURE_SITTING },
		{ EV_KEY, BTN_0, 2, POSTURE_SITTING }, /* autorepeat: still pressed */
		{ EV_SW, SW_TABLET_MODE, 1, POSTURE_SITTING },
		{ EV_KEY, BTN_0, 0, POSTURE_SITTING }, /* the switch is still closed */
		{ EV_SW, SW_TABLET_MODE, 0, POSTURE_AWAY },
		{ EV_KEY, BTN_0, 0, POSTURE_AWAY }, /* a second release changes nothing */
	};
	enum posture p0;

	seat_classifier_init(&c, &p);
	g_assert_true(seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &p0));
	g_assert_cmpint(p0, ==, POSTURE_UNKNOWN); /* nothing seen yet */
	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
		enum posture got = _POSTURE_MAX;

		g_assert_false(seat_classifier_feed(&c, steps[i].type, steps[i].code, steps[i].value,
						    &got));
		g_assert_true(seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got));
		g_assert_cmpint(got, ==, steps[i].after_frame);
	}
}

static void
test_seat_switch_configured_code_only(void)
{
	struct seat_classifier c;
	struct seat_classifier_params p = {
		.mode = SEAT_MODE_SWITCH, .key_type = EV_KEY, .key_code = KEY_F13,
	};
	enum posture got;

	seat_classifier_init(&c, &p);
	seat_classifier_feed(&c, EV_KEY, KEY_A, 1, &got);
	seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got);
	g_assert_cmpint(got, ==, POSTURE_UNKNOWN);
	seat_classifier_feed(&c, EV_KEY, KEY_F13, 1, &got);
	seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got);
	g_assert_cmpint(got, ==, POSTURE_SITTING);
}

static void
test_seat_axis_hysteresis_30_20(void)
{
	struct seat_classifier c;
	struct seat_classifier_params p = {
		.mode = SEAT_MODE_AXIS, .axis = ABS_PRESSURE, .axis_min = 0, .axis_max = 1000,
		.occupied = 0.30, .vacant = 0.20,
	};
	/* table-driven, one assertion per row */
	static const struct {
		int raw;
		enum posture posture;
	} steps[] = {
		{ 250, POSTURE_UNKNOWN }, /* in the band before anything decisive */
		{ 10, POSTURE_AWAY },    { 299, POSTURE_AWAY },    { 300, POSTURE_SITTING },
		{ 250, POSTURE_SITTING }, /* leaning forward: in the band, still sitting */
		{ 201, POSTURE_SITTING }, { 200, POSTURE_AWAY },   { 250, POSTURE_AWAY },
		{ 600, POSTURE_SITTING }, { 90, POSTURE_AWAY },
	};

	seat_classifier_init(&c, &p);
	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
		enum posture got;

		seat_classifier_feed(&c, EV_ABS, ABS_PRESSURE, steps[i].raw, &got);
		g_assert_true(seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got));
		g_assert_cmpint(got, ==, steps[i].posture);
	}
}

static void
test_seat_axis_with_offset_range(void)
{
	struct seat_classifier c;
	struct seat_classifier_params p = {
		.mode = SEAT_MODE_AXIS, .axis = ABS_PRESSURE, .axis_min = -100, .axis_max = 100,
		.occupied = 0.30, .vacant = 0.20,
	};
	enum posture got;

	/* range 200: occupied at >= -40, vacant at <= -60 */
	seat_classifier_init(&c, &p);
	seat_classifier_feed(&c, EV_ABS, ABS_PRESSURE, -40, &got);
	seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got);
	g_assert_cmpint(got, ==, POSTURE_SITTING);
	seat_classifier_feed(&c, EV_ABS, ABS_PRESSURE, -59, &got);
	seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got);
	g_assert_cmpint(got, ==, POSTURE_SITTING);
	seat_classifier_feed(&c, EV_ABS, ABS_PRESSURE, -60, &got);
	seat_classifier_feed(&c, EV_SYN, SYN_REPORT, 0, &got);
	g_assert_cmpint(got, ==, POSTURE_AWAY);
}

/* ---- min_segment ---- */

static void
test_min_segment_short_change_ignored(void)
{
	struct debounce d;
	enum posture p;
	usec_t since;

	debounce_init(&d, S(10));
	debounce_raw(&d, T0, POSTURE_SITTING);
	g_assert_true(debounce_confirm(&d, T0 + S(10), false, &p, &since));
	debounce_raw(&d, T0 + S(100), POSTURE_AWAY);
	debounce_raw(&d, T0 + S(109), POSTURE_SITTING); /* 9 s: a blip */
	g_assert_cmpuint(debounce_deadline(&d), ==, USEC_INFINITY);
	g_assert_false(debounce_confirm(&d, T0 + S(200), false, &p, &since));
	g_assert_cmpint(d.confirmed, ==, POSTURE_SITTING);
}

static void
test_min_segment_change_dated_back(void)
{
	struct debounce d;
	enum posture p;
	usec_t since;

	debounce_init(&d, S(10));
	debounce_raw(&d, T0, POSTURE_SITTING);
	g_assert_false(debounce_confirm(&d, T0 + S(10) - 1, false, &p, &since));
	/* exactly min_segment: confirmed */
	g_assert_true(debounce_confirm(&d, T0 + S(10), false, &p, &since));
	g_assert_cmpint(p, ==, POSTURE_SITTING);
	g_assert_cmpuint(since, ==, T0);
}

static void
test_min_segment_intermediate_absorbed_into_new_posture(void)
{
	struct debounce d;
	enum posture p;
	usec_t since;

	debounce_init(&d, S(10));
	debounce_set(&d, POSTURE_SITTING);
	debounce_raw(&d, T0, POSTURE_STANDING);
	debounce_raw(&d, T0 + S(5), POSTURE_WALKING);
	/* walking must last 10 s on its own */
	g_assert_cmpuint(debounce_deadline(&d), ==, T0 + S(15));
	g_assert_true(debounce_confirm(&d, T0 + S(15), false, &p, &since));
	g_assert_cmpint(p, ==, POSTURE_WALKING);
	g_assert_cmpuint(since, ==, T0); /* dated back to leaving sitting */
}

static void
test_min_segment_contact_bounce(void)
{
	struct harness h;

	harness_init(&h);
	/* a chair switch chattering for 30 ms at sit-down, and at stand-up */
	seat(&h, T0, true);
	seat(&h, T0 + 5000, false);
	seat(&h, T0 + 12000, true);
	seat(&h, T0 + 30000, false);
	seat(&h, T0 + 31000, true);
	seat(&h, T0 + MINUTES(20), false);
	seat(&h, T0 + MINUTES(20) + 8000, true);
	seat(&h, T0 + MINUTES(20) + 20000, false);
	finish(&h, T0 + MINUTES(25));

	g_assert_cmpuint(count(&h, TRACKER_SEGMENT), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_SEGMENT, 0)->time, ==, T0);
	g_assert_cmpint(nth(&h, TRACKER_SEGMENT, 0)->posture, ==, POSTURE_SITTING);
	/* a return to the confirmed posture drops the change: the stand dates from the last
	 * release of the chatter */
	g_assert_cmpuint(nth(&h, TRACKER_SEGMENT, 1)->time, ==, T0 + MINUTES(20) + 20000);
	g_assert_cmpint(nth(&h, TRACKER_SEGMENT, 1)->posture, ==, POSTURE_AWAY);
	harness_clear(&h);
}

/* ---- bouts ---- */

static void
test_bout_short_interruption_merged(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(10), false);
	seat(&h, T0 + MINUTES(10) + S(59), true); /* 59 s up: < break_min */
	seat(&h, T0 + MINUTES(20), false);
	finish(&h, T0 + MINUTES(30));

	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 1);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 1);
	/* the bout's length is its span, the interruption included */
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(20));
	g_assert_true(nth(&h, TRACKER_BOUT_END, 0)->by_break);
	g_assert_cmpuint(count(&h, TRACKER_SEGMENT), ==, 4);
	harness_clear(&h);
}

static void
test_bout_break_of_break_min_splits(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(10), false);
	seat(&h, T0 + MINUTES(11), true); /* exactly 60 s up: a break */
	finish(&h, T0 + MINUTES(20));

	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(10));
	g_assert_true(nth(&h, TRACKER_BOUT_END, 0)->by_break);
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_BEGIN, 1)->time, ==, T0 + MINUTES(11));
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 1)->time, ==, T0 + MINUTES(20));
	g_assert_false(nth(&h, TRACKER_BOUT_END, 1)->by_break);
	harness_clear(&h);
}

static void
test_bout_end_dated_back_and_decided_late(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(10), false);
	/* decided only once the timeline is final up to gap_start + break_min */
	advance(&h, T0 + MINUTES(10) + S(69));
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 0);
	advance(&h, T0 + MINUTES(10) + S(70));
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(10));
	harness_clear(&h);
}

static void
test_bout_sit_down_just_before_break_min_continues(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(10), false);
	seat(&h, T0 + MINUTES(10) + S(59), true); /* confirmed at +69 s, dated back to +59 s */
	advance(&h, T0 + MINUTES(12));
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 1);
	harness_clear(&h);
}

static void
test_bout_no_deadline_when_idle(void)
{
	struct harness h;

	/* a seat at rest with no bout open costs zero wake-ups */
	harness_init(&h);
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	seat(&h, T0, false);
	advance(&h, T0 + S(10));
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	seat(&h, T0 + S(100), true);
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + S(110));
	advance(&h, T0 + S(110));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + S(100) + MINUTES(30));
	harness_clear(&h);
}

/* ---- prompts ---- */

static void
test_prompt_schedule_remind_after_then_repeat_every(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(55));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 3);
	for (unsigned k = 0; k < 3; k++) {
		const struct tracker_event *p = nth(&h, TRACKER_PROMPT, k);

		g_assert_cmpuint(p->time, ==, T0 + MINUTES(30) + k * MINUTES(10));
		g_assert_cmpuint(p->seq, ==, k);
		g_assert_cmpint(p->reason, ==, PROMPT_DUE);
		g_assert_cmpuint(p->bout_start, ==, T0);
	}
	harness_clear(&h);
}

static void
test_prompt_during_short_interruption_issued_on_return(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(29) + S(40), false); /* confirmed at 29:50 */
	advance(&h, T0 + MINUTES(30));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0); /* held */
	seat(&h, T0 + MINUTES(30) + S(20), true);               /* 40 s up: the bout goes on */
	advance(&h, T0 + MINUTES(30) + S(30));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 0)->time, ==, T0 + MINUTES(30) + S(30));
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 0)->reason, ==, PROMPT_RESUMED);
	/* the schedule does not drift */
	advance(&h, T0 + MINUTES(40));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 1)->time, ==, T0 + MINUTES(40));
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 1)->seq, ==, 1);
	harness_clear(&h);
}

static void
test_prompt_held_dropped_when_bout_ends(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(29) + S(40), false);
	advance(&h, T0 + MINUTES(45));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 1);
	harness_clear(&h);
}

static void
test_prompt_decided_on_confirmed_posture(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	/* got up 5 s before the due time: not confirmed at 30:00, so the prompt goes out */
	seat(&h, T0 + MINUTES(30) - S(5), false);
	advance(&h, T0 + MINUTES(30));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 0)->time, ==, T0 + MINUTES(30));
	advance(&h, T0 + MINUTES(35));
	/* and the bout ends dated back, before the prompt */
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(30) - S(5));
	harness_clear(&h);
}

static void
test_prompt_confirmation_at_due_time_comes_first(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	/* the stand is confirmed at 30:00 exactly, the due time: the confirmation comes first */
	seat(&h, T0 + MINUTES(29) + S(50), false);
	finish(&h, T0 + MINUTES(40));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0);
	harness_clear(&h);
}

static void
test_prompt_snooze_moves_the_next_prompt(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(31));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	/* "Snooze 10 min" clicked at 31:00: the next prompt at 41:00, not 40:00 */
	core_snooze(h.core, T0 + MINUTES(31), MINUTES(10));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + MINUTES(41));
	advance(&h, T0 + MINUTES(55));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 3);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 1)->time, ==, T0 + MINUTES(41));
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 1)->reason, ==, PROMPT_SNOOZED);
	/* then the schedule again: bout ages 30 + k·10, never drifting */
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 2)->time, ==, T0 + MINUTES(50));
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 2)->seq, ==, 2);
	harness_clear(&h);

	/* without an open bout a snooze does nothing */
	harness_init(&h);
	core_snooze(h.core, T0, MINUTES(10));
	g_assert_cmpuint(core_next_deadline(h.core), ==, USEC_INFINITY);
	harness_clear(&h);
}

/* A snooze never brings a prompt forward (issue 19, item 6): the next prompt is
 * max(the one already due, click + length). */
static void
test_prompt_snooze_only_postpones(void)
{
	struct harness h;

	/* snooze 10 min at bout age 5 min: the first prompt stays at 30 min, on schedule */
	harness_init(&h);
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(5));
	core_snooze(h.core, T0 + MINUTES(5), MINUTES(10));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + MINUTES(30));
	advance(&h, T0 + MINUTES(29));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0);
	advance(&h, T0 + MINUTES(30));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 0)->time, ==, T0 + MINUTES(30));
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 0)->reason, ==, PROMPT_DUE);
	harness_clear(&h);

	/* snooze 1 s fires no prompt: before the first one, nor between two */
	harness_init(&h);
	seat(&h, T0, true);
	core_snooze(h.core, T0 + MINUTES(5), S(1));
	advance(&h, T0 + MINUTES(29) + S(59));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 0);
	advance(&h, T0 + MINUTES(35));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	core_snooze(h.core, T0 + MINUTES(35), S(1));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + MINUTES(40));
	advance(&h, T0 + MINUTES(39) + S(59));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	advance(&h, T0 + MINUTES(40));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 2);
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 1)->reason, ==, PROMPT_DUE);
	harness_clear(&h);

	/* a snooze that reaches past the first prompt postpones it; the schedule goes on after */
	harness_init(&h);
	seat(&h, T0, true);
	core_snooze(h.core, T0 + MINUTES(25), MINUTES(10));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + MINUTES(35));
	advance(&h, T0 + MINUTES(45));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 0)->time, ==, T0 + MINUTES(35));
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 0)->reason, ==, PROMPT_SNOOZED);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 1)->time, ==, T0 + MINUTES(40));
	/* a second, shorter snooze does not undo a longer one */
	core_snooze(h.core, T0 + MINUTES(45), MINUTES(10));
	core_snooze(h.core, T0 + MINUTES(46), MINUTES(1));
	g_assert_cmpuint(core_next_deadline(h.core), ==, T0 + MINUTES(55));
	harness_clear(&h);
}

static void
test_prompt_pause_suppresses_and_tracking_goes_on(void)
{
	struct harness h;

	harness_init(&h);
	core_pause(h.core, T0 + MINUTES(45));
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(55));
	/* due at 30 and 40 while paused: kept as suppressed; 50 issued, the first one seen */
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 3);
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 0)->reason, ==, PROMPT_SUPPRESSED);
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 1)->reason, ==, PROMPT_SUPPRESSED);
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 2)->reason, ==, PROMPT_DUE);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 2)->time, ==, T0 + MINUTES(50));
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 2)->seq, ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 1);
	/* resume: prompts again */
	core_pause(h.core, 0);
	advance(&h, T0 + MINUTES(60));
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 3)->reason, ==, PROMPT_DUE);
	harness_clear(&h);
}

static void
test_prompt_quiet_gate(void)
{
	struct harness h;
	usec_t start, next;

	harness_init(&h);
	/* off-hours until 42 min: a timed input, as the session feeds it at the boundary */
	core_set_quiet(h.core, T0, TRACKER_QUIET_OFF_HOURS, true);
	g_assert_false(core_bout(h.core, &start, &next));
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(1));
	g_assert_true(core_bout(h.core, &start, &next));
	g_assert_cmpuint(start, ==, T0);
	g_assert_cmpuint(next, ==, T0 + MINUTES(30));
	advance(&h, T0 + MINUTES(42) - 1);
	core_set_quiet(h.core, T0 + MINUTES(42), TRACKER_QUIET_OFF_HOURS, false);
	advance(&h, T0 + MINUTES(55));
	/* 30 and 40 quiet (kept, not counted), 50 shown */
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 3);
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 0)->reason, ==, PROMPT_SUPPRESSED);
	g_assert_cmpstr(nth(&h, TRACKER_PROMPT, 0)->quiet, ==, "off-hours");
	g_assert_cmpint(nth(&h, TRACKER_PROMPT, 2)->reason, ==, PROMPT_DUE);
	g_assert_null(nth(&h, TRACKER_PROMPT, 2)->quiet);
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 2)->seq, ==, 0);
	g_assert_true(core_bout(h.core, &start, &next));
	g_assert_cmpuint(next, ==, T0 + MINUTES(60));
	/* a pause comes first and names itself */
	core_pause(h.core, T0 + MINUTES(65));
	advance(&h, T0 + MINUTES(61));
	g_assert_cmpstr(nth(&h, TRACKER_PROMPT, 3)->quiet, ==, "paused");
	harness_clear(&h);
}

/* Desktop facts are timed inputs: a prompt due at the very moment a fact changes sees the new
 * state, earlier ones the old; several facts name the first in a fixed order; the core tells
 * what a prompt due now would meet without being asked to issue one. */
static void
test_prompt_quiet_timed_inputs(void)
{
	static const struct {
		usec_t at;
		enum tracker_quiet reason;
		bool on;
	} facts[] = {
		{ MINUTES(40), TRACKER_QUIET_LOCKED, true },      /* the 40 min prompt: locked */
		{ MINUTES(45), TRACKER_QUIET_DND, true },
		{ MINUTES(50), TRACKER_QUIET_LOCKED, false },     /* 50: do-not-disturb remains */
		{ MINUTES(55), TRACKER_QUIET_INHIBITED, true },
		{ MINUTES(59), TRACKER_QUIET_DND, false },        /* 60: idle-inhibited */
		{ MINUTES(61), TRACKER_QUIET_INHIBITED, false },  /* 70: shown */
	};
	static const char *const expected[] = { NULL, "locked", "do-not-disturb", "idle-inhibited",
						NULL };
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	for (size_t i = 0; i < G_N_ELEMENTS(facts); i++) {
		advance(&h, T0 + facts[i].at - 1);
		core_set_quiet(h.core, T0 + facts[i].at, facts[i].reason, facts[i].on);
	}
	g_assert_cmpstr(core_quiet_reason(h.core, T0 + MINUTES(62)), ==, NULL);
	core_set_quiet(h.core, T0 + MINUTES(62), TRACKER_QUIET_OFF_HOURS, true);
	core_set_quiet(h.core, T0 + MINUTES(62), TRACKER_QUIET_LOCKED, true);
	g_assert_cmpstr(core_quiet_reason(h.core, T0 + MINUTES(62)), ==, "off-hours");
	core_set_quiet(h.core, T0 + MINUTES(63), TRACKER_QUIET_OFF_HOURS, false);
	g_assert_cmpstr(core_quiet_reason(h.core, T0 + MINUTES(63)), ==, "locked");
	core_set_quiet(h.core, T0 + MINUTES(64), TRACKER_QUIET_LOCKED, false);
	advance(&h, T0 + MINUTES(71));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, G_N_ELEMENTS(expected));
	for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
		const struct tracker_event *p = nth(&h, TRACKER_PROMPT, (unsigned) i);

		g_assert_cmpuint(p->time, ==, T0 + MINUTES(30 + 10 * i));
		g_assert_cmpstr(p->quiet, ==, expected[i]);
		g_assert_cmpint(p->reason == PROMPT_SUPPRESSED, ==, expected[i] != NULL);
	}
	/* shown prompts number on: the 30 and 70 min ones are the 1st and 2nd seen */
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 4)->seq, ==, 1);
	harness_clear(&h);
}

/* README "Prompts": after escalate_after shown prompts without Done or Snooze, the next ones
 * escalate; an answer counts for its own bout only; a new bout starts calm. */
static void
test_prompt_escalation(void)
{
	struct harness h;
	struct core_params cp = {
		.min_segment = S(10),
		.tracker = {
			.break_min = S(60),
			.remind_after = MINUTES(30),
			.repeat_every = MINUTES(10),
			.escalate_after = 3,
		},
	};
	struct seat_classifier_params sp = { .mode = SEAT_MODE_SWITCH };
	usec_t bout2;

	h.core = core_new(&cp);
	h.dev = core_add_seat(h.core, &sp);
	h.events = g_array_new(FALSE, TRUE, sizeof(struct tracker_event));
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(60)); /* 30, 40, 50, 60 */
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 4);
	for (unsigned k = 0; k < 3; k++)
		g_assert_false(nth(&h, TRACKER_PROMPT, k)->escalated);
	g_assert_true(nth(&h, TRACKER_PROMPT, 3)->escalated);
	/* one Done: 4 shown, 1 answered: still 3 unanswered, escalated */
	core_prompt_answered(h.core, T0);
	advance(&h, T0 + MINUTES(70));
	g_assert_true(nth(&h, TRACKER_PROMPT, 4)->escalated);
	/* two more answers: 5 shown, 3 answered: calm again */
	core_prompt_answered(h.core, T0);
	core_prompt_answered(h.core, T0);
	/* an answer for another bout counts nothing */
	core_prompt_answered(h.core, T0 + MINUTES(1));
	advance(&h, T0 + MINUTES(80));
	g_assert_false(nth(&h, TRACKER_PROMPT, 5)->escalated);
	/* suppressed prompts are neither shown nor escalated */
	core_pause(h.core, T0 + MINUTES(200));
	advance(&h, T0 + MINUTES(120));
	for (unsigned k = 6; k < 10; k++) {
		g_assert_cmpint(nth(&h, TRACKER_PROMPT, k)->reason, ==, PROMPT_SUPPRESSED);
		g_assert_false(nth(&h, TRACKER_PROMPT, k)->escalated);
	}
	core_pause(h.core, 0);
	/* a break, a new bout: its first prompts are calm */
	seat(&h, T0 + MINUTES(121), false);
	bout2 = T0 + MINUTES(130);
	seat(&h, bout2, true);
	advance(&h, bout2 + MINUTES(30));
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 10)->time, ==, bout2 + MINUTES(30));
	g_assert_false(nth(&h, TRACKER_PROMPT, 10)->escalated);
	harness_clear(&h);
}

/* docs/semantics.md: a prompt is heeded when its bout ends by a break within heed_window of
 * it (an end a little before a prompt counts too); the end of the data heeds nothing. */
static void
test_prompt_heeded_rule(void)
{
	static const struct {
		usec_t prompt, end;
		bool heeded;
	} rows[] = {
		{ MINUTES(30), MINUTES(35), true },           /* exactly heed_window */
		{ MINUTES(30), MINUTES(35) + 1, false },      /* just after */
		{ MINUTES(30), MINUTES(30), true },           /* at once */
		{ MINUTES(30), MINUTES(29), true },           /* before it (dated back) */
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct tracker_params p = { .heed_window = MINUTES(5) };
		usec_t from = tracker_heeded_from(&p, T0 + rows[i].end);

		g_assert_cmpint(T0 + rows[i].prompt >= from, ==, rows[i].heeded);
	}
	/* near the origin the window cannot reach before 0 */
	g_assert_cmpuint(tracker_heeded_from(&(struct tracker_params) { .heed_window = MINUTES(5) },
					     MINUTES(1)), ==, 0);

	/* through the core: a break ends the bout: heeded_from set; the end of the data: none */
	for (int by_break = 0; by_break < 2; by_break++) {
		struct harness h;
		struct core_params cp = {
			.min_segment = S(10),
			.tracker = { .break_min = S(60), .remind_after = MINUTES(30),
				     .repeat_every = MINUTES(10), .heed_window = MINUTES(5) },
		};
		struct seat_classifier_params sp = { .mode = SEAT_MODE_SWITCH };
		const struct tracker_event *end;

		h.core = core_new(&cp);
		h.dev = core_add_seat(h.core, &sp);
		h.events = g_array_new(FALSE, TRUE, sizeof(struct tracker_event));
		seat(&h, T0, true);
		if (by_break)
			seat(&h, T0 + MINUTES(33), false);
		advance(&h, T0 + MINUTES(40));
		finish(&h, T0 + MINUTES(40));
		end = nth(&h, TRACKER_BOUT_END, 0);
		g_assert_cmpint(end->by_break, ==, by_break);
		if (by_break) {
			g_assert_cmpuint(end->time, ==, T0 + MINUTES(33));
			g_assert_cmpuint(end->heeded_from, ==, T0 + MINUTES(28));
		} else {
			g_assert_cmpuint(end->heeded_from, ==, USEC_INFINITY);
		}
		harness_clear(&h);
	}
}

/* A reload mid-bout: the bout and what was issued stay; the next prompt is the new schedule's
 * first due time after the reload; a change being debounced keeps its start. */
static void
test_core_set_params_keeps_the_bout(void)
{
	struct harness h;
	struct core_params cp = {
		.min_segment = S(10),
		.tracker = { .break_min = S(60), .remind_after = MINUTES(30),
			     .repeat_every = MINUTES(10) },
	};
	usec_t start, next;

	harness_init(&h);
	seat(&h, T0, true);
	advance(&h, T0 + MINUTES(45)); /* prompts at 30 and 40 */
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 2);
	cp.tracker.repeat_every = MINUTES(5);
	core_set_params(h.core, T0 + MINUTES(45), &cp);
	harness_drain(&h);
	g_assert_true(core_bout(h.core, &start, &next));
	g_assert_cmpuint(start, ==, T0);
	g_assert_cmpuint(next, ==, T0 + MINUTES(50)); /* 30 + 4 x 5 */
	advance(&h, T0 + MINUTES(56));
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 4); /* 50, 55 */
	g_assert_cmpuint(nth(&h, TRACKER_PROMPT, 3)->seq, ==, 3);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 1);
	/* stand up at 57; min_segment lengthened to 30 s while it is pending: confirmed at
	 * 57:30, still dated back to 57 */
	seat(&h, T0 + MINUTES(57), false);
	cp.min_segment = S(30);
	core_set_params(h.core, T0 + MINUTES(57) + S(5), &cp);
	advance(&h, T0 + MINUTES(57) + S(20));
	g_assert_cmpuint(count(&h, TRACKER_SEGMENT), ==, 1);
	advance(&h, T0 + MINUTES(57) + S(30));
	g_assert_cmpuint(count(&h, TRACKER_SEGMENT), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_SEGMENT, 1)->time, ==, T0 + MINUTES(57));
	harness_clear(&h);
}

/* A hostile input: a seat occupied across a year's gap. The core never queues more than
 * CORE_BATCH decisions (plus one step's) before the caller can write them. */
static void
test_core_bounded_advance(void)
{
	struct harness h;
	usec_t end = T0 + 366ULL * 24 * 3600 * USEC_PER_SEC;
	unsigned rounds = 0, prompts = 0;
	struct tracker_event ev;

	harness_init(&h);
	seat(&h, T0, true);
	for (;;) {
		bool more = core_advance(h.core, end);
		unsigned queued = 0;

		while (core_next_event(h.core, &ev)) {
			queued++;
			prompts += ev.type == TRACKER_PROMPT;
		}
		g_assert_cmpuint(queued, <=, CORE_BATCH + 4);
		rounds++;
		if (!more)
			break;
	}
	/* every 10 min after the first 30 */
	g_assert_cmpuint(prompts, ==, (366u * 24 * 60 - 30) / 10 + 1);
	g_assert_cmpuint(rounds, >, prompts / (CORE_BATCH + 4));
	harness_clear(&h);
}

/* ---- starts and ends ---- */

static void
test_end_pending_change_counts(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(10), false);
	finish(&h, T0 + MINUTES(10) + S(4)); /* only 4 s of the change seen: nothing contradicted it */
	g_assert_cmpuint(count(&h, TRACKER_SEGMENT), ==, 2);
	g_assert_cmpuint(nth(&h, TRACKER_SEGMENT, 1)->time, ==, T0 + MINUTES(10));
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(10));
	g_assert_false(nth(&h, TRACKER_BOUT_END, 0)->by_break);
	g_assert_cmpuint(nth(&h, TRACKER_FINISH, 0)->time, ==, T0 + MINUTES(10) + S(4));
	harness_clear(&h);
}

static void
test_end_open_bout_ends_at_last_sitting_moment(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(40), false);
	finish(&h, T0 + MINUTES(40) + S(30));
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(40));
	g_assert_false(nth(&h, TRACKER_BOUT_END, 0)->by_break);
	harness_clear(&h);

	/* a break that already lasted break_min ended the bout */
	harness_init(&h);
	seat(&h, T0, true);
	seat(&h, T0 + MINUTES(40), false);
	finish(&h, T0 + MINUTES(41) + S(5));
	g_assert_cmpuint(nth(&h, TRACKER_BOUT_END, 0)->time, ==, T0 + MINUTES(40));
	g_assert_true(nth(&h, TRACKER_BOUT_END, 0)->by_break);
	harness_clear(&h);
}

static void
test_start_posture_unknown_before_first_event(void)
{
	struct harness h;

	harness_init(&h);
	g_assert_cmpint(core_posture(h.core), ==, POSTURE_UNKNOWN);
	seat(&h, T0, false);
	advance(&h, T0 + S(9));
	g_assert_cmpint(core_posture(h.core), ==, POSTURE_UNKNOWN);
	advance(&h, T0 + S(10));
	g_assert_cmpint(core_posture(h.core), ==, POSTURE_AWAY);
	harness_clear(&h);
}

static void
test_unknown_device_gone_is_not_standing(void)
{
	struct harness h;

	harness_init(&h);
	seat(&h, T0, true);
	core_device_gone(h.core, h.dev, T0 + MINUTES(10));
	harness_drain(&h);
	/* a fact: no min_segment */
	g_assert_cmpint(core_posture(h.core), ==, POSTURE_UNKNOWN);
	g_assert_cmpuint(nth(&h, TRACKER_SEGMENT, 1)->time, ==, T0 + MINUTES(10));
	g_assert_cmpint(nth(&h, TRACKER_SEGMENT, 1)->source, ==, -1);
	/* back within break_min, still sitting: the bout continues */
	seat(&h, T0 + MINUTES(10) + S(30), true);
	advance(&h, T0 + MINUTES(31));
	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, 1);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, 0);
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, 1);
	harness_clear(&h);
}

/* ---- fusion ---- */

static void
imu_frame(struct core *core, int dev, usec_t t, double angle_deg)
{
	double r = angle_deg * M_PI / 180;

	core_feed(core, dev, t, EV_ABS, ABS_X, 0);
	core_feed(core, dev, t, EV_ABS, ABS_Y, (int32_t) (1000 * cos(r)));
	core_feed(core, dev, t, EV_ABS, ABS_Z, (int32_t) (1000 * sin(r)));
	core_feed(core, dev, t, EV_SYN, SYN_REPORT, 0);
}

static void
test_fusion_vacant_seat_overrides_worn_refines(void)
{
	struct core_params cp = {
		.min_segment = S(10),
		.tracker = { .break_min = S(60), .remind_after = MINUTES(30),
			     .repeat_every = MINUTES(10) },
	};
	struct seat_classifier_params sp = { .mode = SEAT_MODE_SWITCH };
	struct imu_classifier_params ip = {
		.units_per_g = { 1000, 1000, 1000 }, .have_axis = true, .axis = { 0, 1, 0 },
	};
	struct core *core = core_new(&cp);
	int seat = core_add_seat(core, &sp), imu = core_add_imu(core, &ip);
	static const struct {
		bool occupied;
		double thigh;     /* degrees from upright */
		enum posture fused;
	} steps[] = {
		{ true, 90, POSTURE_SITTING },   /* both agree */
		{ true, 0, POSTURE_STANDING },   /* a bag on the chair: the thigh says standing */
		{ false, 90, POSTURE_AWAY },     /* sitting somewhere else: not on this chair */
		{ false, 0, POSTURE_AWAY },
		{ true, 90, POSTURE_SITTING },
	};
	usec_t t = T0;

	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
		core_feed(core, seat, t, EV_KEY, BTN_0, steps[i].occupied);
		core_feed(core, seat, t, EV_SYN, SYN_REPORT, 0);
		/* 30 s of 10 Hz frames: both devices' changes confirmed */
		for (int k = 0; k < 300; k++)
			imu_frame(core, imu, t + (usec_t) k * 100000, steps[i].thigh);
		t += S(30);
		core_advance(core, t);
		g_assert_cmpint(core_posture(core), ==, steps[i].fused);
	}
	/* the worn sensor gone: the seat decides alone */
	core_device_gone(core, imu, t);
	g_assert_cmpint(core_posture(core), ==, POSTURE_SITTING);
	/* both gone: unknown */
	core_device_gone(core, seat, t + S(1));
	g_assert_cmpint(core_posture(core), ==, POSTURE_UNKNOWN);
	core_free(core);
}

/* ---- a simulated week ---- */

struct week_truth {
	unsigned bouts, prolonged, prompts;
};

/* A deterministic office week: each weekday, blocks of sitting separated by breaks, with
 * contact bounce at every transition and short interruptions inside blocks. The truth is
 * computed from the block plan, not from the core. */
static void
test_week_simulation(void)
{
	struct harness h;
	struct week_truth truth = {};
	GRand *rand = g_rand_new_with_seed(42);
	usec_t t = T0;

	harness_init(&h);
	for (int day = 0; day < 7; day++) {
		usec_t day_start = T0 + (usec_t) day * 24 * USEC_PER_HOUR;
		int blocks = day >= 5 ? 2 : 6;

		t = day_start + 8 * USEC_PER_HOUR;
		for (int b = 0; b < blocks; b++) {
			/* block length 5..95 min, built from 1..3 pieces joined by < 50 s stands */
			usec_t len = MINUTES(g_rand_int_range(rand, 5, 96));
			int pieces = g_rand_int_range(rand, 1, 4);
			usec_t start = t, end = t + len;
			usec_t age, issued = 0;

			for (int p = 0; p < pieces; p++) {
				usec_t ps = start + (len * (usec_t) p) / (usec_t) pieces;
				usec_t pe = start + (len * (usec_t) (p + 1)) / (usec_t) pieces;

				if (p > 0)
					ps += S(g_rand_int_range(rand, 11, 50));
				seat(&h, ps, true);
				seat(&h, ps + 7000, false); /* bounce */
				seat(&h, ps + 15000, true);
				seat(&h, pe, false);
			}
			/* Every due age up to the block's length gives exactly one prompt: at its time
			 * while sitting, or on sitting down again when it falls inside a stand (stands
			 * are < break_min). A due time equal to the end is issued: decisions due at an
			 * instant come before the input at that instant. */
			for (age = MINUTES(30); age <= len; age += MINUTES(10))
				issued++;
			truth.bouts++;
			truth.prolonged += len >= MINUTES(30);
			truth.prompts += (unsigned) issued;
			t = end + MINUTES(g_rand_int_range(rand, 2, 40));
		}
	}
	finish(&h, t);

	g_assert_cmpuint(count(&h, TRACKER_BOUT_BEGIN), ==, truth.bouts);
	g_assert_cmpuint(count(&h, TRACKER_BOUT_END), ==, truth.bouts);
	g_assert_cmpuint(count(&h, TRACKER_PROMPT), ==, truth.prompts);

	/* invariants over the whole week */
	{
		usec_t last_seg = 0, bout_start = 0, last_prompt = 0;
		unsigned prolonged = 0;
		bool open = false;

		for (guint i = 0; i < h.events->len; i++) {
			const struct tracker_event *ev = &g_array_index(h.events, struct tracker_event, i);

			switch (ev->type) {
			case TRACKER_SEGMENT:
				g_assert_cmpuint(ev->time, >=, last_seg);
				last_seg = ev->time;
				break;
			case TRACKER_BOUT_BEGIN:
				g_assert_false(open);
				open = true;
				bout_start = ev->time;
				break;
			case TRACKER_BOUT_END:
				g_assert_true(open);
				open = false;
				g_assert_cmpuint(ev->time, >, bout_start);
				prolonged += ev->time - bout_start >= MINUTES(30);
				break;
			case TRACKER_PROMPT:
				g_assert_true(open);
				g_assert_cmpuint(ev->time - bout_start, >=, MINUTES(30));
				g_assert_cmpuint(ev->time, >, last_prompt);
				last_prompt = ev->time;
				break;
			case TRACKER_PACE:
			case TRACKER_SUMMARY:
				g_assert_not_reached(); /* no day budget in this harness */
				break;
			case TRACKER_FINISH:
				break;
			}
		}
		g_assert_false(open);
		g_assert_cmpuint(prolonged, ==, truth.prolonged);
	}
	g_rand_free(rand);
	harness_clear(&h);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seat/switch/any-code-pressed-is-occupied",
			test_seat_switch_any_code_pressed_is_occupied);
	g_test_add_func("/seat/switch/configured-code-only", test_seat_switch_configured_code_only);
	g_test_add_func("/seat/axis/hysteresis-30-20", test_seat_axis_hysteresis_30_20);
	g_test_add_func("/seat/axis/offset-range", test_seat_axis_with_offset_range);
	g_test_add_func("/min-segment/short-change-ignored", test_min_segment_short_change_ignored);
	g_test_add_func("/min-segment/change-dated-back", test_min_segment_change_dated_back);
	g_test_add_func("/min-segment/intermediate-absorbed",
			test_min_segment_intermediate_absorbed_into_new_posture);
	g_test_add_func("/min-segment/contact-bounce", test_min_segment_contact_bounce);
	g_test_add_func("/bout/short-interruption-merged", test_bout_short_interruption_merged);
	g_test_add_func("/bout/break-of-break-min-splits", test_bout_break_of_break_min_splits);
	g_test_add_func("/bout/end-dated-back-decided-late",
			test_bout_end_dated_back_and_decided_late);
	g_test_add_func("/bout/sit-down-just-before-break-min-continues",
			test_bout_sit_down_just_before_break_min_continues);
	g_test_add_func("/bout/no-deadline-when-idle", test_bout_no_deadline_when_idle);
	g_test_add_func("/prompt/schedule", test_prompt_schedule_remind_after_then_repeat_every);
	g_test_add_func("/prompt/short-interruption-issued-on-return",
			test_prompt_during_short_interruption_issued_on_return);
	g_test_add_func("/prompt/held-dropped-when-bout-ends",
			test_prompt_held_dropped_when_bout_ends);
	g_test_add_func("/prompt/decided-on-confirmed-posture",
			test_prompt_decided_on_confirmed_posture);
	g_test_add_func("/prompt/confirmation-at-due-time-comes-first", test_prompt_confirmation_at_due_time_comes_first);
	g_test_add_func("/prompt/snooze-moves-the-next-prompt",
			test_prompt_snooze_moves_the_next_prompt);
	g_test_add_func("/prompt/snooze-only-postpones", test_prompt_snooze_only_postpones);
	g_test_add_func("/prompt/pause-suppresses-tracking-goes-on",
			test_prompt_pause_suppresses_and_tracking_goes_on);
	g_test_add_func("/end/pending-change-counts", test_end_pending_change_counts);
	g_test_add_func("/end/open-bout-ends-at-last-sitting-moment",
			test_end_open_bout_ends_at_last_sitting_moment);
	g_test_add_func("/start/posture-unknown-before-first-event",
			test_start_posture_unknown_before_first_event);
	g_test_add_func("/unknown/device-gone-is-not-standing",
			test_unknown_device_gone_is_not_standing);
	g_test_add_func("/fusion/vacant-seat-overrides-worn-refines",
			test_fusion_vacant_seat_overrides_worn_refines);
	g_test_add_func("/week/simulation", test_week_simulation);
	g_test_add_func("/prompt/quiet-gate", test_prompt_quiet_gate);
	g_test_add_func("/prompt/quiet-timed-inputs", test_prompt_quiet_timed_inputs);
	g_test_add_func("/prompt/escalation", test_prompt_escalation);
	g_test_add_func("/prompt/heeded-rule", test_prompt_heeded_rule);
	g_test_add_func("/core/bounded-advance", test_core_bounded_advance);
	g_test_add_func("/core/set-params-keeps-the-bout", test_core_set_params_keeps_the_bout);
	return g_test_run();
}
