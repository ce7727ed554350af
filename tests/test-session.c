/* SPDX-License-Identifier: MIT */
/*
 * The session (daemon/session.c) under faults: a workday of seat input is driven through it
 * as the live daemon drives it (a commit after each input, the deadlines the session asks
 * for), once on a healthy store and once with the store failing for a while in each way a
 * store fails: a full disk (RLIMIT_FSIZE), a database made read-only mid-run, another process
 * holding the write lock longer than the busy timeout, and a store that fails while a device
 * registers. Nothing may be lost: the faulty run's database ends up holding exactly the rows of
 * the healthy one. A fault that never ends makes the session give up cleanly, not crash.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>

#include "quiet.h"
#include "session.h"
#include "store-fixture.h"

#define S(x) ((usec_t) (x) * USEC_PER_SEC)
#define MINUTES(x) ((usec_t) (x) * USEC_PER_MINUTE)
#define T0 S(1000)
/* core time T0 = 2026-03-02 08:30:00 UTC */
#define OFFSET ((int64_t) 1772440200 * 1000000 - (int64_t) T0)

enum fault {
	FAULT_NONE,
	FAULT_DISK_FULL,
	FAULT_READ_ONLY,
	FAULT_LOCKED,
};

struct step {
	usec_t t;
	bool occupied;
};

struct fixture {
	char *dir;
	char *path;
	struct store *store;
	struct session *session;
	struct sitlog_config config;
	struct evemu_device_info seat;
	sqlite3 *locker; /* FAULT_LOCKED: the other process's connection */
	struct rlimit fsize;
	unsigned warnings;
};

/* A day of sitting: bouts of 5 to 80 min with breaks of 1 to 15 min, short interruptions
 * (20 to 50 s) inside some bouts; always the same. */
static GArray *
workday(void)
{
	GArray *steps = g_array_new(FALSE, FALSE, sizeof(struct step));
	GRand *rand = g_rand_new_with_seed(20261201);
	usec_t t = T0, end = T0 + MINUTES(9 * 60);

	while (t < end) {
		usec_t sit = MINUTES(g_rand_int_range(rand, 5, 81));
		usec_t brk = S(g_rand_int_range(rand, 60, 15 * 60));
		struct step on = { t, true }, off;

		g_array_append_val(steps, on);
		if (g_rand_boolean(rand) && sit > MINUTES(20)) {
			struct step up = { t + sit / 2, false };
			struct step down = { t + sit / 2 + S(g_rand_int_range(rand, 20, 50)), true };

			g_array_append_val(steps, up);
			g_array_append_val(steps, down);
		}
		t += sit;
		off = (struct step) { t, false };
		g_array_append_val(steps, off);
		t += brk;
	}
	g_rand_free(rand);
	return steps;
}

/* The fixture whose run is logging (tests run one at a time). */
static struct fixture *logging;

/* The session's own complaints are expected here and counted; any other warning fails. */
static void
count_warnings(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
	if (!(level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL))) {
		g_log_default_handler(domain, level, message, data);
		return;
	}
	if (!strstr(message, "cannot record")) {
		g_printerr("unexpected: %s\n", message);
		g_assert_not_reached();
	}
	g_test_message("logged: %s", message);
	logging->warnings++;
}

