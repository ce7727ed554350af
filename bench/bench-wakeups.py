#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Daemon idle cost: the real sitlogd on mock devices (umockdev, tests/mockdev.py), measured from
/proc by bench/idle.py (the method peers.py uses for the other break reminders): wake-ups as
context switches per thread, CPU ms per minute, RSS and PSS, over a window (60 s) after the
daemon has settled (20 s: start-up and the first confirmed posture are not idle).

Scenarios:
  seat at rest          a chair switch, nobody on it, no bout open
  seat, sitting         the same switch pressed: a bout open (a heartbeat a minute)
  IMU 1 kHz, sampled    an accelerometer sending 1000 frames a second, read at the default
                        [IMU] sample_interval
  IMU 1 kHz, 100 ms     the same, sampled every 100 ms (the default before 250 ms)
  IMU 1 kHz, every burst  the same, read whenever data arrives (sample_interval=0)

Under umockdev every ioctl on a mock node is a round trip to this process (libevdev's resync
after each SYN_DROPPED asks the axes again), so context switches overstate what a real device
costs. For the IMU scenarios a second pass runs the daemon under strace and counts its main
loop's own wake-ups (poll calls that begin in the window): the figure the posture rate sets.

The 1 kHz device: a umockdev node is a PTY, not an evdev buffer. The writer here behaves as the
kernel's evdev buffer does for a reader that is not reading: at most 64 events (16 frames) wait
(the kernel's minimum buffer, what a 3-axis device gets); when the next frame does not fit, it is
dropped and the reader gets SYN_DROPPED once there is room again, then resyncs the current state
through EVIOCGABS, which the mock answers with the latest frame. Without that, more than ~170
unread events tear the PTY's reads apart (TESTING-NOTES).

  bench-wakeups.py SITLOGD [--seconds 60] [--settle 20] [--scenario NAME ...] [--json FILE]
  bench-wakeups.py SITLOGD --serve NAME [--strace FILE]  (one scenario's devices and daemon,
      under umockdev-wrapper, until stdin closes; prints "READY PID")

Prints figures; not a test.
"""
import argparse
import ctypes
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import idle  # noqa: E402

SCENARIOS = ["seat at rest", "seat, sitting", "IMU 1 kHz, sampled", "IMU 1 kHz, 100 ms",
             "IMU 1 kHz, every burst"]
CONFIG = {"IMU 1 kHz, 100 ms": "[IMU]\nsample_interval=100ms\n",
          "IMU 1 kHz, every burst": "[IMU]\nsample_interval=0\n"}
EVDEV_BUFFER = 64  # events
EVENT_SIZE = 24    # struct input_event on 64-bit


def serve(args):
    sys.path.insert(0, os.path.join(HERE, "..", "tests"))
    from mockdev import (ABS_X, ABS_Y, ABS_Z, BTN_0, EV_ABS, EV_KEY, EV_SYN,  # noqa
                         INPUT_PROP_ACCELEROMETER, SYN_DROPPED, SYN_REPORT, Bed, Daemon,
                         EvdevDevice)
    name = args.serve
    tmp = tempfile.mkdtemp(prefix="sitlog-bench-")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG.get(name, ""))
    sitlogd = os.path.abspath(args.sitlogd)
    if args.strace:
        wrapper = os.path.join(tmp, "sitlogd")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec strace -qq -tt -e trace=poll,ppoll -o %s %s \"$@\"\n"
                    % (args.strace, sitlogd))
        os.chmod(wrapper, 0o755)
        sitlogd = wrapper
    bed = Bed()
    if name.startswith("seat"):
        dev = EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})
        if name == "seat, sitting":
            dev.keys.add(BTN_0)
        node = bed.add(1, dev, {"SITLOG_ROLE": "seat", "ID_INPUT": "1"})
    else:
        dev = EvdevDevice("Thigh Motion Sensor", (5, 0x054C, 0x0CE6, 0x8100),
                          {EV_ABS: [0, 1, 2]},
                          {c: [0, -32768, 32767, 0, 0, 8192] for c in (0, 1, 2)},
                          props=1 << INPUT_PROP_ACCELEROMETER)
        node = bed.add(3, dev, {"SITLOG_ROLE": "imu", "SITLOG_IMU_AXIS": "Y", "ID_INPUT": "1"})
    d = Daemon(sitlogd, bed, os.path.join(tmp, "db"), config)
    if not d.wait_for(bed, "using /dev/input"):
        print("FAILED the daemon did not pick up the device: %s" % d.log(), flush=True)
        d.stop(bed)
        return 1
    pid = d.p.pid
    if args.strace:  # the daemon is strace's child
        for _ in range(100):
            try:
                pid = int(open("/proc/%d/task/%d/children" % (d.p.pid, d.p.pid)).read().split()[0])
                break
            except (OSError, IndexError, ValueError):
                bed.spin(0.05)
    print("READY %d" % pid, flush=True)

    def stdin_closed():
        r, _, _ = select.select([sys.stdin], [], [], 0)
        return bool(r) and not sys.stdin.readline()

    if name.startswith("seat"):
        while not stdin_closed():
            bed.spin(0.2)
    else:
        master = bed.tb.get_dev_fd(node)
        ptn = struct.unpack("I", fcntl.ioctl(master, 0x80045430, b"\0" * 4))[0]  # TIOCGPTN
        slave = os.open("/dev/pts/%d" % ptn, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        libc = ctypes.CDLL(None, use_errno=True)
        unread = ctypes.c_int(0)

        def pending():
            # the raw syscall: umockdev's preload would take libc's ioctl() for the mock's
            libc.syscall(16, slave, termios.FIONREAD, ctypes.byref(unread))  # SYS_ioctl
            return unread.value // EVENT_SIZE

        t0 = time.monotonic()
        k = 0
        dropped = False
        last_check = 0.0
        while True:
            now = time.monotonic()
            if now - last_check > 0.2:
                if stdin_closed():
                    break
                last_check = now
            due = int((now - t0) * 1000)
            buf = b""
            room = EVDEV_BUFFER - pending()
            while k < due:
                k += 1
                # sitting still, thigh 85° from upright, a little sensor noise
                x, y, z = (k * 37) % 41 - 20, 714 + (k * 13) % 9, 8161 + (k * 7) % 11
                for c, v in ((ABS_X, x), (ABS_Y, y), (ABS_Z, z)):
                    dev.absinfo[c][0] = v
                frame = [(EV_ABS, ABS_X, x), (EV_ABS, ABS_Y, y), (EV_ABS, ABS_Z, z),
                         (EV_SYN, SYN_REPORT, 0)]
                if dropped and room >= 1 + len(frame):
                    buf += struct.pack("llHHi", 0, 0, EV_SYN, SYN_DROPPED, 0)
                    room -= 1
                    dropped = False
                if not dropped and room >= len(frame):
                    buf += b"".join(struct.pack("llHHi", 0, 0, t, c, v) for (t, c, v) in frame)
                    room -= len(frame)
                else:
                    dropped = True
            done = 0
            while done < len(buf):
                done += os.write(master, buf[done:])
            while bed.ctx.iteration(False):
                pass
            time.sleep(0.001)
    d.stop(bed)
    return 0


def start(args, name, strace=None):
    cmd = ["umockdev-wrapper", sys.executable, os.path.abspath(__file__), args.sitlogd,
           "--serve", name]
    if strace:
        cmd += ["--strace", strace]
    env = dict(os.environ)
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    line = p.stdout.readline()
    if not line.startswith("READY"):
        p.stdin.close()
        p.wait()
        raise RuntimeError("%s: %s" % (name, line.strip() or "no daemon"))
    return p, int(line.split()[1])


def stop(p):
    try:
        p.stdin.close()
    except OSError:
        pass
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def count_polls(trace, t0, t1):
    n = 0
    day = time.localtime(t0)[:3]
    for line in open(trace):
        h, m, s = line.split()[0].split(":")
        stamp = time.mktime(day + (int(h), int(m), 0, 0, 0, -1)) + float(s)
        if t0 <= stamp < t1 and "poll(" in line:
            n += 1
    return n


def run(args, name):
    p, pid = start(args, name)
    try:
        time.sleep(args.settle)
        r = idle.measure([pid], args.seconds)
    finally:
        stop(p)
    if name.startswith("IMU"):
        with tempfile.TemporaryDirectory() as tmp:
            trace = os.path.join(tmp, "strace")
            p, pid = start(args, name, trace)
            try:
                time.sleep(args.settle)
                t0 = time.time()
                time.sleep(args.seconds)
                t1 = time.time()
            finally:
                stop(p)
            r["polls_per_s"] = count_polls(trace, t0, t1) / (t1 - t0)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sitlogd")
    ap.add_argument("--serve")
    ap.add_argument("--strace")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--scenario", action="append", choices=SCENARIOS)
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args()
    if args.serve:
        return serve(args)
    for tool in ("umockdev-wrapper", "strace"):
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in os.environ.get("PATH", "").split(":")):
            print("SKIP: %s is not installed" % tool)
            return 77
    print("sitlogd idle cost on %s, %.0f s per scenario after %.0f s to settle "
          "(umockdev; wake-ups = context switches of all threads):" %
          (idle.machine(), args.seconds, args.settle), flush=True)
    results = {}
    for name in args.scenario or SCENARIOS:
        try:
            r = run(args, name)
        except RuntimeError as e:
            print("%s: FAILED %s" % (name, e), flush=True)
            continue
        results[name] = r
        extra = ""
        if "polls_per_s" in r:
            extra = "  main loop %.2f wake-ups/s (poll calls, strace)" % r["polls_per_s"]
        print(idle.row(name, r) + extra, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": idle.machine(), "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
