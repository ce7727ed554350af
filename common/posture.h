/* SPDX-License-Identifier: MIT */
#pragma once

/* DESIGN.md "Posture". The order is the storage order: never renumber. */
enum posture {
	POSTURE_UNKNOWN = 0,
	POSTURE_SITTING,
	POSTURE_STANDING,
	POSTURE_WALKING,
	POSTURE_AWAY,
	_POSTURE_MAX,
};

const char *posture_to_string(enum posture p);
/* Returns the posture or -EINVAL. */
int posture_from_string(const char *s);
