/* SPDX-License-Identifier: MIT */
/* The exercise catalogue is data that loads, and the rotation alternates kinds and never repeats
 * an exercise within a cycle of its kind. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "exercises.h"

static void
test_catalogue_builtin_is_complete(void)
{
	struct catalogue *c = NULL;
	char *error = NULL;

	g_assert_cmpint(catalogue_load(NULL, &c, &error), ==, 0);
	g_assert_null(error);
	g_assert_cmpuint(catalogue_count(c, EXERCISE_LENGTHEN) + catalogue_count(c, EXERCISE_STRENGTHEN),
			 >=, 12);
	g_assert_cmpuint(catalogue_count(c, EXERCISE_LENGTHEN), >=, 5);
	g_assert_cmpuint(catalogue_count(c, EXERCISE_STRENGTHEN), >=, 5);
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++)
		for (unsigned i = 0; i < catalogue_count(c, (enum exercise_kind) k); i++) {
			const struct exercise *e = catalogue_get(c, (enum exercise_kind) k, i);

			g_assert_true(*e->name && *e->how && *e->dose && *e->why);
			/* one line each: they go into a notification */
			g_assert_null(strchr(e->how, '\n'));
			g_assert_cmpuint(strlen(e->how), <=, 120);
		}
	catalogue_free(c);
}

static void
test_rotation_alternates_and_never_repeats_within_a_cycle(void)
{
	struct catalogue *c = NULL;
	struct rotation r = {};
	char *error = NULL;
	GHashTable *seen[_EXERCISE_KIND_MAX];
	enum exercise_kind last = _EXERCISE_KIND_MAX;

	g_assert_cmpint(catalogue_load(NULL, &c, &error), ==, 0);
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++)
		seen[k] = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 0; i < 100; i++) {
		const struct exercise *e = rotation_next(&r, c);
		GHashTable *h = seen[e->kind];

		g_assert_cmpint(e->kind, !=, last);
		last = e->kind;
		if (g_hash_table_size(h) == catalogue_count(c, e->kind))
			g_hash_table_remove_all(h); /* a new cycle */
		g_assert_false(g_hash_table_contains(h, e->id));
		g_hash_table_add(h, e->id);
	}
	for (int k = 0; k < _EXERCISE_KIND_MAX; k++)
		g_hash_table_unref(seen[k]);
	catalogue_free(c);
}

