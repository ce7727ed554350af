/* SPDX-License-Identifier: MIT */
/*
 * gen-history DB DAYS [FIRST-DATE [SEED]]: write DAYS of a realistic office history
 * (tests/gen-history.h) into a new database DB through the store's writer API, one commit a
 * day as sitlogd does, then print what was written, the database's bytes per day and the
 * time of a heartbeat's commit on top of it (the roll-up's cost to sitlogd).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "gen-history.h"

#define HEARTBEATS 100
#include "store.h"

int
main(int argc, char **argv)
{
	g_autofree char *error = NULL;
	struct gen_history g = { 0 };
	guint64 days = 0, seed = 11;
	GDate first;
	struct stat st;
	double heartbeat_us = 0;
	int r;

	if (argc < 3 || !g_ascii_string_to_unsigned(argv[2], 10, 1, 100000, &days, NULL) ||
	    (argc > 4 && !g_ascii_string_to_unsigned(argv[4], 10, 0, G_MAXUINT32, &seed, NULL))) {
		fprintf(stderr, "usage: gen-history DB DAYS [FIRST-DATE [SEED]]\n");
		return 2;
	}
	g_date_clear(&first, 1);
	if (argc > 3)
		g_date_set_parse(&first, argv[3]);
	else
		g_date_set_dmy(&first, 1, G_DATE_JANUARY, 2021);
	if (!g_date_valid(&first)) {
		fprintf(stderr, "gen-history: %s: not a date\n", argv[3]);
		return 2;
	}
	if (g_file_test(argv[1], G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "gen-history: %s exists\n", argv[1]);
		return 1;
	}
	if (store_open(argv[1], STORE_READ_WRITE, &g.s, &error) < 0) {
		fprintf(stderr, "gen-history: %s\n", error);
		return 1;
	}
	g.rand = g_rand_new_with_seed((guint32) seed);
	r = gen_history(&g, &first, (unsigned) days);
	/* what the roll-up costs sitlogd: a heartbeat's commit (an open bout and its segment
	 * extended by a minute, the day recomputed) on top of all that */
	if (r >= 0) {
		GDate last = first;
		int64_t t, seg, bout;
		gint64 t0;

		/* in the evening of the last day: its month is full of days to recompute */
		g_date_add_days(&last, (guint) days - 1);
		t = gen_local_ms(&last, 20, 0, 0);
		r = store_begin(g.s);
		if (r >= 0)
			r = store_segment_begin(g.s, g.seat, POSTURE_SITTING, t, &seg);
		if (r >= 0)
			r = store_bout_begin(g.s, t, &bout);
		if (r >= 0)
			r = store_commit(g.s);
		t0 = g_get_monotonic_time();
		for (int k = 1; r >= 0 && k <= HEARTBEATS; k++) {
			r = store_begin(g.s);
			if (r >= 0)
				r = store_segment_set_end(g.s, seg, t + k * GEN_MIN_MS);
			if (r >= 0)
				r = store_bout_set_end(g.s, bout, t + k * GEN_MIN_MS, NULL);
			if (r >= 0)
				r = store_commit(g.s);
		}
		heartbeat_us = (double) (g_get_monotonic_time() - t0) / HEARTBEATS;
	}
	if (r < 0)
		fprintf(stderr, "gen-history: %s\n", store_errmsg(g.s));
	/* the WAL into the file, so that its size is the database's */
	sqlite3_wal_checkpoint_v2(store_db(g.s), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	store_close(g.s);
	g_rand_free(g.rand);
	if (r < 0)
		return 1;
	if (g_stat(argv[1], &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("days %u segments %u bouts %u prompts %u bytes %lld bytes/day %.0f "
	       "heartbeat_us %.0f\n", g.days, g.segments, g.bouts, g.prompts,
	       (long long) st.st_size, (double) st.st_size / (double) g.days, heartbeat_us);
	return 0;
}
