/* SPDX-License-Identifier: MIT */
/*
 * The store (schema/store.c): migrations, file modes, refusing what is not ours without touching
 * it, the writer API round trip, the heeded rule of docs/semantics.md and bound parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "close-bout.h"
#include "sitlog-limits.h"
#include "store.h"

#define MIN_MS (60 * 1000)

/* A fresh directory per test, removed (with what is in it) at the end. */
struct fixture {
	char *dir;
	char *db;
};

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("sitlog-test-store-XXXXXX", &error);
	g_assert_no_error(error);
	f->db = g_build_filename(f->dir, "sitlog.db", NULL);
}

static void
remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	if (d) {
		while ((name = g_dir_read_name(d))) {
			g_autofree char *p = g_build_filename(path, name, NULL);

			remove_tree(p);
		}
		g_dir_close(d);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	remove_tree(f->dir);
	g_free(f->dir);
	g_free(f->db);
}

static struct store *
open_ok(const char *path, enum store_mode mode)
{
	g_autofree char *error = NULL;
	struct store *s = NULL;
	int r = store_open(path, mode, &s, &error);

	if (r < 0)
		g_error("store_open(%s): %s (%s)", path, error, g_strerror(-r));
	g_assert_null(error);
	g_assert_nonnull(s);
	return s;
}

static int
pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *
pragma_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &st, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	v = g_strdup((const char *) sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* Raw SQL on a file, outside the store, as another program would. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	g_assert_cmpint(
		sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==,
		SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

/* What a file is, to prove it was not touched. */
struct snapshot {
	GBytes *bytes;
	struct stat st;
};

static void
snapshot_take(const char *path, struct snapshot *ret)
{
	g_autoptr(GError) error = NULL;
	char *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &data, &len, &error));
	g_assert_no_error(error);
	ret->bytes = g_bytes_new_take(data, len);
	g_assert_cmpint(stat(path, &ret->st), ==, 0);
}

static void
assert_unchanged(const char *path, struct snapshot *before)
{
	struct snapshot now;

	snapshot_take(path, &now);
	g_assert_true(g_bytes_equal(before->bytes, now.bytes));
	g_assert_cmpint(now.st.st_size, ==, before->st.st_size);
	g_assert_cmpint(now.st.st_mtim.tv_sec, ==, before->st.st_mtim.tv_sec);
	g_assert_cmpint(now.st.st_mtim.tv_nsec, ==, before->st.st_mtim.tv_nsec);
	g_assert_cmpint(now.st.st_mode, ==, before->st.st_mode);
	g_bytes_unref(now.bytes);
	g_bytes_unref(before->bytes);
}

static void
assert_refused(const char *path, enum store_mode mode, int expected, const char *words)
{
	g_autofree char *error = NULL;
	struct store *s = NULL;
	int r = store_open(path, mode, &s, &error);

	g_assert_cmpint(r, ==, expected);
	g_assert_null(s);
	g_assert_nonnull(error);
	g_test_message("refused: %s", error);
	g_assert_nonnull(strstr(error, path));
	g_assert_nonnull(strstr(error, words));
}

static void
test_store_migrations_apply(struct fixture *f, gconstpointer data)
{
	struct store *s = open_ok(f->db, STORE_READ_WRITE);
	sqlite3 *db = store_db(s);
	g_autofree char *journal = pragma_text(db, "PRAGMA journal_mode");

	g_assert_cmpint(store_schema_version(), >=, 1);
	g_assert_cmpint(pragma_int(db, "PRAGMA user_version"), ==, store_schema_version());
	g_assert_cmpint(pragma_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
				       "AND name IN ('devices', 'segments', 'bouts', 'prompts', "
				       "'state')"),
			==, 5);
	g_assert_cmpint(pragma_int(db, "PRAGMA foreign_keys"), ==, 1);
	g_assert_cmpstr(journal, ==, "wal");
	g_assert_cmpint(pragma_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
				       "AND name = 'segments_by_end'"),
			==, 1);
	g_assert_cmpstr(store_path(s), ==, f->db);
	store_close(s);
}

static void
test_store_reopen_is_idempotent(struct fixture *f, gconstpointer data)
{
	struct store *s = open_ok(f->db, STORE_READ_WRITE);
	g_autofree char *value = NULL;
	int tables = pragma_int(store_db(s), "SELECT count(*) FROM sqlite_master");

	g_assert_cmpint(store_state_set(s, "k", "v"), ==, 0);
	store_close(s);

	for (int i = 0; i < 2; i++) {
		s = open_ok(f->db, i ? STORE_READ_ONLY : STORE_READ_WRITE);
		g_assert_cmpint(pragma_int(store_db(s), "PRAGMA user_version"), ==,
				store_schema_version());
		g_assert_cmpint(pragma_int(store_db(s), "SELECT count(*) FROM sqlite_master"), ==,
				tables);
		g_assert_cmpint(store_state_get(s, "k", &value), ==, 0);
		g_assert_cmpstr(value, ==, "v");
		g_clear_pointer(&value, g_free);
		store_close(s);
	}
}

static void
assert_mode(const char *path, mode_t mode)
{
	struct stat st;

	g_assert_cmpint(stat(path, &st), ==, 0);
	g_test_message("%s: %04o", path, (unsigned) (st.st_mode & 07777));
	g_assert_cmpuint(st.st_mode & 07777, ==, mode);
}

/* DESIGN.md "Data safety and privacy": 0600 / 0700 whatever the umask. */
static void
test_store_file_0600_dir_0700(struct fixture *f, gconstpointer data)
{
	g_autofree char *a = g_build_filename(f->dir, "a", NULL);
	g_autofree char *b = g_build_filename(a, "b", NULL);
	g_autofree char *path = g_build_filename(b, "sitlog.db", NULL);
	g_autofree char *wal = g_strconcat(path, "-wal", NULL);
	g_autofree char *shm = g_strconcat(path, "-shm", NULL);
	mode_t old = umask(0);
	struct store *s = open_ok(path, STORE_READ_WRITE);

	umask(old);
	g_assert_cmpint(store_state_set(s, "k", "v"), ==, 0);
	assert_mode(a, 0700);
	assert_mode(b, 0700);
	assert_mode(path, 0600);
	g_assert_true(g_file_test(wal, G_FILE_TEST_EXISTS));
	assert_mode(wal, 0600);
	assert_mode(shm, 0600);
	store_close(s);
}

static void
test_store_newer_schema_refused_unchanged(struct fixture *f, gconstpointer data)
{
	g_autofree char *sql =
		g_strdup_printf("PRAGMA user_version = %d", store_schema_version() + 1);
	struct snapshot before;
	struct store *s = open_ok(f->db, STORE_READ_WRITE);

	store_close(s);
	raw_exec(f->db, sql);
	snapshot_take(f->db, &before);
	/* mtime has a resolution: make a write show */
	g_usleep(20000);
	assert_refused(f->db, STORE_READ_WRITE, -EPROTO, "newer than this sitlog");
	assert_refused(f->db, STORE_READ_ONLY, -EPROTO, "upgrade sitlog");
	assert_unchanged(f->db, &before);
}

static void
write_file(const char *path, const void *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, data, (gssize) len, &error));
	g_assert_no_error(error);
}

