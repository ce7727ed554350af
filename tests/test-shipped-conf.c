/* SPDX-License-Identifier: MIT */
/*
 * data/sitlog.conf, installed as $datadir/sitlog/sitlog.conf for admins to copy: every key the
 * parser accepts appears in it once, commented out, with config_init()'s value, and nothing
 * else does; as shipped it changes nothing, and with its settings uncommented it loads and
 * still equals config_init().
 *
 * The parser is compiled into this test (not linked) for its table of known keys: a key added
 * there and not to data/sitlog.conf fails here.
 */
#include "sitlog-conf.c"

#include <stdlib.h>

static const char *conf_path;

/* Keys whose default is "unset", which no value can say: their line is "#key=", and it stays
 * commented when the others are uncommented. */
static const struct {
	const char *group, *key;
} unset_keys[] = {
	{ "IMU", "axis" }, /* unset: learned from walking; axis= is an error */
};

static const char *const shipped_device_keys[] = { "role", "id", "name", "phys" };

struct setting {
	char *group;
	char *key;
	char *value;
	unsigned line;
};

struct shipped {
	char *text;
	GPtrArray *settings; /* struct setting */
	unsigned n_device_groups;
	GString *problems; /* lines of the wrong shape, "LINE: why\n" */
};

static void
setting_free(gpointer p)
{
	struct setting *s = p;

	g_free(s->group);
	g_free(s->key);
	g_free(s->value);
	g_free(s);
}

static bool
is_key_name(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Lines are blank, prose ("#" alone or "# text"), a group header ("[Group]", or "#[Device X]"
 * for the examples), or a setting: "#key=value", no blanks around "=". */
static void
shipped_read(struct shipped *f)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = NULL;
	g_autofree char *group = NULL;

	*f = (struct shipped) {
		.settings = g_ptr_array_new_with_free_func(setting_free),
		.problems = g_string_new(NULL),
	};
	if (!g_file_get_contents(conf_path, &f->text, NULL, &error))
		g_error("%s: %s", conf_path, error->message);
	lines = g_strsplit(f->text, "\n", -1);
	for (unsigned n = 0; lines[n]; n++) {
		const char *l = lines[n], *eq;
		size_t len = strlen(l);
		struct setting *s;

		if (len == 0 || g_str_equal(l, "#") || g_str_has_prefix(l, "# "))
			continue;
		if ((l[0] == '[' || g_str_has_prefix(l, "#[Device ")) && l[len - 1] == ']') {
			g_free(group);
			group = g_strndup(strchr(l, '[') + 1, strlen(strchr(l, '[')) - 2);
			if (l[0] == '#')
				f->n_device_groups++;
			else if (is_device_group(group))
				g_string_append_printf(f->problems, "%u: [%s] not commented out\n",
						       n + 1, group);
			continue;
		}
		eq = strchr(l, '=');
		if (l[0] != '#' || !eq || !is_key_name(l + 1, eq - l - 1) ||
		    g_ascii_isspace(eq[1]) || g_ascii_isspace(l[len - 1])) {
			g_string_append_printf(f->problems,
					       "%u: neither prose (\"# ...\"), a [Group] "
					       "nor a setting (\"#key=value\"): \"%s\"\n",
					       n + 1, l);
			continue;
		}
		if (!group) {
			g_string_append_printf(f->problems, "%u: a setting before any [Group]\n",
					       n + 1);
			continue;
		}
		s = g_new0(struct setting, 1);
		s->group = g_strdup(group);
		s->key = g_strndup(l + 1, eq - l - 1);
		s->value = g_strdup(eq + 1);
		s->line = n + 1;
		g_ptr_array_add(f->settings, s);
	}
}

static void
shipped_clear(struct shipped *f)
{
	g_free(f->text);
	g_ptr_array_unref(f->settings);
	g_string_free(f->problems, TRUE);
}

static bool
is_unset_key(const char *group, const char *key)
{
	for (size_t i = 0; i < G_N_ELEMENTS(unset_keys); i++)
		if (g_str_equal(unset_keys[i].group, group) && g_str_equal(unset_keys[i].key, key))
			return true;
	return false;
}

