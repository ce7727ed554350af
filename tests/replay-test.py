#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Replay tests: every scenario of gen-recordings.py is replayed by `sitlogd --replay` into a fresh
database and must show exactly its ground truth through `sitlog report --format json`,
`sitlog export --format csv` and, for prompt times and bouts, the database itself.
Then the bad-input cases: broken recordings and databases must be refused, with FILE:LINE where
a line is at fault, and nothing written. TAP output.

  --part semantics  the plain-style scenarios and the bad inputs (the default: meson's 'replay')
  --part formats    recordings as evemu-record 2.x writes them, and the same recording written
                    in other accepted ways, must replay as the plain one (meson's 'replay-formats')
  --part all        both; --scenario NAME (repeatable) runs only those scenarios
"""
import argparse
import datetime
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# what a long replay may take above a short one; under valgrind (meson test --setup=valgrind)
# its shadow memory and queue of freed blocks count in the RSS too: twice that
MEMORY_BOUND_KIB = 32 * 1024 * (2 if os.environ.get("SITLOG_TEST_VALGRIND") else 1)
diag = []
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")


def iso_ms(text):
    d = datetime.datetime.fromisoformat(text)
    return int(d.replace(microsecond=0).timestamp()) * 1000 + d.microsecond // 1000


def local_iso(ms, zone):
    d = datetime.datetime.fromtimestamp(ms // 1000, zone)
    off = d.utcoffset().total_seconds() // 60
    return "%s.%03d%s%02d:%02d" % (d.strftime("%Y-%m-%dT%H:%M:%S"), ms % 1000,
                                   "-" if off < 0 else "+", abs(off) // 60, abs(off) % 60)


def run(cmd, env, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if check and r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def diff(got, want):
    if got == want:
        return ""
    g = json.dumps(got, indent=1, sort_keys=True).splitlines()
    w = json.dumps(want, indent=1, sort_keys=True).splitlines()
    import difflib
    return "\n".join(difflib.unified_diff(w, g, "truth", "sitlog", lineterm="", n=2))


def close(got, want, tol_ms):
    """Equal, but times (keys ending in _ms) within tol_ms and seconds within tol_ms/1000 times
    the number of boundaries that can move them (up to 4 per day). Keys the truth does not
    name (the report's "version", the figures the generator does not model) are not
    compared."""
    if type(got) != type(want):
        return False
    if isinstance(want, dict):
        if not want.keys() <= got.keys():
            return False
        if tol_ms == 0:
            return all(close(got[k], want[k], 0) for k in want)
        for k in want:
            if k.endswith("_ms") and isinstance(want[k], int):
                if abs(got[k] - want[k]) > tol_ms:
                    return False
            elif k.endswith("_seconds") and isinstance(want[k], int):
                if abs(got[k] - want[k]) > 4 * tol_ms // 1000:
                    return False
            elif not close(got[k], want[k], tol_ms):
                return False
        return True
    if isinstance(want, list):
        return len(got) == len(want) and all(close(g, w, tol_ms) for g, w in zip(got, want))
    return got == want


def check_scenario(args, name, tmp, env):
    truth = json.load(open(os.path.join(tmp, name + ".truth.json")))
    env = dict(env, TZ=truth["tz"])
    db = os.path.join(tmp, name + ".db")
    if truth.get("after"):
        # replayed into the database an earlier scenario left behind
        shutil.copy(os.path.join(tmp, truth["after"] + ".db"), db)
    cmd = [args.sitlogd, "--replay", os.path.join(tmp, name + ".evemu"), "--replay-start",
           truth["replay_start"], "--db", db] + truth.get("replay_args", [])
    if truth.get("config"):
        cmd += ["--config", os.path.join(tmp, truth["config"])]
    t = time.perf_counter()
    run(cmd, env)
    wall = time.perf_counter() - t
    if truth.get("events"):
        diag.append("%s: %d events replayed in %.3f s wall, %.0f events/s"
                    % (name, truth["events"], wall, truth["events"] / wall))

    tol = truth.get("tolerance_ms", 0)
    within = " (times within %.1f s)" % (tol / 1000) if tol else ""
    for key, what in (("report", ""), ("report_wide", ", a day wider each side")):
        if key not in truth or (key == "report_wide" and truth.get("after")):
            continue  # (the day before holds the earlier scenario's data)
        want = truth[key]
        rep = json.loads(run([args.sitlog, "--db", db, "report", "--since", want["since"],
                              "--until", want["until"], "--format", "json"], env).stdout)
        ok(close(rep, want, tol), "%s: report --format json%s%s" % (name, what, within),
           diff(rep, want))

    if truth.get("config") and len(truth["report"]["days"]) == 7:
        # the whole day under a table of a week (report --week): the day's prompts, the budget
        rep = truth["report"]
        cmd = [args.sitlog, "--db", db, "--config", os.path.join(tmp, truth["config"]),
               "report", "--since", rep["since"], "--until", rep["until"]]
        table = run(cmd, env).stdout
        pace = sum(1 for p in truth["prompts"] if p["reason"] == "budget")
        summaries = sum(1 for p in truth["prompts"] if p["reason"] == "summary")
        over = sum(1 for d in rep["days"] if d["sitting_seconds"] > 6 * 3600)
        # a bout's first prompt before remind_after (30 min here): adaptive brought it forward
        sooner = sum(1 for p in truth["prompts"] if p["seq"] == 0 and p["reason"] != "suppressed"
                     and p["t_ms"] - truth["bouts"][p["bout"]]["start_ms"] < 30 * 60 * 1000)
        want = ["The last 7 days: pace prompts: %d; summaries: %d; first prompts brought "
                "forward (adaptive): %d" % (pace, summaries, sooner),
                "sitting over the budget (6h 00m) on %d of %d days" % (over, len(rep["days"]))]
        ok(all(w in table for w in want) and pace > 0 and summaries > 0 and sooner > 0,
           "%s: report shows the whole day (%d pace prompts, %d summaries, %d adaptive, %d "
           "days over)" % (name, pace, summaries, sooner, over), table)

    out = run([args.sitlog, "--db", db, "export", "--format", "csv", "--since",
               truth["report"]["since"]], env).stdout.splitlines()
    header_ok = bool(out) and out[0] == "start,end,posture,device"
    segs = []
    for line in out[1:]:
        start, end, posture, device = line.split(",", 3)
        segs.append(dict(start_ms=iso_ms(start), end_ms=iso_ms(end), posture=posture))
        header_ok = header_ok and device == truth["device"] and ISO.match(start) and \
            ISO.match(end)
    ok(header_ok, "%s: export --format csv header, ISO 8601 with ms and offset, device" % name,
       "\n".join(out[:3]))
    ok(close(segs, truth["segments"], tol), "%s: export segments%s" % (name, within),
       diff(segs, truth["segments"]))
    if not tol:
        # the text itself: local time with the offset in force at that instant (DST)
        zone = zoneinfo.ZoneInfo(truth["tz"])
        want = ["start,end,posture,device"] + [
            "%s,%s,%s,%s" % (local_iso(r["start_ms"], zone), local_iso(r["end_ms"], zone),
                             r["posture"], truth["device"]) for r in truth["segments"]]
        ok(out == want, "%s: export --format csv text" % name, diff(out, want))

    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    if "imu_axis" in truth:
        # the learned axis is kept for the device: within the gait's forward bias of the thigh
        rows = con.execute("SELECT value FROM state WHERE key LIKE 'imu-axis:%'").fetchall()
        angle = None
        if len(rows) == 1:
            axis = [float(x) for x in rows[0][0].split()]
            n = math.sqrt(sum(a * a for a in axis))
            c = abs(sum(a * b for a, b in zip(axis, truth["imu_axis"]))) / n
            angle = math.degrees(math.acos(min(1.0, c)))
        ok(angle is not None and angle < 12, "%s: learned axis stored, %s degrees from the thigh"
           % (name, "%.1f" % angle if angle is not None else "?"), str(rows))
    if truth.get("after"):
        # compare only what this replay added
        since = truth["segments"][0]["start_ms"] - truth.get("tolerance_ms", 0)
    else:
        since = -2 ** 62
    bouts = [dict(start_ms=a, end_ms=b, ended_by=c) for (a, b, c) in
             con.execute("SELECT start_ms, end_ms, ended_by FROM bouts WHERE start_ms >= ? "
                         "ORDER BY start_ms", (since,))]
    ok(close(bouts, truth["bouts"], tol), "%s: bouts in the database%s" % (name, within),
       diff(bouts, truth["bouts"]))
    ids = [r[0] for r in con.execute("SELECT id FROM bouts WHERE start_ms >= ? ORDER BY start_ms",
                                     (since,))]
    prompts = [dict(t_ms=t, seq=seq, reason=reason, bout=ids.index(bid), heeded=bool(h))
               for (t, seq, reason, bid, h) in
               con.execute("SELECT t_ms, seq, reason, bout_id, heeded FROM prompts "
                           "WHERE t_ms >= ? ORDER BY t_ms", (since,))]
    ok(close(prompts, truth["prompts"], tol), "%s: prompts in the database%s" % (name, within),
       diff(prompts, truth["prompts"]))
    con.close()


def bad_recordings(tmp):
    """(name, text, line the error must name or None, a word of the message)"""
    good = open(os.path.join(tmp, "short-stands.evemu")).read().splitlines(keepends=True)
    first_event = next(i for i, l in enumerate(good) if l.startswith("E:"))
    n = len(good)
    cases = [
        ("not-evemu", "hello\nthis is a text file\n", 1, "not an evemu recording"),
        ("empty", "", 1, "not an evemu recording"),
        ("cut-inside-line", "".join(good)[:-9], n, "truncated"),
        ("cut-after-event", "".join(good[:-1]), n - 2 + 1, "SYN_REPORT"),
        ("undeclared-event",
         "".join(good[:first_event + 2]) + "E: 1001.250000 0003 0018 0500\n" +
         "".join(good[first_event + 2:]), first_event + 3, "not declared"),
        ("time-goes-back",
         "".join(good[:first_event + 4]) + "E: 0999.000000 0001 0100 0001\n" +
         "".join(good[first_event + 4:]), first_event + 5, "time goes back"),
        ("octal-trap-and-junk",
         "".join(good[:first_event]) + "E: 1000.250000 0001 0100 0001 trailing\n" +
         "".join(good[first_event:]), first_event + 1, "unexpected text"),
        ("huge-value",
         "".join(good[:first_event]) + "E: 1000.250000 0001 0100 99999999999\n" +
         "".join(good[first_event:]), first_event + 1, "32 bits"),
        ("nul-byte", "".join(good[:first_event]) + "E: 1000.25\0000 0000 0000 0000\n",
         first_event + 1, "NUL"),
    ]
    return cases


def good_variants(tmp):
    """(name, text): the same recording as short-stands.evemu, written as other tools write it;
    each must replay exactly as the original does."""
    good = open(os.path.join(tmp, "short-stands.evemu")).read().splitlines()
    names = {"0000": "# ------------ SYN_REPORT (0) ---------- +0ms",
             "0001": "# EV_KEY / BTN_0                %s"}
    commented = []
    for line in good:
        if line.startswith("E:"):
            f = line.split()
            line += "\t" + names[f[2]].replace("%s", str(int(f[4])))
        commented.append(line)
    evemu2 = []
    for line in good:
        if line.startswith("B: 00 "):
            line = "B: 00 0b 00 00 00 00 00 00 00"  # evemu 2.x: EV_SYN's codes, not the types
        elif line.startswith("B: 04 "):
            line = "B: 04 10 00 00 00 00 00 00 00"  # MSC_SCAN
        elif line.startswith("E:") and line.split()[2] == "0001":
            evemu2.append("E: %s 0004 0004 589825" % line.split()[1])  # HID button 1
        evemu2.append(line)
    between = []
    for line in good:
        if line.startswith("E:") and line.split()[2] == "0001":
            between.append("# a comment line between events")
        between.append(line)
    return [("comment after each event (evemu-record 2.x)", "\n".join(commented) + "\n"),
            ("B: 00 0b and MSC_SCAN before each button event (evemu-record 2.x, HID)",
             "\n".join(evemu2) + "\n"),
            ("comment lines between events", "\n".join(between) + "\n")]


def dump(db):
    """every row of every table, read only"""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: con.execute("SELECT * FROM \"%s\" ORDER BY rowid" % t).fetchall()
                for t in tables}
    finally:
        con.close()


def check_formats(args, tmp, env):
    """Recordings as evemu-record 2.x and other tools write them must be read."""
    env = dict(env, TZ="UTC")
    # other writers' ways of writing the same recording replay the same
    ref = os.path.join(tmp, "ref.db")
    run([args.sitlogd, "--replay", os.path.join(tmp, "short-stands.evemu"), "--replay-start",
         "2026-03-05T08:00:00", "--db", ref], env)
    want = run([args.sitlog, "--db", ref, "export", "--format", "csv"], env).stdout
    for i, (what, text) in enumerate(good_variants(tmp)):
        path = os.path.join(tmp, "variant-%d.evemu" % i)
        with open(path, "w") as f:
            f.write(text)
        db = os.path.join(tmp, "variant-%d.db" % i)
        r = run([args.sitlogd, "--replay", path, "--replay-start", "2026-03-05T08:00:00",
                 "--db", db], env, check=False)
        got = run([args.sitlog, "--db", db, "export", "--format", "csv"], env,
                  check=False).stdout if r.returncode == 0 else ""
        ok(r.returncode == 0 and got == want, "accepted and replayed the same: %s" % what,
           "exit %d, stderr: %s" % (r.returncode, r.stderr.strip()))


def check_balance(args, tmp, env):
    """The exercise balance (docs/semantics.md): after a day whose stretches were all answered
    Done and whose strengthening was not, the next day's prompts suggest strengthening."""
    import configparser
    env = dict(env, TZ="UTC")
    src = os.path.join(HERE, "data", "workday.evemu")
    db = os.path.join(tmp, "balance.db")
    cat = configparser.ConfigParser(interpolation=None)
    cat.read(os.path.join(HERE, "..", "data", "exercises.ini"))
    kinds = {sec: cat[sec]["kind"] for sec in cat.sections()}
    r = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-02T08:30:00", "--db", db],
            env, check=False)
    con = sqlite3.connect(db)
    lengthen = [sec for sec, k in kinds.items() if k == "lengthen"]
    con.execute("UPDATE prompts SET response = 'done', response_ms = t_ms + 1000 "
                "WHERE exercise IN (%s)" % ",".join("?" * len(lengthen)), lengthen)
    done = con.execute("SELECT count(*) FROM prompts WHERE response = 'done'").fetchone()[0]
    con.commit()
    con.close()
    r2 = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-03T08:30:00", "--db", db],
             env, check=False)
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    ex = [e for (e,) in con.execute(
        "SELECT exercise FROM prompts WHERE seq >= 0 AND t_ms >= ? ORDER BY t_ms",
        (int(datetime.datetime(2026, 3, 3, tzinfo=datetime.timezone.utc).timestamp()) * 1000,))]
    con.close()
    n = sum(1 for k in kinds.values() if k == "strengthen")
    ok(r.returncode == 0 and r2.returncode == 0 and done > 0 and len(ex) == 17
       and all(kinds.get(e) == "strengthen" for e in ex)
       and all(len(set(ex[i:i + n])) == len(ex[i:i + n]) for i in range(0, len(ex), n)),
       "balance: %d stretches done, none of the strengthening: the next day suggests "
       "strengthening, each exercise once per cycle" % done, repr(ex) + r2.stderr)


def check_upgrade_and_rotation(args, tmp, env):
    """A database of schema version 1 is migrated with its data kept; prompts note their
    exercise, and the rotation goes on from one run to the next."""
    env = dict(env, TZ="UTC")
    src = os.path.join(HERE, "data", "workday.evemu")
    db = os.path.join(tmp, "v1.db")
    con = sqlite3.connect(db)
    con.executescript(open(os.path.join(HERE, "..", "schema", "001-initial.sql")).read())
    con.execute("INSERT INTO devices (name, role, first_seen_ms) VALUES ('Old Chair', 'seat', 0)")
    con.execute("INSERT INTO segments (start_ms, end_ms, posture, device_id) "
                "VALUES (1000, 61000, 'sitting', 1)")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    os.chmod(db, 0o600)
    r = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-02T08:30:00", "--db", db],
            env, check=False)
    r2 = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-03T08:30:00", "--db", db],
             env, check=False)
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    old = con.execute("SELECT start_ms, end_ms FROM segments WHERE device_id = 1").fetchall()
    # the bouts' prompts suggest an exercise; the day's (seq -1) do not
    ex = [e for (e,) in con.execute("SELECT exercise FROM prompts WHERE seq >= 0 ORDER BY t_ms")]
    con.close()
    ok(r.returncode == 0 and version >= 2 and old == [(1000, 61000)],
       "a version-1 database is migrated, its data kept", r.stderr + repr((version, old)))
    kinds = {}
    import configparser
    cat = configparser.ConfigParser(interpolation=None)
    cat.read(os.path.join(HERE, "..", "data", "exercises.ini"))
    for sec in cat.sections():
        kinds[sec] = cat[sec]["kind"]
    alternate = all(kinds.get(a) != kinds.get(b) for a, b in zip(ex, ex[1:]))
    # within each kind, every exercise once before any comes again, across both runs
    cycles_ok = True
    for kind in ("lengthen", "strengthen"):
        seq = [e for e in ex if kinds.get(e) == kind]
        n = sum(1 for k in kinds.values() if k == kind)
        for i in range(0, len(seq), n):
            cycles_ok = cycles_ok and len(set(seq[i:i + n])) == len(seq[i:i + n])
    ok(r2.returncode == 0 and len(ex) == 34 and None not in ex and alternate and cycles_ok,
       "prompts note their exercise; the rotation goes on across runs", repr(ex))


