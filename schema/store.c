/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rollup.h"
#include "schema-resources.h"
#include "sitlog-limits.h"
#include "store.h"

#define SCHEMA_PREFIX "/org/sitlog/schema/"

enum stmt_id {
	STMT_DEVICE_FIND,
	STMT_DEVICE_INSERT,
	STMT_SEGMENT_INSERT,
	STMT_SEGMENT_SET_END,
	STMT_BOUT_INSERT,
	STMT_BOUT_SET_END,
	STMT_BOUT_CLOSE,
	STMT_BOUT_SHIFT,
	STMT_BOUT_CLOSE_DANGLING,
	STMT_PROMPT_EXERCISE,
	STMT_PROMPT_RESPONSE,
	STMT_PROMPTS_HEED,
	STMT_PROMPT_DELIVERY,
	STMT_PROMPT_INSERT,
	STMT_HAS_SEGMENTS,
	STMT_STATE_GET,
	STMT_STATE_SET,
	_STMT_MAX,
};

static const char *const stmt_sql[_STMT_MAX] = {
	[STMT_DEVICE_FIND] = "SELECT id FROM devices WHERE name = ?1 AND role = ?2 AND bustype = ?3 "
			     "AND vendor = ?4 AND product = ?5 AND phys = ?6 AND uniq = ?7",
	[STMT_DEVICE_INSERT] = "INSERT INTO devices (name, role, bustype, vendor, product, phys, "
			       "uniq, first_seen_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_SEGMENT_INSERT] = "INSERT INTO segments (start_ms, end_ms, posture, device_id) "
				"VALUES (?1, ?1, ?2, ?3)",
	[STMT_SEGMENT_SET_END] = "UPDATE segments SET end_ms = ?2 WHERE id = ?1",
	[STMT_BOUT_INSERT] = "INSERT INTO bouts (start_ms, end_ms) VALUES (?1, ?1)",
	[STMT_BOUT_SET_END] = "UPDATE bouts SET end_ms = ?2 WHERE id = ?1",
	[STMT_PROMPT_EXERCISE] = "UPDATE prompts SET exercise = ?2 WHERE id = ?1",
	/* the first answer stands: the close that follows a click does not overwrite it */
	[STMT_PROMPT_RESPONSE] = "UPDATE prompts SET response = ?2, response_ms = ?3 "
				 "WHERE id = ?1 AND response IS NULL",
	[STMT_BOUT_SHIFT] = "UPDATE bouts SET start_ms = start_ms + ?2, end_ms = end_ms + ?2 "
			    "WHERE id = ?1",
	[STMT_BOUT_CLOSE] = "UPDATE bouts SET end_ms = ?2, ended_by = ?3 WHERE id = ?1",
	/* at their last heartbeat, where their rows end: nothing is extended or cut */
	[STMT_BOUT_CLOSE_DANGLING] = "UPDATE bouts SET ended_by = 'crash' WHERE ended_by IS NULL",
	[STMT_PROMPTS_HEED] = "UPDATE prompts SET heeded = 1 WHERE bout_id = ?1 AND t_ms >= ?2 "
				"AND seq >= 0", /* the day's prompts (seq -1) are not a bout's */
	[STMT_PROMPT_DELIVERY] = "UPDATE prompts SET delivery = ?2 WHERE id = ?1",
	[STMT_PROMPT_INSERT] = "INSERT INTO prompts (bout_id, t_ms, bout_age_ms, seq, reason, "
			       "delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* half-open spans: a replay may begin where the data before it ends */
	[STMT_HAS_SEGMENTS] = "SELECT 1 FROM segments WHERE end_ms > ?1 AND start_ms < ?2 LIMIT 1",
	[STMT_STATE_GET] = "SELECT value FROM state WHERE key = ?1",
	[STMT_STATE_SET] = "INSERT INTO state (key, value) VALUES (?1, ?2) "
			   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

struct store {
	sqlite3 *db;
	char *path;
	char *errmsg;
	enum store_mode mode;
	bool reading; /* store_read_begin() opened the transaction */
	int reader_lock_fd; /* a shared lock on PATH.lock while read as immutable, else -1 */
	sqlite3_stmt *stmts[_STMT_MAX];
};

static int
errno_from_sqlite(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_CONSTRAINT:
		return -EINVAL; /* what was written breaks the schema's rules: no retry helps */
	case SQLITE_CANTOPEN:
		return -ENOENT;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_TOOBIG:
		return -E2BIG;
	default:
		return -EIO;
	}
}

static int
set_error(struct store *s, int rc, const char *what)
{
	int sys = s->db ? sqlite3_system_errno(s->db) : 0;

	g_free(s->errmsg);
	if ((rc & 0xff) == SQLITE_CANTOPEN && sys > 0)
		s->errmsg = g_strdup_printf("%s: %s (%s)", what, sqlite3_errstr(rc),
					    g_strerror(sys));
	else if (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) && sys > 0)
		/* "disk I/O error" alone does not say that the disk (or a quota, or
		 * RLIMIT_FSIZE) is full */
		s->errmsg = g_strdup_printf("%s: %s (%s)", what, sqlite3_errmsg(s->db),
					    g_strerror(sys));
	else
		s->errmsg = g_strdup_printf("%s: %s", what,
					    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	/* CANTOPEN says nothing of why: the OS does */
	if ((rc & 0xff) == SQLITE_CANTOPEN && (sys == EACCES || sys == EPERM))
		return -EACCES;
	if ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG || sys == EDQUOT))
		return -ENOSPC;
	return errno_from_sqlite(rc);
}

