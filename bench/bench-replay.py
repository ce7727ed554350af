#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
End-to-end replay rate, `sitlogd --replay` from the file to the database (parsing, the
validation pass, core, session, store), each with its ratio to real time:
  - a week of a chair switch (tests/gen-recordings.py --scenario week: seven days, a weekend,
    its bouts and prompts written to the database);
  - an hour of a 1 kHz accelerometer (3.6 M frames), read at every event and sampled as live
    (--replay-sampled, the default [IMU] sample_interval);
  - the MotionSense recordings (50 Hz), when ../shared/data is there.

  bench-replay.py SITLOGD GEN_RECORDINGS DATA_DIR

Prints figures; not a test.
"""
import math
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import idle  # noqa: E402

sitlogd, gen, data = sys.argv[1], sys.argv[2], sys.argv[3]


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
    return n, 3600.0


def span(path):
    first = last = None
    n = 0
    with open(path) as f:
        for line in f:
            if line.startswith("E:"):
                t = float(line.split()[1])
                first = t if first is None else first
                last = t
                n += 1
    return n, (last - first) if n else 0.0


def replay(path, events, seconds, what, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        r = subprocess.run([sitlogd, "--replay", path, "--replay-start", "2026-01-05T09:00:00",
                            "--db", os.path.join(tmp, "db"), "--config", os.devnull] +
                           list(extra), check=True, capture_output=True, text=True)
        dt = time.perf_counter() - t0
    m = re.search(r"(\d+ bouts, \d+ prompts)", r.stderr)
    print("replay %s (%s): %d events in %.3f s: %.2f M events/s end to end, %.0f× real time" %
          (what, m.group(1) if m else "?", events, dt, events / dt / 1e6, seconds / dt),
          flush=True)


print("bench-replay on %s" % idle.machine(), flush=True)
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, gen, "--out", tmp, "--scenario", "week"], check=True,
                   capture_output=True)
    week = os.path.join(tmp, "week.evemu")
    n, s = span(week)
    replay(week, n, s, "of a week of a chair switch (generated)")
    p = os.path.join(tmp, "imu.evemu")
    n, s = imu_hour(p)
    replay(p, n, s, "of an hour of a 1 kHz accelerometer, every event")
    replay(p, n, s, "of the same hour, sampled as live (--replay-sampled)", ["--replay-sampled"])
rec = os.path.join(data, "recordings")
if os.path.isdir(rec):
    for name in sorted(os.listdir(rec)):
        path = os.path.join(rec, name)
        n, s = span(path)
        replay(path, n, s, name)
else:
    print("replay of MotionSense: SKIP, %s is not there" % rec)
