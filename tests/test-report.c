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
#include "gen-history.h"
#include "rollup.h"
#include "store-fixture.h"
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
	test_store_open("sitlog-test-report-XXXXXX", "Chair, \"Pro\"", &f->dir, &f->db, &f->s,
			&f->device);
}

static void
fixture_tear_down(struct fixture *f, gconstpointer data)
{
	store_close(f->s);
	test_rm_rf(f->dir);
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
				       "  23:30-00:30+1d    1h 00m  prolonged\n"));
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
		  "(1970-01-01 to 2099-12-31)\n" },
		{ { "pause", "--until", "24:00" },
		  "sitlog: pause: --until: \"24:00\" is not a time (HH:MM[:SS], or "
		  "YYYY-MM-DDTHH:MM[:SS] with an optional UTC offset)\n" },
		{ { "pause", "--until", "2020-01-01T00:00" },
		  "sitlog: pause: --until: \"2020-01-01T00:00\" is not a time to come\n" },
		{ { "pause", "--until", "2099-12-31T00:00Z" },
		  "sitlog: pause: --until: \"2099-12-31T00:00Z\" is too far ahead (a pause lasts "
		  "between 1s and 366d)\n" },
		{ { "report", "--since", "9999-12-31" },
		  "sitlog: report: --since 9999-12-31: out of range (1970-01-01 to 2099-12-31)\n" },
		{ { "export", "--format", "csv", "--until", "1969-12-31" },
		  "sitlog: export: --until 1969-12-31: out of range (1970-01-01 to 2099-12-31)\n" },
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

/* ---- the figures of issue 11, the roll-up against the raw tables, against truths computed
 * here from the rows by other means (GDateTime per minute, linear scans) ---- */

static void
set_tz(const char *tz)
{
	g_setenv("TZ", tz, TRUE);
	tzset();
}

/* The writer's commit: brings the roll-up up to date. */
static void
flush(struct fixture *f)
{
	g_assert_cmpint(store_begin(f->s), ==, 0);
	g_assert_cmpint(store_commit(f->s), ==, 0);
}

struct truth_day {
	int64_t start, end;
	int64_t sit, up, meas, away, longest;
	unsigned bouts, breaks, prompts, heeded, prolonged, cls_n[4];
	int64_t cls_ms[4];
};

struct truth {
	unsigned n;
	struct truth_day *days;
	int64_t prolonged_ms;
	int64_t hours[24]; /* ms */
};

static int
truth_day_of(const struct truth *t, int64_t ms)
{
	for (unsigned i = 0; i < t->n; i++)
		if (ms >= t->days[i].start && ms < t->days[i].end)
			return (int) i;
	return -1;
}

static bool
worn_name(const char *name)
{
	return name && (g_str_equal(name, "Thigh IMU") || g_str_equal(name, "Test IMU"));
}

static int
truth_segment(const struct store_segment *seg, void *userdata)
{
	struct truth *t = userdata;

	for (unsigned i = 0; i < t->n; i++) {
		struct truth_day *d = &t->days[i];
		int64_t ms = MIN(seg->end_ms, d->end) - MAX(seg->start_ms, d->start);

		if (ms <= 0)
			continue;
		if (seg->posture == POSTURE_SITTING)
			d->sit += ms;
		if (seg->posture == POSTURE_AWAY)
			d->away += ms;
		if (worn_name(seg->device) && seg->posture != POSTURE_UNKNOWN)
			d->meas += ms;
		if (worn_name(seg->device) &&
		    (seg->posture == POSTURE_STANDING || seg->posture == POSTURE_WALKING))
			d->up += ms;
	}
	return 0;
}

/* The local hour of each minute (whole-minute offsets, as every zone has now). */
static void
truth_hours(int64_t a, int64_t b, int64_t slots[24])
{
	while (a < b) {
		int64_t next = MIN(b, (a / 60000 + 1) * 60000);
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(a / 1000);

		slots[g_date_time_get_hour(dt)] += next - a;
		a = next;
	}
}

