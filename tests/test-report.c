/* SPDX-License-Identifier: MIT */
/*
 * docs/semantics.md "Reports": report_compute() on a store written through the writer API, in
 * Europe/Berlin so that the days around the DST changes have 23 and 25 hours; then the sitlog
 * binary itself ($SITLOG_BIN) for the JSON, CSV and table shapes, export and its errors.
 */
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "close-bout.h"
#include "store.h"

#define MIN_MS ((int64_t) 60 * 1000)
#define HOUR_MS (60 * MIN_MS)
#define HEED_WINDOW_MS (5 * MIN_MS)

/* Local wall-clock time (TZ=Europe/Berlin) in ms since the epoch. */
static int64_t
local_ms(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(y, mo, d, h, mi, s);

	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt) * 1000;
}

static GDate
date(int y, int mo, int d)
{
	GDate g;

	g_date_clear(&g, 1);
	g_date_set_dmy(&g, (GDateDay) d, (GDateMonth) mo, (GDateYear) y);
	return g;
}

struct fixture {
	char *dir;
	char *db;
	struct store *s;
	int64_t device;
};

static void
fixture_set_up(struct fixture *f, gconstpointer data)
{
	const struct store_device seat = { .name = "Chair, \"Pro\"", .role = "seat" };
	g_autoptr(GError) error = NULL;
	g_autofree char *msg = NULL;

	f->dir = g_dir_make_tmp("sitlog-test-report-XXXXXX", &error);
	g_assert_no_error(error);
	f->db = g_build_filename(f->dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(f->db, STORE_READ_WRITE, &f->s, &msg), ==, 0);
	g_assert_cmpint(store_device_ensure(f->s, &seat, 0, &f->device), ==, 0);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *wal = g_strconcat(f->db, "-wal", NULL);
	g_autofree char *shm = g_strconcat(f->db, "-shm", NULL);
	g_autofree char *conf = g_build_filename(f->dir, "sitlog.conf", NULL);

	store_close(f->s);
	g_unlink(f->db);
	g_unlink(wal);
	g_unlink(shm);
	g_unlink(conf);
	g_rmdir(f->dir);
	g_free(f->db);
	g_free(f->dir);
}

static void
segment(struct fixture *f, enum posture p, int64_t a, int64_t b)
{
	int64_t id;

	g_assert_cmpint(store_segment_begin(f->s, f->device, p, a, &id), ==, 0);
	g_assert_cmpint(store_segment_set_end(f->s, id, b), ==, 0);
}

/* A bout [a, b) with prompts at ts[] (0-terminated), closed as the daemon closes it. */
static void
bout(struct fixture *f, int64_t a, int64_t b, const char *ended_by, const int64_t *ts)
{
	int64_t id;

	g_assert_cmpint(store_bout_begin(f->s, a, &id), ==, 0);
	for (int k = 0; ts && ts[k]; k++)
		g_assert_cmpint(
			store_prompt_add(f->s, id, ts[k], ts[k] - a, k, "due", "none", NULL), ==,
			0);
	g_assert_cmpint(test_close_bout(f->s, id, b, ended_by, HEED_WINDOW_MS), ==, 0);
}

/* A sitting bout that is one sitting segment. */
static void
sit(struct fixture *f, int64_t a, int64_t b, const int64_t *ts)
{
	segment(f, POSTURE_SITTING, a, b);
	bout(f, a, b, "break", ts);
}

static void
compute(struct fixture *f, GDate since, GDate until, usec_t prolonged, struct report *ret)
{
	g_assert_cmpint(report_compute(f->s, &since, &until, prolonged, REPORT_LISTS, ret), ==, 0);
}

#define assert_day(r, i, sit_s, n_bouts, longest_s, n_prolonged, n_prompts, n_heeded)              \
	do {                                                                                       \
		const struct report_day *d_ = &(r)->days[i];                                       \
		g_assert_cmpint(d_->fig.sitting_seconds, ==, sit_s);                                   \
		g_assert_cmpuint(d_->fig.bouts, ==, n_bouts);                                          \
		g_assert_cmpint(d_->fig.longest_bout_seconds, ==, longest_s);                          \
		g_assert_cmpuint(d_->fig.prolonged_bouts, ==, n_prolonged);                            \
		g_assert_cmpuint(d_->fig.prompts, ==, n_prompts);                                      \
		g_assert_cmpuint(d_->fig.prompts_heeded, ==, n_heeded);                                \
	} while (0)

