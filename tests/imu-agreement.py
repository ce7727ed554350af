#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
MotionSense validation of the IMU classifier through the real path: each recording of
../shared/data/motionsense/ is replayed by `sitlogd --replay` into a fresh database, its
segments exported with `sitlog export --format csv`, and compared second by second with the
ground truth alone, every trial of every recording: sitting vs not sitting.

`unknown` (no axis yet before the first walk; the phone put back differently, until the next
walk) is neither agreement nor disagreement: it is counted separately and has its own bar.
- agreement: over the seconds the classifier gave a posture; >= 97 % on every recording and
  >= 99 % over all;
- unknown before the first walk: reported (a fresh database has no axis; it ends with the walk);
- unknown after it: <= 10 % of the seconds from the first walk on, on every recording;
- strict agreement (unknown counted as disagreement) is reported too, without a bar.

Each recording is replayed twice: at full rate (every event, 50 Hz) and sampled as the live
daemon reads an IMU (`--replay-sampled`, at the default `[IMU] sample_interval`, or the one
given with --sample-interval). The sampled replay must meet the same bars, and its agreement
must be within 0.3 points of full rate on every recording (and over all).

TAP output; a visible SKIP (`1..0 # SKIP`, exit 0: under meson's TAP protocol 77 is an error)
when the data is absent, except in CI (CI=true), which must run everything.
"""
import argparse
import csv
import datetime
import math
import os
import sqlite3
import subprocess
import sys
import tempfile

START = "2026-01-05T09:00:00+00:00"

def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr))
    return r.stdout


def agreement(args, env, config, rec, truth, sampled):
    """(agreeing s, decided s, unknown s before the first walk, after it, s from it on)"""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sitlog.db")
        run([args.sitlogd, "--replay", rec, "--replay-start", START, "--db", db,
             "--config", config] + (["--replay-sampled"] if sampled else []), env=env)
        out = run([args.sitlog, "--db", db, "export", "--format", "csv"], env=env)
    start = datetime.datetime.fromisoformat(START)
    segs = []
    for row in csv.DictReader(out.splitlines()):
        a = (datetime.datetime.fromisoformat(row["start"]) - start).total_seconds()
        b = (datetime.datetime.fromisoformat(row["end"]) - start).total_seconds()
        segs.append((a, b, row["posture"]))

    def seen(x):
        for (a, b, p) in segs:
            if a <= x < b:
                return p
        return "unknown"

    ok = n = 0
    unk_before = unk_after = n_after = 0
    decided_yet = False
    for (s, e, label) in truth:
        x = math.floor(s) + 0.5
        while x < e:
            if x >= s:
                p = seen(x)
                if p != "unknown":
                    decided_yet = True
                if decided_yet:
                    n_after += 1
                if p == "unknown":
                    if decided_yet:
                        unk_after += 1
                    else:
                        unk_before += 1
                else:
                    ok += (label == "sitting") == (p == "sitting")
                    n += 1
            x += 1.0
    return ok, n, unk_before, unk_after, n_after


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--report", help="write the agreement table (markdown) here")
    ap.add_argument("--sample-interval", help="[IMU] sample_interval of the sampled replay "
                    "(default: the built-in default)")
    args = ap.parse_args()

    rec_dir = os.path.join(args.data, "recordings")
    if not os.path.isdir(rec_dir):
        if os.environ.get("CI") == "true":
            print("1..0")
            print("# MotionSense data not found at %s, and CI must run everything" % args.data,
                  file=sys.stderr)
            return 1
        print("1..0 # SKIP MotionSense data not found at %s" % args.data)
        return 0
    names = sorted(n[:-len(".evemu")] for n in os.listdir(rec_dir) if n.endswith(".evemu"))
    env = dict(os.environ, TZ="UTC")
    tmp_conf = tempfile.TemporaryDirectory()
    config = os.path.join(tmp_conf.name, "sitlog.conf")
    with open(config, "w") as f:
        if args.sample_interval:
            f.write("[IMU]\nsample_interval=%s\n" % args.sample_interval)
    interval = [line.split("=", 1)[1] for line in
                run([args.sitlogd, "--print-config", "--config", config], env=env).splitlines()
                if line.startswith("sample_interval=")][0]
    rows = []
    print("1..%d" % (2 * len(names) + 2))
    tot = {False: [0, 0, 0, 0], True: [0, 0, 0, 0]}  # ok, decided, unknown, seconds
    failures = 0
    k = 0
    for name in names:
        truth = []
        with open(os.path.join(args.data, "truth", name + ".csv")) as f:
            for row in csv.DictReader(f):
                truth.append((float(row["start_s"]), float(row["end_s"]), row["label"]))
        rec = os.path.join(rec_dir, name + ".evemu")
        full = None
        for sampled in (False, True):
            ok, n, unk_before, unk_after, n_after = agreement(args, env, config, rec, truth,
                                                              sampled)
            total_s = n + unk_before + unk_after
            t = tot[sampled]
            t[0] += ok
            t[1] += n
            t[2] += unk_before + unk_after
            t[3] += total_s
            pct = 100.0 * ok / n if n else 0.0
            strict = 100.0 * ok / total_s if total_s else 0.0
            unk_after_pct = 100.0 * unk_after / n_after if n_after else 100.0
            good = pct >= 97.0 and unk_after_pct <= 10.0
            what = "full rate"
            if sampled:
                diff = pct - full
                good = good and abs(diff) <= 0.3
                what = "sampled every %s, %+.2f points from full rate (bar 0.3)" % (interval,
                                                                                    diff)
            else:
                full = pct
            rows.append((name, what.split(",")[0], total_s, pct, unk_before, unk_after,
                         strict))
            failures += not good
            k += 1
            print("%sok %d %s, %s: %.2f %% of %d decided s (target 97 %%); unknown %d s before "
                  "the first walk, %d s after it (%.1f %%, bar 10 %%); strict %.2f %% of %d s" %
                  ("" if good else "not ", k, name, what, pct, n, unk_before, unk_after,
                   unk_after_pct, strict, total_s))
    pcts = {}
    for sampled in (False, True):
        ok, n, unk, total_s = tot[sampled]
        pcts[sampled] = 100.0 * ok / n
        good = pcts[sampled] >= 99.0
        what = "full rate"
        if sampled:
            good = good and abs(pcts[True] - pcts[False]) <= 0.3
            what = "sampled every %s, %+.2f points" % (interval, pcts[True] - pcts[False])
        failures += not good
        k += 1
        rows.append(("**all**", what.split(",")[0], total_s, pcts[sampled], None, unk,
                     100.0 * ok / total_s))
        print("%sok %d all recordings, %s: %.2f %% of %d decided s (target 99 %%); unknown %d s; "
              "strict %.2f %% of %d s" % ("" if good else "not ", k, what, pcts[sampled], n, unk,
                                          100.0 * ok / total_s, total_s))

    if args.report:
        with open(args.report, "w") as f:
            f.write("| recording | read | seconds | agreement (decided s) | unknown before the "
                    "first walk | unknown after it | strict (unknown = disagreement) |\n")
            f.write("|---|---|---:|---:|---:|---:|---:|\n")
            for (name, what, total_s, pct, ub, ua, strict) in rows:
                if ub is None:
                    f.write("| %s | %s | %d | **%.2f %%** | | %d s in all | %.2f %% |\n" % (
                        name, what, total_s, pct, ua, strict))
                else:
                    f.write("| %s | %s | %d | %.2f %% | %d s | %d s | %.2f %% |\n" % (
                        name, what, total_s, pct, ub, ua, strict))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
