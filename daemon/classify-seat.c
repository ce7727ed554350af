/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <string.h>

#include "classify-seat.h"

void
seat_classifier_init(struct seat_classifier *c, const struct seat_classifier_params *p)
{
	double range;

	assert(c && p);
	memset(c, 0, sizeof(*c));
	c->params = *p;
	range = (double) p->axis_max - (double) p->axis_min;
	c->occupied_at = (double) p->axis_min + p->occupied * range;
	c->vacant_at = (double) p->axis_min + p->vacant * range;
	c->raw = POSTURE_UNKNOWN;
}

static bool
bit_flip(uint8_t *bits, unsigned code, bool on)
{
	uint8_t mask = (uint8_t) (1u << (code % 8));
	bool was = bits[code / 8] & mask;

	if (on)
		bits[code / 8] |= mask;
	else
		bits[code / 8] &= (uint8_t) ~mask;
	return was != on;
}

static void
feed_switch(struct seat_classifier *c, uint16_t type, uint16_t code, int32_t value)
{
	const struct seat_classifier_params *p = &c->params;
	uint8_t *bits;

	if (type == EV_KEY && code < KEY_CNT)
		bits = c->keys_down;
	else if (type == EV_SW && code < SW_CNT)
		bits = c->sw_down;
	else
		return;
	if (p->key_type != 0 && (type != p->key_type || code != p->key_code))
		return;

	/* value 2 is autorepeat: still pressed */
	if (bit_flip(bits, code, value != 0)) {
		if (value != 0)
			c->n_down++;
		else
			c->n_down--;
	}
	c->have_value = true;
}

static void
feed_axis(struct seat_classifier *c, uint16_t type, uint16_t code, int32_t value)
{
	if (type != EV_ABS || code != c->params.axis)
		return;
	c->axis_value = value;
	c->axis_seen = true;
}

bool
seat_classifier_feed(struct seat_classifier *c, uint16_t type, uint16_t code, int32_t value,
		     enum posture *ret_posture)
{
	if (type == EV_SYN) {
		if (code != SYN_REPORT)
			return false;
		if (c->params.mode == SEAT_MODE_SWITCH) {
			if (c->have_value)
				c->raw = c->n_down > 0 ? POSTURE_SITTING : POSTURE_AWAY;
		} else if (c->axis_seen) {
			if ((double) c->axis_value >= c->occupied_at)
				c->raw = POSTURE_SITTING;
			else if ((double) c->axis_value <= c->vacant_at)
				c->raw = POSTURE_AWAY;
		}
		*ret_posture = c->raw;
		return true;
	}

	if (c->params.mode == SEAT_MODE_SWITCH)
		feed_switch(c, type, code, value);
	else
		feed_axis(c, type, code, value);
	return false;
}
