/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "exercises.h"
#include "quiet.h"
#include "recorder.h"
#include "session.h"
#include "time-parse.h"

/* A failing store is tried again after 10 s, then less and less often, up to every 5 min. */
#define RETRY_FIRST (10 * USEC_PER_SEC)
#define RETRY_MAX (5 * USEC_PER_MINUTE)

enum pending_kind {
	PENDING_DECISION, /* a tracker_event */
	PENDING_RESPONSE, /* an answer to a prompt: prompt_id, text */
	PENDING_DELIVERY, /* a prompt could not be shown: prompt_id, text = "failed" */
	PENDING_REBASE,   /* the wall clock moved: ms (old label), ms2 (new label) */
	PENDING_CLOSE,    /* close the prompt on screen after the commit */
	PENDING_HEARTBEAT, /* extend the open segment and bout to ms */
};

/* A write waiting for the next commit, labelled when it was decided. */
struct pending {
	enum pending_kind kind;
	struct tracker_event ev;
	int64_t ms, ms2;
	usec_t wall_us;
	const struct exercise *exercise;
	int64_t prompt_id;
	const char *text; /* static strings only */
};

/* What a commit shows or closes once it is through. */
struct delivery {
	bool close;
	struct notifier_prompt prompt;
	usec_t t, bout_start; /* the prompt's core time and its bout's start */
};

/* The notification on screen, as far as the session's decisions go. */
struct screen {
	int64_t prompt_id; /* 0: none */
	usec_t bout_start;
	const struct exercise *exercise; /* it suggested, NULL: none */
	bool answered;
};

struct device {
	const struct device_kind *kind;
	char *name;
	char *phys, *uniq;
	struct evemu_device_info_ids {
		unsigned bustype, vendor, product;
	} ids;
	int64_t first_seen_ms;
	int64_t store_id; /* 0 until registered */
	bool axis_pending;
	double axis[3];
};

struct session {
	struct session_params params;
	struct store *store;
	struct core *core;
	struct recorder recorder;
	struct notifier *notifier;
	struct catalogue *catalogue; /* NULL: it could not be read (logged once) */
	struct rotation rotation;
	bool rotation_dirty;
	/* "Done" answers per exercise kind to prompts of the current local day and the 6 before
	 * (the balance rule, docs/semantics.md): from the store at each new day, then counted */
	unsigned done[_EXERCISE_KIND_MAX];
	int64_t offset_us;

	struct device devices[SITLOG_MAX_DEVICES];
	int n_devices;

	GArray *pending;  /* struct pending */
	GArray *outbox;   /* struct delivery */
	unsigned dropped; /* atomic: prompts recorded but not kept to show */
	struct screen screen;

	usec_t heartbeat_next;

	/* the last wall-clock step: decisions dated before it are labelled no earlier than the
	 * moment the step split the open segment */
	usec_t rebase_t;
	int64_t rebase_ms;

	usec_t paused_until; /* core time, 0: not paused */
	bool pause_dirty;

	/* the local day the core counts (docs/semantics.md "The whole day"), core time */
	bool day_known;
	int64_t day_id; /* its midnight, wall-clock µs */
	usec_t day_end;

	bool have_work;  /* working hours or days are configured */
	bool work_known; /* the off-hours fact is set for the current time */
	usec_t work_next;

	bool failing;
	usec_t retry_at, retry_delay;
	int64_t failing_since_ms;
	bool gave_up;
	bool committed; /* atomic: the one transaction is through */

	/* retention: the local day it last ran (a GDate's Julian day), and whether a heartbeat
	 * of a new day asks for it */
	guint32 retention_day;
	bool retention_due;
};

static int64_t
wall_ms(const struct session *s, usec_t t)
{
	return recorder_wall_ms(s->offset_us, t);
}

/* Core time of a wall-clock time, clamped to the core's range. */
static usec_t
core_time(const struct session *s, int64_t wall_us)
{
	if (wall_us == INT64_MAX)
		return USEC_INFINITY;
	if (wall_us - s->offset_us < 0)
		return 0;
	return (usec_t) (wall_us - s->offset_us);
}

static void on_response(int64_t prompt_id, const char *response, void *userdata);

/* ---- state kept across restarts (typed accessors of the state table: store.h) ---- */

static void
restore_rotation(struct session *s)
{
	unsigned v[3];

	if (store_get_rotation(s->store, v) < 0 || v[0] >= _EXERCISE_KIND_MAX)
		return;
	s->rotation.next_kind = (enum exercise_kind) v[0];
	s->rotation.pos[0] = v[1];
	s->rotation.pos[1] = v[2];
}

static int
save_rotation(struct session *s)
{
	const unsigned v[3] = { (unsigned) s->rotation.next_kind, s->rotation.pos[0],
				s->rotation.pos[1] };

	return store_set_rotation(s->store, v);
}

static int
save_pause(struct session *s)
{
	return store_set_paused_until(s->store, s->paused_until ? wall_ms(s, s->paused_until) : 0);
}

/* ---- construction ---- */

/* A bout left open by a sitlogd that died with it (ended_by NULL) ends where its rows end, at
 * its last heartbeat, as ended_by "crash" (docs/semantics.md). Only the one live writer may: a
 * replay writes one transaction of its own. A failure leaves it open for the next start. */
static void
close_dangling(struct store *store)
{
	int n = 0;

	if (store_close_dangling(store, &n) < 0)
		g_warning("%s: cannot close the bouts left open: %s", store_path(store),
			  store_errmsg(store));
	else if (n > 0)
		g_message("%d bout(s) left open by a sitlogd that did not stop are closed at their "
			  "last heartbeat (ended_by crash)", n);
}

/* The daily roll-up brought up to date at start (store_commit() does it): cut again whole when
 * this sitlogd runs in another time zone or with other rules than the one that cut it, so
 * that `sitlog report` in this zone reads it at once. A failure leaves it for the next commit;
 * reports stay right meanwhile, read from the raw tables. */
