/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "time-util.h"

/* Every parsed duration fits a signed 64-bit count of µs too, so that no caller's conversion to
 * int64_t (wall-clock arithmetic, the store's milliseconds) can turn it negative. */
#define DURATION_MAX ((usec_t) INT64_MAX)

static const struct {
	const char *suffix;
	usec_t usec;
} units[] = {
	/* longest first, so "min" wins over "m" and "ms" over "m" */
	{ "days", USEC_PER_DAY }, { "day", USEC_PER_DAY }, { "d", USEC_PER_DAY },
	{ "hours", USEC_PER_HOUR }, { "hour", USEC_PER_HOUR }, { "hr", USEC_PER_HOUR },
	{ "h", USEC_PER_HOUR },
	{ "minutes", USEC_PER_MINUTE }, { "minute", USEC_PER_MINUTE }, { "min", USEC_PER_MINUTE },
	{ "ms", USEC_PER_MSEC },
	{ "m", USEC_PER_MINUTE },
	{ "seconds", USEC_PER_SEC }, { "second", USEC_PER_SEC }, { "sec", USEC_PER_SEC },
	{ "s", USEC_PER_SEC },
};

int
parse_duration(const char *s, usec_t *ret)
{
	usec_t total = 0;
	bool any = false;

	if (!s)
		return -EINVAL;
	while (*s == ' ')
		s++;
	while (*s) {
		usec_t n = 0, unit = USEC_PER_SEC;
		bool digits = false;

		while (*s >= '0' && *s <= '9') {
			usec_t digit = (usec_t) (*s - '0');

			if (n > (DURATION_MAX - digit) / 10)
				return -ERANGE;
			n = n * 10 + digit;
			s++;
			digits = true;
		}
		if (!digits)
			return -EINVAL;
		while (*s == ' ')
			s++;
		if (*s && !(*s >= '0' && *s <= '9')) {
			size_t i;

			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
				size_t l = strlen(units[i].suffix);

				if (strncmp(s, units[i].suffix, l) == 0 &&
				    !(s[l] >= 'a' && s[l] <= 'z')) {
					unit = units[i].usec;
					s += l;
					break;
				}
			}
			if (i == sizeof(units) / sizeof(units[0]))
				return -EINVAL;
		}
		/* neither the product nor the sum may wrap */
		if (n > DURATION_MAX / unit || total > DURATION_MAX - n * unit)
			return -ERANGE;
		total += n * unit;
		any = true;
		while (*s == ' ')
			s++;
	}
	if (!any)
		return -EINVAL;
	*ret = total;
	return 0;
}

void
format_duration(usec_t d, char *buf, size_t size)
{
	usec_t s = (d + USEC_PER_SEC / 2) / USEC_PER_SEC;

	if (s >= 3600)
		snprintf(buf, size, "%lluh %02llum", (unsigned long long) (s / 3600),
			 (unsigned long long) ((s % 3600) / 60));
	else if (s >= 60)
		snprintf(buf, size, "%llum %02llus", (unsigned long long) (s / 60),
			 (unsigned long long) (s % 60));
	else
		snprintf(buf, size, "%llus", (unsigned long long) s);
}

void
format_duration_exact(usec_t d, char *buf, size_t size)
{
	static const struct {
		const char *suffix;
		usec_t usec;
	} exact[] = {
		{ "d", USEC_PER_DAY }, { "h", USEC_PER_HOUR }, { "min", USEC_PER_MINUTE },
		{ "s", USEC_PER_SEC }, { "ms", USEC_PER_MSEC },
	};

	if (d == 0) {
		snprintf(buf, size, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (d % exact[i].usec == 0) {
			snprintf(buf, size, "%llu%s", (unsigned long long) (d / exact[i].usec),
				 exact[i].suffix);
			return;
		}
	snprintf(buf, size, "%lluus", (unsigned long long) d);
}
