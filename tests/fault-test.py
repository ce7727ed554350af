#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Faults, file by file (issue 15 item 5): the daemon (`sitlogd --replay` and the live start-up),
and the CLI (report, export, status, prune) on a corrupt database, a newer schema, a read-only
database file and directory (as a user who is not root: root would hide them), a database
locked by another process, a full disk (RLIMIT_FSIZE), a recording cut in the middle of a line,
FIFOs where files belong, and a configuration with every kind of bad value. Each must give a
clear error naming the file, a non-zero exit where it must stop, and leave the data file
byte-identical (sha256) where it must not write; a reader that can read must still read.

As root the unprivileged cases run as nobody (setpriv); where that is not possible they say
SKIP (in CI, CI=true, a failure). TAP output.
"""
import argparse
import fcntl
import hashlib
import os
import pwd
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
START = "2026-11-30T08:00:00"      # the base database's day
OTHER = "2026-12-30T08:00:00"      # a replay that does not overlap it
SINCE = "2026-11-30"
CI = os.environ.get("CI") == "true"
results_skipped = []


def skip(name, why):
    """A subtest that cannot run here: a visible SKIP, a failure in CI."""
    if CI:
        ok(False, name, "%s, and CI must run everything" % why)
    else:
        ok(True, "%s # SKIP %s" % (name, why))


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Runner:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.env = {
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "HOME": tmp,
            "XDG_STATE_HOME": os.path.join(tmp, "state"),
            "XDG_CONFIG_HOME": "/nonexistent/sitlog-tests-have-no-user-config",
            "XDG_CONFIG_DIRS": "/nonexistent/sitlog-tests-have-no-admin-config",
            "SITLOG_DB": "/nonexistent/sitlog-tests-must-pass---db",
            # no daemon to ask: status reads the database; the live daemon runs without buses
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus",
            "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/nonexistent/system-bus",
            # no dconf in a home nobody may write
            "GSETTINGS_BACKEND": "memory",
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "G_SLICE", "G_DEBUG"):
            if k in os.environ:
                self.env[k] = os.environ[k]
        # the programs (and LSan's suppressions) copied where any user may run them: the build
        # directory may lie below a directory that nobody cannot enter
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.chmod(bindir, 0o755)
        for name in ("sitlogd", "sitlog"):
            copy = os.path.join(bindir, name)
            shutil.copy(getattr(args, name), copy)
            os.chmod(copy, 0o755)
            setattr(self, name, copy)
        lsan = self.env.get("LSAN_OPTIONS", "")
        m = re.search(r"suppressions=([^:]+)", lsan)
        if m and os.path.exists(m.group(1)):
            supp = os.path.join(bindir, "lsan.supp")
            shutil.copy(m.group(1), supp)
            os.chmod(supp, 0o644)
            self.env["LSAN_OPTIONS"] = lsan.replace(m.group(0), "suppressions=" + supp)
        self.drop = None
        self.why_not = None
        if os.getuid() != 0:
            self.drop = []          # not root: the faults show as they are
            self.uid, self.gid = os.getuid(), os.getgid()
        elif not shutil.which("setpriv"):
            self.why_not = "running as root without setpriv (util-linux) to drop privileges"
        else:
            try:
                pw = pwd.getpwnam("nobody")
                self.uid, self.gid = pw.pw_uid, pw.pw_gid
                self.drop = ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.gid,
                             "--clear-groups"]
                r = subprocess.run(self.drop + [self.sitlog, "--version"], capture_output=True,
                                   text=True, env=self.env, timeout=30)
                if r.returncode != 0:
                    self.drop = None
                    self.why_not = "nobody cannot run %s (%s)" % (self.sitlog,
                                                                  r.stderr.strip()[:200])
            except KeyError:
                self.why_not = "no user nobody"

    def run(self, cmd, unprivileged=False, timeout=60, fsize=None):
        """Runs cmd; returns (exit status or 'timeout', stderr, stdout, seconds)."""
        if unprivileged:
            assert self.drop is not None
            cmd = self.drop + cmd

        def limits():
            if fsize is not None:
                # a full disk: past fsize the kernel sends SIGXFSZ (subprocess restores its
                # default action, death); the programs ignore it themselves, so that the write
                # fails with EFBIG and they say so
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=self.env, preexec_fn=limits, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                out, err = p.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                out, err = p.communicate()
            rc = "timeout"
        return rc, err, out, time.monotonic() - t0

    # the programs, each as a person would run it
    def replay(self, db, rec=None, start=OTHER, config=None, **kw):
        cmd = [self.sitlogd, "--replay", rec or self.rec, "--replay-start", start,
               "--db", db]
        if config:
            cmd += ["--config", config]
        return self.run(cmd, **kw)

    def live(self, db, config=None, **kw):
        # a live daemon that starts waits for devices: still running after 8 s means it
        # started (TERM then); one that must stop has stopped by then
        cmd = [self.sitlogd, "--db", db, "--notify", "none"]
        if config:
            cmd += ["--config", config]
        return self.run(cmd, timeout=kw.pop("timeout", 8), **kw)

    def cli(self, db, *verb, config=None, **kw):
        cmd = [self.sitlog, "--db", db]
        if config:
            cmd += ["--config", config]
        return self.run(cmd + list(verb), **kw)

    def report(self, db, **kw):
        return self.cli(db, "report", "--since", SINCE, "--format", "json", **kw)

    def export(self, db, **kw):
        return self.cli(db, "export", "--since", SINCE, "--format", "csv", **kw)

    def status(self, db, **kw):
        return self.cli(db, "status", **kw)

    def prune(self, db, **kw):
        return self.cli(db, "prune", "--before", "2026-12-01", "--yes", **kw)


def fails_naming(res, path, words=(), rcs=None):
    """A non-zero exit (not a crash, not a hang) with a message naming path: '' or why not."""
    rc, err, out, secs = res
    why = []
    if rc == "timeout":
        why.append("did not stop (%.0f s)" % secs)
    elif rc == 0:
        why.append("exit 0")
    elif rc < 0 or rc >= 128:
        why.append("killed or crashed (exit %s)" % rc)
    elif rcs and rc not in rcs:
        why.append("exit %d, expected %s" % (rc, rcs))
    if path not in err:
        why.append("the message does not name %s" % path)
    for w in words:
        if w not in err:
            why.append("the message lacks %r" % w)
    if "AddressSanitizer" in err or "runtime error" in err or "CRITICAL" in err:
        why.append("a sanitizer report or a critical")
    if why:
        return "; ".join(why) + "\nstderr: " + err.strip()[-1500:]
    return ""


def reads(res, want_in_out):
    """Exit 0 and the data shown: '' or why not."""
    rc, err, out, secs = res
    if rc == 0 and want_in_out in out:
        return ""
    return "exit %s, %r not in the output\nstderr: %s\nstdout: %s" % (
        rc, want_in_out, err.strip()[-1000:], out[:300])


def check_all(name, results, unchanged):
    """One subtest: every program's outcome ('' is good), and the file untouched."""
    bad = ["%s: %s" % (what, why) for what, why in results if why]
    if unchanged is not None:
        path, before = unchanged
        if os.path.exists(path) and sha(path) != before:
            bad.append("%s changed (sha256)" % path)
    ok(not bad, name, "\n".join(bad))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="sitlog-faults-")
    holders = []
    try:
        os.chmod(tmp, 0o755)   # nobody must reach the files below
        run_tests(args, tmp, holders)
    finally:
        for h in holders:
            h.close()
        # a read-only directory cannot be removed from without its write bit back
        for root, dirs, _ in os.walk(tmp):
            for d in dirs:
                try:
                    os.chmod(os.path.join(root, d), 0o755)
                except OSError:
                    pass
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