static int
truth_bout(const struct store_bout *b, void *userdata)
{
	struct truth *t = userdata;
	int i = truth_day_of(t, b->start_ms), k;
	int64_t len = b->end_ms - b->start_ms;
	struct truth_day *d;

	if (i < 0)
		return 0;
	d = &t->days[i];
	k = len < 30 * MIN_MS ? 0 : len < 60 * MIN_MS ? 1 : len < 90 * MIN_MS ? 2 : 3;
	d->bouts++;
	d->cls_n[k]++;
	d->cls_ms[k] += len;
	d->longest = MAX(d->longest, len);
	d->breaks += g_strcmp0(b->ended_by, "break") == 0;
	if (len >= t->prolonged_ms) {
		d->prolonged++;
		truth_hours(b->start_ms, b->end_ms, t->hours);
	}
	return 0;
}

static int
truth_prompt(const struct store_prompt *p, void *userdata)
{
	struct truth *t = userdata;
	int i = truth_day_of(t, p->t_ms);

	if (i >= 0 && !g_str_equal(p->reason, "suppressed")) {
		t->days[i].prompts++;
		t->days[i].heeded += p->heeded;
	}
	return 0;
}

static void
truth_compute(struct store *s, GDate since, unsigned n, int64_t prolonged_ms, struct truth *t)
{
	GDate d = since;

	*t = (struct truth) { .n = n, .days = g_new0(struct truth_day, n),
			      .prolonged_ms = prolonged_ms };
	for (unsigned i = 0; i < n; i++) {
		g_autoptr(GDateTime) a = g_date_time_new_local(g_date_get_year(&d),
							       g_date_get_month(&d),
							       g_date_get_day(&d), 0, 0, 0);
		g_autoptr(GDateTime) b = g_date_time_add_days(a, 1);

		t->days[i].start = g_date_time_to_unix(a) * 1000;
		t->days[i].end = g_date_time_to_unix(b) * 1000;
		g_date_add_days(&d, 1);
	}
	g_assert_cmpint(store_foreach_segment(s, t->days[0].start, t->days[n - 1].end,
					      truth_segment, t), ==, 0);
	g_assert_cmpint(store_foreach_bout(s, t->days[0].start, t->days[n - 1].end, truth_bout, t),
			==, 0);
	g_assert_cmpint(store_foreach_prompt(s, t->days[0].start, t->days[n - 1].end,
					     truth_prompt, t), ==, 0);
}

static int64_t
rnd(int64_t ms)
{
	return (ms + 500) / 1000;
}

/* Each day's figures against the truth, the totals against the sums of the days. */
static void
assert_matches_truth(const struct report *r, const struct truth *t)
{
	struct report_figures sum = { 0 };

	g_assert_cmpuint(r->n_days, ==, t->n);
	for (unsigned i = 0; i < t->n; i++) {
		const struct report_figures *f = &r->days[i].fig;
		const struct truth_day *d = &t->days[i];

		if (g_test_verbose())
			g_test_message("day %u", i);
		g_assert_cmpint(r->days[i].start_ms, ==, d->start);
		g_assert_cmpint(r->days[i].end_ms, ==, d->end);
		g_assert_cmpint(f->sitting_seconds, ==, rnd(d->sit));
		g_assert_cmpint(f->upright_seconds, ==, rnd(d->up));
		g_assert_cmpint(f->measured_seconds, ==, rnd(d->meas));
		g_assert_cmpint(f->away_seconds, ==, rnd(d->away));
		g_assert_cmpuint(f->bouts, ==, d->bouts);
		g_assert_cmpint(f->longest_bout_seconds, ==, rnd(d->longest));
		g_assert_cmpuint(f->prolonged_bouts, ==, d->prolonged);
		for (int k = 0; k < 4; k++) {
			g_assert_cmpuint(f->bouts_by_class[k], ==, d->cls_n[k]);
			g_assert_cmpint(f->bout_seconds_by_class[k], ==, rnd(d->cls_ms[k]));
		}
		g_assert_cmpuint(f->breaks, ==, d->breaks);
		g_assert_cmpuint(f->prompts, ==, d->prompts);
		g_assert_cmpuint(f->prompts_heeded, ==, d->heeded);
		g_assert_cmpuint(f->days_measured, ==, rnd(d->meas) > 0);
		sum.sitting_seconds += rnd(d->sit);
		sum.upright_seconds += rnd(d->up);
		sum.measured_seconds += rnd(d->meas);
		sum.away_seconds += rnd(d->away);
		sum.bouts += d->bouts;
		sum.longest_bout_seconds = MAX(sum.longest_bout_seconds, rnd(d->longest));
		sum.prolonged_bouts += d->prolonged;
		sum.breaks += d->breaks;
		sum.prompts += d->prompts;
		sum.prompts_heeded += d->heeded;
		sum.days_measured += rnd(d->meas) > 0;
		for (int k = 0; k < 4; k++) {
			sum.bouts_by_class[k] += d->cls_n[k];
			sum.bout_seconds_by_class[k] += rnd(d->cls_ms[k]);
		}
	}
	g_assert_cmpmem(&r->total, sizeof(r->total), &sum, sizeof(sum));
	for (int h = 0; h < 24; h++)
		g_assert_cmpint(r->prolonged_seconds_by_hour[h], ==, rnd(t->hours[h]));
}

