/* SPDX-License-Identifier: MIT */
#include <unistd.h>

#include "desktop.h"

#define LOGIND "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define PROPERTIES "org.freedesktop.DBus.Properties"
#define TIMEOUT_MS 1000

struct desktop {
	GDBusConnection *system_bus;
	desktop_fact_fn fn;
	void *userdata;
	/* reads after desktop_new() are asynchronous; desktop_free() cancels them */
	GCancellable *cancellable;
	bool reported[_DESKTOP_FACT_MAX];
	bool on[_DESKTOP_FACT_MAX];
	bool want_locked; /* quiet_when_locked: LockedHint is reported */

	char *user;    /* the user's logind object, NULL: unknown to logind */
	char *session; /* the session whose LockedHint and Active count, NULL: none */
	bool on_seat;  /* the session has a seat: a remote one (ssh) is Active without one */
	guint user_watch;
	guint session_watch;
	guint manager_watch;

	GSettings *notifications; /* NULL without GNOME's schema, or when not asked */
	gulong banners_handler;
};

static const char *const fact_names[_DESKTOP_FACT_MAX] = {
	[DESKTOP_LOCKED] = "the session is locked",
	[DESKTOP_IDLE_INHIBITED] = "idle is inhibited",
	[DESKTOP_DND] = "do-not-disturb",
	[DESKTOP_ACTIVE] = "the session is the active one on its seat",
};

/* Only a change (or the first word on a fact) reaches the callback. */
static void
report(struct desktop *d, enum desktop_fact fact, bool on)
{
	if (d->reported[fact] && d->on[fact] == on)
		return;
	d->reported[fact] = true;
	d->on[fact] = on;
	g_debug("desktop: %s: %s", fact_names[fact], on ? "yes" : "no");
	d->fn(fact, on, d->userdata);
}

/* ---- values as logind and GSettings give them ---- */

static bool
bool_from(GVariant *v)
{
	return v && g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v);
}

/* BlockInhibited is a colon-separated list such as "handle-lid-switch:idle". */
static bool
idle_inhibited_from(GVariant *v)
{
	g_auto(GStrv) what = NULL;

	if (!v || !g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		return false;
	what = g_strsplit(g_variant_get_string(v, NULL), ":", -1);
	return g_strv_contains((const char *const *) what, "idle");
}

/* The user's display session (a user service belongs to no session of its own), else the
 * first of the user's sessions; NULL when there is none. props: the User's a{sv}. */
static char *
session_from(GVariant *props)
{
	g_autoptr(GVariant) display = NULL, sessions = NULL;
	const char *path = NULL;

	display = g_variant_lookup_value(props, "Display", G_VARIANT_TYPE("(so)"));
	if (display) {
		g_variant_get(display, "(&s&o)", NULL, &path);
		if (!g_str_equal(path, "/"))
			return g_strdup(path);
	}
	sessions = g_variant_lookup_value(props, "Sessions", G_VARIANT_TYPE("a(so)"));
	if (sessions && g_variant_n_children(sessions) > 0) {
		g_variant_get_child(sessions, 0, "(&s&o)", NULL, &path);
		return g_strdup(path);
	}
	return NULL;
}

enum change {
	CHANGE_NONE,
	CHANGE_VALUE,       /* the new value came with the signal */
	CHANGE_INVALIDATED, /* it changed, and has to be read */
};

/* What a PropertiesChanged (sa{sv}as) says about one property. */
static enum change
find_change(GVariant *params, const char *name, GVariant **ret_value)
{
	g_autoptr(GVariant) changed = NULL, value = NULL;
	g_autofree const char **invalidated = NULL;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
		return CHANGE_NONE;
	g_variant_get(params, "(&s@a{sv}^a&s)", NULL, &changed, &invalidated);
	value = g_variant_lookup_value(changed, name, NULL);
	if (value) {
		*ret_value = g_steal_pointer(&value);
		return CHANGE_VALUE;
	}
	if (g_strv_contains(invalidated, name))
		return CHANGE_INVALIDATED;
	return CHANGE_NONE;
}

/* ---- reading: synchronously at start, asynchronously later ---- */

static GVariant *
get_sync(struct desktop *d, const char *path, const char *iface, const char *name)
{
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = g_dbus_connection_call_sync(d->system_bus, LOGIND, path, PROPERTIES, "Get",
					    g_variant_new("(ss)", iface, name), G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, NULL, NULL);
	if (reply)
		g_variant_get(reply, "(v)", &value);
	return value;
}

static void
get_async(struct desktop *d, const char *path, const char *iface, const char *name,
	  GAsyncReadyCallback done)
{
	g_dbus_connection_call(d->system_bus, LOGIND, path, PROPERTIES, "Get",
			       g_variant_new("(ss)", iface, name), G_VARIANT_TYPE("(v)"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, d->cancellable, done,
			       d);
}

/* The value of a finished Get; NULL (and d untouched) when desktop_free() cancelled it. */
static GVariant *
get_finish(GObject *bus, GAsyncResult *res, bool *ret_cancelled)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(bus), res,
								  &error);
	GVariant *value = NULL;

	*ret_cancelled = g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	if (reply)
		g_variant_get(reply, "(v)", &value);
	else if (!*ret_cancelled)
		g_debug("desktop: logind did not answer (%s), ignoring", error->message);
	return value;
}