static void
test_store_not_a_database_refused_unchanged(struct fixture *f, gconstpointer data)
{
	g_autoptr(GString) text = g_string_new(NULL);
	struct snapshot before;

	for (int i = 0; i < 500; i++)
		g_string_append(text, "these are my notes, not a database\n");
	write_file(f->db, text->str, text->len);
	snapshot_take(f->db, &before);
	g_usleep(20000);
	assert_refused(f->db, STORE_READ_WRITE, -EBADMSG, "not a sitlog database");
	assert_refused(f->db, STORE_READ_ONLY, -EBADMSG, "refusing to touch it");
	assert_unchanged(f->db, &before);
}

/* The SQLite header, then garbage where the schema should be. */
static void
test_store_corrupt_refused_unchanged(struct fixture *f, gconstpointer data)
{
	g_autofree char *bytes = NULL;
	gsize len = 0;
	struct snapshot before;
	struct store *s = open_ok(f->db, STORE_READ_WRITE);

	store_close(s);
	g_assert_true(g_file_get_contents(f->db, &bytes, &len, NULL));
	g_assert_cmpuint(len, >, 4096);
	/* keep the 100-byte header, wreck the rest of page 1 (sqlite_master's b-tree) */
	memset(bytes + 100, 0xa5, 4096 - 100);
	write_file(f->db, bytes, len);
	snapshot_take(f->db, &before);
	g_usleep(20000);
	assert_refused(f->db, STORE_READ_WRITE, -EBADMSG, "not a sitlog database");
	assert_refused(f->db, STORE_READ_ONLY, -EBADMSG, "refusing to touch it");
	assert_unchanged(f->db, &before);
}

/* Somebody else's SQLite database at our path: never migrate it. */
static void
test_store_foreign_database_refused_unchanged(struct fixture *f, gconstpointer data)
{
	g_autofree char *other = g_build_filename(f->dir, "other.db", NULL);
	struct snapshot before;

	raw_exec(f->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
	snapshot_take(f->db, &before);
	g_usleep(20000);
	assert_refused(f->db, STORE_READ_WRITE, -EBADMSG, "not a sitlog database");
	assert_refused(f->db, STORE_READ_ONLY, -EBADMSG, "not a sitlog database");
	assert_unchanged(f->db, &before);

	/* a user_version of its own proves nothing */
	raw_exec(other, "CREATE TABLE segments (x); PRAGMA user_version = 1");
	snapshot_take(other, &before);
	assert_refused(other, STORE_READ_WRITE, -EBADMSG, "not a sitlog database");
	assert_unchanged(other, &before);
}

static void
test_store_read_only_missing_is_enoent(struct fixture *f, gconstpointer data)
{
	g_autofree char *dir = g_build_filename(f->dir, "missing", NULL);
	g_autofree char *path = g_build_filename(dir, "sitlog.db", NULL);

	assert_refused(path, STORE_READ_ONLY, -ENOENT, "no database at");
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	assert_refused(f->db, STORE_READ_ONLY, -ENOENT, "sitlogd has not recorded anything yet");
	g_assert_false(g_file_test(f->db, G_FILE_TEST_EXISTS));
}

static void
test_store_read_only_cannot_write(struct fixture *f, gconstpointer data)
{
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	struct store *s;
	g_autofree char *value = NULL;

	g_assert_cmpint(store_state_set(w, "k", "written"), ==, 0);
	/* the reader sees the writer's commits while it stays open (WAL) */
	s = open_ok(f->db, STORE_READ_ONLY);
	g_assert_cmpint(store_state_get(s, "k", &value), ==, 0);
	g_assert_cmpstr(value, ==, "written");
	g_assert_cmpint(store_state_set(s, "k", "v"), ==, -EROFS);
	g_test_message("%s", store_errmsg(s));
	store_close(s);
	store_close(w);
}

static void
test_store_locked_is_ebusy(struct fixture *f, gconstpointer data)
{
	struct store *a = open_ok(f->db, STORE_READ_WRITE);
	struct store *b = open_ok(f->db, STORE_READ_WRITE);

	g_assert_cmpint(store_begin(a), ==, 0);
	sqlite3_busy_timeout(store_db(b), 0);
	g_assert_cmpint(store_begin(b), ==, -EBUSY);
	g_assert_nonnull(strstr(store_errmsg(b), "locked"));
	g_assert_cmpint(store_rollback(b), ==, 0);
	g_assert_cmpint(store_commit(a), ==, 0);
	store_close(b);
	store_close(a);
}

static void
test_store_unreadable_is_eacces(struct fixture *f, gconstpointer data)
{
	struct store *s = open_ok(f->db, STORE_READ_WRITE);

	store_close(s);
	g_assert_cmpint(g_chmod(f->db, 0), ==, 0);
	if (geteuid() == 0) {
		/* root reads any file: the same as nobody, in a child (77: cannot be nobody) */
		int status;
		pid_t pid = fork();

		g_assert_cmpint(pid, >=, 0);
		if (pid == 0) {
			if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
			    setresuid(65534, 65534, 65534) < 0)
				_exit(77);
			assert_refused(f->db, STORE_READ_ONLY, -EACCES, "Permission denied");
			assert_refused(f->db, STORE_READ_WRITE, -EACCES, "Permission denied");
			_exit(0);
		}
		g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
		g_chmod(f->db, 0600);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
			g_test_skip("root reads any file, and cannot become nobody here");
			return;
		}
		g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		return;
	}
	assert_refused(f->db, STORE_READ_ONLY, -EACCES, "Permission denied");
	assert_refused(f->db, STORE_READ_WRITE, -EACCES, "Permission denied");
	g_chmod(f->db, 0600);
}

struct collected {
	GPtrArray *lines;
	int stop_after; /* 0: never */
};

static int
collect_segment(const struct store_segment *seg, void *userdata)
{
	struct collected *c = userdata;

	g_ptr_array_add(c->lines,
			g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s %s",
					seg->start_ms, seg->end_ms, posture_to_string(seg->posture),
					seg->device ? seg->device : "(none)"));
	if (c->stop_after && (int) c->lines->len == c->stop_after)
		return -ECANCELED;
	return 0;
}

static int
collect_bout(const struct store_bout *b, void *userdata)
{
	struct collected *c = userdata;

	g_ptr_array_add(c->lines,
			g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s", b->start_ms,
					b->end_ms, b->ended_by ? b->ended_by : "open"));
	return 0;
}

static int
collect_prompt(const struct store_prompt *p, void *userdata)
{
	struct collected *c = userdata;

	g_ptr_array_add(c->lines, g_strdup_printf("%" G_GINT64_FORMAT " age %" G_GINT64_FORMAT
						  " seq %d %s %s%s",
						  p->t_ms, p->bout_age_ms, p->seq, p->reason,
						  p->delivery, p->heeded ? " heeded" : ""));
	return 0;
}

static char *
joined(struct collected *c)
{
	char *s;

	g_ptr_array_add(c->lines, NULL);
	s = g_strjoinv("\n", (char **) c->lines->pdata);
	g_ptr_array_set_size(c->lines, 0);
	return s;
}

