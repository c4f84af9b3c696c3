#!/usr/bin/env python3
"""How soon a guest on hlinkfs sees a change made on the host side.

Runs inside a guest on hlinkfs ($HLINK_MNT, mounted with the default
attr_timeout) with a hostfs view of the same host directory (--host-view,
tests/guest/host-view.sh); it mounts the export a second time with
'strict'. For each kind of change and each way of looking, on each mount,
a guest process first looks at the file or directory (so the guest has it
cached), the change is made through the host view (and fsynced), and the
guest then polls every 10 ms, up to 5 s, until it sees the change.

It prints one line per measurement,
    coherence|CHANGE|POLL|MOUNT|TRIAL,TRIAL,...
where a trial is MS@N (milliseconds from the change to the poll that saw
it, and that poll's number, 1 being the first), 'never' (not seen in 5 s)
or the name of an error a poll met (such as ESTALE), and one line per
mount, coherence-mount|MOUNT|OPTIONS. scripts/analysis/coherence.py checks them
against the README's claims and renders the README's table.

usage: coherence.py --host-view DIR [--trials N]
"""
import errno
import os
import stat
import subprocess
import sys
import time

MNT = os.environ.get("HLINK_MNT", os.getcwd())
STRICT = "/tmp/hlink-strict"
POLL_S = 0.010
CAP_S = 5.0
SIZE = 4096


def hwrite(path, data, offset=None, mode="wb"):
    """Write through the host view, durably: the change is on the host when this returns."""
    with open(path, mode) as f:
        if offset is not None:
            f.seek(offset)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def gread(path):
    with open(path, "rb") as f:
        return f.read()


def exists(path):
    try:
        os.stat(path)
        return True
    except FileNotFoundError:
        return False


def opens(path):
    try:
        os.close(os.open(path, os.O_RDONLY))
        return True
    except FileNotFoundError:
        return False


