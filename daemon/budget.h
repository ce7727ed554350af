/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The whole day (pure, docs/semantics.md "The whole day"): a local day's sitting measured
 * against the daily budget, upright time, the pace prompt, the adaptive first prompt of a bout
 * and the end-of-day summary. No I/O and no clock: the core feeds it the fused confirmed
 * posture timeline and the bouts' events; the session feeds it each local day's boundaries and
 * working hours (as core time, DST already applied) when the day begins. Its decisions are
 * deadlines: nothing is due while the person is not sitting (pace) or once the day's prompts
 * are out, so a day at rest costs no wake-up.
 */

#include <stdbool.h>
#include <stdint.h>

#include "posture.h"
#include "time-util.h"

/* The pace prompt is not decided before an hour of the working hours has passed: early in the
 * day one bout would project to a whole day. */
#define BUDGET_PACE_MIN_ELAPSED USEC_PER_HOUR
/* Without working hours the pace prompt comes when the day's sitting reaches 80 % of it. */
#define BUDGET_PACE_SHARE_PERCENT 80
/* The summary after summary_after waits for a break of this length. */
#define BUDGET_SUMMARY_BREAK (15 * USEC_PER_MINUTE)
/* The prompts of the open bout whose times are kept to count the heeded ones. */
#define BUDGET_PROMPTS_KEPT 64

struct budget_params {
	usec_t sitting_per_day;  /* the budget B, > 0 */
	usec_t upright_per_day;  /* the upright target, 0: none */
	bool pace;               /* the pace prompt */
	bool adaptive;           /* the bout's first prompt comes sooner as the budget runs out */
	usec_t remind_after_min; /* adaptive: never sooner than this */
	bool summary;            /* the end-of-day summary */
	usec_t prolonged;        /* a bout at least this long is prolonged */
};

/* One local day as the session computes it (core time). */
struct budget_day {
	int64_t id;                      /* which day (the session's: its midnight's wall time) */
	usec_t start, end;               /* its local midnights: [start, end), 23 to 25 h */
	usec_t work_start, work_end;     /* its working hours, both USEC_INFINITY: none */
	usec_t summary_after;            /* USEC_INFINITY: the summary comes at work_end */
};

/* What the pace prompt and the summary say. */
struct budget_figures {
	usec_t at;               /* the time they are of */
	usec_t sitting;          /* sitting today, so far */
	usec_t upright;          /* standing + walking today (worn sensors only) */
	usec_t budget;           /* sitting_per_day */
	usec_t upright_target;   /* upright_per_day */
	usec_t projected;        /* pace with working hours: the projection P(t), else 0 */
	usec_t work_end;         /* ... to this time (core time), else USEC_INFINITY */
	usec_t longest_bout;     /* summary: bouts that began today (the open one so far) */
	unsigned bouts, prolonged_bouts;
	unsigned prompts, prompts_heeded; /* the bout prompts shown today, and heeded */
	usec_t avg_sitting_7d;   /* the last 7 days' mean sitting (budget_set_history), or 0 */
	bool have_history;
};

enum budget_decision {
	BUDGET_NONE,
	BUDGET_PACE,
	BUDGET_SUMMARY,
};

struct budget {
	struct budget_params params;
	bool have_day;
	struct budget_day day;

	enum posture posture;  /* the fused confirmed posture ... */
	usec_t since;          /* ... since this time, or the day's start if later */
	usec_t sitting;        /* sitting in [day.start, since) */
	usec_t sitting_work;   /* sitting in [day.start, since) within the working hours */
	usec_t upright;        /* standing + walking in [day.start, since) */
	usec_t not_sitting_from; /* the start of the current non-sitting run (summary break) */

	bool quiet;            /* locked, idle-inhibited or do-not-disturb */
	bool quiet_off_hours;  /* off-hours (the summary does not mind it) */
	usec_t paused_until;   /* nothing is due before this; 0: not paused */
	bool pace_done, summary_done;

	/* bouts that began today */
	bool bout_open;
	usec_t bout_start;
	usec_t bout_sitting_before; /* the day's sitting before the open bout began */
	usec_t longest_bout;
	unsigned bouts, prolonged_bouts;
	unsigned prompts, prompts_heeded;
	usec_t prompt_times[BUDGET_PROMPTS_KEPT]; /* the open bout's shown prompts, a ring */
	unsigned n_prompt_times;

	usec_t avg_sitting_7d;
	bool have_history;

	usec_t deadline; /* cached: the next decision, USEC_INFINITY: none */
};

void budget_init(struct budget *b, const struct budget_params *p);
/* New parameters (a reload): what was counted today stays. */
void budget_set_params(struct budget *b, const struct budget_params *p);

/* A new local day begins at day->start (the previous one ends there): the day's counts start
 * at zero, its prompts are due again. The current posture carries on into it. The same day
 * again (same id: a reload, a wall-clock step) only takes its new boundaries, working hours
 * and summary time. */
void budget_set_day(struct budget *b, const struct budget_day *day);

/* What the store already holds for the current day when sitlogd starts in its middle: counted
 * first (docs/semantics.md), and the day's prompts already given are not given again. */
struct budget_seed {
	usec_t sitting, sitting_work, upright;
	usec_t longest_bout;
	unsigned bouts, prolonged_bouts, prompts, prompts_heeded;
	bool pace_done, summary_done;
	usec_t not_sitting_from; /* the end of the last sitting recorded, 0: none */
};
void budget_seed(struct budget *b, const struct budget_seed *seed);

/* The last 7 days' mean sitting per day (from the store, at start and each new day). */
void budget_set_history(struct budget *b, usec_t avg_sitting_7d);

/* The fused confirmed posture is p from since (dated back, non-decreasing), learnt at now. */
void budget_posture(struct budget *b, usec_t since, usec_t now, enum posture p);

/* Bouts and their prompts, as the tracker decides them. */
void budget_bout_begin(struct budget *b, usec_t start);
void budget_bout_end(struct budget *b, usec_t end, usec_t heeded_from);
void budget_bout_prompt(struct budget *b, usec_t t);

/* The quiet facts from now on: `quiet` for locked, idle-inhibited or do-not-disturb, off_hours
 * for outside the working hours. A decision that waited for them to end is due from now. */
void budget_set_quiet(struct budget *b, usec_t now, bool quiet, bool off_hours);
/* Prompts are paused until `until` (0: not paused): nothing is due before it. */
void budget_set_pause(struct budget *b, usec_t now, usec_t until);

/* The adaptive rule: the open bout's first prompt is due at this bout age (docs/semantics.md),
 * from remind_after and the day's sitting before it began; remind_after when adaptive is off. */
usec_t budget_remind_after(const struct budget *b, usec_t remind_after);

/* The next decision's time, or USEC_INFINITY. */
usec_t budget_deadline(const struct budget *b);

/* Take the decision due at or before now, if any: BUDGET_PACE or BUDGET_SUMMARY with its
 * figures, else BUDGET_NONE. Call in a loop with the other deadlines, in time order. */
enum budget_decision budget_advance(struct budget *b, usec_t now, struct budget_figures *ret);

/* The day's figures at now (sitting and upright so far, budget left ...); now before the last
 * change of posture: as of that change (ret->at says when). */
void budget_figures(const struct budget *b, usec_t now, struct budget_figures *ret);
