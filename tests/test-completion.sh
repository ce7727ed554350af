#!/usr/bin/env bash
# data/bash-completion/sitlog offers exactly the commands and options `sitlog --help` and
# `sitlog COMMAND --help` list, and the values of options whose help names them (a|b|c).
# Runs under bash-completion's own bash_completion; skips without it (fails when CI=true).
set -u
completion=$1
sitlog=$2

bash_completion=
for f in "$(pkg-config --variable=datadir bash-completion 2>/dev/null)/bash-completion/bash_completion" \
	/usr/share/bash-completion/bash_completion; do
	[ -f "$f" ] && { bash_completion=$f; break; }
done
if [ -z "$bash_completion" ]; then
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 bash-completion not found (CI=true: scripts/deps.sh installs it)"
		exit 1
	fi
	echo "1..0 # SKIP bash-completion not found (Debian: apt-get install bash-completion)"
	exit 0
fi
# shellcheck disable=SC1090
. "$bash_completion"
# shellcheck disable=SC1090
. "$completion"

# What completing at the end of a command line offers, sorted, one a line. COMP_WORDS as bash
# makes them: split at blanks and around "=" (in COMP_WORDBREAKS).
offered() {
	local line=$1 word
	COMP_WORDS=()
	for word in $line; do
		while [[ $word == *=* ]]; do
			[ -n "${word%%=*}" ] && COMP_WORDS+=("${word%%=*}")
			COMP_WORDS+=("=")
			word=${word#*=}
		done
		[ -n "$word" ] && COMP_WORDS+=("$word")
	done
	[[ $line == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_sitlog sitlog "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

# The long options of a --help output, sorted.
options_of() {
	sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u
}

n=0
failed=0
check() { # what, want, got
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n $1"
	else
		failed=1
		echo "not ok $n $1"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed -n 's/^\([<>]\)/# \1/p'
		echo "# (< sitlog's help, > the completion)"
	fi
}

commands=$("$sitlog" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | sort)
verbs=$(printf '%s\n' "$commands" | grep -vx help)
echo "1..$((4 + 2 * $(printf '%s\n' "$verbs" | wc -l)))"

check "commands" "$commands" "$(offered 'sitlog ')"
check "sitlog's own options" "$("$sitlog" --help | options_of)" "$(offered 'sitlog -')"
check "help COMMAND" "$verbs" "$(offered 'sitlog help ')"
check "a command after --db PATH" "$commands" "$(offered 'sitlog --db /tmp/x.db ')"
for verb in $verbs; do
	help=$("$sitlog" "$verb" --help)
	check "$verb: options" "$(printf '%s\n' "$help" | options_of)" \
		"$(offered "sitlog $verb -")"
	# --format=table|json|csv: the values, after "--format " and after "--format="
	want='' got=''
	for opt in $(printf '%s\n' "$help" | sed -n 's/^  *\(--[a-z-]*\)=[a-z]*|.*/\1/p'); do
		values=$(printf '%s\n' "$help" |
			sed -n "s/^  *$opt=\([a-z|]*\) .*/\1/p" | tr '|' '\n' | sort)
		want+="$opt: $values "
		got+="$opt: $(offered "sitlog $verb $opt ") "
		want+="$opt=: $values "
		got+="$opt=: $(offered "sitlog $verb $opt=") "
	done
	check "$verb: option values" "$want" "$got"
done
exit $failed
