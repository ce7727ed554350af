/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "posture.h"

static const char *const names[_POSTURE_MAX] = {
	[POSTURE_UNKNOWN] = "unknown",
	[POSTURE_SITTING] = "sitting",
	[POSTURE_STANDING] = "standing",
	[POSTURE_WALKING] = "walking",
	[POSTURE_AWAY] = "away",
};

const char *
posture_to_string(enum posture p)
{
	if ((unsigned) p >= _POSTURE_MAX)
		return "unknown";
	return names[p];
}

int
posture_from_string(const char *s)
{
	for (int i = 0; i < _POSTURE_MAX; i++)
		if (s && strcmp(s, names[i]) == 0)
			return i;
	return -EINVAL;
}
