/* SPDX-License-Identifier: MIT */
#pragma once

#include "time-util.h"

enum notify_mode {
	NOTIFY_NONE,    /* record prompts only */
	NOTIFY_LOG,     /* and print them to the log */
	NOTIFY_DESKTOP, /* and show a desktop notification (libnotify) */
};

/* Returns the mode or -EINVAL. */
int notify_mode_from_string(const char *s);

struct notifier;

struct notifier *notifier_new(enum notify_mode mode);
void notifier_free(struct notifier *n);

/* Show a prompt with the next exercise of the rotation; returns how it was delivered, for the
 * prompts table: "none", "log", "desktop" or "failed", and the exercise's id (NULL without a
 * catalogue) in *ret_exercise. wall_us is the prompt's wall-clock time (for the log). */
const char *notifier_prompt(struct notifier *n, usec_t wall_us, usec_t bout_age, unsigned seq,
			    const char **ret_exercise);

/* The rotation's position as text ("KIND POS0 POS1"), to keep it across restarts, and back. */
char *notifier_rotation_save(const struct notifier *n);
void notifier_rotation_restore(struct notifier *n, const char *saved);
