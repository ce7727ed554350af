/* SPDX-License-Identifier: MIT */
#include <assert.h>

#include "tracker.h"

void
tracker_init(struct tracker *t, const struct tracker_params *p, tracker_emit_fn emit,
	     void *userdata)
{
	assert(p->repeat_every > 0);
	*t = (struct tracker) {
		.params = *p,
		.emit = emit,
		.userdata = userdata,
		.posture = POSTURE_UNKNOWN,
		.snoozed_to = USEC_INFINITY,
	};
}

usec_t
tracker_prompt_due_age(const struct tracker_params *p, unsigned k)
{
	return p->remind_after + (usec_t) k * p->repeat_every;
}

/* The open bout's schedule: its own first prompt age, then every repeat_every. */
static usec_t
due_age(const struct tracker *t, unsigned k)
{
	return t->bout_remind + (usec_t) k * t->params.repeat_every;
}

void
tracker_set_bout_remind(struct tracker *t, usec_t remind, usec_t after)
{
	if (!t->bout_open)
		return;
	t->bout_remind = remind;
	t->next_seq = 0;
	while (t->bout_start + due_age(t, t->next_seq) <= after)
		t->next_seq++;
}

static void
emit(struct tracker *t, struct tracker_event ev)
{
	t->emit(&ev, t->userdata);
}

usec_t
tracker_heeded_from(const struct tracker_params *p, usec_t end)
{
	return end > p->heed_window ? end - p->heed_window : 0;
}

static void
bout_end(struct tracker *t, usec_t end, bool by_break)
{
	emit(t, (struct tracker_event) {
		.type = TRACKER_BOUT_END,
		.time = end,
		.bout_start = t->bout_start,
		.by_break = by_break,
		.heeded_from = by_break ? tracker_heeded_from(&t->params, end) : USEC_INFINITY,
		.source = -1,
	});
	t->bout_open = false;
	t->in_gap = false;
	t->held = false;
	t->snoozed_to = USEC_INFINITY;
}

static void
bout_begin(struct tracker *t, usec_t start)
{
	t->bout_open = true;
	t->bout_start = start;
	t->in_gap = false;
	t->held = false;
	t->snoozed_to = USEC_INFINITY;
	t->next_seq = 0;
	t->bout_remind = t->params.remind_after;
	t->issued = 0;
	t->answered = 0;
	emit(t, (struct tracker_event) {
		.type = TRACKER_BOUT_BEGIN,
		.time = start,
		.source = -1,
	});
}

static const char *const quiet_names[] = {
	"off-hours", "locked", "idle-inhibited", "do-not-disturb",
};

const char *
tracker_quiet_reason(const struct tracker *t, usec_t now)
{
	if (now < t->paused_until)
		return "paused";
	for (unsigned i = 0; i < sizeof(quiet_names) / sizeof(quiet_names[0]); i++)
		if (t->quiet & (1u << i))
			return quiet_names[i];
	return NULL;
}

void
tracker_set_quiet(struct tracker *t, enum tracker_quiet reason, bool on)
{
	if (on)
		t->quiet |= (unsigned) reason;
	else
		t->quiet &= ~(unsigned) reason;
}

void
tracker_answered(struct tracker *t, usec_t bout_start)
{
	if (t->bout_open && t->bout_start == bout_start && t->answered < t->issued)
		t->answered++;
}

static void
prompt_issue(struct tracker *t, usec_t now, enum prompt_reason reason)
{
	const char *quiet = tracker_quiet_reason(t, now);
	unsigned escalate = t->params.escalate_after, seq = t->issued;
	bool escalated;

	if (quiet)
		reason = PROMPT_SUPPRESSED;
	/* decided before this prompt counts: after escalate_after shown, unanswered ones */
	escalated = reason != PROMPT_SUPPRESSED && escalate > 0 && t->issued - t->answered >= escalate;
	if (reason != PROMPT_SUPPRESSED)
		t->issued++;
	emit(t, (struct tracker_event) {
		.type = TRACKER_PROMPT,
		.time = now,
		.bout_start = t->bout_start,
		.seq = seq, /* numbers the prompts the user saw */
		.reason = reason,
		.quiet = quiet,
		.escalated = escalated,
		.source = -1,
	});
	t->snoozed_to = USEC_INFINITY;
	/* The schedule never drifts: the next prompt is the first due time after this one. */
	while (t->bout_start + due_age(t, t->next_seq) <= now)
		t->next_seq++;
}

