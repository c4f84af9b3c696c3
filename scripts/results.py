#!/usr/bin/env python3
"""Derive figures from raw run output; never edits the raw files.

  results.py summarize RUN            write RUN/summary.csv from the raw files
  results.py check RUN                rebuild the summary and compare it with
                                      RUN/summary.csv; exit 1 on a difference
  results.py table RUN [--baseline C] print each workload's headline metric,
                                      with ratios to configuration C
  results.py markdown RUN [--baseline C[,D]]
                                      the headline table in Markdown
  results.py compare A B              compare two runs (same configurations)
  results.py compare RUN --configs X,Y
                                      compare two configurations in one run

A run directory holds <config>/<workload>/rep-<n>/ with fio.json (fio's JSON
output) and/or metrics.csv (rows of metric,value,unit written by a script
workload), plus a status file holding the exit status of that repetition.
"""
import argparse
import csv
import glob
import io
import json
import math
import os
import re
import statistics
import sys

# Two-sided 95% Student t quantiles by degrees of freedom; 1.96 beyond.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365,
       8: 2.306, 9: 2.262, 10: 2.228, 15: 2.131, 20: 2.086, 30: 2.042}

FIELDS = ["config", "workload", "metric", "unit", "better", "n", "median",
          "min", "max", "ci95_low", "ci95_high"]


def t95(df):
    if df <= 0:
        return 0.0
    keys = sorted(k for k in T95 if k <= df)
    return T95[keys[-1]] if df <= 30 else 1.96


def better_of(unit):
    """Whether a larger value is better, from the unit."""
    return "lower" if unit in ("us", "ms", "s", "calls/op") else "higher"


def fio_metrics(path):
    """Metrics from one fio JSON file, summed over its jobs."""
    with open(path) as f:
        text = f.read()
    # fio may print notes before the JSON object.
    data = json.loads(text[text.index("{"):])
    out = {}
    jobs = data.get("jobs", [])
    out["ops"] = (sum(j[d]["total_ios"] for j in jobs for d in ("read", "write")
                      if d in j), "count")
    for d in ("read", "write"):
        stats = [j[d] for j in jobs if j.get(d, {}).get("io_bytes", 0) > 0]
        if not stats:
            continue
        out[f"{d}_iops"] = (sum(s["iops"] for s in stats), "IOPS")
        out[f"{d}_bw_mib"] = (sum(s["bw_bytes"] for s in stats) / 2**20, "MiB/s")
        pct = stats[0].get("clat_ns", {}).get("percentile", {})
        for p, v in pct.items():
            name = re.sub(r"\.?0+$", "", p).replace(".", "_")
            out[f"{d}_clat_p{name}_us"] = (v / 1000.0, "us")
        mean = stats[0].get("clat_ns", {}).get("mean")
        if mean is not None:
            out[f"{d}_clat_mean_us"] = (mean / 1000.0, "us")
    # Jobs with their own names (phases, as in meta-fio) also get their own
    # IOPS: <jobname>_iops.
    names = [j.get("jobname") for j in jobs]
    if len(set(names)) > 1:
        for j in jobs:
            ios = sum(j[d]["total_ios"] for d in ("read", "write") if d in j)
            if ios:
                out[f"{j['jobname']}_iops"] = (sum(j[d]["iops"] for d in ("read", "write")
                                                   if d in j), "IOPS")
    return out


def csv_metrics(path):
    out = {}
    with open(path) as f:
        for row in csv.reader(f):
            if len(row) == 3 and row[0] != "metric":
                out[row[0]] = (float(row[1]), row[2])
    return out


def rep_metrics(rep_dir):
    m = {}
    if os.path.exists(os.path.join(rep_dir, "fio.json")):
        m.update(fio_metrics(os.path.join(rep_dir, "fio.json")))
    if os.path.exists(os.path.join(rep_dir, "metrics.csv")):
        m.update(csv_metrics(os.path.join(rep_dir, "metrics.csv")))
    return m


def rep_ok(rep_dir):
    try:
        with open(os.path.join(rep_dir, "status")) as f:
            return f.read().strip() == "0"
    except OSError:
        return False


# Host system calls that act on files; the rest of what a VMM calls (ptrace,
# wait4, signals, timers) is the cost of running guest code at all.
FILE_CALLS = {
    "read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev",
    "open", "openat", "open_by_handle_at", "name_to_handle_at", "close", "lseek",
    "stat", "lstat", "fstat", "newfstatat", "statx", "statfs", "fstatfs", "getdents64",
    "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2",
    "link", "linkat", "symlink", "symlinkat", "readlink", "readlinkat", "chmod",
    "fchmod", "fchmodat", "chown", "fchown", "fchownat", "utimensat", "truncate",
    "ftruncate", "fallocate", "fsync", "fdatasync", "mknodat", "setxattr", "getxattr",
    "listxattr", "removexattr", "fsetxattr", "fgetxattr", "access", "faccessat",
    "ioctl", "io_uring_enter", "io_submit", "io_getevents",
}