static char *
write_tmp(const char *text)
{
	char *path = NULL;
	int fd = g_file_open_tmp("sitlog-exercises-XXXXXX.ini", &path, NULL);

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void
test_catalogue_user_file_replaces_and_errors_are_clear(void)
{
	g_autofree char *path = write_tmp("[a]\nname=A\nkind=lengthen\nhow=h\ndose=d\nwhy=w\n"
					  "[b]\nname=B\nkind=strengthen\nhow=h\ndose=d\nwhy=w\n");
	g_autofree char *bad = write_tmp("[a]\nname=A\nkind=sideways\nhow=h\ndose=d\nwhy=w\n");
	g_autofree char *incomplete = write_tmp("[a]\nname=A\nkind=lengthen\nhow=h\n");
	struct catalogue *c = NULL;
	struct rotation r = {};
	char *error = NULL;

	g_assert_cmpint(catalogue_load(path, &c, &error), ==, 0);
	g_assert_cmpstr(rotation_next(&r, c)->id, ==, "a");
	g_assert_cmpstr(rotation_next(&r, c)->id, ==, "b");
	g_assert_cmpstr(rotation_next(&r, c)->id, ==, "a");
	catalogue_free(c);

	g_assert_cmpint(catalogue_load(bad, &c, &error), ==, -EINVAL);
	g_assert_true(g_str_has_prefix(error, bad) && strstr(error, "[a]") &&
		      strstr(error, "lengthen or strengthen"));
	g_clear_pointer(&error, g_free);
	g_assert_cmpint(catalogue_load(incomplete, &c, &error), ==, -EINVAL);
	g_assert_true(strstr(error, "dose= is missing"));
	g_free(error);
	g_unlink(path);
	g_unlink(bad);
	g_unlink(incomplete);
}

/* The balance rule: the kind with fewer Done answers over the last 7 days comes next; equal
 * counts alternate as before; within a kind the rotation goes on. */
static void
test_rotation_balance_prefers_the_kind_done_less(void)
{
	struct catalogue *c = NULL;
	struct rotation r = {};
	char *error = NULL;
	unsigned done[_EXERCISE_KIND_MAX] = { 0, 0 };
	const struct exercise *e, *first;

	g_assert_cmpint(catalogue_load(NULL, &c, &error), ==, 0);
	/* equal: in turn */
	e = rotation_next_balanced(&r, c, done);
	g_assert_cmpint(e->kind, ==, EXERCISE_LENGTHEN);
	e = rotation_next_balanced(&r, c, done);
	g_assert_cmpint(e->kind, ==, EXERCISE_STRENGTHEN);
	/* 9 stretches done, 3 strengthening (3:1): strengthening every time until they even out */
	done[EXERCISE_LENGTHEN] = 9;
	done[EXERCISE_STRENGTHEN] = 3;
	first = rotation_next_balanced(&r, c, done);
	g_assert_cmpint(first->kind, ==, EXERCISE_STRENGTHEN);
	for (unsigned i = 0; i + 1 < catalogue_count(c, EXERCISE_STRENGTHEN); i++) {
		e = rotation_next_balanced(&r, c, done);
		g_assert_cmpint(e->kind, ==, EXERCISE_STRENGTHEN);
		g_assert_true(e != first); /* the kind's rotation goes on */
	}
	/* the other way round */
	done[EXERCISE_STRENGTHEN] = 10;
	e = rotation_next_balanced(&r, c, done);
	g_assert_cmpint(e->kind, ==, EXERCISE_LENGTHEN);
	g_assert_true(catalogue_find(c, e->id) == e);
	g_assert_null(catalogue_find(c, "no-such-exercise"));
	catalogue_free(c);
}

/* What GKeyFile refuses without a line, or hands back as NULL, named with the line; GLib 2.74
 * sets its GError twice (a g_warning) for "\q ... \" at a line's end. */
static void
test_catalogue_bad_bytes_name_the_line(void)
{
	static const struct {
		const char *text, *line, *reason;
	} rows[] = {
		{ "[a]\nname=A\nkind=lengthen\nhow=h\\q\\\ndose=d\nwhy=w\n", ":4:",
		  "bad escape sequence \"\\q\"" },
		{ "[a]\nname=A\nkind=lengthen\nhow=h\ndose=d\\\nwhy=w\n", ":5:", "bad escape" },
		{ "[a]\nname=\xcc\xcc\nkind=lengthen\nhow=h\ndose=d\nwhy=w\n", ":2:",
		  "not valid UTF-8" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path = write_tmp(rows[i].text);
		g_autofree char *prefix = g_strconcat(path, rows[i].line, NULL);
		struct catalogue *c = NULL;
		g_autofree char *error = NULL;

		g_assert_cmpint(catalogue_load(path, &c, &error), ==, -EINVAL);
		g_assert_null(c);
		if (!g_str_has_prefix(error, prefix) || !strstr(error, rows[i].reason))
			g_error("row %zu: \"%s\" does not start with \"%s\" or lacks \"%s\"", i,
				error, prefix, rows[i].reason);
		g_unlink(path);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/exercises/builtin-catalogue-is-complete", test_catalogue_builtin_is_complete);
	g_test_add_func("/exercises/balance-prefers-the-kind-done-less",
			test_rotation_balance_prefers_the_kind_done_less);
	g_test_add_func("/exercises/rotation-alternates-never-repeats",
			test_rotation_alternates_and_never_repeats_within_a_cycle);
	g_test_add_func("/exercises/user-file-and-errors",
			test_catalogue_user_file_replaces_and_errors_are_clear);
	g_test_add_func("/exercises/bad-bytes-name-the-line", test_catalogue_bad_bytes_name_the_line);
	return g_test_run();
}