static void
refresh_rollup(struct store *store)
{
	int r = store_begin(store);

	if (r >= 0)
		r = store_commit(store);
	if (r < 0) {
		g_warning("%s: cannot bring the daily roll-up up to date: %s, ignoring",
			  store_path(store), store_errmsg(store));
		store_rollback(store);
	}
}

static struct core_params
core_params_of(const struct sitlog_config *cfg)
{
	return (struct core_params) {
		.min_segment = cfg->min_segment,
		.tracker = {
			.break_min = cfg->break_min,
			.remind_after = cfg->remind_after,
			.repeat_every = cfg->repeat_every,
			.heed_window = cfg->heed_window,
			.escalate_after = cfg->escalate_after,
		},
		.budget = {
			.sitting_per_day = cfg->sitting_per_day,
			.upright_per_day = cfg->upright_per_day,
			.pace = cfg->budget_pace,
			.adaptive = cfg->budget_adaptive,
			.remind_after_min = cfg->remind_after_min,
			.summary = cfg->budget_summary,
			.prolonged = cfg->prolonged,
		},
	};
}

int
session_new(const struct session_params *p, struct store *store, struct session **ret)
{
	const struct sitlog_config *cfg = p->config;
	struct core_params cp = core_params_of(cfg);
	g_autofree char *error = NULL;
	struct session *s;
	int r;

	/* answers come from the main loop: the source must say when, and hear of them */
	g_assert(!p->interactive || (p->clock && p->changed));
	s = g_new0(struct session, 1);
	s->params = *p;
	s->store = store;
	s->offset_us = p->wall_offset_us;
	s->core = core_new(&cp);
	if (!s->core) {
		g_free(s);
		return -ENOMEM;
	}
	recorder_init(&s->recorder, store);
	if (!p->atomic) {
		close_dangling(store);
		refresh_rollup(store);
	}
	s->notifier = notifier_new(p->notify, p->interactive, cfg->snooze);
	if (p->interactive)
		notifier_set_response_fn(s->notifier, on_response, s);
	if (catalogue_load(NULL, &s->catalogue, &error) < 0)
		g_warning("exercises: %s; prompts will not suggest one, ignoring", error);
	restore_rotation(s);
	s->pending = g_array_new(FALSE, TRUE, sizeof(struct pending));
	s->outbox = g_array_new(FALSE, TRUE, sizeof(struct delivery));
	s->heartbeat_next = USEC_INFINITY;
	s->work_next = USEC_INFINITY;
	s->day_end = USEC_INFINITY;
	s->retry_at = USEC_INFINITY;
	s->have_work = quiet_have_working_time(cfg);
	if (p->atomic) {
		r = store_begin(store);
		if (r < 0) {
			session_free(s);
			return r;
		}
	}
	*ret = s;
	return 0;
}

void
session_free(struct session *s)
{
	if (!s)
		return;
	if (s->params.atomic && !s->committed)
		store_rollback(s->store); /* a session not finished leaves nothing behind */
	for (int i = 0; i < s->n_devices; i++) {
		g_free(s->devices[i].name);
		g_free(s->devices[i].phys);
		g_free(s->devices[i].uniq);
	}
	g_array_unref(s->pending);
	g_array_unref(s->outbox);
	catalogue_free(s->catalogue);
	notifier_free(s->notifier);
	core_free(s->core);
	g_free(s);
}

/* ---- decisions into the pending queue ---- */

static int commit(struct session *s, usec_t now);

static void
push(struct session *s, const struct pending *p)
{
	g_array_append_val(s->pending, *p);
}

/* While a bout is open its rows are extended every heartbeat: a crash loses at most that. */
static void
heartbeat_check(struct session *s, usec_t t)
{
	usec_t start, next_prompt;

	if (!s->params.heartbeat)
		return;
	if (!core_bout(s->core, &start, &next_prompt)) {
		s->heartbeat_next = USEC_INFINITY;
		return;
	}
	/* the first a whole interval after the bout's start, not after its confirmation
	 * (min_segment later): until then its rows end at its start */
	if (s->heartbeat_next == USEC_INFINITY)
		s->heartbeat_next = start + s->params.heartbeat;
	if (t >= s->heartbeat_next) {
		struct pending p = { .kind = PENDING_HEARTBEAT, .ms = wall_ms(s, t) };
		struct pending *last = s->pending->len ?
			&g_array_index(s->pending, struct pending, s->pending->len - 1) : NULL;

		/* in order with the decisions; heartbeats kept while the store fails are one */
		if (last && last->kind == PENDING_HEARTBEAT)
			last->ms = p.ms;
		else
			push(s, &p);
		s->heartbeat_next = t + s->params.heartbeat;
		/* retention runs at a moment the daemon wakes anyway: the day's first heartbeat */
		s->retention_due = true;
	}
}

/* Take the core's decisions off its queue, labelled with the wall clock of now. */
static void
take_decisions(struct session *s, usec_t now)
{
	struct tracker_event ev;

	while (core_next_event(s->core, &ev)) {
		struct pending p = {
			.kind = PENDING_DECISION,
			.ev = ev,
			.ms = wall_ms(s, ev.time),
			.wall_us = (usec_t) ((int64_t) ev.time + s->offset_us),
		};

		/* a change dated back across a wall-clock step begins at the step, where the open
		 * segment was split: the new clock has no label for the time before it */
		if (ev.time < s->rebase_t && p.ms < s->rebase_ms)
			p.ms = s->rebase_ms;
		if (s->gave_up)
			continue; /* nothing more will be written: keep nothing */

		if (ev.type == TRACKER_BOUT_END && ev.heeded_from != USEC_INFINITY)
			p.ms2 = wall_ms(s, ev.heeded_from);
		/* a suppressed prompt is kept, but nobody sees it: no exercise is used up */
		if (ev.type == TRACKER_PROMPT && ev.reason != PROMPT_SUPPRESSED && s->catalogue) {
			p.exercise = rotation_next_balanced(&s->rotation, s->catalogue, s->done);
			s->rotation_dirty = true;
		}
		push(s, &p);
	}
	heartbeat_check(s, now);
	if (s->pending->len >= SESSION_BATCH)
		commit(s, now);
}

