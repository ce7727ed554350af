/* SPDX-License-Identifier: MIT */
/*
 * Suspend is never sitting (daemon/sleep.c, docs/semantics.md "Suspend"; issue 19, item 5).
 * A session on a fresh store, one chair switch, and the two clocks injected: time awake moves
 * CLOCK_BOOTTIME and CLOCK_MONOTONIC together, a sleep moves CLOCK_BOOTTIME alone. The test
 * drives it as live.c does: every wake-up (input, a deadline, a logind signal) calls
 * sleep_watch_wake() first, then the session, then a commit. Rows are read back from the store.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <sqlite3.h>
#include <string.h>

#include "session.h"
#include "sleep.h"
#include "store-fixture.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)
#define MINUTES(x) ((usec_t) (x) * USEC_PER_MINUTE)
#define T0 S(1000)
/* core time T0 = 2026-03-02 08:30:00 UTC */
#define OFFSET ((int64_t) 1772440200 * 1000000 - (int64_t) T0)

struct fixture {
	char *dir;
	char *path;
	struct store *store;
	struct session *session;
	struct sitlog_config config;
	struct evemu_device_info seat;
	int dev;
	struct sleep_watch sleep;
	usec_t boot, mono; /* the injected clocks */
	bool occupied;     /* the chair as the device would report it when read */
	unsigned resumes;  /* the devices were read again */
};

static void
read_clocks(void *data, usec_t *ret_boottime, usec_t *ret_monotonic)
{
	struct fixture *f = data;

	*ret_boottime = f->boot;
	*ret_monotonic = f->mono;
}

static void
feed(struct fixture *f, usec_t t)
{
	session_feed(f->session, f->dev, t, EV_KEY, BTN_0, f->occupied);
	session_feed(f->session, f->dev, t, EV_SYN, SYN_REPORT, 0);
}

/* As evdev_source_resume(): the device's state afresh. */
static void
resumed(void *data, usec_t now)
{
	struct fixture *f = data;

	f->resumes++;
	feed(f, now);
}

static const struct sleep_ops ops = {
	.read_clocks = read_clocks,
	.resumed = resumed,
};

