/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: daemon/evemu-reader.c on any bytes. Besides the sanitizers' findings, the
 * reader's promises are checked: an error has a "FILE:LINE" or "FILE:" message, every event
 * returned is of a declared type and code, times never go back, next() after the end or an
 * error repeats itself, and a rewind reads the very same events again.
 */
#include <errno.h>
#include <string.h>

#include "evemu-reader.h"
#include "fuzz-util.h"

#define MAX_EVENTS 100000

/* Reads every event; returns the count (or the negative error) and a checksum of them. */
static long
read_all(struct evemu_reader *r, const char *path, uint64_t *ret_sum)
{
	const struct evemu_device_info *d = evemu_reader_device(r);
	struct evemu_event ev;
	usec_t last = 0;
	uint64_t sum = 0;
	long n = 0;
	int e;

	while (n < MAX_EVENTS) {
		char *error = NULL;

		e = evemu_reader_next(r, &ev, &error);
		if (e < 0) {
			FUZZ_CHECK(e == -EINVAL || e == -EIO || e == -ENOMEM);
			FUZZ_CHECK(e == -ENOMEM || (error && strncmp(error, path, strlen(path)) == 0));
			free(error);
			/* an error repeats until rewind() */
			error = NULL;
			FUZZ_CHECK(evemu_reader_next(r, &ev, &error) == e);
			free(error);
			*ret_sum = sum;
			return e;
		}
		FUZZ_CHECK(!error);
		if (e == 0) {
			FUZZ_CHECK(evemu_reader_next(r, &ev, NULL) == 0);
			break;
		}
		FUZZ_CHECK(e == 1);
		FUZZ_CHECK(evemu_device_has_code(d, ev.type, ev.code));
		FUZZ_CHECK(ev.time >= last);
		last = ev.time;
		sum = sum * 31 + ev.time + ((uint64_t) ev.type << 48) + ((uint64_t) ev.code << 32) +
		      (uint32_t) ev.value + ev.line;
		n++;
	}
	*ret_sum = sum;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evemu_reader *r = NULL;
	char path[64], *error = NULL;
	uint64_t sum1, sum2;
	long n1, n2;
	int fd, e;

	fd = fuzz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	e = evemu_reader_open(path, &r, &error);
	if (e < 0) {
		FUZZ_CHECK(!r);
		FUZZ_CHECK(e == -ENOMEM || (error && strncmp(error, path, strlen(path)) == 0));
		free(error);
		close(fd);
		return 0;
	}
	FUZZ_CHECK(!error);
	{
		const struct evemu_device_info *d = evemu_reader_device(r);

		FUZZ_CHECK(memchr(d->name, '\0', sizeof(d->name)));
		/* asking about anything is safe */
		for (unsigned t = 0; t < EV_CNT + 2; t++)
			(void) evemu_device_has_type(d, t);
		(void) evemu_device_has_code(d, EV_ABS, ABS_CNT);
		(void) evemu_device_has_code(d, EV_KEY, 0xffff);
		(void) evemu_device_has_prop(d, INPUT_PROP_CNT + 3);
	}
	n1 = read_all(r, path, &sum1);
	FUZZ_CHECK(evemu_reader_rewind(r) == 0);
	n2 = read_all(r, path, &sum2);
	FUZZ_CHECK(n1 == n2);
	FUZZ_CHECK(sum1 == sum2);
	evemu_reader_free(r);
	close(fd);
	return 0;
}