def fstat_after_open(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.fstat(fd)
    finally:
        os.close(fd)


class Row:
    """One kind of change and one way of looking for it. Each method gets
    (guest path, host path) of the trial's directory."""
    change = poll = ""

    def setup(self, g, h):
        hwrite(os.path.join(h, "f"), b"A" * SIZE)

    def cache(self, g, h):
        os.stat(os.path.join(g, "f"))

    def make(self, g, h):
        raise NotImplementedError

    def seen(self, g, h):
        raise NotImplementedError

    def done(self, g, h):
        pass


class ContentRead(Row):
    change, poll = "content (same size)", "read on a descriptor opened before"

    def cache(self, g, h):
        self.fd = os.open(os.path.join(g, "f"), os.O_RDONLY)
        assert os.pread(self.fd, SIZE, 0) == b"A" * SIZE

    def make(self, g, h):
        hwrite(os.path.join(h, "f"), b"B" * SIZE, 0, "r+b")

    def seen(self, g, h):
        return os.pread(self.fd, SIZE, 0) == b"B" * SIZE

    def done(self, g, h):
        os.close(self.fd)


class ContentOpen(ContentRead):
    change, poll = "content (same size)", "open and read"

    def cache(self, g, h):
        assert gread(os.path.join(g, "f")) == b"A" * SIZE

    def seen(self, g, h):
        return gread(os.path.join(g, "f")) == b"B" * SIZE

    def done(self, g, h):
        pass


class SizeStat(Row):
    change, poll = "size (appended)", "stat"

    def make(self, g, h):
        hwrite(os.path.join(h, "f"), b"C" * SIZE, mode="ab")

    def seen(self, g, h):
        return os.stat(os.path.join(g, "f")).st_size == 2 * SIZE


class SizeOpen(SizeStat):
    poll = "open and fstat"

    def cache(self, g, h):
        fstat_after_open(os.path.join(g, "f"))

    def seen(self, g, h):
        return fstat_after_open(os.path.join(g, "f")).st_size == 2 * SIZE


class ModeStat(Row):
    change, poll = "mode (chmod)", "stat"

    def make(self, g, h):
        os.chmod(os.path.join(h, "f"), 0o600)

    def seen(self, g, h):
        return stat.S_IMODE(os.stat(os.path.join(g, "f")).st_mode) == 0o600


class ModeOpen(ModeStat):
    poll = "open and fstat"

    def cache(self, g, h):
        fstat_after_open(os.path.join(g, "f"))

    def seen(self, g, h):
        return stat.S_IMODE(fstat_after_open(os.path.join(g, "f")).st_mode) == 0o600


class Rename(Row):
    change, poll = "rename", "stat of the old and the new name"

    def cache(self, g, h):
        os.stat(os.path.join(g, "f"))
        assert not exists(os.path.join(g, "f.new"))

    def make(self, g, h):
        os.rename(os.path.join(h, "f"), os.path.join(h, "f.new"))

    def seen(self, g, h):
        return not exists(os.path.join(g, "f")) and exists(os.path.join(g, "f.new"))


class DeleteStat(Row):
    change, poll = "delete", "stat"

    def make(self, g, h):
        os.unlink(os.path.join(h, "f"))

    def seen(self, g, h):
        return not exists(os.path.join(g, "f"))


class DeleteOpen(DeleteStat):
    poll = "open"

    def cache(self, g, h):
        assert opens(os.path.join(g, "f"))

    def seen(self, g, h):
        return not opens(os.path.join(g, "f"))


class NewReaddir(Row):
    change, poll = "new entry", "readdir of its directory"

    def setup(self, g, h):
        hwrite(os.path.join(h, "old"), b"")

    def cache(self, g, h):
        assert "new" not in os.listdir(g)

    def make(self, g, h):
        hwrite(os.path.join(h, "new"), b"N")

    def seen(self, g, h):
        return "new" in os.listdir(g)


class NewStat(NewReaddir):
    poll = "stat of its name (looked up before it existed)"

    def cache(self, g, h):
        assert not exists(os.path.join(g, "new"))

    def seen(self, g, h):
        return exists(os.path.join(g, "new"))


class NewOpen(NewReaddir):
    poll = "open of its name (looked up before it existed)"

    def cache(self, g, h):
        assert not opens(os.path.join(g, "new"))

    def seen(self, g, h):
        return opens(os.path.join(g, "new"))


ROWS = [ContentRead, ContentOpen, SizeStat, SizeOpen, ModeStat, ModeOpen, Rename,
        DeleteStat, DeleteOpen, NewReaddir, NewStat, NewOpen]


def measure(row, g, h):
    """How the guest first saw the change: 'MS@POLL' (milliseconds from the
    change to the poll that saw it, and that poll's number, 1 the first),
    'never' (not in 5 s), or the name of an error a poll met."""
    row.cache(g, h)
    row.make(g, h)
    t0 = time.monotonic()
    n = 0
    try:
        while True:
            n += 1
            t = time.monotonic()
            if row.seen(g, h):
                return f"{(t - t0) * 1000:.1f}@{n}"
            if t - t0 > CAP_S:
                return "never"
            time.sleep(max(0.0, t0 + n * POLL_S - time.monotonic()))
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        row.done(g, h)


def mount_options(path):
    with open("/proc/mounts") as f:
        for line in f:
            p = line.split()
            if p[1] == path:
                return p[3]
    raise SystemExit(f"coherence: nothing mounted on {path}")


def main():
    if "--host-view" not in sys.argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    hv = sys.argv[sys.argv.index("--host-view") + 1]
    trials = int(sys.argv[sys.argv.index("--trials") + 1]) if "--trials" in sys.argv else 3
    opts = mount_options(MNT).split(",")
    export = next(o[len("export="):] for o in opts if o.startswith("export="))
    os.makedirs(STRICT, exist_ok=True)
    subprocess.run(["mount", "-t", "hlinkfs", "-o", f"export={export},host=user,strict",
                    "none", STRICT], check=True)
    mounts = {"default": MNT, "strict": STRICT}
    for name, path in mounts.items():
        shown = [o for o in mount_options(path).split(",") if o == "strict" or
                 o.startswith("attr_timeout=")]
        print(f"coherence-mount|{name}|{','.join(shown)}", flush=True)
    # Every trial's files are made first, then left alone a while: the
    # changes below must not share a host clock tick with their creation.
    plan = []
    for name in mounts:
        for k, cls in enumerate(ROWS):
            for t in range(trials):
                d = f"coherence/{name}-{k}-{t}"
                os.makedirs(os.path.join(hv, d))
                row = cls()
                row.setup(os.path.join(mounts[name], d), os.path.join(hv, d))
                plan.append((name, cls, row, d))
    time.sleep(0.2)
    results = {}
    for name, cls, row, d in plan:
        got = measure(row, os.path.join(mounts[name], d), os.path.join(hv, d))
        results.setdefault((cls, name), []).append(got)
    for cls in ROWS:
        for name in mounts:
            print(f"coherence|{cls.change}|{cls.poll}|{name}|{','.join(results[(cls, name)])}",
                  flush=True)
    subprocess.run(["umount", STRICT], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
