#!/usr/bin/env python3
"""Locks through hlinkfs: two guests and a host process on one export.

    locks.py host --guest-run PATH --work DIR [--config hlink-user]
        boots guests A and B on one export (guest-run -e), drives them
        through the steps below, takes locks itself as a host process, and
        prints one "ok"/"not ok" line per check; exit 1 if any failed.
    locks.py agent --name A --dir DIR
        (inside a guest) obeys the commands the host writes to DIR/ctl and
        answers in DIR/state-A.

For each kind (flock, fcntl record locks, OFD locks), on its own file:
exclusion between guests and between a guest and a host process, F_GETLK
across guests, a blocking wait that really waits and wakes when the holder
lets go, shared read locks, release on close, and release when a guest is
killed (SIGKILL of its VMM).
"""
import argparse
import errno
import fcntl
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

KINDS = ("flock", "posix", "ofd")
F_OFD_GETLK = getattr(fcntl, "F_OFD_GETLK", 36)
F_OFD_SETLK = getattr(fcntl, "F_OFD_SETLK", 37)
F_OFD_SETLKW = getattr(fcntl, "F_OFD_SETLKW", 38)
BUSY = (errno.EAGAIN, errno.EACCES)


def flock_struct(ltype, start=0, length=0):
    return struct.pack("hhqqi4x", ltype, os.SEEK_SET, start, length, 0)


def take(fd, kind, ltype, wait=False):
    """One lock call as a program makes it; None, or the errno name."""
    try:
        if kind == "flock":
            op = {fcntl.F_RDLCK: fcntl.LOCK_SH, fcntl.F_WRLCK: fcntl.LOCK_EX,
                  fcntl.F_UNLCK: fcntl.LOCK_UN}[ltype]
            fcntl.flock(fd, op | (0 if wait else fcntl.LOCK_NB))
        else:
            if kind == "posix":
                cmd = fcntl.F_SETLKW if wait else fcntl.F_SETLK
            else:
                cmd = F_OFD_SETLKW if wait else F_OFD_SETLK
            fcntl.fcntl(fd, cmd, flock_struct(ltype))
        return None
    except OSError as e:
        return "busy" if e.errno in BUSY else errno.errorcode.get(e.errno, str(e.errno))


def test(fd, kind, ltype):
    """F_GETLK (or F_OFD_GETLK): 'none' or 'TYPE START LEN PID'."""
    cmd = fcntl.F_GETLK if kind == "posix" else F_OFD_GETLK
    t, _, start, length, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, cmd, flock_struct(ltype)))
    if t == fcntl.F_UNLCK:
        return "none"
    return f"{'rd' if t == fcntl.F_RDLCK else 'wr'} {start} {length} {pid}"


TYPES = {"rd": fcntl.F_RDLCK, "wr": fcntl.F_WRLCK}

# ---- the agent, inside a guest ----------------------------------------------


