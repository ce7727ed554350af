/* SPDX-License-Identifier: MIT */
#pragma once

/* For tests that write a store by hand: a fresh database in a directory of its own, with one
 * seat device, and the directory removed with everything the test made in it. */

#include <glib.h>
#include <glib/gstdio.h>

#include "store.h"

/* dir_template: for g_dir_make_tmp(), e.g. "sitlog-test-report-XXXXXX". */
static inline void
test_store_open(const char *dir_template, const char *seat_name, char **ret_dir,
		char **ret_db, struct store **ret_store, int64_t *ret_device)
{
	const struct store_device seat = { .name = seat_name, .role = "seat" };
	g_autoptr(GError) error = NULL;
	g_autofree char *msg = NULL;

	*ret_dir = g_dir_make_tmp(dir_template, &error);
	g_assert_no_error(error);
	*ret_db = g_build_filename(*ret_dir, "sitlog.db", NULL);
	g_assert_cmpint(store_open(*ret_db, STORE_READ_WRITE, ret_store, &msg), ==, 0);
	g_assert_cmpint(store_device_ensure(*ret_store, &seat, 0, ret_device), ==, 0);
}

/* dir and all below it (a directory a test made unwritable is made writable first). */
static inline void
test_rm_rf(const char *dir)
{
	g_autoptr(GDir) dh = NULL;
	const char *name;

	g_chmod(dir, 0700);
	dh = g_dir_open(dir, 0, NULL);
	while (dh && (name = g_dir_read_name(dh))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			test_rm_rf(p);
		else
			g_unlink(p);
	}
	g_rmdir(dir);
}