/* Decisions due up to t, a batch at a time. */
static void
pump(struct session *s, usec_t t)
{
	bool more;

	do {
		more = core_advance(s->core, t);
		take_decisions(s, t);
	} while (more);
}

struct day_sum {
	int64_t from_ms, to_ms;
	int64_t ms;
};

static int
add_sitting(const struct store_segment *seg, void *userdata)
{
	struct day_sum *d = userdata;
	int64_t a = MAX(seg->start_ms, d->from_ms), b = MIN(seg->end_ms, d->to_ms);

	if (seg->posture == POSTURE_SITTING && b > a)
		d->ms += b - a;
	return 0;
}

struct done_ctx {
	const struct catalogue *catalogue;
	unsigned done[_EXERCISE_KIND_MAX];
};

static int
count_done(const struct store_prompt *p, void *userdata)
{
	struct done_ctx *c = userdata;
	const struct exercise *e = g_strcmp0(p->response, "done") == 0 ?
		catalogue_find(c->catalogue, p->exercise) : NULL;

	if (e)
		c->done[e->kind]++;
	return 0;
}

/* The balance rule's counts: "Done" answers to the prompts of the day that begins at start_us
 * and the 6 before it, per kind (an exercise no longer in the catalogue counts for none). */
static void
count_balance(struct session *s, int64_t start_us, usec_t now)
{
	g_autoptr(GDateTime) start = g_date_time_new_from_unix_local(start_us / 1000000);
	g_autoptr(GDateTime) week = start ? g_date_time_add_days(start, -6) : NULL;
	struct done_ctx c = { .catalogue = s->catalogue };

	if (!week || !s->catalogue)
		return;
	if (store_foreach_prompt(s->store, g_date_time_to_unix(week) * 1000, wall_ms(s, now) + 1,
				 count_done, &c) < 0)
		return;
	memcpy(s->done, c.done, sizeof(s->done));
}

/* The 7 local days before the one that begins at start_us: their mean sitting, as recorded
 * (what is pending is written first). */
static void
day_history(struct session *s, int64_t start_us, usec_t now)
{
	g_autoptr(GDateTime) start = g_date_time_new_from_unix_local(start_us / 1000000);
	g_autoptr(GDateTime) week = start ? g_date_time_add_days(start, -7) : NULL;
	struct day_sum d = { .to_ms = start_us / 1000 };

	if (!week || commit(s, now) < 0 || s->failing)
		return;
	d.from_ms = g_date_time_to_unix(week) * 1000;
	if (store_foreach_segment(s->store, d.from_ms, d.to_ms, add_sitting, &d) < 0)
		return;
	core_set_history(s->core, (usec_t) (d.ms / 7) * USEC_PER_MSEC);
}

struct seed_ctx {
	int64_t from_ms, to_ms, ws_ms, we_ms;
	int64_t prolonged_ms;
	int64_t last_bout; /* the day's latest bout in the store, 0: none */
	struct budget_seed seed;
};

static int
seed_segment(const struct store_segment *seg, void *userdata)
{
	struct seed_ctx *c = userdata;
	int64_t a = MAX(seg->start_ms, c->from_ms), b = MIN(seg->end_ms, c->to_ms);

	if (b <= a)
		return 0;
	if (seg->posture == POSTURE_SITTING) {
		c->seed.sitting += (usec_t) (b - a) * USEC_PER_MSEC;
		if (c->ws_ms < c->we_ms && MIN(b, c->we_ms) > MAX(a, c->ws_ms))
			c->seed.sitting_work +=
				(usec_t) (MIN(b, c->we_ms) - MAX(a, c->ws_ms)) * USEC_PER_MSEC;
		c->seed.not_sitting_from = (usec_t) b;
	} else if (seg->posture == POSTURE_STANDING || seg->posture == POSTURE_WALKING) {
		c->seed.upright += (usec_t) (b - a) * USEC_PER_MSEC;
	}
	return 0;
}

static int
seed_bout(const struct store_bout *bout, void *userdata)
{
	struct seed_ctx *c = userdata;
	usec_t len = (usec_t) (bout->end_ms - bout->start_ms) * USEC_PER_MSEC;

	c->seed.bouts++;
	c->last_bout = bout->id;
	c->seed.longest_bout = MAX(c->seed.longest_bout, len);
	if (bout->end_ms - bout->start_ms >= c->prolonged_ms)
		c->seed.prolonged_bouts++;
	return 0;
}

static int
seed_prompt(const struct store_prompt *p, void *userdata)
{
	struct seed_ctx *c = userdata;

	if (g_strcmp0(p->reason, "budget") == 0)
		c->seed.pace_done = true;
	else if (g_strcmp0(p->reason, "summary") == 0)
		c->seed.summary_done = true;
	else if (g_strcmp0(p->reason, "suppressed") != 0) {
		c->seed.prompts++;
		c->seed.prompts_heeded += p->heeded;
	}
	return 0;
}

