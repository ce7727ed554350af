#!/usr/bin/env bash
# docs/imu.md, "Every constant": the validation recordings' figures with each constant of the
# IMU classifier as shipped and with it varied or switched off (SITLOG_IMU_TUNING, read by
# sitlogd for this only). Prints a markdown table. Needs ../shared/data and a build:
#   scripts/imu-constants.sh BUILDDIR [quick|full]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/imu-constants.sh BUILDDIR [quick|full]}
sweep=${2:-quick}
variants=(
	""
	"movement_clip_g=0"
	"learn_coherence=0"
	"relearn_windows=1"
	"vote_s=0"
	"edge_sit_deg=90"
	"edge_sit_deg=60"
	"plane_sit_deg=90"
	"perch_plane_deg=90"
	"perch_plane_deg=20"
	"perch_plane_deg=25"
	"swing_ratio=1e9"
	"side_ratio=1e9"
	"sit_sure_deg=50"
	"sit_sure_deg=60"
	"flat_mount_deg=0"
	"learn_window_s=5"
	"learn_window_s=20"
	"relearn_deg=15"
	"relearn_deg=35"
	"gravity_tau_s=0.5"
	"gravity_tau_s=2"
)
echo "| SITLOG_IMU_TUNING | MotionSense | WISDM | DSADS |"
echo "|---|---:|---:|---:|"
for v in "${variants[@]}"; do
	out=$(SITLOG_IMU_TUNING="$v" /usr/bin/python3 tests/imu-agreement.py \
		--sitlogd "$build/daemon/sitlogd" --sitlog "$build/cli/sitlog" \
		--data ../shared/data --part validation --sweep "$sweep" || true)
	row="| ${v:-(as shipped)} |"
	for ds in MotionSense WISDM DSADS; do
		row+=$(echo "$out" | /usr/bin/python3 -c '
import re, sys
ds = sys.argv[1]
for line in sys.stdin:
    m = re.search(r"ok \d+ %s, every recording[^:]*: ([\d.]+) %% at full rate.*?worst ([\d.]+) %%.*?decision ([\d.]+) %%" % ds, line)
    if m:
        print(" %s / %s (%s %% unknown) |" % (m.group(1), m.group(2), m.group(3)), end="")
' "$ds")
	done
	echo "$row"
done
