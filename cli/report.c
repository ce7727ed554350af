/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
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
	g_autoptr(GDateTime) dt = g_date_time_new_local(g_date_get_year(d), g_date_get_month(d),
							g_date_get_day(d), 0, 0, 0);

	return g_date_time_to_unix(dt) * 1000;
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

static int
add_segment(const struct store_segment *seg, void *userdata)
{
	struct report *r = userdata;
	int i;

	if (seg->posture != POSTURE_SITTING)
		return 0;
	i = day_of(r, seg->start_ms);
	if (i < 0)
		i = 0; /* began before the range */
	for (; i < (int) r->n_days && r->days[i].start_ms < seg->end_ms; i++) {
		int64_t a = MAX(seg->start_ms, r->days[i].start_ms);
		int64_t b = MIN(seg->end_ms, r->days[i].end_ms);

		if (b > a)
			r->days[i].sitting_ms += b - a;
	}
	return 0;
}

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
	day->fig.bouts++;
	day->fig.prolonged_bouts += rb.prolonged;
	day->fig.longest_bout_seconds = MAX(day->fig.longest_bout_seconds, rb.seconds);
	day->fig.breaks += g_strcmp0(b->ended_by, "break") == 0;
	g_array_append_val(day->bout_list, rb);
	return 0;
}

static int
add_prompt(const struct store_prompt *p, void *userdata)
{
	struct bout_ctx *ctx = userdata;
	int i = day_of(ctx->r, p->t_ms);

	/* prompts that fell due while paused are kept, not counted (DESIGN.md) */
	if (i < 0 || g_strcmp0(p->reason, "suppressed") == 0)
		return 0;
	ctx->r->days[i].fig.prompts++;
	ctx->r->days[i].fig.prompts_heeded += p->heeded;
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

int
report_compute(struct store *s, const GDate *since, const GDate *until, usec_t prolonged,
	       unsigned flags, struct report *ret)
{
	struct report r = { .since = *since, .until = *until };
	struct bout_ctx ctx = { .r = &r, .prolonged = prolonged };
	int64_t from, to;
	GDate d = *since;

	(void) flags; /* lists are always filled for now */
	int err;

	if (g_date_compare(since, until) > 0)
		return -EINVAL;
	r.n_days = (unsigned) (g_date_days_between(since, until) + 1);
	r.days = g_new0(struct report_day, r.n_days);
	for (unsigned i = 0; i < r.n_days; i++) {
		GDate next = d;

		g_date_add_days(&next, 1);
		r.days[i].date = d;
		r.days[i].start_ms = report_day_start_ms(&d);
		r.days[i].end_ms = report_day_start_ms(&next);
		r.days[i].bout_list = g_array_new(FALSE, TRUE, sizeof(struct report_bout));
		r.days[i].prompt_list = g_array_new(FALSE, TRUE, sizeof(struct report_prompt));
		d = next;
	}
	from = r.days[0].start_ms;
	to = r.days[r.n_days - 1].end_ms;

	err = store_foreach_segment(s, from, to, add_segment, &r);
	if (err >= 0)
		err = store_foreach_bout(s, from, to, add_bout, &ctx);
	if (err >= 0) {
		/* the bout lists are complete: index them for the prompts */
		ctx.by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
		for (unsigned i = 0; i < r.n_days; i++)
			for (guint k = 0; k < r.days[i].bout_list->len; k++) {
				struct report_bout *rb =
					&g_array_index(r.days[i].bout_list, struct report_bout, k);

				g_hash_table_insert(ctx.by_id, &rb->id, rb);
			}
		err = store_foreach_prompt(s, from, to, add_prompt, &ctx);
		g_hash_table_unref(ctx.by_id);
	}
	if (err < 0) {
		report_clear(&r);
		return err;
	}

	for (unsigned i = 0; i < r.n_days; i++) {
		struct report_day *day = &r.days[i];

		day->fig.sitting_seconds = round_seconds(day->sitting_ms);
		r.total.sitting_seconds += day->fig.sitting_seconds;
		r.total.bouts += day->fig.bouts;
		r.total.longest_bout_seconds =
			MAX(r.total.longest_bout_seconds, day->fig.longest_bout_seconds);
		r.total.prolonged_bouts += day->fig.prolonged_bouts;
		r.total.breaks += day->fig.breaks;
		r.total.prompts += day->fig.prompts;
		r.total.prompts_heeded += day->fig.prompts_heeded;
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
