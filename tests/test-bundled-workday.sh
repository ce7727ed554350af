#!/usr/bin/env bash
# The workday bundled for the README's quick start is exactly what the generator makes, so the
# replay tests' ground truth holds for it too.
set -eu
src=$1
python=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" "$src/tests/gen-recordings.py" --out "$tmp" --scenario workday
cmp "$tmp/workday.evemu" "$src/tests/data/workday.evemu"
cmp "$tmp/workday.truth.json" "$src/tests/data/workday.truth.json"
