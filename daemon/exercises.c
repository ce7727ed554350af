/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <string.h>

#include "exercises.h"
#include "exercises-resources.h"

struct catalogue {
	GPtrArray *items; /* struct exercise *, in file order; ids unique */
};

static void
exercise_free(gpointer data)
{
	struct exercise *e = data;

	g_free(e->id);
	g_free(e->name);
	g_free(e->how);
	g_free(e->dose);
	g_free(e->why);
	g_free(e);
}

void
catalogue_free(struct catalogue *c)
{
	if (!c)
		return;
	g_ptr_array_unref(c->items);
	g_free(c);
}

static int
find(const struct catalogue *c, const char *id)
{
	for (guint i = 0; i < c->items->len; i++)
		if (g_str_equal(((struct exercise *) c->items->pdata[i])->id, id))
			return (int) i;
	return -1;
}

/* What GKeyFile would refuse without a line number, or hand back as NULL: text that is not
 * UTF-8, and an escape other than \s \n \t \r \\ (GLib 2.74 also sets its GError twice for
 * "\q ... \" at a line's end). */
static int
check_lines(const char *what, const char *text, char **ret_error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (unsigned n = 0; lines[n]; n++) {
		const char *eq = strchr(lines[n], '=');

		if (!g_utf8_validate(lines[n], -1, NULL)) {
			*ret_error = g_strdup_printf("%s:%u: not valid UTF-8", what, n + 1);
			return -EINVAL;
		}
		if (!eq || g_str_has_prefix(g_strchug(lines[n]), "#"))
			continue;
		for (const char *b = strchr(eq + 1, '\\'); b; b = strchr(b + 2, '\\'))
			if (!b[1] || !strchr("sntr\\", b[1])) {
				*ret_error = g_strdup_printf("%s:%u: a bad escape sequence \"\\%.1s\" "
							     "(\\\\ for a backslash)", what, n + 1,
							     b + 1);
				return -EINVAL;
			}
	}
	return 0;
}

static int
merge(struct catalogue *c, const char *what, const char *text, char **ret_error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) groups = NULL;
	int r;

	r = check_lines(what, text, ret_error);
	if (r < 0)
		return r;
	if (!g_key_file_load_from_data(kf, text, (gsize) -1, G_KEY_FILE_NONE, &error)) {
		*ret_error = g_strdup_printf("%s: %s", what, error->message);
		return -EINVAL;
	}
	if (g_key_file_get_boolean(kf, "Catalogue", "replace", NULL))
		g_ptr_array_set_size(c->items, 0);
	groups = g_key_file_get_groups(kf, NULL);
	for (size_t g = 0; groups[g]; g++) {
		static const char *const fields[] = { "name", "kind", "how", "dose", "why" };
		g_autofree char *kind = NULL;
		struct exercise *e;
		int at;

		if (g_str_equal(groups[g], "Catalogue"))
			continue;
		for (size_t f = 0; f < G_N_ELEMENTS(fields); f++) {
			g_autofree char *v = g_key_file_get_string(kf, groups[g], fields[f], NULL);

			if (!v || !*g_strstrip(v)) {
				*ret_error = g_strdup_printf("%s: [%s]: %s= is missing or empty", what,
							     groups[g], fields[f]);
				return -EINVAL;
			}
		}
		kind = g_strstrip(g_key_file_get_string(kf, groups[g], "kind", NULL));
		if (!g_str_equal(kind, "lengthen") && !g_str_equal(kind, "strengthen")) {
			*ret_error = g_strdup_printf("%s: [%s]: kind=%s: expected lengthen or "
						     "strengthen", what, groups[g], kind);
			return -EINVAL;
		}
		e = g_new0(struct exercise, 1);
		e->id = g_strdup(groups[g]);
		e->kind = g_str_equal(kind, "lengthen") ? EXERCISE_LENGTHEN : EXERCISE_STRENGTHEN;
		e->name = g_strstrip(g_key_file_get_string(kf, groups[g], "name", NULL));
		e->how = g_strstrip(g_key_file_get_string(kf, groups[g], "how", NULL));
		e->dose = g_strstrip(g_key_file_get_string(kf, groups[g], "dose", NULL));
		e->why = g_strstrip(g_key_file_get_string(kf, groups[g], "why", NULL));
		at = find(c, e->id);
		if (at >= 0) {
			exercise_free(c->items->pdata[at]);
			c->items->pdata[at] = e;
		} else {
			g_ptr_array_add(c->items, e);
		}
	}
	return 0;
}