static void
setup(struct fixture *f, gconstpointer data)
{
	g_autofree char *error = NULL;
	struct session_device d = { .kind = &device_kind_seat, .info = &f->seat, .what = "test" };

	memset(f, 0, sizeof(*f));
	f->dir = g_dir_make_tmp("sitlog-sleep-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(f->path, STORE_READ_WRITE, &f->store, &error), ==, 0);
	config_init(&f->config);
	g_strlcpy(f->seat.name, "Test chair switch", sizeof(f->seat.name));
	f->seat.bits[0][EV_KEY / 8] |= 1u << (EV_KEY % 8);
	f->seat.bits[EV_KEY][BTN_0 / 8] |= 1u << (BTN_0 % 8);
	/* CLOCK_BOOTTIME is ahead of CLOCK_MONOTONIC by earlier sleeps: any difference will do */
	f->boot = T0;
	f->mono = T0 - S(77);
	sleep_watch_init(&f->sleep, &ops, f);
	g_assert_cmpint(session_new(&(struct session_params) {
					    .config = &f->config,
					    .notify = NOTIFY_NONE,
					    .heartbeat = S(60),
					    .wall_offset_us = OFFSET,
				    },
				    f->store, &f->session),
			==, 0);
	sleep_watch_set_session(&f->sleep, f->session);
	f->dev = session_add_device(f->session, &d, sleep_watch_wake(&f->sleep));
	g_assert_cmpint(f->dev, ==, 0);
}

static void
teardown(struct fixture *f, gconstpointer data)
{
	session_free(f->session);
	store_close(f->store);
	test_rm_rf(f->dir); /* the database, its -wal, -shm and .lock */
	g_free(f->path);
	g_free(f->dir);
}

/* Awake until t: both clocks move, every deadline the session asks for is a wake-up. */
static void
awake_until(struct fixture *f, usec_t t)
{
	usec_t d;

	while ((d = session_next_deadline(f->session)) <= t) {
		usec_t now;

		if (d > f->boot) {
			f->mono += d - f->boot;
			f->boot = d;
		}
		now = sleep_watch_wake(&f->sleep);
		session_advance(f->session, now);
		g_assert_cmpint(session_commit(f->session, now), ==, 0);
	}
	f->mono += t - f->boot;
	f->boot = t;
}

/* Awake for dt without a wake-up of the daemon. */
static void
awake_for(struct fixture *f, usec_t dt)
{
	f->boot += dt;
	f->mono += dt;
}

/* The system sleeps for dt: CLOCK_MONOTONIC stands still, nobody wakes. */
static void
asleep_for(struct fixture *f, usec_t dt)
{
	f->boot += dt;
}

/* A wake-up with nothing else in it (a timer whose moment came long ago, say). */
static usec_t
wake(struct fixture *f)
{
	usec_t now = sleep_watch_wake(&f->sleep);

	session_advance(f->session, now);
	g_assert_cmpint(session_commit(f->session, now), ==, 0);
	return now;
}

/* The chair reports a change at the clock's now: a wake-up, then the input. */
static void
input(struct fixture *f, bool occupied)
{
	usec_t now;

	f->occupied = occupied;
	now = sleep_watch_wake(&f->sleep);
	feed(f, now);
	g_assert_cmpint(session_commit(f->session, now), ==, 0);
}

static void
prepare_for_sleep(struct fixture *f, bool sleeping)
{
	usec_t now = sleep_watch_prepare(&f->sleep, sleeping);

	g_assert_cmpint(session_commit(f->session, now), ==, 0);
}

static void
finish(struct fixture *f)
{
	g_assert_cmpint(session_finish(f->session, sleep_watch_wake(&f->sleep)), ==, 0);
}

static int64_t
ms(usec_t t)
{
	return ((int64_t) t + OFFSET) / 1000;
}

/* The rows of one query as text, each "a b c" with times as ms from T0 (in seconds). */
static char *
rows(struct fixture *f, const char *query)
{
	GString *out = g_string_new(NULL);
	sqlite3_stmt *st;

	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), query, -1, &st, NULL), ==, SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		g_string_append_printf(out, "%s%g %g %s", out->len ? "; " : "",
				       (double) (sqlite3_column_int64(st, 0) - ms(T0)) / 1000,
				       (double) (sqlite3_column_int64(st, 1) - ms(T0)) / 1000,
				       (const char *) sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	return g_string_free(out, FALSE);
}

static void
assert_rows(struct fixture *f, const char *segments, const char *bouts)
{
	g_autofree char *seg = rows(f, "SELECT start_ms, end_ms, posture FROM segments "
				       "ORDER BY start_ms, id");
	g_autofree char *bo = rows(f, "SELECT start_ms, end_ms, ended_by FROM bouts "
				      "ORDER BY start_ms");

	g_assert_cmpstr(seg, ==, segments);
	g_assert_cmpstr(bo, ==, bouts);
}

/* Sitting from T0, the daemon last awake at T0 + 10 min, the machine awake 30 s more. */
static void
sit_then_idle(struct fixture *f)
{
	input(f, true);
	awake_until(f, T0 + MINUTES(10));
	wake(f); /* the last moment observed before the sleep */
	awake_until(f, T0 + MINUTES(10) + S(30));
}

/* No logind at all: the clocks alone end the bout where the sleep began (the last moment
 * seen), and the devices are read at the first wake-up after it. */
static void
test_sleep_unannounced(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	asleep_for(f, MINUTES(60));
	awake_for(f, S(5));
	wake(f); /* a timer, 5 s after the resume: 3635 s after the last moment seen */
	g_assert_cmpuint(f->resumes, ==, 1);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	assert_rows(f, "0 600 sitting; 600 4235 unknown; 4235 4355 sitting",
		    "0 600 break; 4235 4355 end");
}

/* A sleep shorter than break_min: unknown meanwhile, the bout goes on (unknown is not
 * sitting, but a short interruption). */
static void
test_sleep_short_continues_the_bout(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	asleep_for(f, S(20));
	wake(f);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	assert_rows(f, "0 600 sitting; 600 650 unknown; 650 770 sitting", "0 770 end");
}

