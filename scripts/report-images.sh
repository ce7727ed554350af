#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's plots, made from recordings: docs/report-day.png is the bundled workday
# (tests/data/workday.evemu) replayed as scripts/demo.sh does; docs/report-week.png is a week
# in one throwaway database: the workday replayed Monday to Friday from different starts, and
# the thigh-IMU recordings of tests/gen-recordings.py on Tuesday and Thursday evenings and
# Saturday. The defaults of sitlog.conf (no user configuration), English, Europe/Berlin: the
# same images anywhere, at any hour. Not part of CI.
# Usage: scripts/report-images.sh [BUILDDIR]   (default build/; set up and built when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${1:-build}

if [ ! -x "$builddir/cli/sitlog" ] || [ ! -x "$builddir/daemon/sitlogd" ]; then
	scripts/deps.sh
	[ -f "$builddir/meson-private/coredata.dat" ] || meson setup "$builddir"
fi
meson compile -C "$builddir" >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=Europe/Berlin LC_ALL=C.UTF-8
: > "$tmp/empty.conf"
sitlogd=("$builddir/daemon/sitlogd" --config "$tmp/empty.conf")
sitlog=("$builddir/cli/sitlog" --config "$tmp/empty.conf")

replay() { # DB RECORDING START [ARGS...]
	local db=$1 rec=$2 start=$3
	shift 3
	"${sitlogd[@]}" --replay "$rec" --replay-start "$start" --db "$db" "$@" \
		>"$tmp/replay.log" 2>&1 || { cat "$tmp/replay.log" >&2; exit 1; }
}

# the day
replay "$tmp/day.db" tests/data/workday.evemu 2026-03-02T08:30:00
"${sitlog[@]}" --db "$tmp/day.db" report --since 2026-03-02 --until 2026-03-02 \
	--plot docs/report-day.png
echo "docs/report-day.png: 2026-03-02, tests/data/workday.evemu"

# the week: Monday 2026-03-02 to Sunday 2026-03-08
/usr/bin/python3 tests/gen-recordings.py --out "$tmp" --scenario imu-thigh \
	--scenario imu-thigh-next-day >/dev/null
axis() { # the axis a scenario's truth says the replay takes (none when it learns it)
	/usr/bin/python3 -c 'import json, sys
print(" ".join(json.load(open(sys.argv[1])).get("replay_args", [])))' "$1"
}
week=$tmp/week.db
for start in 2026-03-02T08:30:00 2026-03-03T07:45:00 2026-03-04T09:10:00 \
	2026-03-05T08:00:00 2026-03-06T10:20:00; do
	replay "$week" tests/data/workday.evemu "$start"
done
# shellcheck disable=SC2046 # the arguments are words
replay "$week" "$tmp/imu-thigh.evemu" 2026-03-03T17:30:00 $(axis "$tmp/imu-thigh.truth.json")
# shellcheck disable=SC2046
replay "$week" "$tmp/imu-thigh-next-day.evemu" 2026-03-05T17:00:00 \
	$(axis "$tmp/imu-thigh-next-day.truth.json")
# shellcheck disable=SC2046
replay "$week" "$tmp/imu-thigh.evemu" 2026-03-07T10:00:00 $(axis "$tmp/imu-thigh.truth.json")
"${sitlog[@]}" --db "$week" report --since 2026-03-02 --until 2026-03-08 \
	--plot docs/report-week.png
echo "docs/report-week.png: 2026-03-02 to 2026-03-08"
"${sitlog[@]}" --db "$week" report --since 2026-03-02 --until 2026-03-08
