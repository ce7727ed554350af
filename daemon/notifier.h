/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * How a prompt reaches the person: recorded only, printed to the log, or shown as a libnotify
 * desktop notification with "Done" and "Snooze" actions (when the server has actions and the
 * daemon runs a main loop to hear them). Answers come back through the response callback.
 */

#include <stdbool.h>
#include <stdint.h>

#include "time-util.h"

enum notify_mode {
	NOTIFY_NONE,    /* record prompts only */
	NOTIFY_LOG,     /* and print them to the log */
	NOTIFY_DESKTOP, /* and show a desktop notification (libnotify) */
};

/* Returns the mode or -EINVAL. */
int notify_mode_from_string(const char *s);

struct notifier;

/* The person answered the notification of prompt `prompt_id`: "done", "snoozed", "dismissed" or
 * "expired". Called from the main loop. */
typedef void (*notifier_response_fn)(int64_t prompt_id, const char *response, void *userdata);

/* interactive: offer actions and listen for answers (live mode); snooze: the snooze length, for
 * the action's label. */
struct notifier *notifier_new(enum notify_mode mode, bool interactive, usec_t snooze);
void notifier_free(struct notifier *n);
void notifier_set_response_fn(struct notifier *n, notifier_response_fn fn, void *userdata);

struct notifier_prompt {
	usec_t wall_us;  /* the prompt's wall-clock time (for the log) */
	usec_t bout_age;
	unsigned seq;
	bool escalated;  /* several prompts of this bout went unanswered: urgent, other words */
};

/* Show a prompt with the next exercise of the rotation; returns how it was delivered, for the
 * prompts table: "none", "log", "desktop" or "failed", and the exercise's id (NULL without a
 * catalogue) in *ret_exercise. */
const char *notifier_prompt(struct notifier *n, const struct notifier_prompt *p,
			    const char **ret_exercise);

/* The prompt just shown is row `prompt_id`: its answers are reported with this id. */
void notifier_bind(struct notifier *n, int64_t prompt_id);

/* Close the notification still on screen, if any (the person took a break): returns the id of
 * its prompt, or 0 when none was open. No response callback follows for it. */
int64_t notifier_close(struct notifier *n);

/* The rotation's position as text ("KIND POS0 POS1"), to keep it across restarts, and back. */
char *notifier_rotation_save(const struct notifier *n);
void notifier_rotation_restore(struct notifier *n, const char *saved);