static void
on_locked_read(GObject *bus, GAsyncResult *res, gpointer data)
{
	bool cancelled;
	g_autoptr(GVariant) v = get_finish(bus, res, &cancelled);
	struct desktop *d = data;

	if (!cancelled && d->want_locked)
		report(d, DESKTOP_LOCKED, bool_from(v));
}

static void
on_active_read(GObject *bus, GAsyncResult *res, gpointer data)
{
	bool cancelled;
	g_autoptr(GVariant) v = get_finish(bus, res, &cancelled);
	struct desktop *d = data;

	/* unanswered: the last word stands */
	if (!cancelled && v)
		report(d, DESKTOP_ACTIVE, d->on_seat && bool_from(v));
}

static void
on_inhibited_read(GObject *bus, GAsyncResult *res, gpointer data)
{
	bool cancelled;
	g_autoptr(GVariant) v = get_finish(bus, res, &cancelled);

	if (!cancelled)
		report(data, DESKTOP_IDLE_INHIBITED, idle_inhibited_from(v));
}

/* ---- the user's session: its LockedHint and Active, the session found through the user ---- */

/* logind cannot say (it knows no such user, or does not answer): nothing is locked, and the
 * devices are read as they were before logind was asked at all. */
static void
report_session_unknown(struct desktop *d)
{
	d->on_seat = true;
	if (d->want_locked)
		report(d, DESKTOP_LOCKED, false);
	report(d, DESKTOP_ACTIVE, true);
}

/* props: the Session's a{sv}, NULL when the user has no session (nobody of this user's is at
 * a seat: not active). */
static void
report_session(struct desktop *d, GVariant *props)
{
	g_autoptr(GVariant) locked = NULL, active = NULL, seat = NULL;
	const char *seat_path = "/";

	if (props) {
		locked = g_variant_lookup_value(props, "LockedHint", G_VARIANT_TYPE_BOOLEAN);
		active = g_variant_lookup_value(props, "Active", G_VARIANT_TYPE_BOOLEAN);
		seat = g_variant_lookup_value(props, "Seat", G_VARIANT_TYPE("(so)"));
		if (seat)
			g_variant_get(seat, "(&s&o)", NULL, &seat_path);
	}
	d->on_seat = !g_str_equal(seat_path, "/");
	if (d->want_locked)
		report(d, DESKTOP_LOCKED, bool_from(locked));
	report(d, DESKTOP_ACTIVE, d->on_seat && bool_from(active));
}

static void
on_session_changed(GDBusConnection *bus, const char *sender, const char *path,
		   const char *iface, const char *signal, GVariant *params, gpointer data)
{
	struct desktop *d = data;
	g_autoptr(GVariant) locked = NULL, active = NULL;

	if (d->want_locked) {
		switch (find_change(params, "LockedHint", &locked)) {
		case CHANGE_VALUE:
			report(d, DESKTOP_LOCKED, bool_from(locked));
			break;
		case CHANGE_INVALIDATED:
			get_async(d, d->session, LOGIND ".Session", "LockedHint", on_locked_read);
			break;
		case CHANGE_NONE:
			break;
		}
	}
	/* fast user switching: logind changes Active on both sessions (seat_set_active()) */
	switch (find_change(params, "Active", &active)) {
	case CHANGE_VALUE:
		report(d, DESKTOP_ACTIVE, d->on_seat && bool_from(active));
		break;
	case CHANGE_INVALIDATED:
		get_async(d, d->session, LOGIND ".Session", "Active", on_active_read);
		break;
	case CHANGE_NONE:
		break;
	}
}

