#!/usr/bin/env python3
"""A run's raw repetitions, packed in one archive or not.

  runfs.py pack RUN      move RUN's raw repetitions and plot sources into
                         RUN/raw.tar.xz (merging with one already there)
  runfs.py pack --force RUN
                         the same for a run that never ended and will not
                         be resumed (the first harness's, in superseded/)
  runfs.py unpack RUN    put them back as files and remove the archive
  runfs.py raw RUN       print the directory that holds them as files

A finished run keeps as files what a reader opens: run.txt, summary.csv,
index.md, the plots' images, each configuration's config.sh, the workload
copies and not-run.txt files. Everything else (each repetition's
directory warmup/, rep-N/, calls-N/, each cell's needs.env, and the
plots' gnuplot scripts and data) goes into raw.tar.xz. Readers ask
raw_dir(RUN): the run itself when nothing is packed, else an extraction of
the archive kept under HLINK_RUN_CACHE (default /var/tmp/hlink-runs),
keyed by the archive's path, size and time, so it is made once (and
the extractions of the path's earlier archives are removed).
An unfinished run (no "ended:" in run.txt) is never packed: eval.sh
resumes it from its files.
"""
import hashlib
import io
import os
import re
import shutil
import sys
import tarfile
import tempfile

ARCHIVE = "raw.tar.xz"
REP = re.compile(r"^(warmup|rep-\d+|calls-\d+)$")


def packed_member(rel):
    """Whether the file at RUN-relative path REL belongs in the archive."""
    parts = rel.split("/")
    if parts[0] == "plots":
        return len(parts) == 2 and parts[1].endswith((".gp", ".dat"))
    if len(parts) >= 4 and REP.match(parts[2]):
        return True
    return len(parts) == 3 and parts[2] == "needs.env"


def loose_members(run):
    out = []
    for d, _, files in os.walk(run):
        for f in files:
            rel = os.path.relpath(os.path.join(d, f), run)
            if packed_member(rel):
                out.append(rel)
    return sorted(out)


def finished(run):
    try:
        with open(os.path.join(run, "run.txt")) as f:
            return re.search(r"^ended: ", f.read(), re.M) is not None
    except OSError:
        return False


def is_packed(run):
    return os.path.exists(os.path.join(run, ARCHIVE))


def pack(run, force=False):
    """Move the loose raw files into the archive; a file already in it is
    replaced by its loose copy. Returns the number of members."""
    if not force and not finished(run):
        raise SystemExit(f"runfs: {run} has not ended; an unfinished run stays unpacked")
    loose = loose_members(run)
    path = os.path.join(run, ARCHIVE)
    old = {}
    if os.path.exists(path):
        with tarfile.open(path, "r:xz") as t:
            for m in t.getmembers():
                if m.isfile() and m.name not in loose:
                    old[m.name] = (m, t.extractfile(m).read())
    if not loose and os.path.exists(path):
        return len(old)
    fd, tmp = tempfile.mkstemp(dir=run, prefix=".raw.", suffix=".tmp")
    os.close(fd)
    names = sorted(set(loose) | set(old))
    with tarfile.open(tmp, "w:xz", preset=9) as t:
        for name in names:
            if name in old:
                m, data = old[name]
                t.addfile(m, io.BytesIO(data))
            else:
                t.add(os.path.join(run, name), arcname=name, recursive=False)
    # Only a complete archive replaces the files.
    with tarfile.open(tmp, "r:xz") as t:
        got = {m.name for m in t.getmembers() if m.isfile()}
    if got != set(names):
        os.unlink(tmp)
        raise SystemExit(f"runfs: {run}: the new archive lacks {sorted(set(names) - got)[:3]}")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    for rel in loose:
        os.unlink(os.path.join(run, rel))
    for d, dirs, files in os.walk(run, topdown=False):
        if d != run and not os.listdir(d):
            os.rmdir(d)
    return len(names)


def unpack(run):
    path = os.path.join(run, ARCHIVE)
    if not os.path.exists(path):
        return 0
    with tarfile.open(path, "r:xz") as t:
        members = [m for m in t.getmembers() if m.isfile()]
        for m in members:
            if not packed_member(m.name) or ".." in m.name.split("/"):
                raise SystemExit(f"runfs: {path}: unexpected member {m.name}")
            dest = os.path.join(run, m.name)
            if not os.path.exists(dest):
                t.extract(m, run, set_attrs=False)
    os.unlink(path)
    return len(members)


def raw_dir(run):
    """The directory holding RUN's raw files as files."""
    path = os.path.join(run, ARCHIVE)
    if not os.path.exists(path):
        return run
    st = os.stat(path)
    where = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:12]
    key = hashlib.sha1(f"{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]
    root = os.environ.get("HLINK_RUN_CACHE", "/var/tmp/hlink-runs")
    prefix = f"{os.path.basename(os.path.abspath(run))}-{where}-"
    dest = os.path.join(root, prefix + key)
    if os.path.exists(os.path.join(dest, ".complete")):
        return dest
    os.makedirs(root, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=root, prefix=".x.")
    with tarfile.open(path, "r:xz") as t:
        for m in t.getmembers():
            if not m.isfile() or not packed_member(m.name) or ".." in m.name.split("/"):
                shutil.rmtree(tmp)
                raise SystemExit(f"runfs: {path}: unexpected member {m.name}")
            t.extract(m, tmp, set_attrs=False)
    open(os.path.join(tmp, ".complete"), "w").close()
    try:
        os.rename(tmp, dest)
    except OSError:
        # Another reader made it first.
        shutil.rmtree(tmp)
    # Extractions of earlier archives at this same path are stale.
    for old in os.listdir(root):
        if old.startswith(prefix) and old != os.path.basename(dest):
            shutil.rmtree(os.path.join(root, old), ignore_errors=True)
    return dest


def main():
    args = sys.argv[1:]
    force = args[:2] == ["pack", "--force"]
    if force:
        args = ["pack"] + args[2:]
    if len(args) != 2 or args[0] not in ("pack", "unpack", "raw"):
        print(__doc__, file=sys.stderr)
        return 2
    cmd, run = args
    if not os.path.isdir(run):
        print(f"runfs: no run directory {run}", file=sys.stderr)
        return 2
    if cmd == "pack":
        n = pack(run, force)
        print(f"runfs: {run}: {n} raw files in {ARCHIVE}", file=sys.stderr)
    elif cmd == "unpack":
        n = unpack(run)
        print(f"runfs: {run}: {n} raw files unpacked", file=sys.stderr)
    else:
        print(raw_dir(run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
