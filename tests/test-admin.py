#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""docs/admin: the examples an admin copies, as they would be installed.

- each drop-in of docs/admin/sitlog.conf.d loads alone, and all of them together from
  XDG_CONFIG_DIRS/sitlog/sitlog.conf.d, through `sitlog config` and `sitlogd --print-config`
  (the real loader), without a word on stderr, with the values and locks the files say;
- a user's file and drop-in cannot override a locked key (the admin's value stays, a warning
  names both places), but can change one that is not locked;
- docs/admin/exercises.ini through the daemon's catalogue loader ($TEST_ADMIN_EXERCISES, a
  small C program);
- tmpfiles.d/sitlog-metrics.conf through systemd-tmpfiles --root (as root only);
- prometheus/: `promtool check rules` and `promtool test rules`, and a broken expectation is
  caught. Without promtool: a visible skip, a failure when CI=true.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

results = []


def check(ok, name, detail=""):
    results.append(("ok" if ok else "not ok", name, detail))


def skip(name, why):
    if os.environ.get("CI") == "true":
        check(False, name, why + " (CI=true: every tool must be there; scripts/deps.sh)")
    else:
        results.append(("ok", "%s # SKIP %s" % (name, why), ""))


def run(argv, env=None, **kw):
    return subprocess.run(argv, capture_output=True, text=True, env=env, **kw)


