/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The pure core: devices' classifiers -> per-device min_segment debounce -> fusion -> tracker.
 * No I/O, no clock reads: every call takes the time. Live reading, replay and unit tests drive
 * it identically. Decisions come out as tracker_events, drained with core_next_event().
 *
 * Timers: before an input at time t, the core takes every decision due at or before t, in time
 * order (debounce confirmations before tracker decisions at the same instant). The caller
 * arms a timer at core_next_deadline() and calls core_advance() when it fires.
 *
 * Bounded: core_advance() stops once CORE_BATCH decisions wait in the queue, so a long gap in
 * the input (a seat occupied for months) never queues more than that; a caller that may meet
 * such gaps advances to an input's time (popping between calls) before feeding it. The core
 * never blocks, never calls out and never logs: quiet facts and answers come in as inputs.
 */

#include <stdbool.h>
#include <stdint.h>

#include "budget.h"
#include "classify-imu.h"
#include "classify-seat.h"
#include "sitlog-limits.h"
#include "tracker.h"

/* Decisions the queue holds before core_advance() returns to let the caller write them. */
#define CORE_BATCH 256

enum core_role {
	CORE_ROLE_SEAT,
	CORE_ROLE_IMU,
};

struct core_params {
	usec_t min_segment;
	struct tracker_params tracker; /* its min_segment is taken from above */
	struct budget_params budget;   /* sitting_per_day 0: no day budget at all */
};

struct core;

struct core *core_new(const struct core_params *p);
void core_free(struct core *c);

/* Returns the device index (>= 0) or -ENOMEM / -E2BIG. */
int core_add_seat(struct core *c, const struct seat_classifier_params *p);

/* Returns the device index (>= 0) or -E2BIG. */
int core_add_imu(struct core *c, const struct imu_classifier_params *p);

/* One input event from device dev at time t (non-decreasing across all calls). */
void core_feed(struct core *c, int dev, usec_t t, uint16_t type, uint16_t code, int32_t value);

/* Take the decisions due at or before now, up to CORE_BATCH queued ones. Returns true when it
 * stopped early: pop the queue and call again. */
bool core_advance(struct core *c, usec_t now);

/* The next time core_advance() must run, or USEC_INFINITY: zero wake-ups when nothing is due. */
usec_t core_next_deadline(const struct core *c);

/* The device is gone: its posture is unknown from t, at once (a fact, not debounced). */
void core_device_gone(struct core *c, int dev, usec_t t);

/* End of the data at `end`: pending changes count (dated back), open segment and bout close. */
void core_finish(struct core *c, usec_t end);

/* New parameters at `now` (a reload): what is open stays open (tracker_set_params()); a change
 * being debounced keeps its start and is confirmed after the new min_segment. */
void core_set_params(struct core *c, usec_t now, const struct core_params *p);

/* Snooze and pause (tracker.h), keeping the core's timer right. */
void core_snooze(struct core *c, usec_t now, usec_t length);
void core_pause(struct core *c, usec_t until);

/* A quiet fact (tracker.h: off-hours, locked, idle-inhibited, do-not-disturb) holds from t on
 * (on) or no longer (off): a prompt due at t itself sees the new state. */
void core_set_quiet(struct core *c, usec_t t, enum tracker_quiet reason, bool on);

/* Why a prompt due now would stay quiet ("paused", "off-hours", ...), or NULL. */
const char *core_quiet_reason(const struct core *c, usec_t now);

/* The person answered a prompt of the bout that began at bout_start with Done or Snooze. */
void core_prompt_answered(struct core *c, usec_t bout_start);

/* When the open bout began and when its next prompt falls due (USEC_INFINITY: no bout, or the
 * next prompt waits for the person to sit down again). Returns false without an open bout. */
bool core_bout(const struct core *c, usec_t *ret_start, usec_t *ret_next_prompt);

/* Are there decisions waiting to be popped? */
bool core_has_events(const struct core *c);

/* Pop the oldest decision. Returns false when there is none. */
bool core_next_event(struct core *c, struct tracker_event *ret_ev);

/* Give an IMU device its stored learned axis. */
void core_set_imu_axis(struct core *c, int dev, const double axis[3]);

/* An IMU device learnt a new long axis since the last call: true once, with it (to store). */
bool core_take_learned_axis(struct core *c, int dev, double ret_axis[3]);

/* The whole day (budget.h): a new local day begins at day->start (the session gives each day
 * its boundaries and working hours, as core time); what is due before it is taken first. */
void core_set_day(struct core *c, const struct budget_day *day);
/* What the store holds for the current day already (sitlogd started in its middle). */
void core_seed_day(struct core *c, const struct budget_seed *seed);
/* The last 7 days' mean sitting per day, for the summary. */
void core_set_history(struct core *c, usec_t avg_sitting_7d);
/* The day's figures as known at now (no decision is taken). */
void core_day_figures(const struct core *c, usec_t now, struct budget_figures *ret);

/* The fused confirmed posture, as known now, and since when. */
enum posture core_posture(const struct core *c);
usec_t core_posture_since(const struct core *c);
