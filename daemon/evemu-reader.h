/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A reader of evemu recordings ("# EVEMU 1.3") of our own: libevemu reports no line numbers and
 * skips junk silently. Every error is "FILE:LINE: what is wrong". The reader streams: open()
 * parses the device description, next() returns one event at a time, rewind() goes back to the
 * first event so that a caller can validate the whole file in a first pass and replay it in a
 * second one.
 *
 * Checks: header lines well-formed (N: I: P: B: A:), description before the first event, every
 * event's type and code declared by the B: lines (EV_SYN codes always allowed), event times
 * never going back, values that fit in int32, decimal numbers never read as octal, lines of at
 * most 4096 bytes, no NUL bytes, the last event frame closed by SYN_REPORT, and the last line
 * ending with a newline (a file cut inside a line is truncated).
 */

#include <stdbool.h>
#include <stdint.h>
#include <linux/input.h>

#include "time-util.h"

#define EVEMU_BITS_BYTES ((KEY_CNT + 7) / 8)

struct evemu_device_info {
	char name[256];
	unsigned bustype, vendor, product, version;
	uint8_t props[(INPUT_PROP_CNT + 7) / 8];
	uint8_t bits[EV_CNT][EVEMU_BITS_BYTES]; /* bits[0] = the event types */
	struct input_absinfo abs[ABS_CNT];     /* valid where the ABS bit is set */
};

struct evemu_event {
	usec_t time;   /* from the recording, sec * 10^6 + usec */
	uint16_t type; /* EV_* */
	uint16_t code;
	int32_t value;
	unsigned line; /* line number in the file, for messages */
};

struct evemu_reader;

/* Returns 0, or a negative errno with *ret_error = "FILE:LINE: reason" (malloc()ed: free()). */
int evemu_reader_open(const char *path, struct evemu_reader **ret, char **ret_error);
void evemu_reader_free(struct evemu_reader *r);

const char *evemu_reader_path(const struct evemu_reader *r);
const struct evemu_device_info *evemu_reader_device(const struct evemu_reader *r);

/* 1 and *ret_ev on an event, 0 at the end, negative errno and *ret_error on a bad line. */
int evemu_reader_next(struct evemu_reader *r, struct evemu_event *ret_ev, char **ret_error);

/* Back to the first event. */
int evemu_reader_rewind(struct evemu_reader *r);

bool evemu_device_has_type(const struct evemu_device_info *d, unsigned type);
bool evemu_device_has_code(const struct evemu_device_info *d, unsigned type, unsigned code);
bool evemu_device_has_prop(const struct evemu_device_info *d, unsigned prop);
