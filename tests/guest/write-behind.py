#!/usr/bin/env python3
"""Write-behind on an exclusive hlinkfs mount ($HLINK_MNT), inside a guest.

--faults: the export is a host tmpfs with few inodes (guest-run
    --export-from). Creates are answered at once, so those the host cannot
    make fail later: syncfs and fsync of a file concerned must report it,
    the guest's listing must then be what the host has (read through a
    second, hostfs view), a file whose create failed must be gone, and
    after freeing the guest must create and sync again.
--eio: the export is an ext4 image that the host shuts down (EIO on every
    call) once the guest has written $HLINK_RESULTS/ready; the guest waits
    for $HLINK_RESULTS/go, then creates and writes: syncfs and fsync must
    report EIO, and the files must not be there.
--crash N: create files c000000, c000001, ... in order, each with its
    number as contents, closing each, until killed; every 100 files it
    adds to $HLINK_RESULTS/made how many it made and how many calls were
    queued then. The host kills the VMM and checks that it holds an
    unbroken prefix.

Each check prints "ok - what" or "not ok - what: why"; the last line is
"N passed, N failed".

usage: write-behind.py --host-view DIR (--faults | --eio) | --crash
"""
import ctypes
import errno
import os
import sys
import time

MNT = os.environ.get("HLINK_MNT", os.getcwd())
RESULTS = os.environ.get("HLINK_RESULTS", "/tmp")
LIBC = ctypes.CDLL(None, use_errno=True)
passed = failed = 0