static void
truth_clear(struct truth *t)
{
	g_free(t->days);
}

/* Two reports give the same figures, day by day (the lists aside). */
static void
assert_same_figures(const struct report *a, const struct report *b)
{
	g_assert_cmpuint(a->n_days, ==, b->n_days);
	for (unsigned i = 0; i < a->n_days; i++) {
		g_assert_cmpint(a->days[i].start_ms, ==, b->days[i].start_ms);
		g_assert_cmpint(a->days[i].end_ms, ==, b->days[i].end_ms);
		g_assert_cmpmem(&a->days[i].fig, sizeof(a->days[i].fig), &b->days[i].fig,
				sizeof(b->days[i].fig));
	}
	g_assert_cmpmem(&a->total, sizeof(a->total), &b->total, sizeof(b->total));
	g_assert_cmpmem(a->prolonged_seconds_by_hour, sizeof(a->prolonged_seconds_by_hour),
			b->prolonged_seconds_by_hour, sizeof(b->prolonged_seconds_by_hour));
	g_assert_cmpint(a->has_previous, ==, b->has_previous);
	g_assert_cmpmem(&a->previous, sizeof(a->previous), &b->previous, sizeof(b->previous));
}

static void
compute_flags(struct fixture *f, GDate since, GDate until, usec_t prolonged, unsigned flags,
	      struct report *ret)
{
	g_assert_cmpint(report_compute(f->s, &since, &until, prolonged, flags, ret), ==, 0);
}

/* The report over a range in this zone: against the truth, and the path it took. */
static void
check_range(struct fixture *f, GDate since, GDate until, usec_t prolonged, bool from_rollup)
{
	unsigned n = (unsigned) g_date_days_between(&since, &until) + 1;
	struct report r;
	struct truth t;

	compute_flags(f, since, until, prolonged, 0, &r);
	truth_compute(f->s, since, n, (int64_t) (prolonged / USEC_PER_MSEC), &t);
	g_test_message("%u days, %u from the roll-up", r.n_days, r.days_from_rollup);
	g_assert_cmpuint(r.days_from_rollup, ==, from_rollup ? n : 0);
	assert_matches_truth(&r, &t);
	g_assert_null(r.days[0].bout_list);
	truth_clear(&t);
	report_clear(&r);
}

static void
generate(struct fixture *f, GDate first, unsigned n, guint32 seed)
{
	struct gen_history g = { .s = f->s, .rand = g_rand_new_with_seed(seed) };

	g_assert_cmpint(gen_history(&g, &first, n), ==, 0);
	g_rand_free(g.rand);
}

/* A generated year in Europe/Berlin (both DST changes): every figure of every day against the
 * truth; the roll-up serves all of it; with other rules of the same zone (":Europe/Berlin",
 * another identifier), the raw tables give the very same; in another zone the raw tables give
 * that zone's truth; a threshold between classes is computed from the raw bouts, one on a
 * class boundary from the roll-up. */
