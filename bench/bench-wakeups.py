#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""
Daemon idle cost: the real sitlogd on mock devices (umockdev, see tests/mockdev.py) for a
while, counting its wake-ups (the main loop's poll() calls that begin in the measured window,
from `strace -tt -e trace=poll` run from the start: context switches would also count
umockdev's own socket traffic for every read of a mock node), CPU time and memory from /proc.
The window starts 12 s in, after the first posture is confirmed (min_segment). Scenarios:
  seat at rest   a chair switch, nobody on it, no bout open
  seat, sitting  the same with a bout open (one heartbeat a minute)
  IMU sampled    an accelerometer sending 100 bursts a second, read at the posture rate
                 (the default, every 100 ms)
  IMU every burst  the same, read whenever data arrives ([IMU] sample_interval=0)
Run under umockdev-wrapper. Prints figures; not a test.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from mockdev import (ABS_X, ABS_Y, ABS_Z, BTN_0, EV_ABS, EV_KEY, INPUT_PROP_ACCELEROMETER,  # noqa
                     Bed, Daemon, EvdevDevice, frame)


sitlogd = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
scenario = sys.argv[3] if len(sys.argv) > 3 else None


def proc(pid):
    st = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(st[11]) + int(st[12])) / ticks
    status = dict(line.split(":", 1) for line in open("/proc/%d/status" % pid))
    wakeups = int(status["voluntary_ctxt_switches"]) + int(status["nonvoluntary_ctxt_switches"])
    rss = int(status["VmRSS"].split()[0])
    return wakeups, cpu, rss


def run(name, devices, config_extra, feed):
    tmp = tempfile.mkdtemp(prefix="sitlog-bench-")
    config = os.path.join(tmp, "sitlog.conf")
    with open(config, "w") as f:
        f.write(config_extra)
    trace = os.path.join(tmp, "strace")
    wrapper = os.path.join(tmp, "sitlogd")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec strace -qq -tt -e trace=poll,ppoll -o %s %s \"$@\"\n"
                % (trace, os.path.abspath(sitlogd)))
    os.chmod(wrapper, 0o755)
    bed = Bed()
    for (n, dev, props) in devices:
        bed.add(n, dev, props)
    d = Daemon(wrapper, bed, os.path.join(tmp, "db"), config)
    if not d.wait_for(bed, "using /dev/input"):
        print("%s: the daemon did not pick up the device\n%s" % (name, d.log()))
        return
    feed(bed, 12.0)  # start-up and the first confirmed posture are not idle
    # the daemon is strace's child
    pid = int(open("/proc/%d/task/%d/children" % (d.p.pid, d.p.pid)).read().split()[0])
    _, c0, _ = proc(pid)
    t0 = time.time()
    m0 = time.monotonic()
    feed(bed, seconds)
    t1 = time.time()
    dt = time.monotonic() - m0
    _, c1, rss = proc(pid)
    d.stop(bed)
    polls = 0
    for line in open(trace):
        hms = line.split()[0]
        h, m, sec = hms.split(":")
        stamp = time.mktime(time.localtime(t0)[:3] + (int(h), int(m), 0, 0, 0, -1)) + float(sec)
        if t0 <= stamp < t1 and ("poll(" in line):
            polls += 1
    if os.environ.get("SITLOG_BENCH_DEBUG"):
        print(d.log())
    print("%-16s %8.1f wake-ups/min  %6.2f %% CPU  %6d KiB RSS" %
          (name, polls * 60 / dt, 100 * (c1 - c0) / dt, rss), flush=True)


def idle(bed, s):
    bed.spin(s)


def switch():
    return EvdevDevice("USB Chair Switch", (3, 0x1209, 0x5E47, 0x100), {EV_KEY: [BTN_0]})


def imu():
    return EvdevDevice("Thigh Motion Sensor", (5, 0x054C, 0x0CE6, 0x8100), {EV_ABS: [0, 1, 2]},
                       {c: [0, -32768, 32767, 0, 0, 8192] for c in (0, 1, 2)},
                       props=1 << INPUT_PROP_ACCELEROMETER)


def imu_stream(bed, s):
    """2 frames every 10 ms: 200 Hz in 100 bursts a second. A umockdev node is a PTY, not an
    evdev buffer: more than ~170 events unread and reads tear events apart (TESTING-NOTES), so
    a sampled 1 kHz flood cannot be replayed through it; wake-ups scale with bursts, not frames,
    and the sampled reader's with its timer alone."""
    end = time.monotonic() + s
    k = 0
    while time.monotonic() < end:
        evs = []
        for _ in range(2):
            k += 1
            evs += frame((EV_ABS, ABS_X, (k * 37) % 41 - 20), (EV_ABS, ABS_Y, 8192),
                         (EV_ABS, ABS_Z, 100 + k % 7))
        bed.write(3, evs, settle=0)
        bed.spin(0.01)


seat_props = {"SITLOG_ROLE": "seat", "ID_INPUT": "1"}
imu_props = {"SITLOG_ROLE": "imu", "SITLOG_IMU_AXIS": "Y", "ID_INPUT": "1"}


def sitting_switch():
    sw = switch()
    sw.keys.add(BTN_0)
    return sw


SCENARIOS = {
    "seat at rest": lambda: run("seat at rest", [(1, switch(), seat_props)], "", idle),
    "seat, sitting": lambda: run("seat, sitting", [(1, sitting_switch(), seat_props)], "", idle),
    "IMU sampled": lambda: run("IMU sampled", [(3, imu(), imu_props)], "", imu_stream),
    "IMU every burst": lambda: run("IMU every burst", [(3, imu(), imu_props)],
                                   "[IMU]\nsample_interval=0\n", imu_stream),
}

if scenario:
    SCENARIOS[scenario]()
else:
    # one testbed per process: each scenario in its own
    print("sitlogd for %.0f s per scenario (after 12 s to settle):" % seconds, flush=True)
    for name in SCENARIOS:
        subprocess.run(["umockdev-wrapper", sys.executable, os.path.abspath(__file__), sitlogd,
                        str(seconds), name], check=False)
