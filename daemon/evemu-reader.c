/* SPDX-License-Identifier: MIT */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "evemu-reader.h"

#define MAX_LINE 4096		/* bytes of a line, without its newline */
#define BUF_SIZE (64 * 1024)	/* must hold a whole line and its newline */
#define MAX_SEC 1000000000000ULL /* 10^12 s: far beyond any clock, far below usec_t's limit */
#define MAX_CHUNKS 32		/* B: or P: lines per type: 2048 bits, KEY_CNT is 768 */
#define QUOTE_MAX 24		/* bytes of a line or token quoted in a message */
#define QUOTE_SIZE (QUOTE_MAX * 4 + 4) /* each as \xNN at worst, "...", NUL */

struct evemu_reader {
	FILE *f;
	char *path;
	struct evemu_device_info info;

	/* our own buffer rather than getline(): a line never costs more than MAX_LINE bytes of
	 * memory, and the offset of every line is known without ftell() */
	char *buf;
	size_t pos, end;  /* unread bytes are buf[pos..end) */
	off_t buf_offset; /* file offset of buf[0] */
	bool eof;
	unsigned line;    /* number of the last line read */

	off_t events_offset;  /* file offset of the first event line (or of the end) */
	unsigned events_line; /* number of the line before it */

	/* description state */
	bool have_magic, have_name, have_ids;
	unsigned bit_lines;
	unsigned bit_chunks[EV_CNT];
	unsigned prop_chunks;
	uint8_t abs_seen[(ABS_CNT + 7) / 8];

	/* event state, reset by rewind() */
	bool any_event;
	usec_t last_time;
	bool frame_open;   /* an event since the last SYN_REPORT */
	unsigned last_event_line;
	bool done;         /* next() returned 0 */
	int error;         /* next() failed: it fails the same way until rewind() */
	char *error_msg;
};

static const char *const abs_names[ABS_CNT] = {
	[ABS_X] = "ABS_X", [ABS_Y] = "ABS_Y", [ABS_Z] = "ABS_Z",
	[ABS_RX] = "ABS_RX", [ABS_RY] = "ABS_RY", [ABS_RZ] = "ABS_RZ",
	[ABS_THROTTLE] = "ABS_THROTTLE", [ABS_RUDDER] = "ABS_RUDDER", [ABS_WHEEL] = "ABS_WHEEL",
	[ABS_GAS] = "ABS_GAS", [ABS_BRAKE] = "ABS_BRAKE",
	[ABS_HAT0X] = "ABS_HAT0X", [ABS_HAT0Y] = "ABS_HAT0Y",
	[ABS_HAT1X] = "ABS_HAT1X", [ABS_HAT1Y] = "ABS_HAT1Y",
	[ABS_HAT2X] = "ABS_HAT2X", [ABS_HAT2Y] = "ABS_HAT2Y",
	[ABS_HAT3X] = "ABS_HAT3X", [ABS_HAT3Y] = "ABS_HAT3Y",
	[ABS_PRESSURE] = "ABS_PRESSURE", [ABS_DISTANCE] = "ABS_DISTANCE",
	[ABS_TILT_X] = "ABS_TILT_X", [ABS_TILT_Y] = "ABS_TILT_Y",
	[ABS_TOOL_WIDTH] = "ABS_TOOL_WIDTH", [ABS_VOLUME] = "ABS_VOLUME",
	[ABS_MISC] = "ABS_MISC", [ABS_MT_SLOT] = "ABS_MT_SLOT",
	[ABS_MT_POSITION_X] = "ABS_MT_POSITION_X", [ABS_MT_POSITION_Y] = "ABS_MT_POSITION_Y",
	[ABS_MT_TRACKING_ID] = "ABS_MT_TRACKING_ID", [ABS_MT_PRESSURE] = "ABS_MT_PRESSURE",
};