def check_bad_inputs(args, tmp, env):
    env = dict(env, TZ="UTC")
    for (name, text, line, word) in bad_recordings(tmp):
        path = os.path.join(tmp, "bad-" + name + ".evemu")
        with open(path, "w") as f:
            f.write(text)
        db = os.path.join(tmp, "bad-" + name + ".db")
        r = run([args.sitlogd, "--replay", path, "--replay-start", "2026-03-05T08:00:00",
                 "--db", db], env, check=False)
        where = "%s:%d:" % (path, line)
        good = r.returncode == 65 and where in r.stderr and word in r.stderr and \
            not os.path.exists(db)
        ok(good, "bad recording %s: exit 65, \"%s ... %s\", no database" % (name, where, word),
           "exit %d, stderr: %s" % (r.returncode, r.stderr.strip()))

    check_hostile_times(args, tmp, env)
    check_prune_without_daemon(args, tmp, env)

    # replaying over data already there is refused and leaves the database as it was
    src = os.path.join(tmp, "short-stands.evemu")
    db = os.path.join(tmp, "twice.db")
    start = "2026-03-05T08:00:00"
    run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env)
    before = dump(db)
    r = run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env, check=False)
    after = dump(db)
    ok(r.returncode == 1 and "already holds data" in r.stderr and before == after,
       "replay over existing data is refused, database unchanged (every table)",
       r.stderr.strip() + ("" if before == after else "\n" + diff(after, before)))
    # ... also when only the end of the new recording reaches into the data already there
    r = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-05T06:00:00", "--db", db],
            env, check=False)
    # the refusal names both ranges: the data held (from 08:00) and the replay's (from 06:00)
    ok(r.returncode == 1 and "already holds data from 2026-03-05 08:00:00" in r.stderr and
       "within this replay's 2026-03-05 06:00:00" in r.stderr and dump(db) == before,
       "a replay overlapping the start of existing data is refused naming both ranges, "
       "database unchanged", r.stderr.strip())
    # ... and a later day goes in beside it
    r = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-06T08:00:00", "--db", db],
            env, check=False)
    ok(r.returncode == 0, "replay of another day into the same database", r.stderr.strip())

    # a file that is not a database is never overwritten
    db = os.path.join(tmp, "not-a-db.db")
    junk = b"my thesis, not a database\n" * 100
    with open(db, "wb") as f:
        f.write(junk)
    r = run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env,
            check=False)
    ok(r.returncode == 1 and "not a sitlog database" in r.stderr and open(db, "rb").read() == junk,
       "a non-database file is refused and unchanged", r.stderr.strip())
    r = run([args.sitlog, "--db", db, "report"], env, check=False)
    ok(r.returncode == 1 and r.stderr.startswith("sitlog: ") and "not a sitlog database" in
       r.stderr, "sitlog report refuses it too", r.stderr.strip())

    # a database from a newer sitlog is refused and unchanged
    db = os.path.join(tmp, "newer.db")
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 999")
    con.execute("CREATE TABLE future (x)")
    con.commit()
    con.close()
    before = open(db, "rb").read()
    r = run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env,
            check=False)
    ok(r.returncode == 1 and "newer than this sitlog" in r.stderr and
       open(db, "rb").read() == before, "a newer database is refused and unchanged",
       r.stderr.strip())

    # a missing database: a clear message from the CLI, and nothing created
    db = os.path.join(tmp, "missing", "sitlog.db")
    r = run([args.sitlog, "--db", db, "report"], env, check=False)
    ok(r.returncode == 1 and "no database at" in r.stderr and not os.path.exists(db),
       "sitlog report without a database", r.stderr.strip())

    # files are the user's only
    db = os.path.join(tmp, "fresh", "dir", "sitlog.db")
    run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env)
    mode = os.stat(db).st_mode & 0o777
    dmode = os.stat(os.path.dirname(db)).st_mode & 0o777
    ok(mode == 0o600 and dmode == 0o700, "database 0600 in a 0700 directory",
       "file %o dir %o" % (mode, dmode))

    # a second writer on the same database is refused while the first holds it
    import fcntl
    lock = open(db + ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    r = run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-07T08:00:00",
             "--db", db], env, check=False)
    lock.close()
    ok(r.returncode == 1 and "another sitlogd" in r.stderr, "a second writer is refused",
       r.stderr.strip())