int
store_fail(struct store *s, int rc, const char *what)
{
	return set_error(s, rc, what);
}

const char *
store_errmsg(struct store *s)
{
	return s && s->errmsg ? s->errmsg : "no error";
}

const char *
store_path(struct store *s)
{
	return s->path;
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

char *
store_default_path(void)
{
	const char *env = g_getenv("SITLOG_DB");
	g_autofree char *path = NULL;

	if (env && *env)
		return g_strdup(env);
	path = g_build_filename(g_get_user_state_dir(), "sitlog", "sitlog.db", NULL);
	/* HOME="" (or a relative XDG_STATE_HOME) would put it below whatever the current
	 * directory is */
	return g_path_is_absolute(path) ? g_steal_pointer(&path) : NULL;
}

int
store_db_path(const char *opt_db, char **ret_path, char **ret_error)
{
	char *path;

	if (opt_db && !*opt_db) {
		*ret_error = g_strdup("--db: an empty path");
		return -EINVAL;
	}
	path = opt_db ? g_strdup(opt_db) : store_default_path();
	if (!path) {
		*ret_error = g_strdup("no place for the database: $HOME is empty or relative and "
				      "neither $XDG_STATE_HOME nor $SITLOG_DB names one (give --db)");
		return -ENOENT;
	}
	*ret_path = path;
	return 0;
}

/* g_ptr_array_sort() hands the comparison pointers to the elements */
static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *) a, *(const char *const *) b);
}

/* "NNN-name.sql" -> NNN. Our own resource holds nothing else: another name is a programmer
 * error, not something to skip or to number 0. */
static int
migration_number(const char *name)
{
	size_t l = strlen(name);

	if (l < 9 || !g_ascii_isdigit(name[0]) || !g_ascii_isdigit(name[1]) ||
	    !g_ascii_isdigit(name[2]) || name[3] != '-' || !g_str_has_suffix(name, ".sql"))
		g_error("schema: migration \"%s\" is not named NNN-name.sql", name);
	for (size_t i = 4; i < l - 4; i++)
		if (!g_ascii_isalnum(name[i]) && name[i] != '-' && name[i] != '_')
			g_error("schema: migration \"%s\" is not named NNN-name.sql", name);
	return (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
}

static GPtrArray *
migrations(void)
{
	/* looked up in our own resource, so nothing depends on constructors of a static lib */
	g_auto(GStrv) names = g_resource_enumerate_children(sitlog_schema_get_resource(),
							    SCHEMA_PREFIX,
							    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (size_t i = 0; names && names[i]; i++)
		if (g_str_has_suffix(names[i], ".sql"))
			g_ptr_array_add(out, g_strdup(names[i]));
	g_ptr_array_sort(out, compare_names);
	/* 001, 002, ...: a gap or a number twice would skip or repeat a step on someone's data */
	for (guint i = 0; i < out->len; i++)
		if (migration_number(out->pdata[i]) != (int) i + 1)
			g_error("schema: migration \"%s\" should be number %03u",
				(const char *) out->pdata[i], i + 1);
	return out;
}

int
store_schema_version(void)
{
	g_autoptr(GPtrArray) m = migrations();

	return m->len ? migration_number(m->pdata[m->len - 1]) : 0;
}

static int
exec(struct store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : set_error(s, rc, what);
}

static int
query_int(struct store *s, const char *sql, int *ret)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*ret = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : set_error(s, rc, "reading the database");
}

static int
migrate(struct store *s, int from)
{
	g_autoptr(GPtrArray) m = migrations();

	for (guint i = 0; i < m->len; i++) {
		const char *name = m->pdata[i];
		g_autofree char *path = g_strconcat(SCHEMA_PREFIX, name, NULL);
		g_autofree char *sql = NULL, *pragma = NULL;
		g_autoptr(GBytes) bytes = NULL;
		int n = migration_number(name), broken = 0, r;

		if (n <= from)
			continue;
		bytes = g_resource_lookup_data(sitlog_schema_get_resource(), path,
					       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
		g_assert(bytes);
		sql = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
		pragma = g_strdup_printf("PRAGMA user_version = %d", n);
		r = exec(s, "BEGIN IMMEDIATE", "starting a migration");
		if (r < 0)
			return r;
		/* re-read under the write lock: another process may have migrated meanwhile */
		r = query_int(s, "PRAGMA user_version", &from);
		if (r >= 0 && from >= n) {
			exec(s, "ROLLBACK", "migration");
			continue;
		}
		if (r >= 0)
			r = exec(s, sql, name);
		/* a migration that rebuilds a table runs with foreign keys off (store_open): what
		 * it leaves must still hold them */
		if (r >= 0)
			r = query_int(s, "SELECT count(*) FROM pragma_foreign_key_check", &broken);
		if (r >= 0 && broken > 0) {
			g_free(s->errmsg);
			s->errmsg = g_strdup_printf("%s: %d row(s) break a foreign key", name, broken);
			r = -EIO;
		}
		if (r >= 0)
			r = exec(s, pragma, name);
		if (r >= 0)
			r = exec(s, "COMMIT", name);
		if (r < 0) {
			g_autofree char *why = g_strdup(store_errmsg(s));

			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			g_free(s->errmsg);
			s->errmsg = g_strdup_printf("cannot migrate to schema version %d (%s); "
						    "rolled back, refusing to open it", n, why);
			return r;
		}
	}
	return 0;
}

/*
 * PRAGMA journal_mode = WAL answers with the mode now in force: where the file system has no
 * shared memory (some network file systems) it stays "delete". sitlogd records all the same,
 * but a reader then waits for the writer: say so, once per process.
 */
static int
enable_wal(struct store *s)
{
	static bool warned;
	g_autofree char *mode = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			mode = g_strdup((const char *) sqlite3_column_text(st, 0));
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return set_error(s, rc, "enabling WAL");
	if (g_ascii_strcasecmp(mode ? mode : "", "wal") != 0 && !warned) {
		warned = true;
		g_warning("%s: WAL unavailable (journal_mode=%s): the CLI cannot read while "
			  "sitlogd writes", s->path, mode ? mode : "unknown");
	}
	return 0;
}

/* A database is a regular file: a FIFO, a device or a socket would block or feed SQLite
 * whatever comes. Opened O_NONBLOCK (a FIFO without a writer does not hang the open) and
 * O_NOFOLLOW (as SQLite opens it). -errno and *ret_error, or 0 and *ret_fd. */
static int
open_regular(const char *path, struct stat *ret_st, int *ret_fd, char **ret_error)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	int r;

	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP)
			*ret_error = g_strdup_printf("%s: a symbolic link, refusing to follow it",
						     path);
		else
			*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-r));
		return r;
	}
	if (fstat(fd, ret_st) < 0) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-r));
		close(fd);
		return r;
	}
	if (!S_ISREG(ret_st->st_mode)) {
		*ret_error = g_strdup_printf("%s: not a regular file (%s), refusing to use it as "
					     "the database", path,
					     S_ISDIR(ret_st->st_mode) ? "a directory" :
					     S_ISFIFO(ret_st->st_mode) ? "a FIFO" :
					     S_ISSOCK(ret_st->st_mode) ? "a socket" :
					     S_ISCHR(ret_st->st_mode) || S_ISBLK(ret_st->st_mode) ?
					     "a device" : "not a file");
		close(fd);
		return S_ISDIR(ret_st->st_mode) ? -EISDIR : -EINVAL;
	}
	*ret_fd = fd;
	return 0;
}