/* How many codes a type has; 0 for unassigned types. Bounds every bitmask and abs[] index. */
static unsigned
type_code_count(unsigned type)
{
	switch (type) {
	case EV_SYN: return SYN_CNT;
	case EV_KEY: return KEY_CNT;
	case EV_REL: return REL_CNT;
	case EV_ABS: return ABS_CNT;
	case EV_MSC: return MSC_CNT;
	case EV_SW: return SW_CNT;
	case EV_LED: return LED_CNT;
	case EV_SND: return SND_CNT;
	case EV_REP: return REP_CNT;
	case EV_FF: return FF_CNT;
	case EV_FF_STATUS: return FF_STATUS_MAX + 1;
	default: return 0;
	}
}

/* B: 00 holds the event types (evemu 1.x) or EV_SYN's codes (2.x): EV_CNT bits covers both */
static unsigned
bitmask_size(unsigned type)
{
	return type == 0 ? EV_CNT : type_code_count(type);
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
	/* bits[0] is the type mask, not EV_SYN's codes: every device sends SYN_REPORT */
	if (type == EV_SYN)
		return code < SYN_CNT;
	if (!evemu_device_has_type(d, type) || code >= type_code_count(type))
		return false;
	return test_bit(d->bits[type], code);
}

bool
evemu_device_has_prop(const struct evemu_device_info *d, unsigned prop)
{
	return prop < INPUT_PROP_CNT && test_bit(d->props, prop);
}

/* ------------------------------------------------------------------ messages */

/* s[0..len) for a message: at most QUOTE_MAX bytes, bytes that are not printable ASCII as \xNN */
static void
quote(const char *s, size_t len, char out[static QUOTE_SIZE])
{
	size_t o = 0;

	for (size_t i = 0; i < len && i < QUOTE_MAX; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			out[o++] = (char) c;
		} else {
			snprintf(out + o, 5, "\\x%02x", c);
			o += 4;
		}
	}
	if (len > QUOTE_MAX) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static int fail(struct evemu_reader *r, int error, unsigned line, char **ret_error,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sets *ret_error to "PATH:LINE: message" and returns error; -ENOMEM and NULL if that fails. */
static int
fail(struct evemu_reader *r, int error, unsigned line, char **ret_error, const char *fmt, ...)
{
	char *msg = NULL, *out = NULL;
	va_list ap;
	int n;

	assert(error < 0);
	if (!ret_error)
		return error;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0 || asprintf(&out, "%s:%u: %s", r->path, line, msg) < 0) {
		free(msg);
		*ret_error = NULL;
		return -ENOMEM;
	}
	free(msg);
	*ret_error = out;
	return error;
}

#define fail_data(r, line, ret_error, ...) fail(r, -EINVAL, line, ret_error, __VA_ARGS__)

/* ------------------------------------------------------------------ lines */

static int
refill(struct evemu_reader *r)
{
	size_t want, n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->buf_offset += (off_t) r->pos;
		r->end -= r->pos;
		r->pos = 0;
	}
	want = BUF_SIZE - r->end;
	n = fread(r->buf + r->end, 1, want, r->f);
	r->end += n;
	if (n < want) {
		if (ferror(r->f))
			return errno > 0 ? -errno : -EIO;
		r->eof = true;
	}
	return 0;
}

/*
 * The next line without its newline (and without a '\r' before it) in *ret_s, *ret_len; it stays
 * valid until the next call. Returns 1, 0 at the end of the file, or a negative errno.
 */
