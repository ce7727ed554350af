/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The recorder turns the core's decisions into rows: the one place where segments, bouts and
 * prompts are written. It decides nothing (the core did) and shows nothing (the session
 * delivers prompts after the commit); it only remembers which rows are open. Its state is a
 * plain struct, so that the session can put it back as it was when a transaction rolls back.
 */

#include <stdint.h>

#include "core.h"
#include "store.h"

struct recorder {
	struct store *store;
	int64_t open_segment; /* row id, 0 when none */
	enum posture open_posture;
	int64_t open_device_id;
	int64_t open_bout;
	int64_t last_bout;   /* the latest bout of this run, open or not, 0: none */
	unsigned n_bouts, n_prompts;
	unsigned n_day_prompts; /* pace prompts and summaries recorded */
};

/* What the session knows about a decision besides the decision itself. */
struct recorder_labels {
	int64_t ms;            /* the decision's wall-clock time (recorder_wall_ms) */
	int64_t heeded_from_ms; /* TRACKER_BOUT_END by a break: from ev->heeded_from */
	int64_t device_id;     /* TRACKER_SEGMENT: the deciding device's store id, 0: none */
	const char *exercise;  /* TRACKER_PROMPT: the exercise suggested, NULL: none */
	const char *delivery;  /* TRACKER_PROMPT: "none", "log", "desktop" or the quiet reason */
};

void recorder_init(struct recorder *r, struct store *store);

/* Core time to wall-clock milliseconds: floor((t + offset) / 1000), docs/semantics.md. */
int64_t recorder_wall_ms(int64_t offset_us, usec_t t);

/* Write one decision. A prompt's row id goes to *ret_prompt_id (may be NULL). Returns 0 or a
 * negative errno from the store. */
int recorder_apply(struct recorder *r, const struct tracker_event *ev,
		   const struct recorder_labels *l, int64_t *ret_prompt_id);

/* The person answered prompt `prompt_id` at `ms`: the first answer stands. Returns 1 when
 * recorded, 0 when it had one already, or a negative errno. */
int recorder_response(struct recorder *r, int64_t prompt_id, const char *response, int64_t ms);

/* The wall clock moved (settimeofday, NTP step) at a moment labelled before_ms by the old
 * clock and after_ms by the new one: the open segment is split there and the open bout moved,
 * so that durations stay what was measured. */
int recorder_rebase(struct recorder *r, int64_t before_ms, int64_t after_ms);

/* Extend the open segment and bout to `ms` (heartbeat: at most a heartbeat is lost on a
 * crash). */
int recorder_heartbeat(struct recorder *r, int64_t ms);
