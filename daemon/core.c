/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "debounce.h"

struct core_device {
	enum core_role role;
	union {
		struct seat_classifier seat;
		struct imu_classifier imu;
	};
	struct debounce debounce;
};

struct core {
	struct core_params params;
	struct tracker tracker;
	struct budget budget;
	usec_t now;             /* the latest time given to the core */
	usec_t last_bout_start; /* USEC_INFINITY: no bout yet */
	struct core_device devices[SITLOG_MAX_DEVICES];
	int n_devices;
	enum posture fused;
	usec_t fused_since;
	bool finished;
	/* the earliest pending decision, kept so that most events cost no timer scan */
	usec_t next_deadline;

	/* FIFO of decisions for the caller */
	struct tracker_event *events;
	size_t n_events, head, cap;
};

static void
queue_event(const struct tracker_event *ev, void *userdata)
{
	struct core *c = userdata;

	/* the day follows the tracker's bouts: their lengths, their prompts and, adaptive, the
	 * first prompt age of a bout that begins (before anything of it can fall due) */
	switch (ev->type) {
	case TRACKER_BOUT_BEGIN:
		c->last_bout_start = ev->time;
		budget_bout_begin(&c->budget, ev->time);
		tracker_set_bout_remind(&c->tracker,
					budget_remind_after(&c->budget, c->params.tracker.remind_after),
					0);
		break;
	case TRACKER_BOUT_END:
		budget_bout_end(&c->budget, ev->time, ev->heeded_from);
		break;
	case TRACKER_PROMPT:
		if (ev->reason != PROMPT_SUPPRESSED)
			budget_bout_prompt(&c->budget, ev->time);
		break;
	default:
		break;
	}

	if (c->head > 0 && c->head == c->n_events) {
		c->head = 0;
		c->n_events = 0;
	}
	if (c->n_events == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct tracker_event *e = realloc(c->events, cap * sizeof(*e));

		/* Bounded by CORE_BATCH plus one call's decisions: a few kB. */
		if (!e)
			abort();
		c->events = e;
		c->cap = cap;
	}
	c->events[c->n_events++] = *ev;
}

struct core *
core_new(const struct core_params *p)
{
	struct core *c = calloc(1, sizeof(*c));
	struct tracker_params tp;

	if (!c)
		return NULL;
	c->params = *p;
	tp = p->tracker;
	tp.min_segment = p->min_segment;
	tracker_init(&c->tracker, &tp, queue_event, c);
	budget_init(&c->budget, &p->budget);
	c->last_bout_start = USEC_INFINITY;
	c->fused = POSTURE_UNKNOWN;
	c->next_deadline = USEC_INFINITY;
	return c;
}

void
core_free(struct core *c)
{
	if (!c)
		return;
	free(c->events);
	free(c);
}

static struct core_device *
add_device(struct core *c, enum core_role role)
{
	struct core_device *d;

	if (c->n_devices == SITLOG_MAX_DEVICES)
		return NULL;
	d = &c->devices[c->n_devices++];
	d->role = role;
	debounce_init(&d->debounce, c->params.min_segment);
	return d;
}

int
core_add_seat(struct core *c, const struct seat_classifier_params *p)
{
	struct core_device *d = add_device(c, CORE_ROLE_SEAT);

	if (!d)
		return -E2BIG;
	seat_classifier_init(&d->seat, p);
	return c->n_devices - 1;
}

int
core_add_imu(struct core *c, const struct imu_classifier_params *p)
{
	struct core_device *d = add_device(c, CORE_ROLE_IMU);

	if (!d)
		return -E2BIG;
	imu_classifier_init(&d->imu, p);
	return c->n_devices - 1;
}

void
core_set_imu_axis(struct core *c, int dev, const double axis[3])
{
	assert(dev >= 0 && dev < c->n_devices);
	if (c->devices[dev].role == CORE_ROLE_IMU)
		imu_classifier_set_axis(&c->devices[dev].imu, axis);
}

bool
core_take_learned_axis(struct core *c, int dev, double ret_axis[3])
{
	assert(dev >= 0 && dev < c->n_devices);
	if (c->devices[dev].role != CORE_ROLE_IMU)
		return false;
	return imu_classifier_take_axis(&c->devices[dev].imu, ret_axis);
}

/*
 * Fusion of the devices' confirmed postures: a vacant seat overrides (the person is not on
 * the chair); otherwise a worn sensor refines (it tells standing or walking from sitting);
 * otherwise the seat decides. Two seats: occupied if either is.
 */
static enum posture
fuse(const struct core *c)
{
	enum posture seat = POSTURE_UNKNOWN, worn = POSTURE_UNKNOWN;

	for (int i = 0; i < c->n_devices; i++) {
		enum posture p = c->devices[i].debounce.confirmed;

		if (p == POSTURE_UNKNOWN)
			continue;
		if (c->devices[i].role == CORE_ROLE_SEAT) {
			if (seat != POSTURE_SITTING)
				seat = p;
		} else if (worn == POSTURE_UNKNOWN || p == POSTURE_SITTING) {
			worn = p;
		}
	}
	if (seat == POSTURE_AWAY)
		return POSTURE_AWAY;
	if (worn != POSTURE_UNKNOWN)
		return worn;
	return seat;
}