/* The file with its settings uncommented (the examples' sections too when `devices`), but
 * those of unset_keys. */
static char *
uncommented(const struct shipped *f, bool devices)
{
	g_auto(GStrv) lines = g_strsplit(f->text, "\n", -1);
	GString *out = g_string_new(NULL);
	bool in_device = false;

	for (unsigned n = 0; lines[n]; n++) {
		const char *l = lines[n];
		struct setting *s = NULL;

		if (l[0] == '[')
			in_device = false;
		if (g_str_has_prefix(l, "#[Device ")) {
			in_device = true;
			if (devices)
				g_string_append_printf(out, "%s\n", l + 1);
			continue;
		}
		for (guint i = 0; i < f->settings->len; i++)
			if (((struct setting *) f->settings->pdata[i])->line == n + 1)
				s = f->settings->pdata[i];
		if (s && (!in_device || devices) && !is_unset_key(s->group, s->key))
			g_string_append_printf(out, "%s=%s\n", s->key, s->value);
		else
			g_string_append_printf(out, "%s\n", l);
	}
	return g_string_free(out, FALSE);
}

/* Each line of `problems` as a TAP comment, then one failure that sums them up. */
static void
fail_with(const char *what, const GString *problems)
{
	g_auto(GStrv) lines = NULL;
	unsigned n = 0;

	if (problems->len == 0)
		return;
	lines = g_strsplit(problems->str, "\n", -1);
	for (unsigned i = 0; lines[i]; i++)
		if (lines[i][0] != '\0') {
			/* "LINE: why" becomes "FILE:LINE: why" */
			g_test_message("%s:%s%s", conf_path,
				       g_ascii_isdigit(lines[i][0]) ? "" : " ", lines[i]);
			n++;
		}
	g_test_fail_printf("%s: %u problem%s (above)", what, n, n == 1 ? "" : "s");
}

static void
test_lines_have_one_shape(void)
{
	struct shipped f;

	shipped_read(&f);
	fail_with("lines of the wrong shape", f.problems);
	g_assert_cmpuint(f.settings->len, >, 0);
	shipped_clear(&f);
}

static void
test_every_key_once_and_no_other(void)
{
	g_autoptr(GString) bad = g_string_new(NULL);
	struct shipped f;

	shipped_read(&f);
	for (size_t k = 0; k < G_N_ELEMENTS(known_keys); k++) {
		unsigned count = 0;

		for (guint i = 0; i < f.settings->len; i++) {
			const struct setting *s = f.settings->pdata[i];

			count += g_str_equal(s->group, known_keys[k].group) &&
				 g_str_equal(s->key, known_keys[k].key);
		}
		if (count != 1)
			g_string_append_printf(bad, "[%s] %s appears %u times\n",
					       known_keys[k].group, known_keys[k].key, count);
	}
	for (size_t d = 0; d < G_N_ELEMENTS(shipped_device_keys); d++) {
		bool seen = false;

		for (guint i = 0; i < f.settings->len; i++) {
			const struct setting *s = f.settings->pdata[i];

			seen |= is_device_group(s->group) && g_str_equal(s->key, shipped_device_keys[d]);
		}
		if (!seen)
			g_string_append_printf(bad, "[Device ...] %s appears in no example\n",
					       shipped_device_keys[d]);
	}
	for (guint i = 0; i < f.settings->len; i++) {
		const struct setting *s = f.settings->pdata[i];
		bool known = false;

		if (is_device_group(s->group)) {
			for (size_t d = 0; d < G_N_ELEMENTS(shipped_device_keys); d++)
				known |= g_str_equal(s->key, shipped_device_keys[d]);
		} else {
			known = key_lookup(s->group, s->key) != NULL;
		}
		if (!known)
			g_string_append_printf(bad, "%u: [%s] %s is no key of the parser's\n",
					       s->line, s->group, s->key);
		if (is_unset_key(s->group, s->key) && s->value[0] != '\0')
			g_string_append_printf(bad, "%u: [%s] %s is unset by default, not %s\n",
					       s->line, s->group, s->key, s->value);
	}
	fail_with("keys", bad);
	shipped_clear(&f);
}