def check_prune_without_daemon(args, tmp, env):
    """sitlog prune with no daemon running: the CLI is the writer for a moment, if nobody else
    is; it asks first (or wants --yes) and only prunes the past."""
    src = os.path.join(tmp, "short-stands.evemu")
    db = os.path.join(tmp, "prune.db")
    run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-05T08:00:00", "--db", db], env)
    run([args.sitlogd, "--replay", src, "--replay-start", "2026-03-09T08:00:00", "--db", db], env)

    def count(day):
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        n = con.execute("SELECT count(*) FROM segments WHERE start_ms < ?",
                        (iso_ms(day + "T00:00:00.000+00:00"),)).fetchone()[0]
        con.close()
        return n

    before, after_all = count("2026-03-06"), count("2026-03-10")
    r = run([args.sitlog, "--db", db, "prune", "--before", "2026-03-06"], env, check=False)
    ok(r.returncode == 1 and "--yes" in r.stderr and count("2026-03-06") == before,
       "sitlog prune asks first; not on a terminal it wants --yes", r.stderr.strip())
    r = run([args.sitlog, "--db", db, "prune", "--before", "2099-01-01", "--yes"], env,
            check=False)
    ok(r.returncode == 2 and "still to come" in r.stderr, "only the past can be pruned",
       r.stderr.strip())
    import fcntl
    lock = open(db + ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    r = run([args.sitlog, "--db", db, "prune", "--before", "2026-03-06", "--yes"], env,
            check=False)
    lock.close()
    ok(r.returncode == 1 and "in use" in r.stderr and count("2026-03-06") == before,
       "a database in use by another writer is not pruned", r.stderr.strip())
    r = run([args.sitlog, "--db", db, "prune", "--before", "2026-03-06", "--yes"], env,
            check=False)
    ok(r.returncode == 0 and "Deleted %d segments" % before in r.stdout and before > 0 and
       count("2026-03-06") == 0 and count("2026-03-10") == after_all - before,
       "sitlog prune --before deletes what ended before, and nothing after",
       "%s %s (%d, %d)" % (r.stdout, r.stderr, before, after_all))


def replay_rss(cmd, env):
    """Exit status, stderr and the peak resident memory (KiB) of one sitlogd run."""
    err = tempfile.TemporaryFile()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    return p.returncode, err.read().decode(errors="replace"), usage.ru_maxrss


def check_hostile_times(args, tmp, env):
    """Event times and --replay-start outside the documented range are refused with FILE:LINE;
    a long gap inside it replays in bounded memory (sitlogd(1): decisions are written in
    batches, memory does not grow with the length of a gap)."""
    good = open(os.path.join(tmp, "short-stands.evemu")).read().splitlines(keepends=True)
    header = "".join(l for l in good[:next(i for i, l in enumerate(good) if l.startswith("E:"))])

    def occupied_across(gap_s):
        # four events: sit down at 1000 s, stand up gap_s later
        return header + ("E: 1000.000000 0001 0100 0001\nE: 1000.000000 0000 0000 0000\n"
                         "E: %d.000000 0001 0100 0000\nE: %d.000000 0000 0000 0000\n"
                         % (1000 + gap_s, 1000 + gap_s))

    last_line = header.count("\n") + 3
    for gap in (10 ** 12, 4 * 10 ** 9, 367 * 86400):
        path = os.path.join(tmp, "gap-%d.evemu" % gap)
        with open(path, "w") as f:
            f.write(occupied_across(gap))
        db = os.path.join(tmp, "gap-%d.db" % gap)
        t0 = time.monotonic()
        r = run([args.sitlogd, "--replay", path, "--replay-start", "2026-03-05T08:00:00",
                 "--db", db], env, check=False)
        took = time.monotonic() - t0
        where = "%s:%d:" % (path, last_line)
        # beyond what a time can be, the reader refuses; beyond a year, the replay
        ok(r.returncode == 65 and where in r.stderr and
           ("366 days" in r.stderr or "out of range" in r.stderr) and
           not os.path.exists(db) and took < 10,
           "a seat occupied across a %d s gap is refused at once with %s" % (gap, where),
           "exit %d in %.1f s: %s" % (r.returncode, took, r.stderr.strip()))

    for start, word in (("9999-12-31T20:00:00", "outside"), ("1969-12-31T23:00:00", "outside"),
                        ("2026-02-30T08:00:00", "not an ISO 8601")):
        db = os.path.join(tmp, "start.db")
        r = run([args.sitlogd, "--replay", os.path.join(tmp, "short-stands.evemu"),
                 "--replay-start", start, "--db", db], env, check=False)
        ok(r.returncode == 2 and word in r.stderr and not os.path.exists(db),
           "--replay-start %s is refused (%s)" % (start, word), r.stderr.strip())
    # the last event after 2099: refused with the line that would be
    path = os.path.join(tmp, "gap-2d.evemu")
    with open(path, "w") as f:
        f.write(occupied_across(2 * 86400))
    db = os.path.join(tmp, "late.db")
    r = run([args.sitlogd, "--replay", path, "--replay-start", "2099-12-31T08:00:00",
             "--db", db], env, check=False)
    ok(r.returncode == 2 and ("%s:%d:" % (path, last_line + 1)) in r.stderr and
       not os.path.exists(db), "a replay that would end after 2099 is refused with FILE:LINE",
       r.stderr.strip())

    # inside the range: a seat occupied for 300 days, a prompt every 10 minutes (43,000 of
    # them), in about the memory of a two-minute replay
    path = os.path.join(tmp, "gap-300d.evemu")
    with open(path, "w") as f:
        f.write(occupied_across(300 * 86400))
    small = os.path.join(tmp, "gap-120s.evemu")
    with open(small, "w") as f:
        f.write(occupied_across(120))
    # AddressSanitizer keeps freed memory in quarantine (256 MB): not what is measured here
    env = dict(env, ASAN_OPTIONS=env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1")
    _, _, base = replay_rss([args.sitlogd, "--replay", small, "--replay-start",
                             "2024-01-01T08:00:00", "--db", os.path.join(tmp, "small.db")], env)
    db = os.path.join(tmp, "gap-300d.db")
    rc, err, peak = replay_rss([args.sitlogd, "--replay", path, "--replay-start",
                                "2024-01-01T08:00:00", "--db", db], env)
    con = sqlite3.connect(db) if rc == 0 else None
    # the bouts' prompts (a day's pace prompt has seq -1: one a day comes besides)
    n = con.execute("SELECT count(*) FROM prompts WHERE seq >= 0").fetchone()[0] if con else 0
    if con:
        con.close()
    ok(rc == 0 and n == (300 * 24 * 60 - 30) // 10 + 1 and peak - base < MEMORY_BOUND_KIB,
       "a 300-day gap replays %d prompts in bounded memory (%d KiB above a short replay)"
       % (n, peak - base), "exit %d, %d KiB vs %d KiB: %s" % (rc, peak, base, err.strip()))

    # the store fails early in a long replay (a full disk: RLIMIT_FSIZE; sitlogd ignores SIGXFSZ): the
    # replay fails, and what it decides after the failure is not kept in memory meanwhile
    # (session.h: bounded whatever the input)
    path = os.path.join(tmp, "fidget-60d.evemu")
    with open(path, "w") as f:
        f.write(header)
        for i in range(60 * 86400 // 11):
            t = 1000 + 11 * i
            f.write("E: %d.000000 0001 0100 %04d\nE: %d.000000 0000 0000 0000\n"
                    % (t, (i + 1) % 2, t))

    def disk_full():
        import resource
        # SIGXFSZ keeps its default action (subprocess restores it): sitlogd ignores it itself
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 * 1024 * 1024, resource.RLIM_INFINITY))

    db = os.path.join(tmp, "fidget-60d.db")
    err = tempfile.TemporaryFile()
    p = subprocess.Popen([args.sitlogd, "--replay", path, "--replay-start", "2024-01-01T08:00:00",
                          "--db", db], env=env, stdout=subprocess.DEVNULL, stderr=err,
                         preexec_fn=disk_full)
    _, status, usage = os.wait4(p.pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    err.seek(0)
    text = err.read().decode(errors="replace").strip()
    ok(rc == 1 and usage.ru_maxrss - base < MEMORY_BOUND_KIB,
       "a store that fails early in a 60-day replay ends it in bounded memory "
       "(%d KiB above a short replay)" % (usage.ru_maxrss - base),
       "exit %d, %d KiB vs %d KiB: %s" % (rc, usage.ru_maxrss, base, text[-400:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--generator", default=os.path.join(HERE, "gen-recordings.py"))
    ap.add_argument("--part", choices=("semantics", "formats", "all"), default="semantics",
                    help="semantics: the scenarios in the plain evemu style and the bad inputs "
                         "(default); formats: recordings as evemu-record 2.x writes them")
    ap.add_argument("--scenario", action="append", help="only these scenarios")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("SITLOG_DB",)}
    tmp = tempfile.mkdtemp(prefix="sitlog-replay-")
    try:
        gen = [sys.executable, args.generator, "--out", tmp]
        if args.scenario:
            gen += sum((["--scenario", n] for n in set(args.scenario) | {"short-stands"}), [])
        elif args.part == "formats":
            gen += ["--scenario", "foot-switch-record", "--scenario", "short-stands"]
        subprocess.run(gen, check=True, env=env)
        names = sorted(n[:-len(".evemu")] for n in os.listdir(tmp) if n.endswith(".evemu"))
        if args.scenario:
            names = [n for n in names if n in args.scenario]
        # a scenario that continues another one's database comes after it
        names.sort(key=lambda n: n.endswith("-next-day"))
        for name in names:
            style = json.load(open(os.path.join(tmp, name + ".truth.json"))).get("style", "plain")
            if args.part != "all" and (style == "record") != (args.part == "formats"):
                continue
            try:
                check_scenario(args, name, tmp, env)
            except Exception as e:  # a crash is a failure of this scenario, not of the run
                ok(False, "%s: replay" % name, str(e))
        if args.part in ("formats", "all") and not args.scenario:
            check_formats(args, tmp, env)
        if args.part in ("semantics", "all") and not args.scenario:
            check_bad_inputs(args, tmp, env)
            check_upgrade_and_rotation(args, tmp, env)
            check_balance(args, tmp, env)
    finally:
        if args.keep:
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for line in diag:
        print("# " + line)
    return finish(60)


if __name__ == "__main__":
    sys.exit(main())
