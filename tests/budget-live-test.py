#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
The whole day, live: the real sitlogd on a mock chair switch (umockdev) and python-dbusmock's
notification server on a private session bus. The day's morning is replayed into the database
first (47 min 50 s of sitting, with sitting_per_day=1h), so that the live daemon, counting what
the store holds of today, is seconds away from the pace prompt (80 % of the budget without
working hours) and, with working hours that end a minute or two from now, from the summary.

What it shows: the pace prompt and the summary are each shown once, as notices of their own
(x-sitlog-kind budget / summary, with figures), never during a pause (they wait for it to end),
recorded with reason budget / summary; a restart the same day gives no second pace prompt;
sitlog status counts today's sitting with the morning's. Run under `umockdev-wrapper`. TAP.
"""
import argparse
import atexit
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame, start_bus  # noqa: E402

def make_config(reminders="", budget=""):
    return ("[Tracking]\nmin_segment=300ms\nbreak_min=2s\n"
            "[Reminders]\nremind_after=2h\n%s[Budget]\nsitting_per_day=1h\n%s"
            % (reminders, budget))
MORNING_S = 47 * 60 + 50  # 10 s short of 80 % of 1 h

HEADER = """# EVEMU 1.3
N: USB Chair Switch
I: 0003 1209 5e47 0100
P: 00 00 00 00 00 00 00 00
B: 00 03 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 01 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 01 00 00 00 00 00 00 00 00
B: 02 00 00 00 00 00 00 00 00
"""


class Notifications:
    def __init__(self):
        import dbus
        import dbusmock
        self.server, obj = dbusmock.DBusTestCase.spawn_server_template(
            "notification_daemon", {"capabilities": "body actions"}, stdout=subprocess.DEVNULL)
        self.mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)

    def of_kind(self, kind):
        """the Notify calls whose x-sitlog-kind hint is kind: [(summary, body, hints)]"""
        out = []
        for (_, args) in self.mock.GetMethodCalls("Notify"):
            hints = args[6]
            if str(hints.get("x-sitlog-kind", "")) == kind:
                out.append((str(args[3]), str(args[4]), hints))
        return out

    def stop(self):
        self.server.terminate()
        self.server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    ci = os.environ.get("CI") == "true"
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 1 if ci else 0
    try:
        import dbus
        import dbusmock
    except ImportError:
        print("1..0 # SKIP no python3-dbusmock")
        return 1 if ci else 0
    # a zone in which it is about noon now, so that the morning and the working hours fit in
    # the day at whatever hour the test runs (a fixed offset: POSIX's sign is west-positive)
    utc_hour = datetime.datetime.now(datetime.timezone.utc).hour
    east = (12 - utc_hour) % 24
    if east > 12:
        east -= 24
    os.environ["TZ"] = "SIT%+d" % -east
    time.tzset()
    now = datetime.datetime.now()
    if now.hour < 2 or (now.hour, now.minute) >= (23, 50):
        # the morning must fit in today and the working hours end before midnight
        print("1..0 # SKIP too close to midnight for a day of its own (%s)" % now.strftime("%H:%M"))
        return 0

    tmp = tempfile.mkdtemp(prefix="sitlog-budget-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(make_config())
    os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")

    # the morning: sitting from 1 h 30 min ago for MORNING_S, then away
    rec = os.path.join(tmp, "morning.evemu")
    with open(rec, "w") as f:
        f.write(HEADER)
        f.write("E: 1.000000 0001 0100 0001\nE: 1.000000 0000 0000 0000\n")
        f.write("E: %d.000000 0001 0100 0000\nE: %d.000000 0000 0000 0000\n"
                % (1 + MORNING_S, 1 + MORNING_S))
        f.write("E: %d.000000 0000 0000 0000\n" % (1 + MORNING_S + 60))
    start = (now - datetime.timedelta(minutes=90)).replace(microsecond=0)
    r = subprocess.run([args.sitlogd, "--replay", rec, "--replay-start",
                        start.strftime("%Y-%m-%dT%H:%M:%S"), "--db", db, "--config", config,
                        "--notify", "none"], capture_output=True, text=True, timeout=30)
    ok(r.returncode == 0, "the morning replayed into the database", r.stderr)

    start_bus()
    notes = Notifications()
    atexit.register(notes.stop)

    bed = Bed()
    switch = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
    bed.add(1, switch, {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})

    def sitlog(*argv):
        return subprocess.run([args.sitlog, "--db", db, "--config", config] + list(argv),
                              capture_output=True, text=True, timeout=20)

    def status():
        r = sitlog("status", "--json")
        try:
            return json.loads(r.stdout)
        except ValueError:
            return {"error": r.stdout + r.stderr}

    def rows(sql):
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def spin_until(cond, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            bed.spin(0.1)
        return cond()

    daemons = []
    control = None

    def start_daemon():
        nonlocal control
        d = Daemon(args.sitlogd, bed, db, config, notify="desktop")
        daemons.append(d)
        d.wait_for(bed, "using /dev/input/event1")
        control = None  # the name's owner is this daemon now
        spin_until(lambda: status().get("daemon") == "running", 5)
        return d

    def stop_all():
        for d in daemons:
            if d.p.poll() is None:
                d.stop(bed)
    atexit.register(stop_all)

    def pause(seconds):
        nonlocal control
        if control is None:
            control = dbus.Interface(dbus.SessionBus().get_object("io.sitlog.Sitlog1",
                                                                  "/io/sitlog/Sitlog1"),
                                     "io.sitlog.Sitlog1")
        return int(control.Pause(dbus.UInt64(seconds))) / 1e6

    # ---- the pace prompt: due 10 s after sitting down, inside a 15-s pause ----
    d = start_daemon()
    st = status()
    ok(st.get("sitting_today_seconds") == MORNING_S and st.get("sitting_budget_seconds") == 3600
       and st.get("budget_left_seconds") == 3600 - MORNING_S,
       "status: today's sitting counts the morning in the store, the budget and what is left",
       repr(st))
    until = pause(15)
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    ok(spin_until(lambda: time.time() >= until - 0.3, 20) and not notes.of_kind("budget"),
       "no pace prompt during the pause, though it fell due 10 s after sitting down", d.log())
    ok(spin_until(lambda: notes.of_kind("budget"), 5) and time.time() >= until - 0.3,
       "the pace prompt when the pause is over", d.log())
    spin_until(lambda: False, 3)
    pace = notes.of_kind("budget")
    ok(len(pace) == 1, "the pace prompt is shown once", repr(pace))
    if pace:
        summary, body, hints = pace[0]
        ok("48 min of sitting today" in summary and "budget of 1 h" in body,
           "it says so with figures", "%s / %s" % (summary, body))
    got = rows("SELECT reason, seq, delivery FROM prompts WHERE reason = 'budget'")
    ok(got == [("budget", -1, "desktop")], "recorded with reason budget, seq -1", repr(got))
    st = status()
    ok(st.get("posture") == "sitting" and st.get("sitting_today_seconds", 0) >= 2880,
       "status: sitting today goes on counting while sitting", repr(st))
    bed.write(1, frame((EV_KEY, BTN_0, 0)))
    spin_until(lambda: status().get("posture") == "away", 3)
    ok(d.stop(bed) == 0, "sitlogd stops", d.log())

    # ---- the summary at the end of the working hours, which a pause holds back ----
    end = (datetime.datetime.now() + datetime.timedelta(minutes=2)).replace(second=0,
                                                                             microsecond=0)
    with open(config, "w") as f:
        f.write(make_config("working_hours=00:00-%s\n" % end.strftime("%H:%M"),
                            "summary=true\n"))
    d = start_daemon()
    end_s = end.timestamp()
    until = pause(int(end_s + 8 - time.time()))
    ok(spin_until(lambda: time.time() >= until - 0.3, 200) and not notes.of_kind("summary"),
       "no summary during the pause over the end of the working hours", d.log())
    ok(spin_until(lambda: notes.of_kind("summary"), 5), "the summary when the pause is over",
       d.log())
    spin_until(lambda: False, 3)
    summ = notes.of_kind("summary")
    ok(len(summ) == 1, "the summary is shown once", repr(summ))
    if summ:
        summary, body, hints = summ[0]
        ok("sitting (budget 1 h)" in summary and "Longest bout" in body
           and "the last 7 days' average" in body,
           "it gives the day's figures against the last 7 days", "%s / %s" % (summary, body))
    ok(len(notes.of_kind("budget")) == 1, "a restart the same day gives no second pace prompt",
       repr(notes.of_kind("budget")))
    got = rows("SELECT reason, seq FROM prompts WHERE reason IN ('budget', 'summary') "
               "ORDER BY t_ms")
    ok(got == [("budget", -1), ("summary", -1)], "recorded: one pace prompt, one summary",
       repr(got))
    ok(d.stop(bed) == 0, "sitlogd stops", d.log())
    return finish()


if __name__ == "__main__":
    sys.exit(main())
