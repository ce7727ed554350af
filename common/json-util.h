/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

/* root as compact JSON (json-glib) appended to out. json-glib 1.6 (Debian 12) writes U+001F
 * raw; compact output has no control character outside strings, so every one left is escaped
 * here and the text is always valid JSON. Strings given to json-glib must be UTF-8 (see
 * json_util_valid_utf8()). */
void json_util_append(GString *out, JsonNode *root);

/* The same with gen's root (a generator kept for many small roots, as when output streams). */
void json_util_generate(GString *out, JsonGenerator *gen);

/* The escaping above, of out from byte from on: every control character becomes \u00XX. */
void json_util_escape_controls(GString *out, gsize from);

/* s as valid UTF-8 (invalid bytes become U+FFFD), for json-glib; NULL stays NULL. g_free(). */
char *json_util_valid_utf8(const char *s);

/* The members "start", "end" (ISO 8601 strings) and "start_ms", "end_ms" of a span, in the
 * object being built: the segments of export and the bouts of bouts say them alike. */
void json_util_add_span(JsonBuilder *b, const char *start, const char *end, int64_t start_ms,
			int64_t end_ms);
