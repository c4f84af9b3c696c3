#!/usr/bin/env python3
"""The coherence table: how soon a guest on hlinkfs sees a change made on the host.

tests/guest/coherence.py measures, for each kind of change and each way the
guest looks for it, on a mount with the default attr_timeout and on one
with 'strict', how soon the guest sees the change; it prints

    coherence-mount|MOUNT|OPTIONS
    coherence|CHANGE|POLL|MOUNT|TRIAL,TRIAL,...

(a trial is MS@N: milliseconds from the change to the poll that saw it and
that poll's number, polls 10 ms apart; 'never' if not seen in 5 s; or the
name of an error a poll met). Each row has a claim per mount, the one the
README makes ("hlinkfs coherence"); 'check' fails unless every trial of
every row keeps its claim:

    at once   seen by the first poll
    one tick  seen by an open one clock tick (10 ms) after the guest last
              asked the host, with a margin as large (the guest's clock
              tick may come late on a loaded machine): by the third poll
    timeout   seen within attr_timeout, with a margin as large: at most
              2 x attr_timeout after the change

The last measurement is kept in tests/coherence/hlink-user.txt, and the
README's table is generated from it ('table').

usage: coherence.py check LOG   check LOG's measurements against the claims;
                                with HLINK_COHERENCE_UPDATE=1 and the claims
                                kept, record them for the table
       coherence.py table       the Markdown table of the record
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORD = os.path.join(ROOT, "tests", "coherence", "hlink-user.txt")
MOUNTS = ("default", "strict")
# (change, how the guest looks): the claim on the default mount. On the
# strict mount every row's claim is 'at once'.
CLAIMS = {
    ("content (same size)", "read on a descriptor opened before"): "timeout",
    ("content (same size)", "open and read"): "one tick",
    ("size (appended)", "stat"): "timeout",
    ("size (appended)", "open and fstat"): "one tick",
    ("mode (chmod)", "stat"): "timeout",
    ("mode (chmod)", "open and fstat"): "one tick",
    ("rename", "stat of the old and the new name"): "timeout",
    ("delete", "stat"): "timeout",
    ("delete", "open"): "one tick",
    ("new entry", "readdir of its directory"): "at once",
    ("new entry", "stat of its name (looked up before it existed)"): "timeout",
    ("new entry", "open of its name (looked up before it existed)"): "timeout",
}


def parse(lines):
    """({mount: options}, {(change, poll): {mount: [trial]}}) of the lines."""
    mounts, rows = {}, {}
    for line in lines:
        parts = line.rstrip("\n").split("|")
        if parts[0] == "coherence-mount" and len(parts) == 3:
            mounts[parts[1]] = parts[2]
        elif parts[0] == "coherence" and len(parts) == 5:
            rows.setdefault((parts[1], parts[2]), {})[parts[3]] = parts[4].split(",")
    return mounts, rows


def trial(t):
    """(ms, poll) of a trial, or None if it did not see the change."""
    if "@" not in t:
        return None
    ms, n = t.split("@")
    return float(ms), int(n)


def attr_timeout(mounts):
    opts = dict(o.split("=", 1) for o in mounts.get("default", "").split(",") if "=" in o)
    return int(opts["attr_timeout"]) if "attr_timeout" in opts else None


def keeps(claim, t, timeout):
    """Why trial t breaks the claim, or None if it keeps it."""
    got = trial(t)
    if got is None:
        return "not seen in 5 s" if t == "never" else f"a poll met {t}"
    ms, n = got
    if claim == "at once" and n != 1:
        return f"seen by poll {n} ({ms:.0f} ms), not the first"
    if claim == "one tick" and n > 3:
        return f"seen by poll {n} ({ms:.0f} ms), not by the third"
    if claim == "timeout" and ms > 2 * timeout:
        return f"seen after {ms:.0f} ms, more than 2 x attr_timeout ({2 * timeout} ms)"
    return None


def problems(mounts, rows):
    out = []
    timeout = attr_timeout(mounts)
    if timeout is None:
        out.append("no attr_timeout for the default mount")
        timeout = 0
    if mounts.get("strict") != "strict":
        out.append(f"the strict mount is not strict: {mounts.get('strict')}")
    for key in CLAIMS:
        if key not in rows:
            out.append(f"{' / '.join(key)}: not measured")
    for key, by_mount in rows.items():
        if key not in CLAIMS:
            out.append(f"{' / '.join(key)}: measured, but the README makes no claim for it")
            continue
        for m in MOUNTS:
            claim = CLAIMS[key] if m == "default" else "at once"
            if m not in by_mount:
                out.append(f"{' / '.join(key)} ({m}): not measured")
                continue
            for t in by_mount[m]:
                why = keeps(claim, t, timeout)
                if why:
                    out.append(f"{' / '.join(key)} ({m}, claim: {claim}): {why}")
    return out


def cmd_check(log):
    with open(log, errors="replace") as f:
        lines = [line for line in f if line.startswith("coherence")]
    mounts, rows = parse(lines)
    if not rows:
        print(f"coherence: no 'coherence|' rows in {log}")
        return 1
    bad = problems(mounts, rows)
    for p in bad:
        print(f"coherence: claim broken: {p}")
    if bad:
        return 1
    print(f"coherence: {len(rows)} changes, each seen as the README claims on both mounts")
    if os.environ.get("HLINK_COHERENCE_UPDATE") == "1":
        os.makedirs(os.path.dirname(RECORD), exist_ok=True)
        with open(RECORD, "w") as f:
            f.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
        print(f"coherence: recorded in {os.path.relpath(RECORD, ROOT)}")
    return 0


def cell(trials):
    """The worst of a row's trials on one mount, as the table shows it."""
    got = [trial(t) for t in trials]
    if any(g is None for g in got):
        return "not seen: " + ", ".join(t for t in trials if trial(t) is None)
    worst = max(ms for ms, _ in got)
    polls = max(n for _, n in got)
    if polls == 1:
        return "first poll"
    if polls == 2:
        return f"second poll ({worst:.0f} ms)"
    return f"{worst:.0f} ms"


# How the table words each claim.
SAID = {"at once": "at once", "one tick": "at the next clock tick (10 ms)",
        "timeout": "within attr_timeout"}


def cmd_table():
    with open(RECORD) as f:
        mounts, rows = parse(f)
    timeout = attr_timeout(mounts)
    n = max(len(v) for r in rows.values() for v in r.values())
    print(f"| change on the host | the guest looks with | claimed (default) | seen (default, "
          f"attr_timeout={timeout}; worst of {n}) | seen (strict, claimed at once; worst of {n}) |")
    print("|---|---|---|---|---|")
    for key in CLAIMS:
        if key in rows:
            print(f"| {key[0]} | {key[1]} | {SAID[CLAIMS[key]]} | {cell(rows[key]['default'])} | "
                  f"{cell(rows[key]['strict'])} |")
    return 0


def main(argv):
    if len(argv) == 2 and argv[0] == "check":
        return cmd_check(argv[1])
    if argv == ["table"]:
        return cmd_table()
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
