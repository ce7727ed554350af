/* SPDX-License-Identifier: MIT */
#include "recorder.h"

void
recorder_init(struct recorder *r, struct store *store)
{
	*r = (struct recorder) { .store = store };
}

int64_t
recorder_wall_ms(int64_t offset_us, usec_t t)
{
	int64_t us = (int64_t) t + offset_us;

	return us >= 0 ? us / 1000 : -((-us + 999) / 1000);
}

static const char *const reasons[] = {
	[PROMPT_DUE] = "due",
	[PROMPT_RESUMED] = "resumed",
	[PROMPT_SNOOZED] = "snoozed",
	[PROMPT_SUPPRESSED] = "suppressed",
};

int
recorder_apply(struct recorder *r, const struct tracker_event *ev, const struct recorder_labels *l,
	       int64_t *ret_prompt_id)
{
	int64_t id;
	int ret = 0;

	switch (ev->type) {
	case TRACKER_SEGMENT:
		if (r->open_segment > 0) {
			ret = store_segment_set_end(r->store, r->open_segment, l->ms);
			if (ret < 0)
				return ret;
		}
		ret = store_segment_begin(r->store, l->device_id, ev->posture, l->ms, &id);
		if (ret < 0)
			return ret;
		r->open_segment = id;
		r->open_posture = ev->posture;
		r->open_device_id = l->device_id;
		return 0;
	case TRACKER_FINISH:
		if (r->open_segment > 0)
			ret = store_segment_set_end(r->store, r->open_segment, l->ms);
		if (ret >= 0)
			r->open_segment = 0;
		return ret;
	case TRACKER_BOUT_BEGIN:
		ret = store_bout_begin(r->store, l->ms, &id);
		if (ret < 0)
			return ret;
		r->open_bout = id;
		r->last_bout = id;
		r->n_bouts++;
		return 0;
	case TRACKER_BOUT_END:
		ret = store_bout_set_end(r->store, r->open_bout, l->ms, ev->by_break ? "break" : "end");
		if (ret >= 0 && ev->heeded_from != USEC_INFINITY)
			ret = store_prompts_set_heeded(r->store, r->open_bout, l->heeded_from_ms);
		if (ret >= 0)
			r->open_bout = 0;
		return ret;
	case TRACKER_PROMPT:
		ret = store_prompt_add(r->store, r->open_bout, l->ms,
				       (int64_t) ((ev->time - ev->bout_start) / USEC_PER_MSEC),
				       (int) ev->seq, reasons[ev->reason], l->delivery, &id);
		if (ret >= 0 && l->exercise)
			ret = store_prompt_set_exercise(r->store, id, l->exercise);
		if (ret < 0)
			return ret;
		r->n_prompts++;
		if (ret_prompt_id)
			*ret_prompt_id = id;
		return 0;
	case TRACKER_PACE:
	case TRACKER_SUMMARY: {
		/* the day's prompts: with the open bout, the summary after a break with the last
		 * one; seq -1, they are not of the bout's schedule (docs/semantics.md) */
		int64_t bout = r->open_bout > 0 ? r->open_bout : r->last_bout;
		usec_t age = ev->bout_start != USEC_INFINITY && ev->time >= ev->bout_start ?
			ev->time - ev->bout_start : 0;

		if (bout <= 0)
			return 0; /* no bout in this run: nothing to tie it to, not recorded */
		ret = store_prompt_add(r->store, bout, l->ms, (int64_t) (age / USEC_PER_MSEC), -1,
				       ev->type == TRACKER_PACE ? "budget" : "summary", l->delivery,
				       &id);
		if (ret < 0)
			return ret;
		r->n_day_prompts++;
		if (ret_prompt_id)
			*ret_prompt_id = id;
		return 0;
	}
	}
	return 0;
}

int
recorder_response(struct recorder *r, int64_t prompt_id, const char *response, int64_t ms)
{
	return store_prompt_set_response(r->store, prompt_id, response, ms);
}

int
recorder_rebase(struct recorder *r, int64_t before_ms, int64_t after_ms)
{
	int64_t id;
	int ret = 0;

	if (r->open_segment > 0) {
		ret = store_segment_set_end(r->store, r->open_segment, before_ms);
		if (ret >= 0)
			ret = store_segment_begin(r->store, r->open_device_id, r->open_posture,
						  after_ms, &id);
		if (ret < 0)
			return ret;
		r->open_segment = id;
	}
	if (r->open_bout > 0)
		ret = store_bout_shift(r->store, r->open_bout, after_ms - before_ms);
	return ret;
}

int
recorder_heartbeat(struct recorder *r, int64_t ms)
{
	int ret = 0;

	if (r->open_segment > 0)
		ret = store_segment_set_end(r->store, r->open_segment, ms);
	if (ret >= 0 && r->open_bout > 0)
		ret = store_bout_set_end(r->store, r->open_bout, ms, NULL);
	return ret;
}
