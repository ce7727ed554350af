#!/usr/bin/env bash
# Quick start 1: build sitlog, replay a recorded workday of a seat sensor into a throwaway
# database and show the day's report. No sensor needed; the same output at any hour, in any
# time zone (the replay starts at a fixed local time).
set -euo pipefail
cd "$(dirname "$0")/.."

# Quiet when all goes well; everything meson and the compiler said when not.
quietly() {
	local out
	if ! out=$("$@" 2>&1); then
		printf '%s\n' "$out" >&2
		echo "scripts/demo.sh: failed: $*" >&2
		exit 1
	fi
}

scripts/deps.sh
if [ ! -f build/meson-private/coredata.dat ]; then
	echo "Building sitlog in build/ ..."
	quietly meson setup build
fi
quietly meson compile -C build

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "Replaying tests/data/workday.evemu (a chair switch over one office day, from 08:30 local"
echo "time) into a throwaway database:"
build/daemon/sitlogd --replay tests/data/workday.evemu --replay-start 2026-03-02T08:30:00 \
	--db "$tmp/sitlog.db"
echo
build/cli/sitlog --db "$tmp/sitlog.db" report --since 2026-03-02 --until 2026-03-02