static void
setup(struct fixture *f, gconstpointer data)
{
	g_autofree char *error = NULL;

	memset(f, 0, sizeof(*f));
	f->dir = g_dir_make_tmp("sitlog-session-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(f->path, STORE_READ_WRITE, &f->store, &error), ==, 0);
	config_init(&f->config);
	g_strlcpy(f->seat.name, "Test chair switch", sizeof(f->seat.name));
	f->seat.bits[0][EV_KEY / 8] |= 1u << (EV_KEY % 8);
	f->seat.bits[EV_KEY][BTN_0 / 8] |= 1u << (BTN_0 % 8);
	getrlimit(RLIMIT_FSIZE, &f->fsize);
	logging = f;
}

static void
teardown(struct fixture *f, gconstpointer data)
{
	setrlimit(RLIMIT_FSIZE, &f->fsize);
	if (f->locker)
		sqlite3_close(f->locker);
	session_free(f->session);
	store_close(f->store);
	test_rm_rf(f->dir); /* the database, its -wal, -shm and .lock */
	g_free(f->path);
	g_free(f->dir);
}

static void
new_session(struct fixture *f)
{
	struct session_params p = {
		.config = &f->config,
		.notify = NOTIFY_NONE,
		.heartbeat = S(60),
		.wall_offset_us = OFFSET,
	};

	g_assert_cmpint(session_new(&p, f->store, &f->session), ==, 0);
}

static int
add_seat(struct fixture *f, usec_t now)
{
	struct session_device d = { .kind = &device_kind_seat, .info = &f->seat, .what = "test" };

	return session_add_device(f->session, &d, now);
}

static void
fault_begin(struct fixture *f, enum fault fault)
{
	struct rlimit tiny = { 1, f->fsize.rlim_max };

	switch (fault) {
	case FAULT_NONE:
		break;
	case FAULT_DISK_FULL:
		/* no file may grow: every write to the WAL fails as on a full disk */
		g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &tiny), ==, 0);
		break;
	case FAULT_READ_ONLY:
		g_assert_cmpint(sqlite3_exec(store_db(f->store), "PRAGMA query_only = 1", NULL, NULL,
					     NULL), ==, SQLITE_OK);
		break;
	case FAULT_LOCKED:
		/* another writer, for longer than the busy timeout */
		store_set_busy_timeout(f->store, 20);
		g_assert_cmpint(sqlite3_open(f->path, &f->locker), ==, SQLITE_OK);
		g_assert_cmpint(sqlite3_exec(f->locker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==,
				SQLITE_OK);
		break;
	}
}

static void
fault_end(struct fixture *f, enum fault fault)
{
	switch (fault) {
	case FAULT_NONE:
		break;
	case FAULT_DISK_FULL:
		g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &f->fsize), ==, 0);
		break;
	case FAULT_READ_ONLY:
		g_assert_cmpint(sqlite3_exec(store_db(f->store), "PRAGMA query_only = 0", NULL, NULL,
					     NULL), ==, SQLITE_OK);
		break;
	case FAULT_LOCKED:
		g_assert_cmpint(sqlite3_exec(f->locker, "ROLLBACK", NULL, NULL, NULL), ==,
				SQLITE_OK);
		g_clear_pointer(&f->locker, sqlite3_close);
		break;
	}
}

/* As live.c does: every deadline the session asks for, then the input, each followed by a
 * commit. Returns the first non-zero commit status. */
static int
drive(struct fixture *f, int dev, const struct step *steps, guint from, guint to)
{
	for (guint i = from; i < to; i++) {
		usec_t d;
		int r;

		while ((d = session_next_deadline(f->session)) <= steps[i].t) {
			session_advance(f->session, d);
			r = session_commit(f->session, d);
			if (r < 0)
				return r;
		}
		session_feed(f->session, dev, steps[i].t, EV_KEY, BTN_0, steps[i].occupied);
		session_feed(f->session, dev, steps[i].t, EV_SYN, SYN_REPORT, 0);
		r = session_commit(f->session, steps[i].t);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Every row, without row ids (a rolled-back insert may leave a gap in them). */
static char *
dump(struct fixture *f)
{
	static const char *const queries[] = {
		"SELECT name, role, first_seen_ms FROM devices ORDER BY id",
		"SELECT s.start_ms, s.end_ms, s.posture, d.name FROM segments s "
		"LEFT JOIN devices d ON d.id = s.device_id ORDER BY s.start_ms, s.id",
		"SELECT start_ms, end_ms, ended_by FROM bouts ORDER BY start_ms",
		"SELECT b.start_ms, p.t_ms, p.bout_age_ms, p.seq, p.reason, p.delivery, p.heeded, "
		"p.response, p.exercise FROM prompts p JOIN bouts b ON b.id = p.bout_id "
		"ORDER BY p.t_ms, p.id",
		"SELECT key, value FROM state ORDER BY key",
	};
	GString *out = g_string_new(NULL);

	for (size_t q = 0; q < G_N_ELEMENTS(queries); q++) {
		sqlite3_stmt *st;

		g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), queries[q], -1, &st, NULL), ==,
				SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *v = sqlite3_column_text(st, c);

				g_string_append_printf(out, "%s%s", c ? " " : "",
						       v ? (const char *) v : "NULL");
			}
			g_string_append_c(out, '\n');
		}
		sqlite3_finalize(st);
		g_string_append(out, "--\n");
	}
	return g_string_free(out, FALSE);
}

