#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The Debian package, built from a copy of the tree as an admin would build it.

dpkg-buildpackage -b -us -uc (DEB_BUILD_OPTIONS=nocheck: the suite has run already), then:
the .deb's `dpkg-deb -c` against tests/package-files.txt (modes and paths); `dpkg -x` into a
throwaway root and the installed `sitlog --version` and `sitlogd --version` run from there; the
maintainer scripts reload udev's rules and enable no unit on install; lintian reports no error
and no warning but those debian/README.source keeps (and says why).
Without dpkg-buildpackage, lintian or the Build-Depends: a visible TAP skip, a failure when
CI=true (scripts/deps.sh installs them).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

results = []
notes = []


def check(ok, name, detail=""):
    results.append(("ok" if ok else "not ok", name, detail))


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def report():
    print("1..%d" % len(results))
    for n, (ok, name, detail) in enumerate(results, 1):
        print("%s %d %s" % (ok, n, name))
        for line in detail.splitlines() if ok != "ok" else []:
            print("# " + line)
    for line in notes:
        print("# " + line)
    return 0 if all(r[0] == "ok" for r in results) else 1


def cannot_run(why):
    if os.environ.get("CI") == "true":
        print("1..1")
        print("not ok 1 %s (CI=true: every tool must be there; scripts/deps.sh installs it)"
              % why)
        return 1
    print("1..0 # SKIP %s" % why)
    return 0


def copy_tree(source, dest):
    """The files git knows (tracked, and new ones not ignored), else the tree without build
    directories: what a clone holds."""
    r = run(["git", "-C", source, "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"]) if shutil.which("git") else None
    if r is not None and r.returncode == 0 and r.stdout:
        for rel in r.stdout.split("\0"):
            if not rel or not os.path.lexists(os.path.join(source, rel)):
                continue  # deleted in the work tree
            os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
            shutil.copy2(os.path.join(source, rel), os.path.join(dest, rel),
                         follow_symlinks=False)
        return
    shutil.copytree(source, dest, symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("build", "build-*", ".git", "obj-*"))


