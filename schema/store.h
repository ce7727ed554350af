/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The store: sitlog's SQLite database, shared by sitlogd (the only writer) and the sitlog CLI
 * (read-only). Migrations live in schema/NNN-*.sql and are applied in order at open, tracked by
 * PRAGMA user_version. Times are UTC milliseconds since the epoch.
 *
 * Errors are negative errno values; a human-readable reason is kept in store_errmsg() or, for
 * store_open(), handed back in *ret_error (caller frees with g_free()).
 *   -ENOENT   database missing (read-only open)
 *   -EBADMSG  not a database, or corrupt
 *   -EPROTO   schema newer than this binary
 *   -EBUSY    locked by another writer
 *   -ENOSPC   disk full
 *   -EIO      anything else
 */

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "posture.h"

struct store;

enum store_mode {
	/* reads; where the WAL's -shm cannot be made (a directory this user may not write, a
	 * read-only file system) it reads the file as immutable, if no writer holds or can take
	 * PATH.lock and the WAL is empty (a shared lock on PATH.lock is held meanwhile) */
	STORE_READ_ONLY,
	/* creates the file (0600; an empty file there already is made 0600 too) and its
	 * directory (0700), migrates; a file this user may not write is -EROFS */
	STORE_READ_WRITE,
};
/* Either mode refuses what is not a regular file (a FIFO, a device: -EINVAL, a directory:
 * -EISDIR) and a symbolic link, without blocking. */

struct store_device {
	const char *name;
	const char *role; /* "seat" or "imu" */
	unsigned bustype, vendor, product;
	const char *phys;
	const char *uniq;
};

struct store_segment {
	int64_t id;
	int64_t start_ms, end_ms;
	enum posture posture;
	const char *device; /* name, or NULL */
};

struct store_bout {
	int64_t id;
	int64_t start_ms, end_ms;
	const char *ended_by; /* "break", "end", "crash"; NULL while open */
};

struct store_prompt {
	int64_t id;
	int64_t bout_id;
	int64_t t_ms;
	int64_t bout_age_ms;
	int seq;
	const char *reason;
	const char *delivery;
	bool heeded;
	const char *response; /* NULL until answered */
	const char *exercise; /* the catalogue id it suggested, NULL: none */
};

/* Highest migration this binary knows. */
int store_schema_version(void);

/* $SITLOG_DB, else $XDG_STATE_HOME/sitlog/sitlog.db (~/.local/state/...); NULL when that is
 * not an absolute path (HOME=""). g_free() the result. */
char *store_default_path(void);
/* --db as sitlogd and sitlog both take it: the option's path if given, else
 * store_default_path(), into *ret_path (g_free()). -EINVAL for --db "" (a usage error),
 * -ENOENT when there is no default (no usable home); *ret_error says so (g_free()). */
int store_db_path(const char *opt_db, char **ret_path, char **ret_error);

int store_open(const char *path, enum store_mode mode, struct store **ret, char **ret_error);
void store_close(struct store *s);
const char *store_errmsg(struct store *s);
const char *store_path(struct store *s);
sqlite3 *store_db(struct store *s);

/* One writer per database: an exclusive lock on PATH.lock (its directory made 0700), held
 * until *ret_fd is closed. -EBUSY when another process (a sitlogd, a replay, a prune) holds it.
 * sitlogd takes it for its lifetime, `sitlog prune` for its write. */
int store_lock_writer(const char *path, int *ret_fd);

/* Retention: what ended before before_ms is deleted (segments; bouts and their prompts),
 * except the rows still open (keep_segment, keep_bout: row ids, 0 for none). */
struct store_pruned {
	unsigned segments, bouts, prompts;
};
int store_prune(struct store *s, int64_t before_ms, int64_t keep_segment, int64_t keep_bout,
		struct store_pruned *ret);

/* How long a write waits for another process's lock before -EBUSY (default 5000 ms). */
void store_set_busy_timeout(struct store *s, int ms);

int store_begin(struct store *s);
/* Brings the daily roll-up up to date (schema/rollup.h) inside the transaction, then commits. */
int store_commit(struct store *s);
int store_rollback(struct store *s);
/* One snapshot for several queries of a reader (WAL: the writer goes on meanwhile). */
int store_read_begin(struct store *s);
int store_read_end(struct store *s);

/* For the store's own modules (rollup.c): note what failed with SQLite's rc; returns -errno. */
int store_fail(struct store *s, int rc, const char *what);

/* Writer side. */
int store_device_ensure(struct store *s, const struct store_device *d, int64_t now_ms,
			int64_t *ret_id);
