#!/usr/bin/env bash
# The fuzz suite: each libFuzzer target (fuzz/) built with clang in its own directory and run
# for a short while (fuzz/run.sh --tap). Without clang or its libFuzzer runtime a visible SKIP;
# in CI (CI=true) that is a failure: CI must run everything.
# Usage: fuzz-smoke.sh SOURCE_ROOT BUILD_DIR SECONDS
set -u
src=$1
builddir=$2
seconds=$3
why=
if ! command -v clang >/dev/null 2>&1; then
	why="no clang (Debian: clang)"
else
	# libclang-rt-NN-dev holds libFuzzer; try to link a trivial target
	probe=$(mktemp -d)
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t s);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t s) { return 0; }\n' >"$probe/p.c"
	clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >"$probe/log" 2>&1 ||
		why="clang cannot link a libFuzzer target (Debian: libclang-rt-14-dev): $(head -n1 "$probe/log")"
	rm -rf "$probe"
fi
if [ -n "$why" ]; then
	exec "$(dirname "$0")/skip.sh" "$why"
fi
exec "$src/fuzz/run.sh" --tap --build "$builddir" --time "$seconds"