/* Totals are the sums of the days, longest the maximum. */
static void
assert_totals_are_sums(const struct report *r)
{
	int64_t sitting = 0, longest = 0;
	unsigned bouts = 0, prolonged = 0, prompts = 0, heeded = 0;

	for (unsigned i = 0; i < r->n_days; i++) {
		sitting += r->days[i].fig.sitting_seconds;
		bouts += r->days[i].fig.bouts;
		longest = MAX(longest, r->days[i].fig.longest_bout_seconds);
		prolonged += r->days[i].fig.prolonged_bouts;
		prompts += r->days[i].fig.prompts;
		heeded += r->days[i].fig.prompts_heeded;
	}
	g_assert_cmpint(r->total.sitting_seconds, ==, sitting);
	g_assert_cmpuint(r->total.bouts, ==, bouts);
	g_assert_cmpint(r->total.longest_bout_seconds, ==, longest);
	g_assert_cmpuint(r->total.prolonged_bouts, ==, prolonged);
	g_assert_cmpuint(r->total.prompts, ==, prompts);
	g_assert_cmpuint(r->total.prompts_heeded, ==, heeded);
}

/* Sitting seconds split at local midnight; the bout counts on its start day, full length. */
static void
test_report_midnight_splits_sitting_not_bouts(struct fixture *f, gconstpointer data)
{
	const int64_t prompts[] = { local_ms(2026, 3, 3, 0, 0, 0), 0 };
	struct report r;

	sit(f, local_ms(2026, 3, 2, 23, 30, 0), local_ms(2026, 3, 3, 0, 45, 0), prompts);
	compute(f, date(2026, 3, 2), date(2026, 3, 3), 30 * USEC_PER_MINUTE, &r);
	g_assert_cmpuint(r.n_days, ==, 2);
	assert_day(&r, 0, 1800, 1, 4500, 1, 0, 0);
	assert_day(&r, 1, 2700, 0, 0, 0, 1, 0);
	assert_totals_are_sums(&r);
	g_assert_cmpint(r.total.sitting_seconds, ==, 4500);
	report_clear(&r);

	/* the second day alone: its part of the sitting, no bout, the prompt issued on it */
	compute(f, date(2026, 3, 3), date(2026, 3, 3), 30 * USEC_PER_MINUTE, &r);
	assert_day(&r, 0, 2700, 0, 0, 0, 1, 0);
	report_clear(&r);
}

/* Prompts that fell due while paused are kept (reason "suppressed") but not counted. */
static void
test_report_suppressed_prompts_not_counted(struct fixture *f, gconstpointer data)
{
	int64_t a = local_ms(2026, 3, 2, 9, 0, 0), id;
	struct report r;

	segment(f, POSTURE_SITTING, a, a + 55 * 60000);
	g_assert_cmpint(store_bout_begin(f->s, a, &id), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 30 * 60000, 30 * 60000, 0, "suppressed", "none",
					 NULL), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 40 * 60000, 40 * 60000, 0, "suppressed", "none",
					 NULL), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 50 * 60000, 50 * 60000, 0, "due", "log", NULL),
			==, 0);
	g_assert_cmpint(test_close_bout(f->s, id, a + 55 * 60000, "break", HEED_WINDOW_MS), ==, 0);
	compute(f, date(2026, 3, 2), date(2026, 3, 2), 30 * USEC_PER_MINUTE, &r);
	assert_day(&r, 0, 3300, 1, 3300, 1, 1, 1);
	report_clear(&r);
}

/* DST-safe days: Europe/Berlin's 2026-03-29 has 23 hours, 2026-10-25 has 25. */
static void
test_report_dst_days(struct fixture *f, gconstpointer data)
{
	struct report r;

	segment(f, POSTURE_SITTING, local_ms(2026, 3, 28, 23, 0, 0),
		local_ms(2026, 3, 30, 1, 0, 0));
	segment(f, POSTURE_SITTING, local_ms(2026, 10, 24, 23, 0, 0),
		local_ms(2026, 10, 26, 1, 0, 0));

	compute(f, date(2026, 3, 28), date(2026, 3, 30), 30 * USEC_PER_MINUTE, &r);
	g_assert_cmpint(r.days[1].end_ms - r.days[1].start_ms, ==, 23 * HOUR_MS);
	assert_day(&r, 0, 3600, 0, 0, 0, 0, 0);
	assert_day(&r, 1, 23 * 3600, 0, 0, 0, 0, 0);
	assert_day(&r, 2, 3600, 0, 0, 0, 0, 0);
	assert_totals_are_sums(&r);
	report_clear(&r);

	compute(f, date(2026, 10, 24), date(2026, 10, 26), 30 * USEC_PER_MINUTE, &r);
	g_assert_cmpint(r.days[1].end_ms - r.days[1].start_ms, ==, 25 * HOUR_MS);
	assert_day(&r, 0, 3600, 0, 0, 0, 0, 0);
	assert_day(&r, 1, 25 * 3600, 0, 0, 0, 0, 0);
	assert_day(&r, 2, 3600, 0, 0, 0, 0, 0);
	assert_totals_are_sums(&r);
	report_clear(&r);
}

