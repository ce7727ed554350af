#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A screenshot of a real sitlog prompt for the README: sitlogd replays the bundled workday with
# --notify desktop to dunst, a real notification server, on Xvfb and a private session bus;
# working hours of 09:00-09:05 let exactly one prompt through (the others stay quiet).
# Usage: scripts/screenshot.sh [OUT.png]   (default docs/notification.png). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/notification.png}")

need=()
for p in xvfb dunst imagemagick fonts-dejavu-core dbus; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q "${need[@]}"
fi
[ -x build/daemon/sitlogd ] || { scripts/deps.sh && { [ -d build ] || meson setup build; } &&
	ninja -C build; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
cat > "$tmp/dunstrc" <<'RC'
[global]
    font = DejaVu Sans 11
    width = 460
    height = 200
    origin = top-right
    offset = 16x16
    padding = 12
    horizontal_padding = 14
    frame_width = 2
    frame_color = "#5e81ac"
    separator_height = 2
    corner_radius = 6
    format = "<b>%s</b>\n%b"
    word_wrap = yes
    show_indicators = yes
    icon_position = left
    min_icon_size = 48
    max_icon_size = 48
[urgency_normal]
    background = "#2e3440"
    foreground = "#eceff4"
    timeout = 0
RC
printf '[Reminders]\nworking_hours=09:00-09:05\n' > "$tmp/sitlog.conf"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 800x300x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=$display
dbus-run-session -- bash -c '
	dunst -config "$1/dunstrc" >/dev/null 2>&1 &
	sleep 1
	TZ=UTC build/daemon/sitlogd --replay tests/data/workday.evemu \
		--replay-start 2026-03-02T08:30:00 --notify desktop --db "$1/sitlog.db" \
		--config "$1/sitlog.conf"
	sleep 1
	import -window root "$1/root.png"
	kill %1' _ "$tmp"
# the notification alone, on a light border (ImageMagick's own convert, not a stand-in)
/usr/bin/convert "$tmp/root.png" -crop 500x200+300+0 +repage -trim +repage \
	-bordercolor "#d8dee9" -border 14 "$out"
[ -s "$out" ] || { echo "screenshot.sh: no screenshot was taken" >&2; exit 1; }
echo "wrote $out"
