#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
sitlogd against the break reminders Debian ships, side by side, in one run and by one method
(bench/idle.py: context switches per thread, CPU ms/min, RSS, PSS, over the same window after
the same settling time, every process of the program's tree counted, children included):

  sitlogd    a chair switch at rest under umockdev (bench-wakeups.py --serve "seat at rest")
  Workrave   /usr/bin/workrave
  Safe Eyes  /usr/bin/safeeyes
  RSIBreak   /usr/bin/rsibreak

Each program gets a fresh desktop of its own: Xvfb, a private session bus (dbus-daemon
--session) and a notification daemon (dunst), a scratch HOME (first start, default settings).
What the desktop itself does in the same window (the X server answering idle-time queries, the
bus and what it activated, dunst) is measured too and shown in its own columns: it is caused
by the program but is not the program. Rounds are interleaved (sitlogd, Workrave, Safe Eyes,
RSIBreak, then again) so that a busy moment of the machine does not fall on one program.

Safe Eyes asks `xprintidle` for the idle time every few seconds; Debian's xprintidle is not
installed here, so a stand-in built from the same one X call (XScreenSaverQueryInfo) is put on
the PATH when gcc and libXss are present (said in the output), run under /usr/bin/time so its
context switches are counted although each lives a few milliseconds.

Not in CI: it needs the peers, Xvfb and dunst.

  peers.py SITLOGD [--seconds 60] [--settle 20] [--rounds 1] [--json FILE]
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import idle  # noqa: E402

PEERS = [("Workrave", ["/usr/bin/workrave"]), ("Safe Eyes", ["/usr/bin/safeeyes"]),
         ("RSIBreak", ["/usr/bin/rsibreak"])]

XPRINTIDLE_C = r"""
#include <stdio.h>
#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>
int main(void) {
	Display *d = XOpenDisplay(NULL);
	XScreenSaverInfo *i = XScreenSaverAllocInfo();
	if (!d || !i || !XScreenSaverQueryInfo(d, DefaultRootWindow(d), i))
		return 1;
	printf("%lu\n", i->idle);
	return 0;
}
"""


def version(name, sitlogd):
    if name == "sitlogd":
        r = subprocess.run([sitlogd, "--version"], capture_output=True, text=True)
        return r.stdout.split()[-1] if r.stdout else ""
    pkg = {"Workrave": "workrave", "Safe Eyes": "safeeyes", "RSIBreak": "rsibreak"}.get(name)
    if not pkg:
        return ""
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                       text=True)
    return r.stdout.strip()


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_tree(pid):
    """our child and what it started: TERM, then KILL what is left"""
    pids = idle.tree([pid])
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in pids:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        end = time.monotonic() + 5
        while time.monotonic() < end and any(running(p) for p in pids):
            time.sleep(0.1)