static void
test_store_writer_round_trip(struct fixture *f, gconstpointer data)
{
	const struct store_device seat = { .name = "USB Chair Switch",
					   .role = "seat",
					   .bustype = 3,
					   .vendor = 0x1234,
					   .product = 0x5678,
					   .phys = "usb-0000:00:14.0-1/input0" };
	const struct store_device imu = { .name = "Thigh IMU", .role = "imu" };
	struct collected c = { .lines = g_ptr_array_new_with_free_func(g_free) };
	struct store *w = open_ok(f->db, STORE_READ_WRITE), *s;
	int64_t seat_id, seat_again, imu_id, seg, bout;
	g_autofree char *text = NULL, *value = NULL;
	bool has = false;

	g_assert_cmpint(store_device_ensure(w, &seat, 1000, &seat_id), ==, 0);
	g_assert_cmpint(store_device_ensure(w, &imu, 1000, &imu_id), ==, 0);
	g_assert_cmpint(store_device_ensure(w, &seat, 2000, &seat_again), ==, 0);
	g_assert_cmpint(seat_again, ==, seat_id);
	g_assert_cmpint(imu_id, !=, seat_id);

	/* one state change, one transaction */
	g_assert_cmpint(store_begin(w), ==, 0);
	g_assert_cmpint(store_segment_begin(w, 0, POSTURE_UNKNOWN, 0, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 10 * MIN_MS), ==, 0);
	g_assert_cmpint(store_segment_begin(w, seat_id, POSTURE_SITTING, 10 * MIN_MS, &seg), ==, 0);
	g_assert_cmpint(store_bout_begin(w, 10 * MIN_MS, &bout), ==, 0);
	g_assert_cmpint(store_commit(w), ==, 0);
	/* heartbeat: the open bout grows, stays open */
	g_assert_cmpint(store_segment_set_end(w, seg, 40 * MIN_MS), ==, 0);
	g_assert_cmpint(test_close_bout(w, bout, 40 * MIN_MS, NULL, 5 * MIN_MS), ==, 0);
	g_assert_cmpint(store_prompt_add(w, bout, 40 * MIN_MS, 30 * MIN_MS, 0, "due", "none", NULL),
			==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 42 * MIN_MS), ==, 0);
	g_assert_cmpint(store_segment_begin(w, imu_id, POSTURE_WALKING, 42 * MIN_MS, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 45 * MIN_MS), ==, 0);
	g_assert_cmpint(test_close_bout(w, bout, 42 * MIN_MS, "break", 5 * MIN_MS), ==, 0);
	g_assert_cmpint(store_state_set(w, "paused", "0"), ==, 0);
	g_assert_cmpint(store_state_set(w, "paused", "1"), ==, 0);

	/* a rolled back change leaves nothing */
	g_assert_cmpint(store_begin(w), ==, 0);
	g_assert_cmpint(store_segment_begin(w, seat_id, POSTURE_SITTING, 45 * MIN_MS, &seg), ==, 0);
	g_assert_cmpint(store_rollback(w), ==, 0);
	g_assert_cmpint(store_rollback(w), ==, 0); /* none open: a no-op */

	s = open_ok(f->db, STORE_READ_ONLY);
	g_assert_cmpint(store_foreach_segment(s, INT64_MIN, INT64_MAX, collect_segment, &c), ==, 0);
	text = joined(&c);
	g_assert_cmpstr(text, ==,
			"0-600000 unknown (none)\n"
			"600000-2520000 sitting USB Chair Switch\n"
			"2520000-2700000 walking Thigh IMU");
	g_clear_pointer(&text, g_free);

	/* [from, to): overlapping segments only; a segment ending at from is out */
	g_assert_cmpint(store_foreach_segment(s, 10 * MIN_MS, 42 * MIN_MS, collect_segment, &c), ==,
			0);
	text = joined(&c);
	g_assert_cmpstr(text, ==, "600000-2520000 sitting USB Chair Switch");
	g_clear_pointer(&text, g_free);

	/* a callback's negative return stops the walk and comes back as is */
	c.stop_after = 1;
	g_assert_cmpint(store_foreach_segment(s, INT64_MIN, INT64_MAX, collect_segment, &c), ==,
			-ECANCELED);
	g_assert_cmpuint(c.lines->len, ==, 1);
	g_ptr_array_set_size(c.lines, 0);

	g_assert_cmpint(store_foreach_bout(s, 0, 10 * MIN_MS + 1, collect_bout, &c), ==, 0);
	text = joined(&c);
	g_assert_cmpstr(text, ==, "600000-2520000 break");
	g_clear_pointer(&text, g_free);
	g_assert_cmpint(store_foreach_bout(s, 0, 10 * MIN_MS, collect_bout, &c), ==, 0);
	g_assert_cmpuint(c.lines->len, ==, 0);

	g_assert_cmpint(store_foreach_prompt(s, 0, INT64_MAX, collect_prompt, &c), ==, 0);
	text = joined(&c);
	g_assert_cmpstr(text, ==, "2400000 age 1800000 seq 0 due none heeded");
	g_clear_pointer(&text, g_free);

	g_assert_cmpint(store_state_get(s, "paused", &value), ==, 0);
	g_assert_cmpstr(value, ==, "1");
	g_assert_cmpint(store_state_get(s, "never-set", &value), ==, -ENOENT);
	g_assert_cmpstr(value, ==, "1"); /* untouched on failure */

	/* half-open spans: touching at an end is not overlapping (adjacent replays) */
	g_assert_cmpint(store_has_segments_between(s, 45 * MIN_MS, 50 * MIN_MS, &has), ==, 0);
	g_assert_false(has);
	g_assert_cmpint(store_has_segments_between(s, 45 * MIN_MS - 1, 50 * MIN_MS, &has), ==, 0);
	g_assert_true(has);
	g_assert_cmpint(store_has_segments_between(s, -5 * MIN_MS, 0, &has), ==, 0);
	g_assert_false(has);
	g_assert_cmpint(store_has_segments_between(s, -5 * MIN_MS, 1, &has), ==, 0);
	g_assert_true(has);

	store_close(s);
	store_close(w);
	store_close(NULL);
	g_ptr_array_unref(c.lines);
}

/*
 * docs/semantics.md "Prompts": heeded when the bout ends by a break and
 * bout_end <= prompt_time + heed_window (an end shortly before the prompt included).
 */
static void
test_store_prompt_heeded_rule(struct fixture *f, gconstpointer data)
{
	static const struct {
		int64_t prompt_min, end_ms;
		const char *ended_by;
		bool heeded;
	} rows[] = {
		{ 30, 30 * MIN_MS + 5 * MIN_MS, "break", true },      /* exactly heed_window */
		{ 30, 30 * MIN_MS + 5 * MIN_MS + 1, "break", false }, /* one ms late */
		{ 30, 33 * MIN_MS, "break", true },
		{ 30, 29 * MIN_MS, "break", true }, /* break pending at the prompt */
		{ 30, 33 * MIN_MS, "end", false },  /* the data ended, not a break */
		{ 30, 60 * MIN_MS, "break", false },
	};
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	struct collected c = { .lines = g_ptr_array_new_with_free_func(g_free) };

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		int64_t base = (int64_t) i * 1000 * MIN_MS, bout;
		g_autofree char *text = NULL;

		g_assert_cmpint(store_bout_begin(w, base, &bout), ==, 0);
		g_assert_cmpint(store_prompt_add(w, bout, base + rows[i].prompt_min * MIN_MS,
						 rows[i].prompt_min * MIN_MS, 0, "due", "none",
						 NULL),
				==, 0);
		g_assert_cmpint(test_close_bout(w, bout, base + rows[i].end_ms, rows[i].ended_by,
						   5 * MIN_MS),
				==, 0);
		g_assert_cmpint(
			store_foreach_prompt(w, base, base + 1000 * MIN_MS, collect_prompt, &c), ==,
			0);
		text = joined(&c);
		g_test_message("row %zu: %s", i, text);
		g_assert_cmpint(g_str_has_suffix(text, " heeded"), ==, rows[i].heeded);
	}

	/* several prompts of one bout: only those within the window of the end */
	{
		int64_t base = 100000 * (int64_t) MIN_MS, bout;
		g_autofree char *text = NULL;

		g_assert_cmpint(store_bout_begin(w, base, &bout), ==, 0);
		for (int k = 0; k < 4; k++)
			g_assert_cmpint(store_prompt_add(w, bout, base + (30 + 10 * k) * MIN_MS,
							 (30 + 10 * k) * MIN_MS, k, "due", "none",
							 NULL),
					==, 0);
		g_assert_cmpint(
			test_close_bout(w, bout, base + 62 * MIN_MS, "break", 5 * MIN_MS), ==,
			0);
		g_assert_cmpint(store_foreach_prompt(w, base, INT64_MAX, collect_prompt, &c), ==,
				0);
		text = joined(&c);
		g_assert_cmpstr(text, ==,
				"6001800000 age 1800000 seq 0 due none\n"
				"6002400000 age 2400000 seq 1 due none\n"
				"6003000000 age 3000000 seq 2 due none\n"
				"6003600000 age 3600000 seq 3 due none heeded");
	}
	g_ptr_array_unref(c.lines);
	store_close(w);
}

