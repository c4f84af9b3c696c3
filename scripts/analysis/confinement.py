#!/usr/bin/env python3
"""The confinement table: what each escape attempt got from each host module.

Tests print a row per attempt as "confine|ATTEMPT|OUTCOME|DETAIL" (the
conformance suite, tests/guest/confine.sh, tests/guest/kmod-host.sh). The
recorded rows are in tests/confinement/NAME.txt; each test checks that its
attempts still get the recorded outcomes (DETAIL, such as how many tries a
race made, may vary), and the README's table is generated from the records.

usage: confinement.py check NAME LOG   compare LOG's rows with NAME's record;
                                       with HLINK_CONFINEMENT_UPDATE=1, record
                                       them instead
       confinement.py table            the Markdown table of all records
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "tests", "confinement")
# Record name: the column's heading, in the table's order.
COLUMNS = {
    "user": "user-space module (conformance suite)",
    "kmod": "hlink.ko (conformance suite, UML host)",
    "guest": "from a guest on hlinkfs (user-space module)",
}


def rows(lines):
    """[(attempt, outcome, detail)] of the 'confine|' lines, first of each attempt."""
    out, seen = [], set()
    for line in lines:
        if not line.startswith("confine|"):
            continue
        parts = line.rstrip("\n").split("|")
        if len(parts) < 4 or parts[1] in seen:
            continue
        seen.add(parts[1])
        out.append((parts[1], parts[2], "|".join(parts[3:])))
    return out


def record(name):
    path = os.path.join(DIR, name + ".txt")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return rows(f)


def cmd_check(name, log):
    if name not in COLUMNS:
        raise SystemExit(f"confinement: unknown record {name} (known: {' '.join(COLUMNS)})")
    with open(log, errors="replace") as f:
        got = rows(f)
    if not got:
        print(f"confinement: no 'confine|' rows in {log}")
        return 1
    if os.environ.get("HLINK_CONFINEMENT_UPDATE") == "1":
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, name + ".txt"), "w") as f:
            for a, o, d in got:
                f.write(f"confine|{a}|{o}|{d}\n")
        print(f"confinement: recorded {len(got)} rows as {name}")
        return 0
    want = [(a, o) for a, o, _ in record(name)]
    have = [(a, o) for a, o, _ in got]
    if want == have:
        print(f"confinement: {len(have)} attempts got the recorded outcomes ({name})")
        return 0
    for a, o in want:
        if (a, o) not in have:
            print(f"confinement: recorded, not seen now: {a} -> {o}")
    for a, o in have:
        if (a, o) not in want:
            print(f"confinement: seen now, not recorded: {a} -> {o}")
    print(f"confinement: the {name} record differs (HLINK_CONFINEMENT_UPDATE=1 records "
          "a deliberate change; the README table is made from it)")
    return 1


def cmd_table():
    recs = {n: {a: (o, d) for a, o, d in record(n)} for n in COLUMNS}
    order = []
    for n in COLUMNS:
        for a, _, _ in record(n):
            if a not in order:
                order.append(a)
    print("| attempt | " + " | ".join(COLUMNS.values()) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for a in order:
        cells = []
        for n in COLUMNS:
            if a in recs[n]:
                o, d = recs[n][a]
                cells.append(f"{o} ({d})" if d else o)
            else:
                cells.append("-")
        print(f"| {a} | " + " | ".join(cells) + " |")
    return 0


def main(argv):
    if len(argv) == 3 and argv[0] == "check":
        return cmd_check(argv[1], argv[2])
    if argv == ["table"]:
        return cmd_table()
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
