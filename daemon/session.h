/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The session: the one owner of the pipeline core → recorder → store → prompt delivery.
 * Sources (live.c with evdev-source.c, replay.c) only produce devices, input frames, time and
 * desktop facts; everything they cause goes through the calls below, so live and replay
 * cannot drift apart.
 *
 * Writes: decisions are taken off the core as they come and kept in a pending queue; a commit
 * writes the queue in one transaction and only then shows the prompts it holds. A failed
 * transaction rolls back, the recorder's state is put back and the queue is kept, to be
 * written at the next commit (retried with a growing delay); when more than
 * SESSION_MAX_PENDING decisions wait, the session gives up and the caller exits non-zero.
 * Nothing is dropped silently and no row id of a rolled-back write is kept.
 *
 * Bounded: decisions are written in batches of SESSION_BATCH, so memory does not grow with the
 * input however long a gap in it is.
 *
 * Atomic sessions (replay) run in one transaction from session_new() to session_finish(): a
 * failure anywhere leaves the database as it was; their prompts are shown after that commit.
 */

#include <stdbool.h>
#include <stdint.h>

#include "device-kind.h"
#include "notifier.h"
#include "sitlog-conf.h"
#include "store.h"
#include "tracker.h"

/* Decisions written per transaction at most (a commit comes sooner in live mode). */
#define SESSION_BATCH 1024
/* Decisions kept while the store fails before the session gives up (weeks of sitting). */
#define SESSION_MAX_PENDING 65536
/* Prompts an atomic session keeps to show after its commit; more are recorded, not shown. */
#define SESSION_MAX_OUTBOX 4096

struct session_params {
	const struct sitlog_config *config;
	enum notify_mode notify;
	bool interactive;       /* prompts offer actions and answers come back (needs a main loop) */
	bool atomic;            /* one transaction for the whole session (replay) */
	usec_t heartbeat;       /* extend the open bout's rows this often; 0: never */
	int64_t wall_offset_us; /* wall-clock µs = core time + offset */
	/* interactive: answers arrive from the main loop; the source's clock says when, and it
	 * hears that the session changed (to commit, re-arm its timer and publish) */
	usec_t (*clock)(void *userdata);
	void (*changed)(void *userdata);
	void *source_userdata;
};

/* A device as a source describes it. */
struct session_device {
	const struct device_kind *kind;
	const struct evemu_device_info *info;
	const char *what;           /* its device node or file, for messages */
	const char *phys, *uniq;    /* NULL: none */
	const double *default_axis; /* a mount known from udev, NULL: none */
};

struct session_status {
	enum posture posture;
	usec_t posture_since;
	bool bout;                /* a bout is open: */
	usec_t bout_start;
	usec_t next_prompt;       /* USEC_INFINITY: waits for the person to sit down again */
	usec_t paused_until;      /* 0: not paused */
	const char *quiet;        /* why a prompt due now would stay quiet, NULL: it would show */
	struct budget_figures day; /* the day's figures as of the last change of posture
				    * (day.at, core time) */
};

struct session;

/* Returns 0, -ENOMEM, or a store error (atomic: the transaction could not begin). */
int session_new(const struct session_params *p, struct store *store, struct session **ret);
void session_free(struct session *s);

/* A device appeared at `now`. Returns its handle (>= 0), -EINVAL when its description is not
 * usable (message printed), -E2BIG (too many devices), or, atomic only, -EIO (store). A live
 * session whose store fails keeps the device and registers it at the next commit. */
int session_add_device(struct session *s, const struct session_device *d, usec_t now);

/* One input event of device `dev` at time t (non-decreasing across all calls). */
void session_feed(struct session *s, int dev, usec_t t, uint16_t type, uint16_t code,
		  int32_t value);
/* The device is gone (unplugged, suspended, switched away): unknown from t. */
void session_device_gone(struct session *s, int dev, usec_t t);
/* Every device is unknown from t (the system sleeps, or slept from t on: sleep.h). */
void session_all_gone(struct session *s, usec_t t);
/* Take every decision due at or before now. */
void session_advance(struct session *s, usec_t now);
/* When session_advance() must run next: the core's next decision, a working-hours boundary,
 * the end of a pause, the next heartbeat while a bout is open, a retry while the store fails;
 * USEC_INFINITY when nothing is due (zero wake-ups). */
usec_t session_next_deadline(const struct session *s);

/* A new configuration at now (a reload). The open bout, its prompts, a held prompt, a snooze,
 * the pause and the notification on screen stay; the schedule, the tracking parameters and the
 * working hours are the new ones from now on. The caller then makes *fresh the config that
 * session_params.config points to. Device settings apply to devices that appear later. */
void session_reconfigure(struct session *s, usec_t now, const struct sitlog_config *fresh);

/* A desktop fact (TRACKER_QUIET_LOCKED, _INHIBITED, _DND) changed at now. */
void session_set_quiet(struct session *s, usec_t now, enum tracker_quiet reason, bool on);
/* The wall clock moved: from now on, wall = core time + offset. Only forward: a step back would
 * label what follows with times the store already holds (rows that overlap), so the record
 * keeps its clock (docs/semantics.md, "Time in the store"); false when it was not followed. */
bool session_rebase(struct session *s, usec_t now, int64_t offset_us);
int64_t session_wall_offset(const struct session *s);

/* Write what is pending, then show the prompts it held. Returns 0 (written, or kept for a
 * retry: see session_next_deadline()), or -EIO when the session gave up (message logged): the
 * caller stops with a non-zero status. */
int session_commit(struct session *s, usec_t now);
/* The data ends at `end` (end of a replay, shutdown): pending changes count, what is open
 * closes, everything is committed. Returns 0 or -EIO. */
int session_finish(struct session *s, usec_t end);

/* Prompts: pause until `until` (core time, 0 resumes), kept across restarts. */
void session_pause(struct session *s, usec_t now, usec_t until);
/* Take back a pause kept by an earlier run that still holds at `now`; true if one does. */
bool session_restore_pause(struct session *s, usec_t now);
/* Postpone the open bout's next prompt to now + length (0: the configured snooze), never
 * earlier than it was due (tracker_snooze()); the prompt on screen is answered "snoozed".
 * -ENOENT without an open bout. */
int session_snooze(struct session *s, usec_t now, usec_t length);

/* Retention: what ended before before_ms (wall-clock ms) is deleted, after what is pending is
 * written; the open segment and bout stay. -EINVAL when before_ms is after now, -EBUSY while
 * the store fails (nothing deleted then), or a store error (store_errmsg()). */
int session_prune(struct session *s, usec_t now, int64_t before_ms, struct store_pruned *ret);

/* [Storage] keep_days: prune what ended before the local midnight keep_days ago, once a local
 * day, at moments the daemon wakes anyway (live.c calls it at start; the day's first heartbeat
 * does too). Nothing with keep_days=0 or in an atomic session. */
void session_retain(struct session *s, usec_t now);

void session_status(const struct session *s, usec_t now, struct session_status *ret);
/* The session gave up writing (message printed): nothing more is recorded. */
bool session_failed(const struct session *s);
void session_counts(const struct session *s, unsigned *ret_bouts, unsigned *ret_prompts);
