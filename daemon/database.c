/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <unistd.h>

#include "database.h"

int
database_open(const char *path, int *ret_lock_fd, struct store **ret)
{
	g_autofree char *error = NULL;
	int fd, r;

	r = store_lock_writer(path, &fd);
	if (r == -EBUSY) {
		fprintf(stderr, "sitlogd: %s: another sitlogd is already recording into it\n", path);
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s.lock (the database's lock file): %s\n", path,
			g_strerror(-r));
		return r;
	}
	r = store_open(path, STORE_READ_WRITE, ret, &error);
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s\n", error);
		close(fd);
		return r;
	}
	*ret_lock_fd = fd;
	return 0;
}
