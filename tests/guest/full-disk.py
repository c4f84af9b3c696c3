#!/usr/bin/env python3
"""Full disk and failing disk, inside a guest on hlinkfs ($HLINK_MNT).

The export is a small host file system (guest-run --export-from). Each
operation is repeated until the host refuses it, and the guest must get
ENOSPC or EDQUOT from the call itself or from fsync or close, never a
silent short file: a file written, fsynced and closed without an error
must have every byte on the host, read through a second, hostfs view of
the same host directory. After the space is freed the same guest must go
on writing and reading correctly.

With --eio the host has prepared the export on a loop device cut short
behind the file system's back (tests/cases/045-full-disk-hlink-user.sh):
'cold' has blocks beyond the device's end, and so has all the free space.
The guest must get EIO from read, fsync and O_DSYNC writes, and afterwards,
with its caches dropped, read what the host has.

Each check prints "ok - what" or "not ok - what: why"; each operation also
prints "full|OPERATION|OUTCOME". The last line is "N passed, N failed".

usage: full-disk.py --host-view DIR [--eio]
"""
import errno
import hashlib
import os
import subprocess
import sys

MNT = os.environ.get("HLINK_MNT", os.getcwd())
FULL = (errno.ENOSPC, errno.EDQUOT)
CHUNK = 256 << 10
passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok - {what}", flush=True)


def bad(what):
    global failed
    failed += 1
    print(f"not ok - {what}", flush=True)


def check(cond, what, why=""):
    if cond:
        ok(what)
    else:
        bad(f"{what}: {why}" if why else what)
    return cond


def outcome(op, text):
    print(f"full|{op}|{text}", flush=True)


def ename(e):
    return errno.errorcode.get(e, str(e))


