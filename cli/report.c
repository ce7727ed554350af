/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "rollup.h"
#include "time-parse.h"

bool
report_parse_date(const char *s, GDate *ret)
{
	int64_t unused;

	return time_parse_local(s, TIME_PARSE_DATE | TIME_PARSE_DAY_WORD, g_get_real_time(),
				&unused, ret) == 0;
}

int64_t
report_day_start_ms(const GDate *d)
{
	return rollup_day_start_ms(d);
}

static int64_t
round_seconds(int64_t ms)
{
	return (ms + 500) / 1000;
}

/* The day whose [start, end) holds t, or -1. Days are few and sorted: binary search. */
static int
day_of(const struct report *r, int64_t t)
{
	int lo = 0, hi = (int) r->n_days - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (t < r->days[mid].start_ms)
			hi = mid - 1;
		else if (t >= r->days[mid].end_ms)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

/* ---- the figures of a run of days: the roll-up where it can, the raw tables elsewhere ---- */

struct range {
	uint32_t first; /* Julian day */
	unsigned n;
	const int64_t *starts; /* n + 1 local midnights */
	struct rollup_day *days;
	rollup_hours hours; /* the served days' slots, summed */
	bool *served; /* by the roll-up */
	bool *blocked; /* named by rollup_dirty: the roll-up's row may be stale */
};

static int
mark_dirty(int64_t from_ms, int64_t to_ms, void *userdata)
{
	struct range *g = userdata;

	for (unsigned i = 0; i < g->n; i++)
		if (g->starts[i] <= to_ms && g->starts[i + 1] > from_ms)
			g->blocked[i] = true;
	return 0;
}

static int
take_row(uint32_t julian, const void *fig, size_t size, void *userdata)
{
	struct range *g = userdata;
	unsigned i = julian - g->first;
	struct rollup_day *d;

	if (i >= g->n || g->blocked[i])
		return 0;
	d = &g->days[i];
	/* cut in this zone, but where this process's midnights are elsewhere (other tzdata), or
	 * unreadable: computed from the raw tables */
	if (!fig || !rollup_decode(fig, size, g->starts[i], g->starts[i + 1], d, &g->hours))
		g->blocked[i] = true;
	return 0;
}

/* The days [first, first + n) into days[], from the roll-up where it serves them (rules and
 * zone its own, no row changed since it was cut, the threshold a class boundary), from the raw
 * tables elsewhere; the prolonged bouts' spans by local hour added to hours[]. *ret_served:
 * how many days came from the roll-up. */
static int
compute_range(struct store *s, const GDate *first, unsigned n, int64_t prolonged_ms,
	      int64_t *starts, struct rollup_day *days, int64_t hours[24], unsigned *ret_served)
{
	g_autofree bool *served = g_new0(bool, n), *blocked = g_new0(bool, n);
	g_autofree struct range *gp = g_new0(struct range, 1); /* its hours are 768 bytes */
	int cls = prolonged_ms % ROLLUP_CLASS_MS == 0 ? (int) (prolonged_ms / ROLLUP_CLASS_MS) : 0;
	bool usable = false;
	unsigned n_served = 0;
	int r = 0;

	rollup_day_starts(first, n, starts);
	*gp = (struct range) { g_date_get_julian(first), n, starts, days, { { 0 } }, served,
			       blocked };
	if (cls >= 1 && cls < ROLLUP_CLASSES)
		r = rollup_usable(s, &usable);
	if (r >= 0 && usable) {
		memset(days, 0, sizeof(*days) * n);
		r = rollup_foreach_dirty(s, mark_dirty, gp);
		if (r >= 0)
			r = rollup_foreach_day(s, gp->first, gp->first + n - 1, take_row, gp);
		for (unsigned i = 0; r >= 0 && i < n; i++) {
			struct rollup_day *day = &days[i];

			if (blocked[i])
				continue;
			/* no row: a day without anything */
			day->start_ms = starts[i];
			day->end_ms = starts[i + 1];
			for (int k = cls; k < ROLLUP_CLASSES; k++)
				day->prolonged += day->class_n[k];
			served[i] = true;
			n_served++;
		}
		for (int k = cls; r >= 0 && hours && k < ROLLUP_CLASSES; k++)
			for (int h = 0; h < 24; h++)
				hours[h] += gp->hours[k][h];
	}
	/* the rest, one run of consecutive days at a time */
	for (unsigned i = 0; r >= 0 && i < n;) {
		unsigned j = i;

		if (served[i]) {
			i++;
			continue;
		}
		while (j < n && !served[j])
			j++;
		r = rollup_compute_raw(s, j - i, starts + i, prolonged_ms, days + i, NULL, hours);
		i = j;
	}
	if (r < 0)
		return r;
	*ret_served = n_served;
	return 0;
}

static void
figures_of(const struct rollup_day *d, struct report_figures *f)
{
	*f = (struct report_figures) {
		.sitting_seconds = round_seconds(d->sitting_ms),
		.upright_seconds = round_seconds(d->upright_ms),
		.measured_seconds = round_seconds(d->measured_ms),
		.away_seconds = round_seconds(d->away_ms),
		.bouts = d->bouts,
		.longest_bout_seconds = round_seconds(d->longest_ms),
		.prolonged_bouts = d->prolonged,
		.breaks = d->breaks,
		.prompts = d->prompts,
		.prompts_heeded = d->heeded,
	};
	for (int k = 0; k < _REPORT_CLASS_MAX; k++) {
		f->bouts_by_class[k] = d->class_n[k];
		f->bout_seconds_by_class[k] = round_seconds(d->class_ms[k]);
	}
	f->days_measured = f->measured_seconds > 0;
}

/* Totals are the sums of the days; longest the maximum. */
static void
add_figures(struct report_figures *t, const struct report_figures *f)
{
	t->sitting_seconds += f->sitting_seconds;
	t->upright_seconds += f->upright_seconds;
	t->measured_seconds += f->measured_seconds;
	t->away_seconds += f->away_seconds;
	t->bouts += f->bouts;
	t->longest_bout_seconds = MAX(t->longest_bout_seconds, f->longest_bout_seconds);
	t->prolonged_bouts += f->prolonged_bouts;
	for (int k = 0; k < _REPORT_CLASS_MAX; k++) {
		t->bouts_by_class[k] += f->bouts_by_class[k];
		t->bout_seconds_by_class[k] += f->bout_seconds_by_class[k];
	}
	t->breaks += f->breaks;
	t->prompts += f->prompts;
	t->prompts_heeded += f->prompts_heeded;
	t->days_measured += f->days_measured;
}

/* ---- the lists (REPORT_LISTS) ---- */

struct bout_ctx {
	struct report *r;
	usec_t prolonged;
	GHashTable *by_id; /* bout id -> struct report_bout * (in the days' arrays) */
};

static int
add_bout(const struct store_bout *b, void *userdata)
{
	struct bout_ctx *ctx = userdata;
	int i = day_of(ctx->r, b->start_ms);
	struct report_day *day;
	struct report_bout rb = {
		.id = b->id,
		.start_ms = b->start_ms,
		.end_ms = b->end_ms,
		.seconds = round_seconds(b->end_ms - b->start_ms),
		.prolonged = (usec_t) (b->end_ms - b->start_ms) * USEC_PER_MSEC >= ctx->prolonged,
		.open = b->ended_by == NULL,
	};

	if (i < 0)
		return 0;
	day = &ctx->r->days[i];
	g_array_append_val(day->bout_list, rb);
	return 0;
}

static int
add_prompt(const struct store_prompt *p, void *userdata)
{
	struct bout_ctx *ctx = userdata;
	int i = day_of(ctx->r, p->t_ms);

	/* prompts that fell due while paused are kept, not counted (DESIGN.md); nor are the
	 * day's pace prompts and summaries (not a bout's) */
	if (i < 0 || g_strcmp0(p->reason, "suppressed") == 0 || g_strcmp0(p->reason, "budget") == 0 ||
	    g_strcmp0(p->reason, "summary") == 0)
		return 0;
	{
		struct report_prompt rp = {
			.t_ms = p->t_ms,
			.bout_id = p->bout_id,
			.heeded = p->heeded,
			.reason = g_intern_string(p->reason),
			.response = g_intern_string(p->response),
		};

		g_array_append_val(ctx->r->days[i].prompt_list, rp);
	}
	/* per bout, for the table's list (a bout that began before the range is not listed) */
	{
		struct report_bout *rb = g_hash_table_lookup(ctx->by_id, &p->bout_id);

		if (rb) {
			rb->prompts++;
			rb->heeded += p->heeded;
			if (p->response) {
				g_autofree char *old = rb->responses;

				rb->responses = g_strconcat(old ? old : "", old ? ", " : "", p->response, NULL);
			}
		}
	}
	return 0;
}

static int
lists(struct store *s, struct report *r, usec_t prolonged)
{
	struct bout_ctx ctx = { .r = r, .prolonged = prolonged };
	int64_t from = r->days[0].start_ms, to = r->days[r->n_days - 1].end_ms;
	int err;

	for (unsigned i = 0; i < r->n_days; i++) {
		r->days[i].bout_list = g_array_new(FALSE, TRUE, sizeof(struct report_bout));
		r->days[i].prompt_list = g_array_new(FALSE, TRUE, sizeof(struct report_prompt));
	}
	err = store_foreach_bout(s, from, to, add_bout, &ctx);
	if (err < 0)
		return err;
	/* the bout lists are complete: index them for the prompts */
	ctx.by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	for (unsigned i = 0; i < r->n_days; i++)
		for (guint k = 0; k < r->days[i].bout_list->len; k++) {
			struct report_bout *rb = &g_array_index(r->days[i].bout_list, struct report_bout, k);

			g_hash_table_insert(ctx.by_id, &rb->id, rb);
		}
	err = store_foreach_prompt(s, from, to, add_prompt, &ctx);
	g_hash_table_unref(ctx.by_id);
	return err;
}

/* ceil: a bout of len ms is prolonged when len * 1000 >= prolonged (µs) */
static int64_t
prolonged_ms_of(usec_t prolonged)
{
	return (int64_t) MIN((prolonged + USEC_PER_MSEC - 1) / USEC_PER_MSEC, (usec_t) INT64_MAX);
}

static int
compute(struct store *s, struct report *r, usec_t prolonged, unsigned flags)
{
	int64_t prolonged_ms = prolonged_ms_of(prolonged);
	g_autofree int64_t *starts = g_new(int64_t, r->n_days + 1);
	g_autofree struct rollup_day *days = g_new(struct rollup_day, r->n_days);
	int64_t hours[24] = { 0 };
	int err;

	err = compute_range(s, &r->since, r->n_days, prolonged_ms, starts, days, hours,
			    &r->days_from_rollup);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < r->n_days; i++) {
		struct report_day *day = &r->days[i];

		day->start_ms = starts[i];
		day->end_ms = starts[i + 1];
		day->sitting_ms = days[i].sitting_ms;
		figures_of(&days[i], &day->fig);
		add_figures(&r->total, &day->fig);
	}
	for (int h = 0; h < 24; h++)
		r->prolonged_seconds_by_hour[h] = round_seconds(hours[h]);

	if (flags & REPORT_PREVIOUS) {
		GDate first = r->since;
		unsigned unused;

		/* the same number of days just before, as far back as dates go */
		if (g_date_get_julian(&first) > r->n_days) {
			g_date_subtract_days(&first, r->n_days);
			err = compute_range(s, &first, r->n_days, prolonged_ms, starts, days, NULL,
					    &unused);
			if (err < 0)
				return err;
			for (unsigned i = 0; i < r->n_days; i++) {
				struct report_figures f;

				figures_of(&days[i], &f);
				add_figures(&r->previous, &f);
			}
			r->has_previous = true;
		}
	}
	if (flags & REPORT_LISTS)
		return lists(s, r, prolonged);
	return 0;
}