def kept_warnings(source):
    """The lintian tags debian/README.source keeps: `- tag-name: why` under its heading."""
    kept = set()
    with open(os.path.join(source, "debian", "README.source")) as f:
        text = f.read()
    m = re.search(r"^## Lintian warnings kept\n(.*?)(?:^## |\Z)", text, re.M | re.S)
    for line in (m.group(1) if m else "").splitlines():
        t = re.match(r"- `?([a-z0-9][a-z0-9+.-]*)`?:", line)
        if t:
            kept.add(t.group(1))
    return kept


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--version", required=True, help="meson's project version")
    a = ap.parse_args()

    for tool, package in (("dpkg-buildpackage", "dpkg-dev"), ("dpkg-checkbuilddeps", "dpkg-dev"),
                          ("dh", "debhelper"), ("lintian", "lintian"), ("dpkg-deb", "dpkg")):
        if not shutil.which(tool):
            return cannot_run("%s not found (Debian: apt-get install %s)" % (tool, package))
    if os.geteuid() != 0 and not shutil.which("fakeroot"):
        return cannot_run("fakeroot not found (Debian: apt-get install fakeroot)")
    r = run(["dpkg-checkbuilddeps"], cwd=a.source)
    if r.returncode != 0:
        return cannot_run("the Build-Depends are not installed: %s" % r.stderr.strip())

    tmp = tempfile.mkdtemp(prefix="sitlog-test-package-")
    try:
        body(a, tmp)
    except (OSError, ValueError) as e:
        check(False, "cannot go on: %s" % e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report()


def body(a, tmp):
    src = os.path.join(tmp, "sitlog")
    copy_tree(a.source, src)
    deb_name = "sitlog_%s_%s.deb" % (a.version, run(["dpkg", "--print-architecture"]).stdout.strip())
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=2", LC_ALL="C.UTF-8")
    # the suite's own build settings are not the package's
    for var in ("MAKEFLAGS", "MESON_TEST_ITERATION", "CFLAGS", "LDFLAGS", "CPPFLAGS"):
        env.pop(var, None)
    r = run(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=src, env=env)
    deb = os.path.join(tmp, deb_name)
    check(r.returncode == 0 and os.path.isfile(deb),
          "dpkg-buildpackage -b -us -uc builds %s" % deb_name,
          "rc %d\n%s" % (r.returncode, "\n".join((r.stdout + r.stderr).splitlines()[-40:])))
    if not os.path.isfile(deb):
        return

    # the file list, modes included
    r = run(["dpkg-deb", "-c", deb])
    got = [" ".join((f[0], f[5])) for f in (line.split() for line in r.stdout.splitlines())
           if len(f) >= 6]
    with open(os.path.join(a.source, "tests", "package-files.txt")) as f:
        want = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    # the plot module's directory is the host's multiarch one (x86_64-linux-gnu, ...)
    triplet = run(["dpkg-architecture", "-qDEB_HOST_MULTIARCH"]).stdout.strip()
    want = [w.replace("@MULTIARCH@", triplet) for w in want]
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    check(r.returncode == 0 and not missing and not extra,
          "dpkg-deb -c: the %d entries of tests/package-files.txt, no other" % len(want),
          "\n".join(["missing: " + m for m in missing] + ["unexpected: " + e for e in extra]))
    r = run(["dpkg-deb", "-f", deb, "Depends"])
    depends = r.stdout.strip()
    check(r.returncode == 0 and "libsqlite3-0" in depends and "libevdev2" in depends,
          "Depends: from ${shlibs:Depends} (%s)" % depends, r.stderr)

    # installed into a throwaway root, the programs run from there on the system's libraries
    root = os.path.join(tmp, "root")
    r = run(["dpkg", "-x", deb, root])
    check(r.returncode == 0, "dpkg -x into a throwaway root", r.stderr)
    for prog in ("sitlog", "sitlogd"):
        path = os.path.join(root, "usr", "bin", prog)
        r = run([path, "--version"], env=dict(os.environ, LC_ALL="C.UTF-8"))
        check(r.returncode == 0 and r.stdout.strip() == "%s %s" % (prog, a.version),
              "the installed %s --version: %s" % (prog, r.stdout.strip()),
              "rc %d: %s%s" % (r.returncode, r.stdout, r.stderr))
    conf = os.path.join(root, "usr", "share", "sitlog", "sitlog.conf")
    r = run([os.path.join(root, "usr", "bin", "sitlog"), "--config", conf, "config"],
            env=dict(os.environ, LC_ALL="C.UTF-8"))
    check(r.returncode == 0 and not r.stderr,
          "the installed sitlog reads the installed reference configuration", r.stderr)
    unit = os.path.join(root, "usr", "lib", "systemd", "user", "sitlogd.service")
    with open(unit) as f:
        exec_start = re.findall(r"^ExecStart=(.*)$", f.read(), re.M)
    check(exec_start == ["/usr/bin/sitlogd"], "the user unit runs /usr/bin/sitlogd",
          repr(exec_start))

    # maintainer scripts: udev reloaded on install, no unit enabled by it
    ctrl = os.path.join(tmp, "control")
    r = run(["dpkg-deb", "-e", deb, ctrl])
    with open(os.path.join(ctrl, "postinst")) as f:
        postinst = f.read()
    reload = re.search(r'^if \[ "\$1" = "configure" \].*udevadm.*\n\s+udevadm control '
                       r'--reload-rules', postinst, re.M)
    # --no-enable: each enable only for a unit an earlier version installed (an upgrade)
    enables = len(re.findall(r"deb-systemd-helper (?:--quiet )?--user enable", postinst))
    guarded = len(re.findall(r"if deb-systemd-helper --user debian-installed", postinst))
    check(reload is not None and enables == guarded,
          "postinst: udevadm control --reload-rules on configure; no unit enabled on install "
          "(%d enable, each for a unit installed before)" % enables, postinst)

    # and run: deb-systemd-helper and udevadm stubbed (they log their arguments), a first
    # install enables nothing; an upgrade keeps what the admin had enabled
    stubs = os.path.join(tmp, "stubs")
    os.makedirs(stubs)
    log = os.path.join(tmp, "calls.log")
    for stub in ("deb-systemd-helper", "udevadm"):
        with open(os.path.join(stubs, stub), "w") as f:
            # as deb-systemd-helper answers: debian-installed is false on a first install,
            # was-enabled is true for a unit it has never seen
            f.write('#!/bin/sh\necho "%s $*" >> "%s"\n'
                    'case " $* " in *" debian-installed "*) exit "$STUB_INSTALLED";;\n'
                    '*" was-enabled "*) exit "$STUB_WAS_ENABLED";; esac\nexit 0\n'
                    % (stub, log))
        os.chmod(os.path.join(stubs, stub), 0o755)

    def postinst_calls(installed, was_enabled):
        if os.path.exists(log):
            os.unlink(log)
        r = run(["sh", "-e", os.path.join(ctrl, "postinst"), "configure"],
                env=dict(os.environ, PATH=stubs + ":" + os.environ.get("PATH", ""),
                         STUB_INSTALLED="0" if installed else "1",
                         STUB_WAS_ENABLED="0" if was_enabled else "1", DPKG_ROOT=""))
        with open(log) if os.path.exists(log) else open(os.devnull) as f:
            calls = f.read().splitlines()
        return r, [c for c in calls if c.startswith("deb-systemd-helper") and " enable " in c]

    for installed, was_enabled, want, what in (
            (False, True, 0, "a first install enables no unit"),
            (True, True, 2, "an upgrade keeps the units an admin enabled"),
            (True, False, 0, "an upgrade enables no unit that was not")):
        r, enabled = postinst_calls(installed, was_enabled)
        check(r.returncode == 0 and len(enabled) == want,
              "postinst configure, deb-systemd-helper stubbed: %s (%d enable)"
              % (what, len(enabled)), "rc %d %s\n%s" % (r.returncode, enabled, r.stderr))
    for script in ("postinst", "postrm"):
        r = run(["sh", "-n", os.path.join(ctrl, script)])
        if r.returncode != 0:
            check(False, "%s: sh -n" % script, r.stderr)

    # lintian, on the .changes (the .deb and the build's metadata)
    changes = [f for f in os.listdir(tmp) if f.endswith(".changes")]
    r = run(["lintian", "--tag-display-limit", "0", os.path.join(tmp, changes[0])])
    tags = [line for line in r.stdout.splitlines() if re.match(r"^[EWX]: ", line)]
    errors = [t for t in tags if t.startswith("E: ")]
    kept = kept_warnings(a.source)
    warnings = [t for t in tags if t.startswith("W: ")]
    unkept = [w for w in warnings if w.split()[2] not in kept]
    for w in warnings:
        notes.append("lintian: " + w)
    check(r.returncode == 0 and not errors, "lintian: no errors (%d warnings)" % len(warnings),
          "rc %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    check(not unkept, "lintian: every warning is one debian/README.source keeps (%s)"
          % (" ".join(sorted(kept)) or "none kept"), "\n".join(unkept))


if __name__ == "__main__":
    sys.exit(main())