/* Follow this session's properties from now on; false when it is the one followed already. */
static bool
use_session(struct desktop *d, char *path)
{
	if (g_strcmp0(d->session, path) == 0) {
		g_free(path);
		return false;
	}
	if (d->session_watch)
		g_dbus_connection_signal_unsubscribe(d->system_bus, d->session_watch);
	d->session_watch = 0;
	g_free(d->session);
	d->session = path;
	g_debug("desktop: following %s", path ? path : "no session");
	if (path)
		d->session_watch = g_dbus_connection_signal_subscribe(
			d->system_bus, LOGIND, PROPERTIES, "PropertiesChanged", path,
			LOGIND ".Session", G_DBUS_SIGNAL_FLAGS_NONE, on_session_changed, d, NULL);
	return true;
}

/* A read of one session's properties, answered after the user may have moved on. */
struct session_read {
	struct desktop *d;
	char *path;
};

static void
on_session_read(GObject *bus, GAsyncResult *res, gpointer data)
{
	struct session_read *sr = data;
	struct desktop *d = sr->d;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(bus), res,
								  &error);
	g_autofree char *path = sr->path;
	g_autoptr(GVariant) props = NULL;

	g_free(sr);
	/* cancelled: d is gone; another path: a later read answers for the session followed */
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
	    g_strcmp0(d->session, path) != 0)
		return;
	if (!reply) {
		g_message("desktop: %s: %s; taken as active, ignoring", path, error->message);
		report_session_unknown(d);
		return;
	}
	props = g_variant_get_child_value(reply, 0);
	report_session(d, props);
}

static void
read_session_async(struct desktop *d)
{
	struct session_read *sr = g_new0(struct session_read, 1);

	sr->d = d;
	sr->path = g_strdup(d->session);
	g_dbus_connection_call(d->system_bus, LOGIND, d->session, PROPERTIES, "GetAll",
			       g_variant_new("(s)", LOGIND ".Session"), G_VARIANT_TYPE("(a{sv})"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, d->cancellable,
			       on_session_read, sr);
}

static void
on_user_read(GObject *bus, GAsyncResult *res, gpointer data)
{
	struct desktop *d = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(bus), res,
								  &error);
	g_autoptr(GVariant) props = NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (!reply) {
		g_debug("desktop: %s: %s, ignoring", d->user, error->message);
		return;
	}
	props = g_variant_get_child_value(reply, 0);
	if (!use_session(d, session_from(props)))
		return;
	if (d->session)
		read_session_async(d);
	else
		report_session(d, NULL);
}

/* The user's display session or sessions changed: find the session again. */
static void
on_user_changed(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
		const char *signal, GVariant *params, gpointer data)
{
	struct desktop *d = data;
	g_autoptr(GVariant) display = NULL, sessions = NULL;

	if (find_change(params, "Display", &display) == CHANGE_NONE &&
	    find_change(params, "Sessions", &sessions) == CHANGE_NONE)
		return;
	g_dbus_connection_call(d->system_bus, LOGIND, d->user, PROPERTIES, "GetAll",
			       g_variant_new("(s)", LOGIND ".User"), G_VARIANT_TYPE("(a{sv})"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, d->cancellable,
			       on_user_read, d);
}

static GVariant *
get_all_sync(struct desktop *d, const char *path, const char *iface, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_sync(d->system_bus, LOGIND, path, PROPERTIES, "GetAll",
					    g_variant_new("(s)", iface), G_VARIANT_TYPE("(a{sv})"),
					    G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, NULL,
					    error);
	return reply ? g_variant_get_child_value(reply, 0) : NULL;
}

static void
watch_session(struct desktop *d)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL, props = NULL;

	reply = g_dbus_connection_call_sync(d->system_bus, LOGIND, LOGIND_PATH, LOGIND ".Manager",
					    "GetUser", g_variant_new("(u)", (guint32) getuid()),
					    G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
					    TIMEOUT_MS, NULL, &error);
	if (!reply) {
		g_message("logind knows no user %u (%s): a locked screen or a switch to another "
			  "session is not seen, ignoring", (unsigned) getuid(), error->message);
		report_session_unknown(d);
		return;
	}
	g_variant_get(reply, "(o)", &d->user);
	/* subscribed before reading, so that no change falls between */
	d->user_watch = g_dbus_connection_signal_subscribe(
		d->system_bus, LOGIND, PROPERTIES, "PropertiesChanged", d->user, LOGIND ".User",
		G_DBUS_SIGNAL_FLAGS_NONE, on_user_changed, d, NULL);
	props = get_all_sync(d, d->user, LOGIND ".User", &error);
	if (!props) {
		g_message("desktop: %s: %s; taken as active, ignoring", d->user, error->message);
		report_session_unknown(d);
		return;
	}
	use_session(d, session_from(props));
	g_clear_pointer(&props, g_variant_unref);
	if (!d->session) {
		report_session(d, NULL);
		return;
	}
	props = get_all_sync(d, d->session, LOGIND ".Session", &error);
	if (!props) {
		g_message("desktop: %s: %s; taken as active, ignoring", d->session, error->message);
		report_session_unknown(d);
		return;
	}
	report_session(d, props);
}