/* Bound parameters only: a device name is data, never SQL. */
static void
test_store_hostile_device_name(struct fixture *f, gconstpointer data)
{
	static const char *const names[] = {
		"x'); DROP TABLE segments;--",
		"\"; DELETE FROM devices; --",
		"Robert'); DROP TABLE bouts; --\n\t\xc3\xa9",
		"%s%n%x",
	};
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	struct collected c = { .lines = g_ptr_array_new_with_free_func(g_free) };
	g_autoptr(GString) want = g_string_new(NULL);
	g_autofree char *text = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		const struct store_device d = {
			.name = names[i], .role = "seat", .phys = names[i], .uniq = names[i]
		};
		int64_t id, again, seg;

		g_assert_cmpint(store_device_ensure(w, &d, 0, &id), ==, 0);
		g_assert_cmpint(store_device_ensure(w, &d, 0, &again), ==, 0);
		g_assert_cmpint(again, ==, id);
		g_assert_cmpint(store_segment_begin(w, id, POSTURE_SITTING, (int64_t) i * 10, &seg),
				==, 0);
		g_assert_cmpint(store_segment_set_end(w, seg, (int64_t) i * 10 + 5), ==, 0);
		g_string_append_printf(want, "%s%zu-%zu sitting %s", i ? "\n" : "", i * 10,
				       i * 10 + 5, names[i]);
	}
	g_assert_cmpint(store_state_set(w, names[0], names[1]), ==, 0);
	g_assert_cmpint(store_foreach_segment(w, INT64_MIN, INT64_MAX, collect_segment, &c), ==, 0);
	text = joined(&c);
	g_assert_cmpstr(text, ==, want->str);
	g_assert_cmpint(pragma_int(store_db(w), "SELECT count(*) FROM sqlite_master WHERE type = "
						"'table' AND name IN ('segments', 'bouts', "
						"'devices')"),
			==, 3);
	g_assert_cmpint(pragma_int(store_db(w), "SELECT count(*) FROM devices"), ==,
			(int) G_N_ELEMENTS(names));
	g_ptr_array_unref(c.lines);
	store_close(w);
}

static void
test_store_default_path(void)
{
	g_autofree char *env = NULL, *xdg = NULL;

	g_setenv("SITLOG_DB", "/somewhere/my.db", TRUE);
	env = store_default_path();
	g_assert_cmpstr(env, ==, "/somewhere/my.db");
	/* empty is unset; XDG_STATE_HOME was set in main() before GLib cached it */
	g_setenv("SITLOG_DB", "", TRUE);
	xdg = store_default_path();
	g_assert_cmpstr(xdg, ==, "/xdg-state-for-test-store/sitlog/sitlog.db");
}

/* ---- robustness: stale ids, failed binds, no WAL, a failing migration ---- */

/* An UPDATE by id that changes no row is -ESTALE and says which row. */
static void
test_store_update_missing_row_is_estale(struct fixture *f, gconstpointer data)
{
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	int64_t seg, bout, prompt;

	g_assert_cmpint(store_segment_set_end(w, 42, 1000), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "ending a segment: row 42 does not exist");
	g_assert_cmpint(store_bout_set_end(w, 43, 1000, NULL), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "extending a bout: row 43 does not exist");
	g_assert_cmpint(store_bout_set_end(w, 44, 1000, "break"), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "ending a bout: row 44 does not exist");
	g_assert_cmpint(store_bout_shift(w, 45, 1000), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "moving a bout: row 45 does not exist");
	g_assert_cmpint(store_prompt_set_exercise(w, 46, "squats"), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "noting a prompt's exercise: row 46 does not exist");
	g_assert_cmpint(store_prompt_set_delivery(w, 47, "failed"), ==, -ESTALE);
	g_assert_cmpstr(store_errmsg(w), ==, "noting a prompt's delivery: row 47 does not exist");
	/* these two may change nothing: an answered prompt, a bout without prompts */
	g_assert_cmpint(store_prompt_set_response(w, 48, "done", 1000), ==, 0);
	g_assert_cmpint(store_prompts_set_heeded(w, 49, 0), ==, 0);

	/* a row that a rollback took away */
	g_assert_cmpint(store_begin(w), ==, 0);
	g_assert_cmpint(store_segment_begin(w, 0, POSTURE_SITTING, 0, &seg), ==, 0);
	g_assert_cmpint(store_bout_begin(w, 0, &bout), ==, 0);
	g_assert_cmpint(store_prompt_add(w, bout, 10, 10, 0, "due", "none", &prompt), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 100), ==, 0);
	g_assert_cmpint(store_prompt_set_exercise(w, prompt, NULL), ==, 0);
	g_assert_cmpint(store_rollback(w), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 100), ==, -ESTALE);
	g_assert_cmpint(store_bout_set_end(w, bout, 100, "end"), ==, -ESTALE);
	g_assert_cmpint(store_prompt_set_exercise(w, prompt, "squats"), ==, -ESTALE);

	/* a change to the same value is a change: the row is there */
	g_assert_cmpint(store_segment_begin(w, 0, POSTURE_SITTING, 0, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 0), ==, 0);
	g_assert_cmpint(store_bout_begin(w, 0, &bout), ==, 0);
	g_assert_cmpint(store_bout_shift(w, bout, 0), ==, 0);
	store_close(w);
}

static int
count_rows(struct store *s, const char *sql)
{
	return pragma_int(store_db(s), sql);
}

