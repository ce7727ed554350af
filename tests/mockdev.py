# SPDX-License-Identifier: MIT
"""
Mock evdev devices for the real sitlogd, without root or hardware: umockdev gives it mock udev
devices whose evdev ioctls EvdevDevice answers (UMockdev.IoctlBase) and whose event nodes are
PTYs that Bed.write() puts input events into. Used by tests/integration-test.py and by
bench/bench-wakeups.py; both run under `umockdev-wrapper`.
"""
import atexit
import os
import signal
import struct
import subprocess
import sys
import threading
import time

import gi
gi.require_version("UMockdev", "1.0")
from gi.repository import GLib, UMockdev  # noqa: E402

EV_SYN, EV_KEY, EV_ABS = 0, 1, 3
SYN_REPORT, SYN_DROPPED = 0, 3
BTN_0, KEY_A = 0x100, 30
ABS_X, ABS_Y, ABS_Z, ABS_PRESSURE = 0, 1, 2, 0x18
INPUT_PROP_ACCELEROMETER = 6

class EvdevDevice(UMockdev.IoctlBase):
    """Answers libevdev's ioctls for one mock device and keeps its state."""

    def __init__(self, name, ids, bits, absinfo=None, props=0):
        super().__init__()
        self.name = name
        self.ids = ids
        self.bits = bits            # {type: [codes]}
        self.absinfo = absinfo or {}  # {code: [value, min, max, fuzz, flat, res]}
        self.props = props
        self.keys = set()
        self.requests = 0
        self.grabbed = False

    def _bitmask(self, codes, size):
        b = bytearray(size)
        for c in codes:
            if c // 8 < size:
                b[c // 8] |= 1 << (c % 8)
        return bytes(b)

    def do_handle_ioctl(self, client):
        self.requests += 1
        req = client.get_request()
        direction, size = req >> 30, (req >> 16) & 0x3FFF
        kind, nr = (req >> 8) & 0xFF, req & 0xFF
        if kind != ord("E"):
            client.complete(-1, 25)  # ENOTTY
            return True
        result = 0
        if nr == 0x01:                      # EVIOCGVERSION
            data = struct.pack("i", 0x010001)
        elif nr == 0x02:                    # EVIOCGID
            data = struct.pack("HHHH", *self.ids)
        elif nr == 0x06:                    # EVIOCGNAME
            data = self.name.encode() + b"\0"
            result = len(data)
        elif nr in (0x07, 0x08):            # EVIOCGPHYS, EVIOCGUNIQ
            data = b"\0"
            result = 1
        elif nr == 0x09:                    # EVIOCGPROP
            data = self._bitmask([p for p in range(32) if self.props >> p & 1], size)
            result = size
        elif nr == 0x18:                    # EVIOCGKEY: the keys down now
            data = self._bitmask(self.keys, size)
            result = size
        elif nr in (0x19, 0x1A, 0x1B):      # EVIOCGLED, EVIOCGSND, EVIOCGSW
            data = b""
            result = size
        elif 0x20 <= nr < 0x40:             # EVIOCGBIT(type)
            t = nr - 0x20
            codes = sorted(set(self.bits) | {EV_SYN}) if t == 0 else self.bits.get(t, [])
            data = self._bitmask(codes, size)
            result = size
        elif 0x40 <= nr < 0x80:             # EVIOCGABS(code)
            data = struct.pack("6i", *self.absinfo.get(nr - 0x40, [0] * 6))
        elif nr == 0x90:                    # EVIOCGRAB
            self.grabbed = True
            client.complete(0, 0)
            return True
        elif nr == 0xA0:                    # EVIOCSCLOCKID
            client.complete(0, 0)
            return True
        else:
            data = b""
        if direction & 2:
            data = data[:size] + b"\0" * max(0, size - len(data))
            client.get_arg().resolve(0, size).update(0, data)
        client.complete(result, 0)
        return True


DESCRIPTION = """P: /devices/virtual/input/input{n}/event{n}
N: input/event{n}
E: DEVNAME=/dev/input/event{n}
E: SUBSYSTEM=input
E: MAJOR=13
E: MINOR={minor}
{props}A: dev=13:{minor}\\n

P: /devices/virtual/input/input{n}
E: SUBSYSTEM=input
E: NAME="{name}"
A: name={name}\\n
"""


class Bed:
    def __init__(self):
        self.tb = UMockdev.Testbed.new()
        self.devices = {}
        self.ctx = GLib.MainContext.default()

    def add(self, n, dev, properties):
        props = "".join("E: %s=%s\n" % kv for kv in properties.items())
        self.tb.add_from_string(DESCRIPTION.format(n=n, minor=64 + n, name=dev.name, props=props))
        node = "/dev/input/event%d" % n
        self.tb.attach_ioctl(node, dev)
        self.devices[n] = (node, dev)
        return node

    def syspath(self, n):
        return "/sys/devices/virtual/input/input%d/event%d" % (n, n)

    def plug(self, n):
        self.tb.uevent(self.syspath(n), "add")

    def unplug(self, n):
        self.tb.uevent(self.syspath(n), "remove")
        self.tb.remove_device(self.syspath(n))

    def write(self, n, events, settle=0.02):
        """events: [(type, code, value)]; a PTY, so small batches (TESTING-NOTES)"""
        node, dev = self.devices[n]
        fd = self.tb.get_dev_fd(node)
        for i in range(0, len(events), 60):
            buf = b"".join(struct.pack("llHHi", 0, 0, t, c, v) for (t, c, v) in events[i:i + 60])
            done = 0
            while done < len(buf):
                done += os.write(fd, buf[done:])
            if settle:
                self.spin(settle)
        for (t, c, v) in events:
            if t == EV_KEY:
                (dev.keys.add if v else dev.keys.discard)(c)
            elif t == EV_ABS and c in dev.absinfo:
                dev.absinfo[c][0] = v

    def spin(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while self.ctx.iteration(False):
                pass
            time.sleep(0.005)


class Daemon:
    def __init__(self, sitlogd, bed, db, config, system_bus="unix:path=/nonexistent",
                 notify="log", env=None):
        env = dict(os.environ, UMOCKDEV_DIR=bed.tb.get_root_dir(), G_MESSAGES_DEBUG="all",
                   DBUS_SYSTEM_BUS_ADDRESS=system_bus, **(env or {}))
        self.lines = []
        self.p = subprocess.Popen([sitlogd, "--db", db, "--config", config, "--notify", notify],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.append(line.rstrip())

    def log(self):
        return "\n".join(self.lines)

    def wait_for(self, bed, text, timeout=5):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text in line for line in self.lines):
                return True
            bed.spin(0.05)
        return False

    def stop(self, bed):
        self.p.terminate()
        end = time.monotonic() + 10
        while self.p.poll() is None and time.monotonic() < end:
            bed.spin(0.05)
        return self.p.returncode


def frame(*events):
    return list(events) + [(EV_SYN, SYN_REPORT, 0)]


def start_bus(system=False):
    """Start python-dbusmock's private session (or system) bus and end it when the test ends,
    however it ends: at exit, and on SIGTERM (meson's timeout), which would otherwise skip the
    atexit handlers and leave the dbus-daemon running. Stopping it earlier by hand is fine: a
    second stop_dbus() of a gone bus does nothing. Returns the bus's pid."""
    import dbusmock

    if system:
        dbusmock.DBusTestCase.start_system_bus()
        pid = dbusmock.DBusTestCase.system_bus_pid
    else:
        dbusmock.DBusTestCase.start_session_bus()
        pid = dbusmock.DBusTestCase.session_bus_pid
    atexit.register(dbusmock.DBusTestCase.stop_dbus, pid)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    return pid
