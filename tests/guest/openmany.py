#!/usr/bin/env python3
"""Hold N files open at once on $HLINK_MNT, write and read each through its
descriptor, and report how many succeeded. Exit 0 only if all N did.
usage: openmany.py N"""
import os
import sys

n = int(sys.argv[1])
os.makedirs("many", exist_ok=True)
fds = []
try:
    for i in range(n):
        fds.append(os.open(f"many/f{i}", os.O_CREAT | os.O_RDWR, 0o644))
    for i, fd in enumerate(fds):
        os.pwrite(fd, f"file {i}".encode(), 0)
        os.fsync(fd)
    for i, fd in enumerate(fds):
        assert os.pread(fd, 64, 0) == f"file {i}".encode(), f"file {i} reads back wrong"
except OSError as e:
    print(f"openmany: {len(fds)} of {n} files open, then: {e}")
    sys.exit(1)
print(f"openmany: all {n} files open at once, each written and read back")