/* A bind that fails (a text over SQLITE_LIMIT_LENGTH) fails the call; nothing is written. */
static void
test_store_failed_bind_is_an_error(struct fixture *f, gconstpointer data)
{
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	g_autofree char *big = g_strnfill(2000, 'x');
	const struct store_device d = { .name = big, .role = "seat" };
	g_autofree char *value = NULL;
	int64_t id = -1, bout;

	sqlite3_limit(store_db(w), SQLITE_LIMIT_LENGTH, 1000);
	g_assert_cmpint(store_state_set(w, "k", big), ==, -E2BIG);
	g_test_message("%s", store_errmsg(w));
	g_assert_true(g_str_has_prefix(store_errmsg(w), "writing state: "));
	g_assert_cmpint(store_state_get(w, "k", &value), ==, -ENOENT);
	g_assert_cmpint(store_state_get(w, big, &value), ==, -E2BIG);
	g_assert_true(g_str_has_prefix(store_errmsg(w), "reading state: "));

	g_assert_cmpint(store_device_ensure(w, &d, 0, &id), ==, -E2BIG);
	g_assert_true(g_str_has_prefix(store_errmsg(w), "looking up a device: "));
	g_assert_cmpint(id, ==, -1);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM devices"), ==, 0);

	g_assert_cmpint(store_bout_begin(w, 0, &bout), ==, 0);
	g_assert_cmpint(store_prompt_add(w, bout, 0, 0, 0, big, "none", NULL), ==, -E2BIG);
	g_assert_true(g_str_has_prefix(store_errmsg(w), "adding a prompt: "));
	g_assert_cmpint(store_prompt_add(w, bout, 0, 0, 0, "due", big, NULL), ==, -E2BIG);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM prompts"), ==, 0);
	g_assert_cmpint(store_bout_set_end(w, bout, 10, big), ==, -E2BIG);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM bouts WHERE ended_by IS NULL"), ==, 1);

	/* the statements are still good for the next call */
	g_assert_cmpint(store_state_set(w, "k", "v"), ==, 0);
	g_assert_cmpint(store_state_get(w, "k", &value), ==, 0);
	g_assert_cmpstr(value, ==, "v");
	store_close(w);
}

/* A file system without shared memory: SQLite's "unix-none" VFS has none, so WAL cannot be
 * had. The store says so once, and works. */
static void
test_store_without_wal_warns_once(struct fixture *f, gconstpointer data)
{
	sqlite3_vfs *usual = sqlite3_vfs_find(NULL), *none = sqlite3_vfs_find("unix-none");
	g_autofree char *journal = NULL, *value = NULL;
	struct store *s;

	if (!none) {
		g_test_skip("this SQLite has no unix-none VFS");
		return;
	}
	g_assert_cmpint(sqlite3_vfs_register(none, 1), ==, SQLITE_OK);
	g_test_expect_message(NULL, G_LOG_LEVEL_WARNING,
			      "*: WAL unavailable (journal_mode=delete): the CLI cannot read while "
			      "sitlogd writes");
	s = open_ok(f->db, STORE_READ_WRITE);
	g_test_assert_expected_messages();
	journal = pragma_text(store_db(s), "PRAGMA journal_mode");
	g_assert_cmpstr(journal, ==, "delete");
	g_assert_cmpint(store_state_set(s, "k", "v"), ==, 0);
	store_close(s);
	/* once: a second open says nothing (a warning would fail the test) */
	s = open_ok(f->db, STORE_READ_WRITE);
	g_assert_cmpint(store_state_get(s, "k", &value), ==, 0);
	g_assert_cmpstr(value, ==, "v");
	store_close(s);
	g_assert_cmpint(sqlite3_vfs_register(usual, 1), ==, SQLITE_OK);
}

/* Migration 2 fails on a database that has its column already but says version 1: store_open
 * refuses, names the migration, and leaves the database at version 1. */
static void
test_store_failing_migration_refused(struct fixture *f, gconstpointer data)
{
	struct store *s = open_ok(f->db, STORE_READ_WRITE);
	g_autofree char *error = NULL;

	g_assert_cmpint(store_schema_version(), >=, 2);
	store_close(s);
	raw_exec(f->db, "PRAGMA user_version = 1");
	assert_refused(f->db, STORE_READ_WRITE, -EIO, "cannot migrate to schema version 2");
	assert_refused(f->db, STORE_READ_WRITE, -EIO, "002-prompt-exercise.sql");
	assert_refused(f->db, STORE_READ_WRITE, -EIO, "rolled back, refusing to open it");
	s = open_ok(f->db, STORE_READ_ONLY);
	g_assert_cmpint(pragma_int(store_db(s), "PRAGMA user_version"), ==, 1);
	g_assert_cmpint(pragma_int(store_db(s), "SELECT count(*) FROM pragma_table_info('prompts') "
						"WHERE name = 'exercise'"), ==, 1);
	store_close(s);
}

/* ---- bouts left open by a sitlogd that died ---- */

struct bout_rows {
	int n;
	struct store_bout b[8];
	char ended_by[8][16];
};

static int
collect_bout_row(const struct store_bout *b, void *userdata)
{
	struct bout_rows *rows = userdata;

	g_assert_cmpint(rows->n, <, 8);
	rows->b[rows->n] = *b;
	g_strlcpy(rows->ended_by[rows->n], b->ended_by ? b->ended_by : "(open)",
		  sizeof(rows->ended_by[0]));
	rows->b[rows->n].ended_by = rows->ended_by[rows->n];
	rows->n++;
	return 0;
}

/* store_close_dangling(): the open bout ends as "crash" where its rows end (its last
 * heartbeat); closed bouts, segments and prompts stay as they are; a second call finds none;
 * a read-only store cannot. */
static void
test_store_close_dangling(struct fixture *f, gconstpointer data)
{
	struct store *w = open_ok(f->db, STORE_READ_WRITE), *ro;
	struct bout_rows rows = { 0 };
	int64_t seg, done, open, prompt;
	int n = -1;

	/* nothing open: nothing to do */
	g_assert_cmpint(store_close_dangling(w, &n), ==, 0);
	g_assert_cmpint(n, ==, 0);

	g_assert_cmpint(store_bout_begin(w, 1000, &done), ==, 0);
	g_assert_cmpint(store_bout_set_end(w, done, 5000, "break"), ==, 0);
	/* the killed run: a bout and its segment, extended by heartbeats to 70 000, a prompt */
	g_assert_cmpint(store_segment_begin(w, 0, POSTURE_SITTING, 10000, &seg), ==, 0);
	g_assert_cmpint(store_bout_begin(w, 10000, &open), ==, 0);
	g_assert_cmpint(store_prompt_add(w, open, 40000, 30000, 0, "due", "log", &prompt), ==, 0);
	g_assert_cmpint(store_segment_set_end(w, seg, 70000), ==, 0);
	g_assert_cmpint(store_bout_set_end(w, open, 70000, NULL), ==, 0);

	g_assert_cmpint(store_close_dangling(w, &n), ==, 0);
	g_assert_cmpint(n, ==, 1);
	g_assert_cmpint(store_foreach_bout(w, 0, INT64_MAX, collect_bout_row, &rows), ==, 0);
	g_assert_cmpint(rows.n, ==, 2);
	g_assert_cmpint(rows.b[0].id, ==, done);
	g_assert_cmpint(rows.b[0].end_ms, ==, 5000);
	g_assert_cmpstr(rows.b[0].ended_by, ==, "break");
	g_assert_cmpint(rows.b[1].id, ==, open);
	g_assert_cmpint(rows.b[1].start_ms, ==, 10000);
	g_assert_cmpint(rows.b[1].end_ms, ==, 70000);
	g_assert_cmpstr(rows.b[1].ended_by, ==, "crash");
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM segments WHERE start_ms = 10000 "
				      "AND end_ms = 70000 AND posture = 'sitting'"), ==, 1);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM prompts WHERE heeded = 0 "
				      "AND response IS NULL"), ==, 1);

	/* once closed, closed: a second start finds nothing; a NULL count is allowed */
	g_assert_cmpint(store_close_dangling(w, &n), ==, 0);
	g_assert_cmpint(n, ==, 0);
	g_assert_cmpint(store_close_dangling(w, NULL), ==, 0);

	/* the reader cannot, and says so */
	g_assert_cmpint(store_bout_begin(w, 80000, &open), ==, 0);
	ro = open_ok(f->db, STORE_READ_ONLY);
	g_assert_cmpint(store_close_dangling(ro, &n), <, 0);
	g_test_message("read-only: %s", store_errmsg(ro));
	g_assert_true(g_str_has_prefix(store_errmsg(ro), "closing bouts left open: "));
	store_close(ro);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM bouts WHERE ended_by IS NULL"), ==, 1);
	store_close(w);
}

