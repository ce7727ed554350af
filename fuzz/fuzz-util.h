/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Helpers for the libFuzzer targets: the readers under test open files by path, so an input
 * goes into a memfd and is opened as /proc/self/fd/N (no file system traffic, no clean-up).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A memfd holding data; *path is "/proc/self/fd/N". -1 on failure (the input is then skipped). */
static inline int
fuzz_memfd(const uint8_t *data, size_t size, char path[static 64])
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t) n;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* The input as a NUL-terminated string (cut at its first NUL). free() it. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
