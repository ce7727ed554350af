/* SPDX-License-Identifier: MIT */
/*
 * Which configuration files are read, in which order, and with which trust (sitlog.conf(5),
 * LAYERS and LOCKS). The system's directory (SITLOG_SYSTEM_CONFIG_DIR, /etc/xdg) is read
 * whatever the environment says, and its locks bind every other file: the directories of
 * $XDG_CONFIG_DIRS, the user's files and --config.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>
#include <sys/stat.h>

#include "config-internal.h"
#include "config.h"
#include "sitlog-conf.h"

/* One file to read: its path and what it may do. */
struct layer_file {
	char *path;
	enum config_trust trust;
};

static void
layer_file_clear(gpointer p)
{
	g_free(((struct layer_file *) p)->path);
}

static void
add_file(GArray *files, char *path, enum config_trust trust)
{
	struct layer_file f = { path, trust };

	g_array_append_val(files, f);
}

/* The same directory, by device and inode where both exist (a symlink, "//etc/xdg/"). */
static bool
same_dir(const char *a, const char *b)
{
	g_autofree char *ca = g_canonicalize_filename(a, "/");
	g_autofree char *cb = g_canonicalize_filename(b, "/");
	struct stat sa, sb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return g_str_equal(ca, cb);
}

/* DIR/sitlog/sitlog.conf.d/ *.conf of each dir (lowest priority first) into by_name, a later
 * dir's file replacing an earlier one's of the same name, as systemd merges drop-ins. */
static int
collect_dropins(const char *const *dirs, size_t n_dirs, GHashTable *by_name, char **ret_error)
{
	for (size_t i = 0; i < n_dirs; i++) {
		g_autofree char *d = g_build_filename(dirs[i], "sitlog", "sitlog.conf.d", NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(GDir) dir = g_dir_open(d, 0, &error);
		const char *name;

		if (!dir) {
			if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
			    g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
				continue;
			*ret_error = g_strdup_printf("%s: %s", d, error->message);
			return -EIO;
		}
		while ((name = g_dir_read_name(dir))) {
			g_autofree char *path = NULL;

			/* like systemd: hidden files and other suffixes are not drop-ins */
			if (name[0] == '.' || !g_str_has_suffix(name, ".conf"))
				continue;
			path = g_build_filename(d, name, NULL);
			if (g_file_test(path, G_FILE_TEST_IS_DIR))
				continue;
			g_hash_table_replace(by_name, g_strdup(name), g_steal_pointer(&path));
		}
	}
	return 0;
}

static int
compare_dropins(gconstpointer a, gconstpointer b)
{
	const struct layer_file *x = a, *y = b;
	int r = strcmp(strrchr(x->path, '/') + 1, strrchr(y->path, '/') + 1);

	/* of two of the same name, the system's first: the other cannot replace (mask) it */
	return r ? r : (int) y->trust - (int) x->trust;
}

/* The drop-ins of the system's directory and of the environment's, all together by file
 * name; within each, a more important directory's file replaces a less important one's. */
static int
add_admin_dropins(GArray *files, const char *system_dir, const char *const *env_dirs,
		  size_t n_env, char **ret_error)
{
	g_autoptr(GArray) dropins = g_array_new(FALSE, FALSE, sizeof(struct layer_file));
	const char *const sys[] = { system_dir };

	for (int pass = 0; pass < 2; pass++) {
		g_autoptr(GHashTable) by_name = g_hash_table_new_full(g_str_hash, g_str_equal,
									g_free, g_free);
		GHashTableIter iter;
		gpointer value;
		int r = pass == 0 ? collect_dropins(sys, 1, by_name, ret_error) :
				    collect_dropins(env_dirs, n_env, by_name, ret_error);

		if (r < 0)
			return r;
		g_hash_table_iter_init(&iter, by_name);
		while (g_hash_table_iter_next(&iter, NULL, &value))
			add_file(dropins, g_strdup(value), pass == 0 ? CONFIG_SYSTEM : CONFIG_ADMIN);
	}
	g_array_sort(dropins, compare_dropins);
	g_array_append_vals(files, dropins->data, dropins->len);
	return 0;
}

/* The user's file, then their drop-ins by name: a layer of their own, which never replaces
 * an admin's drop-in of the same name. */
static int
add_user_files(GArray *files, const char *user_dir, char **ret_error)
{
	g_autoptr(GHashTable) by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
								g_free);
	g_autoptr(GArray) dropins = g_array_new(FALSE, FALSE, sizeof(struct layer_file));
	GHashTableIter iter;
	gpointer value;
	int r;

	add_file(files, g_build_filename(user_dir, "sitlog", "sitlog.conf", NULL), CONFIG_USER);
	r = collect_dropins(&user_dir, 1, by_name, ret_error);
	if (r < 0)
		return r;
	g_hash_table_iter_init(&iter, by_name);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		add_file(dropins, g_strdup(value), CONFIG_USER);
	g_array_sort(dropins, compare_dropins);
	g_array_append_vals(files, dropins->data, dropins->len);
	return 0;
}