/* The bouts table as migrations 1 and 2 left it (ended_by 'break' or 'end' only). */
#define BOUTS_V2                                                                                 \
	"CREATE TABLE old_bouts (id INTEGER PRIMARY KEY, start_ms INTEGER NOT NULL, "            \
	"end_ms INTEGER NOT NULL, ended_by TEXT CHECK (ended_by IN ('break', 'end')), "          \
	"CHECK (end_ms >= start_ms)); "                                                          \
	"DROP TABLE bouts; ALTER TABLE old_bouts RENAME TO bouts; "                              \
	"CREATE INDEX bouts_by_start ON bouts (start_ms); PRAGMA user_version = 2; "

/* Migration 3 on a version-2 database: bouts keep their rows and ids, prompts still refer to
 * them, the index is back, 'crash' is allowed and nothing else new; a database whose rows break
 * a foreign key is refused, left at version 2. */
static void
test_store_migration_3(struct fixture *f, gconstpointer data)
{
	struct store *s = open_ok(f->db, STORE_READ_WRITE);
	int64_t id;

	g_assert_cmpint(store_schema_version(), >=, 3);
	store_close(s);
	raw_exec(f->db, BOUTS_V2
		 "INSERT INTO bouts VALUES (7, 1000, 5000, 'break'), (9, 6000, 9000, NULL); "
		 "INSERT INTO prompts (bout_id, t_ms, bout_age_ms, seq, reason, delivery) "
		 "VALUES (9, 8000, 2000, 0, 'due', 'log')");
	s = open_ok(f->db, STORE_READ_WRITE);
	g_assert_cmpint(pragma_int(store_db(s), "PRAGMA user_version"), ==, store_schema_version());
	g_assert_cmpint(pragma_int(store_db(s), "PRAGMA foreign_keys"), ==, 1);
	g_assert_cmpint(count_rows(s, "SELECT count(*) FROM bouts WHERE (id = 7 AND start_ms = 1000 "
				      "AND end_ms = 5000 AND ended_by = 'break') OR (id = 9 AND "
				      "start_ms = 6000 AND end_ms = 9000 AND ended_by IS NULL)"), ==, 2);
	g_assert_cmpint(count_rows(s, "SELECT count(*) FROM prompts p JOIN bouts b "
				      "ON b.id = p.bout_id WHERE b.id = 9"), ==, 1);
	g_assert_cmpint(count_rows(s, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
				      "AND name = 'bouts_by_start' AND tbl_name = 'bouts'"), ==, 1);
	g_assert_cmpint(count_rows(s, "SELECT count(*) FROM sqlite_master WHERE name = "
				      "'bouts_new'"), ==, 0);
	g_assert_cmpint(store_bout_set_end(s, 9, 9000, "crash"), ==, 0);
	g_assert_cmpint(store_bout_set_end(s, 9, 9000, "exploded"), ==, -EINVAL);
	/* new ids after the old ones; a prompt of a bout that is not there is still refused */
	g_assert_cmpint(store_bout_begin(s, 10000, &id), ==, 0);
	g_assert_cmpint(id, ==, 10);
	g_assert_cmpint(store_prompt_add(s, 99, 10, 10, 0, "due", "none", NULL), ==, -EINVAL);
	store_close(s);

	/* a version-2 database with a prompt of a bout that is not there */
	g_unlink(f->db);
	s = open_ok(f->db, STORE_READ_WRITE);
	store_close(s);
	raw_exec(f->db, BOUTS_V2
		 "INSERT INTO prompts (bout_id, t_ms, bout_age_ms, seq, reason, delivery) "
		 "VALUES (42, 8000, 2000, 0, 'due', 'log')");
	assert_refused(f->db, STORE_READ_WRITE, -EIO, "003-bout-crash.sql: 1 row(s) break a "
						       "foreign key");
	s = open_ok(f->db, STORE_READ_ONLY);
	g_assert_cmpint(pragma_int(store_db(s), "PRAGMA user_version"), ==, 2);
	g_assert_cmpint(count_rows(s, "SELECT count(*) FROM sqlite_master WHERE name = "
				      "'bouts_new'"), ==, 0);
	store_close(s);
}

/* ---- typed state: the keys and formats of earlier versions ---- */

static char *
state_raw(struct store *s, const char *key)
{
	char *value = NULL;

	g_assert_cmpint(store_state_get(s, key, &value), ==, 0);
	return value;
}

static void
test_store_state_paused_until(struct fixture *f, gconstpointer data)
{
	static const char *const malformed[] = {
		"", "abc", "-5", " 12", "12 ", "12x", "+12", "0x10", "1.5",
		"99999999999999999999", "4102444800001", /* past 2100-01-01 */
	};
	struct store *w = open_ok(f->db, STORE_READ_WRITE), *r;
	int64_t ms = -1;
	g_autofree char *raw = NULL;

	g_assert_cmpint(store_get_paused_until(w, &ms), ==, -ENOENT);
	g_assert_cmpint(ms, ==, -1);
	g_assert_cmpint(store_set_paused_until(w, 1772440200123), ==, 0);
	raw = state_raw(w, "paused-until");
	g_assert_cmpstr(raw, ==, "1772440200123");
	g_assert_cmpint(store_get_paused_until(w, &ms), ==, 0);
	g_assert_cmpint(ms, ==, 1772440200123);
	/* what the CLI sees, read-only, while the daemon keeps the file open */
	r = open_ok(f->db, STORE_READ_ONLY);
	ms = -1;
	g_assert_cmpint(store_get_paused_until(r, &ms), ==, 0);
	g_assert_cmpint(ms, ==, 1772440200123);
	g_assert_cmpint(store_set_paused_until(r, 0), ==, -EROFS);
	store_close(r);

	/* 0: not paused, as earlier versions wrote it */
	g_assert_cmpint(store_set_paused_until(w, 0), ==, 0);
	g_clear_pointer(&raw, g_free);
	raw = state_raw(w, "paused-until");
	g_assert_cmpstr(raw, ==, "0");
	ms = -1;
	g_assert_cmpint(store_get_paused_until(w, &ms), ==, -ENOENT);
	g_assert_cmpint(ms, ==, -1);

	g_assert_cmpint(store_set_paused_until(w, -1), ==, -EINVAL);
	g_assert_cmpint(store_set_paused_until(w, SITLOG_WALL_MAX_US / 1000 + 1), ==, -EINVAL);
	g_assert_cmpint(store_set_paused_until(w, SITLOG_WALL_MAX_US / 1000), ==, 0);
	g_assert_cmpint(store_get_paused_until(w, &ms), ==, 0);
	g_assert_cmpint(ms, ==, SITLOG_WALL_MAX_US / 1000);

	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		g_test_message("paused-until \"%s\"", malformed[i]);
		g_assert_cmpint(store_state_set(w, "paused-until", malformed[i]), ==, 0);
		ms = -1;
		g_assert_cmpint(store_get_paused_until(w, &ms), ==, -ENOENT);
		g_assert_cmpint(ms, ==, -1);
	}
	store_close(w);
}

