#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
A Snooze click on the notification postpones the next prompt to click + snooze, and the daemon
wakes for it then (not at a schedule time the snooze skipped), and sitlog status shows the new
time at once. A snooze never brings a prompt forward (issue 19, item 6): `sitlog snooze 1s`
shortly after a prompt leaves the next one on the schedule, and no prompt comes before it.
The schedule is 3 s + k * 6 s, the snooze 8 s, the heartbeat a minute away.
Runs under umockdev-wrapper with python-dbusmock's notification server. TAP output.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame, start_bus  # noqa: E402

CONFIG = """[Tracking]
min_segment=300ms
break_min=2s
[Reminders]
remind_after=3s
repeat_every=6s
snooze=8s
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 0
    try:
        import dbus
        import dbusmock
    except ImportError:
        print("1..0 # SKIP no python3-dbusmock")
        return 0

    tmp = tempfile.mkdtemp(prefix="sitlog-snooze-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG)
    # the test ends what it started, also when it fails: no dbus-daemon outlives it
    start_bus()
    server, obj = dbusmock.DBusTestCase.spawn_server_template(
        "notification_daemon", {"capabilities": "body actions"}, stdout=subprocess.DEVNULL)
    mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)
    seen = []

    def notifies():
        calls = mock.GetMethodCalls("Notify")
        while len(seen) < len(calls):
            seen.append(time.time())
        return len(calls)

    def status():
        r = subprocess.run([args.sitlog, "--db", db, "--config", config, "status", "--json"],
                           capture_output=True, text=True, timeout=20)
        try:
            return json.loads(r.stdout)
        except ValueError:
            return {"error": r.stdout + r.stderr}

    bed = Bed()
    bed.add(1, EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]}),
            {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})
    d = Daemon(args.sitlogd, bed, db, config, notify="desktop")
    ok(d.wait_for(bed, "using /dev/input/event1"), "the daemon uses the seat", d.log())
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    sat = time.time()
    while notifies() < 1 and time.time() - sat < 10:
        bed.spin(0.05)
    ok(len(seen) == 1, "a prompt after remind_after", d.log())
    bed.spin(0.5)
    before = status().get("next_prompt")
    clicked = time.time()
    mock.EmitSignal("org.freedesktop.Notifications", "ActionInvoked", "us",
                    [dbus.UInt32(1), "snooze"])
    bed.spin(0.5)
    after = status().get("next_prompt")
    ok(after and after != before, "sitlog status shows the snoozed time at once",
       "next_prompt %r before the click, %r after" % (before, after))
    while notifies() < 2 and time.time() - clicked < 20:
        bed.spin(0.05)
    ok(len(seen) >= 2 and 7.0 <= seen[1] - clicked <= 9.0,
       "the snoozed prompt comes at click + snooze (8 s), not at the skipped 9 s",
       "%s after the click" % ("%.1f s" % (seen[1] - clicked) if len(seen) >= 2 else "none"))
    # the schedule's next prompt is at bout age 15 s, about 3.5 s away: a 1 s snooze moves
    # nothing, and nothing comes before it
    before = status().get("next_prompt")
    r = subprocess.run([args.sitlog, "--db", db, "--config", config, "snooze", "1s"],
                       capture_output=True, text=True, timeout=20)
    snoozed = time.time()
    after = status().get("next_prompt")
    ok(r.returncode == 0 and before and after == before,
       "sitlog snooze 1s leaves the next prompt where the schedule has it",
       "next_prompt %r before, %r after\n%s%s" % (before, after, r.stdout, r.stderr))
    while notifies() < 3 and time.time() - snoozed < 20:
        bed.spin(0.05)
    ok(len(seen) >= 3 and seen[2] - snoozed >= 2.5,
       "sitlog snooze 1s brings no prompt forward",
       "%s after the snooze" % ("%.1f s" % (seen[2] - snoozed) if len(seen) >= 3 else "none"))
    ok(d.stop(bed) == 0, "sitlogd stops cleanly", d.log())
    server.terminate()
    server.wait()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
