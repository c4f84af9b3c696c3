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
  results.py ratio RUN NEW BASE WORKLOAD [--metric M] [--base-metric M2]
                                      NEW's headline (or M) over BASE's (or
                                      BASE's M2), with its 95% interval and
                                      verdict
  results.py versus RUN NEW           NEW's headline over every other
                                      configuration's, per workload, as a
                                      Markdown table of ratios with intervals
  results.py cost RUN                 host cost per guest operation as a
                                      Markdown table: CPU time, file and VMM
                                      system calls, each with its interval
  results.py steps RUN WORKLOAD       a script workload's seconds per step
                                      (STEP_s metrics), per configuration, as
                                      a Markdown table of medians with their
                                      intervals
  results.py duration RUN             the run's wall time from run.txt, and
                                      how many runs it made
  results.py converged RUN --within P exit 0 if every headline interval is
                                      within +-P% of its centre, else print
                                      the cells that are not

Statistics: the centre is the median of the counted repetitions; its 95%
interval is a percentile bootstrap of the median (BOOT resamples, seeded by
the cell's name, so a summary rebuilds to the same digits). A ratio between
two configurations is the ratio of their medians, with a 95% interval from
bootstrapping both samples; it is called better or worse only when that
interval excludes 1. With fewer than MIN_N repetitions no interval and no
claim is made: "n/a".

A run directory holds <config>/<workload>/rep-<n>/ with fio.json (fio's JSON
output) and/or metrics.csv (rows of metric,value,unit written by a script
workload), plus a status file holding the exit status of that repetition.
"""
import argparse
import csv
import glob
import io
import json
import os
import re
import random
import statistics
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runfs  # noqa: E402
import workloads  # noqa: E402

BOOT = 2000     # bootstrap resamples
MIN_N = 3       # fewer repetitions: no interval, no claim

FIELDS = ["config", "workload", "metric", "unit", "better", "n", "median",
          "min", "max", "ci95_low", "ci95_high"]


def _rng(*key):
    return random.Random(zlib.crc32("/".join(map(str, key)).encode()))


def median_ci(values, *key):
    """95% percentile-bootstrap interval of the median, or None if n < MIN_N."""
    n = len(values)
    if n < MIN_N:
        return None
    rnd = _rng("median", *key)
    meds = sorted(statistics.median(rnd.choices(values, k=n)) for _ in range(BOOT))
    return meds[int(0.025 * BOOT)], meds[int(0.975 * BOOT) - 1]


def ratio_ci(a, b, *key):
    """median(a) / median(b) with a 95% bootstrap interval, or None."""
    if len(a) < MIN_N or len(b) < MIN_N or statistics.median(b) == 0:
        return None
    rnd = _rng("ratio", *key)
    rs = []
    for _ in range(BOOT):
        mb = statistics.median(rnd.choices(b, k=len(b)))
        ma = statistics.median(rnd.choices(a, k=len(a)))
        rs.append(ma / mb if mb else float("inf"))
    rs.sort()
    return statistics.median(a) / statistics.median(b), rs[int(0.025 * BOOT)], rs[int(0.975 * BOOT) - 1]


def verdict(r, better):
    """'better', 'worse' or 'same' for ratio interval r = (x, lo, hi) of new
    over base, or 'n/a'."""
    if r is None:
        return "n/a"
    _, lo, hi = r
    if lo <= 1 <= hi:
        return "same"
    up = lo > 1
    return "better" if up == (better == "higher") else "worse"


def fmt_ratio(r):
    return "n/a" if r is None else f"{r[0]:.2f} [{r[1]:.2f}, {r[2]:.2f}]"


def better_of(unit):
    """Whether a larger value is better, from the unit."""
    return "lower" if unit in ("us", "ms", "s", "calls/op", "us/op") else "higher"


def counted_jobs(data):
    """fio's jobs but those named warm*, which prepare and are not counted."""
    return [j for j in data.get("jobs", []) if not j.get("jobname", "").startswith("warm")]


def fio_metrics(path):
    """Metrics from one fio JSON file, summed over its jobs."""
    with open(path) as f:
        text = f.read()
    # fio may print notes before the JSON object.
    data = json.loads(text[text.index("{"):])
    out = {}
    jobs = counted_jobs(data)
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


def read_kv(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k.strip()] = v.strip()
    return out


def cost_metrics(rep_dir):
    """Host cost per guest operation over the measured phase of one run
    (guest-run -M: cost.cpu, and with -s cost.strace.*). The phase's
    operations are the workload's own count; for fio, scaled up by its ramp,
    whose I/O fio does not count but the phase holds."""
    cpu_path = os.path.join(rep_dir, "cost.cpu")
    if not os.path.exists(cpu_path):
        return {}
    cpu = read_kv(cpu_path)
    m = rep_metrics(rep_dir)
    ops = m.get("ops", (0, ""))[0]
    fio = os.path.join(rep_dir, "fio.json")
    phase_ops = ops
    if os.path.exists(fio):
        # fio counts no I/O of its ramp, which the phase includes: scale up.
        with open(fio) as f:
            text = f.read()
        data = json.loads(text[text.index("{"):])
        job = counted_jobs(data)[0]
        ramp = (job.get("job options", {}).get("ramp_time")
                or data.get("global options", {}).get("ramp_time") or "0")
        secs = job.get("job_runtime", 0) / 1000
        ramp_s = float(re.sub(r"[^0-9.]", "", ramp) or 0)
        if secs:
            phase_ops = ops * (secs + ramp_s) / secs
    if phase_ops <= 0:
        return {}
    out = {"host_cpu_us_per_op": (int(cpu["cpu_ticks"]) / int(cpu["clk_tck"]) * 1e6 / phase_ops,
                                  "us/op")}
    traces = glob.glob(os.path.join(rep_dir, "cost.strace.[0-9]"))
    if traces:
        counts = {}
        for st in traces:
            for k, v in strace_counts(st).items():
                counts[k] = counts.get(k, 0) + v
        total = sum(counts.values())
        files = sum(v for k, v in counts.items() if k in FILE_CALLS)
        out["host_calls_per_op"] = (total / phase_ops, "calls/op")
        out["host_file_calls_per_op"] = (files / phase_ops, "calls/op")
        out["host_vmm_calls_per_op"] = ((total - files) / phase_ops, "calls/op")
    return out


def collect(run):
    """{(config, workload, metric): (unit, [values])} over good repetitions."""
    samples = {}
    raw = runfs.raw_dir(run)
    for config in sorted(os.listdir(raw)):
        cdir = os.path.join(raw, config)
        if not os.path.isdir(cdir):
            continue
        for workload in sorted(os.listdir(cdir)):
            wdir = os.path.join(cdir, workload)
            if not os.path.isdir(wdir):
                continue
            for rep in sorted(os.listdir(wdir)):
                rdir = os.path.join(wdir, rep)
                if not rep_ok(rdir):
                    continue
                if rep.startswith("rep-"):
                    found = {**rep_metrics(rdir), **cost_metrics(rdir)}
                elif rep.startswith("calls-"):
                    found = {k: v for k, v in cost_metrics(rdir).items() if "calls" in k}
                else:
                    continue
                for metric, (value, unit) in found.items():
                    key = (config, workload, metric)
                    samples.setdefault(key, (unit, []))[1].append(value)
    return samples


def summarize_values(values, *key):
    ci = median_ci(values, *key)
    return {"n": len(values), "median": statistics.median(values), "min": min(values),
            "max": max(values), "ci95_low": ci[0] if ci else None,
            "ci95_high": ci[1] if ci else None}


def summary_rows(run):
    rows = []
    for (config, workload, metric), (unit, values) in sorted(collect(run).items()):
        row = {"config": config, "workload": workload, "metric": metric,
               "unit": unit, "better": better_of(unit)}
        row.update(summarize_values(values, config, workload, metric))
        rows.append(row)
    return rows


def fmt(v):
    if v is None:
        return "n/a"
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
            r[k] = None if r[k] == "n/a" else float(r[k])
        r["n"] = int(r["n"])
    return rows


def fmt_ci(r):
    return "n/a" if r["ci95_low"] is None else f"[{r['ci95_low']:.4g}, {r['ci95_high']:.4g}]"


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
    return workloads.run_header(run, workload, "headline")


def not_run(run):
    out = {}
    for c in sorted(os.listdir(run)):
        p = os.path.join(run, c, "not-run.txt")
        if os.path.exists(p):
            with open(p) as f:
                out[c] = f.read().strip()
    return out


def headline_cells(run, rows):
    """[(workload, metric, unit)] for every workload with a headline."""
    out = []
    for workload in sorted({r["workload"] for r in rows}):
        metric = headline(run, workload)
        unit = next((r["unit"] for r in rows if r["workload"] == workload
                     and r["metric"] == metric), None)
        if metric and unit:
            out.append((workload, metric, unit))
    return out


def ratio(samples, run, new, base, workload, metric, base_metric=None):
    base_metric = base_metric or metric
    a = samples.get((new, workload, metric))
    b = samples.get((base, workload, base_metric))
    if not a or not b:
        return None
    key = (metric,) if base_metric == metric else (metric, base_metric)
    return ratio_ci(a[1], b[1], run_key(run), new, base, workload, *key)


def run_key(run):
    return os.path.basename(os.path.normpath(run))


def cmd_table(args):
    rows = read_summary(args.run)
    samples = collect(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    configs = sorted({r["config"] for r in rows})
    bases = args.baseline.split(",")
    print("median of the counted repetitions, [95% bootstrap interval]; ratios to a"
          " baseline with their own interval; '+'/'-' better/worse (interval"
          " excludes 1), '=' no difference shown")
    for workload, metric, unit in headline_cells(args.run, rows):
        print(f"\n{workload}: {metric} ({unit}, {better_of(unit)} is better)")
        print(f"  {'config':<14} {'median':>10} {'95% interval':>22} {'n':>2}" +
              "".join(f" {'x ' + b:>24}" for b in bases))
        for c in configs:
            r = by.get((c, workload, metric))
            if r is None:
                continue
            ratios = ""
            for b in bases:
                rr = ratio(samples, args.run, c, b, workload, metric)
                mark = {"better": "+", "worse": "-", "same": "=", "n/a": " "}[verdict(rr, r["better"])]
                ratios += f" {fmt_ratio(rr) + ' ' + mark:>24}" if c != b else f" {'1':>24}"
            print(f"  {c:<14} {r['median']:>10.4g} {fmt_ci(r):>22} {r['n']:>2}{ratios}")
    for c, why in not_run(args.run).items():
        print(f"\n{why}")
    for p in sorted(glob.glob(os.path.join(args.run, "*", "*", "not-run.txt"))):
        with open(p) as f:
            print(f"\n{p.split(os.sep)[-3]}: {f.read().strip()}")
    return 0


def cmd_markdown(args):
    """The headline metric of every workload as Markdown: one table per
    workload, each value with its interval, each ratio with its own."""
    rows = read_summary(args.run)
    samples = collect(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    bases = args.baseline.split(",")
    configs = sorted({r["config"] for r in rows})
    for workload, metric, unit in headline_cells(args.run, rows):
        print(f"\n**{workload}**: {metric} ({unit}, {better_of(unit)} is better)\n")
        print("| config | median [95% interval] | n |" + "".join(f" x {b} [95% interval] |" for b in bases))
        print("|---|---|---|" + "---|" * len(bases))
        for c in configs:
            r = by.get((c, workload, metric))
            if r is None:
                continue
            cells = [f"{r['median']:.4g} {fmt_ci(r)}", str(r["n"])]
            for b in bases:
                rr = ratio(samples, args.run, c, b, workload, metric)
                v = verdict(rr, r["better"])
                cells.append("1" if c == b else fmt_ratio(rr) + ("" if v in ("same", "n/a") else f" ({v})"))
            print(f"| {c} | " + " | ".join(cells) + " |")
    return 0


def cmd_compare(args):
    if args.configs:
        x, y = args.configs.split(",")
        samples = collect(args.a)
        rows = read_summary(args.a)
        pairs = [((r["workload"], r["metric"]), r, samples.get((x, r["workload"], r["metric"])),
                  samples.get((y, r["workload"], r["metric"])))
                 for r in rows if r["config"] == x]
        title = f"{y} against {x} (same run: {run_key(args.a)})"
    else:
        if not args.b:
            print("compare needs two runs, or one run and --configs X,Y", file=sys.stderr)
            return 2
        sa, sb = collect(args.a), collect(args.b)
        pairs = [(key, r, sa.get(key), sb.get(key)) for r in read_summary(args.a)
                 for key in [(r["config"], r["workload"], r["metric"])]]
        title = (f"{args.b} against {args.a} (different runs: the machine's state at each"
                 " time is part of any difference)")
    print(title)
    print(f"  {'key':<58} {'base':>10} {'new':>10} {'ratio [95% interval]':>24}  better  verdict")
    for key, r, a, b in sorted(pairs, key=lambda p: p[0]):
        if a is None or b is None:
            continue
        if args.metric and not re.search(args.metric, key[-1]):
            continue
        rr = ratio_ci(b[1], a[1], "compare", *key)
        print(f"  {'/'.join(key):<58} {statistics.median(a[1]):>10.4g} {statistics.median(b[1]):>10.4g} "
              f"{fmt_ratio(rr):>24}  {r['better']:<6}  {verdict(rr, r['better'])}")
    return 0


def cmd_ratio(args):
    metric = args.metric or headline(args.run, args.workload)
    base_metric = args.base_metric or metric
    rows = {(r["config"], r["workload"], r["metric"]): r for r in read_summary(args.run)}
    r = rows.get((args.new, args.workload, metric))
    if r is None or (args.base, args.workload, base_metric) not in rows:
        print(f"no {metric} of {args.workload} for {args.new} and {base_metric} for {args.base}"
              f" in {args.run}", file=sys.stderr)
        return 1
    rr = ratio(collect(args.run), args.run, args.new, args.base, args.workload, metric,
               base_metric)
    v = verdict(rr, r["better"])
    print(fmt_ratio(rr) + ("" if v in ("n/a", "same") else f" ({v})"))
    return 0


def cmd_versus(args):
    rows = read_summary(args.run)
    samples = collect(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    others = [c for c in sorted({r["config"] for r in rows}) if c != args.new]
    print(f"| workload (headline) | " + " | ".join(f"{args.new} / {c}" for c in others) + " |")
    print("|---|" + "---|" * len(others))
    for w, metric, unit in headline_cells(args.run, rows):
        r = by.get((args.new, w, metric))
        if r is None:
            continue
        cells = []
        for c in others:
            rr = ratio(samples, args.run, args.new, c, w, metric)
            v = verdict(rr, r["better"])
            cells.append(fmt_ratio(rr) + ("" if v in ("same", "n/a") else f" **{v}**"))
        print(f"| {w} ({metric}, {better_of(unit)} is better) | " + " | ".join(cells) + " |")
    return 0


COST = [("host_cpu_us_per_op", "host CPU µs/op"), ("host_file_calls_per_op", "file calls/op"),
        ("host_vmm_calls_per_op", "VMM calls/op")]


def cmd_cost(args):
    rows = {(r["config"], r["workload"], r["metric"]): r for r in read_summary(args.run)}
    cells = sorted({(c, w) for c, w, m in rows if m == "host_cpu_us_per_op"}, key=lambda x: (x[1], x[0]))
    print("| workload | config | " + " | ".join(f"{t} [95% interval]" for _, t in COST) + " |")
    print("|---|---|" + "---|" * len(COST))
    for c, w in cells:
        vals = []
        for m, _ in COST:
            r = rows.get((c, w, m))
            vals.append(f"{r['median']:.3g} {fmt_ci(r)}" if r else "not counted")
        print(f"| {w} | {c} | " + " | ".join(vals) + " |")
    return 0


def cmd_steps(args):
    rows = [r for r in read_summary(args.run) if r["workload"] == args.workload]
    order = []
    for r in rows:
        if r["unit"] == "s" and r["metric"].endswith("_s") and r["metric"] not in order:
            order.append(r["metric"])
    if not order:
        print(f"results.py: {args.workload} has no STEP_s metrics in {args.run}", file=sys.stderr)
        return 1
    # The run's workload file lists the steps in the order they ran.
    text = workloads.run_file_text(args.run, args.workload) or ""
    pos = {m: text.find(f"step {m[:-2]} ") for m in order}
    order.sort(key=lambda m: (m == "total_s", pos[m] if pos[m] >= 0 else 1 << 30))
    by = {(r["config"], r["metric"]): r for r in rows}
    print(f"| config | " + " | ".join(m[:-2] + " (s)" for m in order) + " |")
    print("|---|" + "---|" * len(order))
    for c in sorted({r["config"] for r in rows}):
        cells = [f"{by[(c, m)]['median']:.3g} {fmt_ci(by[(c, m)])}" if (c, m) in by else "n/a" for m in order]
        print(f"| {c} | " + " | ".join(cells) + " |")
    return 0


def cmd_duration(args):
    info = {}
    with open(os.path.join(args.run, "run.txt")) as f:
        for line in f:
            k, _, v = line.partition(": ")
            info[k] = v.strip()
    if "ended" not in info:
        print(f"results.py: {args.run} has not ended (no 'ended:' in run.txt)", file=sys.stderr)
        return 1
    from datetime import datetime
    secs = (datetime.fromisoformat(info["ended"]) - datetime.fromisoformat(info["started"])).total_seconds()
    runs = len(glob.glob(os.path.join(runfs.raw_dir(args.run), "*", "*", "*", "status")))
    print(f"{secs / 60:.0f} minutes, {runs} runs", end="")
    return 0


def cmd_converged(args):
    """Exit 0 when every headline's interval is within +-within% of its centre."""
    rows = read_summary(args.run)
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    wide = []
    for workload, metric, _ in headline_cells(args.run, rows):
        for c in sorted({r["config"] for r in rows}):
            r = by.get((c, workload, metric))
            if r is None:
                continue
            if r["ci95_low"] is None or not r["median"]:
                wide.append(f"{c}/{workload} (n={r['n']})")
                continue
            half = max(r["median"] - r["ci95_low"], r["ci95_high"] - r["median"])
            if half > args.within / 100 * abs(r["median"]):
                wide.append(f"{c}/{workload} (+-{100 * half / abs(r['median']):.0f}%)")
    print(" ".join(wide))
    return 1 if wide else 0


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
    s = sub.add_parser("ratio")
    s.add_argument("run")
    s.add_argument("new")
    s.add_argument("base")
    s.add_argument("workload")
    s.add_argument("--metric")
    s.add_argument("--base-metric", help="BASE's metric, when not the same as NEW's"
                   " (e.g. one configuration's 4-job rate over its 1-job rate)")
    s = sub.add_parser("versus")
    s.add_argument("run")
    s.add_argument("new")
    s = sub.add_parser("cost")
    s.add_argument("run")
    s = sub.add_parser("steps")
    s.add_argument("run")
    s.add_argument("workload")
    s = sub.add_parser("duration")
    s.add_argument("run")
    s = sub.add_parser("converged")
    s.add_argument("run")
    s.add_argument("--within", type=float, default=5.0)
    args = p.parse_args()
    return {"summarize": cmd_summarize, "check": cmd_check, "table": cmd_table,
            "markdown": cmd_markdown, "compare": cmd_compare,
            "ratio": cmd_ratio, "versus": cmd_versus, "cost": cmd_cost, "steps": cmd_steps, "duration": cmd_duration,
            "converged": cmd_converged}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