static void
test_store_state_rotation(struct fixture *f, gconstpointer data)
{
	static const char *const malformed[] = {
		"", "1 2", "1 2 3 4", "a b c", "1  2 3", " 1 2 3", "1 2 3 ", "-1 2 3", "1 2 3x",
		"1 2 4294967296", "1\t2\t3",
	};
	const unsigned v[3] = { 1, 7, 4294967295u };
	unsigned got[3] = { 9, 9, 9 };
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	g_autofree char *raw = NULL;

	g_assert_cmpint(store_get_rotation(w, got), ==, -ENOENT);
	g_assert_cmpuint(got[0], ==, 9);
	g_assert_cmpint(store_set_rotation(w, v), ==, 0);
	raw = state_raw(w, "exercise-rotation");
	g_assert_cmpstr(raw, ==, "1 7 4294967295");
	g_assert_cmpint(store_get_rotation(w, got), ==, 0);
	g_assert_cmpmem(got, sizeof(got), v, sizeof(v));
	/* as the daemon's notifier wrote it before */
	g_assert_cmpint(store_state_set(w, "exercise-rotation", "0 3 12"), ==, 0);
	g_assert_cmpint(store_get_rotation(w, got), ==, 0);
	g_assert_cmpuint(got[0], ==, 0);
	g_assert_cmpuint(got[1], ==, 3);
	g_assert_cmpuint(got[2], ==, 12);

	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		unsigned before[3];

		memcpy(before, got, sizeof(got));
		g_test_message("exercise-rotation \"%s\"", malformed[i]);
		g_assert_cmpint(store_state_set(w, "exercise-rotation", malformed[i]), ==, 0);
		g_assert_cmpint(store_get_rotation(w, got), ==, -ENOENT);
		g_assert_cmpmem(got, sizeof(got), before, sizeof(before));
	}
	store_close(w);
}

/* A locale whose decimal separator is a comma: an installed one, else one built with localedef
 * into dir (LOCPATH). NULL when neither works. */
static const char *
comma_locale(const char *dir)
{
	static const char *const names[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "nl_NL.UTF-8" };
	g_autofree char *out = g_build_filename(dir, "de_DE.UTF-8", NULL);
	const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", out, NULL };
	int status;

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (setlocale(LC_NUMERIC, names[i]) &&
		    strcmp(localeconv()->decimal_point, ",") == 0)
			return names[i];
	/* localedef may warn and exit 1 and still have made it: setlocale() below decides */
	if (!g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
			  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
			  NULL, &status, NULL))
		return NULL;
	g_setenv("LOCPATH", dir, TRUE);
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") && strcmp(localeconv()->decimal_point, ",") == 0)
		return "de_DE.UTF-8";
	g_unsetenv("LOCPATH");
	setlocale(LC_NUMERIC, "C");
	return NULL;
}

static void
test_store_state_imu_axis(struct fixture *f, gconstpointer data)
{
	static const char *const malformed[] = {
		"", "0.1 0.2", "0.1 0.2 0.3 0.4", "0,1 0,2 0,3", "x y z", "0.1  0.2 0.3",
		"0.1 0.2 nan", "0.1 inf 0.3", "0.1 0.2 1e999", "0.1 0.2 0.3 ",
	};
	const double axis[3] = { 0.1, -0.99, 0 };
	double got[3] = { 5, 5, 5 };
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	g_autofree char *raw = NULL, *raw7 = NULL, *locale_dir = g_build_filename(f->dir, "locale",
										    NULL);
	const char *comma;

	g_assert_cmpint(store_get_imu_axis(w, 42, got), ==, -ENOENT);
	g_assert_cmpfloat(got[0], ==, 5);
	g_assert_cmpint(store_set_imu_axis(w, 42, axis), ==, 0);
	raw = state_raw(w, "imu-axis:42");
	g_assert_cmpstr(raw, ==, "0.100000 -0.990000 0.000000");
	g_assert_cmpint(store_get_imu_axis(w, 42, got), ==, 0);
	for (int i = 0; i < 3; i++)
		g_assert_cmpfloat_with_epsilon(got[i], axis[i], 1e-6);
	/* one key per device */
	g_assert_cmpint(store_get_imu_axis(w, 7, got), ==, -ENOENT);
	g_assert_cmpint(store_get_imu_axis(w, -42, got), ==, -ENOENT);

	g_assert_cmpint(store_set_imu_axis(w, 7, (const double[]) { NAN, 0, 1 }), ==, -EINVAL);
	g_assert_cmpint(store_set_imu_axis(w, 7, (const double[]) { 0, INFINITY, 1 }), ==,
			-EINVAL);
	g_assert_cmpint(store_get_imu_axis(w, 7, got), ==, -ENOENT);

	for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
		double before[3];

		memcpy(before, got, sizeof(got));
		g_test_message("imu-axis:42 \"%s\"", malformed[i]);
		g_assert_cmpint(store_state_set(w, "imu-axis:42", malformed[i]), ==, 0);
		g_assert_cmpint(store_get_imu_axis(w, 42, got), ==, -ENOENT);
		g_assert_cmpmem(got, sizeof(got), before, sizeof(before));
	}

	/* a decimal comma in the user's locale changes neither what is written nor what is read */
	g_mkdir_with_parents(locale_dir, 0700);
	comma = comma_locale(locale_dir);
	if (!comma) {
		store_close(w);
		g_test_skip("no locale with a decimal comma (none installed, localedef failed)");
		return;
	}
	g_test_message("LC_NUMERIC=%s", comma);
	g_assert_cmpint(store_set_imu_axis(w, 7, axis), ==, 0);
	raw7 = state_raw(w, "imu-axis:7");
	g_assert_cmpstr(raw7, ==, "0.100000 -0.990000 0.000000");
	memset(got, 0, sizeof(got));
	g_assert_cmpint(store_get_imu_axis(w, 7, got), ==, 0);
	for (int i = 0; i < 3; i++)
		g_assert_cmpfloat_with_epsilon(got[i], axis[i], 1e-6);
	g_assert_cmpint(store_state_set(w, "imu-axis:7", "0,100000 -0,990000 0,000000"), ==, 0);
	g_assert_cmpint(store_get_imu_axis(w, 7, got), ==, -ENOENT);
	setlocale(LC_NUMERIC, "C");
	g_unsetenv("LOCPATH");
	store_close(w);
}

/* --db as both programs take it: the option first, then $SITLOG_DB, then XDG. */
static void
test_store_db_path(void)
{
	g_autofree char *opt = NULL, *env = NULL, *xdg = NULL, *none = NULL, *error = NULL;

	g_setenv("SITLOG_DB", "/somewhere/my.db", TRUE);
	g_assert_cmpint(store_db_path("/given/on/the/command/line.db", &opt, &error), ==, 0);
	g_assert_cmpstr(opt, ==, "/given/on/the/command/line.db");
	g_assert_cmpint(store_db_path(NULL, &env, &error), ==, 0);
	g_assert_cmpstr(env, ==, "/somewhere/my.db");
	g_unsetenv("SITLOG_DB");
	g_assert_cmpint(store_db_path(NULL, &xdg, &error), ==, 0);
	g_assert_cmpstr(xdg, ==, "/xdg-state-for-test-store/sitlog/sitlog.db");
	/* --db "" is no path (a usage error), and nothing is written to ret_path */
	g_assert_cmpint(store_db_path("", &none, &error), ==, -EINVAL);
	g_assert_null(none);
	g_assert_cmpstr(error, ==, "--db: an empty path");
}

