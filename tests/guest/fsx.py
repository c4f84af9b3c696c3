#!/usr/bin/env python3
"""Randomised data-integrity exerciser, in the spirit of fsx.

Applies random writes, truncates, shared-mmap writes, fallocate (plain,
keep-size, punch-hole, zero-range), copy_file_range (from a second file and
within the file), O_DIRECT reads and writes (through a second descriptor,
from buffers at any address, in one or two pieces), fstat and reads with
random offsets and sizes to one file,
and checks every read and size against an in-memory model. Every so often it
fsyncs, drops the guest's page cache and checks the whole file, so the data
really goes to the host and back.

usage: fsx.py [-n OPS] [-s SEED] [-l MAXLEN] [-a ALIGN] [FILE]
O_DIRECT offsets, lengths and buffers are multiples of ALIGN (default 1:
hlinkfs takes any; a block file system wants 512 or 4096).
Prints its seed first; on a mismatch or an unexpected error prints the
operation log tail and exits 1. A fallocate mode the file system refuses with
EOPNOTSUPP is counted as such and not tried again.
"""
import argparse
import ctypes
import errno
import mmap
import os
import random
import sys

FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE = 0x01, 0x02, 0x10
FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE = 0x08, 0x20
FALLOC_MODES = {
    "falloc": 0,
    "falloc_keep": FALLOC_FL_KEEP_SIZE,
    "punch_hole": FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
    "zero_range": FALLOC_FL_ZERO_RANGE,
    "zero_range_keep": FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
    "collapse_range": FALLOC_FL_COLLAPSE_RANGE,
    "insert_range": FALLOC_FL_INSERT_RANGE,
}
SHIFT = FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE
BLOCK = 4096	# ranges that shift must be whole blocks of the host's file system
_libc = ctypes.CDLL(None, use_errno=True)
_libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]


