/* SPDX-License-Identifier: MIT */
/*
 * Live mode: udev finds the input devices that have a sitlog role, libevdev reads them, the
 * core decides, the recorder writes. Everything runs on the GLib main loop and wakes only for
 * input that matters, the next decision the core has due, and a heartbeat while a bout is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <libevdev/libevdev.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "core.h"
#include "desktop.h"
#include "device-params.h"
#include "device-role.h"
#include "live.h"
#include "quiet.h"
#include "recorder.h"
#include "sitlog-conf.h"
#include "store.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define HEARTBEAT_S 60

struct live;

struct live_device {
	struct live *live;
	char *key;     /* stable identity (name, ids, phys): a replug finds its core slot again */
	char *syspath; /* while present */
	char *devnode;
	char *name;
	enum core_role role;
	int dev; /* core device index */
	int64_t store_id;
	int fd;
	struct libevdev *evdev;
	guint watch;
	guint sample;
	bool present;
};

struct live {
	const struct live_request *req;
	GMainLoop *loop;
	struct store *store;
	struct notifier *notifier;
	struct recorder recorder;
	struct core *core;
	struct udev *udev;
	struct udev_monitor *monitor;
	guint monitor_watch;
	GPtrArray *devices; /* index = core device index */
	guint deadline_source;
	guint heartbeat_source;
	GDBusConnection *system_bus;
	guint sleep_subscription;
	struct control *control;
	struct desktop *desktop;
	struct quiet quiet;
	usec_t paused_until;  /* core time, 0: not paused */
	guint pause_source;   /* ends the pause */
	usec_t last_now;
	int exit_status;
};

static usec_t
live_now(struct live *l)
{
	struct timespec ts;
	usec_t now;

	/* CLOCK_BOOTTIME: a duration clock that also runs through suspend (handled explicitly). */
	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = (usec_t) ts.tv_sec * USEC_PER_SEC + (usec_t) ts.tv_nsec / 1000;
	if (now < l->last_now)
		now = l->last_now;
	l->last_now = now;
	return now;
}

static void live_schedule(struct live *l);
static void live_publish(struct live *l);

static int64_t
wall_offset(struct live *l)
{
	struct timespec real;

	clock_gettime(CLOCK_REALTIME, &real);
	return ((int64_t) real.tv_sec * 1000000 + real.tv_nsec / 1000) - (int64_t) live_now(l);
}

/* Durations come from CLOCK_BOOTTIME; wall-clock time only labels them. When the wall clock
 * jumps, relabel from now on instead of stretching what is open. */
static int
follow_wall_clock(struct live *l)
{
	int64_t offset = wall_offset(l), delta = offset - l->recorder.offset_us;

	if (delta > -2 * (int64_t) USEC_PER_SEC && delta < 2 * (int64_t) USEC_PER_SEC)
		return 0;
	g_message("the wall clock moved by %+.0f s; durations are kept as measured",
		  (double) delta / 1e6);
	return recorder_rebase(&l->recorder, live_now(l), offset);
}

/* Write what the core decided, in one transaction; most input decides nothing and costs no
 * transaction. */
static void
live_commit(struct live *l)
{
	struct {
		int64_t store_id;
		double axis[3];
	} learned[RECORDER_MAX_DEVICES];
	size_t n_learned = 0;
	int r;

	for (guint i = 0; i < l->devices->len; i++) {
		struct live_device *d = l->devices->pdata[i];

		if (d->role == CORE_ROLE_IMU &&
		    core_take_learned_axis(l->core, d->dev, learned[n_learned].axis)) {
			learned[n_learned].store_id = d->store_id;
			g_message("%s: learned the long axis (%.2f %.2f %.2f)", d->name,
				  learned[n_learned].axis[0], learned[n_learned].axis[1],
				  learned[n_learned].axis[2]);
			n_learned++;
		}
	}
	if (!core_has_events(l->core) && n_learned == 0) {
		live_schedule(l);
		live_publish(l);
		return;
	}

	r = store_begin(l->store);
	if (r >= 0)
		r = follow_wall_clock(l);
	if (r >= 0)
		r = recorder_drain(&l->recorder, l->core);
	for (size_t i = 0; r >= 0 && i < n_learned; i++)
		r = recorder_save_axis(&l->recorder, learned[i].store_id, learned[i].axis);
	if (r >= 0)
		r = store_commit(l->store);
	if (r < 0) {
		g_warning("%s: cannot record: %s", store_path(l->store), store_errmsg(l->store));
		store_rollback(l->store);
		l->exit_status = EXIT_FAILURE;
	}
	live_schedule(l);
	live_publish(l);
}

