#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Desktop prompts through libnotify to a mock notification server (python-dbusmock's
notification_daemon on a private session bus): what sitlogd sends, and what it does when no
server is there. TAP output; skips (77) without python3-dbusmock.
"""
import argparse
import atexit
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    args = ap.parse_args()
    try:
        import dbus
        import dbusmock
    except ImportError:
        print("1..0 # SKIP no python3-dbusmock")
        return 77

    tmp = tempfile.mkdtemp(prefix="sitlog-notify-")
    src = os.path.join(HERE, "data", "workday.evemu")
    dbusmock.DBusTestCase.start_session_bus()
    # ended also when the test fails (the explicit stop below is part of the test)
    atexit.register(dbusmock.DBusTestCase.stop_dbus, dbusmock.DBusTestCase.session_bus_pid)
    env = dict(os.environ, TZ="UTC", DBUS_SESSION_BUS_ADDRESS=os.environ["DBUS_SESSION_BUS_ADDRESS"])
    server, obj = dbusmock.DBusTestCase.spawn_server_template(
        "notification_daemon", {"capabilities": "body"}, stdout=subprocess.DEVNULL)
    mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)

    db = os.path.join(tmp, "sitlog.db")

    def replay(start, database, *extra):
        return subprocess.run([args.sitlogd, "--replay", src, "--replay-start", start,
                               "--db", database, "--notify", "desktop"] + list(extra), env=env,
                              capture_output=True, text=True, timeout=60)

    def query(database, sql):
        con = sqlite3.connect("file:%s?mode=ro" % database, uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    r = replay("2026-03-02T08:30:00", db)
    every = [c for c in mock.GetMethodCalls("Notify")]
    # the bouts' prompts; the day's pace prompt is a notice of its own (x-sitlog-kind)
    calls = [c for c in every if str(c[1][6].get("category", "")) == "x-sitlog.prompt"]
    pace = [c for c in every if str(c[1][6].get("x-sitlog-kind", "")) == "budget"]
    ok(r.returncode == 0 and len(calls) == 17 and len(every) == 18,
       "one Notify per prompt (17 in the workday), and the day's pace prompt",
       "%d calls; %s" % (len(every), r.stderr))
    ok(len(pace) == 1 and str(pace[0][1][6].get("category", "")) == "x-sitlog.budget"
       and "80 % of the day's budget of 6 h" in str(pace[0][1][4]) and len(pace[0][1][5]) == 0,
       "the pace prompt at 80 % of the budget (no working hours): figures, no actions",
       repr(pace))
    if calls:
        (_, (app, replaces, icon, summary, body, actions, hints, timeout)) = calls[0]
        ok(str(app) == "sitlog" and "sitting for 30 minutes" in str(summary)
           and "Half-kneeling hip flexor stretch" in str(body) and "30 s each side" in str(body),
           "app name, how long, and the exercise with its dose", repr(calls[0]))
        ok(str(hints.get("category", "")) == "x-sitlog.prompt"
           and int(hints.get("x-sitlog-bout-minutes", -1)) == 30,
           "category and the bout-minutes hint", repr(hints))
        ok(len(actions) == 0, "a server without the actions capability gets no actions",
           repr(actions))
    deliveries = [d for (d,) in query(db, "SELECT delivery FROM prompts WHERE seq >= 0")]
    day = query(db, "SELECT reason, delivery FROM prompts WHERE seq < 0")
    ok(deliveries == ["desktop"] * 17 and day == [("budget", "desktop")],
       "recorded as delivered to the desktop", repr(deliveries + day))

    # working hours: prompts outside them stay quiet, kept as suppressed ("off-hours")
    config = os.path.join(tmp, "hours.conf")
    with open(config, "w") as f:
        f.write("[Reminders]\nworking_hours=10:00-13:00\nworking_days=Mon-Fri\n")
    db2 = os.path.join(tmp, "hours.db")
    before = len(mock.GetMethodCalls("Notify"))
    r = replay("2026-03-02T08:30:00", db2, "--config", config)
    prompts = query(db2, "SELECT strftime('%H:%M', t_ms / 1000, 'unixepoch'), reason, "
                    "delivery FROM prompts ORDER BY t_ms")
    inside = [p for p in prompts if "10:00" <= p[0] < "13:00"]
    outside = [p for p in prompts if not "10:00" <= p[0] < "13:00"]
    shown = len(mock.GetMethodCalls("Notify")) - before
    ok(r.returncode == 0 and inside and outside
       and all(p[1] != "suppressed" and p[2] == "desktop" for p in inside)
       and all(p[1] == "suppressed" and p[2] == "off-hours" for p in outside)
       and shown == len(inside),
       "working hours (Monday 10:00-13:00): prompts outside them are kept, not shown",
       "%d shown; %r; %s" % (shown, prompts, r.stderr))
    r = replay("2026-03-07T08:30:00", db2, "--config", config)
    saturday = query(db2, "SELECT count(*), sum(delivery = 'off-hours') FROM prompts "
                     "WHERE t_ms >= strftime('%s', '2026-03-07') * 1000")[0]
    ok(r.returncode == 0 and saturday[0] == 17 and saturday[1] == 17,
       "working days Mon-Fri: a Saturday's prompts all stay quiet", repr(saturday))

    # the server goes away: prompts are still recorded, the failure is logged once
    server.terminate()
    server.wait()
    r = replay("2026-03-03T08:30:00", db)
    failed = query(db, "SELECT count(*) FROM prompts WHERE delivery = 'failed'")[0][0]
    # the bouts' 17 and the day's pace prompt
    ok(r.returncode == 0 and failed == 18 and r.stderr.count("notifications:") == 1,
       "no server: tracking goes on, prompts recorded as failed, one warning",
       "%d failed; %s" % (failed, r.stderr))
    dbusmock.DBusTestCase.stop_dbus(dbusmock.DBusTestCase.session_bus_pid)

    return finish(30)


if __name__ == "__main__":
    sys.exit(main())