/* The healthy run's rows: the truth for every faulty one. */
static char *
reference(struct fixture *outer, const GArray *steps)
{
	struct fixture f;
	const struct step *st = (const struct step *) steps->data;
	char *text;
	int dev;

	setup(&f, NULL);
	new_session(&f);
	dev = add_seat(&f, st[0].t);
	g_assert_cmpint(dev, ==, 0);
	g_assert_cmpint(drive(&f, dev, st, 0, steps->len), ==, 0);
	g_assert_cmpint(session_finish(f.session, st[steps->len - 1].t + MINUTES(1)), ==, 0);
	text = dump(&f);
	g_assert_cmpuint(f.warnings, ==, 0);
	teardown(&f, NULL);
	logging = outer;
	return text;
}

static const char *
fault_name(enum fault fault)
{
	static const char *const names[] = { "none", "disk full", "read-only", "locked" };

	return names[fault];
}

/* The store fails from step `from` to step `to` (a stretch of the day with prompts, bouts and
 * breaks in it): everything decided meanwhile is written once it works again. */
static void
test_session_fault_loses_nothing(struct fixture *f, gconstpointer data)
{
	enum fault fault = GPOINTER_TO_INT(data);
	g_autoptr(GArray) steps = workday();
	const struct step *st = (const struct step *) steps->data;
	g_autofree char *truth = reference(f, steps), *got = NULL;
	guint from = steps->len / 4, to = steps->len / 2;
	int dev;

	/* what sitlogd's main() does (the session is driven here without it) */
	signal(SIGXFSZ, SIG_IGN);
	new_session(f);
	dev = add_seat(f, st[0].t);
	g_assert_cmpint(drive(f, dev, st, 0, from), ==, 0);
	fault_begin(f, fault);
	g_assert_cmpint(drive(f, dev, st, from, to), ==, 0);
	g_assert_cmpuint(f->warnings, >, 0);
	fault_end(f, fault);
	g_assert_cmpint(drive(f, dev, st, to, steps->len), ==, 0);
	g_assert_cmpint(session_finish(f->session, st[steps->len - 1].t + MINUTES(1)), ==, 0);
	got = dump(f);
	g_test_message("%s: %u warnings; %u steps, faulty from %u to %u", fault_name(fault),
		       f->warnings, steps->len, from, to);
	g_assert_cmpstr(got, ==, truth);
}

/* The store fails when the device appears: the device is used at once and registered with
 * everything it decided once the store works. */
static void
test_session_fault_at_registration(struct fixture *f, gconstpointer data)
{
	g_autoptr(GArray) steps = workday();
	const struct step *st = (const struct step *) steps->data;
	g_autofree char *truth = reference(f, steps), *got = NULL;
	int dev;

	new_session(f);
	fault_begin(f, FAULT_READ_ONLY);
	dev = add_seat(f, st[0].t);
	g_assert_cmpint(dev, ==, 0);
	g_assert_cmpint(drive(f, dev, st, 0, 6), ==, 0);
	fault_end(f, FAULT_READ_ONLY);
	g_assert_cmpint(drive(f, dev, st, 6, steps->len), ==, 0);
	g_assert_cmpint(session_finish(f->session, st[steps->len - 1].t + MINUTES(1)), ==, 0);
	got = dump(f);
	g_assert_cmpstr(got, ==, truth);
}

/* A store that never recovers: the session keeps SESSION_MAX_PENDING decisions, then gives up
 * with -EIO (the daemon exits non-zero) instead of growing or crashing; so does the last try
 * at shutdown. */
static void
test_session_gives_up_cleanly(struct fixture *f, gconstpointer data)
{
	usec_t t = T0;
	int dev, r = 0;

	new_session(f);
	dev = add_seat(f, t);
	fault_begin(f, FAULT_READ_ONLY);
	/* a fidgeting sitter: a segment every 11 s */
	for (unsigned i = 0; r == 0 && i < 2 * SESSION_MAX_PENDING; i++) {
		struct step s = { t, i % 2 == 0 };

		r = drive(f, dev, &s, 0, 1);
		t += S(11);
	}
	g_assert_cmpint(r, ==, -EIO);
	g_assert_cmpint(session_finish(f->session, t), ==, -EIO);
	fault_end(f, FAULT_READ_ONLY);
}

