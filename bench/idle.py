# SPDX-License-Identifier: MIT
"""
Idle cost of a running program, from /proc only, one method for sitlogd and for the peers
(bench-wakeups.py, peers.py):

  wake-ups   context switches, voluntary + involuntary, per thread (/proc/PID/task/TID/status),
             summed over the threads present at both ends of the window (a thread that ends
             takes its count with it), plus the threads of processes born in the window as last
             seen (the tree is looked at every `poll` seconds)
  CPU        utime + stime of /proc/PID/stat over the window, with cutime + cstime (what the
             process's children that ended and were reaped used), for every process of the tree
  memory     at the end: RSS and PSS (and Anonymous, the private memory) from
             /proc/PID/smaps_rollup, summed over the tree (RSS double-counts what the processes
             share; PSS does not)

A "tree" is a process and all its descendants, found by walking /proc/*/stat's parent ids each
time it is looked at; a short-lived child seen at least once is counted, one that lives less
than `poll` seconds is counted in CPU (through its parent's cutime) but not in wake-ups.
"""
import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def machine():
    return "%s, %d CPUs" % (cpu_model(), os.cpu_count() or 0)


def _stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        text = f.read()
    comm = text[text.index("(") + 1:text.rindex(")")]
    f = text.rsplit(")", 1)[1].split()
    # fields after the name: state ppid ... utime(11) stime(12) cutime(13) cstime(14)
    return comm, int(f[1]), int(f[11]) + int(f[12]), int(f[13]) + int(f[14]), int(f[19])


def _parents():
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                out[int(name)] = _stat(int(name))[1]
            except (OSError, ValueError, IndexError):
                pass
    return out


def tree(roots):
    """roots and every descendant alive now"""
    parents = _parents()
    found = set(p for p in roots if p in parents)
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def _threads(pid):
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                st = dict(line.split(":", 1) for line in f if ":" in line)
            out[int(tid)] = (int(st["voluntary_ctxt_switches"]) +
                             int(st["nonvoluntary_ctxt_switches"]))
        except (OSError, KeyError, ValueError):
            pass
    return out


def _memory(pid):
    out = {"Rss": 0, "Pss": 0, "Anonymous": 0}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in out:
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def snapshot(pids):
    """{pid: (comm, start time, own CPU ticks, children's CPU ticks, {tid: switches})}"""
    snap = {}
    for pid in pids:
        try:
            comm, _, own, children, start = _stat(pid)
        except (OSError, ValueError, IndexError):
            continue
        snap[pid] = (comm, start, own, children, _threads(pid))
    return snap


def measure(roots, seconds, poll=0.5, spin=None):
    """Idle cost of the trees of `roots` over `seconds`. spin(s), if given, is called instead of
    time.sleep(s) (a caller that must keep serving mock devices meanwhile)."""
    wait = spin or time.sleep
    t0 = time.monotonic()
    first = snapshot(tree(roots))
    seen = {}  # pid -> latest snapshot entry, for processes born in the window
    comms = {}
    end = t0 + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        wait(min(poll, left))
        for pid, entry in snapshot(tree(roots)).items():
            if pid not in first or first[pid][1] != entry[1]:
                seen[pid] = entry
                comms[entry[0]] = comms.get(entry[0], set()) | {pid}
    last = snapshot(tree(roots))
    dt = time.monotonic() - t0

    switches = 0
    cpu = 0
    for pid, (comm, start, own, children, threads) in last.items():
        old = first.get(pid)
        if old and old[1] == start:
            cpu += (own - old[2]) + (children - old[3])
            switches += sum(n - old[4][tid] for tid, n in threads.items() if tid in old[4])
    for pid, (comm, start, own, children, threads) in seen.items():
        if pid in last and last[pid][1] == start:
            entry = last[pid]
            # alive at the end: its whole life is in the window
            switches += sum(entry[4].values())
            cpu += entry[2] + entry[3]
        else:
            # ended in the window: its CPU reached its parent's cutime; its switches did not
            switches += sum(threads.values())
    mem = {"Rss": 0, "Pss": 0, "Anonymous": 0}
    for pid in last:
        m = _memory(pid)
        for k in mem:
            mem[k] += m[k]
    return {
        "seconds": dt,
        "wakeups_per_min": switches * 60.0 / dt,
        "cpu_ms_per_min": cpu * 1000.0 / TICK * 60.0 / dt,
        "rss_kib": mem["Rss"],
        "pss_kib": mem["Pss"],
        "private_kib": mem["Anonymous"],
        "processes": sorted(set(e[0] for e in last.values())),
        "born": {c: len(p) for c, p in comms.items()},
    }


def row(name, r):
    born = ""
    if r.get("born"):
        born = "  started in the window: " + ", ".join(
            "%s ×%d" % kv for kv in sorted(r["born"].items()))
    return ("%-28s %9.1f wake-ups/min %8.1f CPU ms/min %8.1f MB RSS %8.1f MB PSS%s" %
            (name, r["wakeups_per_min"], r["cpu_ms_per_min"], r["rss_kib"] / 1024.0,
             r["pss_kib"] / 1024.0, born))
