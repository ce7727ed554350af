#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
`sitlogd --replay-sampled` reads a recorded IMU as the live daemon reads a live one (its state
every [IMU] sample_interval), and at the default interval records what the full-rate replay
records. On a generated thigh IMU (tests/gen-recordings.py --scenario imu-thigh, 1094800 events,
no shared data needed):
  1 the sampled replay feeds one frame per interval: the summary's sample count is the
    recording's span over the interval, plus the first;
  2 the same postures in the same order as the full-rate replay, each boundary within 1 s;
  3 the same bouts and prompts;
  4 a seat recording is read at every event either way (seats are not sampled live).
TAP output.
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
START = "2026-03-06T09:00:00+00:00"


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def replay(args, env, tmp, rec, name, extra):
    db = os.path.join(tmp, name + ".db")
    r = run([args.sitlogd, "--replay", rec, "--replay-start", START, "--db", db, "--config",
             os.devnull] + extra, env)
    out = run([args.sitlog, "--db", db, "export", "--format", "csv"], env).stdout
    rows = list(csv.DictReader(out.splitlines()))
    summary = re.search(r"(\d+) bouts, (\d+) prompts", r.stderr)
    samples = re.search(r"(\d+) samples", r.stderr)
    return rows, summary.groups() if summary else None, int(samples.group(1)) if samples else None


def span_s(path):
    first = last = None
    with open(path) as f:
        for line in f:
            if line.startswith("E:"):
                t = float(line.split()[1])
                first = t if first is None else first
                last = t
    return last - first


def secs(text):
    import datetime
    return datetime.datetime.fromisoformat(text).timestamp()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    env = dict(os.environ, TZ="UTC")
    with tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, os.path.join(HERE, "gen-recordings.py"), "--out", tmp,
             "--scenario", "imu-thigh", "--scenario", "workday"], env)
        imu = os.path.join(tmp, "imu-thigh.evemu")
        interval = [line.split("=", 1)[1] for line in
                    run([args.sitlogd, "--print-config", "--config", os.devnull],
                        env).stdout.splitlines() if line.startswith("sample_interval=")][0]
        ms = float(interval[:-2]) if interval.endswith("ms") else float(interval[:-1]) * 1000
        full, full_sum, _ = replay(args, env, tmp, imu, "full", [])
        samp, samp_sum, n = replay(args, env, tmp, imu, "sampled", ["--replay-sampled"])
        want = int(span_s(imu) * 1000 // ms) + 1
        ok(n == want, "sampled every %s: %s samples (%d expected)" % (interval, n, want))

        same = [r["posture"] for r in full] == [r["posture"] for r in samp]
        worst = max((abs(secs(a[k]) - secs(b[k])) for a, b in zip(full, samp)
                     for k in ("start", "end")), default=0.0) if same else float("inf")
        ok(same and worst <= 1.0, "the same %d segments as the full-rate replay (%s), "
           "boundaries within %.2f s (bar 1 s)" % (len(full), " ".join(r["posture"] for r in
                                                                     full), worst))
        ok(full_sum is not None and full_sum == samp_sum,
           "the same bouts and prompts: %s / %s" % (full_sum, samp_sum))

        seat = os.path.join(tmp, "workday.evemu")
        a, a_sum, _ = replay(args, env, tmp, seat, "seat-full", [])
        b, b_sum, b_n = replay(args, env, tmp, seat, "seat-sampled", ["--replay-sampled"])
        ok(a == b and a_sum == b_sum and b_n == 0,
           "a seat is read at every event either way (%d segments, %s samples)" % (len(b), b_n))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
