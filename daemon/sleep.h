/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Suspend is never sitting (docs/semantics.md, "Suspend"). A sleep is known two ways:
 *
 * - logind's PrepareForSleep(true) before it, (false) after it (sleep_watch_prepare()); with a
 *   delay lock (logind-sleep.c) the first one comes while the system still waits for us;
 * - the clocks: the live clock is CLOCK_BOOTTIME, which runs on through a sleep, while
 *   CLOCK_MONOTONIC stands still, so CLOCK_BOOTTIME − CLOCK_MONOTONIC grows by the time slept.
 *   Every reading compares it with the reading before; when it grew by more than
 *   SLEEP_TOLERANCE the system slept in between, whether or not anyone said so.
 *
 * A sleep noticed on the clocks is handled at a wake-up (sleep_watch_wake(), the first thing
 * each event handler of the daemon does): every device is unknown from the last moment the
 * daemon observed before the sleep (the last time this clock handed out), and the devices are
 * read again now (ops->resumed). Until a wake-up handles it, the clock stands still at that
 * moment, so nothing reaches the session later than where the sleep is put: handling it at
 * any later point stays in time order. No timer of its own: it looks only when the daemon is
 * awake anyway.
 *
 * The clocks come through ops (tests inject theirs).
 */

#include <stdbool.h>
#include <stdint.h>

#include "session.h"
#include "time-util.h"

/* A growth of CLOCK_BOOTTIME − CLOCK_MONOTONIC up to this is not a sleep: the two clocks are
 * read one after the other, and a thread can be preempted in between. */
#define SLEEP_TOLERANCE (2 * USEC_PER_SEC)

struct sleep_ops {
	/* CLOCK_BOOTTIME and CLOCK_MONOTONIC now, µs */
	void (*read_clocks)(void *userdata, usec_t *ret_boottime, usec_t *ret_monotonic);
	/* the system is awake again at now: each device reports its state afresh */
	void (*resumed)(void *userdata, usec_t now);
};

struct sleep_watch {
	const struct sleep_ops *ops;
	void *userdata;
	struct session *session; /* whose devices a sleep makes unknown; NULL: none yet */
	bool have_offset;
	int64_t offset;   /* CLOCK_BOOTTIME − CLOCK_MONOTONIC at the last reading */
	usec_t last;      /* the last time the clock handed out */
	bool gap;         /* a sleep seen on the clocks, not handled yet: the clock stands at last */
	usec_t gap_slept; /* how long it slept */
	bool announced;   /* PrepareForSleep(true) made every device unknown; no resume since */
	bool unmatched;   /* a sleep handled from the clocks whose PrepareForSleep(false) has not
			   * come (a PrepareForSleep(true) now is that sleep's, late) */
};

void sleep_watch_init(struct sleep_watch *w, const struct sleep_ops *ops, void *userdata);
void sleep_watch_set_session(struct sleep_watch *w, struct session *session);

/* The live clock, CLOCK_BOOTTIME in µs, never going back; while a sleep is noticed and not yet
 * handled, the moment it began. */
usec_t sleep_watch_now(struct sleep_watch *w);

/* A wake-up, before anything of it reaches the session: handles a sleep since the last
 * reading (see above). Returns now. */
usec_t sleep_watch_wake(struct sleep_watch *w);

/* logind's PrepareForSleep(sleeping) reached the daemon (a wake-up). true: every device is
 * unknown from now, unless the sleep it announces is already over (the clocks showed a sleep
 * whose (false) has not come yet: the signal came late), when it changes nothing. false: the
 * devices are read again, unless the clocks already had them read for this sleep. Returns
 * now. */
usec_t sleep_watch_prepare(struct sleep_watch *w, bool sleeping);
