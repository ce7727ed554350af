/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <linux/input.h>
#include <string.h>
#include <unistd.h>

#include "sitlog-conf.h"

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
	g_assert_cmpuint(c.imu_sample_interval, ==, 100 * USEC_PER_MSEC);
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

static void
test_config_missing_file_is_enoent(void)
{
	struct sitlog_config c;
	char *error = NULL;

	config_init(&c);
	g_assert_cmpint(config_load_file(&c, "/nonexistent/sitlog.conf", &error), ==, -ENOENT);
	g_assert_null(error);
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/defaults-match-design", test_config_defaults_match_design);
	g_test_add_func("/config/file-overrides", test_config_file_overrides);
	g_test_add_func("/config/errors-name-file-and-line", test_config_errors_name_file_and_line);
	g_test_add_func("/config/device-sections-match", test_config_device_sections_match);
	g_test_add_func("/config/working-time", test_config_working_time);
	g_test_add_func("/config/missing-file-is-enoent", test_config_missing_file_is_enoent);
	/* last: it changes the process's XDG dirs, which GLib caches */
	g_test_add_func("/config/user-overrides-admin", test_config_user_overrides_admin);
	return g_test_run();
}
