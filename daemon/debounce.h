/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * min_segment debounce (pure), docs/semantics.md "Confirmed postures": a change of raw posture
 * is confirmed once the raw posture has held one new value for min_segment, and is then dated
 * back to when the raw posture first left the confirmed one. A return to the confirmed posture
 * before that drops the change.
 */

#include <stdbool.h>

#include "posture.h"
#include "time-util.h"

struct debounce {
	usec_t min_segment;
	enum posture confirmed;
	bool pending;
	usec_t t_leave;       /* when the raw posture left the confirmed one */
	enum posture cand;    /* the raw posture now, != confirmed */
	usec_t cand_since;    /* since when the raw posture has been cand */
};

void debounce_init(struct debounce *d, usec_t min_segment);

/* A raw posture sample at time t. Call debounce_confirm() for everything due at or before t
 * first: a change that lasted exactly min_segment is confirmed. */
void debounce_raw(struct debounce *d, usec_t t, enum posture raw);

/* When the pending change will be confirmed, or USEC_INFINITY. */
usec_t debounce_deadline(const struct debounce *d);

/* Confirm the pending change if it is due at or before now (or unconditionally with force, at
 * the end of the data). Returns true with the new posture and its dated-back start. */
bool debounce_confirm(struct debounce *d, usec_t now, bool force, enum posture *ret_posture,
		      usec_t *ret_since);

/* A fact rather than a reading (device gone: unknown): takes effect at once, drops anything
 * pending. */
void debounce_set(struct debounce *d, enum posture p);
