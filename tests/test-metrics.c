/* SPDX-License-Identifier: MIT */
/*
 * The OpenMetrics text (cli/metrics.c, docs/privacy.md): every metric name and label against
 * the allow-list, upright only where measured, the open bout's age, and two different days'
 * timelines with the same totals giving the same text; then the sitlog binary ($SITLOG_BIN):
 * `export --format openmetrics` prints exactly what `--textfile` writes (0644, atomically, no
 * temporary left), nothing is written and an old file is removed when [Metrics] is off,
 * `status` says whether metrics are on, and promtool ($PROMTOOL) accepts the text. In
 * Europe/Berlin: the days compared lie on both sides of a DST change.
 */
#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "close-bout.h"
#include "metrics.h"
#include "report.h"
#include "store-fixture.h"
#include "store.h"

#define MIN_MS ((int64_t) 60 * 1000)
#define HEED_WINDOW_MS (5 * MIN_MS)

static int64_t
local_ms(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_local(y, mo, d, h, mi, s);

	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt) * 1000;
}

/* The allow-list (docs/privacy.md): every family, its labels and their values. */
static const struct allowed {
	const char *name;
	const char *label;		   /* NULL: no label */
	const char *const values[3]; /* NULL-terminated; empty: any (the version) */
} allowed[] = {
	{ "sitlog_sitting_seconds", "day", { "today", "yesterday" } },
	{ "sitlog_bouts", "day", { "today", "yesterday" } },
	{ "sitlog_prolonged_bouts", "day", { "today", "yesterday" } },
	{ "sitlog_prompts", "day", { "today", "yesterday" } },
	{ "sitlog_prompts_heeded", "day", { "today", "yesterday" } },
	{ "sitlog_upright_seconds", "day", { "today", "yesterday" } },
	{ "sitlog_current_bout_age_seconds", NULL, {} },
	{ "sitlog_build_info", "version", {} },
};

static const struct allowed *
allowed_family(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(allowed); i++)
		if (g_str_equal(allowed[i].name, name))
			return &allowed[i];
	return NULL;
}

