#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan + fuzzer coverage) in their own build
# directory and run each for a while on its seed corpus (fuzz/corpus/TARGET). New inputs go to
# BUILDDIR/corpus/TARGET (never into the tree), crashes to BUILDDIR/artifacts/.
#
#   fuzz/run.sh [--build DIR] [--time SECONDS] [--tap] [TARGET...]
#
# Defaults: build-fuzz, 30 s, every target. --tap prints one TAP line per target (the meson
# test 'fuzz-smoke' uses it). Exit 0 when no target found anything; 1 otherwise.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
builddir=$src/build-fuzz
seconds=30
tap=false
targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) builddir=$2; shift 2 ;;
	--time) seconds=$2; shift 2 ;;
	--tap) tap=true; shift ;;
	-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
	*) targets+=("$1"); shift ;;
	esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-evemu-reader fuzz-config fuzz-time fuzz-exercises)

say() { if $tap; then printf '# %s\n' "$*"; else printf '%s\n' "$*"; fi; }

if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
	CC=clang meson setup "$builddir" "$src" -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized -Dc_args=-fno-omit-frame-pointer \
		>"$builddir.setup.log" 2>&1 || { say "meson setup failed:"; sed 's/^/# /' "$builddir.setup.log"; $tap && echo "1..0"; exit 1; }
fi
# runs side by side (one target each) share the build: one compiles at a time
if ! flock "$builddir/.compile-lock" meson compile -C "$builddir" "${targets[@]}" \
	>"$builddir/compile-$$.log" 2>&1; then
	say "the build failed:"
	sed 's/^/# /' "$builddir/compile-$$.log" | tail -40
	$tap && echo "1..0"
	exit 1
fi

# the fuzzers' own findings abort: no leak or UB report can pass for a clean run
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:${ASAN_OPTIONS_EXTRA:-}"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
[ -f "$src/tests/lsan.supp" ] && export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
export G_SLICE=always-malloc

rm -f "$builddir/compile-$$.log"
$tap && echo "1..${#targets[@]}"
status=0
n=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	corpus=$builddir/corpus/$t
	artifacts=$builddir/artifacts/$t/
	mkdir -p "$corpus" "$artifacts"
	log=$builddir/$t.log
	"$builddir/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts" \
		"$corpus" "$src/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
	if [ $rc -eq 0 ]; then
		if $tap; then echo "ok $n $t: ${execs:-?} runs in ${seconds}s, ${cov:-cov: ?}"
		else echo "$t: ${execs:-?} runs in ${seconds}s, ${cov:-cov: ?}, nothing found"; fi
	else
		status=1
		if $tap; then echo "not ok $n $t: exit $rc (see $log)"
		else echo "$t: FOUND something (exit $rc), see $log and $artifacts"; fi
		grep -m1 -A25 -E 'ERROR|runtime error|check failed|differs|does not load|read back' "$log" |
			sed 's/^/# /'
		ls "$artifacts" | sed 's/^/# artifact: /'
	fi
done
exit $status
