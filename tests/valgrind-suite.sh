#!/usr/bin/env bash
# The valgrind suite: a build without sanitizers (valgrind and ASan do not mix) in its own
# directory, then `meson test --setup=valgrind` of the unit suite and of replay-formats (real
# recordings through sitlogd and sitlog) there; one TAP line per test. The whole replay suite
# under valgrind takes several minutes more: README, Development. Without valgrind a visible
# SKIP; in CI (CI=true) that is a failure: CI must run everything.
# Usage: valgrind-suite.sh SOURCE_ROOT BUILD_DIR
set -u
src=$1
builddir=$2
if ! command -v valgrind >/dev/null 2>&1; then
	exec "$(dirname "$0")/skip.sh" "no valgrind (Debian: valgrind)"
fi
fail_early() {
	echo "1..0"
	echo "# $1"
	sed 's/^/# /' "$2" | tail -40
	exit 1
}
if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
	meson setup "$builddir" "$src" -Dbuildtype=debugoptimized -Dwerror=true \
		>"$builddir.setup.log" 2>&1 || fail_early "meson setup failed" "$builddir.setup.log"
fi
meson compile -C "$builddir" >"$builddir.compile.log" 2>&1 ||
	fail_early "the build failed" "$builddir.compile.log"
# sanitizer options from the outer run mean nothing here
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
results=$builddir.results.json
: >"$results"
: >"$builddir.test.log"
# (meson 1.0 takes test names within the suites given, not beside them: two runs)
for what in "--suite unit" "replay-formats"; do
	rm -f "$builddir/meson-logs/testlog-valgrind.json"
	# shellcheck disable=SC2086
	meson test -C "$builddir" --setup=valgrind $what --print-errorlogs \
		>>"$builddir.test.log" 2>&1
	cat "$builddir/meson-logs/testlog-valgrind.json" >>"$results" 2>/dev/null
done
/usr/bin/python3 - "$results" "$builddir.test.log" <<'PY'
import json, sys
tests = []
with open(sys.argv[1]) as f:
    tests = [json.loads(l) for l in f if l.strip()]
if not tests:
    print("1..0\n# no results; see %s" % sys.argv[2])
    sys.exit(1)
print("1..%d" % len(tests))
bad = 0
for i, t in enumerate(tests, 1):
    good = t["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
    bad += not good
    print("%sok %d %s under valgrind (%.0f s)%s" % ("" if good else "not ", i, t["name"],
          t.get("duration", 0), " # SKIP" if t["result"] == "SKIP" else ""))
    if not good:
        for line in (t.get("stdout") or "").splitlines()[-40:]:
            print("# " + line)
sys.exit(1 if bad or not tests else 0)
PY