/* Make the file ourselves with 0600 (and its directory 0700) rather than trust the umask; an
 * empty file that was there already becomes the database, so it gets 0600 too. */
static int
create_file(const char *path, char **ret_error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;
	int fd, r;

	if (g_mkdir_with_parents(dir, 0700) < 0) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: cannot create the directory: %s", dir,
					     g_strerror(-r));
		return r;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EEXIST) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: cannot create: %s", path, g_strerror(-r));
		return r;
	}
	r = open_regular(path, &st, &fd, ret_error);
	if (r < 0)
		return r;
	if (st.st_size == 0 && (st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: an empty file that cannot be made private "
					     "(chmod 0600): %s", path, g_strerror(-r));
		close(fd);
		return r;
	}
	close(fd);
	return 0;
}

/* "file:" URI of a path for sqlite3_open_v2(SQLITE_OPEN_URI): every byte but the unreserved
 * ones and '/' percent-encoded. */
static char *
file_uri(const char *path, const char *query)
{
	GString *out = g_string_new("file:");

	for (const unsigned char *p = (const unsigned char *) path; *p; p++)
		if (g_ascii_isalnum(*p) || strchr("/-._~", *p))
			g_string_append_c(out, (char) *p);
		else
			g_string_append_printf(out, "%%%02X", *p);
	g_string_append_printf(out, "?%s", query);
	return g_string_free(out, FALSE);
}

/*
 * A reader that cannot create the WAL's -shm file (the database in a read-only directory,
 * sitlogd not running: it removes -wal and -shm at exit) can still read the file as SQLite's
 * "immutable", but only if nothing can change it meanwhile: the write-ahead log is empty or
 * absent, and no writer holds PATH.lock (or can: without the lock file in a read-only
 * directory, none can be made). The shared lock taken here is held while the store is open.
 * 0 when reopened; -errno with *ret_error when the first error stands (or why not).
 */
static int
reopen_immutable(struct store *s, char **ret_error)
{
	g_autofree char *dir = g_path_get_dirname(s->path);
	g_autofree char *lock = g_strconcat(s->path, ".lock", NULL);
	g_autofree char *wal = g_strconcat(s->path, "-wal", NULL);
	g_autofree char *uri = NULL;
	struct stat st;
	int fd, rc;

	/* a directory this user may not write, or a read-only file system (a backup) */
	if (access(dir, W_OK) == 0 || (errno != EACCES && errno != EPERM && errno != EROFS))
		return -EAGAIN; /* the directory is not why: the first error stands */
	if (lstat(wal, &st) == 0 && st.st_size > 0) {
		*ret_error = g_strdup_printf("%s: cannot read it: it has a write-ahead log (%s) "
					     "and its directory %s is not writable for this user",
					     s->path, wal, dir);
		return -EACCES;
	}
	fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		int r = -errno;

		*ret_error = g_strdup_printf("%s: cannot read it from a directory that is not "
					     "writable for this user (%s), and cannot tell whether "
					     "sitlogd writes it: %s: %s", s->path, dir, lock,
					     g_strerror(-r));
		return r;
	}
	if (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) < 0) {
		int r = errno == EWOULDBLOCK ? -EBUSY : -errno;

		*ret_error = g_strdup_printf("%s: cannot read it while sitlogd writes it: its "
					     "directory %s is not writable for this user", s->path,
					     dir);
		close(fd);
		return r;
	}
	sqlite3_close(s->db);
	s->db = NULL;
	uri = file_uri(s->path, "mode=ro&immutable=1");
	rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW |
			     SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		int r = set_error(s, rc, "opening (read-only, immutable)");

		*ret_error = g_strdup_printf("%s: %s", s->path, store_errmsg(s));
		if (fd >= 0)
			close(fd);
		return r;
	}
	sqlite3_extended_result_codes(s->db, 1);
	s->reader_lock_fd = fd;
	return 0;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < _STMT_MAX; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	if (s->reader_lock_fd >= 0)
		close(s->reader_lock_fd);
	g_free(s->path);
	g_free(s->errmsg);
	g_free(s);
}

