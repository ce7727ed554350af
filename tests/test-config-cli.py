#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`sitlog config` and `sitlogd --print-config` on layered files: the same text from both,
warnings for locked keys on stderr (exit 0), errors with file:line (exit 1), and the lock
warnings from every verb that reads the configuration."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def put(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def body(a, tmp):
    admin = os.path.join(tmp, "admin")
    vendor = os.path.join(tmp, "vendor")
    user = os.path.join(tmp, "user")
    company = put(admin, "sitlog/sitlog.conf.d/50-company.conf",
                  "# IT policy\n[Locks]\nkeys=Reminders.remind_after\n\n"
                  "[Reminders]\nremind_after=30min\n")
    put(vendor, "sitlog/sitlog.conf", "[Storage]\nkeep_days=365\n")
    put(vendor, "sitlog/sitlog.conf.d/50-company.conf", "[Reminders]\nremind_after=1h\n")
    mine = put(user, "sitlog/sitlog.conf", "[Reminders]\nremind_after=10min\nsnooze=5min\n")
    env = dict(os.environ, LC_ALL="C.UTF-8", XDG_CONFIG_DIRS=admin + ":" + vendor,
               XDG_CONFIG_HOME=user, SITLOG_DB=os.path.join(tmp, "none.db"))

    def run(*argv):
        return subprocess.run(list(argv), capture_output=True, text=True, env=env)

    warning = ("%s:2: [Reminders] remind_after=10min, locked by %s:3, ignoring\n"
               % (mine, company))
    cli = run(a.sitlog, "config")
    daemon = run(a.sitlogd, "--print-config")
    check(cli.returncode == 0 and daemon.returncode == 0, "both exit 0 despite a locked key",
          cli.stderr + daemon.stderr)
    check(cli.stdout == daemon.stdout and cli.stdout != "", "the same text from both")
    check(cli.stderr == "sitlog: " + warning, "sitlog warns on stderr with both places",
          cli.stderr)
    check(daemon.stderr == "sitlogd: " + warning, "sitlogd --print-config warns the same way",
          daemon.stderr)
    want = ("# %s:6, locked by %s:3\nremind_after=30min\n" % (company, company))
    check(want in cli.stdout, "the admin's drop-in wins over the vendor dir's of the same name, "
          "and the value says where it comes from and its lock", cli.stdout)
    check("# %s:3\nsnooze=5min\n" % mine in cli.stdout, "the user's value, with its line")
    check("# %s/sitlog/sitlog.conf:2\nkeep_days=365\n" % vendor in cli.stdout,
          "the vendor dir's file, with its line")
    check("# default\nheed_window=5min\n" in cli.stdout, "defaults are printed, in the file's "
          "units")

    js = run(a.sitlog, "config", "--json")
    try:
        values = {(v["section"], v["key"]): v for v in json.loads(js.stdout)["values"]}
        v = values[("Reminders", "remind_after")]
        ok = (v["value"] == "30min" and v["file"] == company and v["line"] == 6 and v["locked"]
              and v["locked_by"] == "%s:3" % company)
        check(ok and values[("Tracking", "prolonged")]["source"] == "default",
              "sitlog config --json", js.stdout)
    except (ValueError, KeyError) as e:
        check(False, "sitlog config --json", "%s\n%s" % (e, js.stdout))

    # the output, saved, reads back as the same values
    saved = put(tmp, "saved.conf", cli.stdout)
    again = run(a.sitlog, "--config", saved, "config")
    strip = lambda t: [l for l in t.splitlines() if not l.startswith("#")]
    check(again.returncode == 0 and strip(again.stdout) == strip(cli.stdout),
          "the printed text reads back as the same configuration", again.stderr)

    # other verbs print the lock warning too, and go on
    rep = run(a.sitlog, "devices")
    check(("sitlog: " + warning) in rep.stderr, "sitlog devices prints the lock warning",
          rep.stderr)

    # mistakes: file:line, exit 1, nothing on stdout
    rows = [
        ("[Reminders]\nremind_after=10min\nsnoze=5min\n",
         "%s:3: unknown key \"snoze\" in [Reminders]"),
        ("[Storage]\n\nkeep_days=36601\n",
         "%s:3: keep_days=36601: expected 0 (off) or a whole number from 1 to 36600"),
    ]
    for text, why in rows:
        put(user, "sitlog/sitlog.conf.d/90-bad.conf", text)
        bad = os.path.join(user, "sitlog/sitlog.conf.d/90-bad.conf")
        for prog, argv in (("sitlog", [a.sitlog, "config"]),
                           ("sitlogd", [a.sitlogd, "--print-config"])):
            r = run(*argv)
            want_err = "%s: %s\n" % (prog, why % bad)
            check(r.returncode == 1 and r.stdout == "" and r.stderr.endswith(want_err),
                  "%s: %s" % (prog, why.split(": ", 1)[1]), r.stderr)
    os.unlink(os.path.join(user, "sitlog/sitlog.conf.d/90-bad.conf"))
    locks = put(admin, "sitlog/sitlog.conf.d/60-typo.conf", "[Locks]\n\nkeys=Reminders.remnd\n")
    for prog, argv in (("sitlog", [a.sitlog, "config"]),
                       ("sitlogd", [a.sitlogd, "--print-config"])):
        r = run(*argv)
        check(r.returncode == 1 and r.stderr.endswith(
            "%s: %s:3: keys=: unknown key \"Reminders.remnd\" (expected Section.key, such as "
            "Reminders.remind_after)\n" % (prog, locks)),
            "%s: a lock of an unknown key is an error with its line" % prog, r.stderr)
    r = run(a.sitlog, "config", "extra")
    check(r.returncode == 2, "sitlog config: usage error on an argument", r.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--sitlogd", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sitlog-config-cli-")
    try:
        body(a, tmp)
    finally:
        shutil.rmtree(tmp)
    print("1..%d" % len(results))
    for n, (ok, name, detail) in enumerate(results, 1):
        print("%s %d %s" % ("ok" if ok else "not ok", n, name))
        for d in detail.splitlines() if not ok else []:
            print("# " + d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
