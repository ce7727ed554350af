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
 *
 * Details: the first non-blank line must be "# EVEMU 1.x"; "#" comment lines and blank lines may
 * come anywhere, and a "#" comment may follow a line's last field (evemu-record 2.x ends every E:
 * line with one); any other text after the last field is an error, and so is a line that starts
 * with none of N: I: P: B: A: E:. A line is at most 4096 bytes without its newline (a "\r" before
 * it is dropped). N: (at most 255 bytes, no control characters) and at least one B: line must
 * come before the first event; I: is optional; a second N:, I:, or A: for one axis is an error;
 * an A: line needs its axis in a B: 03 line before it. B: and P: bits past the last code the
 * kernel knows for that type are an error, so a declared code is always a valid index (abs[code]
 * for EV_ABS). An empty events section is valid (0 events): the caller decides.
 *
 * Event types, as libevemu reads them: a type is the device's when its own B: lines declare at
 * least one code. B: 00 is checked but not used: evemu 1.x wrote the type mask there, evemu 2.x
 * writes EV_SYN's codes ("B: 00 0b" for every device).
 *
 * Errors (negative errno; the reader uses plain libc, so it can be fuzzed):
 *   -EINVAL  malformed or inconsistent data, *ret_error = "FILE:LINE: what is wrong"
 *   -EIO     read error, *ret_error = "FILE:LINE: read error: <strerror>"
 *   -ENOMEM  out of memory (*ret_error may then be NULL)
 *   -errno   from open()/fstat() (-ENOENT, -EACCES, -EISDIR, ...), *ret_error = "FILE: <strerror>"
 *   -EINVAL  also for what is not a file: "FILE: a FIFO, not a file" (opened without blocking:
 *            a FIFO without a writer does not hang the open), a socket, a device
 * ret_error may be NULL; *ret_error is written only on failure, and other ret_* only on success.
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
	uint8_t bits[EV_CNT][EVEMU_BITS_BYTES]; /* bits[0] = the event types (see above) */
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

/* Parses the description up to the first E: line. Returns 0, or a negative errno with
 * *ret_error = "FILE:LINE: reason" (malloc()ed: free()). */
int evemu_reader_open(const char *path, struct evemu_reader **ret, char **ret_error);
void evemu_reader_free(struct evemu_reader *r);

const char *evemu_reader_path(const struct evemu_reader *r);
const struct evemu_device_info *evemu_reader_device(const struct evemu_reader *r);

/* 1 and *ret_ev on an event, 0 at the end, negative errno and *ret_error on a bad line. The
 * events' fields, their times and the last frame are checked here (open() only reads up to the
 * first E: line: a NUL byte, an overlong or a cut line there is its error). After 0, next()
 * returns 0 again; after an error, the same error again, until rewind(). */
int evemu_reader_next(struct evemu_reader *r, struct evemu_event *ret_ev, char **ret_error);

/* Back to the first event: line numbers, time and frame checks start again. 0, or -errno from
 * fseeko() (-ESPIPE on a pipe). */
int evemu_reader_rewind(struct evemu_reader *r);

/* Any type or code is safe to ask about. EV_SYN codes below SYN_CNT are always declared (bits[0]
 * is the type mask, not EV_SYN's codes); a code at or past its type's _CNT never is. */
bool evemu_device_has_type(const struct evemu_device_info *d, unsigned type);
bool evemu_device_has_code(const struct evemu_device_info *d, unsigned type, unsigned code);
bool evemu_device_has_prop(const struct evemu_device_info *d, unsigned prop);
