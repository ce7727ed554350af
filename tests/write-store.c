/* SPDX-License-Identifier: MIT */
/*
 * A store written through the writer API from a scenario on stdin, for tests that compute their
 * truth on their own (tests/test-views.py). Usage: write-store DB < SCENARIO. Lines:
 *
 *   device HEXNAME ROLE                        the name as hex bytes (any bytes); seat or imu
 *   seg DEVICE POSTURE START_MS END_MS         DEVICE: the index of a device line, from 0
 *   bout START_MS END_MS ENDED_BY HEED_MS [T_MS:RESPONSE ...]
 *                                              ENDED_BY break, end, crash or - (open);
 *                                              RESPONSE - for none; closed as the daemon
 *                                              closes it (close-bout.h)
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "close-bout.h"
#include "store.h"

static int64_t
num(const char *s)
{
	gint64 v = 0;
	g_autoptr(GError) error = NULL;

	if (!g_ascii_string_to_signed(s, 10, INT64_MIN, INT64_MAX, &v, &error)) {
		fprintf(stderr, "write-store: %s: %s\n", s, error->message);
		exit(1);
	}
	return v;
}

static enum posture
posture_of(const char *s)
{
	static const struct {
		const char *name;
		enum posture p;
	} names[] = {
		{ "sitting", POSTURE_SITTING },   { "standing", POSTURE_STANDING },
		{ "walking", POSTURE_WALKING },   { "away", POSTURE_AWAY },
		{ "unknown", POSTURE_UNKNOWN },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(names[i].name, s) == 0)
			return names[i].p;
	fprintf(stderr, "write-store: %s: no such posture\n", s);
	exit(1);
}

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		int r_ = (x);                                                                      \
		if (r_ < 0) {                                                                      \
			fprintf(stderr, "write-store: line %u: %s: %s\n", line, #x,                \
				g_strerror(-r_));                                                  \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

int
main(int argc, char **argv)
{
	g_autofree char *error = NULL;
	g_autoptr(GArray) devices = g_array_new(FALSE, TRUE, sizeof(int64_t));
	struct store *s = NULL;
	char buf[65536];
	unsigned line = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: write-store DB < SCENARIO\n");
		return 2;
	}
	if (store_open(argv[1], STORE_READ_WRITE, &s, &error) < 0) {
		fprintf(stderr, "write-store: %s\n", error);
		return 1;
	}
	CHECK(store_begin(s));
	while (fgets(buf, sizeof(buf), stdin)) {
		g_auto(GStrv) w = g_strsplit(g_strstrip(buf), " ", -1);
		guint n = g_strv_length(w);

		line++;
		if (n == 0 || w[0][0] == '\0' || w[0][0] == '#')
			continue;
		if (strcmp(w[0], "device") == 0 && n == 3) {
			g_autoptr(GString) name = g_string_new(NULL);
			struct store_device d = { .role = w[2] };
			int64_t id;

			for (const char *p = w[1]; p[0] && p[1]; p += 2) {
				char hex[3] = { p[0], p[1], 0 };

				g_string_append_c(name, (char) strtol(hex, NULL, 16));
			}
			d.name = name->str;
			CHECK(store_device_ensure(s, &d, 0, &id));
			g_array_append_val(devices, id);
		} else if (strcmp(w[0], "seg") == 0 && n == 5) {
			int64_t dev = num(w[1]), id;

			if (dev < 0 || dev >= (int64_t) devices->len) {
				fprintf(stderr, "write-store: line %u: no device %s\n", line, w[1]);
				return 1;
			}
			CHECK(store_segment_begin(s, g_array_index(devices, int64_t, dev),
						  posture_of(w[2]), num(w[3]), &id));
			CHECK(store_segment_set_end(s, id, num(w[4])));
		} else if (strcmp(w[0], "bout") == 0 && n >= 5) {
			int64_t a = num(w[1]), b = num(w[2]), id;
			const char *ended_by = strcmp(w[3], "-") == 0 ? NULL : w[3];

			CHECK(store_bout_begin(s, a, &id));
			for (guint k = 5; k < n; k++) {
				char *colon = strchr(w[k], ':');
				int64_t t, pid;

				if (!colon) {
					fprintf(stderr, "write-store: line %u: %s: want T_MS:RESPONSE\n",
						line, w[k]);
					return 1;
				}
				*colon = '\0';
				t = num(w[k]);
				CHECK(store_prompt_add(s, id, t, t - a, (int) (k - 5), "due", "desktop",
						       &pid));
				if (strcmp(colon + 1, "-") != 0)
					CHECK(store_prompt_set_response(s, pid, colon + 1, t + 1000));
			}
			if (ended_by)
				CHECK(test_close_bout(s, id, b, ended_by, num(w[4])));
			else
				CHECK(store_bout_set_end(s, id, b, NULL));
		} else {
			fprintf(stderr, "write-store: line %u: cannot read \"%s\"\n", line, buf);
			return 1;
		}
	}
	CHECK(store_commit(s));
	store_close(s);
	return 0;
}