/*
 * Our tables, or nothing yet: anything else is someone else's database.
 *
 * No PRAGMA quick_check here: it reads every page (seconds on years of data, at every start
 * of the daemon and every `sitlog report`). The header is checked by the first read (NOTADB),
 * the schema by the queries below; corruption inside a table surfaces as SQLITE_CORRUPT from
 * the statement that meets it (-EBADMSG), and nothing here ever rewrites a page to repair it.
 */
static int
check_ours(struct store *s, int version, char **ret_error)
{
	int foreign = 0, ours = 0, r;

	if (version > store_schema_version()) {
		*ret_error = g_strdup_printf("%s: database schema version %d is newer than this "
					     "sitlog (%d); upgrade sitlog, refusing to touch it",
					     s->path, version, store_schema_version());
		return -EPROTO;
	}
	if (version > 0) {
		/* migration 1's tables; another program's user_version is no proof */
		r = query_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
				 "IN ('devices', 'segments', 'bouts', 'prompts', 'state')", &ours);
		if (r < 0) {
			*ret_error = g_strdup_printf("%s: not a sitlog database (%s), refusing to "
						     "touch it", s->path, store_errmsg(s));
			return r;
		}
		if (ours != 5) {
			*ret_error = g_strdup_printf("%s: not a sitlog database (schema version %d "
						     "without sitlog's tables), refusing to touch it",
						     s->path, version);
			return -EBADMSG;
		}
		return 0;
	}
	r = query_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &foreign);
	if (r < 0) {
		*ret_error = g_strdup_printf("%s: not a sitlog database (%s), refusing to touch it",
					     s->path, store_errmsg(s));
		return r;
	}
	if (foreign > 0) {
		*ret_error = g_strdup_printf("%s: not a sitlog database (it holds other tables), "
					     "refusing to touch it", s->path);
		return -EBADMSG;
	}
	return 0;
}

/* The writer's files are the user's alone: a database of ours that others may read (left
 * 0644 or 0666 by a copy, an archive, a umask) is made private once it is known to be ours,
 * the owner's bits kept; the WAL and shm files take the database's mode, but make sure. */
static void
make_private(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & 077) && st.st_uid == geteuid())
		(void) g_chmod(path, st.st_mode & 0700);
	for (const char *const *suffix = (const char *const[]) { "-wal", "-shm", NULL }; *suffix;
	     suffix++) {
		g_autofree char *p = g_strconcat(path, *suffix, NULL);

		if (g_file_test(p, G_FILE_TEST_EXISTS))
			(void) g_chmod(p, 0600);
	}
}