/* The two clocks read a little apart are no sleep: up to SLEEP_TOLERANCE. */
static void
test_sleep_tolerance(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	asleep_for(f, SLEEP_TOLERANCE);
	wake(f);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	g_assert_cmpuint(f->resumes, ==, 0);
	assert_rows(f, "0 752 sitting", "0 752 end");
}

/* No delay lock: PrepareForSleep(true) and (false) both come after the resume, after the
 * chair already reported (the person got up at the resume, sat down again later). The clocks
 * put the sleep where it began; the late (true) is that sleep's and changes nothing, the
 * late (false) reads nothing again. */
static void
test_sleep_signals_late(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	asleep_for(f, MINUTES(60));
	input(f, false); /* the first wake-up after the resume, at 4230 s */
	g_assert_cmpuint(f->resumes, ==, 1);
	awake_until(f, f->boot + S(1));
	prepare_for_sleep(f, true);
	awake_until(f, f->boot + S(1));
	prepare_for_sleep(f, false);
	g_assert_cmpuint(f->resumes, ==, 1);
	awake_until(f, f->boot + S(28));
	input(f, true);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	assert_rows(f,
		    "0 600 sitting; 600 4230 unknown; 4230 4260 away; 4260 4380 sitting",
		    "0 600 break; 4260 4380 end");
}

/* With the delay lock logind waits for us: (true) comes before the sleep and ends what is
 * open then; the clocks at the resume find nothing more to end; (false) reads nothing twice. */
static void
test_sleep_announced(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	prepare_for_sleep(f, true); /* at 630 s */
	asleep_for(f, MINUTES(60));
	prepare_for_sleep(f, false); /* the first wake-up after it, at 4230 s */
	g_assert_cmpuint(f->resumes, ==, 1);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	assert_rows(f, "0 630 sitting; 630 4230 unknown; 4230 4350 sitting",
		    "0 630 break; 4230 4350 end");
}

/* (true), then (false) without a sleep (it failed): the devices are read again. */
static void
test_sleep_announced_not_slept(struct fixture *f, gconstpointer data)
{
	sit_then_idle(f);
	prepare_for_sleep(f, true);
	awake_until(f, f->boot + S(2));
	prepare_for_sleep(f, false);
	g_assert_cmpuint(f->resumes, ==, 1);
	awake_until(f, f->boot + MINUTES(2));
	finish(f);
	assert_rows(f, "0 630 sitting; 630 632 unknown; 632 752 sitting", "0 752 end");
}

/* Until a wake-up handles a sleep it noticed, the clock stands at the sleep's start, so
 * nothing reaches the session after where the sleep goes. */
static void
test_sleep_clock_stands_still(struct fixture *f, gconstpointer data)
{
	usec_t seen, resume;

	sit_then_idle(f);
	seen = T0 + MINUTES(10);
	asleep_for(f, MINUTES(60));
	resume = f->boot;
	g_assert_cmpuint(sleep_watch_now(&f->sleep), ==, seen);
	awake_for(f, S(3));
	g_assert_cmpuint(sleep_watch_now(&f->sleep), ==, seen);
	g_assert_cmpuint(f->resumes, ==, 0);
	g_assert_cmpuint(wake(f), ==, resume + S(3));
	g_assert_cmpuint(f->resumes, ==, 1);
	g_assert_cmpuint(sleep_watch_now(&f->sleep), ==, resume + S(3));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/sleep/unannounced", struct fixture, NULL, setup, test_sleep_unannounced,
		   teardown);
	g_test_add("/sleep/short-continues-the-bout", struct fixture, NULL, setup,
		   test_sleep_short_continues_the_bout, teardown);
	g_test_add("/sleep/tolerance", struct fixture, NULL, setup, test_sleep_tolerance, teardown);
	g_test_add("/sleep/signals-late", struct fixture, NULL, setup, test_sleep_signals_late,
		   teardown);
	g_test_add("/sleep/announced", struct fixture, NULL, setup, test_sleep_announced,
		   teardown);
	g_test_add("/sleep/announced-not-slept", struct fixture, NULL, setup,
		   test_sleep_announced_not_slept, teardown);
	g_test_add("/sleep/clock-stands-still", struct fixture, NULL, setup,
		   test_sleep_clock_stands_still, teardown);
	return g_test_run();
}
