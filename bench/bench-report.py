#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The cost of `sitlog report` over 5 years against `sitlog --version` (issue 11: at most 2x).

Fills a database with 5 realistic years through the store's writer API (bench/gen-history),
then runs `sitlog --version` and each report interleaved, RUNS times each, and prints the
ratio of the medians, the database's bytes per day, and where the time goes (a one-day report:
start-up, config, store open; the 5 years as a table, JSON and CSV; the same in another time
zone, where the roll-up cannot serve and the raw tables are read). Prints figures; not a test.

usage: bench-report.py SITLOG GEN_HISTORY [RUNS]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

DAYS = 5 * 365 + 1
FIRST = "2021-01-01"
LAST = "2025-12-31"


def spawn_time(argv, env):
    """(wall, cpu) seconds of one run: wall from spawn to exit, cpu its user + system time
    (less at the mercy of other load on the machine)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    dt = time.perf_counter() - t0
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench-report: %s failed (%d)" % (" ".join(argv), status))
    return dt, usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) > 1 else 2
    sitlog, gen = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "sitlog.db")
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TZ": os.environ.get("TZ", "UTC"),
               "LC_ALL": "C.UTF-8", "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
               "XDG_CONFIG_DIRS": os.path.join(tmp, "etc"), "SITLOG_DB": db}
        t0 = time.perf_counter()
        # written in the zone the reports run in, as sitlogd and sitlog share one
        out = subprocess.run([gen, db, str(DAYS), FIRST], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        gen_s = time.perf_counter() - t0
        fig = dict(zip(out[::2], out[1::2]))
        print("generated %s days in %.1f s: %s segments (%.1f a day), %s bouts, %s prompts"
              % (fig["days"], gen_s, fig["segments"], int(fig["segments"]) / DAYS,
                 fig["bouts"], fig["prompts"]))
        print("database: %s bytes, %s bytes/day (budget 10240)" % (fig["bytes"],
                                                                  fig["bytes/day"]))
        print("a heartbeat's commit on it (sitlogd, the day's roll-up recomputed): %s us"
              % fig["heartbeat_us"])
        other = dict(env, TZ="America/New_York" if env["TZ"] != "America/New_York"
                     else "Europe/Berlin")
        cases = [
            ("sitlog --version", [sitlog, "--version"], env),
            ("report, 1 day (start-up)", [sitlog, "report", "--since", LAST, "--until", LAST],
             env),
            ("report, 5 years, table", [sitlog, "report", "--since", FIRST, "--until", LAST],
             env),
            ("report, 5 years, json", [sitlog, "report", "--since", FIRST, "--until", LAST,
                                       "--format", "json"], env),
            ("report, 5 years, csv", [sitlog, "report", "--since", FIRST, "--until", LAST,
                                      "--format", "csv"], env),
            ("report, 5 years, other zone (raw)", [sitlog, "report", "--since", FIRST,
                                                   "--until", LAST], other),
        ]
        times = [[] for _ in cases]
        for argv, e in [(c[1], c[2]) for c in cases]:  # warm the page cache
            spawn_time(argv, e)
        for _ in range(runs):
            for i, (_, argv, e) in enumerate(cases):
                times[i].append(spawn_time(argv, e))
        wall = [[w for w, _ in t] for t in times]
        cpu = [[c for _, c in t] for t in times]
        base_w, base_c = statistics.median(wall[0]), statistics.median(cpu[0])
        print("medians of %d interleaved runs (load average %.1f):"
              % (runs, os.getloadavg()[0]))
        print("  %-36s %9s %6s  %9s %6s" % ("", "wall", "", "cpu", ""))
        for (what, _, _), w, c in zip(cases, wall, cpu):
            mw, mc = statistics.median(w), statistics.median(c)
            print("  %-36s %6.2f ms %5.2fx  %6.2f ms %5.2fx" % (what, mw * 1000, mw / base_w,
                                                             mc * 1000, mc / base_c))
        print("ratio: report over 5 years / sitlog --version = %.2f wall, %.2f cpu "
              "(target <= 2)" % (statistics.median(wall[2]) / base_w,
                                 statistics.median(cpu[2]) / base_c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
