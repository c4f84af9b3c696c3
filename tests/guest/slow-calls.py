#!/usr/bin/env python3
"""Slow calls (FSYNC) on hlinkfs's host worker threads, checked from a guest.

Runs in a guest with the working directory on an hlinkfs mount (host=user).
Four processes write and fdatasync files of their own at once: their syncs
must be handed to the host's workers (the mount's interrupt counts them in
/proc/interrupts) and every byte must read back. One process alone stays on
the synchronous path, where a hand-off would only add its cost, and a
second mount with noasync hands nothing off.
"""
import os
import subprocess
import sys

ROUNDS = 200
JOBS = 4
failed = 0
MNT = os.getcwd()


def check(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    failed += not ok


def interrupts():
    with open("/proc/interrupts") as f:
        for line in f:
            if line.rstrip().endswith(" hlinkfs"):
                return sum(int(w) for w in line.split()[1:] if w.isdigit())
    return 0


def fsyncs(mnt):
    with open("/proc/self/mountstats") as f:
        block = False
        for line in f:
            if line.startswith("device "):
                block = line.split()[4] == mnt and "fstype hlinkfs" in line
            elif block and line.strip().startswith("hlink calls:"):
                return dict(w.split("=") for w in line.split()[2:]).get("FSYNC", "0")
    sys.exit(f"slow-calls: no hlink counters for {mnt}")


def block(job, i):
    return bytes([(job * 31 + i) % 251]) * 4096


def writer(path, job):
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    for i in range(ROUNDS):
        os.pwrite(fd, block(job, i), i * 4096)
        os.fdatasync(fd)
    os.close(fd)


def run(d, jobs):
    """jobs writers at once in directory d; the interrupts and FSYNCs they cost."""
    os.makedirs(d, exist_ok=True)
    mnt = MNT if d.startswith(MNT) else d.rsplit("/", 1)[0]
    irq0, calls0 = interrupts(), int(fsyncs(mnt))
    pids = []
    for job in range(jobs):
        pid = os.fork()
        if pid == 0:
            try:
                writer(f"{d}/job{job}", job)
            finally:
                os._exit(0)
        pids.append(pid)
    ok = all(os.waitpid(p, 0)[1] == 0 for p in pids)
    irq, calls = interrupts() - irq0, int(fsyncs(mnt)) - calls0
    for job in range(jobs):
        with open(f"{d}/job{job}", "rb") as f:
            data = f.read()
        ok = ok and data == b"".join(block(job, i) for i in range(ROUNDS))
        os.unlink(f"{d}/job{job}")
    return ok, irq, calls


def main():
    ok, irq, calls = run(f"{MNT}/slow-calls", JOBS)
    check(ok and calls == JOBS * ROUNDS, f"{JOBS} writers' data reads back; {calls} FSYNCs")
    check(irq >= calls // 4,
          f"with {JOBS} writers, syncs go to the host's workers ({irq} completions for {calls} FSYNCs)")
    ok, irq, calls = run(f"{MNT}/slow-calls", 1)
    check(ok and irq <= calls // 10,
          f"one writer alone stays synchronous ({irq} hand-offs for {calls} FSYNCs)")
    sync_mnt = "/tmp/slow-calls-noasync"
    os.makedirs(sync_mnt, exist_ok=True)
    with open("/proc/self/mounts") as f:
        export = next(o[7:] for line in f if line.split()[1] == MNT
                      for o in line.split()[3].split(",") if o.startswith("export="))
    subprocess.run(["mount", "-t", "hlinkfs", "-o", f"export={export},noasync", "none", sync_mnt],
                   check=True)
    try:
        with open("/proc/self/mounts") as f:
            check(any(line.split()[1] == sync_mnt and ",noasync" in line for line in f),
                  "the noasync mount shows noasync in /proc/mounts")
        ok, irq, calls = run(f"{sync_mnt}/slow-calls", JOBS)
        check(ok and calls == JOBS * ROUNDS and irq == 0,
              f"with noasync, {JOBS} writers' syncs all stay on the guest's CPU ({irq} hand-offs)")
    finally:
        subprocess.run(["umount", sync_mnt], check=True)
    os.rmdir(f"{MNT}/slow-calls")
    print("slow-calls: " + ("all checks passed" if not failed else f"{failed} checks failed"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