def check(ok, what, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {what}", flush=True)
    else:
        failed += 1
        print(f"not ok - {what}: {why}", flush=True)


def syncfs(path):
    """syncfs(2) of the file system of path: 0 or the errno."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return 0 if LIBC.syncfs(fd) == 0 else ctypes.get_errno()
    finally:
        os.close(fd)


def fsync_errno(fd):
    try:
        os.fsync(fd)
        return 0
    except OSError as e:
        return e.errno


def make(path, data, at_create=None):
    """Create path with data; the error of create, write or close, or 0.
    at_create: a list that gets the create's own errno (0 if it succeeded)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as e:
        if at_create is not None:
            at_create.append(e.errno)
        return e.errno
    if at_create is not None:
        at_create.append(0)
    try:
        os.write(fd, data)
    finally:
        try:
            os.close(fd)
        except OSError as e:
            return e.errno
    return 0


def host_listing(hv, sub):
    return sorted(os.listdir(os.path.join(hv, sub)))


def faults(hv):
    d = os.path.join(MNT, "wb")
    os.mkdir(d)
    check(syncfs(MNT) == 0, "syncfs with nothing failed returns 0")
    # More files than the host has inodes; keep one open to fsync later.
    keep = None
    outcomes = {}
    creates = []
    for i in range(399):
        p = os.path.join(d, "f%04d" % i)
        outcomes[i] = make(p, b"%d\n" % i, creates)
    check(not any(creates), "creates are answered at once, before the host has made them",
          f"{sum(1 for v in creates if v)} failed at once")
    other = [v for v in outcomes.values() if v not in (0, errno.ENOSPC, errno.EDQUOT)]
    check(not other, "a close after the host refused the file's create reports ENOSPC or nothing",
          f"{other[:5]}")
    keep = os.open(os.path.join(d, "f0399"), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(keep, b"399\n")
    err = syncfs(MNT)
    check(err in (errno.ENOSPC, errno.EDQUOT), "syncfs reports the creates the host refused",
          f"errno {errno.errorcode.get(err, err)}")
    check(syncfs(MNT) == 0, "syncfs reports a failure once")
    err = fsync_errno(keep)
    check(err != 0, "fsync of a file whose create failed reports an error", "fsync returned 0")
    os.close(keep)
    guest = sorted(os.listdir(d))
    host = host_listing(hv, "wb")
    check(guest == host, "after the failure the guest lists what the host has",
          f"guest {len(guest)} entries, host {len(host)}")
    check(0 < len(host) < 400, "the host made some and refused the rest", f"host has {len(host)}")
    missing = [n for n in ("f%04d" % i for i in range(400)) if n not in host]
    gone = True
    for n in missing[:20]:
        try:
            os.stat(os.path.join(d, n))
            gone = False
        except FileNotFoundError:
            pass
    check(gone, "a file whose create failed is gone in the guest too")
    bad = []
    for n in host:
        with open(os.path.join(hv, "wb", n), "rb") as f:
            if f.read() != b"%d\n" % int(n[1:]):
                bad.append(n)
    check(not bad, "every file the host made has its data", f"{bad[:5]}")
    for n in os.listdir(d):
        os.unlink(os.path.join(d, n))
    # The fsync error above is recorded for syncfs too, which has not seen it yet.
    err = syncfs(MNT)
    check(err in (0, errno.ESTALE, errno.ENOSPC, errno.EDQUOT),
          "syncfs after freeing reports at most what fsync did", f"errno {errno.errorcode.get(err, err)}")
    check(make(os.path.join(d, "after"), b"after\n") == 0 and syncfs(MNT) == 0,
          "after freeing, a create and syncfs succeed")
    with open(os.path.join(hv, "wb", "after"), "rb") as f:
        check(f.read() == b"after\n", "the file made after freeing is on the host")


def eio(hv):
    d = os.path.join(MNT, "wb")
    os.mkdir(d)
    check(make(os.path.join(d, "before"), b"before\n") == 0 and syncfs(MNT) == 0,
          "a file made before the fault is synced")
    open(os.path.join(RESULTS, "ready"), "w").close()
    for _ in range(600):
        if os.path.exists(os.path.join(RESULTS, "go")):
            break
        time.sleep(0.1)
    else:
        check(False, "the host shut the export down", "no go from the host")
        return
    outcomes = [make(os.path.join(d, "after%d" % i), b"x" * 5000) for i in range(20)]
    check(all(v == 0 for v in outcomes), "creates on the failed disk are answered at once")
    fd = os.open(os.path.join(d, "after0"), os.O_RDWR)
    err = syncfs(MNT)
    check(err == errno.EIO, "syncfs reports EIO", f"errno {errno.errorcode.get(err, err)}")
    err = fsync_errno(fd)
    check(err != 0, "fsync of a file whose create failed reports an error", "fsync returned 0")
    os.close(fd)
    names = os.listdir(d)
    check(not [n for n in names if n.startswith("after")],
          "files whose create failed are not listed", f"{sorted(names)[:5]}")


def queued():
    """Calls posted to the host's worker and not yet performed, from mountstats."""
    with open("/proc/self/mountstats") as f:
        for line in f:
            if "hlink write-behind:" in line:
                kv = dict(w.split("=") for w in line.split()[2:])
                return int(kv["posted"]) - int(kv["performed"])
    return -1


def crash():
    made = open(os.path.join(RESULTS, "made"), "w")
    i = 0
    while True:
        p = os.path.join(MNT, "c%06d" % i)
        err = make(p, b"%d\n" % i)
        if err:
            print(f"create {i}: errno {err}", flush=True)
            return
        i += 1
        if i % 100 == 0:
            made.write(f"{i} {queued()}\n")
            made.flush()


def main():
    if "--crash" in sys.argv:
        crash()
        return 0
    hv = sys.argv[sys.argv.index("--host-view") + 1] if "--host-view" in sys.argv else None
    if hv is None:
        print("usage: write-behind.py --host-view DIR (--faults | --eio) | --crash", file=sys.stderr)
        return 2
    with open("/proc/mounts") as f:
        opts = [ln.split()[3] for ln in f if ln.split()[1] == MNT]
    check(opts and "exclusive" in opts[0].split(","), "the mount is exclusive", f"{opts}")
    if "--eio" in sys.argv:
        eio(hv)
    else:
        faults(hv)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
