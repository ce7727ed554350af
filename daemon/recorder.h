/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The recorder writes the core's decisions to the store and hands prompts to the notifier:
 * the one place where segments, bouts and prompts become rows, shared by replay and live mode.
 * Core time maps to wall-clock time as wall_us = core_t + offset_us.
 */

#include <stdint.h>

#include "core.h"
#include "notifier.h"
#include "store.h"

#define RECORDER_MAX_DEVICES 16

struct recorder {
	struct store *store;
	struct notifier *notifier;
	int64_t heed_window_ms;
	unsigned escalate_after; /* ignored prompts in a bout before they escalate; 0: never */
	int64_t offset_us;                         /* wall = core time + offset */
	int64_t device_ids[RECORDER_MAX_DEVICES]; /* store id by core device index */

	int64_t open_segment; /* row id, 0 when none */
	enum posture open_posture;
	int64_t open_device_id;
	int64_t open_bout;
	usec_t open_bout_start;
	int64_t bout_first_prompt; /* row id of the open bout's first prompt, 0 before it */
	unsigned bout_shown;       /* prompts of the open bout that were shown */
	unsigned bout_answered;    /* ... and answered with Done or Snooze */
	unsigned n_bouts, n_prompts;
};

void recorder_init(struct recorder *r, struct store *store, struct notifier *notifier,
		   usec_t heed_window, unsigned escalate_after);

int64_t recorder_wall_ms(const struct recorder *r, usec_t t);

/* Write one decision. Returns 0 or a negative errno from the store. */
int recorder_apply(struct recorder *r, const struct tracker_event *ev);

/* The person answered prompt `prompt_id` at `now`: record it (the first answer stands).
 * Returns 1 when recorded, 0 when it had one already, or a negative errno. */
int recorder_response(struct recorder *r, int64_t prompt_id, const char *response, usec_t now);

/* Drain the core's decisions into the store. */
int recorder_drain(struct recorder *r, struct core *core);

/* The long axis learned for an IMU device, kept per device in the state table.
 * load: 0 with the axis, -ENOENT when none is stored (a malformed value counts as none). */
int recorder_load_axis(struct recorder *r, int64_t device_id, double ret_axis[3]);
int recorder_save_axis(struct recorder *r, int64_t device_id, const double axis[3]);

/* The wall clock moved (settimeofday, NTP step): from `now` on, wall = core time + new_offset.
 * The open segment is split at `now` and the open bout moved, so that durations stay what was
 * measured: a jump neither invents nor drops sitting time. */
int recorder_rebase(struct recorder *r, usec_t now, int64_t new_offset_us);

/* Extend the open segment and bout to `now` (heartbeat: at most a heartbeat is lost on a
 * crash). */
int recorder_heartbeat(struct recorder *r, usec_t now);
