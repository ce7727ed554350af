/* SPDX-License-Identifier: MIT */
/*
 * Replay: evemu recordings as an event source. Each recording is a device; their events,
 * merged in time order, are fed to one session with the recordings' own time as the clock.
 * Nothing here decides or writes: the session does, as it does for live devices.
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device-kind.h"
#include "evemu-reader.h"
#include "database.h"
#include "replay.h"
#include "session.h"
#include "sitlog-limits.h"
#include "store.h"
#include "time-parse.h"

struct replay_source {
	struct evemu_reader *reader;
	const char *path;
	const struct device_kind *kind;
	int dev; /* session device handle */
	struct evemu_event ev;
	bool have_ev;
	uint64_t n_events;
	usec_t first, last;
	unsigned last_line;
};

struct replay {
	const struct replay_request *req;
	struct replay_source *sources;
	size_t n_sources;
	usec_t origin;   /* recording time of the first event */
	usec_t start_us; /* wall-clock time it maps to */
};

static void
replay_free_sources(struct replay *rp)
{
	for (size_t i = 0; i < rp->n_sources; i++)
		evemu_reader_free(rp->sources[i].reader);
	g_free(rp->sources);
}

static int
open_sources(struct replay *rp)
{
	const struct replay_request *req = rp->req;
	size_t n = g_strv_length(req->files);

	if (n > SITLOG_MAX_DEVICES) {
		fprintf(stderr, "sitlogd: too many recordings (%zu); at most %d devices are read at "
			"once\n", n, SITLOG_MAX_DEVICES);
		return -E2BIG;
	}
	rp->sources = g_new0(struct replay_source, n);
	for (size_t i = 0; i < n; i++) {
		struct replay_source *src = &rp->sources[i];
		char *error = NULL;
		int r;

		src->path = req->files[i];
		r = evemu_reader_open(src->path, &src->reader, &error);
		if (r < 0) {
			fprintf(stderr, "sitlogd: %s\n", error ? error : g_strerror(-r));
			free(error);
			return -EINVAL;
		}
		rp->n_sources++;
		src->kind = req->role ? device_kind_from_name(req->role) :
					device_kind_infer(evemu_reader_device(src->reader));
		g_assert(src->kind);
	}
	return 0;
}

#define MAX_SPAN_TEXT "366 days"

/* Every recording describes a device its kind can use, before anything is opened or written:
 * the kinds' own checks, on a core used only for them. */
static int
check_devices(struct replay *rp)
{
	struct core_params cp = { .tracker = { .repeat_every = 1 } };
	struct core *scratch = core_new(&cp);
	int r = 0;

	if (!scratch)
		return -ENOMEM;
	for (size_t i = 0; r >= 0 && i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];

		r = src->kind->add(scratch, evemu_reader_device(src->reader), src->path,
				   rp->req->config, NULL);
	}
	core_free(scratch);
	return r < 0 ? r : 0;
}

/* First pass: the whole of every recording must be valid before anything is written, and
 * span at most SITLOG_REPLAY_MAX_SPAN. */
static int
validate_sources(struct replay *rp)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		struct evemu_event ev;
		char *error = NULL;
		int r;

		while ((r = evemu_reader_next(src->reader, &ev, &error)) > 0) {
			if (src->n_events == 0)
				src->first = ev.time;
			if (ev.time - src->first > SITLOG_REPLAY_MAX_SPAN) {
				fprintf(stderr, "sitlogd: %s:%u: event at %.6f s, %.6f s after the first: a "
					"replay covers at most " MAX_SPAN_TEXT "\n", src->path, ev.line,
					(double) ev.time / 1e6, (double) (ev.time - src->first) / 1e6);
				return -EINVAL;
			}
			src->last = ev.time;
			src->last_line = ev.line;
			src->n_events++;
		}
		if (r < 0) {
			fprintf(stderr, "sitlogd: %s\n", error ? error : g_strerror(-r));
			free(error);
			return -EINVAL;
		}
		if (src->n_events == 0) {
			fprintf(stderr, "sitlogd: %s: the recording holds no events\n", src->path);
			return -EINVAL;
		}
		r = evemu_reader_rewind(src->reader);
		if (r < 0) {
			fprintf(stderr, "sitlogd: %s: cannot rewind: %s\n", src->path, g_strerror(-r));
			return r;
		}
	}
	return 0;
}