def agent(name, d):
    fds = {}
    done = 0

    def fd_of(kind):
        if kind not in fds:
            fds[kind] = os.open(os.path.join(d, "lock-" + kind), os.O_RDWR)
        return fds[kind]

    def answer(seq, text):
        fd = os.open(os.path.join(d, f"state-{name}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, f"{seq} {text}\n".encode())
        os.close(fd)

    answer(0, "ready")
    while True:
        try:
            with open(os.path.join(d, "ctl")) as f:
                line = f.read()
        except OSError:
            line = ""
        words = line.split()
        # A whole command ends in "end"; the host may be halfway through writing it.
        if len(words) < 4 or words[-1] != "end" or words[1] != name or int(words[0]) <= done:
            time.sleep(0.02)
            continue
        seq, cmd, args = int(words[0]), words[2], words[3:-1]
        done = seq
        if cmd == "lock":
            kind, ltype, mode = args
            if mode == "wait":
                answer(seq, "waiting")
            err = take(fd_of(kind), kind, TYPES[ltype], wait=mode == "wait")
            answer(seq, err or "ok")
        elif cmd == "unlock":
            answer(seq, take(fd_of(args[0]), args[0], fcntl.F_UNLCK) or "ok")
        elif cmd == "test":
            answer(seq, test(fd_of(args[0]), args[0], TYPES[args[1]]))
        elif cmd == "close":
            os.close(fds.pop(args[0]))
            answer(seq, "ok")
        elif cmd == "exit":
            answer(seq, "bye")
            return 0
        else:
            answer(seq, "unknown-command")


# ---- the host: drives the guests, and takes locks itself --------------------


class Host:
    def __init__(self, tree):
        self.tree = tree
        self.seq = 0
        self.failed = 0
        self.held = {}

    def check(self, ok, what):
        print(("ok - " if ok else "not ok - ") + what, flush=True)
        if not ok:
            self.failed += 1

    def state(self, name):
        try:
            with open(os.path.join(self.tree, f"state-{name}")) as f:
                words = f.read().split(maxsplit=1)
            return int(words[0]), words[1].strip()
        except (OSError, ValueError, IndexError):
            return -1, ""

    def wait_state(self, name, seq, accept, timeout=30.0):
        """The answer to command seq once it is one of accept (or any, if None)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s, text = self.state(name)
            if s == seq and (accept is None or text in accept):
                return text
            time.sleep(0.01)
        s, text = self.state(name)
        return f"(no answer in {timeout:.0f} s; last: {s} {text})"

    def send(self, name, *words, accept=None, timeout=30.0):
        self.seq += 1
        # In place (same inode): the guest sees new content on its next open.
        with open(os.path.join(self.tree, "ctl"), "r+") as f:
            f.truncate(0)
            f.write(f"{self.seq} {name} {' '.join(words)} end\n")
        return self.wait_state(name, self.seq, accept, timeout)

    def try_lock(self, kind, ltype, hold=False):
        """A host process's attempt: 'ok' or 'busy'; with hold, keep what it got."""
        fd = os.open(os.path.join(self.tree, "lock-" + kind), os.O_RDWR)
        err = take(fd, kind, TYPES[ltype])
        if err is None and hold:
            self.held[kind] = fd
        else:
            os.close(fd)
        return err or "ok"

    def let_go(self, kind):
        os.close(self.held.pop(kind))


def start_guest(args, tree, name, res):
    work = os.path.join(args.work, name)
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, HLINK_WORK=work)
    log = open(os.path.join(res, f"{name}.log"), "w")
    p = subprocess.Popen([args.guest_run, "-q", "-t", "600", "-e", tree, "-r", os.path.join(res, name),
                          args.config, "--", "python3", os.path.abspath(__file__), "agent",
                          "--name", name, "--dir", "."],
                         env=env, stdout=log, stderr=subprocess.STDOUT)
    return p, work


def vmm_pid(work):
    out = subprocess.run(["pgrep", "-o", "-f", f"uml_dir={work}/"], capture_output=True, text=True)
    return int(out.stdout.split()[0]) if out.stdout.split() else None


def kind_checks(h, kind):
    c = h.check
    wr = "wr"
    c(h.send("A", "lock", kind, wr, "nb") == "ok", f"{kind}: guest A takes a write lock")
    c(h.send("B", "lock", kind, wr, "nb") == "busy", f"{kind}: guest B's write lock is refused (busy)")
    if kind != "flock":
        t = h.send("B", "test", kind, wr)
        want_pid = "-1" if kind == "ofd" else "0"
        c(t.split()[:1] == ["wr"] and t.split()[-1:] == [want_pid],
          f"{kind}: guest B's F_GETLK names A's write lock, with no pid of its own ({t})")
    c(h.try_lock(kind, wr) == "busy", f"{kind}: a host process's lock is refused while A holds it")
    got = h.send("B", "lock", kind, wr, "wait", accept={"waiting"})
    c(got == "waiting", f"{kind}: guest B waits for the lock ({got})")
    time.sleep(1.5)
    c(h.state("B") == (h.seq, "waiting"), f"{kind}: B is still waiting 1.5 s later ({h.state('B')})")
    wait_seq = h.seq
    t0 = time.monotonic()
    c(h.send("A", "unlock", kind) == "ok", f"{kind}: A lets go")
    got = h.wait_state("B", wait_seq, {"ok", "busy"} | {e for e in errno.errorcode.values()}, 10)
    woke = time.monotonic() - t0
    c(got == "ok", f"{kind}: B's wait ends with the lock once A lets go ({got}, {woke * 1000:.0f} ms)")
    print(f"locks: {kind}: waiter woke {woke * 1000:.0f} ms after the holder let go", flush=True)
    c(h.try_lock(kind, wr) == "busy", f"{kind}: the host process is refused while B holds it")
    c(h.send("B", "close", kind) == "ok" and h.try_lock(kind, wr, hold=True) == "ok",
      f"{kind}: B's close gives the lock up; the host process takes it")
    c(h.send("A", "lock", kind, "rd", "nb") == "busy", f"{kind}: the host process's lock excludes guest A")
    h.let_go(kind)
    c(h.send("A", "lock", kind, "rd", "nb") == "ok" and h.send("B", "lock", kind, "rd", "nb") == "ok"
      and h.try_lock(kind, "rd") == "ok" and h.try_lock(kind, wr) == "busy",
      f"{kind}: read locks of A, B and the host share; a write lock is refused")
    h.send("A", "unlock", kind)
    h.send("B", "unlock", kind)
    c(h.try_lock(kind, wr) == "ok", f"{kind}: free again once both let go")


def host(args):
    tree = tempfile.mkdtemp(prefix="locks.", dir=args.work)
    res = os.path.join(args.work, "res")
    os.makedirs(res, exist_ok=True)
    for f in ["ctl"] + ["lock-" + k for k in KINDS]:
        open(os.path.join(tree, f), "w").close()
    h = Host(tree)
    guests = {n: start_guest(args, tree, n, res) for n in ("A", "B")}
    try:
        for n in guests:
            got = h.wait_state(n, 0, {"ready"}, 120)
            if got != "ready":
                h.check(False, f"guest {n} is up ({got}); its log: {res}/{n}.log")
                return 1
        for kind in KINDS:
            kind_checks(h, kind)
        # A guest killed while it holds locks: the host frees them.
        for kind in KINDS:
            h.check(h.send("A", "lock", kind, "wr", "nb") == "ok", f"{kind}: A takes a lock before it dies")
        pid = vmm_pid(guests["A"][1])
        h.check(pid is not None, "guest A's VMM process is found")
        if pid:
            os.kill(pid, signal.SIGKILL)
            guests["A"][0].wait(60)
            t0 = time.monotonic()
            for kind in KINDS:
                while h.try_lock(kind, "wr") != "ok" and time.monotonic() - t0 < 10:
                    time.sleep(0.05)
                h.check(h.try_lock(kind, "wr") == "ok",
                        f"{kind}: the host process gets the lock after guest A is killed")
            print(f"locks: all three free {(time.monotonic() - t0) * 1000:.0f} ms after the kill",
                  flush=True)
        h.send("B", "exit", accept={"bye"})
        rc = guests["B"][0].wait(120)
        h.check(rc == 0, f"guest B ends cleanly ({rc})")
    finally:
        for p, _ in guests.values():
            if p.poll() is None:
                p.kill()
    print(f"locks: {'all checks passed' if not h.failed else f'{h.failed} checks FAILED'}", flush=True)
    return 1 if h.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="role", required=True)
    a = sub.add_parser("agent")
    a.add_argument("--name", required=True)
    a.add_argument("--dir", required=True)
    o = sub.add_parser("host")
    o.add_argument("--guest-run", required=True)
    o.add_argument("--work", required=True)
    o.add_argument("--config", default="hlink-user")
    args = ap.parse_args()
    return agent(args.name, args.dir) if args.role == "agent" else host(args)


if __name__ == "__main__":
    sys.exit(main())
