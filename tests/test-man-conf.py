#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""sitlog.conf(5) documents every key the parser accepts, and only those, with the parser's
default and range.

The parser's keys, defaults and ranges come from the binary (`sitlog config --json` and the
[Locks] section `sitlog config` prints), not from the C source; the documented ones from the
man page: a `.TP` whose next line is `.B key=` or `.BI key= ...` under `.SS [Section]` of
OPTIONS (and of LOCKS for [Locks]), its paragraph holding "Default: X." and "Range: A to B.".
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def roff_text(line):
    """A line of roff as plain text: fonts and escapes out, macro names and quotes gone."""
    line = re.sub(r"\\f[BIRP]", "", line)
    line = line.replace("\\-", "-").replace("\\(en", "-").replace("\\ ", " ")
    line = line.replace("\\&", "")
    if line.startswith("."):
        parts = line.split(None, 1)
        line = parts[1] if len(parts) > 1 else ""
        line = line.replace('"', "")
    return line


def documented(page):
    """{(section, key): paragraph text} for OPTIONS' subsections and LOCKS."""
    entries = {}
    chapter = section = None
    current = None
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(".SH"):
            chapter = roff_text(line).strip()
            section = "Locks" if chapter == "LOCKS" else None
            current = None
        elif line.startswith(".SS") and chapter == "OPTIONS":
            name = roff_text(line).strip()
            m = re.fullmatch(r"\[(\w+)(?: LABEL)?\]", name)
            section = m.group(1) if m else name
            current = None
        elif line.startswith(".PP") or line.startswith(".SS"):
            current = None
        elif line == ".TP" and section and i + 1 < len(lines):
            m = re.match(r"\.BI? (\w+)=", lines[i + 1])
            if m:
                current = (section, m.group(1))
                if current in entries:
                    check(False, "%s.%s documented once" % current)
                entries[current] = ""
                i += 2
                continue
            current = None
        elif current:
            entries[current] += " " + roff_text(line)
        i += 1
    return {k: re.sub(r"\s+", " ", v).strip() for k, v in entries.items()}


def run(sitlog, config, *args):
    return subprocess.run([sitlog, "--config", config, "config", *args], capture_output=True,
                          text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sitlog", required=True)
    ap.add_argument("--man", required=True)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sitlog-man-conf-")
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


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def body(a, tmp):
    if shutil.which("groff"):
        r = subprocess.run(["groff", "-man", "-ww", "-z", a.man], capture_output=True, text=True)
        check(r.returncode == 0 and not r.stderr, "sitlog.conf.5 renders cleanly", r.stderr)
    else:
        results.append((True, "sitlog.conf.5 renders cleanly # SKIP no groff", ""))

    # the parser's keys and defaults: an empty file over the defaults, plus one [Device]
    # section with every key it takes
    defaults_conf = write(tmp, "empty.conf", "")
    device_conf = write(tmp, "device.conf",
                        "[Device x]\nrole=seat\nname=a\nid=0c45:7404\nphys=b\n")
    r = run(a.sitlog, defaults_conf, "--json")
    check(r.returncode == 0 and r.stderr == "", "sitlog config --json runs", r.stderr)
    values = json.loads(r.stdout)["values"]
    r = run(a.sitlog, device_conf, "--json")
    device_keys = {("Device", v["key"]) for v in json.loads(r.stdout)["values"]
                   if v["section"] == "Device x"}
    parser = {(v["section"], v["key"]): v for v in values}
    accepted = set(parser) | device_keys

    # [Locks]: the keys sitlog config prints back for a file that uses the syntax
    sections = sorted({s for s, _ in parser} | {"Device"})
    locks_conf = write(tmp, "locks.conf", "[Locks]\nkeys=Reminders.pause\nsections=%s\n"
                       % " ".join(sections))
    r = run(a.sitlog, locks_conf)
    check(r.returncode == 0, "every section of the parser can be locked (%s)"
          % " ".join(sections), r.stderr)
    m = re.search(r"^\[Locks\]\n(.*)", r.stdout, re.M | re.S)
    lock_keys = {("Locks", k) for k in re.findall(r"^(\w+)=", m.group(1) if m else "", re.M)}
    check(lock_keys == {("Locks", "keys"), ("Locks", "sections")},
          "sitlog config prints [Locks] keys= and sections=", repr(lock_keys))
    accepted |= lock_keys

    docs = documented(a.man)
    missing = sorted(accepted - set(docs))
    check(not missing, "sitlog.conf.5 documents every key the parser accepts (%d)" % len(accepted),
          "not documented: " + " ".join("%s.%s" % k for k in missing))
    extra = sorted(set(docs) - accepted)
    check(not extra, "every key sitlog.conf.5 documents is accepted (%d)" % len(docs),
          "not accepted: " + " ".join("%s.%s" % k for k in extra))
    # and the binary agrees, key by key, for the documented ones
    refused = []
    for section, key in sorted(docs):
        if section in ("Device", "Locks"):
            continue
        v = parser.get((section, key))
        if not v:
            continue
        conf = write(tmp, "one.conf", "[%s]\n%s=%s\n" % (section, key, v["value"]))
        if run(a.sitlog, conf).returncode != 0:
            refused.append("%s.%s=%s" % (section, key, v["value"]))
    check(not refused, "each documented key, set to its printed default, loads",
          " ".join(refused))

    wrong_default = []
    for k, v in sorted(parser.items()):
        text = docs.get(k)
        if text is None:
            continue
        m = re.search(r"Default: (\S+?)[.,;]?(?: |$)", text)
        if not m or m.group(1) != v["value"]:
            wrong_default.append("%s.%s: documented %s, parser %s"
                                 % (k[0], k[1], m.group(1) if m else "nothing", v["value"]))
    check(not wrong_default, "sitlog.conf.5 gives the parser's default of every key",
          "\n".join(wrong_default))

    wrong_range = []
    for k, v in sorted(parser.items()):
        text = docs.get(k)
        if text is None or "min" not in v:
            continue
        m = re.search(r"Range: ([^.]*(?:\.\d[^.]*)*)\.", text)
        got = m.group(1) if m else ""
        ok = ("%s to %s" % (v["min"], v["max"])) in got
        if v["zero_ok"]:
            ok = ok and re.match(r"0\b", got) is not None
        if not ok:
            wrong_range.append("%s.%s: documented \"%s\", parser %s..%s%s"
                               % (k[0], k[1], got, v["min"], v["max"],
                                  " or 0" if v["zero_ok"] else ""))
    check(not wrong_range, "sitlog.conf.5 gives the parser's range of every duration and number",
          "\n".join(wrong_range))


if __name__ == "__main__":
    sys.exit(main())
