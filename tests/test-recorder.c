/* SPDX-License-Identifier: MIT */
/* The recorder: decisions become rows; a wall-clock jump neither invents nor drops time. */
#include <glib.h>
#include <glib/gstdio.h>

#include "recorder.h"
#include "store-fixture.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)

struct fixture {
	char *dir;
	char *path;
	struct store *store;
	struct recorder r;
	int64_t offset_us; /* wall = core time + offset */
};

static void
setup(struct fixture *f, gconstpointer data)
{
	g_autofree char *error = NULL;

	f->dir = g_dir_make_tmp("sitlog-recorder-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(f->path, STORE_READ_WRITE, &f->store, &error), ==, 0);
	recorder_init(&f->r, f->store);
	f->offset_us = 1767225600LL * 1000000; /* core time 0 = 2026-01-01 00:00 UTC */
}

static void
teardown(struct fixture *f, gconstpointer data)
{
	store_close(f->store);
	test_rm_rf(f->dir); /* the database, its -wal, -shm and .lock */
	g_free(f->path);
	g_free(f->dir);
}

static void
apply(struct fixture *f, enum tracker_event_type type, usec_t t, enum posture p, bool by_break)
{
	struct tracker_event ev = { .type = type, .time = t, .posture = p, .source = -1,
				    .by_break = by_break, .heeded_from = USEC_INFINITY };
	struct recorder_labels l = { .ms = recorder_wall_ms(f->offset_us, t) };

	g_assert_cmpint(recorder_apply(&f->r, &ev, &l, NULL), ==, 0);
}

static int64_t
sum(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
test_recorder_wall_clock_jump_keeps_durations(struct fixture *f, gconstpointer data)
{
	static const int64_t jumps[] = { 3600LL * 1000000, -7200LL * 1000000 };

	for (size_t i = 0; i < G_N_ELEMENTS(jumps); i++) {
		usec_t t0 = S(10000 * (i + 1));
		int64_t before;

		apply(f, TRACKER_SEGMENT, t0, POSTURE_SITTING, false);
		apply(f, TRACKER_BOUT_BEGIN, t0, POSTURE_SITTING, false);
		/* 20 min in, the clock is set an hour forward (then two back) */
		before = recorder_wall_ms(f->offset_us, t0 + S(1200));
		f->offset_us += jumps[i];
		g_assert_cmpint(recorder_rebase(&f->r, before,
						recorder_wall_ms(f->offset_us, t0 + S(1200))), ==, 0);
		apply(f, TRACKER_SEGMENT, t0 + S(1800), POSTURE_AWAY, false);
		apply(f, TRACKER_BOUT_END, t0 + S(1800), POSTURE_UNKNOWN, true);
		apply(f, TRACKER_FINISH, t0 + S(1900), POSTURE_UNKNOWN, false);
	}
	/* 2 × 30 min of sitting, 2 bouts of 30 min, 2 × 100 s away: as measured */
	g_assert_cmpint(sum(f, "SELECT sum(end_ms - start_ms) FROM segments WHERE posture = "
			       "'sitting'"), ==, 2 * 1800 * 1000);
	g_assert_cmpint(sum(f, "SELECT count(*) FROM segments WHERE posture = 'sitting'"), ==, 4);
	g_assert_cmpint(sum(f, "SELECT sum(end_ms - start_ms) FROM bouts"), ==, 2 * 1800 * 1000);
	g_assert_cmpint(sum(f, "SELECT sum(end_ms - start_ms) FROM segments WHERE posture = 'away'"),
			==, 2 * 100 * 1000);
}

static void
test_recorder_segments_chain(struct fixture *f, gconstpointer data)
{
	apply(f, TRACKER_SEGMENT, S(0), POSTURE_SITTING, false);
	apply(f, TRACKER_SEGMENT, S(100), POSTURE_STANDING, false);
	apply(f, TRACKER_FINISH, S(130), POSTURE_UNKNOWN, false);
	g_assert_cmpint(sum(f, "SELECT count(*) FROM segments"), ==, 2);
	g_assert_cmpint(sum(f, "SELECT max(end_ms) - min(start_ms) FROM segments"), ==, 130000);
	g_assert_cmpint(sum(f, "SELECT count(*) FROM segments s1 JOIN segments s2 "
			       "ON s2.start_ms = s1.end_ms"), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/recorder/wall-clock-jump-keeps-durations", struct fixture, NULL, setup,
		   test_recorder_wall_clock_jump_keeps_durations, teardown);
	g_test_add("/recorder/segments-chain", struct fixture, NULL, setup,
		   test_recorder_segments_chain, teardown);
	return g_test_run();
}
