/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* One time type for the whole project, as systemd does: microseconds. */
typedef uint64_t usec_t;

#define USEC_INFINITY ((usec_t) UINT64_MAX)
#define USEC_PER_MSEC ((usec_t) 1000ULL)
#define USEC_PER_SEC ((usec_t) 1000000ULL)
#define USEC_PER_MINUTE (60ULL * USEC_PER_SEC)
#define USEC_PER_HOUR (60ULL * USEC_PER_MINUTE)
#define USEC_PER_DAY (24ULL * USEC_PER_HOUR)

/* Parse "90", "90s", "10min", "1h30min", "500ms", "2d". Returns 0, -EINVAL, or -ERANGE when
 * a number, a number times its unit or the sum would exceed INT64_MAX µs (no wrap-around).
 * Callers check their own range (sitlog-limits.h). */
int parse_duration(const char *s, usec_t *ret);

/* Format a duration for humans: "1h 05m", "12m 30s", "45s". */
void format_duration(usec_t d, char *buf, size_t size);

/* The exact form parse_duration() reads back, in the largest unit that divides it: "366d",
 * "1h", "90s", "5ms", "0s" (for limits in messages). */
void format_duration_exact(usec_t d, char *buf, size_t size);
