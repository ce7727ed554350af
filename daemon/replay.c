/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "device-params.h"
#include "evemu-reader.h"
#include "live.h"
#include "recorder.h"
#include "quiet.h"
#include "replay.h"
#include "store.h"

struct replay_source {
	struct evemu_reader *reader;
	const char *path;
	enum core_role role;
	int dev;           /* core device index */
	int64_t device_id; /* store id */
	struct evemu_event ev;
	bool have_ev;
	uint64_t n_events;
	usec_t first, last;
};

struct replay {
	const struct replay_request *req;
	struct replay_source *sources;
	size_t n_sources;
	struct core *core;
	struct store *store;
	struct notifier *notifier;
	struct recorder recorder;
	struct quiet quiet;
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
store_fail(struct replay *rp, int r)
{
	fprintf(stderr, "sitlogd: %s: %s\n", store_path(rp->store), store_errmsg(rp->store));
	return r;
}

/* A learned long axis is kept per device, so the next run need not walk first. */
static int
load_axes(struct replay *rp)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		double axis[3];
		int r;

		if (src->role != CORE_ROLE_IMU)
			continue;
		r = recorder_load_axis(&rp->recorder, src->device_id, axis);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return store_fail(rp, r);
		core_set_imu_axis(rp->core, src->dev, axis);
	}
	return 0;
}

static int
save_axes(struct replay *rp)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		double axis[3];
		int r;

		if (src->role != CORE_ROLE_IMU || !core_take_learned_axis(rp->core, src->dev, axis))
			continue;
		r = recorder_save_axis(&rp->recorder, src->device_id, axis);
		if (r < 0)
			return store_fail(rp, r);
	}
	return 0;
}

static int
open_sources(struct replay *rp)
{
	const struct replay_request *req = rp->req;
	size_t n = g_strv_length(req->files);

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

		if (req->role)
			src->role = g_str_equal(req->role, "imu") ? CORE_ROLE_IMU : CORE_ROLE_SEAT;
		else
			src->role = evemu_device_has_prop(evemu_reader_device(src->reader),
							  INPUT_PROP_ACCELEROMETER) ?
					    CORE_ROLE_IMU : CORE_ROLE_SEAT;
	}
	return 0;
}

/* First pass: the whole of every recording must be valid before anything is written. */
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
			src->last = ev.time;
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

static int
setup_core(struct replay *rp)
{
	const struct sitlog_config *cfg = rp->req->config;
	struct core_params cp = {
		.min_segment = cfg->min_segment,
		.tracker = {
			.break_min = cfg->break_min,
			.remind_after = cfg->remind_after,
			.repeat_every = cfg->repeat_every,
		},
	};

	rp->core = core_new(&cp);
	if (!rp->core)
		return -ENOMEM;
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		struct seat_classifier_params sp;
		int r;

		if (src->role == CORE_ROLE_IMU) {
			struct imu_classifier_params ip;

			r = device_imu_params(evemu_reader_device(src->reader), src->path, cfg, &ip);
			if (r < 0)
				return r;
			src->dev = core_add_imu(rp->core, &ip);
			if (src->dev < 0)
				goto too_many;
			continue;
		}
		r = device_seat_params(evemu_reader_device(src->reader), src->path, cfg, &sp);
		if (r < 0)
			return r;
		src->dev = core_add_seat(rp->core, &sp);
		if (src->dev < 0)
			goto too_many;
	}
	return 0;

too_many:
	fprintf(stderr, "sitlogd: too many recordings (%zu)\n", rp->n_sources);
	return -E2BIG;
}

static int
parse_start(const char *s, usec_t *ret)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(s, tz);
	gint64 us;

	if (!dt)
		return -EINVAL;
	us = g_date_time_to_unix(dt) * (gint64) USEC_PER_SEC + g_date_time_get_microsecond(dt);
	if (us < 0)
		return -ERANGE;
	*ret = (usec_t) us;
	return 0;
}

static void
time_base(struct replay *rp, usec_t *ret_last)
{
	usec_t first = USEC_INFINITY, last = 0;

	for (size_t i = 0; i < rp->n_sources; i++) {
		if (rp->sources[i].first < first)
			first = rp->sources[i].first;
		if (rp->sources[i].last > last)
			last = rp->sources[i].last;
	}
	rp->origin = first;
	*ret_last = last;
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
run_events(struct replay *rp, usec_t last, uint64_t *ret_n)
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
		core_feed(rp->core, src->dev, src->ev.time, src->ev.type, src->ev.code,
			  src->ev.value);
		n++;
		r = recorder_drain(&rp->recorder, rp->core);
		if (r < 0)
			return store_fail(rp, r);
		r = pull(src);
		if (r < 0)
			return r;
	}
	core_finish(rp->core, last);
	r = recorder_drain(&rp->recorder, rp->core);
	if (r < 0)
		return store_fail(rp, r);
	*ret_n = n;
	return 0;
}

