#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Suspend is never sitting (issue 19, item 5), with the real sitlogd under umockdev and
python-dbusmock's logind on a private system bus.

A sleep cannot be made here, so the test makes one as the daemon would see it: the daemon is
stopped (SIGSTOP: nothing of it runs, as in a suspend) for SLEPT seconds, and its one test seam,
SITLOG_TEST_SLEPT_FILE, says the system slept that long (CLOCK_MONOTONIC is read that much
behind, so CLOCK_BOOTTIME - CLOCK_MONOTONIC grows by it, as after a real suspend).

1. The delay lock: sitlogd holds logind's Inhibit("sleep", "sitlog", ..., "delay").
2. A sleep whose signals come late (no delay lock honoured): sitting, the sleep, then the
   person gets up after the resume, and only then PrepareForSleep(true) and (false) arrive.
   The sitting ends where the daemon last looked before the sleep, the sleep is unknown, the
   bout ended by a break there; the late (true) changes nothing.
3. An announced sleep: PrepareForSleep(true) releases the lock once what was open is written,
   (false) takes it again.
Runs under umockdev-wrapper. TAP output.
"""
import argparse
import os
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
remind_after=30min
"""
SLEPT = 5


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

    tmp = tempfile.mkdtemp(prefix="sitlog-suspend-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    slept = os.path.join(tmp, "slept")
    with open(config, "w") as f:
        f.write(CONFIG)
    start_bus(system=True)
    logind, logind_obj = dbusmock.DBusTestCase.spawn_server_template(
        "logind", {}, stdout=subprocess.DEVNULL)
    manager = dbus.Interface(logind_obj, dbusmock.MOCK_IFACE)
    logind_manager = dbus.Interface(logind_obj, "org.freedesktop.login1.Manager")

    def ours():
        return [tuple(str(x) for x in i[:4]) for i in logind_manager.ListInhibitors()
                if str(i[1]) == "sitlog"]

    def wait_lock(held, timeout=5):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if bool(ours()) == held:
                return True
            bed.spin(0.05)
        return False

    def prepare_for_sleep(sleeping):
        manager.EmitSignal("org.freedesktop.login1.Manager", "PrepareForSleep", "b", [sleeping])

    bed = Bed()
    chair = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
    chair.keys.add(BTN_0)  # sitting from the start
    bed.add(1, chair, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
    d = Daemon(args.sitlogd, bed, db, config, system_bus=os.environ["DBUS_SYSTEM_BUS_ADDRESS"],
               env={"SITLOG_TEST_SLEPT_FILE": slept})
    ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event1"), "a chair switch, pressed",
       d.log())
    ok(wait_lock(True) and ours() == [("sleep", "sitlog",
                                       "Ends the open sitting bout before the system sleeps",
                                       "delay")],
       "sitlogd holds a delay lock on sleep", repr(ours()) + "\n" + d.log())

    # 2. the sleep, told late
    bed.spin(2.0)
    stopped = time.time()
    os.kill(d.p.pid, signal.SIGSTOP)
    with open(slept, "w") as f:
        f.write("%d\n" % SLEPT)
    time.sleep(SLEPT)
    os.kill(d.p.pid, signal.SIGCONT)
    resumed = time.time()
    bed.write(1, frame((EV_KEY, BTN_0, 0)))  # up at the resume
    ok(d.wait_for(bed, "the system slept for %d s" % SLEPT), "the sleep is seen on the clocks",
       d.log())
    bed.spin(0.5)
    prepare_for_sleep(True)
    ok(d.wait_for(bed, "came after the sleep it announces"),
       "the late PrepareForSleep(true) is recognised as late", d.log())
    bed.spin(0.5)
    prepare_for_sleep(False)
    ok(d.wait_for(bed, "resumed"), "the late PrepareForSleep(false) is heard", d.log())
    ok(wait_lock(True), "the delay lock is held again after PrepareForSleep(false)",
       repr(ours()))
    bed.spin(1.0)
    bed.write(1, frame((EV_KEY, BTN_0, 1)))  # back on the chair
    bed.spin(1.5)

    # 3. an announced sleep: the lock is let go once (true) is handled, taken after (false)
    d.lines.clear()
    prepare_for_sleep(True)
    ok(d.wait_for(bed, "suspending") and wait_lock(False),
       "PrepareForSleep(true): what is open is closed and the delay lock released",
       repr(ours()) + "\n" + d.log())
    announced = time.time()
    prepare_for_sleep(False)
    ok(d.wait_for(bed, "resumed") and wait_lock(True),
       "PrepareForSleep(false): the delay lock is taken again", repr(ours()) + "\n" + d.log())
    bed.spin(1.0)
    code = d.stop(bed)
    ok(code == 0, "sitlogd stops cleanly", "exit %s\n%s" % (code, d.log()))
    logind.terminate()
    logind.wait()
    dbusmock.DBusTestCase.stop_dbus(dbusmock.DBusTestCase.system_bus_pid)

    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute("SELECT posture, start_ms, end_ms FROM segments "
                       "ORDER BY start_ms, id").fetchall()
    bouts = con.execute("SELECT start_ms, end_ms, ended_by FROM bouts "
                        "ORDER BY start_ms").fetchall()
    con.close()
    detail = "stopped %d, resumed %d, announced %d\n%r\n%r\n%s" % (
        stopped * 1000, resumed * 1000, announced * 1000, rows, bouts, d.log())
    postures = [r[0] for r in rows]
    chained = all(rows[i][2] == rows[i + 1][1] for i in range(len(rows) - 1))
    ok(postures == ["sitting", "unknown", "away", "sitting", "unknown", "sitting"] and chained,
       "segments: sitting, unknown over the sleep, away after it, sitting, unknown over the "
       "announced sleep, sitting", detail)
    if len(rows) >= 3:
        ok(rows[0][2] <= stopped * 1000 + 50 and rows[1][2] - rows[1][1] >= SLEPT * 1000,
           "the sitting ends where the daemon last looked before the sleep, not when the "
           "late signal came; the sleep is unknown", detail)
    else:
        ok(False, "the sitting ends before the sleep", detail)
    ok(len(bouts) >= 2 and bouts[0][2] == "break" and rows and bouts[0][1] == rows[0][2]
       and bouts[0][1] <= stopped * 1000 + 50,
       "the bout ended by a break where the sleep began", detail)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