int
report_compute(struct store *s, const GDate *since, const GDate *until, usec_t prolonged,
	       unsigned flags, struct report *ret)
{
	struct report r = { .since = *since, .until = *until };
	GDate d = *since;
	int err;

	if (!g_date_valid(since) || !g_date_valid(until) || g_date_compare(since, until) > 0)
		return -EINVAL;
	r.n_days = (unsigned) (g_date_days_between(since, until) + 1);
	r.days = g_new0(struct report_day, r.n_days);
	for (unsigned i = 0; i < r.n_days; i++) {
		r.days[i].date = d;
		g_date_add_days(&d, 1);
	}
	/* one snapshot: the roll-up, its dirty spans and the raw rows agree */
	err = store_read_begin(s);
	if (err >= 0) {
		err = compute(s, &r, prolonged, flags);
		if (err >= 0)
			err = store_read_end(s);
		else
			(void) store_read_end(s);
	}
	if (err < 0) {
		report_clear(&r);
		return err;
	}
	*ret = r;
	return 0;
}

void
report_clear(struct report *r)
{
	for (unsigned i = 0; i < r->n_days; i++) {
		GArray *list = r->days[i].bout_list;

		for (guint k = 0; list && k < list->len; k++)
			g_free(g_array_index(list, struct report_bout, k).responses);
		if (list)
			g_array_unref(list);
		if (r->days[i].prompt_list)
			g_array_unref(r->days[i].prompt_list);
	}
	g_free(r->days);
	r->days = NULL;
	r->n_days = 0;
}
