#!/usr/bin/env bash
# Install what building and testing sitlog needs, on Debian 12 (apt-get; sudo when not root).
# Quick when everything is there already: nothing is downloaded then.
set -euo pipefail

packages=(
	# build
	meson ninja-build pkg-config gcc libc6-dev
	libudev-dev libevdev-dev libsqlite3-dev libnotify-dev libglib2.0-dev libglib2.0-bin
	libsystemd-dev libjson-glib-dev
	# tests: replay and integration (python3 is Debian's /usr/bin/python3), the installed unit
	# (systemd-analyze), the man pages (groff), time zones
	python3 python3-gi python3-dbusmock dbus
	umockdev libumockdev-dev gir1.2-umockdev-1.0
	systemd groff-base tzdata
	# tests: the JSON of report, bouts and export against data/schema (tests/test-views.py)
	python3-jsonschema
	# sitlog report --plot: cairo and pango, a font for the text; its test renders the SVG
	# with rsvg-convert
	libcairo2-dev libpango1.0-dev fonts-dejavu-core librsvg2-bin
	# tests/imu-wakeups-test.py counts the main loop's poll calls
	strace
	# installing: bash-completion.pc names the completions directory; its bash_completion
	# runs the completion's test
	bash-completion
	# the Debian package (tests/test-package.py) and the metrics and Prometheus rules
	# (promtool, in Debian's prometheus package: tests/test-metrics.c, tests/test-admin.py)
	debhelper dpkg-dev lintian fakeroot prometheus
	# the fuzz suite: libFuzzer targets built with clang (libclang-rt holds libFuzzer)
	clang libclang-rt-14-dev
	# the valgrind suite (meson test --setup=valgrind)
	valgrind
	# for people: evemu-record to make recordings, sqlite3 to look into a database
	evemu-tools sqlite3
)

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "scripts/deps.sh: no apt here; install the equivalents of: ${packages[*]}" >&2
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "scripts/deps.sh: missing ${missing[*]}; run as root or install sudo" >&2
		exit 1
	fi
	sudo=(sudo)
fi
echo "Installing: ${missing[*]}" >&2
# a failed update (offline, a broken mirror) may still leave a usable package cache
"${sudo[@]}" apt-get update -qq ||
	echo "scripts/deps.sh: apt-get update failed, trying the install anyway" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
