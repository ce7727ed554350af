/* SPDX-License-Identifier: MIT */
#pragma once

/* For tests and benchmarks that write a store by hand: close a bout as the daemon does, the
 * end, then the prompts the core found heeded (a break within heed_window of them, as
 * tracker_heeded_from() decides). */

#include <string.h>

#include "store.h"

static inline int
test_close_bout(struct store *s, int64_t id, int64_t end_ms, const char *ended_by,
		int64_t heed_window_ms)
{
	int r = store_bout_set_end(s, id, end_ms, ended_by);

	if (r >= 0 && ended_by && strcmp(ended_by, "break") == 0)
		r = store_prompts_set_heeded(s, id, end_ms - heed_window_ms);
	return r;
}
