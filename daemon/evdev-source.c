/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <libevdev/libevdev.h>
#include <libudev.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device-role.h"
#include "evdev-source.h"

struct evdev_source;

struct evdev_device {
	struct evdev_source *src;
	char *key;     /* identity (name, ids, phys): a replug finds its session slot again */
	char *syspath; /* while present */
	char *devnode;
	char *name;
	const struct device_kind *kind;
	int dev; /* session device handle */
	int fd;
	struct libevdev *evdev;
	guint watch;
	guint sample;
	bool present;
};

struct evdev_source {
	struct session *session;
	const struct sitlog_config *config;
	const struct evdev_source_ops *ops;
	void *userdata;
	struct udev *udev;
	struct udev_monitor *monitor;
	guint monitor_watch;
	GPtrArray *devices; /* struct evdev_device */
	bool active;        /* the user's session is the active one: devices are open */
	/* role devices present but not open, by syspath: UNOPENED_* or the errno last logged */
	GHashTable *unopened;
};

enum {
	UNOPENED_NOTED = 0,    /* seen while inactive */
	UNOPENED_REFUSED = -1, /* its description is not usable: not tried again */
};

static usec_t
now(struct evdev_source *src)
{
	return src->ops->now(src->userdata);
}

/* The device description in the same form a recording gives, so that one set of rules
 * (device-kind.c, device-params.c) serves both. */
static void
describe(struct libevdev *evdev, struct evemu_device_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	g_strlcpy(ret->name, libevdev_get_name(evdev) ? libevdev_get_name(evdev) : "", sizeof(ret->name));
	ret->bustype = (unsigned) libevdev_get_id_bustype(evdev);
	ret->vendor = (unsigned) libevdev_get_id_vendor(evdev);
	ret->product = (unsigned) libevdev_get_id_product(evdev);
	ret->version = (unsigned) libevdev_get_id_version(evdev);
	for (unsigned p = 0; p < INPUT_PROP_CNT; p++)
		if (libevdev_has_property(evdev, p))
			ret->props[p / 8] |= (uint8_t) (1u << (p % 8));
	for (unsigned type = 0; type < EV_CNT; type++) {
		int max = libevdev_event_type_get_max(type);

		if (!libevdev_has_event_type(evdev, type))
			continue;
		ret->bits[0][type / 8] |= (uint8_t) (1u << (type % 8));
		if (type == EV_SYN)
			continue; /* bits[0] is the type mask, not EV_SYN's codes */
		for (int code = 0; code <= max && code < KEY_CNT; code++)
			if (libevdev_has_event_code(evdev, type, (unsigned) code))
				ret->bits[type][code / 8] |= (uint8_t) (1u << (code % 8));
	}
	for (unsigned code = 0; code < ABS_CNT; code++) {
		const struct input_absinfo *abs = libevdev_get_abs_info(evdev, code);

		if (abs)
			ret->abs[code] = *abs;
	}
}

struct frame {
	struct evdev_device *d;
	usec_t t;
};

static void
emit_event(unsigned type, unsigned code, int value, void *userdata)
{
	struct frame *f = userdata;

	session_feed(f->d->src->session, f->d->dev, f->t, (uint16_t) type, (uint16_t) code, value);
}

/* The device's current state as one frame: at open, after a resync, and for each sample. */
static void
feed_state(struct evdev_device *d, usec_t t)
{
	struct frame f = { d, t };

	device_kind_sample(d->kind, d->evdev, emit_event, &f);
}

/* Read everything pending. Unsampled devices pass every event on; a sampled one only updates
 * libevdev's state here and is fed one frame per sample. Returns false when the device is
 * gone. */
static bool
drain(struct evdev_device *d, bool pass_on)
{
	struct input_event ev;
	usec_t t = now(d->src);
	unsigned flags = LIBEVDEV_READ_FLAG_NORMAL;

	for (;;) {
		int r = libevdev_next_event(d->evdev, flags, &ev);

		if (r == -EAGAIN) {
			if (flags == LIBEVDEV_READ_FLAG_SYNC) {
				flags = LIBEVDEV_READ_FLAG_NORMAL; /* resync done */
				continue;
			}
			return true;
		}
		if (r == LIBEVDEV_READ_STATUS_SYNC) {
			if (flags == LIBEVDEV_READ_FLAG_NORMAL)
				g_debug("%s: SYN_DROPPED, resyncing", d->name);
			flags = LIBEVDEV_READ_FLAG_SYNC;
			if (ev.type == EV_SYN && ev.code == SYN_DROPPED)
				continue;
		} else if (r < 0) {
			if (r != -ENODEV)
				g_warning("%s: read failed: %s", d->name, g_strerror(-r));
			return false;
		}
		if (pass_on)
			session_feed(d->src->session, d->dev, t, ev.type, ev.code, ev.value);
	}
}

