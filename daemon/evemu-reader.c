/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evemu-reader.h"

#define MAX_LINE 4096

struct evemu_reader {
	FILE *f;
	char *path;
	struct evemu_device_info info;
	unsigned line;         /* number of the last line read */
	long events_offset;    /* file offset of the first event line */
	unsigned events_line;  /* line number before it */
	char *buf;
	size_t bufsize;
	/* pending first event, read by open() while looking for the end of the header */
	bool have_pending;
	struct evemu_event pending;
	/* validation state */
	bool any_event;
	usec_t last_time;
	bool frame_open;       /* an event since the last SYN_REPORT */
	unsigned frame_line;
	unsigned bit_chunks[EV_CNT]; /* B: lines seen per type */
	unsigned prop_chunks;
	bool have_name;
};

static int
fail(const struct evemu_reader *r, unsigned line, char **ret_error, const char *fmt, ...)
{
	char *msg = NULL, *out = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (ret_error) {
		if (asprintf(&out, "%s:%u: %s", r->path, line, msg ? msg : "out of memory") < 0)
			out = NULL;
		*ret_error = out;
	}
	free(msg);
	return -EINVAL;
}

/* Read one line into r->buf without its newline. 1 on a line, 0 at the end, <0 on error. */
static int
read_line(struct evemu_reader *r, char **ret_error)
{
	ssize_t n = getline(&r->buf, &r->bufsize, r->f);

	if (n < 0) {
		if (ferror(r->f))
			return fail(r, r->line + 1, ret_error, "read error: %s", strerror(errno));
		return 0;
	}
	r->line++;
	if ((size_t) n != strlen(r->buf))
		return fail(r, r->line, ret_error, "NUL byte in the line");
	if (n > MAX_LINE)
		return fail(r, r->line, ret_error, "line longer than %d bytes", MAX_LINE);
	if (n == 0 || r->buf[n - 1] != '\n')
		return fail(r, r->line, ret_error, "truncated: last line is incomplete");
	r->buf[n - 1] = '\0';
	if (n >= 2 && r->buf[n - 2] == '\r')
		r->buf[n - 2] = '\0';
	return 1;
}

