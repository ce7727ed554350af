/* SPDX-License-Identifier: MIT */
#include "json-util.h"

void
json_util_append(GString *out, JsonNode *root)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL;
	gsize len = 0;

	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, &len);
	for (gsize i = 0; i < len; i++) {
		unsigned char c = (unsigned char) text[i];

		if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (char) c);
	}
}

char *
json_util_valid_utf8(const char *s)
{
	return s ? g_utf8_make_valid(s, -1) : NULL;
}