static void
device_close(struct evdev_device *d)
{
	g_clear_handle_id(&d->watch, g_source_remove);
	g_clear_handle_id(&d->sample, g_source_remove);
	g_clear_pointer(&d->evdev, libevdev_free);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	g_clear_pointer(&d->syspath, g_free);
	g_clear_pointer(&d->devnode, g_free);
	d->present = false;
}

/* Unknown from this moment: a fact, not a reading. */
static void
device_gone(struct evdev_device *d)
{
	if (!d->present)
		return;
	g_message("%s: gone; posture unknown until it is back", d->name);
	device_close(d);
	session_device_gone(d->src->session, d->dev, now(d->src));
}

static gboolean
on_input(int fd, GIOCondition cond, gpointer data)
{
	struct evdev_device *d = data;
	struct evdev_source *src = d->src;

	src->ops->wake(src->userdata);
	if (!drain(d, true) || (cond & (G_IO_HUP | G_IO_ERR))) {
		d->watch = 0;
		device_gone(d);
		src->ops->changed(src->userdata);
		return G_SOURCE_REMOVE;
	}
	src->ops->changed(src->userdata);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_sample(gpointer data)
{
	struct evdev_device *d = data;
	struct evdev_source *src = d->src;

	src->ops->wake(src->userdata);
	if (!drain(d, false)) {
		d->sample = 0;
		device_gone(d);
		src->ops->changed(src->userdata);
		return G_SOURCE_REMOVE;
	}
	feed_state(d, now(src));
	src->ops->changed(src->userdata);
	return G_SOURCE_CONTINUE;
}

/* A device that was here and is gone: two identical devices present at once (two foot
 * switches of one model) are two devices. */
static struct evdev_device *
find_absent_by_key(struct evdev_source *src, const char *key)
{
	for (guint i = 0; i < src->devices->len; i++) {
		struct evdev_device *d = src->devices->pdata[i];

		if (!d->present && g_str_equal(d->key, key))
			return d;
	}
	return NULL;
}

static struct evdev_device *
find_by_syspath(struct evdev_source *src, const char *syspath)
{
	for (guint i = 0; i < src->devices->len; i++) {
		struct evdev_device *d = src->devices->pdata[i];

		if (d->syspath && g_str_equal(d->syspath, syspath))
			return d;
	}
	return NULL;
}

static int
open_evdev(const char *devnode, int *ret_fd, struct libevdev **ret_dev)
{
	int fd = open(devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct libevdev *dev = NULL;
	int r;

	if (fd < 0)
		return -errno;
	r = libevdev_new_from_fd(fd, &dev);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	*ret_dev = dev;
	return 0;
}

/* A default mount from the udev rules (known device types): "-Y" or "0 -1 0". */
static bool
udev_axis(struct udev_device *udev_device, double ret[3])
{
	const char *v = udev_device_get_property_value(udev_device, "SITLOG_IMU_AXIS");
	struct sitlog_config c;
	g_autofree char *text = NULL;

	if (!v)
		return false;
	/* the same syntax as the config file's [IMU] axis=, parsed by the same code */
	text = g_strdup_printf("[IMU]\naxis=%s\n", v);
	config_init(&c);
	if (config_load_data(&c, "udev property SITLOG_IMU_AXIS", text, NULL) < 0 ||
	    !c.imu_have_axis)
		return false;
	memcpy(ret, c.imu_axis, sizeof(c.imu_axis));
	return true;
}

/* A device is used only when it has a sitlog role (udev property or a [Device] section of the
 * config): nothing else is ever opened. */
static const struct device_kind *
kind_of(struct evdev_source *src, struct udev_device *udev_device)
{
	struct device_role role;

	if (device_role_of(udev_device, src->config, &role) < 0 || !role.role)
		return NULL;
	g_debug("%s: role %s from %s", udev_device_get_devnode(udev_device), role.role, role.why);
	return device_kind_from_name(role.role);
}

static void
free_device(gpointer data)
{
	struct evdev_device *d = data;

	device_close(d);
	g_free(d->key);
	g_free(d->name);
	g_free(d);
}

/* Said once per device and error: EACCES until logind grants the active session's user the
 * uaccess ACL, ENOENT while the node is not there yet. Tried again at the device's next udev
 * event and when the session becomes active; nothing polls. */
static void
open_failed(struct evdev_source *src, const char *syspath, const char *devnode, int r)
{
	gpointer old;
	bool said = g_hash_table_lookup_extended(src->unopened, syspath, NULL, &old) &&
		    GPOINTER_TO_INT(old) == -r;

	g_hash_table_insert(src->unopened, g_strdup(syspath), GINT_TO_POINTER(-r));
	if (said)
		g_debug("%s: still cannot open: %s", devnode, g_strerror(-r));
	else if (r == -EACCES || r == -EPERM || r == -ENOENT)
		g_message("%s: cannot open yet: %s; tried again when udev reports a change or the "
			  "session becomes active", devnode, g_strerror(-r));
	else
		g_warning("%s: cannot open: %s, ignoring", devnode, g_strerror(-r));
}

static void
device_added(struct evdev_source *src, struct udev_device *udev_device)
{
	const char *syspath = udev_device_get_syspath(udev_device);
	const char *devnode = udev_device_get_devnode(udev_device);
	const struct device_kind *kind;
	struct evemu_device_info info;
	struct libevdev *evdev = NULL;
	struct evdev_device *d;
	g_autofree char *key = NULL;
	gpointer state;
	usec_t interval;
	int fd = -1, r;

	if (find_by_syspath(src, syspath) || !(kind = kind_of(src, udev_device)))
		return;
	if (g_hash_table_lookup_extended(src->unopened, syspath, NULL, &state) &&
	    GPOINTER_TO_INT(state) == UNOPENED_REFUSED)
		return;
	/* someone else may be at the seat: note the device, open it when the session is active */
	if (!src->active) {
		if (!g_hash_table_contains(src->unopened, syspath)) {
			g_debug("%s: the session is not active: opened when it is", devnode);
			g_hash_table_insert(src->unopened, g_strdup(syspath),
					    GINT_TO_POINTER(UNOPENED_NOTED));
		}
		return;
	}
	r = open_evdev(devnode, &fd, &evdev);
	if (r < 0) {
		open_failed(src, syspath, devnode, r);
		return;
	}
	g_hash_table_remove(src->unopened, syspath);
	/* Our own clock stamps events; a device that cannot switch clocks is still fine. */
	r = libevdev_set_clock_id(evdev, CLOCK_MONOTONIC);
	if (r < 0)
		g_debug("%s: cannot set the clock: %s, ignoring", devnode, g_strerror(-r));

	describe(evdev, &info);
	key = g_strdup_printf("%s|%s|%04x:%04x:%04x|%s", kind->name, info.name, info.bustype,
			      info.vendor, info.product,
			      libevdev_get_phys(evdev) ? libevdev_get_phys(evdev) : "");
	d = find_absent_by_key(src, key);
	if (!d) {
		double axis[3];
		struct session_device sd = {
			.kind = kind,
			.info = &info,
			.what = devnode,
			.default_axis = udev_axis(udev_device, axis) ? axis : NULL,
		};
		int dev = session_add_device(src->session, &sd, now(src));

		if (dev < 0) {
			if (dev == -E2BIG)
				g_warning("%s: too many sitlog devices (at most %d), ignoring", info.name,
					  SITLOG_MAX_DEVICES);
			else
				g_warning("%s: not usable as a %s sensor, ignoring", info.name,
					  kind->name);
			g_hash_table_insert(src->unopened, g_strdup(syspath),
					    GINT_TO_POINTER(UNOPENED_REFUSED));
			libevdev_free(evdev);
			close(fd);
			return;
		}
		d = g_new0(struct evdev_device, 1);
		d->src = src;
		d->key = g_steal_pointer(&key);
		d->name = g_strdup(info.name);
		d->kind = kind;
		d->dev = dev;
		d->fd = -1;
		g_ptr_array_add(src->devices, d);
	}
	d->devnode = g_strdup(devnode);
	d->syspath = g_strdup(syspath);
	d->fd = fd;
	d->evdev = evdev;
	d->present = true;
	g_message("%s: using %s as a %s sensor", d->name, devnode, kind->name);

	/* A switch whose keys would reach the desktop (a pedal that types) can be taken alone. */
	if (kind->grab(src->config)) {
		r = libevdev_grab(evdev, LIBEVDEV_GRAB);
		if (r < 0)
			g_warning("%s: cannot grab: %s, ignoring", d->name, g_strerror(-r));
	}

	feed_state(d, now(src));
	interval = device_kind_sample_interval(kind, src->config);
	if (interval > 0)
		d->sample = g_timeout_add((guint) (interval / 1000), on_sample, d);
	else
		d->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input, d);
	src->ops->changed(src->userdata);
}

static void
device_removed(struct evdev_source *src, struct udev_device *udev_device)
{
	struct evdev_device *d = find_by_syspath(src, udev_device_get_syspath(udev_device));

	g_hash_table_remove(src->unopened, udev_device_get_syspath(udev_device));
	if (!d)
		return;
	device_gone(d);
	src->ops->changed(src->userdata);
}

static gboolean
on_udev(int fd, GIOCondition cond, gpointer data)
{
	struct evdev_source *src = data;
	struct udev_device *udev_device = udev_monitor_receive_device(src->monitor);
	const char *action;

	if (!udev_device)
		return G_SOURCE_CONTINUE;
	src->ops->wake(src->userdata);
	action = udev_device_get_action(udev_device);
	/* "add" comes for the event node and its parent: only nodes matter */
	if (udev_device_get_devnode(udev_device)) {
		if (g_strcmp0(action, "add") == 0 || g_strcmp0(action, "change") == 0)
			device_added(src, udev_device);
		else if (g_strcmp0(action, "remove") == 0)
			device_removed(src, udev_device);
	}
	udev_device_unref(udev_device);
	return G_SOURCE_CONTINUE;
}

/* Every device there is now, as if each had just been plugged in. */
static int
enumerate(struct evdev_source *src)
{
	struct udev_enumerate *e = udev_enumerate_new(src->udev);
	struct udev_list_entry *entry;

	if (!e)
		return -ENOMEM;
	/* Select by property (or the config): tags and the "initialized" flag are not reliable
	 * everywhere. */
	udev_enumerate_add_match_subsystem(e, "input");
	if (src->config->n_devices == 0)
		udev_enumerate_add_match_property(e, "SITLOG_ROLE", "*");
	udev_enumerate_scan_devices(e);
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *udev_device =
			udev_device_new_from_syspath(src->udev, udev_list_entry_get_name(entry));

		if (udev_device) {
			device_added(src, udev_device);
			udev_device_unref(udev_device);
		}
	}
	udev_enumerate_unref(e);
	return 0;
}

