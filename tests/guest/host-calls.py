#!/usr/bin/env python3
"""Host calls per guest operation on hlinkfs, counted exactly.

Runs in a guest with the working directory on an hlinkfs mount. The mount's
own counters (the "hlink calls:" line hlinkfs adds to /proc/self/mountstats)
are read around each operation kind; every check states how many calls the
operation may cost, and the table printed at the end gives the calls per
operation by op.

The checks run on mounts of the same export with a 60 s attribute timeout, so
that a slow guest cannot outlast the timeout inside a measured loop and add a
revalidation that the operation itself does not need.
"""
import os
import subprocess
import sys

N = 50
failed = 0
HOME = os.getcwd()
MNT = "/tmp/host-calls-main"
TIMEOUT = "attr_timeout=60000"


def counters(mnt=None):
    mnt = mnt or MNT
    block = None
    with open("/proc/self/mountstats") as f:
        for line in f:
            if line.startswith("device "):
                words = line.split()
                block = words[4] == mnt and "fstype hlinkfs" in line
            elif block and line.strip().startswith("hlink calls:"):
                return {k: int(v) for k, v in (w.split("=") for w in line.split()[2:])}
    sys.exit(f"host-calls: no hlink counters for {mnt} in /proc/self/mountstats")


def measure(what, fn, n=N, mnt=None):
    before = counters(mnt)
    fn()
    after = counters(mnt)
    delta = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    per = {k: v / n for k, v in delta.items()}
    print(f"host-calls: {what}: " + (", ".join(f"{k} {v:g}" for k, v in sorted(per.items())) or "none")
          + " per operation", flush=True)
    return per


def check(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    failed += not ok


def creates():
    for i in range(N):
        os.close(os.open(f"c{i}", os.O_CREAT | os.O_WRONLY, 0o644))


def stats():
    for i in range(N):
        os.stat(f"c{i}")


data = os.urandom(1 << 20)


def write_file():
    with open("big", "wb") as f:
        for _ in range(4):
            f.write(data)
        f.flush()
        os.fsync(f.fileno())


def read_file():
    with open("big", "rb") as f:
        while f.read(1 << 20):
            pass


def unlinks():
    for i in range(N):
        os.unlink(f"c{i}")


LIST = 500


def ls_l(d="list"):
    for n in os.listdir(d):
        os.lstat(f"{d}/{n}")


def export_of(mnt):
    with open("/proc/self/mounts") as f:
        for line in f:
            dev, where, fstype, opts = line.split()[:4]
            if where == mnt and fstype == "hlinkfs":
                return next(o[7:] for o in opts.split(",") if o.startswith("export="))
    sys.exit(f"host-calls: {mnt} is not an hlinkfs mount")


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def mount(where, opts=""):
    os.makedirs(where, exist_ok=True)
    subprocess.run(["mount", "-t", "hlinkfs", "-o", f"export={export_of(HOME)},{TIMEOUT}{opts}",
                    "none", where], check=True)


def main():
    mount(MNT)
    try:
        os.chdir(MNT)
        return checks()
    finally:
        os.chdir(HOME)
        subprocess.run(["umount", MNT], check=True)


def checks():
    os.makedirs("host-calls", exist_ok=True)
    os.chdir("host-calls")
    per = measure("open(O_CREAT) of a new name", creates)
    # The close is a RELEASE: the host closes the descriptor its create opened.
    check(per.get("CREATE") == 1 and per.get("RELEASE") == 1 and sum(per.values()) == 2,
          f"a create is one call, CREATE, with no LOOKUP of the missing name, "
          f"and its close one RELEASE ({per})")
    per = measure("stat within the attribute timeout", stats)
    check(not per, f"a stat within the attribute timeout costs no call ({per})")
    write_file()
    read_file()
    per = measure("open and read of a 4 MiB file this guest wrote and read", read_file, 1)
    check("READ" not in per, f"reading a file this guest wrote and read back needs no READ ({per})")
    per = measure("unlink", unlinks)
    check(per.get("UNLINK") == 1, f"an unlink is one UNLINK ({per})")
    os.mkdir("list")
    for i in range(LIST):
        os.close(os.open(f"list/entry-{i:04d}", os.O_CREAT | os.O_WRONLY, 0o644))
    drop_caches()
    per = measure(f"ls -l of {LIST} entries the guest has not cached (per entry)", ls_l, LIST)
    calls = {k: round(v * LIST) for k, v in per.items()}
    check(calls.get("LOOKUP", 0) >= LIST and calls.get("READDIR", 0) <= 10,
          f"without readdirplus, ls -l is a LOOKUP per entry ({calls})")
    # The same directory through a second mount with readdirplus.
    plus = "/tmp/host-calls-plus"
    mount(plus, ",readdirplus")
    try:
        d = f"{plus}/host-calls/list"
        drop_caches()
        per = measure(f"ls -l of {LIST} uncached entries with readdirplus (per entry)",
                      lambda: ls_l(d), LIST, plus)
        calls = {k: round(v * LIST) for k, v in per.items()}
        # LOOKUPs for the path's two names; READDIR's handles do the rest.
        check(calls.get("LOOKUP", 0) <= 2 and "GETATTR" not in calls and 0 < calls.get("READDIR", 0) <= 10,
              f"with readdirplus, ls -l is a few READDIR calls, no LOOKUP or GETATTR per entry ({calls})")
        per = measure(f"ls -l of the same {LIST} entries again (per entry)", lambda: ls_l(d), LIST, plus)
        calls = {k: round(v * LIST) for k, v in per.items()}
        check(set(calls) == {"READDIR"} and calls["READDIR"] <= 10,
              f"with readdirplus, ls -l again within the attribute timeout is READDIR calls only ({calls})")
    finally:
        subprocess.run(["umount", plus], check=True)
    for i in range(LIST):
        os.unlink(f"list/entry-{i:04d}")
    os.rmdir("list")
    os.unlink("big")
    os.chdir("..")
    os.rmdir("host-calls")
    print(f"host-calls: {'all checks passed' if not failed else f'{failed} checks FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
