#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Reports that agree with themselves (issue 22 item 6), each decision of docs/semantics.md on
small replayed recordings, in Europe/Berlin:

- a bout that ends on a later local day shows its end with "+Nd" (day view and bouts);
- the range plot stacks bouts on the day they start (as the table's bouts), the table's days
  split their sitting (both documented: docs/semantics.md);
- status (from the database) and report show a bout's length the same way, rounded alike;
- a recording that ends in a sit-down has no bout of 0 s (nor a segment of 0 s);
- dates are in range by their date: 1970-01-01 and 2099-12-31 are, 2100-06-30 is not, and the
  message says so exactly;
- a replay may begin where the data before it ends (half-open spans), not a second before;
- a replay into the future (2099) is accepted: a replay is a simulation, its times are the
  ones asked for (sitlogd(1)).
TAP output.
"""
import argparse
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tap import finish, ok  # noqa: E402

with open(os.path.join(HERE, "data", "workday.evemu")) as f:
    HEADER = "".join(line for line in f if not line.startswith("E:"))


def recording(path, events):
    """events: [(seconds, occupied)], the last one the recording's end."""
    with open(path, "w") as f:
        f.write(HEADER)
        for t, occupied in events:
            f.write("E: %d.%06d 0001 0100 %04d\nE: %d.%06d 0000 0000 0000\n"
                    % (int(t), round((t % 1) * 1e6), occupied, int(t), round((t % 1) * 1e6)))
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sitlog-consistency-")
    env = dict(os.environ, TZ="Europe/Berlin", LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=os.path.join(tmp, "none"), XDG_CONFIG_DIRS=os.path.join(tmp, "none"),
               DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus", NO_COLOR="1")
    env.pop("SITLOG_DB", None)

    def run(*cmd):
        return subprocess.run(list(cmd), capture_output=True, text=True, env=env, timeout=120)

    def replay(rec, start, db):
        return run(args.sitlogd, "--replay", rec, "--replay-start", start, "--db", db)

    try:
        # ---- a 27 h bout: Saturday 23:00 to Monday 02:00
        rec = recording(os.path.join(tmp, "long.evemu"),
                        [(0, 1), (27 * 3600, 0), (27 * 3600 + 600, 0)])
        db = os.path.join(tmp, "long.db")
        r = replay(rec, "2026-03-07T23:00:00", db)
        ok(r.returncode == 0, "a 27 h bout is replayed", r.stderr)
        day = run(args.sitlog, "--db", db, "report", "--since", "2026-03-07", "--until",
                  "2026-03-07")
        ok(day.returncode == 0 and "23:00-02:00+2d" in day.stdout,
           "the day view shows the end of a bout on a later day with +Nd", day.stdout)
        bouts = run(args.sitlog, "--db", db, "bouts", "--since", "2026-03-07", "--until",
                    "2026-03-09")
        ok(bouts.returncode == 0 and "2026-03-07 23:00  02:00+2d" in bouts.stdout
           and "27h 00m" in bouts.stdout, "sitlog bouts shows it the same way", bouts.stdout)

        # ---- the table's days split the bout's sitting; the plot stacks it on its start day
        js = run(args.sitlog, "--db", db, "report", "--since", "2026-03-07", "--until",
                 "2026-03-09", "--format", "json")
        try:
            days = {d["date"]: d["sitting_seconds"] for d in json.loads(js.stdout)["days"]}
        except (ValueError, KeyError):
            days = {}
        ok(days == {"2026-03-07": 3600, "2026-03-08": 24 * 3600, "2026-03-09": 2 * 3600},
           "the table's days: 1 h, 24 h and 2 h of the 27 h bout", js.stdout[:800])
        svg = os.path.join(tmp, "range.svg")
        r = run(args.sitlog, "--db", db, "report", "--since", "2026-03-07", "--until",
                "2026-03-09", "--plot", svg)
        ok(r.returncode == 0 and os.path.exists(svg) or "plotting module" in r.stderr,
           "the range plot is drawn (its bars, bouts on their start day: tests/test-plot.c)",
           r.stderr)

        # ---- status and report round a bout alike: 14 min 59.6 s is 15m 00s in both
        rec = recording(os.path.join(tmp, "round.evemu"), [(0, 1), (899.6, 0), (1500, 0)])
        db = os.path.join(tmp, "round.db")
        # two hours ago: status reads the last 30 days
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)
        r = replay(rec, start.strftime("%Y-%m-%dT%H:%M:%SZ"), db)
        st = run(args.sitlog, "--db", db, "status")
        rep = run(args.sitlog, "--db", db, "bouts", "--days", "2")
        ok(r.returncode == 0 and "Last bout:   15m 00s" in st.stdout and "15m 00s" in rep.stdout,
           "status and report show a bout of 14 min 59.6 s as 15m 00s",
           st.stdout + st.stderr + rep.stdout)

        # ---- a recording that ends in a sit-down: no bout (or segment) of 0 s
        rec = recording(os.path.join(tmp, "sitdown.evemu"), [(0, 1), (600, 0), (1200, 1)])
        db = os.path.join(tmp, "sitdown.db")
        r = replay(rec, "2026-03-02T08:00:00", db)
        con = sqlite3.connect(db)
        zero_bouts = con.execute("SELECT count(*) FROM bouts WHERE end_ms <= start_ms").fetchone()
        zero_segs = con.execute("SELECT count(*) FROM segments WHERE end_ms <= start_ms").fetchone()
        n_bouts = con.execute("SELECT count(*) FROM bouts").fetchone()[0]
        con.close()
        ok(r.returncode == 0 and zero_bouts[0] == 0 and zero_segs[0] == 0 and n_bouts == 1,
           "a recording ending in a sit-down has no bout of 0 s (one bout, no empty segment)",
           "%s\n0-s bouts %s, 0-s segments %s, bouts %d" % (r.stderr, zero_bouts, zero_segs,
                                                            n_bouts))

        # ---- dates in range by their date, and the message says which
        bad = []
        for d, rc in (("1970-01-01", 1), ("2099-12-31", 1), ("2100-06-30", 2),
                      ("1969-12-31", 2)):
            r = run(args.sitlog, "--db", db, "report", "--since", d, "--until", d)
            if r.returncode != rc or (rc == 2 and "out of range (1970-01-01 to 2099-12-31)"
                                      not in r.stderr) or (rc == 1 and "nothing recorded"
                                                           not in r.stderr):
                bad.append("%s: exit %d: %s" % (d, r.returncode, r.stderr.strip()))
        ok(not bad, "1970-01-01 and 2099-12-31 are dates sitlog reports on (in Berlin too); "
           "2100-06-30 is out of range (1970-01-01 to 2099-12-31)", "\n".join(bad))

        # ---- adjacent replays: half-open spans
        rec = recording(os.path.join(tmp, "hour.evemu"), [(0, 1), (1800, 0), (3600, 0)])
        db = os.path.join(tmp, "adjacent.db")
        a = replay(rec, "2026-03-02T08:00:00", db)
        b = replay(rec, "2026-03-02T09:00:00", db)
        c = replay(rec, "2026-03-02T09:59:59", db)
        ok(a.returncode == 0 and b.returncode == 0 and c.returncode == 1
           and "already holds data" in c.stderr,
           "a replay may begin where the data before it ends, not a second before",
           a.stderr + b.stderr + c.stderr)

        # ---- a replay into the future is accepted, and reported
        db = os.path.join(tmp, "future.db")
        r = replay(rec, "2099-06-01T08:00:00", db)
        rep = run(args.sitlog, "--db", db, "report", "--since", "2099-06-01", "--until",
                  "2099-06-01", "--format", "json")
        try:
            future = json.loads(rep.stdout)["days"][0]["sitting_seconds"]
        except (ValueError, KeyError, IndexError):
            future = None
        ok(r.returncode == 0 and rep.returncode == 0 and future == 1800,
           "a replay into 2099 is accepted and reported", r.stderr + rep.stdout[:500])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
