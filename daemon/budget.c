/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <string.h>

#include "budget.h"

/* W * N can pass 2^64 µs² (a day is 8.6e10 µs) */
__extension__ typedef unsigned __int128 budget_u128;

static usec_t
max_u(usec_t a, usec_t b)
{
	return a > b ? a : b;
}

static usec_t
min_u(usec_t a, usec_t b)
{
	return a < b ? a : b;
}

/* Length of [a, b) ∩ [lo, hi). */
static usec_t
overlap(usec_t a, usec_t b, usec_t lo, usec_t hi)
{
	a = max_u(a, lo);
	b = min_u(b, hi);
	return b > a ? b - a : 0;
}

static bool
enabled(const struct budget *b)
{
	return b->have_day && b->params.sitting_per_day > 0;
}

static bool
have_work(const struct budget *b)
{
	return b->day.work_start != USEC_INFINITY && b->day.work_end != USEC_INFINITY &&
	       b->day.work_end > b->day.work_start;
}

static bool
is_upright(enum posture p)
{
	return p == POSTURE_STANDING || p == POSTURE_WALKING;
}

/* Sitting today up to t (>= since), with the current posture carried on. */
static usec_t
sitting_at(const struct budget *b, usec_t t)
{
	return b->sitting + (b->posture == POSTURE_SITTING && t > b->since ? t - b->since : 0);
}

static usec_t
sitting_work_at(const struct budget *b, usec_t t)
{
	usec_t s = b->sitting_work;

	if (b->posture == POSTURE_SITTING && have_work(b))
		s += overlap(b->since, t, b->day.work_start, b->day.work_end);
	return s;
}

static usec_t
upright_at(const struct budget *b, usec_t t)
{
	return b->upright + (is_upright(b->posture) && t > b->since ? t - b->since : 0);
}

/* Bring the counts to t (>= since). */
static void
account(struct budget *b, usec_t t)
{
	if (t <= b->since)
		return;
	b->sitting_work = sitting_work_at(b, t);
	b->sitting = sitting_at(b, t);
	b->upright = upright_at(b, t);
	b->since = t;
}

/*
 * The pace prompt (docs/semantics.md): with working hours [ws, we), W = we - ws, sitting
 * S(t) in [ws, t) and N(t) = (t - ws) - S(t) the time not sitting, P(t) = S(t)·W/(t - ws)
 * reaches the budget B when (t - ws)·(W - B) >= W·N. While sitting N stays as it is, so the
 * first such t is ws + ceil(W·N / (W - B)). Without working hours: the day's sitting reaches
 * 80 % of B, at since + (0.8·B - S(since)).
 */
static usec_t
pace_due(const struct budget *b, usec_t now)
{
	usec_t due, budget = b->params.sitting_per_day;

	if (!b->params.pace || b->pace_done || b->quiet || b->quiet_off_hours ||
	    b->posture != POSTURE_SITTING)
		return USEC_INFINITY;
	if (have_work(b)) {
		usec_t ws = b->day.work_start, we = b->day.work_end, w = we - ws;
		usec_t ref = max_u(b->since, ws), n;
		budget_u128 x;

		if (w <= budget || ref >= we)
			return USEC_INFINITY; /* P(t) <= W <= B: the pace can never exceed it */
		n = (ref - ws) - sitting_work_at(b, ref);
		x = ((budget_u128) w * n + (w - budget) - 1) / (w - budget);
		if (x >= we - ws)
			return USEC_INFINITY;
		due = ws + (usec_t) x;
		due = max_u(due, ws + BUDGET_PACE_MIN_ELAPSED);
		due = max_u(due, ref);
		if (due >= we)
			return USEC_INFINITY;
	} else {
		usec_t target = (usec_t) ((budget_u128) budget * BUDGET_PACE_SHARE_PERCENT / 100);
		usec_t s = sitting_at(b, b->since);

		due = s >= target ? b->since : b->since + (target - s);
	}
	due = max_u(due, max_u(now, b->paused_until));
	return due < b->day.end ? due : USEC_INFINITY;
}

/*
 * The summary: at the end of the working hours, or, with summary_after, once a break (not
 * sitting) has lasted BUDGET_SUMMARY_BREAK after that time; only on a day with sitting. The
 * off-hours fact does not hold it back (it is the end of the working hours); the others do.
 */
