#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Reload without loss (sitlogd(1), SIGHUP = systemctl --user reload sitlogd): the real daemon on
a mock chair switch under umockdev. A config that does not load is logged with FILE:LINE and the
running one stays; a good one applies at once, and the open bout and its prompts go on: one
bout, prompts numbered on, the new schedule from the reload. TAP output.
"""
import argparse
import os
import shutil
import signal
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame  # noqa: E402

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
    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
