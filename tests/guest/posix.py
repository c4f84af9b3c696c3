#!/usr/bin/env python3
"""POSIX checks run inside a guest on the file system under test ($HLINK_MNT).

Each check prints "ok - what" or "not ok - what: why"; the last line is
"N passed, N failed". Checks that change the file on the host side use a
second, hostfs view of the same host directory, found from /proc/mounts.

usage: posix.py [--host-view DIR]   (DIR: the export seen through hostfs)
"""
import errno
import mmap
import os
import stat
import subprocess
import sys
import threading
import time
import traceback

MNT = os.environ.get("HLINK_MNT", os.getcwd())
RESULTS = []


def check(name):
    def wrap(fn):
        RESULTS.append((name, fn))
        return fn
    return wrap


def exclusive_mount():
    """Whether $HLINK_MNT is an hlinkfs mount of an exclusive export."""
    with open("/proc/mounts") as f:
        for line in f:
            fields = line.split()
            if fields[1] == MNT and fields[2] == "hlinkfs":
                return "exclusive" in fields[3].split(",")
    return False


def check_host(name, host_writes=False):
    """A check that also looks or changes on the host side, through the
    host view it is given; skipped without --host-view. host_writes: the
    host changes files the guest has; an exclusive export promises that no
    one does, so there the check is skipped."""
    def wrap(fn):
        def run():
            hv = host_view()
            if hv is None:
                print("# skipped: no --host-view given")
                return
            if host_writes and exclusive_mount():
                print("# skipped: the host writes, and the export is exclusive")
                return
            fn(hv)
        RESULTS.append((name, run))
        return fn
    return wrap


def expect_errno(code, fn, *args):
    try:
        fn(*args)
    except OSError as e:
        assert e.errno == code, f"errno {errno.errorcode.get(e.errno)}, want {errno.errorcode[code]}"
        return
    raise AssertionError(f"no error, want {errno.errorcode[code]}")


