/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "rollup.h"

#define HOUR_MS ((int64_t) 3600 * 1000)
#define KEY_ZONE "rollup-zone"
#define KEY_RULES "rollup-rules"
/* months computed at once by a rebuild: bounds the memory, not the result */
#define REBUILD_MONTHS 12

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t
floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* GLib's Julian day of 1970-01-01 */
#define JULIAN_EPOCH 719163

/* As g_date_time_new_local(y, m, d, 0, 0, 0) does it (a midnight that a DST change skips
 * moves as GLib moves it), without a GDateTime, a zone lookup and a lock per day. */
static int64_t
midnight_ms(GTimeZone *tz, uint32_t julian)
{
	gint64 t = ((gint64) julian - JULIAN_EPOCH) * 86400;
	gint i = g_time_zone_adjust_time(tz, G_TIME_TYPE_STANDARD, &t);

	return (t - g_time_zone_get_offset(tz, i)) * 1000;
}

int64_t
rollup_day_start_ms(const GDate *d)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();

	return midnight_ms(tz, g_date_get_julian(d));
}

void
rollup_day_starts(const GDate *first, unsigned n, int64_t *ret)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	uint32_t j = g_date_get_julian(first);

	for (unsigned i = 0; i <= n; i++)
		ret[i] = midnight_ms(tz, j + i);
}

char *
rollup_zone_id(void)
{
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();

	return g_strdup(g_time_zone_get_identifier(tz));
}

/* The local date of an instant, as a Julian day number. */
static uint32_t
julian_of(GTimeZone *tz, int64_t ms)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(floor_div(ms, 1000));
	g_autoptr(GDateTime) local = dt ? g_date_time_to_timezone(dt, tz) : NULL;
	GDate d;

	if (!local)
		return 0;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay) g_date_time_get_day_of_month(local),
		       (GDateMonth) g_date_time_get_month(local),
		       (GDateYear) g_date_time_get_year(local));
	return g_date_get_julian(&d);
}

void
rollup_add_hours(GTimeZone *tz, int64_t a, int64_t b, int64_t slots[24])
{
	while (a < b) {
		int64_t sec = floor_div(a, 1000), local, next, last_sec;
		gint i = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, sec);
		int hour;

		local = a + (int64_t) g_time_zone_get_offset(tz, i) * 1000;
		hour = (int) floor_mod(floor_div(local, HOUR_MS), 24);
		next = a + (HOUR_MS - floor_mod(local, HOUR_MS));
		/* an offset change inside this hour (a zone whose transitions are not on the hour):
		 * cut there, at the first second of the new interval */
		last_sec = floor_div(MIN(next, b) - 1, 1000);
		if (last_sec > sec &&
		    g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, last_sec) != i) {
			int64_t lo = sec, hi = last_sec; /* lo in i, hi not */

			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				if (g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, mid) == i)
					lo = mid;
				else
					hi = mid;
			}
			next = hi * 1000;
		}
		next = MIN(next, b);
		slots[hour] += next - a;
		a = next;
	}
}

