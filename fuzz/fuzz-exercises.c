/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: daemon/exercises.c, any bytes as an exercises.ini given by path. An error
 * names the file; a catalogue has an exercise of some kind, every field set, and the rotation
 * goes round both kinds without repeating an exercise of a kind before all were shown.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "exercises.h"
#include "fuzz-util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("LC_ALL", "C.UTF-8", 1);
	/* a g_critical() (g_return_if_fail) is a bug */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalogue *c = NULL;
	struct rotation rot = {};
	char path[64], *error = NULL;
	unsigned total = 0;
	int fd, r;

	fd = fuzz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	r = catalogue_load(path, &c, &error);
	if (r < 0) {
		FUZZ_CHECK(error);
		/* "the exercise catalogue is empty" is about the file as a whole */
		FUZZ_CHECK(strncmp(error, path, strlen(path)) == 0 ||
			   strstr(error, "catalogue is empty"));
		g_free(error);
		close(fd);
		return 0;
	}
	FUZZ_CHECK(!error);
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++) {
		unsigned n = catalogue_count(c, (enum exercise_kind) k);

		total += n;
		for (unsigned i = 0; i < n; i++) {
			const struct exercise *e = catalogue_get(c, (enum exercise_kind) k, i);

			FUZZ_CHECK(e && e->kind == (enum exercise_kind) k);
			FUZZ_CHECK(e->id && e->name && e->how && e->dose && e->why);
			FUZZ_CHECK(*e->name && *e->how && *e->dose && *e->why);
		}
	}
	FUZZ_CHECK(total > 0);
	for (unsigned i = 0; i < 2 * total + 2; i++)
		FUZZ_CHECK(rotation_next(&rot, c));
	catalogue_free(c);
	close(fd);
	return 0;
}