/* sitlogd starts in the middle of a day: what the store holds of it counts first. */
static void
seed_day(struct session *s, const struct quiet_day *q, usec_t t)
{
	struct seed_ctx c = {
		.from_ms = q->start_us / 1000,
		.to_ms = wall_ms(s, t) + 1,
		.ws_ms = q->work_start_us == INT64_MAX ? 0 : q->work_start_us / 1000,
		.we_ms = q->work_end_us == INT64_MAX ? 0 : q->work_end_us / 1000,
		.prolonged_ms = (int64_t) (s->params.config->prolonged / USEC_PER_MSEC),
	};

	if (store_foreach_segment(s->store, c.from_ms, c.to_ms, seed_segment, &c) < 0 ||
	    store_foreach_bout(s->store, c.from_ms, c.to_ms, seed_bout, &c) < 0 ||
	    store_foreach_prompt(s->store, c.from_ms, c.to_ms, seed_prompt, &c) < 0)
		return;
	if (c.seed.not_sitting_from)
		c.seed.not_sitting_from = core_time(s, (int64_t) c.seed.not_sitting_from * 1000);
	core_seed_day(s->core, &c.seed);
	/* a summary before this run's first bout is recorded with the day's last one */
	if (s->recorder.last_bout == 0)
		s->recorder.last_bout = c.last_bout;
}

/* The local day around t: its boundaries and working hours go to the core as a timed input
 * (a reload or a clock step gives the same day again: its counts stay). */
static void
set_day(struct session *s, usec_t t, const struct sitlog_config *cfg)
{
	struct quiet_day q;
	struct budget_day d;
	bool fresh, first;

	if (quiet_day(cfg, (int64_t) t + s->offset_us, &q) < 0) {
		/* no local time for it: a day from here, so that time goes on */
		q = (struct quiet_day) {
			.start_us = (int64_t) t + s->offset_us,
			.end_us = (int64_t) t + s->offset_us + (int64_t) USEC_PER_DAY,
			.work_start_us = INT64_MAX, .work_end_us = INT64_MAX,
			.summary_after_us = INT64_MAX,
		};
	}
	d = (struct budget_day) {
		.id = q.start_us,
		.start = core_time(s, q.start_us),
		.end = core_time(s, q.end_us),
		.work_start = core_time(s, q.work_start_us),
		.work_end = core_time(s, q.work_end_us),
		.summary_after = core_time(s, q.summary_after_us),
	};
	if (d.end <= t)
		d.end = t + USEC_PER_MINUTE; /* never stand still */
	fresh = !s->day_known || q.start_us != s->day_id;
	first = !s->day_known;
	s->day_known = true;
	s->day_id = q.start_us;
	s->day_end = d.end;
	if (fresh) {
		day_history(s, q.start_us, t);
		count_balance(s, q.start_us, t);
	}
	core_set_day(s->core, &d);
	/* only at the start: later days begin here, with nothing of them recorded before */
	if (first)
		seed_day(s, &q, t);
}

/* Working hours: the off-hours fact at every boundary, and each local day at its midnight, in
 * time order with the decisions. */
static void
advance_to(struct session *s, usec_t t)
{
	const struct sitlog_config *cfg = s->params.config;
	int64_t next;
	bool off;

	/* the common case, every input event: nothing is due */
	if ((s->work_known || !s->have_work) && s->day_known && t < s->day_end &&
	    t < session_next_deadline(s))
		return;
	if (!s->day_known)
		set_day(s, t, s->params.config);
	if (s->have_work && !s->work_known) {
		off = quiet_off_hours(cfg, (int64_t) t + s->offset_us, &next);
		core_set_quiet(s->core, t, TRACKER_QUIET_OFF_HOURS, off);
		s->work_next = core_time(s, next);
		s->work_known = true;
	}
	for (;;) {
		usec_t w = s->have_work ? s->work_next : USEC_INFINITY;
		usec_t b = MIN(w, s->day_end);

		if (b > t)
			break;
		if (b > 0)
			pump(s, b - 1);
		if (b == s->day_end)
			set_day(s, b, s->params.config);
		if (w == b) {
			off = quiet_off_hours(cfg, (int64_t) b + s->offset_us, &next);
			core_set_quiet(s->core, b, TRACKER_QUIET_OFF_HOURS, off);
			s->work_next = core_time(s, next);
			if (s->work_next <= b)
				s->work_next = b + USEC_PER_MINUTE; /* never stand still */
		}
	}
	pump(s, t);

	if (s->paused_until && s->paused_until <= t) {
		s->paused_until = 0;
		s->pause_dirty = true;
		core_pause(s->core, 0);
		if (!s->params.atomic)
			g_message("the pause is over: prompts are shown again");
	}
	heartbeat_check(s, t);
}

void
session_advance(struct session *s, usec_t now)
{
	advance_to(s, now);
}

usec_t
session_next_deadline(const struct session *s)
{
	usec_t d = core_next_deadline(s->core);

	if (s->have_work && s->work_known && s->work_next < d)
		d = s->work_next;
	/* the next day begins at midnight; a wake-up for it only while the day counts something
	 * (sitting, or upright): at rest the next input or decision brings the day along */
	if (s->day_known && s->day_end < d) {
		enum posture p = core_posture(s->core);

		if (p == POSTURE_SITTING || p == POSTURE_STANDING || p == POSTURE_WALKING)
			d = s->day_end;
	}
	if (s->paused_until && s->paused_until < d)
		d = s->paused_until;
	if (s->heartbeat_next < d)
		d = s->heartbeat_next;
	if (s->failing && s->retry_at < d)
		d = s->retry_at;
	return d;
}

void
session_feed(struct session *s, int dev, usec_t t, uint16_t type, uint16_t code, int32_t value)
{
	g_assert(dev >= 0 && dev < s->n_devices);
	advance_to(s, t);
	core_feed(s->core, dev, t, type, code, value);
	if (core_has_events(s->core))
		take_decisions(s, t);
}

void
session_device_gone(struct session *s, int dev, usec_t t)
{
	g_assert(dev >= 0 && dev < s->n_devices);
	advance_to(s, t);
	core_device_gone(s->core, dev, t);
	take_decisions(s, t);
}

void
session_all_gone(struct session *s, usec_t t)
{
	advance_to(s, t);
	for (int i = 0; i < s->n_devices; i++)
		core_device_gone(s->core, i, t);
	take_decisions(s, t);
}

