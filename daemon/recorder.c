/* SPDX-License-Identifier: MIT */
#include <assert.h>

#include "recorder.h"

void
recorder_init(struct recorder *r, struct store *store, struct notifier *notifier,
	      usec_t heed_window)
{
	*r = (struct recorder) {
		.store = store,
		.notifier = notifier,
		.heed_window_ms = (int64_t) (heed_window / USEC_PER_MSEC),
	};
}

int64_t
recorder_wall_ms(const struct recorder *r, usec_t t)
{
	/* floor(µs / 1000), docs/semantics.md */
	int64_t us = (int64_t) t + r->offset_us;

	return us >= 0 ? us / 1000 : -((-us + 999) / 1000);
}

int
recorder_apply(struct recorder *r, const struct tracker_event *ev)
{
	int64_t ms = recorder_wall_ms(r, ev->time);
	int ret = 0;

	switch (ev->type) {
	case TRACKER_SEGMENT: {
		int64_t device_id = 0;

		if (ev->source >= 0) {
			assert(ev->source < RECORDER_MAX_DEVICES);
			device_id = r->device_ids[ev->source];
		}
		if (r->open_segment > 0) {
			ret = store_segment_set_end(r->store, r->open_segment, ms);
			if (ret < 0)
				return ret;
		}
		ret = store_segment_begin(r->store, device_id, ev->posture, ms, &r->open_segment);
		break;
	}
	case TRACKER_FINISH:
		if (r->open_segment > 0)
			ret = store_segment_set_end(r->store, r->open_segment, ms);
		r->open_segment = 0;
		break;
	case TRACKER_BOUT_BEGIN:
		ret = store_bout_begin(r->store, ms, &r->open_bout);
		r->open_bout_start = ev->time;
		r->n_bouts++;
		break;
	case TRACKER_BOUT_END:
		ret = store_bout_set_end(r->store, r->open_bout, ms, ev->by_break ? "break" : "end",
					 r->heed_window_ms);
		r->open_bout = 0;
		break;
	case TRACKER_PROMPT: {
		usec_t age = ev->time - ev->bout_start;
		const char *delivery = notifier_prompt(r->notifier,
						       (usec_t) ((int64_t) ev->time + r->offset_us),
						       age, ev->seq);

		ret = store_prompt_add(r->store, r->open_bout, ms, (int64_t) (age / USEC_PER_MSEC),
				       (int) ev->seq,
				       ev->reason == PROMPT_RESUMED ? "resumed" : "due", delivery,
				       NULL);
		r->n_prompts++;
		break;
	}
	}
	return ret;
}

int
recorder_drain(struct recorder *r, struct core *core)
{
	struct tracker_event ev;

	while (core_next_event(core, &ev)) {
		int ret = recorder_apply(r, &ev);

		if (ret < 0)
			return ret;
	}
	return 0;
}

int
recorder_heartbeat(struct recorder *r, usec_t now)
{
	int64_t ms = recorder_wall_ms(r, now);
	int ret;

	if (r->open_segment > 0) {
		ret = store_segment_set_end(r->store, r->open_segment, ms);
		if (ret < 0)
			return ret;
	}
	if (r->open_bout > 0) {
		ret = store_bout_set_end(r->store, r->open_bout, ms, NULL, r->heed_window_ms);
		if (ret < 0)
			return ret;
	}
	return 0;
}
