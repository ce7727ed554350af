/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "device-role.h"

static struct udev_device *
input_parent(struct udev_device *d)
{
	return udev_device_get_parent_with_subsystem_devtype(d, "input", NULL);
}

/* A property of the event node or of its input parent, unquoted ("\"name\"" -> name). */
static const char *
property(struct udev_device *d, const char *key, char *buf, size_t size)
{
	struct udev_device *parent = input_parent(d);
	const char *v = udev_device_get_property_value(d, key);
	size_t l;

	if (!v && parent)
		v = udev_device_get_property_value(parent, key);
	if (!v)
		return NULL;
	g_strlcpy(buf, v, size);
	l = strlen(buf);
	if (l >= 2 && buf[0] == '"' && buf[l - 1] == '"') {
		memmove(buf, buf + 1, l - 2);
		buf[l - 2] = '\0';
	}
	return buf;
}

const char *
device_role_name(struct udev_device *d, char *buf, size_t size)
{
	struct udev_device *parent = input_parent(d);
	const char *attr = parent ? udev_device_get_sysattr_value(parent, "name") : NULL;

	if (property(d, "NAME", buf, size))
		return buf;
	if (attr) {
		g_strlcpy(buf, attr, size);
		g_strchomp(buf);
		return buf;
	}
	g_strlcpy(buf, "(unnamed)", size);
	return buf;
}

int
device_role_of(struct udev_device *d, const struct sitlog_config *cfg, struct device_role *ret)
{
	const char *sysname = udev_device_get_sysname(d);
	const char *role = udev_device_get_property_value(d, "SITLOG_ROLE");
	const struct config_device *match;
	char name[256], phys[256], product[64];
	unsigned bus = 0, vendor = 0, prod = 0, version = 0;

	if (!sysname || strncmp(sysname, "event", 5) != 0 || !udev_device_get_devnode(d))
		return -ENOENT;
	memset(ret, 0, sizeof(*ret));
	if (role) {
		if (g_str_equal(role, "seat") || g_str_equal(role, "imu")) {
			ret->role = g_str_equal(role, "seat") ? "seat" : "imu";
			g_strlcpy(ret->why, "udev SITLOG_ROLE", sizeof(ret->why));
		} else {
			snprintf(ret->why, sizeof(ret->why),
				 "invalid SITLOG_ROLE=%s (the role must be seat or imu)", role);
		}
		return 0;
	}
	/* PRODUCT is the kernel's "bus/vendor/product/version" in hex */
	if (property(d, "PRODUCT", product, sizeof(product)))
		sscanf(product, "%x/%x/%x/%x", &bus, &vendor, &prod, &version);
	if (!property(d, "PHYS", phys, sizeof(phys)))
		phys[0] = '\0';
	match = cfg ? config_match_device(cfg, device_role_name(d, name, sizeof(name)), vendor, prod,
					  phys) :
		      NULL;
	if (match) {
		ret->role = g_str_equal(match->role, "seat") ? "seat" : "imu";
		snprintf(ret->why, sizeof(ret->why), "config [Device %s]", match->label);
		return 0;
	}
	g_strlcpy(ret->why, "no sitlog role", sizeof(ret->why));
	return 0;
}