/* Retention: what ended before the limit goes, a bout with its prompts; a bout or segment
 * that reaches past it stays whole, and so do the open rows named, whatever their end. */
static void
test_store_prune(struct fixture *f, gconstpointer data)
{
	struct store *w = open_ok(f->db, STORE_READ_WRITE);
	struct store_pruned n = { 0 };
	int64_t seg[4], bout[3], open_seg, open_bout;

	g_assert_cmpint(store_begin(w), ==, 0);
	for (int i = 0; i < 3; i++) {
		int64_t a = i * 100 * MIN_MS, b = a + 50 * MIN_MS;

		g_assert_cmpint(store_segment_begin(w, 0, POSTURE_SITTING, a, &seg[i]), ==, 0);
		g_assert_cmpint(store_segment_set_end(w, seg[i], b), ==, 0);
		g_assert_cmpint(store_bout_begin(w, a, &bout[i]), ==, 0);
		g_assert_cmpint(store_prompt_add(w, bout[i], a + 30 * MIN_MS, 30 * MIN_MS, 0, "due",
						 "none", NULL), ==, 0);
		g_assert_cmpint(test_close_bout(w, bout[i], b, "break", 5 * MIN_MS), ==, 0);
	}
	/* open rows whose end (the last heartbeat) lies before the limit: the daemon's own */
	g_assert_cmpint(store_segment_begin(w, 0, POSTURE_SITTING, 10 * MIN_MS, &open_seg), ==, 0);
	g_assert_cmpint(store_bout_begin(w, 10 * MIN_MS, &open_bout), ==, 0);
	g_assert_cmpint(store_commit(w), ==, 0);

	/* the limit in the middle of the second bout: the first goes, the second stays whole */
	g_assert_cmpint(store_prune(w, 120 * MIN_MS, open_seg, open_bout, &n), ==, 0);
	g_assert_cmpuint(n.segments, ==, 1);
	g_assert_cmpuint(n.bouts, ==, 1);
	g_assert_cmpuint(n.prompts, ==, 1);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM segments"), ==, 3);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM bouts"), ==, 3);
	g_assert_cmpint(count_rows(w, "SELECT count(*) FROM prompts"), ==, 2);
	/* the open rows are still there to be written */
	g_assert_cmpint(store_segment_set_end(w, open_seg, 400 * MIN_MS), ==, 0);
	g_assert_cmpint(store_bout_set_end(w, open_bout, 400 * MIN_MS, NULL), ==, 0);
	/* nothing more before the same limit */
	g_assert_cmpint(store_prune(w, 120 * MIN_MS, open_seg, open_bout, &n), ==, 0);
	g_assert_cmpuint(n.segments + n.bouts + n.prompts, ==, 0);
	store_close(w);
}

/* An empty file that was there already (touch, or a umask 022 shell) becomes the database:
 * 0600 too, as DESIGN.md promises. A file with data in it keeps the mode its owner gave. */
static void
test_store_empty_file_adopted_0600(struct fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename(f->dir, "touched.db", NULL);
	struct store *s;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(fchmod(fd, 0644), ==, 0);
	close(fd);
	s = open_ok(path, STORE_READ_WRITE);
	assert_mode(path, 0600);
	store_close(s);
}

/* A FIFO (or anything but a file) is refused at once, in both modes: opening it as SQLite
 * would hangs without a writer (alarm: a hang fails here, not at meson's timeout). */
static void
test_store_fifo_refused(struct fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename(f->dir, "fifo.db", NULL);

	g_assert_cmpint(mkfifo(path, 0600), ==, 0);
	alarm(20);
	assert_refused(path, STORE_READ_ONLY, -EINVAL, "not a regular file (a FIFO)");
	assert_refused(path, STORE_READ_WRITE, -EINVAL, "not a regular file (a FIFO)");
	assert_refused(f->dir, STORE_READ_ONLY, -EISDIR, "not a regular file (a directory)");
	assert_refused("/dev/null", STORE_READ_WRITE, -EINVAL, "not a regular file (a device)");
	alarm(0);
}

/* One writer per database: a second lock is -EBUSY until the first is let go. */
static void
test_store_lock_writer(struct fixture *f, gconstpointer data)
{
	int a, b;

	g_assert_cmpint(store_lock_writer(f->db, &a), ==, 0);
	g_assert_cmpint(store_lock_writer(f->db, &b), ==, -EBUSY);
	close(a);
	g_assert_cmpint(store_lock_writer(f->db, &b), ==, 0);
	close(b);
}

#define ADD(name, fn) g_test_add(name, struct fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main(int argc, char **argv)
{
	g_setenv("XDG_STATE_HOME", "/xdg-state-for-test-store", TRUE);
	g_test_init(&argc, &argv, NULL);

	ADD("/store/migrations-apply", test_store_migrations_apply);
	ADD("/store/reopen-is-idempotent", test_store_reopen_is_idempotent);
	ADD("/store/file-0600-dir-0700", test_store_file_0600_dir_0700);
	ADD("/store/newer-schema-refused-unchanged", test_store_newer_schema_refused_unchanged);
	ADD("/store/not-a-database-refused-unchanged", test_store_not_a_database_refused_unchanged);
	ADD("/store/corrupt-refused-unchanged", test_store_corrupt_refused_unchanged);
	ADD("/store/foreign-database-refused-unchanged",
	    test_store_foreign_database_refused_unchanged);
	ADD("/store/read-only-missing-is-enoent", test_store_read_only_missing_is_enoent);
	ADD("/store/read-only-cannot-write", test_store_read_only_cannot_write);
	ADD("/store/locked-is-ebusy", test_store_locked_is_ebusy);
	ADD("/store/unreadable-is-eacces", test_store_unreadable_is_eacces);
	ADD("/store/writer-round-trip", test_store_writer_round_trip);
	ADD("/store/prompt-heeded-rule", test_store_prompt_heeded_rule);
	ADD("/store/hostile-device-name", test_store_hostile_device_name);
	g_test_add_func("/store/default-path", test_store_default_path);
	g_test_add_func("/store/db-path", test_store_db_path);
	ADD("/store/update-missing-row-is-estale", test_store_update_missing_row_is_estale);
	ADD("/store/failed-bind-is-an-error", test_store_failed_bind_is_an_error);
	ADD("/store/without-wal-warns-once", test_store_without_wal_warns_once);
	ADD("/store/failing-migration-refused", test_store_failing_migration_refused);
	ADD("/store/close-dangling", test_store_close_dangling);
	ADD("/store/migration-3", test_store_migration_3);
	ADD("/store/state-paused-until", test_store_state_paused_until);
	ADD("/store/state-rotation", test_store_state_rotation);
	ADD("/store/state-imu-axis", test_store_state_imu_axis);
	ADD("/store/prune", test_store_prune);
	ADD("/store/lock-writer", test_store_lock_writer);
	ADD("/store/empty-file-adopted-0600", test_store_empty_file_adopted_0600);
	ADD("/store/fifo-refused", test_store_fifo_refused);
	return g_test_run();
}
