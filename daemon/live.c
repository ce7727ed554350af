/* SPDX-License-Identifier: MIT */
/*
 * Live mode: the main loop and the sources of time and facts around one session. Devices come
 * from evdev-source.c, desktop facts from desktop.c, commands from the control interface
 * (control.c); the session decides and writes. The loop wakes only for input that matters and
 * for the session's next deadline (a decision, a working-hours boundary, the end of a pause, a
 * heartbeat while a bout is open, a retry while the store fails).
 */
#include <errno.h>
#include <gio/gio.h>
#include <inttypes.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "database.h"
#include "desktop.h"
#include "evdev-source.h"
#include "live.h"
#include "logind-sleep.h"
#include "session.h"
#include "sleep.h"
#include "store.h"
#include "time-parse.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define HEARTBEAT (60 * USEC_PER_SEC)

struct live {
	const struct live_request *req;
	struct sitlog_config config; /* what the session and the sources read; replaced on reload */
	GMainLoop *loop;
	struct store *store;
	struct session *session;
	struct evdev_source *devices;
	guint deadline_source;
	GDBusConnection *system_bus;
	struct logind_sleep *logind; /* PrepareForSleep and the delay lock */
	struct sleep_watch sleep;    /* the clock, and a sleep noticed on it */
	const char *test_slept;      /* SITLOG_TEST_SLEPT_FILE (tests only), NULL: none */
	struct control *control;
	struct desktop *desktop;
	bool active; /* the user's session is the active one on the seat (desktop.c) */
	int64_t wall_seen; /* the wall clock's offset at the last step seen */
	int exit_status;
};

static usec_t
timespec_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (usec_t) ts.tv_sec * USEC_PER_SEC + (usec_t) ts.tv_nsec / 1000;
}

/* The one test seam (as power-profiles-daemon has UMOCKDEV_DIR), for tests/suspend-test.py
 * only: SITLOG_TEST_SLEPT_FILE names a file holding the whole seconds the test pretends the
 * system has slept so far; CLOCK_MONOTONIC is read that much behind, as after a real suspend. */
static usec_t
test_slept(const char *path)
{
	g_autofree char *text = NULL;
	guint64 s;

	if (!path || !g_file_get_contents(path, &text, NULL, NULL) ||
	    !g_ascii_string_to_unsigned(g_strstrip(text), 10, 0, G_MAXUINT32, &s, NULL))
		return 0;
	return s * USEC_PER_SEC;
}

/* CLOCK_BOOTTIME is the duration clock: it runs on through a suspend, CLOCK_MONOTONIC does
 * not (sleep.h). */
static void
read_clocks(void *data, usec_t *ret_boottime, usec_t *ret_monotonic)
{
	struct live *l = data;
	usec_t boot = timespec_us(CLOCK_BOOTTIME), mono = timespec_us(CLOCK_MONOTONIC);
	usec_t slept = l->test_slept ? test_slept(l->test_slept) : 0;

	*ret_boottime = boot;
	*ret_monotonic = mono > slept ? mono - slept : 0;
}

static void
on_resumed(void *data, usec_t now)
{
	struct live *l = data;

	if (l->devices)
		evdev_source_resume(l->devices);
}

static const struct sleep_ops sleep_ops = {
	.read_clocks = read_clocks,
	.resumed = on_resumed,
};

static usec_t
live_now(struct live *l)
{
	return sleep_watch_now(&l->sleep);
}

/* The first thing of every wake-up: a sleep since the last one is handled (sleep.h). */
static usec_t
live_wake(struct live *l)
{
	return sleep_watch_wake(&l->sleep);
}

static usec_t
clock_now(void *data)
{
	return live_now(data);
}

static usec_t
clock_wake(void *data)
{
	return live_wake(data);
}

static int64_t
wall_offset(struct live *l)
{
	struct timespec real;

	clock_gettime(CLOCK_REALTIME, &real);
	return ((int64_t) real.tv_sec * 1000000 + real.tv_nsec / 1000) - (int64_t) live_now(l);
}

static int64_t
wall_us(struct live *l, usec_t t)
{
	return (int64_t) t + session_wall_offset(l->session);
}

/* Durations come from CLOCK_BOOTTIME; wall-clock time only labels them. When the wall clock
 * jumps, relabel from now on instead of stretching what is open. */