int
evdev_source_new(struct session *session, const struct sitlog_config *config,
		 const struct evdev_source_ops *ops, void *userdata, bool active,
		 struct evdev_source **ret)
{
	struct evdev_source *src = g_new0(struct evdev_source, 1);
	int r;

	src->session = session;
	src->config = config;
	src->ops = ops;
	src->userdata = userdata;
	src->active = active;
	src->devices = g_ptr_array_new_with_free_func(free_device);
	src->unopened = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	src->udev = udev_new();
	if (!src->udev) {
		evdev_source_free(src);
		return -ENOMEM;
	}
	src->monitor = udev_monitor_new_from_netlink(src->udev, "udev");
	if (!src->monitor ||
	    udev_monitor_filter_add_match_subsystem_devtype(src->monitor, "input", NULL) < 0 ||
	    udev_monitor_enable_receiving(src->monitor) < 0) {
		evdev_source_free(src);
		return -EIO;
	}
	src->monitor_watch = g_unix_fd_add(udev_monitor_get_fd(src->monitor), G_IO_IN, on_udev,
					   src);
	r = enumerate(src);
	if (r < 0) {
		evdev_source_free(src);
		return r;
	}
	*ret = src;
	return 0;
}

void
evdev_source_free(struct evdev_source *src)
{
	if (!src)
		return;
	g_clear_handle_id(&src->monitor_watch, g_source_remove);
	g_ptr_array_unref(src->devices);
	g_hash_table_unref(src->unopened);
	if (src->monitor)
		udev_monitor_unref(src->monitor);
	if (src->udev)
		udev_unref(src->udev);
	g_free(src);
}