/* The day of starts[] (n days) that holds t, or -1. */
static int
day_index(unsigned n, const int64_t *starts, int64_t t)
{
	int lo = 0, hi = (int) n - 1;

	if (t < starts[0] || t >= starts[n])
		return -1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (starts[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int
prepare(struct store *s, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, ret, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(s, rc, "preparing a query");
}

/* Bind a and b to ?1 and ?2, as far as the statement has them: an SQLite result code. */
static int
bind2(sqlite3_stmt *st, int64_t a, int64_t b)
{
	int rc = SQLITE_OK;

	if (sqlite3_bind_parameter_count(st) >= 1)
		rc = sqlite3_bind_int64(st, 1, a);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 2)
		rc = sqlite3_bind_int64(st, 2, b);
	return rc;
}

/* Bind ?1, ?2 and step to the end with row() for each row. */
static int
each_row(struct store *s, const char *sql, int64_t a, int64_t b,
	 int (*row)(sqlite3_stmt *st, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = prepare(s, sql, &st), rc;

	if (r < 0)
		return r;
	rc = bind2(st, a, b);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			r = row(st, userdata);
			if (r < 0)
				break;
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	return rc == SQLITE_OK || rc == SQLITE_ROW ? 0 : store_fail(s, rc, "reading");
}

struct raw_ctx {
	unsigned n;
	const int64_t *starts;
	int64_t prolonged_ms;
	struct rollup_day *days;
	rollup_hours *day_hours;
	int64_t *prolonged_hours;
	GTimeZone *tz;
};

static int
raw_segment(sqlite3_stmt *st, void *userdata)
{
	struct raw_ctx *c = userdata;
	int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
	int p = posture_from_string((const char *) sqlite3_column_text(st, 2));
	const char *role = (const char *) sqlite3_column_text(st, 3);
	bool worn = role && strcmp(role, "imu") == 0;
	int i = day_index(c->n, c->starts, MAX(a, c->starts[0]));

	if (p < 0 || p == POSTURE_UNKNOWN || i < 0)
		return 0;
	for (; i < (int) c->n && c->starts[i] < b; i++) {
		struct rollup_day *d = &c->days[i];
		int64_t ms = MIN(b, c->starts[i + 1]) - MAX(a, c->starts[i]);

		if (ms <= 0)
			continue;
		if (p == POSTURE_SITTING)
			d->sitting_ms += ms;
		else if (p == POSTURE_AWAY)
			d->away_ms += ms;
		if (worn) {
			d->measured_ms += ms;
			if (p == POSTURE_STANDING || p == POSTURE_WALKING)
				d->upright_ms += ms;
		}
	}
	return 0;
}

static int
raw_bout(sqlite3_stmt *st, void *userdata)
{
	struct raw_ctx *c = userdata;
	int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1), len = b - a;
	const char *ended_by = (const char *) sqlite3_column_text(st, 2);
	int i = day_index(c->n, c->starts, a), k = rollup_class(len);
	struct rollup_day *d;

	if (i < 0)
		return 0;
	d = &c->days[i];
	d->bouts++;
	d->longest_ms = MAX(d->longest_ms, len);
	d->breaks += ended_by && strcmp(ended_by, "break") == 0;
	d->class_n[k]++;
	d->class_ms[k] += len;
	if (c->day_hours)
		rollup_add_hours(c->tz, a, b, c->day_hours[i][k]);
	if (len >= c->prolonged_ms) {
		d->prolonged++;
		if (c->prolonged_hours)
			rollup_add_hours(c->tz, a, b, c->prolonged_hours);
	}
	return 0;
}

static int
raw_prompt(sqlite3_stmt *st, void *userdata)
{
	struct raw_ctx *c = userdata;
	int i = day_index(c->n, c->starts, sqlite3_column_int64(st, 0));

	if (i < 0)
		return 0;
	c->days[i].prompts++;
	c->days[i].heeded += sqlite3_column_int(st, 1) != 0;
	return 0;
}

int
rollup_compute_raw(struct store *s, unsigned n, const int64_t *starts, int64_t prolonged_ms,
		   struct rollup_day *ret_days, rollup_hours *ret_day_hours,
		   int64_t add_prolonged_hours[24])
{
	struct raw_ctx c = {
		.n = n, .starts = starts, .prolonged_ms = prolonged_ms, .days = ret_days,
		.day_hours = ret_day_hours, .prolonged_hours = add_prolonged_hours,
	};
	int r;

	memset(ret_days, 0, sizeof(*ret_days) * n);
	if (ret_day_hours)
		memset(ret_day_hours, 0, sizeof(*ret_day_hours) * n);
	for (unsigned i = 0; i < n; i++) {
		ret_days[i].start_ms = starts[i];
		ret_days[i].end_ms = starts[i + 1];
	}
	if (n == 0)
		return 0;
	c.tz = g_time_zone_new_local();
	r = each_row(s,
		     "SELECT s.start_ms, s.end_ms, s.posture, d.role FROM segments s "
		     "LEFT JOIN devices d ON d.id = s.device_id "
		     "WHERE s.end_ms > ?1 AND s.start_ms < ?2",
		     starts[0], starts[n], raw_segment, &c);
	if (r >= 0)
		r = each_row(s,
			     "SELECT start_ms, end_ms, ended_by FROM bouts "
			     "WHERE start_ms >= ?1 AND start_ms < ?2",
			     starts[0], starts[n], raw_bout, &c);
	/* prompts that fell due while paused are kept, not counted (DESIGN.md); nor are the
	 * day's pace prompts and summaries (reason budget, summary): they are not a bout's */
	if (r >= 0)
		r = each_row(s,
			     "SELECT t_ms, heeded FROM prompts WHERE t_ms >= ?1 AND t_ms < ?2 "
			     "AND reason NOT IN ('suppressed', 'budget', 'summary')",
			     starts[0], starts[n], raw_prompt, &c);
	g_time_zone_unref(c.tz);
	return r;
}

/* ---- the roll-up's rows ---- */

static int
state_matches(struct store *s, const char *key, const char *want, bool *ret)
{
	g_autofree char *value = NULL;
	int r = store_state_get(s, key, &value);

	if (r == -ENOENT) {
		*ret = false;
		return 0;
	}
	if (r < 0)
		return r;
	*ret = g_strcmp0(value, want) == 0;
	return 0;
}

static int
usable_in(struct store *s, const char *zone, bool *ret)
{
	bool zone_ok = false, rules_ok = false;
	int r = state_matches(s, KEY_ZONE, zone, &zone_ok);

	if (r >= 0)
		r = state_matches(s, KEY_RULES, G_STRINGIFY(ROLLUP_RULES), &rules_ok);
	if (r < 0)
		return r;
	*ret = zone_ok && rules_ok;
	return 0;
}

int
rollup_usable(struct store *s, bool *ret)
{
	g_autofree char *zone = rollup_zone_id();

	return usable_in(s, zone, ret);
}

struct dirty_ctx {
	rollup_dirty_cb cb;
	void *userdata;
};

static int
dirty_row(sqlite3_stmt *st, void *userdata)
{
	struct dirty_ctx *c = userdata;

	return c->cb(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), c->userdata);
}

int
rollup_foreach_dirty(struct store *s, rollup_dirty_cb cb, void *userdata)
{
	struct dirty_ctx c = { cb, userdata };

	return each_row(s, "SELECT from_ms, to_ms FROM rollup_dirty", 0, 0, dirty_row, &c);
}

/* ---- a day's row: unsigned LEB128 numbers (004-rollup.sql) ---- */

static void
put_varint(GByteArray *out, uint64_t v)
{
	guint8 buf[10];
	guint n = 0;

	do {
		buf[n] = (guint8) (v & 0x7f);
		v >>= 7;
		if (v)
			buf[n] |= 0x80;
		n++;
	} while (v);
	g_byte_array_append(out, buf, n);
}

static bool
get_varint(const guint8 **p, const guint8 *end, uint64_t *ret)
{
	uint64_t v = 0;

	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		guint8 b = *(*p)++;

		v |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*ret = v;
			return true;
		}
	}
	return false;
}