static int
read_line(struct evemu_reader *r, const char **ret_s, size_t *ret_len, char **ret_error)
{
	const char *s, *nl, *what;
	size_t avail, len;
	int e;

	for (;;) {
		avail = r->end - r->pos;
		s = r->buf + r->pos;
		nl = memchr(s, '\n', avail < MAX_LINE + 1 ? avail : MAX_LINE + 1);
		if (nl || avail > MAX_LINE || r->eof)
			break;
		e = refill(r);
		if (e < 0)
			return fail(r, -EIO, r->line + 1, ret_error, "read error: %s",
				    strerror(-e));
	}
	if (!nl && avail == 0)
		return 0;
	if (r->line == UINT_MAX)
		return fail_data(r, r->line, ret_error, "too many lines");
	r->line++;
	/* a binary file: say what it is not before what is wrong with it */
	what = r->have_magic ? "" : "not an evemu recording: ";
	if (!nl && avail > MAX_LINE)
		return fail_data(r, r->line, ret_error, "%sline longer than %d bytes", what,
				 MAX_LINE);
	len = nl ? (size_t) (nl - s) : avail;
	if (memchr(s, '\0', len))
		return fail_data(r, r->line, ret_error, "%sNUL byte in the line", what);
	if (!nl)
		return fail_data(r, r->line, ret_error, "truncated: last line is incomplete");
	r->pos += len + 1;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	*ret_s = s;
	*ret_len = len;
	return 1;
}

/* Give the line just read back, to be read again (no refill() may have happened since). */
static void
unread_line(struct evemu_reader *r, const char *s)
{
	r->pos = (size_t) (s - r->buf);
	r->line--;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next token separated by spaces or tabs; false at the end of the line. */
static bool
next_token(const char **p, const char *end, const char **ret_tok, size_t *ret_len)
{
	const char *s = *p, *t;

	while (s < end && is_blank(*s))
		s++;
	if (s == end)
		return false;
	for (t = s; t < end && !is_blank(*t); t++)
		;
	*p = t;
	*ret_tok = s;
	*ret_len = (size_t) (t - s);
	return true;
}

static bool
parse_hex(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned) (s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned) (s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned) (s[i] - 'A' + 10);
		else
			return false;
		if (v > (max - d) / 16)
			return false;
		v = v * 16 + d;
	}
	*ret = v;
	return true;
}

