#!/usr/bin/env python3
# meta-deep: create, stat and unlink HLINK_META_FILES (quick 4000, full 10000)
# empty files in a directory 8 levels deep, one phase at a time: metadata
# operations, where the number of host calls per guest operation decides the
# speed. Each phase is timed twice: up to its last call (cached: the work
# may still sit in the guest) and up to a syncfs after it (durable: every
# stack has made the work reach the host's storage). The headline is durable.
# profiles: quick full
# headline: meta_ops_durable
# guarantee: durable
import ctypes
import os
import subprocess
import time

FILES = int(os.environ["HLINK_META_FILES"])
DEPTH = 8
out = os.environ["HLINK_RESULTS"]
libc = ctypes.CDLL(None, use_errno=True)


def mark(what):
    """The measured phase's bounds, for the host (scripts/measure-mark.sh)."""
    if os.environ.get("HLINK_MEASURE_MARK"):
        subprocess.run([os.environ["HLINK_MEASURE_MARK"], what], check=True)


def syncfs(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if libc.syncfs(fd) != 0:
            raise OSError(ctypes.get_errno(), "syncfs")
    finally:
        os.close(fd)


d = os.path.join(*[f"level{i}" for i in range(DEPTH)])
os.makedirs(d)
syncfs(".")
names = [os.path.join(d, f"file{i}") for i in range(FILES)]
phases = {
    "create": lambda n: os.close(os.open(n, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)),
    "stat": os.stat,
    "unlink": os.unlink,
}
rates = {}
mark("start")
for phase, op in phases.items():
    t = time.perf_counter()
    for n in names:
        op(n)
    rates[f"{phase}_ops_cached"] = FILES / (time.perf_counter() - t)
    syncfs(".")
    rates[f"{phase}_ops_durable"] = FILES / (time.perf_counter() - t)

mark("end")

# All three phases as one rate: operations over their total time.
for form in ("cached", "durable"):
    rates[f"meta_ops_{form}"] = 3 / sum(1 / rates[f"{p}_ops_{form}"] for p in phases)

with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("metric,value,unit\n")
    for k, v in rates.items():
        f.write(f"{k},{v:.1f},ops/s\n")
    f.write(f"ops,{3 * FILES},count\n")
print(" ".join(f"{k}={v:.0f}/s" for k, v in rates.items()))