static void
follow_wall_clock(struct live *l)
{
	int64_t offset = wall_offset(l), delta = offset - l->wall_seen;

	if (delta > -2 * (int64_t) USEC_PER_SEC && delta < 2 * (int64_t) USEC_PER_SEC)
		return;
	l->wall_seen = offset;
	if (session_rebase(l->session, live_now(l), offset))
		g_message("the wall clock moved by %+.0f s; durations are kept as measured",
			  (double) delta / 1e6);
	else
		g_message("the wall clock moved by %+.0f s and is %.0f s behind the record: the "
			  "record keeps its clock, so that it does not go back over what it holds",
			  (double) delta / 1e6,
			  (double) (session_wall_offset(l->session) - offset) / 1e6);
}

static gboolean on_deadline(gpointer data);

static void
publish(struct live *l)
{
	struct session_status st;
	usec_t now = live_now(l);
	struct control_state s;

	if (!l->control)
		return;
	session_status(l->session, now, &st);
	s = (struct control_state) {
		.posture = posture_to_string(st.posture),
		.posture_since = st.posture_since > 0 ? wall_us(l, st.posture_since) : 0,
		.paused_until = st.paused_until ? wall_us(l, st.paused_until) : 0,
		.quiet = st.quiet,
		.sitting_today = st.day.sitting / USEC_PER_SEC,
		.upright_today = st.day.upright / USEC_PER_SEC,
		.sitting_budget = st.day.budget / USEC_PER_SEC,
		.upright_target = st.day.upright_target / USEC_PER_SEC,
		/* core time 0 is a time too: a day that began before the monotonic clock did */
		.day_at = wall_us(l, st.day.at),
	};
	if (st.bout) {
		s.bout_start = wall_us(l, st.bout_start);
		s.next_prompt = st.next_prompt == USEC_INFINITY ? 0 : wall_us(l, st.next_prompt);
	}
	control_update(l->control, &s);
}

/* After anything reached the session: write, arm the one timer, tell D-Bus. */
static void
settle(struct live *l)
{
	usec_t next, now;

	/* a wake-up that did not say so (an answer from the notification) is one too */
	live_wake(l);
	follow_wall_clock(l);
	if (session_commit(l->session, live_now(l)) < 0) {
		l->exit_status = EXIT_FAILURE;
		g_main_loop_quit(l->loop);
	}
	next = session_next_deadline(l->session);
	now = live_now(l);
	g_clear_handle_id(&l->deadline_source, g_source_remove);
	if (next != USEC_INFINITY) {
		usec_t ms = next <= now ? 0 : (next - now + 999) / 1000;

		l->deadline_source = ms < G_MAXUINT ?
			g_timeout_add_full(G_PRIORITY_DEFAULT, (guint) ms, on_deadline, l, NULL) :
			g_timeout_add_seconds((guint) MIN(ms / 1000, (usec_t) G_MAXUINT), on_deadline,
					      l);
	}
	publish(l);
}

static gboolean
on_deadline(gpointer data)
{
	struct live *l = data;

	l->deadline_source = 0;
	session_advance(l->session, live_wake(l));
	settle(l);
	return G_SOURCE_REMOVE;
}

static void
on_devices_changed(void *data)
{
	settle(data);
}

/* An answer from the notification (a click, a close) reached the session. */
static void
on_session_changed(void *data)
{
	settle(data);
}

static const struct evdev_source_ops evdev_ops = {
	.now = clock_now,
	.wake = clock_wake,
	.changed = on_devices_changed,
};

/* logind's PrepareForSleep: nothing is measured while suspended, so every device is unknown
 * from the moment of sleep, and that is written before logind-sleep.c lets the sleep go on;
 * on resume each reports its state afresh. */
static void
on_sleep(bool sleeping, void *data)
{
	struct live *l = data;

	sleep_watch_prepare(&l->sleep, sleeping);
	settle(l);
}

static void
watch_sleep(struct live *l)
{
	g_autoptr(GError) error = NULL;

	l->system_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (!l->system_bus) {
		g_message("no system bus (%s): a sleep is noticed from the clocks alone, ignoring",
			  error->message);
		return;
	}
	l->logind = logind_sleep_new(l->system_bus, on_sleep, l);
}

/* A desktop fact changed: a timed input of the core, or (the session's Active) whether the
 * devices are read at all. The first report comes before the devices are watched. */
