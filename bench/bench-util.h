/* SPDX-License-Identifier: MIT */
#pragma once

/* What the C benchmarks print first: the machine the figures come from. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void
bench_print_machine(const char *what)
{
	char line[512], model[256] = "unknown CPU";
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(model, sizeof(model), "%s", colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	printf("%s on %s, %ld CPUs\n", what, model, sysconf(_SC_NPROCESSORS_ONLN));
}
