/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <libnotify/notify.h>
#include <stdbool.h>
#include <stdio.h>

#include "exercises.h"
#include "notifier.h"

struct notifier {
	enum notify_mode mode;
	bool initialised;
	bool failure_logged;
	struct catalogue *catalogue; /* NULL: it could not be read (logged once) */
	struct rotation rotation;
};

int
notify_mode_from_string(const char *s)
{
	if (g_strcmp0(s, "none") == 0)
		return NOTIFY_NONE;
	if (g_strcmp0(s, "log") == 0)
		return NOTIFY_LOG;
	if (g_strcmp0(s, "desktop") == 0)
		return NOTIFY_DESKTOP;
	return -EINVAL;
}

struct notifier *
notifier_new(enum notify_mode mode)
{
	struct notifier *n = g_new0(struct notifier, 1);
	g_autofree char *error = NULL;

	n->mode = mode;
	if (catalogue_load(NULL, &n->catalogue, &error) < 0)
		g_warning("exercises: %s; prompts will not suggest one, ignoring", error);
	return n;
}

void
notifier_free(struct notifier *n)
{
	if (!n)
		return;
	if (n->initialised)
		notify_uninit();
	catalogue_free(n->catalogue);
	g_free(n);
}

static void
log_failure_once(struct notifier *n, const char *why)
{
	if (n->failure_logged)
		return;
	n->failure_logged = true;
	g_warning("notifications: %s; prompts are still recorded, ignoring", why);
}

static const char *
show_desktop(struct notifier *n, unsigned minutes, const struct exercise *ex)
{
	g_autoptr(GObject) note = NULL; /* libnotify 0.8 declares no autoptr of its own */
	g_autoptr(GError) error = NULL;
	g_autofree char *summary = NULL, *body = NULL;

	if (!n->initialised) {
		if (!notify_init("sitlog")) {
			log_failure_once(n, "cannot initialise libnotify");
			return "failed";
		}
		n->initialised = true;
	}
	summary = g_strdup_printf("You have been sitting for %u minutes", minutes);
	body = ex ? g_strdup_printf("%s, %s: %s", ex->name, ex->dose, ex->how) :
		    g_strdup("Stand up and move for a minute.");
	note = (GObject *) notify_notification_new(summary, body,
						   "preferences-desktop-accessibility");
	notify_notification_set_category(NOTIFY_NOTIFICATION(note), "x-sitlog.prompt");
	notify_notification_set_hint(NOTIFY_NOTIFICATION(note), "x-sitlog-bout-minutes",
				     g_variant_new_uint32(minutes));
	if (!notify_notification_show(NOTIFY_NOTIFICATION(note), &error)) {
		log_failure_once(n, error->message);
		return "failed";
	}
	return "desktop";
}

char *
notifier_rotation_save(const struct notifier *n)
{
	return g_strdup_printf("%u %u %u", (unsigned) n->rotation.next_kind, n->rotation.pos[0],
			       n->rotation.pos[1]);
}

void
notifier_rotation_restore(struct notifier *n, const char *saved)
{
	unsigned kind, a, b;

	if (saved && sscanf(saved, "%u %u %u", &kind, &a, &b) == 3 && kind < _EXERCISE_KIND_MAX) {
		n->rotation.next_kind = (enum exercise_kind) kind;
		n->rotation.pos[0] = a;
		n->rotation.pos[1] = b;
	}
}

const char *
notifier_prompt(struct notifier *n, usec_t wall_us, usec_t bout_age, unsigned seq,
		const char **ret_exercise)
{
	unsigned minutes = (unsigned) (bout_age / USEC_PER_MINUTE);
	const struct exercise *ex;

	/* the rotation goes on whether or not the prompt can be shown */
	ex = n->catalogue ? rotation_next(&n->rotation, n->catalogue) : NULL;
	*ret_exercise = ex ? ex->id : NULL;
	switch (n->mode) {
	case NOTIFY_NONE:
		return "none";
	case NOTIFY_LOG: {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local((gint64) (wall_us / USEC_PER_SEC));
		g_autofree char *when = g_date_time_format(dt, "%F %T");

		g_message("prompt %u at %s: sitting for %u minutes: %s (%s): %s", seq + 1, when,
			  minutes, ex ? ex->name : "stand up", ex ? ex->dose : "a minute",
			  ex ? ex->how : "and move");
		return "log";
	}
	case NOTIFY_DESKTOP:
		return show_desktop(n, minutes, ex);
	}
	g_assert_not_reached();
}