def write(path, data, mode="wb"):
    with open(path, mode) as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def as_user(uid, gid, fn):
    """Run fn in a child process with the given ids; return its exit code."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            os._exit(0 if fn() else 1)
        except BaseException:
            traceback.print_exc()
            os._exit(2)
    return os.waitpid(pid, 0)[1] >> 8


@check("create, write, read back, append")
def _():
    write("a", b"hello")
    write("a", b" world", "ab")
    assert read("a") == b"hello world"


@check("exclusive create of an existing file fails with EEXIST")
def _():
    write("excl", b"")
    expect_errno(errno.EEXIST, os.open, "excl", os.O_CREAT | os.O_EXCL | os.O_WRONLY)


@check("mkdir, rmdir, rmdir of a non-empty directory fails")
def _():
    os.mkdir("d", 0o750)
    assert stat.S_IMODE(os.stat("d").st_mode) == 0o750
    write("d/x", b"")
    expect_errno(errno.ENOTEMPTY, os.rmdir, "d")
    os.unlink("d/x")
    os.rmdir("d")
    assert not os.path.exists("d")


@check("mknod makes FIFOs and sockets; a FIFO carries data")
def _():
    os.mkfifo("fifo", 0o600)
    assert stat.S_ISFIFO(os.stat("fifo").st_mode)
    os.mknod("sock", 0o600 | stat.S_IFSOCK)
    assert stat.S_ISSOCK(os.stat("sock").st_mode)
    pid = os.fork()
    if pid == 0:
        with open("fifo", "wb") as f:
            f.write(b"through the fifo")
        os._exit(0)
    assert read("fifo") == b"through the fifo"
    os.waitpid(pid, 0)


@check("symlink and readlink; relative symlinks resolve")
def _():
    write("target", b"T")
    os.symlink("target", "rel")
    os.symlink("/nonexistent/abs", "abs")
    assert os.readlink("rel") == "target" and os.readlink("abs") == "/nonexistent/abs"
    assert read("rel") == b"T"
    assert stat.S_ISLNK(os.lstat("abs").st_mode)


@check("hard links: counts go up and down")
def _():
    write("h1", b"linked")
    os.link("h1", "h2")
    assert os.stat("h1").st_nlink == 2 and os.stat("h2").st_ino == os.stat("h1").st_ino
    os.unlink("h1")
    assert os.stat("h2").st_nlink == 1 and read("h2") == b"linked"


@check("rename over an existing file and an empty directory")
def _():
    write("r1", b"one")
    write("r2", b"two")
    os.rename("r1", "r2")
    assert read("r2") == b"one" and not os.path.exists("r1")
    os.mkdir("rd1")
    os.mkdir("rd2")
    write("rd1/f", b"")
    os.rename("rd1", "rd2")
    assert os.path.exists("rd2/f") and not os.path.exists("rd1")
    os.mkdir("rd3")
    write("rd3/g", b"")
    expect_errno(errno.ENOTEMPTY, os.rename, "rd2", "rd3")


@check("renameat2 RENAME_NOREPLACE and RENAME_EXCHANGE (via mv)")
def _():
    write("x1", b"1")
    write("x2", b"2")
    r = subprocess.run(["mv", "--exchange", "x1", "x2"], capture_output=True)
    if r.returncode != 0 and b"unrecognized" in r.stderr:
        # coreutils without --exchange: call renameat2 through ctypes.
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        assert libc.renameat2(-100, b"x1", -100, b"x2", 2) == 0, os.strerror(ctypes.get_errno())
        import ctypes as c
        rc = libc.renameat2(-100, b"x1", -100, b"x2", 1)
        assert rc == -1 and c.get_errno() == errno.EEXIST
    else:
        assert r.returncode == 0, r.stderr
    assert read("x1") == b"2" and read("x2") == b"1"


@check("truncate up and down")
def _():
    write("t", b"0123456789")
    os.truncate("t", 4)
    assert read("t") == b"0123"
    os.truncate("t", 8)
    assert read("t") == b"0123\0\0\0\0"
    with open("t", "r+b") as f:
        f.truncate(2)
    assert os.stat("t").st_size == 2


@check("timestamps: utime sets them; a write moves mtime")
def _():
    write("ts", b"x")
    os.utime("ts", (1000000000, 1200000000))
    st = os.stat("ts")
    assert st.st_atime == 1000000000 and st.st_mtime == 1200000000
    time.sleep(0.01)
    write("ts", b"more", "ab")
    assert os.stat("ts").st_mtime > 1200000000


@check("permissions and ownership: chmod, chown, access by another user")
def _():
    write("p", b"secret")
    os.chmod("p", 0o600)
    os.chown("p", 1000, 1000)
    st = os.stat("p")
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1000, 1000, 0o600)
    path = os.path.abspath("p")
    assert as_user(1000, 1000, lambda: read(path) == b"secret") == 0, "owner cannot read"
    assert as_user(2000, 2000, lambda: os.access(path, os.R_OK)) == 1, "stranger can read"
    os.chmod("p", 0o644)
    assert as_user(2000, 2000, lambda: read(path) == b"secret") == 0, "stranger cannot read 0644"


@check("a new file is owned by its creator")
def _():
    os.mkdir("own")
    os.chmod("own", 0o777)
    path = os.path.abspath("own/mine")
    assert as_user(1234, 4321, lambda: write(path, b"") is None) == 0
    st = os.stat(path)
    assert (st.st_uid, st.st_gid) == (1234, 4321), (st.st_uid, st.st_gid)


@check("extended attributes in user.*")
def _():
    write("xa", b"")
    os.setxattr("xa", "user.k", b"v1")
    assert os.getxattr("xa", "user.k") == b"v1"
    assert "user.k" in os.listxattr("xa")
    os.removexattr("xa", "user.k")
    expect_errno(errno.ENODATA, os.getxattr, "xa", "user.k")


@check("readdir of 10,000 entries lists each once")
def _():
    os.mkdir("big")
    for i in range(10000):
        os.close(os.open(f"big/e{i}", os.O_CREAT | os.O_WRONLY, 0o644))
    names = os.listdir("big")
    assert len(names) == 10000 and len(set(names)) == 10000
    assert set(names) == {f"e{i}" for i in range(10000)}
    for n in names:
        os.unlink(f"big/{n}")
    os.rmdir("big")


@check("large sparse file beyond 4 GiB")
def _():
    with open("sparse", "wb") as f:
        f.seek(5 << 30)
        f.write(b"end")
    st = os.stat("sparse")
    assert st.st_size == (5 << 30) + 3 and st.st_blocks < 1024
    with open("sparse", "rb") as f:
        f.seek((5 << 30) - 2)
        assert f.read() == b"\0\0end"
    os.unlink("sparse")


@check("shared mmap writes reach the file; private mmap writes do not")
def _():
    write("m", b"\0" * 8192)
    with open("m", "r+b") as f:
        m = mmap.mmap(f.fileno(), 8192, mmap.MAP_SHARED)
        m[100:105] = b"SHARE"
        m.flush()
        m.close()
        p = mmap.mmap(f.fileno(), 8192, mmap.MAP_PRIVATE)
        p[0:4] = b"PRIV"
        p.close()
    data = read("m")
    assert data[100:105] == b"SHARE" and data[0:4] == b"\0\0\0\0"


@check("open, unlink, then fstat and read still work")
def _():
    write("ou", b"still readable")
    fd = os.open("ou", os.O_RDWR)
    os.unlink("ou")
    assert os.fstat(fd).st_nlink == 0
    os.write(fd, b"STILL")
    os.lseek(fd, 0, 0)
    assert os.read(fd, 100) == b"STILL readable"
    os.close(fd)


@check("fsync, fdatasync and fallocate")
def _():
    fd = os.open("fs", os.O_CREAT | os.O_RDWR, 0o644)
    os.write(fd, b"x" * 10000)
    os.fsync(fd)
    os.fdatasync(fd)
    os.posix_fallocate(fd, 0, 1 << 20)
    assert os.fstat(fd).st_size == 1 << 20
    os.close(fd)


@check("two writers in the guest, interleaved on one file")
def _():
    fd = os.open("two", os.O_CREAT | os.O_RDWR, 0o644)
    os.ftruncate(fd, 2 * 4096 * 64)

    def writer(k):
        f = os.open("two", os.O_WRONLY)
        for i in range(64):
            os.pwrite(f, bytes([65 + k]) * 4096, (2 * i + k) * 4096)
        os.close(f)
    ts = [threading.Thread(target=writer, args=(k,)) for k in (0, 1)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    os.close(fd)
    data = read("two")
    for i in range(128):
        assert data[i * 4096:(i + 1) * 4096] == bytes([65 + i % 2]) * 4096, f"block {i}"


@check("statfs")
def _():
    s = os.statvfs(".")
    assert s.f_bsize > 0 and s.f_blocks > 0 and s.f_namemax >= 255


def host_view():
    """This test's directory, as the host sees it through hostfs."""
    if "--host-view" in sys.argv:
        return os.path.join(sys.argv[sys.argv.index("--host-view") + 1], "posix")
    return None