static void
test_session_shutdown_while_failing(struct fixture *f, gconstpointer data)
{
	g_autoptr(GArray) steps = workday();
	const struct step *st = (const struct step *) steps->data;
	int dev;

	new_session(f);
	dev = add_seat(f, st[0].t);
	g_assert_cmpint(drive(f, dev, st, 0, 8), ==, 0);
	fault_begin(f, FAULT_READ_ONLY);
	g_assert_cmpint(drive(f, dev, st, 8, 12), ==, 0);
	/* what could not be written is said, and the status is non-zero */
	g_assert_cmpint(session_finish(f->session, st[12].t), ==, -EIO);
	fault_end(f, FAULT_READ_ONLY);
}

/* Every deadline the session asks for up to `until`, each followed by a commit. */
static void
run_to(struct fixture *f, usec_t until)
{
	usec_t d;

	while ((d = session_next_deadline(f->session)) <= until) {
		session_advance(f->session, d);
		g_assert_cmpint(session_commit(f->session, d), ==, 0);
	}
}

static void
seat_at(struct fixture *f, int dev, usec_t t, bool occupied)
{
	struct step s = { t, occupied };

	g_assert_cmpint(drive(f, dev, &s, 0, 1), ==, 0);
}

/* The wall clock steps (NTP, settimeofday) while a change of posture is still inside
 * min_segment: the change is confirmed after the step but began before it. That must not
 * make the store refuse the session's writes (a segment ending before it starts), neither
 * once nor for the rest of the run. */
static void
test_session_clock_step_during_debounce(struct fixture *f, gconstpointer data)
{
	int dev;

	/* report and go on: the tests after this one still run */
	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0, true);
	run_to(f, T0 + S(290));
	seat_at(f, dev, T0 + S(290), false); /* stands up; confirmed at +300, dated back */
	run_to(f, T0 + S(295));
	session_rebase(f->session, T0 + S(295), OFFSET + (int64_t) S(3600));
	g_assert_cmpint(session_commit(f->session, T0 + S(295)), ==, 0);
	run_to(f, T0 + S(3000));
	seat_at(f, dev, T0 + S(3000), true);
	run_to(f, T0 + S(5000));
	g_assert_cmpint(session_finish(f->session, T0 + S(5000)), ==, 0);
	g_assert_cmpuint(f->warnings, ==, 0);
}

/* live.c's settle() looks at the wall clock after the heartbeat that woke it: a heartbeat
 * labelled before the step must not be written after it (over the segment the step began). */
static void
test_session_heartbeat_then_clock_step(struct fixture *f, gconstpointer data)
{
	usec_t hb;
	int dev;

	/* report and go on: the tests after this one still run */
	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0, true);
	run_to(f, T0 + S(280));
	seat_at(f, dev, T0 + S(280), false); /* a break begins: the bout ends at +350 */
	run_to(f, T0 + S(290));
	hb = session_next_deadline(f->session);
	/* a heartbeat inside the break (at +300: every 60 s from the bout's start) */
	g_assert_cmpuint(hb, <, T0 + S(350));
	session_advance(f->session, hb);
	session_rebase(f->session, hb, OFFSET + (int64_t) S(3600));
	g_assert_cmpint(session_commit(f->session, hb), ==, 0);
	run_to(f, T0 + S(3000));
	g_assert_cmpuint(f->warnings, ==, 0);
	g_assert_cmpint(session_finish(f->session, T0 + S(3000)), ==, 0);
}

static int64_t
query_int64(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first heartbeat comes one interval after the bout's start, not after its confirmation
 * (min_segment later): until then the bout's rows end at its start, and a crash just before a
 * heartbeat counted from the confirmation would lose more than one interval (DESIGN.md). */
static void
test_session_heartbeat_from_bout_start(struct fixture *f, gconstpointer data)
{
	int64_t at;
	int dev;

	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0 + S(5), true);
	run_to(f, T0 + S(15)); /* confirmed at +15, dated back to +5 */
	g_assert_cmpint(query_int64(f, "SELECT end_ms - start_ms FROM bouts"), ==, 0);
	g_assert_cmpuint(session_next_deadline(f->session), ==, T0 + S(65));
	run_to(f, T0 + S(65));
	at = (int64_t) (T0 + S(65) + OFFSET) / 1000;
	g_assert_cmpint(query_int64(f, "SELECT end_ms FROM bouts"), ==, at);
	g_assert_cmpint(query_int64(f, "SELECT max(end_ms) FROM segments WHERE posture = "
				       "'sitting'"), ==, at);
	g_assert_cmpuint(session_next_deadline(f->session), ==, T0 + S(125));
	g_assert_cmpint(session_finish(f->session, T0 + S(100)), ==, 0);
}