/* The recordings share one time base: the earliest first event. */
static int
time_base(struct replay *rp, usec_t *ret_last)
{
	const struct replay_source *latest = NULL;
	usec_t first = USEC_INFINITY, last = 0;

	for (size_t i = 0; i < rp->n_sources; i++) {
		if (rp->sources[i].first < first)
			first = rp->sources[i].first;
		if (rp->sources[i].last >= last) {
			last = rp->sources[i].last;
			latest = &rp->sources[i];
		}
	}
	if (last - first > SITLOG_REPLAY_MAX_SPAN) {
		fprintf(stderr, "sitlogd: %s:%u: the recordings together span %.6f s: a replay covers "
			"at most " MAX_SPAN_TEXT "\n", latest->path, latest->last_line,
			(double) (last - first) / 1e6);
		return -EINVAL;
	}
	rp->origin = first;
	*ret_last = last;
	return 0;
}

static struct replay_source *
next_source(struct replay *rp)
{
	struct replay_source *best = NULL;

	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];

		if (src->have_ev && (!best || src->ev.time < best->ev.time))
			best = src;
	}
	return best;
}

static int
pull(struct replay_source *src)
{
	char *error = NULL;
	int r = evemu_reader_next(src->reader, &src->ev, &error);

	if (r < 0) {
		/* validated in the first pass: the file changed under us */
		fprintf(stderr, "sitlogd: %s\n", error ? error : g_strerror(-r));
		free(error);
		return r;
	}
	src->have_ev = r > 0;
	return 0;
}

static int
add_devices(struct replay *rp, struct session *session)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		struct session_device d = {
			.kind = src->kind,
			.info = evemu_reader_device(src->reader),
			.what = src->path,
		};

		src->dev = session_add_device(session, &d, rp->origin);
		if (src->dev == -E2BIG)
			fprintf(stderr, "sitlogd: too many recordings (%zu)\n", rp->n_sources);
		if (src->dev < 0)
			return src->dev;
	}
	return 0;
}

static int
run_events(struct replay *rp, struct session *session, usec_t last, uint64_t *ret_n)
{
	uint64_t n = 0;
	int r;

	for (size_t i = 0; i < rp->n_sources; i++) {
		r = pull(&rp->sources[i]);
		if (r < 0)
			return r;
	}
	for (;;) {
		struct replay_source *src = next_source(rp);

		if (!src)
			break;
		session_feed(session, src->dev, src->ev.time, src->ev.type, src->ev.code,
			     src->ev.value);
		if (session_failed(session))
			return -EIO; /* the store failed: said, and nothing more is written */
		n++;
		r = pull(src);
		if (r < 0)
			return r;
	}
	r = session_finish(session, last);
	if (r < 0)
		return r;
	*ret_n = n;
	return 0;
}

/* The stored segments that meet from_ms..to_ms, as one range: what the overlap refusal names
 * besides the replay's own range. */
static int
stored_range(struct store *store, int64_t from_ms, int64_t to_ms, int64_t *ret_first,
	     int64_t *ret_last)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(store_db(store),
				    "SELECT min(start_ms), max(end_ms) FROM segments "
				    "WHERE end_ms >= ?1 AND start_ms <= ?2", -1, &st, NULL);
	int r = -EIO;

	if (rc == SQLITE_OK && sqlite3_bind_int64(st, 1, from_ms) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 2, to_ms) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
		*ret_first = sqlite3_column_int64(st, 0);
		*ret_last = sqlite3_column_int64(st, 1);
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