def run_tests(args, tmp, holders):
    r = Runner(args, tmp)
    r.rec = os.path.join(tmp, "workday.evemu")
    shutil.copy(os.path.join(HERE, "data", "workday.evemu"), r.rec)
    os.chmod(r.rec, 0o644)

    base = os.path.join(tmp, "base", "sitlog.db")
    res = r.replay(base, start=START)
    if res[0] != 0:
        ok(False, "the base database is recorded", res[1])
        return
    base_sha = sha(base)
    base_report = r.report(base)[2]
    ok(r.report(base)[0] == 0 and '"2026-11-30"' in base_report,
       "the base database reads (a day of data)", base_report[:300])

    def case_dir(name, owner_uid=None):
        d = os.path.join(tmp, name)
        os.makedirs(d)
        os.chmod(d, 0o755)
        return d

    def copy_db(name):
        d = case_dir(name)
        db = os.path.join(d, "sitlog.db")
        shutil.copy(base, db)
        os.chmod(db, 0o600)
        return db

    # ---------------------------------------------------------------- broken databases
    def broken(name, make, words=()):
        d = case_dir(name)
        db = os.path.join(d, "sitlog.db")
        make(db)
        before = sha(db)
        results = [
            ("replay", fails_naming(r.replay(db), db, words)),
            ("live", fails_naming(r.live(db), db, words)),
            ("report", fails_naming(r.report(db), db, words)),
            ("export", fails_naming(r.export(db), db, words)),
            ("status", fails_naming(r.status(db), db, words)),
            ("prune", fails_naming(r.prune(db), db, words)),
        ]
        check_all("%s: replay, live start, report, export, status and prune refuse it naming "
                  "the file, the file unchanged" % name, results, (db, before))

    def corrupt(db):
        # sitlog's header kept, every page after it garbage
        shutil.copy(base, db)
        size = os.path.getsize(db)
        with open(db, "r+b") as f:
            f.seek(100)
            f.write(bytes((i * 37 + 11) & 0xFF for i in range(size - 100)))

    def truncated(db):
        shutil.copy(base, db)
        with open(db, "r+b") as f:
            f.truncate(4096 + 1000)

    def newer(db):
        shutil.copy(base, db)
        c = sqlite3.connect(db)
        c.execute("PRAGMA user_version = 999")
        c.commit()
        c.close()

    def text_file(db):
        with open(db, "w") as f:
            f.write("hello, this is not a database\n" * 200)

    broken("corrupt database", corrupt)
    broken("truncated database", truncated)
    broken("newer schema (user_version 999)", newer, words=("newer",))
    broken("not a database", text_file, words=("not a sitlog database",))

    # a FIFO where the database belongs: refused at once, not waited on
    d = case_dir("fifo-db")
    fifo = os.path.join(d, "sitlog.db")
    os.mkfifo(fifo, 0o644)
    results = [(what, fails_naming(fn(fifo), fifo, ("not a regular file",)))
               for what, fn in (("replay", r.replay), ("live", r.live), ("report", r.report),
                                ("export", r.export), ("prune", r.prune))]
    check_all("a FIFO as the database: refused at once naming it", results, None)

    # ---------------------------------------------------------------- recordings
    cut = os.path.join(tmp, "cut.evemu")
    with open(r.rec, "rb") as f:
        data = f.read()
    i = data.index(b"\n", len(data) // 2) + 8          # inside an E: line
    with open(cut, "wb") as f:
        f.write(data[:i])
    db = copy_db("cut-recording")
    before = sha(db)
    newdb = os.path.join(tmp, "cut-recording", "new.db")
    res1 = r.replay(db, rec=cut)
    res2 = r.replay(newdb, rec=cut)
    results = [("into a database", fails_naming(res1, cut + ":", ("cut",), rcs=(65,))),
               ("into a new one", fails_naming(res2, cut + ":", rcs=(65,)))]
    if os.path.exists(newdb):
        results.append(("new database", "created for a recording that was refused"))
    check_all("a recording cut inside a line: FILE:LINE, exit 65, nothing written", results,
              (db, before))

    fifo = os.path.join(tmp, "fifo.evemu")
    os.mkfifo(fifo, 0o644)
    db = copy_db("fifo-recording")
    before = sha(db)
    res = r.replay(db, rec=fifo, timeout=20)
    check_all("a FIFO as the recording: refused at once naming it (no hang at open)",
              [("replay", fails_naming(res, fifo, ("FIFO",)))], (db, before))

    # ---------------------------------------------------------------- locks
    db = copy_db("locked")
    before = sha(db)
    lock = open(db + ".lock", "a")
    holders.append(lock)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    results = [
        ("replay", fails_naming(r.replay(db), db, ("another sitlogd",))),
        ("live", fails_naming(r.live(db), db, ("another sitlogd",))),
        ("prune", fails_naming(r.prune(db), db, ("in use",))),
        ("report", reads(r.report(db), '"2026-11-30"')),
        ("export", reads(r.export(db), "sitting")),
    ]
    check_all("a database another sitlogd holds (its lock file): writers refuse naming it, "
              "readers read, the file unchanged", results, (db, before))
    lock.close()

    db = copy_db("sqlite-locked")
    before = sha(db)
    other = sqlite3.connect(db, isolation_level=None, timeout=1)
    holders.append(other)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("BEGIN IMMEDIATE")
    results = [
        ("replay", fails_naming(r.replay(db, timeout=40), db, ("locked",))),
        ("prune", fails_naming(r.prune(db, timeout=40), db, ("locked",))),
        ("report", reads(r.report(db), '"2026-11-30"')),
    ]
    other.execute("ROLLBACK")
    other.close()
    check_all("a database another program is writing (an SQLite write lock): writers give up "
              "after the busy timeout naming it, readers read, the file unchanged", results,
              (db, before))

    # ---------------------------------------------------------------- full disk
    db = copy_db("full-disk")
    before = sha(db)
    report_before = r.report(db)[2]
    limit = 4096   # not even the write-ahead log's first frame fits
    res = r.replay(db, start=OTHER, fsize=limit)
    newdb = os.path.join(tmp, "full-disk", "new.db")
    res_new = r.replay(newdb, start=OTHER, fsize=16384)
    res_prune = r.prune(db, fsize=limit)
    # the metrics textfile where the file limit is smaller than the text
    mdir = case_dir("full-disk-metrics")
    mconf = os.path.join(mdir, "metrics.conf")
    with open(mconf, "w") as f:
        f.write("[Metrics]\nenabled = true\ntextfile_dir = %s\n" % mdir)
    # a reader already there, so that the export (a reader) does not set up the WAL index
    # (32 KiB) itself: only the textfile meets the limit
    held = sqlite3.connect(db)
    held.execute("SELECT count(*) FROM segments").fetchone()
    res_textfile = r.cli(db, "export", "--format", "openmetrics", "--textfile", config=mconf,
                         fsize=64)
    held.close()
    full = ("File too large",)  # EFBIG, what RLIMIT_FSIZE gives: not a bare "disk I/O error"
    results = [("replay into the database", fails_naming(res, db, full)),
               ("replay into a new database", fails_naming(res_new, newdb, full)),
               ("prune", fails_naming(res_prune, db, full)),
               ("export --textfile", fails_naming(res_textfile, mdir, full))]
    if [n for n in os.listdir(mdir) if n != "metrics.conf"]:
        results.append(("export --textfile", "left %s behind" % os.listdir(mdir)))
    if r.report(db)[2] != report_before:
        results.append(("report", "shows other data after the failed writes"))
    if os.path.exists(newdb):
        rep = r.report(newdb)
        if rep[0] == 0 and '"sitting_s": 0' not in rep[2] and "sitting" in rep[2]:
            results.append(("new database", "holds part of the refused replay: " + rep[2][:200]))
    check_all("a full disk (RLIMIT_FSIZE, SIGXFSZ not ignored by the harness): replay, prune "
              "and export --textfile fail with File too large naming the file, no signal "
              "death, nothing half-written, the file unchanged", results, (db, before))

    # ---------------------------------------------------------------- as a user, not root
    if r.drop is None:
        for name in ("a read-only database file", "a database of another user's",
                     "a read-only directory",
                     "a read-only directory while a writer holds the lock",
                     "an empty file adopted as the database"):
            skip(name, r.why_not)
    else:
        unprivileged_cases(r, base, base_sha, case_dir, tmp)

    # ---------------------------------------------------------------- durations people type
    bad = []
    for verb in ("snooze", "pause"):
        over = r.run([r.sitlog, verb, "99999999999999999999h"])
        big = r.run([r.sitlog, verb, "367d"])
        junk = r.run([r.sitlog, verb, "sixty"])
        for res, words in ((over, "between 1s and 366d"), (big, "between 1s and 366d"),
                           (junk, "not a duration")):
            if res[0] in (0, "timeout") or words not in res[1]:
                bad.append("%s: exit %s, %r lacks %r" % (verb, res[0], res[1].strip(), words))
    ok(not bad, "an overflowing or too long duration is out of range, a malformed one is not a "
       "duration (sitlog snooze, pause)", "\n".join(bad))

    # ---------------------------------------------------------------- configuration
    bad_configs = [
        ("a malformed duration", "[Tracking]\nbreak_min = sixty\n", 2, "duration"),
        ("an overflowing duration", "[Reminders]\nremind_after = 99999999999999999999h\n", 2,
         "between 1s and 366d"),
        ("a duration out of range", "[Tracking]\n\nmin_segment = 2h\n", 3, "between 0s and 1h"),
        ("a percentage", "[Seat]\noccupied = 140%\n", 2, "percentage"),
        ("vacant above occupied", "[Seat]\noccupied = 20%\nvacant = 30%\n", 3, "below"),
        ("an axis", "[Seat]\naxis = ABS_NOPE\n", 2, "axis"),
        ("a key", "[Seat]\nkey = KEY_NOPE\n", 2, "key or switch"),
        ("a boolean", "[Seat]\ngrab = maybe\n", 2, "true or false"),
        ("a count", "[Reminders]\nescalate_after = -1\n", 2, "whole number"),
        ("working hours", "[Reminders]\nworking_hours = 9-17\n", 2, "working hours"),
        ("working days", "[Reminders]\nworking_days = Mon-Fry\n", 2, "Mon-Fri"),
        ("an IMU axis vector", "[IMU]\naxis = 0 0 0\n", 2, "device axis"),
        ("keep_days", "[Storage]\nkeep_days = 99999\n", 2, "keep_days"),
        ("an unknown key", "[Tracking]\nbreak_mim = 60s\n", 2, "unknown key"),
        ("an unknown group", "[Trakcing]\nbreak_min = 60s\n", 1, "unknown group"),
        ("a line that is no key", "[Tracking]\nbreak_min 60\n", 2, "key = value"),
        ("a key given twice", "[Tracking]\nbreak_min = 60s\nbreak_min = 90s\n", 3,
         "first at line 2"),
        ("a NUL byte", "[Tracking]\nbreak_min = 60s\x00\nprolonged = 1h\n", 2, "NUL"),
        ("text that is not UTF-8", "[Tracking]\n# \xff\nbreak_min = 6\xff0s\n", 2, "UTF-8"),
        ("a bad escape", "[Reminders]\nremind_after = 1h\\q\\\n", 2, "escape"),
        ("a device section", "[Device chair]\nrole = chair\nname = x\n", 2, "seat or imu"),
        ("an empty device glob", "[Device chair]\nrole = seat\nname =\n", 3, "empty glob"),
        ("a lock of an unknown key", "[Locks]\nkeys = Tracking.nope\n", 2, "unknown key"),
    ]
    for what, text, line, words in bad_configs:
        d = case_dir("config-" + what.replace(" ", "-"))
        conf = os.path.join(d, "bad.conf")
        with open(conf, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape") if "\xff" not in text
                    else text.encode("latin-1"))
        db = copy_db("config-db-" + what.replace(" ", "-"))
        before = sha(db)
        where = "%s:%d:" % (conf, line)
        results = [
            ("replay", fails_naming(r.replay(db, config=conf), where, (words,))),
            ("live", fails_naming(r.live(db, config=conf), where, (words,))),
            ("report", fails_naming(r.cli(db, "report", "--since", SINCE, config=conf), where,
                                    (words,))),
        ]
        check_all("a configuration with %s: replay, live start and report refuse it with "
                  "FILE:LINE, the database unchanged" % what, results, (db, before))


def unprivileged_cases(r, base, base_sha, case_dir, tmp):
    uid, gid = r.uid, r.gid

    def own(path, u, g):
        if os.getuid() == 0:
            os.chown(path, u, g)

    # a read-only database file in a directory the user may write
    d = case_dir("ro-file")
    own(d, uid, gid)
    db = os.path.join(d, "sitlog.db")
    shutil.copy(base, db)
    own(db, 0 if os.getuid() == 0 else uid, 0 if os.getuid() == 0 else gid)
    os.chmod(db, 0o444)
    before = sha(db)
    results = [
        ("report", reads(r.report(db, unprivileged=True), '"2026-11-30"')),
        ("export", reads(r.export(db, unprivileged=True), "sitting")),
        ("status", reads(r.status(db, unprivileged=True), "Last bout")),
        ("replay", fails_naming(r.replay(db, unprivileged=True), db)),
        ("live", fails_naming(r.live(db, unprivileged=True), db)),
        ("prune", fails_naming(r.prune(db, unprivileged=True), db)),
    ]
    check_all("a read-only database file (as uid %d): report, export and status read it; "
              "replay, live start and prune refuse naming it; the file unchanged" % uid,
              results, (db, before))

    # a database another user owns, 0600: nobody reads it, and every program says so
    if os.getuid() == 0:
        d = case_dir("unreadable")
        own(d, uid, gid)      # the lock file can be made: the database is what stops them
        db = os.path.join(d, "sitlog.db")
        shutil.copy(base, db)
        os.chmod(db, 0o600)
        before = sha(db)
        results = [(what, fails_naming(fn(db, unprivileged=True), db, ("Permission denied",)))
                   for what, fn in (("replay", r.replay), ("live", r.live),
                                    ("report", r.report), ("export", r.export),
                                    ("status", r.status), ("prune", r.prune))]
        check_all("a database of another user's, 0600 (as uid %d): every program refuses "
                  "naming it (Permission denied), the file unchanged" % uid, results,
                  (db, before))
    else:
        skip("a database of another user's", "needs root to own it")

    # a read-only directory: the WAL's -shm cannot be made; readers must still read
    d = case_dir("ro-dir")
    db = os.path.join(d, "sitlog.db")
    shutil.copy(base, db)
    os.chmod(db, 0o644)
    if os.getuid() != 0:
        os.chmod(d, 0o555)
    before = sha(db)
    results = [
        ("report", reads(r.report(db, unprivileged=True), '"2026-11-30"')),
        ("export", reads(r.export(db, unprivileged=True), "sitting")),
        ("status", reads(r.status(db, unprivileged=True), "Last bout")),
        ("replay", fails_naming(r.replay(db, unprivileged=True), db)),
        ("live", fails_naming(r.live(db, unprivileged=True), db)),
        ("prune", fails_naming(r.prune(db, unprivileged=True), db)),
    ]
    leftovers = [f for f in os.listdir(d) if f != "sitlog.db"]
    if leftovers:
        results.append(("directory", "now holds %s" % leftovers))
    check_all("a read-only directory (as uid %d): report, export and status read the "
              "database; replay, live start and prune refuse naming it; the file unchanged"
              % uid, results, (db, before))

    # ... but not while a writer may be changing it: then the reader says why
    if os.getuid() == 0:
        d = case_dir("ro-dir-writer")
        db = os.path.join(d, "sitlog.db")
        shutil.copy(base, db)
        os.chmod(db, 0o644)
        with open(db + ".lock", "a") as lock:
            os.chmod(db + ".lock", 0o644)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            res = r.report(db, unprivileged=True)
        check_all("a read-only directory while a writer holds the lock: report refuses "
                  "naming the database, does not read it as immutable",
                  [("report", fails_naming(res, db, ("while sitlogd writes",)))],
                  (db, sha(db)))
    else:
        skip("a read-only directory while a writer holds the lock",
             "needs root to be the writer")

    # an empty file there already becomes the database: 0600, as promised
    d = case_dir("empty-file")
    own(d, uid, gid)
    db = os.path.join(d, "sitlog.db")
    with open(db, "w"):
        pass
    os.chmod(db, 0o644)
    own(db, uid, gid)
    res = r.replay(db, start=START, unprivileged=True)
    mode = os.stat(db).st_mode & 0o7777
    ok(res[0] == 0 and mode == 0o600,
       "an empty file adopted as the database is made 0600 (as uid %d)" % uid,
       "exit %s, mode %04o\n%s" % (res[0], mode, res[1].strip()))


if __name__ == "__main__":
    sys.exit(main())
