#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Prompts that people act on, end to end: the real sitlogd on a mock chair switch (umockdev),
python-dbusmock's notification server on a private session bus and its logind on a private
system bus, and the real `sitlog` CLI talking to the daemon's control interface. The tracking
times are shortened by a config file so that the whole run takes about a minute.

What it shows: a prompt with Done and Snooze actions; a Snooze click moves the next prompt; a
Done click is recorded; unanswered prompts escalate; a break closes the notification on screen;
the control interface's properties, PostureChanged signal, bounded arguments and named errors;
sitlog pause/resume/status (a pause survives a restart); a locked session keeps prompts quiet,
known from logind's PropertiesChanged alone (with the value, or invalidated and read again), and
an unlock shows them again; so does an idle inhibitor; a server without actions gets none; a
server that goes away and comes back. Run under `umockdev-wrapper`. TAP output.
"""
import argparse
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

CONFIG = """[Tracking]
min_segment=300ms
break_min=2s
[Reminders]
remind_after=3s
repeat_every=2s
heed_window=2s
snooze=4s
escalate_after=2
quiet_when_inhibited=true
"""


class Notifications:
    """python-dbusmock's notification daemon, with or without the actions capability"""

    def __init__(self, caps):
        import dbus
        import dbusmock
        self.server, obj = dbusmock.DBusTestCase.spawn_server_template(
            "notification_daemon", {"capabilities": caps}, stdout=subprocess.DEVNULL)
        self.mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)

        self.seen = []  # when each Notify was first seen (dbusmock's times are whole seconds)

    def notifies(self):
        calls = [args for (_, args) in self.mock.GetMethodCalls("Notify")]
        while len(self.seen) < len(calls):
            self.seen.append(time.time())
        return list(zip(self.seen, calls))

    def closes(self):
        return [int(args[0]) for (_, args) in self.mock.GetMethodCalls("CloseNotification")]

    def caps_asked(self):
        return len(self.mock.GetMethodCalls("GetCapabilities"))

    def wait_notifies(self, bed, n, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.notifies()) >= n:
                return True
            bed.spin(0.05)
        return False

    def click(self, notification_id, action):
        import dbus
        self.mock.EmitSignal("org.freedesktop.Notifications", "ActionInvoked", "us",
                             [dbus.UInt32(notification_id), action])

    def last_id(self):
        """the server numbers new notifications 1, 2, ...; a replacement keeps its number"""
        return sum(1 for (_, args) in self.notifies() if int(args[1]) == 0)

    def close(self, notification_id, reason):
        import dbus
        self.mock.EmitSignal("org.freedesktop.Notifications", "NotificationClosed", "uu",
                             [dbus.UInt32(notification_id), dbus.UInt32(reason)])

    def stop(self):
        self.server.terminate()
        self.server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 77
    try:
        import dbus
        import dbusmock
    except ImportError:
        print("1..0 # SKIP no python3-dbusmock")
        return 77

    tmp = tempfile.mkdtemp(prefix="sitlog-prompts-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG)

    # GNOME's do-not-disturb: the one key of org.gnome.desktop.notifications that sitlog reads,
    # in a private schema dir, with GSettings' keyfile backend in a private config dir
    schemas = os.path.join(tmp, "schemas")
    os.makedirs(schemas)
    with open(os.path.join(schemas, "org.gnome.desktop.notifications.gschema.xml"), "w") as f:
        f.write('<schemalist><schema id="org.gnome.desktop.notifications" '
                'path="/org/gnome/desktop/notifications/"><key name="show-banners" type="b">'
                '<default>true</default></key></schema></schemalist>\n')
    subprocess.run(["glib-compile-schemas", schemas], check=True)
    os.environ.update(GSETTINGS_SCHEMA_DIR=schemas, GSETTINGS_BACKEND="keyfile",
                      XDG_CONFIG_HOME=os.path.join(tmp, "config"))

    # the test ends what it started, also when it fails: no dbus-daemon outlives it
    start_bus()
    start_bus(system=True)
    logind, logind_obj = dbusmock.DBusTestCase.spawn_server_template(
        "logind", {}, stdout=subprocess.DEVNULL)
    logind_mock = dbus.Interface(logind_obj, dbusmock.MOCK_IFACE)
    # the template's GetUser adds a str to a dbus.UInt32 and fails (python-dbusmock 0.28.7)
    logind_mock.AddMethod("org.freedesktop.login1.Manager", "GetUser", "u", "o",
                          'ret = "/org/freedesktop/login1/user/%d" % args[0]')
    # logind always has BlockInhibited, and signals its changes (PropertiesChanged)
    logind_mock.AddProperty("org.freedesktop.login1.Manager", "BlockInhibited", "")
    session_path = logind_mock.AddSession(
        "c1", "seat0", dbus.UInt32(os.getuid()), "sitter", True)
    session_obj = dbus.SystemBus().get_object("org.freedesktop.login1", session_path)
    session = dbus.Interface(session_obj, "org.freedesktop.login1.Session")
    session_mock = dbus.Interface(session_obj, dbusmock.MOCK_IFACE)
    # changes LockedHint without a signal (logind would send one): for the tests that send
    # the signal themselves
    session_mock.AddMethod("org.freedesktop.login1.Session", "SetLockedHintSilently", "b", "",
                           'self.props["org.freedesktop.login1.Session"]["LockedHint"] = args[0]')

    def session_changed(changed, invalidated=()):
        session_mock.EmitSignal("org.freedesktop.DBus.Properties", "PropertiesChanged",
                                "sa{sv}as", ["org.freedesktop.login1.Session",
                                             dbus.Dictionary(changed, signature="sv"),
                                             dbus.Array(invalidated, signature="s")])
    notes = Notifications("body actions")

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

    def rows_become(sql, want, timeout=2):
        """rows(sql) once they equal want, else as they are after timeout: the daemon may
        commit a moment after what the bus already shows"""
        end = time.monotonic() + timeout
        got = rows(sql)
        while got != want and time.monotonic() < end:
            bed.spin(0.05)
            got = rows(sql)
        return got

    def quiet_becomes(want, timeout=4):
        """status' "quiet" once it is want, else as it is after timeout"""
        end = time.monotonic() + timeout
        got = status().get("quiet")
        while got != want and time.monotonic() < end:
            bed.spin(0.1)
            got = status().get("quiet")
        return got

    def start():
        d = Daemon(args.sitlogd, bed, db, config, notify="desktop",
                   system_bus=os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
        d.wait_for(bed, "using /dev/input/event1")
        return d

    monitor = subprocess.Popen(["gdbus", "monitor", "--session", "--dest", "io.sitlog.Sitlog1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    d = start()
    st = status()
    ok(st.get("daemon") == "running" and st.get("posture") == "unknown"
       and st.get("bout_start") is None, "sitlog status asks the daemon: nobody seated yet",
       repr(st))

    # the control interface's arguments are bounded (366 days), and its errors are named
    control = dbus.Interface(dbus.SessionBus().get_object("io.sitlog.Sitlog1",
                                                          "/io/sitlog/Sitlog1"),
                             "io.sitlog.Sitlog1")

    def refusal(method, seconds):
        try:
            getattr(control, method)(dbus.UInt64(seconds))
        except dbus.exceptions.DBusException as e:
            return e.get_dbus_name()
        return None
    year = 366 * 24 * 3600
    refused = [refusal("Pause", year + 1), refusal("Snooze", 2**64 - 1)]
    ok(refused == ["org.freedesktop.DBus.Error.InvalidArgs"] * 2,
       "Pause and Snooze longer than 366 days are refused with InvalidArgs", repr(refused))
    ok(refusal("Snooze", year) == "io.sitlog.Sitlog1.Error.NoBout",
       "Snooze without an open bout: io.sitlog.Sitlog1.Error.NoBout", d.log())
    st = status()
    ok(st.get("paused_until") is None and st.get("quiet") is None,
       "a refused Pause pauses nothing", repr(st))

    # sit down: the first prompt, with actions
    sat = time.time()
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    ok(notes.wait_notifies(bed, 1, 8), "a prompt after remind_after of sitting", d.log())
    st = status()
    ok(st.get("posture") == "sitting" and st.get("bout_start") and st.get("next_prompt"),
       "status: sitting, the bout's start and the next prompt", repr(st))
    t1, n1 = notes.notifies()[0]
    (app, _, _, summary, body, actions, hints, _) = n1
    ok([str(a) for a in actions] == ["done", "Done", "snooze", "Snooze 4 s"],
       "Done and Snooze actions when the server has the actions capability", repr(actions))
    ok(int(hints.get("urgency", -1)) == 1 and "sitting for" in str(summary),
       "a normal-urgency prompt first", repr(hints))

    # Snooze: the next prompt comes at the click + snooze (4 s), not on the schedule (+2 s)
    bed.spin(0.3)
    clicked = time.time()
    notes.click(1, "snooze")
    ok(notes.wait_notifies(bed, 2, 8), "a prompt after the snooze", d.log())
    t2 = notes.notifies()[1][0]
    ok(3.5 <= t2 - clicked <= 5.5, "Snooze moves the next prompt to click + snooze length",
       "%.2f s after the click" % (t2 - clicked))
    ok(rows("SELECT response, reason FROM prompts ORDER BY id LIMIT 2")
       == [("snoozed", "due"), (None, "snoozed")],
       "the snooze is recorded as the first prompt's response",
       repr(rows("SELECT * FROM prompts")))

    # Done on the second; the third and fourth go unanswered; the fifth escalates
    notes.click(1, "done")
    ok(notes.wait_notifies(bed, 5, 12), "prompts go on while the bout does", d.log())
    ok(notes.caps_asked() == 1, "the server's capabilities are asked once, not at every prompt",
       "%d GetCapabilities calls for %d prompts" % (notes.caps_asked(), len(notes.notifies())))
    calls = notes.notifies()
    urgencies = [int(c[1][6].get("urgency", -1)) for c in calls[:5]]
    ok(urgencies == [1, 1, 1, 1, 2] and "Still sitting" in str(calls[4][1][3]),
       "after 2 unanswered prompts (escalate_after=2) the next is critical, other words",
       repr(urgencies) + str(calls[4][1][3]))
    # after the snoozed prompt the schedule goes on without drift (bout start + 3 s + k * 2 s)
    gaps = [b[0] - a[0] for a, b in zip(calls[2:4], calls[3:5])]
    ok(all(1.7 <= g <= 2.4 for g in gaps), "escalating prompts come every repeat_every, not more",
       repr(gaps))
    ok(rows("SELECT response FROM prompts ORDER BY id LIMIT 2")[1] == ("done",),
       "Done is recorded", repr(rows("SELECT * FROM prompts")))
    exercises = [str(c[1][6].get("x-sitlog-exercise", "")) for c in calls[:5]]
    ok(len(set(exercises)) == 5, "no exercise repeats within the rotation", repr(exercises))

    # stand up: once the break is confirmed the notification on screen closes by itself
    bed.write(1, frame((EV_KEY, BTN_0, 0)))
    end = time.monotonic() + 6
    while time.monotonic() < end and not notes.closes():
        bed.spin(0.05)
    ok(notes.closes() == [1], "a break closes the open notification", repr(notes.closes()))
    # the notification is closed inside the transaction that records it
    last = rows_become("SELECT response, heeded FROM prompts ORDER BY id DESC LIMIT 1",
                       [("auto-closed", 1)])
    ok(last == [("auto-closed", 1)], "recorded as auto-closed, and heeded", repr(last))
    st = status()
    ok(st.get("posture") in ("away", "standing") and st.get("bout_start") is None,
       "status after the break: no bout open", repr(st))

    # the signal and the properties went out on the bus
    monitor.terminate()
    mon = monitor.communicate()[0]
    ok("PostureChanged ('sitting'" in mon and "'NextPrompt'" in mon,
       "PostureChanged and PropertiesChanged are emitted", mon[-2000:])

    # pause: tracking goes on, prompts are kept as suppressed
    r = sitlog("pause", "1h")
    ok(r.returncode == 0 and "paused until" in r.stdout, "sitlog pause 1h", r.stdout + r.stderr)
    shown = len(notes.notifies())
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    bed.spin(3.8)
    ok(len(notes.notifies()) == shown, "no notification while paused", d.log())
    sup = rows("SELECT reason, delivery FROM prompts ORDER BY id DESC LIMIT 1")
    ok(sup == [("suppressed", "paused")], "the prompt that fell due is kept as suppressed",
       repr(sup))
    st = status()
    ok(st.get("paused_until") and st.get("quiet") == "paused", "status says paused", repr(st))

    # the pause survives a restart
    d.stop(bed)
    d = start()
    ok(d.wait_for(bed, "prompts stay paused until"), "a pause survives a daemon restart",
       d.log())
    st = status()
    ok(bool(st.get("paused_until")), "and status still says so", repr(st))

    r = sitlog("resume")
    ok(r.returncode == 0 and "shown again" in r.stdout, "sitlog resume", r.stdout + r.stderr)
    ok(notes.wait_notifies(bed, shown + 1, 6), "after resume, prompts are shown again", d.log())

    # the server says why a notification closed: it expired (1), the user dismissed it (2)
    notes.close(notes.last_id(), 1)
    bed.spin(0.3)
    last = rows("SELECT response FROM prompts ORDER BY id DESC LIMIT 1")
    ok(last == [("expired",)], "an expired notification is recorded as expired", repr(last))
    ok(notes.wait_notifies(bed, shown + 2, 4), "the next prompt comes as a new notification",
       d.log())
    notes.close(notes.last_id(), 2)
    bed.spin(0.3)
    last = rows("SELECT response FROM prompts ORDER BY id DESC LIMIT 1")
    ok(last == [("dismissed",)], "a dismissed notification is recorded as dismissed",
       repr(last))

    # a locked session keeps prompts quiet
    session.SetLockedHint(True)
    bed.spin(2.5)
    lock = rows("SELECT reason, delivery FROM prompts ORDER BY id DESC LIMIT 1")
    ok(lock == [("suppressed", "locked")], "a prompt due while the session is locked is quiet",
       repr(lock))
    session.SetLockedHint(False)

    # the lock is known from logind's signal alone, not read when a prompt falls due: a
    # PropertiesChanged whose value the property itself does not hold
    q = quiet_becomes(None)
    session_changed({"LockedHint": True})
    q_locked = quiet_becomes("locked")
    ok(q is None and q_locked == "locked",
       "a lock signalled after the daemon started: status says quiet (locked) at once",
       "%r, then %r" % (q, q_locked))
    shown = len(notes.notifies())
    bed.spin(2.5)
    lock = rows("SELECT reason, delivery FROM prompts ORDER BY id DESC LIMIT 1")
    ok(lock == [("suppressed", "locked")] and len(notes.notifies()) == shown,
       "the next prompt after a signalled lock is quiet", repr(lock))
    session_changed({"LockedHint": False})
    q = quiet_becomes(None)
    ok(q is None and notes.wait_notifies(bed, shown + 1, 4),
       "after a signalled unlock the next prompt is shown", "%r\n%s" % (q, d.log()))
    # a PropertiesChanged that only names LockedHint (invalidated): the daemon reads it then
    session.SetLockedHintSilently(True)
    session_changed({}, ["LockedHint"])
    q_locked = quiet_becomes("locked")
    session.SetLockedHintSilently(False)
    session_changed({}, ["LockedHint"])
    q = quiet_becomes(None)
    ok(q_locked == "locked" and q is None,
       "an invalidated LockedHint is read again: locked, then unlocked", "%r, %r" % (q_locked, q))

    # the user's display session changes (logind signals User.Display): its lock is the one
    # that counts from then on
    session2_path = logind_mock.AddSession(
        "c2", "seat0", dbus.UInt32(os.getuid()), "sitter", True)
    user = dbus.Interface(dbus.SystemBus().get_object(
        "org.freedesktop.login1", "/org/freedesktop/login1/user/%d" % os.getuid()),
        "org.freedesktop.DBus.Properties")
    # dbusmock's Set signals PropertiesChanged with the value, as logind does
    user.Set("org.freedesktop.login1.User", "Display",
             dbus.Struct(("c2", dbus.ObjectPath(session2_path)), signature="so"))
    session2 = dbus.Interface(dbus.SystemBus().get_object("org.freedesktop.login1",
                                                          session2_path),
                              "org.freedesktop.login1.Session")
    session2.SetLockedHint(True)
    q_locked = quiet_becomes("locked")
    session2.SetLockedHint(False)
    q = quiet_becomes(None)
    ok(q_locked == "locked" and q is None,
       "a new display session is followed: its lock and unlock count", "%r, %r\n%s"
       % (q_locked, q, d.log()))

    # so does an idle inhibitor (a video, slides), with quiet_when_inhibited=true
    logind_mock.UpdateProperties("org.freedesktop.login1.Manager",
                                 {"BlockInhibited": "handle-lid-switch:idle"})
    bed.spin(2.2)
    inh = rows("SELECT reason, delivery FROM prompts ORDER BY id DESC LIMIT 1")
    ok(inh == [("suppressed", "idle-inhibited")], "a prompt due while idle is inhibited is quiet",
       repr(inh))
    dbus.Interface(logind_obj, "org.freedesktop.DBus.Properties").Set(
        "org.freedesktop.login1.Manager", "BlockInhibited", "")

    r = sitlog("snooze", "1min")
    st = status()
    ok(r.returncode == 0 and "Next prompt at" in r.stdout, "sitlog snooze 1min",
       r.stdout + r.stderr)

    # retention through the running daemon (the only writer): what ended before the time goes;
    # the open bout and segment stay and are written on to the end
    cut = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - 2))
    closed = rows("SELECT count(*) FROM segments")[0][0]
    r = sitlog("prune", "--before", cut, "--yes")
    left = rows("SELECT count(*) FROM segments")[0][0]
    ok(r.returncode == 0 and "Deleted" in r.stdout and d.wait_for(bed, "pruned what ended") and
       0 < left < closed and rows("SELECT count(*) FROM bouts WHERE ended_by IS NULL") == [(1,)],
       "sitlog prune goes through the daemon; the open bout stays",
       "%s%s %d -> %d" % (r.stdout, r.stderr, closed, left))

    # a server without actions gets none; one that goes away is retried
    d.stop(bed)
    ok("cannot record" not in d.log(), "after the prune the open rows were written to the end",
       d.log())
    notes.stop()
    bed.write(1, frame((EV_KEY, BTN_0, 0)))
    d = start()
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    ok(d.wait_for(bed, "notifications:", timeout=8),
       "no notification server: the failure is logged", d.log())
    notes = Notifications("body")
    ok(notes.wait_notifies(bed, 1, 6) and d.wait_for(bed, "shown again"),
       "a server that comes back is used at the next prompt", d.log())
    n = notes.notifies()
    ok(n and len(n[0][1][5]) == 0, "a server without actions gets none",
       repr(n[0][1][5]) if n else "")
    ok(notes.wait_notifies(bed, 2, 6) and notes.caps_asked() == 1,
       "a new server (another owner of the name) is asked once again",
       "%d GetCapabilities calls" % notes.caps_asked())
    failed = rows("SELECT count(*) FROM prompts WHERE delivery = 'failed'")[0][0]
    ok(failed >= 1, "the prompt that could not be shown is recorded as failed", str(failed))

    # GNOME's "do not disturb" (show-banners off), switched while the daemon runs
    def banners(on):
        subprocess.run(["gsettings", "set", "org.gnome.desktop.notifications", "show-banners",
                        "true" if on else "false"], check=True)
    banners(False)
    shown = len(notes.notifies())
    bed.spin(2.5)
    dnd = rows("SELECT reason, delivery FROM prompts ORDER BY id DESC LIMIT 1")
    ok(dnd == [("suppressed", "do-not-disturb")] and len(notes.notifies()) == shown,
       "GNOME's do-not-disturb keeps prompts quiet", repr(dnd) + "\n" + d.log())
    banners(True)
    ok(notes.wait_notifies(bed, shown + 1, 4), "and they come back when it is off", d.log())

    rc = d.stop(bed)
    ok(rc == 0, "sitlogd stops cleanly", d.log())
    r = sitlog("status")
    ok(r.returncode == 0 and "not running" in r.stdout and "sitting" in r.stdout,
       "sitlog status without the daemon reads the database, and says so", r.stdout + r.stderr)
    r = sitlog("pause")
    ok(r.returncode == 1 and "not running" in r.stderr, "pause without a daemon: a clear error",
       r.stderr)

    notes.stop()
    logind.terminate()
    logind.wait()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
