#!/usr/bin/env bash
# Quick start 2, and what CI runs: build with warnings as errors under AddressSanitizer and
# UndefinedBehaviorSanitizer, run every test, end with "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh

builddir=build-test
if [ ! -f "$builddir/build.ninja" ]; then
	meson setup "$builddir" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debugoptimized
fi
ninja -C "$builddir"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"

status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?

/usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        if not line.strip():
            continue
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
PY
exit $status