/* A live session closes the bout a sitlogd that died left open ('crash', where its rows end)
 * before it records anything; a replay's atomic session leaves it to the next live start. */
static void
test_session_closes_dangling(struct fixture *f, gconstpointer data)
{
	struct session_params p = {
		.config = &f->config,
		.notify = NOTIFY_NONE,
		.atomic = true,
		.wall_offset_us = OFFSET,
	};
	int64_t seg, bout;

	g_assert_cmpint(store_segment_begin(f->store, 0, POSTURE_SITTING, 1000, &seg), ==, 0);
	g_assert_cmpint(store_bout_begin(f->store, 1000, &bout), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->store, seg, 61000), ==, 0);
	g_assert_cmpint(store_bout_set_end(f->store, bout, 61000, NULL), ==, 0);

	g_assert_cmpint(session_new(&p, f->store, &f->session), ==, 0);
	g_assert_cmpint(query_int64(f, "SELECT count(*) FROM bouts WHERE ended_by IS NULL"), ==,
			1);
	g_assert_cmpint(session_finish(f->session, T0), ==, 0);
	g_clear_pointer(&f->session, session_free);

	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "1 bout(s) left open by a "
			      "sitlogd that did not stop are closed at their last heartbeat*");
	new_session(f);
	g_test_assert_expected_messages();
	g_assert_cmpint(query_int64(f, "SELECT count(*) FROM bouts WHERE ended_by = 'crash' AND "
				       "start_ms = 1000 AND end_ms = 61000"), ==, 1);
	g_assert_cmpint(query_int64(f, "SELECT count(*) FROM segments WHERE start_ms = 1000 AND "
				       "end_ms = 61000"), ==, 1);
	g_assert_cmpuint(f->warnings, ==, 0);
}

/* A heartbeat taken while the store fails, then a posture change: once the store works
 * again the next try writes everything (the kept heartbeat must not end the newer segment
 * before its start). */
static void
test_session_fault_heartbeat_then_change(struct fixture *f, gconstpointer data)
{
	usec_t hb, retry;
	unsigned failed;
	int dev;

	/* report and go on: the tests after this one still run */
	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0, true);
	run_to(f, T0 + S(300));
	fault_begin(f, FAULT_READ_ONLY);
	hb = session_next_deadline(f->session); /* the heartbeat at +360 */
	session_advance(f->session, hb);
	g_assert_cmpint(session_commit(f->session, hb), ==, 0);
	seat_at(f, dev, hb + S(5), false);
	run_to(f, hb + S(16));
	failed = f->warnings;
	g_assert_cmpuint(failed, >, 0);
	fault_end(f, FAULT_READ_ONLY);
	retry = session_next_deadline(f->session);
	g_assert_cmpuint(retry, <, hb + S(60)); /* the retry, before the next heartbeat */
	session_advance(f->session, retry);
	g_assert_cmpint(session_commit(f->session, retry), ==, 0);
	g_assert_cmpuint(f->warnings, ==, failed);
	g_assert_cmpint(session_finish(f->session, hb + S(600)), ==, 0);
}

/* Prompts decided while the store failed are written once it works, but shown only if they
 * are still of use: the newest of a bout still open and not yet overtaken by the schedule;
 * the others are recorded as "late". */
