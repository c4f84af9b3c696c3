#!/usr/bin/env python3
# meta-deep: create, stat and unlink 10,000 empty files in a directory 8
# levels deep, one phase at a time: measures metadata operations, where the
# number of host calls per guest operation decides the speed.
# profiles: quick full
# headline: create_ops
import os
import sys
import time

FILES = int(os.environ.get("HLINK_META_FILES", "10000"))
DEPTH = 8
out = os.environ["HLINK_RESULTS"]
d = os.path.join(*[f"level{i}" for i in range(DEPTH)])
os.makedirs(d)
names = [os.path.join(d, f"file{i}") for i in range(FILES)]
rates = {}

t = time.perf_counter()
for n in names:
    os.close(os.open(n, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
rates["create_ops"] = FILES / (time.perf_counter() - t)

t = time.perf_counter()
for n in names:
    os.stat(n)
rates["stat_ops"] = FILES / (time.perf_counter() - t)

t = time.perf_counter()
for n in names:
    os.unlink(n)
rates["unlink_ops"] = FILES / (time.perf_counter() - t)

with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("metric,value,unit\n")
    for k, v in rates.items():
        f.write(f"{k},{v:.1f},ops/s\n")
    f.write(f"ops,{3 * FILES},count\n")
print(" ".join(f"{k}={v:.0f}/s" for k, v in rates.items()))
