/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: common/sitlog-conf.c, any bytes as a --config file (read as an admin file:
 * [Locks] too). An error names the file; a success prints (text and JSON), and the text form
 * reads back as the same configuration (sitlog-conf.h): loaded again, it prints the same
 * values.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "fuzz-util.h"
#include "sitlog-conf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* the locale and the time zone are not the input's */
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", "UTC", 1);
	/* nothing is logged on this path: a critical or a warning is a bug */
	g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
	return 0;
}

/* The text without its comment lines (they name the file and line a value came from). */
static char *
values_only(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; lines[i]; i++)
		if (lines[i][0] != '#')
			g_string_append_printf(out, "%s\n", lines[i]);
	return g_string_free(out, FALSE);
}

static void
load(const uint8_t *data, size_t size, bool *ret_ok, char **ret_text)
{
	struct config_info *info = NULL;
	struct sitlog_config c;
	char path[64], *error = NULL;
	int fd, r;

	*ret_ok = false;
	*ret_text = NULL;
	fd = fuzz_memfd(data, size, path);
	if (fd < 0)
		return;
	r = sitlog_config_load_full(path, &c, &info, &error);
	if (r < 0) {
		FUZZ_CHECK(error);
		FUZZ_CHECK(strncmp(error, path, strlen(path)) == 0);
		FUZZ_CHECK(!info);
		g_free(error);
		close(fd);
		return;
	}
	FUZZ_CHECK(!error);
	FUZZ_CHECK(c.n_devices <= SITLOG_MAX_DEVICES);
	FUZZ_CHECK(c.seat_vacant < c.seat_occupied);
	for (const char *const *w = config_info_get_warnings(info); *w; w++)
		FUZZ_CHECK(strncmp(*w, path, strlen(path)) == 0);
	g_free(config_format(&c, info, CONFIG_FORMAT_JSON));
	*ret_text = config_format(&c, info, CONFIG_FORMAT_TEXT);
	*ret_ok = true;
	config_info_free(info);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text1 = NULL, *text2 = NULL, *v1 = NULL, *v2 = NULL;
	bool ok;

	load(data, size, &ok, &text1);
	if (!ok)
		return 0;
	load((const uint8_t *) text1, strlen(text1), &ok, &text2);
	if (!ok) {
		fprintf(stderr, "the printed configuration does not load:\n%s\n", text1);
		abort();
	}
	v1 = values_only(text1);
	v2 = values_only(text2);
	if (strcmp(v1, v2) != 0) {
		fprintf(stderr, "printed, loaded and printed again differs:\n%s\n---\n%s\n", v1, v2);
		abort();
	}
	return 0;
}
