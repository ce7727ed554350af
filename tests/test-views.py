#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The views of `sitlog report` and `sitlog bouts`, and the streamed `sitlog export`.

Generated scenarios (seeded: two weeks of working days in Europe/Berlin with a seat and a worn
sensor) are written to a store by tests/write-store; this file computes their truth on its own
(docs/semantics.md "Reports") and renders the table as sitlog(1) documents it, and compares:

- golden tables for a day and a week (plain: not a terminal, NO_COLOR), UTF-8 and ASCII;
- JSON against data/schema/*.schema.json and the truth; CSV columns and values;
- colour only on a terminal (a pty), never with NO_COLOR, TERM=dumb or --color=never;
- an export with a device named with byte 0xff and control characters: valid JSON;
- the error messages.

Every figure (upright, measured, away, the bout classes, the hour strip, the previous period
included) is checked against the truth computed here.
"""
import argparse
import datetime
import json
import os
import pty
import random
import select
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok, results  # noqa: E402

TZ = "Europe/Berlin"
ZONE = zoneinfo.ZoneInfo(TZ)
MIN = 60 * 1000
PROLONGED_MS = 30 * MIN
HEED_MS = 5 * MIN
UPRIGHT_TARGET = 2 * 3600
CLASS_KEYS = ("under_30", "30_to_60", "60_to_90", "90_or_more")
RESPONSES = ("done", "snoozed", "dismissed", "-")


def local_ms(d, h, m, s=0):
    return int(datetime.datetime(d.year, d.month, d.day, h, m, s, tzinfo=ZONE).timestamp()
               * 1000)


def day_bounds(d):
    n = d + datetime.timedelta(days=1)
    return local_ms(d, 0, 0), local_ms(n, 0, 0)


# ---------------------------------------------------------------- scenarios


def generate(seed, first, n_days):
    """Segments (device, posture, a, b), bouts (a, b, ended_by, [(t, response)]), in whole
    seconds, none overlapping: working days from about 08:00, bouts of 5 to 100 minutes with
    now and then a standing interruption under a minute, breaks away from the seat (the seat
    says so) or standing and walking (the worn sensor says so, on the days it is worn)."""
    rnd = random.Random(seed)
    segs, bouts = [], []
    for i in range(n_days):
        d = first + datetime.timedelta(days=i)
        if d.weekday() == 6:
            continue  # Sundays: nothing at all
        worn = d.weekday() in (0, 1, 3)  # Mon, Tue, Thu
        t = local_ms(d, 8, rnd.randrange(0, 30))
        for _ in range(rnd.randrange(3, 8)):
            length = rnd.randrange(5, 100) * MIN + rnd.randrange(0, 60) * 1000
            a, b = t, t + length
            cut = None
            if length > 20 * MIN and rnd.random() < 0.4:
                at = a + rnd.randrange(10, length // MIN - 5) * MIN
                cut = (at, at + rnd.randrange(10, 50) * 1000)
            sit_dev = 1 if worn else 0
            if cut:
                segs.append((sit_dev, "sitting", a, cut[0]))
                segs.append((1 if worn else 0, "standing" if worn else "away", cut[0], cut[1]))
                segs.append((sit_dev, "sitting", cut[1], b))
            else:
                segs.append((sit_dev, "sitting", a, b))
            prompts = []
            p = a + 30 * MIN
            while p < b:
                prompts.append((p, rnd.choice(RESPONSES)))
                p += 10 * MIN
            bouts.append((a, b, "break", prompts))
            brk = rnd.randrange(2, 25) * MIN
            if worn:
                w = rnd.randrange(1, brk // MIN) * MIN
                segs.append((1, "walking", b, b + w))
                segs.append((1, "standing", b + w, b + brk))
            else:
                segs.append((0, "away", b, b + brk))
            t = b + brk
        if d.weekday() == 2:
            # Wednesdays: a short bout late in the evening, over midnight
            a = local_ms(d, 23, 45)
            b = a + 25 * MIN
            segs.append((0, "sitting", a, b))
            bouts.append((a, b, "break", []))
            segs.append((0, "away", b, b + 10 * MIN))
    return segs, bouts


def scenario_text(devices, segs, bouts):
    lines = ["device %s %s" % (name.hex(), role) for (name, role) in devices]
    for (dev, posture, a, b) in segs:
        lines.append("seg %d %s %d %d" % (dev, posture, a, b))
    for (a, b, ended_by, prompts) in bouts:
        lines.append("bout %d %d %s %d %s" % (a, b, ended_by, HEED_MS, " ".join(
            "%d:%s" % pr for pr in prompts)))
    return "\n".join(lines) + "\n"


def heeded(bout, t):
    a, b, ended_by, _ = bout
    return ended_by == "break" and t >= b - HEED_MS


def clip(a, b, lo, hi):
    return max(0, min(b, hi) - max(a, lo))


def bout_class(length_ms):
    return min(3, length_ms // (30 * MIN))


def figures(segs, bouts, lo, hi, worn_devs):
    """The figures of [lo, hi) (one local day)."""
    day_bouts = [bt for bt in bouts if lo <= bt[0] < hi]
    lengths = [(bt[1] - bt[0] + 500) // 1000 for bt in day_bouts]
    prompts = [(t, r, bt) for bt in bouts for (t, r) in bt[3] if lo <= t < hi]
    f = dict(
        sitting_seconds=(sum(clip(a, b, lo, hi) for (_, p, a, b) in segs if p == "sitting")
                         + 500) // 1000,
        bouts=len(day_bouts),
        longest_bout_seconds=max(lengths, default=0),
        prolonged_bouts=sum(1 for bt in day_bouts if bt[1] - bt[0] >= PROLONGED_MS),
        prompts=len(prompts),
        prompts_heeded=sum(1 for (t, _, bt) in prompts if heeded(bt, t)),
        breaks=sum(1 for bt in day_bouts if bt[2] == "break"),
        bouts_by_class={k: 0 for k in CLASS_KEYS},
        bout_seconds_by_class={k: 0 for k in CLASS_KEYS},
        measured_seconds=(sum(clip(a, b, lo, hi) for (dv, p, a, b) in segs
                              if dv in worn_devs and p != "unknown") + 500) // 1000,
        away_seconds=(sum(clip(a, b, lo, hi) for (_, p, a, b) in segs if p == "away")
                      + 500) // 1000,
    )
    for bt in day_bouts:
        k = CLASS_KEYS[bout_class(bt[1] - bt[0])]
        f["bouts_by_class"][k] += 1
        f["bout_seconds_by_class"][k] += (bt[1] - bt[0] + 500) // 1000
    up = (sum(clip(a, b, lo, hi) for (dv, p, a, b) in segs
              if dv in worn_devs and p in ("standing", "walking")) + 500) // 1000
    f["upright_seconds"] = up if f["measured_seconds"] else None
    f["days_measured"] = 1 if f["measured_seconds"] else 0
    return f


def add_figures(days):
    t = dict(days[0])
    for f in days[1:]:
        for k, v in f.items():
            if k == "longest_bout_seconds":
                t[k] = max(t[k], v)
            elif isinstance(v, dict):
                t[k] = {c: t[k][c] + v[c] for c in v}
            elif k == "upright_seconds":
                t[k] = None if t[k] is None and v is None else (t[k] or 0) + (v or 0)
            else:
                t[k] = t[k] + v
    return t


def truth(segs, bouts, since, until, worn_devs):
    days = []
    d = since
    while d <= until:
        lo, hi = day_bounds(d)
        days.append(dict(date=d.isoformat(), **figures(segs, bouts, lo, hi, worn_devs)))
        d += datetime.timedelta(days=1)
    total = add_figures([{k: v for k, v in f.items() if k != "date"} for f in days])
    n = len(days)
    prev_until = since - datetime.timedelta(days=1)
    prev_since = since - datetime.timedelta(days=n)
    pdays = []
    d = prev_since
    while d <= prev_until:
        lo, hi = day_bounds(d)
        pdays.append(figures(segs, bouts, lo, hi, worn_devs))
        d += datetime.timedelta(days=1)
    hours = [0] * 24
    lo, hi = day_bounds(since)[0], day_bounds(until)[1]
    for (a, b, _, _) in bouts:
        if not (lo <= a < hi) or b - a < PROLONGED_MS:
            continue
        t = a
        while t < b:
            dt = datetime.datetime.fromtimestamp(t / 1000, ZONE)
            nxt = int(dt.replace(minute=0, second=0, microsecond=0).timestamp() * 1000) + 60 * MIN
            hours[dt.hour] += min(b, nxt) - t
            t = min(b, nxt)
    return dict(version=1, since=since.isoformat(), until=until.isoformat(), n_days=n,
                prolonged_threshold_seconds=PROLONGED_MS // 1000,
                upright_target_seconds_per_day=UPRIGHT_TARGET,
                prolonged_seconds_by_hour=[(h + 500) // 1000 for h in hours],
                previous=dict(since=prev_since.isoformat(), until=prev_until.isoformat(),
                              **add_figures(pdays)),
                days=days, **total)


# ---------------------------------------------------------------- the table, as sitlog(1) says


def fmt_dur(s):
    s = max(0, s)
    if s >= 3600:
        return "%dh %02dm" % (s // 3600, (s % 3600) // 60)
    if s >= 60:
        return "%dm %02ds" % (s // 60, s % 60)
    return "%ds" % s


def rdiv(a, b):
    return (a + b // 2) // b if a >= 0 else -((-a + b // 2) // b)


def at_least(f, k):
    return sum(f["bouts_by_class"][c] for c in CLASS_KEYS[k:])


def weekday(iso):
    return datetime.date.fromisoformat(iso).strftime("%a")


def render_summary(t, utf8):
    ge = "\u2265" if utf8 else ">="
    day = t["n_days"] == 1
    out = []
    if day:
        out.append("sitlog report: %s (%s)" % (t["since"], weekday(t["since"])))
    else:
        out.append("sitlog report: %s (%s) to %s (%s), %d days" % (
            t["since"], weekday(t["since"]), t["until"], weekday(t["until"]), t["n_days"]))
    out.append("")
    line = "Sitting     " + fmt_dur(t["sitting_seconds"])
    if not day:
        line += ", %s a day" % fmt_dur(rdiv(t["sitting_seconds"], t["n_days"]))
    out.append(line)
    line = "Bouts       %d" % t["bouts"]
    if t["bouts"]:
        line += ", longest " + fmt_dur(t["longest_bout_seconds"])
    out.append(line + "; prolonged (%s 30min): %d" % (ge, t["prolonged_bouts"]))
    out.append("By length   %s 30 min: %d, %s 60 min: %d, %s 90 min: %d" % (
        ge, at_least(t, 1), ge, at_least(t, 2), ge, at_least(t, 3)))
    out.append("Breaks      %d" % t["breaks"])
    out.append("Prompts     %d, %d heeded" % (t["prompts"], t["prompts_heeded"]))
    if not t["measured_seconds"]:
        out.append("Upright     not measured (no worn sensor)")
        out.append("            A vacant seat counts as away, not as upright.")
    else:
        per_day = t["upright_seconds"] if day else rdiv(t["upright_seconds"],
                                                         max(1, t["days_measured"]))
        line = "Upright     " + fmt_dur(per_day)
        if not day:
            line += " a day on %d of %d days measured" % (t["days_measured"], t["n_days"])
        out.append(line + "; target 2h 00m a day")
    p = t["previous"]
    if p is not None:
        if not (p["sitting_seconds"] or p["bouts"] or p["measured_seconds"] or
                p["away_seconds"]):
            out.append("Change      nothing recorded " + (
                "the day before" if day else "in the %d days before" % t["n_days"]))
        else:
            m = rdiv(t["sitting_seconds"] - p["sitting_seconds"], t["n_days"] * 60)
            if m == 0:
                line = "no change in sitting"
            else:
                sign = ("\u2212" if utf8 else "-") if m < 0 else "+"
                a = abs(m)
                line = sign + ("%dh %02dm" % (a // 60, a % 60) if a >= 60 else "%d min" % a)
                line += " sitting" if day else "/day sitting"
            out.append("Change      " + line + (
                " vs the day before" if day else " vs the %d days before" % t["n_days"]))
    return out


def bar(seconds, utf8):
    if seconds <= 0:
        return ""
    if utf8:
        e = rdiv(seconds * 8, 3600)
        return "\u2588" * (e // 8) + (chr(0x2590 - e % 8) if e % 8 else "")
    return "#" * (seconds // 3600) + ("+" if seconds % 3600 >= 1800 else "")


def row(date, wday, f):
    up = fmt_dur(f["upright_seconds"]) if f["measured_seconds"] else "-"
    return "%-10s  %-3s  %8s  %5d  %7s  %4d  %4d  %4d  %6d  %7d  %6d  %8s" % (
        date, wday, fmt_dur(f["sitting_seconds"]), f["bouts"],
        fmt_dur(f["longest_bout_seconds"]) if f["bouts"] else "-", at_least(f, 1),
        at_least(f, 2), at_least(f, 3), f["breaks"], f["prompts"], f["prompts_heeded"], up)


def render_range(t, utf8):
    ge = "\u2265" if utf8 else ">="
    out = render_summary(t, utf8)
    out.append("")
    out.append("Date        Day   Sitting  Bouts  Longest  %4s  %4s  %4s  Breaks  Prompts  "
               "Heeded   Upright  Sitting hours" % (ge + "30", ge + "60", ge + "90"))
    for f in t["days"]:
        line = row(f["date"], weekday(f["date"]), f)
        if bar(f["sitting_seconds"], utf8):
            line += "  " + bar(f["sitting_seconds"], utf8)
        out.append(line)
    out.append(row("Total", "", t))
    out.append("")
    hours = t["prolonged_seconds_by_hour"]
    head = "Prolonged sitting (bouts %s 30min) by hour of the day:" % ge
    if max(hours) == 0:
        out.append(head + " none")
    else:
        cells = ("\u00b7", "\u2591", "\u2592", "\u2593", "\u2588") if utf8 else \
            (".", "-", "+", "*", "#")
        mx = max(hours)
        busiest = hours.index(mx)
        out.append(head)
        out.append("  00    06    12    18    24")
        strip = "".join(cells[0 if x <= 0 else min(4, max(1, -(-x * 4 // mx)))] for x in hours)
        out.append("  %s  %s %s in %02d:00-%02d:00" % (strip, cells[4], fmt_dur(mx), busiest,
                                                      busiest + 1))
    if len(t["days"]) >= 7:
        # the whole day (docs/semantics.md), with the default budget (6 h) and target (2 h);
        # these scenarios hold no pace prompt, summary or exercise, so the last two lines
        # say 0 (tests/replay-test.py's budget scenarios check real ones)
        over = sum(1 for f in t["days"] if f["sitting_seconds"] > 6 * 3600)
        measured = [f for f in t["days"] if f["measured_seconds"]]
        reached = sum(1 for f in measured if f["upright_seconds"] >= 2 * 3600)
        line = "The whole day: sitting over the budget (6h 00m) on %d of %d days" % (
            over, len(t["days"]))
        if measured:
            line += "; upright target (2h 00m) reached on %d of %d measured day%s" % (
                reached, len(measured), "" if len(measured) == 1 else "s")
        else:
            line += "; upright (target 2h 00m) not measured: no worn sensor"
        out += ["", line, "The last 7 days: pace prompts: 0; summaries: 0; first prompts brought "
                "forward (adaptive): 0",
                "Exercises done in the last 7 days: 0 lengthening, 0 strengthening"]
    return "\n".join(out) + "\n"


def hhmm(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, ZONE).strftime("%H:%M")


def clock_after(start_ms, end_ms):
    """a bout's end in the lists: HH:MM, +Nd when N local days after its start"""
    a = datetime.datetime.fromtimestamp(start_ms / 1000, ZONE).date()
    b = datetime.datetime.fromtimestamp(end_ms / 1000, ZONE).date()
    return hhmm(end_ms) + ("+%dd" % (b - a).days if b > a else "")


def render_day(t, bouts, utf8):
    out = render_summary(t, utf8)
    lo, hi = day_bounds(datetime.date.fromisoformat(t["since"]))
    day_bouts = [bt for bt in bouts if lo <= bt[0] < hi]
    if day_bouts:
        out.append("")
        out.append("Bouts (continuous sitting; breaks under 1min are part of a bout):")
    for bt in day_bouts:
        a, b, _, prompts = bt
        prompts = [(p, r) for (p, r) in prompts if lo <= p < hi]
        prolonged = b - a >= PROLONGED_MS
        line = "  %s-%s  %8s" % (hhmm(a), "now  " if bt[2] == "-" else clock_after(a, b),
                                fmt_dur((b - a + 500) // 1000))
        if prolonged or prompts:
            line += "  %-9s" % ("prolonged" if prolonged else "")
        if prompts:
            line += "  %d prompt%s, %d heeded" % (len(prompts), "" if len(prompts) == 1 else "s",
                                                  sum(1 for (p, _) in prompts if heeded(bt, p)))
            answered = [r for (_, r) in prompts if r != "-"]
            if answered:
                line += ": " + ", ".join(answered)
        out.append(line)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- running sitlog


class Env:
    def __init__(self, args, tmp):
        self.args = args
        self.env = dict(os.environ, TZ=TZ, LC_ALL="C.UTF-8",
                        XDG_CONFIG_HOME=os.path.join(tmp, "no-config"),
                        XDG_CONFIG_DIRS=os.path.join(tmp, "no-config"))
        self.env.pop("NO_COLOR", None)
        self.env.pop("SITLOG_DB", None)

    def run(self, db, *argv, env=None):
        e = dict(self.env, **(env or {}))
        return subprocess.run([self.args.sitlog, "--db", db] + list(argv), env=e,
                              capture_output=True, text=True, timeout=60)

    def run_pty(self, db, *argv, env=None):
        """sitlog with stdout on a terminal: what it wrote there."""
        e = dict(self.env, **(env or {}))
        master, slave = pty.openpty()
        p = subprocess.Popen([self.args.sitlog, "--db", db] + list(argv), env=e,
                             stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        data = b""
        try:
            while True:
                r, _, _ = select.select([master], [], [], 30)
                if not r:
                    break
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the other end is closed
                    break
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(master)
            p.wait(timeout=30)
            p.stderr.close()
        return p.returncode, data.decode("utf-8", "replace")


def diff(got, want):
    import difflib
    return "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "want", "got",
                                          lineterm=""))


def write_store(args, db, text):
    r = subprocess.run([args.write_store, db], input=text, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("write-store: " + r.stderr)


ENGINE_KEYS = ("upright_seconds", "measured_seconds", "away_seconds", "days_measured",
               "bouts_by_class", "bout_seconds_by_class")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--write-store", required=True)
    ap.add_argument("--schemas", required=True)
    args = ap.parse_args()
    try:
        import jsonschema
    except ImportError:
        if os.environ.get("CI") == "true":
            print("1..1\nnot ok 1 python3-jsonschema is missing (CI=true: scripts/deps.sh)")
            return 1
        print("1..0 # SKIP python3-jsonschema is missing (Debian: python3-jsonschema)")
        return 0
    tmp = tempfile.mkdtemp(prefix="sitlog-test-views-")
    try:
        return run_tests(args, tmp, jsonschema)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def schema(args, name):
    with open(os.path.join(args.schemas, name + ".schema.json")) as f:
        return json.load(f)


def valid(jsonschema, doc, sch):
    try:
        jsonschema.validate(doc, sch, cls=jsonschema.Draft202012Validator)
        return ""
    except jsonschema.ValidationError as e:
        return str(e)[:2000]


def run_tests(args, tmp, jsonschema):
    E = Env(args, tmp)
    skips = []
    devices = [(b"Seat mat", "seat"), (b"Thigh IMU", "imu")]
    worn = {1}
    # two weeks before and the week of 2026-03-09 (Mon) .. 2026-03-15 (Sun); no DST change
    first = datetime.date(2026, 2, 23)
    segs, bouts = generate(11, first, 21)
    db = os.path.join(tmp, "views.db")
    write_store(args, db, scenario_text(devices, segs, bouts))
    since, until = datetime.date(2026, 3, 9), datetime.date(2026, 3, 15)
    want = truth(segs, bouts, since, until, worn)

    # JSON first
    r = E.run(db, "report", "--week", "--until", until.isoformat(), "--format", "json")
    try:
        got = json.loads(r.stdout)
    except ValueError:
        got = None
    ok(r.returncode == 0 and got is not None, "report --week --format json is JSON",
       r.stdout[:500] + r.stderr)
    got = got or {}
    expect = want
    ok(not valid(jsonschema, got, schema(args, "report")),
       "report JSON (a week) against data/schema/report.schema.json",
       valid(jsonschema, got, schema(args, "report")))
    core = lambda d: {k: v for k, v in d.items() if k not in ENGINE_KEYS and k != "days" and
                      k != "previous" and k != "prolonged_seconds_by_hour"}
    ok(core(got) == core(want) and [core(x) for x in got.get("days", [])] ==
       [core(x) for x in want["days"]],
       "report JSON: sitting, bouts, longest, prolonged, breaks, prompts, heeded as the truth",
       "got %r\nwant %r" % (core(got), core(want)))
    ok(got == want, "report JSON: upright, measured, away, classes, hours, previous as "
       "the truth", "got %r\nwant %r" % (got, want))

    # the golden week, plain (not a terminal), UTF-8 and ASCII
    for lc, utf8 in (("C.UTF-8", True), ("C", False)):
        r = E.run(db, "report", "--week", "--until", until.isoformat(), env={"LC_ALL": lc})
        gold = render_range(expect, utf8)
        ok(r.returncode == 0 and r.stdout == gold and r.stderr == "",
           "report --week table, LC_ALL=%s, golden from the scenario%s" % (
               lc, ""),
           diff(r.stdout, gold) + r.stderr)
        ok("\033" not in r.stdout, "report --week, not a terminal: no escape sequence (%s)" % lc)
    # the same week by --since/--until, and by --days 7
    for argv in (["--since", since.isoformat(), "--until", until.isoformat()],
                 ["--days", "7", "--until", until.isoformat()]):
        r = E.run(db, "report", *argv)
        ok(r.returncode == 0 and r.stdout == render_range(expect, True),
           "report %s: the same week" % " ".join(argv), diff(r.stdout, render_range(expect, True)))
    # each column lines up: every row as wide as the header up to the bar
    r = E.run(db, "report", "--week", "--until", until.isoformat())
    rows = [x for x in r.stdout.splitlines() if x[:4] in ("Date", "2026", "Tota")]
    w = len(rows[-1]) if rows else 0
    ok(len(rows) == 9 and w == 94 and all(len(x) == w or x[w:w + 2] == "  " for x in rows) and
       rows[0][w:] == "  Sitting hours",
       "the day table: fixed columns (9 rows of 94 columns, then the bar)", "\n".join(rows))

    # a day: summary and the bout list with prompts and responses
    for d, lc in ((datetime.date(2026, 3, 9), "C.UTF-8"), (datetime.date(2026, 3, 11), "C.UTF-8"),
                  (datetime.date(2026, 3, 10), "C")):
        wd = truth(segs, bouts, d, d, worn)
        r = E.run(db, "report", "--since", d.isoformat(), "--until", d.isoformat(),
                  env={"LC_ALL": lc})
        gold = render_day(wd, bouts, lc != "C")
        ok(r.returncode == 0 and r.stdout == gold, "report for %s (%s), LC_ALL=%s: golden day" %
           (d, d.strftime("%a"), lc), diff(r.stdout, gold) + r.stderr)

    # a bout still open (sitlogd records it): "now" in the day and in bouts
    d = datetime.date(2026, 3, 2)
    o_segs = [(0, "away", local_ms(d, 9, 0), local_ms(d, 10, 0)),
              (0, "sitting", local_ms(d, 10, 0), local_ms(d, 10, 41, 30))]
    o_bouts = [(local_ms(d, 10, 0), local_ms(d, 10, 41, 30), "-",
                [(local_ms(d, 10, 30), "snoozed"), (local_ms(d, 10, 40), "-")])]
    db3 = os.path.join(tmp, "open.db")
    write_store(args, db3, scenario_text(devices[:1], o_segs, o_bouts))
    wd = truth(o_segs, o_bouts, d, d, set())
    r = E.run(db3, "report", "--until", d.isoformat())
    gold = render_day(wd, o_bouts, True)
    ok(r.returncode == 0 and r.stdout == gold and "10:00-now     41m 30s" in r.stdout,
       "report: an open bout goes on until \"now\"", diff(r.stdout, gold) + r.stderr)
    r = E.run(db3, "bouts", "--until", d.isoformat())
    ok(r.returncode == 0 and r.stdout.splitlines()[1:] ==
       ["2026-03-02 10:00  now    41m 30s  yes              2       0  snoozed, unanswered"],
       "bouts: an open bout, its end \"now\", a prompt without an answer", r.stdout)
    r = E.run(db3, "bouts", "--until", d.isoformat(), "--format", "json")
    bj3 = json.loads(r.stdout) if r.returncode == 0 else {}
    ok([(b["open"], b["seconds"], [p["response"] for p in b["prompt_list"]])
        for b in bj3.get("bouts", [])] == [(True, 2490, ["snoozed", None])],
       "bouts JSON: open, seconds, the responses with null", r.stdout)
    # only --until: that day
    r = E.run(db, "report", "--until", "2026-03-09")
    ok(r.returncode == 0 and r.stdout.startswith("sitlog report: 2026-03-09 (Mon)\n"),
       "report --until DATE alone: that one day", r.stdout[:200])

    # [Budget] upright_per_day and [Tracking] prolonged from the configuration
    conf = os.path.join(tmp, "budget.conf")
    with open(conf, "w") as f:
        f.write("[Tracking]\nprolonged=45min\n[Budget]\nupright_per_day=90min\n")
    r = subprocess.run([args.sitlog, "--db", db, "--config", conf, "report", "--week", "--until",
                        until.isoformat(), "--format", "json"], env=E.env, capture_output=True,
                       text=True)
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    lo, hi = day_bounds(since)[0], day_bounds(until)[1]
    ok(j.get("upright_target_seconds_per_day") == 5400 and
       j.get("prolonged_threshold_seconds") == 2700 and
       j.get("prolonged_bouts") == sum(1 for (a, b, _, _) in bouts
                                       if lo <= a < hi and b - a >= 45 * MIN),
       "report JSON: the target and the prolonged threshold from the configuration",
       r.stdout[:300] + r.stderr)
    r = subprocess.run([args.sitlog, "--db", db, "--config", conf, "report", "--week", "--until",
                        until.isoformat()], env=E.env, capture_output=True, text=True)
    ok(r.returncode == 0 and "; prolonged (\u2265 45min): " in r.stdout and
       "; target 1h 30m a day\n" in r.stdout,
       "report table: the configured threshold and target",
       r.stdout[:600] + r.stderr)

    # --month: the calendar month up to --until
    r = E.run(db, "report", "--month", "--until", "2026-03-15", "--format", "json")
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    wm = truth(segs, bouts, datetime.date(2026, 3, 1), datetime.date(2026, 3, 15), worn)
    ok(j.get("since") == "2026-03-01" and j.get("n_days") == 15 and
       core(j) == core(wm), "report --month --until 2026-03-15: 2026-03-01 to 03-15",
       r.stdout[:300] + r.stderr)

    # CSV: the documented columns, one row per day, values as the truth
    r = E.run(db, "report", "--week", "--until", until.isoformat(), "--format", "csv")
    lines = r.stdout.splitlines()
    cols = ("date,sitting_seconds,bouts,longest_bout_seconds,prolonged_bouts,prompts,"
            "prompts_heeded,breaks,bouts_under_30,bouts_30_to_60,bouts_60_to_90,"
            "bouts_90_or_more,upright_seconds,measured_seconds,away_seconds")
    ok(r.returncode == 0 and lines and lines[0] == cols and len(lines) == 8,
       "report CSV: header and one row per day", r.stdout[:400] + r.stderr)
    want_rows = []
    for f in expect["days"]:
        want_rows.append(",".join(str(x) for x in (
            f["date"], f["sitting_seconds"], f["bouts"], f["longest_bout_seconds"],
            f["prolonged_bouts"], f["prompts"], f["prompts_heeded"], f["breaks"],
            *[f["bouts_by_class"][k] for k in CLASS_KEYS],
            "" if f["upright_seconds"] is None else f["upright_seconds"],
            f["measured_seconds"], f["away_seconds"])))
    ok(lines[1:] == want_rows, "report CSV: the values of each column as the truth%s" % (
        ""), diff("\n".join(lines[1:]),
                                                             "\n".join(want_rows)))

    # bouts: table, JSON (schema), CSV
    r = E.run(db, "bouts", "--week", "--until", until.isoformat(), "--format", "json")
    bj = json.loads(r.stdout) if r.returncode == 0 else {}
    ok(not valid(jsonschema, bj, schema(args, "bouts")),
       "bouts JSON against data/schema/bouts.schema.json",
       valid(jsonschema, bj, schema(args, "bouts")) + r.stderr)
    lo, hi = day_bounds(since)[0], day_bounds(until)[1]
    week_bouts = [bt for bt in bouts if lo <= bt[0] < hi]
    want_b = [dict(start_ms=a, end_ms=b, seconds=(b - a + 500) // 1000,
                   prolonged=b - a >= PROLONGED_MS, open=False,
                   prompts=sum(1 for (p, _) in ps if p < hi),
                   heeded=sum(1 for (p, _) in ps if p < hi and heeded(bt, p)),
                   responses=[None if x == "-" else x for (p, x) in ps if p < hi])
              for bt in week_bouts for (a, b, _, ps) in [bt]]
    got_b = [dict(start_ms=x["start_ms"], end_ms=x["end_ms"], seconds=x["seconds"],
                  prolonged=x["prolonged"], open=x["open"], prompts=x["prompts"],
                  heeded=x["heeded"], responses=[p["response"] for p in x["prompt_list"]])
             for x in bj.get("bouts", [])]
    ok(got_b == want_b and len(want_b) > 10, "bouts JSON: %d bouts, lengths, prompts, "
       "responses as the truth" % len(want_b), diff(repr(got_b), repr(want_b)))
    r = E.run(db, "bouts", "--week", "--until", until.isoformat())
    want_t = ["Start             End    Length   Prolonged  Prompts  Heeded  Responses"]
    for w in want_b:
        resp = ", ".join("unanswered" if x is None else x for x in w["responses"])
        want_t.append("%-16s  %-5s  %7s  %-9s  %7d  %6d  %s" % (
            datetime.datetime.fromtimestamp(w["start_ms"] / 1000, ZONE).strftime(
                "%Y-%m-%d %H:%M"), clock_after(w["start_ms"], w["end_ms"]), fmt_dur(w["seconds"]),
            "yes" if w["prolonged"] else "no", w["prompts"], w["heeded"], resp or "-"))
    gold = "\n".join(want_t) + "\n"
    ok(r.returncode == 0 and r.stdout == gold, "bouts table: golden from the scenario",
       diff(r.stdout, gold) + r.stderr)
    r = E.run(db, "bouts", "--week", "--until", until.isoformat(), "--format", "csv")
    lines = r.stdout.splitlines()
    ok(r.returncode == 0 and lines[0] == "start,end,seconds,prolonged,open,prompts,heeded,"
       "responses" and len(lines) == len(want_b) + 1 and
       [ln.split(",")[2] for ln in lines[1:]] == [str(w["seconds"]) for w in want_b] and
       [ln.split(",")[7] for ln in lines[1:]] ==
       [" ".join("unanswered" if x is None else x for x in w["responses"]) for w in want_b],
       "bouts CSV: header, one row per bout, seconds and responses", r.stdout[:400])
    r = E.run(db, "bouts", "--since", "2026-03-15", "--until", "2026-03-15")
    ok(r.returncode == 1 and "nothing recorded on 2026-03-15" in r.stderr,
       "bouts on a day with nothing recorded (a Sunday): said so", r.stdout + r.stderr)

    # colour: only on a terminal, not with NO_COLOR, TERM=dumb or --color=never
    wk = ["report", "--week", "--until", until.isoformat()]
    rc, out = E.run_pty(db, *wk, env={"TERM": "xterm"})
    ok(rc == 0 and "\033[1m" in out and "\033[0m" in out, "on a terminal (pty, TERM=xterm): "
       "colour", repr(out[:300]))
    plain = render_range(expect, True).replace("\n", "\r\n")
    rc, out2 = E.run_pty(db, *wk, env={"TERM": "xterm", "NO_COLOR": "1"})
    ok(rc == 0 and "\033" not in out2 and out2 == plain,
       "on a terminal with NO_COLOR=1: the plain table", diff(out2, plain))
    rc, out3 = E.run_pty(db, *wk, env={"TERM": "xterm", "NO_COLOR": ""})
    ok(rc == 0 and "\033[" in out3, "NO_COLOR set but empty does not count (no-color.org)")
    rc, out4 = E.run_pty(db, *wk, env={"TERM": "dumb"})
    ok(rc == 0 and "\033" not in out4, "on a terminal with TERM=dumb: no colour")
    rc, out5 = E.run_pty(db, *(wk + ["--color=never"]), env={"TERM": "xterm"})
    ok(rc == 0 and "\033" not in out5, "--color=never on a terminal: no colour")
    r = E.run(db, *(wk + ["--color=always"]))
    ok(r.returncode == 0 and "\033[1m" in r.stdout, "--color=always into a pipe: colour")
    import re
    ok(re.sub("\033\\[[0-9;]*m", "", out).replace("\r\n", "\n") == render_range(expect, True),
       "the coloured table without its escapes is the plain one",
       diff(re.sub("\033\\[[0-9;]*m", "", out).replace("\r\n", "\n"), render_range(expect, True)))
    rc, out6 = E.run_pty(db, "bouts", "--week", "--until", until.isoformat(),
                         env={"TERM": "xterm"})
    ok(rc == 0 and "\033[1m" in out6, "bouts on a terminal: colour too")

    # export: a device named with 0xff and control characters, streamed, valid JSON
    odd = b"Seat \xff\x01\x1f\"\\\n\ttab \xc3\xa9"
    db2 = os.path.join(tmp, "odd.db")
    d = datetime.date(2026, 3, 2)
    n_seg = 3000
    lines = ["device %s seat" % odd.hex()]
    t0 = local_ms(d, 8, 0)
    for i in range(n_seg):
        lines.append("seg 0 %s %d %d" % ("sitting" if i % 2 else "away", t0 + i * 20000,
                                         t0 + (i + 1) * 20000))
    write_store(args, db2, "\n".join(lines) + "\n")
    r = subprocess.run([args.sitlog, "--db", db2, "export", "--format", "json"], env=E.env,
                       capture_output=True)
    try:
        ej = json.loads(r.stdout.decode("utf-8"))
    except ValueError as e:
        ej = {"error": str(e)}
    ok(r.returncode == 0 and not valid(jsonschema, ej, schema(args, "export")),
       "export JSON with a device named with 0xff and control characters: valid JSON, "
       "against data/schema/export.schema.json",
       str(ej)[:300] + valid(jsonschema, ej, schema(args, "export")))
    segs_j = ej.get("segments", [])
    ok(len(segs_j) == n_seg and all(s["device"] == odd.decode("utf-8", "replace")
                                    for s in segs_j) and
       [s["start_ms"] for s in segs_j] == [t0 + i * 20000 for i in range(n_seg)],
       "export JSON: %d segments, the name made valid (0xff as U+FFFD, the rest kept)" % n_seg,
       repr(segs_j[:1]))
    r = subprocess.run([args.sitlog, "--db", db2, "export", "--format", "csv"], env=E.env,
                       capture_output=True)
    try:
        csv_text = r.stdout.decode("utf-8")
        import csv
        import io
        rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    except ValueError:
        rows = []
    ok(r.returncode == 0 and len(rows) == n_seg + 1 and rows[0] == ["start", "end", "posture",
                                                                     "device"] and
       all(x[3] == odd.decode("utf-8", "replace") for x in rows[1:]),
       "export CSV: valid UTF-8, the odd name quoted (RFC 4180)", repr(rows[:2]))
    # streamed: the reader going away early ends the export quietly
    p = subprocess.Popen([args.sitlog, "--db", db2, "export", "--format", "json"], env=E.env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(100)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=30)
    p.stderr.close()
    ok(p.returncode == 0 and err == "", "export into a pipe closed early: exit 0, no message",
       "exit %s %s" % (p.returncode, err))

    # errors: the message, exit 2 for usage, 1 for the rest; nothing on stdout
    missing = os.path.join(tmp, "missing", "sitlog.db")
    errors = [
        (["report", "--since", "2026-13-01"], 2,
         "sitlog: report: --since 2026-13-01: not a date (want YYYY-MM-DD)\n"),
        (["report", "--until", "2026-02-30"], 2,
         "sitlog: report: --until 2026-02-30: not a date (want YYYY-MM-DD)\n"),
        (["report", "--since", "1969-12-31"], 2,
         "sitlog: report: --since 1969-12-31: out of range (1970-01-01 to 2099-12-31)\n"),
        (["bouts", "--until", "2101-01-01"], 2,
         "sitlog: bouts: --until 2101-01-01: out of range (1970-01-01 to 2099-12-31)\n"),
        (["report", "--since", "2026-03-02", "--until", "2026-03-01"], 2,
         "sitlog: report: --until 2026-03-01 is before --since 2026-03-02\n"),
        (["report", "--since", "2099-01-01"], 2,
         "sitlog: report: --since 2099-01-01 is after today\n"),
        (["report", "--week", "--since", "today"], 2,
         "sitlog: report: --since cannot go with --week\n"),
        (["report", "--week", "--month"], 2,
         "sitlog: report: --week, --month and --days cannot go together\n"),
        (["report", "--days", "0"], 2,
         "sitlog: report: --days 0: want a number of days from 1 to 36600\n"),
        (["report", "--format", "xml"], 2,
         "sitlog: report: --format xml: want table, json or csv\n"),
        (["report", "--color", "sometimes"], 2,
         "sitlog: report: --color sometimes: want auto, always or never\n"),
        (["export", "--format", "csv", "--since", "2026-03-02", "--until", "2026-03-01"], 2,
         "sitlog: export: --until 2026-03-01 is before --since 2026-03-02\n"),
        (["export", "--format", "csv", "--since", "2026-3-1"], 2,
         "sitlog: export: --since 2026-3-1: not a date (want YYYY-MM-DD)\n"),
        (["export"], 2, "sitlog: export: --format csv, json or openmetrics is required\n"),
        (["report", "--since", "2020-01-01", "--until", "2020-01-07"], 1,
         "sitlog: report: nothing recorded from 2020-01-01 to 2020-01-07\n"),
        (["report", "--since", "2020-01-01", "--until", "2020-01-01", "--format", "json"], 1,
         "sitlog: report: nothing recorded on 2020-01-01\n"),
    ]
    for argv, code, msg in errors:
        r = E.run(db, *argv)
        ok(r.returncode == code and r.stderr == msg and r.stdout == "",
           "error: sitlog %s" % " ".join(argv), "exit %d\n%s%s" % (r.returncode, r.stderr,
                                                                    r.stdout[:200]))
    nodata = ("sitlog: no data yet (no database at %s); is sitlogd running? "
              "`systemctl --user status sitlogd`\n" % missing)
    for verb in (["report"], ["bouts", "--week"], ["export", "--format", "json"]):
        r = E.run(missing, *verb)
        ok(r.returncode == 1 and r.stderr == nodata and r.stdout == "" and
           not os.path.exists(missing), "error: %s without a database" % verb[0],
           r.stderr + r.stdout)
    # today with nothing recorded: the hint to look at the daemon
    r = E.run(db2, "report")
    ok(r.returncode == 1 and r.stderr.endswith("(today); is sitlogd running? `systemctl --user "
                                               "status sitlogd`\n"),
       "error: nothing recorded today names sitlogd", r.stderr)

    if skips and os.environ.get("CI") == "true":
        ok(False, "CI=true: every check must run, skipped: %s" % ", ".join(skips))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