/* A day's figures: start_ms as a 64-bit number, then FIG_NUMBERS 32-bit ones, then per hour
 * slot one byte and a 32-bit number; all little-endian (004-rollup.sql). Fixed widths: a
 * report over years decodes a day in a few loads. */
#define FIG_NUMBERS 18
#define FIG_HEAD (8 + 4 * FIG_NUMBERS)
#define FIG_SLOT 5

static void
put_u32(GByteArray *out, uint32_t v)
{
	v = GUINT32_TO_LE(v);
	g_byte_array_append(out, (const guint8 *) &v, 4);
}

static uint32_t
get_u32(const guint8 *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return GUINT32_FROM_LE(v);
}

/* false when a number does not fit (a bout of weeks): the day is then kept without figures,
 * and readers compute it from the raw tables */
static bool
encode_day(const struct rollup_day *d, rollup_hours *hours, GByteArray *out)
{
	const int64_t v[FIG_NUMBERS] = {
		d->end_ms - d->start_ms, d->sitting_ms, d->upright_ms, d->measured_ms, d->away_ms,
		d->bouts, d->longest_ms, d->breaks, d->prompts, d->heeded,
		d->class_n[0], d->class_n[1], d->class_n[2], d->class_n[3],
		d->class_ms[0], d->class_ms[1], d->class_ms[2], d->class_ms[3],
	};
	guint64 start = GUINT64_TO_LE((guint64) d->start_ms);

	g_byte_array_append(out, (const guint8 *) &start, 8);
	for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
		if (v[i] < 0 || v[i] > UINT32_MAX)
			return false;
		put_u32(out, (uint32_t) v[i]);
	}
	for (int k = 1; k < ROLLUP_CLASSES; k++)
		for (int h = 0; h < 24; h++) {
			int64_t ms = (*hours)[k][h];
			guint8 b = (guint8) (k << 5 | h);

			if (ms == 0)
				continue;
			if (ms < 0 || ms > UINT32_MAX)
				return false;
			g_byte_array_append(out, &b, 1);
			put_u32(out, (uint32_t) ms);
		}
	return true;
}