static int
merge_file(struct catalogue *c, const char *path, char **ret_error)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error)) {
		if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return -ENOENT;
		*ret_error = g_strdup_printf("%s: %s", path, error->message);
		return -EIO;
	}
	return merge(c, path, text, ret_error);
}

int
catalogue_load(const char *path, struct catalogue **ret, char **ret_error)
{
	struct catalogue *c = g_new0(struct catalogue, 1);
	int r = 0;

	c->items = g_ptr_array_new_with_free_func(exercise_free);
	if (path) {
		r = merge_file(c, path, ret_error);
		if (r == -ENOENT)
			*ret_error = g_strdup_printf("%s: no such file", path);
	} else {
		g_autoptr(GBytes) builtin = g_resource_lookup_data(
			sitlog_exercises_get_resource(), "/org/sitlog/data/exercises.ini",
			G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
		const char *const *dirs = g_get_system_config_dirs();
		guint n = g_strv_length((char **) dirs);

		g_assert(builtin);
		{
			g_autofree char *text = g_strndup(g_bytes_get_data(builtin, NULL),
							  g_bytes_get_size(builtin));

			r = merge(c, "built-in exercises.ini", text, ret_error);
		}
		/* admin files, least important first, then the user's */
		while (r >= 0 && n-- > 0) {
			g_autofree char *p = g_build_filename(dirs[n], "sitlog", "exercises.ini", NULL);

			r = merge_file(c, p, ret_error);
			if (r == -ENOENT)
				r = 0;
		}
		if (r >= 0) {
			g_autofree char *p = g_build_filename(g_get_user_config_dir(), "sitlog",
							      "exercises.ini", NULL);

			r = merge_file(c, p, ret_error);
			if (r == -ENOENT)
				r = 0;
		}
	}
	if (r >= 0 && c->items->len == 0) {
		*ret_error = g_strdup("the exercise catalogue is empty");
		r = -EINVAL;
	}
	if (r < 0) {
		catalogue_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

unsigned
catalogue_count(const struct catalogue *c, enum exercise_kind kind)
{
	unsigned n = 0;

	for (guint i = 0; i < c->items->len; i++)
		n += ((struct exercise *) c->items->pdata[i])->kind == kind;
	return n;
}

const struct exercise *
catalogue_get(const struct catalogue *c, enum exercise_kind kind, unsigned i)
{
	for (guint k = 0; k < c->items->len; k++) {
		const struct exercise *e = c->items->pdata[k];

		if (e->kind == kind && i-- == 0)
			return e;
	}
	return NULL;
}

const struct exercise *
rotation_next(struct rotation *r, const struct catalogue *c)
{
	enum exercise_kind kind = r->next_kind;
	unsigned n;

	if (catalogue_count(c, kind) == 0)
		kind = (enum exercise_kind) !kind; /* a catalogue of one kind only */
	n = catalogue_count(c, kind);
	if (n == 0)
		return NULL;
	r->next_kind = (enum exercise_kind) !kind;
	return catalogue_get(c, kind, r->pos[kind]++ % n);
}

const struct exercise *
rotation_next_balanced(struct rotation *r, const struct catalogue *c,
		       const unsigned done[_EXERCISE_KIND_MAX])
{
	if (done[EXERCISE_LENGTHEN] < done[EXERCISE_STRENGTHEN])
		r->next_kind = EXERCISE_LENGTHEN;
	else if (done[EXERCISE_STRENGTHEN] < done[EXERCISE_LENGTHEN])
		r->next_kind = EXERCISE_STRENGTHEN;
	return rotation_next(r, c);
}

const struct exercise *
catalogue_find(const struct catalogue *c, const char *id)
{
	if (!c || !id)
		return NULL;
	for (guint k = 0; k < c->items->len; k++) {
		const struct exercise *e = c->items->pdata[k];

		if (g_str_equal(e->id, id))
			return e;
	}
	return NULL;
}
