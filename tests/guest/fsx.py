#!/usr/bin/env python3
"""Randomised data-integrity exerciser, in the spirit of fsx.

Applies random writes, truncates, shared-mmap writes and reads with random
offsets and sizes to one file, and checks every read against an in-memory
model. Every so often it fsyncs, drops the guest's page cache and checks the
whole file, so the data really goes to the host and back.

usage: fsx.py [-n OPS] [-s SEED] [-l MAXLEN] [FILE]
Prints its seed first; on a mismatch prints the operation log tail and exits 1.
"""
import argparse
import mmap
import os
import random
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--ops", type=int, default=50000)
    ap.add_argument("-s", "--seed", type=int, default=None)
    ap.add_argument("-l", "--maxlen", type=int, default=256 * 1024, help="largest file size")
    ap.add_argument("file", nargs="?", default="fsx.dat")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"fsx: seed {seed}, {a.ops} operations, max length {a.maxlen}", flush=True)
    rnd = random.Random(seed)
    model = bytearray()
    log = []
    fd = os.open(a.file, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    counts = {}

    def fail(msg):
        print(f"fsx: FAILED at op {len(log)}: {msg}")
        for line in log[-15:]:
            print(f"  {line}")
        print(f"fsx: reproduce with -s {seed} -n {a.ops}")
        sys.exit(1)

    def check_range(off, n, what):
        os.lseek(fd, off, 0)
        got = b""
        while len(got) < n:
            chunk = os.read(fd, n - len(got))
            if not chunk:
                break
            got += chunk
        want = bytes(model[off:off + n])
        if got != want:
            bad = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]),
                       min(len(got), len(want)))
            fail(f"{what}: {len(got)} bytes read, {len(want)} expected, first difference at {off + bad}")

    for i in range(a.ops):
        op = rnd.choices(["write", "read", "truncate", "mapwrite", "verify"],
                         weights=[40, 40, 8, 10, 2])[0]
        counts[op] = counts.get(op, 0) + 1
        size = len(model)
        if op == "write":
            off = rnd.randrange(0, a.maxlen)
            n = rnd.randrange(1, min(65536, a.maxlen - off) + 1)
            data = rnd.randbytes(n)
            log.append(f"write off={off} len={n}")
            os.pwrite(fd, data, off)
            if off > size:
                model.extend(b"\0" * (off - size))
            model[off:off + n] = data
        elif op == "read":
            if size == 0:
                continue
            off = rnd.randrange(0, size)
            n = rnd.randrange(1, min(65536, size - off + 4096) + 1)
            log.append(f"read off={off} len={n}")
            check_range(off, n, "read")
        elif op == "truncate":
            n = rnd.randrange(0, a.maxlen)
            log.append(f"truncate len={n}")
            os.ftruncate(fd, n)
            if n < size:
                del model[n:]
            else:
                model.extend(b"\0" * (n - size))
        elif op == "mapwrite":
            if size == 0:
                continue
            off = rnd.randrange(0, size)
            n = rnd.randrange(1, min(16384, size - off) + 1)
            data = rnd.randbytes(n)
            log.append(f"mapwrite off={off} len={n}")
            base = off - off % mmap.ALLOCATIONGRANULARITY
            m = mmap.mmap(fd, off + n - base, mmap.MAP_SHARED, offset=base)
            m[off - base:off - base + n] = data
            if rnd.random() < 0.5:
                m.flush()
            m.close()
            model[off:off + n] = data
        else:
            log.append(f"verify len={size} (fsync, drop caches)")
            os.fsync(fd)
            try:
                with open("/proc/sys/vm/drop_caches", "w") as f:
                    f.write("3\n")
            except OSError:
                pass
            if os.fstat(fd).st_size != size:
                fail(f"size {os.fstat(fd).st_size}, expected {size}")
            check_range(0, size, "verify")
        if (i + 1) % 10000 == 0:
            print(f"fsx: {i + 1} operations, file {len(model)} bytes", flush=True)

    os.fsync(fd)
    check_range(0, len(model), "final verify")
    os.close(fd)
    os.unlink(a.file)
    print(f"fsx: {a.ops} operations clean (seed {seed}): " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