bool
rollup_decode(const void *data, size_t size, int64_t start_ms, int64_t end_ms,
	      struct rollup_day *d, rollup_hours *hours)
{
	const guint8 *p = data;
	uint32_t v[FIG_NUMBERS];
	guint64 start;

	if (size < FIG_HEAD || (size - FIG_HEAD) % FIG_SLOT != 0)
		return false;
	memcpy(&start, p, 8);
	if ((int64_t) GUINT64_FROM_LE(start) != start_ms || get_u32(p + 8) != end_ms - start_ms)
		return false;
	/* the slots are checked whole before any is added */
	for (size_t i = FIG_HEAD; i < size; i += FIG_SLOT)
		if ((p[i] >> 5) == 0 || (p[i] >> 5) >= ROLLUP_CLASSES || (p[i] & 0x1f) >= 24)
			return false;
	for (size_t i = 0; i < FIG_NUMBERS; i++)
		v[i] = get_u32(p + 8 + 4 * i);
	*d = (struct rollup_day) {
		.start_ms = start_ms,
		.end_ms = end_ms,
		.sitting_ms = v[1],
		.upright_ms = v[2],
		.measured_ms = v[3],
		.away_ms = v[4],
		.bouts = v[5],
		.longest_ms = v[6],
		.breaks = v[7],
		.prompts = v[8],
		.heeded = v[9],
	};
	for (int k = 0; k < ROLLUP_CLASSES; k++) {
		d->class_n[k] = v[10 + k];
		d->class_ms[k] = v[14 + k];
	}
	for (size_t i = FIG_HEAD; i < size; i += FIG_SLOT)
		(*hours)[p[i] >> 5][p[i] & 0x1f] += get_u32(p + i + 1);
	return true;
}

struct day_ctx {
	rollup_day_cb cb;
	void *userdata;
};

/* The Julian day of the first of j's month, and of the next month's. */
static uint32_t
month_of(uint32_t j)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_julian(&d, j);
	return j - (g_date_get_day(&d) - 1);
}

static uint32_t
next_month(uint32_t m)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_julian(&d, m);
	g_date_add_months(&d, 1);
	return g_date_get_julian(&d);
}

/* A month's row: per day with figures, its day of the month, the length of its figures and
 * the figures (004-rollup.sql). */