static void
test_report_generated_rollup_and_raw(struct fixture *f, gconstpointer data)
{
	GDate since = date(2026, 1, 1), until = date(2026, 11, 30);
	struct report a, b;

	generate(f, since, 334, 5);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
	check_range(f, since, until, 60 * USEC_PER_MINUTE, true);
	check_range(f, since, until, 90 * USEC_PER_MINUTE, true);
	check_range(f, since, until, 45 * USEC_PER_MINUTE, false);
	check_range(f, date(2026, 3, 29), date(2026, 3, 29), 30 * USEC_PER_MINUTE, true);
	check_range(f, date(2026, 10, 25), date(2026, 10, 25), 30 * USEC_PER_MINUTE, true);

	compute_flags(f, since, until, 30 * USEC_PER_MINUTE, REPORT_PREVIOUS, &a);
	set_tz(":Europe/Berlin");
	compute_flags(f, since, until, 30 * USEC_PER_MINUTE, REPORT_PREVIOUS, &b);
	g_assert_cmpuint(b.days_from_rollup, ==, 0);
	g_assert_cmpint(b.days[87].end_ms - b.days[87].start_ms, ==, 23 * HOUR_MS); /* 29 March */
	assert_same_figures(&a, &b);
	report_clear(&a);
	report_clear(&b);

	set_tz("America/New_York");
	check_range(f, date(2026, 2, 1), date(2026, 4, 30), 30 * USEC_PER_MINUTE, false);
	set_tz("Europe/Berlin");
}

/* REPORT_PREVIOUS: the n days just before since, summed as a range of its own. */
static void
test_report_previous_period(struct fixture *f, gconstpointer data)
{
	struct report r, p;

	generate(f, date(2026, 4, 1), 91, 8);
	compute_flags(f, date(2026, 6, 1), date(2026, 6, 30), 30 * USEC_PER_MINUTE,
		      REPORT_PREVIOUS, &r);
	compute_flags(f, date(2026, 5, 2), date(2026, 5, 31), 30 * USEC_PER_MINUTE, 0, &p);
	g_assert_true(r.has_previous);
	g_assert_cmpuint(p.total.bouts, >, 0);
	g_assert_cmpmem(&r.previous, sizeof(r.previous), &p.total, sizeof(p.total));
	report_clear(&r);
	report_clear(&p);

	/* without the flag, nothing */
	compute_flags(f, date(2026, 6, 1), date(2026, 6, 30), 30 * USEC_PER_MINUTE, 0, &r);
	g_assert_false(r.has_previous);
	report_clear(&r);
}

/* The roll-up stays true: after a prune, after rows written outside a transaction (their days
 * come from the raw tables until the next commit), and after a writer in another zone cut it
 * again (then this zone's reports come from the raw tables). */
static void
test_report_rollup_prune_dirty_zone(struct fixture *f, gconstpointer data)
{
	GDate since = date(2026, 2, 1), until = date(2026, 5, 1);
	struct store_pruned pruned;
	struct report r;
	g_autofree char *zone = NULL;
	int64_t id;

	generate(f, since, 90, 9);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);

	/* a prune in the writer's transaction: what ended before 1 March is gone, its days too */
	g_assert_cmpint(store_begin(f->s), ==, 0);
	g_assert_cmpint(store_prune(f->s, local_ms(2026, 3, 1, 12, 0, 0), 0, 0, &pruned), ==, 0);
	g_assert_cmpint(store_commit(f->s), ==, 0);
	g_assert_cmpuint(pruned.bouts, >, 0);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
	compute_flags(f, date(2026, 2, 1), date(2026, 2, 28), 30 * USEC_PER_MINUTE, 0, &r);
	g_assert_cmpuint(r.total.bouts, ==, 0);
	g_assert_cmpint(r.total.sitting_seconds, ==, 0);
	report_clear(&r);

	/* rows written without a transaction: their days are read raw until the next commit */
	g_assert_cmpint(store_bout_begin(f->s, local_ms(2026, 4, 10, 20, 0, 0), &id), ==, 0);
	segment(f, POSTURE_SITTING, local_ms(2026, 4, 10, 20, 0, 0), local_ms(2026, 4, 10, 21, 0, 0));
	g_assert_cmpint(test_close_bout(f->s, id, local_ms(2026, 4, 10, 21, 0, 0), "break",
					HEED_WINDOW_MS), ==, 0);
	compute_flags(f, since, until, 30 * USEC_PER_MINUTE, 0, &r);
	g_assert_cmpuint(r.days_from_rollup, ==, r.n_days - 1);
	report_clear(&r);
	{
		struct truth t;

		compute_flags(f, since, until, 30 * USEC_PER_MINUTE, 0, &r);
		truth_compute(f->s, since, r.n_days, 30 * MIN_MS, &t);
		assert_matches_truth(&r, &t);
		truth_clear(&t);
		report_clear(&r);
	}
	flush(f);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);

	/* a writer in another zone cuts the roll-up again, whole */
	set_tz("America/New_York");
	flush(f);
	g_assert_cmpint(store_state_get(f->s, "rollup-zone", &zone), ==, 0);
	g_assert_cmpstr(zone, ==, "America/New_York");
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
	set_tz("Europe/Berlin");
	check_range(f, since, until, 30 * USEC_PER_MINUTE, false);
	flush(f);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);

	/* rules of another version are not used, and the writer's next commit cuts it again */
	g_assert_cmpint(store_state_set(f->s, "rollup-rules", "0"), ==, 0);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, false);
	flush(f);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
}

