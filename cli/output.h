/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

/* JSON string literal, quotes included (sitlog status --json; the report, bouts and export
 * use json-glib). */
void output_json_string(GString *out, const char *s);

/* CSV field, quoted when it needs to be (RFC 4180). */
void output_csv_field(GString *out, const char *s);

/* Local time with milliseconds and offset: 2026-03-02T08:30:00.000+01:00 */
char *output_iso8601_ms(int64_t ms);

/* A bout's end as its lists show it: local "HH:MM", and "+Nd" after it when it falls N local
 * days after the start ("01:00+1d": a bout from 23:00 to 01:00 the next day). g_free(). */
char *output_clock_after(int64_t start_ms, int64_t end_ms);

/* Write out to stdout; returns 0 or -errno (EPIPE is not an error worth a message). */
int output_flush(GString *out);

/* A string as valid UTF-8 for JSON and CSV: invalid bytes become U+FFFD (g_utf8_make_valid).
 * NULL stays NULL. g_free() the result. */
char *output_valid_utf8(const char *s);

/* root as compact JSON (json-glib) onto out; output_json_node() adds a newline. */
void output_json_append(GString *out, JsonNode *root);
void output_json_node(GString *out, JsonNode *root);

/* --color=auto|always|never */
enum output_color {
	OUTPUT_COLOR_AUTO,
	OUTPUT_COLOR_ALWAYS,
	OUTPUT_COLOR_NEVER,
};

/* NULL is auto. Returns 0 or -EINVAL. */
int output_color_parse(const char *s, enum output_color *ret);

/* auto: colour only when stdout is a terminal, $NO_COLOR is unset or empty
 * (https://no-color.org) and $TERM is set and not "dumb". */
bool output_color_enabled(enum output_color mode);

/* Is the locale's character set UTF-8 (block characters, "≥", "−")? */
bool output_utf8(void);

/* s, then blanks up to width columns (left-aligned), or blanks first (right-aligned); widths
 * in characters, so that UTF-8 text lines up. */
void output_pad(GString *out, const char *s, int width, bool right);

/* An ANSI SGR sequence ("1", "33", "1;31"), or nothing when colour is off. */
struct output_style {
	bool color;
	bool utf8;
};
void output_sgr(GString *out, const struct output_style *st, const char *code);
void output_sgr_reset(GString *out, const struct output_style *st);

/* The range options of report and bouts: --since, --until, --week, --month, --days. */
struct output_range_opts {
	char *since, *until;
	gboolean week, month;
	int days; /* G_MININT: not given */
};

/* The entries for o (terminated: at most 6 with the NULL one). */
void output_range_entries(struct output_range_opts *o, GOptionEntry ret[6]);
void output_range_opts_clear(struct output_range_opts *o);

/* A date option: 0, or -EINVAL after "sitlog: VERB: OPT VALUE: not a date (want YYYY-MM-DD)"
 * or "...: out of range (1970-01-01 to 2099-12-31)" on stderr. */
int output_parse_date_option(const char *verb, const char *opt, const char *s, GDate *ret);

/* The dates of the options (default: today); -EINVAL after a message on stderr. */
int output_range_resolve(const char *verb, const struct output_range_opts *o, GDate *ret_since,
			 GDate *ret_until);

/* Parse the command line of report or bouts (oc holds the range entries, o's) and resolve the
 * range, then check *format (table, json or csv) and *color (as parsed into them): 0, or -EINVAL after a message
 * on stderr (a usage error). o is cleared either way. */
int output_range_parse(GOptionContext *oc, const char *verb, int *argc, char ***argv,
		       struct output_range_opts *o, GDate *ret_since, GDate *ret_until,
		       char *const *format, char *const *color, enum output_color *ret_color);

/* The message for a store_open() failure, for the report, bouts and export: a missing database
 * says how to start recording. */
void output_store_open_error(int r, const char *path, const char *error);

/* Open the database read-only and compute the report of since..until (report_compute()):
 * 0, or a negative errno after the message on stderr (a missing database, nothing at all
 * recorded in the range: "VERB: nothing recorded from ... to ..."). With ret_store, the
 * store is handed back open on success (the caller closes it), for what more it reads. */
struct cli_context;
struct report;
struct store;
int output_report_open(const struct cli_context *ctx, const char *verb, const GDate *since,
		       const GDate *until, uint64_t prolonged_usec, unsigned flags,
		       struct report *ret, struct store **ret_store);
