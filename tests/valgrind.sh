#!/usr/bin/env bash
# meson test --setup=valgrind runs every test through this: a test program of ours (ELF) runs
# under valgrind; a test script (Python, shell) runs as it is, but every program of ours it is
# given as an argument (--sitlogd PATH, --sitlog PATH, ...) is swapped for a shim that runs it
# under valgrind, so sitlogd and sitlog are checked where the scripts drive them.
# Errors (invalid reads and writes, uninitialised values, definite and indirect leaks) make the
# program exit 99, which fails the test. Use a build without sanitizers (README: Development).
set -u
here=$(cd "$(dirname "$0")" && pwd)
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
    --track-origins=yes --child-silent-after-fork=yes
    --suppressions="$here/valgrind.supp")
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] &&
	vg+=(--suppressions=/usr/share/glib-2.0/valgrind/glib.supp)

is_elf() { [ -f "$1" ] && [ -x "$1" ] && [ "$(head -c 4 "$1" 2>/dev/null)" = $'\x7fELF' ]; }

if is_elf "$1" && [ "$(basename "$1")" != python3 ]; then
	exec "${vg[@]}" "$@"
fi

shims=$(mktemp -d "${TMPDIR:-/tmp}/sitlog-vg-XXXXXX")
cleanup() { rm -rf "$shims"; }
trap cleanup EXIT
args=("$1")
shift
n=0
for a in "$@"; do
	if is_elf "$a"; then
		n=$((n + 1))
		mkdir -p "$shims/$n"
		shim="$shims/$n/$(basename "$a")"
		{
			echo '#!/bin/sh'
			printf 'exec'
			printf ' %q' "${vg[@]}" "$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"
			echo ' "$@"'
		} >"$shim"
		chmod 755 "$shim"
		args+=("$shim")
	else
		args+=("$a")
	fi
done
chmod 755 "$shims"
"${args[@]}"