int
store_open(const char *path, enum store_mode mode, struct store **ret, char **ret_error)
{
	g_autofree char *error = NULL;
	struct store *s;
	int version = 0, rc, r, flags;

	if (mode == STORE_READ_ONLY) {
		struct stat st;
		int fd;

		if (lstat(path, &st) < 0 && errno == ENOENT) {
			*ret_error = g_strdup_printf("no database at %s (sitlogd has not recorded "
						     "anything yet)", path);
			return -ENOENT;
		}
		r = open_regular(path, &st, &fd, ret_error);
		if (r < 0)
			return r;
		close(fd);
	}
	if (mode == STORE_READ_WRITE) {
		r = create_file(path, ret_error);
		if (r < 0)
			return r;
	}

	s = g_new0(struct store, 1);
	s->path = g_strdup(path);
	s->mode = mode;
	s->reader_lock_fd = -1;
	flags = (mode == STORE_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		SQLITE_OPEN_NOFOLLOW;
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		r = set_error(s, rc, "opening");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	/* SQLite opens a file it may not write read-only without a word: every write would fail
	 * later, and a writer would run on recording nothing */
	if (mode == STORE_READ_WRITE && sqlite3_db_readonly(s->db, "main") == 1) {
		error = g_strdup_printf("%s: read-only for this user (%s): cannot write into it",
					path, g_strerror(access(path, W_OK) < 0 ? errno : EROFS));
		r = -EROFS;
		goto fail;
	}

	/* The first read of the header tells a database from anything else. */
	r = query_int(s, "PRAGMA user_version", &version);
	if (mode == STORE_READ_ONLY && (r == -EROFS || r == -ENOENT || r == -EACCES)) {
		/* no -shm for the WAL: a read-only directory */
		int e = reopen_immutable(s, &error);

		if (e == 0)
			r = query_int(s, "PRAGMA user_version", &version);
		else if (e != -EAGAIN)
			r = e;
	}
	if (r < 0) {
		if (r == -EBADMSG && !error)
			error = g_strdup_printf("%s: not a sitlog database (%s), refusing to touch it",
						path, sqlite3_errmsg(s->db));
		goto fail;
	}
	r = check_ours(s, version, &error);
	if (r < 0)
		goto fail;

	if (mode == STORE_READ_WRITE) {
		/* migrations may rebuild a table that others refer to (SQLite's way to change a
		 * constraint): foreign keys are off while they run, and checked before each commit */
		r = exec(s, "PRAGMA foreign_keys = OFF", "disabling foreign keys");
		if (r >= 0)
			r = enable_wal(s);
		if (r >= 0)
			r = exec(s, "PRAGMA synchronous = NORMAL", "setting synchronous");
		if (r >= 0)
			r = migrate(s, version);
		if (r < 0)
			goto fail;
		make_private(path);
	} else if (version == 0) {
		error = g_strdup_printf("%s: empty database (sitlogd has not recorded anything yet)",
					path);
		r = -ENOENT;
		goto fail;
	}
	r = exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys");
	if (r < 0)
		goto fail;
	*ret = s;
	return 0;

fail:
	*ret_error = error ? g_steal_pointer(&error) :
			     g_strdup_printf("%s: %s", path, store_errmsg(s));
	store_close(s);
	return r;
}

int
store_begin(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE", "starting a transaction");
}

int
store_commit(struct store *s)
{
	/* the roll-up follows the rows in the same transaction: it is never stale on disk */
	int r = s->mode == STORE_READ_WRITE ? rollup_flush(s) : 0;

	if (r < 0)
		return r;
	return exec(s, "COMMIT", "committing");
}

int
store_read_begin(struct store *s)
{
	int r;

	/* inside a writer's own transaction, that one is the snapshot */
	if (!sqlite3_get_autocommit(s->db))
		return 0;
	r = exec(s, "BEGIN DEFERRED", "starting to read");
	s->reading = r >= 0;
	return r;
}

int
store_read_end(struct store *s)
{
	if (!s->reading)
		return 0;
	s->reading = false;
	if (sqlite3_get_autocommit(s->db))
		return 0;
	return exec(s, "COMMIT", "ending a read");
}

int
store_rollback(struct store *s)
{
	if (!s || sqlite3_get_autocommit(s->db))
		return 0;
	return exec(s, "ROLLBACK", "rolling back");
}

static sqlite3_stmt *
stmt(struct store *s, enum stmt_id id, int *ret)
{
	sqlite3_stmt *st = s->stmts[id];
	int rc;

	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id],
				NULL);
	if (rc != SQLITE_OK) {
		*ret = set_error(s, rc, "preparing a statement");
		return NULL;
	}
	return s->stmts[id];
}

/*
 * Binding: each call records the first failure in *rc and does nothing after one, so that a
 * function checks once, with bound(), before it steps. Unchecked, a failed bind (a text longer
 * than SQLITE_LIMIT_LENGTH: SQLITE_TOOBIG) would leave the parameter NULL and write that.
 */
static void
bind_int64(sqlite3_stmt *st, int i, int64_t v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(st, i, v);
}

static void
bind_int(sqlite3_stmt *st, int i, int v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int(st, i, v);
}

/* NULL binds SQL NULL. */
static void
bind_text(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

static int
bound(struct store *s, int rc, const char *what)
{
	return rc == SQLITE_OK ? 0 : set_error(s, rc, what);
}

/* Step a write statement to its end, once its parameters are bound (rc from the bind_*()). */
static int
run(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	int r = bound(s, rc, what);

	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return set_error(s, rc, what);
	return 0;
}

/* The same for an UPDATE of one row by its id: no row changed means the caller's id is stale
 * (a row rolled back, or never written), which the caller must hear of. */
static int
run_one(struct store *s, sqlite3_stmt *st, int rc, int64_t id, const char *what)
{
	int r = run(s, st, rc, what);

	if (r < 0)
		return r;
	if (sqlite3_changes(s->db) == 0) {
		g_free(s->errmsg);
		s->errmsg = g_strdup_printf("%s: row %" G_GINT64_FORMAT " does not exist", what,
					    id);
		return -ESTALE;
	}
	return 0;
}

int
store_device_ensure(struct store *s, const struct store_device *d, int64_t now_ms,
		    int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = 0, rc;

	for (int pass = 0; pass < 2; pass++) {
		st = stmt(s, pass == 0 ? STMT_DEVICE_FIND : STMT_DEVICE_INSERT, &r);
		if (!st)
			return r;
		rc = SQLITE_OK;
		bind_text(st, 1, d->name, &rc);
		bind_text(st, 2, d->role, &rc);
		bind_int(st, 3, (int) d->bustype, &rc);
		bind_int(st, 4, (int) d->vendor, &rc);
		bind_int(st, 5, (int) d->product, &rc);
		bind_text(st, 6, d->phys ? d->phys : "", &rc);
		bind_text(st, 7, d->uniq ? d->uniq : "", &rc);
		if (pass == 0) {
			r = bound(s, rc, "looking up a device");
			if (r < 0)
				return r;
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				*ret_id = sqlite3_column_int64(st, 0);
				sqlite3_reset(st);
				return 0;
			}
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return set_error(s, rc, "looking up a device");
		} else {
			bind_int64(st, 8, now_ms, &rc);
			r = run(s, st, rc, "adding a device");
			if (r < 0)
				return r;
			*ret_id = sqlite3_last_insert_rowid(s->db);
		}
	}
	return 0;
}