/* ---- idle inhibitors: the manager's BlockInhibited ---- */

/* logind sends PropertiesChanged with the new BlockInhibited whenever an inhibitor starts or
 * stops (logind-inhibit.c, bus_manager_send_inhibited_change()). */
static void
on_manager_changed(GDBusConnection *bus, const char *sender, const char *path,
		   const char *iface, const char *signal, GVariant *params, gpointer data)
{
	struct desktop *d = data;
	g_autoptr(GVariant) value = NULL;

	switch (find_change(params, "BlockInhibited", &value)) {
	case CHANGE_VALUE:
		report(d, DESKTOP_IDLE_INHIBITED, idle_inhibited_from(value));
		break;
	case CHANGE_INVALIDATED:
		get_async(d, LOGIND_PATH, LOGIND ".Manager", "BlockInhibited", on_inhibited_read);
		break;
	case CHANGE_NONE:
		break;
	}
}

static void
watch_inhibitors(struct desktop *d)
{
	g_autoptr(GVariant) v = NULL;

	d->manager_watch = g_dbus_connection_signal_subscribe(
		d->system_bus, LOGIND, PROPERTIES, "PropertiesChanged", LOGIND_PATH,
		LOGIND ".Manager", G_DBUS_SIGNAL_FLAGS_NONE, on_manager_changed, d, NULL);
	v = get_sync(d, LOGIND_PATH, LOGIND ".Manager", "BlockInhibited");
	report(d, DESKTOP_IDLE_INHIBITED, idle_inhibited_from(v));
}

/* ---- GNOME's do-not-disturb ---- */

static void
on_banners_changed(GSettings *settings, const char *key, gpointer data)
{
	report(data, DESKTOP_DND, !g_settings_get_boolean(settings, "show-banners"));
}

static void
watch_dnd(struct desktop *d)
{
	GSettingsSchemaSource *source = g_settings_schema_source_get_default();
	g_autoptr(GSettingsSchema) schema = NULL;

	if (source)
		schema = g_settings_schema_source_lookup(source, "org.gnome.desktop.notifications",
							 TRUE);
	if (!schema || !g_settings_schema_has_key(schema, "show-banners")) {
		g_debug("no org.gnome.desktop.notifications schema: do-not-disturb is left to the "
			"notification server");
		report(d, DESKTOP_DND, false);
		return;
	}
	d->notifications = g_settings_new_full(schema, NULL, NULL);
	/* connected before the first read: GSettings signals only keys that have been read */
	d->banners_handler = g_signal_connect(d->notifications, "changed::show-banners",
					      G_CALLBACK(on_banners_changed), d);
	on_banners_changed(d->notifications, "show-banners", d);
}

struct desktop *
desktop_new(GDBusConnection *system_bus, const struct sitlog_config *config,
	    desktop_fact_fn fn, void *userdata)
{
	struct desktop *d = g_new0(struct desktop, 1);

	d->system_bus = system_bus ? g_object_ref(system_bus) : NULL;
	d->fn = fn;
	d->userdata = userdata;
	d->cancellable = g_cancellable_new();
	d->want_locked = config->quiet_when_locked;
	/* always watched: whether the devices are read at all depends on it */
	if (d->system_bus)
		watch_session(d);
	else
		report_session_unknown(d);
	if (config->quiet_when_inhibited) {
		if (d->system_bus)
			watch_inhibitors(d);
		else
			report(d, DESKTOP_IDLE_INHIBITED, false);
	}
	if (config->respect_dnd)
		watch_dnd(d);
	return d;
}

void
desktop_free(struct desktop *d)
{
	if (!d)
		return;
	g_cancellable_cancel(d->cancellable);
	g_clear_object(&d->cancellable);
	if (d->user_watch)
		g_dbus_connection_signal_unsubscribe(d->system_bus, d->user_watch);
	if (d->session_watch)
		g_dbus_connection_signal_unsubscribe(d->system_bus, d->session_watch);
	if (d->manager_watch)
		g_dbus_connection_signal_unsubscribe(d->system_bus, d->manager_watch);
	g_clear_signal_handler(&d->banners_handler, d->notifications);
	g_clear_object(&d->notifications);
	g_clear_object(&d->system_bus);
	g_free(d->user);
	g_free(d->session);
	g_free(d);
}
