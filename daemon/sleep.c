/* SPDX-License-Identifier: MIT */
/*
 * A sleep, from logind's signals and from the clocks (sleep.h). What is open ends where the
 * sleep began; the devices are read again when it is over.
 */
#include <glib.h>

#include "sleep.h"

void
sleep_watch_init(struct sleep_watch *w, const struct sleep_ops *ops, void *userdata)
{
	*w = (struct sleep_watch) { .ops = ops, .userdata = userdata };
}

void
sleep_watch_set_session(struct sleep_watch *w, struct session *session)
{
	w->session = session;
}

/* Read both clocks; note a sleep since the last reading. Returns CLOCK_BOOTTIME, never
 * earlier than what was handed out. */
static usec_t
observe(struct sleep_watch *w)
{
	usec_t boot, mono;
	int64_t offset;

	w->ops->read_clocks(w->userdata, &boot, &mono);
	offset = (int64_t) boot - (int64_t) mono;
	if (w->have_offset && offset - w->offset > (int64_t) SLEEP_TOLERANCE) {
		if (!w->gap)
			w->gap_slept = 0;
		w->gap = true;
		w->gap_slept += (usec_t) (offset - w->offset);
	}
	w->offset = offset;
	w->have_offset = true;
	return boot < w->last ? w->last : boot;
}

usec_t
sleep_watch_now(struct sleep_watch *w)
{
	usec_t now = observe(w);

	/* the moment the sleep began, until a wake-up has put the sleep there */
	if (!w->gap)
		w->last = now;
	return w->last;
}

usec_t
sleep_watch_wake(struct sleep_watch *w)
{
	usec_t now = observe(w), began = w->last;

	if (!w->gap) {
		w->last = now;
		return now;
	}
	w->gap = false;
	w->last = now;
	g_message("the system slept for %.0f s: posture unknown from the last moment seen before "
		  "it, %.0f s ago; reading the devices again", (double) w->gap_slept / 1e6,
		  (double) (now - began) / 1e6);
	if (w->session)
		session_all_gone(w->session, began);
	w->announced = false;
	w->unmatched = true;
	w->ops->resumed(w->userdata, now);
	return now;
}

usec_t
sleep_watch_prepare(struct sleep_watch *w, bool sleeping)
{
	usec_t now = sleep_watch_wake(w);

	if (sleeping) {
		if (w->unmatched) {
			g_message("PrepareForSleep(true) came after the sleep it announces: it is "
				  "over, ignoring");
			return now;
		}
		g_message("suspending: posture unknown until resume");
		if (w->session)
			session_all_gone(w->session, now);
		w->announced = true;
		return now;
	}
	/* unless the clocks had the devices read for this sleep already: it was shorter than
	 * SLEEP_TOLERANCE, failed, or its (true) was not heard */
	if (!w->unmatched)
		w->ops->resumed(w->userdata, now);
	g_message("resumed");
	w->announced = false;
	w->unmatched = false;
	return now;
}
