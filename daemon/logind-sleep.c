/* SPDX-License-Identifier: MIT */
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "logind-sleep.h"

#define LOGIND "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define MANAGER "org.freedesktop.login1.Manager"

struct logind_sleep {
	GDBusConnection *bus;
	logind_sleep_fn fn;
	void *userdata;
	guint subscription;
	GCancellable *cancellable; /* the Inhibit call on its way; logind_sleep_free() cancels it */
	bool taking;               /* an Inhibit call is on its way */
	bool sleeping;             /* between PrepareForSleep(true) and (false) */
	int lock_fd;               /* the delay lock, -1: none */
};

static void
release(struct logind_sleep *ls)
{
	if (ls->lock_fd < 0)
		return;
	close(ls->lock_fd);
	ls->lock_fd = -1;
	g_debug("logind: delay lock on sleep released");
}

static void
on_inhibit(GObject *bus, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_with_unix_fd_list_finish(
		G_DBUS_CONNECTION(bus), &fds, res, &error);
	struct logind_sleep *ls = data;
	gint32 handle;
	int fd;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return; /* ls is gone */
	ls->taking = false;
	if (!reply) {
		g_message("logind: no delay lock on sleep (%s): a sleep is noticed from the clocks "
			  "instead, ignoring", error->message);
		return;
	}
	g_variant_get(reply, "(h)", &handle);
	fd = fds && handle >= 0 && handle < g_unix_fd_list_get_length(fds) ?
		g_unix_fd_list_get(fds, handle, &error) : -1;
	if (fd < 0) {
		g_message("logind: Inhibit gave no file descriptor (%s), ignoring",
			  error ? error->message : "none in the reply");
		return;
	}
	ls->lock_fd = fd;
	g_debug("logind: holding a delay lock on sleep");
	/* PrepareForSleep(true) came while the call was on its way: nothing is open any more */
	if (ls->sleeping)
		release(ls);
}

static void
take(struct logind_sleep *ls)
{
	if (ls->lock_fd >= 0 || ls->taking)
		return;
	ls->taking = true;
	g_dbus_connection_call_with_unix_fd_list(
		ls->bus, LOGIND, LOGIND_PATH, MANAGER, "Inhibit",
		g_variant_new("(ssss)", "sleep", "sitlog",
			      "Ends the open sitting bout before the system sleeps", "delay"),
		G_VARIANT_TYPE("(h)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, ls->cancellable,
		on_inhibit, ls);
}

static void
on_prepare_for_sleep(GDBusConnection *bus, const char *sender, const char *path,
		     const char *iface, const char *signal, GVariant *params, gpointer data)
{
	struct logind_sleep *ls = data;
	gboolean sleeping;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(b)")))
		return;
	g_variant_get(params, "(b)", &sleeping);
	ls->sleeping = sleeping;
	ls->fn(sleeping, ls->userdata);
	/* what was open is closed and written: the sleep may go on */
	if (sleeping)
		release(ls);
	else
		take(ls);
}

struct logind_sleep *
logind_sleep_new(GDBusConnection *system_bus, logind_sleep_fn fn, void *userdata)
{
	struct logind_sleep *ls = g_new0(struct logind_sleep, 1);

	ls->bus = g_object_ref(system_bus);
	ls->fn = fn;
	ls->userdata = userdata;
	ls->lock_fd = -1;
	ls->cancellable = g_cancellable_new();
	ls->subscription = g_dbus_connection_signal_subscribe(
		system_bus, LOGIND, MANAGER, "PrepareForSleep", LOGIND_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, ls, NULL);
	take(ls);
	return ls;
}

void
logind_sleep_free(struct logind_sleep *ls)
{
	if (!ls)
		return;
	g_cancellable_cancel(ls->cancellable);
	g_object_unref(ls->cancellable);
	g_dbus_connection_signal_unsubscribe(ls->bus, ls->subscription);
	release(ls);
	g_object_unref(ls->bus);
	g_free(ls);
}
