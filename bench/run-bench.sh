#!/usr/bin/env bash
# Every benchmark, one after the other, printed as it comes (ninja -C build bench); the same
# as `meson test -C build --benchmark --verbose`. Peers last: they need Xvfb, dunst and the
# peers themselves, and say SKIP without them.
set -u
bench_core=$1 bench_store=$2 python=$3 dir=$4 sitlogd=$5 gen=$6 data=$7 sitlog=$8 gen_history=$9
status=0
run() {
	echo "== $1"
	shift
	"$@"
	local r=$?
	[ $r -eq 0 ] || [ $r -eq 77 ] || status=$r
}
run "core: classifier + debounce + tracker + policy, parsing excluded" "$bench_core"
run "store and report latency" "$bench_store" 3
run "replay, end to end" "$python" "$dir/bench-replay.py" "$sitlogd" "$gen" "$data"
run "sitlog report over 5 years against sitlog --version" "$python" "$dir/bench-report.py" "$sitlog" "$gen_history"
run "live daemon idle cost (umockdev)" "$python" "$dir/bench-wakeups.py" "$sitlogd"
run "the peers side by side" "$python" "$dir/peers.py" "$sitlogd"
exit $status
