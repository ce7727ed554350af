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

/* Parse "90", "90s", "10min", "1h30min", "500ms". Returns 0 or -EINVAL/-ERANGE. */
int parse_duration(const char *s, usec_t *ret);

/* Format a duration for humans: "1h 05m", "12m 30s", "45s". */
void format_duration(usec_t d, char *buf, size_t size);