int
store_segment_begin(struct store *s, int64_t device_id, enum posture p, int64_t start_ms,
		    int64_t *ret_id)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_SEGMENT_INSERT, &r);

	if (!st)
		return r;
	bind_int64(st, 1, start_ms, &rc);
	bind_text(st, 2, posture_to_string(p), &rc);
	if (device_id > 0)
		bind_int64(st, 3, device_id, &rc);
	else
		bind_text(st, 3, NULL, &rc);
	r = run(s, st, rc, "adding a segment");
	if (r < 0)
		return r;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* UPDATE ... WHERE id = ?1 with one number ?2. */
static int
set_number(struct store *s, enum stmt_id id, int64_t row, int64_t v, const char *what)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, id, &r);

	if (!st)
		return r;
	bind_int64(st, 1, row, &rc);
	bind_int64(st, 2, v, &rc);
	return run_one(s, st, rc, row, what);
}

/* UPDATE ... WHERE id = ?1 with one text ?2 (NULL: SQL NULL). */
static int
set_text(struct store *s, enum stmt_id id, int64_t row, const char *v, const char *what)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, id, &r);

	if (!st)
		return r;
	bind_int64(st, 1, row, &rc);
	bind_text(st, 2, v, &rc);
	return run_one(s, st, rc, row, what);
}

int
store_segment_set_end(struct store *s, int64_t id, int64_t end_ms)
{
	return set_number(s, STMT_SEGMENT_SET_END, id, end_ms, "ending a segment");
}

int
store_bout_begin(struct store *s, int64_t start_ms, int64_t *ret_id)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_BOUT_INSERT, &r);

	if (!st)
		return r;
	bind_int64(st, 1, start_ms, &rc);
	r = run(s, st, rc, "adding a bout");
	if (r < 0)
		return r;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_bout_set_end(struct store *s, int64_t id, int64_t end_ms, const char *ended_by)
{
	sqlite3_stmt *st;
	int r = 0, rc = SQLITE_OK;

	if (!ended_by)
		return set_number(s, STMT_BOUT_SET_END, id, end_ms, "extending a bout");
	st = stmt(s, STMT_BOUT_CLOSE, &r);
	if (!st)
		return r;
	bind_int64(st, 1, id, &rc);
	bind_int64(st, 2, end_ms, &rc);
	bind_text(st, 3, ended_by, &rc);
	return run_one(s, st, rc, id, "ending a bout");
}

int
store_close_dangling(struct store *s, int *ret_n)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_BOUT_CLOSE_DANGLING, &r);

	if (!st)
		return r;
	/* none open: nothing to change is no error */
	r = run(s, st, rc, "closing bouts left open");
	if (r < 0)
		return r;
	if (ret_n)
		*ret_n = sqlite3_changes(s->db);
	return 0;
}

int
store_prompts_set_heeded(struct store *s, int64_t bout_id, int64_t from_ms)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_PROMPTS_HEED, &r);

	if (!st)
		return r;
	bind_int64(st, 1, bout_id, &rc);
	bind_int64(st, 2, from_ms, &rc);
	/* none heeded, or a bout without prompts: no row to change is no error */
	return run(s, st, rc, "marking heeded prompts");
}

int
store_prompt_set_delivery(struct store *s, int64_t id, const char *delivery)
{
	return set_text(s, STMT_PROMPT_DELIVERY, id, delivery, "noting a prompt's delivery");
}

int
store_lock_writer(const char *db_path, int *ret_fd)
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

static int
prune_step(struct store *s, const char *sql, int64_t before_ms, int64_t keep, unsigned *ret_n,
	   const char *what)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, before_ms);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, keep);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return set_error(s, rc, what);
	*ret_n = (unsigned) sqlite3_changes(s->db);
	return 0;
}

int
store_prune(struct store *s, int64_t before_ms, int64_t keep_segment, int64_t keep_bout,
	    struct store_pruned *ret)
{
	struct store_pruned n = { 0 };
	int r;

	/* a bout is pruned whole, with its prompts, once all of it lies before the limit */
	r = prune_step(s, "DELETE FROM prompts WHERE bout_id IN (SELECT id FROM bouts "
			  "WHERE end_ms < ?1 AND id != ?2)", before_ms, keep_bout, &n.prompts,
		       "pruning prompts");
	if (r >= 0)
		r = prune_step(s, "DELETE FROM bouts WHERE end_ms < ?1 AND id != ?2", before_ms,
			       keep_bout, &n.bouts, "pruning bouts");
	if (r >= 0)
		r = prune_step(s, "DELETE FROM segments WHERE end_ms < ?1 AND id != ?2", before_ms,
			       keep_segment, &n.segments, "pruning segments");
	if (r < 0)
		return r;
	*ret = n;
	return 0;
}

void
store_set_busy_timeout(struct store *s, int ms)
{
	sqlite3_busy_timeout(s->db, ms);
}

int
store_bout_shift(struct store *s, int64_t id, int64_t delta_ms)
{
	return set_number(s, STMT_BOUT_SHIFT, id, delta_ms, "moving a bout");
}

