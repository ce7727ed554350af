#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Admin locks hold against the user's own environment (issue 22 item 2), through the programs.

The system's directory (sitlog.conf(5): /etc/xdg, the build's system_config_dir) holds the
shipped docs/admin drop-ins: a temporary directory is mounted over it in a private mount
namespace (unshare; as a user who is not root, in a user namespace too), so that the machine's
own /etc/xdg is neither read nor changed. Each way round a lock is tried, through `sitlog
config` and `sitlogd --print-config`: XDG_CONFIG_DIRS=/nonexistent, a directory of the user's
listed first with /dev/null and empty drop-ins of the admin's names, and --config. Each fails:
the admin's value stays, locked, and a warning names the file:line tried and the lock's.

Then the live daemon on a private session bus with [Reminders] pause=10min and snooze=5min
locked: a D-Bus Pause or Snooze for longer is refused (sitlog pause 366d fails), a shorter one
is not. Runs under umockdev-wrapper. TAP output.
"""
import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import finish, ok  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = ("10-reminders.conf", "20-working-hours.conf", "30-locks.conf")
CI = os.environ.get("CI") == "true"
FAKE_LOCKS = [None]  # the file the namespace shows as the system's 30-locks.conf
# what the user tries, and where the admin's value for it comes from
TRIED = [("Reminders", "remind_after", "1min", "45min"),
         ("Tracking", "min_segment", "1h", "10s"),
         ("Tracking", "prolonged", "1s", "45min"),
         ("Tracking", "break_min", "1h", "1min"),
         ("Reminders", "heed_window", "1h", "5min")]


def skip(name, why):
    if CI:
        ok(False, name, "%s, and CI must run everything" % why)
    else:
        ok(True, "%s # SKIP %s" % (name, why))


def user_text():
    groups = {}
    for section, key, value, _ in TRIED:
        groups.setdefault(section, []).append("%s=%s" % (key, value))
    return "".join("[%s]\n%s\n" % (s, "\n".join(lines)) for s, lines in groups.items())


def line_of(path, section, key):
    group = None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line.startswith("["):
                group = line[1:-1]
            elif group == section and line.split("=")[0].strip() == key:
                return n
    return None


class Namespace:
    """Commands in a private mount namespace where fake is mounted over sysdir."""

    def __init__(self, sysdir, fake, env):
        self.sysdir, self.fake = sysdir, fake
        self.env = {k: v for k, v in env.items() if k not in ("LD_PRELOAD", "UMOCKDEV_DIR")}
        self.prefix = None
        self.why_not = None
        if not os.path.isdir(sysdir):
            self.why_not = "no %s to mount over" % sysdir
            return
        if not shutil.which("unshare"):
            self.why_not = "no unshare (util-linux)"
            return
        tries = [["unshare", "--mount", "--propagation", "private"]] if os.getuid() == 0 else []
        tries.append(["unshare", "--user", "--map-root-user", "--mount",
                      "--propagation", "private"])
        for t in tries:
            r = self.run_with(t, ["true"])
            if r.returncode == 0:
                self.prefix = t
                return
            self.why_not = "cannot mount in a private namespace: " + r.stderr.strip()[-200:]

    def run_with(self, prefix, cmd, env=None):
        script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
        return subprocess.run(prefix + ["sh", "-c", script, "sh", self.fake, self.sysdir] + cmd,
                              capture_output=True, text=True, env=env or self.env, timeout=60)

    def run(self, cmd, **env):
        return self.run_with(self.prefix, cmd, dict(self.env, **env))


def check_locked(name, r, sysfile, tried_file, extra_warnings=0):
    """r: `sitlog config --json` (or its text form for sitlogd); the admin's values, locked,
    and one warning per value tried naming tried_file:line and sysfile:line."""
    why = []
    if r.returncode != 0:
        why.append("exit %d" % r.returncode)
    lock_line = line_of(FAKE_LOCKS[0], "Locks", "keys")
    for section, key, value, admin in TRIED:
        want = "%s:%d: [%s] %s=%s, locked by %s:%d, ignoring" % (
            tried_file, line_of(tried_file, section, key), section, key, value, sysfile,
            lock_line)
        if want not in r.stderr:
            why.append("no warning %r" % want)
    warnings = [w for w in r.stderr.splitlines() if w.strip()]
    if len(warnings) != len(TRIED) + extra_warnings:
        why.append("%d warnings, want %d" % (len(warnings), len(TRIED) + extra_warnings))
    try:
        values = {(v["section"], v["key"]): v for v in json.loads(r.stdout)["values"]}
        for section, key, _, admin in TRIED:
            v = values[(section, key)]
            if v["value"] != admin or not v["locked"] or \
                    not (v["locked_by"] or "").startswith(sysfile):
                why.append("%s.%s: %r" % (section, key, v))
    except (ValueError, KeyError) as e:
        # sitlogd --print-config: the text form
        if "--json" in name:
            why.append("no JSON: %s" % e)
        for section, key, _, admin in TRIED:
            if "%s=%s" % (key, admin) not in r.stdout:
                why.append("%s=%s not printed" % (key, admin))
    ok(not why, name, "\n".join(why) + "\nstderr:\n" + r.stderr + "\nstdout:\n" + r.stdout[:3000])


def namespace_cases(args, tmp, env):
    fake = os.path.join(tmp, "fake-etc-xdg")
    conf_d = os.path.join(fake, "sitlog", "sitlog.conf.d")
    os.makedirs(conf_d)
    for name in SHIPPED:
        shutil.copy(os.path.join(args.source, "docs", "admin", "sitlog.conf.d", name), conf_d)
    os.chmod(tmp, 0o755)
    for root, dirs, files in os.walk(fake):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    sysfile = os.path.join(args.system_config_dir, "sitlog", "sitlog.conf.d", "30-locks.conf")
    FAKE_LOCKS[0] = os.path.join(conf_d, "30-locks.conf")
    user = os.path.join(tmp, "user")
    os.makedirs(os.path.join(user, "sitlog"))
    user_file = os.path.join(user, "sitlog", "sitlog.conf")
    with open(user_file, "w") as f:
        f.write(user_text())
    ns = Namespace(args.system_config_dir, fake, env)
    names = ["XDG_CONFIG_DIRS=/nonexistent: sitlog config --json",
             "XDG_CONFIG_DIRS=/nonexistent: sitlogd --print-config",
             "a directory of the user's first in XDG_CONFIG_DIRS, /dev/null and empty "
             "drop-ins named as the admin's: sitlog config --json",
             "the same: sitlogd --print-config",
             "--config: sitlog config --json", "--config: sitlogd --print-config"]
    if ns.prefix is None:
        for n in names:
            skip(n, ns.why_not)
        return

    # 1. the environment names no system directory at all
    xdg = dict(XDG_CONFIG_DIRS="/nonexistent", XDG_CONFIG_HOME=user)
    check_locked(names[0], ns.run([args.sitlog, "config", "--json"], **xdg), sysfile, user_file)
    check_locked(names[1], ns.run([args.sitlogd, "--print-config"], **xdg), sysfile, user_file)

    # 2. the user's own directory first, masking the admin's drop-ins by name, and setting
    #    the locked keys itself
    mine = os.path.join(tmp, "mine")
    os.makedirs(os.path.join(mine, "sitlog", "sitlog.conf.d"))
    os.symlink("/dev/null", os.path.join(mine, "sitlog", "sitlog.conf.d", "30-locks.conf"))
    open(os.path.join(mine, "sitlog", "sitlog.conf.d", "10-reminders.conf"), "w").close()
    mine_file = os.path.join(mine, "sitlog", "sitlog.conf.d", "20-working-hours.conf")
    with open(mine_file, "w") as f:
        f.write(user_text())
    os.unlink(user_file)
    xdg = dict(XDG_CONFIG_DIRS=mine + ":" + args.system_config_dir, XDG_CONFIG_HOME=user)
    check_locked(names[2], ns.run([args.sitlog, "config", "--json"], **xdg), sysfile, mine_file)
    check_locked(names[3], ns.run([args.sitlogd, "--print-config"], **xdg), sysfile, mine_file)

    # 3. --config, as `systemctl --user edit sitlogd` could give it
    opt = os.path.join(tmp, "opt.conf")
    with open(opt, "w") as f:
        f.write("# mine\n" + user_text())
    check_locked(names[4], ns.run([args.sitlog, "--config", opt, "config", "--json"]), sysfile,
                 opt)
    check_locked(names[5], ns.run([args.sitlogd, "--config", opt, "--print-config"]), sysfile,
                 opt)


def pause_bound(args, tmp, env):
    try:
        import dbusmock
        from mockdev import Bed, start_bus
    except ImportError as e:
        skip("a locked pause bounds the D-Bus Pause call", "no python3-dbusmock (%s)" % e)
        return
    admin = os.path.join(tmp, "admin")
    os.makedirs(os.path.join(admin, "sitlog"))
    with open(os.path.join(admin, "sitlog", "sitlog.conf"), "w") as f:
        f.write("[Locks]\nkeys=Reminders.pause Reminders.snooze\n"
                "[Reminders]\npause=10min\nsnooze=5min\n")
    user = os.path.join(tmp, "user-live")
    os.makedirs(os.path.join(user, "sitlog"))
    with open(os.path.join(user, "sitlog", "sitlog.conf"), "w") as f:
        f.write("[Reminders]\npause=366d\n")
    env = dict(env, XDG_CONFIG_DIRS=admin, XDG_CONFIG_HOME=user)
    start_bus()
    env["DBUS_SESSION_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
    db = os.path.join(tmp, "live.db")
    bed = Bed()
    # on the layers (mockdev.Daemon would pass --config), with no device
    d = subprocess.Popen([args.sitlogd, "--db", db, "--notify", "none"], env=dict(
        env, UMOCKDEV_DIR=bed.tb.get_root_dir()), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    ready = False
    for _ in range(100):
        r = subprocess.run([args.sitlog, "--db", db, "status", "--json"], env=env,
                           capture_output=True, text=True, timeout=30)
        if '"daemon":"running"' in r.stdout:
            ready = True
            break
        bed.spin(0.1)
    ok(ready, "sitlogd runs on the layers with the pause locked", r.stdout + r.stderr)

    def sitlog(*verb):
        return subprocess.run([args.sitlog, "--db", db] + list(verb), env=env,
                              capture_output=True, text=True, timeout=30)

    r = sitlog("pause", "366d")
    ok(r.returncode == 1 and "366d is longer than [Reminders] pause=10min, which the admin has "
       "locked" in r.stderr, "a locked pause=10min refuses a D-Bus Pause of 366d (sitlog pause "
       "366d)", r.stdout + r.stderr)
    r = sitlog("pause", "--until", "23:59")
    far = r.returncode == 1 and "longer than [Reminders] pause=10min" in r.stderr
    ok(far or r.returncode == 0, "pause --until beyond the bound is refused the same way",
       r.stdout + r.stderr)
    st = json.loads(sitlog("status", "--json").stdout or "{}")
    ok(st.get("paused_until") is None or not far, "nothing was paused", repr(st))
    r = sitlog("pause", "5min")
    ok(r.returncode == 0 and "paused until" in r.stdout, "a pause within the bound is taken",
       r.stdout + r.stderr)
    r = sitlog("pause")
    ok(r.returncode == 0, "a pause of the locked length (no DURATION) is taken", r.stderr)
    r = sitlog("snooze", "1h")
    ok(r.returncode == 1 and "longer than [Reminders] snooze=5min" in r.stderr,
       "a locked snooze=5min refuses a D-Bus Snooze of 1h", r.stdout + r.stderr)
    d.terminate()
    out, _ = d.communicate(timeout=20)
    ok(d.returncode == 0 and "pause=366d, locked by %s/sitlog/sitlog.conf:2" % admin in out,
       "sitlogd stops cleanly, and said which value the lock kept", out[-2000:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlogd", required=True)
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--system-config-dir", required=True)
    args = ap.parse_args()
    args.sitlogd, args.sitlog = os.path.abspath(args.sitlogd), os.path.abspath(args.sitlog)
    tmp = tempfile.mkdtemp(prefix="sitlog-locks-")
    atexit.register(shutil.rmtree, tmp, True)
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    namespace_cases(args, tmp, env)
    if os.environ.get("LD_PRELOAD", "").count("umockdev"):
        pause_bound(args, tmp, env)
    else:
        skip("a locked pause bounds the D-Bus Pause call", "not running under umockdev-wrapper")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