static gboolean
on_deadline(gpointer data)
{
	struct live *l = data;

	l->deadline_source = 0;
	core_advance(l->core, live_now(l));
	live_commit(l);
	return G_SOURCE_REMOVE;
}

static gboolean
on_heartbeat(gpointer data)
{
	struct live *l = data;
	int r = store_begin(l->store);

	if (r >= 0)
		r = follow_wall_clock(l);
	if (r >= 0)
		r = recorder_heartbeat(&l->recorder, live_now(l));
	if (r >= 0)
		r = store_commit(l->store);
	if (r < 0) {
		g_warning("%s: heartbeat: %s", store_path(l->store), store_errmsg(l->store));
		store_rollback(l->store);
	}
	return G_SOURCE_CONTINUE;
}

/* One timer for the core's next decision; a heartbeat only while a bout is open. */
static void
live_schedule(struct live *l)
{
	usec_t next = core_next_deadline(l->core), now = live_now(l);

	g_clear_handle_id(&l->deadline_source, g_source_remove);
	if (next != USEC_INFINITY) {
		guint ms = next <= now ? 0 : (guint) MIN((next - now + 999) / 1000, (usec_t) G_MAXUINT);

		l->deadline_source = g_timeout_add_full(G_PRIORITY_DEFAULT, ms, on_deadline, l, NULL);
	}
	if (l->recorder.open_bout > 0 && l->heartbeat_source == 0)
		l->heartbeat_source = g_timeout_add_seconds(HEARTBEAT_S, on_heartbeat, l);
	else if (l->recorder.open_bout == 0)
		g_clear_handle_id(&l->heartbeat_source, g_source_remove);
}

/* The device description in the same form a recording gives, so that one set of rules
 * (device-params.c) serves both. */
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

static void
feed(struct live_device *d, usec_t now, unsigned type, unsigned code, int value)
{
	core_feed(d->live->core, d->dev, now, (uint16_t) type, (uint16_t) code, value);
}

/* The device's current state as one frame: at open, after a resync, and for each IMU sample. */
static void
feed_state(struct live_device *d, usec_t now)
{
	if (d->role == CORE_ROLE_IMU) {
		for (unsigned code = ABS_X; code <= ABS_Z; code++)
			feed(d, now, EV_ABS, code, libevdev_get_event_value(d->evdev, EV_ABS, code));
	} else {
		for (unsigned type = EV_KEY; type <= EV_SW; type += EV_SW - EV_KEY) {
			int max = libevdev_event_type_get_max(type);

			for (int code = 0; code <= max; code++)
				if (libevdev_has_event_code(d->evdev, type, (unsigned) code))
					feed(d, now, type, (unsigned) code,
					     libevdev_get_event_value(d->evdev, type, (unsigned) code));
		}
		for (unsigned code = 0; code < ABS_CNT; code++)
			if (libevdev_has_event_code(d->evdev, EV_ABS, code))
				feed(d, now, EV_ABS, code,
				     libevdev_get_event_value(d->evdev, EV_ABS, code));
	}
	feed(d, now, EV_SYN, SYN_REPORT, 0);
}

static void device_gone(struct live_device *d);

/* Read everything pending. Seat devices pass every event on; an IMU only updates libevdev's
 * state here and is fed one frame per sample. Returns false when the device is gone. */
static bool
drain(struct live_device *d, bool pass_on)
{
	struct input_event ev;
	usec_t now = live_now(d->live);
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
			feed(d, now, ev.type, ev.code, ev.value);
	}
}