/* prolonged is >= on the exact length; seconds are rounded per bout for display only. */
static void
test_report_prolonged_threshold_inclusive(struct fixture *f, gconstpointer data)
{
	int64_t t = local_ms(2026, 3, 2, 8, 0, 0);
	struct report r;

	sit(f, t, t + 30 * MIN_MS - 400, NULL); /* 29:59.600: rounds to 30:00, not prolonged */
	t += 2 * HOUR_MS;
	sit(f, t, t + 30 * MIN_MS, NULL); /* exactly 30:00: prolonged */
	t += 2 * HOUR_MS;
	sit(f, t, t + 20 * MIN_MS, NULL);

	compute(f, date(2026, 3, 2), date(2026, 3, 2), 30 * USEC_PER_MINUTE, &r);
	assert_day(&r, 0, 4800, 3, 1800, 1, 0, 0);
	g_assert_cmpint(g_array_index(r.days[0].bout_list, struct report_bout, 0).seconds, ==,
			1800);
	g_assert_false(g_array_index(r.days[0].bout_list, struct report_bout, 0).prolonged);
	g_assert_true(g_array_index(r.days[0].bout_list, struct report_bout, 1).prolonged);
	report_clear(&r);

	/* another threshold, as [Tracking] prolonged gives it */
	compute(f, date(2026, 3, 2), date(2026, 3, 2), 20 * USEC_PER_MINUTE, &r);
	assert_day(&r, 0, 4800, 3, 1800, 3, 0, 0);
	report_clear(&r);
}

/* Every day of the range is listed, empty ones too; only sitting counts as sitting. */
static void
test_report_empty_days_listed(struct fixture *f, gconstpointer data)
{
	struct report r;

	segment(f, POSTURE_AWAY, local_ms(2026, 3, 4, 8, 0, 0), local_ms(2026, 3, 4, 9, 0, 0));
	segment(f, POSTURE_STANDING, local_ms(2026, 3, 4, 9, 0, 0), local_ms(2026, 3, 4, 10, 0, 0));
	segment(f, POSTURE_UNKNOWN, local_ms(2026, 3, 4, 10, 0, 0), local_ms(2026, 3, 4, 11, 0, 0));
	sit(f, local_ms(2026, 3, 4, 11, 0, 0), local_ms(2026, 3, 4, 11, 10, 0), NULL);

	compute(f, date(2026, 3, 1), date(2026, 3, 7), 30 * USEC_PER_MINUTE, &r);
	g_assert_cmpuint(r.n_days, ==, 7);
	for (unsigned i = 0; i < r.n_days; i++) {
		g_assert_cmpint(g_date_get_day(&r.days[i].date), ==, (int) i + 1);
		if (i == 3)
			assert_day(&r, i, 600, 1, 600, 0, 0, 0);
		else
			assert_day(&r, i, 0, 0, 0, 0, 0, 0);
	}
	assert_totals_are_sums(&r);
	report_clear(&r);

	/* nothing at all: zeros, longest 0 */
	compute(f, date(2025, 1, 1), date(2025, 1, 1), 30 * USEC_PER_MINUTE, &r);
	g_assert_cmpuint(r.n_days, ==, 1);
	assert_day(&r, 0, 0, 0, 0, 0, 0, 0);
	g_assert_cmpint(r.total.longest_bout_seconds, ==, 0);
	report_clear(&r);
}

