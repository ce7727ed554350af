#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Reload without loss (sitlogd(1), SIGHUP = systemctl --user reload sitlogd): the real daemon on
a mock chair switch under umockdev. A config that does not load is logged with FILE:LINE and the
running one stays; a good one applies at once, and the open bout and its prompts go on: one
bout, prompts numbered on, the new schedule from the reload. TAP output.
"""
import argparse
import atexit
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame, start_bus  # noqa: E402

CONFIG = """[Tracking]
min_segment=300ms
break_min=3s
[Reminders]
remind_after=3s
repeat_every={repeat}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 0

    tmp = tempfile.mkdtemp(prefix="sitlog-reload-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG.format(repeat="3s"))

    bed = Bed()
    bed.add(1, EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]}),
            {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})
    d = Daemon(args.sitlogd, bed, db, config)
    ok(d.wait_for(bed, "using /dev/input/event1"), "the daemon uses the seat", d.log())
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    ok(d.wait_for(bed, "prompt 2 at", timeout=10), "prompts every 3 s", d.log())

    # a broken config: said with its line, and nothing changes
    with open(config, "w") as f:
        f.write(CONFIG.format(repeat="banana"))
    d.p.send_signal(signal.SIGHUP)
    ok(d.wait_for(bed, "reload: %s:6:" % config) and
       d.wait_for(bed, "the configuration stays as it was"),
       "an invalid config on reload is logged with FILE:LINE, the old one stays", d.log())
    ok(d.wait_for(bed, "prompt 3 at", timeout=6) and d.p.poll() is None,
       "the daemon runs on with the old schedule", d.log())

    # a good one: applied without losing the bout
    with open(config, "w") as f:
        f.write(CONFIG.format(repeat="8s"))
    d.p.send_signal(signal.SIGHUP)
    ok(d.wait_for(bed, "configuration reloaded"), "SIGHUP reloads the configuration", d.log())
    ok(d.wait_for(bed, "prompt 5 at", timeout=20), "prompts go on after the reload", d.log())
    code = d.stop(bed)
    ok(code == 0, "sitlogd stops cleanly", d.log())

    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    bouts = con.execute("SELECT id FROM bouts").fetchall()
    prompts = con.execute("SELECT seq, bout_age_ms FROM prompts WHERE reason != 'suppressed' "
                          "ORDER BY t_ms").fetchall()
    con.close()
    ages = [a / 1000.0 for (_, a) in prompts]
    gaps = [b - a for (a, b) in zip(ages, ages[1:])]
    ok(len(bouts) == 1 and [s for (s, _) in prompts] == list(range(len(prompts))),
       "one bout across both reloads, its prompts numbered on", repr(bouts) + repr(prompts))
    # 3, 6, 9 s on the old schedule; then the new one's due times (3 + 8k s) after the reload
    ok(len(ages) >= 5 and all(abs(g - 3) < 0.5 for g in gaps[:2]) and
       all(abs(a - 3) % 8 < 0.5 or abs(a - 3) % 8 > 7.5 for a in ages[3:]) and
       abs(gaps[-1] - 8) < 0.5,
       "the new schedule applies from the reload on", repr(ages))
    # phase 2, with a notification server on a private session bus: the notification on screen
    # and a pause live through a reload
    try:
        import dbus
        import dbusmock
    except ImportError:
        ok(True, "# SKIP no python3-dbusmock: the notification and the pause across a reload")
        shutil.rmtree(tmp, ignore_errors=True)
        return finish()
    start_bus()
    server, obj = dbusmock.DBusTestCase.spawn_server_template(
        "notification_daemon", {"capabilities": "body actions"}, stdout=subprocess.DEVNULL)
    atexit.register(server.terminate)
    mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)
    with open(config, "w") as f:
        f.write(CONFIG.format(repeat="30s"))
    bed.write(1, frame((EV_KEY, BTN_0, 0)))
    db2 = os.path.join(tmp, "desktop.db")
    d = Daemon(args.sitlogd, bed, db2, config, notify="desktop")
    ok(d.wait_for(bed, "using /dev/input/event1"), "phase 2: the daemon with a notification server",
       d.log())
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    end = time.monotonic() + 10
    while not mock.GetMethodCalls("Notify") and time.monotonic() < end:
        bed.spin(0.05)
    ok(len(mock.GetMethodCalls("Notify")) == 1, "a prompt on screen", d.log())

    def sitlog(*argv):
        return subprocess.run([args.sitlog, "--db", db2, "--config", config] + list(argv),
                              capture_output=True, text=True, timeout=20)

    r = sitlog("pause", "1h")
    paused = json.loads(sitlog("status", "--json").stdout).get("paused_until")
    with open(config, "w") as f:
        f.write(CONFIG.format(repeat="40s"))
    d.p.send_signal(signal.SIGHUP)
    reloaded = d.wait_for(bed, "configuration reloaded")
    st = json.loads(sitlog("status", "--json").stdout)
    ok(r.returncode == 0 and reloaded and paused and st.get("paused_until") == paused and
       st.get("posture") == "sitting",
       "a pause lives through a reload", repr(st) + r.stderr)
    ok(not mock.GetMethodCalls("CloseNotification"),
       "the notification on screen is not closed by a reload", d.log())
    mock.EmitSignal("org.freedesktop.Notifications", "ActionInvoked", "us",
                    [dbus.UInt32(1), "done"])
    answered = d.wait_for(bed, "prompt answered: done")
    bed.spin(0.5)
    code = d.stop(bed)
    con = sqlite3.connect("file:%s?mode=ro" % db2, uri=True)
    responses = con.execute("SELECT response FROM prompts ORDER BY id").fetchall()
    con.close()
    ok(answered and code == 0 and responses[:1] == [("done",)],
       "and its Done after the reload is recorded with its prompt", repr(responses))
    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