void
session_set_quiet(struct session *s, usec_t now, enum tracker_quiet reason, bool on)
{
	/* a prompt due at now itself meets the new state (core.h) */
	if (now > 0)
		advance_to(s, now - 1);
	core_set_quiet(s->core, now, reason, on);
	take_decisions(s, now);
}

bool
session_rebase(struct session *s, usec_t now, int64_t offset_us)
{
	struct pending p = { .kind = PENDING_REBASE };

	if (offset_us < s->offset_us)
		return false;

	advance_to(s, now);
	p.ms = wall_ms(s, now);
	s->offset_us = offset_us;
	p.ms2 = wall_ms(s, now);
	push(s, &p);
	s->rebase_t = now;
	s->rebase_ms = p.ms2;
	/* the working hours and the day are another wall-clock time now */
	s->work_known = false;
	s->work_next = USEC_INFINITY;
	set_day(s, now, s->params.config);
	return true;
}

int64_t
session_wall_offset(const struct session *s)
{
	return s->offset_us;
}

void
session_reconfigure(struct session *s, usec_t now, const struct sitlog_config *fresh)
{
	struct core_params cp = core_params_of(fresh);

	advance_to(s, now);
	core_set_params(s->core, now, &cp);
	notifier_set_snooze(s->notifier, fresh->snooze);
	/* the working hours may be others: known again at the next advance */
	s->have_work = quiet_have_working_time(fresh);
	s->work_known = false;
	s->work_next = USEC_INFINITY;
	if (!s->have_work)
		core_set_quiet(s->core, now, TRACKER_QUIET_OFF_HOURS, false);
	/* the same day with the new working hours and summary time: its counts stay */
	if (s->day_known)
		set_day(s, now, fresh);
	take_decisions(s, now);
}

/* ---- devices ---- */

int
session_add_device(struct session *s, const struct session_device *d, usec_t now)
{
	struct device *dev;
	int idx;

	if (s->n_devices == SITLOG_MAX_DEVICES)
		return -E2BIG;
	advance_to(s, now);
	idx = d->kind->add(s->core, d->info, d->what, s->params.config, d->default_axis);
	if (idx < 0)
		return idx;
	/* the core and the session number devices alike: both refuse before adding */
	g_assert(idx == s->n_devices);
	dev = &s->devices[s->n_devices++];
	*dev = (struct device) {
		.kind = d->kind,
		.name = g_strdup(d->info->name),
		.phys = g_strdup(d->phys ? d->phys : ""),
		.uniq = g_strdup(d->uniq ? d->uniq : ""),
		.ids = { d->info->bustype, d->info->vendor, d->info->product },
		.first_seen_ms = wall_ms(s, now),
	};
	/* registered now if the store allows, else at the next commit that works */
	if (commit(s, now) < 0 && s->params.atomic)
		return -EIO;
	return idx;
}

/* ---- prompts: pause, snooze, answers ---- */

void
session_pause(struct session *s, usec_t now, usec_t until)
{
	advance_to(s, now);
	s->paused_until = until > now ? until : 0;
	core_pause(s->core, s->paused_until);
	s->pause_dirty = true;
}

bool
session_restore_pause(struct session *s, usec_t now)
{
	int64_t ms;
	usec_t until;

	if (store_get_paused_until(s->store, &ms) < 0)
		return false;
	until = core_time(s, ms * 1000);
	if (until <= now)
		return false;
	s->paused_until = until;
	core_pause(s->core, until);
	return true;
}

/* The prompt on screen was answered (or a snooze from the command line answers it). */
static void
answer(struct session *s, int64_t prompt_id, const char *response, usec_t now)
{
	struct pending p = {
		.kind = PENDING_RESPONSE,
		.prompt_id = prompt_id,
		.text = response,
		.ms = wall_ms(s, now),
	};

	push(s, &p);
	if (prompt_id == s->screen.prompt_id) {
		if (!s->screen.answered &&
		    (g_str_equal(response, "done") || g_str_equal(response, "snoozed")))
			core_prompt_answered(s->core, s->screen.bout_start);
		/* the exercise balance counts it from now on */
		if (!s->screen.answered && g_str_equal(response, "done") && s->screen.exercise)
			s->done[s->screen.exercise->kind]++;
		/* answered or closed: it is no longer on screen */
		s->screen = (struct screen) { 0 };
	}
}

int
session_snooze(struct session *s, usec_t now, usec_t length)
{
	usec_t start, next;

	advance_to(s, now);
	if (!core_bout(s->core, &start, &next))
		return -ENOENT;
	/* a snooze from the command line answers the prompt on screen too */
	if (s->screen.prompt_id > 0) {
		struct pending close = { .kind = PENDING_CLOSE };

		answer(s, s->screen.prompt_id, "snoozed", now);
		push(s, &close);
	}
	core_snooze(s->core, now, length ? length : s->params.config->snooze);
	take_decisions(s, now);
	return 0;
}

static void
on_response(int64_t prompt_id, const char *response, void *userdata)
{
	struct session *s = userdata;
	/* answers come from the main loop: the source's clock says when */
	usec_t now = s->params.clock(s->params.source_userdata);

	g_message("prompt answered: %s", response);
	advance_to(s, now);
	answer(s, prompt_id, response, now);
	if (g_str_equal(response, "snoozed")) {
		usec_t start, next;

		if (core_bout(s->core, &start, &next))
			core_snooze(s->core, now, s->params.config->snooze);
		take_decisions(s, now);
	}
	/* the next prompt may have moved: the source commits and re-arms its timer */
	s->params.changed(s->params.source_userdata);
}

/* ---- commits ---- */

