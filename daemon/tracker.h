/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Bout tracker and reminder policy (pure): consumes the confirmed posture timeline and emits
 * segments, bouts and prompts exactly as docs/semantics.md defines them. Time is passed in:
 * `t` is when a posture began (dated back), `now` is when the caller learnt it.
 */

#include <stdbool.h>
#include <stddef.h>

#include "budget.h"
#include "posture.h"
#include "time-util.h"

struct tracker_params {
	usec_t min_segment;
	usec_t break_min;
	usec_t remind_after;
	usec_t repeat_every;
	usec_t heed_window;      /* a prompt is heeded when a break ends its bout within this */
	unsigned escalate_after; /* shown, unanswered prompts in a bout before escalating; 0: never */
};

/* Why prompts stay quiet although one falls due: facts that reach the core as timed inputs
 * (working hours from the session's clock, the rest from the desktop watcher). A prompt that
 * falls due while any is set is kept as PROMPT_SUPPRESSED with the first reason's name. */
enum tracker_quiet {
	TRACKER_QUIET_OFF_HOURS = 1u << 0, /* "off-hours" */
	TRACKER_QUIET_LOCKED = 1u << 1,    /* "locked" */
	TRACKER_QUIET_INHIBITED = 1u << 2, /* "idle-inhibited" */
	TRACKER_QUIET_DND = 1u << 3,       /* "do-not-disturb" */
};

enum tracker_event_type {
	TRACKER_SEGMENT,    /* a segment begins at time (the previous one ends there) */
	TRACKER_BOUT_BEGIN, /* a bout begins at time */
	TRACKER_BOUT_END,   /* the open bout ended at time */
	TRACKER_PROMPT,     /* a prompt is issued at time */
	TRACKER_FINISH,     /* the data ended at time: the open segment ends there */
	TRACKER_PACE,       /* the day's pace prompt (budget.h), with figures */
	TRACKER_SUMMARY,    /* the end-of-day summary (budget.h), with figures */
};

enum prompt_reason {
	PROMPT_DUE,        /* issued on schedule */
	PROMPT_RESUMED,    /* fell due during a short interruption, issued on sitting down again */
	PROMPT_SNOOZED,    /* the time a snooze asked for */
	PROMPT_SUPPRESSED, /* fell due while prompts were paused: kept, not issued, not counted */
};

struct tracker_event {
	enum tracker_event_type type;
	usec_t time;
	/* TRACKER_SEGMENT */
	enum posture posture;
	int source; /* device index that decided it, -1 for none */
	/* TRACKER_BOUT_END, TRACKER_PROMPT */
	usec_t bout_start;
	bool by_break;            /* TRACKER_BOUT_END: a break ended it, not the end of the data */
	usec_t heeded_from;       /* TRACKER_BOUT_END: the bout's prompts issued at or after this
				   * are heeded (docs/semantics.md); USEC_INFINITY: none */
	bool escalated;           /* TRACKER_PROMPT: escalate_after shown prompts of this bout went
				   * unanswered: urgent, other words */
	unsigned seq;             /* TRACKER_PROMPT: 0 for the bout's first prompt */
	enum prompt_reason reason;
	const char *quiet;        /* PROMPT_SUPPRESSED: why ("paused" or a tracker_quiet's name) */
	/* TRACKER_PACE, TRACKER_SUMMARY: what it says; bout_start: the open (or last) bout's
	 * start, USEC_INFINITY when there was none */
	struct budget_figures figures;
};

/* Where the tracker puts what it decides: the caller's queue. */
typedef void (*tracker_emit_fn)(const struct tracker_event *ev, void *userdata);

struct tracker {
	struct tracker_params params;
	tracker_emit_fn emit;
	void *userdata;

	enum posture posture; /* confirmed, as known now */
	bool bout_open;
	usec_t bout_start;
	bool in_gap;          /* bout open, person not sitting */
	usec_t gap_start;
	usec_t last_sit_end;  /* end of the last sitting segment (valid in a gap) */
	unsigned next_seq;    /* index of the next prompt in the schedule */
	usec_t bout_remind;   /* the open bout's first prompt age (params' remind_after, or the
			       * adaptive one the core sets when the bout begins) */
	unsigned issued;      /* prompts issued (shown) in this bout */
	unsigned answered;    /* ... and answered with Done or Snooze */
	bool held;            /* a prompt fell due during a short interruption */
	usec_t snoozed_to;    /* the next prompt's time set by a snooze, or USEC_INFINITY */
	usec_t paused_until;  /* prompts falling due before this are suppressed; 0: not paused */
	unsigned quiet;       /* enum tracker_quiet bits set now */
};

void tracker_init(struct tracker *t, const struct tracker_params *p, tracker_emit_fn emit,
		  void *userdata);

/* The confirmed posture changed: it has been `p` since `since` (<= now). */
void tracker_posture(struct tracker *t, usec_t since, usec_t now, enum posture p, int source);

/* The next time the tracker must be advanced to, or USEC_INFINITY. */
usec_t tracker_deadline(const struct tracker *t);

/* Take the decisions due at the tracker's deadline, if it is <= now (call in a loop with the
 * other deadlines, in time order). Returns true when it did something. */
bool tracker_advance(struct tracker *t, usec_t now);

/* The data ends at `end`: close the open segment and bout; held prompts are dropped. */
void tracker_finish(struct tracker *t, usec_t end);

/* Snooze (DESIGN.md): the next prompt comes at max(now + length, when it was due anyway), if
 * the bout goes on: a snooze never brings a prompt forward. Later ones follow the schedule
 * again. Nothing happens without an open bout. */
void tracker_snooze(struct tracker *t, usec_t now, usec_t length);

/* Pause prompts until `until` (0 resumes): tracking goes on, prompts that fall due meanwhile are
 * emitted with PROMPT_SUPPRESSED (kept, not counted). */
void tracker_pause(struct tracker *t, usec_t until);

/* When the open bout's next prompt falls due; USEC_INFINITY without a bout, or when a prompt
 * waits for the person to sit down again. */
usec_t tracker_next_prompt(const struct tracker *t);

/* A quiet fact (enum tracker_quiet) is set or cleared from now on. */
void tracker_set_quiet(struct tracker *t, enum tracker_quiet reason, bool on);

/* Why a prompt due at `now` would stay quiet ("paused" or a tracker_quiet's name), or NULL. */
const char *tracker_quiet_reason(const struct tracker *t, usec_t now);

/* The person answered one of the prompts of the bout that began at bout_start with Done or
 * Snooze: it counts against escalation if that bout is still open. */
void tracker_answered(struct tracker *t, usec_t bout_start);

/* docs/semantics.md: a bout that a break ends at `end` heeds the prompts issued at or after
 * the returned time (end - heed_window, at least 0). */
usec_t tracker_heeded_from(const struct tracker_params *p, usec_t end);

/* New parameters at `now` (a reload): the open bout, its issued prompts, a held prompt, a snooze
 * and a pause stay; the next prompt is the new schedule's first due time after now. */
void tracker_set_params(struct tracker *t, usec_t now, const struct tracker_params *p);

/* Bout age at which prompt number k falls due (with the params' remind_after). */
usec_t tracker_prompt_due_age(const struct tracker_params *p, unsigned k);

/* The open bout's first prompt falls due at bout age `remind` (adaptive: budget.h); the next
 * prompt is the schedule's first due time after `after` (0 when the bout begins; a reload's
 * time, when what fell due by then was taken under the old schedule). */
void tracker_set_bout_remind(struct tracker *t, usec_t remind, usec_t after);
