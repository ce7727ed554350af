/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <sys/stat.h>

#include "daemon-link.h"
#include "verbs.h"

SitlogSitlog1 *
daemon_proxy(char **ret_why)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SitlogSitlog1) proxy = sitlog_sitlog1_proxy_new_for_bus_sync(
		G_BUS_TYPE_SESSION,
		G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
			G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
		SITLOG_DBUS_NAME, SITLOG_DBUS_PATH, NULL, &error);
	g_autofree char *owner = NULL;

	if (!proxy) {
		*ret_why = g_strdup_printf("no session bus (%s)", error->message);
		return NULL;
	}
	owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));
	if (!owner) {
		*ret_why = g_strdup("sitlogd is not running (nobody owns " SITLOG_DBUS_NAME
				    " on the session bus)");
		return NULL;
	}
	return g_steal_pointer(&proxy);
}

bool
daemon_load_properties(SitlogSitlog1 *proxy, GError **error)
{
	GDBusProxy *p = G_DBUS_PROXY(proxy);
	g_autoptr(GVariant) reply = NULL, props = NULL;
	GVariantIter iter;
	const char *name;
	GVariant *value;

	reply = g_dbus_proxy_call_sync(p, "org.freedesktop.DBus.Properties.GetAll",
				       g_variant_new("(s)", g_dbus_proxy_get_interface_name(p)),
				       DAEMON_CALL_FLAGS, DAEMON_TIMEOUT_MS, NULL, error);
	if (!reply)
		return false;
	if (!g_variant_is_of_type(reply, G_VARIANT_TYPE("(a{sv})"))) {
		g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_SIGNATURE,
			    "GetAll answered with %s", g_variant_get_type_string(reply));
		return false;
	}
	props = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, props);
	while (g_variant_iter_loop(&iter, "{&sv}", &name, &value))
		g_dbus_proxy_set_cached_property(p, name, value);
	return true;
}

bool
daemon_writes(SitlogSitlog1 *proxy, const char *path, char **ret_theirs)
{
	const char *theirs = sitlog_sitlog1_get_database(proxy);
	guint64 dev = sitlog_sitlog1_get_database_device(proxy);
	guint64 ino = sitlog_sitlog1_get_database_inode(proxy);
	struct stat st;

	/* 0/0: a daemon that does not say (or could not stat its file) matches nothing */
	if ((dev || ino) && stat(path, &st) == 0 && (guint64) st.st_dev == dev &&
	    (guint64) st.st_ino == ino)
		return true;
	*ret_theirs = theirs && *theirs ? g_filename_display_name(theirs) :
					  g_strdup("a database it does not name");
	return false;
}

SitlogSitlog1 *
daemon_for(const char *verb, const char *path)
{
	g_autoptr(SitlogSitlog1) proxy = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *why = NULL, *theirs = NULL, *mine = NULL;

	proxy = daemon_proxy(&why);
	if (!proxy) {
		cli_error("%s: %s", verb, why);
		return NULL;
	}
	if (!daemon_load_properties(proxy, &error)) {
		g_dbus_error_strip_remote_error(error);
		cli_error("%s: sitlogd did not answer: %s", verb, error->message);
		return NULL;
	}
	if (!daemon_writes(proxy, path, &theirs)) {
		mine = g_filename_display_name(path);
		cli_error("%s: the running sitlogd writes %s, not %s: nothing done (give --db for "
			  "the database sitlogd writes, or start sitlogd on this one)",
			  verb, theirs, mine);
		return NULL;
	}
	return g_steal_pointer(&proxy);
}