/* Every line of text checked; the problems appended to bad, the samples counted by family. */
static void
check_text(const char *text, GString *bad, GHashTable *ret_samples)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GHashTable) typed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) helped = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* OpenMetrics: a family's lines are together, each metadata line at most once */
	g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *current = NULL;
	guint n = g_strv_length(lines);

	if (n < 2 || !g_str_equal(lines[n - 2], "# EOF") || lines[n - 1][0] != '\0')
		g_string_append(bad, "the text does not end with \"# EOF\\n\"\n");
	for (guint i = 0; i + 2 < n; i++) {
		const char *line = lines[i];
		g_auto(GStrv) words = g_strsplit(line, " ", 4);
		g_autofree char *name = NULL, *label = NULL, *value = NULL;
		const struct allowed *a;
		const char *brace;
		char *end;

		if (g_str_has_prefix(line, "# ") && g_strv_length(words) >= 3) {
			g_autofree char *key = g_strdup_printf("%s %s", words[1], words[2]);

			if (!g_hash_table_add(meta, g_strdup(key)))
				g_string_append_printf(bad, "%u: # %s twice\n", i + 1, key);
		}
		{
			g_autofree char *family = NULL;

			if (g_str_has_prefix(line, "# "))
				family = g_strdup(words[2] ? words[2] : "");
			else
				family = g_strndup(line, strcspn(line, "{ "));
			if (g_strcmp0(family, current) != 0) {
				if (g_hash_table_contains(done, family))
					g_string_append_printf(bad, "%u: %s again after another family\n",
							       i + 1, family);
				if (current)
					g_hash_table_add(done, g_steal_pointer(&current));
				current = g_strdup(family);
			}
		}
		if (g_str_has_prefix(line, "# ")) {
			if (g_strv_length(words) < 4 && !g_str_equal(words[1], "UNIT")) {
				g_string_append_printf(bad, "%u: a comment that is no HELP, TYPE or "
							    "UNIT: %s\n", i + 1, line);
				continue;
			}
			if (!allowed_family(words[2]))
				g_string_append_printf(bad, "%u: %s is not on the allow-list\n", i + 1,
						       words[2]);
			if (g_str_equal(words[1], "TYPE")) {
				if (!g_str_equal(words[3], "gauge"))
					g_string_append_printf(bad, "%u: not a gauge: %s\n", i + 1, line);
				g_hash_table_add(typed, g_strdup(words[2]));
			} else if (g_str_equal(words[1], "HELP")) {
				g_hash_table_add(helped, g_strdup(words[2]));
			} else if (g_str_equal(words[1], "UNIT")) {
				if (g_strv_length(words) != 4 || !g_str_equal(words[3], "seconds") ||
				    !g_str_has_suffix(words[2], "_seconds"))
					g_string_append_printf(bad, "%u: bad unit: %s\n", i + 1, line);
			} else {
				g_string_append_printf(bad, "%u: unknown comment: %s\n", i + 1, line);
			}
			continue;
		}
		/* NAME[{LABEL="VALUE"}] INTEGER: no timestamp, at most one label */
		brace = strchr(line, '{');
		if (brace) {
			const char *eq = strchr(brace, '=');
			const char *close = strstr(brace, "\"} ");

			if (!eq || eq[1] != '"' || !close || close < eq) {
				g_string_append_printf(bad, "%u: cannot read: %s\n", i + 1, line);
				continue;
			}
			name = g_strndup(line, (gsize) (brace - line));
			label = g_strndup(brace + 1, (gsize) (eq - brace - 1));
			value = g_strndup(eq + 2, (gsize) (close - eq - 2));
			if (strchr(value, '"') || strchr(value, ','))
				g_string_append_printf(bad, "%u: more than one label: %s\n", i + 1,
						       line);
			end = (char *) close + 3;
		} else {
			const char *space = strchr(line, ' ');

			if (!space) {
				g_string_append_printf(bad, "%u: cannot read: %s\n", i + 1, line);
				continue;
			}
			name = g_strndup(line, (gsize) (space - line));
			end = (char *) space + 1;
		}
		a = allowed_family(name);
		if (!a) {
			g_string_append_printf(bad, "%u: %s is not on the allow-list\n", i + 1, name);
			continue;
		}
		if (!g_hash_table_contains(typed, name) || !g_hash_table_contains(helped, name))
			g_string_append_printf(bad, "%u: %s has no # TYPE and # HELP before it\n",
					       i + 1, name);
		if (g_strcmp0(label, a->label) != 0)
			g_string_append_printf(bad, "%u: %s with label %s, not %s\n", i + 1, name,
					       label ? label : "(none)", a->label ? a->label : "(none)");
		else if (label && a->values[0] &&
			 !g_strv_contains((const char *const *) a->values, value))
			g_string_append_printf(bad, "%u: %s{%s=\"%s\"}: a value not allowed\n", i + 1,
					       name, label, value);
		/* a whole number and nothing after it: no timestamp */
		if (!g_ascii_isdigit(end[0]) || strspn(end, "0123456789") != strlen(end))
			g_string_append_printf(bad, "%u: the value is no plain number (or has a "
						    "timestamp): %s\n", i + 1, line);
		if (ret_samples)
			g_hash_table_replace(ret_samples, g_strdup(name),
					     GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(
						     ret_samples, name)) + 1));
	}
}

static void
assert_text_allowed(const char *text, GHashTable *ret_samples)
{
	g_autoptr(GString) bad = g_string_new(NULL);

	check_text(text, bad, ret_samples);
	if (bad->len)
		g_test_message("%s\n%s", bad->str, text);
	g_assert_cmpstr(bad->str, ==, "");
}