/*
 * Europe/Berlin's 23-hour 2026-03-29 and 25-hour 2026-10-25, written by hand with a worn
 * sensor; the truths are worked out here from the wall clock:
 *   29 March: sitting 01:30 CET - 03:30 CEST is one real hour: hour 1 gets 30 min, hour 2 does
 *   not exist, hour 3 gets 30 min; then standing 30 min, walking 10 min (upright 40 min), the
 *   sensor unknown 10 min (not measured), the seat vacant 40 min (away).
 *   25 October: sitting 01:30 CEST - 03:30 CET is three real hours: hour 2 twice (2 h in
 *   slot 2), 30 min in hours 1 and 3.
 */
static void
test_report_dst_upright_and_hours(struct fixture *f, gconstpointer data)
{
	const struct store_device imu = { .name = "Test IMU", .role = "imu" };
	int64_t imu_id, id, seat = f->device;
	struct report a, b;

	g_assert_cmpint(store_device_ensure(f->s, &imu, 0, &imu_id), ==, 0);
	g_assert_cmpint(store_begin(f->s), ==, 0);
	f->device = imu_id;
	segment(f, POSTURE_SITTING, local_ms(2026, 3, 29, 1, 30, 0), local_ms(2026, 3, 29, 3, 30, 0));
	segment(f, POSTURE_STANDING, local_ms(2026, 3, 29, 3, 30, 0), local_ms(2026, 3, 29, 4, 0, 0));
	segment(f, POSTURE_WALKING, local_ms(2026, 3, 29, 4, 0, 0), local_ms(2026, 3, 29, 4, 10, 0));
	segment(f, POSTURE_UNKNOWN, local_ms(2026, 3, 29, 4, 10, 0), local_ms(2026, 3, 29, 4, 20, 0));
	f->device = seat;
	segment(f, POSTURE_AWAY, local_ms(2026, 3, 29, 4, 20, 0), local_ms(2026, 3, 29, 5, 0, 0));
	bout(f, local_ms(2026, 3, 29, 1, 30, 0), local_ms(2026, 3, 29, 3, 30, 0), "break", NULL);
	f->device = imu_id;
	segment(f, POSTURE_SITTING, local_ms(2026, 10, 25, 1, 30, 0),
		local_ms(2026, 10, 25, 3, 30, 0));
	f->device = seat;
	g_assert_cmpint(store_bout_begin(f->s, local_ms(2026, 10, 25, 1, 30, 0), &id), ==, 0);
	g_assert_cmpint(store_bout_set_end(f->s, id, local_ms(2026, 10, 25, 3, 30, 0), "end"), ==,
			0);
	g_assert_cmpint(store_commit(f->s), ==, 0);

	compute_flags(f, date(2026, 3, 29), date(2026, 10, 25), 30 * USEC_PER_MINUTE, 0, &a);
	g_assert_cmpuint(a.days_from_rollup, ==, a.n_days);
	{
		const struct report_figures *m = &a.days[0].fig, *o = &a.days[a.n_days - 1].fig;

		g_assert_cmpint(a.days[0].end_ms - a.days[0].start_ms, ==, 23 * HOUR_MS);
		g_assert_cmpint(m->sitting_seconds, ==, 3600);
		g_assert_cmpint(m->upright_seconds, ==, 40 * 60);
		g_assert_cmpint(m->measured_seconds, ==, 3600 + 40 * 60);
		g_assert_cmpint(m->away_seconds, ==, 40 * 60);
		g_assert_cmpuint(m->bouts_by_class[REPORT_CLASS_60], ==, 1);
		g_assert_cmpint(m->bout_seconds_by_class[REPORT_CLASS_60], ==, 3600);
		g_assert_cmpuint(m->breaks, ==, 1);
		g_assert_cmpuint(m->days_measured, ==, 1);

		g_assert_cmpint(a.days[a.n_days - 1].end_ms - a.days[a.n_days - 1].start_ms, ==,
				25 * HOUR_MS);
		g_assert_cmpint(o->sitting_seconds, ==, 3 * 3600);
		g_assert_cmpint(o->upright_seconds, ==, 0);
		g_assert_cmpint(o->measured_seconds, ==, 3 * 3600);
		g_assert_cmpuint(o->bouts_by_class[REPORT_CLASS_90], ==, 1);
		g_assert_cmpint(o->bout_seconds_by_class[REPORT_CLASS_90], ==, 3 * 3600);
		g_assert_cmpuint(o->breaks, ==, 0);
		g_assert_cmpint(o->longest_bout_seconds, ==, 3 * 3600);
	}
	for (int h = 0; h < 24; h++) {
		int64_t want = h == 1 || h == 3 ? 3600 : h == 2 ? 7200 : 0;

		g_assert_cmpint(a.prolonged_seconds_by_hour[h], ==, want);
	}
	g_assert_cmpuint(a.total.days_measured, ==, 2);
	g_assert_cmpint(a.total.upright_seconds, ==, 40 * 60);

	/* the same from the raw tables */
	set_tz(":Europe/Berlin");
	compute_flags(f, date(2026, 3, 29), date(2026, 10, 25), 30 * USEC_PER_MINUTE, 0, &b);
	g_assert_cmpuint(b.days_from_rollup, ==, 0);
	assert_same_figures(&a, &b);
	report_clear(&b);
	/* a threshold over 60 min: the March bout is not prolonged, its hours not counted */
	compute_flags(f, date(2026, 3, 29), date(2026, 10, 25), 61 * USEC_PER_MINUTE, 0, &b);
	g_assert_cmpuint(b.total.prolonged_bouts, ==, 1);
	g_assert_cmpint(b.prolonged_seconds_by_hour[1], ==, 1800);
	g_assert_cmpint(b.prolonged_seconds_by_hour[2], ==, 7200);
	report_clear(&b);
	set_tz("Europe/Berlin");
	report_clear(&a);
}