def pattern(tag, off, n):
    """n bytes at offset off of a stream that names its tag and 4 KiB block."""
    out = bytearray()
    first = off // 4096
    for b in range(first, (off + n + 4095) // 4096):
        unit = b"%s %08d " % (tag.encode(), b)
        block = (unit * (4096 // len(unit) + 1))[:4096]
        out += block
    start = off - first * 4096
    return bytes(out[start:start + n])


def drop_caches():
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def read_all(path):
    with open(path, "rb") as f:
        return f.read()


def try_call(fn, *args):
    """(result, None) or (None, errno)."""
    try:
        return fn(*args), None
    except OSError as e:
        return None, e.errno


class Writer:
    """Write a pattern stream to one file; record where errors came from."""

    def __init__(self, name, flags=0):
        self.name, self.acked, self.errors = name, 0, []
        self.fd = os.open(name, os.O_CREAT | os.O_RDWR | os.O_TRUNC | flags, 0o644)

    def write(self, n):
        data = pattern(self.name, self.acked, n)
        done, err = try_call(os.write, self.fd, data)
        if err:
            self.errors.append(("write", err))
            return False
        self.acked += done
        if done < n:
            self.errors.append(("write", "short"))
            return False
        return True

    def fsync(self):
        _, err = try_call(os.fsync, self.fd)
        if err:
            self.errors.append(("fsync", err))
        return not err

    def close(self):
        _, err = try_call(os.close, self.fd)
        if err:
            self.errors.append(("close", err))
        return not err

    def describe(self):
        if not self.errors:
            return "no error"
        return ", ".join(f"{c}: {ename(e) if isinstance(e, int) else e}" for c, e in self.errors)


def errors_are(w, codes):
    return bool(w.errors) and all(isinstance(e, int) and e in codes for _, e in w.errors)


def same_views(name, hv, what):
    """After dropping the guest's caches, the guest reads what the host has
    (the same bytes, or the same error)."""
    drop_caches()
    guest = try_call(read_all, name)
    host = try_call(read_all, os.path.join(hv, name))

    def show(r):
        return f"{len(r[0])} bytes" if r[1] is None else ename(r[1])
    return check(guest == host, f"{what}: the guest reads what the host has ({show(host)})",
                 f"guest {show(guest)}, host {show(host)}")


def prefix_ok(data, name, n):
    return data[:n] == pattern(name, 0, n)


def export_dir():
    with open("/proc/mounts") as f:
        for line in f:
            p = line.split()
            if p[1] == MNT:
                return next(o[7:] for o in p[3].split(",") if o.startswith("export="))
    raise SystemExit(f"full-disk: nothing mounted on {MNT}")


def capacity():
    s = os.statvfs(".")
    return s.f_blocks * s.f_frsize, s.f_bavail * s.f_frsize


def fill_buffered(hv, sync):
    """Buffered writes beyond the disk's size, then fsync (if sync) and close.
    The writes go to the guest's page cache; the error comes when they are
    written back: from fsync, or from close without one."""
    op = f"buffered writes beyond the size, then {'fsync and ' if sync else ''}close"
    total, _ = capacity()
    w = Writer("big")
    while w.acked < total + (1 << 20) and w.write(CHUNK):
        pass
    if sync:
        w.fsync()
    w.close()
    outcome(op, w.describe())
    check(errors_are(w, FULL), f"{op}: ENOSPC or EDQUOT", w.describe())
    first = "fsync" if sync else "close"
    check(w.errors and w.errors[0][0] == first, f"{op}: the error comes from {first}", w.describe())
    same_views("big", hv, op)
    data = read_all(os.path.join(hv, "big"))
    check(prefix_ok(data, "big", len(data)), f"{op}: what the host has is what was written")
    os.unlink("big")


def no_stale_cache(hv):
    """Right after a failed fsync, with the file still open and nothing
    dropped, the guest shows the host's size and no byte past the host's
    end. On a second mount whose attributes would be trusted for ten
    minutes, so that the attribute timeout cannot be what refreshes them."""
    op = "buffered writes beyond the size, fsync, then fstat and pread on the same descriptor"
    mnt = "/tmp/hlink-long"
    os.makedirs(mnt, exist_ok=True)
    subprocess.run(["mount", "-t", "hlinkfs", "-o", f"export={export_dir()},host=user,attr_timeout=600000",
                    "none", mnt], check=True)
    try:
        total, _ = capacity()
        w = Writer(os.path.join(mnt, "stale"))
        while w.acked < total + (1 << 20) and w.write(CHUNK):
            pass
        w.fsync()
        host = os.stat(os.path.join(hv, "stale")).st_size
        size, tail = os.fstat(w.fd).st_size, os.pread(w.fd, 4096, host)
        w.close()
        outcome(op, f"{w.describe()}; guest size {size}, host size {host}, {len(tail)} bytes past it")
        check(errors_are(w, FULL), f"{op}: ENOSPC or EDQUOT", w.describe())
        check(size == host and tail == b"", f"{op}: the guest shows what the host has",
              f"guest size {size} and {len(tail)} bytes past the host's {host}")
        os.unlink(w.name)
    finally:
        subprocess.run(["umount", mnt], check=True)


def fill_small_files(hv):
    """Small files, each written, fsynced and closed, until one fails."""
    op = "64 KiB files, each written, fsynced, closed"
    good = []
    for i in range(100000):
        name = f"small{i:05d}"
        w = Writer(name)
        w.write(64 << 10)
        w.fsync()
        w.close()
        if w.errors:
            break
        good.append(name)
    outcome(op, f"{w.describe()} at file {len(good) + 1}")
    check(errors_are(w, FULL), f"{op}: ENOSPC or EDQUOT", w.describe())
    check(w.errors and w.errors[0][0] == "fsync", f"{op}: the error comes from fsync", w.describe())
    drop_caches()
    short = [n for n in good if read_all(os.path.join(hv, n)) != pattern(n, 0, 64 << 10)]
    check(good and not short, f"{op}: all {len(good)} files closed without an error are whole on the host",
          f"short or wrong: {short[:5]}")
    same_views(w.name, hv, f"{op}, the failed file")
    return good + [w.name]


def full_disk_ops(hv):
    """Creates, mkdirs, user.* xattrs and fallocate on a full disk."""
    def until_error(op, fn, limit):
        for i in range(limit):
            _, err = try_call(fn, i)
            if err:
                outcome(op, f"{ename(err)} after {i}")
                check(err in FULL, f"{op} on a full disk: ENOSPC or EDQUOT", ename(err))
                return i
        outcome(op, f"no error in {limit}")
        bad(f"{op} on a full disk: no error in {limit} tries")
        return limit

    n = until_error("create empty files", lambda i: os.close(
        os.open(f"many/c{i:05d}", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)), 20000)
    failed_name = f"many/c{n:05d}"
    check(os.path.exists(failed_name) == os.path.exists(os.path.join(hv, failed_name)),
          "the create that failed: the guest and the host agree whether it exists")
    n = until_error("mkdir", lambda i: os.mkdir(f"many/d{i:05d}"), 20000)
    check(os.path.exists(f"many/d{n:05d}") == os.path.exists(os.path.join(hv, f"many/d{n:05d}")),
          "the mkdir that failed: the guest and the host agree whether it exists")
    target = "small00000" if os.path.exists("small00000") else "many"
    until_error("setxattr user.* (1 KiB values)",
                lambda i: os.setxattr(target, f"user.fill{i:05d}", b"x" * 1024), 20000)
    fd = os.open("falloc", os.O_RDWR)
    until_error("fallocate 1 MiB", lambda i: os.posix_fallocate(fd, i << 20, 1 << 20), 1000)
    os.close(fd)
    for name in os.listdir("many"):
        p = os.path.join("many", name)
        os.rmdir(p) if os.path.isdir(p) else os.unlink(p)
    os.rmdir("many")
    os.unlink("falloc")


def fill_durable(hv, op, name, flags, fsync_each):
    """Writes that must be durable when they return: O_DSYNC, or fsync each."""
    w = Writer(name, flags)
    total, _ = capacity()
    while w.acked < total + (1 << 20):
        if not w.write(CHUNK) or (fsync_each and not w.fsync()):
            break
    acked = w.acked - (CHUNK if fsync_each and w.errors and w.errors[0][0] == "fsync" else 0)
    w.close()
    outcome(op, f"{w.describe()} after {acked >> 10} KiB acknowledged")
    check(errors_are(w, FULL), f"{op}: ENOSPC or EDQUOT", w.describe())
    if fsync_each:
        check(w.errors and w.errors[0][0] == "fsync", f"{op}: the error comes from fsync",
              w.describe())
    else:
        check(w.errors and w.errors[0][0] == "write", f"{op}: the error comes from the write itself",
              w.describe())
    drop_caches()
    data = read_all(os.path.join(hv, name))
    check(len(data) >= acked and prefix_ok(data, name, len(data)),
          f"{op}: every acknowledged byte is on the host ({acked} bytes)", f"host has {len(data)}")
    same_views(name, hv, op)
    os.unlink(name)


def direct(hv):
    op = "O_DIRECT"
    fd, err = try_call(os.open, "direct", os.O_CREAT | os.O_WRONLY | os.O_DIRECT, 0o644)
    if err:
        outcome(op, f"not supported ({ename(err)} from open)")
        check(err == errno.EINVAL, f"{op}: refused at open with EINVAL", ename(err))
        if os.path.exists("direct"):
            os.unlink("direct")
        return
    os.close(fd)
    os.unlink("direct")
    fill_durable(hv, "O_DIRECT writes", "direct", os.O_DIRECT | os.O_DSYNC, False)


def recovers(hv):
    """After space is freed, the same guest writes and reads back normally."""
    total, free = capacity()
    check(free > total // 2, "space is back once the files are deleted", f"{free} of {total} free")
    n = min(2 << 20, free // 2)
    w = Writer("after")
    w.write(n)
    w.fsync()
    w.close()
    check(not w.errors, "after freeing: write, fsync, close without an error", w.describe())
    drop_caches()
    check(read_all("after") == pattern("after", 0, n), "after freeing: the guest reads back what it wrote")
    check(read_all(os.path.join(hv, "after")) == pattern("after", 0, n),
          "after freeing: the host has what the guest wrote")
    print(f"full-sha256|after|{hashlib.sha256(read_all('after')).hexdigest()}")
    os.mkdir("after-dir")
    os.setxattr("after", "user.k", b"v")
    fd = os.open("after-falloc", os.O_CREAT | os.O_RDWR, 0o644)
    os.posix_fallocate(fd, 0, 1 << 20)
    os.close(fd)
    ok("after freeing: mkdir, setxattr and fallocate work")
    outcome("after the space is freed: write, fsync, read back", "correct")


def enospc(hv):
    total, free = capacity()
    print(f"# export: {total >> 10} KiB, {free >> 10} KiB free")
    fill_buffered(hv, True)
    fill_buffered(hv, False)
    no_stale_cache(hv)
    # Made while there is room: filled with entries and blocks later.
    os.mkdir("many")
    os.close(os.open("falloc", os.O_CREAT | os.O_WRONLY, 0o644))
    files = fill_small_files(hv)
    full_disk_ops(hv)
    for n in files:
        os.unlink(n)
    fill_durable(hv, "O_DSYNC writes", "dsync", os.O_DSYNC, False)
    fill_durable(hv, "writes with fsync after each 256 KiB", "fsynced", 0, True)
    direct(hv)
    recovers(hv)


def eio(hv):
    op = "read of a file whose host blocks fail"
    for attempt in ("read", "read again"):
        data, err = try_call(read_all, "cold")
        outcome(f"{op} ({attempt})", ename(err) if err else f"{len(data)} bytes")
        check(err == errno.EIO, f"{op} ({attempt}): EIO", ename(err) if err else "no error")
    same_views("good", hv, "a file whose blocks are readable, beside it")

    op = "buffered write of 1 MiB, then fsync and close"
    w = Writer("lost")
    w.write(1 << 20)
    w.fsync()
    w.close()
    outcome(op, w.describe())
    check(errors_are(w, (errno.EIO,)) and w.errors[0][0] == "fsync", f"{op}: EIO from fsync",
          w.describe())
    same_views("lost", hv, op)

    # As on the host, every descriptor open on the file is told, once.
    op = "buffered write of 1 MiB, then fsync on two descriptors, then on the first again"
    w = Writer("lost2")
    fd2 = os.open("lost2", os.O_RDWR)
    w.write(1 << 20)
    got = [try_call(os.fsync, fd)[1] for fd in (w.fd, fd2, w.fd)]
    os.close(fd2)
    w.close()
    said = ", ".join(ename(e) if e else "ok" for e in got)
    outcome(op, said)
    check(got == [errno.EIO, errno.EIO, None], f"{op}: EIO, EIO, then no error", said)

    op = "O_DSYNC write of 256 KiB"
    w = Writer("lost-dsync", os.O_DSYNC)
    w.write(CHUNK)
    w.close()
    outcome(op, w.describe())
    check(errors_are(w, (errno.EIO,)) and w.errors[0][0] == "write", f"{op}: EIO from the write",
          w.describe())
    same_views("lost-dsync", hv, op)

    # The file system stays usable for what does not need new blocks.
    os.rename("good", "good2")
    check(read_all("good2") == read_all(os.path.join(hv, "good2")) and "lost" in os.listdir("."),
          "after the errors: rename, readdir and reads of readable files work")


def main():
    if "--host-view" not in sys.argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    hv = sys.argv[sys.argv.index("--host-view") + 1]
    os.chdir(MNT)
    (eio if "--eio" in sys.argv else enospc)(hv)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