/* A worn sensor's newly learned axis, taken off the core to be kept with the next commit. */
static void
take_learned_axes(struct session *s)
{
	for (int i = 0; i < s->n_devices; i++) {
		struct device *d = &s->devices[i];

		if (!d->kind->keeps_axis || d->axis_pending ||
		    !core_take_learned_axis(s->core, i, d->axis))
			continue;
		d->axis_pending = true;
		if (!s->params.atomic)
			g_message("%s: learned the long axis (%.2f %.2f %.2f)", d->name, d->axis[0],
				  d->axis[1], d->axis[2]);
	}
}

static bool
anything_to_write(const struct session *s)
{
	for (int i = 0; i < s->n_devices; i++)
		if (s->devices[i].store_id == 0 || s->devices[i].axis_pending)
			return true;
	return s->pending->len > 0 || s->rotation_dirty || s->pause_dirty;
}

static void
outbox_add(struct session *s, const struct delivery *d)
{
	if (notifier_mode(s->notifier) == NOTIFY_NONE)
		return; /* recorded is all there is to it */
	if (!d->close && s->params.atomic && s->outbox->len >= SESSION_MAX_OUTBOX) {
		s->dropped++;
		return;
	}
	g_array_append_val(s->outbox, *d);
}

static int
write_decision(struct session *s, const struct pending *p, struct screen *sim)
{
	const struct tracker_event *ev = &p->ev;
	bool day = ev->type == TRACKER_PACE || ev->type == TRACKER_SUMMARY;
	bool shown = (ev->type == TRACKER_PROMPT && ev->reason != PROMPT_SUPPRESSED) || day;
	struct recorder_labels l = {
		.ms = p->ms,
		.heeded_from_ms = p->ms2,
		.device_id = ev->source >= 0 ? s->devices[ev->source].store_id : 0,
		.exercise = p->exercise ? p->exercise->id : NULL,
		.delivery = shown ? notify_mode_to_string(notifier_mode(s->notifier)) :
				    (ev->quiet ? ev->quiet : "none"),
	};
	int64_t id = 0;
	int r = recorder_apply(&s->recorder, ev, &l, &id);

	if (r < 0)
		return r;
	if (day) {
		/* the day's prompts wait in the core for quiet to end: they are shown as they come */
		struct delivery d = {
			.prompt = {
				.kind = ev->type == TRACKER_PACE ? NOTIFIER_PACE : NOTIFIER_SUMMARY,
				.prompt_id = id,
				.wall_us = p->wall_us,
				.figures = ev->figures,
				.work_end_wall_us = ev->figures.work_end == USEC_INFINITY ?
					USEC_INFINITY :
					(usec_t) ((int64_t) ev->figures.work_end + s->offset_us),
			},
			.t = ev->time,
			.bout_start = ev->bout_start,
		};

		outbox_add(s, &d);
	} else if (shown) {
		struct delivery d = {
			.prompt = {
				.prompt_id = id,
				.wall_us = p->wall_us,
				.bout_age = ev->time - ev->bout_start,
				.seq = ev->seq,
				.escalated = ev->escalated,
				.exercise = p->exercise,
			},
			.t = ev->time,
			.bout_start = ev->bout_start,
		};

		outbox_add(s, &d);
		if (notifier_keeps_current(s->notifier))
			*sim = (struct screen) { .prompt_id = id, .bout_start = ev->bout_start,
						 .exercise = p->exercise };
	} else if (ev->type == TRACKER_BOUT_END && ev->by_break && sim->prompt_id > 0) {
		/* the break is confirmed: the prompt on screen has done its work; it was
		 * answered when the person stood up */
		struct delivery d = { .close = true };

		r = recorder_response(&s->recorder, sim->prompt_id, "auto-closed", p->ms);
		if (r < 0)
			return r;
		outbox_add(s, &d);
		*sim = (struct screen) { 0 };
	}
	return 0;
}

/* Everything pending, in one transaction the caller opened. */
static int
write_pending(struct session *s, struct screen *sim, gint *ret_failed)
{
	int r = 0;

	*ret_failed = -1;
	for (int i = 0; r >= 0 && i < s->n_devices; i++) {
		struct device *d = &s->devices[i];
		struct store_device sd = {
			.name = d->name,
			.role = d->kind->name,
			.bustype = d->ids.bustype,
			.vendor = d->ids.vendor,
			.product = d->ids.product,
			.phys = d->phys,
			.uniq = d->uniq,
		};

		if (d->store_id == 0)
			r = store_device_ensure(s->store, &sd, d->first_seen_ms, &d->store_id);
	}
	for (guint i = 0; r >= 0 && i < s->pending->len; i++) {
		const struct pending *p = &g_array_index(s->pending, struct pending, i);
		struct delivery close = { .close = true };

		switch (p->kind) {
		case PENDING_DECISION:
			r = write_decision(s, p, sim);
			break;
		case PENDING_RESPONSE:
			r = recorder_response(&s->recorder, p->prompt_id, p->text, p->ms);
			break;
		case PENDING_DELIVERY:
			r = store_prompt_set_delivery(s->store, p->prompt_id, p->text);
			break;
		case PENDING_REBASE:
			r = recorder_rebase(&s->recorder, p->ms, p->ms2);
			break;
		case PENDING_CLOSE:
			outbox_add(s, &close);
			*sim = (struct screen) { 0 };
			break;
		case PENDING_HEARTBEAT:
			r = recorder_heartbeat(&s->recorder, p->ms);
			break;
		}
		if (r < 0)
			*ret_failed = (gint) i;
	}
	for (int i = 0; r >= 0 && i < s->n_devices; i++)
		if (s->devices[i].axis_pending)
			r = store_set_imu_axis(s->store, s->devices[i].store_id, s->devices[i].axis);
	if (r >= 0 && s->rotation_dirty)
		r = save_rotation(s);
	if (r >= 0 && s->pause_dirty)
		r = save_pause(s);
	return r;
}

/* A prompt that the store held back (it was failing) comes too late to show: a newer one of
 * the same commit replaces it anyway, its bout is over, or the next is nearly due. Replays show
 * every prompt: they are all of the past. */
