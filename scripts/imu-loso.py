#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
docs/imu.md, "Leave one recording out": for one constant of the IMU classifier and a grid of
values, each recording of ../shared/data held out in turn, the value chosen on the other 16
(the best worst-case figure over them, ties by the mean), and the held-out recording's figure at
that value and at the shipped one. Prints a markdown table.

    scripts/imu-loso.py BUILDDIR CONSTANT V1,V2,... SHIPPED [--sweep quick|full]
"""
import argparse
import os
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("constant")
ap.add_argument("grid")
ap.add_argument("shipped")
ap.add_argument("--sweep", default="quick")
args = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
grid = args.grid.split(",")
if args.shipped not in grid:
    sys.exit("imu-loso: the shipped value must be in the grid")
res = {}
for v in grid:
    env = dict(os.environ, SITLOG_IMU_TUNING="%s=%s" % (args.constant, v))
    out = subprocess.run(
        ["/usr/bin/python3", os.path.join(here, "..", "tests", "imu-agreement.py"),
         "--sitlogd", os.path.join(args.build, "daemon", "sitlogd"),
         "--sitlog", os.path.join(args.build, "cli", "sitlog"),
         "--data", os.path.join(here, "..", "..", "shared", "data"), "--sweep", args.sweep],
        capture_output=True, text=True, env=env).stdout
    for line in out.splitlines():
        m = re.match(r"(?:not )?ok \d+ (\S+) \(\w+, \w+\), (full rate|worst[^:]*): ([\d.]+) %",
                     line)
        if m:
            r = res.setdefault(m.group(1), {}).setdefault(v, [100.0, 100.0])
            r[0 if m.group(2) == "full rate" else 1] = float(m.group(3))
if not res:
    sys.exit("imu-loso: no figures (is ../shared/data there?)")
names = sorted(res)
print("| held out | %s chosen on the other %d | its figure (full rate / worst phase) | "
      "at the shipped %s |" % (args.constant, len(names) - 1, args.shipped))
print("|---|---:|---:|---:|")
for h in names:
    def score(v):
        others = [min(res[n][v]) for n in names if n != h]
        return (min(others), sum(others) / len(others))
    best = max(grid, key=score)
    print("| %s | %s | %.2f / %.2f %% | %.2f / %.2f %% |" % (
        h, best, res[h][best][0], res[h][best][1], res[h][args.shipped][0],
        res[h][args.shipped][1]))
