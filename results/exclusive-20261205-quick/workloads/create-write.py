#!/usr/bin/env python3
# create-write: make HLINK_META_FILES (quick 4000, full 10000) small files, as an
# unpacked archive or a build's output does: each is created, given 4 KiB and
# closed, then one syncfs makes them all durable. Timed up to the last close
# (cached) and up to the syncfs (durable); the headline is durable.
# profiles: full
# headline: create_write_ops_durable
# guarantee: durable
import os
import subprocess
import time

FILES = int(os.environ["HLINK_META_FILES"])
out = os.environ["HLINK_RESULTS"]
mark = os.environ.get("HLINK_MEASURE_MARK")
data = os.urandom(4096)


def syncfs():
    """coreutils' sync -f is syncfs(2) on the file system of its argument."""
    subprocess.run(["sync", "-f", "."], check=True)


os.makedirs("cw")
syncfs()
if mark:
    subprocess.run([mark, "start"], check=True)
t = time.perf_counter()
for i in range(FILES):
    fd = os.open(f"cw/f{i}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.write(fd, data)
    os.close(fd)
cached = FILES / (time.perf_counter() - t)
syncfs()
durable = FILES / (time.perf_counter() - t)
if mark:
    subprocess.run([mark, "end"], check=True)

with open(os.path.join(out, "metrics.csv"), "w") as f:
    f.write("metric,value,unit\n")
    f.write(f"create_write_ops_cached,{cached:.1f},ops/s\n")
    f.write(f"create_write_ops_durable,{durable:.1f},ops/s\n")
    f.write(f"ops,{FILES},count\n")
print(f"create_write_ops_cached={cached:.0f}/s create_write_ops_durable={durable:.0f}/s")