static bool
stale(const struct session *s, guint i, usec_t now)
{
	const struct delivery *d = &g_array_index(s->outbox, struct delivery, i);
	usec_t start, next;

	if (s->params.atomic)
		return false;
	/* the day's prompts come once a day and replace nothing: late is still worth it */
	if (d->prompt.kind != NOTIFIER_BOUT)
		return false;
	for (guint j = i + 1; j < s->outbox->len; j++) {
		const struct delivery *e = &g_array_index(s->outbox, struct delivery, j);

		if (!e->close && e->prompt.kind == NOTIFIER_BOUT)
			return true;
	}
	if (!core_bout(s->core, &start, &next) || start != d->bout_start)
		return true;
	return now >= d->t + s->params.config->repeat_every;
}

static void
note_delivery(struct session *s, int64_t prompt_id, const char *what)
{
	struct pending p = { .kind = PENDING_DELIVERY, .prompt_id = prompt_id, .text = what };

	push(s, &p);
	if (s->screen.prompt_id == prompt_id)
		s->screen = (struct screen) { 0 };
}

/* Show and close what the commit allows; a prompt that could not be shown is noted. */
static void
deliver(struct session *s, usec_t now)
{
	unsigned late = 0;
	bool noted = false;

	for (guint i = 0; i < s->outbox->len; i++) {
		const struct delivery *d = &g_array_index(s->outbox, struct delivery, i);

		if (d->close) {
			notifier_close(s->notifier);
		} else if (stale(s, i, now)) {
			note_delivery(s, d->prompt.prompt_id, "late");
			late++;
			noted = true;
		} else if (notifier_show(s->notifier, &d->prompt) < 0) {
			note_delivery(s, d->prompt.prompt_id, "failed");
			noted = true;
		}
	}
	g_array_set_size(s->outbox, 0);
	if (late > 0)
		g_message("%u prompt(s) held back while the database failed are recorded, not shown "
			  "(too late)", late);
	if (s->dropped > 0)
		g_message("%u more prompts were recorded but not shown", s->dropped);
	s->dropped = 0;
	if (noted)
		commit(s, now);
}

/* What the store refuses whatever the retry: a bug of ours, not a passing fault. */
static bool
unwritable(int r)
{
	return r == -EINVAL || r == -E2BIG || r == -ESTALE;
}

static const char *
pending_name(const struct pending *p)
{
	static const char *const decisions[] = {
		[TRACKER_SEGMENT] = "segment", [TRACKER_BOUT_BEGIN] = "bout start",
		[TRACKER_BOUT_END] = "bout end", [TRACKER_PROMPT] = "prompt",
		[TRACKER_FINISH] = "end of data", [TRACKER_PACE] = "pace prompt",
		[TRACKER_SUMMARY] = "summary",
	};
	static const char *const kinds[] = {
		[PENDING_RESPONSE] = "answer", [PENDING_DELIVERY] = "delivery",
		[PENDING_REBASE] = "clock step", [PENDING_CLOSE] = "close",
		[PENDING_HEARTBEAT] = "heartbeat",
	};

	return p->kind == PENDING_DECISION ? decisions[p->ev.type] : kinds[p->kind];
}

static int
commit(struct session *s, usec_t now)
{
	struct recorder saved = s->recorder;
	struct screen sim = s->screen;
	guint outbox_len = s->outbox->len;
	int64_t ids[SITLOG_MAX_DEVICES];
	bool registered[SITLOG_MAX_DEVICES];
	g_autofree char *since = NULL;
	gint failed;
	int r;

	if (s->gave_up)
		return -EIO;
	/* while the store fails, input does not hammer it: the retry comes at its time */
	if (s->failing && now < s->retry_at && s->pending->len < SESSION_MAX_PENDING)
		return 0;
	take_learned_axes(s);
	if (!anything_to_write(s)) {
		if (!s->params.atomic)
			deliver(s, now);
		return 0;
	}
	for (int i = 0; i < s->n_devices; i++) {
		ids[i] = s->devices[i].store_id;
		registered[i] = ids[i] > 0;
	}

	for (;;) {
		/* an atomic session writes into its one transaction until it is committed */
		bool atomic = s->params.atomic && !s->committed;

		/* a failed BEGIN names no entry (nor one of the try before) */
		failed = -1;
		r = atomic ? 0 : store_begin(s->store);
		if (r >= 0)
			r = write_pending(s, &sim, &failed);
		if (r >= 0 && !atomic)
			r = store_commit(s->store);
		if (r >= 0)
			break;
		if (atomic) {
			fprintf(stderr, "sitlogd: %s: %s\n", store_path(s->store),
				store_errmsg(s->store));
			s->gave_up = true;
			g_array_set_size(s->pending, 0); /* nothing more is written: keep nothing */
			return -EIO;
		}
		/* as it was before the transaction: no row id of a rolled-back write survives */
		store_rollback(s->store);
		s->recorder = saved;
		sim = s->screen;
		for (int i = 0; i < s->n_devices; i++)
			s->devices[i].store_id = ids[i];
		g_array_set_size(s->outbox, outbox_len);
		if (!unwritable(r) || failed < 0)
			break;
		/* no retry would write it, and it must not hold back what comes after it */
		g_critical("%s: cannot record a %s, dropping it: %s", store_path(s->store),
			   pending_name(&g_array_index(s->pending, struct pending, failed)),
			   store_errmsg(s->store));
		g_array_remove_index(s->pending, (guint) failed);
	}
	if (r < 0) {
		if (!s->failing) {
			s->failing = true;
			s->failing_since_ms = wall_ms(s, now);
			s->retry_delay = RETRY_FIRST;
		} else {
			s->retry_delay = MIN(2 * s->retry_delay, RETRY_MAX);
		}
		s->retry_at = now + s->retry_delay;
		since = time_format_local(s->failing_since_ms * 1000, "%F %T");
		if (s->pending->len >= SESSION_MAX_PENDING) {
			g_critical("%s: cannot record since %s (%s): %u decision(s) could not be "
				   "written; stopping rather than losing more",
				   store_path(s->store), since, store_errmsg(s->store),
				   s->pending->len);
			s->gave_up = true;
			return -EIO;
		}
		g_warning("%s: cannot record: %s; %u decision(s) since %s are kept and written when "
			  "the store works again (next try in %u s)",
			  store_path(s->store), store_errmsg(s->store), s->pending->len, since,
			  (unsigned) (s->retry_delay / USEC_PER_SEC));
		return 0;
	}

	if (s->failing) {
		since = time_format_local(s->failing_since_ms * 1000, "%F %T");
		g_message("%s: recording again: what was kept since %s is written",
			  store_path(s->store), since);
		s->failing = false;
		s->retry_at = USEC_INFINITY;
	}
	g_array_set_size(s->pending, 0);
	s->rotation_dirty = false;
	s->pause_dirty = false;
	s->screen = sim;
	for (int i = 0; i < s->n_devices; i++) {
		struct device *d = &s->devices[i];
		double axis[3];

		d->axis_pending = false;
		/* a worn sensor seen before need not walk first: its learned axis is kept */
		if (!registered[i] && d->kind->keeps_axis &&
		    store_get_imu_axis(s->store, d->store_id, axis) == 0)
			core_set_imu_axis(s->core, i, axis);
	}
	if (!s->params.atomic)
		deliver(s, now);
	if (s->retention_due) {
		s->retention_due = false;
		session_retain(s, now);
	}
	return 0;
}