static void
test_metrics_allow_list(void)
{
	const struct report_figures t = {
		.sitting_seconds = 15000, .bouts = 7, .prolonged_bouts = 3, .prompts = 9,
		.prompts_heeded = 4, .upright_seconds = 3600, .measured_seconds = 20000,
	};
	const struct report_figures y = { .sitting_seconds = 1, .bouts = 1 };
	const struct metrics_input in = { .today = &t, .yesterday = &y, .bout_age_seconds = 95 };
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GHashTable) samples = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							       NULL);

	metrics_format(&in, out);
	assert_text_allowed(out->str, samples);
	/* the figures are where they belong */
	g_assert_nonnull(strstr(out->str, "\nsitlog_sitting_seconds{day=\"today\"} 15000\n"));
	g_assert_nonnull(strstr(out->str, "\nsitlog_sitting_seconds{day=\"yesterday\"} 1\n"));
	g_assert_nonnull(strstr(out->str, "\nsitlog_prompts_heeded{day=\"today\"} 4\n"));
	g_assert_nonnull(strstr(out->str, "\nsitlog_current_bout_age_seconds 95\n"));
	g_assert_nonnull(strstr(out->str, "\nsitlog_build_info{version=\"" VERSION "\"} 1\n"));
	/* upright: today measured, yesterday not (no sample, never 0) */
	g_assert_nonnull(strstr(out->str, "\nsitlog_upright_seconds{day=\"today\"} 3600\n"));
	g_assert_null(strstr(out->str, "sitlog_upright_seconds{day=\"yesterday\"}"));
	g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(samples, "sitlog_bouts")), ==, 2);
	g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(samples, "sitlog_upright_seconds")),
			 ==, 1);
	g_assert_cmpuint(g_hash_table_size(samples), ==, G_N_ELEMENTS(allowed));
}

static void
test_metrics_upright_only_when_measured(void)
{
	const struct report_figures t = { .sitting_seconds = 600, .bouts = 1 };
	const struct report_figures y = { 0 };
	const struct metrics_input in = { .today = &t, .yesterday = &y, .bout_age_seconds = -1 };
	g_autoptr(GString) out = g_string_new(NULL);

	metrics_format(&in, out);
	assert_text_allowed(out->str, NULL);
	g_assert_null(strstr(out->str, "upright"));
	g_assert_nonnull(strstr(out->str, "\nsitlog_current_bout_age_seconds 0\n"));
}

struct db {
	char *dir;
	char *path;
	struct store *s;
	int64_t device;
};

static void
db_open(struct db *d)
{
	test_store_open("sitlog-test-metrics-XXXXXX", "Chair of a person", &d->dir, &d->path,
			&d->s, &d->device);
}

static void
db_close(struct db *d)
{
	store_close(d->s);
	test_rm_rf(d->dir);
	g_free(d->path);
	g_free(d->dir);
}

/* A sitting bout [a, b) that is one segment, prompts at the offsets (ms after a, 0-ended),
 * ended by a break; then `stand` ms standing (a seat left: away). */
