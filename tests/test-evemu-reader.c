/* SPDX-License-Identifier: MIT */
/*
 * The evemu reader: a good seat-switch recording read back field by field, one row per rule for
 * bad input (the error names FILE:LINE: and what is wrong), and the real MotionSense recordings
 * when ../shared/data/motionsense is there (SITLOG_MOTIONSENSE_DIR).
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "evemu-reader.h"

static char *tmp_dir;

/* ------------------------------------------------------------------ fixtures */

#define MAGIC "# EVEMU 1.3\n"
#define B0 " 00 00 00 00 00 00 00 00\n" /* 8 zero bytes */
#define B7 " 00 00 00 00 00 00 00\n"    /* 7 */
/* a chair switch: EV_KEY BTN_0 (0x100), and a pressure axis ABS_PRESSURE (0x18) */
#define DESC                                                                                       \
	"N: USB Chair Switch\n"                                                                    \
	"I: 0003 1209 5e47 0100\n"                                                                 \
	"P:" B0                                                                                    \
	"B: 00 0b 00 00 00 00 00 00 00\n"                                                          \
	"B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0                                                \
	"B: 01 01 00 00 00 00 00 00 00\n"                                                          \
	"B: 03 00 00 00 01 00 00 00 00\n"                                                          \
	"A: 18 0 1023 4 8 12\n"
#define BANNER                                                                                     \
	"################################\n"                                                \
	"#      Waiting for events      #\n"                                                \
	"################################\n"
#define HEAD MAGIC "# Input device name: \"USB Chair Switch\"\n" DESC BANNER
#define HEAD_LINES 16u
#define EV_LINE(n) (HEAD_LINES + (n)) /* line of the n-th line after the head, from 1 */

/* 0040 and -091 are decimal, 010000 µs is 10 ms: a base-0 parser reads 32, -(error), 4096 µs */
static const char good_text[] = HEAD
	"E: 0.000000 0001 0100 0001\n"
	"E: 0.000000 0000 0000 0000\n"
	"E: 5.010000 0003 0018 0040\n"
	"E: 5.010000 0000 0000 0000\n"
	"E: 5.010000 0003 0018 -091\n"
	"E: 5.010000 0000 0000 0000\n"
	"# a comment among the events\n"
	"\n"
	"E: 0007.000001 0001 0100 0000\n"
	"E: 7.000001 0000 0000 0000\n";

static const struct evemu_event good_events[] = {
	{ 0, EV_KEY, BTN_0, 1, EV_LINE(1) },
	{ 0, EV_SYN, SYN_REPORT, 0, EV_LINE(2) },
	{ 5010000, EV_ABS, ABS_PRESSURE, 40, EV_LINE(3) },
	{ 5010000, EV_SYN, SYN_REPORT, 0, EV_LINE(4) },
	{ 5010000, EV_ABS, ABS_PRESSURE, -91, EV_LINE(5) },
	{ 5010000, EV_SYN, SYN_REPORT, 0, EV_LINE(6) },
	{ 7000001, EV_KEY, BTN_0, 0, EV_LINE(9) },
	{ 7000001, EV_SYN, SYN_REPORT, 0, EV_LINE(10) },
};

static char *
write_file(const char *name, const void *text, size_t len)
{
	g_autoptr(GError) error = NULL;
	char *path = g_build_filename(tmp_dir, name, NULL);

	g_file_set_contents(path, text, (gssize) len, &error);
	g_assert_no_error(error);
	return path;
}

/* "PATH:LINE: ..." containing word */
static void
assert_error(const char *msg, const char *path, unsigned line, const char *word)
{
	g_autofree char *want = g_strdup_printf("%s:%u: ", path, line);
	g_autofree char *start = NULL;

	g_assert_nonnull(msg);
	start = g_strndup(msg, strlen(want));
	if (strcmp(start, want) != 0)
		g_assert_cmpstr(msg, ==, want);
	if (!strstr(msg + strlen(want), word))
		g_assert_cmpstr(msg, ==, word);
}

static struct evemu_reader *
open_ok(const char *path)
{
	struct evemu_reader *r = NULL;
	char *error = NULL;
	int e = evemu_reader_open(path, &r, &error);

	if (e < 0)
		g_assert_cmpstr(error, ==, NULL);
	g_assert_cmpint(e, ==, 0);
	g_assert_nonnull(r);
	return r;
}

static void
assert_events(struct evemu_reader *r, const struct evemu_event *want, size_t n)
{
	struct evemu_event ev;
	char *error = NULL;

	for (size_t i = 0; i < n; i++) {
		int e = evemu_reader_next(r, &ev, &error);

		if (e < 0)
			g_assert_cmpstr(error, ==, NULL);
		g_assert_cmpint(e, ==, 1);
		g_assert_cmpuint(ev.time, ==, want[i].time);
		g_assert_cmpuint(ev.type, ==, want[i].type);
		g_assert_cmpuint(ev.code, ==, want[i].code);
		g_assert_cmpint(ev.value, ==, want[i].value);
		g_assert_cmpuint(ev.line, ==, want[i].line);
	}
	g_assert_cmpint(evemu_reader_next(r, &ev, &error), ==, 0);
}

/* ------------------------------------------------------------------ good input */

static void
test_description_is_read(void)
{
	g_autofree char *path = write_file("good.evemu", good_text, sizeof(good_text) - 1);
	struct evemu_reader *r = open_ok(path);
	const struct evemu_device_info *d = evemu_reader_device(r);

	g_assert_cmpstr(evemu_reader_path(r), ==, path);
	g_assert_cmpstr(d->name, ==, "USB Chair Switch");
	g_assert_cmpuint(d->bustype, ==, 0x0003);
	g_assert_cmpuint(d->vendor, ==, 0x1209);
	g_assert_cmpuint(d->product, ==, 0x5e47);
	g_assert_cmpuint(d->version, ==, 0x0100);
	for (unsigned p = 0; p < INPUT_PROP_CNT + 8; p++)
		g_assert_false(evemu_device_has_prop(d, p));
	for (unsigned t = 0; t < EV_CNT + 8; t++)
		g_assert_true(evemu_device_has_type(d, t) ==
			      (t == EV_SYN || t == EV_KEY || t == EV_ABS));
	for (unsigned c = 0; c < KEY_CNT + 8; c++) {
		g_assert_true(evemu_device_has_code(d, EV_KEY, c) == (c == BTN_0));
		g_assert_true(evemu_device_has_code(d, EV_ABS, c) == (c == ABS_PRESSURE));
		g_assert_false(evemu_device_has_code(d, EV_SW, c));
	}
	g_assert_cmpint(d->abs[ABS_PRESSURE].minimum, ==, 0);
	g_assert_cmpint(d->abs[ABS_PRESSURE].maximum, ==, 1023);
	g_assert_cmpint(d->abs[ABS_PRESSURE].fuzz, ==, 4);
	g_assert_cmpint(d->abs[ABS_PRESSURE].flat, ==, 8);
	g_assert_cmpint(d->abs[ABS_PRESSURE].resolution, ==, 12);
	evemu_reader_free(r);
}

