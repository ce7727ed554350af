/* SPDX-License-Identifier: MIT */
/*
 * The wall clock going backwards while sitlogd runs (issue 22 item 4), through the session
 * with its clock passed in (core time) and the wall clock's offset stepped as live.c steps it
 * (session_rebase()): the record never holds two rows that overlap, in segments or bouts, its
 * times never go back, and the sitting it holds is the sitting measured (durations from the
 * core's clock). A forward step is followed; a backward one is not (docs/semantics.md, "Time
 * in the store"), and a later forward step that brings the wall clock past the record is.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <sqlite3.h>
#include <string.h>

#include "config.h"
#include "device-kind.h"
#include "evemu-reader.h"
#include "session.h"
#include "sitlog-conf.h"
#include "store.h"
#include "store-fixture.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)
#define T0 S(1000)
/* core time T0 = 2026-03-02 08:30:00 UTC */
#define OFFSET ((int64_t) 1772440200 * 1000000 - (int64_t) T0)

struct fixture {
	char *dir, *path;
	struct store *store;
	struct session *session;
	struct sitlog_config config;
	struct evemu_device_info seat;
	int dev;
};

static void
setup(struct fixture *f, gconstpointer data)
{
	g_autofree char *error = NULL;
	struct session_params p = {
		.config = &f->config,
		.notify = NOTIFY_NONE,
		.heartbeat = S(60),
		.wall_offset_us = OFFSET,
	};
	struct session_device d = { .kind = &device_kind_seat, .info = &f->seat, .what = "test" };

	memset(f, 0, sizeof(*f));
	f->dir = g_dir_make_tmp("sitlog-clock-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(f->path, STORE_READ_WRITE, &f->store, &error), ==, 0);
	config_init(&f->config);
	g_strlcpy(f->seat.name, "Test chair switch", sizeof(f->seat.name));
	f->seat.bits[0][EV_KEY / 8] |= 1u << (EV_KEY % 8);
	f->seat.bits[EV_KEY][BTN_0 / 8] |= 1u << (BTN_0 % 8);
	g_assert_cmpint(session_new(&p, f->store, &f->session), ==, 0);
	f->dev = session_add_device(f->session, &d, T0);
	g_assert_cmpint(f->dev, >=, 0);
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

/* As live.c does: the deadlines up to t, each committed. */
static void
run_to(struct fixture *f, usec_t t)
{
	usec_t d;

	while ((d = session_next_deadline(f->session)) <= t) {
		session_advance(f->session, d);
		g_assert_cmpint(session_commit(f->session, d), ==, 0);
	}
}

/* ... then the seat's state at t. */
static void
seat_at(struct fixture *f, usec_t t, bool occupied)
{
	run_to(f, t);
	session_feed(f->session, f->dev, t, EV_KEY, BTN_0, occupied);
	session_feed(f->session, f->dev, t, EV_SYN, SYN_REPORT, 0);
	g_assert_cmpint(session_commit(f->session, t), ==, 0);
}

/* The wall clock's offset becomes `offset` at core time t (live.c's follow_wall_clock(),
 * after the deadlines up to then). */
static bool
step(struct fixture *f, usec_t t, int64_t offset)
{
	bool followed;

	run_to(f, t);
	followed = session_rebase(f->session, t, offset);
	g_assert_cmpint(session_commit(f->session, t), ==, 0);
	return followed;
}

static int64_t
query(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* No two rows of a table overlap, none ends before it starts, and ids follow time. */
static void
assert_no_overlap(struct fixture *f, const char *table)
{
	g_autofree char *overlap = g_strdup_printf(
		"SELECT count(*) FROM %s a JOIN %s b ON a.id < b.id "
		"WHERE a.start_ms < b.end_ms AND b.start_ms < a.end_ms", table, table);
	g_autofree char *backwards = g_strdup_printf(
		"SELECT count(*) FROM %s WHERE end_ms < start_ms", table);
	g_autofree char *order = g_strdup_printf(
		"SELECT count(*) FROM %s a JOIN %s b ON a.id < b.id WHERE b.start_ms < a.end_ms "
		"AND b.start_ms < a.start_ms", table, table);

	g_autofree char *count = g_strdup_printf("SELECT count(*) FROM %s", table);

	g_test_message("%s: %" G_GINT64_FORMAT " rows", table, query(f, count));
	g_assert_cmpint(query(f, overlap), ==, 0);
	g_assert_cmpint(query(f, backwards), ==, 0);
	g_assert_cmpint(query(f, order), ==, 0);
}

/* Sit 20 min, stand 5, sit on; the clock goes back 30 min at +25 min (NTP, date -s), while
 * sitting; stand at +40 for 10 min, sit again at +50, end at +70. */
static void
test_clock_back_while_sitting(struct fixture *f, gconstpointer data)
{
	int64_t sitting;

	seat_at(f, T0, true);
	seat_at(f, T0 + S(20 * 60), false);
	seat_at(f, T0 + S(25 * 60), true);
	g_assert_false(step(f, T0 + S(27 * 60), OFFSET - (int64_t) S(30 * 60)));
	/* the record keeps its clock: what it shows now is as before the step */
	g_assert_cmpint(session_wall_offset(f->session), ==, OFFSET);
	seat_at(f, T0 + S(40 * 60), false);
	seat_at(f, T0 + S(50 * 60), true);
	g_assert_cmpint(session_finish(f->session, T0 + S(70 * 60)), ==, 0);

	assert_no_overlap(f, "segments");
	assert_no_overlap(f, "bouts");
	/* sitting as measured: 20 + 15 + 20 min, the labels those of the clock before the step */
	sitting = query(f, "SELECT sum(end_ms - start_ms) FROM segments WHERE posture = 'sitting'");
	g_assert_cmpint(sitting, ==, (int64_t) 55 * 60 * 1000);
	g_assert_cmpint(query(f, "SELECT max(end_ms) FROM segments"), ==,
			(OFFSET + (int64_t) (T0 + S(70 * 60))) / 1000);
}

/* A step forward is followed (a gap in the labels, no sitting made); the step back that
 * undoes it goes back over what was written after it: not followed. Another step forward
 * past the record is followed again, by what it passes the record. */
static void
test_clock_forward_back_forward(struct fixture *f, gconstpointer data)
{
	const int64_t hour = (int64_t) S(3600);

	seat_at(f, T0, true);
	g_assert_true(step(f, T0 + S(10 * 60), OFFSET + hour));
	seat_at(f, T0 + S(20 * 60), false);
	g_assert_false(step(f, T0 + S(30 * 60), OFFSET));
	g_assert_cmpint(session_wall_offset(f->session), ==, OFFSET + hour);
	seat_at(f, T0 + S(35 * 60), true);
	g_assert_false(step(f, T0 + S(45 * 60), OFFSET + hour / 2)); /* still behind */
	g_assert_true(step(f, T0 + S(50 * 60), OFFSET + 2 * hour));
	g_assert_cmpint(session_wall_offset(f->session), ==, OFFSET + 2 * hour);
	seat_at(f, T0 + S(55 * 60), false);
	g_assert_cmpint(session_finish(f->session, T0 + S(70 * 60)), ==, 0);

	assert_no_overlap(f, "segments");
	assert_no_overlap(f, "bouts");
	g_assert_cmpint(query(f, "SELECT sum(end_ms - start_ms) FROM segments "
				 "WHERE posture = 'sitting'"),
			==, (int64_t) (20 + 20) * 60 * 1000);
}

/* Every minute a small step back (a wall clock slewed back 3 s a minute): the record's clock
 * runs on; nothing overlaps, no heartbeat is written over a later row. */
static void
test_clock_back_repeatedly(struct fixture *f, gconstpointer data)
{
	seat_at(f, T0, true);
	for (int i = 1; i <= 30; i++) {
		if (i % 7 == 0)
			seat_at(f, T0 + S(i * 60 - 30), i % 2);
		g_assert_false(step(f, T0 + S(i * 60), OFFSET - (int64_t) S(3 * i)));
	}
	g_assert_cmpint(session_finish(f->session, T0 + S(31 * 60)), ==, 0);
	assert_no_overlap(f, "segments");
	assert_no_overlap(f, "bouts");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/session/wall-clock/back-while-sitting", struct fixture, NULL, setup,
		   test_clock_back_while_sitting, teardown);
	g_test_add("/session/wall-clock/forward-back-forward", struct fixture, NULL, setup,
		   test_clock_forward_back_forward, teardown);
	g_test_add("/session/wall-clock/back-repeatedly", struct fixture, NULL, setup,
		   test_clock_back_repeatedly, teardown);
	return g_test_run();
}