static usec_t
summary_due(const struct budget *b, usec_t now)
{
	usec_t due;

	if (!b->params.summary || b->summary_done || b->quiet)
		return USEC_INFINITY;
	if (b->posture != POSTURE_SITTING && b->sitting == 0)
		return USEC_INFINITY; /* a day without sitting has no prompts */
	if (b->day.summary_after != USEC_INFINITY) {
		if (b->posture == POSTURE_SITTING)
			return USEC_INFINITY;
		due = max_u(b->not_sitting_from, b->day.summary_after) + BUDGET_SUMMARY_BREAK;
	} else if (have_work(b)) {
		due = b->day.work_end;
		/* the working hours' summary needs sitting in them */
		if (sitting_work_at(b, max_u(b->since, due)) == 0)
			return USEC_INFINITY;
	} else {
		return USEC_INFINITY;
	}
	due = max_u(due, max_u(now, b->paused_until));
	return due < b->day.end ? due : USEC_INFINITY;
}

static void
update(struct budget *b, usec_t now)
{
	usec_t p, s;

	if (!enabled(b)) {
		b->deadline = USEC_INFINITY;
		return;
	}
	p = pace_due(b, now);
	s = summary_due(b, now);
	b->deadline = min_u(p, s);
}

void
budget_init(struct budget *b, const struct budget_params *p)
{
	*b = (struct budget) {
		.params = *p,
		.posture = POSTURE_UNKNOWN,
		.deadline = USEC_INFINITY,
	};
}

void
budget_set_params(struct budget *b, const struct budget_params *p)
{
	b->params = *p;
	update(b, b->since);
}

void
budget_set_day(struct budget *b, const struct budget_day *day)
{
	assert(day->start < day->end);
	if (b->have_day && day->id == b->day.id) {
		/* the same day again (a reload: other working hours): its counts stay, the
		 * sitting counted in the old hours too */
		account(b, max_u(b->since, day->start));
		b->day = *day;
		update(b, b->since);
		return;
	}
	b->day = *day;
	b->have_day = true;
	b->since = day->start;
	b->sitting = b->sitting_work = b->upright = 0;
	if (b->not_sitting_from < day->start)
		b->not_sitting_from = day->start;
	b->pace_done = b->summary_done = false;
	b->longest_bout = 0;
	b->bouts = b->prolonged_bouts = 0;
	b->prompts = b->prompts_heeded = 0;
	update(b, day->start);
}

void
budget_seed(struct budget *b, const struct budget_seed *seed)
{
	b->sitting += seed->sitting;
	b->sitting_work += seed->sitting_work;
	b->upright += seed->upright;
	b->longest_bout = max_u(b->longest_bout, seed->longest_bout);
	b->bouts += seed->bouts;
	b->prolonged_bouts += seed->prolonged_bouts;
	b->prompts += seed->prompts;
	b->prompts_heeded += seed->prompts_heeded;
	b->pace_done |= seed->pace_done;
	b->summary_done |= seed->summary_done;
	if (seed->not_sitting_from > b->not_sitting_from && b->posture != POSTURE_SITTING)
		b->not_sitting_from = seed->not_sitting_from;
	update(b, b->since);
}

void
budget_set_history(struct budget *b, usec_t avg_sitting_7d)
{
	b->avg_sitting_7d = avg_sitting_7d;
	b->have_history = true;
}

void
budget_posture(struct budget *b, usec_t since, usec_t now, enum posture p)
{
	since = max_u(since, b->since);
	account(b, since);
	if (p != POSTURE_SITTING && b->posture == POSTURE_SITTING)
		b->not_sitting_from = since;
	b->posture = p;
	update(b, max_u(now, since));
}

void
budget_bout_begin(struct budget *b, usec_t start)
{
	b->bout_open = true;
	b->bout_start = start;
	b->n_prompt_times = 0;
	b->bout_sitting_before = b->have_day ? sitting_at(b, max_u(start, b->since)) : 0;
	if (b->have_day && start >= b->day.start)
		b->bouts++;
}

static bool
bout_today(const struct budget *b)
{
	return b->bout_open && b->have_day && b->bout_start >= b->day.start;
}

