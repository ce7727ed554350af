#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The shipped udev rules are well-formed (udev's own syntax: KEY[{attr}] OP "value", comma
separated), sort before 73-seat-late.rules, give only the roles sitlogd knows, grant uaccess to
every role device and to nothing else, and every GOTO has its LABEL. TAP output."""
import os
import re
import sys

path = sys.argv[1]
lines = open(path).read().splitlines()
results = []
token = re.compile(r'\s*([A-Z_]+)(\{[^}]+\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)')
keys = {"ACTION", "SUBSYSTEM", "KERNEL", "ATTRS", "ATTR", "ENV", "TAG", "GOTO", "LABEL",
        "SUBSYSTEMS", "KERNELS", "DRIVERS"}
bad, gotos, labels, roles, uaccess = [], set(), set(), set(), []
for n, line in enumerate(lines, 1):
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    pos, parts = 0, []
    while pos < len(line):
        m = token.match(line, pos)
        if not m:
            bad.append("%d: cannot parse at column %d: %s" % (n, pos + 1, line[pos:pos + 30]))
            break
        parts.append(m.groups()[:4])
        pos = m.end()
    for (key, attr, op, value) in parts:
        if key not in keys:
            bad.append("%d: unknown key %s" % (n, key))
        if key == "GOTO":
            gotos.add(value)
        if key == "LABEL":
            labels.add(value)
        if key == "ENV" and attr == "{SITLOG_ROLE}" and op == "=":
            roles.add(value)
        if key == "TAG" and value == "uaccess":
            uaccess.append(parts)

results.append((not bad, "rules parse", "\n".join(bad)))
results.append((gotos <= labels, "every GOTO has a LABEL", repr(gotos - labels)))
results.append((os.path.basename(path) < "73-seat-late.rules", "sorted before 73-seat-late", path))
results.append((roles <= {"seat", "imu"} and roles, "only the roles sitlogd knows", repr(roles)))
guarded = all(any(k == "ENV" and a == "{SITLOG_ROLE}" and o == "==" for (k, a, o, v) in p)
              for p in uaccess)
results.append((uaccess and guarded, "uaccess only for devices with a sitlog role",
                repr(uaccess)))
print("1..%d" % len(results))
for i, (good, name, detail) in enumerate(results, 1):
    print("%sok %d %s" % ("" if good else "not ", i, name))
    if not good:
        print("# " + detail.replace("\n", "\n# "))
sys.exit(0 if all(r[0] for r in results) else 1)