static void
test_session_fault_prompts_late(struct fixture *f, gconstpointer data)
{
	struct session_params p = {
		.config = &f->config,
		.notify = NOTIFY_LOG,
		.wall_offset_us = OFFSET,
	};
	static const struct step steps[] = {
		{ T0, true },                      /* a bout: prompts at 30, 40, ... min */
		{ T0 + MINUTES(65), false },       /* over at 65 */
		{ T0 + MINUTES(70), true },        /* the next: prompts at 100, 110 min */
	};
	g_autoptr(GString) got = g_string_new(NULL);
	sqlite3_stmt *st;
	int dev;

	g_assert_cmpint(session_new(&p, f->store, &f->session), ==, 0);
	dev = add_seat(f, T0);
	fault_begin(f, FAULT_READ_ONLY);
	g_assert_cmpint(drive(f, dev, steps, 0, G_N_ELEMENTS(steps)), ==, 0);
	/* the store is back at 113 min, after the retry at 111 failed */
	run_to(f, T0 + MINUTES(113));
	fault_end(f, FAULT_READ_ONLY);
	run_to(f, T0 + MINUTES(119));
	g_assert_cmpint(session_finish(f->session, T0 + MINUTES(119)), ==, 0);
	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store),
					   "SELECT bout_age_ms / 60000, delivery FROM prompts "
					   "ORDER BY t_ms", -1, &st, NULL), ==, SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		g_string_append_printf(got, "%d %s\n", sqlite3_column_int(st, 0),
				       (const char *) sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	/* the first bout's four, and the second's first: late; its second (at 40 min of the
	 * bout, 3 min before the store came back) still shown */
	g_assert_cmpstr(got->str, ==, "30 late\n40 late\n50 late\n60 late\n30 late\n40 log\n");
}

static int64_t
count_before(struct fixture *f, const char *table, const char *local)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(local, tz);
	g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s WHERE start_ms < ?", table);
	sqlite3_stmt *st;
	int64_t n;

	g_assert_nonnull(dt);
	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), ==, SQLITE_OK);
	sqlite3_bind_int64(st, 1, g_date_time_to_unix(dt) * 1000);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* [Storage] keep_days: at start and at the first heartbeat of a new local day, what ended
 * before the midnight keep_days ago goes; nothing of the day kept, nothing open. */
static void
test_session_retention(struct fixture *f, gconstpointer data)
{
	g_autoptr(GArray) steps = workday();
	const struct step *st = (const struct step *) steps->data;
	/* 2026-03-03 23:50 in Berlin (22:50 UTC), the evening after the workday */
	int64_t offset2 = ((int64_t) 1772440200 + 86400 + 14 * 3600 + 20 * 60) * 1000000 -
			  (int64_t) T0;
	struct session_params p = {
		.config = &f->config,
		.notify = NOTIFY_NONE,
		.heartbeat = S(60),
		.wall_offset_us = offset2,
	};
	int64_t day1;
	int dev;

	/* the workday of 2026-03-02 */
	new_session(f);
	dev = add_seat(f, st[0].t);
	g_assert_cmpint(drive(f, dev, st, 0, steps->len), ==, 0);
	g_assert_cmpint(session_finish(f->session, st[steps->len - 1].t + MINUTES(1)), ==, 0);
	g_clear_pointer(&f->session, session_free);
	day1 = count_before(f, "segments", "2026-03-03T00:00:00");
	g_assert_cmpint(day1, >, 0);

	/* a day later, keeping one day: at start the workday is within it */
	f->config.keep_days = 1;
	g_assert_cmpint(session_new(&p, f->store, &f->session), ==, 0);
	session_retain(f->session, T0);
	g_assert_cmpint(count_before(f, "segments", "2026-03-03T00:00:00"), ==, day1);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0, true);
	run_to(f, T0 + MINUTES(9));
	g_assert_cmpint(count_before(f, "segments", "2026-03-03T00:00:00"), ==, day1);
	/* past midnight, the first heartbeat of 2026-03-04 prunes 2026-03-02 */
	run_to(f, T0 + MINUTES(12));
	g_assert_cmpint(count_before(f, "segments", "2026-03-03T00:00:00"), ==, 0);
	g_assert_cmpint(count_before(f, "bouts", "2026-03-03T00:00:00"), ==, 0);
	/* what is open goes on being written */
	run_to(f, T0 + MINUTES(40));
	g_assert_cmpint(session_finish(f->session, T0 + MINUTES(40)), ==, 0);
	g_assert_cmpint(count_before(f, "segments", "2026-03-05T00:00:00"), ==, 1);
	g_assert_cmpuint(f->warnings, ==, 0);
}