static void
test_events_come_in_order_with_their_lines(void)
{
	g_autofree char *path = write_file("good.evemu", good_text, sizeof(good_text) - 1);
	struct evemu_reader *r = open_ok(path);

	assert_events(r, good_events, G_N_ELEMENTS(good_events));
	evemu_reader_free(r);
}

static void
test_values_are_decimal_never_octal(void)
{
	static const char text[] = HEAD
		"E: 1.000010 0003 0018 0010\n"
		"E: 1.000010 0000 0000 0000\n"
		"E: 1.010000 0003 0018 -0008\n"
		"E: 1.010000 0000 0000 0000\n"
		"E: 0009.099999 0003 0018 0000000000000000000000000000000099\n"
		"E: 0009.099999 0000 0000 0000\n";
	static const struct evemu_event want[] = {
		{ 1000010, EV_ABS, ABS_PRESSURE, 10, EV_LINE(1) },
		{ 1000010, EV_SYN, SYN_REPORT, 0, EV_LINE(2) },
		{ 1010000, EV_ABS, ABS_PRESSURE, -8, EV_LINE(3) },
		{ 1010000, EV_SYN, SYN_REPORT, 0, EV_LINE(4) },
		{ 9099999, EV_ABS, ABS_PRESSURE, 99, EV_LINE(5) },
		{ 9099999, EV_SYN, SYN_REPORT, 0, EV_LINE(6) },
	};
	g_autofree char *path = write_file("decimal.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);

	assert_events(r, want, G_N_ELEMENTS(want));
	evemu_reader_free(r);
}

static void
test_int32_limits_are_accepted(void)
{
	static const char text[] = MAGIC "N: x\n"
		"B: 00 09 00 00 00 00 00 00 00\n"
		"B: 03 00 00 00 01 00 00 00 00\n"
		"A: 18 -2147483648 2147483647 0 0 0\n"
		"E: 1.000000 0003 0018 -2147483648\n"
		"E: 1.000000 0003 0018 2147483647\n"
		"E: 1.000000 0000 0000 0\n";
	static const struct evemu_event want[] = {
		{ 1000000, EV_ABS, ABS_PRESSURE, INT32_MIN, 6 },
		{ 1000000, EV_ABS, ABS_PRESSURE, INT32_MAX, 7 },
		{ 1000000, EV_SYN, SYN_REPORT, 0, 8 },
	};
	g_autofree char *path = write_file("limits.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);

	g_assert_cmpint(evemu_reader_device(r)->abs[ABS_PRESSURE].minimum, ==, INT32_MIN);
	g_assert_cmpint(evemu_reader_device(r)->abs[ABS_PRESSURE].maximum, ==, INT32_MAX);
	assert_events(r, want, G_N_ELEMENTS(want));
	evemu_reader_free(r);
}

static void
test_rewind_gives_the_same_events_again(void)
{
	g_autofree char *path = write_file("good.evemu", good_text, sizeof(good_text) - 1);
	struct evemu_reader *r = open_ok(path);
	struct evemu_event ev;

	/* rewind from the end, from the middle and right after open() */
	assert_events(r, good_events, G_N_ELEMENTS(good_events));
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	assert_events(r, good_events, G_N_ELEMENTS(good_events));
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	for (int i = 0; i < 5; i++)
		g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 1);
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	assert_events(r, good_events, G_N_ELEMENTS(good_events));
	evemu_reader_free(r);

	r = open_ok(path);
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	assert_events(r, good_events, G_N_ELEMENTS(good_events));
	evemu_reader_free(r);
}

static void
test_next_after_the_end_returns_0_again(void)
{
	g_autofree char *path = write_file("good.evemu", good_text, sizeof(good_text) - 1);
	struct evemu_reader *r = open_ok(path);
	struct evemu_event ev = { .line = 12345 };

	while (evemu_reader_next(r, &ev, NULL) > 0)
		;
	ev.line = 12345;
	g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 0);
	g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 0);
	g_assert_cmpuint(ev.line, ==, 12345); /* ret_ev untouched */
	evemu_reader_free(r);
}

static void
test_empty_events_section_is_valid(void)
{
	static const char text[] = HEAD;
	static const char no_banner[] = MAGIC DESC;
	g_autofree char *path = write_file("no-events.evemu", text, sizeof(text) - 1);
	g_autofree char *path2 = write_file("no-banner.evemu", no_banner, sizeof(no_banner) - 1);
	struct evemu_reader *r = open_ok(path);

	assert_events(r, NULL, 0);
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	assert_events(r, NULL, 0);
	evemu_reader_free(r);
	r = open_ok(path2);
	assert_events(r, NULL, 0);
	evemu_reader_free(r);
}