@check_host("a file changed on the host while cached is seen after the attribute timeout and on re-open", host_writes=True)
def _(hv):
    write("cached", b"guest version")
    assert read("cached") == b"guest version"
    write(os.path.join(hv, "cached"), b"HOST version, longer")
    time.sleep(1.2)
    assert os.stat("cached").st_size == len(b"HOST version, longer"), "size not refreshed"
    assert read("cached") == b"HOST version, longer", "data not refreshed"
    write(os.path.join(hv, "newname"), b"made on the host")
    time.sleep(1.2)
    assert read("newname") == b"made on the host"
    os.unlink(os.path.join(hv, "newname"))
    time.sleep(1.2)
    assert not os.path.exists("newname"), "removed name still visible"


@check_host("O_DIRECT writes and reads reach the host file and agree with the page cache")
def _(hv):
    size = 1 << 20
    src = mmap.mmap(-1, size)             # page-aligned, as O_DIRECT wants
    src.write(os.urandom(size))
    with open("direct", "wb") as f:       # cached pages of an older version
        f.write(b"c" * size)
    assert read("direct") == b"c" * size
    fd = os.open("direct", os.O_RDWR | os.O_DIRECT)
    assert os.pwrite(fd, src, 0) == size
    back = mmap.mmap(-1, size)
    assert os.preadv(fd, [back], 0) == size and back[:] == src[:], "O_DIRECT read differs"
    os.close(fd)
    assert read("direct") == src[:], "cached pages not dropped after the O_DIRECT write"
    assert read(os.path.join(hv, "direct")) == src[:], "the host file differs"
    # A direct write past the end grows the file.
    fd = os.open("direct", os.O_WRONLY | os.O_DIRECT)
    assert os.pwrite(fd, memoryview(src)[:4096], size) == 4096
    os.close(fd)
    assert os.stat("direct").st_size == size + 4096


