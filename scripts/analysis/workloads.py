#!/usr/bin/env python3
"""The workload header grammar, parsed in this one place.

A workload is one file in workloads/ (.fio, .sh or .py); its base name is its
identity. Its opening comment lines are its header:

  # NAME: what it measures and why (first line; NAME is the file's base name)
  # profiles: quick full        the profiles that run it (scripts/run/profiles.sh)
  # headline: METRIC            the metric tables and plots lead with
  # guarantee: durable|cached|read-only
                                what a stack must have done when an
                                operation counts: durable (on the host's
                                storage: fsync or syncfs inside the timed
                                region), cached (writes may stay in the
                                guest), or read-only (nothing is written in
                                the timed region)
  # needs: NAME...              optional: scripts/run/needs/NAME.{guest,host}.sh
  # sweep: NAME POINT...        optional: a parameter the workload sweeps

A fio job named warm* prepares the timed job (reads the file into cache,
say) and is not counted; a file with one marks its timed job's measured
phase itself with exec_prerun=${HLINK_MARK_START} and
exec_postrun=${HLINK_MARK_END}.

usage: workloads.py get FILE KEY       print the value of '# KEY:'
       workloads.py list PROFILE       the workloads of a profile, one a line
       workloads.py check              check every header (exit 1 if bad)
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.environ.get("HLINK_WORKLOADS_DIR", os.path.join(ROOT, "workloads"))
REQUIRED = ("profiles", "headline", "guarantee")
GUARANTEES = ("durable", "cached", "read-only")


def header_lines(path):
    """The header's comment lines, without the '#'."""
    out = []
    with open(path, errors="replace") as f:
        for i, line in enumerate(f):
            if i == 0 and line.startswith("#!"):
                continue
            if not line.startswith("#"):
                break
            out.append(line[1:].strip())
    return out


def header(path):
    """{key: value} of the header's '# key: value' lines (first one wins),
    plus 'title' for the first line."""
    out = {}
    with open(path, errors="replace") as f:
        lines = f.read().splitlines()
    if lines and lines[0].startswith("#!"):
        lines = lines[1:]
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        m = re.match(r"^# ([a-z][a-z0-9_-]*):\s*(.*)$", line)
        if m:
            key = "title" if i == 0 else m.group(1)
            if i == 0:
                out["name"] = m.group(1)
            out.setdefault(key, m.group(2).strip())
    return out


def files():
    return sorted(p for ext in ("fio", "sh", "py")
                  for p in glob.glob(os.path.join(WORKLOADS, f"*.{ext}")))


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def in_profile(path, profile):
    return profile in header(path).get("profiles", "").split()


def run_header(run, workload, key):
    """A header value of the workload file as kept in a run (RUN/workloads/)."""
    for p in sorted(glob.glob(os.path.join(run, "workloads", workload + ".*"))):
        v = header(p).get(key)
        if v is not None:
            return v
    return None


def run_file_text(run, workload):
    """The text of the workload file as kept in a run, or None."""
    for p in sorted(glob.glob(os.path.join(run, "workloads", workload + ".*"))):
        with open(p) as f:
            return f.read()
    return None


def profiles():
    """Names of the profiles scripts/run/profiles.sh defines."""
    with open(os.path.join(ROOT, "scripts", "run", "profiles.sh")) as f:
        return re.findall(r"^profile_([a-z]+)\(\)", f.read(), re.M)


def profile_env(profile):
    """The sizes a profile gives workloads: {HLINK_...: value}."""
    out = subprocess.run(["bash", "-c", f'. "$0"; profile_{profile}; workload_env',
                          os.path.join(ROOT, "scripts", "run", "profiles.sh")],
                         capture_output=True, text=True, check=True).stdout.split()
    return dict(kv.split("=", 1) for kv in out)


def check():
    """Problems with the headers, one string each."""
    bad = []
    known = profiles()
    for p in files():
        h, n = header(p), name_of(p)
        if h.get("name") != n:
            bad.append(f"{n}: the first line must start with '# {n}:'")
        for k in REQUIRED:
            if not h.get(k):
                bad.append(f"{n}: no '# {k}:' line")
        for pr in h.get("profiles", "").split():
            if pr not in known:
                bad.append(f"{n}: unknown profile '{pr}' (known: {' '.join(known)})")
        if h.get("guarantee") and h["guarantee"] not in GUARANTEES:
            bad.append(f"{n}: guarantee must be one of {', '.join(GUARANTEES)}")
        with open(p) as f:
            # The code, not the comments that describe it.
            body = "\n".join(line for line in f if not line.lstrip().startswith("#"))
        if h.get("guarantee") == "durable" and not re.search(
                r"fsync|fdatasync|syncfs|O_DSYNC|sync=|end_fsync|\bsync\b", body):
            bad.append(f"{n}: says durable, but nothing in it syncs")
        for need in h.get("needs", "").split():
            if not glob.glob(os.path.join(ROOT, "scripts", "run", "needs", need + ".*.sh")):
                bad.append(f"{n}: needs '{need}', but scripts/run/needs/ has no {need}.*.sh")
        # Sizes in the header come from the profile: a literal count there
        # must be the environment variable's value in every profile it names.
        # "HLINK_X (quick 4000)", "HLINK_X/5 (full 2000)", "2 x HLINK_X (full 20000)"
        text = " ".join(header_lines(p))
        for mul, var, div, m in re.findall(
                r"(?:([0-9]+) x )?(HLINK_[A-Z_]+)(?:/([0-9]+))? \(([^)]*)\)", text):
            for part in m.split(","):
                pm = re.match(r"\s*(\w+) ([0-9]+)", part)
                if pm and pm.group(1) in known:
                    have = int(profile_env(pm.group(1)).get(var, "0"))
                    have = have * int(mul or 1) // int(div or 1)
                    if str(have) != pm.group(2):
                        bad.append(f"{n}: header says {var}={pm.group(2)} in {pm.group(1)}, "
                                   f"the profile sets {have}")
    return bad


def main(argv):
    if len(argv) == 3 and argv[0] == "get":
        v = header(argv[1]).get(argv[2])
        if v is None:
            return 1
        print(v)
        return 0
    if len(argv) == 2 and argv[0] == "list":
        for p in files():
            if in_profile(p, argv[1]):
                print(name_of(p))
        return 0
    if argv == ["check"]:
        bad = check()
        for b in bad:
            print(f"bad header: {b}")
        print(f"{len(files())} workload headers checked, {len(bad)} problems")
        return 1 if bad else 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
