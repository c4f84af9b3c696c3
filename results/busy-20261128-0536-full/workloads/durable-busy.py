#!/usr/bin/env python3
# durable-busy: one job of 4 KiB random writes, each followed by fdatasync,
# while a second guest process only computes. Where a stack's sync stops
# the whole guest, the computing process stops with it; where the sync
# waits elsewhere, it runs on. spin_per_s is that process's loops per
# second, write_iops the syncing job's rate (a hand-off costs it time).
# profiles: full
# headline: spin_per_s
# guarantee: durable
import json
import os
import subprocess
import time

out = os.environ["HLINK_RESULTS"]
runtime, ramp = int(os.environ["HLINK_RUNTIME"]), int(os.environ["HLINK_RAMP"])
fio = ["fio", "--name=durable-busy", "--filename=durable-busy.dat", "--size=16m",
       "--ioengine=psync", "--rw=randwrite", "--bs=4k", "--fdatasync=1"]
subprocess.run(fio + ["--create_only=1"], check=True, capture_output=True)
r, w = os.pipe()
spinner = os.fork()
if spinner == 0:
    os.close(r)
    n, t0 = 0, time.monotonic()
    end = t0 + ramp + runtime
    # Reading the clock is a system call in UML: once per 10,000 loops.
    while time.monotonic() < end:
        for _ in range(10000):
            n += 1
    os.write(w, f"{n / (time.monotonic() - t0):.1f}".encode())
    os._exit(0)
os.close(w)
path = os.path.join(out, "fio.json")
subprocess.run(fio + ["--time_based", f"--runtime={runtime}", f"--ramp_time={ramp}",
                      "--output-format=json", f"--output={path}"], check=True)
spin = os.read(r, 64).decode()
os.waitpid(spinner, 0)
text = open(path).read()
job = json.loads(text[text.index("{"):])["jobs"][0]["write"]
rows = ["metric,value,unit", f"write_iops,{job['iops']:.1f},IOPS", f"spin_per_s,{spin},loops/s",
        f"ops,{job['total_ios']},count"]
with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("\n".join(rows) + "\n")
print("\n".join(rows))
