/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * How a prompt reaches the person: recorded only, printed to the log, or shown as a libnotify
 * desktop notification with "Done" and "Snooze" actions (when the server has actions and the
 * daemon runs a main loop to hear them). The session calls it after the prompt's row is
 * committed; answers come back through the response callback. The server's capabilities are
 * asked once per server: again only when the name's owner changes.
 */

#include <stdbool.h>
#include <stdint.h>

#include "budget.h"
#include "exercises.h"
#include "time-util.h"

enum notify_mode {
	NOTIFY_NONE,    /* record prompts only */
	NOTIFY_LOG,     /* and print them to the log */
	NOTIFY_DESKTOP, /* and show a desktop notification (libnotify) */
};

/* Returns the mode or -EINVAL. */
int notify_mode_from_string(const char *s);
/* "none", "log" or "desktop": the delivery recorded with a prompt before it is shown. */
const char *notify_mode_to_string(enum notify_mode mode);

struct notifier;

/* The person answered the notification of prompt `prompt_id`: "done", "snoozed", "dismissed" or
 * "expired". Called from the main loop. */
typedef void (*notifier_response_fn)(int64_t prompt_id, const char *response, void *userdata);

/* interactive: offer actions and listen for answers (live mode); snooze: the snooze length, for
 * the action's label. */
struct notifier *notifier_new(enum notify_mode mode, bool interactive, usec_t snooze);
void notifier_free(struct notifier *n);
void notifier_set_response_fn(struct notifier *n, notifier_response_fn fn, void *userdata);
/* The snooze length changed (a reload): the next action's label says so. */
void notifier_set_snooze(struct notifier *n, usec_t snooze);
enum notify_mode notifier_mode(const struct notifier *n);

enum notifier_kind {
	NOTIFIER_BOUT,    /* a bout's prompt: Done and Snooze, one on screen at a time */
	NOTIFIER_PACE,    /* the day's pace prompt (figures): a notice of its own, no actions */
	NOTIFIER_SUMMARY, /* the end-of-day summary (figures): a notice of its own, no actions */
};

struct notifier_prompt {
	enum notifier_kind kind;
	int64_t prompt_id; /* its row: answers are reported with it */
	usec_t wall_us;    /* the prompt's wall-clock time (for the log) */
	usec_t bout_age;
	unsigned seq;
	bool escalated;    /* several prompts of this bout went unanswered: urgent, other words */
	const struct exercise *exercise; /* NULL: none */
	/* NOTIFIER_PACE, NOTIFIER_SUMMARY */
	struct budget_figures figures;
	usec_t work_end_wall_us; /* the working hours' end, wall clock; USEC_INFINITY: none */
};

/* The words of a pace prompt or a summary (NOTIFIER_PACE, NOTIFIER_SUMMARY): a title and a
 * body (g_free() both). Local times are the wall clock's. */
void notifier_day_text(const struct notifier_prompt *p, char **ret_summary, char **ret_body);

/* Show a prompt. Returns 0, or -EIO when a desktop notification could not be shown (logged
 * once until it works again). */
int notifier_show(struct notifier *n, const struct notifier_prompt *p);

/* Does a notification stay on screen that answers can come from (interactive desktop)? */
bool notifier_keeps_current(const struct notifier *n);

/* Close the notification still on screen, if any (the person took a break): returns the id of
 * its prompt, or 0 when none was open. No response callback follows for it. */
int64_t notifier_close(struct notifier *n);
