/* SPDX-License-Identifier: MIT */
/*
 * For tests/test-admin.py: an admin's exercise catalogue through the daemon's loader.
 * Usage: test-admin-exercises FILE XDG_DIR BUILTIN_INI
 * FILE loads alone; with XDG_CONFIG_DIRS=XDG_DIR (which holds sitlog/exercises.ini) the
 * default load has the built-in exercises (BUILTIN_INI, data/exercises.ini) and FILE's.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "exercises.h"

static unsigned
count(const struct catalogue *c)
{
	return catalogue_count(c, EXERCISE_LENGTHEN) + catalogue_count(c, EXERCISE_STRENGTHEN);
}

static bool
has(const struct catalogue *c, const char *id)
{
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++)
		for (unsigned i = 0; i < catalogue_count(c, (enum exercise_kind) k); i++)
			if (g_str_equal(catalogue_get(c, (enum exercise_kind) k, i)->id, id))
				return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct catalogue *admin = NULL, *builtin = NULL, *merged = NULL;
	g_autofree char *error = NULL;
	int status = EXIT_FAILURE;

	if (argc != 4) {
		fprintf(stderr, "usage: %s FILE XDG_DIR BUILTIN_INI\n", argv[0]);
		return 2;
	}
	if (catalogue_load(argv[1], &admin, &error) < 0) {
		fprintf(stderr, "%s\n", error);
		return EXIT_FAILURE;
	}
	if (catalogue_load(argv[3], &builtin, &error) < 0) {
		fprintf(stderr, "%s\n", error);
		goto out;
	}
	g_setenv("XDG_CONFIG_DIRS", argv[2], TRUE);
	g_setenv("XDG_CONFIG_HOME", "/nonexistent/sitlog-test-admin", TRUE);
	if (catalogue_load(NULL, &merged, &error) < 0) {
		fprintf(stderr, "%s\n", error);
		goto out;
	}
	printf("%s: %u exercises; built-in %u; merged %u\n", argv[1], count(admin), count(builtin),
	       count(merged));
	if (count(admin) == 0 || count(merged) != count(builtin) + count(admin)) {
		fprintf(stderr, "the admin's exercises are not added to the built-in ones\n");
		goto out;
	}
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++)
		for (unsigned i = 0; i < catalogue_count(admin, (enum exercise_kind) k); i++) {
			const char *id = catalogue_get(admin, (enum exercise_kind) k, i)->id;

			if (!has(merged, id)) {
				fprintf(stderr, "%s is not in the merged catalogue\n", id);
				goto out;
			}
		}
	status = EXIT_SUCCESS;
out:
	catalogue_free(admin);
	catalogue_free(builtin);
	catalogue_free(merged);
	return status;
}
