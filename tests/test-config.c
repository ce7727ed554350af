/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "sitlog-conf.h"
#include "sitlog-limits.h"

/* the layers without the system's directory (the machine's own /etc/xdg) */
#define NO_SYSTEM_DIR "/nonexistent/sitlog-tests-have-no-system-config"

static char *
write_config(const char *text)
{
	g_autoptr(GError) error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("sitlog-conf-XXXXXX", &path, &error);

	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void
test_config_defaults_match_design(void)
{
	struct sitlog_config c;

	config_init(&c);
	g_assert_cmpuint(c.min_segment, ==, 10 * USEC_PER_SEC);
	g_assert_cmpuint(c.break_min, ==, 60 * USEC_PER_SEC);
	g_assert_cmpuint(c.prolonged, ==, 30 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.remind_after, ==, 30 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.repeat_every, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.heed_window, ==, 5 * USEC_PER_MINUTE);
	/* issue #5: snooze 10 min, pause 1 h, escalation after 3 ignored prompts, quiet hours off */
	g_assert_cmpuint(c.snooze, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.pause, ==, USEC_PER_HOUR);
	g_assert_cmpuint(c.escalate_after, ==, 3);
	g_assert_false(c.have_working_hours);
	g_assert_true(c.quiet_when_locked);
	g_assert_false(c.quiet_when_inhibited);
	g_assert_true(c.respect_dnd);
	g_assert_cmpint(c.seat_axis, ==, ABS_PRESSURE);
	g_assert_cmpfloat(c.seat_occupied, ==, 0.30);
	g_assert_cmpfloat(c.seat_vacant, ==, 0.20);
	g_assert_cmpint(c.seat_key_type, ==, 0);
	g_assert_false(c.seat_grab);
	g_assert_cmpuint(c.imu_sample_interval, ==, 250 * USEC_PER_MSEC);
}

static void
test_config_file_overrides(void)
{
	g_autofree char *path = write_config("# comment\n"
					     "[Tracking]\n"
					     "min_segment = 5s\n"
					     "break_min=2min\n"
					     "\n"
					     "[Reminders]\n"
					     "remind_after=45min\n"
					     "repeat_every = 15 min\n"
					     "[Seat]\n"
					     "axis=ABS_Z\n"
					     "occupied=40%\n"
					     "vacant=25\n"
					     "key=SW_LID\n"
					     "grab=true\n"
					     "[IMU]\n"
					     "axis=-Y\n"
					     "sample_interval=0\n");
	struct sitlog_config c;
	char *error = NULL;

	config_init(&c);
	g_assert_cmpint(config_load_file(&c, path, &error), ==, 0);
	g_assert_null(error);
	g_assert_cmpuint(c.min_segment, ==, 5 * USEC_PER_SEC);
	g_assert_cmpuint(c.break_min, ==, 120 * USEC_PER_SEC);
	g_assert_cmpuint(c.remind_after, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.repeat_every, ==, 15 * USEC_PER_MINUTE);
	g_assert_cmpint(c.seat_axis, ==, ABS_Z);
	g_assert_cmpfloat(c.seat_occupied, ==, 0.40);
	g_assert_cmpfloat(c.seat_vacant, ==, 0.25);
	g_assert_cmpint(c.seat_key_type, ==, EV_SW);
	g_assert_cmpint(c.seat_key_code, ==, SW_LID);
	g_assert_true(c.seat_grab);
	g_assert_cmpuint(c.imu_sample_interval, ==, 0);
	g_assert_true(c.imu_have_axis);
	g_assert_cmpfloat(c.imu_axis[0], ==, 0);
	g_assert_cmpfloat(c.imu_axis[1], ==, -1);
	g_assert_cmpfloat(c.imu_axis[2], ==, 0);
	g_unlink(path);
}

#define PAD16 "xxxxxxxxxxxxxxxx"
#define PAD64 PAD16 PAD16 PAD16 PAD16
#define PAD256 PAD64 PAD64 PAD64 PAD64

static void
test_config_errors_name_file_and_line(void)
{
	static const struct {
		const char *text;
		const char *line;   /* ":N:" expected after the path */
		const char *reason; /* a word of the message */
	} rows[] = {
		{ "[Tracking]\nbreak_min 60\n", ":2:", "key = value" },
		{ "break_min=60\n", ":1:", "outside" },
		{ "[Tracking\n", ":1:", "group header" },
		{ "[Tracking]\n\nbreak_mim=60s\n", ":3:", "unknown key" },
		{ "[Trakcing]\nbreak_min=60s\n", ":1:", "unknown group" },
		{ "[Tracking]\nbreak_min=sixty\n", ":2:", "duration" },
		{ "[Tracking]\nbreak_min=-5s\n", ":2:", "duration" },
		{ "[Reminders]\nrepeat_every=0\n", ":2:", "longer than 0" },
		{ "[Seat]\noccupied=140%\n", ":2:", "percentage" },
		{ "[Seat]\noccupied=20%\nvacant=30%\n", ":3:", "below occupied" },
		{ "[Seat]\n\noccupied=15%\n", ":3:", "below occupied" }, /* vacant: the default */
		{ "[Seat]\naxis=ABS_NOPE\n", ":2:", "axis" },
		{ "[Seat]\nkey=KEY_NOPE\n", ":2:", "key or switch" },
		{ "[Tracking]\nmin_segment=1s\n[Tracking]\n", ":3:", "twice" },
		{ "[IMU]\naxis=W\n", ":2:", "device axis" },
		{ "[Seat]\ngrab=maybe\n", ":2:", "true or false" },
		{ "[Device x]\nrole=chair\nname=a\n", ":2:", "seat or imu" },
		{ "[Device x]\nrole=seat\n", ":1:", "at least one of" },
		{ "[Device x]\nname=a\n", ":1:", "needs role" },
		{ "[Device x]\nrole=seat\nid=1209-5e47\n", ":3:", "VENDOR:PRODUCT" },
		{ "[Device x]\nrole=seat\nvendor=1209\n", ":3:", "unknown key" },
		{ "[IMU]\naxis=0 0 0\n", ":2:", "device axis" },
		{ "[IMU]\naxis=1 2\n", ":2:", "device axis" },
		{ "[IMU]\naxis=1 2 nan\n", ":2:", "device axis" },
		{ "[Reminders]\nsnooze=soon\n", ":2:", "duration" },
		{ "[Reminders]\nescalate_after=-1\n", ":2:", "whole number" },
		{ "[Reminders]\nescalate_after=3x\n", ":2:", "whole number" },
		{ "[Reminders]\nworking_hours=9-17\n", ":2:", "working hours" },
		{ "[Reminders]\nworking_hours=09:00-25:00\n", ":2:", "working hours" },
		{ "[Reminders]\nworking_hours=09:00-09:00\n", ":2:", "working hours" },
		{ "[Reminders]\n\nworking_days=Mon-Fry\n", ":3:", "Mon-Fri" },
		{ "[Reminders]\nworking_days=Monday\n", ":2:", "Mon-Fri" },
		{ "[Reminders]\nrespect_dnd=perhaps\n", ":2:", "true or false" },
		/* every duration has its range (sitlog-limits.h, sitlogd(1)) */
		{ "[Reminders]\nremind_after=5124095575h\n", ":2:", "between 1s and 366d" },
		{ "[Reminders]\nremind_after=367d\n", ":2:", "between 1s and 366d" },
		{ "[Reminders]\nremind_after=0\n", ":2:", "longer than 0" },
		{ "[Reminders]\nsnooze=99999999999999999999h\n", ":2:", "between 1s and 366d" },
		{ "[Reminders]\npause=500ms\n", ":2:", "between 1s and 366d" },
		{ "[Reminders]\nheed_window=0\n", ":2:", "between 1s and 366d" },
		{ "[Tracking]\nbreak_min=999ms\n", ":2:", "between 1s and 366d" },
		{ "[Tracking]\nprolonged=366d1ms\n", ":2:", "between 1s and 366d" },
		{ "[Tracking]\nmin_segment=61min\n", ":2:", "between 0s and 1h" },
		{ "[IMU]\nsample_interval=4ms\n", ":2:", "0 (off) or between 5ms and 1s" },
		{ "[IMU]\nsample_interval=2s\n", ":2:", "0 (off) or between 5ms and 1s" },
		/* the whole day */
		{ "[Budget]\nsitting_per_day=30min\n", ":2:", "between 1h and 1d" },
		{ "[Budget]\n\nremind_after_min=0\n", ":3:", "longer than 0" },
		{ "[Budget]\nadaptive=sometimes\n", ":2:", "true or false" },
		{ "[Budget]\nsummary=2\n", ":2:", "true or false" },
		{ "[Budget]\nsummary_after=17h\n", ":2:", "time of day" },
		{ "[Budget]\nsummary_after=24:00\n", ":2:", "time of day" },
		{ "[Budget]\nsummary_after=7:30\n", ":2:", "time of day" },
		/* a key given twice: GKeyFile would keep the second without a word */
		{ "[Tracking]\nbreak_min=60s\n\nbreak_min = 90s\n", ":4:",
		  "break_min= appears twice in [Tracking] (first at line 2)" },
		{ "[Device x]\nrole=seat\nname=a\nrole=imu\n", ":4:", "first at line 2" },
		/* found by fuzz/fuzz-config: text that is not UTF-8 (GKeyFile hands back NULL),
		 * bad escapes (GLib 2.74 sets its GError twice for "\q ... \" at the end) */
		{ "[Device x]\nrole=\xcc\xcc imu\nname=a\n", ":2:", "not valid UTF-8" },
		{ "[Tracking]\nbreak_min=6\xff" "0s\n", ":2:", "not valid UTF-8" },
		{ "[Device x]\nrole=\\q\nname=a\n", ":2:", "bad escape sequence \"\\q\"" },
		{ "[Reminders]\nremind_after = 1\\q\\\n", ":2:", "bad escape sequence" },
		{ "[Reminders]\nremind_after = 1h\\\n", ":2:", "bad escape sequence" },
		/* found by fuzz/fuzz-config: values the printed form could not give back */
		{ "[Device x]\nrole=seat\nname=\n", ":3:", "empty glob" },
		{ "[Device x]\nrole=imu\nphys =  \n", ":3:", "empty glob" },
		{ "[Device x]\nrole=seat\nname=" PAD256 "\n", ":3:", "longer than 255 bytes" },
		{ "[Device x]\nrole=seat\nphys=" PAD256 "\n", ":3:", "longer than 255 bytes" },
		{ "\n[Device " PAD64 "]\nrole=seat\nname=a\n", ":2:", "label of more than 63" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path = write_config(rows[i].text);
		g_autofree char *prefix = g_strconcat(path, rows[i].line, NULL);
		struct sitlog_config c, before;
		char *error = NULL;

		config_init(&c);
		before = c;
		g_assert_cmpint(config_load_file(&c, path, &error), ==, -EINVAL);
		g_assert_nonnull(error);
		if (!g_str_has_prefix(error, prefix) || !strstr(error, rows[i].reason))
			g_error("row %zu: \"%s\" does not start with \"%s\" or lacks \"%s\"", i, error,
				prefix, rows[i].reason);
		/* nothing half-applied */
		g_assert_cmpmem(&c, sizeof(c), &before, sizeof(before));
		g_free(error);
		g_unlink(path);
	}
}

/* The whole message, as sitlogd prints it after "sitlogd: ". */
static void
test_config_range_message(void)
{
	struct sitlog_config c;
	g_autofree char *error = NULL;

	config_init(&c);
	g_assert_cmpint(config_load_data(&c, "sitlog.conf", "[Reminders]\n\nremind_after = "
					 "5124095575h\n", &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, "sitlog.conf:3: remind_after=5124095575h: must be between 1s "
				   "and 366d");
	g_assert_cmpuint(c.remind_after, ==, 30 * USEC_PER_MINUTE);
}

/* The edges of every range are in it. */
static void
test_config_range_edges_accepted(void)
{
	static const struct {
		const char *text;
		size_t offset;
		usec_t want;
	} rows[] = {
		{ "[Tracking]\nmin_segment=0\n", offsetof(struct sitlog_config, min_segment), 0 },
		{ "[Tracking]\nmin_segment=1h\n", offsetof(struct sitlog_config, min_segment),
		  USEC_PER_HOUR },
		{ "[Tracking]\nbreak_min=1s\n", offsetof(struct sitlog_config, break_min),
		  SITLOG_DURATION_MIN },
		{ "[Tracking]\nprolonged=366d\n", offsetof(struct sitlog_config, prolonged),
		  SITLOG_DURATION_MAX },
		{ "[Reminders]\nremind_after=8784h\n", offsetof(struct sitlog_config, remind_after),
		  SITLOG_DURATION_MAX },
		{ "[Reminders]\nrepeat_every=1000ms\n",
		  offsetof(struct sitlog_config, repeat_every), USEC_PER_SEC },
		{ "[Reminders]\nheed_window=2days\n", offsetof(struct sitlog_config, heed_window),
		  2 * USEC_PER_DAY },
		{ "[Reminders]\nsnooze=1s\n", offsetof(struct sitlog_config, snooze),
		  USEC_PER_SEC },
		{ "[Reminders]\npause=366d\n", offsetof(struct sitlog_config, pause),
		  SITLOG_DURATION_MAX },
		{ "[IMU]\nsample_interval=0\n", offsetof(struct sitlog_config, imu_sample_interval),
		  0 },
		{ "[IMU]\nsample_interval=5ms\n",
		  offsetof(struct sitlog_config, imu_sample_interval), 5 * USEC_PER_MSEC },
		{ "[IMU]\nsample_interval=1s\n",
		  offsetof(struct sitlog_config, imu_sample_interval), USEC_PER_SEC },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct sitlog_config c;
		g_autofree char *error = NULL;
		usec_t got;

		config_init(&c);
		g_test_message("row %zu: %s", i, rows[i].text);
		g_assert_cmpint(config_load_data(&c, "t", rows[i].text, &error), ==, 0);
		memcpy(&got, (const char *) &c + rows[i].offset, sizeof(got));
		g_assert_cmpuint(got, ==, rows[i].want);
	}
}

/* parse_duration(): units, and -ERANGE instead of wrapping (issue: remind_after=5124095575h). */
static void
test_config_parse_duration(void)
{
	static const struct {
		const char *s;
		int r;
		usec_t want;
	} rows[] = {
		{ "90", 0, 90 * USEC_PER_SEC },
		{ "90s", 0, 90 * USEC_PER_SEC },
		{ "10min", 0, 10 * USEC_PER_MINUTE },
		{ "1h30min", 0, 90 * USEC_PER_MINUTE },
		{ "1h 30 min", 0, 90 * USEC_PER_MINUTE },
		{ "500ms", 0, 500 * USEC_PER_MSEC },
		{ "2d", 0, 2 * USEC_PER_DAY },
		{ "1day", 0, USEC_PER_DAY },
		{ "366days", 0, SITLOG_DURATION_MAX },
		{ "0", 0, 0 },
		/* the largest: INT64_MAX µs, in whole hours and in ms */
		{ "2562047788h", 0, 2562047788ULL * USEC_PER_HOUR },
		{ "9223372036854775ms", 0, 9223372036854775ULL * USEC_PER_MSEC },
		{ "9223372036854776ms", -ERANGE, 0 },
		{ "2562047789h", -ERANGE, 0 },
		{ "5124095575h", -ERANGE, 0 },             /* fits 64 bits unsigned, not signed */
		{ "9223372036854775807", -ERANGE, 0 },     /* n fits, n * 1 s does not */
		{ "9223372036854775808ms", -ERANGE, 0 },   /* n itself does not */
		{ "99999999999999999999999", -ERANGE, 0 }, /* nor here */
		{ "2562047788h 2562047788h", -ERANGE, 0 }, /* the sum does not */
		{ "106751991d", 0, 106751991ULL * USEC_PER_DAY },
		{ "106751992d", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "h", -EINVAL, 0 },
		{ "-5s", -EINVAL, 0 },
		{ "5 fortnights", -EINVAL, 0 },
		{ "1.5h", -EINVAL, 0 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		usec_t got = 12345;
		int r = parse_duration(rows[i].s, &got);

		g_test_message("row %zu: \"%s\"", i, rows[i].s);
		g_assert_cmpint(r, ==, rows[i].r);
		g_assert_cmpuint(got, ==, r == 0 ? rows[i].want : 12345);
	}
}

static void
test_config_format_duration_exact(void)
{
	static const struct {
		usec_t d;
		const char *want;
	} rows[] = {
		{ SITLOG_DURATION_MIN, "1s" }, { SITLOG_DURATION_MAX, "366d" },
		{ 0, "0s" },		       { USEC_PER_HOUR, "1h" },
		{ 90 * USEC_PER_SEC, "90s" },  { 5 * USEC_PER_MSEC, "5ms" },
		{ 90 * USEC_PER_MINUTE, "90min" }, { 1500, "1500us" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		char buf[32];

		format_duration_exact(rows[i].d, buf, sizeof(buf));
		g_assert_cmpstr(buf, ==, rows[i].want);
	}
}

static void
test_config_working_time(void)
{
	struct sitlog_config c;
	char *error = NULL;

	config_init(&c);
	/* off by default: prompts at any hour of any day */
	g_assert_false(c.have_working_hours);
	for (int d = 1; d <= 7; d++)
		g_assert_true(config_is_working_time(&c, d, 3 * 60));
	g_assert_cmpint(config_load_data(&c, "t", "[Reminders]\nworking_hours=09:00-17:30\n"
					 "working_days=Mon-Fri\nescalate_after=0\n",
					 &error), ==, 0);
	g_assert_cmpuint(c.escalate_after, ==, 0);
	g_assert_true(config_is_working_time(&c, 1, 9 * 60));       /* Monday 09:00 */
	g_assert_true(config_is_working_time(&c, 5, 17 * 60 + 29)); /* Friday 17:29 */
	g_assert_false(config_is_working_time(&c, 5, 17 * 60 + 30)); /* the end is excluded */
	g_assert_false(config_is_working_time(&c, 3, 8 * 60 + 59));
	g_assert_false(config_is_working_time(&c, 6, 12 * 60));     /* Saturday */
	g_assert_false(config_is_working_time(&c, 7, 12 * 60));     /* Sunday */

	/* a night shift Fri-Mon (wrapping the week), across midnight: the early hours belong to
	 * the shift that began the evening before */
	g_assert_cmpint(config_load_data(&c, "t", "[Reminders]\nworking_hours=22:00-06:00\n"
					 "working_days=Fri-Mon\n", &error), ==, 0);
	g_assert_true(config_is_working_time(&c, 5, 23 * 60));      /* Friday 23:00 */
	g_assert_true(config_is_working_time(&c, 2, 5 * 60));       /* Tuesday 05:00: Monday's */
	g_assert_false(config_is_working_time(&c, 5, 5 * 60));      /* Friday 05:00: Thursday's */
	g_assert_false(config_is_working_time(&c, 1, 12 * 60));     /* Monday noon */
	g_assert_cmpint(config_load_data(&c, "t", "[Reminders]\nworking_days=Mon,wed, FRI\n"
					 "working_hours=any\n", &error), ==, 0);
	g_assert_false(c.have_working_hours);
	g_assert_true(config_is_working_time(&c, 3, 0));
	g_assert_false(config_is_working_time(&c, 2, 12 * 60));
}

static void
test_config_device_sections_match(void)
{
	g_autofree char *path = write_config("[Device pedal]\n"
					     "role=seat\n"
					     "id=0c45:7403\n"
					     "[Device thigh]\n"
					     "role = imu\n"
					     "name=*Motion Sensors\n"
					     "phys=usb-*\n");
	struct sitlog_config c;
	char *error = NULL;
	const struct config_device *d;

	config_init(&c);
	g_assert_cmpint(config_load_file(&c, path, &error), ==, 0);
	g_assert_cmpuint(c.n_devices, ==, 2);
	d = config_match_device(&c, "PCsensor FootSwitch", 0x0c45, 0x7403, "");
	g_assert_nonnull(d);
	g_assert_cmpstr(d->role, ==, "seat");
	g_assert_cmpstr(d->label, ==, "pedal");
	g_assert_null(config_match_device(&c, "PCsensor FootSwitch", 0x0c45, 0x7404, ""));
	d = config_match_device(&c, "DualSense Wireless Controller Motion Sensors", 0x054c, 0x0ce6,
				"usb-0000:00:14.0-2/input3");
	g_assert_nonnull(d);
	g_assert_cmpstr(d->role, ==, "imu");
	/* every given key must match */
	g_assert_null(config_match_device(&c, "DualSense Wireless Controller Motion Sensors", 0x054c,
					  0x0ce6, "bluetooth"));
	g_assert_null(config_match_device(&c, "AT Translated Set 2 keyboard", 1, 1, "isa0060"));
	g_unlink(path);
}

/* As many [Device] sections as the daemon can use devices, not one more. */
static void
test_config_device_sections_limit(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree char *error = NULL;
	g_autofree char *want = NULL;
	struct sitlog_config c;

	for (unsigned i = 0; i < SITLOG_MAX_DEVICES; i++)
		g_string_append_printf(text, "[Device d%u]\nrole=seat\nname=Pedal %u\n", i, i);
	config_init(&c);
	g_assert_cmpint(config_load_data(&c, "t", text->str, &error), ==, 0);
	g_assert_cmpuint(c.n_devices, ==, SITLOG_MAX_DEVICES);
	g_string_append(text, "[Device one too many]\nrole=imu\nname=IMU\n");
	config_init(&c);
	g_assert_cmpint(config_load_data(&c, "t", text->str, &error), ==, -EINVAL);
	want = g_strdup_printf("t:%u: more than %d [Device] sections", 3 * SITLOG_MAX_DEVICES + 1,
			       SITLOG_MAX_DEVICES);
	g_assert_cmpstr(error, ==, want);
}

/* A NUL byte in a file: the text would end there, what follows dropped without a word. */
static void
test_config_nul_byte(void)
{
	static const char text[] = "[Tracking]\nbreak_min=90s\n# a\0\nprolonged=1h\n";
	g_autofree char *path = write_config("");
	g_autofree char *error = NULL, *prefix = NULL;
	struct sitlog_config c, before;

	g_assert_true(g_file_set_contents(path, text, sizeof(text) - 1, NULL));
	config_init(&c);
	before = c;
	g_assert_cmpint(config_load_file(&c, path, &error), ==, -EINVAL);
	prefix = g_strconcat(path, ":3: a NUL byte", NULL);
	g_assert_cmpstr(error, ==, prefix);
	g_assert_cmpmem(&c, sizeof(c), &before, sizeof(before));
	g_unlink(path);
}

static void
test_config_missing_file_is_enoent(void)
{
	struct sitlog_config c;
	char *error = NULL;

	config_init(&c);
	g_assert_cmpint(config_load_file(&c, "/nonexistent/sitlog.conf", &error), ==, -ENOENT);
	g_assert_null(error);
}

/* --config, as both programs take it (sitlog_config_load()). */
static void
test_config_option_load(void)
{
	g_autofree char *good = NULL, *bad = NULL, *want = NULL;
	struct sitlog_config c, defaults, before;
	char *error = NULL;

	config_init(&defaults);
	/* no option: the default files, none of which exists here (tests/meson.build); in a
	 * child, as GLib would cache the XDG dirs that /config/user-overrides-admin sets */
	if (g_test_subprocess()) {
		g_assert_cmpint(sitlog_config_load(NULL, &c, &error), ==, 0);
		g_assert_null(error);
		g_assert_cmpmem(&c, sizeof(c), &defaults, sizeof(defaults));
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();

	good = write_config("[Reminders]\nremind_after=45min\n");
	bad = write_config("[Reminders]\nremind_after=0\n");
	want = g_strdup_printf("%s:2: remind_after=0: must be longer than 0: between 1s and 366d",
			       bad);
	memset(&c, 0xa5, sizeof(c));
	before = c;
	g_assert_cmpint(sitlog_config_load("/nonexistent/sitlog.conf", &c, &error), ==, -ENOENT);
	g_assert_cmpstr(error, ==, "/nonexistent/sitlog.conf: no such configuration file");
	g_assert_cmpmem(&c, sizeof(c), &before, sizeof(before));
	g_clear_pointer(&error, g_free);

	g_assert_cmpint(sitlog_config_load(bad, &c, &error), ==, -EINVAL);
	g_assert_cmpstr(error, ==, want);
	g_assert_cmpmem(&c, sizeof(c), &before, sizeof(before));
	g_clear_pointer(&error, g_free);

	/* that file over the defaults */
	g_assert_cmpint(sitlog_config_load(good, &c, &error), ==, 0);
	g_assert_null(error);
	g_assert_cmpuint(c.remind_after, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.repeat_every, ==, defaults.repeat_every);
	g_unlink(good);
	g_unlink(bad);
}

static void
test_config_user_overrides_admin(void)
{
	g_autofree char *dir = g_dir_make_tmp("sitlog-conf-XXXXXX", NULL);
	g_autofree char *admin = g_build_filename(dir, "admin", "sitlog", NULL);
	g_autofree char *user = g_build_filename(dir, "user", "sitlog", NULL);
	g_autofree char *admin_dir = g_build_filename(dir, "admin", NULL);
	g_autofree char *user_dir = g_build_filename(dir, "user", NULL);
	g_autofree char *admin_file = g_build_filename(admin, "sitlog.conf", NULL);
	g_autofree char *user_file = g_build_filename(user, "sitlog.conf", NULL);
	struct sitlog_config c;
	char *error = NULL;

	g_mkdir_with_parents(admin, 0700);
	g_mkdir_with_parents(user, 0700);
	g_assert_true(g_file_set_contents(admin_file,
					  "[Reminders]\nremind_after=45min\nrepeat_every=20min\n",
					  -1, NULL));
	g_assert_true(g_file_set_contents(user_file, "[Reminders]\nremind_after=25min\n", -1,
					  NULL));
	g_setenv("XDG_CONFIG_DIRS", admin_dir, TRUE);
	g_setenv("XDG_CONFIG_HOME", user_dir, TRUE);
	g_assert_cmpint(config_load_default(&c, &error), ==, 0);
	g_assert_cmpuint(c.remind_after, ==, 25 * USEC_PER_MINUTE); /* the user's */
	g_assert_cmpuint(c.repeat_every, ==, 20 * USEC_PER_MINUTE); /* the admin's */
	g_unlink(admin_file);
	g_unlink(user_file);
	g_rmdir(admin);
	g_rmdir(user);
	g_rmdir(admin_dir);
	g_rmdir(user_dir);
	g_rmdir(dir);
}

/* A file under root, its directories made. */
static void
put_file(const char *root, const char *rel, const char *text)
{
	g_autofree char *path = g_build_filename(root, rel, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void
remove_tree(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;

	if (dir) {
		while ((name = g_dir_read_name(dir))) {
			g_autofree char *child = g_build_filename(path, name, NULL);

			remove_tree(child);
		}
		g_dir_close(dir);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

/* The file and line of a value, "default" for none. */
static char *
origin_of(const struct config_info *info, const char *root, const char *section, const char *key)
{
	struct config_origin o;

	g_assert_cmpint(config_info_get_origin(info, section, key, &o), ==, 0);
	if (!o.file)
		return g_strdup("default");
	g_assert_true(g_str_has_prefix(o.file, root));
	return g_strdup_printf("%s:%u", o.file + strlen(root) + 1, o.line);
}

/* Shipped defaults < admin files (lowest priority dir first) < admin drop-ins (by name across
 * the dirs, a more important dir's file replacing the other's) < the user's file < the user's
 * drop-ins; every value knows where it came from. */
static void
test_config_layers_and_dropins(void)
{
	g_autofree char *root = g_dir_make_tmp("sitlog-layers-XXXXXX", NULL);
	g_autofree char *high = g_build_filename(root, "high", NULL);
	g_autofree char *low = g_build_filename(root, "low", NULL);
	g_autofree char *user = g_build_filename(root, "user", NULL);
	const char *const dirs[] = { high, low, NULL }; /* as $XDG_CONFIG_DIRS: most important first */
	struct config_info *info = NULL;
	g_autofree char *error = NULL;
	struct sitlog_config c;
	static const struct {
		const char *section, *key, *origin;
	} rows[] = {
		{ "Tracking", "min_segment", "default" },
		{ "Reminders", "remind_after", "user/sitlog/sitlog.conf.d/50-mine.conf:2" },
		{ "Reminders", "repeat_every", "user/sitlog/sitlog.conf:3" },
		{ "Reminders", "heed_window", "high/sitlog/sitlog.conf.d/20-b.conf:2" },
		{ "Reminders", "escalate_after", "high/sitlog/sitlog.conf:3" },
		{ "Reminders", "pause", "high/sitlog/sitlog.conf.d/30-c.conf:2" },
		{ "Reminders", "snooze", "default" },
		{ "Tracking", "prolonged", "user/sitlog/sitlog.conf.d/20-b.conf:2" },
		{ "Storage", "keep_days", "low/sitlog/sitlog.conf:5" },
	};

	put_file(low, "sitlog/sitlog.conf",
		 "[Reminders]\nremind_after=40min\nrepeat_every=20min\n[Storage]\nkeep_days=90\n");
	put_file(high, "sitlog/sitlog.conf",
		 "[Reminders]\nremind_after=41min\nescalate_after=5\nheed_window=9min\n");
	put_file(low, "sitlog/sitlog.conf.d/10-a.conf", "[Reminders]\nheed_window=3min\n");
	put_file(low, "sitlog/sitlog.conf.d/30-c.conf", "[Reminders]\nsnooze=7min\n");
	/* replaces low's 30-c.conf: its snooze is gone */
	put_file(high, "sitlog/sitlog.conf.d/30-c.conf", "[Reminders]\npause=2h\n");
	put_file(high, "sitlog/sitlog.conf.d/20-b.conf", "[Reminders]\nheed_window=4min\n");
	/* masked by a link to /dev/null of the same name in a more important dir */
	put_file(low, "sitlog/sitlog.conf.d/70-masked.conf", "[Reminders]\nescalate_after=9\n");
	{
		g_autofree char *link = g_build_filename(high, "sitlog", "sitlog.conf.d",
							 "70-masked.conf", NULL);

		g_assert_cmpint(symlink("/dev/null", link), ==, 0);
	}
	/* not drop-ins */
	put_file(low, "sitlog/sitlog.conf.d/README", "not a config file\n");
	put_file(low, "sitlog/sitlog.conf.d/.hidden.conf", "not a config file\n");
	put_file(low, "sitlog/sitlog.conf.d/40-d.conf.bak", "not a config file\n");
	put_file(user, "sitlog/sitlog.conf",
		 "[Reminders]\nremind_after=25min\nrepeat_every=12min\n");
	put_file(user, "sitlog/sitlog.conf.d/50-mine.conf", "[Reminders]\nremind_after=26min\n");
	/* the user's 20-b.conf is a layer of its own: it does not replace the admin's */
	put_file(user, "sitlog/sitlog.conf.d/20-b.conf", "[Tracking]\nprolonged=45min\n");

	g_assert_cmpint(config_load_layers(NO_SYSTEM_DIR, dirs, user, NULL, &c, &info, &error), ==, 0);
	g_assert_null(error);
	g_assert_cmpuint(c.remind_after, ==, 26 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.repeat_every, ==, 12 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.heed_window, ==, 4 * USEC_PER_MINUTE); /* drop-ins after all files */
	g_assert_cmpuint(c.escalate_after, ==, 5);
	g_assert_cmpuint(c.pause, ==, 2 * USEC_PER_HOUR);
	g_assert_cmpuint(c.snooze, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.prolonged, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.keep_days, ==, 90);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = origin_of(info, root, rows[i].section, rows[i].key);

		g_assert_cmpstr(got, ==, rows[i].origin);
	}
	g_assert_null(config_info_get_warnings(info)[0]);
	config_info_free(info);

	/* an error in any layer names its file and line, and nothing is returned */
	put_file(user, "sitlog/sitlog.conf.d/60-bad.conf", "[Reminders]\n\nsnooze=soon\n");
	memset(&c, 0xa5, sizeof(c));
	info = NULL;
	g_assert_cmpint(config_load_layers(NO_SYSTEM_DIR, dirs, user, NULL, &c, &info, &error), ==, -EINVAL);
	g_assert_true(g_str_has_suffix(error, "user/sitlog/sitlog.conf.d/60-bad.conf:3: snooze=soon: "
						 "expected a duration such as 90s, 10min or 1h"));
	g_assert_null(info);
	g_assert_cmpuint(c.keep_days, ==, 0xa5a5a5a5);
	remove_tree(root);
}

static const char company[] = "# IT's policy\n"
			      "[Locks]\n"
			      "keys=Reminders.remind_after Reminders.repeat_every\n"
			      "sections=Seat Device\n"
			      "[Reminders]\n"
			      "remind_after=45min\n";

/* An admin file locks keys and sections; the user's values for them are ignored with a
 * warning naming both places, the load goes on; admin layers may still change them. */
static void
test_config_locks(void)
{
	g_autofree char *root = g_dir_make_tmp("sitlog-locks-XXXXXX", NULL);
	g_autofree char *admin = g_build_filename(root, "admin", NULL);
	g_autofree char *user = g_build_filename(root, "user", NULL);
	const char *const dirs[] = { admin, NULL };
	struct config_info *info = NULL;
	g_autofree char *error = NULL;
	const char *const *warnings;
	struct config_origin o;
	struct sitlog_config c;
	const char *want[] = {
		"user/sitlog/sitlog.conf:2: [Reminders] remind_after=10min, locked by "
		"admin/sitlog/sitlog.conf.d/50-company.conf:3, ignoring",
		"user/sitlog/sitlog.conf:3: [Reminders] repeat_every=banana, locked by "
		"admin/sitlog/sitlog.conf.d/50-company.conf:3, ignoring",
		"user/sitlog/sitlog.conf:6: [Seat] occupied=50%, locked by "
		"admin/sitlog/sitlog.conf.d/50-company.conf:4, ignoring",
		"user/sitlog/sitlog.conf:7: [Device mine], locked by "
		"admin/sitlog/sitlog.conf.d/50-company.conf:4, ignoring",
		"user/sitlog/sitlog.conf:10: [Locks] is read only from the admin's files, ignoring",
		"user/sitlog/sitlog.conf.d/10-x.conf:2: [Reminders] remind_after=5min, locked by "
		"admin/sitlog/sitlog.conf.d/50-company.conf:3, ignoring",
	};
	size_t n;

	put_file(admin, "sitlog/sitlog.conf.d/50-company.conf", company);
	/* a later admin drop-in changes a locked value: locks bind only the user's layers */
	put_file(admin, "sitlog/sitlog.conf.d/60-later.conf", "[Reminders]\nrepeat_every=15min\n");
	put_file(user, "sitlog/sitlog.conf",
		 "[Reminders]\n"
		 "remind_after=10min\n"
		 "repeat_every=banana\n" /* not even checked: it is not used */
		 "snooze=5min\n"
		 "[Seat]\n"
		 "occupied=50%\n"
		 "[Device mine]\n"
		 "role=seat\n"
		 "name=Pedal\n"
		 "[Locks]\n"
		 "keys=Tracking.prolonged\n"
		 "[Tracking]\n"
		 "prolonged=1h\n");
	put_file(user, "sitlog/sitlog.conf.d/10-x.conf", "[Reminders]\nremind_after=5min\n");

	g_assert_cmpint(config_load_layers(NO_SYSTEM_DIR, dirs, user, NULL, &c, &info, &error), ==, 0);
	g_assert_null(error);
	g_assert_cmpuint(c.remind_after, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.repeat_every, ==, 15 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.snooze, ==, 5 * USEC_PER_MINUTE);      /* not locked */
	g_assert_cmpuint(c.prolonged, ==, USEC_PER_HOUR);          /* the user's [Locks]: none */
	g_assert_cmpfloat(c.seat_occupied, ==, 0.30);
	g_assert_cmpuint(c.n_devices, ==, 0);
	warnings = config_info_get_warnings(info);
	for (n = 0; warnings[n]; n++) {
		/* the paths are absolute: compare them from root */
		g_autofree char *prefix = g_strconcat(root, "/", NULL);
		g_auto(GStrv) parts = g_strsplit(warnings[n], prefix, -1);
		g_autofree char *rel = g_strjoinv("", parts);

		g_test_message("warning %zu: %s", n, warnings[n]);
		g_assert_true(g_str_has_prefix(warnings[n], prefix));
		g_assert_cmpuint(n, <, G_N_ELEMENTS(want));
		g_assert_cmpstr(rel, ==, want[n]);
	}
	g_assert_cmpuint(n, ==, G_N_ELEMENTS(want));

	g_assert_cmpint(config_info_get_origin(info, "Reminders", "repeat_every", &o), ==, 0);
	g_assert_nonnull(o.file);
	g_assert_true(g_str_has_suffix(o.file, "/60-later.conf"));
	g_assert_cmpuint(o.line, ==, 2);
	g_assert_true(g_str_has_suffix(o.lock_file, "/50-company.conf"));
	g_assert_cmpuint(o.lock_line, ==, 3);
	g_assert_cmpint(config_info_get_origin(info, "Seat", "vacant", &o), ==, 0);
	g_assert_null(o.file); /* the default, locked through its section */
	g_assert_cmpuint(o.lock_line, ==, 4);
	g_assert_cmpint(config_info_get_origin(info, "Reminders", "snooze", &o), ==, 0);
	g_assert_null(o.lock_file);
	g_assert_cmpint(config_info_get_origin(info, "Reminders", "nope", &o), ==, -ENOENT);
	config_info_free(info);
	remove_tree(root);
}

/* A lock of something the parser does not know is an error with the file and line. */
static void
test_config_lock_errors(void)
{
	static const struct {
		const char *text;
		const char *want;
	} rows[] = {
		{ "[Locks]\nkeys=Reminders.remind_afterr\n",
		  "t:2: keys=: unknown key \"Reminders.remind_afterr\" (expected Section.key, such as "
		  "Reminders.remind_after)" },
		{ "[Locks]\n\nkeys=remind_after\n",
		  "t:3: keys=: unknown key \"remind_after\" (expected Section.key, such as "
		  "Reminders.remind_after)" },
		{ "[Locks]\nkeys=Seat.axis Seat\n",
		  "t:2: keys=: unknown key \"Seat\" (expected Section.key, such as "
		  "Reminders.remind_after)" },
		{ "[Locks]\nsections=Seat Reminder\n",
		  "t:2: sections=: unknown section \"Reminder\" (expected Tracking, Reminders, Seat, "
		  "IMU, Storage, Budget, Device or Metrics)" },
		{ "[Locks]\nsections=Device pedal\n",
		  "t:2: sections=: unknown section \"pedal\" (expected Tracking, Reminders, Seat, "
		  "IMU, Storage, Budget, Device or Metrics)" },
		{ "[Locks]\nkey=Seat.axis\n",
		  "t:2: unknown key \"key\" in [Locks] (expected keys= or sections=)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		struct sitlog_config c, before;
		g_autofree char *error = NULL;

		config_init(&c);
		before = c;
		g_assert_cmpint(config_load_data(&c, "t", rows[i].text, &error), ==, -EINVAL);
		g_assert_cmpstr(error, ==, rows[i].want);
		g_assert_cmpmem(&c, sizeof(c), &before, sizeof(before));
	}
	/* separators: spaces, commas, semicolons; an empty list locks nothing */
	{
		struct sitlog_config c;
		g_autofree char *error = NULL;

		config_init(&c);
		g_assert_cmpint(config_load_data(&c, "t", "[Locks]\nkeys=Seat.axis,IMU.axis; "
						 "Storage.keep_days\nsections=\n", &error), ==, 0);
	}
}

/* [Storage] keep_days: days, 0 (keep forever) or 1..36600. */
static void
test_config_keep_days(void)
{
	static const struct {
		const char *value;
		int r;
		unsigned want;
	} rows[] = {
		{ "0", 0, 0 },	      { "1", 0, 1 },	     { "36600", 0, 36600 },
		{ "365", 0, 365 },    { "36601", -EINVAL, 0 }, { "-1", -EINVAL, 0 },
		{ "30d", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "99999999999999999999999", -EINVAL, 0 },
	};
	struct sitlog_config c;

	config_init(&c);
	g_assert_cmpuint(c.keep_days, ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *text = g_strdup_printf("[Storage]\nkeep_days=%s\n", rows[i].value);
		g_autofree char *error = NULL;
		g_autofree char *want = g_strdup_printf("t:2: keep_days=%s: expected 0 (off) or a "
							"whole number from 1 to 36600",
							rows[i].value);

		config_init(&c);
		g_test_message("row %zu: %s", i, rows[i].value);
		g_assert_cmpint(config_load_data(&c, "t", text, &error), ==, rows[i].r);
		if (rows[i].r == 0)
			g_assert_cmpuint(c.keep_days, ==, rows[i].want);
		else
			g_assert_cmpstr(error, ==, want);
	}
}

/* [Budget] upright_per_day 0..24h (2h), sitting_per_day 1h..24h (6h). */
static void
test_config_budget(void)
{
	static const struct {
		const char *text;
		int r;
		usec_t upright, sitting;
	} rows[] = {
		{ "", 0, 2 * USEC_PER_HOUR, 6 * USEC_PER_HOUR },
		{ "upright_per_day=0\n", 0, 0, 6 * USEC_PER_HOUR },
		{ "upright_per_day=24h\nsitting_per_day=1h\n", 0, 24 * USEC_PER_HOUR, USEC_PER_HOUR },
		{ "upright_per_day=90min\nsitting_per_day=1d\n", 0, 90 * USEC_PER_MINUTE,
		  24 * USEC_PER_HOUR },
		{ "upright_per_day=24h1s\n", -ERANGE, 0, 0 },
		{ "sitting_per_day=59min\n", -ERANGE, 0, 0 },
		{ "sitting_per_day=25h\n", -ERANGE, 0, 0 },
		{ "sitting_per_day=0\n", -ERANGE, 0, 0 },
		{ "upright_per_day=lots\n", -EINVAL, 0, 0 },
	};
	struct sitlog_config c;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *text = g_strdup_printf("[Budget]\n%s", rows[i].text);
		g_autofree char *error = NULL;
		int r;

		config_init(&c);
		r = config_load_data(&c, "t", text, &error);
		g_test_message("row %zu: %s: %d %s", i, rows[i].text, r, error ? error : "");
		if (rows[i].r == 0) {
			g_assert_cmpint(r, ==, 0);
			g_assert_cmpuint(c.upright_per_day, ==, rows[i].upright);
			g_assert_cmpuint(c.sitting_per_day, ==, rows[i].sitting);
		} else {
			g_assert_cmpint(r, <, 0);
			g_assert_nonnull(error);
		}
	}
}

/* The printer: every key, defaults included, in the file's syntax and units; the text reads
 * back as the same configuration. */
static void
test_config_print_reads_back(void)
{
	static const char *const texts[] = {
		"",
		"[Tracking]\nmin_segment=0\nbreak_min=90s\nprolonged=1h30min\n"
		"[Reminders]\nremind_after=45min\nrepeat_every=1500ms\nheed_window=2d\n"
		"escalate_after=0\nworking_hours=22:00-06:00\nworking_days=Fri-Mon\n"
		"quiet_when_locked=no\nquiet_when_inhibited=yes\nrespect_dnd=0\n"
		"[Seat]\naxis=ABS_Z\noccupied=42.5%\nvacant=7\nkey=SW_LID\ngrab=true\n"
		"[IMU]\naxis=0.1 -0.99 0\nsample_interval=0\n[Storage]\nkeep_days=36600\n"
		"[Device pedal]\nrole=seat\nid=0c45:7404\n"
		"[Device thigh]\nrole=imu\nname=*Motion\\\\Sensors\nphys=usb-*\n"
		"[Locks]\nkeys=Reminders.snooze\nsections=IMU\n",
		"[Reminders]\nworking_hours=09:00-24:00\nworking_days=Mon,Wed,Fri-Sat\n"
		"[Seat]\nkey=BTN_0\n[IMU]\naxis=-Z\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
		struct config_info *info = NULL, *info2 = NULL;
		g_autofree char *path = write_config(texts[i]);
		g_autofree char *error = NULL, *printed = NULL, *again = NULL, *printed_path = NULL;
		g_autofree char *json = NULL;
		struct sitlog_config c, back;

		g_test_message("text %zu", i);
		g_assert_cmpint(sitlog_config_load_full(path, &c, &info, &error), ==, 0);
		printed = config_format(&c, info, CONFIG_FORMAT_TEXT);
		printed_path = write_config(printed);
		g_assert_cmpint(sitlog_config_load_full(printed_path, &back, &info2, &error), ==, 0);
		g_assert_cmpmem(&c, sizeof(c), &back, sizeof(back));
		/* the same values a second time, now all from that file */
		again = config_format(&back, info2, CONFIG_FORMAT_TEXT);
		{
			g_auto(GStrv) a = g_strsplit(printed, "\n", -1);
			g_auto(GStrv) b = g_strsplit(again, "\n", -1);

			g_assert_cmpuint(g_strv_length(a), ==, g_strv_length(b));
			for (size_t l = 0; a[l]; l++)
				if (a[l][0] != '#')
					g_assert_cmpstr(a[l], ==, b[l]);
		}
		json = config_format(&c, info, CONFIG_FORMAT_JSON);
		g_assert_true(g_str_has_prefix(json, "{\"values\":[{"));
		config_info_free(info);
		config_info_free(info2);
		g_unlink(path);
		g_unlink(printed_path);
	}
}

/* [Budget]: the whole day's keys, their defaults (issue 14) and a time of day read back. */
static void
test_config_budget_keys(void)
{
	struct sitlog_config c;
	g_autofree char *error = NULL;

	config_init(&c);
	g_assert_true(c.budget_pace);
	g_assert_false(c.budget_adaptive);
	g_assert_false(c.budget_summary);
	g_assert_cmpuint(c.remind_after_min, ==, 20 * USEC_PER_MINUTE);
	g_assert_cmpint(c.summary_after_min, ==, -1);
	g_assert_cmpint(config_load_data(&c, "sitlog.conf",
					 "[Budget]\nadaptive=yes\nsummary=true\nsummary_after=16:30\n"
					 "remind_after_min=15min\npace=false\n", &error), ==, 0);
	g_assert_true(c.budget_adaptive);
	g_assert_true(c.budget_summary);
	g_assert_false(c.budget_pace);
	g_assert_cmpint(c.summary_after_min, ==, 16 * 60 + 30);
	g_assert_cmpuint(c.remind_after_min, ==, 15 * USEC_PER_MINUTE);
	g_assert_cmpint(config_load_data(&c, "sitlog.conf", "[Budget]\nsummary_after=end\n",
					 &error), ==, 0);
	g_assert_cmpint(c.summary_after_min, ==, -1);
}

/* What `sitlog config` prints for the shipped defaults (every key, in the file's own units). */
static void
test_config_print_defaults(void)
{
	static const char want[] =
		"# The effective configuration (sitlog.conf(5)): above each value the file and line\n"
		"# it comes from, or \"default\", and its lock.\n"
		"[Tracking]\n"
		"# default\nmin_segment=10s\n"
		"# default\nbreak_min=1min\n"
		"# default\nprolonged=30min\n"
		"\n[Reminders]\n"
		"# default\nremind_after=30min\n"
		"# default\nrepeat_every=10min\n"
		"# default\nheed_window=5min\n"
		"# default\nsnooze=10min\n"
		"# default\npause=1h\n"
		"# default\nescalate_after=3\n"
		"# default\nworking_hours=any\n"
		"# default\nworking_days=any\n"
		"# default\nquiet_when_locked=true\n"
		"# default\nquiet_when_inhibited=false\n"
		"# default\nrespect_dnd=true\n"
		"\n[Seat]\n"
		"# default\naxis=ABS_PRESSURE\n"
		"# default\noccupied=30%\n"
		"# default\nvacant=20%\n"
		"# default\nkey=any\n"
		"# default\ngrab=false\n"
		"\n[IMU]\n"
		"# default\naxis=auto\n"
		"# default\nsample_interval=250ms\n"
		"\n[Storage]\n"
		"# default\nkeep_days=0\n"
		"\n[Budget]\n"
		"# default\nupright_per_day=2h\n"
		"# default\nsitting_per_day=6h\n"
		"# default\npace=true\n"
		"# default\nadaptive=false\n"
		"# default\nremind_after_min=20min\n"
		"# default\nsummary=false\n"
		"# default\nsummary_after=end\n"
		"\n[Metrics]\n"
		"# default\nenabled=false\n"
		"# default\ntextfile_dir=/var/lib/prometheus/node-exporter\n";
	struct config_info *info = NULL;
	g_autofree char *error = NULL, *text = NULL, *json = NULL;
	g_autofree char *path = write_config("[Locks]\nkeys=Reminders.pause\n[Device p]\n"
					     "role=seat\nname=P \"1\"\n");
	struct sitlog_config c;

	config_init(&c);
	g_assert_cmpint(config_load_layers(NO_SYSTEM_DIR, (const char *const[]) { "/nonexistent/a", NULL },
					   "/nonexistent/b", NULL, &c, &info, &error), ==, 0);
	text = config_format(&c, info, CONFIG_FORMAT_TEXT);
	g_assert_cmpstr(text, ==, want);
	config_info_free(info);

	/* a lock and a device, in both forms */
	g_assert_cmpint(sitlog_config_load_full(path, &c, &info, &error), ==, 0);
	g_clear_pointer(&text, g_free);
	text = config_format(&c, info, CONFIG_FORMAT_TEXT);
	{
		g_autofree char *lock = g_strdup_printf("# default, locked by %s:2\npause=1h\n", path);
		g_autofree char *device = g_strdup_printf("\n# %s:3\n[Device p]\n# %s:4\nrole=seat\n"
							  "# %s:5\nname=P \"1\"\n", path, path,
							  path);
		g_autofree char *locks = g_strdup_printf("\n[Locks]\nkeys=Reminders.pause\n"
							 "# from %s:2\n", path);

		g_assert_nonnull(strstr(text, lock));
		g_assert_nonnull(strstr(text, device));
		g_assert_true(g_str_has_suffix(text, locks));
	}
	json = config_format(&c, info, CONFIG_FORMAT_JSON);
	{
		g_autofree char *pause = g_strdup_printf(
			"{\"section\":\"Reminders\",\"key\":\"pause\",\"value\":\"1h\","
			"\"source\":\"default\",\"file\":null,\"line\":null,\"locked\":true,"
			"\"locked_by\":\"%s:2\",\"min\":\"1s\",\"max\":\"366d\","
			"\"zero_ok\":false}", path);
		g_autofree char *name = g_strdup_printf(
			"{\"section\":\"Device p\",\"key\":\"name\",\"value\":\"P \\\"1\\\"\","
			"\"source\":\"%s:5\",\"file\":\"%s\",\"line\":5,\"locked\":false,"
			"\"locked_by\":null}", path, path);

		g_assert_nonnull(strstr(json, pause));
		g_assert_nonnull(strstr(json, name));
		g_assert_nonnull(strstr(json, "{\"section\":\"Storage\",\"key\":\"keep_days\","
					      "\"value\":\"0\",\"source\":\"default\",\"file\":"
					      "null,\"line\":null,\"locked\":false,\"locked_by\":"
					      "null,\"min\":\"1\",\"max\":\"36600\",\"zero_ok\":"
					      "true}"));
		g_assert_true(g_str_has_suffix(json, "}]}\n"));
	}
	config_info_free(info);
	g_unlink(path);
}

/* sitlog_config_load() (what sitlogd runs with, and reloads with) logs each warning with
 * g_warning() and still succeeds. In a child: GLib caches the XDG dirs. */
static void
test_config_load_logs_warnings(void)
{
	g_autofree char *root = NULL, *admin = NULL, *user = NULL;
	struct sitlog_config c;
	char *error = NULL;

	if (g_test_subprocess()) {
		root = g_dir_make_tmp("sitlog-warn-XXXXXX", NULL);
		admin = g_build_filename(root, "admin", NULL);
		user = g_build_filename(root, "user", NULL);
		put_file(admin, "sitlog/sitlog.conf.d/50-company.conf", company);
		put_file(user, "sitlog/sitlog.conf", "[Reminders]\nremind_after=10min\n");
		g_setenv("XDG_CONFIG_DIRS", admin, TRUE);
		g_setenv("XDG_CONFIG_HOME", user, TRUE);
		g_test_expect_message(NULL, G_LOG_LEVEL_WARNING,
				      "*/user/sitlog/sitlog.conf:2: [Reminders] remind_after=10min, "
				      "locked by */admin/sitlog/sitlog.conf.d/50-company.conf:3, "
				      "ignoring");
		g_assert_cmpint(sitlog_config_load(NULL, &c, &error), ==, 0);
		g_test_assert_expected_messages();
		g_assert_cmpuint(c.remind_after, ==, 45 * USEC_PER_MINUTE);
		remove_tree(root);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/defaults-match-design", test_config_defaults_match_design);
	g_test_add_func("/config/file-overrides", test_config_file_overrides);
	g_test_add_func("/config/budget-keys", test_config_budget_keys);
	g_test_add_func("/config/errors-name-file-and-line", test_config_errors_name_file_and_line);
	g_test_add_func("/config/range-message", test_config_range_message);
	g_test_add_func("/config/range-edges-accepted", test_config_range_edges_accepted);
	g_test_add_func("/config/parse-duration", test_config_parse_duration);
	g_test_add_func("/config/format-duration-exact", test_config_format_duration_exact);
	g_test_add_func("/config/device-sections-match", test_config_device_sections_match);
	g_test_add_func("/config/working-time", test_config_working_time);
	g_test_add_func("/config/device-sections-limit", test_config_device_sections_limit);
	g_test_add_func("/config/nul-byte", test_config_nul_byte);
	g_test_add_func("/config/missing-file-is-enoent", test_config_missing_file_is_enoent);
	g_test_add_func("/config/option-load", test_config_option_load);
	g_test_add_func("/config/layers-and-dropins", test_config_layers_and_dropins);
	g_test_add_func("/config/locks", test_config_locks);
	g_test_add_func("/config/lock-errors", test_config_lock_errors);
	g_test_add_func("/config/keep-days", test_config_keep_days);
	g_test_add_func("/config/budget", test_config_budget);
	g_test_add_func("/config/print-reads-back", test_config_print_reads_back);
	g_test_add_func("/config/print-defaults", test_config_print_defaults);
	g_test_add_func("/config/load-logs-warnings", test_config_load_logs_warnings);
	/* last: it changes the process's XDG dirs, which GLib caches */
	g_test_add_func("/config/user-overrides-admin", test_config_user_overrides_admin);
	return g_test_run();
}
