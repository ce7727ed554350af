#!/usr/bin/env bash
# Quick start 1: build sitlog, replay a recorded workday of a seat sensor into a throwaway
# database and show the day's report. No sensor needed; the same output at any hour.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
if [ ! -f build/build.ninja ]; then
	meson setup build >/dev/null
fi
ninja -C build >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "Replaying tests/data/workday.evemu (a chair switch, one office day) ..."
build/daemon/sitlogd --replay tests/data/workday.evemu --replay-start 2026-03-02T08:30:00 \
	--db "$tmp/sitlog.db"
echo
build/cli/sitlog --db "$tmp/sitlog.db" report --since 2026-03-02 --until 2026-03-02
