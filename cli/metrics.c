/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "metrics.h"

/* One family per figure; `unit` non-NULL: a # UNIT line (its name ends in _unit). */
struct family {
	const char *name;
	const char *unit;
	const char *help;
};

static void
family_header(GString *out, const struct family *f)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", f->name, f->help, f->name);
	if (f->unit)
		g_string_append_printf(out, "# UNIT %s %s\n", f->name, f->unit);
}

static void
day_samples(GString *out, const char *name, int64_t today, int64_t yesterday)
{
	g_string_append_printf(out, "%s{day=\"today\"} %" G_GINT64_FORMAT "\n", name, today);
	g_string_append_printf(out, "%s{day=\"yesterday\"} %" G_GINT64_FORMAT "\n", name,
			       yesterday);
}

void
metrics_format(const struct metrics_input *in, GString *out)
{
	static const struct family sitting = {
		"sitlog_sitting_seconds", "seconds",
		"Seconds sat on the local day, split at midnight."
	};
	static const struct family bouts = {
		"sitlog_bouts", NULL, "Sitting bouts that began on the local day."
	};
	static const struct family prolonged = {
		"sitlog_prolonged_bouts", NULL,
		"Bouts that began on the local day and lasted at least [Tracking] prolonged."
	};
	static const struct family prompts = {
		"sitlog_prompts", NULL, "Break prompts shown on the local day."
	};
	static const struct family heeded = {
		"sitlog_prompts_heeded", NULL,
		"Prompts of the local day followed by a break within [Reminders] heed_window."
	};
	static const struct family upright = {
		"sitlog_upright_seconds", "seconds",
		"Seconds standing or walking on the local day, as a worn sensor measured them "
		"(no sample for a day without one)."
	};
	static const struct family bout_age = {
		"sitlog_current_bout_age_seconds", "seconds",
		"How long the open sitting bout has lasted so far (0: none open)."
	};
	static const struct family build = {
		"sitlog_build_info", NULL, "The sitlog version that wrote these metrics."
	};
	const struct report_figures *t = in->today, *y = in->yesterday;

	family_header(out, &sitting);
	day_samples(out, sitting.name, t->sitting_seconds, y->sitting_seconds);
	family_header(out, &bouts);
	day_samples(out, bouts.name, t->bouts, y->bouts);
	family_header(out, &prolonged);
	day_samples(out, prolonged.name, t->prolonged_bouts, y->prolonged_bouts);
	family_header(out, &prompts);
	day_samples(out, prompts.name, t->prompts, y->prompts);
	family_header(out, &heeded);
	day_samples(out, heeded.name, t->prompts_heeded, y->prompts_heeded);
	/* "not measured" is no sample, never 0 s upright (a seat alone cannot tell) */
	if (t->measured_seconds > 0 || y->measured_seconds > 0) {
		family_header(out, &upright);
		if (t->measured_seconds > 0)
			g_string_append_printf(out, "%s{day=\"today\"} %" G_GINT64_FORMAT "\n",
					       upright.name, t->upright_seconds);
		if (y->measured_seconds > 0)
			g_string_append_printf(out, "%s{day=\"yesterday\"} %" G_GINT64_FORMAT "\n",
					       upright.name, y->upright_seconds);
	}
	family_header(out, &bout_age);
	g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", bout_age.name,
			       MAX(in->bout_age_seconds, 0));
	family_header(out, &build);
	g_string_append_printf(out, "%s{version=\"%s\"} 1\n", build.name, VERSION);
	g_string_append(out, "# EOF\n");
}

/* The open bout among the days' bouts (there is at most one), if its heartbeat is recent. */
static int64_t
open_bout_age(const struct report *r, int64_t now_ms)
{
	for (unsigned i = 0; i < r->n_days; i++) {
		GArray *list = r->days[i].bout_list;

		for (guint k = 0; list && k < list->len; k++) {
			const struct report_bout *b = &g_array_index(list, struct report_bout, k);

			if (!b->open || now_ms - b->end_ms > METRICS_BOUT_STALE_MS)
				continue;
			return MAX(now_ms - b->start_ms + 500, 0) / 1000;
		}
	}
	return -1;
}

int
metrics_compute(struct store *s, const struct sitlog_config *c, int64_t now_ms, GString *out)
{
	g_autoptr(GDateTime) now = g_date_time_new_from_unix_local(now_ms / 1000);
	struct report r;
	GDate today, yesterday;
	struct metrics_input in;
	int err;

	if (!now)
		return -EINVAL;
	g_date_clear(&today, 1);
	g_date_set_dmy(&today, (GDateDay) g_date_time_get_day_of_month(now),
		       (GDateMonth) g_date_time_get_month(now),
		       (GDateYear) g_date_time_get_year(now));
	yesterday = today;
	g_date_subtract_days(&yesterday, 1);
	err = report_compute(s, &yesterday, &today, c->prolonged, REPORT_LISTS, &r);
	if (err < 0)
		return err;
	in = (struct metrics_input) {
		.yesterday = &r.days[0].fig,
		.today = &r.days[1].fig,
		.bout_age_seconds = open_bout_age(&r, now_ms),
	};
	metrics_format(&in, out);
	report_clear(&r);
	return 0;
}

char *
metrics_textfile_path(const struct sitlog_config *c)
{
	g_autofree char *name = g_strdup_printf("sitlog-%u.prom", (unsigned) getuid());

	return g_build_filename(c->metrics_textfile_dir, name, NULL);
}

int
metrics_write_textfile(const char *path, const char *text, char **ret_error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	/* hidden and not *.prom: the collector never reads a half-written file */
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	size_t left = strlen(text);
	const char *p = text;
	int fd, r = 0;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		*ret_error = g_strdup_printf("%s: cannot create a file there: %s", dir,
					     g_strerror(-r));
		return r;
	}
	if (fchmod(fd, 0644) < 0)
		r = -errno;
	while (r == 0 && left > 0) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		p += n;
		left -= (size_t) n;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		int saved = r;

		(void) unlink(tmp);
		*ret_error = g_strdup_printf("%s: %s", path, g_strerror(-saved));
		return saved;
	}
	return 0;
}