static void
on_desktop_fact(enum desktop_fact fact, bool on, void *data)
{
	static const enum tracker_quiet reasons[] = {
		[DESKTOP_LOCKED] = TRACKER_QUIET_LOCKED,
		[DESKTOP_IDLE_INHIBITED] = TRACKER_QUIET_INHIBITED,
		[DESKTOP_DND] = TRACKER_QUIET_DND,
	};
	struct live *l = data;

	live_wake(l);
	if (fact == DESKTOP_ACTIVE) {
		if (l->devices && on != l->active)
			g_message("%s", on ? "the session is active again: reading the devices" :
					     "the session is no longer the active one on its seat: "
					     "devices closed, posture unknown");
		l->active = on;
		if (l->devices)
			evdev_source_set_active(l->devices, on);
	} else {
		session_set_quiet(l->session, live_now(l), reasons[fact], on);
	}
	if (l->loop)
		settle(l);
}

static gboolean
on_signal(gpointer data)
{
	struct live *l = data;

	g_main_loop_quit(l->loop);
	return G_SOURCE_REMOVE;
}

/* SIGHUP (systemctl --user reload sitlogd): the configuration read again and applied without
 * losing the open bout, the prompt schedule, the pause or the notification on screen. A config
 * that does not load is logged with its FILE:LINE and the running one stays. */
static gboolean
on_reload(gpointer data)
{
	struct live *l = data;
	g_autofree char *error = NULL;
	struct sitlog_config fresh;
	usec_t now = live_wake(l);

#if HAVE_LIBSYSTEMD
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64, (uint64_t) g_get_monotonic_time());
#endif
	if (sitlog_config_load(l->req->config_path, &fresh, &error) < 0) {
		g_warning("reload: %s; the configuration stays as it was", error);
	} else {
		session_reconfigure(l->session, now, &fresh);
		/* the desktop facts asked about may be others: they are reported afresh */
		desktop_free(l->desktop);
		for (enum tracker_quiet q = TRACKER_QUIET_LOCKED; q <= TRACKER_QUIET_DND; q <<= 1)
			session_set_quiet(l->session, now, q, false);
		l->config = fresh;
		l->desktop = desktop_new(l->system_bus, &l->config, on_desktop_fact, l);
		g_message("configuration reloaded");
	}
	settle(l);
#if HAVE_LIBSYSTEMD
	sd_notify(0, "READY=1");
#endif
	return G_SOURCE_CONTINUE;
}

/* ---- the control interface: pause, resume, snooze ---- */

/* A length past what the admin locked ([Reminders] pause or snooze): refused, as sitlog.conf(5)
 * says a locked bound bounds the D-Bus call too. */
static bool
within_lock(usec_t length, usec_t max, const char *key, GError **error)
{
	char a[32], b[32];

	if (!max || length <= max)
		return true;
	format_duration_exact(length, a, sizeof(a));
	format_duration_exact(max, b, sizeof(b));
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
		    "%s is longer than [Reminders] %s=%s, which the admin has locked", a, key, b);
	return false;
}

static int64_t
op_pause(void *data, usec_t length, GError **error)
{
	struct live *l = data;
	usec_t now = live_wake(l), until = now + (length ? length : l->config.pause);
	g_autofree char *when = NULL;

	if (!within_lock(length, l->config.pause_max, "pause", error))
		return 0;

	session_pause(l->session, now, until);
	settle(l);
	when = time_format_local(wall_us(l, until), "%F %T");
	g_message("prompts paused until %s (tracking goes on)", when);
	return wall_us(l, until);
}

static void
op_resume(void *data)
{
	struct live *l = data;

	session_pause(l->session, live_wake(l), 0);
	settle(l);
	g_message("prompts resumed");
}

static int64_t
op_snooze(void *data, usec_t length, GError **error)
{
	struct live *l = data;
	struct session_status st;
	g_autofree char *when = NULL;

	if (!within_lock(length, l->config.snooze_max, "snooze", error))
		return 0;
	if (session_snooze(l->session, live_wake(l), length) < 0)
		return -1;
	settle(l);
	session_status(l->session, live_now(l), &st);
	/* a snooze only postpones: the next prompt may be where it was */
	if (st.next_prompt != USEC_INFINITY)
		when = time_format_local(wall_us(l, st.next_prompt), "%F %T");
	g_message("snoozed: the next prompt at %s", when ? when : "the next sit-down");
	return st.next_prompt == USEC_INFINITY ? 0 : wall_us(l, st.next_prompt);
}

