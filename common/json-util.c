/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "json-util.h"

void
json_util_escape_controls(GString *out, gsize from)
{
	g_autofree char *tail = NULL;
	gsize i = from, len = out->len;

	/* the usual case: nothing to escape, nothing copied */
	while (i < len && (unsigned char) out->str[i] >= 0x20)
		i++;
	if (i == len)
		return;
	tail = g_strndup(out->str + i, len - i);
	g_string_truncate(out, i);
	for (const char *p = tail, *run = tail;; p++) {
		unsigned char c = (unsigned char) *p;

		if (c >= 0x20)
			continue;
		g_string_append_len(out, run, p - run);
		if (p == tail + (len - i))
			break;
		g_string_append_printf(out, "\\u%04x", c);
		run = p + 1;
	}
}

void
json_util_generate(GString *out, JsonGenerator *gen)
{
	gsize from = out->len;

	json_generator_to_gstring(gen, out);
	json_util_escape_controls(out, from);
}

void
json_util_append(GString *out, JsonNode *root)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();

	json_generator_set_root(gen, root);
	json_util_generate(out, gen);
}

char *
json_util_valid_utf8(const char *s)
{
	return s ? g_utf8_make_valid(s, -1) : NULL;
}

void
json_util_add_span(JsonBuilder *b, const char *start, const char *end, int64_t start_ms,
		   int64_t end_ms)
{
	json_builder_set_member_name(b, "start");
	json_builder_add_string_value(b, start);
	json_builder_set_member_name(b, "end");
	json_builder_add_string_value(b, end);
	json_builder_set_member_name(b, "start_ms");
	json_builder_add_int_value(b, start_ms);
	json_builder_set_member_name(b, "end_ms");
	json_builder_add_int_value(b, end_ms);
}
