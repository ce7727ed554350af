/* SPDX-License-Identifier: MIT */
#include <assert.h>

#include "debounce.h"

void
debounce_init(struct debounce *d, usec_t min_segment)
{
	*d = (struct debounce) {
		.min_segment = min_segment,
		.confirmed = POSTURE_UNKNOWN,
	};
}

void
debounce_raw(struct debounce *d, usec_t t, enum posture raw)
{
	if (raw == d->confirmed) {
		d->pending = false;
		return;
	}
	if (!d->pending) {
		d->pending = true;
		d->t_leave = t;
		d->cand = raw;
		d->cand_since = t;
	} else if (raw != d->cand) {
		d->cand = raw;
		d->cand_since = t;
	}
}

usec_t
debounce_deadline(const struct debounce *d)
{
	if (!d->pending)
		return USEC_INFINITY;
	return d->cand_since + d->min_segment;
}

bool
debounce_confirm(struct debounce *d, usec_t now, bool force, enum posture *ret_posture,
		 usec_t *ret_since)
{
	if (!d->pending)
		return false;
	if (!force && debounce_deadline(d) > now)
		return false;
	d->pending = false;
	d->confirmed = d->cand;
	*ret_posture = d->cand;
	*ret_since = d->t_leave;
	return true;
}

void
debounce_set(struct debounce *d, enum posture p)
{
	d->pending = false;
	d->confirmed = p;
}
