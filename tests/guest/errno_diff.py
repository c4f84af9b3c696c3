#!/usr/bin/env python3
"""Differential errno check: the same system calls on two file systems.

  errno_diff.py run DIR [--seed N] [--steps N] [--no-emlink]
      make a fixed list of calls, then N seeded random ones, in DIR (which
      must be empty), and print one line per call:  ID <tab> CALL <tab> RESULT
      RESULT is "ok", "ok VALUE" or the errno's name. Paths are relative to
      DIR, so transcripts of two file systems compare line by line.
  errno_diff.py compare REFERENCE OTHER --config NAME [--allowed TABLE]
      compare two transcripts call by call; a difference fails unless the
      table (docs/errno-vs-ext4.md) lists it for NAME, with its reason.

Run as root in the guest: some calls are made as an unprivileged user
(uid 1000) in a child process, and root's bypasses are checked too.
"""
import argparse
import ctypes
import ctypes.util
import errno
import fcntl
import fnmatch
import hashlib
import os
import random
import re
import stat
import sys

USER = 1000
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
AT_FDCWD = -100
RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT = 1, 2, 4
FALLOC = {"KEEP_SIZE": 1, "PUNCH_HOLE": 2, "COLLAPSE_RANGE": 8, "ZERO_RANGE": 16,
          "INSERT_RANGE": 32, "UNSHARE_RANGE": 64}
XATTR_CREATE, XATTR_REPLACE = 1, 2
libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
libc.lgetxattr.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t]
libc.lgetxattr.restype = ctypes.c_ssize_t
libc.llistxattr.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t]
libc.llistxattr.restype = ctypes.c_ssize_t
libc.lsetxattr.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t,
                           ctypes.c_int]


def cerr(rc):
    """A libc call's result: its value, or OSError with the errno."""
    if rc < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return rc


def renameat2(old, new, flags):
    return cerr(libc.renameat2(AT_FDCWD, os.fsencode(old), AT_FDCWD, os.fsencode(new), flags))


def faccessat(path, mode, flags=0):
    return cerr(libc.faccessat(AT_FDCWD, os.fsencode(path), mode, flags))


def fallocate(fd, mode, off, length):
    return cerr(libc.fallocate(fd, mode, off, length))


def lgetxattr(path, name, size):
    buf = ctypes.create_string_buffer(max(size, 1))
    n = cerr(libc.lgetxattr(os.fsencode(path), os.fsencode(name), buf if size else None, size))
    return buf.raw[:n] if size else n


def llistxattr(path, size):
    buf = ctypes.create_string_buffer(max(size, 1))
    n = cerr(libc.llistxattr(os.fsencode(path), buf if size else None, size))
    return sorted(buf.raw[:n].split(b"\0")[:-1]) if size else n


def lsetxattr(path, name, value, flags):
    return cerr(libc.lsetxattr(os.fsencode(path), os.fsencode(name), value, len(value), flags))


def show(s):
    """A path or name for the transcript: runs of one byte are counted."""
    out, i = [], 0
    s = str(s)
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(f"<{s[i]}*{j - i}>" if j - i >= 16 else s[i:j])
        i = j
    return "".join(out)


def st_summary(st, full=True):
    t = stat.filemode(st.st_mode)[0]
    s = f"{t} {stat.S_IMODE(st.st_mode):04o} {st.st_uid}:{st.st_gid}"
    if full:
        s += f" n{st.st_nlink}" if t != "d" else ""
        s += f" s{st.st_size}" if t in "-l" else ""
    return s


def fmt(v):
    if v is None or v is True:
        return "ok"
    if isinstance(v, os.stat_result):
        return "ok " + st_summary(v)
    if isinstance(v, bytes):
        return f"ok {len(v)}B {hashlib.sha1(v).hexdigest()[:8]}"
    if isinstance(v, (list, tuple)):
        return "ok " + show(",".join(x.decode() if isinstance(x, bytes) else str(x) for x in v))
    return "ok " + show(v)


class Transcript:
    def __init__(self, out):
        self.n = 0
        self.out = out
        self.fds = {}

    def call(self, label, fn, *args, **kw):
        """Make one call; print its result. Returns the value or None."""
        self.n += 1
        try:
            v = fn(*args, **kw)
            res = fmt(v)
        except OSError as e:
            v, res = None, errno.errorcode.get(e.errno, str(e.errno))
        except ValueError:
            v, res = None, "no fd (an earlier call failed)"
        self.out.write(f"{self.n}\t{label}\t{res}\n")
        self.out.flush()
        return v

    def open(self, key, path, flags, mode=0o644, label_flags=None):
        def op():
            if key in self.fds:
                os.close(self.fds.pop(key))
            self.fds[key] = os.open(path, flags, mode)
        self.call(f"open({show(path)}, {label_flags or flags_name(flags)}, {mode:o})", op)
        return key in self.fds

    def fd(self, key):
        return self.fds.get(key, -1)

    def close_all(self):
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


OPEN_FLAGS = [("O_WRONLY", os.O_WRONLY), ("O_RDWR", os.O_RDWR), ("O_CREAT", os.O_CREAT),
              ("O_EXCL", os.O_EXCL), ("O_TRUNC", os.O_TRUNC), ("O_APPEND", os.O_APPEND),
              ("O_DIRECTORY", os.O_DIRECTORY), ("O_NOFOLLOW", os.O_NOFOLLOW),
              ("O_PATH", os.O_PATH), ("O_NOATIME", os.O_NOATIME), ("O_DIRECT", os.O_DIRECT)]


def flags_name(flags):
    names = [n for n, b in OPEN_FLAGS if flags & b]
    if flags & os.O_TMPFILE == os.O_TMPFILE:
        names = [n for n in names if n != "O_DIRECTORY"] + ["O_TMPFILE"]
    return "|".join(names) or "O_RDONLY"


N255, N256 = "a" * 255, "b" * 256


