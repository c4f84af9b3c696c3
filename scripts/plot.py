#!/usr/bin/env python3
"""Plot a run with gnuplot, from its summary.csv and raw fio JSON; no re-run.

  plot.py RUN [--baseline native]

Writes RUN/plots/*.png, the gnuplot scripts and data files that made them,
and RUN/index.md, a page with every plot and the summary table:
  throughput-<workload>.png  headline metric per configuration, median with
                             min..max bars, as a ratio to the baseline
  latency-<workload>.png     completion-latency percentiles (CDF) per config
  scaling-<sweep>.png        a workload's sweep (e.g. directory depth)
  host-calls.png             host system calls per guest operation
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

TERM = 'set terminal pngcairo size 900,520 font "sans,10"'


def gnuplot(outdir, name, script):
    path = os.path.join(outdir, name + ".gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", name + ".gp"], check=True, cwd=outdir)
    return name + ".png"


def header_value(run, workload, key):
    """A '# key:' line of the workload file kept in the run."""
    for p in glob.glob(os.path.join(run, "*", workload, "rep-*", workload + ".*")):
        with open(p) as f:
            m = re.search(rf"^# {key}:\s*(.+)$", f.read(), re.M)
        if m:
            return m.group(1).strip()
    return None


def plot_throughput(run, rows, outdir, base):
    made = []
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    for w in sorted({r["workload"] for r in rows}):
        metric = header_value(run, w, "headline")
        if not metric:
            continue
        b = by.get((base, w, metric))
        configs = [c for c in sorted({r["config"] for r in rows}) if (c, w, metric) in by]
        if not configs:
            continue
        norm = b["median"] if b and b["median"] else 1.0
        dat = os.path.join(outdir, f"throughput-{w}.dat")
        with open(dat, "w") as f:
            f.write("# config median min max (divided by the baseline)\n")
            for c in configs:
                r = by[(c, w, metric)]
                f.write(f'"{c}" {r["median"] / norm} {r["min"] / norm} {r["max"] / norm}\n')
        unit = by[(configs[0], w, metric)]["unit"]
        ylabel = f"{metric} / {base}" if b else f"{metric} ({unit})"
        better = results.better_of(unit)
        made.append(gnuplot(outdir, f"throughput-{w}", f"""{TERM}
set output "throughput-{w}.png"
set title "{w}: {metric}, {better} is better{' (ratio to ' + base + ')' if b else ''}" noenhanced
set ylabel "{ylabel}" noenhanced
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set logscale y
set yrange [*:*]
set grid ytics
set xtics noenhanced
set key off
plot "throughput-{w}.dat" using 2:3:4:xtic(1) linecolor rgb "#4477aa"
"""))
    return made


def fio_percentiles(path):
    """[(percentile, latency_us)] of the first direction that did I/O."""
    with open(path) as f:
        text = f.read()
    data = json.loads(text[text.index("{"):])
    job = data["jobs"][0]
    for d in ("read", "write"):
        pct = job.get(d, {}).get("clat_ns", {}).get("percentile")
        if job.get(d, {}).get("io_bytes", 0) > 0 and pct:
            return d, sorted((float(p), v / 1000.0) for p, v in pct.items() if v > 0)
    return None, []


def plot_latency(run, outdir):
    made = []
    workloads = sorted({os.path.basename(os.path.dirname(os.path.dirname(p)))
                        for p in glob.glob(os.path.join(run, "*", "*", "rep-1", "fio.json"))})
    for w in workloads:
        series = []
        for p in sorted(glob.glob(os.path.join(run, "*", w, "rep-1", "fio.json"))):
            config = p.split(os.sep)[-4]
            if not results.rep_ok(os.path.dirname(p)):
                continue
            d, pts = fio_percentiles(p)
            if len(pts) < 2:
                continue
            dat = os.path.join(outdir, f"latency-{w}-{config}.dat")
            with open(dat, "w") as f:
                f.write(f"# {d} completion latency: percentile latency_us\n")
                for pc, us in pts:
                    f.write(f"{pc} {us}\n")
            series.append((config, os.path.basename(dat)))
        if not series:
            continue
        plots = ", ".join(f'"{dat}" using 2:1 with linespoints title "{c}" noenhanced'
                          for c, dat in series)
        made.append(gnuplot(outdir, f"latency-{w}", f"""{TERM}
