/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "recorder.h"

void
recorder_init(struct recorder *r, struct store *store, struct notifier *notifier,
	      usec_t heed_window, unsigned escalate_after)
{
	g_autofree char *rotation = NULL;

	*r = (struct recorder) {
		.store = store,
		.notifier = notifier,
		.heed_window_ms = (int64_t) (heed_window / USEC_PER_MSEC),
		.escalate_after = escalate_after,
	};
	if (store_state_get(store, "exercise-rotation", &rotation) >= 0)
		notifier_rotation_restore(notifier, rotation);
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
		r->open_posture = ev->posture;
		r->open_device_id = device_id;
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
		r->bout_first_prompt = 0;
		r->bout_shown = 0;
		r->bout_answered = 0;
		r->n_bouts++;
		break;
	case TRACKER_BOUT_END:
		ret = store_bout_set_end(r->store, r->open_bout, ms, ev->by_break ? "break" : "end");
		if (ret >= 0 && ev->by_break)
			ret = store_prompts_set_heeded(r->store, r->open_bout, ms - r->heed_window_ms);
		r->open_bout = 0;
		if (ret >= 0 && ev->by_break) {
			/* the break is confirmed: the prompt on screen has done its work; it was
			 * answered when the person stood up */
			int64_t id = notifier_close(r->notifier);

			if (id > 0)
				ret = store_prompt_set_response(r->store, id, "auto-closed", ms);
		}
		break;
	case TRACKER_PROMPT: {
		static const char *const reasons[] = {
			[PROMPT_DUE] = "due",
			[PROMPT_RESUMED] = "resumed",
			[PROMPT_SNOOZED] = "snoozed",
			[PROMPT_SUPPRESSED] = "suppressed",
		};
		usec_t age = ev->time - ev->bout_start;
		const char *exercise = NULL, *delivery = ev->quiet ? ev->quiet : "none";
		g_autofree char *rotation = NULL;
		bool shown = ev->reason != PROMPT_SUPPRESSED;
		int64_t id;

		/* a suppressed prompt is kept, but nobody sees it: no exercise is used up */
		if (shown) {
			struct notifier_prompt p = {
				.wall_us = (usec_t) ((int64_t) ev->time + r->offset_us),
				.bout_age = age,
				.seq = ev->seq,
				.escalated = r->escalate_after > 0 &&
					     r->bout_shown - r->bout_answered >= r->escalate_after,
			};

			delivery = notifier_prompt(r->notifier, &p, &exercise);
		}
		rotation = notifier_rotation_save(r->notifier);
		ret = store_prompt_add(r->store, r->open_bout, ms, (int64_t) (age / USEC_PER_MSEC),
				       (int) ev->seq, reasons[ev->reason], delivery, &id);
		if (ret >= 0 && shown) {
			notifier_bind(r->notifier, id);
			if (r->bout_first_prompt == 0)
				r->bout_first_prompt = id;
			r->bout_shown++;
		}
		if (ret >= 0)
			ret = store_prompt_set_exercise(r->store, id, exercise);
		/* the next prompt goes on with the next exercise, across restarts too */
		if (ret >= 0)
			ret = store_state_set(r->store, "exercise-rotation", rotation);
		r->n_prompts++;
		break;
	}
	}
	return ret;
}

int
recorder_response(struct recorder *r, int64_t prompt_id, const char *response, usec_t now)
{
	int ret = store_prompt_set_response(r->store, prompt_id, response, recorder_wall_ms(r, now));

	if (ret > 0 && r->open_bout > 0 && r->bout_first_prompt > 0 &&
	    prompt_id >= r->bout_first_prompt &&
	    (g_str_equal(response, "done") || g_str_equal(response, "snoozed")))
		r->bout_answered++;
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
recorder_rebase(struct recorder *r, usec_t now, int64_t new_offset_us)
{
	int64_t before = recorder_wall_ms(r, now), after;
	int ret = 0;

	r->offset_us = new_offset_us;
	after = recorder_wall_ms(r, now);
	if (r->open_segment > 0) {
		ret = store_segment_set_end(r->store, r->open_segment, before);
		if (ret >= 0)
			ret = store_segment_begin(r->store, r->open_device_id, r->open_posture, after,
						  &r->open_segment);
	}
	if (ret >= 0 && r->open_bout > 0)
		ret = store_bout_shift(r->store, r->open_bout, after - before);
	return ret;
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
		ret = store_bout_set_end(r->store, r->open_bout, ms, NULL);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static char *
axis_key(int64_t device_id)
{
	return g_strdup_printf("imu-axis:%" G_GINT64_FORMAT, device_id);
}

int
recorder_load_axis(struct recorder *r, int64_t device_id, double ret_axis[3])
{
	g_autofree char *key = axis_key(device_id), *value = NULL;
	g_auto(GStrv) parts = NULL;
	double v[3];
	int ret = store_state_get(r->store, key, &value);

	if (ret < 0)
		return ret;
	parts = g_strsplit(value, " ", -1);
	if (g_strv_length(parts) != 3)
		return -ENOENT;
	for (int i = 0; i < 3; i++) {
		char *end;

		v[i] = g_ascii_strtod(parts[i], &end);
		if (*end != '\0' || end == parts[i])
			return -ENOENT;
	}
	memcpy(ret_axis, v, sizeof(v));
	return 0;
}

int
recorder_save_axis(struct recorder *r, int64_t device_id, const double axis[3])
{
	g_autofree char *key = axis_key(device_id), *value = NULL;
	char buf[3][G_ASCII_DTOSTR_BUF_SIZE];

	/* C locale numbers whatever the user's locale */
	value = g_strdup_printf("%s %s %s", g_ascii_formatd(buf[0], sizeof(buf[0]), "%.6f", axis[0]),
				g_ascii_formatd(buf[1], sizeof(buf[1]), "%.6f", axis[1]),
				g_ascii_formatd(buf[2], sizeof(buf[2]), "%.6f", axis[2]));
	return store_state_set(r->store, key, value);
}