static void
sit(struct db *d, int64_t a, int64_t b, const int64_t *offsets)
{
	int64_t id, seg;

	g_assert_cmpint(store_segment_begin(d->s, d->device, POSTURE_SITTING, a, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(d->s, seg, b), ==, 0);
	g_assert_cmpint(store_bout_begin(d->s, a, &id), ==, 0);
	for (int k = 0; offsets && offsets[k]; k++)
		g_assert_cmpint(store_prompt_add(d->s, id, a + offsets[k], offsets[k], k, "due",
						 "none", NULL), ==, 0);
	g_assert_cmpint(test_close_bout(d->s, id, b, "break", HEED_WINDOW_MS), ==, 0);
	g_assert_cmpint(store_segment_begin(d->s, d->device, POSTURE_AWAY, b, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(d->s, seg, b + 2 * MIN_MS), ==, 0);
}

static char *
metrics_of(struct db *d, int64_t now_ms)
{
	g_autoptr(GString) out = g_string_new(NULL);
	struct sitlog_config c;

	config_init(&c);
	g_assert_cmpint(metrics_compute(d->s, &c, now_ms, out), ==, 0);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Two people (or one on two days): different times of day, different days, one across a DST
 * change, the same totals. The text must not tell them apart. */
static void
test_metrics_same_totals_same_text(void)
{
	/* prompts 30 and 40 min into a 45-min bout: the second is heeded (a break 5 min later) */
	static const int64_t prompts[] = { 30 * MIN_MS, 40 * MIN_MS, 0 };
	struct db a = {}, b = {};
	g_autofree char *ta = NULL, *tb = NULL;

	db_open(&a);
	/* yesterday 2026-03-28 (before the change to summer time), today 2026-03-29 (23 h) */
	sit(&a, local_ms(2026, 3, 28, 9, 0, 0), local_ms(2026, 3, 28, 10, 0, 0), prompts);
	sit(&a, local_ms(2026, 3, 29, 7, 10, 0), local_ms(2026, 3, 29, 7, 55, 0), prompts);
	sit(&a, local_ms(2026, 3, 29, 13, 0, 0), local_ms(2026, 3, 29, 13, 20, 0), NULL);
	ta = metrics_of(&a, local_ms(2026, 3, 29, 18, 0, 0));

	db_open(&b);
	/* another week, other hours, the bouts of today in the other order */
	sit(&b, local_ms(2026, 6, 15, 16, 30, 0), local_ms(2026, 6, 15, 17, 30, 0), prompts);
	sit(&b, local_ms(2026, 6, 16, 8, 0, 0), local_ms(2026, 6, 16, 8, 20, 0), NULL);
	sit(&b, local_ms(2026, 6, 16, 19, 5, 0), local_ms(2026, 6, 16, 19, 50, 0), prompts);
	tb = metrics_of(&b, local_ms(2026, 6, 16, 23, 59, 0));

	assert_text_allowed(ta, NULL);
	g_assert_nonnull(strstr(ta, "\nsitlog_sitting_seconds{day=\"today\"} 3900\n"));
	g_assert_nonnull(strstr(ta, "\nsitlog_sitting_seconds{day=\"yesterday\"} 3600\n"));
	g_assert_nonnull(strstr(ta, "\nsitlog_bouts{day=\"today\"} 2\n"));
	g_assert_nonnull(strstr(ta, "\nsitlog_prolonged_bouts{day=\"today\"} 1\n"));
	g_assert_nonnull(strstr(ta, "\nsitlog_prompts{day=\"yesterday\"} 2\n"));
	g_assert_nonnull(strstr(ta, "\nsitlog_prompts_heeded{day=\"today\"} 1\n"));
	g_assert_cmpstr(ta, ==, tb);

	/* and a different timeline gives a different text (the check can fail) */
	sit(&b, local_ms(2026, 6, 16, 20, 0, 0), local_ms(2026, 6, 16, 20, 10, 0), NULL);
	g_free(tb);
	tb = metrics_of(&b, local_ms(2026, 6, 16, 23, 59, 0));
	g_assert_cmpstr(ta, !=, tb);
	db_close(&a);
	db_close(&b);
}

/* The open bout's age: a duration from its start, while its heartbeat is fresh; a bout left
 * open by a dead sitlogd is none. */
static void
test_metrics_open_bout_age(void)
{
	struct db d = {};
	int64_t start = local_ms(2026, 5, 4, 10, 0, 0), id, seg;
	g_autofree char *fresh = NULL, *stale = NULL;

	db_open(&d);
	g_assert_cmpint(store_segment_begin(d.s, d.device, POSTURE_SITTING, start, &seg), ==, 0);
	g_assert_cmpint(store_segment_set_end(d.s, seg, start + 20 * MIN_MS), ==, 0);
	g_assert_cmpint(store_bout_begin(d.s, start, &id), ==, 0);
	g_assert_cmpint(store_bout_set_end(d.s, id, start + 20 * MIN_MS, NULL), ==, 0);

	fresh = metrics_of(&d, start + 20 * MIN_MS + 30 * 1000);
	assert_text_allowed(fresh, NULL);
	g_assert_nonnull(strstr(fresh, "\nsitlog_current_bout_age_seconds 1230\n"));
	stale = metrics_of(&d, start + 20 * MIN_MS + METRICS_BOUT_STALE_MS + 1000);
	g_assert_nonnull(strstr(stale, "\nsitlog_current_bout_age_seconds 0\n"));
	db_close(&d);
}

/* The binary: argv after "sitlog --db DB --config CONF". */
static int
run_sitlog(const char *db, const char *conf, char **ret_out, char **ret_err, ...)
{
	const char *bin = g_getenv("SITLOG_BIN");
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
		G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_autoptr(GSubprocess) p = NULL;
	g_autoptr(GError) error = NULL;
	va_list ap;
	const char *a;

	g_ptr_array_add(argv, (gpointer) bin);
	g_ptr_array_add(argv, (gpointer) "--db");
	g_ptr_array_add(argv, (gpointer) db);
	g_ptr_array_add(argv, (gpointer) "--config");
	g_ptr_array_add(argv, (gpointer) conf);
	va_start(ap, ret_err);
	while ((a = va_arg(ap, const char *)))
		g_ptr_array_add(argv, (gpointer) a);
	va_end(ap);
	g_ptr_array_add(argv, NULL);
	/* status must not find a daemon of the person running the tests */
	g_subprocess_launcher_setenv(l, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent",
				     TRUE);
	p = g_subprocess_launcher_spawnv(l, (const char *const *) argv->pdata, &error);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, ret_out, ret_err, &error));
	g_assert_no_error(error);
	return g_subprocess_get_if_exited(p) ? g_subprocess_get_exit_status(p) : -1;
}

static char *
write_conf(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, text, -1, &error));
	return path;
}