set output "latency-{w}.png"
set title "{w}: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot {plots}
"""))
    return made


def plot_sweeps(run, rows, outdir):
    made = []
    for w in sorted({r["workload"] for r in rows}):
        sweep = header_value(run, w, "sweep")
        if not sweep:
            continue
        name, *points = sweep.split()
        metric_re = re.compile(rf"^(\w+)_{name}(\d+)$")
        phases = sorted({metric_re.match(r["metric"]).group(1) for r in rows
                         if r["workload"] == w and metric_re.match(r["metric"])})
        for ph in phases:
            series = []
            for c in sorted({r["config"] for r in rows if r["workload"] == w}):
                pts = sorted((int(metric_re.match(r["metric"]).group(2)), r["median"])
                             for r in rows if r["workload"] == w and r["config"] == c and
                             metric_re.match(r["metric"]) and
                             metric_re.match(r["metric"]).group(1) == ph)
                if not pts:
                    continue
                dat = os.path.join(outdir, f"scaling-{w}-{ph}-{c}.dat")
                with open(dat, "w") as f:
                    f.write(f"# {name} {ph}\n")
                    for x, y in pts:
                        f.write(f"{x} {y}\n")
                series.append((c, os.path.basename(dat)))
            plots = ", ".join(f'"{dat}" using 1:2 with linespoints title "{c}" noenhanced'
                              for c, dat in series)
            made.append(gnuplot(outdir, f"scaling-{w}-{ph}", f"""{TERM}
set output "scaling-{w}-{ph}.png"
set title "{w}: {ph} against {name}" noenhanced
set xlabel "{name}"
set ylabel "{ph} (median)" noenhanced
set logscale xy 2
set grid
set key outside right
plot {plots}
"""))
    return made


def plot_calls(rows, outdir):
    calls = [r for r in rows if r["metric"] == "host_calls_per_op"]
    if not calls:
        return []
    configs = sorted({r["config"] for r in calls})
    workloads = sorted({r["workload"] for r in calls})
    by = {(r["config"], r["workload"]): r["median"] for r in calls}
    with open(os.path.join(outdir, "host-calls.dat"), "w") as f:
        f.write("# workload " + " ".join(configs) + "\n")
        for w in workloads:
            f.write(f'"{w}" ' + " ".join(str(by.get((c, w), "NaN")) for c in configs) + "\n")
    cols = ", ".join(f'"host-calls.dat" using {i + 2}:xtic(1) title "{c}" noenhanced'
                     for i, c in enumerate(configs))
    return [gnuplot(outdir, "host-calls", f"""{TERM}
set output "host-calls.png"
set title "host system calls per guest operation (lower is better)"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.7 border -1
set logscale y
set grid ytics
set xtics noenhanced rotate by -20
set key outside right
plot {cols}
""")]


def write_index(run, rows, plots, base):
    lines = [f"# Run {os.path.basename(os.path.abspath(run))}", ""]
    runtxt = os.path.join(run, "run.txt")
    if os.path.exists(runtxt):
        with open(runtxt) as f:
            lines += ["```", f.read().rstrip(), "```", ""]
    nr = results.not_run(run)
    for c, why in nr.items():
        lines.append(f"- {why}")
    for p in glob.glob(os.path.join(run, "*", "*", "not-run.txt")):
        with open(p) as f:
            lines.append(f"- {p.split(os.sep)[-3]}: {f.read().strip()}")
    lines += ["", "## Plots", ""]
    for p in plots:
        lines += [f"![{p}](plots/{p})", ""]
    lines += ["## Summary", "",
              f"Median of the repetitions, 95% confidence interval of the mean, and the "
              f"ratio to `{base}`.", "",
              f"| config | workload | metric | unit | n | median | 95% CI | x {base} |",
              "|---|---|---|---|---|---|---|---|"]
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    for r in rows:
        if r["metric"] == "ops":
            continue
        b = by.get((base, r["workload"], r["metric"]))
        ratio = f"{r['median'] / b['median']:.3f}" if b and b["median"] else "-"
        lines.append(f"| {r['config']} | {r['workload']} | {r['metric']} | {r['unit']} | "
                     f"{r['n']} | {r['median']:.4g} | [{r['ci95_low']:.4g}, "
                     f"{r['ci95_high']:.4g}] | {ratio} |")
    with open(os.path.join(run, "index.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--baseline", default="native")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.run, "summary.csv")):
        print(f"plot.py: {a.run}/summary.csv missing; run results.py summarize first",
              file=sys.stderr)
        return 2
    rows = results.read_summary(a.run)
    outdir = os.path.join(a.run, "plots")
    os.makedirs(outdir, exist_ok=True)
    plots = (plot_throughput(a.run, rows, outdir, a.baseline) + plot_latency(a.run, outdir) +
             plot_sweeps(a.run, rows, outdir) + plot_calls(rows, outdir))
    write_index(a.run, rows, plots, a.baseline)
    print(f"plot.py: {len(plots)} plots in {outdir}, index in {a.run}/index.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