static int
month_row(sqlite3_stmt *st, void *userdata)
{
	struct day_ctx *c = userdata;
	uint32_t m = (uint32_t) sqlite3_column_int64(st, 0), end = next_month(m), last = 0;
	const guint8 *p = sqlite3_column_blob(st, 1), *e, *q;
	int r = 0;

	if (!p)
		return 0;
	e = p + sqlite3_column_bytes(st, 1);
	/* checked whole first: days in order, each once, lengths inside the row */
	for (q = p; q < e;) {
		uint64_t len;
		uint32_t dom = *q++;

		if (dom <= last || m + dom - 1 >= end || !get_varint(&q, e, &len) ||
		    len > (uint64_t) (e - q)) {
			/* unreadable: none of the month's days is served */
			for (uint32_t j = m; r >= 0 && j < end; j++)
				r = c->cb(j, NULL, 0, c->userdata);
			return r;
		}
		last = dom;
		q += len;
	}
	while (r >= 0 && p < e) {
		uint64_t len = 0;
		uint32_t dom = *p++;

		(void) get_varint(&p, e, &len);
		r = c->cb(m + dom - 1, p, (size_t) len, c->userdata);
		p += len;
	}
	return r;
}

int
rollup_foreach_day(struct store *s, uint32_t first, uint32_t last, rollup_day_cb cb,
		   void *userdata)
{
	struct day_ctx c = { cb, userdata };

	return each_row(s, "SELECT month, days FROM rollup_months WHERE month >= ?1 AND "
			   "month <= ?2", month_of(first), month_of(last), month_row, &c);
}

static bool
day_is_empty(const struct rollup_day *d)
{
	return d->sitting_ms == 0 && d->upright_ms == 0 && d->measured_ms == 0 &&
	       d->away_ms == 0 && d->bouts == 0 && d->prompts == 0;
}

static int
exec1(struct store *s, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *st = NULL;
	int r = prepare(s, sql, &st), rc;

	if (r < 0)
		return r;
	rc = bind2(st, a, b);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : store_fail(s, rc, "updating the roll-up");
}

/* Recompute the months from the one of Julian day first to the one of last (in this process's
 * zone) and write their rows. */
static int
recompute(struct store *s, uint32_t first, uint32_t last)
{
	uint32_t m0 = month_of(first), m_end = next_month(month_of(last));
	unsigned n = m_end - m0;
	g_autofree int64_t *starts = g_new(int64_t, n + 1);
	g_autofree struct rollup_day *days = g_new(struct rollup_day, n);
	g_autofree rollup_hours *day_hours = g_new(rollup_hours, n);
	g_autoptr(GByteArray) row = g_byte_array_new(), fig = g_byte_array_new();
	sqlite3_stmt *st = NULL;
	int r, rc = SQLITE_OK;

	{
		GDate d;

		g_date_clear(&d, 1);
		g_date_set_julian(&d, m0);
		rollup_day_starts(&d, n, starts);
	}
	r = rollup_compute_raw(s, n, starts, INT64_MAX, days, day_hours, NULL);
	if (r >= 0)
		r = exec1(s, "DELETE FROM rollup_months WHERE month >= ?1 AND month < ?2", m0, m_end);
	if (r >= 0)
		r = prepare(s, "INSERT INTO rollup_months (month, days) VALUES (?1, ?2)", &st);
	for (uint32_t m = m0; r >= 0 && rc == SQLITE_OK && m < m_end; m = next_month(m)) {
		uint32_t end = next_month(m);

		g_byte_array_set_size(row, 0);
		for (uint32_t j = m; j < end; j++) {
			const struct rollup_day *d = &days[j - m0];
			guint8 dom = (guint8) (j - m + 1);

			if (day_is_empty(d))
				continue;
			g_byte_array_set_size(fig, 0);
			if (!encode_day(d, &day_hours[j - m0], fig))
				g_byte_array_set_size(fig, 0);
			g_byte_array_append(row, &dom, 1);
			put_varint(row, fig->len);
			g_byte_array_append(row, fig->data, fig->len);
		}
		if (row->len == 0)
			continue;
		sqlite3_reset(st);
		rc = sqlite3_bind_int64(st, 1, m);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_blob(st, 2, row->data, (int) row->len, SQLITE_STATIC);
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (r >= 0 && rc != SQLITE_OK)
		r = store_fail(s, rc, "updating the roll-up");
	return r;
}

static int
bounds_row(sqlite3_stmt *st, void *userdata)
{
	int64_t *b = userdata;

	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		b[0] = MIN(b[0], sqlite3_column_int64(st, 0));
		b[1] = MAX(b[1], sqlite3_column_int64(st, 1));
	}
	return 0;
}