int
store_prompt_add(struct store *s, int64_t bout_id, int64_t t_ms, int64_t bout_age_ms, int seq,
		 const char *reason, const char *delivery, int64_t *ret_id)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_PROMPT_INSERT, &r);

	if (!st)
		return r;
	bind_int64(st, 1, bout_id, &rc);
	bind_int64(st, 2, t_ms, &rc);
	bind_int64(st, 3, bout_age_ms, &rc);
	bind_int(st, 4, seq, &rc);
	bind_text(st, 5, reason, &rc);
	bind_text(st, 6, delivery, &rc);
	r = run(s, st, rc, "adding a prompt");
	if (r < 0)
		return r;
	if (ret_id)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_prompt_set_exercise(struct store *s, int64_t id, const char *exercise)
{
	return set_text(s, STMT_PROMPT_EXERCISE, id, exercise, "noting a prompt's exercise");
}

int
store_prompt_set_response(struct store *s, int64_t id, const char *response, int64_t ms)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_PROMPT_RESPONSE, &r);

	if (!st)
		return r;
	bind_int64(st, 1, id, &rc);
	bind_text(st, 2, response, &rc);
	bind_int64(st, 3, ms, &rc);
	r = run(s, st, rc, "recording a prompt's response");
	if (r < 0)
		return r;
	return sqlite3_changes(s->db) > 0;
}

int
store_has_segments_between(struct store *s, int64_t from_ms, int64_t to_ms, bool *ret)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_HAS_SEGMENTS, &r);

	if (!st)
		return r;
	bind_int64(st, 1, from_ms, &rc);
	bind_int64(st, 2, to_ms, &rc);
	r = bound(s, rc, "looking for segments");
	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return set_error(s, rc, "looking for segments");
	*ret = rc == SQLITE_ROW;
	return 0;
}

int
store_state_get(struct store *s, const char *key, char **ret_value)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_STATE_GET, &r);

	if (!st)
		return r;
	bind_text(st, 1, key, &rc);
	r = bound(s, rc, "reading state");
	if (r < 0)
		return r;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_value = g_strdup((const char *) sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return set_error(s, rc, "reading state");
	return -ENOENT;
}

int
store_state_set(struct store *s, const char *key, const char *value)
{
	int r = 0, rc = SQLITE_OK;
	sqlite3_stmt *st = stmt(s, STMT_STATE_SET, &r);

	if (!st)
		return r;
	bind_text(st, 1, key, &rc);
	bind_text(st, 2, value, &rc);
	return run(s, st, rc, "writing state");
}

#define KEY_PAUSED_UNTIL "paused-until"
#define KEY_ROTATION "exercise-rotation"
#define KEY_IMU_AXIS_FORMAT "imu-axis:%" G_GINT64_FORMAT

/* A decimal with nothing around it (no sign, no spaces), as the writers below write them. */
static bool
parse_decimal(const char *s, guint64 max, guint64 *ret)
{
	return g_ascii_isdigit(s[0]) && g_ascii_string_to_unsigned(s, 10, 0, max, ret, NULL);
}

int
store_get_paused_until(struct store *s, int64_t *ret_ms)
{
	g_autofree char *value = NULL;
	guint64 ms;
	int r = store_state_get(s, KEY_PAUSED_UNTIL, &value);

	if (r < 0)
		return r;
	if (!parse_decimal(value, (guint64) (SITLOG_WALL_MAX_US / 1000), &ms) || ms == 0)
		return -ENOENT;
	*ret_ms = (int64_t) ms;
	return 0;
}

int
store_set_paused_until(struct store *s, int64_t ms)
{
	char value[32];

	if (ms < 0 || ms > SITLOG_WALL_MAX_US / 1000)
		return -EINVAL;
	g_snprintf(value, sizeof(value), "%" G_GINT64_FORMAT, ms);
	return store_state_set(s, KEY_PAUSED_UNTIL, value);
}

int
store_get_rotation(struct store *s, unsigned ret[3])
{
	g_autofree char *value = NULL;
	g_auto(GStrv) parts = NULL;
	unsigned v[3];
	int r = store_state_get(s, KEY_ROTATION, &value);

	if (r < 0)
		return r;
	parts = g_strsplit(value, " ", -1);
	if (g_strv_length(parts) != 3)
		return -ENOENT;
	for (int i = 0; i < 3; i++) {
		guint64 n;

		if (!parse_decimal(parts[i], G_MAXUINT, &n))
			return -ENOENT;
		v[i] = (unsigned) n;
	}
	memcpy(ret, v, sizeof(v));
	return 0;
}

int
store_set_rotation(struct store *s, const unsigned v[3])
{
	char value[64];

	g_snprintf(value, sizeof(value), "%u %u %u", v[0], v[1], v[2]);
	return store_state_set(s, KEY_ROTATION, value);
}

int
store_get_imu_axis(struct store *s, int64_t device_id, double ret_axis[3])
{
	g_autofree char *key = g_strdup_printf(KEY_IMU_AXIS_FORMAT, device_id), *value = NULL;
	g_auto(GStrv) parts = NULL;
	double v[3];
	int r = store_state_get(s, key, &value);

	if (r < 0)
		return r;
	parts = g_strsplit(value, " ", -1);
	if (g_strv_length(parts) != 3)
		return -ENOENT;
	for (int i = 0; i < 3; i++) {
		char *end;

		errno = 0;
		v[i] = g_ascii_strtod(parts[i], &end);
		if (end == parts[i] || *end != '\0' || errno != 0 || !isfinite(v[i]))
			return -ENOENT;
	}
	memcpy(ret_axis, v, sizeof(v));
	return 0;
}

