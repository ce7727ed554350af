/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * sitlog.conf (sitlog.conf(5)): GKeyFile syntax, read in layers as systemd reads its own
 * files, each overriding the ones before (common/config-layers.c):
 *   config_init()                                        (the shipped defaults)
 *   SYS/sitlog/sitlog.conf                               (the system's: SYS is
 *                                                        SITLOG_SYSTEM_CONFIG_DIR, /etc/xdg,
 *                                                        whatever the environment says)
 *   DIR/sitlog/sitlog.conf for each other DIR of $XDG_CONFIG_DIRS, lowest priority (last
 *                                                        listed) first
 *   SYS's and those DIRs' sitlog/sitlog.conf.d/ *.conf, by file name across all of them; a
 *                                                        DIR's file of the same name as
 *                                                        another DIR's replaces it if more
 *                                                        important, never one of SYS's
 *   $XDG_CONFIG_HOME/sitlog/sitlog.conf                  (the user's)
 *   $XDG_CONFIG_HOME/sitlog/sitlog.conf.d/ *.conf         (the user's drop-ins, by name)
 * or, with --config, SYS's files and then that file. Errors name the file and line.
 * Admin files may lock keys or sections, so that the user's layers cannot change them:
 *   [Locks]  keys=Reminders.remind_after Reminders.repeat_every  sections=Seat Device
 * A user's value for a locked key is ignored with a warning ("FILE:LINE: ..., locked by
 * FILE:LINE, ignoring"); the load does not fail. SYS's locks bind every other file ($XDG_CONFIG_DIRS's
 * and --config's too), and hold over files read before them.
 * Durations (units ms, s, min, h, d) lie in 1s..366d (sitlog-limits.h), except min_segment
 * 0..1h and sample_interval 0 or 5ms..1s; a value outside is an error, as in sitlog.conf(5).
 *
 *   [Tracking]  min_segment=10s  break_min=60s  prolonged=30min
 *   [Reminders] remind_after=30min  repeat_every=10min  heed_window=5min
 *               snooze=10min  pause=1h  escalate_after=3  (ignored prompts; 0: never)
 *               working_hours=09:00-17:30  working_days=Mon-Fri  (unset or any: any time)
 *               quiet_when_locked=true  quiet_when_inhibited=false  respect_dnd=true
 *   [Seat]      axis=ABS_PRESSURE  occupied=30%  vacant=20%  key=any  (or KEY_x / SW_x)
 *   [Seat]      grab=false  (true: seat devices are grabbed, their keys reach nothing else)
 *   [IMU]       axis=auto  (learned from walking; else the device axis along the upright
 *                           thigh: X, -Y, Z or a vector "0.1 -0.99 0")
 *               sample_interval=250ms  (live IMUs are sampled; 0: read every burst)
 *   [Storage]   keep_days=0  (days of records to keep; 0: forever; else 1..36600)
 *   [Budget]    upright_per_day=2h  (0..24h; 0: no target)  sitting_per_day=6h  (1h..24h)
 *               pace=true  adaptive=false  remind_after_min=20min
 *               summary=false  summary_after=end  (or HH:MM: after a 15-min break then)
 *   [Metrics]   enabled=false  textfile_dir=/var/lib/prometheus/node-exporter  (the daily
 *               aggregates for node_exporter's textfile collector: cli/metrics.h)
 *   [Device LABEL]  role=seat|imu  and one or more of: name=GLOB  id=VENDOR:PRODUCT (hex)
 *                   phys=GLOB  — a device without a udev SITLOG_ROLE that matches all given
 *                   keys gets this role (udev's role comes first)
 */

#include <stdbool.h>

#include "sitlog-limits.h"
#include "time-util.h"

/* [Metrics] textfile_dir: Debian's prometheus-node-exporter reads its textfile collector here */
#define SITLOG_METRICS_TEXTFILE_DIR "/var/lib/prometheus/node-exporter"
#define SITLOG_CONFIG_PATH_MAX 1024

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

	unsigned keep_days; /* [Storage]: days of records to keep; 0: keep them forever */

	usec_t upright_per_day; /* [Budget]: a local day's upright target (0: none) */
	usec_t sitting_per_day; /* [Budget]: a local day's sitting budget */
	bool budget_pace;       /* [Budget] pace: the once-a-day pace prompt */
	bool budget_adaptive;   /* [Budget] adaptive: the first prompt sooner as the budget runs out */
	usec_t remind_after_min; /* [Budget]: adaptive never brings it sooner than this */
	bool budget_summary;    /* [Budget] summary: the end-of-day summary */
	int summary_after_min;  /* [Budget]: minutes after midnight; -1: at the end of the
				 * working hours */
	bool metrics_enabled; /* [Metrics] enabled: sitlog export --textfile writes */
	char metrics_textfile_dir[SITLOG_CONFIG_PATH_MAX]; /* absolute */

	struct config_device devices[SITLOG_MAX_DEVICES];
	unsigned n_devices;

	/* Not keys: set by the layers' load. When an admin locks [Reminders] pause or snooze, the
	 * locked value is also the longest a D-Bus Pause or Snooze may ask for; 0: unbounded
	 * (SITLOG_DURATION_MAX). */
	usec_t pause_max;
	usec_t snooze_max;
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

/* config_init() and then the layers above, those that exist; warnings are logged with
 * g_warning(). */
int config_load_default(struct sitlog_config *c, char **ret_error);

/* --config as sitlogd and sitlog both take it: NULL loads the layers (config_load_default()),
 * a path the system's files and then that file (read as an admin file: its [Locks] are
 * checked, its values for keys the system locks ignored), and a path that does not exist is
 * -ENOENT with "PATH: no such configuration file". On error
 * *ret_error says why (g_free(); the caller puts its name before it) and *ret is unchanged.
 * Warnings (a user's value for a locked key) are logged with g_warning(), one each. */
int sitlog_config_load(const char *opt_config, struct sitlog_config *ret, char **ret_error);

/* What a load found besides the values: where each value came from, the locks, and the
 * warnings. Owned by the caller: config_info_free() (NULL is fine). */
struct config_info;

void config_info_free(struct config_info *info);

/* The same as sitlog_config_load(), but nothing is logged: the warnings are in *ret_info
 * (config_info_get_warnings()). ret_info may be NULL (the warnings are then dropped); it is
 * written only on success. */
int sitlog_config_load_full(const char *opt_config, struct sitlog_config *ret,
			    struct config_info **ret_info, char **ret_error);

/* The layers with the directories given instead of SITLOG_SYSTEM_CONFIG_DIR (system_dir),
 * $XDG_CONFIG_DIRS (env_dirs, most important first, NULL-terminated) and $XDG_CONFIG_HOME
 * (user_dir), and opt_config as --config (NULL: none): for tests. */
int config_load_layers(const char *system_dir, const char *const *env_dirs, const char *user_dir,
		       const char *opt_config, struct sitlog_config *ret,
		       struct config_info **ret_info, char **ret_error);

/* The load's warnings in the order found, each "FILE:LINE: ..., ignoring"; NULL-terminated,
 * owned by info. */
const char *const *config_info_get_warnings(const struct config_info *info);

/* Where a value comes from: file NULL for the shipped default; lock_file non-NULL when an
 * admin file locks the key (or its section) at lock_file:lock_line. The strings are owned by
 * the info. */
struct config_origin {
	const char *file;
	unsigned line;
	const char *lock_file;
	unsigned lock_line;
};

/* -ENOENT for a key the parser does not know. */
int config_info_get_origin(const struct config_info *info, const char *section, const char *key,
			   struct config_origin *ret);

enum config_format {
	CONFIG_FORMAT_TEXT, /* a sitlog.conf, "# FILE:LINE" or "# default" above each value */
	CONFIG_FORMAT_JSON, /* {"values": [{"section", "key", "value", "source", ...}, ...]} */
};

/* Every effective value, the defaults included, in the file's own syntax and units
 * (remind_after=30min), with where it came from and its lock; the text form reads back as
 * the same configuration. For `sitlogd --print-config` and `sitlog config`. g_free(). */
char *config_format(const struct sitlog_config *c, const struct config_info *info,
		    enum config_format format);