static void
fuse_update(struct core *c, int dev, usec_t since, usec_t now)
{
	enum posture p = fuse(c);

	if (p == c->fused)
		return;
	/* Devices confirm with their own delays: keep the fused timeline in order. */
	if (since < c->fused_since)
		since = c->fused_since;
	c->fused = p;
	c->fused_since = since;
	/* first: a bout that begins now sees the day's sitting before it */
	budget_posture(&c->budget, since, now, p);
	tracker_posture(&c->tracker, since, now, p, p == POSTURE_UNKNOWN ? -1 : dev);
}

static usec_t
next_debounce(const struct core *c, int *ret_dev)
{
	usec_t best = USEC_INFINITY;

	*ret_dev = -1;
	for (int i = 0; i < c->n_devices; i++) {
		usec_t d = debounce_deadline(&c->devices[i].debounce);

		if (d < best) {
			best = d;
			*ret_dev = i;
		}
	}
	return best;
}

static usec_t
compute_deadline(const struct core *c)
{
	int dev;
	usec_t a = next_debounce(c, &dev), b = tracker_deadline(&c->tracker);
	usec_t d = budget_deadline(&c->budget);

	if (b < a)
		a = b;
	return d < a ? d : a;
}

usec_t
core_next_deadline(const struct core *c)
{
	return c->next_deadline;
}

/* The pace prompt or the summary falls due at t. */
static void
day_decision(struct core *c, usec_t t)
{
	struct tracker_event ev = { .time = t, .source = -1 };
	enum budget_decision d = budget_advance(&c->budget, t, &ev.figures);

	if (d == BUDGET_NONE)
		return;
	ev.type = d == BUDGET_PACE ? TRACKER_PACE : TRACKER_SUMMARY;
	ev.bout_start = c->tracker.bout_open ? c->tracker.bout_start : c->last_bout_start;
	queue_event(&ev, c);
}

/* Take due decisions in time order; stop after `limit` queued ones. Returns true when some
 * are still due. */
static bool
advance(struct core *c, usec_t now, size_t limit)
{
	if (now > c->now)
		c->now = now;
	if (now < c->next_deadline)
		return false;
	for (;;) {
		int dev;
		usec_t d = next_debounce(c, &dev);
		usec_t t = tracker_deadline(&c->tracker);
		usec_t b = budget_deadline(&c->budget);

		if ((d <= now || t <= now || b <= now) && c->n_events - c->head >= limit) {
			c->next_deadline = compute_deadline(c);
			return true;
		}
		/* at one instant: debounce confirmations, then the tracker, then the day */
		if (d <= now && d <= t && d <= b) {
			enum posture p;
			usec_t since;
			bool done = debounce_confirm(&c->devices[dev].debounce, d, false, &p, &since);

			assert(done);
			(void) done;
			fuse_update(c, dev, since, d);
		} else if (t <= now && t <= b) {
			tracker_advance(&c->tracker, t);
		} else if (b <= now) {
			day_decision(c, b);
		} else {
			break;
		}
	}
	c->next_deadline = compute_deadline(c);
	return false;
}

bool
core_advance(struct core *c, usec_t now)
{
	return advance(c, now, CORE_BATCH);
}

/* Inputs take what is due before them whatever the queue holds; callers that meet long gaps
 * advance first (core.h). */
static inline void
advance_all(struct core *c, usec_t now)
{
	if (now > c->now)
		c->now = now;
	if (now >= c->next_deadline) /* most inputs: nothing due, no call */
		advance(c, now, SIZE_MAX);
}

/* When the raw posture began: an IMU's vote dates a change back (at most its window), but never
 * so far that the debounce's deadline would already be past (min_segment after it). */
static usec_t
raw_since(const struct core_device *d, usec_t t)
{
	usec_t since, floor;

	if (d->role != CORE_ROLE_IMU)
		return t;
	since = imu_classifier_since(&d->imu);
	floor = d->debounce.min_segment > 0 && t >= d->debounce.min_segment ?
			t - d->debounce.min_segment + 1 :
			t;
	return since < floor ? floor : since > t ? t : since;
}

void
core_feed(struct core *c, int dev, usec_t t, uint16_t type, uint16_t code, int32_t value)
{
	struct core_device *d;
	enum posture raw;

	assert(dev >= 0 && dev < c->n_devices);
	advance_all(c, t);
	d = &c->devices[dev];
	if (d->role == CORE_ROLE_SEAT) {
		if (!seat_classifier_feed(&d->seat, type, code, value, &raw))
			return;
	} else if (!imu_classifier_feed(&d->imu, t, type, code, value, &raw)) {
		return;
	}
	if (raw == d->debounce.confirmed && !d->debounce.pending)
		return; /* the common case: nothing changes */
	debounce_raw(&d->debounce, raw_since(d, t), raw);
	c->next_deadline = compute_deadline(c);
}

