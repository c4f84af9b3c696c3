#!/usr/bin/env python3
"""One guest's share of a load on an export other guests use at the same time.

Runs JOBS processes for SECONDS. Each works in a tree of directories shared by
every job of every guest (d0..d7 under --dir), on files of its own (named
g<GUEST>j<JOB>-...): creates, appends, random writes, reads checked against
what it wrote, renames between the shared directories, deletes, listings
(each of its files must be listed where it put it), and reads of other jobs'
files (which may change or vanish under it: any content, ENOENT, or ESTALE
when another guest removed the file between lookup and read, as on NFS). At the
end each job checks all its files once more and writes what they must hold
to OUT/g<GUEST>j<JOB>.json, for a check of the final tree on the host.

usage: shared-load.py --guest G --jobs J --seconds S --dir DIR --out OUT [--seed N]
       shared-load.py --check --dir HOST_DIR OUT...
Prints one line per job: operations done, failures (must be 0), ops/s. With
--check (on the host, after every guest is gone): the tree at HOST_DIR holds
exactly the files the jobs' records in OUT... say, with their contents.
"""
import argparse
import errno
import hashlib
import json
import os
import random
import sys
import time

DIRS = 8


def job(a, j, seed):
    rnd = random.Random(seed)
    tag = f"g{a.guest}j{j}"
    files = {}           # name relative to --dir -> content
    fails = []
    ops = 0
    seq = 0
    end = time.monotonic() + a.seconds

    def path(rel):
        return os.path.join(a.dir, rel)

    def check(rel, why):
        with open(path(rel), "rb") as f:
            got = f.read()
        if got != files[rel]:
            fails.append(f"{why}: {rel}: {len(got)} bytes, {len(files[rel])} written")

    while time.monotonic() < end and len(fails) < 10:
        ops += 1
        op = rnd.random()
        mine = list(files)
        kind = "?"
        try:
            if op < 0.2 or not mine:
                kind = "create"
                seq += 1
                rel = f"d{rnd.randrange(DIRS)}/{tag}-{seq}"
                data = rnd.randbytes(rnd.randrange(0, 65536))
                with open(path(rel), "xb") as f:
                    f.write(data)
                files[rel] = data
            elif op < 0.35:
                kind = "append"
                rel = rnd.choice(mine)
                data = rnd.randbytes(rnd.randrange(1, 16384))
                with open(path(rel), "ab") as f:
                    f.write(data)
                files[rel] += data
            elif op < 0.5:
                kind = "write"
                rel = rnd.choice(mine)
                off = rnd.randrange(0, len(files[rel]) + 1)
                data = rnd.randbytes(rnd.randrange(1, 16384))
                fd = os.open(path(rel), os.O_WRONLY)
                try:
                    os.pwrite(fd, data, off)
                finally:
                    os.close(fd)
                cur = bytearray(files[rel])
                cur[off:off + len(data)] = data
                files[rel] = bytes(cur)
            elif op < 0.7:
                kind = "read"
                check(rnd.choice(mine), "read")
            elif op < 0.8:
                kind = "rename"
                rel = rnd.choice(mine)
                new = f"d{rnd.randrange(DIRS)}/{os.path.basename(rel)}"
                if new != rel:
                    os.rename(path(rel), path(new))
                    files[new] = files.pop(rel)
            elif op < 0.87:
                kind = "delete"
                rel = rnd.choice(mine)
                os.unlink(path(rel))
                del files[rel]
            elif op < 0.94:
                kind = "list"
                d = f"d{rnd.randrange(DIRS)}"
                listed = set(os.listdir(path(d)))
                for rel in files:
                    if rel.startswith(d + "/") and os.path.basename(rel) not in listed:
                        fails.append(f"listing: {rel} missing from {d}")
            else:
                kind = "read another job's file"
                d = f"d{rnd.randrange(DIRS)}"
                others = [n for n in os.listdir(path(d)) if not n.startswith(tag + "-")]
                if others:
                    try:
                        with open(path(f"{d}/{rnd.choice(others)}"), "rb") as f:
                            f.read()
                    except OSError as e:
                        # Another job renamed or deleted it; if another guest
                        # did, between our lookup and read, its handle is stale.
                        if e.errno not in (errno.ENOENT, errno.ESTALE):
                            raise
        except OSError as e:
            fails.append(f"op {ops} ({kind}): {errno.errorcode.get(e.errno, e.errno)}: {e}")
    for rel in list(files):
        try:
            check(rel, "final")
        except OSError as e:
            fails.append(f"final: {rel}: {e}")
    summary = {rel: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
               for rel, d in files.items()}
    with open(os.path.join(a.out, f"{tag}.json"), "w") as f:
        json.dump({"tag": tag, "ops": ops, "fails": fails, "files": summary}, f)
    return ops, fails


def check_tree(top, outs):
    """The final tree against every job's record; the number of problems."""
    want, bad = {}, 0
    for out in outs:
        for name in sorted(os.listdir(out)):
            if name.endswith(".json"):
                with open(os.path.join(out, name)) as f:
                    rec = json.load(f)
                want.update(rec["files"])
    for d in range(DIRS):
        for name in os.listdir(os.path.join(top, f"d{d}")):
            rel = f"d{d}/{name}"
            if rel not in want:
                print(f"shared-load: check: {rel} is on the host but in no job's record")
                bad += 1
                continue
            with open(os.path.join(top, rel), "rb") as f:
                data = f.read()
            w = want.pop(rel)
            if len(data) != w["size"] or hashlib.sha256(data).hexdigest() != w["sha256"]:
                print(f"shared-load: check: {rel}: {len(data)} bytes on the host, "
                      f"{w['size']} recorded, or other content")
                bad += 1
    for rel in want:
        print(f"shared-load: check: {rel} is recorded but not on the host")
        bad += 1
    print(f"shared-load: check: {sum(1 for _ in outs)} guests' records against the host tree: "
          f"{bad} problems")
    return bad


def main():
    if "--check" in sys.argv:
        ap = argparse.ArgumentParser()
        ap.add_argument("--check", action="store_true")
        ap.add_argument("--dir", required=True)
        ap.add_argument("outs", nargs="+")
        a = ap.parse_args()
        return 1 if check_tree(a.dir, a.outs) else 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--guest", type=int, required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    # guest-run passes arguments without a shell: "$HLINK_MNT/tree" arrives as is.
    a.dir, a.out = os.path.expandvars(a.dir), os.path.expandvars(a.out)
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"shared-load: guest {a.guest}, {a.jobs} jobs, {a.seconds:.0f} s, seed {seed}", flush=True)
    for d in range(DIRS):
        os.makedirs(os.path.join(a.dir, f"d{d}"), exist_ok=True)
    t0 = time.monotonic()
    pids = {}
    for j in range(a.jobs):
        pid = os.fork()
        if pid == 0:
            ops, fails = job(a, j, seed * 1000 + j)
            print(f"shared-load: guest {a.guest} job {j}: {ops} operations, {len(fails)} failures,"
                  f" {ops / (time.monotonic() - t0):.0f} ops/s", flush=True)
            for line in fails[:10]:
                print(f"  {line}", flush=True)
            os._exit(1 if fails else 0)
        pids[pid] = j
    bad = 0
    for pid in pids:
        bad |= os.waitpid(pid, 0)[1] != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
