/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>
#include <stdint.h>

/* JSON string literal, quotes included. */
void output_json_string(GString *out, const char *s);

/* CSV field, quoted when it needs to be (RFC 4180). */
void output_csv_field(GString *out, const char *s);

/* Local time with milliseconds and offset: 2026-03-02T08:30:00.000+01:00 */
char *output_iso8601_ms(int64_t ms);

/* Write out to stdout; returns 0 or -errno (EPIPE is not an error worth a message). */
int output_flush(GString *out);