/* Local midnights as GDateTime has them, and hour slots as the minutes' local hours, in zones
 * with DST at midnight, half-hour changes and changes off the hour. */
static void
test_report_day_starts_and_hour_slots(void)
{
	static const char *const zones[] = {
		"Europe/Berlin", "America/Santiago", "America/Havana", "Asia/Beirut",
		"Australia/Lord_Howe", "Asia/Kolkata", "UTC",
		/* POSIX rules whose changes are not on the hour: 02:30 and 03:10 */
		"XST-1XDT,M3.5.0/2:30,M10.5.0/3:10",
	};
	GDate first = date(2020, 1, 1);
	unsigned n = 11 * 366;
	g_autofree int64_t *starts = g_new(int64_t, n + 1);

	for (size_t z = 0; z < G_N_ELEMENTS(zones); z++) {
		g_autoptr(GTimeZone) tz = NULL;
		GDate d = first;

		set_tz(zones[z]);
		tz = g_time_zone_new_local();
		rollup_day_starts(&first, n, starts);
		for (unsigned i = 0; i <= n; i++) {
			g_autoptr(GDateTime) dt = g_date_time_new_local(g_date_get_year(&d),
									g_date_get_month(&d),
									g_date_get_day(&d), 0, 0, 0);

			g_assert_cmpint(starts[i], ==, g_date_time_to_unix(dt) * 1000);
			g_date_add_days(&d, 1);
		}
		/* hour slots over each day around a change of offset */
		for (unsigned i = 0; i < n; i++) {
			int64_t got[24] = { 0 }, want[24] = { 0 };

			if (starts[i + 1] - starts[i] == 24 * HOUR_MS)
				continue;
			/* a span from 30 s before that day to 30 s after it, ms not on a second */
			rollup_add_hours(tz, starts[i] - 30123, starts[i + 1] + 30456, got);
			truth_hours(starts[i] - 30123, starts[i + 1] + 30456, want);
			g_test_message("%s: day %u: %" G_GINT64_FORMAT " min", zones[z], i,
				       (starts[i + 1] - starts[i]) / 60000);
			g_assert_cmpmem(got, sizeof(got), want, sizeof(want));
		}
	}
	set_tz("Europe/Berlin");
}