/* Several days: totals are the sums of the (rounded) days; longest the maximum. */
static void
test_report_totals_are_sums(struct fixture *f, gconstpointer data)
{
	const int64_t p1[] = { local_ms(2026, 3, 2, 9, 30, 0), local_ms(2026, 3, 2, 9, 40, 0), 0 };
	const int64_t p2[] = { local_ms(2026, 3, 3, 14, 30, 0), 0 };
	struct report r;

	/* day 1: 1500 ms of sitting in two pieces rounds to 2 s for the day, not 1 + 1 */
	segment(f, POSTURE_SITTING, local_ms(2026, 3, 2, 7, 0, 0),
		local_ms(2026, 3, 2, 7, 0, 0) + 750);
	segment(f, POSTURE_SITTING, local_ms(2026, 3, 2, 7, 1, 0),
		local_ms(2026, 3, 2, 7, 1, 0) + 750);
	/* 09:00-09:44, prompts 09:30 and 09:40; the break at 09:44 heeds the 09:40 one */
	sit(f, local_ms(2026, 3, 2, 9, 0, 0), local_ms(2026, 3, 2, 9, 44, 0), p1);
	/* day 2: 14:00-14:50 with a short interruption inside the bout */
	segment(f, POSTURE_SITTING, local_ms(2026, 3, 3, 14, 0, 0),
		local_ms(2026, 3, 3, 14, 20, 0));
	segment(f, POSTURE_STANDING, local_ms(2026, 3, 3, 14, 20, 0),
		local_ms(2026, 3, 3, 14, 20, 30));
	segment(f, POSTURE_SITTING, local_ms(2026, 3, 3, 14, 20, 30),
		local_ms(2026, 3, 3, 14, 50, 0));
	bout(f, local_ms(2026, 3, 3, 14, 0, 0), local_ms(2026, 3, 3, 14, 50, 0), "end", p2);

	compute(f, date(2026, 3, 2), date(2026, 3, 4), 30 * USEC_PER_MINUTE, &r);
	assert_day(&r, 0, 2 + 44 * 60, 1, 44 * 60, 1, 2, 1);
	/* the interruption is not sitting, but part of the bout; ended_by end: nothing heeded */
	assert_day(&r, 1, 50 * 60 - 30, 1, 50 * 60, 1, 1, 0);
	assert_day(&r, 2, 0, 0, 0, 0, 0, 0);
	assert_totals_are_sums(&r);
	g_assert_cmpint(r.total.sitting_seconds, ==, 2 + 44 * 60 + 50 * 60 - 30);
	g_assert_cmpint(r.total.longest_bout_seconds, ==, 50 * 60);
	g_assert_cmpuint(r.total.prompts, ==, 3);
	g_assert_cmpuint(r.total.prompts_heeded, ==, 1);
	report_clear(&r);
}

/* What lies outside the range: segments clipped, earlier bouts and their prompts not counted. */
static void
test_report_range_edges(struct fixture *f, gconstpointer data)
{
	const int64_t p[] = { local_ms(2026, 3, 2, 23, 45, 0), local_ms(2026, 3, 3, 0, 5, 0), 0 };
	struct report r;

	sit(f, local_ms(2026, 3, 2, 23, 15, 0), local_ms(2026, 3, 3, 0, 10, 0), p);
	sit(f, local_ms(2026, 3, 3, 23, 50, 0), local_ms(2026, 3, 4, 0, 0, 0), NULL);
	sit(f, local_ms(2026, 3, 4, 0, 0, 0), local_ms(2026, 3, 4, 0, 5, 0), NULL);

	compute(f, date(2026, 3, 3), date(2026, 3, 3), 30 * USEC_PER_MINUTE, &r);
	/* 00:00-00:10 and 23:50-24:00; the 23:15 bout is the 2nd's; the 00:05 prompt heeded */
	assert_day(&r, 0, 1200, 1, 600, 0, 1, 1);
	g_assert_cmpuint(r.days[0].bout_list->len, ==, 1);
	report_clear(&r);
}

static void
test_report_parse_date(void)
{
	static const char *const bad[] = {
		"",           "2026-3-01",  "2026-03-1",   " 2026-3-01", "+2026-03-1",
		"2026-02-29", "2026-13-01", "2026-03-01x", "2026/03/01", "Today",
		"tomorrow",   "0001-01-01", "9999-12-31",  "2026-03-00", "20260301",
	};
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	GDate d, today;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("\"%s\"", bad[i]);
		g_assert_false(report_parse_date(bad[i], &d));
	}
	g_assert_true(report_parse_date("2028-02-29", &d));
	{
		GDate want = date(2028, 2, 29);

		g_assert_cmpint(g_date_compare(&d, &want), ==, 0);
	}
	today = date(g_date_time_get_year(now), g_date_time_get_month(now),
		     g_date_time_get_day_of_month(now));
	g_assert_true(report_parse_date("today", &d));
	g_assert_cmpint(g_date_compare(&d, &today), ==, 0);
	g_assert_true(report_parse_date("yesterday", &d));
	g_assert_cmpint(g_date_days_between(&d, &today), ==, 1);
}

/* ---- the sitlog binary ---- */

