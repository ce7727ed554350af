/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The exercise catalogue (data/exercises.ini, built in, extended or replaced by
 * /etc/xdg/sitlog/exercises.ini and ~/.config/sitlog/exercises.ini) and the rotation that picks
 * the exercise of each prompt: lengthening and strengthening in turn, and within a kind every
 * exercise once before any comes again.
 */

#include <stdbool.h>

enum exercise_kind {
	EXERCISE_LENGTHEN,
	EXERCISE_STRENGTHEN,
	_EXERCISE_KIND_MAX,
};

struct exercise {
	char *id;
	char *name;
	enum exercise_kind kind;
	char *how;
	char *dose;
	char *why;
};

struct catalogue;

/* The built-in catalogue, then the admin's and the user's files (those that exist), or only
 * `path` when given. Errors name the file and, where GKeyFile allows, the section. */
int catalogue_load(const char *path, struct catalogue **ret, char **ret_error);
void catalogue_free(struct catalogue *c);
unsigned catalogue_count(const struct catalogue *c, enum exercise_kind kind);
const struct exercise *catalogue_get(const struct catalogue *c, enum exercise_kind kind,
				     unsigned i);

/* Pure: which exercise comes next. The state is two positions and the next kind; it survives
 * restarts when the caller stores it. */
struct rotation {
	enum exercise_kind next_kind;
	unsigned pos[_EXERCISE_KIND_MAX];
};

const struct exercise *rotation_next(struct rotation *r, const struct catalogue *c);

/* The balance rule (docs/semantics.md): done[k] is the number of "Done" answers to prompts of
 * kind k over the current local day and the 6 before it; the kind done less comes next, equal
 * counts take the kinds in turn. Within a kind, as rotation_next(). */
const struct exercise *rotation_next_balanced(struct rotation *r, const struct catalogue *c,
					      const unsigned done[_EXERCISE_KIND_MAX]);

/* The exercise with this id, or NULL. */
const struct exercise *catalogue_find(const struct catalogue *c, const char *id);