static char *
local_date_string(int64_t ms)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local(ms / 1000);

	return g_date_time_format(dt, "%F");
}

static void
test_metrics_cli(void)
{
	struct db d = {};
	g_autofree char *prom = NULL, *on = NULL, *off = NULL, *file = NULL, *tmp_name = NULL;
	g_autofree char *out = NULL, *err = NULL, *written = NULL, *text = NULL;
	g_autofree char *day_before = NULL, *day_after = NULL;
	int64_t now = g_get_real_time() / 1000;
	struct stat st;
	GDir *dir;
	const char *name;

	if (!g_getenv("SITLOG_BIN")) {
		g_test_skip("$SITLOG_BIN is not set (meson sets it)");
		return;
	}
	db_open(&d);
	/* closed bouts of the last hours: the text does not change while the test runs */
	sit(&d, now - 3 * 60 * MIN_MS, now - 2 * 60 * MIN_MS, (const int64_t[]) { 30 * MIN_MS, 0 });
	sit(&d, now - 90 * MIN_MS, now - 60 * MIN_MS, NULL);
	prom = g_build_filename(d.dir, "textfile", NULL);
	g_assert_cmpint(g_mkdir(prom, 0755), ==, 0);
	text = g_strdup_printf("[Locks]\nkeys=Metrics.enabled\n\n[Metrics]\nenabled=true\n"
			       "textfile_dir=%s\n", prom);
	on = write_conf(d.dir, "on.conf", text);
	g_free(text);
	text = g_strdup_printf("[Metrics]\ntextfile_dir=%s\n", prom);
	off = write_conf(d.dir, "off.conf", text);
	file = g_strdup_printf("%s/sitlog-%u.prom", prom, (unsigned) getuid());

	/* the file the timer writes is what export prints (once more if midnight came between) */
	for (int tries = 0; tries < 2; tries++) {
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		g_clear_pointer(&written, g_free);
		g_clear_pointer(&day_before, g_free);
		g_clear_pointer(&day_after, g_free);
		day_before = local_date_string(g_get_real_time() / 1000);
		g_assert_cmpint(run_sitlog(d.path, on, &out, &err, "export", "--format",
					   "openmetrics", "--textfile", NULL), ==, 0);
		g_assert_cmpstr(out, ==, "");
		g_assert_cmpstr(err, ==, "");
		g_clear_pointer(&out, g_free);
		g_clear_pointer(&err, g_free);
		g_assert_cmpint(run_sitlog(d.path, on, &out, &err, "export", "--format",
					   "openmetrics", NULL), ==, 0);
		g_assert_cmpstr(err, ==, "");
		day_after = local_date_string(g_get_real_time() / 1000);
		g_assert_true(g_file_get_contents(file, &written, NULL, NULL));
		if (g_str_equal(day_before, day_after))
			break;
	}
	g_assert_cmpstr(out, ==, written);
	assert_text_allowed(out, NULL);
	g_assert_cmpint(g_stat(file, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0644);
	/* no temporary left behind */
	dir = g_dir_open(prom, 0, NULL);
	g_assert_nonnull(dir);
	while ((name = g_dir_read_name(dir)))
		g_assert_cmpstr(name, ==, strrchr(file, '/') + 1);
	g_dir_close(dir);

	/* status says so, and where, and what */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, on, &out, &err, "status", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "\nMetrics:     on ("));
	g_assert_nonnull(strstr(out, ", locked by "));
	g_assert_nonnull(strstr(out, file));
	g_assert_nonnull(strstr(out, "sitting seconds"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, on, &out, &err, "status", "--json", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "\"metrics\":{\"enabled\":true,\"locked\":true,\"file\":"));

	/* off: --textfile writes nothing and takes the old file away; status says off */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, off, &out, &err, "export", "--format", "openmetrics",
				   "--textfile", NULL), ==, 0);
	g_assert_cmpstr(out, ==, "");
	g_assert_cmpstr(err, ==, "");
	g_assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, off, &out, &err, "status", NULL), ==, 0);
	g_assert_nonnull(strstr(out, "\nMetrics:     off (default)\n"));

	/* usage: openmetrics is today and yesterday only; --textfile only for it */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, off, &out, &err, "export", "--format", "openmetrics",
				   "--since", "2026-01-01", NULL), ==, 2);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(run_sitlog(d.path, off, &out, &err, "export", "--format", "csv",
				   "--textfile", NULL), ==, 2);

	/* a directory the user cannot write: a failure naming it, nothing half-written */
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	g_free(text);
	text = g_strdup_printf("[Metrics]\nenabled=true\ntextfile_dir=%s/missing\n", prom);
	g_free(off);
	off = write_conf(d.dir, "missing.conf", text);
	g_assert_cmpint(run_sitlog(d.path, off, &out, &err, "export", "--format", "openmetrics",
				   "--textfile", NULL), ==, 1);
	g_assert_nonnull(strstr(err, "/missing"));
	db_close(&d);
}

