/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <libnotify/notify.h>
#include <stdbool.h>
#include <stdio.h>

#include "notifier.h"
#include "time-parse.h"

struct notifier {
	enum notify_mode mode;
	bool interactive;
	usec_t snooze;
	bool initialised;
	bool failing; /* the last attempt failed (logged once until it works again) */
	/* the server's "actions" capability, asked once per owner of its name */
	bool caps_known;
	bool caps_actions;
	guint name_watch;

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

const char *
notify_mode_to_string(enum notify_mode mode)
{
	switch (mode) {
	case NOTIFY_NONE:
		return "none";
	case NOTIFY_LOG:
		return "log";
	case NOTIFY_DESKTOP:
		return "desktop";
	}
	g_assert_not_reached();
}

/* A new server (or none): what it can do is asked again at its first prompt. */
static void
on_server_changed(GDBusConnection *bus, const char *name, const char *owner, gpointer data)
{
	struct notifier *n = data;

	n->caps_known = false;
}

static void
on_server_gone(GDBusConnection *bus, const char *name, gpointer data)
{
	struct notifier *n = data;

	n->caps_known = false;
}

struct notifier *
notifier_new(enum notify_mode mode, bool interactive, usec_t snooze)
{
	struct notifier *n = g_new0(struct notifier, 1);

	n->mode = mode;
	n->interactive = interactive;
	n->snooze = snooze;
	if (mode == NOTIFY_DESKTOP && interactive)
		n->name_watch = g_bus_watch_name(G_BUS_TYPE_SESSION, "org.freedesktop.Notifications",
						 G_BUS_NAME_WATCHER_FLAGS_NONE, on_server_changed,
						 on_server_gone, n, NULL);
	return n;
}

void
notifier_set_snooze(struct notifier *n, usec_t snooze)
{
	n->snooze = snooze;
}

enum notify_mode
notifier_mode(const struct notifier *n)
{
	return n->mode;
}

bool
notifier_keeps_current(const struct notifier *n)
{
	return n->mode == NOTIFY_DESKTOP && n->interactive;
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
	if (n->name_watch)
		g_bus_unwatch_name(n->name_watch);
	if (n->initialised)
		notify_uninit();
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
server_has_actions(struct notifier *n)
{
	GList *caps;

	if (n->caps_known)
		return n->caps_actions;
	caps = notify_get_server_caps();
	n->caps_actions = g_list_find_custom(caps, "actions", (GCompareFunc) g_strcmp0) != NULL;
	/* no answer (no server yet) is not an answer: ask again next time */
	n->caps_known = caps != NULL;
	g_list_free_full(caps, g_free);
	return n->caps_actions;
}

static int
show_desktop(struct notifier *n, const struct notifier_prompt *p)
{
	const struct exercise *ex = p->exercise;
	unsigned minutes = (unsigned) (p->bout_age / USEC_PER_MINUTE);
	g_autoptr(GError) error = NULL;
	g_autofree char *summary = NULL, *body = NULL, *snooze_label = NULL;
	const char *icon = "preferences-desktop-accessibility";
	NotifyNotification *note;

	if (!n->initialised) {
		if (!notify_init("sitlog")) {
			failed(n, "cannot initialise libnotify");
			return -EIO;
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
	if (n->interactive && server_has_actions(n)) {
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
		return -EIO;
	}
	if (n->failing)
		g_message("notifications: shown again");
	n->failing = false;
	if (!n->interactive)
		forget_current(n); /* nobody listens for its answers */
	else
		n->current_prompt = p->prompt_id;
	return 0;
}

/* "4 h 50 min", "35 min", "2 h" */
static char *
hm(usec_t d)
{
	unsigned m = (unsigned) ((d + USEC_PER_MINUTE / 2) / USEC_PER_MINUTE);

	if (m < 60)
		return g_strdup_printf("%u min", m);
	if (m % 60 == 0)
		return g_strdup_printf("%u h", m / 60);
	return g_strdup_printf("%u h %u min", m / 60, m % 60);
}

void
notifier_day_text(const struct notifier_prompt *p, char **ret_summary, char **ret_body)
{
	const struct budget_figures *f = &p->figures;
	g_autofree char *sitting = hm(f->sitting), *budget = hm(f->budget);
	g_autofree char *upright = hm(f->upright), *target = hm(f->upright_target);

	if (p->kind == NOTIFIER_PACE) {
		*ret_summary = g_strdup_printf("%s of sitting today", sitting);
		if (p->work_end_wall_us != USEC_INFINITY) {
			g_autofree char *proj = hm(f->projected);
			g_autofree char *end = time_format_local((int64_t) p->work_end_wall_us,
								 "%H:%M");

			*ret_body = g_strdup_printf("%s so far; at this pace \u2248 %s by %s; budget %s. "
						    "A longer upright block now would help: stand "
						    "or walk for the next half hour.",
						    sitting, proj, end, budget);
		} else {
			*ret_body = g_strdup_printf("%s so far: %u %% of the day's budget of %s. A "
						    "longer upright block now would help: stand "
						    "or walk for the next half hour.",
						    sitting, BUDGET_PACE_SHARE_PERCENT, budget);
		}
		return;
	}
	{
		g_autofree char *longest = hm(f->longest_bout), *avg = hm(f->avg_sitting_7d);
		g_autofree char *up = f->upright_target ?
			g_strdup_printf("upright %s of %s", upright, target) :
			g_strdup_printf("upright %s", upright);

		*ret_summary = g_strdup_printf("Today: %s sitting (budget %s)", sitting, budget);
		*ret_body = g_strdup_printf("Longest bout %s; %u prolonged bout%s; %u of %u prompt%s "
					    "heeded; %s%s%s.",
					    longest, f->prolonged_bouts,
					    f->prolonged_bouts == 1 ? "" : "s", f->prompts_heeded,
					    f->prompts, f->prompts == 1 ? "" : "s", up,
					    f->have_history ? "; the last 7 days' average " : "",
					    f->have_history ? avg : "");
	}
}

/* A pace prompt or a summary: a notice of its own beside a bout's prompt, nothing to answer. */
static int
show_day_desktop(struct notifier *n, const struct notifier_prompt *p)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *summary = NULL, *body = NULL;
	NotifyNotification *note;
	bool pace = p->kind == NOTIFIER_PACE;
	gboolean shown;

	if (!n->initialised) {
		if (!notify_init("sitlog")) {
			failed(n, "cannot initialise libnotify");
			return -EIO;
		}
		n->initialised = true;
	}
	notifier_day_text(p, &summary, &body);
	note = notify_notification_new(summary, body, "preferences-desktop-accessibility");
	notify_notification_set_app_name(note, "sitlog");
	notify_notification_set_category(note, pace ? "x-sitlog.budget" : "x-sitlog.summary");
	notify_notification_set_urgency(note, NOTIFY_URGENCY_NORMAL);
	notify_notification_set_hint(note, "x-sitlog-kind",
				     g_variant_new_string(pace ? "budget" : "summary"));
	notify_notification_set_hint(note, "x-sitlog-sitting-minutes",
				     g_variant_new_uint32((guint32) (p->figures.sitting /
								     USEC_PER_MINUTE)));
	shown = notify_notification_show(note, &error);
	g_object_unref(note); /* nothing is heard from it */
	if (!shown) {
		failed(n, error->message);
		return -EIO;
	}
	if (n->failing)
		g_message("notifications: shown again");
	n->failing = false;
	return 0;
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

int
notifier_show(struct notifier *n, const struct notifier_prompt *p)
{
	unsigned minutes = (unsigned) (p->bout_age / USEC_PER_MINUTE);
	const struct exercise *ex = p->exercise;

	if (p->kind != NOTIFIER_BOUT && n->mode == NOTIFY_LOG) {
		g_autofree char *when = time_format_local((int64_t) p->wall_us, "%F %T");
		g_autofree char *summary = NULL, *body = NULL;

		notifier_day_text(p, &summary, &body);
		g_message("%s at %s: %s: %s", p->kind == NOTIFIER_PACE ? "pace prompt" : "summary",
			  when, summary, body);
		return 0;
	}
	if (p->kind != NOTIFIER_BOUT && n->mode == NOTIFY_DESKTOP)
		return show_day_desktop(n, p);
	switch (n->mode) {
	case NOTIFY_NONE:
		return 0;
	case NOTIFY_LOG: {
		g_autofree char *when = time_format_local((int64_t) p->wall_us, "%F %T");

		g_message("prompt %u at %s: sitting for %u minutes%s: %s (%s): %s", p->seq + 1, when,
			  minutes, p->escalated ? " (escalated)" : "", ex ? ex->name : "stand up",
			  ex ? ex->dose : "a minute", ex ? ex->how : "and move");
		return 0;
	}
	case NOTIFY_DESKTOP:
		return show_desktop(n, p);
	}
	g_assert_not_reached();
}