static gboolean
on_input(int fd, GIOCondition cond, gpointer data)
{
	struct live_device *d = data;
	struct live *l = d->live;

	if (!drain(d, true) || (cond & (G_IO_HUP | G_IO_ERR))) {
		d->watch = 0;
		device_gone(d);
		live_commit(l);
		return G_SOURCE_REMOVE;
	}
	live_commit(l);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_sample(gpointer data)
{
	struct live_device *d = data;
	struct live *l = d->live;

	if (!drain(d, false)) {
		d->sample = 0;
		device_gone(d);
		live_commit(l);
		return G_SOURCE_REMOVE;
	}
	feed_state(d, live_now(l));
	live_commit(l);
	return G_SOURCE_CONTINUE;
}

static void
device_close(struct live_device *d)
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
device_gone(struct live_device *d)
{
	if (!d->present)
		return;
	g_message("%s: gone; posture unknown until it is back", d->name);
	device_close(d);
	core_device_gone(d->live->core, d->dev, live_now(d->live));
}

static const char *
role_name(enum core_role role)
{
	return role == CORE_ROLE_IMU ? "imu" : "seat";
}

/* A device is used only when it has a sitlog role (udev property or a [Device] section of the
 * config): nothing else is ever opened. */
static int
live_device_role(struct live *l, struct udev_device *udev_device, enum core_role *ret)
{
	struct device_role role;

	if (device_role_of(udev_device, l->req->config, &role) < 0 || !role.role)
		return -ENOENT;
	*ret = g_str_equal(role.role, "imu") ? CORE_ROLE_IMU : CORE_ROLE_SEAT;
	g_debug("%s: role %s from %s", udev_device_get_devnode(udev_device), role.role, role.why);
	return 0;
}

static struct live_device *
find_by_key(struct live *l, const char *key)
{
	for (guint i = 0; i < l->devices->len; i++) {
		struct live_device *d = l->devices->pdata[i];

		if (g_str_equal(d->key, key))
			return d;
	}
	return NULL;
}

static struct live_device *
find_by_syspath(struct live *l, const char *syspath)
{
	for (guint i = 0; i < l->devices->len; i++) {
		struct live_device *d = l->devices->pdata[i];

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

static int
register_device(struct live *l, struct live_device *d, const struct evemu_device_info *info,
		struct udev_device *udev_device)
{
	const struct sitlog_config *cfg = l->req->config;
	struct store_device sd = {
		.name = info->name,
		.role = role_name(d->role),
		.bustype = info->bustype,
		.vendor = info->vendor,
		.product = info->product,
		.phys = "",
		.uniq = "",
	};
	double axis[3];
	int r;

	if (d->role == CORE_ROLE_IMU) {
		struct imu_classifier_params ip;

		r = device_imu_params(info, d->devnode, cfg, &ip);
		if (r < 0)
			return r;
		if (!ip.have_axis && udev_axis(udev_device, ip.axis))
			ip.have_axis = true; /* a default: learning may still replace it */
		d->dev = core_add_imu(l->core, &ip);
	} else {
		struct seat_classifier_params sp;

		r = device_seat_params(info, d->devnode, cfg, &sp);
		if (r < 0)
			return r;
		d->dev = core_add_seat(l->core, &sp);
	}
	if (d->dev < 0)
		return d->dev;

	r = store_begin(l->store);
	if (r >= 0)
		r = store_device_ensure(l->store, &sd, recorder_wall_ms(&l->recorder, live_now(l)),
					&d->store_id);
	if (r >= 0)
		r = store_commit(l->store);
	if (r < 0) {
		store_rollback(l->store);
		g_warning("%s: %s", store_path(l->store), store_errmsg(l->store));
		return r;
	}
	l->recorder.device_ids[d->dev] = d->store_id;

	if (d->role == CORE_ROLE_IMU && recorder_load_axis(&l->recorder, d->store_id, axis) == 0)
		core_set_imu_axis(l->core, d->dev, axis);
	return 0;
}

static void
device_added(struct live *l, struct udev_device *udev_device)
{
	const char *syspath = udev_device_get_syspath(udev_device);
	const char *devnode = udev_device_get_devnode(udev_device);
	struct evemu_device_info info;
	struct libevdev *evdev = NULL;
	struct live_device *d;
	g_autofree char *key = NULL;
	enum core_role role;
	int fd = -1, r;

	if (find_by_syspath(l, syspath) || live_device_role(l, udev_device, &role) < 0)
		return;
	r = open_evdev(devnode, &fd, &evdev);
	if (r < 0) {
		g_warning("%s: cannot open: %s, ignoring", devnode, g_strerror(-r));
		return;
	}
	/* Our own clock stamps events; a device that cannot switch clocks is still fine. */
	r = libevdev_set_clock_id(evdev, CLOCK_MONOTONIC);
	if (r < 0)
		g_debug("%s: cannot set the clock: %s, ignoring", devnode, g_strerror(-r));

	describe(evdev, &info);
	key = g_strdup_printf("%s|%s|%04x:%04x:%04x|%s", role_name(role), info.name, info.bustype,
			      info.vendor, info.product,
			      libevdev_get_phys(evdev) ? libevdev_get_phys(evdev) : "");
	d = find_by_key(l, key);
	if (!d) {
		if (l->devices->len >= RECORDER_MAX_DEVICES) {
			g_warning("%s: too many sitlog devices, ignoring", info.name);
			libevdev_free(evdev);
			close(fd);
			return;
		}
		d = g_new0(struct live_device, 1);
		d->live = l;
		d->key = g_steal_pointer(&key);
		d->name = g_strdup(info.name);
		d->role = role;
		d->fd = -1;
		d->devnode = g_strdup(devnode);
		if (register_device(l, d, &info, udev_device) < 0) {
			g_free(d->key);
			g_free(d->name);
			g_free(d->devnode);
			g_free(d);
			libevdev_free(evdev);
			close(fd);
			return;
		}
		g_assert((guint) d->dev == l->devices->len);
		g_ptr_array_add(l->devices, d);
	} else {
		g_free(d->devnode);
		d->devnode = g_strdup(devnode);
	}
	d->syspath = g_strdup(syspath);
	d->fd = fd;
	d->evdev = evdev;
	d->present = true;
	g_message("%s: using %s as a %s sensor", d->name, devnode, role_name(role));

	/* A switch whose keys would reach the desktop (a pedal that types) can be taken alone. */
	if (role == CORE_ROLE_SEAT && l->req->config->seat_grab) {
		r = libevdev_grab(evdev, LIBEVDEV_GRAB);
		if (r < 0)
			g_warning("%s: cannot grab: %s, ignoring", d->name, g_strerror(-r));
	}

	feed_state(d, live_now(l));
	/* Posture rate for worn sensors: the classifier gives the same answers from 5 Hz up, so an
	 * IMU is sampled rather than read at its own rate (docs/live.md), unless configured. */
	if (role == CORE_ROLE_IMU && l->req->config->imu_sample_interval > 0)
		d->sample = g_timeout_add((guint) (l->req->config->imu_sample_interval / 1000),
					  on_sample, d);
	else
		d->watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input, d);
	live_commit(l);
}

static void
device_removed(struct live *l, struct udev_device *udev_device)
{
	struct live_device *d = find_by_syspath(l, udev_device_get_syspath(udev_device));

	if (!d)
		return;
	device_gone(d);
	live_commit(l);
}

static gboolean
on_udev(int fd, GIOCondition cond, gpointer data)
{
	struct live *l = data;
	struct udev_device *udev_device = udev_monitor_receive_device(l->monitor);
	const char *action;

	if (!udev_device)
		return G_SOURCE_CONTINUE;
	action = udev_device_get_action(udev_device);
	/* "add" comes for the event node and its parent: only nodes matter */
	if (udev_device_get_devnode(udev_device)) {
		if (g_strcmp0(action, "add") == 0 || g_strcmp0(action, "change") == 0)
			device_added(l, udev_device);
		else if (g_strcmp0(action, "remove") == 0)
			device_removed(l, udev_device);
	}
	udev_device_unref(udev_device);
	return G_SOURCE_CONTINUE;
}

static int
start_udev(struct live *l)
{
	struct udev_enumerate *e;
	struct udev_list_entry *entry;

	l->udev = udev_new();
	if (!l->udev)
		return -ENOMEM;
	l->monitor = udev_monitor_new_from_netlink(l->udev, "udev");
	if (!l->monitor ||
	    udev_monitor_filter_add_match_subsystem_devtype(l->monitor, "input", NULL) < 0 ||
	    udev_monitor_enable_receiving(l->monitor) < 0)
		return -EIO;
	l->monitor_watch = g_unix_fd_add(udev_monitor_get_fd(l->monitor), G_IO_IN, on_udev, l);

	/* Select by property (or the config): tags and the "initialized" flag are not reliable
	 * everywhere. */
	e = udev_enumerate_new(l->udev);
	if (!e)
		return -ENOMEM;
	udev_enumerate_add_match_subsystem(e, "input");
	if (l->req->config->n_devices == 0)
		udev_enumerate_add_match_property(e, "SITLOG_ROLE", "*");
	udev_enumerate_scan_devices(e);
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *udev_device =
			udev_device_new_from_syspath(l->udev, udev_list_entry_get_name(entry));

		if (udev_device) {
			device_added(l, udev_device);
			udev_device_unref(udev_device);
		}
	}
	udev_enumerate_unref(e);
	return 0;
}

/* logind's PrepareForSleep: nothing is measured while suspended, so every device is unknown
 * from the moment of sleep; on resume each reports its state afresh. */
static void
on_prepare_for_sleep(GDBusConnection *bus, const char *sender, const char *path,
		     const char *iface, const char *signal, GVariant *params, gpointer data)
{
	struct live *l = data;
	gboolean sleeping;

	g_variant_get(params, "(b)", &sleeping);
	for (guint i = 0; i < l->devices->len; i++) {
		struct live_device *d = l->devices->pdata[i];
		struct input_event ev;

		if (!d->present)
			continue;
		if (sleeping) {
			core_device_gone(l->core, d->dev, live_now(l));
		} else {
			libevdev_next_event(d->evdev, LIBEVDEV_READ_FLAG_FORCE_SYNC, &ev);
			if (drain(d, false))
				feed_state(d, live_now(l));
		}
	}
	g_message("%s", sleeping ? "suspending: posture unknown until resume" : "resumed");
	live_commit(l);
}

static void
watch_sleep(struct live *l)
{
	g_autoptr(GError) error = NULL;

	l->system_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (!l->system_bus) {
		g_message("no system bus (%s): suspend is not watched, ignoring", error->message);
		return;
	}
	l->sleep_subscription = g_dbus_connection_signal_subscribe(
		l->system_bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
		"PrepareForSleep", "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
		on_prepare_for_sleep, l, NULL);
}

static gboolean
on_signal(gpointer data)
{
	struct live *l = data;

	g_main_loop_quit(l->loop);
	return G_SOURCE_REMOVE;
}

/* ---- prompts: answers, pause, snooze and the control interface ---- */

static int64_t
wall_us(struct live *l, usec_t t)
{
	return (int64_t) t + l->recorder.offset_us;
}

static char *
format_local(int64_t wall)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(wall / (int64_t) USEC_PER_SEC);

	return dt ? g_date_time_format(dt, "%F %T") : g_strdup("?");
}

