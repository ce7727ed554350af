/* SPDX-License-Identifier: MIT */
/*
 * Admin locks hold against the user's environment (issue 22 item 2): the system's directory
 * (here a temporary one standing for /etc/xdg) is read whatever $XDG_CONFIG_DIRS says, its
 * locks bind $XDG_CONFIG_DIRS's files, the user's and --config's, a drop-in of the same name
 * elsewhere cannot mask its drop-ins, and each value tried against a lock is ignored with a
 * warning naming its file:line and the lock's. A locked pause or snooze bounds the D-Bus
 * calls (pause_max, snooze_max).
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sitlog-conf.h"

#define LOCKS "[Locks]\n"                                                                    \
	      "keys=Reminders.remind_after Tracking.min_segment Reminders.pause\n"           \
	      "[Reminders]\n"                                                                \
	      "remind_after=45min\n"                                                         \
	      "pause=10min\n"

struct tree {
	char *root, *sys, *env, *user;
};

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

static void
tree_init(struct tree *t)
{
	t->root = g_dir_make_tmp("sitlog-syslocks-XXXXXX", NULL);
	t->sys = g_build_filename(t->root, "sys", NULL);
	t->env = g_build_filename(t->root, "env", NULL);
	t->user = g_build_filename(t->root, "user", NULL);
	put_file(t->sys, "sitlog/sitlog.conf.d/30-locks.conf", LOCKS);
}

static void
tree_clear(struct tree *t)
{
	remove_tree(t->root);
	g_free(t->root);
	g_free(t->sys);
	g_free(t->env);
	g_free(t->user);
}

/* The warnings, with the root cut off the paths, one a line. */
static char *
warnings_of(const struct config_info *info, const char *root)
{
	g_autofree char *prefix = g_strconcat(root, "/", NULL);
	g_autoptr(GString) out = g_string_new(NULL);

	for (const char *const *w = config_info_get_warnings(info); *w; w++) {
		g_auto(GStrv) parts = g_strsplit(*w, prefix, -1);
		g_autofree char *rel = g_strjoinv("", parts);

		g_string_append_printf(out, "%s\n", rel);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
assert_locked(const struct sitlog_config *c)
{
	g_assert_cmpuint(c->remind_after, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c->min_segment, ==, 10 * USEC_PER_SEC); /* locked at its default */
	g_assert_cmpuint(c->pause, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c->pause_max, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c->snooze_max, ==, 0);
}

/* XDG_CONFIG_DIRS=/nonexistent: the system's files are read all the same. */
static void
test_locks_without_xdg_config_dirs(void)
{
	const char *const env[] = { "/nonexistent", NULL };
	struct config_info *info = NULL;
	g_autofree char *error = NULL, *got = NULL;
	struct sitlog_config c;
	struct tree t;

	tree_init(&t);
	put_file(t.user, "sitlog/sitlog.conf",
		 "[Tracking]\nmin_segment=1h\n[Reminders]\nremind_after=1min\npause=366d\n");
	g_assert_cmpint(config_load_layers(t.sys, env, t.user, NULL, &c, &info, &error), ==, 0);
	assert_locked(&c);
	got = warnings_of(info, t.root);
	g_assert_cmpstr(got, ==,
			"user/sitlog/sitlog.conf:2: [Tracking] min_segment=1h, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n"
			"user/sitlog/sitlog.conf:4: [Reminders] remind_after=1min, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n"
			"user/sitlog/sitlog.conf:5: [Reminders] pause=366d, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n");
	config_info_free(info);
	tree_clear(&t);
}

/* A directory of the user's listed first in XDG_CONFIG_DIRS, with a link to /dev/null and
 * an empty file named as the system's drop-in, values and a [Locks] of its own: nothing is
 * masked, its values for locked keys are ignored, its own locks bind only the user's files. */
static void
test_locks_against_masking_dropins(void)
{
	struct config_info *info = NULL;
	g_autofree char *error = NULL, *got = NULL, *link = NULL;
	struct sitlog_config c;
	struct tree t;

	tree_init(&t);
	{
		const char *const env[] = { t.env, t.sys, NULL };

		link = g_build_filename(t.env, "sitlog", "sitlog.conf.d", "30-locks.conf", NULL);
		put_file(t.env, "sitlog/sitlog.conf.d/10-early.conf",
			 "[Tracking]\nmin_segment=1h\n[Reminders]\nrepeat_every=20min\n");
		g_assert_cmpint(symlink("/dev/null", link), ==, 0);
		put_file(t.env, "sitlog/sitlog.conf",
			 "[Locks]\nkeys=Reminders.repeat_every\n[Reminders]\nremind_after=1min\n");
		put_file(t.user, "sitlog/sitlog.conf", "[Reminders]\nrepeat_every=1min\n");
		g_assert_cmpint(config_load_layers(t.sys, env, t.user, NULL, &c, &info, &error),
				==, 0);
	}
	assert_locked(&c);
	g_assert_cmpuint(c.repeat_every, ==, 20 * USEC_PER_MINUTE); /* the env dir's lock */
	got = warnings_of(info, t.root);
	g_assert_cmpstr(got, ==,
			"env/sitlog/sitlog.conf:4: [Reminders] remind_after=1min, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n"
			"env/sitlog/sitlog.conf.d/10-early.conf:2: [Tracking] min_segment=1h, "
			"locked by sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n"
			"user/sitlog/sitlog.conf:2: [Reminders] repeat_every=1min, locked by "
			"env/sitlog/sitlog.conf:2, ignoring\n");
	config_info_free(info);

	/* an empty file in its place instead of the link: the same */
	g_unlink(link);
	put_file(t.env, "sitlog/sitlog.conf.d/30-locks.conf", "");
	g_assert_cmpint(config_load_layers(t.sys, (const char *const[]) { t.env, NULL }, t.user,
					   NULL, &c, &info, &error), ==, 0);
	assert_locked(&c);
	config_info_free(info);
	tree_clear(&t);
}

/* --config (what systemctl --user edit can give sitlogd): the system's files first, their
 * locks hold over it; its own [Locks] are allowed; the environment is not read. */
static void
test_locks_against_opt_config(void)
{
	struct config_info *info = NULL;
	g_autofree char *error = NULL, *got = NULL, *path = NULL;
	struct sitlog_config c;
	struct tree t;

	tree_init(&t);
	path = g_build_filename(t.root, "mine.conf", NULL);
	put_file(t.root, "mine.conf",
		 "[Locks]\nkeys=Reminders.snooze\n[Reminders]\npause=366d\nsnooze=5min\n"
		 "[Tracking]\nmin_segment=1h\n");
	put_file(t.env, "sitlog/sitlog.conf", "[Reminders]\nrepeat_every=20min\n");
	g_assert_cmpint(config_load_layers(t.sys, (const char *const[]) { t.env, NULL }, t.user,
					   path, &c, &info, &error), ==, 0);
	g_assert_cmpuint(c.remind_after, ==, 45 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.pause, ==, 10 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.min_segment, ==, 10 * USEC_PER_SEC);
	g_assert_cmpuint(c.repeat_every, ==, 10 * USEC_PER_MINUTE); /* env not read */
	g_assert_cmpuint(c.snooze, ==, 5 * USEC_PER_MINUTE);
	g_assert_cmpuint(c.snooze_max, ==, 5 * USEC_PER_MINUTE); /* its own lock */
	got = warnings_of(info, t.root);
	g_assert_cmpstr(got, ==,
			"mine.conf:4: [Reminders] pause=366d, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n"
			"mine.conf:7: [Tracking] min_segment=1h, locked by "
			"sys/sitlog/sitlog.conf.d/30-locks.conf:2, ignoring\n");
	config_info_free(info);

	/* and without a system directory, --config is the admin file it always was */
	g_assert_cmpint(config_load_layers("/nonexistent", NULL, "/nonexistent", path, &c, &info,
					   &error), ==, 0);
	g_assert_cmpuint(c.pause, ==, 366 * 24 * USEC_PER_HOUR);
	g_assert_cmpuint(c.pause_max, ==, 0);
	config_info_free(info);
	g_assert_cmpint(config_load_layers("/nonexistent", NULL, "/nonexistent", "/nonexistent/x",
					   &c, &info, &error), ==, -ENOENT);
	g_assert_cmpstr(error, ==, "/nonexistent/x: no such configuration file");
	tree_clear(&t);
}

/* The system's directory named in XDG_CONFIG_DIRS too (the usual /etc/xdg) or as the user's:
 * read once, as the system's. */
static void
test_locks_system_dir_listed(void)
{
	struct config_info *info = NULL;
	g_autofree char *error = NULL;
	g_autofree char *sys_slash = NULL;
	struct sitlog_config c;
	struct tree t;

	tree_init(&t);
	sys_slash = g_strconcat(t.sys, "/", NULL);
	g_assert_cmpint(config_load_layers(t.sys, (const char *const[]) { sys_slash, NULL }, t.sys,
					   NULL, &c, &info, &error), ==, 0);
	assert_locked(&c);
	g_assert_null(config_info_get_warnings(info)[0]);
	config_info_free(info);
	tree_clear(&t);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/config/locks/without-xdg-config-dirs", test_locks_without_xdg_config_dirs);
	g_test_add_func("/config/locks/masking-dropins", test_locks_against_masking_dropins);
	g_test_add_func("/config/locks/opt-config", test_locks_against_opt_config);
	g_test_add_func("/config/locks/system-dir-listed", test_locks_system_dir_listed);
	return g_test_run();
}
