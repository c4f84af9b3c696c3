#!/usr/bin/env python3
"""Numbers in the README and paper/ that come from committed runs.

Every figure those documents print sits in a generated region that names
the command producing it from a committed run's raw files:

  <!-- generated: results.py markdown results/RUN --baseline hostfs -->
  ...the command's output...
  <!-- end generated -->

or, inside a sentence,

  <!-- g: results.py ratio results/RUN hlink-user hostfs meta-deep -->1.20 [0.98, 3.47]<!-- /g -->

usage: doc_numbers.py update FILE...   rewrite the regions from their commands
       doc_numbers.py check FILE...    exit 1 if any region differs
Only scripts/analysis/results.py, scripts/analysis/confinement.py, scripts/analysis/coherence.py and
scripts/analysis/paper.py commands are run.
"""
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A region's command is on its opening line (prose may quote the markers).
BLOCK = re.compile(r"(<!-- generated: ([^\n`]*?) -->\n)(.*?)(<!-- end generated -->)", re.S)
INLINE = re.compile(r"(<!-- g: ([^\n`]*?) -->)(.*?)(<!-- /g -->)")


# The commands a region may name: results over committed runs, the
# confinement table over the recorded test outcomes (tests/confinement/),
# the coherence table over the recorded measurement (tests/coherence/), and
# the paper's figure table over the runs it names (paper/runs.txt).
COMMANDS = ("results.py", "confinement.py", "coherence.py", "paper.py")


def produce(cmd):
    args = shlex.split(cmd)
    if not args or args[0] not in COMMANDS:
        raise SystemExit(f"doc-numbers: only {', '.join(COMMANDS)} may fill a region: {cmd}")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "analysis", args[0])] + args[1:],
                       cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"doc-numbers: '{cmd}' failed: {p.stderr.strip()}")
    return p.stdout


def regenerate(text):
    text = BLOCK.sub(lambda m: m.group(1) + produce(m.group(2)).strip("\n") + "\n" + m.group(4), text)
    return INLINE.sub(lambda m: m.group(1) + produce(m.group(2)).strip() + m.group(4), text)


def main(argv):
    if len(argv) < 2 or argv[0] not in ("update", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in argv[1:]:
        with open(path) as f:
            have = f.read()
        want = regenerate(have)
        regions = len(BLOCK.findall(have)) + len(INLINE.findall(have))
        if argv[0] == "update":
            if want != have:
                with open(path, "w") as f:
                    f.write(want)
            print(f"{path}: {regions} generated regions")
        elif want != have:
            bad += 1
            print(f"{path}: generated regions differ from what their commands print now "
                  f"(scripts/analysis/doc_numbers.py update {path})")
        else:
            print(f"{path}: {regions} generated regions match their commands")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
