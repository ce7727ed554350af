/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * sitlog.conf: GKeyFile syntax. Read in order, later files overriding earlier ones:
 *   $SYSCONFDIR/xdg/sitlog/sitlog.conf   (admin defaults; also every dir in $XDG_CONFIG_DIRS)
 *   $XDG_CONFIG_HOME/sitlog/sitlog.conf  (the user's)
 * or only the file given with --config. Errors name the file and line.
 * Durations (units ms, s, min, h, d) lie in 1s..366d (sitlog-limits.h), except min_segment
 * 0..1h and sample_interval 0 or 5ms..1s; a value outside is an error, as in sitlogd(1).
 *
 *   [Tracking]  min_segment=10s  break_min=60s  prolonged=30min
 *   [Reminders] remind_after=30min  repeat_every=10min  heed_window=5min
 *               snooze=10min  pause=1h  escalate_after=3  (ignored prompts; 0: never)
 *               working_hours=09:00-17:30  working_days=Mon-Fri  (unset: any time)
 *               quiet_when_locked=true  quiet_when_inhibited=false  respect_dnd=true
 *   [Seat]      axis=ABS_PRESSURE  occupied=30%  vacant=20%  key=any  (or KEY_x / SW_x)
 *   [Seat]      grab=false  (true: seat devices are grabbed, their keys reach nothing else)
 *   [IMU]       axis=  (unset: learned from walking; else the device axis along the upright
 *                       thigh: X, -Y, Z or a vector "0.1 -0.99 0")
 *               sample_interval=100ms  (live IMUs are sampled; 0: read every burst)
 *   [Device LABEL]  role=seat|imu  and one or more of: name=GLOB  id=VENDOR:PRODUCT (hex)
 *                   phys=GLOB  — a device without a udev SITLOG_ROLE that matches all given
 *                   keys gets this role (udev's role comes first)
 */

#include <stdbool.h>

#include "sitlog-limits.h"
#include "time-util.h"

struct config_device {
	char label[64];
	char role[8];  /* "seat" or "imu" */
	char name[256]; /* glob, "" = any */
	char phys[256]; /* glob, "" = any */
	bool have_id;
	unsigned vendor, product;
};

struct sitlog_config {
	usec_t min_segment;
	usec_t break_min;
	usec_t prolonged;
	usec_t remind_after;
	usec_t repeat_every;
	usec_t heed_window;
	usec_t snooze;
	usec_t pause;
	unsigned escalate_after;  /* ignored prompts in a bout before escalating; 0: never */
	bool have_working_hours;
	unsigned work_start_min;  /* minutes after local midnight */
	unsigned work_end_min;    /* may be < start: the hours span midnight */
	unsigned working_days;    /* bit d for ISO weekday d (1 = Monday ... 7 = Sunday) */
	bool quiet_when_locked;
	bool quiet_when_inhibited;
	bool respect_dnd;

	int seat_axis;         /* ABS_* code */
	double seat_occupied;  /* fraction of the axis range, 0..1 */
	double seat_vacant;    /* fraction of the axis range, 0..1, < seat_occupied */
	int seat_key_type;     /* 0 = any declared EV_KEY or EV_SW code; else EV_KEY or EV_SW */
	int seat_key_code;

	bool seat_grab;

	bool imu_have_axis;
	double imu_axis[3];
	usec_t imu_sample_interval; /* 0: read every burst */

	unsigned keep_days; /* [Storage] keep_days: history kept, in days; 0: forever */

	struct config_device devices[SITLOG_MAX_DEVICES];
	unsigned n_devices;
};

void config_init(struct sitlog_config *c);

/* Load one file over *c. -ENOENT when it does not exist (nothing changed); other errors set
 * *ret_error to "FILE:LINE: reason" (g_free()). On error *c is unchanged. */
int config_load_file(struct sitlog_config *c, const char *path, char **ret_error);

/* The same for text already in memory; `name` stands for the file in messages. */
int config_load_data(struct sitlog_config *c, const char *name, const char *text,
		     char **ret_error);

/* The [Device] section that gives a device its role, or NULL. */
const struct config_device *config_match_device(const struct sitlog_config *c, const char *name,
						 unsigned vendor, unsigned product,
						 const char *phys);

/* Do prompts fall in the working hours and days at this local time? */
bool config_is_working_time(const struct sitlog_config *c, int iso_weekday, unsigned minute_of_day);

/* config_init() and then the admin and user files, those that exist. */
int config_load_default(struct sitlog_config *c, char **ret_error);

/* --config as sitlogd and sitlog both take it: NULL loads the default files
 * (config_load_default()), a path only that file over the defaults, and a path that does not
 * exist is -ENOENT with "PATH: no such configuration file". On error *ret_error says why
 * (g_free(); the caller puts its name before it) and *ret is unchanged. */
int sitlog_config_load(const char *opt_config, struct sitlog_config *ret, char **ret_error);
