/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Bout tracker and reminder policy (pure): consumes the confirmed posture timeline and emits
 * segments, bouts and prompts exactly as docs/semantics.md defines them. Time is passed in:
 * `t` is when a posture began (dated back), `now` is when the caller learnt it.
 */

#include <stdbool.h>
#include <stddef.h>

#include "posture.h"
#include "time-util.h"

struct tracker_params {
	usec_t min_segment;
	usec_t break_min;
	usec_t remind_after;
	usec_t repeat_every;
};

enum tracker_event_type {
	TRACKER_SEGMENT,    /* a segment begins at time (the previous one ends there) */
	TRACKER_BOUT_BEGIN, /* a bout begins at time */
	TRACKER_BOUT_END,   /* the open bout ended at time */
	TRACKER_PROMPT,     /* a prompt is issued at time */
	TRACKER_FINISH,     /* the data ended at time: the open segment ends there */
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
	unsigned seq;             /* TRACKER_PROMPT: 0 for the bout's first prompt */
	enum prompt_reason reason;
	const char *quiet;        /* PROMPT_SUPPRESSED: why ("paused" or the quiet gate's reason) */
};

/* Where the tracker puts what it decides: the caller's queue. */
typedef void (*tracker_emit_fn)(const struct tracker_event *ev, void *userdata);

/* Asked when a prompt falls due at t: NULL when it may be shown, else a short reason why not
 * ("quiet-hours", "locked", ...); the prompt is then kept as PROMPT_SUPPRESSED. */
typedef const char *(*tracker_quiet_fn)(usec_t t, void *userdata);

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
	unsigned issued;      /* prompts issued in this bout */
	bool held;            /* a prompt fell due during a short interruption */
	usec_t snoozed_to;    /* the next prompt's time set by a snooze, or USEC_INFINITY */
	usec_t paused_until;  /* prompts falling due before this are suppressed; 0: not paused */
	tracker_quiet_fn quiet;
	void *quiet_userdata;
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

/* Snooze (DESIGN.md): the next prompt comes at now + length, if the bout goes on; later ones
 * follow the schedule again. Nothing happens without an open bout. */
void tracker_snooze(struct tracker *t, usec_t now, usec_t length);

/* Pause prompts until `until` (0 resumes): tracking goes on, prompts that fall due meanwhile are
 * emitted with PROMPT_SUPPRESSED (kept, not counted). */
void tracker_pause(struct tracker *t, usec_t until);

/* When the open bout's next prompt falls due; USEC_INFINITY without a bout, or when a prompt
 * waits for the person to sit down again. */
usec_t tracker_next_prompt(const struct tracker *t);

/* Install the quiet gate (NULL: none). */
void tracker_set_quiet(struct tracker *t, tracker_quiet_fn fn, void *userdata);

/* Bout age at which prompt number k falls due. */
usec_t tracker_prompt_due_age(const struct tracker_params *p, unsigned k);