/* Decimal, never octal: recordings write values such as "0040" and "-091". */
static bool
parse_dec(const char **p, long long min, long long max, long long *ret)
{
	const char *s = *p;
	bool neg = false;
	long long v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		if (v > (LLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (*s++ - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return false;
	*p = s;
	*ret = v;
	return true;
}

static bool
parse_hex(const char **p, unsigned long long max, unsigned long long *ret)
{
	const char *s = *p;
	unsigned long long v = 0;
	int digits = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	for (;; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (max - (unsigned) d) / 16)
			return false;
		v = v * 16 + (unsigned) d;
	}
	if (digits == 0)
		return false;
	*p = s;
	*ret = v;
	return true;
}

static bool
at_end(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '\0';
}

static bool
test_bit(const uint8_t *bits, unsigned bit)
{
	return bits[bit / 8] & (1u << (bit % 8));
}

bool
evemu_device_has_type(const struct evemu_device_info *d, unsigned type)
{
	return type < EV_CNT && test_bit(d->bits[0], type);
}

bool
evemu_device_has_code(const struct evemu_device_info *d, unsigned type, unsigned code)
{
	if (!evemu_device_has_type(d, type) || type == 0 || code >= KEY_CNT)
		return false;
	return test_bit(d->bits[type], code);
}

bool
evemu_device_has_prop(const struct evemu_device_info *d, unsigned prop)
{
	return prop < INPUT_PROP_CNT && test_bit(d->props, prop);
}

static int
parse_name(struct evemu_reader *r, const char *p, char **ret_error)
{
	while (*p == ' ')
		p++;
	if (strlen(p) >= sizeof(r->info.name))
		return fail(r, r->line, ret_error, "N: device name longer than %zu bytes",
			    sizeof(r->info.name) - 1);
	if (*p == '\0')
		return fail(r, r->line, ret_error, "N: empty device name");
	strcpy(r->info.name, p);
	r->have_name = true;
	return 0;
}

static int
parse_ids(struct evemu_reader *r, const char *p, char **ret_error)
{
	unsigned long long v[4];
	static const char *const what[] = { "bus type", "vendor", "product", "version" };

	for (int i = 0; i < 4; i++)
		if (!parse_hex(&p, 0xffff, &v[i]))
			return fail(r, r->line, ret_error, "I: expected a hex %s", what[i]);
	if (!at_end(p))
		return fail(r, r->line, ret_error, "I: unexpected text after the version");
	r->info.bustype = (unsigned) v[0];
	r->info.vendor = (unsigned) v[1];
	r->info.product = (unsigned) v[2];
	r->info.version = (unsigned) v[3];
	return 0;
}

/* n hex bytes into bits at byte offset `at` (bytes past `size` must be zero) */
static int
parse_bytes(struct evemu_reader *r, const char *p, uint8_t *bits, size_t size, size_t at,
	    const char *what, char **ret_error)
{
	for (int i = 0; i < 8; i++) {
		unsigned long long b;

		if (!parse_hex(&p, 0xff, &b))
			return fail(r, r->line, ret_error, "%s: expected 8 hex bytes", what);
		if (at + (size_t) i < size)
			bits[at + (size_t) i] = (uint8_t) b;
		else if (b != 0)
			return fail(r, r->line, ret_error, "%s: bit beyond the last known code", what);
	}
	if (!at_end(p))
		return fail(r, r->line, ret_error, "%s: unexpected text after 8 bytes", what);
	return 0;
}

static int
parse_props(struct evemu_reader *r, const char *p, char **ret_error)
{
	int ret = parse_bytes(r, p, r->info.props, sizeof(r->info.props), 8 * r->prop_chunks, "P",
			      ret_error);

	r->prop_chunks++;
	return ret;
}

static int
parse_bits(struct evemu_reader *r, const char *p, char **ret_error)
{
	unsigned long long type;
	int ret;

	if (!parse_hex(&p, 0xffff, &type))
		return fail(r, r->line, ret_error, "B: expected a hex event type");
	if (type >= EV_CNT)
		return fail(r, r->line, ret_error, "B: event type 0x%llx out of range", type);
	if ((size_t) r->bit_chunks[type] * 8 >= EVEMU_BITS_BYTES + 8)
		return fail(r, r->line, ret_error, "B: too many lines for event type 0x%02llx", type);
	ret = parse_bytes(r, p, r->info.bits[type], EVEMU_BITS_BYTES, 8 * r->bit_chunks[type], "B",
			  ret_error);
	r->bit_chunks[type]++;
	return ret;
}

static int
parse_abs(struct evemu_reader *r, const char *p, char **ret_error)
{
	unsigned long long code;
	long long v[6] = { 0 };
	static const char *const what[] = { "minimum", "maximum", "fuzz", "flat", "resolution" };
	struct input_absinfo *abs;
	int n;

	if (!parse_hex(&p, 0xffff, &code))
		return fail(r, r->line, ret_error, "A: expected a hex axis code");
	if (code >= ABS_CNT)
		return fail(r, r->line, ret_error, "A: axis 0x%llx out of range", code);
	if (!evemu_device_has_code(&r->info, EV_ABS, (unsigned) code))
		return fail(r, r->line, ret_error, "A: axis 0x%02llx is not declared by a B: 03 line",
			    code);
	for (n = 0; n < 5; n++) {
		if (at_end(p) && n == 4)
			break; /* old recordings have no resolution */
		if (!parse_dec(&p, INT32_MIN, INT32_MAX, &v[n]))
			return fail(r, r->line, ret_error, "A: expected a decimal %s", what[n]);
	}
	if (!at_end(p))
		return fail(r, r->line, ret_error, "A: unexpected text after the resolution");
	abs = &r->info.abs[code];
	abs->minimum = (int32_t) v[0];
	abs->maximum = (int32_t) v[1];
	abs->fuzz = (int32_t) v[2];
	abs->flat = (int32_t) v[3];
	abs->resolution = (int32_t) v[4];
	return 0;
}

/* "E: sec.usec type code value" */
static int
parse_event(struct evemu_reader *r, const char *p, struct evemu_event *ret, char **ret_error)
{
	unsigned long long type, code;
	long long sec, value, usec = 0;
	int digits = 0;

	if (!parse_dec(&p, 0, 4000000000000LL, &sec) || *p != '.')
		return fail(r, r->line, ret_error, "E: expected a time as seconds.microseconds");
	for (p++; *p >= '0' && *p <= '9'; p++, digits++)
		if (digits < 6)
			usec = usec * 10 + (*p - '0');
	if (digits != 6)
		return fail(r, r->line, ret_error,
			    "E: expected 6 digits of microseconds, got %d", digits);
	if (!parse_hex(&p, 0xffff, &type))
		return fail(r, r->line, ret_error, "E: expected a hex event type");
	if (!parse_hex(&p, 0xffff, &code))
		return fail(r, r->line, ret_error, "E: expected a hex event code");
	if (!parse_dec(&p, INT32_MIN, INT32_MAX, &value))
		return fail(r, r->line, ret_error, "E: expected a decimal value that fits 32 bits");
	if (!at_end(p))
		return fail(r, r->line, ret_error, "E: unexpected text after the value");

	*ret = (struct evemu_event) {
		.time = (usec_t) sec * USEC_PER_SEC + (usec_t) usec,
		.type = (uint16_t) type,
		.code = (uint16_t) code,
		.value = (int32_t) value,
		.line = r->line,
	};
	return 0;
}

static int
check_event(struct evemu_reader *r, const struct evemu_event *ev, char **ret_error)
{
	if (ev->type != EV_SYN) {
		if (!evemu_device_has_code(&r->info, ev->type, ev->code))
			return fail(r, ev->line, ret_error,
				    "event type 0x%02x code 0x%03x is not declared by the device",
				    ev->type, ev->code);
	} else if (ev->code >= SYN_CNT) {
		return fail(r, ev->line, ret_error, "unknown EV_SYN code 0x%x", ev->code);
	}
	if (r->any_event && ev->time < r->last_time)
		return fail(r, ev->line, ret_error,
			    "time goes back: %llu.%06llu after %llu.%06llu",
			    (unsigned long long) (ev->time / USEC_PER_SEC),
			    (unsigned long long) (ev->time % USEC_PER_SEC),
			    (unsigned long long) (r->last_time / USEC_PER_SEC),
			    (unsigned long long) (r->last_time % USEC_PER_SEC));
	r->any_event = true;
	r->last_time = ev->time;
	if (ev->type == EV_SYN && ev->code == SYN_REPORT) {
		r->frame_open = false;
	} else {
		r->frame_open = true;
		r->frame_line = ev->line;
	}
	return 0;
}

/* The next event line, validated; 0 at the end. */
static int
next_event_line(struct evemu_reader *r, struct evemu_event *ret, char **ret_error)
{
	for (;;) {
		int n = read_line(r, ret_error);
		const char *p;

		if (n < 0)
			return n;
		if (n == 0) {
			if (r->frame_open)
				return fail(r, r->frame_line, ret_error,
					    "truncated: the last event frame is not closed by "
					    "SYN_REPORT");
			return 0;
		}
		p = r->buf;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (strncmp(p, "E:", 2) != 0)
			return fail(r, r->line, ret_error,
				    "expected an event line (E:), got \"%.20s\"", p);
		n = parse_event(r, p + 2, ret, ret_error);
		if (n < 0)
			return n;
		n = check_event(r, ret, ret_error);
		if (n < 0)
			return n;
		return 1;
	}
}

static int
parse_header(struct evemu_reader *r, char **ret_error)
{
	bool seen_magic = false;

	for (;;) {
		long offset = ftell(r->f);
		unsigned line = r->line;
		int n = read_line(r, ret_error);
		const char *p;

		if (n < 0)
			return n;
		if (n == 0)
			break;
		p = r->buf;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!seen_magic) {
			if (strncmp(p, "# EVEMU ", 8) != 0 || p[8] != '1')
				return fail(r, r->line, ret_error,
					    "not an evemu recording (expected \"# EVEMU 1.x\")");
			seen_magic = true;
			continue;
		}
		if (*p == '\0' || *p == '#')
			continue;
		if (strncmp(p, "N:", 2) == 0)
			n = parse_name(r, p + 2, ret_error);
		else if (strncmp(p, "I:", 2) == 0)
			n = parse_ids(r, p + 2, ret_error);
		else if (strncmp(p, "P:", 2) == 0)
			n = parse_props(r, p + 2, ret_error);
		else if (strncmp(p, "B:", 2) == 0)
			n = parse_bits(r, p + 2, ret_error);
		else if (strncmp(p, "A:", 2) == 0)
			n = parse_abs(r, p + 2, ret_error);
		else if (strncmp(p, "E:", 2) == 0) {
			if (!r->have_name || r->bit_chunks[0] == 0)
				return fail(r, r->line, ret_error,
					    "event before the device description (N: and B: lines)");
			r->events_offset = offset;
			r->events_line = line;
			n = parse_event(r, p + 2, &r->pending, ret_error);
			if (n < 0)
				return n;
			n = check_event(r, &r->pending, ret_error);
			r->have_pending = n >= 0;
			return n;
		} else
			return fail(r, r->line, ret_error, "unknown line \"%.20s\"", p);
		if (n < 0)
			return n;
	}
	if (!seen_magic)
		return fail(r, r->line ? r->line : 1, ret_error,
			    "not an evemu recording (the file is empty)");
	if (!r->have_name || r->bit_chunks[0] == 0)
		return fail(r, r->line, ret_error, "no device description (N: and B: lines)");
	r->events_offset = ftell(r->f);
	r->events_line = r->line;
	return 0;
}

int
evemu_reader_open(const char *path, struct evemu_reader **ret, char **ret_error)
{
	struct evemu_reader *r = calloc(1, sizeof(*r));
	int e;

	if (!r)
		return -ENOMEM;
	r->path = strdup(path);
	if (!r->path) {
		free(r);
		return -ENOMEM;
	}
	r->f = fopen(path, "re");
	if (!r->f) {
		e = -errno;
		if (ret_error && asprintf(ret_error, "%s: %s", path, strerror(-e)) < 0)
			*ret_error = NULL;
		evemu_reader_free(r);
		return e;
	}
	e = parse_header(r, ret_error);
	if (e < 0) {
		evemu_reader_free(r);
		return e;
	}
	*ret = r;
	return 0;
}

void
evemu_reader_free(struct evemu_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->buf);
	free(r->path);
	free(r);
}

const char *
evemu_reader_path(const struct evemu_reader *r)
{
	return r->path;
}

const struct evemu_device_info *
evemu_reader_device(const struct evemu_reader *r)
{
	return &r->info;
}

int
evemu_reader_next(struct evemu_reader *r, struct evemu_event *ret_ev, char **ret_error)
{
	if (r->have_pending) {
		r->have_pending = false;
		*ret_ev = r->pending;
		return 1;
	}
	return next_event_line(r, ret_ev, ret_error);
}

int
evemu_reader_rewind(struct evemu_reader *r)
{
	if (fseek(r->f, r->events_offset, SEEK_SET) < 0)
		return -errno;
	clearerr(r->f);
	r->line = r->events_line;
	r->have_pending = false;
	r->any_event = false;
	r->last_time = 0;
	r->frame_open = false;
	return 0;
}