def strace_counts(path):
    """{syscall: calls} from an 'strace -c' summary."""
    counts = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
                try:
                    counts[parts[-1]] = int(parts[3])
                except ValueError:
                    pass
    return counts


def call_metrics(wdir):
    """Host calls per guest operation, from the two strace runs of a workload:
    (calls at scale 2 - calls at scale 1) / (ops at scale 2 - ops at scale 1)."""
    points = []
    for k in (1, 2):
        d = os.path.join(wdir, f"calls-{k}")
        if not (rep_ok(d) and os.path.exists(os.path.join(d, "strace.txt"))):
            return {}
        counts = strace_counts(os.path.join(d, "strace.txt"))
        ops = rep_metrics(d).get("ops", (0, ""))[0]
        points.append((sum(counts.values()),
                       sum(v for k2, v in counts.items() if k2 in FILE_CALLS), ops))
    (t1, f1, o1), (t2, f2, o2) = points
    if o2 <= o1:
        return {}
    return {"host_calls_per_op": ((t2 - t1) / (o2 - o1), "calls/op"),
            "host_file_calls_per_op": ((f2 - f1) / (o2 - o1), "calls/op")}


def collect(run):
    """{(config, workload, metric): (unit, [values])} over good repetitions."""
    samples = {}
    for config in sorted(os.listdir(run)):
        cdir = os.path.join(run, config)
        if not os.path.isdir(cdir):
            continue
        for workload in sorted(os.listdir(cdir)):
            wdir = os.path.join(cdir, workload)
            if not os.path.isdir(wdir):
                continue
            for rep in sorted(os.listdir(wdir)):
                rdir = os.path.join(wdir, rep)
                if not rep.startswith("rep-") or not rep_ok(rdir):
                    continue
                for metric, (value, unit) in rep_metrics(rdir).items():
                    key = (config, workload, metric)
                    samples.setdefault(key, (unit, []))[1].append(value)
            for metric, (value, unit) in call_metrics(wdir).items():
                samples[(config, workload, metric)] = (unit, [value])
    return samples


def summarize_values(values):
    n = len(values)
    mean = statistics.fmean(values)
    half = t95(n - 1) * statistics.stdev(values) / math.sqrt(n) if n > 1 else 0.0
    return {"n": n, "median": statistics.median(values), "min": min(values),
            "max": max(values), "ci95_low": mean - half, "ci95_high": mean + half}


def summary_rows(run):
    rows = []
    for (config, workload, metric), (unit, values) in sorted(collect(run).items()):
        row = {"config": config, "workload": workload, "metric": metric,
               "unit": unit, "better": better_of(unit)}
        row.update(summarize_values(values))
        rows.append(row)
    return rows


def fmt(v):
    return v if isinstance(v, (str, int)) else f"{v:.6g}"


def to_csv(rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, FIELDS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: fmt(r[k]) for k in FIELDS})
    return buf.getvalue()


def read_summary(run):
    with open(os.path.join(run, "summary.csv")) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("median", "min", "max", "ci95_low", "ci95_high"):
            r[k] = float(r[k])
        r["n"] = int(r["n"])
    return rows


def cmd_summarize(args):
    text = to_csv(summary_rows(args.run))
    with open(os.path.join(args.run, "summary.csv"), "w") as f:
        f.write(text)
    print(f"wrote {os.path.join(args.run, 'summary.csv')} "
          f"({text.count(chr(10)) - 1} rows)", file=sys.stderr)


def cmd_check(args):
    want = to_csv(summary_rows(args.run))
    with open(os.path.join(args.run, "summary.csv")) as f:
        have = f.read()
    if want != have:
        print(f"{args.run}/summary.csv does not match its raw files", file=sys.stderr)
        return 1
    print(f"{args.run}/summary.csv matches its raw files")
    return 0


def headline(run, workload):
    """The metric a workload file names on its '# headline:' line."""
    cdirs = [d for d in os.listdir(run) if os.path.isdir(os.path.join(run, d))]
    for c in cdirs:
        wdir = os.path.join(run, c, workload)
        for rep in sorted(os.listdir(wdir)) if os.path.isdir(wdir) else []:
            if not rep.startswith(("rep-", "calls-")):
                continue
            for name in os.listdir(os.path.join(wdir, rep)):
                if name.startswith(workload + "."):
                    with open(os.path.join(wdir, rep, name)) as f:
                        m = re.search(r"^# headline:\s*(\S+)", f.read(), re.M)
                    if m:
                        return m.group(1)
    return None


def not_run(run):
    out = {}
    for c in sorted(os.listdir(run)):
        p = os.path.join(run, c, "not-run.txt")
        if os.path.exists(p):
            with open(p) as f:
                out[c] = f.read().strip()
    return out


