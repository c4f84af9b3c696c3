#!/usr/bin/env python3
# meta-depth: the directory-depth sweep. At depths 1, 2, 4, 8 and 16, create,
# stat and unlink HLINK_META_FILES/5 files (full 2000): shows what each path component costs a stack
# (a lookup or revalidation per component, per operation, where not cached).
# profiles: full
# headline: create_ops_depth8
# guarantee: cached
# sweep: depth 1 2 4 8 16
import os
import time

FILES = int(os.environ.get("HLINK_META_FILES", "10000")) // 5
out = os.environ["HLINK_RESULTS"]
rows = []
for depth in (1, 2, 4, 8, 16):
    d = os.path.join(f"depth{depth}", *[f"l{i}" for i in range(depth - 1)])
    os.makedirs(d)
    names = [os.path.join(d, f"f{i}") for i in range(FILES)]
    for phase, fn in (("create", lambda n: os.close(os.open(n, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))),
                      ("stat", os.stat), ("unlink", os.unlink)):
        t = time.perf_counter()
        for n in names:
            fn(n)
        rows.append((f"{phase}_ops_depth{depth}", FILES / (time.perf_counter() - t)))
with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("metric,value,unit\n")
    for k, v in rows:
        f.write(f"{k},{v:.1f},ops/s\n")
    f.write(f"ops,{FILES * 3 * 5},count\n")