struct run {
	int status;
	char *out, *err;
};

static void
run_clear(struct run *r)
{
	g_free(r->out);
	g_free(r->err);
}

/* The program named by $bin_env with the arguments up to NULL. */
static bool
run_program(struct run *ret, const char *bin_env, va_list ap)
{
	const char *bin = g_getenv(bin_env);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	const char *arg;

	if (!bin) {
		g_test_skip("$SITLOG_BIN or $SITLOGD_BIN is not set (meson sets them)");
		return false;
	}
	g_ptr_array_add(argv, (char *) bin);
	while ((arg = va_arg(ap, const char *)))
		g_ptr_array_add(argv, (char *) arg);
	g_ptr_array_add(argv, NULL);
	g_assert_true(g_spawn_sync(NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   &ret->out, &ret->err, &ret->status, &error));
	g_assert_no_error(error);
	ret->status = WIFEXITED(ret->status) ? WEXITSTATUS(ret->status) : 128;
	g_test_message("exit %d\n%s%s", ret->status, ret->out, ret->err);
	return true;
}

static bool
run_sitlog(struct run *ret, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, ret);
	ok = run_program(ret, "SITLOG_BIN", ap);
	va_end(ap);
	return ok;
}

static bool
run_sitlogd(struct run *ret, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, ret);
	ok = run_program(ret, "SITLOGD_BIN", ap);
	va_end(ap);
	return ok;
}

/*
 * 2026-03-28 (Sat): 08:30-09:15 sitting, prompt 09:10 (heeded by the 09:15 break);
 * 23:30-00:30 sitting into the 29th (the DST day), prompt at 00:00 (not heeded);
 * 29th 10:00-10:05 standing (summer time); 30th nothing.
 */
static void
populate_weekend(struct fixture *f)
{
	const int64_t p1[] = { local_ms(2026, 3, 28, 9, 10, 0), 0 };
	const int64_t p2[] = { local_ms(2026, 3, 29, 0, 0, 0), 0 };

	segment(f, POSTURE_AWAY, local_ms(2026, 3, 28, 8, 0, 0), local_ms(2026, 3, 28, 8, 30, 0));
	sit(f, local_ms(2026, 3, 28, 8, 30, 0), local_ms(2026, 3, 28, 9, 15, 0), p1);
	sit(f, local_ms(2026, 3, 28, 23, 30, 0), local_ms(2026, 3, 29, 0, 30, 0), p2);
	segment(f, POSTURE_STANDING, local_ms(2026, 3, 29, 10, 0, 0),
		local_ms(2026, 3, 29, 10, 5, 0) + 123);
}