int
session_commit(struct session *s, usec_t now)
{
	return commit(s, now);
}

int
session_finish(struct session *s, usec_t end)
{
	int r;

	advance_to(s, end);
	core_finish(s->core, end);
	take_decisions(s, end);
	s->heartbeat_next = USEC_INFINITY;
	/* the last try: nothing comes after it to retry */
	s->retry_at = 0;
	r = commit(s, end);
	if (r < 0)
		return r;
	if (s->failing) {
		g_critical("%s: cannot record at shutdown: %s; %u decision(s) are lost",
			   store_path(s->store), store_errmsg(s->store), s->pending->len);
		return -EIO;
	}
	if (s->params.atomic) {
		r = store_commit(s->store);
		if (r < 0) {
			fprintf(stderr, "sitlogd: %s: %s\n", store_path(s->store),
				store_errmsg(s->store));
			s->gave_up = true;
			return -EIO;
		}
		s->committed = true; /* nothing to roll back at free */
		deliver(s, end);
	}
	return 0;
}

void
session_status(const struct session *s, usec_t now, struct session_status *ret)
{
	*ret = (struct session_status) {
		.posture = core_posture(s->core),
		.posture_since = core_posture_since(s->core),
		.paused_until = s->paused_until > now ? s->paused_until : 0,
		.quiet = core_quiet_reason(s->core, now),
		.next_prompt = USEC_INFINITY,
	};
	ret->bout = core_bout(s->core, &ret->bout_start, &ret->next_prompt);
	core_day_figures(s->core, 0, &ret->day);
}

int
session_prune(struct session *s, usec_t now, int64_t before_ms, struct store_pruned *ret)
{
	struct store_pruned n;
	int r;

	g_assert(!s->params.atomic);
	if (before_ms > wall_ms(s, now))
		return -EINVAL;
	advance_to(s, now);
	r = commit(s, now);
	if (r < 0 || s->failing)
		return -EBUSY;
	r = store_begin(s->store);
	if (r >= 0)
		r = store_prune(s->store, before_ms, s->recorder.open_segment, s->recorder.open_bout,
				&n);
	if (r >= 0)
		r = store_commit(s->store);
	if (r < 0) {
		store_rollback(s->store);
		return r;
	}
	*ret = n;
	return 0;
}

void
session_retain(struct session *s, usec_t now)
{
	unsigned keep = s->params.config->keep_days;
	g_autoptr(GDateTime) today = NULL, cut = NULL;
	struct store_pruned n;
	guint32 day;
	int r;

	if (keep == 0 || s->params.atomic)
		return;
	today = g_date_time_new_from_unix_local((wall_ms(s, now)) / 1000);
	if (!today)
		return;
	day = (guint32) g_date_time_get_year(today) * 400 + (guint32) g_date_time_get_day_of_year(today);
	if (day == s->retention_day)
		return;
	/* whole local days: everything before the midnight keep_days ago */
	cut = g_date_time_new_local(g_date_time_get_year(today), g_date_time_get_month(today),
				    g_date_time_get_day_of_month(today), 0, 0, 0);
	if (cut) {
		GDateTime *earlier = g_date_time_add_days(cut, -(gint) keep);

		g_date_time_unref(cut);
		cut = earlier;
	}
	if (!cut)
		return;
	r = session_prune(s, now, g_date_time_to_unix(cut) * 1000, &n);
	if (r < 0) {
		g_warning("%s: retention (keep_days=%u): %s; trying again tomorrow",
			  store_path(s->store), keep,
			  r == -EBUSY ? "the database cannot be written now" :
					store_errmsg(s->store));
	} else if (n.segments + n.bouts + n.prompts > 0) {
		g_message("retention: deleted what ended more than %u day(s) ago (%u segments, %u "
			  "bouts, %u prompts)", keep, n.segments, n.bouts, n.prompts);
	}
	s->retention_day = day;
}

bool
session_failed(const struct session *s)
{
	return s->gave_up;
}

void
session_counts(const struct session *s, unsigned *ret_bouts, unsigned *ret_prompts)
{
	*ret_bouts = s->recorder.n_bouts;
	*ret_prompts = s->recorder.n_prompts;
}