int
replay_run(const struct replay_request *req)
{
	struct replay rp = { .req = req };
	struct session *session = NULL;
	struct store *store = NULL;
	g_autofree char *from = NULL, *to = NULL;
	char length[32];
	usec_t last, end_us;
	uint64_t n_events = 0;
	unsigned n_bouts, n_prompts;
	gint64 t0, t1;
	bool overlap = false;
	int ret = EXIT_DATAERR, lock_fd = -1, r;

	t0 = g_get_monotonic_time();
	if (open_sources(&rp) < 0 || validate_sources(&rp) < 0 || check_devices(&rp) < 0 ||
	    time_base(&rp, &last) < 0)
		goto out;

	if (req->start) {
		int64_t us;

		r = time_parse_local(req->start, TIME_PARSE_DATETIME, g_get_real_time(), &us, NULL);
		if (r < 0) {
			fprintf(stderr, "sitlogd: --replay-start: \"%s\" is %s\n", req->start,
				r == -ERANGE ? "outside 1970-01-01 ... 2099-12-31 (UTC)" :
					       "not an ISO 8601 date and time such as "
					       "2026-03-02T08:30:00");
			ret = 2;
			goto out;
		}
		rp.start_us = (usec_t) us;
	} else {
		rp.start_us = (usec_t) g_get_real_time() - (last - rp.origin);
	}
	end_us = rp.start_us + (last - rp.origin);
	if ((int64_t) end_us >= SITLOG_WALL_MAX_US) {
		const struct replay_source *src = &rp.sources[0];

		for (size_t i = 0; i < rp.n_sources; i++)
			if (rp.sources[i].last == last)
				src = &rp.sources[i];
		fprintf(stderr, "sitlogd: %s:%u: the last event would be recorded after "
			"2099-12-31; choose an earlier --replay-start\n", src->path, src->last_line);
		ret = 2;
		goto out;
	}

	ret = EXIT_FAILURE;
	if (database_open(req->db_path, &lock_fd, &store) < 0)
		goto out;
	r = store_has_segments_between(store, (int64_t) (rp.start_us / USEC_PER_MSEC),
				       (int64_t) (end_us / USEC_PER_MSEC), &overlap);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s: %s\n", store_path(store), store_errmsg(store));
		goto out;
	}
	from = time_format_local((int64_t) rp.start_us, "%F %T %z");
	to = time_format_local((int64_t) end_us, "%F %T %z");
	if (overlap) {
		int64_t first_ms, last_ms;
		g_autofree char *held_from = NULL, *held_to = NULL;

		if (stored_range(store, (int64_t) (rp.start_us / USEC_PER_MSEC),
				 (int64_t) (end_us / USEC_PER_MSEC), &first_ms, &last_ms) == 0) {
			held_from = time_format_local(first_ms * 1000, "%F %T %z");
			held_to = time_format_local(last_ms * 1000, "%F %T %z");
		}
		fprintf(stderr, "sitlogd: %s already holds data from %s to %s, within this replay's "
			"%s to %s; refusing to replay over it (use another --db or --replay-start)\n",
			store_path(store), held_from ? held_from : "?", held_to ? held_to : "?", from,
			to);
		goto out;
	}

	/* One transaction: a failure at any point leaves the database as it was. A replay runs
	 * no main loop: nobody could hear a click, so it offers no actions. */
	r = session_new(&(struct session_params) {
				.config = req->config,
				.notify = req->notify,
				.atomic = true,
				.wall_offset_us = (int64_t) rp.start_us - (int64_t) rp.origin,
			},
			store, &session);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s: %s\n", store_path(store), store_errmsg(store));
		goto out;
	}
	r = add_devices(&rp, session);
	if (r == -EINVAL || r == -E2BIG)
		ret = EXIT_DATAERR;
	if (r < 0 || run_events(&rp, session, last, &n_events) < 0)
		goto out;

	t1 = g_get_monotonic_time();
	session_counts(session, &n_bouts, &n_prompts);
	format_duration(last - rp.origin, length, sizeof(length));
	fprintf(stderr, "sitlogd: replayed %" G_GUINT64_FORMAT " events (%s, %s to %s) into %s: "
		"%u bouts, %u prompts; %.3f s, %.0f events/s\n",
		n_events, length, from, to, store_path(store), n_bouts, n_prompts,
		(double) (t1 - t0) / 1e6,
		t1 > t0 ? (double) n_events * 1e6 / (double) (t1 - t0) : 0.0);
	ret = 0;
out:
	session_free(session);
	store_close(store);
	replay_free_sources(&rp);
	if (lock_fd >= 0)
		close(lock_fd);
	return ret;
}