static void
test_report_cli_json_csv_table(struct fixture *f, gconstpointer data)
{
	struct run r = { 0 };

	populate_weekend(f);
	if (!run_sitlog(&r, "--db", f->db, "report", "--since", "2026-03-28", "--until",
			"2026-03-30", "--format", "json", NULL))
		return;
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.err, ==, "");
	/* the figures' part of version 1 (tests/test-views.py checks the whole against
	 * data/schema/report.schema.json) */
	g_assert_true(g_str_has_prefix(r.out, "{\"version\":1,\"since\":\"2026-03-28\","
					      "\"until\":\"2026-03-30\",\"n_days\":3,"));
	g_assert_nonnull(strstr(r.out, "\"sitting_seconds\":6300,\"bouts\":2,"
				       "\"longest_bout_seconds\":3600,\"prolonged_bouts\":2,"
				       "\"prompts\":2,\"prompts_heeded\":1,\"breaks\":2,"));
	g_assert_nonnull(strstr(r.out, "{\"date\":\"2026-03-28\",\"sitting_seconds\":4500,"
				       "\"bouts\":2,\"longest_bout_seconds\":3600,"
				       "\"prolonged_bouts\":2,\"prompts\":1,\"prompts_heeded\":1,"));
	g_assert_nonnull(strstr(r.out, "{\"date\":\"2026-03-29\",\"sitting_seconds\":1800,"
				       "\"bouts\":0,\"longest_bout_seconds\":0,"
				       "\"prolonged_bouts\":0,\"prompts\":1,\"prompts_heeded\":0,"));
	g_assert_nonnull(strstr(r.out, "{\"date\":\"2026-03-30\",\"sitting_seconds\":0,"
				       "\"bouts\":0,\"longest_bout_seconds\":0,"
				       "\"prolonged_bouts\":0,\"prompts\":0,\"prompts_heeded\":0,"));
	run_clear(&r);

	/* CSV: the first seven columns as before, more after them */
	g_assert_true(run_sitlog(&r, "--db", f->db, "report", "--since", "2026-03-28", "--until",
				 "2026-03-30", "--format", "csv", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_str_has_prefix(r.out, "date,sitting_seconds,bouts,longest_bout_seconds,"
					      "prolonged_bouts,prompts,prompts_heeded,"));
	g_assert_nonnull(strstr(r.out, "\n2026-03-28,4500,2,3600,2,1,1,"));
	g_assert_nonnull(strstr(r.out, "\n2026-03-29,1800,0,0,0,1,0,"));
	g_assert_nonnull(strstr(r.out, "\n2026-03-30,0,0,0,0,0,0,"));
	run_clear(&r);

	g_assert_true(run_sitlog(&r, "--db", f->db, "report", "--since", "2026-03-28", "--until",
				 "2026-03-28", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_str_has_prefix(r.out, "sitlog report: 2026-03-28 (Sat)\n\n"
					      "Sitting     1h 15m\n"
					      "Bouts       2, longest 1h 00m; prolonged (\u2265 30min): 2\n"));
	g_assert_true(g_str_has_suffix(r.out,
				       "\nBouts (continuous sitting; breaks under 1min are part of a "
				       "bout):\n"
				       "  08:30-09:15   45m 00s  prolonged  1 prompt, 1 heeded\n"
				       "  23:30-00:30    1h 00m  prolonged\n"));
	run_clear(&r);

	g_assert_true(run_sitlog(&r, "--db", f->db, "report", "--since", "2026-03-28", "--until",
				 "2026-03-30", "--format", "table", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "\n2026-03-28  Sat    1h 15m      2   1h 00m"));
	g_assert_nonnull(strstr(r.out, "\n2026-03-29  Sun   30m 00s      0        -"));
	g_assert_nonnull(strstr(r.out, "\n2026-03-30  Mon        0s      0        -"));
	g_assert_nonnull(strstr(r.out, "\nTotal              1h 45m      2   1h 00m"));
	run_clear(&r);
}

static void
test_report_cli_config_prolonged(struct fixture *f, gconstpointer data)
{
	g_autofree char *conf = g_build_filename(f->dir, "sitlog.conf", NULL);
	struct run r = { 0 };

	populate_weekend(f);
	g_assert_true(g_file_set_contents(conf, "[Tracking]\nprolonged=50min\n", -1, NULL));
	if (!run_sitlog(&r, "--db", f->db, "--config", conf, "report", "--since", "2026-03-28",
			"--until", "2026-03-28", "--format", "csv", NULL))
		return;
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "\n2026-03-28,4500,2,3600,1,1,1,"));
	run_clear(&r);
}

