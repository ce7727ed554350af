#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Replay tests: every scenario of gen-recordings.py is replayed by `sitlogd --replay` into a fresh
database and must show exactly its ground truth through `sitlog report --format json`,
`sitlog export --format csv` and, for prompt times and bouts, the database itself.
Then the bad-input cases: broken recordings and databases must be refused, with FILE:LINE where
a line is at fault, and nothing written. TAP output.
"""
import argparse
import datetime
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
results = []


def ok(cond, name, detail=""):
    results.append((bool(cond), name, detail))


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
    the number of boundaries that can move them (up to 4 per day)."""
    if tol_ms == 0 or type(got) != type(want):
        return got == want
    if isinstance(want, dict):
        if got.keys() != want.keys():
            return False
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
    run([args.sitlogd, "--replay", os.path.join(tmp, name + ".evemu"), "--replay-start",
         truth["replay_start"], "--db", db], env)

    rep = json.loads(run([args.sitlog, "--db", db, "report", "--since", truth["report"]["since"],
                          "--until", truth["report"]["until"], "--format", "json"], env).stdout)
    tol = truth.get("tolerance_ms", 0)
    within = " (times within %.1f s)" % (tol / 1000) if tol else ""
    ok(close(rep, truth["report"], tol), "%s: report --format json%s" % (name, within),
       diff(rep, truth["report"]))

    out = run([args.sitlog, "--db", db, "export", "--format", "csv", "--since",
               truth["report"]["since"]], env).stdout.splitlines()
    header_ok = out and out[0] == "start,end,posture,device"
    segs = []
    for line in out[1:]:
        start, end, posture, device = line.split(",", 3)
        segs.append(dict(start_ms=int(datetime.datetime.fromisoformat(start).timestamp() * 1000),
                         end_ms=int(datetime.datetime.fromisoformat(end).timestamp() * 1000),
                         posture=posture))
        header_ok = header_ok and device == truth["device"] and start[-6] in "+-"
    ok(header_ok, "%s: export --format csv header, offsets and device" % name)
    ok(close(segs, truth["segments"], tol), "%s: export segments%s" % (name, within),
       diff(segs, truth["segments"]))

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

    # replaying over data already there is refused and leaves the database as it was
    src = os.path.join(tmp, "short-stands.evemu")
    db = os.path.join(tmp, "twice.db")
    start = "2026-03-05T08:00:00"
    run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env)
    before = run([args.sitlog, "--db", db, "export", "--format", "csv"], env).stdout
    r = run([args.sitlogd, "--replay", src, "--replay-start", start, "--db", db], env, check=False)
    after = run([args.sitlog, "--db", db, "export", "--format", "csv"], env).stdout
    ok(r.returncode == 1 and "already holds data" in r.stderr and before == after,
       "replay over existing data is refused, database unchanged", r.stderr.strip())
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--generator", default=os.path.join(HERE, "gen-recordings.py"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("SITLOG_DB",)}
    tmp = tempfile.mkdtemp(prefix="sitlog-replay-")
    try:
        subprocess.run([sys.executable, args.generator, "--out", tmp], check=True, env=env)
        names = sorted(n[:-len(".evemu")] for n in os.listdir(tmp) if n.endswith(".evemu"))
        # a scenario that continues another one's database comes after it
        names.sort(key=lambda n: n.endswith("-next-day"))
        for name in names:
            try:
                check_scenario(args, name, tmp, env)
            except Exception as e:  # a crash is a failure of this scenario, not of the run
                ok(False, "%s: replay" % name, str(e))
        check_bad_inputs(args, tmp, env)
    finally:
        if args.keep:
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("1..%d" % len(results))
    for i, (good, name, detail) in enumerate(results, 1):
        print("%sok %d %s" % ("" if good else "not ", i, name))
        if not good and detail:
            for line in detail.splitlines()[:60]:
                print("# " + line)
    return 0 if all(g for (g, _, _) in results) else 1


if __name__ == "__main__":
    sys.exit(main())
