/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "database.h"

static int
lock_database(const char *db_path, int *ret_fd)
{
	g_autofree char *path = g_strconcat(db_path, ".lock", NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	int fd;

	if (g_mkdir_with_parents(dir, 0700) < 0)
		return -errno;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = -errno;

		close(fd);
		return r == -EWOULDBLOCK ? -EBUSY : r;
	}
	*ret_fd = fd;
	return 0;
}

int
database_open(const char *path, int *ret_lock_fd, struct store **ret)
{
	g_autofree char *error = NULL;
	int fd, r;

	r = lock_database(path, &fd);
	if (r == -EBUSY) {
		fprintf(stderr, "sitlogd: %s: another sitlogd is already recording into it\n", path);
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "sitlogd: %s.lock: %s\n", path, g_strerror(-r));
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