static void
test_report_cli_export(struct fixture *f, gconstpointer data)
{
	struct run r = { 0 };

	populate_weekend(f);
	if (!run_sitlog(&r, "--db", f->db, "export", "--format", "csv", NULL))
		return;
	g_assert_cmpint(r.status, ==, 0);
	/* winter time +01:00, summer time +02:00 after 02:00 on the 29th; a device name quoted */
	g_assert_cmpstr(r.out, ==,
			"start,end,posture,device\n"
			"2026-03-28T08:00:00.000+01:00,2026-03-28T08:30:00.000+01:00,away,"
			"\"Chair, \"\"Pro\"\"\"\n"
			"2026-03-28T08:30:00.000+01:00,2026-03-28T09:15:00.000+01:00,sitting,"
			"\"Chair, \"\"Pro\"\"\"\n"
			"2026-03-28T23:30:00.000+01:00,2026-03-29T00:30:00.000+01:00,sitting,"
			"\"Chair, \"\"Pro\"\"\"\n"
			"2026-03-29T10:00:00.000+02:00,2026-03-29T10:05:00.123+02:00,standing,"
			"\"Chair, \"\"Pro\"\"\"\n");
	run_clear(&r);

	/* a range: the segments overlapping its days */
	g_assert_true(run_sitlog(&r, "--db", f->db, "export", "--format", "json", "--since",
				 "2026-03-29", "--until", "2026-03-29", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==,
			"{\"version\":1,\"segments\":[\n"
			"  {\"start\":\"2026-03-28T23:30:00.000+01:00\","
			"\"end\":\"2026-03-29T00:30:00.000+01:00\",\"start_ms\":1774737000000,"
			"\"end_ms\":1774740600000,\"posture\":\"sitting\","
			"\"device\":\"Chair, \\\"Pro\\\"\"},\n"
			"  {\"start\":\"2026-03-29T10:00:00.000+02:00\","
			"\"end\":\"2026-03-29T10:05:00.123+02:00\",\"start_ms\":1774771200000,"
			"\"end_ms\":1774771500123,\"posture\":\"standing\","
			"\"device\":\"Chair, \\\"Pro\\\"\"}\n"
			"]}\n");
	run_clear(&r);

	g_assert_true(run_sitlog(&r, "--db", f->db, "export", "--format", "json", "--since",
				 "2026-04-01", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_cmpstr(r.out, ==, "{\"version\":1,\"segments\":[]}\n");
	run_clear(&r);
}

static void
test_report_cli_errors(struct fixture *f, gconstpointer data)
{
	g_autofree char *missing = g_build_filename(f->dir, "missing", "sitlog.db", NULL);
	g_autofree char *want = g_strdup_printf("sitlog: no data yet (no database at %s); is "
						"sitlogd running? `systemctl --user status "
						"sitlogd`\n",
						missing);
	static const char *const usage[][8] = {
		{ "report", "--since", "2026-03-02", "--until", "2026-03-01" },
		{ "report", "--since", "2026-02-30" },
		{ "report", "--format", "xml" },
		{ "report", "--days", "0" },
		{ "report", "--week", "--since", "today" },
		{ "report", "extra" },
		{ "export" },
		{ "export", "--format", "csv", "--since", "2026-03-02", "--until", "2026-03-01" },
		{ "frobnicate" },
		{ "help", "frobnicate" },
	};
	struct run r = { 0 };

	if (!run_sitlog(&r, "--db", missing, "report", NULL))
		return;
	g_assert_cmpint(r.status, ==, 1);
	g_assert_cmpstr(r.err, ==, want);
	g_assert_cmpstr(r.out, ==, "");
	g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
	run_clear(&r);

	for (size_t i = 0; i < G_N_ELEMENTS(usage); i++) {
		const char *const *a = usage[i];

		g_assert_true(run_sitlog(&r, "--db", f->db, a[0], a[1], a[2], a[3], a[4], a[5],
					 a[6], a[7], NULL));
		g_assert_cmpint(r.status, ==, 2);
		g_assert_true(g_str_has_prefix(r.err, "sitlog: "));
		g_assert_cmpstr(r.out, ==, "");
		run_clear(&r);
	}

	/* help for every verb, on stdout, exit 0 */
	g_assert_true(run_sitlog(&r, "help", "report", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "--since"));
	run_clear(&r);
	g_assert_true(run_sitlog(&r, "export", "--help", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "--format"));
	run_clear(&r);
	g_assert_true(run_sitlog(&r, "--help", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_nonnull(strstr(r.out, "report"));
	g_assert_nonnull(strstr(r.out, "export"));
	run_clear(&r);
	g_assert_true(run_sitlog(&r, "--version", NULL));
	g_assert_cmpint(r.status, ==, 0);
	g_assert_true(g_str_has_prefix(r.out, "sitlog "));
	run_clear(&r);
}

/* Durations and times given to the CLI: one range (1s..366d), one parser (1970..2100); refused
 * before the daemon is asked, as usage errors, never sent as 0. */
static void
test_report_cli_duration_and_time_errors(void)
{
	static const struct {
		const char *args[6];
		const char *err;
	} rows[] = {
		{ { "pause", "500ms" }, "sitlog: pause: \"500ms\": must be between 1s and 366d\n" },
		{ { "pause", "0" }, "sitlog: pause: \"0\": must be between 1s and 366d\n" },
		{ { "pause", "367d" }, "sitlog: pause: \"367d\": must be between 1s and 366d\n" },
		{ { "snooze", "999ms" },
		  "sitlog: snooze: \"999ms\": must be between 1s and 366d\n" },
		{ { "snooze", "5124095575h" },
		  "sitlog: snooze: \"5124095575h\": must be between 1s and 366d\n" },
		{ { "snooze", "soon" },
		  "sitlog: snooze: \"soon\" is not a duration such as 10min or 1h\n" },
		{ { "pause", "--until", "9999-12-31T20:00:00" },
		  "sitlog: pause: --until: \"9999-12-31T20:00:00\" is out of range "
		  "(1970 to 2100)\n" },
		{ { "pause", "--until", "24:00" },
		  "sitlog: pause: --until: \"24:00\" is not a time (HH:MM[:SS], or "
		  "YYYY-MM-DDTHH:MM[:SS] with an optional UTC offset)\n" },
		{ { "pause", "--until", "2020-01-01T00:00" },
		  "sitlog: pause: --until: \"2020-01-01T00:00\" is not a time to come\n" },
		{ { "pause", "--until", "2099-12-31T00:00Z" },
		  "sitlog: pause: --until: \"2099-12-31T00:00Z\" is too far ahead (a pause lasts "
		  "between 1s and 366d)\n" },
		{ { "report", "--since", "9999-12-31" },
		  "sitlog: report: --since 9999-12-31: out of range (1970 to 2100)\n" },
		{ { "export", "--format", "csv", "--until", "1969-12-31" },
		  "sitlog: export: --until 1969-12-31: out of range (1970 to 2100)\n" },
	};
	struct run r = { 0 };

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		const char *const *a = rows[i].args;

		if (!run_sitlog(&r, "--db", "/nonexistent/sitlog.db", a[0], a[1], a[2], a[3], a[4],
				a[5], NULL))
			return;
		g_assert_cmpint(r.status, ==, 2);
		g_assert_cmpstr(r.err, ==, rows[i].err);
		g_assert_cmpstr(r.out, ==, "");
		run_clear(&r);
	}
}

/* --config and its messages: one function (sitlog_config_load()) for both programs. */
static void
test_report_cli_config_option_both_programs(struct fixture *f, gconstpointer data)
{
	g_autofree char *missing = g_build_filename(f->dir, "missing.conf", NULL);
	g_autofree char *bad = g_build_filename(f->dir, "bad.conf", NULL);
	g_autofree char *why_missing = g_strdup_printf("%s: no such configuration file\n", missing);
	g_autofree char *why_bad = g_strdup_printf("%s:2: pause=400d: must be between 1s and "
						   "366d\n", bad);
	const char *const paths[] = { missing, bad };
	const char *const whys[] = { why_missing, why_bad };
	struct run r = { 0 };

	g_assert_true(g_file_set_contents(bad, "[Reminders]\npause=400d\n", -1, NULL));
	for (size_t i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autofree char *want_cli = g_strconcat("sitlog: ", whys[i], NULL);
		g_autofree char *want_daemon = g_strconcat("sitlogd: ", whys[i], NULL);

		if (!run_sitlog(&r, "--db", f->db, "--config", paths[i], "report", NULL))
			return;
		g_assert_cmpint(r.status, ==, 1);
		g_assert_cmpstr(r.err, ==, want_cli);
		g_assert_cmpstr(r.out, ==, "");
		run_clear(&r);
		if (!run_sitlogd(&r, "--db", f->db, "--config", paths[i], NULL))
			return;
		g_assert_cmpint(r.status, ==, 1);
		g_assert_cmpstr(r.err, ==, want_daemon);
		g_assert_cmpstr(r.out, ==, "");
		run_clear(&r);
	}
}

#define ADD(name, fn) g_test_add(name, struct fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main(int argc, char **argv)
{
	/* before GLib looks at the local time zone; inherited by the sitlog we run */
	g_setenv("TZ", "Europe/Berlin", TRUE);
	g_setenv("LC_ALL", "C.UTF-8", TRUE);
	g_setenv("XDG_CONFIG_HOME", "/nonexistent/sitlog-test-report", TRUE);
	g_setenv("XDG_CONFIG_DIRS", "/nonexistent/sitlog-test-report", TRUE);
	g_unsetenv("SITLOG_DB");
	tzset();
	g_test_init(&argc, &argv, NULL);

	ADD("/report/midnight-splits-sitting-not-bouts",
	    test_report_midnight_splits_sitting_not_bouts);
	ADD("/report/dst-days", test_report_dst_days);
	ADD("/report/suppressed-prompts-not-counted", test_report_suppressed_prompts_not_counted);
	ADD("/report/prolonged-threshold-inclusive", test_report_prolonged_threshold_inclusive);
	ADD("/report/empty-days-listed", test_report_empty_days_listed);
	ADD("/report/totals-are-sums", test_report_totals_are_sums);
	ADD("/report/range-edges", test_report_range_edges);
	g_test_add_func("/report/parse-date", test_report_parse_date);
	ADD("/report/cli-json-csv-table", test_report_cli_json_csv_table);
	ADD("/report/cli-config-prolonged", test_report_cli_config_prolonged);
	ADD("/report/cli-export", test_report_cli_export);
	ADD("/report/cli-errors", test_report_cli_errors);
	ADD("/report/cli-config-option-both-programs", test_report_cli_config_option_both_programs);
	g_test_add_func("/report/cli-duration-and-time-errors",
			test_report_cli_duration_and_time_errors);
	return g_test_run();
}