unsigned
evdev_source_n_devices(const struct evdev_source *src)
{
	return src->devices->len;
}

void
evdev_source_resume(struct evdev_source *src)
{
	for (guint i = 0; i < src->devices->len; i++) {
		struct evdev_device *d = src->devices->pdata[i];
		struct input_event ev;

		if (!d->present)
			continue;
		libevdev_next_event(d->evdev, LIBEVDEV_READ_FLAG_FORCE_SYNC, &ev);
		if (drain(d, false))
			feed_state(d, now(src));
	}
}

void
evdev_source_set_active(struct evdev_source *src, bool active)
{
	int r;

	if (src->active == active)
		return;
	src->active = active;
	if (!active) {
		usec_t t = now(src);

		/* what waits unread may already be someone else's: closed unread */
		for (guint i = 0; i < src->devices->len; i++) {
			struct evdev_device *d = src->devices->pdata[i];

			if (!d->present)
				continue;
			g_message("%s: closed; posture unknown until the session is active again",
				  d->name);
			device_close(d);
			session_device_gone(src->session, d->dev, t);
		}
		return;
	}
	/* opened afresh, as at start; each finds its old session slot by its identity */
	r = enumerate(src);
	if (r < 0)
		g_warning("cannot enumerate input devices: %s, ignoring", g_strerror(-r));
}
