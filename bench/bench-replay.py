#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""End-to-end replay rate: sitlogd --replay of a generated hour of a 1 kHz accelerometer and of
the MotionSense recordings (when ../shared is there). Prints figures; not a test."""
import math
import os
import subprocess
import sys
import tempfile
import time

sitlogd, data = sys.argv[1], sys.argv[2]


def imu_hour(path):
    with open(path, "w") as f:
        f.write("# EVEMU 1.3\nN: Bench IMU\nI: 0003 1d6b 0104 0100\nP: 40 00 00 00 00 00 00 00\n"
                "B: 00 09 00 00 00 00 00 00 00\nB: 03 07 00 00 00 00 00 00 00\n"
                "A: 00 -32768 32767 0 0 8192\nA: 01 -32768 32767 0 0 8192\n"
                "A: 02 -32768 32767 0 0 8192\n")
        n = 0
        for k in range(3600 * 1000):
            t = k / 1000.0
            minute = (t / 60.0) % 60.0
            if minute < 5:
                a = math.radians(7.5 + 17.5 * math.sin(2 * math.pi * 0.9 * t))
                dyn = 0.35 * math.sin(2 * math.pi * 1.8 * t)
            else:
                a, dyn = math.radians(0 if minute < 10 else 85), 0.0
            sec, usec = divmod(k * 1000, 1000000)
            ts = "%d.%06d" % (sec + 1, usec)
            f.write("E: %s 0003 0000 %d\nE: %s 0003 0001 %d\nE: %s 0003 0002 %d\n"
                    "E: %s 0000 0000 0\n" % (ts, round(164 * math.sin(7 * t)), ts,
                                             round(math.cos(a) * (1 + dyn) * 8192), ts,
                                             round(math.sin(a) * 8192), ts))
            n += 4
    return n


def replay(path, events, what):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sitlogd, "--replay", path, "--replay-start", "2026-01-05T09:00:00",
                        "--db", os.path.join(tmp, "db")], check=True, capture_output=True)
        dt = time.perf_counter() - t0
    print("replay %s: %d events in %.2f s: %.2f M events/s end to end" % (what, events, dt,
                                                                       events / dt / 1e6))


with tempfile.TemporaryDirectory() as tmp:
    p = os.path.join(tmp, "imu.evemu")
    n = imu_hour(p)
    replay(p, n, "of an hour of a 1 kHz accelerometer (3.6 M frames)")
rec = os.path.join(data, "recordings")
if os.path.isdir(rec):
    total = 0
    t0 = time.perf_counter()
    for name in sorted(os.listdir(rec)):
        path = os.path.join(rec, name)
        events = sum(1 for line in open(path) if line.startswith("E:"))
        total += events
        replay(path, events, name)
