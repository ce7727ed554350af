/* SPDX-License-Identifier: MIT */
/*
 * The store on years of data: writes a synthetic office history through the writer API (as
 * the daemon does), then prints the database's bytes per day and the latency of the report's
 * computation over a day, a week, a month and a year. Prints figures; not a test.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include <string.h>

#include "bench-util.h"
#include "report.h"

#include "close-bout.h"
#include "store.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
check(int r, struct store *s)
{
	if (r < 0) {
		fprintf(stderr, "bench-store: %s\n", store_errmsg(s));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	int years = argc > 1 ? atoi(argv[1]) : 3;
	g_autofree char *dir = g_dir_make_tmp("sitlog-bench-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "sitlog.db", NULL);
	g_autofree char *error = NULL;
	struct store *s;
	struct store_device dev = { .name = "USB Chair Switch", .role = "seat" };
	int64_t device_id, seg = 0, bout = 0;
	GRand *rand = g_rand_new_with_seed(7);
	GDate first, last;
	int64_t day0;
	int days = years * 365;
	double t0, t1;
	struct stat st;
	char wal[4096];

	bench_print_machine("bench-store");

	if (store_open(path, STORE_READ_WRITE, &s, &error) < 0) {
		fprintf(stderr, "bench-store: %s\n", error);
		return 1;
	}
	g_date_clear(&first, 1);
	g_date_set_dmy(&first, 1, G_DATE_JANUARY, 2023);
	day0 = report_day_start_ms(&first);
	check(store_device_ensure(s, &dev, day0, &device_id), s);

	t0 = now_s();
	for (int d = 0; d < days; d++) {
		int64_t t = day0 + (int64_t) d * 86400000 + 8 * 3600000;

		check(store_begin(s), s);
		if (d % 7 < 5) {
			for (int b = 0; b < 8; b++) {
				int64_t len = g_rand_int_range(rand, 5, 90) * 60000;
				int64_t gap = g_rand_int_range(rand, 2, 30) * 60000;

				check(store_segment_begin(s, device_id, POSTURE_SITTING, t, &seg), s);
				check(store_segment_set_end(s, seg, t + len), s);
				check(store_bout_begin(s, t, &bout), s);
				for (int64_t age = 30 * 60000; age <= len; age += 10 * 60000)
					check(store_prompt_add(s, bout, t + age, age, (int) (age / 600000 - 3),
							       "due", "desktop", NULL), s);
				check(test_close_bout(s, bout, t + len, "break", 300000), s);
				check(store_segment_begin(s, device_id, POSTURE_AWAY, t + len, &seg), s);
				check(store_segment_set_end(s, seg, t + len + gap), s);
				t += len + gap;
			}
		}
		check(store_commit(s), s);
	}
	t1 = now_s();
	store_close(s);
	g_snprintf(wal, sizeof(wal), "%s-wal", path);
	g_unlink(wal);
	check(store_open(path, STORE_READ_ONLY, &s, &error) < 0 ? -1 : 0, NULL);
	if (g_stat(path, &st) == 0)
		printf("store: %d days written in %.2f s; %.0f bytes per day (%lld bytes, %d years)\n",
		       days, t1 - t0, (double) st.st_size / days, (long long) st.st_size, years);

	{
		static const struct {
			const char *what;
			int days;
		} ranges[] = { { "day", 1 }, { "week", 7 }, { "month", 31 }, { "year", 365 } };

		for (size_t i = 0; i < G_N_ELEMENTS(ranges); i++) {
			struct report r;
			int n = 20;
			double a, b;

			last = first;
			g_date_add_days(&last, (guint) (days - 1));
			GDate since = last;
			g_date_subtract_days(&since, (guint) ranges[i].days - 1);
			a = now_s();
			for (int k = 0; k < n; k++) {
				check(report_compute(s, &since, &last, 30 * USEC_PER_MINUTE, 0, &r), s);
				report_clear(&r);
			}
			b = now_s();
			printf("report over the last %s of %d years: %.2f ms\n", ranges[i].what, years,
			       (b - a) / n * 1000);
		}
	}
	store_close(s);
	g_unlink(path);
	g_rmdir(dir);
	g_rand_free(rand);
	return 0;
}