/* core.h: a quiet fact set at t holds for a prompt due at t itself; through the session too. */
static void
test_session_quiet_at_due_time(struct fixture *f, gconstpointer data)
{
	sqlite3_stmt *st;
	int dev;

	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0, true);
	run_to(f, T0 + f->config.remind_after - 1);
	session_set_quiet(f->session, T0 + f->config.remind_after, TRACKER_QUIET_LOCKED, true);
	session_advance(f->session, T0 + f->config.remind_after);
	g_assert_cmpint(session_commit(f->session, T0 + f->config.remind_after), ==, 0);
	g_assert_cmpint(sqlite3_prepare_v2(store_db(f->store),
					   "SELECT reason || ' ' || delivery FROM prompts", -1, &st,
					   NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	g_assert_cmpstr((const char *) sqlite3_column_text(st, 0), ==, "suppressed locked");
	sqlite3_finalize(st);
	g_assert_cmpint(session_finish(f->session, T0 + f->config.remind_after + S(60)), ==, 0);
}

/* The whole day through the session (docs/semantics.md): at rest nothing is due, not even the
 * midnight; sitting across it, the new local day (TZ=Europe/Berlin) counts from its midnight. */
static void
test_session_day_boundaries(struct fixture *f, gconstpointer data)
{
	/* 2026-03-03 00:00 in Berlin (UTC+1) is 2026-03-02 23:00 UTC, T0 + 14 h 30 min */
	const usec_t midnight = T0 + MINUTES(14 * 60 + 30);
	struct session_status st;
	int dev;

	g_test_set_nonfatal_assertions();
	new_session(f);
	dev = add_seat(f, T0);
	seat_at(f, dev, T0 + S(5), true);
	seat_at(f, dev, T0 + MINUTES(20), false);
	run_to(f, T0 + MINUTES(30));
	/* a day with its budget and pace prompt on, nobody seated: zero wake-ups */
	g_assert_cmpuint(session_next_deadline(f->session), ==, USEC_INFINITY);
	session_status(f->session, T0 + MINUTES(30), &st);
	g_assert_cmpuint(st.day.sitting, ==, MINUTES(20) - S(5));
	g_assert_cmpuint(st.day.budget, ==, f->config.sitting_per_day);

	seat_at(f, dev, midnight - MINUTES(30), true);
	run_to(f, midnight - S(1));
	g_assert_cmpuint(session_next_deadline(f->session), <=, midnight);
	run_to(f, midnight + MINUTES(30));
	session_status(f->session, midnight + MINUTES(30), &st);
	g_assert_cmpuint(st.day.at, ==, midnight);
	g_assert_cmpuint(st.day.sitting, ==, 0); /* as of midnight, still sitting */
	seat_at(f, dev, midnight + MINUTES(45), false);
	run_to(f, midnight + MINUTES(50));
	session_status(f->session, midnight + MINUTES(50), &st);
	g_assert_cmpuint(st.day.sitting, ==, MINUTES(45));
	g_assert_cmpuint(st.day.bouts, ==, 0); /* the bout began the day before */
	g_assert_cmpuint(session_next_deadline(f->session), ==, USEC_INFINITY);
	g_assert_cmpint(session_finish(f->session, midnight + MINUTES(60)), ==, 0);
}

/* Working hours enter the core as timed inputs: whether a time is off-hours, and the next
 * boundary, in local time (TZ=Europe/Berlin, from meson) across weekends and DST changes. */
static void
test_quiet_boundaries(void)
{
	static const struct {
		const char *conf, *at, *off_hours, *next;
	} rows[] = {
		{ "working_hours=09:00-17:30\nworking_days=Mon-Fri", "2026-03-02T08:00:00", "off",
		  "2026-03-02T09:00:00" },
		{ "working_hours=09:00-17:30\nworking_days=Mon-Fri", "2026-03-02T09:00:00", "on",
		  "2026-03-02T17:30:00" },
		{ "working_hours=09:00-17:30\nworking_days=Mon-Fri", "2026-03-02T17:29:59", "on",
		  "2026-03-02T17:30:00" },
		/* Friday evening: the next working minute is Monday's first */
		{ "working_hours=09:00-17:30\nworking_days=Mon-Fri", "2026-03-06T18:00:00", "off",
		  "2026-03-09T09:00:00" },
		/* days only: a change at midnight */
		{ "working_days=Mon-Fri", "2026-03-06T12:00:00", "on", "2026-03-07T00:00:00" },
		/* across midnight: the early hours belong to the evening before */
		{ "working_hours=22:00-06:00\nworking_days=Mon", "2026-03-02T23:00:00", "on",
		  "2026-03-03T06:00:00" },
		{ "working_hours=22:00-06:00\nworking_days=Mon", "2026-03-03T06:00:00", "off",
		  "2026-03-09T22:00:00" },
		/* 2026-03-29: 02:00 becomes 03:00: 02:30 never comes, work starts at 03:00 */
		{ "working_hours=02:30-04:00", "2026-03-29T01:00:00", "off", "2026-03-29T03:00:00" },
		/* 2026-10-25: 03:00 becomes 02:00 again: the hours end at the first 04:00 */
		{ "working_hours=01:00-04:00", "2026-10-25T01:30:00+02:00", "on",
		  "2026-10-25T04:00:00+01:00" },
		/* every day, all day: never off, nothing to wake for */
		{ "working_days=Mon-Sun", "2026-03-02T08:00:00", "on", NULL },
	};
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *text = g_strdup_printf("[Reminders]\n%s\n", rows[i].conf);
		g_autoptr(GDateTime) at = g_date_time_new_from_iso8601(rows[i].at, tz);
		struct sitlog_config c;
		int64_t next;
		bool off;

		config_init(&c);
		g_assert_cmpint(config_load_data(&c, "t", text, NULL), ==, 0);
		g_assert_nonnull(at);
		off = quiet_off_hours(&c, g_date_time_to_unix(at) * 1000000, &next);
		g_test_message("%s at %s", rows[i].conf, rows[i].at);
		g_assert_cmpstr(off ? "off" : "on", ==, rows[i].off_hours);
		if (rows[i].next) {
			g_autoptr(GDateTime) want = g_date_time_new_from_iso8601(rows[i].next, tz);

			g_assert_cmpint(next, ==, g_date_time_to_unix(want) * 1000000);
		} else {
			g_assert_cmpint(next, ==, INT64_MAX);
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* the session's warnings are part of what is tested: counted, not fatal */
	g_log_set_always_fatal(G_LOG_FATAL_MASK);
	g_log_set_default_handler(count_warnings, NULL);
	g_test_add_func("/quiet/working-hours-boundaries", test_quiet_boundaries);
	g_test_add("/session/fault/prompts-late", struct fixture, NULL, setup,
		   test_session_fault_prompts_late, teardown);
	g_test_add("/session/retention", struct fixture, NULL, setup, test_session_retention,
		   teardown);
	g_test_add("/session/fault/disk-full-loses-nothing", struct fixture,
		   GINT_TO_POINTER(FAULT_DISK_FULL), setup, test_session_fault_loses_nothing,
		   teardown);
	g_test_add("/session/fault/read-only-loses-nothing", struct fixture,
		   GINT_TO_POINTER(FAULT_READ_ONLY), setup, test_session_fault_loses_nothing,
		   teardown);
	g_test_add("/session/fault/locked-loses-nothing", struct fixture,
		   GINT_TO_POINTER(FAULT_LOCKED), setup, test_session_fault_loses_nothing,
		   teardown);
	g_test_add("/session/fault/at-registration", struct fixture, NULL, setup,
		   test_session_fault_at_registration, teardown);
	g_test_add("/session/fault/gives-up-cleanly", struct fixture, NULL, setup,
		   test_session_gives_up_cleanly, teardown);
	g_test_add("/session/fault/shutdown-while-failing", struct fixture, NULL, setup,
		   test_session_shutdown_while_failing, teardown);
	g_test_add("/session/wall-clock/step-during-debounce", struct fixture, NULL, setup,
		   test_session_clock_step_during_debounce, teardown);
	g_test_add("/session/wall-clock/heartbeat-then-step", struct fixture, NULL, setup,
		   test_session_heartbeat_then_clock_step, teardown);
	g_test_add("/session/fault/heartbeat-then-change", struct fixture, NULL, setup,
		   test_session_fault_heartbeat_then_change, teardown);
	g_test_add("/session/day/boundaries", struct fixture, NULL, setup,
		   test_session_day_boundaries, teardown);
	g_test_add("/session/quiet/at-due-time", struct fixture, NULL, setup,
		   test_session_quiet_at_due_time, teardown);
	g_test_add("/session/heartbeat/from-bout-start", struct fixture, NULL, setup,
		   test_session_heartbeat_from_bout_start, teardown);
	g_test_add("/session/crash/closes-dangling", struct fixture, NULL, setup,
		   test_session_closes_dangling, teardown);
	return g_test_run();
}
