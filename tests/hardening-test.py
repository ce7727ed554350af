#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Config and output hardening (issue 22 item 5), with fault-test.py's runner: every program on
the hostile inputs the issue lists. Bad input gets a clear error naming the file (and line),
nothing hangs, nothing is lost.

- `sitlog config` escapes a file name with a newline in its comments: the output reads back
  as the same configuration, and forges no line;
- `key[xx]=` lines and `[Device a]b]` are errors with FILE:LINE; a UTF-8 byte order mark is
  not part of the text (the error shows no invisible character);
- a FIFO as --config or as a drop-in is refused at once (sitlog config, sitlogd
  --print-config, the live start, a replay), never waited on;
- a database left 0666 is made 0600 by its writer; a plot is 0600, keeps the mode of the image
  it replaces, and may have a valid name of 250 bytes;
- `--db ""` is a usage error (exit 2) of both programs; HOME="" puts no database below the
  current directory.
TAP output.
"""
import argparse
import importlib.util
import json
import os
import shutil
import stat
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tap import finish, ok  # noqa: E402

spec = importlib.util.spec_from_file_location("fault_test", os.path.join(HERE, "fault-test.py"))
ft = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ft)
SINCE, OTHER, START = ft.SINCE, ft.OTHER, ft.START


def values_of(res):
    try:
        return {(v["section"], v["key"]): v["value"] for v in json.loads(res[2])["values"]}
    except (ValueError, KeyError):
        return None


def config_names(r, tmp, dirs):
    # a drop-in whose name holds a newline and a line of its own
    name = "a\nremind_after=1s\n#.conf"
    conf_d = os.path.join(dirs, "sitlog", "sitlog.conf.d")
    os.makedirs(conf_d)
    with open(os.path.join(conf_d, name), "w") as f:
        f.write("[Reminders]\nsnooze=7min\n")
    env = dict(r.env, XDG_CONFIG_DIRS=dirs)
    saved, r.env = r.env, env
    try:
        text = r.run([r.sitlog, "config"])
        want = values_of(r.run([r.sitlog, "config", "--json"]))
        out = os.path.join(tmp, "printed.conf")
        with open(out, "w") as f:
            f.write(text[2])
        back = values_of(r.run([r.sitlog, "--config", out, "config", "--json"]))
    finally:
        r.env = saved
    forged = [line for line in text[2].splitlines() if line.startswith("remind_after=1s")]
    ok(text[0] == 0 and not forged and want and back == want
       and want[("Reminders", "snooze")] == "7min" and "a\\x0aremind_after=1s" in text[2],
       "sitlog config escapes a file name with a newline: the output reads back the same",
       "forged: %r\n%s" % (forged, text[2][:2500]))


def config_syntax(r, tmp, case_dir, copy_db):
    cases = [
        ("a localised key", b"[Tracking]\nbreak_min[de] = 5s\n", 2, "not a key name"),
        ("a localised key in [Device]", b"[Device p]\nrole=seat\nname[fr]=x\n", 3,
         "not a key name"),
        ("a bracket in a group name", b"[Device a]b]\nrole=seat\nname=x\n", 1,
         "malformed group header"),
        ("a byte order mark, then a mistake", b"\xef\xbb\xbf[Tracking]\nbreak_mim = 5s\n", 2,
         "unknown key \"break_mim\""),
    ]
    for what, text, line, words in cases:
        d = case_dir("hard-" + what.replace(" ", "-"))
        conf = os.path.join(d, "bad.conf")
        with open(conf, "wb") as f:
            f.write(text)
        db = copy_db("hard-db-" + what.replace(" ", "-"))
        before = ft.sha(db)
        where = "%s:%d:" % (conf, line)
        results = [
            ("sitlog config", ft.fails_naming(r.cli(db, "config", config=conf), where,
                                              (words,))),
            ("replay", ft.fails_naming(r.replay(db, config=conf), where, (words,))),
            ("live", ft.fails_naming(r.live(db, config=conf), where, (words,))),
        ]
        bom = [w for w, res in (("config", r.cli(db, "config", config=conf)),)
               if "\ufeff" in res[1]]
        if bom:
            results.append(("sitlog config", "an invisible U+FEFF in the message"))
        ft.check_all("a configuration with %s: an error with FILE:LINE, the database unchanged"
                     % what, results, (db, before))
    # a BOM before a good file: read as if it were not there
    d = case_dir("hard-bom-good")
    conf = os.path.join(d, "good.conf")
    with open(conf, "wb") as f:
        f.write(b"\xef\xbb\xbf[Reminders]\nsnooze = 7min\n")
    v = values_of(r.cli(os.path.join(d, "none.db"), "config", "--json", config=conf))
    ok(v and v[("Reminders", "snooze")] == "7min",
       "a UTF-8 byte order mark before a good file is not part of it", repr(v))


def fifos(r, tmp, case_dir, copy_db):
    d = case_dir("hard-fifo")
    fifo = os.path.join(d, "fifo.conf")
    os.mkfifo(fifo)
    dirs = os.path.join(d, "xdg")
    os.makedirs(os.path.join(dirs, "sitlog", "sitlog.conf.d"))
    dropin = os.path.join(dirs, "sitlog", "sitlog.conf.d", "50-fifo.conf")
    os.mkfifo(dropin)
    db = copy_db("hard-fifo-db")
    before = ft.sha(db)
    words = ("not a regular file",)
    results = [
        ("--config: sitlog config", ft.fails_naming(r.cli(db, "config", config=fifo,
                                                          timeout=10), fifo, words)),
        ("--config: sitlogd --print-config",
         ft.fails_naming(r.run([r.sitlogd, "--config", fifo, "--print-config"], timeout=10),
                         fifo, words)),
        ("--config: live", ft.fails_naming(r.live(db, config=fifo), fifo, words)),
        ("--config: replay", ft.fails_naming(r.replay(db, config=fifo, timeout=10), fifo,
                                             words)),
    ]
    saved, r.env = r.env, dict(r.env, XDG_CONFIG_DIRS=dirs)
    try:
        results += [
            ("drop-in: sitlog config", ft.fails_naming(r.run([r.sitlog, "config"], timeout=10),
                                                       dropin, words)),
            ("drop-in: live", ft.fails_naming(r.live(db), dropin, words)),
        ]
    finally:
        r.env = saved
    ft.check_all("a FIFO as --config or as a drop-in is refused at once, naming it "
                 "(sitlog config, sitlogd --print-config, live, replay)", results, (db, before))


def modes(r, tmp, case_dir, copy_db):
    db = copy_db("hard-0666")
    os.chmod(db, 0o666)
    res = r.replay(db, start=OTHER)
    mode = stat.S_IMODE(os.stat(db).st_mode)
    ok(res[0] == 0 and mode == 0o600,
       "a database left 0666 is made 0600 by its writer (a replay into it)",
       "exit %s, mode %04o: %s" % (res[0], mode, res[1].strip()[-500:]))

    d = case_dir("hard-plot")
    png = os.path.join(d, "week.png")
    res = r.cli(db, "report", "--since", SINCE, "--plot", png)
    new_mode = stat.S_IMODE(os.stat(png).st_mode) if os.path.exists(png) else None
    os.chmod(png, 0o600) if new_mode is not None else None
    res2 = r.cli(db, "report", "--since", SINCE, "--plot", png)
    again = stat.S_IMODE(os.stat(png).st_mode)
    os.chmod(png, 0o640)
    r.cli(db, "report", "--since", SINCE, "--plot", png)
    kept = stat.S_IMODE(os.stat(png).st_mode)
    long_name = os.path.join(d, "p" * 246 + ".svg")  # 250 bytes: a valid name
    res3 = r.cli(db, "report", "--since", SINCE, "--plot", long_name)
    left = [n for n in os.listdir(d) if n.startswith(".")]
    ok(res[0] == 0 and res2[0] == 0 and new_mode == 0o600 and again == 0o600 and kept == 0o640
       and res3[0] == 0 and os.path.exists(long_name) and not left,
       "a plot is 0600, keeps the mode of the image it replaces, and takes a 250-byte name",
       "new %s, again %04o, kept %04o; long: exit %s %s; left %r" % (
           new_mode, again, kept, res3[0], res3[1].strip()[-300:], left))


def db_paths(r, tmp, case_dir):
    bad = []
    for prog, cmd in (("sitlog", [r.sitlog, "--db", "", "report"]),
                      ("sitlogd", [r.sitlogd, "--db", "", "--replay", r.rec])):
        res = r.run(cmd)
        if res[0] != 2 or "--db: an empty path" not in res[1]:
            bad.append("%s --db \"\": exit %s: %s" % (prog, res[0], res[1].strip()))
    cwd = case_dir("hard-home-empty")
    env = {k: v for k, v in r.env.items() if k not in ("SITLOG_DB", "XDG_STATE_HOME")}
    env["HOME"] = ""
    saved, r.env = r.env, env
    try:
        os.chdir(cwd)
        for prog, cmd in (("sitlog report", [r.sitlog, "report"]),
                          ("sitlogd --replay", [r.sitlogd, "--replay", r.rec])):
            res = r.run(cmd)
            if res[0] in (0, "timeout") or "no place for the database" not in res[1]:
                bad.append("HOME=\"\" %s: exit %s: %s" % (prog, res[0], res[1].strip()))
        for cmd in (["config"], ["report", "--help"], ["help", "prune"]):
            res = r.run([r.sitlog] + cmd)
            if res[0] != 0:
                bad.append("HOME=\"\" sitlog %s (no database needed): exit %s"
                           % (" ".join(cmd), res[0]))
    finally:
        os.chdir(tmp)
        r.env = saved
    if os.listdir(cwd):
        bad.append("HOME=\"\" left %r in the current directory" % os.listdir(cwd))
    ok(not bad, "--db \"\" is a usage error; HOME=\"\" puts no database below the current "
       "directory (a clear error where a database is needed)", "\n".join(bad))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sitlog-hardening-")
    try:
        os.chmod(tmp, 0o755)
        r = ft.Runner(args, tmp)
        # the plotting module beside the copied sitlog, where it looks first
        module = os.path.join(os.path.dirname(os.path.abspath(args.sitlog)), "sitlog-plot.so")
        if os.path.exists(module):
            shutil.copy(module, os.path.join(tmp, "bin"))
        r.rec = os.path.join(tmp, "workday.evemu")
        shutil.copy(os.path.join(HERE, "data", "workday.evemu"), r.rec)
        os.chmod(r.rec, 0o644)
        base = os.path.join(tmp, "base", "sitlog.db")
        res = r.replay(base, start=START)
        if res[0] != 0:
            ok(False, "the base database is recorded", res[1])
            return finish()

        def case_dir(name):
            d = os.path.join(tmp, name)
            os.makedirs(d)
            os.chmod(d, 0o755)
            return d

        def copy_db(name):
            db = os.path.join(case_dir(name), "sitlog.db")
            shutil.copy(base, db)
            os.chmod(db, 0o600)
            return db

        os.chdir(tmp)
        config_names(r, tmp, os.path.join(tmp, "names-xdg"))
        config_syntax(r, tmp, case_dir, copy_db)
        fifos(r, tmp, case_dir, copy_db)
        modes(r, tmp, case_dir, copy_db)
        db_paths(r, tmp, case_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
