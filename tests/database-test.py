#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
A command acts on the database it names (issue 22 item 1). A live sitlogd writes a.db on a
private session bus; b.db is another database (a replayed day). Every verb that can reach the
daemon is run with --db b.db and must not touch a.db: prune prunes b.db itself, status reads
b.db and says which file sitlogd writes, pause, resume and snooze refuse naming a.db. The same
verbs through a symlink and a relative path to a.db (another text, the same device and inode)
go to the daemon. Runs under umockdev-wrapper. TAP output.
"""
import argparse
import atexit
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402
from mockdev import BTN_0, EV_KEY, Bed, Daemon, EvdevDevice, frame, start_bus  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = "[Tracking]\nmin_segment=300ms\nbreak_min=2s\n[Reminders]\nremind_after=1h\n"


def counts(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return tuple(con.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                     for t in ("segments", "bouts", "prompts"))
    finally:
        con.close()


def paused_until(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        row = con.execute("SELECT value FROM state WHERE key = 'paused-until'").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    args.sitlogd, args.sitlog = os.path.abspath(args.sitlogd), os.path.abspath(args.sitlog)
    if not os.environ.get("LD_PRELOAD", "").count("umockdev"):
        print("1..0 # SKIP not running under umockdev-wrapper")
        return 0
    try:
        import dbusmock
    except ImportError:
        print("1..0 # SKIP no python3-dbusmock")
        return 0

    tmp = tempfile.mkdtemp(prefix="sitlog-which-db-")
    atexit.register(shutil.rmtree, tmp, True)
    a = os.path.join(tmp, "a", "sitlog.db")
    b = os.path.join(tmp, "b", "sitlog.db")
    os.makedirs(os.path.dirname(a))
    link = os.path.join(tmp, "link.db")
    os.symlink(a, link)
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(CONFIG)
    env = dict(os.environ, TZ="UTC", XDG_CONFIG_HOME=os.path.join(tmp, "none"),
               XDG_CONFIG_DIRS=os.path.join(tmp, "none"))

    # b.db: a replayed day well in the past, something to prune
    r = subprocess.run([args.sitlogd, "--replay", os.path.join(HERE, "data", "workday.evemu"),
                        "--replay-start", "2026-03-02T08:00:00", "--db", b, "--config", config],
                       env=env, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        ok(False, "b.db is recorded", r.stderr)
        return finish()
    b_before = counts(b)

    start_bus()
    env["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]

    bed = Bed()
    bed.add(1, EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]}),
            {"SITLOG_ROLE": "seat", "ID_INPUT": "1", "ID_INPUT_SWITCH": "1"})
    d = Daemon(args.sitlogd, bed, a, config, notify="none")
    ok(d.wait_for(bed, "using /dev/input/event1"), "sitlogd runs on a.db", d.log())
    bed.write(1, frame((EV_KEY, BTN_0, 1)))
    bed.spin(1.0)

    def sitlog(db, *verb, cwd=None):
        r = subprocess.run([args.sitlog, "--db", db, "--config", config] + list(verb), env=env,
                           capture_output=True, text=True, timeout=30, cwd=cwd)
        bed.spin(0.05)
        return r

    def refused(r, verb):
        return (r.returncode == 1 and "writes %s, not %s" % (a, b) in r.stderr
                and "nothing done" in r.stderr and r.stdout == "")

    st = json.loads(sitlog(a, "status", "--json").stdout or "{}")
    ok(st.get("daemon") == "running" and st.get("posture") == "sitting",
       "status --db a.db asks the daemon (sitting)", repr(st))
    a_before = counts(a)

    # ---- the other database: nothing reaches the daemon
    r = sitlog(b, "prune", "--before", "2026-03-03", "--yes")
    ok(r.returncode == 0 and counts(b) == (0, 0, 0) and b_before[0] > 0
       and "pruned" not in d.log() and counts(a)[:2] >= a_before[:2],
       "prune --db b.db prunes b.db itself, not the daemon's a.db",
       "%s%s\nb: %s -> %s\n%s" % (r.stdout, r.stderr, b_before, counts(b), d.log()[-800:]))

    r = sitlog(b, "status")
    ok(r.returncode == 0 and "writes %s, not this database" % a in r.stdout
       and "last recorded in %s" % b in r.stdout,
       "status --db b.db reads b.db and names the file sitlogd writes", r.stdout + r.stderr)
    r = sitlog(b, "status", "--json")
    try:
        st = json.loads(r.stdout)
    except ValueError:
        st = {}
    ok(r.returncode == 0 and st.get("daemon") == "another database"
       and st.get("daemon_database") == a and "posture" not in st,
       "status --json --db b.db: daemon \"another database\" and its file", r.stdout + r.stderr)

    for verb in (["pause", "10min"], ["pause", "--until", "23:59"], ["resume"],
                 ["snooze", "5min"]):
        r = sitlog(b, *verb)
        st = json.loads(sitlog(a, "status", "--json").stdout or "{}")
        ok(refused(r, verb[0]) and st.get("paused_until") is None
           and paused_until(b) is None,
           "%s --db b.db is refused naming a.db, and a.db's daemon is unchanged"
           % " ".join(verb), "%s%s\n%r" % (r.stdout, r.stderr, st))

    # a database that does not exist is not the daemon's either
    missing = os.path.join(tmp, "missing.db")
    r = sitlog(missing, "pause")
    ok(r.returncode == 1 and "writes %s, not %s" % (a, missing) in r.stderr
       and not os.path.exists(missing),
       "pause --db on a file that does not exist is refused, and creates nothing", r.stderr)

    # ---- the same file by another name: the daemon carries it out
    r = sitlog(link, "pause", "10min")
    st = json.loads(sitlog(a, "status", "--json").stdout or "{}")
    ok(r.returncode == 0 and "paused until" in r.stdout and st.get("paused_until"),
       "pause through a symlink to a.db reaches the daemon", r.stdout + r.stderr)
    r = sitlog(os.path.join("a", "sitlog.db"), "resume", cwd=tmp)
    st = json.loads(sitlog(a, "status", "--json").stdout or "{}")
    ok(r.returncode == 0 and st.get("paused_until") is None,
       "resume through a relative path to a.db reaches the daemon", r.stdout + r.stderr)
    r = sitlog(link, "snooze", "5min")
    ok(r.returncode == 0 and "Next prompt at" in r.stdout,
       "snooze through a symlink to a.db moves the daemon's next prompt", r.stdout + r.stderr)
    r = sitlog(link, "status", "--json")
    st = json.loads(r.stdout or "{}")
    ok(st.get("daemon") == "running", "status through a symlink asks the daemon", r.stdout)
    r = sitlog(link, "prune", "--before", "2026-03-03", "--yes")
    ok(r.returncode == 0 and d.wait_for(bed, "pruned what ended before", 3),
       "prune through a symlink to a.db goes through the daemon", r.stdout + r.stderr)

    ok(d.stop(bed) == 0, "sitlogd stops cleanly", d.log()[-1500:])
    return finish()


if __name__ == "__main__":
    sys.exit(main())