static void
live_publish(struct live *l)
{
	usec_t start, next, now = live_now(l);
	usec_t since = core_posture_since(l->core);
	struct control_state s = {
		.posture = posture_to_string(core_posture(l->core)),
		.posture_since = since > 0 ? wall_us(l, since) : 0,
		.paused_until = l->paused_until > now ? wall_us(l, l->paused_until) : 0,
		.quiet = now < l->paused_until ? "paused" : quiet_check(now, &l->quiet),
	};

	if (!l->control)
		return;
	if (core_bout(l->core, &start, &next)) {
		s.bout_start = wall_us(l, start);
		s.next_prompt = next == USEC_INFINITY ? 0 : wall_us(l, next);
	}
	control_update(l->control, &s);
}

/* The quiet gate: asked when a prompt falls due; the desktop's facts are kept up to date by
 * on_desktop_fact(). */
static const char *
live_quiet(usec_t t, void *data)
{
	struct live *l = data;

	return quiet_check(t, &l->quiet);
}

static void
on_desktop_fact(enum desktop_fact fact, bool on, void *data)
{
	struct live *l = data;

	switch (fact) {
	case DESKTOP_LOCKED:
		l->quiet.locked = on;
		break;
	case DESKTOP_IDLE_INHIBITED:
		l->quiet.inhibited = on;
		break;
	case DESKTOP_DND:
		l->quiet.dnd = on;
		break;
	case _DESKTOP_FACT_MAX:
		g_assert_not_reached();
	}
	live_publish(l);
}