def fallocate(fd, mode, off, n):
    if _libc.fallocate(fd, mode, off, n) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", "--ops", type=int, default=50000)
    ap.add_argument("-s", "--seed", type=int, default=None)
    ap.add_argument("-l", "--maxlen", type=int, default=256 * 1024, help="largest file size")
    ap.add_argument("-a", "--direct-align", type=int, default=1, help="O_DIRECT alignment")
    ap.add_argument("file", nargs="?", default="fsx.dat")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"fsx: seed {seed}, {a.ops} operations, max length {a.maxlen}", flush=True)
    rnd = random.Random(seed)
    model = bytearray()
    log = []
    fd = os.open(a.file, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    # copy_file_range's source: fixed content, on the same file system.
    src_data = rnd.randbytes(a.maxlen)
    src = os.open(a.file + ".src", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    os.pwrite(src, src_data, 0)
    counts = {}
    unsupported = set()
    try:
        dfd = os.open(a.file, os.O_RDWR | os.O_DIRECT)
    except OSError as e:
        if e.errno != errno.EINVAL:
            raise
        dfd = None
        counts["direct (unsupported)"] = 1
    # O_DIRECT buffers: anonymous memory, used at any offset.
    dbuf = memoryview(mmap.mmap(-1, 2 * 65536 + 8192))

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

    def extend_to(n):
        if n > len(model):
            model.extend(b"\0" * (n - len(model)))

    def op_write():
        off = rnd.randrange(0, a.maxlen)
        n = rnd.randrange(1, min(65536, a.maxlen - off) + 1)
        data = rnd.randbytes(n)
        log.append(f"write off={off} len={n}")
        os.pwrite(fd, data, off)
        extend_to(off)
        model[off:off + n] = data

    def op_read():
        if not model:
            return
        off = rnd.randrange(0, len(model))
        n = rnd.randrange(1, min(65536, len(model) - off + 4096) + 1)
        log.append(f"read off={off} len={n}")
        check_range(off, n, "read")

    def op_truncate():
        n = rnd.randrange(0, a.maxlen)
        log.append(f"truncate len={n}")
        os.ftruncate(fd, n)
        del model[n:]
        extend_to(n)

    def op_mapwrite():
        if not model:
            return
        off = rnd.randrange(0, len(model))
        n = rnd.randrange(1, min(16384, len(model) - off) + 1)
        data = rnd.randbytes(n)
        log.append(f"mapwrite off={off} len={n}")
        base = off - off % mmap.ALLOCATIONGRANULARITY
        m = mmap.mmap(fd, off + n - base, mmap.MAP_SHARED, offset=base)
        m[off - base:off - base + n] = data
        if rnd.random() < 0.5:
            m.flush()
        m.close()
        model[off:off + n] = data

    def op_fallocate():
        name = rnd.choice(sorted(set(FALLOC_MODES) - unsupported) or ["none"])
        if name == "none":
            return
        mode = FALLOC_MODES[name]
        if mode & SHIFT:
            # Whole blocks inside the file (collapse: ending before its end),
            # and no file longer than maxlen.
            blocks = len(model) // BLOCK - (1 if mode & FALLOC_FL_COLLAPSE_RANGE else 0)
            room = (a.maxlen - len(model)) // BLOCK if mode & FALLOC_FL_INSERT_RANGE else 16
            if blocks < 1 or room < 1:
                return
            off = rnd.randrange(0, blocks) * BLOCK
            most = (len(model) - off) // BLOCK - 1 if mode & FALLOC_FL_COLLAPSE_RANGE else room
            if most < 1:
                return
            n = rnd.randrange(1, min(16, most) + 1) * BLOCK
        else:
            off = rnd.randrange(0, a.maxlen)
            n = rnd.randrange(1, min(65536, a.maxlen - off) + 1)
        log.append(f"{name} off={off} len={n}")
        try:
            fallocate(fd, mode, off, n)
        except OSError as e:
            if e.errno != errno.EOPNOTSUPP:
                fail(f"{name}: {e}")
            unsupported.add(name)
            counts[name + " (unsupported)"] = 1
            return
        counts[name] = counts.get(name, 0) + 1
        if mode & FALLOC_FL_COLLAPSE_RANGE:
            del model[off:off + n]
            return
        if mode & FALLOC_FL_INSERT_RANGE:
            model[off:off] = b"\0" * n
            return
        if mode & FALLOC_FL_PUNCH_HOLE or mode & FALLOC_FL_ZERO_RANGE:
            end = min(off + n, len(model))
            if end > off:
                model[off:end] = b"\0" * (end - off)
        if not mode & FALLOC_FL_KEEP_SIZE:
            extend_to(off + n)

    def op_copy_range():
        n = rnd.randrange(1, 65536)
        dst = rnd.randrange(0, a.maxlen - n)
        if model and rnd.random() < 0.5:
            # Within the file: source and destination must not overlap.
            soff = rnd.randrange(0, len(model))
            n = min(n, len(model) - soff)
            if soff < dst + n and dst < soff + n:
                return
            data, sfd, what = bytes(model[soff:soff + n]), fd, "self"
        else:
            soff = rnd.randrange(0, a.maxlen - n)
            data, sfd, what = src_data[soff:soff + n], src, "src"
        log.append(f"copy_range from {what} off={soff} to off={dst} len={n}")
        done = 0
        while done < n:
            k = os.copy_file_range(sfd, fd, n - done, soff + done, dst + done)
            if k == 0:
                fail(f"copy_file_range stopped after {done} of {n} bytes")
            done += k
        extend_to(dst)
        model[dst:dst + n] = data

    def aligned(x):
        return x - x % a.direct_align

    def direct_range(limit):
        off = aligned(rnd.randrange(0, limit))
        n = max(aligned(rnd.randrange(1, min(65536, a.maxlen - off) + 1)), a.direct_align)
        return off, n

    def direct_pieces(n):
        at = aligned(rnd.randrange(0, 8192))
        cut = aligned(rnd.randrange(1, n)) if n > 1 and rnd.random() < 0.5 else n
        cut = cut or n
        return at, [dbuf[at:at + cut]] + ([dbuf[at + cut:at + n]] if cut < n else [])

    def op_dwrite():
        if dfd is None:
            return
        off, n = direct_range(a.maxlen)
        data = rnd.randbytes(n)
        at, pieces = direct_pieces(n)
        dbuf[at:at + n] = data
        log.append(f"dwrite off={off} len={n} buf+{at} pieces={len(pieces)}")
        k = os.pwritev(dfd, pieces, off)
        if k != n:
            fail(f"dwrite: {k} of {n} bytes written")
        extend_to(off)
        model[off:off + n] = data

    def op_dread():
        if dfd is None or not model:
            return
        off, n = direct_range(len(model))
        at, pieces = direct_pieces(n)
        log.append(f"dread off={off} len={n} buf+{at} pieces={len(pieces)}")
        k = os.preadv(dfd, pieces, off)
        want = bytes(model[off:off + n])
        if bytes(dbuf[at:at + k]) != want:
            fail(f"dread: {k} bytes read, {len(want)} expected, or different data")

    def op_stat():
        log.append("fstat")
        st = os.fstat(fd).st_size
        if st != len(model):
            fail(f"fstat size {st}, expected {len(model)}")

    def op_verify():
        log.append(f"verify len={len(model)} (fsync, drop caches)")
        os.fsync(fd)
        try:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
        except OSError:
            pass
        op_stat()
        check_range(0, len(model), "verify")

    ops = {"write": (op_write, 30), "read": (op_read, 30), "truncate": (op_truncate, 6),
           "mapwrite": (op_mapwrite, 8), "fallocate": (op_fallocate, 12),
           "copy_range": (op_copy_range, 6), "dwrite": (op_dwrite, 6), "dread": (op_dread, 6),
           "stat": (op_stat, 6), "verify": (op_verify, 2)}
    names = list(ops)
    weights = [ops[k][1] for k in names]
    for i in range(a.ops):
        op = rnd.choices(names, weights=weights)[0]
        counts[op] = counts.get(op, 0) + 1
        try:
            ops[op][0]()
        except OSError as e:
            fail(f"{op}: {e}")
        if (i + 1) % 10000 == 0:
            print(f"fsx: {i + 1} operations, file {len(model)} bytes", flush=True)

    os.fsync(fd)
    check_range(0, len(model), "final verify")
    os.close(fd)
    if dfd is not None:
        os.close(dfd)
    os.close(src)
    os.unlink(a.file)
    os.unlink(a.file + ".src")
    print(f"fsx: {a.ops} operations clean (seed {seed}): " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
