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

/* Decimal digits of v at p (at least min_digits, zero-padded); returns the end. */
static char *
put_decimal(char *p, unsigned long long v, int min_digits)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < min_digits)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* As snprintf(buf, size, "%lluh %02llum" ...) would write it, without printf's cost: the report
 * formats thousands of these. */
void
format_duration(usec_t d, char *buf, size_t size)
{
	usec_t s = (d + USEC_PER_SEC / 2) / USEC_PER_SEC;
	char tmp[64], *p = tmp;
	size_t n;

	if (s >= 3600) {
		p = put_decimal(p, s / 3600, 1);
		*p++ = 'h';
		*p++ = ' ';
		p = put_decimal(p, (s % 3600) / 60, 2);
		*p++ = 'm';
	} else if (s >= 60) {
		p = put_decimal(p, s / 60, 1);
		*p++ = 'm';
		*p++ = ' ';
		p = put_decimal(p, s % 60, 2);
		*p++ = 's';
	} else {
		p = put_decimal(p, s, 1);
		*p++ = 's';
	}
	if (size == 0)
		return;
	n = (size_t) (p - tmp) < size - 1 ? (size_t) (p - tmp) : size - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
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
