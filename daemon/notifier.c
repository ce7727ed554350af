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
	bool interactive;
	usec_t snooze;
	bool initialised;
	bool failing; /* the last attempt failed (logged once until it works again) */
	struct catalogue *catalogue; /* NULL: it could not be read (logged once) */
	struct rotation rotation;

	NotifyNotification *current; /* on screen, as far as we know */
	int64_t current_prompt;
	notifier_response_fn response_fn;
	void *response_userdata;
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
notifier_new(enum notify_mode mode, bool interactive, usec_t snooze)
{
	struct notifier *n = g_new0(struct notifier, 1);
	g_autofree char *error = NULL;

	n->mode = mode;
	n->interactive = interactive;
	n->snooze = snooze;
	if (catalogue_load(NULL, &n->catalogue, &error) < 0)
		g_warning("exercises: %s; prompts will not suggest one, ignoring", error);
	return n;
}

static void
forget_current(struct notifier *n)
{
	if (!n->current)
		return;
	g_signal_handlers_disconnect_by_data(n->current, n);
	g_clear_object(&n->current);
	n->current_prompt = 0;
}

void
notifier_free(struct notifier *n)
{
	if (!n)
		return;
	forget_current(n);
	if (n->initialised)
		notify_uninit();
	catalogue_free(n->catalogue);
	g_free(n);
}

void
notifier_set_response_fn(struct notifier *n, notifier_response_fn fn, void *userdata)
{
	n->response_fn = fn;
	n->response_userdata = userdata;
}

static void
failed(struct notifier *n, const char *why)
{
	if (n->failing)
		return;
	n->failing = true;
	g_warning("notifications: %s; prompts are still recorded, trying again at the next one",
		  why);
}

static void
respond(struct notifier *n, const char *response)
{
	int64_t id = n->current_prompt;

	if (id > 0 && n->response_fn)
		n->response_fn(id, response, n->response_userdata);
}

static void
on_action(NotifyNotification *note, char *action, gpointer data)
{
	struct notifier *n = data;

	if (note != n->current)
		return;
	respond(n, g_str_equal(action, "snooze") ? "snoozed" : "done");
	/* the server closes it (and tells us why); nothing more is reported for this prompt */
	n->current_prompt = 0;
}

static void
on_closed(NotifyNotification *note, gpointer data)
{
	struct notifier *n = data;

	if (note != n->current)
		return;
	/* org.freedesktop.Notifications: 1 expired, 2 dismissed by the user, 3 closed by a call */
	switch (notify_notification_get_closed_reason(note)) {
	case 1:
		respond(n, "expired");
		break;
	case 2:
		respond(n, "dismissed");
		break;
	default:
		break;
	}
	forget_current(n);
}

static bool
server_has_actions(void)
{
	GList *caps = notify_get_server_caps();
	bool found = g_list_find_custom(caps, "actions", (GCompareFunc) g_strcmp0) != NULL;

	g_list_free_full(caps, g_free);
	return found;
}

static const char *
show_desktop(struct notifier *n, const struct notifier_prompt *p, const struct exercise *ex)
{
	unsigned minutes = (unsigned) (p->bout_age / USEC_PER_MINUTE);
	g_autoptr(GError) error = NULL;
	g_autofree char *summary = NULL, *body = NULL, *snooze_label = NULL;
	const char *icon = "preferences-desktop-accessibility";
	NotifyNotification *note;

	if (!n->initialised) {
		if (!notify_init("sitlog")) {
			failed(n, "cannot initialise libnotify");
			return "failed";
		}
		n->initialised = true;
	}
	if (p->escalated)
		summary = g_strdup_printf("Still sitting: %u minutes without a break", minutes);
	else
		summary = g_strdup_printf("You have been sitting for %u minutes", minutes);
	if (ex && p->escalated)
		body = g_strdup_printf("Please stand up now. %s, %s: %s", ex->name, ex->dose, ex->how);
	else if (ex)
		body = g_strdup_printf("%s, %s: %s", ex->name, ex->dose, ex->how);
	else
		body = g_strdup("Stand up and move for a minute.");

	/* A notification still on screen is replaced in place: one sitlog prompt at a time. */
	if (n->current) {
		notify_notification_update(n->current, summary, body, icon);
		notify_notification_clear_actions(n->current);
		n->current_prompt = 0;
	} else {
		n->current = notify_notification_new(summary, body, icon);
		g_signal_connect(n->current, "closed", G_CALLBACK(on_closed), n);
	}
	note = n->current;
	notify_notification_set_app_name(note, "sitlog");
	notify_notification_set_category(note, "x-sitlog.prompt");
	notify_notification_set_urgency(note, p->escalated ? NOTIFY_URGENCY_CRITICAL :
							     NOTIFY_URGENCY_NORMAL);
	notify_notification_set_hint(note, "x-sitlog-bout-minutes", g_variant_new_uint32(minutes));
	notify_notification_set_hint(note, "x-sitlog-escalated",
				     g_variant_new_boolean(p->escalated));
	if (ex)
		notify_notification_set_hint(note, "x-sitlog-exercise", g_variant_new_string(ex->id));
	if (n->interactive && server_has_actions()) {
		snooze_label = n->snooze < USEC_PER_MINUTE ?
			g_strdup_printf("Snooze %u s", (unsigned) (n->snooze / USEC_PER_SEC)) :
			g_strdup_printf("Snooze %u min", (unsigned) ((n->snooze + USEC_PER_MINUTE / 2) /
								     USEC_PER_MINUTE));
		notify_notification_add_action(note, "done", "Done", on_action, n, NULL);
		notify_notification_add_action(note, "snooze", snooze_label, on_action, n, NULL);
	}
	if (!notify_notification_show(note, &error)) {
		failed(n, error->message);
		forget_current(n);
		return "failed";
	}
	if (n->failing)
		g_message("notifications: shown again");
	n->failing = false;
	if (!n->interactive)
		forget_current(n); /* nobody listens for its answers */
	return "desktop";
}

void
notifier_bind(struct notifier *n, int64_t prompt_id)
{
	if (n->current)
		n->current_prompt = prompt_id;
}

int64_t
notifier_close(struct notifier *n)
{
	g_autoptr(GError) error = NULL;
	int64_t id;

	if (!n->current)
		return 0;
	id = n->current_prompt;
	if (!notify_notification_close(n->current, &error))
		g_message("notifications: cannot close the prompt: %s", error->message);
	forget_current(n);
	return id;
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
notifier_prompt(struct notifier *n, const struct notifier_prompt *p, const char **ret_exercise)
{
	unsigned minutes = (unsigned) (p->bout_age / USEC_PER_MINUTE);
	const struct exercise *ex;

	/* the rotation goes on whether or not the prompt can be shown */
	ex = n->catalogue ? rotation_next(&n->rotation, n->catalogue) : NULL;
	*ret_exercise = ex ? ex->id : NULL;
	switch (n->mode) {
	case NOTIFY_NONE:
		return "none";
	case NOTIFY_LOG: {
		g_autoptr(GDateTime) dt =
			g_date_time_new_from_unix_local((gint64) (p->wall_us / USEC_PER_SEC));
		g_autofree char *when = g_date_time_format(dt, "%F %T");

		g_message("prompt %u at %s: sitting for %u minutes%s: %s (%s): %s", p->seq + 1, when,
			  minutes, p->escalated ? " (escalated)" : "", ex ? ex->name : "stand up",
			  ex ? ex->dose : "a minute", ex ? ex->how : "and move");
		return "log";
	}
	case NOTIFY_DESKTOP:
		return show_desktop(n, p, ex);
	}
	g_assert_not_reached();
}