static void set_pause(struct live *l, usec_t until);

static gboolean
on_pause_end(gpointer data)
{
	struct live *l = data;

	l->pause_source = 0;
	set_pause(l, 0);
	if (store_state_set(l->store, "paused-until", "0") < 0)
		g_warning("%s: %s", store_path(l->store), store_errmsg(l->store));
	g_message("the pause is over: prompts are shown again");
	return G_SOURCE_REMOVE;
}

static void
set_pause(struct live *l, usec_t until)
{
	usec_t now = live_now(l);

	l->paused_until = until;
	core_pause(l->core, until);
	g_clear_handle_id(&l->pause_source, g_source_remove);
	if (until > now) {
		usec_t ms = (until - now + 999) / 1000;

		l->pause_source = ms < G_MAXUINT ?
			g_timeout_add_full(G_PRIORITY_DEFAULT, (guint) ms, on_pause_end, l, NULL) :
			g_timeout_add_seconds((guint) (ms / 1000), on_pause_end, l);
	}
	live_publish(l);
}

/* The pause is kept in the state table as wall-clock ms, so that it survives a restart. */
static int
save_pause(struct live *l)
{
	g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT,
					     l->paused_until ?
						     recorder_wall_ms(&l->recorder, l->paused_until) :
						     0);

	return store_state_set(l->store, "paused-until", v);
}

