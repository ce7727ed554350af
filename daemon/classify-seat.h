/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Seat classifier (pure): turns a seat device's input events into a raw posture, sitting or away,
 * evaluated once per frame (at SYN_REPORT). No debouncing here: see debounce.h.
 *
 * Switch mode: occupied while any watched key/switch is pressed or closed.
 * Axis mode: occupied at value >= min + occupied * range, vacant at value <= min + vacant * range,
 * in between the previous state holds (unknown until the first decisive value).
 */

#include <stdbool.h>
#include <stdint.h>
#include <linux/input.h>

#include "posture.h"

enum seat_mode {
	SEAT_MODE_SWITCH,
	SEAT_MODE_AXIS,
};

struct seat_classifier_params {
	enum seat_mode mode;
	/* SEAT_MODE_SWITCH: key_type 0 watches every EV_KEY and EV_SW code; else only this one. */
	unsigned key_type;
	unsigned key_code;
	/* SEAT_MODE_AXIS */
	unsigned axis;
	int32_t axis_min, axis_max;
	double occupied; /* fraction of the range */
	double vacant;
};

struct seat_classifier {
	struct seat_classifier_params params;
	double occupied_at, vacant_at;
	uint8_t keys_down[(KEY_CNT + 7) / 8];
	uint8_t sw_down[(SW_CNT + 7) / 8];
	unsigned n_down;
	bool have_value; /* a relevant event has been seen */
	bool axis_seen;
	int32_t axis_value;
	enum posture raw;
};

void seat_classifier_init(struct seat_classifier *c, const struct seat_classifier_params *p);

/* Feed one event. Returns true at the end of a frame with the raw posture in *ret_posture
 * (POSTURE_UNKNOWN until a relevant event has been seen). */
bool seat_classifier_feed(struct seat_classifier *c, uint16_t type, uint16_t code, int32_t value,
			  enum posture *ret_posture);