/* Digits only, base 10: evemu writes "0040" and "-091", which base 0 would read as octal. */
static bool
parse_udec(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned) (s[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

static bool
parse_int32(const char *s, size_t len, int32_t *ret)
{
	bool neg = len > 0 && s[0] == '-';
	uint64_t v;

	if (!parse_udec(s + neg, len - neg, neg ? -(int64_t) INT32_MIN : INT32_MAX, &v))
		return false;
	*ret = neg ? (int32_t) -(int64_t) v : (int32_t) v;
	return true;
}

static bool
all_digits(const char *s, size_t len, bool sign)
{
	if (sign && len > 0 && s[0] == '-')
		s++, len--;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool
all_hex(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* One hexadecimal field of a line; what = "I: vendor". */
static int
field_hex(struct evemu_reader *r, const char **p, const char *end, const char *what, uint64_t max,
	  uint64_t *ret, char **ret_error)
{
	char q[QUOTE_SIZE];
	const char *t;
	size_t n;

	if (!next_token(p, end, &t, &n))
		return fail_data(r, r->line, ret_error, "%s: missing", what);
	if (parse_hex(t, n, max, ret))
		return 0;
	quote(t, n, q);
	if (all_hex(t, n))
		return fail_data(r, r->line, ret_error, "%s: 0x%s is out of range (at most 0x%llx)",
				 what, q, (unsigned long long) max);
	return fail_data(r, r->line, ret_error, "%s: expected a hexadecimal number, got \"%s\"",
			 what, q);
}

/* One decimal field that must fit in int32; what = "A: minimum". */
static int
field_int32(struct evemu_reader *r, const char **p, const char *end, const char *what,
	    int32_t *ret, char **ret_error)
{
	char q[QUOTE_SIZE];
	const char *t;
	size_t n;

	if (!next_token(p, end, &t, &n))
		return fail_data(r, r->line, ret_error, "%s: missing", what);
	if (parse_int32(t, n, ret))
		return 0;
	quote(t, n, q);
	if (all_digits(t, n, true))
		return fail_data(r, r->line, ret_error, "%s: %s does not fit in 32 bits", what, q);
	return fail_data(r, r->line, ret_error, "%s: expected a decimal number, got \"%s\"", what,
			 q);
}

static int
field_end(struct evemu_reader *r, const char *p, const char *end, const char *after,
	  char **ret_error)
{
	char q[QUOTE_SIZE];
	const char *t;
	size_t n;

	/* evemu-record 2.x ends every event with "\t# EV_KEY / KEY_B  1" */
	if (!next_token(&p, end, &t, &n) || *t == '#')
		return 0;
	quote(t, (size_t) (end - t), q);
	return fail_data(r, r->line, ret_error, "unexpected text after the %s: \"%s\"", after, q);
}

/* ------------------------------------------------------------------ description */

static int
parse_magic(struct evemu_reader *r, const char *s, const char *end, char **ret_error)
{
	static const char magic[] = "# EVEMU ";
	const size_t m = sizeof(magic) - 1;
	const char *p = s + m, *t;
	uint64_t major, minor;
	char q[QUOTE_SIZE];
	size_t n;
	const char *dot;

	if ((size_t) (end - s) < m || memcmp(s, magic, m) != 0 || !next_token(&p, end, &t, &n))
		return fail_data(r, r->line, ret_error,
				 "not an evemu recording (expected \"# EVEMU 1.x\" first)");
	dot = memchr(t, '.', n);
	if (!dot || !parse_udec(t, (size_t) (dot - t), 1000, &major) ||
	    !parse_udec(dot + 1, n - (size_t) (dot - t) - 1, 1000, &minor)) {
		quote(t, n, q);
		return fail_data(r, r->line, ret_error,
				 "not an evemu recording (bad version \"%s\")", q);
	}
	if (major != 1)
		return fail_data(r, r->line, ret_error,
				 "unsupported evemu version %llu.%llu (expected 1.x)",
				 (unsigned long long) major, (unsigned long long) minor);
	r->have_magic = true;
	return field_end(r, p, end, "version", ret_error);
}

static int
parse_name(struct evemu_reader *r, const char *p, const char *end, char **ret_error)
{
	size_t len;

	if (r->have_name)
		return fail_data(r, r->line, ret_error, "N: a second device name");
	while (p < end && is_blank(*p))
		p++;
	len = (size_t) (end - p);
	if (len == 0)
		return fail_data(r, r->line, ret_error, "N: empty device name");
	if (len >= sizeof(r->info.name))
		return fail_data(r, r->line, ret_error, "N: device name longer than %zu bytes",
				 sizeof(r->info.name) - 1);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char) p[i] < 0x20 || p[i] == 0x7f)
			return fail_data(r, r->line, ret_error,
					 "N: control character 0x%02x in the device name",
					 (unsigned char) p[i]);
	memcpy(r->info.name, p, len);
	r->info.name[len] = '\0';
	r->have_name = true;
	return 0;
}

static int
parse_ids(struct evemu_reader *r, const char *p, const char *end, char **ret_error)
{
	static const char *const what[] = { "I: bus type", "I: vendor", "I: product",
					    "I: version" };
	uint64_t v[4];
	int e;

	if (r->have_ids)
		return fail_data(r, r->line, ret_error, "I: a second device id");
	for (int i = 0; i < 4; i++) {
		e = field_hex(r, &p, end, what[i], 0xffff, &v[i], ret_error);
		if (e < 0)
			return e;
	}
	e = field_end(r, p, end, "version", ret_error);
	if (e < 0)
		return e;
	r->info.bustype = (unsigned) v[0];
	r->info.vendor = (unsigned) v[1];
	r->info.product = (unsigned) v[2];
	r->info.version = (unsigned) v[3];
	r->have_ids = true;
	return 0;
}

/*
 * 8 hex bytes continuing a bitmask of nbits bits at byte `at`: bits past nbits must be clear, so
 * that a declared code is always a valid index for the caller (abs[code]).
 */
static int
parse_mask_bytes(struct evemu_reader *r, const char *p, const char *end, const char *what,
		 uint8_t *mask, size_t size, unsigned nbits, size_t at, char **ret_error)
{
	uint8_t bytes[8];
	int e;

	for (size_t i = 0; i < 8; i++) {
		uint64_t b;

		e = field_hex(r, &p, end, what, 0xff, &b, ret_error);
		if (e < 0)
			return e;
		bytes[i] = (uint8_t) b;
	}
	e = field_end(r, p, end, "8 bytes", ret_error);
	if (e < 0)
		return e;
	for (size_t i = 0; i < 8; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			size_t n = (at + i) * 8 + bit;

			if (!(bytes[i] & (1u << bit)) || n < nbits)
				continue;
			if (nbits == 0)
				return fail_data(r, r->line, ret_error,
						 "%s: bit 0x%zx set for a type without codes",
						 what, n);
			return fail_data(r, r->line, ret_error,
					 "%s: bit 0x%zx set, beyond the last known one (0x%x)",
					 what, n, nbits - 1);
		}
		if (at + i < size)
			mask[at + i] = bytes[i];
	}
	return 0;
}

static int
parse_props(struct evemu_reader *r, const char *p, const char *end, char **ret_error)
{
	int e;

	if (r->prop_chunks >= MAX_CHUNKS)
		return fail_data(r, r->line, ret_error, "P: more than %d lines", MAX_CHUNKS);
	e = parse_mask_bytes(r, p, end, "P: (properties)", r->info.props, sizeof(r->info.props),
			     INPUT_PROP_CNT, 8 * (size_t) r->prop_chunks, ret_error);
	if (e < 0)
		return e;
	r->prop_chunks++;
	return 0;
}

static int
parse_bits(struct evemu_reader *r, const char *p, const char *end, char **ret_error)
{
	uint8_t scratch[(EV_CNT + 7) / 8];
	char what[32];
	uint64_t type;
	int e;

	e = field_hex(r, &p, end, "B: event type", EV_MAX, &type, ret_error);
	if (e < 0)
		return e;
	snprintf(what, sizeof(what), "B: %02x%s", (unsigned) type, type ? " (codes)" : "");
	if (r->bit_chunks[type] >= MAX_CHUNKS)
		return fail_data(r, r->line, ret_error, "B: more than %d lines for type 0x%02x",
				 MAX_CHUNKS, (unsigned) type);
	/* B: 00 is read and checked, not kept: evemu 2.x writes EV_SYN's codes there ("0b" for any
	 * device), evemu 1.x the type mask. Like libevemu, a type is the device's when its own B:
	 * lines declare a code; bits[0] is that, plus EV_SYN. */
	e = parse_mask_bytes(r, p, end, what, type == 0 ? scratch : r->info.bits[type],
			     type == 0 ? sizeof(scratch) : EVEMU_BITS_BYTES,
			     bitmask_size((unsigned) type), 8 * (size_t) r->bit_chunks[type],
			     ret_error);
	if (e < 0)
		return e;
	r->bit_chunks[type]++;
	r->bit_lines++;
	if (type == 0)
		return 0;
	for (size_t i = 0; i < EVEMU_BITS_BYTES; i++)
		if (r->info.bits[type][i]) {
			r->info.bits[0][type / 8] |= (uint8_t) (1u << (type % 8));
			break;
		}
	return 0;
}

static int
parse_abs(struct evemu_reader *r, const char *p, const char *end, char **ret_error)
{
	struct input_absinfo a = {};
	const char *name;
	uint64_t code;
	int e;

	e = field_hex(r, &p, end, "A: axis code", ABS_MAX, &code, ret_error);
	if (e < 0)
		return e;
	name = abs_names[code];
	if (!test_bit(r->info.bits[EV_ABS], (unsigned) code))
		return fail_data(r, r->line, ret_error,
				 "A: axis 0x%02x%s%s%s not declared by a B: 03 line before it",
				 (unsigned) code, name ? " (" : "", name ? name : "",
				 name ? ")" : "");
	if (test_bit(r->abs_seen, (unsigned) code))
		return fail_data(r, r->line, ret_error, "A: axis 0x%02x described twice",
				 (unsigned) code);
	if ((e = field_int32(r, &p, end, "A: minimum", &a.minimum, ret_error)) < 0 ||
	    (e = field_int32(r, &p, end, "A: maximum", &a.maximum, ret_error)) < 0 ||
	    (e = field_int32(r, &p, end, "A: fuzz", &a.fuzz, ret_error)) < 0 ||
	    (e = field_int32(r, &p, end, "A: flat", &a.flat, ret_error)) < 0)
		return e;
	/* recordings older than EVEMU 1.1 have no resolution */
	{
		const char *q = p, *t;
		size_t n;

		if (next_token(&q, end, &t, &n) && *t != '#') {
			e = field_int32(r, &p, end, "A: resolution", &a.resolution, ret_error);
			if (e < 0)
				return e;
		}
	}
	e = field_end(r, p, end, "resolution", ret_error);
	if (e < 0)
		return e;
	r->info.abs[code] = a;
	r->abs_seen[code / 8] |= (uint8_t) (1u << (code % 8));
	return 0;
}

/* ------------------------------------------------------------------ events */

/* "E: sec.usec type code value" */
static int
parse_event(struct evemu_reader *r, const char *p, const char *end, struct evemu_event *ret,
	    char **ret_error)
{
	char q[QUOTE_SIZE];
	const char *t, *dot;
	uint64_t sec, usec, type, code;
	int32_t value;
	size_t n;
	int e;

	if (!next_token(&p, end, &t, &n))
		return fail_data(r, r->line, ret_error, "E: time: missing");
	dot = memchr(t, '.', n);
	if (!dot || !all_digits(t, (size_t) (dot - t), false) ||
	    !all_digits(dot + 1, n - (size_t) (dot - t) - 1, false) ||
	    n - (size_t) (dot - t) - 1 != 6) {
		quote(t, n, q);
		return fail_data(r, r->line, ret_error,
				 "E: time: expected seconds.microseconds (6 digits), got \"%s\"",
				 q);
	}
	if (!parse_udec(t, (size_t) (dot - t), MAX_SEC, &sec)) {
		quote(t, n, q);
		return fail_data(r, r->line, ret_error, "E: time: %s is out of range", q);
	}
	usec = 0;
	for (const char *d = dot + 1; d < t + n; d++)
		usec = usec * 10 + (uint64_t) (*d - '0');
	e = field_hex(r, &p, end, "E: event type", 0xffff, &type, ret_error);
	if (e < 0)
		return e;
	e = field_hex(r, &p, end, "E: event code", 0xffff, &code, ret_error);
	if (e < 0)
		return e;
	e = field_int32(r, &p, end, "E: value", &value, ret_error);
	if (e < 0)
		return e;
	e = field_end(r, p, end, "value", ret_error);
	if (e < 0)
		return e;
	*ret = (struct evemu_event) {
		.time = sec * USEC_PER_SEC + usec,
		.type = (uint16_t) type,
		.code = (uint16_t) code,
		.value = value,
		.line = r->line,
	};
	return 0;
}

static int
check_event(struct evemu_reader *r, const struct evemu_event *ev, char **ret_error)
{
	if (!evemu_device_has_code(&r->info, ev->type, ev->code)) {
		const char *name = ev->type == EV_ABS && ev->code < ABS_CNT ? abs_names[ev->code] :
				   NULL;

		if (ev->type == EV_SYN)
			return fail_data(r, ev->line, ret_error,
					 "event type 0x00 code 0x%02x is not an EV_SYN code",
					 ev->code);
		return fail_data(r, ev->line, ret_error,
				 "event type 0x%02x code 0x%02x%s%s%s not declared by the device",
				 ev->type, ev->code, name ? " (" : "", name ? name : "",
				 name ? ")" : "");
	}
	if (r->any_event && ev->time < r->last_time)
		return fail_data(r, ev->line, ret_error,
				 "time goes back: %llu.%06llu after %llu.%06llu",
				 (unsigned long long) (ev->time / USEC_PER_SEC),
				 (unsigned long long) (ev->time % USEC_PER_SEC),
				 (unsigned long long) (r->last_time / USEC_PER_SEC),
				 (unsigned long long) (r->last_time % USEC_PER_SEC));
	r->any_event = true;
	r->last_time = ev->time;
	r->frame_open = !(ev->type == EV_SYN && ev->code == SYN_REPORT);
	r->last_event_line = ev->line;
	return 0;
}

/* A line's first non-blank character, or end. */
static const char *
skip_blanks(const char *s, const char *end)
{
	while (s < end && is_blank(*s))
		s++;
	return s;
}

static bool
has_prefix(const char *p, const char *end, char c)
{
	return end - p >= 2 && p[0] == c && p[1] == ':';
}

static int
parse_header(struct evemu_reader *r, char **ret_error)
{
	for (;;) {
		const char *s, *p, *end;
		size_t len;
		int e;

		e = read_line(r, &s, &len, ret_error);
		if (e < 0)
			return e;
		if (e == 0)
			break;
		end = s + len;
		p = skip_blanks(s, end);
		if (!r->have_magic) {
			if (p == end)
				continue;
			e = parse_magic(r, p, end, ret_error);
		} else if (p == end || *p == '#') {
			continue;
		} else if (has_prefix(p, end, 'N')) {
			e = parse_name(r, p + 2, end, ret_error);
		} else if (has_prefix(p, end, 'I')) {
			e = parse_ids(r, p + 2, end, ret_error);
		} else if (has_prefix(p, end, 'P')) {
			e = parse_props(r, p + 2, end, ret_error);
		} else if (has_prefix(p, end, 'B')) {
			e = parse_bits(r, p + 2, end, ret_error);
		} else if (has_prefix(p, end, 'A')) {
			e = parse_abs(r, p + 2, end, ret_error);
		} else if (has_prefix(p, end, 'E')) {
			if (!r->have_name)
				return fail_data(r, r->line, ret_error,
						 "event before the device description: no N: line");
			if (r->bit_lines == 0)
				return fail_data(r, r->line, ret_error,
						 "event before the device description: no B: line");
			/* next() parses it */
			unread_line(r, s);
			r->events_offset = r->buf_offset + (off_t) r->pos;
			r->events_line = r->line;
			return 0;
		} else {
			char q[QUOTE_SIZE];

			quote(p, (size_t) (end - p), q);
			return fail_data(r, r->line, ret_error, "unknown line \"%s\"", q);
		}
		if (e < 0)
			return e;
	}
	if (!r->have_magic)
		return fail_data(r, r->line ? r->line : 1, ret_error,
				 "not an evemu recording (the file is empty)");
	if (!r->have_name)
		return fail_data(r, r->line, ret_error, "no device description: no N: line");
	if (r->bit_lines == 0)
		return fail_data(r, r->line, ret_error, "no device description: no B: line");
	r->events_offset = r->buf_offset + (off_t) r->pos;
	r->events_line = r->line;
	return 0;
}

/* ------------------------------------------------------------------ API */

int
evemu_reader_open(const char *path, struct evemu_reader **ret, char **ret_error)
{
	struct evemu_reader *r;
	struct stat st;
	int fd, e;

	assert(path);
	assert(ret);
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->path = strdup(path);
	r->buf = malloc(BUF_SIZE);
	if (!r->path || !r->buf) {
		evemu_reader_free(r);
		return -ENOMEM;
	}
	r->info.bits[0][0] = 1u << EV_SYN;
	/* O_NONBLOCK: a FIFO without a writer would hang the open; it is refused below, as is
	 * anything else but a file (the replay reads a recording twice: rewind() needs a file) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		e = -errno;
	else if (fstat(fd, &st) < 0)
		e = -errno;
	else if (S_ISDIR(st.st_mode))
		e = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = -EINVAL;
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		e = -errno;
	else if (!(r->f = fdopen(fd, "re")))
		e = -errno;
	else
		e = 0;
	if (e < 0) {
		const char *why = e != -EINVAL ? strerror(-e) :
				  S_ISFIFO(st.st_mode) ? "a FIFO, not a file" :
				  S_ISSOCK(st.st_mode) ? "a socket, not a file" :
				  "a device, not a file";

		if (fd >= 0 && !r->f)
			close(fd);
		if (ret_error && asprintf(ret_error, "%s: %s", path, why) < 0) {
			*ret_error = NULL;
			e = -ENOMEM;
		}
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
	free(r->error_msg);
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

static int
next_event(struct evemu_reader *r, struct evemu_event *ret_ev, char **ret_error)
{
	for (;;) {
		const char *s, *p, *end;
		size_t len;
		int e;

		e = read_line(r, &s, &len, ret_error);
		if (e < 0)
			return e;
		if (e == 0) {
			if (r->frame_open)
				return fail_data(r, r->last_event_line, ret_error,
						 "truncated: the last event frame is not closed by "
						 "SYN_REPORT");
			return 0;
		}
		end = s + len;
		p = skip_blanks(s, end);
		if (p == end || *p == '#')
			continue;
		if (!has_prefix(p, end, 'E')) {
			char q[QUOTE_SIZE];

			quote(p, (size_t) (end - p), q);
			if (end - p >= 2 && p[1] == ':' && memchr("NIPBA", p[0], 5))
				return fail_data(r, r->line, ret_error,
						 "device description line after the first event: "
						 "\"%s\"", q);
			return fail_data(r, r->line, ret_error, "unknown line \"%s\"", q);
		}
		e = parse_event(r, p + 2, end, ret_ev, ret_error);
		if (e < 0)
			return e;
		e = check_event(r, ret_ev, ret_error);
		if (e < 0)
			return e;
		return 1;
	}
}

int
evemu_reader_next(struct evemu_reader *r, struct evemu_event *ret_ev, char **ret_error)
{
	struct evemu_event ev;
	char *msg = NULL;
	int e;

	if (r->error < 0) {
		if (ret_error) {
			*ret_error = r->error_msg ? strdup(r->error_msg) : NULL;
			if (r->error_msg && !*ret_error)
				return -ENOMEM;
		}
		return r->error;
	}
	if (r->done)
		return 0;
	e = next_event(r, &ev, &msg);
	if (e < 0) {
		/* a failed allocation is not the file's fault: the next call may do better */
		if (e != -ENOMEM) {
			r->error = e;
			r->error_msg = msg ? strdup(msg) : NULL;
		}
		if (ret_error)
			*ret_error = msg;
		else
			free(msg);
		return e;
	}
	if (e == 0) {
		r->done = true;
		return 0;
	}
	*ret_ev = ev;
	return 1;
}

int
evemu_reader_rewind(struct evemu_reader *r)
{
	if (fseeko(r->f, r->events_offset, SEEK_SET) < 0)
		return -errno;
	clearerr(r->f);
	r->pos = r->end = 0;
	r->buf_offset = r->events_offset;
	r->eof = false;
	r->line = r->events_line;
	r->any_event = false;
	r->last_time = 0;
	r->frame_open = false;
	r->last_event_line = 0;
	r->done = false;
	r->error = 0;
	free(r->error_msg);
	r->error_msg = NULL;
	return 0;
}