/* Every file in the order read (config_load_layers()). */
static int
list_files(GArray *files, const char *system_dir, const char *const *env_dirs,
	   const char *user_dir, const char *opt_config, char **ret_error)
{
	g_autoptr(GPtrArray) env = g_ptr_array_new();
	int r;

	/* the environment's directories, least important (last listed) first, the system's
	 * own left out: it is read as the system's, once */
	for (size_t n = env_dirs ? g_strv_length((char **) env_dirs) : 0; !opt_config && n-- > 0;)
		if (*env_dirs[n] && !same_dir(env_dirs[n], system_dir))
			g_ptr_array_add(env, (gpointer) env_dirs[n]);
	add_file(files, g_build_filename(system_dir, "sitlog", "sitlog.conf", NULL),
		 CONFIG_SYSTEM);
	for (guint i = 0; i < env->len; i++)
		add_file(files, g_build_filename(env->pdata[i], "sitlog", "sitlog.conf", NULL),
			 CONFIG_ADMIN);
	r = add_admin_dropins(files, system_dir, (const char *const *) env->pdata, env->len,
			      ret_error);
	if (r < 0)
		return r;
	if (opt_config) {
		add_file(files, g_strdup(opt_config), CONFIG_ADMIN);
		return 0;
	}
	if (same_dir(user_dir, system_dir))
		return 0;
	return add_user_files(files, user_dir, ret_error);
}

int
config_load_layers(const char *system_dir, const char *const *env_dirs, const char *user_dir,
		   const char *opt_config, struct sitlog_config *ret,
		   struct config_info **ret_info, char **ret_error)
{
	g_autoptr(GArray) files = g_array_new(FALSE, FALSE, sizeof(struct layer_file));
	g_autofree char *error = NULL;
	struct config_info *info = config_info_new();
	struct sitlog_config c;
	int r;

	g_array_set_clear_func(files, layer_file_clear);
	r = list_files(files, system_dir, env_dirs, user_dir, opt_config, &error);
	/* the system's locks first: they hold over files read before the one that locks */
	for (guint i = 0; r >= 0 && i < files->len; i++) {
		const struct layer_file *f = &g_array_index(files, struct layer_file, i);

		if (f->trust == CONFIG_SYSTEM)
			r = config_load_system_locks(info, f->path, &error);
		if (r == -ENOENT)
			r = 0;
	}
	config_init(&c);
	for (guint i = 0; r >= 0 && i < files->len; i++) {
		const struct layer_file *f = &g_array_index(files, struct layer_file, i);

		r = config_load_file_as(&c, info, f->trust, f->path, &error);
		if (r == -ENOENT && opt_config && i == files->len - 1)
			error = g_strdup_printf("%s: no such configuration file", opt_config);
		else if (r == -ENOENT)
			r = 0;
	}
	if (r < 0) {
		config_info_free(info);
		if (ret_error)
			*ret_error = error ? g_steal_pointer(&error) : g_strdup(g_strerror(-r));
		return r;
	}
	config_finish(&c, info);
	*ret = c;
	if (ret_info)
		*ret_info = info;
	else
		config_info_free(info);
	return 0;
}

static void
log_warnings(const struct config_info *info)
{
	for (const char *const *w = config_info_get_warnings(info); *w; w++)
		g_warning("%s", *w);
}

int
config_load_default(struct sitlog_config *c, char **ret_error)
{
	return sitlog_config_load(NULL, c, ret_error);
}

int
sitlog_config_load_full(const char *opt_config, struct sitlog_config *ret,
			struct config_info **ret_info, char **ret_error)
{
	g_assert(ret_error);
	/* --config leaves the environment's directories out: not even asked for (GLib keeps
	 * what it first answers) */
	return config_load_layers(SITLOG_SYSTEM_CONFIG_DIR,
				  opt_config ? NULL : g_get_system_config_dirs(),
				  opt_config ? "/nonexistent" : g_get_user_config_dir(), opt_config,
				  ret, ret_info, ret_error);
}

int
sitlog_config_load(const char *opt_config, struct sitlog_config *ret, char **ret_error)
{
	struct config_info *info = NULL;
	int r = sitlog_config_load_full(opt_config, ret, &info, ret_error);

	if (r < 0)
		return r;
	log_warnings(info);
	config_info_free(info);
	return 0;
}
