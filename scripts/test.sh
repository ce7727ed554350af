#!/usr/bin/env bash
# Quick start 2, and what CI runs: build with warnings as errors under AddressSanitizer and
# UndefinedBehaviorSanitizer, run every test, end with "N passed, N failed, N skipped" (tests
# that skip and TAP subtests that skip, each named on a line before it).
# The last line is always that one, also when the build fails (counted as one failure), and the
# exit status is non-zero whenever something failed.
set -uo pipefail
cd "$(dirname "$0")/.."

builddir=build-test
testlog=$builddir/meson-logs/testlog.json

# The closing line, from meson's own results (one JSON object per test in testlog.json).
summary() {
	/usr/bin/python3 - "$testlog" <<'PY'
import json, re, sys
passed = failed = skipped = 0
skipped_what = []
try:
    with open(sys.argv[1]) as f:
        for line in f:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
                # a TAP subtest that could not run is counted too, by name
                for sub in re.findall(r"^ok \d+ (.*?)\s*# SKIP\b(.*)$", test.get("stdout", ""),
                                      re.M | re.I):
                    skipped += 1
                    skipped_what.append("%s: %s (%s)" % (test["name"], sub[0] or "subtest",
                                                         sub[1].strip()))
            elif result == "SKIP":
                skipped += 1
                skipped_what.append("%s (the whole test)" % test["name"])
            else:
                failed += 1
except (OSError, ValueError, KeyError) as e:
    print("sitlog: no test results (%s)" % e, file=sys.stderr)
    failed = max(failed, 1)
for what in skipped_what:
    print("skipped: " + what)
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else 0)
PY
}

# A step that fails before any test ran: say so, and close with one failure.
give_up() {
	echo "sitlog: $1 failed; no tests were run" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

scripts/deps.sh || give_up "installing the dependencies (scripts/deps.sh)"
echo "meson $(meson --version), $(gcc --version | head -n1)," \
	"$(systemd-analyze --version 2>/dev/null | head -n1)"

# -fno-sanitize-recover: UBSan stops at the first error even where UBSAN_OPTIONS is not passed on;
# frame pointers give whole stacks in ASan's reports. b_lundef=false: sanitizers need it in meson.
options=(
	-Dwerror=true
	-Db_sanitize=address,undefined
	-Db_lundef=false
	-Dbuildtype=debugoptimized
	"-Dc_args=-fno-sanitize-recover=all -fno-omit-frame-pointer"
)
if [ -f "$builddir/meson-private/coredata.dat" ]; then
	# an existing directory gets the same options, whatever it was set up with (meson 1.0's
	# `setup --reconfigure` would keep its old c_args)
	meson configure "$builddir" "${options[@]}" ||
		meson setup --wipe "$builddir" "${options[@]}" || give_up "meson setup"
else
	meson setup "$builddir" "${options[@]}" || give_up "meson setup"
fi
meson compile -C "$builddir" || give_up "the build"

# Sanitizer reports abort (exit 134), so that no sanitizer error can pass for one of sitlogd's
# own exit statuses (1, 2, 65) in the tests that check them. Leaks not ours: tests/lsan.supp.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
# GLib 2.74 still has GSlice, which would hide use-after-free from ASan
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

rm -f "$testlog"
meson test -C "$builddir" --print-errorlogs --timeout-multiplier 2
test_status=$?

summary
summary_status=$?
[ $test_status -eq 0 ] && [ $summary_status -eq 0 ]
