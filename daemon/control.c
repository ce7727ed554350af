/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "control.h"
#include "sitlog-dbus.h"
#include "sitlog-limits.h"

struct control {
	const struct control_ops *ops;
	void *userdata;
	SitlogSitlog1 *iface; /* the generated skeleton, exported while bus is set */
	GDBusConnection *bus;
	guint owner_id;
};

/* Seconds from a caller, bounded like every duration a person gives (sitlog-limits.h): 0 asks
 * for the configured length, and whole seconds cannot fall short of SITLOG_DURATION_MIN. */
static bool
seconds_arg(guint64 s, GDBusMethodInvocation *inv, usec_t *ret)
{
	const uint64_t max = SITLOG_DURATION_MAX / USEC_PER_SEC;

	if (s > max) {
		g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
						      "%" PRIu64 " s is longer than %" PRIu64
						      " s (%" PRIu64 " days)",
						      (uint64_t) s, max, max / (24 * 3600));
		return false;
	}
	*ret = (usec_t) s * USEC_PER_SEC;
	return true;
}

static gboolean
on_pause(SitlogSitlog1 *iface, GDBusMethodInvocation *inv, guint64 seconds, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;
	usec_t length;
	int64_t until;

	if (!seconds_arg(seconds, inv, &length))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	until = c->ops->pause(c->userdata, length, &error);
	if (error)
		g_dbus_method_invocation_return_gerror(inv, error);
	else
		sitlog_sitlog1_complete_pause(iface, inv, until);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_resume(SitlogSitlog1 *iface, GDBusMethodInvocation *inv, gpointer data)
{
	struct control *c = data;

	c->ops->resume(c->userdata);
	sitlog_sitlog1_complete_resume(iface, inv);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_snooze(SitlogSitlog1 *iface, GDBusMethodInvocation *inv, guint64 seconds, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;
	usec_t length;
	int64_t next;

	if (!seconds_arg(seconds, inv, &length))
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	next = c->ops->snooze(c->userdata, length, &error);
	if (error)
		g_dbus_method_invocation_return_gerror(inv, error);
	else if (next < 0)
		g_dbus_method_invocation_return_dbus_error(
			inv, SITLOG_DBUS_ERROR_NO_BOUT,
			"no sitting bout is open: there is no prompt to snooze");
	else
		sitlog_sitlog1_complete_snooze(iface, inv, next);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_prune(SitlogSitlog1 *iface, GDBusMethodInvocation *inv, gint64 before, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;
	unsigned n[3];
	int r = c->ops->prune(c->userdata, before, n, &error);

	if (r == -EINVAL)
		g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
						      "%s", error ? error->message :
								    "a time after now");
	else if (r < 0)
		g_dbus_method_invocation_return_dbus_error(inv, SITLOG_DBUS_ERROR_FAILED,
							   error ? error->message : g_strerror(-r));
	else
		sitlog_sitlog1_complete_prune(iface, inv, n[0], n[1], n[2]);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_bus_acquired(GDBusConnection *bus, const char *name, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;

	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(c->iface), bus,
					      SITLOG_DBUS_PATH, &error)) {
		g_warning("D-Bus: cannot export %s: %s", SITLOG_DBUS_PATH, error->message);
		return;
	}
	c->bus = g_object_ref(bus);
}

static void
on_name_lost(GDBusConnection *bus, const char *name, gpointer data)
{
	if (!bus)
		g_message("no session bus: sitlog status, pause, resume and snooze cannot reach this "
			  "daemon, ignoring");
	else
		g_warning("D-Bus: cannot own %s (another program has it), ignoring", name);
}

struct control *
control_new(const struct control_ops *ops, void *userdata)
{
	struct control *c = g_new0(struct control, 1);

	c->ops = ops;
	c->userdata = userdata;
	c->iface = sitlog_sitlog1_skeleton_new();
	sitlog_sitlog1_set_posture(c->iface, "unknown");
	sitlog_sitlog1_set_quiet(c->iface, "");
	g_signal_connect(c->iface, "handle-pause", G_CALLBACK(on_pause), c);
	g_signal_connect(c->iface, "handle-resume", G_CALLBACK(on_resume), c);
	g_signal_connect(c->iface, "handle-snooze", G_CALLBACK(on_snooze), c);
	g_signal_connect(c->iface, "handle-prune", G_CALLBACK(on_prune), c);
	c->owner_id = g_bus_own_name(G_BUS_TYPE_SESSION, SITLOG_DBUS_NAME,
				     G_BUS_NAME_OWNER_FLAGS_NONE, on_bus_acquired, NULL,
				     on_name_lost, c, NULL);
	return c;
}

void
control_free(struct control *c)
{
	if (!c)
		return;
	g_signal_handlers_disconnect_by_data(c->iface, c);
	if (c->bus)
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(c->iface));
	g_bus_unown_name(c->owner_id);
	if (c->bus)
		g_dbus_connection_flush_sync(c->bus, NULL, NULL);
	g_clear_object(&c->bus);
	g_clear_object(&c->iface);
	g_free(c);
}

void
control_set_database(struct control *c, const char *path)
{
	g_autofree char *abs = g_canonicalize_filename(path, NULL);
	struct stat st;

	sitlog_sitlog1_set_database(c->iface, abs);
	/* the daemon has just opened it; should stat fail, 0/0 matches no file a client names */
	if (stat(path, &st) == 0) {
		sitlog_sitlog1_set_database_device(c->iface, (guint64) st.st_dev);
		sitlog_sitlog1_set_database_inode(c->iface, (guint64) st.st_ino);
	}
}

void
control_update(struct control *c, const struct control_state *s)
{
	const char *posture = s->posture ? s->posture : "unknown";
	bool posture_changed = g_strcmp0(sitlog_sitlog1_get_posture(c->iface), posture) != 0;

	/* the skeleton signals only what differs from what it holds */
	sitlog_sitlog1_set_posture(c->iface, posture);
	sitlog_sitlog1_set_bout_start(c->iface, s->bout_start);
	sitlog_sitlog1_set_next_prompt(c->iface, s->next_prompt);
	sitlog_sitlog1_set_paused_until(c->iface, s->paused_until);
	sitlog_sitlog1_set_quiet(c->iface, s->quiet ? s->quiet : "");
	sitlog_sitlog1_set_sitting_today(c->iface, s->sitting_today);
	sitlog_sitlog1_set_upright_today(c->iface, s->upright_today);
	sitlog_sitlog1_set_budget_left(c->iface,
				       (int64_t) s->sitting_budget - (int64_t) s->sitting_today);
	sitlog_sitlog1_set_sitting_budget(c->iface, s->sitting_budget);
	sitlog_sitlog1_set_upright_target(c->iface, s->upright_target);
	sitlog_sitlog1_set_day_figures_at(c->iface, s->day_at);
	/* PropertiesChanged now, not from an idle callback, so that it comes before the signal */
	g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(c->iface));
	if (posture_changed)
		sitlog_sitlog1_emit_posture_changed(c->iface, posture, s->posture_since);
}
