#!/usr/bin/env python3
"""Inside a guest: write numbered 4 KiB blocks to durable.dat on the file
system under test, fsync each, and only then acknowledge its number in
$HLINK_RESULTS/acked (itself fsynced). The host kills the VMM at some point;
every acknowledged block must then be on the host with its contents. A
second process syncs another file all the while, so that these syncs go
to the host's worker threads (hlinkfs hands a sync off when another is in
flight) and the kill can find some there."""
import os

d = os.environ["HLINK_MNT"]
acked = os.open(os.path.join(os.environ["HLINK_RESULTS"], "acked"),
                os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
fd = os.open(os.path.join(d, "durable.dat"), os.O_WRONLY | os.O_CREAT, 0o644)
if os.fork() == 0:
    other = os.open(os.path.join(d, "busy.dat"), os.O_WRONLY | os.O_CREAT, 0o644)
    for i in range(1_000_000):
        os.pwrite(other, b"b" * 4096, (i % 256) * 4096)
        os.fsync(other)
    os._exit(0)
# Other files come and go meanwhile, so the guest has more in flight.
for i in range(1_000_000):
    block = (b"%08d" % i) * 512
    os.pwrite(fd, block, i * 4096)
    os.fsync(fd)
    os.write(acked, b"%d\n" % i)
    os.fsync(acked)
    with open(os.path.join(d, "scratch-%d" % (i % 8)), "wb") as f:
        f.write(block)