void
budget_bout_end(struct budget *b, usec_t end, usec_t heeded_from)
{
	if (bout_today(b)) {
		usec_t len = end - b->bout_start;

		b->longest_bout = max_u(b->longest_bout, len);
		if (len >= b->params.prolonged)
			b->prolonged_bouts++;
	}
	if (b->have_day && heeded_from != USEC_INFINITY)
		for (unsigned i = 0; i < b->n_prompt_times && i < BUDGET_PROMPTS_KEPT; i++)
			if (b->prompt_times[i] >= heeded_from && b->prompt_times[i] >= b->day.start)
				b->prompts_heeded++;
	b->bout_open = false;
	b->n_prompt_times = 0;
}

void
budget_bout_prompt(struct budget *b, usec_t t)
{
	if (b->have_day && t >= b->day.start)
		b->prompts++;
	b->prompt_times[b->n_prompt_times % BUDGET_PROMPTS_KEPT] = t;
	b->n_prompt_times++;
}

void
budget_set_quiet(struct budget *b, usec_t now, bool quiet, bool off_hours)
{
	b->quiet = quiet;
	b->quiet_off_hours = off_hours;
	update(b, max_u(now, b->since));
}

void
budget_set_pause(struct budget *b, usec_t now, usec_t until)
{
	b->paused_until = until;
	update(b, max_u(now, b->since));
}

/*
 * Adaptive (docs/semantics.md): with S the day's sitting before the bout began,
 * r = max(min(remind_after_min, remind_after), remind_after · (B - min(S, B)) / B).
 */
usec_t
budget_remind_after(const struct budget *b, usec_t ra)
{
	usec_t budget = b->params.sitting_per_day, s, r, floor_r;

	if (!b->params.adaptive || !enabled(b))
		return ra;
	s = min_u(b->bout_sitting_before, budget);
	r = (usec_t) ((budget_u128) ra * (budget - s) / budget);
	floor_r = min_u(b->params.remind_after_min, ra);
	return max_u(r, floor_r);
}

usec_t
budget_deadline(const struct budget *b)
{
	return b->deadline;
}

void
budget_figures(const struct budget *b, usec_t now, struct budget_figures *ret)
{
	usec_t t = max_u(now, b->since);

	*ret = (struct budget_figures) {
		.at = t,
		.budget = b->params.sitting_per_day,
		.upright_target = b->params.upright_per_day,
		.work_end = USEC_INFINITY,
		.avg_sitting_7d = b->avg_sitting_7d,
		.have_history = b->have_history,
	};
	if (!b->have_day)
		return;
	ret->sitting = sitting_at(b, t);
	ret->upright = upright_at(b, t);
	ret->longest_bout = b->longest_bout;
	ret->bouts = b->bouts;
	ret->prolonged_bouts = b->prolonged_bouts;
	ret->prompts = b->prompts;
	ret->prompts_heeded = b->prompts_heeded;
	if (bout_today(b)) {
		usec_t len = t - b->bout_start;

		ret->longest_bout = max_u(ret->longest_bout, len);
		if (len >= b->params.prolonged)
			ret->prolonged_bouts++;
	}
	if (have_work(b)) {
		ret->work_end = b->day.work_end;
		if (t > b->day.work_start) {
			usec_t x = min_u(t, b->day.work_end) - b->day.work_start;

			ret->projected = (usec_t) ((budget_u128) sitting_work_at(b, t) *
						   (b->day.work_end - b->day.work_start) / x);
		}
	}
}

enum budget_decision
budget_advance(struct budget *b, usec_t now, struct budget_figures *ret)
{
	usec_t p, s, t = b->deadline;
	enum budget_decision d;

	if (t == USEC_INFINITY || t > now)
		return BUDGET_NONE;
	p = pace_due(b, t);
	s = summary_due(b, t);
	if (min_u(p, s) > t) {
		/* nothing due after all (a stale deadline): look again */
		update(b, t);
		return BUDGET_NONE;
	}
	if (p <= s) {
		b->pace_done = true;
		d = BUDGET_PACE;
	} else {
		b->summary_done = true;
		d = BUDGET_SUMMARY;
	}
	budget_figures(b, t, ret);
	update(b, t);
	return d;
}
