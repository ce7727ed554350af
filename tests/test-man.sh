#!/usr/bin/env bash
# Man pages render without groff warnings, and document every option that --help lists.
set -u
src=$1
sitlogd=$2
sitlog=$3
# a visible skip (exit 0: under TAP, 77 is an error); CI must run everything
if ! command -v groff >/dev/null 2>&1; then
	[ "${CI:-}" = true ] && { echo "1..0"; echo "no groff, and CI must run everything" >&2; exit 1; }
	echo "1..0 # SKIP no groff"
	exit 0
fi
echo "1..4"
n=0
for page in sitlogd.1 sitlog.1; do
	n=$((n + 1))
	err=$(groff -man -ww -z "$src/man/$page" 2>&1)
	if [ -z "$err" ]; then echo "ok $n $page renders cleanly"; else echo "not ok $n $page"; printf '# %s\n' "$err"; fi
done
check() {
	local page=$1; shift
	local missing=()
	for opt in "$@"; do
		grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$src/man/$page" || missing+=("$opt")
	done
	printf '%s\n' "${missing[@]}"
}
n=$((n + 1))
opts=$("$sitlogd" --help | grep -o -- '--[a-z-]*' | sort -u)
missing=$(check sitlogd.1 $opts)
if [ -z "$missing" ]; then echo "ok $n sitlogd.1 documents every option"; else echo "not ok $n sitlogd.1 lacks: $missing"; fi
n=$((n + 1))
opts=$( { "$sitlog" --help; for v in report bouts export devices status pause resume snooze config; do "$sitlog" "$v" --help; done; } | grep -o -- '--[a-z-]*' | sort -u)
missing=$(check sitlog.1 $opts)
if [ -z "$missing" ]; then echo "ok $n sitlog.1 documents every option"; else echo "not ok $n sitlog.1 lacks: $missing"; fi