class Desktop:
    """Xvfb + a private session bus + dunst, in a scratch HOME"""

    def __init__(self, tools):
        self.tmp = tempfile.mkdtemp(prefix="sitlog-peers-")
        self.procs = []
        home = os.path.join(self.tmp, "home")
        os.makedirs(home)
        runtime = os.path.join(self.tmp, "run")
        os.makedirs(runtime, mode=0o700)
        self.env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=runtime,
                        XDG_CONFIG_HOME=os.path.join(home, ".config"),
                        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                        XDG_CACHE_HOME=os.path.join(home, ".cache"),
                        XDG_STATE_HOME=os.path.join(home, ".local", "state"),
                        PATH=tools + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
                        NO_AT_BRIDGE="1", LC_ALL="C.UTF-8")
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        # a free display number
        n = 90
        while os.path.exists("/tmp/.X11-unix/X%d" % n) or os.path.exists("/tmp/.X%d-lock" % n):
            n += 1
        self.env["DISPLAY"] = ":%d" % n
        x = subprocess.Popen(["Xvfb", ":%d" % n, "-screen", "0", "1280x800x24", "-nolisten",
                              "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.append(x)
        end = time.monotonic() + 10
        while not os.path.exists("/tmp/.X11-unix/X%d" % n):
            if time.monotonic() > end or x.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=self.env)
        self.procs.append(bus)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        dunst = subprocess.Popen(["dunst"], env=self.env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        self.procs.append(dunst)
        time.sleep(1)

    def pids(self):
        return [p.pid for p in self.procs]

    def close(self):
        for p in reversed(self.procs):
            kill_tree(p.pid)
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def build_tools(tmp):
    """the xprintidle stand-in, counted with /usr/bin/time; '' when it cannot be built"""
    if shutil.which("xprintidle"):
        return "", "Debian's xprintidle"
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc or not os.path.exists("/usr/include/X11/extensions/scrnsaver.h"):
        return "", "no xprintidle (Safe Eyes runs without its idle-time queries)"
    src = os.path.join(tmp, "xprintidle.c")
    with open(src, "w") as f:
        f.write(XPRINTIDLE_C)
    real = os.path.join(tmp, "xprintidle.bin")
    r = subprocess.run([cc, "-O2", "-o", real, src, "-lXss", "-lX11"], capture_output=True)
    if r.returncode != 0:
        return "", "no xprintidle (the stand-in did not build)"
    log = os.path.join(tmp, "xprintidle.log")
    with open(os.path.join(tmp, "xprintidle"), "w") as f:
        f.write("#!/bin/sh\nexec /usr/bin/time -a -o %s -f '%%e %%w %%c %%U %%S' %s\n" %
                (log, real))
    os.chmod(os.path.join(tmp, "xprintidle"), 0o755)
    return log, "an xprintidle stand-in (XScreenSaverQueryInfo, as Debian's xprintidle does)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sitlogd")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--json")
    args = ap.parse_args()
    missing = [t for t in ("Xvfb", "dbus-daemon", "dunst", "umockdev-wrapper")
               if not shutil.which(t)]
    if missing:
        print("SKIP: not installed: %s" % ", ".join(missing))
        return 77
    tools = tempfile.mkdtemp(prefix="sitlog-peers-tools-")
    log, how = build_tools(tools)
    programs = [("sitlogd", None)] + [(n, c) for (n, c) in PEERS if os.path.exists(c[0])]
    print("Idle cost, %.0f s after %.0f s to settle, %d round(s), on %s, %s" %
          (args.seconds, args.settle, args.rounds, idle.machine(),
           time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())), flush=True)
    print("Safe Eyes' idle queries: %s" % how, flush=True)
    results = {n: [] for (n, _) in programs}
    for rnd in range(args.rounds):
        for name, cmd in programs:
            desk = Desktop(tools)
            serve = None
            try:
                if cmd is None:
                    serve = subprocess.Popen(
                        ["umockdev-wrapper", sys.executable, os.path.join(HERE, "bench-wakeups.py"),
                         args.sitlogd, "--serve", "seat at rest"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=desk.env)
                    line = serve.stdout.readline()
                    if not line.startswith("READY"):
                        raise RuntimeError("sitlogd did not start: %s" % line)
                    root = int(line.split()[1])
                else:
                    p = subprocess.Popen(cmd, env=desk.env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
                    root = p.pid
                time.sleep(args.settle)
                if log and os.path.exists(log):
                    os.unlink(log)
                out = {}
                env_thread = threading.Thread(target=lambda: out.update(
                    env=idle.measure(desk.pids(), args.seconds)))
                env_thread.start()
                r = idle.measure([root], args.seconds)
                env_thread.join()
                r["desktop"] = out["env"]
                if name == "Safe Eyes" and log and os.path.exists(log):
                    with open(log) as f:
                        runs = [line.split() for line in f if line[:1].isdigit()]
                    sw = sum(int(x[1]) + int(x[2]) for x in runs)
                    r["xprintidle_runs"] = len(runs)
                    r["born"]["xprintidle (stand-in)"] = len(runs)
                    # the stand-ins' switches were not seen in /proc: they lived milliseconds
                    r["wakeups_per_min"] += sw * 60.0 / r["seconds"]
                alive = cmd is None or p.poll() is None
                r["alive"] = alive
                results[name].append(r)
                print(idle.row(name, r) + ("" if alive else "  (EXITED)"), flush=True)
                print(idle.row("  its desktop (X, bus, dunst)", r["desktop"]), flush=True)
            except RuntimeError as e:
                print("%s: FAILED %s" % (name, e), flush=True)
            finally:
                if serve:
                    serve.stdin.close()
                    serve.wait(timeout=30)
                elif cmd is not None:
                    kill_tree(p.pid)
                    p.wait()
                desk.close()

    def med(name, key, sub=None):
        v = sorted((r[sub][key] if sub else r[key]) for r in results[name])
        return v[len(v) // 2] if v else float("nan")

    per_min = 60.0 / args.seconds  # one event in the window, per minute
    base = {k: med("sitlogd", k) for k in ("wakeups_per_min", "cpu_ms_per_min", "pss_kib")}
    print()
    print("| program | version | wake-ups/min | CPU ms/min | RSS MB | PSS MB | its desktop: "
          "wake-ups/min | CPU ms/min | × sitlogd wake-ups | × CPU | × PSS |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, _ in programs:
        if not results[name]:
            continue
        w, c, p = med(name, "wakeups_per_min"), med(name, "cpu_ms_per_min"), med(name, "pss_kib")

        def ratio(a, b, unit):
            """a / b; when sitlogd showed none in the window, a lower bound: as if it had
            shown one unit (a wake-up, a clock tick) in it"""
            if b > 0:
                return "%.0f×" % (a / b)
            return "≥ %.0f× (sitlogd: 0)" % (a / unit)
        print("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |" % (
            name, version(name, args.sitlogd), w, c, med(name, "rss_kib") / 1024.0, p / 1024.0,
            med(name, "wakeups_per_min", "desktop"), med(name, "cpu_ms_per_min", "desktop"),
            "—" if name == "sitlogd" else ratio(w, base["wakeups_per_min"], per_min),
            "—" if name == "sitlogd" else ratio(c, base["cpu_ms_per_min"],
                                                per_min * 1000.0 / idle.TICK),
            "—" if name == "sitlogd" else ratio(p, base["pss_kib"], 1)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": idle.machine(), "results": results}, f, indent=1)
    shutil.rmtree(tools, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