static void
restore_pause(struct live *l)
{
	g_autofree char *v = NULL, *when = NULL;
	int64_t ms, until;

	if (store_state_get(l->store, "paused-until", &v) < 0)
		return;
	ms = g_ascii_strtoll(v, NULL, 10);
	until = ms * 1000 - l->recorder.offset_us;
	if (ms <= 0 || until <= (int64_t) live_now(l))
		return;
	set_pause(l, (usec_t) until);
	when = format_local(ms * 1000);
	g_message("prompts stay paused until %s", when);
}

static int64_t
op_pause(void *data, usec_t length, GError **error)
{
	struct live *l = data;
	usec_t old = l->paused_until, until = live_now(l) + (length ? length : l->req->config->pause);
	g_autofree char *when = NULL;

	set_pause(l, until);
	if (save_pause(l) < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot keep the pause: %s",
			    store_path(l->store), store_errmsg(l->store));
		set_pause(l, old);
		return 0;
	}
	when = format_local(wall_us(l, until));
	g_message("prompts paused until %s (tracking goes on)", when);
	return wall_us(l, until);
}

static void
op_resume(void *data)
{
	struct live *l = data;

	set_pause(l, 0);
	if (save_pause(l) < 0)
		g_warning("%s: cannot record the end of the pause: %s", store_path(l->store),
			  store_errmsg(l->store));
	g_message("prompts resumed");
}

static void
snooze(struct live *l, usec_t length)
{
	core_snooze(l->core, live_now(l), length ? length : l->req->config->snooze);
	live_commit(l);
}

static int64_t
op_snooze(void *data, usec_t length)
{
	struct live *l = data;
	usec_t start, next;
	int64_t id;

	if (!core_bout(l->core, &start, &next))
		return -1;
	/* a snooze from the command line answers the prompt on screen too */
	id = notifier_close(l->notifier);
	if (id > 0 && recorder_response(&l->recorder, id, "snoozed", live_now(l)) < 0)
		g_warning("%s: %s", store_path(l->store), store_errmsg(l->store));
	snooze(l, length);
	core_bout(l->core, &start, &next);
	g_message("next prompt snoozed");
	return next == USEC_INFINITY ? 0 : wall_us(l, next);
}

static const struct control_ops control_ops = {
	.pause = op_pause,
	.resume = op_resume,
	.snooze = op_snooze,
};

/* A click on the notification (or its closing): recorded; "Snooze" moves the next prompt. */
static void
on_response(int64_t prompt_id, const char *response, void *data)
{
	struct live *l = data;

	if (recorder_response(&l->recorder, prompt_id, response, live_now(l)) < 0)
		g_warning("%s: cannot record an answer: %s", store_path(l->store),
			  store_errmsg(l->store));
	g_message("prompt answered: %s", response);
	if (g_str_equal(response, "snoozed"))
		snooze(l, 0);
}