int
rollup_rebuild(struct store *s)
{
	g_autofree char *zone = rollup_zone_id();
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	int64_t b[2] = { INT64_MAX, INT64_MIN };
	int r;

	r = exec1(s, "DELETE FROM rollup_months", 0, 0);
	if (r >= 0)
		r = exec1(s, "DELETE FROM rollup_dirty", 0, 0);
	/* the span of everything there is; a bout's hours lie after its start, in its row */
	if (r >= 0)
		r = each_row(s, "SELECT min(start_ms), max(end_ms) FROM segments", 0, 0, bounds_row, b);
	if (r >= 0)
		r = each_row(s, "SELECT min(start_ms), max(start_ms) FROM bouts", 0, 0, bounds_row, b);
	if (r >= 0)
		r = each_row(s, "SELECT min(t_ms), max(t_ms) FROM prompts", 0, 0, bounds_row, b);
	if (r >= 0 && b[0] <= b[1]) {
		uint32_t first = julian_of(tz, b[0]), last = julian_of(tz, b[1]);

		/* times outside GLib's dates (none that sitlogd writes): no roll-up at all, the
		 * readers use the raw tables */
		if (first == 0 || last == 0)
			return 0;
		/* a year at a time */
		for (uint32_t a = month_of(first); r >= 0 && a <= last;) {
			uint32_t next = a;

			for (int k = 0; k < REBUILD_MONTHS; k++)
				next = next_month(next);
			r = recompute(s, a, MIN(last, next - 1));
			a = next;
		}
	}
	if (r >= 0)
		r = store_state_set(s, KEY_ZONE, zone);
	if (r >= 0)
		r = store_state_set(s, KEY_RULES, G_STRINGIFY(ROLLUP_RULES));
	return r;
}

struct flush_ctx {
	GTimeZone *tz;
	GArray *days; /* uint32_t Julian days, with repeats */
};

static int
flush_dirty(int64_t from_ms, int64_t to_ms, void *userdata)
{
	struct flush_ctx *c = userdata;
	uint32_t a = julian_of(c->tz, from_ms), b = julian_of(c->tz, MAX(from_ms, to_ms));

	/* a span cannot name more days than there are between two valid times */
	for (uint32_t d = a; a > 0 && d <= b; d++)
		g_array_append_val(c->days, d);
	return 0;
}

static gint
compare_u32(gconstpointer a, gconstpointer b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

int
rollup_flush(struct store *s)
{
	g_autofree char *zone = rollup_zone_id();
	g_autoptr(GTimeZone) tz = g_time_zone_new_local();
	g_autoptr(GArray) days = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	struct flush_ctx c = { tz, days };
	bool usable = false;
	int r = usable_in(s, zone, &usable);

	if (r < 0)
		return r;
	if (!usable)
		return rollup_rebuild(s);
	r = rollup_foreach_dirty(s, flush_dirty, &c);
	if (r < 0 || days->len == 0)
		return r;
	/* the months they fall in, one run of consecutive months at a time */
	for (guint i = 0; i < days->len; i++)
		g_array_index(days, uint32_t, i) = month_of(g_array_index(days, uint32_t, i));
	g_array_sort(days, compare_u32);
	for (guint i = 0; r >= 0 && i < days->len;) {
		uint32_t a = g_array_index(days, uint32_t, i), b = a;

		for (; i < days->len && g_array_index(days, uint32_t, i) <= next_month(b); i++)
			b = MAX(b, g_array_index(days, uint32_t, i));
		r = recompute(s, a, b);
	}
	if (r >= 0)
		r = exec1(s, "DELETE FROM rollup_dirty", 0, 0);
	return r;
}