/* promtool check metrics reads the Prometheus text format on stdin: # UNIT and # EOF are
 * comments there; its linter checks names, HELP and TYPE. */
static void
test_metrics_promtool(void)
{
	const char *promtool = g_getenv("PROMTOOL");
	const struct report_figures t = {
		.sitting_seconds = 15000, .bouts = 7, .prolonged_bouts = 3, .prompts = 9,
		.prompts_heeded = 4, .upright_seconds = 3600, .measured_seconds = 20000,
	};
	const struct report_figures y = { .sitting_seconds = 1, .bouts = 1, .measured_seconds = 5 };
	const struct metrics_input in = { .today = &t, .yesterday = &y, .bout_age_seconds = 95 };
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GSubprocess) p = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *out = NULL, *err = NULL;

	if (!promtool || !*promtool) {
		if (g_strcmp0(g_getenv("CI"), "true") == 0)
			g_error("promtool not found (CI=true: scripts/deps.sh installs prometheus)");
		g_test_skip("promtool not found (Debian: apt-get install prometheus)");
		return;
	}
	metrics_format(&in, text);
	p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
				     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, promtool, "check",
			     "metrics", NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(p, text->str, NULL, &out, &err, &error));
	g_assert_no_error(error);
	if (!g_subprocess_get_successful(p) || *out || *err)
		g_test_message("promtool: %s%s", out, err);
	g_assert_true(g_subprocess_get_successful(p));
	g_assert_cmpstr(out, ==, "");
	g_assert_cmpstr(err, ==, "");

	/* and it can fail: a counter without _total is refused by its linter */
	g_clear_object(&p);
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
				     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, promtool, "check",
			     "metrics", NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(
		p, "# HELP sitlog_bouts x\n# TYPE sitlog_bouts counter\nsitlog_bouts 1\n", NULL,
		&out, &err, &error));
	g_assert_false(g_subprocess_get_successful(p));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/metrics/allow-list", test_metrics_allow_list);
	g_test_add_func("/metrics/upright-only-when-measured", test_metrics_upright_only_when_measured);
	g_test_add_func("/metrics/same-totals-same-text", test_metrics_same_totals_same_text);
	g_test_add_func("/metrics/open-bout-age", test_metrics_open_bout_age);
	g_test_add_func("/metrics/cli", test_metrics_cli);
	g_test_add_func("/metrics/promtool", test_metrics_promtool);
	return g_test_run();
}
