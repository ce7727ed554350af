/* SPDX-License-Identifier: MIT */
#include <unistd.h>

#include "desktop.h"

#define LOGIND "org.freedesktop.login1"
#define TIMEOUT_MS 1000

/* TEMPORARY until the watcher lands: the state is read once at start. */
struct desktop {
	GDBusConnection *system_bus;
	GSettings *notifications; /* NULL without GNOME's schema */
};

static void refresh(struct desktop *d, const struct sitlog_config *c, desktop_fact_fn fn,
		    void *userdata);

struct desktop *
desktop_new(GDBusConnection *system_bus, const struct sitlog_config *config, desktop_fact_fn fn,
	    void *userdata)
{
	struct desktop *d = g_new0(struct desktop, 1);
	GSettingsSchemaSource *source = g_settings_schema_source_get_default();
	g_autoptr(GSettingsSchema) schema = NULL;

	d->system_bus = system_bus ? g_object_ref(system_bus) : NULL;
	if (source)
		schema = g_settings_schema_source_lookup(source, "org.gnome.desktop.notifications",
							 TRUE);
	if (schema && g_settings_schema_has_key(schema, "show-banners"))
		d->notifications = g_settings_new_full(schema, NULL, NULL);
	else
		g_debug("no org.gnome.desktop.notifications schema: do-not-disturb is left to the "
			"notification server");
	refresh(d, config, fn, userdata);
	return d;
}

void
desktop_free(struct desktop *d)
{
	if (!d)
		return;
	g_clear_object(&d->system_bus);
	g_clear_object(&d->notifications);
	g_free(d);
}

static GVariant *
get_property(struct desktop *d, const char *path, const char *iface, const char *name)
{
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = g_dbus_connection_call_sync(d->system_bus, LOGIND, path,
					    "org.freedesktop.DBus.Properties", "Get",
					    g_variant_new("(ss)", iface, name), G_VARIANT_TYPE("(v)"),
					    G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, NULL, NULL);
	if (reply)
		g_variant_get(reply, "(v)", &value);
	return value;
}

/* The user's display session (a user service belongs to no session of its own), else the
 * first of the user's sessions. */
static char *
session_path(struct desktop *d)
{
	g_autoptr(GVariant) reply = NULL, display = NULL, sessions = NULL;
	g_autofree char *user = NULL;
	const char *path = NULL;

	reply = g_dbus_connection_call_sync(d->system_bus, LOGIND, "/org/freedesktop/login1",
					    LOGIND ".Manager", "GetUser",
					    g_variant_new("(u)", (guint32) getuid()),
					    G_VARIANT_TYPE("(o)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
					    TIMEOUT_MS, NULL, NULL);
	if (!reply)
		return NULL;
	g_variant_get(reply, "(o)", &user);
	display = get_property(d, user, LOGIND ".User", "Display");
	if (display && g_variant_is_of_type(display, G_VARIANT_TYPE("(so)"))) {
		g_variant_get(display, "(&s&o)", NULL, &path);
		if (!g_str_equal(path, "/"))
			return g_strdup(path);
	}
	sessions = get_property(d, user, LOGIND ".User", "Sessions");
	if (sessions && g_variant_is_of_type(sessions, G_VARIANT_TYPE("a(so)")) &&
	    g_variant_n_children(sessions) > 0) {
		g_variant_get_child(sessions, 0, "(&s&o)", NULL, &path);
		return g_strdup(path);
	}
	return NULL;
}

static bool
session_locked(struct desktop *d)
{
	g_autofree char *path = session_path(d);
	g_autoptr(GVariant) v = NULL;

	if (path)
		v = get_property(d, path, LOGIND ".Session", "LockedHint");
	return v && g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean(v);
}

static bool
idle_inhibited(struct desktop *d)
{
	g_autoptr(GVariant) v = get_property(d, "/org/freedesktop/login1", LOGIND ".Manager",
					     "BlockInhibited");
	g_auto(GStrv) what = NULL;

	if (!v || !g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		return false;
	what = g_strsplit(g_variant_get_string(v, NULL), ":", -1);
	return g_strv_contains((const char *const *) what, "idle");
}

static void
refresh(struct desktop *d, const struct sitlog_config *c, desktop_fact_fn fn, void *userdata)
{
	fn(DESKTOP_LOCKED, d->system_bus && c->quiet_when_locked && session_locked(d), userdata);
	fn(DESKTOP_IDLE_INHIBITED, d->system_bus && c->quiet_when_inhibited && idle_inhibited(d),
	   userdata);
	fn(DESKTOP_DND, d->notifications && c->respect_dnd &&
		!g_settings_get_boolean(d->notifications, "show-banners"), userdata);
}
