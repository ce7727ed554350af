#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Shared workstations (DESIGN.md, Devices): the real sitlogd reads its devices only while the
user's session is the active one on the seat. python-dbusmock's logind on a private system bus
gives the user one session on seat0 whose Active property the test flips (UpdateProperties: a
PropertiesChanged with the value, as logind sends; or the value set silently and the property
only named as invalidated); umockdev gives the chair switches.

Phase 1: started while another session is active, nothing is opened; active: opened; the
session becomes inactive while sitting: the device is closed at once (its node is no longer open
in the daemon, input written meanwhile stays unread), unknown from that moment; active again:
reopened in its old slot, its state read afresh. Phase 2: a role device whose node cannot be
opened (EACCES: the node made unreadable, as before logind grants the uaccess ACL) is said once
and opened at its next udev "change" event, another at the session's activation; one plugged in
while the session is inactive is not opened until it is active. Run under `umockdev-wrapper`.
TAP output; skips (exit 0) without umockdev or python-dbusmock.
"""
import argparse
import ctypes
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

CONFIG = """[Tracking]
min_segment=300ms
break_min=2s
[Reminders]
remind_after=30min
"""

SESSION = "org.freedesktop.login1.Session"

UNREAD = """import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
n = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, struct.pack("i", 0)))[0]
termios.tcflush(fd, termios.TCIFLUSH)
print(n)
"""
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def skip(why):
    print("1..0 # SKIP " + why)
    return 0


def drop_dac_override():
    """root opens a mode-000 node anyway: take the override away from every child (bounding
    set; the inheritable set is empty), so that the daemon meets EACCES as a user would.
    True when a child will see file modes."""
    if os.geteuid() != 0:
        return True
    libc = ctypes.CDLL(None, use_errno=True)
    return all(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0
               for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        return skip("not running under umockdev-wrapper")
    try:
        import dbus
        import dbusmock
        from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame, start_bus
    except (ImportError, ValueError) as e:
        return skip("no python3-dbusmock or umockdev (%s)" % e)
    modes_bite = drop_dac_override()

    tmp = tempfile.mkdtemp(prefix="sitlog-switch-")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG)

    start_bus(system=True)
    logind, logind_obj = dbusmock.DBusTestCase.spawn_server_template(
        "logind", {}, stdout=subprocess.DEVNULL)
    logind_mock = dbus.Interface(logind_obj, dbusmock.MOCK_IFACE)
    # the template's GetUser adds a str to a dbus.UInt32 and fails (python-dbusmock 0.28.7)
    logind_mock.AddMethod("org.freedesktop.login1.Manager", "GetUser", "u", "o",
                          'ret = "/org/freedesktop/login1/user/%d" % args[0]')
    # the user's session on seat0, not the active one yet (someone else's is)
    session_path = logind_mock.AddSession("c1", "seat0", dbus.UInt32(os.getuid()), "sitter",
                                          False)
    session_obj = dbus.SystemBus().get_object("org.freedesktop.login1", session_path)
    session_mock = dbus.Interface(session_obj, dbusmock.MOCK_IFACE)
    session_mock.AddMethod(SESSION, "SetActiveSilently", "b", "",
                           'self.props["%s"]["Active"] = args[0]' % SESSION)

    def set_active(on):
        """as logind does at a switch: PropertiesChanged with the new value"""
        session_mock.UpdateProperties(SESSION, {"Active": dbus.Boolean(on)})

    def set_active_invalidated(on):
        dbus.Interface(session_obj, SESSION).SetActiveSilently(dbus.Boolean(on))
        session_mock.EmitSignal("org.freedesktop.DBus.Properties", "PropertiesChanged",
                                "sa{sv}as", [SESSION, dbus.Dictionary({}, signature="sv"),
                                             dbus.Array(["Active"], signature="s")])

    running = []
    try:
        bed = Bed()
        root = bed.tb.get_root_dir()

        def node_target(n):
            """the PTY behind a mock node: what the daemon has open while it reads the device"""
            return os.readlink(os.path.join(root, "dev/input/event%d" % n))

        def node_open(d, n):
            target = node_target(n)
            fds = os.path.join("/proc", str(d.p.pid), "fd")
            for fd in os.listdir(fds):
                try:
                    if os.readlink(os.path.join(fds, fd)) == target:
                        return True
                except OSError:
                    pass
            return False

        def unread_then_flush(n):
            """bytes written to the node that nobody read; then dropped, as a new evdev client
            never sees events from before its open. In a child without the preload: here
            umockdev would take the PTY's ioctls for the mock device's."""
            env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
            r = subprocess.run([sys.executable, "-c", UNREAD, node_target(n)], env=env,
                               capture_output=True, text=True, timeout=20)
            try:
                return int(r.stdout)
            except ValueError:
                return "?" + r.stderr

        def rows(db, sql):
            con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
            try:
                return con.execute(sql).fetchall()
            finally:
                con.close()

        def now_ms():
            return int(time.time() * 1000)

        def start(db):
            d = Daemon(args.sitlogd, bed, db, config,
                       system_bus=os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
            running.append(d)
            return d

        # ---- phase 1: a switch, the session inactive at start ----
        switch = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
        bed.add(1, switch, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
        db1 = os.path.join(tmp, "switch.db")
        d = start(db1)
        ok(d.wait_for(bed, "the session is not the active one on its seat: devices are read"),
           "started while the session is not the active one: said so", d.log())
        bed.spin(1.0)
        ok(switch.requests == 0 and not node_open(d, 1)
           and "using /dev/input/event1" not in d.log(),
           "nothing is opened while the session is not the active one",
           "%d ioctls\n%s" % (switch.requests, d.log()))

        t_active = now_ms()
        set_active(True)
        ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event1") and node_open(d, 1),
           "the session becomes active (PropertiesChanged Active=true): the switch is opened",
           d.log())
        bed.spin(0.5)
        bed.write(1, frame((EV_KEY, BTN_0, 1)))
        bed.spin(1.0)

        # fast user switching: another session becomes the active one
        t_off = now_ms()
        set_active(False)
        closed = d.wait_for(bed, "USB Chair Switch: closed; posture unknown")
        t_off_seen = now_ms()
        requests = switch.requests
        ok(closed and not node_open(d, 1),
           "the session becomes inactive: the device is closed at once", d.log())

        # someone else sits down and gets up while the user is away: nobody reads it
        bed.write(1, frame((EV_KEY, BTN_0, 0)))
        bed.spin(0.4)
        bed.write(1, frame((EV_KEY, BTN_0, 1)))
        bed.spin(0.4)
        bed.write(1, frame((EV_KEY, BTN_0, 0)))
        bed.spin(0.4)
        bed.write(1, frame((EV_KEY, BTN_0, 1)))  # the user is back in the chair
        bed.spin(0.8)
        unread = unread_then_flush(1)
        ok(unread == 4 * 2 * struct.calcsize("llHHi") and switch.requests == requests
           and not node_open(d, 1),
           "input written while inactive stays unread (no reads, no ioctls)",
           "%d bytes unread, %d ioctls after the close" % (unread, switch.requests - requests))

        d.lines.clear()
        t_on = now_ms()
        set_active(True)
        ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event1") and node_open(d, 1)
           and switch.requests > requests,
           "active again: the switch is reopened and its state read afresh", d.log())
        bed.spin(1.0)
        bed.write(1, frame((EV_KEY, BTN_0, 0)))
        bed.spin(1.0)

        # logind may also only name the property (invalidated): the daemon reads it then
        d.lines.clear()
        set_active_invalidated(False)
        off2 = d.wait_for(bed, "USB Chair Switch: closed") and not node_open(d, 1)
        set_active_invalidated(True)
        on2 = d.wait_for(bed, "USB Chair Switch: using /dev/input/event1") and node_open(d, 1)
        ok(off2 and on2, "an invalidated Active is read again: closed, then reopened", d.log())
        bed.spin(1.0)
        code = d.stop(bed)
        ok(code == 0, "sitlogd stops cleanly", d.log())

        segs = rows(db1, "SELECT s.posture, s.start_ms, s.end_ms, d.name FROM segments s "
                         "LEFT JOIN devices d ON d.id = s.device_id ORDER BY s.start_ms, s.id")
        devices = rows(db1, "SELECT name FROM devices")
        postures = [s[0] for s in segs]
        ok(postures == ["away", "sitting", "unknown", "sitting", "away", "unknown", "away"],
           "segments: away, sitting, unknown while switched away, sitting again (read afresh), "
           "away, unknown, away", repr(segs))
        ok(segs and segs[0][1] >= t_active - 100,
           "nothing is recorded before the session first becomes active",
           "first segment at %d, active at %d" % (segs[0][1] if segs else 0, t_active))
        unknown = [s for s in segs if s[0] == "unknown"]
        ok(unknown and t_off - 50 <= unknown[0][1] <= t_off_seen + 50
           and t_on - 50 <= unknown[0][2] <= t_on + 1000 and unknown[0][3] is None,
           "unknown from the moment of the switch (no debounce) until active again",
           "unknown %r, switched away at %d..%d, back at %d" % (unknown[:1], t_off, t_off_seen,
                                                                t_on))
        during = [s for s in segs if s[0] != "unknown" and s[2] > t_off_seen + 50
                  and s[1] < t_on - 50]
        ok(not during, "no posture recorded while another session was active", repr(during))
        ok(devices == [("USB Chair Switch",)],
           "the reopened switch keeps its device row (its old session slot)", repr(devices))
        bed.unplug(1)

        # ---- phase 2: devices that cannot be opened yet ----
        set_active(True)

        def add_pressed(n, name, product):
            dev = EvdevDevice(name, (3, 0x1209, product, 0x100), {EV_KEY: [BTN_0]})
            dev.keys.add(BTN_0)
            bed.add(n, dev, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
            return dev

        if not modes_bite:
            ok(True, "# SKIP cannot drop CAP_DAC_OVERRIDE as root: EACCES not tested")
        else:
            add_pressed(2, "Desk Chair Switch", 0x5E50)
            add_pressed(3, "Hot Desk Mat Switch", 0x5E51)
            nodes = {n: os.path.join(root, "dev/input/event%d" % n) for n in (2, 3)}
            modes = {n: os.stat(p).st_mode & 0o7777 for n, p in nodes.items()}
            for p in nodes.values():
                os.chmod(p, 0)  # follows the symlink: the PTY itself
            db2 = os.path.join(tmp, "eacces.db")
            d = start(db2)
            ok(d.wait_for(bed, "/dev/input/event2: cannot open yet: Permission denied")
               and d.wait_for(bed, "/dev/input/event3: cannot open yet: Permission denied"),
               "a role device whose node is not readable: EACCES is said", d.log())
            # a change event while it is still unreadable: tried, not said again
            bed.tb.uevent(bed.syspath(2), "change")
            ok(d.wait_for(bed, "/dev/input/event2: still cannot open")
               and d.log().count("/dev/input/event2: cannot open yet") == 1,
               "tried again at a udev change event, and said once", d.log())
            bed.spin(1.0)
            ok("Desk Chair Switch: using" not in d.log() and not node_open(d, 2),
               "nothing opens it without an event (no polling)", d.log())

            # access granted (logind's uaccess ACL), udev says "change"
            os.chmod(nodes[2], modes[2])
            t_change = now_ms()
            bed.tb.uevent(bed.syspath(2), "change")
            ok(d.wait_for(bed, "Desk Chair Switch: using /dev/input/event2") and node_open(d, 2),
               "opened at the udev change event once it is readable", d.log())
            bed.spin(1.0)

            # the other one becomes readable while the session is inactive (no event): opened at
            # activation; a device plugged in meanwhile is noted, not opened
            set_active(False)
            ok(d.wait_for(bed, "Desk Chair Switch: closed"), "phase 2: switched away", d.log())
            os.chmod(nodes[3], modes[3])
            pedal = add_pressed(4, "Foot Rest Switch", 0x5E52)
            bed.plug(4)
            ok(d.wait_for(bed, "/dev/input/event4: the session is not active: opened when it is")
               and pedal.requests == 0 and not node_open(d, 4),
               "a device plugged in while inactive is noted, not opened",
               "%d ioctls\n%s" % (pedal.requests, d.log()))
            bed.spin(0.5)
            t_on2 = now_ms()
            set_active(True)
            ok(d.wait_for(bed, "Hot Desk Mat Switch: using /dev/input/event3") and node_open(d, 3),
               "the device that failed with EACCES is opened when the session becomes active",
               d.log())
            ok(d.wait_for(bed, "Foot Rest Switch: using /dev/input/event4")
               and d.wait_for(bed, "Desk Chair Switch: using /dev/input/event2")
               and node_open(d, 4) and node_open(d, 2),
               "at activation the plugged-in device and the closed one are opened too", d.log())
            bed.spin(1.0)
            code = d.stop(bed)
            ok(code == 0, "phase 2: sitlogd stops cleanly", d.log())
            devices = [r[0] for r in rows(db2, "SELECT name FROM devices ORDER BY id")]
            segs = rows(db2, "SELECT posture, start_ms, end_ms FROM segments "
                             "ORDER BY start_ms, id")
            ok(devices == ["Desk Chair Switch", "Hot Desk Mat Switch", "Foot Rest Switch"],
               "devices: each registered once, in the order they were opened", repr(devices))
            ok(segs and segs[0][1] >= t_change - 100 and segs[0][0] == "sitting"
               and [s[0] for s in segs] == ["sitting", "unknown", "sitting"]
               and t_on2 - 50 <= segs[1][2] <= t_on2 + 1000,
               "segments: sitting from the opening at the change event, unknown while inactive, "
               "sitting again", repr(segs) + " change at %d, active at %d" % (t_change, t_on2))
            for n in (2, 3, 4):
                bed.unplug(n)

    finally:
        for d in running:
            if d.p.poll() is None:
                d.p.kill()
                d.p.wait()
        logind.terminate()
        logind.wait()
        dbusmock.DBusTestCase.stop_dbus(dbusmock.DBusTestCase.system_bus_pid)
    return finish(40)


if __name__ == "__main__":
    sys.exit(main())
