#!/usr/bin/env bash
# Install what building and testing sitlog needs, on Debian 12 (apt-get; sudo when not root).
# Quick when everything is there already: nothing is downloaded then.
set -euo pipefail

packages=(
	meson ninja-build pkg-config gcc libc6-dev
	libudev-dev libevdev-dev libsqlite3-dev libnotify-dev libglib2.0-dev libglib2.0-bin
	libsystemd-dev systemd
	python3 python3-gi python3-dbusmock dbus
	umockdev libumockdev-dev gir1.2-umockdev-1.0
	evemu-tools sqlite3 groff-base tzdata
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
