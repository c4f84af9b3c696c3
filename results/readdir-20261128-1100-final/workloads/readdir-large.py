#!/usr/bin/env python3
# readdir-large: list a directory of 2 x HLINK_META_FILES entries (full
# 20000), with and without the guest's caches dropped first: the cost of
# readdir batches and of the lookups an "ls -l" style walk (stat of every
# entry) then needs.
# profiles: full
# headline: readdir_entries_cold
# guarantee: read-only
import os
import time

N = 2 * int(os.environ.get("HLINK_META_FILES", "10000"))
out = os.environ["HLINK_RESULTS"]
os.mkdir("big")
for i in range(N):
    os.close(os.open(f"big/entry-{i:06d}", os.O_CREAT | os.O_WRONLY, 0o644))


def drop():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


rows = {}
drop()
t = time.perf_counter()
names = os.listdir("big")
rows["readdir_entries_cold"] = len(names) / (time.perf_counter() - t)
t = time.perf_counter()
names = os.listdir("big")
rows["readdir_entries_warm"] = len(names) / (time.perf_counter() - t)
drop()
t = time.perf_counter()
for n in os.listdir("big"):
    os.lstat(f"big/{n}")
rows["ls_l_entries_cold"] = len(names) / (time.perf_counter() - t)
assert len(names) == N, f"listed {len(names)} of {N}"
with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("metric,value,unit\n")
    for k, v in rows.items():
        f.write(f"{k},{v:.1f},entries/s\n")
    f.write(f"ops,{3 * N},count\n")