static void
free_device(gpointer data)
{
	struct live_device *d = data;

	device_close(d);
	g_free(d->key);
	g_free(d->name);
	g_free(d);
}

/* One writer per database: a second daemon started by mistake stops here. */
int
live_lock_database(const char *db_path, int *ret_fd)
{
	g_autofree char *path = g_strconcat(db_path, ".lock", NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	int fd;

	if (g_mkdir_with_parents(dir, 0700) < 0)
		return -errno;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = -errno;

		close(fd);
		return r == -EWOULDBLOCK ? -EBUSY : r;
	}
	*ret_fd = fd;
	return 0;
}

int
live_run(const struct live_request *req)
{
	struct live l = { .req = req, .exit_status = EXIT_SUCCESS };
	struct core_params cp = {
		.min_segment = req->config->min_segment,
		.tracker = {
			.break_min = req->config->break_min,
			.remind_after = req->config->remind_after,
			.repeat_every = req->config->repeat_every,
		},
	};
	g_autofree char *error = NULL;
	int lock_fd = -1, r;

	r = live_lock_database(req->db_path, &lock_fd);
	if (r == -EBUSY) {
		fprintf(stderr, "sitlogd: %s: another sitlogd is already recording into it\n",
			req->db_path);
		return EXIT_FAILURE;
	}
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s.lock: %s\n", req->db_path, g_strerror(-r));
		return EXIT_FAILURE;
	}
	r = store_open(req->db_path, STORE_READ_WRITE, &l.store, &error);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", error);
		close(lock_fd);
		return EXIT_FAILURE;
	}

	l.core = core_new(&cp);
	l.notifier = notifier_new(req->notify, true, req->config->snooze);
	notifier_set_response_fn(l.notifier, on_response, &l);
	recorder_init(&l.recorder, l.store, l.notifier, req->config->heed_window,
		      req->config->escalate_after);
	l.recorder.offset_us = wall_offset(&l);
	l.quiet = (struct quiet) { .config = req->config, .recorder = &l.recorder };
	core_set_quiet(l.core, live_quiet, &l);
	l.devices = g_ptr_array_new_with_free_func(free_device);
	l.loop = g_main_loop_new(NULL, FALSE);

	r = start_udev(&l);
	if (r < 0) {
		fprintf(stderr, "sitlogd: cannot watch input devices with udev: %s\n", g_strerror(-r));
		l.exit_status = EXIT_FAILURE;
		goto out;
	}
	watch_sleep(&l);
	l.desktop = desktop_new(l.system_bus, req->config, on_desktop_fact, &l);
	restore_pause(&l);
	l.control = control_new(&control_ops, &l);
	live_publish(&l);
	g_unix_signal_add(SIGTERM, on_signal, &l);
	g_unix_signal_add(SIGINT, on_signal, &l);
	if (l.devices->len == 0)
		g_message("no device with a sitlog role yet; waiting for one (see sitlog devices)");
#if HAVE_LIBSYSTEMD
	sd_notify(0, "READY=1");
#endif
	g_main_loop_run(l.loop);
#if HAVE_LIBSYSTEMD
	sd_notify(0, "STOPPING=1");
#endif

	/* At shutdown what is open ends now; an open bout at its last sitting moment. */
	core_finish(l.core, live_now(&l));
	live_commit(&l);
out:
	control_free(l.control);
	desktop_free(l.desktop);
	g_clear_handle_id(&l.pause_source, g_source_remove);
	g_clear_handle_id(&l.deadline_source, g_source_remove);
	g_clear_handle_id(&l.heartbeat_source, g_source_remove);
	g_clear_handle_id(&l.monitor_watch, g_source_remove);
	if (l.sleep_subscription)
		g_dbus_connection_signal_unsubscribe(l.system_bus, l.sleep_subscription);
	g_clear_object(&l.system_bus);
	g_ptr_array_unref(l.devices);
	if (l.monitor)
		udev_monitor_unref(l.monitor);
	if (l.udev)
		udev_unref(l.udev);
	g_main_loop_unref(l.loop);
	notifier_free(l.notifier);
	core_free(l.core);
	store_close(l.store);
	close(lock_fd);
	return l.exit_status;
}
