#!/usr/bin/env bash
# The user unit is valid (systemd-analyze verify, any stderr output is a failure) and hardened
# (systemd-analyze security: exposure 1.6 when written, at most 2.0). Skips (77) without
# systemd-analyze.
set -u
unit=$1
command -v systemd-analyze >/dev/null 2>&1 || { echo "1..0 # SKIP no systemd-analyze"; exit 77; }

dir=$(mktemp -d)
runtime=$(mktemp -d)
trap 'rm -rf "$dir" "$runtime"' EXIT
cp "$unit" "$dir/sitlogd.service"
echo "1..2"

err=$(XDG_RUNTIME_DIR=$runtime systemd-analyze verify --user --man=no "$dir/sitlogd.service" \
	2>&1 >/dev/null)
rc=$?
if [ $rc -eq 0 ] && [ -z "$err" ]; then
	echo "ok 1 systemd-analyze verify"
else
	echo "not ok 1 systemd-analyze verify (rc $rc)"
	printf '# %s\n' "$err"
fi

out=$(XDG_RUNTIME_DIR=$runtime systemd-analyze security --user --offline=true --threshold=20 \
	"$dir/sitlogd.service" 2>&1)
rc=$?
score=$(printf '%s\n' "$out" |
	sed -n 's/.*Overall exposure level for sitlogd.service: \([0-9.]*\).*/\1/p')
if [ $rc -eq 0 ]; then
	echo "ok 2 systemd-analyze security: exposure $score (threshold 2.0)"
else
	echo "not ok 2 systemd-analyze security: exposure $score (threshold 2.0)"
fi