void
core_device_gone(struct core *c, int dev, usec_t t)
{
	assert(dev >= 0 && dev < c->n_devices);
	advance_all(c, t);
	debounce_set(&c->devices[dev].debounce, POSTURE_UNKNOWN);
	fuse_update(c, dev, t, t);
	c->next_deadline = compute_deadline(c);
}

void
core_finish(struct core *c, usec_t end)
{
	if (c->finished)
		return;
	advance_all(c, end);
	/* Nothing is issued by the end itself: a held prompt is dropped. */
	c->tracker.held = false;
	for (int i = 0; i < c->n_devices; i++) {
		enum posture p;
		usec_t since;

		/* a change that began at the end itself has no time: it records nothing (a
		 * recording ending in a sit-down makes no bout of 0 s) */
		if (debounce_confirm(&c->devices[i].debounce, end, true, &p, &since) && since < end)
			fuse_update(c, i, since, end);
	}
	tracker_finish(&c->tracker, end);
	c->finished = true;
	c->next_deadline = USEC_INFINITY;
}

void
core_set_params(struct core *c, usec_t now, const struct core_params *p)
{
	struct tracker_params tp = p->tracker;

	advance_all(c, now);
	c->params = *p;
	tp.min_segment = p->min_segment;
	tracker_set_params(&c->tracker, now, &tp);
	budget_set_params(&c->budget, &p->budget);
	/* the open bout keeps the first prompt age the day gave it when it began */
	tracker_set_bout_remind(&c->tracker,
				budget_remind_after(&c->budget, c->params.tracker.remind_after), now);
	for (int i = 0; i < c->n_devices; i++)
		c->devices[i].debounce.min_segment = p->min_segment;
	c->next_deadline = compute_deadline(c);
	/* a shorter min_segment or remind_after may make something due at once */
	advance_all(c, now);
}

void
core_snooze(struct core *c, usec_t now, usec_t length)
{
	advance_all(c, now);
	tracker_snooze(&c->tracker, now, length);
	c->next_deadline = compute_deadline(c);
}

void
core_pause(struct core *c, usec_t until)
{
	tracker_pause(&c->tracker, until);
	budget_set_pause(&c->budget, c->now, until);
	c->next_deadline = compute_deadline(c);
}

static void
day_quiet(struct core *c, usec_t t)
{
	unsigned q = c->tracker.quiet;

	budget_set_quiet(&c->budget, t, (q & ~(unsigned) TRACKER_QUIET_OFF_HOURS) != 0,
			 (q & TRACKER_QUIET_OFF_HOURS) != 0);
}

void
core_set_quiet(struct core *c, usec_t t, enum tracker_quiet reason, bool on)
{
	/* what falls due before t sees the old state, a prompt due at t the new one */
	if (t > 0)
		advance_all(c, t - 1);
	tracker_set_quiet(&c->tracker, reason, on);
	if (t > c->now)
		c->now = t;
	day_quiet(c, t);
	c->next_deadline = compute_deadline(c);
}

void
core_set_day(struct core *c, const struct budget_day *day)
{
	if (day->start > 0)
		advance_all(c, day->start - 1);
	if (day->start > c->now)
		c->now = day->start;
	budget_set_day(&c->budget, day);
	c->next_deadline = compute_deadline(c);
}

void
core_seed_day(struct core *c, const struct budget_seed *seed)
{
	budget_seed(&c->budget, seed);
	c->next_deadline = compute_deadline(c);
}

void
core_set_history(struct core *c, usec_t avg_sitting_7d)
{
	budget_set_history(&c->budget, avg_sitting_7d);
}

void
core_day_figures(const struct core *c, usec_t now, struct budget_figures *ret)
{
	budget_figures(&c->budget, now, ret);
}

const char *
core_quiet_reason(const struct core *c, usec_t now)
{
	return tracker_quiet_reason(&c->tracker, now);
}

void
core_prompt_answered(struct core *c, usec_t bout_start)
{
	tracker_answered(&c->tracker, bout_start);
}

bool
core_bout(const struct core *c, usec_t *ret_start, usec_t *ret_next_prompt)
{
	const struct tracker *t = &c->tracker;

	if (!t->bout_open)
		return false;
	*ret_start = t->bout_start;
	*ret_next_prompt = tracker_next_prompt(t);
	return true;
}

bool
core_has_events(const struct core *c)
{
	return c->head < c->n_events;
}

bool
core_next_event(struct core *c, struct tracker_event *ret_ev)
{
	if (c->head == c->n_events)
		return false;
	*ret_ev = c->events[c->head++];
	return true;
}

enum posture
core_posture(const struct core *c)
{
	return c->fused;
}

usec_t
core_posture_since(const struct core *c)
{
	return c->fused_since;
}