def write_file(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def read_file(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 1 << 20)
    finally:
        os.close(fd)


def fixed_root(t, emlink):
    """The fixed list, as root."""
    c = t.call
    # The tree the cases work on.
    c("mkdir(d, 755)", os.mkdir, "d", 0o755)
    c("mkdir(d/sub, 755)", os.mkdir, "d/sub", 0o755)
    c("write(d/sub/x)", write_file, "d/sub/x", b"x")
    c("mkdir(e, 755)", os.mkdir, "e", 0o755)
    c("write(f)", write_file, "f", b"hello")
    c("symlink(f, l)", os.symlink, "f", "l")
    c("symlink(loop2, loop1)", os.symlink, "loop2", "loop1")
    c("symlink(loop1, loop2)", os.symlink, "loop1", "loop2")
    c("symlink(made-through, dangling)", os.symlink, "made-through", "dangling")
    c("mkdir(sticky, 1777)", os.mkdir, "sticky", 0o777)
    c("chmod(sticky, 1777)", os.chmod, "sticky", 0o1777)
    c("write(sticky/root)", write_file, "sticky/root", b"r", 0o666)
    c("mkdir(ro, 555)", os.mkdir, "ro", 0o555)
    c("write(secret, 600)", write_file, "secret", b"s", 0o600)
    c("mkdir(user, 755)", os.mkdir, "user", 0o755)
    c("chown(user, 1000:1000)", os.chown, "user", USER, USER)
    c("mkdir(noexec, 644)", os.mkdir, "noexec", 0o755)
    c("write(noexec/x)", write_file, "noexec/x", b"")
    c("chmod(noexec, 644)", os.chmod, "noexec", 0o644)
    c("stat(noexec)", os.stat, "noexec")

    # Names and paths past their limits.
    for p in (N256, "d/" + N256):
        c(f"open({show(p)}, O_CREAT|O_WRONLY, 620)", os.open, p, os.O_CREAT | os.O_WRONLY, 0o620)
    c(f"open({show(N256)}, O_RDONLY)", os.open, N256, os.O_RDONLY)
    c(f"open({show(N256)}/x, O_CREAT|O_WRONLY)", os.open, N256 + "/x", os.O_CREAT | os.O_WRONLY)
    c(f"stat({show(N256)})", os.stat, N256)
    c(f"lstat({show(N256)}/x)", os.lstat, N256 + "/x")
    c(f"access({show(N256)})", faccessat, N256, os.F_OK)
    c(f"mkdir({show(N256)})", os.mkdir, N256)
    c(f"mknod({show(N256)}, S_IFREG)", os.mknod, N256, stat.S_IFREG | 0o644)
    c(f"mkfifo({show(N256)})", os.mkfifo, N256)
    c(f"symlink(f, {show(N256)})", os.symlink, "f", N256)
    c(f"link(f, {show(N256)})", os.link, "f", N256)
    c(f"link({show(N256)}, z)", os.link, N256, "z")
    c(f"rename(f, {show(N256)})", os.rename, "f", N256)
    c(f"rename({show(N256)}, z)", os.rename, N256, "z")
    c(f"rename(f, d/{show(N256)})", os.rename, "f", "d/" + N256)
    c(f"unlink({show(N256)})", os.unlink, N256)
    c(f"rmdir({show(N256)})", os.rmdir, N256)
    c(f"readlink({show(N256)})", os.readlink, N256)
    c(f"chmod({show(N256)})", os.chmod, N256, 0o600)
    c(f"truncate({show(N256)})", os.truncate, N256, 0)
    c(f"setxattr({show(N256)}, user.a)", os.setxattr, N256, "user.a", b"v")
    # The longest name works everywhere.
    c(f"open({show(N255)}, O_CREAT|O_WRONLY, 620)", lambda: os.close(os.open(N255, os.O_CREAT | os.O_WRONLY, 0o620)))
    c(f"stat({show(N255)})", os.stat, N255)
    c(f"rename({show(N255)}, d/{show(N255)})", os.rename, N255, "d/" + N255)
    c(f"mkdir({show(N255)})", os.mkdir, N255)
    c(f"symlink(f, {show(N255)}/{show(N255)})", os.symlink, "f", N255 + "/" + N255)
    c(f"link(f, {show(N255)}/l)", os.link, "f", N255 + "/l")
    c(f"readdir({show(N255)})", lambda: sorted(os.listdir(N255)))
    c(f"unlink({show(N255)}/{show(N255)})", os.unlink, N255 + "/" + N255)
    c(f"unlink({show(N255)}/l)", os.unlink, N255 + "/l")
    c(f"rmdir({show(N255)})", os.rmdir, N255)
    # A path of PATH_MAX bytes or more, and symlink targets near the limit.
    deep = "/".join(["c" * 200] * 21)
    c("stat(<path 4220 bytes>)", os.stat, deep)
    c("mkdir(<path 4220 bytes>)", os.mkdir, deep)
    c("symlink(<4095-byte target>, longlink)", os.symlink, "t" * 4095, "longlink")
    c("readlink(longlink)", lambda: len(os.readlink("longlink")))
    c("symlink(<4096-byte target>, toolong)", os.symlink, "t" * 4096, "toolong")
    c("symlink(<empty target>, empty)", os.symlink, "", "empty")
    # xattr names and values past their limits.
    c("setxattr(f, user.<250 x>, v)", os.setxattr, "f", "user." + "x" * 250, b"v")
    c("getxattr(f, user.<250 x>)", os.getxattr, "f", "user." + "x" * 250)
    c("setxattr(f, user.<251 x>, v)", os.setxattr, "f", "user." + "x" * 251, b"v")
    c("getxattr(f, user.<251 x>)", os.getxattr, "f", "user." + "x" * 251)
    c("removexattr(f, user.<251 x>)", os.removexattr, "f", "user." + "x" * 251)
    c("setxattr(f, user.big, 65537 B)", os.setxattr, "f", "user.big", b"v" * 65537)
    c("setxattr(f, user.big, 65536 B)", os.setxattr, "f", "user.big", b"v" * 65536)
    c("setxattr(f, user.mid, 3000 B)", os.setxattr, "f", "user.mid", b"m" * 3000)
    c("getxattr(f, user.mid)", os.getxattr, "f", "user.mid")
    c("setxattr(f, user.empty, 0 B)", os.setxattr, "f", "user.empty", b"")
    c("getxattr(f, user.empty)", os.getxattr, "f", "user.empty")
    c("setxattr(f, user., v)", os.setxattr, "f", "user.", b"v")
    c("setxattr(f, user.a, v, CREATE)", os.setxattr, "f", "user.a", b"v", XATTR_CREATE)
    c("setxattr(f, user.a, w, CREATE)", os.setxattr, "f", "user.a", b"w", XATTR_CREATE)
    c("setxattr(f, user.b, v, REPLACE)", os.setxattr, "f", "user.b", b"v", XATTR_REPLACE)
    c("setxattr(f, user.a, w, REPLACE)", os.setxattr, "f", "user.a", b"w", XATTR_REPLACE)
    c("setxattr(f, user.a, w, CREATE|REPLACE)", lsetxattr, "f", "user.a", b"w", 3)
    c("setxattr(f, user.a, w, flags 4)", lsetxattr, "f", "user.a", b"w", 4)
    c("getxattr(f, user.a, size 0)", lgetxattr, "f", "user.a", 0)
    c("getxattr(f, user.a, size 1)", lgetxattr, "f", "user.a", 0 or 1)
    c("getxattr(f, user.mid, size 2999)", lgetxattr, "f", "user.mid", 2999)
    c("getxattr(f, user.none)", os.getxattr, "f", "user.none")
    c("removexattr(f, user.none)", os.removexattr, "f", "user.none")
    c("listxattr(f, size 0)", llistxattr, "f", 0)
    c("listxattr(f, size 3)", llistxattr, "f", 3)
    c("listxattr(f)", llistxattr, "f", 65536)
    c("removexattr(f, user.a)", os.removexattr, "f", "user.a")
    c("setxattr(f, bogus.a, v)", os.setxattr, "f", "bogus.a", b"v")
    c("getxattr(f, bogus.a)", os.getxattr, "f", "bogus.a")
    c("setxattr(f, a, v)", os.setxattr, "f", "a", b"v")
    c("setxattr(l, user.a, v) no-follow", lsetxattr, "l", "user.a", b"v", 0)
    c("setxattr(d, user.a, v)", os.setxattr, "d", "user.a", b"v")
    c("getxattr(d, user.a)", os.getxattr, "d", "user.a")
    c("mkfifo(fifo)", os.mkfifo, "fifo", 0o644)
    c("setxattr(fifo, user.a, v)", os.setxattr, "fifo", "user.a", b"v")
    c("setxattr(missing, user.a, v)", os.setxattr, "missing", "user.a", b"v")

    # ENOENT, ENOTDIR, EISDIR, EEXIST, ENOTEMPTY, ELOOP.
    c("open(missing, O_RDONLY)", os.open, "missing", os.O_RDONLY)
    c("open(missing/x, O_CREAT|O_WRONLY)", os.open, "missing/x", os.O_CREAT | os.O_WRONLY)
    c("stat(missing)", os.stat, "missing")
    c("stat(dangling)", os.stat, "dangling")
    c("lstat(dangling)", os.lstat, "dangling")
    c("open(dangling, O_CREAT|O_WRONLY)", lambda: os.close(os.open("dangling", os.O_CREAT | os.O_WRONLY, 0o600)))
    c("stat(dangling) once made", os.stat, "dangling")
    c("open(l2dangle, O_CREAT|O_EXCL)", lambda: (os.symlink("nothere", "l2dangle"), os.open("l2dangle", os.O_CREAT | os.O_EXCL | os.O_WRONLY))[0])
    c("unlink(missing)", os.unlink, "missing")
    c("rmdir(missing)", os.rmdir, "missing")
    c("rename(missing, z)", os.rename, "missing", "z")
    c("link(missing, z)", os.link, "missing", "z")
    c("readlink(missing)", os.readlink, "missing")
    c("truncate(missing)", os.truncate, "missing", 0)
    c("chmod(missing)", os.chmod, "missing", 0o644)
    c("mkdir(missing/x)", os.mkdir, "missing/x")
    c("rename(f, missing/x)", os.rename, "f", "missing/x")
    c("stat(f/x)", os.stat, "f/x")
    c("stat(f/)", os.stat, "f/")
    c("open(f/, O_RDONLY)", os.open, "f/", os.O_RDONLY)
    c("open(f, O_DIRECTORY)", os.open, "f", os.O_RDONLY | os.O_DIRECTORY)
    c("mkdir(f/x)", os.mkdir, "f/x")
    c("open(f/x, O_CREAT)", os.open, "f/x", os.O_CREAT | os.O_WRONLY)
    c("rmdir(f)", os.rmdir, "f")
    c("rename(d, f)", os.rename, "d", "f")
    c("rename(f, f2/)", os.rename, "f", "f2/")
    c("unlink(f/)", os.unlink, "f/")
    c("link(f, f2/)", os.link, "f", "f2/")
    c("symlink(f, f2/)", os.symlink, "f", "f2/")
    c("mkdir(f2/)", lambda: os.rmdir(os.mkdir("f2/") or "f2"))
    c("open(d, O_WRONLY)", os.open, "d", os.O_WRONLY)
    c("open(d, O_RDWR)", os.open, "d", os.O_RDWR)
    c("open(d, O_CREAT)", os.open, "d", os.O_CREAT | os.O_RDONLY)
    c("unlink(d)", os.unlink, "d")
    c("rename(f, d)", os.rename, "f", "d")
    c("truncate(d)", os.truncate, "d", 0)
    c("link(d, dl)", os.link, "d", "dl")
    t.open("dir", "d", os.O_RDONLY)
    c("read(d)", lambda: os.read(t.fd("dir"), 10))
    t.open("dirpath", "d", os.O_PATH)
    c("write(d, O_PATH fd)", lambda: os.write(t.fd("dirpath"), b"x"))
    c("mkdir(d)", os.mkdir, "d")
    c("mkdir(l)", os.mkdir, "l")
    c("mkdir(dangling2) through dangling", lambda: (os.symlink("nowhere", "dangling2"), os.mkdir("dangling2"))[1])
    c("open(f, O_CREAT|O_EXCL)", os.open, "f", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    c("open(l, O_CREAT|O_EXCL)", os.open, "l", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    c("symlink(x, f)", os.symlink, "x", "f")
    c("link(f, l)", os.link, "f", "l")
    c("mknod(f, S_IFREG)", os.mknod, "f", stat.S_IFREG | 0o644)
    c("mkfifo(f)", os.mkfifo, "f")
    c("rename(f, l, NOREPLACE)", renameat2, "f", "l", RENAME_NOREPLACE)
    c("rename(f, nothere, EXCHANGE)", renameat2, "f", "nothere", RENAME_EXCHANGE)
    c("rename(f, l, EXCHANGE|NOREPLACE)", renameat2, "f", "l", RENAME_EXCHANGE | RENAME_NOREPLACE)
    c("rename(f, l, flags 8)", renameat2, "f", "l", 8)
    c("rmdir(d)", os.rmdir, "d")
    c("mkdir(e/x)", os.mkdir, "e/x")
    c("rename(e, d)", os.rename, "e", "d")
    c("rename(d/sub, e)", os.rename, "d/sub", "e")
    c("rmdir(e/x)", os.rmdir, "e/x")
    c("rename(e, d/sub/e)", os.rename, "e", "d/sub/e")
    c("rename(d, d/sub/d)", os.rename, "d", "d/sub/d")
    c("rename(d/sub, d)", os.rename, "d/sub", "d")
    c("rename(d/sub/.., z)", os.rename, "d/sub/..", "z")
    c("rename(d/., z)", os.rename, "d/.", "z")
    c("rename(d, .)", os.rename, "d", ".")
    c("rmdir(d/.)", os.rmdir, "d/.")
    c("rmdir(d/..)", os.rmdir, "d/..")
    c("rmdir(d/sub/)", lambda: (os.mkdir("d/empty"), os.rmdir("d/empty/"))[1])
    c("unlink(.)", os.unlink, ".")
    c("link(f, .)", os.link, "f", ".")
    c("stat(loop1)", os.stat, "loop1")
    c("open(loop1, O_CREAT)", os.open, "loop1", os.O_CREAT | os.O_WRONLY)
    c("open(l, O_NOFOLLOW)", os.open, "l", os.O_RDONLY | os.O_NOFOLLOW)
    c("open(l, O_NOFOLLOW|O_PATH)", lambda: os.close(os.open("l", os.O_NOFOLLOW | os.O_PATH)))
    c("mkdir(loop1/x)", os.mkdir, "loop1/x")
    c("readlink(l)", os.readlink, "l")
    c("readlink(f)", os.readlink, "f")
    c("readlink(d)", os.readlink, "d")
    c("readlink(empty)", os.readlink, "empty")

    # Across mounts: the scratch /tmp is another file system.
    c("rename(f, /tmp/x)", os.rename, "f", "/tmp/errno-diff-x")
    c("link(f, /tmp/x)", os.link, "f", "/tmp/errno-diff-x")
    c("rename(/tmp/y, y)", lambda: (write_file("/tmp/errno-diff-y", b""), os.rename("/tmp/errno-diff-y", "y"))[1])
    c("link(/tmp/y, y)", os.link, "/tmp/errno-diff-y", "y")

    # Renames that work: over a file, over an empty directory, exchange.
    c("write(r1)", write_file, "r1", b"one")
    c("write(r2)", write_file, "r2", b"two")
    c("rename(r1, r2)", os.rename, "r1", "r2")
    c("read(r2)", read_file, "r2")
    c("mkdir(r3)", os.mkdir, "r3")
    c("mkdir(r4)", os.mkdir, "r4")
    c("rename(r3, r4)", os.rename, "r3", "r4")
    c("rename(r2, r4)", os.rename, "r2", "r4")
    c("rename(r4, r2)", os.rename, "r4", "r2")
    c("rename(r2, r4, EXCHANGE)", renameat2, "r2", "r4", RENAME_EXCHANGE)
    c("stat(r2)", os.stat, "r2")
    c("stat(r4)", os.stat, "r4")
    c("rename(r4, r4)", os.rename, "r4", "r4")
    c("rename(f, link-of-f)", lambda: (os.link("f", "hf"), os.rename("f", "hf"))[1])
    c("stat(f) after rename to a hard link of it", os.stat, "f")
    c("unlink(hf)", os.unlink, "hf")
    c("write(w1)", write_file, "w1", b"w")
    c("rename(w1, w2, WHITEOUT)", renameat2, "w1", "w2", RENAME_WHITEOUT)
    c("unlink(w1)", lambda: [os.unlink(p) for p in ("w1", "w2") if os.path.lexists(p)] and None)

    # Special files.
    c("mknod(chr, S_IFCHR 1:3)", os.mknod, "chr", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    c("stat(chr)", os.stat, "chr")
    c("mknod(blk, S_IFBLK 7:0)", os.mknod, "blk", stat.S_IFBLK | 0o600, os.makedev(7, 0))
    c("mknod(sock, S_IFSOCK)", os.mknod, "sock", stat.S_IFSOCK | 0o600)
    c("mknod(bad, type 0170000)", os.mknod, "badnod", 0o170000 | 0o600)
    c("mknod(reg2, mode 0)", os.mknod, "reg2", 0o644)
    c("stat(reg2)", os.stat, "reg2")
    c("truncate(fifo)", os.truncate, "fifo", 0)
    c("open(fifo, O_RDWR)", lambda: os.close(os.open("fifo", os.O_RDWR)))
    c("truncate(chr)", os.truncate, "chr", 0)
    for p in ("chr", "blk", "sock"):
        c(f"unlink({p})", os.unlink, p)

    # Open flags, reads and writes.
    t.open("ro", "f", os.O_RDONLY)
    c("write(ro fd)", lambda: os.write(t.fd("ro"), b"x"))
    c("ftruncate(ro fd)", lambda: os.ftruncate(t.fd("ro"), 0))
    c("fallocate(ro fd)", lambda: fallocate(t.fd("ro"), 0, 0, 10))
    t.open("wo", "f", os.O_WRONLY)
    c("read(wo fd)", lambda: os.read(t.fd("wo"), 1))
    t.open("ap", "f", os.O_WRONLY | os.O_APPEND)
    c("write(ap fd)", lambda: os.write(t.fd("ap"), b" world"))
    c("pwrite(ap fd, at 0)", lambda: os.pwrite(t.fd("ap"), b"!", 0))
    c("read(f)", read_file, "f")
    c("fallocate(ap fd, PUNCH_HOLE|KEEP_SIZE)", lambda: fallocate(t.fd("ap"), 3, 0, 1))
    t.open("path", "f", os.O_PATH)
    c("read(O_PATH fd)", lambda: os.read(t.fd("path"), 1))
    c("fstat(O_PATH fd)", lambda: os.fstat(t.fd("path")))
    c("fchmod(O_PATH fd)", lambda: os.fchmod(t.fd("path"), 0o644))
    t.open("tr", "f", os.O_WRONLY | os.O_TRUNC)
    c("stat(f) after O_TRUNC", os.stat, "f")
    c("open(d, O_TMPFILE|O_RDWR)", lambda: os.close(os.open("d", os.O_TMPFILE | os.O_RDWR, 0o600)))
    c("open(f, O_TMPFILE|O_RDWR)", lambda: os.close(os.open("f", os.O_TMPFILE | os.O_RDWR, 0o600)))
    c("open(d, O_TMPFILE|O_RDONLY)", lambda: os.close(os.open("d", os.O_TMPFILE, 0o600)))
    t.open("dio", "dio", os.O_RDWR | os.O_CREAT | os.O_DIRECT)
    c("write(O_DIRECT fd, 1 byte)", lambda: os.write(t.fd("dio"), b"x"))
    c("unlink(dio)", os.unlink, "dio")
    c("lseek(f, SEEK_DATA past end)", lambda: os.lseek(t.fd("ro"), 1 << 20, os.SEEK_DATA))
    c("lseek(f, SEEK_HOLE, 0)", lambda: os.lseek(t.fd("ro"), 0, os.SEEK_HOLE))
    c("lseek(f, -1)", lambda: os.lseek(t.fd("ro"), -1, os.SEEK_SET))

    # Truncate and fallocate ranges.
    c("write(g, 8 KiB)", write_file, "g", b"g" * 8192)
    c("truncate(g, -1)", os.truncate, "g", -1)
    c("truncate(g, 2^62)", os.truncate, "g", 1 << 62)
    c("truncate(g, 16 TiB)", os.truncate, "g", 16 << 40)
    c("truncate(g, 100)", os.truncate, "g", 100)
    c("stat(g)", os.stat, "g")
    c("truncate(g, 1 MiB)", os.truncate, "g", 1 << 20)
    c("read(g)", read_file, "g")
    t.open("g", "g", os.O_RDWR)
    g = t.fd("g")
    for name, mode, off, ln in [
            ("0, 0, 0", 0, 0, 0), ("0, -1, 10", 0, -1, 10), ("0, 0, -1", 0, 0, -1),
            ("0, 2^62, 2^62", 0, 1 << 62, 1 << 62), ("0, 0, 2 MiB", 0, 0, 2 << 20),
            ("KEEP_SIZE, 0, 4 MiB", 1, 0, 4 << 20), ("PUNCH_HOLE, 0, 4096", 2, 0, 4096),
            ("PUNCH_HOLE|KEEP_SIZE, 0, 4096", 3, 0, 4096),
            ("PUNCH_HOLE|KEEP_SIZE, 100, 5000", 3, 100, 5000),
            ("ZERO_RANGE, 0, 8192", 16, 0, 8192), ("ZERO_RANGE|KEEP_SIZE, 4 MiB, 4096", 17, 4 << 20, 4096),
            ("COLLAPSE_RANGE, 100, 4096", 8, 100, 4096), ("COLLAPSE_RANGE, 0, 4096", 8, 0, 4096),
            ("INSERT_RANGE, 4096, 4096", 32, 4096, 4096), ("INSERT_RANGE, 100, 100", 32, 100, 100),
            ("COLLAPSE_RANGE|KEEP_SIZE, 0, 4096", 9, 0, 4096), ("mode 128", 128, 0, 10),
            ("UNSHARE_RANGE, 0, 4096", 64, 0, 4096)]:
        c(f"fallocate(g, {name})", fallocate, g, mode, off, ln)
        c("fstat(g)", os.fstat, g)
    c("read(g)", read_file, "g")
    c("fallocate(d fd, 0, 0, 10)", lambda: fallocate(t.fd("dir"), 0, 0, 10))
    t.open("fifo", "fifo", os.O_RDWR | os.O_NONBLOCK)
    c("fallocate(fifo fd)", lambda: fallocate(t.fd("fifo"), 0, 0, 10))

    # Locks.
    t.open("lk1", "f", os.O_RDWR)
    t.open("lk2", "f", os.O_RDWR)
    c("flock(lk1, EX)", fcntl.flock, t.fd("lk1"), fcntl.LOCK_EX | fcntl.LOCK_NB)
    c("flock(lk2, EX|NB)", fcntl.flock, t.fd("lk2"), fcntl.LOCK_EX | fcntl.LOCK_NB)
    c("flock(lk2, SH|NB)", fcntl.flock, t.fd("lk2"), fcntl.LOCK_SH | fcntl.LOCK_NB)
    c("flock(lk1, UN)", fcntl.flock, t.fd("lk1"), fcntl.LOCK_UN)
    c("flock(lk2, SH|NB) after unlock", fcntl.flock, t.fd("lk2"), fcntl.LOCK_SH | fcntl.LOCK_NB)
    c("lockf(ro fd, F_TLOCK)", fcntl.lockf, t.fd("ro"), fcntl.LOCK_EX | fcntl.LOCK_NB)
    c("lockf(lk1, F_TLOCK, 0..10)", fcntl.lockf, t.fd("lk1"), fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
    c("lockf(lk1, SH, -1 start)", fcntl.lockf, t.fd("lk1"), fcntl.LOCK_SH | fcntl.LOCK_NB, 10, -5)
    c("lockf(lk1, UN)", fcntl.lockf, t.fd("lk1"), fcntl.LOCK_UN, 10, 0)
    t.close_all()

    # Attributes.
    c("chmod(f, 4755)", os.chmod, "f", 0o4755)
    c("stat(f)", os.stat, "f")
    c("chown(f, 1000:1000)", os.chown, "f", USER, USER)
    c("stat(f) after chown: setuid cleared", os.stat, "f")
    c("chmod(f, 2755)", os.chmod, "f", 0o2755)
    c("chown(f, -1:-1)", os.chown, "f", -1, -1)
    c("stat(f)", os.stat, "f")
    c("chmod(f, 17777)", os.chmod, "f", 0o17777)
    c("stat(f)", os.stat, "f")
    c("chmod(f, 644)", os.chmod, "f", 0o644)
    c("chown(f, 2^32-2:0)", os.chown, "f", 0xfffffffe, 0)
    c("stat(f)", os.stat, "f")
    c("chown(f, 0:0)", os.chown, "f", 0, 0)
    c("lchown(l, 1000:1000)", os.lchown, "l", USER, USER)
    c("lstat(l)", os.lstat, "l")
    c("utime(f, 1, 2)", os.utime, "f", (1, 2))
    c("utime(f): mtime", lambda: os.stat("f").st_mtime_ns)
    c("utime(f, ns 5, 999999999)", os.utime, "f", ns=(5, 999999999))
    c("utime(f): mtime ns", lambda: os.stat("f").st_mtime_ns)
    c("utime(f, -1 s)", os.utime, "f", (-1, -1))
    c("utime(f): negative mtime", lambda: os.stat("f").st_mtime_ns)
    c("utime(f, 2^40 s)", os.utime, "f", (1 << 40, 1 << 40))
    c("utime(f): far mtime", lambda: os.stat("f").st_mtime_ns)
    c("utime(l, no follow)", os.utime, "l", (3, 4), follow_symlinks=False)
    c("lstat(l): mtime", lambda: os.lstat("l").st_mtime_ns)
    c("chmod(l) through link", os.chmod, "l", 0o640)
    c("stat(f)", os.stat, "f")
    c("statvfs: namemax", lambda: os.statvfs(".").f_namemax)
    c("access(f, W_OK)", faccessat, "f", os.W_OK)
    c("access(noexec/x)", faccessat, "noexec/x", os.F_OK)
    c("access(f, mode 8)", faccessat, "f", 8)
    c("access(f, AT_EACCESS|AT_SYMLINK_NOFOLLOW)", faccessat, "l", os.F_OK, 0x200 | 0x100)

    if emlink:
        # ext4 and the host's ext4 allow 65000 links to a file.
        def links():
            n = 0
            os.mkdir("many")
            write_file("many/f", b"")
            try:
                while True:
                    os.link("many/f", f"many/l{n}")
                    n += 1
            except OSError as e:
                err = e
            for i in range(n):
                os.unlink(f"many/l{i}")
            os.unlink("many/f")
            os.rmdir("many")
            return f"{n} then {errno.errorcode[err.errno]}"
        c("link(many/f, many/lN) until it fails", links)


def fixed_user(t):
    """The fixed list, as uid 1000 (the child process)."""
    c = t.call
    c("open(d/new, O_CREAT) in root's 755 dir", os.open, "d/new", os.O_CREAT | os.O_WRONLY)
    c("mkdir(d/new)", os.mkdir, "d/new")
    c("symlink(f, d/new)", os.symlink, "f", "d/new")
    c("mkfifo(d/new)", os.mkfifo, "d/new")
    c("link(f, d/new)", os.link, "f", "d/new")
    c("unlink(d/sub/x)", os.unlink, "d/sub/x")
    c("rename(d/sub/x, user/x)", os.rename, "d/sub/x", "user/x")
    c("rmdir(d/sub) not empty, no write", os.rmdir, "d/sub")
    c("rmdir(ro/missing)", os.rmdir, "ro/missing")
    c("open(secret, O_RDONLY)", os.open, "secret", os.O_RDONLY)
    c("open(f, O_WRONLY)", os.open, "f", os.O_WRONLY)
    c("open(f, O_RDONLY|O_TRUNC)", os.open, "f", os.O_RDONLY | os.O_TRUNC)
    c("open(f, O_NOATIME)", os.open, "f", os.O_RDONLY | os.O_NOATIME)
    c("truncate(f)", os.truncate, "f", 0)
    c("chmod(f)", os.chmod, "f", 0o666)
    c("chown(f, 1000:1000)", os.chown, "f", USER, USER)
    c("chown(f, -1:-1)", os.chown, "f", -1, -1)
    c("utime(f, now)", os.utime, "f", None)
    c("utime(f, 1, 2)", os.utime, "f", (1, 2))
    c("setxattr(f, user.u, v)", os.setxattr, "f", "user.u", b"v")
    c("getxattr(f, user.mid)", os.getxattr, "f", "user.mid")
    c("setxattr(user, trusted.a, v)", os.setxattr, "user", "trusted.a", b"v")
    c("getxattr(f, trusted.a)", os.getxattr, "f", "trusted.a")
    c("stat(noexec/x) without search", os.stat, "noexec/x")
    c("readdir(noexec) without search", lambda: sorted(os.listdir("noexec")))
    c("access(secret, R_OK)", faccessat, "secret", os.R_OK)
    c("access(f, W_OK)", faccessat, "f", os.W_OK)
    c("access(noexec/x)", faccessat, "noexec/x", os.F_OK)
    c("mkdir(ro/x)", os.mkdir, "ro/x")
    # In the sticky directory.
    c("write(sticky/mine)", write_file, "sticky/mine", b"m", 0o666)
    c("unlink(sticky/root)", os.unlink, "sticky/root")
    c("rename(sticky/root, sticky/r2)", os.rename, "sticky/root", "sticky/r2")
    c("rename(sticky/mine, sticky/root)", os.rename, "sticky/mine", "sticky/root")
    c("open(sticky/root, O_WRONLY) 666", lambda: os.close(os.open("sticky/root", os.O_WRONLY)))
    c("setxattr(sticky, user.a) on 1777 dir", os.setxattr, "sticky", "user.a", b"v")
    c("mkdir(sticky/md)", os.mkdir, "sticky/md", 0o700)
    # What the user owns.
    c("write(user/own, 644)", write_file, "user/own", b"own")
    c("chmod(user/own, 4755)", os.chmod, "user/own", 0o4755)
    c("stat(user/own)", os.stat, "user/own")
    c("chmod(user/own, 2755)", os.chmod, "user/own", 0o2755)
    c("chown(user/own, -1:0)", os.chown, "user/own", -1, 0)
    c("chown(user/own, 0:-1)", os.chown, "user/own", 0, -1)
    c("stat(user/own)", os.stat, "user/own")
    c("write(user/own) clears nothing", lambda: os.close(os.open("user/own", os.O_WRONLY | os.O_APPEND)))
    c("utime(user/own, 1, 2)", os.utime, "user/own", (1, 2))
    c("mkdir(user/sd, 2775)", os.mkdir, "user/sd", 0o2775)
    c("stat(user/sd)", os.stat, "user/sd")
    c("link(secret, user/hl)", os.link, "secret", "user/hl")
    c("link(f, user/hf)", os.link, "f", "user/hf")
    c("symlink(secret, user/sl)", os.symlink, "../secret", "user/sl")
    c("open(user/sl)", os.open, "user/sl", os.O_RDONLY)
    c("mknod(user/chr)", os.mknod, "user/chr", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    c("rename(user/own, d/own)", os.rename, "user/own", "d/own")
    c("rename(user/sd, user/sd2)", os.rename, "user/sd", "user/sd2")
    c("setxattr(user/sd2, user.a, v)", os.setxattr, "user/sd2", "user.a", b"v")
    c("chmod(user, 555)", os.chmod, "user", 0o555)
    c("unlink(user/hf) in own 555 dir", os.unlink, "user/hf")
    c("chmod(user, 755)", os.chmod, "user", 0o755)


def random_ops(t, rng, steps, names):
    """Seeded random calls over a small set of names."""
    c = t.call
    flag_sets = [os.O_RDONLY, os.O_WRONLY | os.O_CREAT, os.O_RDWR | os.O_CREAT | os.O_EXCL,
                 os.O_WRONLY | os.O_TRUNC, os.O_RDWR | os.O_APPEND, os.O_RDONLY | os.O_DIRECTORY,
                 os.O_RDONLY | os.O_NOFOLLOW, os.O_WRONLY | os.O_CREAT | os.O_DIRECTORY]
    sizes = [-1, 0, 1, 4095, 4096, 70000]
    modes = [0o644, 0o600, 0o755, 0o000, 0o1777, 0o2750]
    for _ in range(steps):
        a, b = rng.choice(names), rng.choice(names)
        op = rng.randrange(17)
        if op == 0:
            fl, m = rng.choice(flag_sets), rng.choice(modes)
            c(f"open({show(a)}, {flags_name(fl)}, {m:o})", lambda: os.close(os.open(a, fl, m)))
        elif op == 1:
            m = rng.choice(modes)
            c(f"mkdir({show(a)}, {m:o})", os.mkdir, a, m)
        elif op == 2:
            c(f"rmdir({show(a)})", os.rmdir, a)
        elif op == 3:
            c(f"unlink({show(a)})", os.unlink, a)
        elif op == 4:
            fl = rng.choice([0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE])
            c(f"rename({show(a)}, {show(b)}, {fl})", renameat2, a, b, fl)
        elif op == 5:
            c(f"link({show(a)}, {show(b)})", os.link, a, b)
        elif op == 6:
            c(f"symlink({show(a)}, {show(b)})", os.symlink, a, b)
        elif op == 7:
            n = rng.choice(sizes)
            c(f"truncate({show(a)}, {n})", os.truncate, a, n)
        elif op == 8:
            n, off = rng.choice(sizes[1:]), rng.choice([0, 1, 5000])
            data = bytes([rng.randrange(256)]) * n

            def wr():
                fd = os.open(a, os.O_WRONLY)
                try:
                    return os.pwrite(fd, data, off)
                finally:
                    os.close(fd)
            c(f"pwrite({show(a)}, {n}, {off})", wr)
        elif op == 9:
            c(f"read({show(a)})", read_file, a)
        elif op == 10:
            xn = rng.choice(["user.a", "user.b", "user." + "x" * 251, "trusted.t", "bad"])
            fl, n = rng.choice([0, XATTR_CREATE, XATTR_REPLACE]), rng.choice([0, 10, 5000])
            c(f"setxattr({show(a)}, {show(xn)}, {n}, {fl})", lsetxattr, a, xn, b"v" * n, fl)
        elif op == 11:
            xn = rng.choice(["user.a", "user.b", "user.none"])
            c(f"getxattr({show(a)}, {xn})", lgetxattr, a, xn, 65536)
        elif op == 12:
            xn = rng.choice(["user.a", "user.b"])
            c(f"removexattr({show(a)}, {xn})", os.removexattr, a, xn, follow_symlinks=False)
        elif op == 13:
            m = rng.choice(modes)
            c(f"chmod({show(a)}, {m:o})", os.chmod, a, m)
        elif op == 14:
            c(f"lstat({show(a)})", os.lstat, a)
        elif op == 15:
            c(f"readlink({show(a)})", os.readlink, a)
        else:
            mode = rng.choice([0, 1, 3, 16, 8])
            off, n = rng.choice([0, 100, 4096]), rng.choice([0, 4096, 8192])

            def fa():
                fd = os.open(a, os.O_RDWR)
                try:
                    return fallocate(fd, mode, off, n)
                finally:
                    os.close(fd)
            c(f"fallocate({show(a)}, {mode}, {off}, {n})", fa)


def tree(t):
    """What the calls left: every entry below DIR, sorted, with what it holds."""
    c = t.call
    for top, dirs, files in os.walk(".", topdown=True):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(top, name)[2:]
            st = os.lstat(p)
            c(f"tree: {show(p)}", lambda: st)
            if stat.S_ISREG(st.st_mode):
                c(f"tree: read {show(p)}", read_file, p)
            if stat.S_ISLNK(st.st_mode):
                c(f"tree: readlink {show(p)}", lambda: os.readlink(p))
            if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
                c(f"tree: listxattr {show(p)}", lambda: sorted(x for x in os.listxattr(p, follow_symlinks=False)
                                                                    if x.startswith("user.")))


def as_user(fn):
    """Run fn as uid/gid 1000 in a child; its lines go to the same stdout."""
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(USER, USER, USER)
            os.setresuid(USER, USER, USER)
            fn()
            sys.stdout.flush()
            os._exit(0)
        except BaseException as e:
            print(f"# child failed: {e!r}", file=sys.stderr)
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    if status:
        sys.exit("errno_diff: the unprivileged part failed")


def cmd_run(args):
    os.chdir(args.dir)
    if os.listdir("."):
        sys.exit(f"errno_diff: {args.dir} is not empty")
    os.umask(0o022)
    out = sys.stdout
    print(f"# seed {args.seed}, {args.steps} random steps", file=sys.stderr)
    t = Transcript(out)
    fixed_root(t, args.emlink)
    # The child continues the numbering after the parent's last call.
    as_user(lambda: fixed_user(t))
    t.n += 10000
    t.call("mkdir(rnd, 777)", lambda: (os.mkdir("rnd"), os.chmod("rnd", 0o777))[1])
    os.chdir("rnd")
    rng = random.Random(args.seed)
    names = ["a", "b", "c", "d1", "d1/a", "d1/b", "d2", "d2/a", "d1/d3", "d1/d3/a",
             "a/x", N255, "d1/" + N255, N256]
    random_ops(t, rng, args.steps, names)
    t.n += 10000
    as_user(lambda: random_ops(t, rng, args.steps // 4, names))
    t.n += 10000
    os.chdir("..")
    tree(t)


def read_transcript(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            n, call, res = line.rstrip("\n").split("\t")
            rows.append((n, call, res))
    return rows


def read_allowed(path):
    """The table's rows: (configurations, call glob, ext4, hlinkfs)."""
    rows = []
    with open(path) as f:
        for line in f:
            cells = [x.strip() for x in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if len(cells) < 5 or not line.startswith("|") or set(cells[0]) <= set("-: "):
                continue
            if cells[0].lower() == "configurations":
                continue
            rows.append(([x.strip() for x in cells[0].split(",")],
                         cells[1].strip("`").replace("\\|", "|"), cells[2].strip("`"),
                         cells[3].strip("`")))
    return rows


def cmd_compare(args):
    ref, other = read_transcript(args.reference), read_transcript(args.other)
    allowed = read_allowed(args.allowed) if args.allowed else []
    if len(ref) != len(other):
        print(f"not ok - transcripts differ in length: {len(ref)} and {len(other)} calls")
    bad = listed = 0
    used = set()
    for (n1, c1, r1), (n2, c2, r2) in zip(ref, other):
        if (n1, c1) != (n2, c2):
            print(f"not ok - call {n1} is '{c1}' in one and '{c2}' in the other")
            return 1
        if r1 == r2:
            continue
        for i, (cfgs, glob, want1, want2) in enumerate(allowed):
            if (args.config in cfgs or "*" in cfgs) and fnmatch.fnmatchcase(c1, glob) and \
                    fnmatch.fnmatchcase(r1, want1) and fnmatch.fnmatchcase(r2, want2):
                listed += 1
                used.add(i)
                break
        else:
            bad += 1
            print(f"not ok - {n1} {c1}: ext4 {r1}, {args.config} {r2}")
    n = min(len(ref), len(other))
    print(f"# {args.config}: {n} calls compared, {bad} unlisted differences, "
          f"{listed} listed in {args.allowed or 'no table'}")
    return 1 if bad or len(ref) != len(other) else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="make the calls in DIR, print the transcript")
    r.add_argument("dir")
    r.add_argument("--seed", type=int, default=None, help="random part's seed (default: random)")
    r.add_argument("--steps", type=int, default=600, help="random calls (default 600)")
    r.add_argument("--no-emlink", dest="emlink", action="store_false",
                   help="skip the 65000-link case")
    m = sub.add_parser("compare", help="compare two transcripts")
    m.add_argument("reference")
    m.add_argument("other")
    m.add_argument("--config", required=True, help="the configuration OTHER ran on")
    m.add_argument("--allowed", help="the table of differences by design")
    args = ap.parse_args()
    if args.cmd == "run":
        if args.seed is None:
            args.seed = random.SystemRandom().randrange(1 << 31)
        cmd_run(args)
        return 0
    return cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