static int
register_devices(struct replay *rp, int64_t now_ms)
{
	for (size_t i = 0; i < rp->n_sources; i++) {
		struct replay_source *src = &rp->sources[i];
		const struct evemu_device_info *info = evemu_reader_device(src->reader);
		struct store_device d = {
			.name = info->name,
			.role = src->role == CORE_ROLE_IMU ? "imu" : "seat",
			.bustype = info->bustype,
			.vendor = info->vendor,
			.product = info->product,
			.phys = "",
			.uniq = "",
		};
		int r = store_device_ensure(rp->store, &d, now_ms, &src->device_id);

		if (r < 0)
			return store_fail(rp, r);
		rp->recorder.device_ids[src->dev] = src->device_id;
	}
	return 0;
}

static void
format_wall(usec_t us, char *buf, size_t size)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local((gint64) (us / USEC_PER_SEC));
	g_autofree char *s = dt ? g_date_time_format(dt, "%F %T %z") : NULL;

	g_strlcpy(buf, s ? s : "?", size);
}

int
replay_run(const struct replay_request *req)
{
	struct replay rp = { .req = req };
	g_autofree char *store_error = NULL;
	char from[64], to[64], length[32];
	usec_t last, end_us;
	uint64_t n_events = 0;
	gint64 t0, t1;
	bool overlap = false;
	int ret = EXIT_DATAERR, lock_fd = -1, r;

	t0 = g_get_monotonic_time();
	if (open_sources(&rp) < 0 || validate_sources(&rp) < 0 || setup_core(&rp) < 0)
		goto out;
	time_base(&rp, &last);

	if (req->start) {
		if (parse_start(req->start, &rp.start_us) < 0) {
			fprintf(stderr, "sitlogd: --replay-start: \"%s\" is not an ISO 8601 date and "
				"time such as 2026-03-02T08:30:00\n", req->start);
			ret = 2;
			goto out;
		}
	} else {
		rp.start_us = (usec_t) g_get_real_time() - (last - rp.origin);
	}
	end_us = rp.start_us + (last - rp.origin);

	ret = EXIT_FAILURE;
	r = live_lock_database(req->db_path, &lock_fd);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s: %s\n", req->db_path,
			r == -EBUSY ? "another sitlogd is recording into it" : g_strerror(-r));
		goto out;
	}
	r = store_open(req->db_path, STORE_READ_WRITE, &rp.store, &store_error);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", store_error);
		goto out;
	}
	/* One transaction: a failure at any point leaves the database as it was. */
	r = store_begin(rp.store);
	if (r < 0) {
		store_fail(&rp, r);
		goto out;
	}
	r = store_has_segments_between(rp.store, (int64_t) (rp.start_us / USEC_PER_MSEC),
				       (int64_t) (end_us / USEC_PER_MSEC), &overlap);
	if (r < 0) {
		store_fail(&rp, r);
		goto rollback;
	}
	format_wall(rp.start_us, from, sizeof(from));
	format_wall(end_us, to, sizeof(to));
	if (overlap) {
		fprintf(stderr, "sitlogd: %s already holds data between %s and %s; refusing to replay "
			"over it (use another --db or --replay-start)\n",
			store_path(rp.store), from, to);
		goto rollback;
	}
	/* a replay runs no main loop: nobody could hear a click, so it offers no actions */
	rp.notifier = notifier_new(req->notify, false, req->config->snooze);
	recorder_init(&rp.recorder, rp.store, rp.notifier, req->config->heed_window,
		      req->config->escalate_after);
	rp.recorder.offset_us = (int64_t) rp.start_us - (int64_t) rp.origin;
	/* working hours apply to the replayed day as they would have live */
	rp.quiet = (struct quiet) { .config = req->config, .recorder = &rp.recorder };
	core_set_quiet(rp.core, quiet_check, &rp.quiet);
	if (register_devices(&rp, (int64_t) (rp.start_us / USEC_PER_MSEC)) < 0 ||
	    load_axes(&rp) < 0)
		goto rollback;

	if (run_events(&rp, last, &n_events) < 0 || save_axes(&rp) < 0)
		goto rollback;
	r = store_commit(rp.store);
	if (r < 0) {
		store_fail(&rp, r);
		goto rollback;
	}

	t1 = g_get_monotonic_time();
	format_duration(last - rp.origin, length, sizeof(length));
	fprintf(stderr, "sitlogd: replayed %" G_GUINT64_FORMAT " events (%s, %s to %s) into %s: "
		"%u bouts, %u prompts; %.3f s, %.0f events/s\n",
		n_events, length, from, to, store_path(rp.store), rp.recorder.n_bouts,
		rp.recorder.n_prompts,
		(double) (t1 - t0) / 1e6,
		t1 > t0 ? (double) n_events * 1e6 / (double) (t1 - t0) : 0.0);
	ret = 0;
	goto out;

rollback:
	ret = ret == 0 ? EXIT_FAILURE : ret;
	store_rollback(rp.store);
out:
	notifier_free(rp.notifier);
	store_close(rp.store);
	core_free(rp.core);
	replay_free_sources(&rp);
	if (lock_fd >= 0)
		close(lock_fd);
	return ret;
}