def values_of(stdout):
    return {(v["section"], v["key"]): v for v in json.loads(stdout)["values"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--exercises-check", required=True)
    a = ap.parse_args()
    admin_dir = os.path.join(a.source, "docs", "admin")
    tmp = tempfile.mkdtemp(prefix="sitlog-test-admin-")
    try:
        body(a, admin_dir, tmp)
    except (OSError, ValueError, KeyError) as e:
        check(False, "cannot go on: %s" % e)
    finally:
        shutil.rmtree(tmp)
    print("1..%d" % len(results))
    for n, (ok, name, detail) in enumerate(results, 1):
        print("%s %d %s" % (ok, n, name))
        for line in detail.splitlines() if ok != "ok" else []:
            print("# " + line)
    return 0 if all(r[0] == "ok" for r in results) else 1


def body(a, admin_dir, tmp):
    dropins = sorted(f for f in os.listdir(os.path.join(admin_dir, "sitlog.conf.d"))
                     if f.endswith(".conf"))
    check(len(dropins) >= 4, "docs/admin/sitlog.conf.d has the examples (%s)" % " ".join(dropins))
    base_env = dict(os.environ, LC_ALL="C.UTF-8", SITLOG_DB=os.path.join(tmp, "none.db"),
                    XDG_CONFIG_DIRS="/nonexistent", XDG_CONFIG_HOME="/nonexistent")

    # each alone, as --config reads it (an admin file: its locks are checked)
    bad = []
    for name in dropins:
        path = os.path.join(admin_dir, "sitlog.conf.d", name)
        r = run([a.sitlog, "--config", path, "config", "--json"], env=base_env)
        if r.returncode != 0 or r.stderr:
            bad.append("%s: rc %d: %s" % (name, r.returncode, r.stderr.strip()))
    check(not bad, "each drop-in loads alone without a warning", "\n".join(bad))

    # [Metrics] refuses what it cannot use, naming the file and line
    bad = []
    for text, why in (("[Metrics]\ntextfile_dir=prometheus/node-exporter\n",
                       ":2: textfile_dir=prometheus/node-exporter: expected an absolute path"),
                      ("[Metrics]\n\nenabled=sometimes\n",
                       ":3: enabled=sometimes: expected true or false")):
        path = os.path.join(tmp, "bad-metrics.conf")
        with open(path, "w") as f:
            f.write(text)
        r = run([a.sitlog, "--config", path, "config"], env=base_env)
        if r.returncode != 1 or why not in r.stderr:
            bad.append("rc %d, want %r: %s" % (r.returncode, why, r.stderr.strip()))
    check(not bad, "[Metrics]: a relative textfile_dir and a bad boolean are errors with the "
          "file and line", "\n".join(bad))

    # all together, installed as an admin would
    admin = os.path.join(tmp, "etc-xdg")
    conf_d = os.path.join(admin, "sitlog", "sitlog.conf.d")
    os.makedirs(conf_d)
    for name in dropins:
        shutil.copy(os.path.join(admin_dir, "sitlog.conf.d", name), conf_d)
    user = os.path.join(tmp, "home-config")
    os.makedirs(os.path.join(user, "sitlog", "sitlog.conf.d"))
    env = dict(base_env, XDG_CONFIG_DIRS=admin, XDG_CONFIG_HOME=user)
    r = run([a.sitlog, "config", "--json"], env=env)
    check(r.returncode == 0 and not r.stderr, "all drop-ins together: sitlog config",
          "rc %d: %s" % (r.returncode, r.stderr))
    v = values_of(r.stdout) if r.returncode == 0 else {}
    r = run([a.sitlogd, "--print-config"], env=env)
    check(r.returncode == 0 and not r.stderr, "all drop-ins together: sitlogd --print-config",
          "rc %d: %s" % (r.returncode, r.stderr))

    want = {
        ("Reminders", "remind_after"): ("45min", "10-reminders.conf", True),
        ("Reminders", "repeat_every"): ("15min", "10-reminders.conf", True),
        ("Tracking", "prolonged"): ("45min", "10-reminders.conf", True),
        ("Tracking", "min_segment"): ("10s", None, True),
        ("Tracking", "break_min"): ("1min", None, True),
        ("Reminders", "heed_window"): ("5min", "10-reminders.conf", True),
        ("Reminders", "working_hours"): ("08:00-18:00", "20-working-hours.conf", True),
        ("Reminders", "working_days"): ("Mon-Fri", "20-working-hours.conf", True),
        ("Reminders", "quiet_when_inhibited"): ("true", "20-working-hours.conf", False),
        ("Storage", "keep_days"): ("365", "30-locks.conf", True),
        ("Metrics", "enabled"): ("true", "40-metrics.conf", True),
        ("Metrics", "textfile_dir"): ("/var/lib/prometheus/node-exporter", "40-metrics.conf",
                                      True),
        ("Reminders", "snooze"): ("10min", None, False),
    }

    def compare(values, want):
        wrong = []
        for (section, key), (value, source, locked) in sorted(want.items()):
            got = values.get((section, key))
            if not got:
                wrong.append("%s.%s: not printed" % (section, key))
                continue
            got_source = os.path.basename(got["file"]) if got["file"] else None
            if (got["value"], got_source, got["locked"]) != (value, source, locked):
                wrong.append("%s.%s: %s from %s, locked %s; want %s from %s, locked %s"
                             % (section, key, got["value"], got_source, got["locked"], value,
                                source, locked))
        return wrong

    wrong = compare(v, want)
    check(not wrong, "the values, their files and locks are what the drop-ins say",
          "\n".join(wrong))

    # the user tries to change what is locked, and changes what is not
    with open(os.path.join(user, "sitlog", "sitlog.conf"), "w") as f:
        f.write("[Reminders]\nremind_after=2h\nworking_hours=any\nsnooze=5min\n\n"
                "[Metrics]\nenabled=false\n\n[Storage]\nkeep_days=0\n\n"
                "[Tracking]\nmin_segment=1h\nprolonged=1s\nbreak_min=1h\n")
    with open(os.path.join(user, "sitlog", "sitlog.conf.d", "99-mine.conf"), "w") as f:
        f.write("[Locks]\nkeys=Reminders.snooze\n\n[Metrics]\ntextfile_dir=/tmp\n")
    r = run([a.sitlog, "config", "--json"], env=env)
    v = values_of(r.stdout) if r.returncode == 0 else {}
    user_want = dict(want)
    user_want[("Reminders", "snooze")] = ("5min", "sitlog.conf", False)
    wrong = compare(v, user_want)
    check(r.returncode == 0 and not wrong,
          "a user's file and drop-in cannot override a locked key; an unlocked one they can",
          "rc %d\n%s" % (r.returncode, "\n".join(wrong)))
    warnings = [line for line in r.stderr.splitlines() if line]
    expect = ["remind_after=2h, locked by", "working_hours=any, locked by",
              "enabled=false, locked by", "keep_days=0, locked by",
              "textfile_dir=/tmp, locked by", "[Locks] is read only from the admin's files",
              "min_segment=1h, locked by", "prolonged=1s, locked by", "break_min=1h, locked by"]
    missing = [w for w in expect if not any(w in line for line in warnings)]
    check(not missing and len(warnings) == len(expect),
          "each ignored value is a warning naming the lock (%d)" % len(expect),
          "missing: %r\nstderr:\n%s" % (missing, r.stderr))
    # metrics are on for this user now (with a database tests/test-metrics.c checks the file)
    r = run([a.sitlog, "export", "--format", "openmetrics", "--textfile"], env=env)
    check(r.returncode == 1 and "none.db" in r.stderr,
          "metrics on: export --textfile reads the database (none here: a failure naming it)",
          "rc %d: %s" % (r.returncode, r.stderr))

    # the extra exercise catalogue, through the daemon's loader
    ex = os.path.join(admin_dir, "exercises.ini")
    xdg = os.path.join(tmp, "exercises-xdg")
    os.makedirs(os.path.join(xdg, "sitlog"))
    shutil.copy(ex, os.path.join(xdg, "sitlog", "exercises.ini"))
    r = run([a.exercises_check, ex, xdg, os.path.join(a.source, "data", "exercises.ini")],
            env=dict(base_env))
    check(r.returncode == 0, "docs/admin/exercises.ini loads alone and adds to the built-in "
          "catalogue from /etc/xdg/sitlog", r.stdout + r.stderr)

    # the tmpfiles.d example, into a scratch root
    tmpfiles = shutil.which("systemd-tmpfiles")
    name = "tmpfiles.d/sitlog-metrics.conf makes the textfile directory sticky and writable"
    if not tmpfiles:
        skip(name, "systemd-tmpfiles not found (Debian: systemd)")
    elif os.geteuid() != 0:
        results.append(("ok", "%s # SKIP not root (systemd-tmpfiles --root sets owners)" % name,
                        ""))
    else:
        root = os.path.join(tmp, "root")
        os.makedirs(os.path.join(root, "var", "lib"))
        r = run([tmpfiles, "--root=" + root, "--create",
                 os.path.join(admin_dir, "tmpfiles.d", "sitlog-metrics.conf")])
        d = os.path.join(root, "var/lib/prometheus/node-exporter")
        mode = os.stat(d).st_mode & 0o7777 if os.path.isdir(d) else None
        check(r.returncode == 0 and mode == 0o1777, name,
              "rc %d, mode %s: %s" % (r.returncode, oct(mode) if mode else None, r.stderr))

    # the fleet view
    promtool = shutil.which("promtool")
    prom = os.path.join(admin_dir, "prometheus")
    if not promtool:
        for what in ("promtool check rules", "promtool test rules", "a wrong expectation fails"):
            skip(what, "promtool not found (Debian: prometheus)")
        return
    r = run([promtool, "check", "rules", "sitlog.rules.yml"], cwd=prom)
    check(r.returncode == 0 and "SUCCESS" in r.stdout,
          "promtool check rules docs/admin/prometheus/sitlog.rules.yml", r.stdout + r.stderr)
    r = run([promtool, "test", "rules", "sitlog.rules.test.yml"], cwd=prom)
    check(r.returncode == 0 and "SUCCESS" in r.stdout,
          "promtool test rules docs/admin/prometheus/sitlog.rules.test.yml",
          r.stdout + r.stderr)
    # the unit test can fail: the median of team support expected wrong
    broken = os.path.join(tmp, "prom")
    shutil.copytree(prom, broken)
    test_file = os.path.join(broken, "sitlog.rules.test.yml")
    with open(test_file) as f:
        text = f.read()
    with open(test_file, "w") as f:
        f.write(text.replace("value: 18000", "value: 18001", 1))
    r = run([promtool, "test", "rules", "sitlog.rules.test.yml"], cwd=broken)
    check(r.returncode != 0, "promtool test rules fails on a wrong expectation",
          r.stdout + r.stderr)


if __name__ == "__main__":
    sys.exit(main())