int
store_set_imu_axis(struct store *s, int64_t device_id, const double axis[3])
{
	g_autofree char *key = g_strdup_printf(KEY_IMU_AXIS_FORMAT, device_id), *value = NULL;
	char buf[3][G_ASCII_DTOSTR_BUF_SIZE];

	for (int i = 0; i < 3; i++)
		if (!isfinite(axis[i]))
			return -EINVAL;
	/* C locale numbers whatever the user's locale */
	value = g_strdup_printf("%s %s %s",
				g_ascii_formatd(buf[0], sizeof(buf[0]), "%.6f", axis[0]),
				g_ascii_formatd(buf[1], sizeof(buf[1]), "%.6f", axis[1]),
				g_ascii_formatd(buf[2], sizeof(buf[2]), "%.6f", axis[2]));
	return store_state_set(s, key, value);
}

/* Reader side: one-off statements, stepped with the caller's callback. */
static int
foreach(struct store *s, const char *sql, int64_t from_ms, int64_t to_ms,
	int (*row)(struct store *s, sqlite3_stmt *st, void *cb, void *userdata), void *cb,
	void *userdata)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), r = 0;

	if (rc != SQLITE_OK)
		return set_error(s, rc, "preparing a query");
	bind_int64(st, 1, from_ms, &rc);
	bind_int64(st, 2, to_ms, &rc);
	if (rc != SQLITE_OK) {
		r = set_error(s, rc, "reading");
		sqlite3_finalize(st);
		return r;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = row(s, st, cb, userdata);
		if (r < 0)
			break;
	}
	if (r >= 0 && rc != SQLITE_DONE)
		r = set_error(s, rc, "reading");
	sqlite3_finalize(st);
	return r;
}

static int
segment_row(struct store *s, sqlite3_stmt *st, void *cb, void *userdata)
{
	struct store_segment seg = {
		.id = sqlite3_column_int64(st, 0),
		.start_ms = sqlite3_column_int64(st, 1),
		.end_ms = sqlite3_column_int64(st, 2),
		.device = (const char *) sqlite3_column_text(st, 4),
	};
	int p = posture_from_string((const char *) sqlite3_column_text(st, 3));

	seg.posture = p < 0 ? POSTURE_UNKNOWN : (enum posture) p;
	return ((store_segment_cb) cb)(&seg, userdata);
}

int
store_foreach_segment(struct store *s, int64_t from_ms, int64_t to_ms, store_segment_cb cb,
		      void *userdata)
{
	return foreach(s,
		       "SELECT s.id, s.start_ms, s.end_ms, s.posture, d.name FROM segments s "
		       "LEFT JOIN devices d ON d.id = s.device_id "
		       "WHERE s.end_ms > ?1 AND s.start_ms < ?2 ORDER BY s.start_ms, s.id",
		       from_ms, to_ms, segment_row, (void *) cb, userdata);
}

static int
bout_row(struct store *s, sqlite3_stmt *st, void *cb, void *userdata)
{
	struct store_bout b = {
		.id = sqlite3_column_int64(st, 0),
		.start_ms = sqlite3_column_int64(st, 1),
		.end_ms = sqlite3_column_int64(st, 2),
		.ended_by = (const char *) sqlite3_column_text(st, 3),
	};

	return ((store_bout_cb) cb)(&b, userdata);
}

int
store_foreach_bout(struct store *s, int64_t from_ms, int64_t to_ms, store_bout_cb cb,
		   void *userdata)
{
	return foreach(s,
		       "SELECT id, start_ms, end_ms, ended_by FROM bouts "
		       "WHERE start_ms >= ?1 AND start_ms < ?2 ORDER BY start_ms, id",
		       from_ms, to_ms, bout_row, (void *) cb, userdata);
}

static int
prompt_row(struct store *s, sqlite3_stmt *st, void *cb, void *userdata)
{
	struct store_prompt p = {
		.id = sqlite3_column_int64(st, 0),
		.bout_id = sqlite3_column_int64(st, 1),
		.t_ms = sqlite3_column_int64(st, 2),
		.bout_age_ms = sqlite3_column_int64(st, 3),
		.seq = sqlite3_column_int(st, 4),
		.reason = (const char *) sqlite3_column_text(st, 5),
		.delivery = (const char *) sqlite3_column_text(st, 6),
		.heeded = sqlite3_column_int(st, 7) != 0,
		.response = (const char *) sqlite3_column_text(st, 8),
		.exercise = (const char *) sqlite3_column_text(st, 9),
	};

	return ((store_prompt_cb) cb)(&p, userdata);
}

int
store_foreach_prompt(struct store *s, int64_t from_ms, int64_t to_ms, store_prompt_cb cb,
		     void *userdata)
{
	return foreach(s,
		       "SELECT id, bout_id, t_ms, bout_age_ms, seq, reason, delivery, heeded, "
		       "response, exercise FROM prompts WHERE t_ms >= ?1 AND t_ms < ?2 "
		       "ORDER BY t_ms, id",
		       from_ms, to_ms, prompt_row, (void *) cb, userdata);
}