static size_t
field_size(enum value_kind kind)
{
	switch (kind) {
	case VALUE_DURATION:
		return sizeof(usec_t);
	case VALUE_PERCENT:
		return sizeof(double);
	case VALUE_ABS_AXIS:
	case VALUE_CLOCK:
		return sizeof(int);
	case VALUE_BOOL:
		return sizeof(bool);
	case VALUE_COUNT:
	case VALUE_DAYS:
		return sizeof(unsigned);
	case VALUE_PATH:
		return SITLOG_CONFIG_PATH_MAX;
	case VALUE_HOURS:
	case VALUE_SEAT_KEY:
	case VALUE_AXIS_VECTOR:
		break;
	}
	return 0; /* no one field: compared with the whole struct */
}

/* Loaded over config_init(), `text` leaves it as it was: named per key where the key has one
 * field, then as a whole. */
static void
assert_loads_as_defaults(const char *what, const char *text)
{
	g_autoptr(GString) bad = g_string_new(NULL);
	g_autofree char *error = NULL;
	struct sitlog_config want, got;

	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	config_init(&want);
	config_init(&got);
	if (config_load_data(&got, conf_path, text, &error) < 0) {
		g_string_append_printf(bad, "does not load: %s\n", error);
		fail_with(what, bad);
		return;
	}
	for (size_t k = 0; k < G_N_ELEMENTS(known_keys); k++) {
		size_t size = field_size(known_keys[k].kind);

		if (size && memcmp((char *) &want + known_keys[k].offset,
				   (char *) &got + known_keys[k].offset, size) != 0)
			g_string_append_printf(bad, "[%s] %s is not config_init()'s\n",
					       known_keys[k].group, known_keys[k].key);
	}
	if (bad->len == 0 && memcmp(&want, &got, sizeof(want)) != 0) {
		for (size_t i = 0; i < sizeof(want); i++)
			if (((char *) &want)[i] != ((char *) &got)[i]) {
				g_string_append_printf(bad,
						       "differs from config_init() at byte %zu "
						       "of struct sitlog_config (working_hours, "
						       "[Seat] key or [IMU] axis?)\n",
						       i);
				break;
			}
	}
	fail_with(what, bad);
}

static void
test_as_shipped_changes_nothing(void)
{
	struct shipped f;

	shipped_read(&f);
	assert_loads_as_defaults("as shipped", f.text);
	shipped_clear(&f);
}

static void
test_uncommented_values_are_the_defaults(void)
{
	struct shipped f;
	g_autofree char *text = NULL;

	shipped_read(&f);
	text = uncommented(&f, false);
	assert_loads_as_defaults("uncommented", text);
	shipped_clear(&f);
}

static void
test_device_examples_load(void)
{
	g_autofree char *text = NULL, *error = NULL;
	struct sitlog_config c;
	struct shipped f;

	shipped_read(&f);
	text = uncommented(&f, true);
	config_init(&c);
	if (config_load_data(&c, conf_path, text, &error) < 0)
		g_test_fail_printf("uncommented with the [Device] examples: %s", error);
	else
		g_assert_cmpuint(c.n_devices, ==, f.n_device_groups);
	g_assert_cmpuint(f.n_device_groups, >, 0);
	shipped_clear(&f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (argc != 2) {
		fprintf(stderr, "usage: %s [--tap] data/sitlog.conf\n", argv[0]);
		return EXIT_FAILURE;
	}
	conf_path = argv[1];
	g_test_add_func("/shipped-conf/lines-have-one-shape", test_lines_have_one_shape);
	g_test_add_func("/shipped-conf/every-key-once-and-no-other",
			test_every_key_once_and_no_other);
	g_test_add_func("/shipped-conf/as-shipped-changes-nothing",
			test_as_shipped_changes_nothing);
	g_test_add_func("/shipped-conf/uncommented-values-are-the-defaults",
			test_uncommented_values_are_the_defaults);
	g_test_add_func("/shipped-conf/device-examples-load", test_device_examples_load);
	return g_test_run();
}
