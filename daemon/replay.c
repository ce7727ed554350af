/* SPDX-License-Identifier: MIT */
/*
 * Replay: evemu recordings as an event source. Each recording is a device; their events,
 * merged in time order, are fed to one session with the recordings' own time as the clock.
 * Nothing here decides or writes: the session does, as it does for live devices.
 */
#include <errno.h>
#include <glib.h>
#include <libevdev/libevdev.h>
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
	/* --replay-sampled, a device its kind samples live: the device's state as the live
	 * reader's libevdev would hold it, the frame still coming (the kernel hands a reader
	 * whole frames) and the time of the next sample */
	struct libevdev *state;
	GArray *frame; /* struct input_event */
	usec_t interval, next_sample;
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
	for (size_t i = 0; i < rp->n_sources; i++) {
		evemu_reader_free(rp->sources[i].reader);
		if (rp->sources[i].state)
			libevdev_free(rp->sources[i].state);
		if (rp->sources[i].frame)
			g_array_unref(rp->sources[i].frame);
	}
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

/* A device without a node, described as the recording describes it: what a live reader's
 * libevdev knows of the device, fed by the recording instead of read(). */
static int
state_device_new(const struct evemu_device_info *info, struct libevdev **ret)
{
	struct libevdev *evdev = libevdev_new();

	if (!evdev)
		return -ENOMEM;
	libevdev_set_name(evdev, info->name);
	for (unsigned type = EV_KEY; type < EV_CNT; type++) {
		int max = libevdev_event_type_get_max(type);

		if (type == EV_REP)
			continue; /* no state of its own */
		for (int code = 0; code <= max && code < KEY_CNT; code++) {
			if (!(info->bits[type][code / 8] & (1u << (code % 8))))
				continue;
			if (libevdev_enable_event_code(evdev, type, (unsigned) code,
						       type == EV_ABS ? &info->abs[code] : NULL) < 0) {
				libevdev_free(evdev);
				return -ENOMEM;
			}
		}
	}
	*ret = evdev;
	return 0;
}

/* --replay-sampled: the devices the live reader samples are read the way it reads them,
 * at their open (the replay's first moment) and then every sample interval. */
static int
setup_sampling(struct replay *rp)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		usec_t interval = device_kind_sample_interval(src->kind, rp->req->config);
		int r;

		if (interval == 0)
			continue;
		if (rp->req->sample_phase >= interval) {
			fprintf(stderr, "sitlogd: --replay-sample-phase must be shorter than the "
				"sample interval (%" G_GUINT64_FORMAT " ms)\n",
				(guint64) (interval / USEC_PER_MSEC));
			return -EINVAL;
		}
		r = state_device_new(evemu_reader_device(src->reader), &src->state);
		if (r < 0)
			return r;
		src->frame = g_array_new(false, false, sizeof(struct input_event));
		src->interval = interval;
		src->next_sample = rp->origin + rp->req->sample_phase;
	}
	return 0;
}

struct sample_frame {
	struct session *session;
	int dev;
	usec_t t;
};

static void
emit_sample(unsigned type, unsigned code, int value, void *userdata)
{
	struct sample_frame *f = userdata;

	session_feed(f->session, f->dev, f->t, (uint16_t) type, (uint16_t) code, value);
}

/* Every sample due before `until` (up to and including it when `inclusive`), in time order
 * across devices. */
static int
take_samples(struct replay *rp, struct session *session, usec_t until, bool inclusive,
	     uint64_t *n_samples)
{
	for (;;) {
		struct replay_source *src = NULL;
		struct sample_frame f;

		for (size_t i = 0; i < rp->n_sources; i++) {
			struct replay_source *s = &rp->sources[i];

			if (s->state && (!src || s->next_sample < src->next_sample))
				src = s;
		}
		if (!src || src->next_sample > until || (!inclusive && src->next_sample == until))
			return 0;
		f = (struct sample_frame) { session, src->dev, src->next_sample };
		device_kind_sample(src->kind, src->state, emit_sample, &f);
		if (session_failed(session))
			return -EIO;
		src->next_sample += src->interval;
		(*n_samples)++;
	}
}

/* An event of a sampled device: it changes the device's state once its frame is complete. */
static void
update_state(struct replay_source *src)
{
	struct input_event ev = { .type = src->ev.type, .code = src->ev.code,
				  .value = src->ev.value };

	if (ev.type != EV_SYN) {
		g_array_append_val(src->frame, ev);
		return;
	}
	if (ev.code != SYN_REPORT)
		return;
	for (guint i = 0; i < src->frame->len; i++) {
		const struct input_event *e = &g_array_index(src->frame, struct input_event, i);

		if (libevdev_has_event_code(src->state, e->type, e->code))
			libevdev_set_event_value(src->state, e->type, e->code, e->value);
	}
	g_array_set_size(src->frame, 0);
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
run_events(struct replay *rp, struct session *session, usec_t last, uint64_t *ret_n,
	   uint64_t *ret_samples)
{
	uint64_t n = 0, n_samples = 0;
	int r;

	for (size_t i = 0; i < rp->n_sources; i++) {
		r = pull(&rp->sources[i]);
		if (r < 0)
			return r;
	}
	for (;;) {
		struct replay_source *src = next_source(rp);

		/* a live reader reads what came before its sample */
		r = take_samples(rp, session, src ? src->ev.time : last, !src, &n_samples);
		if (r < 0)
			return r;
		if (!src)
			break;
		if (src->state)
			update_state(src);
		else
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
	*ret_samples = n_samples;
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
				    "WHERE end_ms > ?1 AND start_ms < ?2", -1, &st, NULL);
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
	uint64_t n_events = 0, n_samples = 0;
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
	if (r >= 0 && req->sampled) {
		r = setup_sampling(&rp);
		if (r == -EINVAL)
			ret = 2; /* usage */
		else if (r < 0)
			fprintf(stderr, "sitlogd: %s\n", g_strerror(-r));
	}
	if (r < 0 || run_events(&rp, session, last, &n_events, &n_samples) < 0)
		goto out;

	t1 = g_get_monotonic_time();
	session_counts(session, &n_bouts, &n_prompts);
	format_duration(last - rp.origin, length, sizeof(length));
	fprintf(stderr, "sitlogd: replayed %" G_GUINT64_FORMAT " events (%s, %s to %s) into %s: "
		"%u bouts, %u prompts; %.3f s, %.0f events/s\n",
		n_events, length, from, to, store_path(store), n_bouts, n_prompts,
		(double) (t1 - t0) / 1e6,
		t1 > t0 ? (double) n_events * 1e6 / (double) (t1 - t0) : 0.0);
	if (req->sampled)
		fprintf(stderr, "sitlogd: sampled as the live daemon reads: %" G_GUINT64_FORMAT
			" samples\n", n_samples);
	ret = 0;
out:
	session_free(session);
	store_close(store);
	replay_free_sources(&rp);
	if (lock_fd >= 0)
		close(lock_fd);
	return ret;
}