int store_segment_begin(struct store *s, int64_t device_id, enum posture p, int64_t start_ms,
			int64_t *ret_id);
int store_segment_set_end(struct store *s, int64_t id, int64_t end_ms);
int store_bout_begin(struct store *s, int64_t start_ms, int64_t *ret_id);
/* ended_by NULL keeps the bout open (heartbeat). */
int store_bout_set_end(struct store *s, int64_t id, int64_t end_ms, const char *ended_by);
/* Bouts still open (ended_by NULL) when no writer runs were left by a sitlogd that died with
 * them open: end them with ended_by "crash" where their rows end (end_ms, the last heartbeat);
 * their segments stay as they are. *ret_n (may be NULL): how many. Call it only as the one
 * writer (sitlogd holds the database's lock), before a session opens bouts of its own. */
int store_close_dangling(struct store *s, int *ret_n);
/* Mark the bout's prompts issued at or after from_ms heeded (the core decides from_ms:
 * tracker.h, TRACKER_BOUT_END). */
int store_prompts_set_heeded(struct store *s, int64_t bout_id, int64_t from_ms);
/* A prompt's delivery, when showing it failed after it was written. */
int store_prompt_set_delivery(struct store *s, int64_t id, const char *delivery);
/* Move an open bout's start (a wall-clock jump: its length stays the time actually sat). */
int store_bout_shift(struct store *s, int64_t id, int64_t delta_ms);
int store_prompt_add(struct store *s, int64_t bout_id, int64_t t_ms, int64_t bout_age_ms, int seq,
		     const char *reason, const char *delivery, int64_t *ret_id);
int store_prompt_set_exercise(struct store *s, int64_t id, const char *exercise);
/* Does any segment overlap [from_ms, to_ms)? Spans are half-open: one that ends at from_ms or
 * begins at to_ms does not. */
/* The user's answer to a prompt ("done", "snoozed", "dismissed", "expired", "auto-closed"): only
 * the first is kept. Returns 1 when recorded, 0 when the prompt already had one. */
int store_prompt_set_response(struct store *s, int64_t id, const char *response, int64_t ms);
int store_has_segments_between(struct store *s, int64_t from_ms, int64_t to_ms, bool *ret);
int store_state_get(struct store *s, const char *key, char **ret_value); /* -ENOENT if unset */
int store_state_set(struct store *s, const char *key, const char *value);

/*
 * The state that sitlogd and the CLI share, typed. The keys and value formats are those of
 * earlier versions, so that existing databases keep working; a value that does not parse
 * counts as unset (-ENOENT), never as an error.
 */
/* "paused-until": wall-clock ms (decimal) until which prompts are paused; "0" or unset: not
 * paused (-ENOENT). */
int store_get_paused_until(struct store *s, int64_t *ret_ms);
/* 0: not paused; else 1..SITLOG_WALL_MAX_US/1000 (-EINVAL otherwise). */
int store_set_paused_until(struct store *s, int64_t ms);
/* "exercise-rotation": "KIND POS0 POS1", three unsigned decimals. */
int store_get_rotation(struct store *s, unsigned ret[3]);
int store_set_rotation(struct store *s, const unsigned v[3]);
/* "imu-axis:<device id>": the learned thigh axis, "%.6f %.6f %.6f" in the C locale whatever
 * the process's locale; finite numbers only (-EINVAL otherwise). */
int store_get_imu_axis(struct store *s, int64_t device_id, double ret_axis[3]);
int store_set_imu_axis(struct store *s, int64_t device_id, const double axis[3]);

/* Reader side: callbacks return 0 to go on, negative to stop (returned as is). */
typedef int (*store_segment_cb)(const struct store_segment *seg, void *userdata);
typedef int (*store_bout_cb)(const struct store_bout *b, void *userdata);
typedef int (*store_prompt_cb)(const struct store_prompt *p, void *userdata);

/* Segments overlapping [from_ms, to_ms), in start order. */
int store_foreach_segment(struct store *s, int64_t from_ms, int64_t to_ms, store_segment_cb cb,
			  void *userdata);
/* Bouts starting in [from_ms, to_ms), in start order. */
int store_foreach_bout(struct store *s, int64_t from_ms, int64_t to_ms, store_bout_cb cb,
		       void *userdata);
/* Prompts issued in [from_ms, to_ms), in time order. */
int store_foreach_prompt(struct store *s, int64_t from_ms, int64_t to_ms, store_prompt_cb cb,
			 void *userdata);
