# SPDX-License-Identifier: MIT
"""The TAP bookkeeping shared by the Python tests: collect results, print them at the end."""

results = []


def ok(cond, name, detail=""):
    results.append((bool(cond), name, detail))


def finish(max_detail_lines=60):
    """Print the plan and the results; returns the exit status."""
    print("1..%d" % len(results))
    for i, (good, name, detail) in enumerate(results, 1):
        print("%sok %d %s" % ("" if good else "not ", i, name))
        if not good and detail:
            for line in str(detail).splitlines()[:max_detail_lines]:
                print("# " + line)
    return 0 if all(g for (g, _, _) in results) else 1
