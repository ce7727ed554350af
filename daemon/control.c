/* SPDX-License-Identifier: MIT */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

#include "control.h"

#define INTERFACE CONTROL_BUS_NAME

struct control {
	const struct control_ops *ops;
	void *userdata;
	GDBusNodeInfo *node;
	GDBusConnection *bus; /* while the object is exported */
	guint owner_id;
	guint object_id;
	struct control_state state;
	char *posture;
};

static GVariant *
get_property(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
	     const char *name, GError **error, gpointer data)
{
	struct control *c = data;

	if (g_str_equal(name, "Posture"))
		return g_variant_new_string(c->posture ? c->posture : "unknown");
	if (g_str_equal(name, "BoutStart"))
		return g_variant_new_int64(c->state.bout_start);
	if (g_str_equal(name, "NextPrompt"))
		return g_variant_new_int64(c->state.next_prompt);
	if (g_str_equal(name, "PausedUntil"))
		return g_variant_new_int64(c->state.paused_until);
	if (g_str_equal(name, "Quiet")) {
		const char *why = c->ops->quiet(c->userdata);

		return g_variant_new_string(why ? why : "");
	}
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", name);
	return NULL;
}

/* Seconds from a caller, bounded: a year is more than anyone means. */
static bool
seconds_arg(GVariant *params, usec_t *ret, GDBusMethodInvocation *inv)
{
	guint64 s;

	g_variant_get(params, "(t)", &s);
	if (s > 366ull * 24 * 3600) {
		g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
						      "%" G_GUINT64_FORMAT " s is longer than a year",
						      s);
		return false;
	}
	*ret = (usec_t) s * USEC_PER_SEC;
	return true;
}

static void
method_call(GDBusConnection *bus, const char *sender, const char *path, const char *iface,
	    const char *method, GVariant *params, GDBusMethodInvocation *inv, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;
	usec_t length;
	int64_t t;

	if (g_str_equal(method, "Resume")) {
		c->ops->resume(c->userdata);
		g_dbus_method_invocation_return_value(inv, NULL);
		return;
	}
	if (!seconds_arg(params, &length, inv))
		return;
	if (g_str_equal(method, "Snooze")) {
		t = c->ops->snooze(c->userdata, length);
		if (t < 0) {
			g_dbus_method_invocation_return_dbus_error(
				inv, CONTROL_ERROR_NO_BOUT,
				"no sitting bout is open: there is no prompt to snooze");
			return;
		}
		g_dbus_method_invocation_return_value(inv, g_variant_new("(x)", t));
		return;
	}
	t = c->ops->pause(c->userdata, length, &error);
	if (error)
		g_dbus_method_invocation_return_gerror(inv, error);
	else
		g_dbus_method_invocation_return_value(inv, g_variant_new("(x)", t));
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

static void
on_bus_acquired(GDBusConnection *bus, const char *name, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;

	c->object_id = g_dbus_connection_register_object(bus, CONTROL_OBJECT_PATH,
							 c->node->interfaces[0], &vtable, c, NULL,
							 &error);
	if (!c->object_id) {
		g_warning("D-Bus: cannot export %s: %s", CONTROL_OBJECT_PATH, error->message);
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
	g_autoptr(GBytes) xml = NULL;
	g_autoptr(GError) error = NULL;

	c->ops = ops;
	c->userdata = userdata;
	xml = g_resources_lookup_data("/io/sitlog/io.sitlog.Sitlog1.xml",
				      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
	g_assert_no_error(error); /* built in */
	c->node = g_dbus_node_info_new_for_xml(g_bytes_get_data(xml, NULL), &error);
	g_assert_no_error(error);
	c->owner_id = g_bus_own_name(G_BUS_TYPE_SESSION, CONTROL_BUS_NAME,
				     G_BUS_NAME_OWNER_FLAGS_NONE, on_bus_acquired, NULL,
				     on_name_lost, c, NULL);
	return c;
}

void
control_free(struct control *c)
{
	if (!c)
		return;
	if (c->object_id)
		g_dbus_connection_unregister_object(c->bus, c->object_id);
	g_bus_unown_name(c->owner_id);
	if (c->bus)
		g_dbus_connection_flush_sync(c->bus, NULL, NULL);
	g_clear_object(&c->bus);
	g_dbus_node_info_unref(c->node);
	g_free(c->posture);
	g_free(c);
}

void
control_update(struct control *c, const struct control_state *s)
{
	GVariantBuilder changed;
	bool posture_changed = g_strcmp0(c->posture, s->posture) != 0, any = posture_changed;

	g_variant_builder_init(&changed, G_VARIANT_TYPE("a{sv}"));
	if (posture_changed)
		g_variant_builder_add(&changed, "{sv}", "Posture", g_variant_new_string(s->posture));
#define CHANGED(field, name)                                                                 \
	if (c->state.field != s->field) {                                                    \
		g_variant_builder_add(&changed, "{sv}", name, g_variant_new_int64(s->field)); \
		any = true;                                                                  \
	}
	CHANGED(bout_start, "BoutStart")
	CHANGED(next_prompt, "NextPrompt")
	CHANGED(paused_until, "PausedUntil")
#undef CHANGED
	c->state = *s;
	c->state.posture = NULL;
	g_free(c->posture);
	c->posture = g_strdup(s->posture);

	if (!c->bus || !any) {
		g_variant_builder_clear(&changed);
		return;
	}
	g_dbus_connection_emit_signal(c->bus, NULL, CONTROL_OBJECT_PATH,
				      "org.freedesktop.DBus.Properties", "PropertiesChanged",
				      g_variant_new("(sa{sv}as)", INTERFACE, &changed, NULL), NULL);
	if (posture_changed)
		g_dbus_connection_emit_signal(c->bus, NULL, CONTROL_OBJECT_PATH, INTERFACE,
					      "PostureChanged",
					      g_variant_new("(sx)", s->posture, s->posture_since),
					      NULL);
}
