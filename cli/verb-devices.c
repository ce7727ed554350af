/* SPDX-License-Identifier: MIT */
/*
 * sitlog devices: the input devices that could be sensors and, for each, whether sitlogd uses
 * it and why, like `libinput list-devices`. Read-only: udev's view, nothing is opened.
 */
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-role.h"
#include "output.h"
#include "verbs.h"

static const char *
kind(struct udev_device *d)
{
	static const struct {
		const char *property;
		const char *kind;
	} kinds[] = {
		{ "ID_INPUT_KEYBOARD", "keyboard" },   { "ID_INPUT_MOUSE", "mouse" },
		{ "ID_INPUT_TOUCHPAD", "touchpad" },   { "ID_INPUT_TABLET", "tablet" },
		{ "ID_INPUT_JOYSTICK", "joystick" },   { "ID_INPUT_ACCELEROMETER", "accelerometer" },
		{ "ID_INPUT_SWITCH", "switch" },       { "ID_INPUT_KEY", "keys" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (g_strcmp0(udev_device_get_property_value(d, kinds[i].property), "1") == 0)
			return kinds[i].kind;
	return "input device";
}

int
verb_devices(const struct cli_context *ctx, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	g_autoptr(GOptionContext) oc = g_option_context_new("- input devices and their sitlog role");
	g_autoptr(GError) gerror = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct sitlog_config config;
	struct udev *udev;
	struct udev_enumerate *e;
	struct udev_list_entry *entry;
	unsigned n = 0, used = 0;

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(oc,
		"sitlogd uses a device only when udev gives it SITLOG_ROLE=seat or imu (set by the\n"
		"rules sitlog ships or by your own). Keyboards and mice are never opened.\n"
		"See sitlog(1).");
	if (!g_option_context_parse(oc, &argc, &argv, &gerror)) {
		cli_error("devices: %s", gerror->message);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		cli_error("devices: unexpected argument \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (cli_load_config(ctx, &config) < 0)
		return EXIT_FAILURE;
	udev = udev_new();
	if (!udev) {
		cli_error("devices: cannot talk to udev");
		return EXIT_FAILURE;
	}
	e = udev_enumerate_new(udev);
	udev_enumerate_add_match_subsystem(e, "input");
	udev_enumerate_scan_devices(e);
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *d = udev_device_new_from_syspath(udev,
								     udev_list_entry_get_name(entry));
		struct device_role role;
		char name[256];

		if (!d)
			continue;
		if (device_role_of(d, &config, &role) < 0) {
			udev_device_unref(d);
			continue;
		}
		g_string_append_printf(out, "%s\n  Device:  %s\n  Kind:    %s\n",
				       device_role_name(d, name, sizeof(name)),
				       udev_device_get_devnode(d), kind(d));
		if (role.role) {
			g_string_append_printf(out, "  Role:    %s (%s)\n  sitlog:  used\n\n", role.role,
					       role.why);
			used++;
		} else {
			g_string_append_printf(out, "  Role:    none\n  sitlog:  not used (%s)\n\n",
					       role.why);
		}
		n++;
		udev_device_unref(d);
	}
	udev_enumerate_unref(e);
	udev_unref(udev);
	if (n == 0)
		g_string_append(out, "No input devices.\n");
	else
		g_string_append_printf(out, "%u input device%s, %u used by sitlog.\n", n,
				       n == 1 ? "" : "s", used);
	output_flush(out);
	return EXIT_SUCCESS;
}