@check_host("both sides write: a host change made just before the guest's own write is seen on re-open", host_writes=True)
def _(hv):
    size = 65536
    with open("both", "wb") as f:
        f.write(b"g" * size)
    with open("both", "rb") as f:
        assert f.read() == b"g" * size    # the guest caches its version
    # With the guest's file open and its cache valid, the host changes the
    # head in place (same size); then the guest writes the tail and closes.
    # Its write's attributes include the host's change: only the version
    # from before the write tells them apart. Re-open must show both.
    with open("both", "r+b") as f:
        with open(os.path.join(hv, "both"), "r+b") as h:
            h.write(b"H" * 4096)
        f.seek(size - 4096)
        f.write(b"G" * 4096)
    with open("both", "rb") as f:
        data = f.read()
    assert data[:4096] == b"H" * 4096, "the host's change was lost to the guest's cache"
    assert data[-4096:] == b"G" * 4096, "the guest's own write is missing"


@check("mapped ownership: device nodes, chown and set-id work in the guest; the host gets none of them")
def _():
    os.mknod("chr", 0o620 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod("blk", 0o600 | stat.S_IFBLK, os.makedev(7, 0))
    st = os.stat("chr")
    assert stat.S_ISCHR(st.st_mode) and os.major(st.st_rdev) == 1 and os.minor(st.st_rdev) == 3
    assert stat.S_ISBLK(os.stat("blk").st_mode)
    with open("chr", "rb") as f:     # the guest's own /dev/null
        assert f.read() == b""
    assert stat.S_ISCHR(os.lstat("chr").st_mode) and "chr" in os.listdir(".")
    write("suid", b"#!/bin/sh\n")
    os.chown("suid", 1234, 5678)
    os.chmod("suid", 0o6755)
    st = os.stat("suid")
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 5678, 0o6755), oct(st.st_mode)
    os.chown("suid", 4321, -1)       # chown clears set-id bits, as POSIX says
    assert stat.S_IMODE(os.stat("suid").st_mode) == 0o755
    os.mkdir("sgid-dir")
    os.chown("sgid-dir", 0, 4242)
    os.chmod("sgid-dir", 0o2775)
    os.mkdir("sgid-dir/sub")         # inherits the group and the set-gid bit
    st = os.stat("sgid-dir/sub")
    assert st.st_gid == 4242 and st.st_mode & stat.S_ISGID, oct(st.st_mode)
    hv = host_view()
    if hv is not None:
        for name in ("chr", "blk", "suid", "sgid-dir", "sgid-dir/sub"):
            h = os.lstat(os.path.join(hv, name))
            assert not stat.S_ISCHR(h.st_mode) and not stat.S_ISBLK(h.st_mode), name
            assert not h.st_mode & (stat.S_ISUID | stat.S_ISGID), f"{name}: host mode {oct(h.st_mode)}"


@check("a symlink's own times (utimensat AT_SYMLINK_NOFOLLOW) and owner (lchown)")
def _():
    write("lt-target", b"")
    os.symlink("lt-target", "lt")
    os.utime("lt", ns=(1_000_000_000, 2_000_000_000), follow_symlinks=False)
    os.lchown("lt", 77, 88)
    st = os.lstat("lt")
    assert st.st_mtime_ns == 2_000_000_000 and (st.st_uid, st.st_gid) == (77, 88)
    assert os.stat("lt-target").st_mtime_ns != 2_000_000_000, "the target changed"