/* A database of schema version 3 (before the roll-up), as the previous sitlogd left it: read
 * from the raw tables; the next writer migrates it, and its first commit cuts the roll-up. */
static void
test_report_rollup_migration(struct fixture *f, gconstpointer data)
{
	GDate since = date(2026, 9, 1), until = date(2026, 11, 29);
	g_autofree char *error = NULL;
	struct store *ro;
	struct report r;

	generate(f, since, 90, 13);
	g_assert_cmpint(sqlite3_exec(store_db(f->s),
				     "DROP TRIGGER rollup_segment_insert; DROP TRIGGER "
				     "rollup_segment_update; DROP TRIGGER rollup_segment_delete; "
				     "DROP TRIGGER rollup_bout_insert; DROP TRIGGER rollup_bout_update; "
				     "DROP TRIGGER rollup_bout_delete; DROP TRIGGER rollup_prompt_insert; "
				     "DROP TRIGGER rollup_prompt_update; DROP TRIGGER "
				     "rollup_prompt_delete; DROP TABLE rollup_months; DROP TABLE "
				     "rollup_dirty; DELETE FROM state WHERE key LIKE 'rollup-%'; "
				     "PRAGMA user_version = 3",
				     NULL, NULL, NULL), ==, SQLITE_OK);
	store_close(f->s);

	g_assert_cmpint(store_open(f->db, STORE_READ_ONLY, &ro, &error), ==, 0);
	f->s = ro;
	check_range(f, since, until, 30 * USEC_PER_MINUTE, false);
	store_close(ro);

	g_assert_cmpint(store_open(f->db, STORE_READ_WRITE, &f->s, &error), ==, 0);
	compute_flags(f, since, until, 30 * USEC_PER_MINUTE, 0, &r);
	g_assert_cmpuint(r.days_from_rollup, ==, 0); /* migrated, not yet cut */
	report_clear(&r);
	flush(f);
	check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
}

/* A month's row that cannot be read (cut short, a day twice) serves none of its days: they come
 * from the raw tables, and the figures stay true. */
static void
test_report_rollup_damaged_row(struct fixture *f, gconstpointer data)
{
	static const char *const damage[] = {
		"UPDATE rollup_months SET days = substr(days, 1, 10) WHERE month = "
		"(SELECT min(month) FROM rollup_months)",
		"UPDATE rollup_months SET days = days || days WHERE month = "
		"(SELECT min(month) FROM rollup_months)",
	};
	GDate since = date(2026, 1, 1), until = date(2026, 3, 1);

	generate(f, since, 60, 21);
	for (size_t i = 0; i < G_N_ELEMENTS(damage); i++) {
		struct report r;
		struct truth t;

		flush(f);
		g_assert_cmpint(sqlite3_exec(store_db(f->s), "DELETE FROM rollup_months", NULL, NULL,
					     NULL), ==, SQLITE_OK);
		g_assert_cmpint(store_state_set(f->s, "rollup-rules", "0"), ==, 0);
		flush(f); /* cut again whole */
		check_range(f, since, until, 30 * USEC_PER_MINUTE, true);
		g_assert_cmpint(sqlite3_exec(store_db(f->s), damage[i], NULL, NULL, NULL), ==,
				SQLITE_OK);
		compute_flags(f, since, until, 30 * USEC_PER_MINUTE, 0, &r);
		g_assert_cmpuint(r.days_from_rollup, ==, r.n_days - 31);
		truth_compute(f->s, since, r.n_days, 30 * MIN_MS, &t);
		assert_matches_truth(&r, &t);
		truth_clear(&t);
		report_clear(&r);
	}
}