static void
test_abs_without_resolution_is_accepted(void)
{
	static const char text[] = "# EVEMU 1.0\n"
		"N: Old Mat\n"
		"B: 00 09 00 00 00 00 00 00 00\n"
		"B: 03 00 00 00 01 00 00 00 00\n"
		"A: 18 -5 500 1 2\n";
	g_autofree char *path = write_file("old.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);
	const struct input_absinfo *a = &evemu_reader_device(r)->abs[ABS_PRESSURE];

	g_assert_cmpint(a->minimum, ==, -5);
	g_assert_cmpint(a->maximum, ==, 500);
	g_assert_cmpint(a->fuzz, ==, 1);
	g_assert_cmpint(a->flat, ==, 2);
	g_assert_cmpint(a->resolution, ==, 0);
	evemu_reader_free(r);
}

static void
test_props_and_long_names_are_read(void)
{
	char name[256];
	g_autoptr(GString) text = g_string_new(MAGIC "\n\n");
	g_autofree char *path = NULL;
	struct evemu_reader *r;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[10] = ' '; /* names have spaces */
	g_string_append_printf(text, "N: %s\r\n", name); /* and may end in CRLF */
	g_string_append(text, "P: 40 00 00 00 00 00 00 00\nP:" B0
			      "B: 00 09 00 00 00 00 00 00 00\r\n"
			      "B: 03 07 00 00 00 00 00 00 00\n"
			      "\t# indented comment\n   \n");
	path = write_file("props.evemu", text->str, text->len);
	r = open_ok(path);
	g_assert_cmpstr(evemu_reader_device(r)->name, ==, name);
	g_assert_true(evemu_device_has_prop(evemu_reader_device(r), INPUT_PROP_ACCELEROMETER));
	g_assert_false(evemu_device_has_prop(evemu_reader_device(r), INPUT_PROP_POINTER));
	g_assert_true(evemu_device_has_code(evemu_reader_device(r), EV_ABS, ABS_Z));
	evemu_reader_free(r);
}

static void
test_line_of_4096_bytes_is_accepted(void)
{
	g_autoptr(GString) text = g_string_new(HEAD);
	g_autofree char *path = NULL;
	struct evemu_reader *r;

	g_string_append(text, "#");
	for (int i = 1; i < 4096; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\n");
	g_string_append(text, "E: 1.000000 0000 0000 0000\n");
	path = write_file("4096.evemu", text->str, text->len);
	r = open_ok(path);
	assert_events(r, &(struct evemu_event) { 1000000, EV_SYN, SYN_REPORT, 0, EV_LINE(2) }, 1);
	evemu_reader_free(r);
}

/* evemu-record 2.7, byte for byte: B: 00 holds EV_SYN's codes (0b for every device, so bit 3 is
 * no EV_ABS), a type is the device's when its own B: lines declare a code (as libevemu reads it),
 * and every event line ends with a tab and a comment. */
static void
test_types_come_from_code_masks_as_in_libevemu(void)
{
	static const char text[] = MAGIC
		"# Input device name: \"PCsensor FootSwitch\"\n"
		"# Supported events:\n"
		"#   Event type 0 (EV_SYN)\n"
		"N: PCsensor FootSwitch\n"
		"I: 0003 0c45 7403 0110\n"
		"P:" B0
		"B: 00 0b 00 00 00 00 00 00 00\n"
		"B: 01 00 00 00 00 00 00 01 00\n" /* KEY_B (0x30) */
		"B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0
		"B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0
		"B: 02" B0 "B: 03" B0
		"B: 04 10 00 00 00 00 00 00 00\n" /* MSC_SCAN */
		"B: 05" B0
		"B: 11 07 00 00 00 00 00 00 00\n"
		"B: 12" B0
		"B: 14 03 00 00 00 00 00 00 00\n"
		"B: 15" B0 "B: 15" B0
		BANNER
		"E: 0.000001 0004 0004 458757\t# EV_MSC / MSC_SCAN             458757\n"
		"E: 0.000001 0001 0030 0001\t# EV_KEY / KEY_B                1\n"
		"E: 0.000001 0000 0000 0000\t# ------------ SYN_REPORT (0) ---------- +0ms\n"
		"E: 1.034500 0001 0030 0002\t# EV_KEY / KEY_B                2\n"
		"E: 1.034500 0000 0000 0000\t# ------------ SYN_REPORT (0) ---------- +1034ms\n";
	/* the line of the first event: 4 before N:, N: I: P:, 22 B:, 3 of banner */
	enum { E1 = 4 + 3 + 22 + 3 + 1 };
	static const struct evemu_event want[] = {
		{ 1, EV_MSC, MSC_SCAN, 458757, E1 },
		{ 1, EV_KEY, KEY_B, 1, E1 + 1 },
		{ 1, EV_SYN, SYN_REPORT, 0, E1 + 2 },
		{ 1034500, EV_KEY, KEY_B, 2, E1 + 3 },
		{ 1034500, EV_SYN, SYN_REPORT, 0, E1 + 4 },
	};
	g_autofree char *path = write_file("record-2.7.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);
	const struct evemu_device_info *d = evemu_reader_device(r);

	for (unsigned t = 0; t < EV_CNT; t++)
		g_assert_true(evemu_device_has_type(d, t) ==
			      (t == EV_SYN || t == EV_KEY || t == EV_MSC || t == EV_LED ||
			       t == EV_REP));
	g_assert_true(evemu_device_has_code(d, EV_LED, LED_SCROLLL));
	g_assert_true(evemu_device_has_code(d, EV_REP, REP_PERIOD));
	assert_events(r, want, G_N_ELEMENTS(want));
	evemu_reader_free(r);
}

static void
test_a_comment_may_end_any_line(void)
{
	static const char text[] = MAGIC "N: x # this is part of the name\n"
		"I: 0003 1209 5e47 0100 # ids\n"
		"P: 00 00 00 00 00 00 00 00\t#\n"
		"B: 00 01 00 00 00 00 00 00 00 # types\n"
		"B: 03 00 00 00 01 00 00 00 00 # ABS_PRESSURE\n"
		"A: 18 0 1023 0 0 # no resolution\n"
		"E: 1.000000 0003 0018 0001 #comment\n"
		"E: 1.000000 0000 0000 0000 # SYN_REPORT\n";
	static const struct evemu_event want[] = {
		{ 1000000, EV_ABS, ABS_PRESSURE, 1, 8 },
		{ 1000000, EV_SYN, SYN_REPORT, 0, 9 },
	};
	g_autofree char *path = write_file("comments.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);
	const struct evemu_device_info *d = evemu_reader_device(r);

	g_assert_cmpstr(d->name, ==, "x # this is part of the name");
	g_assert_cmpuint(d->version, ==, 0x0100);
	g_assert_cmpint(d->abs[ABS_PRESSURE].maximum, ==, 1023);
	g_assert_cmpint(d->abs[ABS_PRESSURE].resolution, ==, 0);
	assert_events(r, want, G_N_ELEMENTS(want));
	evemu_reader_free(r);
}

static void
test_syn_codes_are_always_declared(void)
{
	static const char text[] = MAGIC "N: x\nB: 00 01 00 00 00 00 00 00 00\n"
		"E: 1.000000 0000 0003 0000\n" /* SYN_DROPPED */
		"E: 1.000000 0000 0002 0000\n" /* SYN_MT_REPORT */
		"E: 1.000000 0000 0000 0000\n";
	g_autofree char *path = write_file("syn.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);
	const struct evemu_device_info *d = evemu_reader_device(r);
	static const struct evemu_event want[] = {
		{ 1000000, EV_SYN, SYN_DROPPED, 0, 4 },
		{ 1000000, EV_SYN, SYN_MT_REPORT, 0, 5 },
		{ 1000000, EV_SYN, SYN_REPORT, 0, 6 },
	};

	g_assert_true(evemu_device_has_code(d, EV_SYN, SYN_REPORT));
	g_assert_true(evemu_device_has_code(d, EV_SYN, SYN_DROPPED));
	g_assert_false(evemu_device_has_code(d, EV_SYN, SYN_CNT));
	assert_events(r, want, G_N_ELEMENTS(want));
	evemu_reader_free(r);
}

static void
test_any_type_and_code_is_safe_to_ask_about(void)
{
	struct evemu_device_info *d = g_new0(struct evemu_device_info, 1);

	/* bits set everywhere, even past each type's codes: answers stay within the _CNTs */
	memset(d, 0xff, sizeof(*d));
	g_assert_false(evemu_device_has_type(d, EV_CNT));
	g_assert_false(evemu_device_has_type(d, UINT32_MAX));
	g_assert_true(evemu_device_has_code(d, EV_ABS, ABS_MAX));
	g_assert_false(evemu_device_has_code(d, EV_ABS, ABS_CNT));
	g_assert_true(evemu_device_has_code(d, EV_KEY, KEY_MAX));
	g_assert_false(evemu_device_has_code(d, EV_KEY, KEY_CNT));
	g_assert_false(evemu_device_has_code(d, EV_KEY, UINT32_MAX));
	g_assert_false(evemu_device_has_code(d, EV_CNT, 0));
	g_assert_false(evemu_device_has_code(d, UINT32_MAX, 0));
	g_assert_false(evemu_device_has_code(d, 0x06, 0)); /* a type with no codes */
	g_assert_false(evemu_device_has_prop(d, INPUT_PROP_CNT));
	g_assert_false(evemu_device_has_prop(d, UINT32_MAX));
	g_free(d);
}

/* ------------------------------------------------------------------ open() errors */

static void
test_missing_file_gives_its_errno(void)
{
	g_autofree char *path = g_build_filename(tmp_dir, "does-not-exist.evemu", NULL);
	g_autofree char *want = g_strdup_printf("%s: %s", path, g_strerror(ENOENT));
	struct evemu_reader *r = (struct evemu_reader *) &r; /* must stay untouched */
	char *error = NULL;

	g_assert_cmpint(evemu_reader_open(path, &r, &error), ==, -ENOENT);
	g_assert_cmpstr(error, ==, want);
	g_assert_true(r == (struct evemu_reader *) &r);
	free(error);
}

static void
test_directory_gives_eisdir(void)
{
	g_autofree char *want = g_strdup_printf("%s: %s", tmp_dir, g_strerror(EISDIR));
	struct evemu_reader *r = NULL;
	char *error = NULL;

	g_assert_cmpint(evemu_reader_open(tmp_dir, &r, &error), ==, -EISDIR);
	g_assert_cmpstr(error, ==, want);
	g_assert_null(r);
	free(error);
}

/* A FIFO without a writer: refused at once (opened without blocking), not waited on; so is
 * a device. */
static void
test_fifo_and_device_are_refused(void)
{
	g_autofree char *fifo = g_build_filename(tmp_dir, "fifo.evemu", NULL);
	g_autofree char *want = g_strdup_printf("%s: a FIFO, not a file", fifo);
	struct evemu_reader *r = NULL;
	char *error = NULL;

	g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
	g_assert_cmpint(evemu_reader_open(fifo, &r, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, want);
	g_assert_null(r);
	g_clear_pointer(&error, free);
	g_unlink(fifo);

	g_assert_cmpint(evemu_reader_open("/dev/null", &r, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "/dev/null: a device, not a file");
	g_assert_null(r);
	free(error);
}

static void
test_errors_without_a_message_pointer(void)
{
	static const char bad[] = "hello\n";
	static const char bad_event[] = HEAD "E: 1.000000 0003 0000 0001\n";
	g_autofree char *path = write_file("null-bad.evemu", bad, sizeof(bad) - 1);
	g_autofree char *path2 = write_file("null-bad-event.evemu", bad_event,
					    sizeof(bad_event) - 1);
	struct evemu_reader *r = NULL;
	struct evemu_event ev;

	g_assert_cmpint(evemu_reader_open(path, &r, NULL), ==, -EINVAL);
	g_assert_null(r);
	r = open_ok(path2);
	g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, -EINVAL);
	evemu_reader_free(r);
	evemu_reader_free(NULL);
}

static void
test_error_repeats_until_rewind(void)
{
	static const char text[] = HEAD
		"E: 1.000000 0001 0100 0001\n"
		"E: 1.000000 0000 0000 0000\n"
		"E: 0.500000 0001 0100 0000\n"
		"E: 2.000000 0000 0000 0000\n";
	g_autofree char *path = write_file("sticky.evemu", text, sizeof(text) - 1);
	struct evemu_reader *r = open_ok(path);
	struct evemu_event ev;

	for (int pass = 0; pass < 2; pass++) {
		g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 1);
		g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 1);
		for (int i = 0; i < 2; i++) {
			char *error = NULL;

			ev.line = 999;
			g_assert_cmpint(evemu_reader_next(r, &ev, &error), ==, -EINVAL);
			assert_error(error, path, EV_LINE(3), "time goes back");
			g_assert_cmpuint(ev.line, ==, 999);
			free(error);
		}
		g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	}
	evemu_reader_free(r);
}

/* ------------------------------------------------------------------ bad input, one row a rule */

enum stage { AT_OPEN, AT_NEXT };

struct bad_row {
	const char *rule; /* the test's name */
	const char *text;
	size_t len;
	GString *(*build)(void); /* instead of text */
	enum stage stage;
	unsigned line;
	const char *word;
};

#define TEXT(s) .text = (s), .len = sizeof(s) - 1
/* SYN and ABS, ABS_PRESSURE: an A: line comes 5th */
#define ABS_DESC MAGIC "N: x\nB: 00 09" B7 "B: 03 00 00 00 01 00 00 00 00\n"

static GString *
build_long_name(void)
{
	GString *s = g_string_new(MAGIC "N: ");

	for (int i = 0; i < 256; i++)
		g_string_append_c(s, 'n');
	g_string_append(s, "\nB: 00" B0);
	return s;
}

static GString *
build_long_line(void)
{
	GString *s = g_string_new(HEAD "#");

	for (int i = 0; i < 4096; i++)
		g_string_append_c(s, 'x');
	g_string_append(s, "\nE: 1.000000 0000 0000 0000\n");
	return s;
}

/* a megabyte without a newline must be refused without reading it all */
static GString *
build_huge_line(void)
{
	GString *s = g_string_new(HEAD "E: 1.000000 0000 0000 0000\n");

	for (int i = 0; i < 1024 * 1024; i++)
		g_string_append_c(s, '1');
	return s;
}

static GString *
build_too_many_b_lines(void)
{
	GString *s = g_string_new(MAGIC "N: x\nB: 00 05" B7);

	for (int i = 0; i < 33; i++)
		g_string_append(s, "B: 02" B0);
	return s;
}

static const struct bad_row bad_rows[] = {
	/* the file as a whole */
	{ "not-evemu/plain-text", TEXT("hello\nthis is a text file\n"), .line = 1,
	  .word = "not an evemu recording" },
	{ "not-evemu/empty-file", TEXT(""), .line = 1, .word = "not an evemu recording" },
	{ "not-evemu/blank-lines-only", TEXT("\n\n"), .line = 2, .word = "not an evemu recording" },
	{ "not-evemu/other-line-before-header", TEXT("\n\nN: x\n" MAGIC), .line = 3,
	  .word = "not an evemu recording" },
	{ "not-evemu/comment-before-header", TEXT("# hello\n" MAGIC), .line = 1,
	  .word = "not an evemu recording" },
	{ "not-evemu/binary", TEXT("\x7f" "ELF\x02\x01\x01\0\0\0\n"), .line = 1,
	  .word = "not an evemu recording" },
	{ "not-evemu/bad-version", TEXT("# EVEMU one\n"), .line = 1,
	  .word = "not an evemu recording" },
	{ "evemu-version-must-be-1.x", TEXT("# EVEMU 2.0\n"), .line = 1,
	  .word = "unsupported evemu version 2.0" },
	{ "header-junk-after-version", TEXT("# EVEMU 1.3 beta\n"), .line = 1,
	  .word = "unexpected text" },
	{ "unknown-line-in-description", TEXT(MAGIC "N: x\nX: 1 2 3\n"), .line = 3,
	  .word = "unknown line \"X: 1 2 3\"" },
	{ "no-description-at-all", TEXT(MAGIC "# nothing\n"), .line = 2,
	  .word = "no device description: no N: line" },
	{ "no-b-and-no-events", TEXT(MAGIC "N: x\n"), .line = 2,
	  .word = "no device description: no B: line" },
	{ "event-before-n", TEXT(MAGIC "B: 00 01 00 00 00 00 00 00 00\nE: 0.000000 0000 0000 0\n"),
	  .line = 3, .word = "no N: line" },
	{ "event-before-b", TEXT(MAGIC "N: x\n\nE: 0.000000 0000 0000 0\n"), .line = 4,
	  .word = "event before the device description: no B: line" },

	/* N: */
	{ "name/empty", TEXT(MAGIC "N:   \n"), .line = 2, .word = "N: empty device name" },
	{ "name/longer-than-255-bytes", .build = build_long_name, .line = 2,
	  .word = "N: device name longer than 255 bytes" },
	{ "name/control-character", TEXT(MAGIC "N: a\x1b" "[31mred\n"), .line = 2,
	  .word = "N: control character 0x1b" },
	{ "name/twice", TEXT(MAGIC "N: x\nN: y\n"), .line = 3, .word = "N: a second device name" },

	/* I: */
	{ "ids/missing-version", TEXT(MAGIC "I: 0003 1209 5e47\n"), .line = 2,
	  .word = "I: version: missing" },
	{ "ids/vendor-not-hex", TEXT(MAGIC "I: 0003 12g9 5e47 0100\n"), .line = 2,
	  .word = "I: vendor: expected a hexadecimal number, got \"12g9\"" },
	{ "ids/product-0x-prefix", TEXT(MAGIC "I: 0003 1209 0x5e47 0100\n"), .line = 2,
	  .word = "I: product: expected a hexadecimal number" },
	{ "ids/bus-negative", TEXT(MAGIC "I: -003 1209 5e47 0100\n"), .line = 2,
	  .word = "I: bus type: expected a hexadecimal number" },
	{ "ids/vendor-over-16-bits", TEXT(MAGIC "I: 0003 11209 5e47 0100\n"), .line = 2,
	  .word = "I: vendor: 0x11209 is out of range" },
	{ "ids/huge-number", TEXT(MAGIC "I: 0003 1209 5e47 ffffffffffffffffffffffffffff\n"),
	  .line = 2, .word = "I: version: 0xffffffffffffffffffffffff... is out of range" },
	{ "ids/trailing-junk", TEXT(MAGIC "I: 0003 1209 5e47 0100 0000\n"), .line = 2,
	  .word = "unexpected text after the version: \"0000\"" },
	{ "ids/twice", TEXT(MAGIC "I: 0003 1209 5e47 0100\nI: 0003 1209 5e47 0100\n"), .line = 3,
	  .word = "I: a second device id" },

	/* P: */
	{ "props/seven-bytes", TEXT(MAGIC "P: 00 00 00 00 00 00 00\n"), .line = 2,
	  .word = "P: (properties): missing" },
	{ "props/nine-bytes", TEXT(MAGIC "P: 00 00 00 00 00 00 00 00 00\n"), .line = 2,
	  .word = "unexpected text after the 8 bytes" },
	{ "props/unknown-property-bit", TEXT(MAGIC "P: 00 00 00 00 01 00 00 00\n"), .line = 2,
	  .word = "bit 0x20 set, beyond the last known one (0x1f)" },
	{ "props/unknown-bit-in-second-line", TEXT(MAGIC "P:" B0 "P: 01 00 00 00 00 00 00 00\n"),
	  .line = 3, .word = "bit 0x40 set" },

	/* B: */
	{ "bits/type-ff", TEXT(MAGIC "N: x\nB: ff" B0), .line = 3,
	  .word = "B: event type: 0xff is out of range (at most 0x1f)" },
	{ "bits/type-negative", TEXT(MAGIC "N: x\nB: -1" B0), .line = 3,
	  .word = "B: event type: expected a hexadecimal number" },
	{ "bits/byte-over-ff", TEXT(MAGIC "N: x\nB: 00 100 00 00 00 00 00 00 00\n"), .line = 3,
	  .word = "B: 00: 0x100 is out of range" },
	{ "bits/seven-bytes", TEXT(MAGIC "N: x\nB: 00 01 00 00 00 00 00 00\n"), .line = 3,
	  .word = "B: 00: missing" },
	{ "bits/trailing-junk", TEXT(MAGIC "N: x\nB: 00 01 00 00 00 00 00 00 00 x\n"), .line = 3,
	  .word = "unexpected text after the 8 bytes" },
	{ "bits/type-mask-beyond-ev-max", TEXT(MAGIC "N: x\nB: 00 01 00 00 00 01 00 00 00\n"),
	  .line = 3, .word = "bit 0x20 set, beyond the last known one (0x1f)" },
	{ "bits/abs-code-beyond-abs-max",
	  TEXT(MAGIC "N: x\nB: 03" B0 "B: 03 01 00 00 00 00 00 00 00\n"), .line = 4,
	  .word = "B: 03 (codes): bit 0x40 set, beyond the last known one (0x3f)" },
	{ "bits/key-code-beyond-key-max",
	  TEXT(MAGIC "N: x\n"
	       "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0
	       "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0 "B: 01" B0
	       "B: 01 00 00 00 00 00 00 00 80\n"),
	  .line = 15, .word = "bit 0x33f set" },
	{ "bits/type-without-codes", TEXT(MAGIC "N: x\nB: 06 01 00 00 00 00 00 00 00\n"), .line = 3,
	  .word = "bit 0x0 set for a type without codes" },
	{ "bits/too-many-lines", .build = build_too_many_b_lines, .line = 36,
	  .word = "B: more than 32 lines for type 0x02" },

	/* A: */
	{ "abs/axis-not-in-b03", TEXT(ABS_DESC "A: 00 0 10 0 0 0\n"), .line = 5,
	  .word = "A: axis 0x00 (ABS_X) not declared by a B: 03 line" },
	{ "abs/axis-before-b03",
	  TEXT(MAGIC "N: x\nA: 18 0 10 0 0 0\nB: 03 00 00 00 01 00 00 00 00\n"), .line = 3,
	  .word = "A: axis 0x18 (ABS_PRESSURE) not declared" },
	{ "abs/axis-beyond-abs-max", TEXT(MAGIC "N: x\nA: 40 0 10 0 0 0\n"), .line = 3,
	  .word = "A: axis code: 0x40 is out of range (at most 0x3f)" },
	{ "abs/axis-huge", TEXT(MAGIC "N: x\nA: ffffffffffffffffffff 0 10 0 0 0\n"), .line = 3,
	  .word = "A: axis code: 0xffffffffffffffffffff is out of range" },
	{ "abs/axis-negative", TEXT(MAGIC "N: x\nA: -18 0 10 0 0 0\n"), .line = 3,
	  .word = "A: axis code: expected a hexadecimal number" },
	{ "abs/missing-maximum", TEXT(ABS_DESC "A: 18 0\n"), .line = 5,
	  .word = "A: maximum: missing" },
	{ "abs/missing-flat", TEXT(ABS_DESC "A: 18 0 1 2\n"), .line = 5,
	  .word = "A: flat: missing" },
	{ "abs/minimum-not-decimal", TEXT(ABS_DESC "A: 18 0x10 1023 0 0 0\n"), .line = 5,
	  .word = "A: minimum: expected a decimal number, got \"0x10\"" },
	{ "abs/maximum-over-int32", TEXT(ABS_DESC "A: 18 0 2147483648 0 0 0\n"), .line = 5,
	  .word = "A: maximum: 2147483648 does not fit in 32 bits" },
	{ "abs/minimum-under-int32", TEXT(ABS_DESC "A: 18 -2147483649 0 0 0 0\n"), .line = 5,
	  .word = "A: minimum: -2147483649 does not fit in 32 bits" },
	{ "abs/resolution-huge", TEXT(ABS_DESC "A: 18 0 1 0 0 99999999999999999999999999\n"),
	  .line = 5, .word = "A: resolution: 999999999999999999999999... does not fit in 32 bits" },
	{ "abs/trailing-junk", TEXT(ABS_DESC "A: 18 0 1023 0 0 0 7\n"), .line = 5,
	  .word = "unexpected text after the resolution: \"7\"" },
	{ "abs/twice", TEXT(ABS_DESC "A: 18 0 1 0 0 0\nA: 18 0 1 0 0 0\n"), .line = 6,
	  .word = "A: axis 0x18 described twice" },

	/* lines */
	{ "line/longer-than-4096-bytes", .build = build_long_line, .line = EV_LINE(1),
	  .word = "line longer than 4096 bytes" },
	{ "line/huge-without-newline", .build = build_huge_line, .stage = AT_NEXT,
	  .line = EV_LINE(2), .word = "line longer than 4096 bytes" },
	{ "line/nul-byte-in-description", TEXT(MAGIC "N: a\0b\n"), .line = 2, .word = "NUL byte" },
	{ "line/nul-byte-in-first-event", TEXT(HEAD "E: 1000.25\0" "000 0000 0000 0000\n"),
	  .line = EV_LINE(1), .word = "NUL byte" },
	{ "line/nul-byte-in-event",
	  TEXT(HEAD "E: 1.000000 0000 0000 0000\nE: 1000.25\0" "000 0000 0000 0000\n"),
	  .stage = AT_NEXT, .line = EV_LINE(2), .word = "NUL byte" },
	{ "line/unknown-line-among-events",
	  TEXT(HEAD "E: 1.000000 0000 0000 0000\nhello\nE: 2.000000 0000 0000 0000\n"),
	  .stage = AT_NEXT, .line = EV_LINE(2), .word = "unknown line \"hello\"" },
	{ "line/description-after-events",
	  TEXT(HEAD "E: 1.000000 0000 0000 0000\nN: again\n"), .stage = AT_NEXT,
	  .line = EV_LINE(2), .word = "device description line after the first event" },

	/* truncation */
	{ "truncated/last-line-incomplete",
	  TEXT(HEAD "E: 1.000000 0001 0100 0001\nE: 1.000000 0000 0000 0000"), .stage = AT_NEXT,
	  .line = EV_LINE(2), .word = "truncated: last line is incomplete" },
	{ "truncated/last-line-incomplete-comment",
	  TEXT(HEAD "E: 1.000000 0001 0100 0001\nE: 1.000000 0000 0000 0000\n# cut"),
	  .stage = AT_NEXT, .line = EV_LINE(3), .word = "truncated: last line is incomplete" },
	{ "truncated/inside-description", TEXT(MAGIC "N: Chair"), .line = 2,
	  .word = "truncated: last line is incomplete" },
	{ "truncated/last-frame-without-syn-report",
	  TEXT(HEAD "E: 1.000000 0001 0100 0001\nE: 1.000000 0000 0000 0000\n"
		    "E: 2.000000 0001 0100 0000\n# trailing comment\n\n"),
	  .stage = AT_NEXT, .line = EV_LINE(3),
	  .word = "truncated: the last event frame is not closed by SYN_REPORT" },
	{ "truncated/last-frame-ends-with-syn-dropped",
	  TEXT(HEAD "E: 1.000000 0001 0100 0001\nE: 1.000000 0000 0003 0000\n"),
	  .stage = AT_NEXT, .line = EV_LINE(2), .word = "not closed by SYN_REPORT" },

	/* E: fields */
	{ "event/time-without-dot", TEXT(HEAD "E: 1 0000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: time: expected seconds.microseconds (6 digits)" },
	{ "event/usec-five-digits", TEXT(HEAD "E: 1.00000 0000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: time: expected seconds.microseconds (6 digits)" },
	{ "event/usec-seven-digits", TEXT(HEAD "E: 1.0000000 0000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "6 digits" },
	{ "event/seconds-missing", TEXT(HEAD "E: .000000 0000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "6 digits" },
	{ "event/seconds-negative", TEXT(HEAD "E: -1.000000 0000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: time: expected seconds.microseconds" },
	{ "event/seconds-huge", TEXT(HEAD "E: 99999999999999999999999.000000 0000 0000 0000\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "is out of range" },
	{ "event/time-missing", TEXT(HEAD "E:\n"), .stage = AT_NEXT, .line = EV_LINE(1),
	  .word = "E: time: missing" },
	{ "event/type-missing", TEXT(HEAD "E: 1.000000\n"), .stage = AT_NEXT, .line = EV_LINE(1),
	  .word = "E: event type: missing" },
	{ "event/code-not-hex", TEXT(HEAD "E: 1.000000 0000 00z0 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: event code: expected a hexadecimal number" },
	{ "event/code-over-16-bits", TEXT(HEAD "E: 1.000000 0001 10100 0001\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: event code: 0x10100 is out of range" },
	{ "event/value-missing", TEXT(HEAD "E: 1.000000 0000 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: value: missing" },
	{ "event/value-over-int32", TEXT(HEAD "E: 1.000000 0003 0018 2147483648\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1),
	  .word = "E: value: 2147483648 does not fit in 32 bits" },
	{ "event/value-under-int32", TEXT(HEAD "E: 1.000000 0003 0018 -2147483649\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "does not fit in 32 bits" },
	{ "event/value-huge", TEXT(HEAD "E: 1.000000 0003 0018 99999999999999999999999999\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "does not fit in 32 bits" },
	{ "event/value-hex", TEXT(HEAD "E: 1.000000 0003 0018 0x10\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: value: expected a decimal number, got \"0x10\"" },
	{ "event/value-plus-sign", TEXT(HEAD "E: 1.000000 0003 0018 +1\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: value: expected a decimal number" },
	{ "event/value-lone-minus", TEXT(HEAD "E: 1.000000 0003 0018 -\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: value: expected a decimal number" },
	{ "event/value-glued-to-code", TEXT(HEAD "E: 1.000000 0003 0018-091\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "E: event code: expected a hexadecimal number" },
	{ "event/comment-glued-to-value", TEXT(HEAD "E: 1.000000 0001 0100 0001# x\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "E: value: expected a decimal number" },
	{ "event/trailing-junk", TEXT(HEAD "E: 1.000000 0001 0100 0001 trailing\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1),
	  .word = "unexpected text after the value: \"trailing\"" },

	/* E: against the description and the previous events */
	{ "event/code-not-declared",
	  TEXT(HEAD "E: 1.000000 0003 0018 0001\nE: 1.000000 0003 0000 0001\n"), .stage = AT_NEXT,
	  .line = EV_LINE(2),
	  .word = "event type 0x03 code 0x00 (ABS_X) not declared by the device" },
	{ "event/type-not-declared", TEXT(HEAD "E: 1.000000 0005 0000 0001\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "event type 0x05 code 0x00 not declared by the device" },
	{ "event/type-beyond-ev-max", TEXT(HEAD "E: 1.000000 0020 0000 0001\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "event type 0x20 code 0x00 not declared" },
	{ "event/type-ffff", TEXT(HEAD "E: 1.000000 ffff ffff 0001\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "event type 0xffff code 0xffff not declared" },
	{ "event/key-code-beyond-key-max", TEXT(HEAD "E: 1.000000 0001 0300 0001\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "event type 0x01 code 0x300 not declared" },
	{ "event/abs-code-beyond-abs-max", TEXT(HEAD "E: 1.000000 0003 0040 0001\n"),
	  .stage = AT_NEXT, .line = EV_LINE(1), .word = "event type 0x03 code 0x40 not declared" },
	{ "event/syn-code-unknown", TEXT(HEAD "E: 1.000000 0000 0010 0000\n"), .stage = AT_NEXT,
	  .line = EV_LINE(1), .word = "code 0x10 is not an EV_SYN code" },
	{ "event/time-goes-back",
	  TEXT(HEAD "E: 2.000000 0001 0100 0001\nE: 2.000000 0000 0000 0000\n"
		    "E: 1.999999 0001 0100 0000\nE: 2.000000 0000 0000 0000\n"),
	  .stage = AT_NEXT, .line = EV_LINE(3),
	  .word = "time goes back: 1.999999 after 2.000000" },
};

static void
test_bad_input(gconstpointer data)
{
	const struct bad_row *row = data;
	g_autofree char *name = g_strdelimit(g_strdup_printf("%s.evemu", row->rule), "/", '-');
	g_autofree char *path = NULL;
	struct evemu_reader *r = (struct evemu_reader *) &r; /* must stay untouched on failure */
	char *error = NULL;
	int e;

	if (row->build) {
		g_autoptr(GString) s = row->build();

		path = write_file(name, s->str, s->len);
	} else {
		path = write_file(name, row->text, row->len);
	}

	e = evemu_reader_open(path, &r, &error);
	if (row->stage == AT_OPEN) {
		g_test_message("%s", error ? error : "(no message)");
		g_assert_cmpint(e, ==, -EINVAL);
		g_assert_true(r == (struct evemu_reader *) &r);
		assert_error(error, path, row->line, row->word);
		free(error);
	} else {
		struct evemu_event ev;
		char *again = NULL;

		if (e < 0)
			g_assert_cmpstr(error, ==, NULL);
		g_assert_cmpint(e, ==, 0);
		while ((e = evemu_reader_next(r, &ev, &error)) > 0)
			g_assert_cmpuint(ev.line, <=, row->line);
		g_test_message("%s", error ? error : "(no message)");
		g_assert_cmpint(e, ==, -EINVAL);
		assert_error(error, path, row->line, row->word);
		/* and again: an error is not skipped over */
		g_assert_cmpint(evemu_reader_next(r, &ev, &again), ==, -EINVAL);
		g_assert_cmpstr(again, ==, error);
		free(error);
		free(again);
		evemu_reader_free(r);
	}
	g_unlink(path);
}

/* ------------------------------------------------------------------ MotionSense */

/* "# 50 Hz, 51041 samples, 50327 frames (714 sample(s) with no axis change were not emitted)" */
static bool
read_frame_comment(const char *path, unsigned long *ret_samples, unsigned long *ret_frames,
		   unsigned long *ret_dropped)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t size = 0;
	bool found = false;

	g_assert_nonnull(f);
	while (!found && getline(&line, &size, f) > 0 && strncmp(line, "E:", 2) != 0) {
		unsigned hz;

		found = sscanf(line, "# %u Hz, %lu samples, %lu frames (%lu sample", &hz,
			       ret_samples, ret_frames, ret_dropped) == 4;
	}
	free(line);
	fclose(f);
	return found;
}

static void
test_motionsense_frames_match_the_header(gconstpointer data)
{
	const char *path = data;
	unsigned long samples, frames, dropped, syn_reports = 0, axis_events = 0, n = 0;
	unsigned long in_frame = 0;
	struct evemu_reader *r = open_ok(path);
	const struct evemu_device_info *d = evemu_reader_device(r);
	struct evemu_event ev;
	char *error = NULL;
	int e;

	g_assert_true(read_frame_comment(path, &samples, &frames, &dropped));
	g_assert_cmpuint(samples - dropped, ==, frames);

	g_assert_true(evemu_device_has_prop(d, INPUT_PROP_ACCELEROMETER));
	for (unsigned c = ABS_X; c <= ABS_Z; c++) {
		g_assert_true(evemu_device_has_code(d, EV_ABS, c));
		g_assert_cmpint(d->abs[c].resolution, ==, 1024);
	}
	while ((e = evemu_reader_next(r, &ev, &error)) > 0) {
		n++;
		/* 0.000001 + k × 20 ms */
		g_assert_cmpuint((ev.time - 1) % (20 * USEC_PER_MSEC), ==, 0);
		if (ev.type == EV_SYN && ev.code == SYN_REPORT) {
			g_assert_cmpuint(in_frame, >=, 1);
			g_assert_cmpuint(in_frame, <=, 3);
			syn_reports++;
			in_frame = 0;
		} else {
			g_assert_cmpuint(ev.type, ==, EV_ABS);
			axis_events++;
			in_frame++;
		}
	}
	if (e < 0)
		g_assert_cmpstr(error, ==, NULL);
	g_assert_cmpint(e, ==, 0);
	g_assert_cmpuint(syn_reports, ==, frames);
	g_assert_cmpuint(n, ==, syn_reports + axis_events);
	g_test_message("%s: %lu events, %lu frames", path, n, syn_reports);

	/* the second pass, as replay does it */
	g_assert_cmpint(evemu_reader_rewind(r), ==, 0);
	for (unsigned long i = 0; i < n; i++)
		g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 1);
	g_assert_cmpint(evemu_reader_next(r, &ev, NULL), ==, 0);
	evemu_reader_free(r);
}

static void
test_motionsense_skipped(gconstpointer data)
{
	/* a newcomer has no shared data: a visible skip; CI has it and must run everything */
	if (g_strcmp0(g_getenv("CI"), "true") == 0)
		g_test_fail_printf("%s, and CI must run everything", (const char *) data);
	else
		g_test_skip(data);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
add_motionsense_tests(void)
{
	static const char rule[] = "/evemu-reader/motionsense/syn-reports-match-the-frames-comment";
	const char *dir = g_getenv("SITLOG_MOTIONSENSE_DIR");
	g_autofree char *recordings = dir ? g_build_filename(dir, "recordings", NULL) : NULL;
	g_autoptr(GDir) d = recordings ? g_dir_open(recordings, 0, NULL) : NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!d) {
		g_test_add_data_func(rule,
				     dir ? "no recordings in $SITLOG_MOTIONSENSE_DIR/recordings"
					 : "SITLOG_MOTIONSENSE_DIR is not set",
				     test_motionsense_skipped);
		return;
	}
	while ((name = g_dir_read_name(d)))
		if (g_str_has_suffix(name, ".evemu"))
			g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, compare_names);
	if (names->len == 0)
		g_test_add_data_func(rule, "no .evemu file in $SITLOG_MOTIONSENSE_DIR/recordings",
				     test_motionsense_skipped);
	for (unsigned i = 0; i < names->len; i++) {
		const char *file = names->pdata[i];
		g_autofree char *test = g_strdup_printf("%s/%.*s", rule,
							(int) (strlen(file) - strlen(".evemu")),
							file);

		g_test_add_data_func_full(test, g_build_filename(recordings, file, NULL),
					  test_motionsense_frames_match_the_header, g_free);
	}
}

static void
remove_tmp_dir(void)
{
	g_autoptr(GDir) d = g_dir_open(tmp_dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(tmp_dir, name, NULL);

		g_unlink(path);
	}
	g_rmdir(tmp_dir);
	g_clear_pointer(&tmp_dir, g_free);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int ret;

	g_test_init(&argc, &argv, NULL);
	tmp_dir = g_dir_make_tmp("sitlog-evemu-XXXXXX", &error);
	g_assert_no_error(error);

	g_test_add_func("/evemu-reader/good/description-is-read", test_description_is_read);
	g_test_add_func("/evemu-reader/good/events-come-in-order-with-their-lines",
			test_events_come_in_order_with_their_lines);
	g_test_add_func("/evemu-reader/good/values-are-decimal-never-octal",
			test_values_are_decimal_never_octal);
	g_test_add_func("/evemu-reader/good/int32-limits-are-accepted",
			test_int32_limits_are_accepted);
	g_test_add_func("/evemu-reader/good/rewind-gives-the-same-events-again",
			test_rewind_gives_the_same_events_again);
	g_test_add_func("/evemu-reader/good/next-after-the-end-returns-0-again",
			test_next_after_the_end_returns_0_again);
	g_test_add_func("/evemu-reader/good/empty-events-section-is-valid",
			test_empty_events_section_is_valid);
	g_test_add_func("/evemu-reader/good/abs-without-resolution-is-accepted",
			test_abs_without_resolution_is_accepted);
	g_test_add_func("/evemu-reader/good/props-spaces-crlf-and-255-byte-names",
			test_props_and_long_names_are_read);
	g_test_add_func("/evemu-reader/good/line-of-4096-bytes-is-accepted",
			test_line_of_4096_bytes_is_accepted);
	g_test_add_func("/evemu-reader/good/types-come-from-code-masks-as-in-libevemu",
			test_types_come_from_code_masks_as_in_libevemu);
	g_test_add_func("/evemu-reader/good/a-comment-may-end-any-line",
			test_a_comment_may_end_any_line);
	g_test_add_func("/evemu-reader/good/syn-codes-are-always-declared",
			test_syn_codes_are_always_declared);
	g_test_add_func("/evemu-reader/api/any-type-and-code-is-safe-to-ask-about",
			test_any_type_and_code_is_safe_to_ask_about);
	g_test_add_func("/evemu-reader/api/missing-file-gives-its-errno",
			test_missing_file_gives_its_errno);
	g_test_add_func("/evemu-reader/api/directory-gives-eisdir", test_directory_gives_eisdir);
	g_test_add_func("/evemu-reader/api/fifo-and-device-are-refused",
			test_fifo_and_device_are_refused);
	g_test_add_func("/evemu-reader/api/errors-without-a-message-pointer",
			test_errors_without_a_message_pointer);
	g_test_add_func("/evemu-reader/api/error-repeats-until-rewind",
			test_error_repeats_until_rewind);
	for (size_t i = 0; i < G_N_ELEMENTS(bad_rows); i++) {
		g_autofree char *test = g_strdup_printf("/evemu-reader/rejects/%s",
							bad_rows[i].rule);

		g_test_add_data_func(test, &bad_rows[i], test_bad_input);
	}
	add_motionsense_tests();

	ret = g_test_run();
	remove_tmp_dir();
	return ret;
}
