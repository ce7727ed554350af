#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
The real sitlogd on live devices, without root or hardware: umockdev gives it mock udev
devices whose evdev ioctls this script answers (UMockdev.IoctlBase) and whose event nodes are
PTYs we write input events into. Run under `umockdev-wrapper` (meson does). TAP output.

Devices: a chair switch (SITLOG_ROLE=seat), a pressure mat plugged in later, an accelerometer
(SITLOG_ROLE=imu), and a keyboard without a role that must never be opened. The tracking
parameters are shortened by a config file so that the whole run takes seconds.
"""
import argparse
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import (ABS_PRESSURE, ABS_X, ABS_Y, ABS_Z, BTN_0, EV_ABS, EV_KEY,  # noqa: E402
                     EV_SYN, INPUT_PROP_ACCELEROMETER, SYN_DROPPED, Bed, Daemon, EvdevDevice,
                     frame, start_bus)



def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 77

    tmp = tempfile.mkdtemp(prefix="sitlog-live-")
    db = os.path.join(tmp, "sitlog.db")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write("[Tracking]\nmin_segment=500ms\nbreak_min=3s\nprolonged=4s\n"
                "[Reminders]\nremind_after=4s\nrepeat_every=2s\nheed_window=2s\n"
                "[Seat]\ngrab=true\n"
                "[Device pedal]\nrole=seat\nid=0c45:7404\n")

    bed = Bed()
    switch = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
    keyboard = EvdevDevice("AT Translated Set 2 keyboard", (0x11, 1, 1, 0xAB41),
                           {EV_KEY: list(range(1, 120))})
    imu = EvdevDevice("Thigh Motion Sensor", (5, 0x054C, 0x0CE6, 0x8100), {EV_ABS: [0, 1, 2]},
                      {c: [0, -32768, 32767, 0, 0, 8192] for c in (0, 1, 2)},
                      props=1 << INPUT_PROP_ACCELEROMETER)
    mat = EvdevDevice("Seat Pressure Mat", (3, 0x1209, 0x5E48, 0x100), {EV_ABS: [ABS_PRESSURE]},
                      {ABS_PRESSURE: [0, 0, 1023, 0, 0, 0]})
    bed.add(1, switch, {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})
    bed.add(2, keyboard, {"ID_INPUT": "1", "ID_INPUT_KEYBOARD": "1", "ID_INPUT_KEY": "1"})
    bed.add(3, imu, {"SITLOG_ROLE": "imu", "SITLOG_IMU_AXIS": "Y", "ID_INPUT": "1",
                     "ID_INPUT_ACCELEROMETER": "1"})

    # a seat role on a device that has neither keys nor the seat axis: refused, not guessed
    odd = EvdevDevice("Odd Joystick", (3, 0x1234, 0x5678, 0x100), {EV_ABS: [ABS_X]},
                      {ABS_X: [0, -512, 511, 0, 0, 0]})
    bed.add(7, odd, {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_JOYSTICK": "1"})

    # no udev role, but a [Device] section of the config matches its ids
    pedal = EvdevDevice("PCsensor FootSwitch", (3, 0x0C45, 0x7404, 0x110), {EV_KEY: [0x30]})
    bed.add(8, pedal, {"PRODUCT": "3/c45/7404/110", "ID_INPUT": "1", "ID_INPUT_KEY": "1"})

    # sitlog devices: what udev shows, and why
    env = dict(os.environ, UMOCKDEV_DIR=bed.tb.get_root_dir())
    r = subprocess.run([args.sitlog, "--config", config, "devices"], env=env,
                       capture_output=True, text=True)
    ok(r.returncode == 0 and "USB Chair Switch" in r.stdout and "Role:    seat" in r.stdout
       and "not used (no sitlog role)" in r.stdout and "4 used by sitlog" in r.stdout
       and "Role:    seat (config [Device pedal])" in r.stdout,
       "sitlog devices lists role devices as used, the keyboard as not", r.stdout + r.stderr)

    d = Daemon(args.sitlogd, bed, db, config)
    ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event1 as a seat sensor"),
       "the chair switch is found at start", d.log())
    ok(d.wait_for(bed, "Thigh Motion Sensor: using /dev/input/event3 as a imu sensor"),
       "the accelerometer is found at start", d.log())
    ok(d.wait_for(bed, "declares neither the seat axis") and "Odd Joystick: using" not in d.log(),
       "a seat role on a device with neither keys nor the seat axis is refused", d.log())
    bed.unplug(7)
    ok(d.wait_for(bed, "PCsensor FootSwitch: using /dev/input/event8") and pedal.grabbed,
       "a device given its role by the config is used (and grabbed)", d.log())
    bed.unplug(8)

    # a second daemon on the same database stops at once
    r = subprocess.run([args.sitlogd, "--db", db, "--config", config], env=env,
                       capture_output=True, text=True, timeout=20)
    ok(r.returncode == 1 and "already recording" in r.stderr, "a second sitlogd is refused",
       r.stderr)

    # sit down, with contact bounce, in small batches
    bed.spin(0.5)
    bed.write(1, frame((EV_KEY, BTN_0, 1)) + frame((EV_KEY, BTN_0, 0)) +
              frame((EV_KEY, BTN_0, 1)))
    # a burst the kernel could not keep: SYN_DROPPED, libevdev resyncs from EVIOCGKEY (down)
    bed.spin(1.0)
    bed.write(1, [(EV_SYN, SYN_DROPPED, 0)] + frame((EV_KEY, BTN_0, 0)) * 3)
    switch.keys.add(BTN_0)  # the state after the burst: still pressed
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    ok(d.wait_for(bed, "prompt 1 at", timeout=8), "a prompt after remind_after of sitting",
       d.log())
    ok(switch.grabbed and not keyboard.grabbed, "[Seat] grab=true grabs the seat switch only")
    ok("SYN_DROPPED, resyncing" in d.log(), "SYN_DROPPED was met and resynced", d.log())

    # unplugged while sitting, back within break_min still pressed: the bout goes on
    bed.unplug(1)
    ok(d.wait_for(bed, "USB Chair Switch: gone"), "an unplugged device is noticed", d.log())
    bed.spin(1.0)
    d.lines.clear()
    # the kernel gives a replugged device a new node; its identity finds its old core slot
    bed.add(5, switch, {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})
    bed.plug(5)
    ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event5"),
       "the device plugged back in is picked up again", d.log())
    bed.spin(1.0)

    # a pressure mat plugged in while sitting
    bed.add(4, mat, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
    bed.plug(4)
    ok(d.wait_for(bed, "Seat Pressure Mat: using /dev/input/event4"),
       "a device plugged in is picked up", d.log())
    bed.write(4, frame((EV_ABS, ABS_PRESSURE, 700)))
    bed.spin(1.0)

    # both seat devices unplugged mid-bout: nothing left that can tell, so unknown from that
    # moment (a fact: no debounce), not standing
    bed.unplug(5)
    bed.unplug(4)
    ok(d.wait_for(bed, "Seat Pressure Mat: gone"), "the second unplug is noticed", d.log())
    bed.spin(1.0)

    # the keyboard (no role) was never opened: libevdev would have asked it ioctls
    ok(keyboard.requests == 0, "the keyboard without a role is never opened",
       "%d ioctls" % keyboard.requests)

    code = d.stop(bed)
    ok(code == 0, "sitlogd stops cleanly on SIGTERM", "exit %s\n%s" % (code, d.log()))

    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    rows = con.execute("SELECT s.posture, d.name, s.end_ms - s.start_ms FROM segments s "
                       "LEFT JOIN devices d ON d.id = s.device_id ORDER BY s.start_ms, s.id").fetchall()
    bouts = con.execute("SELECT start_ms, end_ms, ended_by FROM bouts").fetchall()
    prompts = con.execute("SELECT seq, delivery FROM prompts ORDER BY t_ms").fetchall()
    devices = [r[0] for r in con.execute("SELECT name FROM devices ORDER BY id")]
    con.close()
    postures = [r[0] for r in rows]
    ok(postures == ["away", "sitting", "unknown", "sitting", "unknown"] and
       rows[1][1] == "USB Chair Switch" and rows[2][1] is None and rows[4][1] is None and
       800 <= rows[2][2] <= 3000,
       "segments: away (the switch's state at start), sitting through the bounce and the burst, "
       "unknown while unplugged, sitting again, unknown at the end", repr(rows))
    ok(len(bouts) == 1 and bouts[0][2] == "end",
       "one bout: the replug within break_min continued it", repr(bouts))
    ok(len(prompts) >= 2 and prompts[0] == (0, "log"), "prompts recorded with their delivery",
       repr(prompts))
    ok("AT Translated Set 2 keyboard" not in devices, "no keyboard in the devices table",
       repr(devices))
    out = subprocess.run([args.sitlog, "--db", db, "export", "--format", "csv"],
                         capture_output=True, text=True).stdout
    ok(out.startswith("start,end,posture,device\n") and "sitting,USB Chair Switch" in out,
       "sitlog export shows the live segments", out)

    # phase 2: only the accelerometer (and the keyboard) left. Its mount comes from the udev
    # property SITLOG_IMU_AXIS=Y, so it needs no walk; sampled at 10 Hz while it sends 100 Hz.
    db2 = os.path.join(tmp, "imu.db")
    d = Daemon(args.sitlogd, bed, db2, config)
    ok(d.wait_for(bed, "Thigh Motion Sensor: using /dev/input/event3"),
       "phase 2: the accelerometer alone", d.log())
    g = 8192

    def imu_frames(seconds, angle_from, angle_to):
        """the thigh from one angle to another in about a second, then still"""
        out = []
        for k in range(int(seconds * 100)):
            x = min(k / 100.0, 1.0)
            a = math.radians(angle_from + (angle_to - angle_from) * (0.5 - 0.5 * math.cos(math.pi * x)))
            noise = (k * 37) % 41 - 20
            out += frame((EV_ABS, ABS_X, noise), (EV_ABS, ABS_Y, round(g * math.cos(a))),
                         (EV_ABS, ABS_Z, round(g * math.sin(a))))
        return out

    # thigh horizontal (90 degrees from the axis), then upright
    for (seconds, a, b) in ((3, 90, 90), (4, 90, 0)):
        evs = imu_frames(seconds, a, b)
        for i in range(0, len(evs), 40):  # 10 frames every 0.1 s: 100 Hz
            bed.write(3, evs[i:i + 40])
            bed.spin(0.08)
    code = d.stop(bed)
    con = sqlite3.connect("file:%s?mode=ro" % db2, uri=True)
    rows = con.execute("SELECT posture, end_ms - start_ms FROM segments ORDER BY start_ms").fetchall()
    con.close()
    ok(code == 0 and [r[0] for r in rows] == ["sitting", "standing"] and rows[0][1] >= 2000,
       "the sampled accelerometer with the udev default axis: sitting, then standing",
       repr(rows) + "\n" + d.log())

    bed.unplug(3)

    # phase 3: suspend. logind (python-dbusmock's template on a private system bus) says
    # PrepareForSleep(true): unknown from that moment; (false) after longer than break_min:
    # the switch's state is read afresh and a new bout begins
    try:
        import dbus
        import dbusmock
    except ImportError:
        ok(True, "# SKIP no python3-dbusmock: suspend not tested")
    else:
        start_bus(system=True)
        logind, logind_obj = dbusmock.DBusTestCase.spawn_server_template(
            "logind", {}, stdout=subprocess.DEVNULL)
        sleeper = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
        sleeper.keys.add(BTN_0)  # sitting from the start
        bed.add(6, sleeper, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
        db3 = os.path.join(tmp, "suspend.db")
        d = Daemon(args.sitlogd, bed, db3, config, system_bus=os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
        ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event6"),
           "phase 3: a switch, pressed", d.log())
        bed.spin(2.0)
        manager = dbus.Interface(logind_obj, dbusmock.MOCK_IFACE)
        manager.EmitSignal("org.freedesktop.login1.Manager", "PrepareForSleep", "b", [True])
        ok(d.wait_for(bed, "suspending"), "PrepareForSleep(true) is heard", d.log())
        bed.spin(4.0)  # longer than break_min
        manager.EmitSignal("org.freedesktop.login1.Manager", "PrepareForSleep", "b", [False])
        ok(d.wait_for(bed, "resumed"), "PrepareForSleep(false) is heard", d.log())
        bed.spin(2.0)
        code = d.stop(bed)
        logind.terminate()
        logind.wait()
        con = sqlite3.connect("file:%s?mode=ro" % db3, uri=True)
        rows = con.execute("SELECT posture, end_ms - start_ms FROM segments "
                           "ORDER BY start_ms").fetchall()
        bouts = con.execute("SELECT ended_by FROM bouts ORDER BY start_ms").fetchall()
        con.close()
        ok(code == 0 and [r[0] for r in rows] == ["sitting", "unknown", "sitting"] and
           3500 <= rows[1][1] <= 6000 and [b[0] for b in bouts] == ["break", "end"],
           "suspend: unknown while asleep (no sitting invented), a new bout after it",
           repr(rows) + repr(bouts) + "\n" + d.log())
        dbusmock.DBusTestCase.stop_dbus(dbusmock.DBusTestCase.system_bus_pid)

    # phase 4: another process holds the database's write lock for longer than the busy
    # timeout while the person stands up and sits down again: the daemon says so, keeps what
    # it decided and writes it all once the lock is gone; nothing lost, no gap. (The switch of
    # phase 3, of the same model, is still plugged in: two identical devices are two.)
    holder_dev = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
    bed.add(9, holder_dev, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
    if 6 in bed.devices:
        bed.devices[6][1].keys.discard(BTN_0)  # phase 3's switch: still there, nobody on it
    db4 = os.path.join(tmp, "locked.db")
    d = Daemon(args.sitlogd, bed, db4, config)
    ok(d.wait_for(bed, "USB Chair Switch: using /dev/input/event9"),
       "phase 4: a switch, and a database another process will lock", d.log())
    bed.write(9, frame((EV_KEY, BTN_0, 1)))
    bed.spin(1.5)
    holder = sqlite3.connect(db4, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    bed.write(9, frame((EV_KEY, BTN_0, 0)))
    locked = d.wait_for(bed, "cannot record", timeout=10)
    bed.write(9, frame((EV_KEY, BTN_0, 1)))
    bed.spin(1.0)
    holder.execute("ROLLBACK")
    holder.close()
    again = d.wait_for(bed, "recording again", timeout=25)
    bed.spin(0.5)
    code = d.stop(bed)
    con = sqlite3.connect("file:%s?mode=ro" % db4, uri=True)
    rows = con.execute("SELECT posture, start_ms, end_ms FROM segments "
                       "ORDER BY start_ms, id").fetchall()
    con.close()
    chained = all(rows[i][2] == rows[i + 1][1] for i in range(len(rows) - 1))
    postures = [r[0] for r in rows]
    if postures[:1] == ["away"]:
        postures = postures[1:]  # the other switch's state, confirmed before this one's
    ok(locked and again and code == 0 and postures == ["sitting", "away", "sitting"] and
       chained and "using /dev/input/event6" in d.log(),
       "a write lock held past the busy timeout: warned, kept, written after; no gap",
       repr(rows) + "\n" + d.log())

    shutil.rmtree(tmp, ignore_errors=True)
    return finish(40)


if __name__ == "__main__":
    sys.exit(main())