/* The lists only with REPORT_LISTS: each bout's prompts, heeded ones and responses; the
 * prompt list without the suppressed ones. */
static void
test_report_lists_only_when_asked(struct fixture *f, gconstpointer data)
{
	int64_t a = local_ms(2026, 3, 2, 9, 0, 0), id, p1, p2, p3;
	struct report r;

	segment(f, POSTURE_SITTING, a, a + 45 * MIN_MS);
	g_assert_cmpint(store_bout_begin(f->s, a, &id), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 30 * MIN_MS, 30 * MIN_MS, 0, "due",
					 "desktop", &p1), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 35 * MIN_MS, 35 * MIN_MS, 0, "suppressed",
					 "paused", &p2), ==, 0);
	g_assert_cmpint(store_prompt_add(f->s, id, a + 40 * MIN_MS, 40 * MIN_MS, 1, "due",
					 "desktop", &p3), ==, 0);
	g_assert_cmpint(store_prompt_set_response(f->s, p1, "snoozed", a + 31 * MIN_MS), ==, 1);
	g_assert_cmpint(store_prompt_set_response(f->s, p3, "done", a + 41 * MIN_MS), ==, 1);
	g_assert_cmpint(test_close_bout(f->s, id, a + 45 * MIN_MS, "break", HEED_WINDOW_MS), ==, 0);
	flush(f);

	compute_flags(f, date(2026, 3, 2), date(2026, 3, 2), 30 * USEC_PER_MINUTE, 0, &r);
	g_assert_null(r.days[0].bout_list);
	g_assert_null(r.days[0].prompt_list);
	g_assert_cmpuint(r.days[0].fig.prompts, ==, 2);
	g_assert_cmpuint(r.days[0].fig.prompts_heeded, ==, 1);
	report_clear(&r);

	compute_flags(f, date(2026, 3, 2), date(2026, 3, 2), 30 * USEC_PER_MINUTE, REPORT_LISTS, &r);
	g_assert_cmpuint(r.days[0].bout_list->len, ==, 1);
	{
		const struct report_bout *b = &g_array_index(r.days[0].bout_list, struct report_bout, 0);

		g_assert_cmpint(b->seconds, ==, 45 * 60);
		g_assert_true(b->prolonged);
		g_assert_false(b->open);
		g_assert_cmpuint(b->prompts, ==, 2);
		g_assert_cmpuint(b->heeded, ==, 1);
		g_assert_cmpstr(b->responses, ==, "snoozed, done");
	}
	g_assert_cmpuint(r.days[0].prompt_list->len, ==, 2);
	g_assert_cmpstr(g_array_index(r.days[0].prompt_list, struct report_prompt, 1).response, ==,
			"done");
	g_assert_true(g_array_index(r.days[0].prompt_list, struct report_prompt, 1).heeded);
	report_clear(&r);
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
	ADD("/report/generated-rollup-and-raw", test_report_generated_rollup_and_raw);
	ADD("/report/previous-period", test_report_previous_period);
	ADD("/report/rollup-prune-dirty-zone", test_report_rollup_prune_dirty_zone);
	ADD("/report/dst-upright-and-hours", test_report_dst_upright_and_hours);
	g_test_add_func("/report/day-starts-and-hour-slots", test_report_day_starts_and_hour_slots);
	ADD("/report/lists-only-when-asked", test_report_lists_only_when_asked);
	ADD("/report/rollup-migration", test_report_rollup_migration);
	ADD("/report/rollup-damaged-row", test_report_rollup_damaged_row);
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
