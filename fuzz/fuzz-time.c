/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the parsers of what people type as times, common/time-util.c
 * parse_duration() and common/time-parse.c time_parse_local() (every form, in Europe/Berlin,
 * with a "now" from the input). Checked: only the documented errors, nothing written on
 * failure, results within their documented ranges, and the exact form of a duration reads back
 * as the same duration.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "fuzz-util.h"
#include "sitlog-limits.h"
#include "time-parse.h"
#include "time-util.h"

#define DAY_US ((int64_t) 24 * 3600 * 1000000)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("LC_ALL", "C.UTF-8", 1);
	/* a g_critical() (g_return_if_fail) is a bug */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
	/* DST changes make the interesting cases */
	setenv("TZ", "Europe/Berlin", 1);
	return 0;
}

static void
check_duration(const char *s)
{
	usec_t d = 12345, back = 0;
	char buf[64];
	int r;

	r = parse_duration(s, &d);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ERANGE);
		FUZZ_CHECK(d == 12345);
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(d <= (usec_t) INT64_MAX);
	format_duration(d, buf, sizeof(buf));
	format_duration_exact(d, buf, sizeof(buf));
	r = parse_duration(buf, &back);
	if (r != 0 || back != d) {
		fprintf(stderr, "\"%s\" = %llu µs, printed \"%s\", read back %d %llu\n", s,
			(unsigned long long) d, buf, r, (unsigned long long) back);
		abort();
	}
}

static void
check_time(const char *s, int64_t now)
{
	static const unsigned accepts[] = {
		TIME_PARSE_DATE | TIME_PARSE_DAY_WORD,
		TIME_PARSE_CLOCK | TIME_PARSE_DATETIME,
		TIME_PARSE_DATE | TIME_PARSE_DAY_WORD | TIME_PARSE_DATETIME,
		TIME_PARSE_DATETIME,
		TIME_PARSE_DATE | TIME_PARSE_DAY_WORD | TIME_PARSE_CLOCK | TIME_PARSE_DATETIME,
	};

	for (size_t i = 0; i < G_N_ELEMENTS(accepts); i++) {
		int64_t us = -42;
		GDate date;
		int r;

		g_date_clear(&date, 1);
		r = time_parse_local(s, accepts[i], now, &us, &date);
		if (r < 0) {
			FUZZ_CHECK(r == -EINVAL || r == -ERANGE);
			FUZZ_CHECK(us == -42);
			FUZZ_CHECK(!g_date_valid(&date));
			continue;
		}
		FUZZ_CHECK(r == 0);
		/* an instant lies in the wall-clock range; a day is in range by its date, so its
		 * first instant may lie up to a day outside (1970-01-01 east of UTC) */
		if (accepts[i] & (TIME_PARSE_DATE | TIME_PARSE_DAY_WORD))
			FUZZ_CHECK(us >= SITLOG_WALL_MIN_US - DAY_US && us <= SITLOG_WALL_MAX_US);
		else
			FUZZ_CHECK(us >= SITLOG_WALL_MIN_US && us <= SITLOG_WALL_MAX_US);
		FUZZ_CHECK(g_date_valid(&date));
		g_free(time_format_local(us, "%F %T"));
		/* without a date out-parameter too */
		{
			int64_t us2 = -42;

			FUZZ_CHECK(time_parse_local(s, accepts[i], now, &us2, NULL) == 0);
			FUZZ_CHECK(us2 == us);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t now = (int64_t) 1780000000 * 1000000; /* 2026-05-28 */
	char *s;

	/* "TEXT\0NOW": 8 bytes after a NUL are "now", within the wall-clock range */
	{
		const uint8_t *nul = memchr(data, '\0', size);

		if (nul && (size_t) (data + size - nul) > 8) {
			uint64_t v;

			memcpy(&v, nul + 1, sizeof(v));
			now = (int64_t) (v % (uint64_t) SITLOG_WALL_MAX_US);
		}
	}
	s = fuzz_string(data, size);
	check_duration(s);
	check_time(s, now);
	free(s);
	return 0;
}