def cmd_table(args):
    rows = read_summary(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    configs = sorted({r["config"] for r in rows})
    bases = args.baseline.split(",")
    for workload in sorted({r["workload"] for r in rows}):
        metric = headline(args.run, workload)
        if metric is None:
            continue
        unit = next((r["unit"] for r in rows if r["metric"] == metric), None)
        if unit is None:
            print(f"\n{workload}: headline metric {metric} not found in the results")
            continue
        print(f"\n{workload}: {metric} ({unit}, {better_of(unit)} is better)")
        print(f"  {'config':<14} {'median':>11} {'95% CI':>23} {'n':>2}" +
              "".join(f" {'x ' + b:>13}" for b in bases) + f" {'calls/op':>9} {'file':>6}")
        for c in configs:
            r = by.get((c, workload, metric))
            if r is None:
                continue
            ratios = ""
            for b in bases:
                base = by.get((b, workload, metric))
                ratios += f" {r['median'] / base['median']:>13.3f}" if base and base["median"] else f" {'-':>13}"
            calls = by.get((c, workload, "host_calls_per_op"))
            fcalls = by.get((c, workload, "host_file_calls_per_op"))
            ci = f"[{r['ci95_low']:.4g}, {r['ci95_high']:.4g}]"
            print(f"  {c:<14} {r['median']:>11.4g} {ci:>23} {r['n']:>2}{ratios}"
                  f" {calls['median'] if calls else float('nan'):>9.2f}"
                  f" {fcalls['median'] if fcalls else float('nan'):>6.2f}")
    for c, why in not_run(args.run).items():
        print(f"\n{why}")
    for p in sorted(glob.glob(os.path.join(args.run, "*", "*", "not-run.txt"))):
        with open(p) as f:
            print(f"\n{p.split(os.sep)[-3]}: {f.read().strip()}")
    return 0


def cmd_markdown(args):
    """The headline metric of every workload as one Markdown table."""
    rows = read_summary(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    bases = args.baseline.split(",")
    workloads = [w for w in sorted({r["workload"] for r in rows}) if headline(args.run, w)]
    configs = sorted({r["config"] for r in rows})
    head = "| config | " + " | ".join(
        f"{w}: {headline(args.run, w)}" + "".join(f" | x {b}" for b in bases) for w in workloads) + " |"
    print(head)
    print("|---" * (1 + len(workloads) * (1 + len(bases))) + "|")
    for c in configs:
        cells = []
        for w in workloads:
            m = headline(args.run, w)
            r = by.get((c, w, m))
            cells.append(f"{r['median']:.4g}" if r else "-")
            for b in bases:
                base = by.get((b, w, m))
                cells.append(f"{r['median'] / base['median']:.2f}" if r and base and base["median"]
                             else "-")
        print(f"| {c} | " + " | ".join(cells) + " |")
    return 0


def cmd_compare(args):
    if args.configs:
        x, y = args.configs.split(",")
        rows = read_summary(args.a)
        a = {(r["workload"], r["metric"]): r for r in rows if r["config"] == x}
        b = {(r["workload"], r["metric"]): r for r in rows if r["config"] == y}
        title = f"{y} against {x}"
    else:
        if not args.b:
            print("compare needs two runs, or one run and --configs X,Y", file=sys.stderr)
            return 2
        a = {(r["config"], r["workload"], r["metric"]): r for r in read_summary(args.a)}
        b = {(r["config"], r["workload"], r["metric"]): r for r in read_summary(args.b)}
        title = f"{args.b} against {args.a}"
    print(title)
    print(f"  {'key':<58} {'base':>10} {'new':>10} {'delta':>8}  better  significant")
    for key in sorted(set(a) & set(b)):
        ra, rb = a[key], b[key]
        if args.metric and not re.search(args.metric, key[-1]):
            continue
        delta = (rb["median"] - ra["median"]) / ra["median"] * 100 if ra["median"] else float("nan")
        apart = rb["ci95_low"] > ra["ci95_high"] or rb["ci95_high"] < ra["ci95_low"]
        gain = (delta > 0) == (ra["better"] == "higher")
        mark = ("yes, " + ("better" if gain else "WORSE")) if apart else "no"
        print(f"  {'/'.join(key):<58} {ra['median']:>10.4g} {rb['median']:>10.4g} "
              f"{delta:>+7.1f}%  {ra['better']:<6}  {mark}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("summarize")
    s.add_argument("run")
    s = sub.add_parser("check")
    s.add_argument("run")
    s = sub.add_parser("table")
    s.add_argument("run")
    s.add_argument("--baseline", default="native")
    s = sub.add_parser("markdown")
    s.add_argument("run")
    s.add_argument("--baseline", default="native")
    s = sub.add_parser("compare")
    s.add_argument("a")
    s.add_argument("b", nargs="?")
    s.add_argument("--configs")
    s.add_argument("--metric", help="only metrics matching this regex")
    args = p.parse_args()
    return {"summarize": cmd_summarize, "check": cmd_check, "table": cmd_table,
            "markdown": cmd_markdown, "compare": cmd_compare}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
