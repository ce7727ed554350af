#!/usr/bin/env bash
# All benchmarks, one after the other.
set -eu
bench_core=$1 bench_store=$2 python=$3 replay=$4 sitlogd=$5 data=$6
echo "== core (classifier + debounce + tracker, parsing excluded)"
"$bench_core"
echo "== store and report latency"
"$bench_store" 3
echo "== replay, end to end"
"$python" "$replay" "$sitlogd" "$data"
if command -v umockdev-wrapper >/dev/null && command -v strace >/dev/null; then
	echo "== live daemon: wake-ups, CPU, memory (mock devices under umockdev)"
	"$python" "$(dirname "$replay")/bench-wakeups.py" "$sitlogd" 20
fi