void
tracker_posture(struct tracker *t, usec_t since, usec_t now, enum posture p, int source)
{
	assert(since <= now);

	if (p == t->posture)
		return;
	emit(t, (struct tracker_event) {
		.type = TRACKER_SEGMENT,
		.time = since,
		.posture = p,
		.source = source,
	});

	if (p == POSTURE_SITTING) {
		if (t->bout_open && t->in_gap && since - t->gap_start >= t->params.break_min)
			/* The break's end was confirmed at the very moment it reached break_min. */
			bout_end(t, t->gap_start, true);
		if (!t->bout_open) {
			bout_begin(t, since);
		} else if (t->in_gap) {
			t->in_gap = false;
			if (t->held) {
				t->held = false;
				prompt_issue(t, now, PROMPT_RESUMED);
			}
		}
	} else if (t->posture == POSTURE_SITTING && t->bout_open && !t->in_gap) {
		t->in_gap = true;
		t->gap_start = since;
	}
	t->posture = p;
}

static usec_t
bout_end_decision_time(const struct tracker *t)
{
	/* Only at gap_start + break_min + min_segment is the timeline final up to
	 * gap_start + break_min: a sit-down just before could still be confirmed and dated back. */
	return t->gap_start + t->params.break_min + t->params.min_segment;
}

static usec_t
prompt_due_time(const struct tracker *t)
{
	if (t->snoozed_to != USEC_INFINITY)
		return t->snoozed_to;
	return t->bout_start + due_age(t, t->next_seq);
}

void
tracker_set_params(struct tracker *t, usec_t now, const struct tracker_params *p)
{
	assert(p->repeat_every > 0);
	t->params = *p;
	if (!t->bout_open)
		return;
	/* what fell due by now was issued (or is held) under the old schedule; the core sets an
	 * adaptive first prompt age again after this */
	t->bout_remind = p->remind_after;
	t->next_seq = 0;
	while (t->bout_start + due_age(t, t->next_seq) <= now)
		t->next_seq++;
}

void
tracker_snooze(struct tracker *t, usec_t now, usec_t length)
{
	usec_t to = now + length;

	if (!t->bout_open)
		return;
	/* A snooze only postpones: a prompt already due later (the schedule's, or an earlier
	 * snooze's) stays where it is. A held prompt is due now, when the person sits down. */
	if (!t->held && to < prompt_due_time(t))
		return;
	t->snoozed_to = to;
	t->held = false;
}

usec_t
tracker_next_prompt(const struct tracker *t)
{
	return t->bout_open && !t->held ? prompt_due_time(t) : USEC_INFINITY;
}

void
tracker_pause(struct tracker *t, usec_t until)
{
	t->paused_until = until;
}

usec_t
tracker_deadline(const struct tracker *t)
{
	usec_t d = USEC_INFINITY;

	if (!t->bout_open)
		return d;
	if (t->in_gap) {
		usec_t e = bout_end_decision_time(t);

		if (e < d)
			d = e;
	}
	if (!t->held) {
		usec_t p = prompt_due_time(t);

		if (p < d)
			d = p;
	}
	return d;
}

bool
tracker_advance(struct tracker *t, usec_t now)
{
	usec_t d = tracker_deadline(t);

	if (d == USEC_INFINITY || d > now)
		return false;

	if (t->in_gap && bout_end_decision_time(t) == d) {
		bout_end(t, t->gap_start, true);
		return true;
	}

	/* A prompt falls due at d. */
	if (t->in_gap) {
		t->held = true;
		t->snoozed_to = USEC_INFINITY;
		while (prompt_due_time(t) <= d)
			t->next_seq++;
	} else {
		prompt_issue(t, d, t->snoozed_to == d ? PROMPT_SNOOZED : PROMPT_DUE);
	}
	return true;
}

void
tracker_finish(struct tracker *t, usec_t end)
{
	if (t->bout_open) {
		if (t->in_gap)
			/* A break that has already lasted break_min ended the bout, whether or not
			 * there was time left to decide it. */
			bout_end(t, t->gap_start, end - t->gap_start >= t->params.break_min);
		else
			bout_end(t, end, false);
	}
	emit(t, (struct tracker_event) {
		.type = TRACKER_FINISH,
		.time = end,
		.source = -1,
	});
}