def settle():
    """Past the default attribute timeout (1 s), with a margin."""
    time.sleep(1.3)


def read_or_stale(fd, n, offset=0):
    """pread, or None when the host module says the file is gone (ESTALE)."""
    try:
        return os.pread(fd, n, offset)
    except OSError as e:
        assert e.errno in (errno.ESTALE, errno.EIO), f"errno {errno.errorcode.get(e.errno)}"
        return None


@check_host("host-side delete, replace, truncate and rename under an open file: POSIX or ESTALE, never other data", host_writes=True)
def _(hv):
    old, new = b"O" * 10000, b"N" * 20000
    for what in ("delete", "replace", "truncate", "rename"):
        write(what, old)
        fd = os.open(what, os.O_RDONLY)
        assert os.read(fd, 10) == b"O" * 10          # cached in the guest
        h = os.path.join(hv, what)
        if what == "delete":
            os.unlink(h)
        elif what == "replace":
            write(h + ".new", new)
            os.rename(h + ".new", h)
        elif what == "truncate":
            os.truncate(h, 100)
        else:
            os.rename(h, h + ".moved")
        settle()
        got = read_or_stale(fd, 30000)
        if what == "truncate":
            assert got in (old[:100], None), f"truncate: read {len(got)} bytes"
        else:
            # The open file is the old one (or gone): never the new file's data.
            assert got in (old, None), f"{what}: read {got[:8]!r}... ({len(got)} bytes)"
        os.close(fd)
        if what == "delete":
            assert not os.path.exists(what)
        elif what == "replace":
            assert read(what) == new
        elif what == "rename":
            assert not os.path.exists(what) and read(what + ".moved") == old


@check_host("a host-side change under a shared mapping shows old or new data, never a hang", host_writes=True)
def _(hv):
    write("mapped", b"A" * 8192)
    with open("mapped", "rb") as f:
        m = mmap.mmap(f.fileno(), 8192, mmap.MAP_SHARED, mmap.PROT_READ)
        assert m[:4] == b"AAAA"
        with open(os.path.join(hv, "mapped"), "r+b") as h:
            h.write(b"B" * 8192)
        settle()
        os.stat("mapped")                            # revalidates the cache
        assert m[:4] in (b"AAAA", b"BBBB") and m[8188:] in (b"AAAA", b"BBBB")
        m.close()
    assert read("mapped") == b"B" * 8192


@check_host("an inode number the host reuses does not lead an old handle to the new file", host_writes=True)
def _(hv):
    os.makedirs("reuse", exist_ok=True)
    write("reuse/victim", b"V" * 1234)
    # The guest keeps its inode (and handle) through an O_PATH descriptor;
    # no file is open on the host, so the host may reuse the number.
    pfd = os.open("reuse/victim", os.O_PATH)
    ino = os.fstat(pfd).st_ino
    os.unlink(os.path.join(hv, "reuse/victim"))
    reused = None
    for i in range(2000):                           # ext4 hands freed numbers out again
        p = os.path.join(hv, "reuse", f"n{i}")
        write(p, b"X" * 4096)
        if os.stat(p).st_ino == ino:
            reused = i + 1
            break
    settle()
    try:
        st = os.fstat(pfd)
        assert st.st_size == 1234, f"the old handle shows the new file (size {st.st_size})"
    except OSError as e:
        assert e.errno == errno.ESTALE, f"errno {errno.errorcode.get(e.errno)}"
    os.close(pfd)
    assert not os.path.exists("reuse/victim")
    print(f"# inode number {'reused after %d creates' % reused if reused else 'not reused in 2000 creates'}")


def main():
    os.chdir(MNT)
    os.makedirs("posix", exist_ok=True)
    os.chdir("posix")
    passed = failed = 0
    for name, fn in RESULTS:
        try:
            fn()
            print(f"ok - {name}")
            passed += 1
        except Exception as e:
            print(f"not ok - {name}: {type(e).__name__}: {e}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
