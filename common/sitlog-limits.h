/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Limits that the daemon, the CLI and the config file share: one home for each number, so
 * that what one side accepts the other cannot refuse. Documented in sitlog.conf(5) and sitlog(1).
 */

#include "time-util.h"

/* Input devices a daemon uses at once (seat and worn sensors, config [Device] sections). */
#define SITLOG_MAX_DEVICES 16

/* Every duration a person gives (config intervals, `sitlog pause`/`snooze`, the D-Bus
 * Pause/Snooze arguments) lies in [SITLOG_DURATION_MIN, SITLOG_DURATION_MAX] unless its own
 * row in sitlog-conf.c says otherwise (min_segment may be 0, sample_interval is shorter). */
#define SITLOG_DURATION_MIN USEC_PER_SEC
#define SITLOG_DURATION_MAX (366ULL * 24 * USEC_PER_HOUR)

/* Wall-clock times sitlog records or accepts (--replay-start, replayed events, --until):
 * from the epoch to 2100-01-01T00:00:00Z, so that every time fits the store's milliseconds
 * and the reports' dates. */
#define SITLOG_WALL_MIN_US ((int64_t) 0)
#define SITLOG_WALL_MAX_US ((int64_t) 4102444800LL * 1000000LL)

/* The longest span a replay covers (first to last event): a year. */
#define SITLOG_REPLAY_MAX_SPAN SITLOG_DURATION_MAX