static int
op_prune(void *data, int64_t before, unsigned ret_counts[3], GError **error)
{
	struct live *l = data;
	struct store_pruned n;
	int r = session_prune(l->session, live_wake(l), before / 1000, &n);

	if (r == -EINVAL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			    "the time is after now: only what is past can be pruned");
	else if (r == -EBUSY)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_BUSY,
			    "%s: the database cannot be written now; nothing was deleted",
			    store_path(l->store));
	else if (r < 0)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", store_path(l->store),
			    store_errmsg(l->store));
	if (r < 0)
		return r;
	g_message("pruned what ended before the given time: %u segments, %u bouts, %u prompts",
		  n.segments, n.bouts, n.prompts);
	ret_counts[0] = n.segments;
	ret_counts[1] = n.bouts;
	ret_counts[2] = n.prompts;
	settle(l);
	return 0;
}

static const struct control_ops control_ops = {
	.pause = op_pause,
	.resume = op_resume,
	.snooze = op_snooze,
	.prune = op_prune,
};

int
live_run(const struct live_request *req)
{
	struct live l = { .req = req, .config = *req->config, .exit_status = EXIT_SUCCESS };
	int lock_fd = -1, r;

	if (database_open(req->db_path, &lock_fd, &l.store) < 0)
		return EXIT_FAILURE;
	l.test_slept = g_getenv("SITLOG_TEST_SLEPT_FILE");
	if (l.test_slept)
		g_message("SITLOG_TEST_SLEPT_FILE is set: a test's clock (never in production)");
	sleep_watch_init(&l.sleep, &sleep_ops, &l);
	r = session_new(&(struct session_params) {
				.config = &l.config,
				.notify = req->notify,
				.interactive = true,
				.heartbeat = HEARTBEAT,
				.wall_offset_us = l.wall_seen = wall_offset(&l),
				.clock = clock_now,
				.changed = on_session_changed,
				.source_userdata = &l,
			},
			l.store, &l.session);
	if (r >= 0)
		sleep_watch_set_session(&l.sleep, l.session);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", g_strerror(-r));
		store_close(l.store);
		close(lock_fd);
		return EXIT_FAILURE;
	}
	if (session_restore_pause(l.session, live_now(&l))) {
		struct session_status st;
		g_autofree char *when = NULL;

		session_status(l.session, live_now(&l), &st);
		when = time_format_local(wall_us(&l, st.paused_until), "%F %T");
		g_message("prompts stay paused until %s", when);
	}

	/* retention at start: a moment the daemon is awake anyway */
	session_retain(l.session, live_now(&l));
	watch_sleep(&l);
	l.desktop = desktop_new(l.system_bus, &l.config, on_desktop_fact, &l);
	l.loop = g_main_loop_new(NULL, FALSE);
	if (!l.active)
		g_message("the session is not the active one on its seat: devices are read once it "
			  "is");
	r = evdev_source_new(l.session, &l.config, &evdev_ops, &l, l.active, &l.devices);
	if (r < 0) {
		fprintf(stderr, "sitlogd: cannot watch input devices with udev: %s\n", g_strerror(-r));
		l.exit_status = EXIT_FAILURE;
		goto out;
	}
	l.control = control_new(&control_ops, &l);
	control_set_database(l.control, req->db_path);
	settle(&l);
	g_unix_signal_add(SIGTERM, on_signal, &l);
	g_unix_signal_add(SIGINT, on_signal, &l);
	g_unix_signal_add(SIGHUP, on_reload, &l);
	if (l.active && evdev_source_n_devices(l.devices) == 0)
		g_message("no device with a sitlog role yet; waiting for one (see sitlog devices)");
#if HAVE_LIBSYSTEMD
	sd_notify(0, "READY=1");
#endif
	if (l.exit_status == EXIT_SUCCESS)
		g_main_loop_run(l.loop);
#if HAVE_LIBSYSTEMD
	sd_notify(0, "STOPPING=1");
#endif

	/* At shutdown what is open ends now; an open bout at its last sitting moment. */
	live_wake(&l);
	follow_wall_clock(&l);
	if (session_finish(l.session, live_now(&l)) < 0)
		l.exit_status = EXIT_FAILURE;
out:
	control_free(l.control);
	desktop_free(l.desktop);
	g_clear_handle_id(&l.deadline_source, g_source_remove);
	logind_sleep_free(l.logind);
	g_clear_object(&l.system_bus);
	evdev_source_free(l.devices);
	session_free(l.session);
	if (l.loop)
		g_main_loop_unref(l.loop);
	store_close(l.store);
	close(lock_fd);
	return l.exit_status;
}
