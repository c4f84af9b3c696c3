#!/usr/bin/env python3
"""Plot a run with gnuplot, from its raw files and summary.csv; no re-run.

  plot.py RUN [--baseline native] [--this hlink-user]

Writes RUN/plots/*.png, the gnuplot scripts and data files that made them,
and RUN/index.md, a page with every plot and the summary table:
  throughput-<workload>.png  headline metric per configuration in its unit:
                             the median, whiskers its 95% bootstrap interval;
                             this work (hlink-*) in orange, baselines in blue
  ratio-<workload>.png       the same as a ratio to the baseline, with the
                             ratio's own 95% interval
  latency-<workload>.png     completion-latency percentiles, on an axis that
                             spreads the tail (p50 .. p99.9)
  breakdown-<workload>.png   mean latency per stack: the guest-tmpfs floor
                             (UML's own system-call cost) plus what the stack
                             adds on top of it
  drift-<workload>.png       the headline of every repetition against the
                             time it ran, one line per configuration: the
                             machine's drift that the interleaving absorbs
  scaling-<sweep>.png        a workload's sweep (e.g. directory depth)
  host-calls.png             host system calls per guest operation
  versus-<this>.png          this work's advantage over every other
                             configuration on each workload's headline
                             (above 1: this work is better), with the
                             ratio's 95% interval (--this, default
                             hlink-user)
Every caption names the run and the number of repetitions.
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402
import runfs  # noqa: E402
import workloads  # noqa: E402

TERM = 'set terminal pngcairo size 900,520 font "sans,10"'
THIS_WORK = "#dd7711"   # hlink-* configurations
BASELINE = "#4477aa"
FLOOR = "guest-tmpfs"
# Distinct colours for plots with a point series per configuration.
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"]


def gnuplot(outdir, name, script):
    path = os.path.join(outdir, name + ".gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", name + ".gp"], check=True, cwd=outdir)
    return name + ".png"


def colour(config):
    return THIS_WORK if "hlink" in config else BASELINE


def run_id(run):
    return os.path.basename(os.path.abspath(run))


def caption(run, n):
    ns = sorted(set(n))
    return f"run {run_id(run)}, n = {ns[0] if len(ns) == 1 else f'{ns[0]}..{ns[-1]}'} repetitions"


def bars(outdir, name, title, ylabel, entries, logscale=False):
    """A bar per entry (config, value, low, high): whiskers low..high."""
    with open(os.path.join(outdir, name + ".dat"), "w") as f:
        f.write("# index config value low high colour\n")
        for i, (c, v, lo, hi) in enumerate(entries):
            f.write(f'{i} "{c}" {v} {lo} {hi} 0x{colour(c)[1:]}\n')
    return gnuplot(outdir, name, f"""{TERM}
set output "{name}.png"
set title "{title}" noenhanced
set ylabel "{ylabel}" noenhanced
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics noenhanced rotate by -20
set xrange [-0.6:{len(entries) - 0.4}]
set yrange [{'*' if logscale else 0}:*]
{'set logscale y' if logscale else ''}
set key top left
plot "{name}.dat" using 1:3:6:xtic(2) with boxes linecolor rgb variable notitle, \\
     "" using 1:3:4:5 with yerrorbars linecolor rgb "black" pointtype 0 title "95% interval", \\
     1/0 with boxes linecolor rgb "{THIS_WORK}" title "this work (hlink)", \\
     1/0 with boxes linecolor rgb "{BASELINE}" title "baselines"
""")


def plot_throughput(run, rows, outdir, base):
    made = []
    by = {(r["config"], r["workload"], r["metric"]): r for r in rows}
    samples = results.collect(run)
    for w, metric, unit in results.headline_cells(run, rows):
        configs = [c for c in sorted({r["config"] for r in rows}) if (c, w, metric) in by]
        better = results.better_of(unit)
        ents = []
        for c in configs:
            r = by[(c, w, metric)]
            lo = r["ci95_low"] if r["ci95_low"] is not None else r["median"]
            hi = r["ci95_high"] if r["ci95_high"] is not None else r["median"]
            ents.append((c, r["median"], lo, hi))
        cap = caption(run, [by[(c, w, metric)]["n"] for c in configs])
        spread = max(e[1] for e in ents) / max(min(e[1] for e in ents), 1e-12)
        made.append(bars(outdir, f"throughput-{w}",
                         f"{w}: {metric}, {better} is better (median, 95% interval)\\n{cap}",
                         f"{metric} ({unit})", ents, logscale=spread > 50))
        if (base, w, metric) not in by:
            continue
        rents = []
        for c in configs:
            rr = results.ratio(samples, run, c, base, w, metric)
            if c == base:
                rents.append((c, 1.0, 1.0, 1.0))
            elif rr:
                rents.append((c, rr[0], rr[1], rr[2]))
        if len(rents) > 1:
            spread = max(e[1] for e in rents) / max(min(e[1] for e in rents), 1e-12)
            made.append(bars(outdir, f"ratio-{w}",
                             f"{w}: {metric} as a ratio to {base} (ratio of medians, its own 95% "
                             f"interval)\\n{cap}", f"{metric} / {metric} of {base}", rents,
                             logscale=spread > 50))
    return made


def fio_latency(path):
    """(direction, [(percentile, us)], mean us) of the first direction with I/O."""
    with open(path) as f:
        text = f.read()
    data = json.loads(text[text.index("{"):])
    job = results.counted_jobs(data)[0]
    for d in ("read", "write"):
        clat = job.get(d, {}).get("clat_ns", {})
        if job.get(d, {}).get("io_bytes", 0) > 0 and clat.get("percentile"):
            pts = sorted((float(p), v / 1000.0) for p, v in clat["percentile"].items() if v > 0)
            return d, pts, clat.get("mean", 0) / 1000.0
    return None, [], None


def fio_reps(run, w):
    """{config: [fio.json of each good counted repetition]}."""
    out = {}
    for p in sorted(glob.glob(os.path.join(runfs.raw_dir(run), "*", w, "rep-*", "fio.json"))):
        if results.rep_ok(os.path.dirname(p)):
            out.setdefault(p.split(os.sep)[-4], []).append(p)
    return out


def fio_workloads(run):
    return sorted({p.split(os.sep)[-3]
                   for p in glob.glob(os.path.join(runfs.raw_dir(run), "*", "*", "rep-*", "fio.json"))})


def plot_latency(run, outdir):
    """Percentile curves: the median over repetitions of each percentile,
    with y = -log10(1 - p/100), so p90, p99 and p99.9 sit one step apart."""
    made = []
    for w in fio_workloads(run):
        series, ns = [], []
        for config, paths in sorted(fio_reps(run, w).items()):
            per = {}
            d = None
            for p in paths:
                d, pts, _ = fio_latency(p)
                for pc, us in pts:
                    per.setdefault(pc, []).append(us)
            if len(per) < 2:
                continue
            dat = f"latency-{w}-{config}.dat"
            with open(os.path.join(outdir, dat), "w") as f:
                f.write(f"# {d} completion latency: percentile median_us_over_reps\n")
                for pc in sorted(per):
                    if pc < 100:
                        f.write(f"{pc} {statistics.median(per[pc])}\n")
            series.append((config, dat))
            ns.append(len(paths))
        if not series:
            continue
        plots = ", ".join(f'"{dat}" using 2:(-log10(1-$1/100)) with linespoints '
                          f'linecolor rgb "{colour(c)}" dashtype {1 + i % 4} title "{c}" noenhanced'
                          for i, (c, dat) in enumerate(series))
        made.append(gnuplot(outdir, f"latency-{w}", f"""{TERM}
set output "latency-{w}.png"
set title "{w}: completion latency percentiles (median over repetitions)\\n{caption(run, ns)}" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot {plots}
"""))
    return made


def plot_breakdown(run, outdir):
    """Mean latency per stack as the guest-tmpfs floor plus the rest."""
    made = []
    for w in fio_workloads(run):
        reps = fio_reps(run, w)
        means = {c: statistics.median(fio_latency(p)[2] for p in ps) for c, ps in reps.items()}
        if FLOOR not in means or len(means) < 2:
            continue
        floor = means[FLOOR]
        rows = [(c, m) for c, m in sorted(means.items()) if c != "native"]
        with open(os.path.join(outdir, f"breakdown-{w}.dat"), "w") as f:
            f.write("# config floor_us added_us (median over repetitions of fio's mean)\n")
            for c, m in rows:
                f.write(f'"{c}" {min(floor, m)} {max(m - floor, 0)}\n')
        made.append(gnuplot(outdir, f"breakdown-{w}", f"""{TERM}
set output "breakdown-{w}.png"
set title "{w}: mean completion latency = guest floor ({FLOOR}) + what the stack adds\\n{caption(run, [len(p) for p in reps.values()])}" noenhanced
set ylabel "latency (us)"
set style data histogram
set style histogram rowstacked
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics noenhanced rotate by -20
set key top left
plot "breakdown-{w}.dat" using 2:xtic(1) linecolor rgb "#999999" title "floor: UML system-call cost ({FLOOR})", \\
     "" using 3 linecolor rgb "{THIS_WORK}" title "added by the stack"
"""))
    return made


def rep_time(rdir):
    try:
        with open(os.path.join(rdir, "host.txt")) as f:
            m = re.search(r"^before_time: ([0-9.]+)", f.read(), re.M)
        return float(m.group(1)) if m else None
    except OSError:
        return None


def plot_drift(run, rows, outdir):
    made = []
    for w, metric, unit in results.headline_cells(run, rows):
        series = {}
        for rdir in glob.glob(os.path.join(runfs.raw_dir(run), "*", w, "rep-*")):
            t = rep_time(rdir)
            if t is None or not results.rep_ok(rdir):
                continue
            v = results.rep_metrics(rdir).get(metric)
            if v:
                series.setdefault(rdir.split(os.sep)[-3], []).append((t, v[0]))
        if not series:
            continue
        t0 = min(t for pts in series.values() for t, _ in pts)
        plots = []
        for i, (c, pts) in enumerate(sorted(series.items())):
            dat = f"drift-{w}-{c}.dat"
            with open(os.path.join(outdir, dat), "w") as f:
                f.write(f"# minutes_since_start {metric}\n")
                for t, v in sorted(pts):
                    f.write(f"{(t - t0) / 60:.3f} {v}\n")
            plots.append(f'"{dat}" using 1:2 with linespoints linecolor rgb "{colour(c)}" '
                         f'dashtype {1 + i % 4} title "{c}" noenhanced')
        made.append(gnuplot(outdir, f"drift-{w}", f"""{TERM}
set output "drift-{w}.png"
set title "{w}: {metric} of each repetition over the run (the drift interleaving absorbs)\\n{caption(run, [len(p) for p in series.values()])}" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "{metric} ({unit})" noenhanced
set logscale y
set grid
set key outside right
plot {", ".join(plots)}
"""))
    return made


def plot_sweeps(run, rows, outdir):
    made = []
    for w in sorted({r["workload"] for r in rows}):
        sweep = workloads.run_header(run, w, "sweep")
        if not sweep:
            continue
        name, *points = sweep.split()
        metric_re = re.compile(rf"^(\w+)_{name}(\d+)$")
        phases = sorted({metric_re.match(r["metric"]).group(1) for r in rows
                         if r["workload"] == w and metric_re.match(r["metric"])})
        for ph in phases:
            series, ns = [], []
            for c in sorted({r["config"] for r in rows if r["workload"] == w}):
                pts = sorted((int(metric_re.match(r["metric"]).group(2)), r)
                             for r in rows if r["workload"] == w and r["config"] == c and
                             metric_re.match(r["metric"]) and
                             metric_re.match(r["metric"]).group(1) == ph)
                if not pts:
                    continue
                dat = f"scaling-{w}-{ph}-{c}.dat"
                with open(os.path.join(outdir, dat), "w") as f:
                    f.write(f"# {name} median low high\n")
                    for x, r in pts:
                        lo = r["ci95_low"] if r["ci95_low"] is not None else r["median"]
                        hi = r["ci95_high"] if r["ci95_high"] is not None else r["median"]
                        f.write(f"{x} {r['median']} {lo} {hi}\n")
                series.append((c, dat))
                ns += [r["n"] for _, r in pts]
            plots = ", ".join(f'"{dat}" using 1:2:3:4 with yerrorlines linecolor rgb "{colour(c)}" '
                              f'dashtype {1 + i % 4} title "{c}" noenhanced'
                              for i, (c, dat) in enumerate(series))
            made.append(gnuplot(outdir, f"scaling-{w}-{ph}", f"""{TERM}
set output "scaling-{w}-{ph}.png"
set title "{w}: {ph} against {name} (median, 95% interval)\\n{caption(run, ns)}" noenhanced
set xlabel "{name}"
set ylabel "{ph}" noenhanced
set logscale xy 2
set grid
set key outside right
plot {plots}
"""))
    return made


def plot_calls(run, rows, outdir):
    calls = [r for r in rows if r["metric"] == "host_calls_per_op"]
    if not calls:
        return []
    configs = sorted({r["config"] for r in calls})
    wls = sorted({r["workload"] for r in calls})
    by = {(r["config"], r["workload"]): r["median"] for r in calls}
    with open(os.path.join(outdir, "host-calls.dat"), "w") as f:
        f.write("# workload " + " ".join(configs) + "\n")
        for w in wls:
            f.write(f'"{w}" ' + " ".join(str(by.get((c, w), "NaN")) for c in configs) + "\n")
    cols = ", ".join(f'"host-calls.dat" using {i + 2}:xtic(1) title "{c}" noenhanced'
                     for i, c in enumerate(configs))
    return [gnuplot(outdir, "host-calls", f"""{TERM}
set output "host-calls.png"
set title "host system calls per guest operation (lower is better)\\n{caption(run, [r['n'] for r in calls])}" noenhanced
set ylabel "calls per operation"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.7 border -1
set logscale y
set grid ytics
set xtics noenhanced rotate by -20
set key outside right
plot {cols}
""")]


def plot_versus(run, rows, outdir, this):
    """One point per (workload, configuration): this work's headline over
    the configuration's, turned so that above 1 is better for this work
    (a time: the configuration's over this work's), with its interval."""
    by = {(r["config"], r["workload"], r["metric"]) for r in rows}
    cells = [(w, m, u) for w, m, u in results.headline_cells(run, rows) if (this, w, m) in by]
    configs = sorted({r["config"] for r in rows} - {this})
    if not cells or not configs:
        return []
    samples = results.collect(run)
    name = f"versus-{this}"
    blocks, n = [], []
    width = 0.7 / max(len(configs), 1)
    for k, c in enumerate(configs):
        pts = []
        for i, (w, m, u) in enumerate(cells):
            if (c, w, m) not in by:
                continue
            if results.better_of(u) == "higher":
                rr = results.ratio(samples, run, this, c, w, m)
            else:
                rr = results.ratio(samples, run, c, this, w, m)
            if rr:
                pts.append(f"{i - 0.35 + width * (k + 0.5):.3f} {rr[0]} {rr[1]} {rr[2]}")
        n += [r["n"] for r in rows if r["config"] == c and r["metric"] != "ops"]
        blocks.append(f"# {c}\n" + "\n".join(pts or ["nan nan nan nan"]))
    with open(os.path.join(outdir, name + ".dat"), "w") as f:
        f.write("\n\n\n".join(blocks) + "\n")
    tics = ", ".join(f'"{w}" {i}' for i, (w, _, _) in enumerate(cells))
    plots = ", \\\n     ".join(
        f'"{name}.dat" index {k} using 1:2:3:4 with yerrorbars pointtype {7 if k < len(PALETTE) else 5} pointsize 0.8 '
        f'linecolor rgb "{PALETTE[k % len(PALETTE)]}" title "{c}"' for k, c in enumerate(configs))
    return [gnuplot(outdir, name, f"""set terminal pngcairo size 1100,560 font "sans,10"
set output "{name}.png"
set title "{this} against every other configuration: its headline over theirs, turned so that above 1 means {this} is better\\n(a time: theirs over {this}'s); whiskers are the ratio's 95% interval; {caption(run, n)}" noenhanced
set ylabel "advantage of {this} (log scale)" noenhanced
set logscale y
set grid ytics
set xrange [-0.5:{len(cells) - 0.5}]
set xtics ({tics}) noenhanced rotate by -20
set arrow from graph 0, first 1 to graph 1, first 1 nohead linewidth 1.5 linecolor rgb "black"
set key outside right top noenhanced
plot {plots}
""")]


def write_index(run, rows, plots, base):
    lines = [f"# Run {run_id(run)}", ""]
    runtxt = os.path.join(run, "run.txt")
    if os.path.exists(runtxt):
        with open(runtxt) as f:
            lines += ["```", f.read().rstrip(), "```", ""]
    for c, why in results.not_run(run).items():
        lines.append(f"- {why}")
    for p in glob.glob(os.path.join(run, "*", "*", "not-run.txt")):
        with open(p) as f:
            lines.append(f"- {p.split(os.sep)[-3]}: {f.read().strip()}")
    lines += ["", "## Plots", "",
              "Whiskers are 95% bootstrap intervals of the median (ratios: of the ratio of "
              "medians); this work is orange, baselines blue.", ""]
    for p in plots:
        lines += [f"![{p}](plots/{p})", ""]
    samples = results.collect(run)
    lines += ["## Summary", "",
              "Median of the counted repetitions with its 95% bootstrap interval, and the "
              f"ratio to `{base}` with its own interval (n/a: fewer than {results.MIN_N} "
              "repetitions).", "",
              f"| config | workload | metric | unit | n | median | 95% interval | x {base} |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["metric"] == "ops":
            continue
        rr = results.ratio(samples, run, r["config"], base, r["workload"], r["metric"])
        lines.append(f"| {r['config']} | {r['workload']} | {r['metric']} | {r['unit']} | "
                     f"{r['n']} | {r['median']:.4g} | {results.fmt_ci(r)} | "
                     f"{'1' if r['config'] == base else results.fmt_ratio(rr)} |")
    with open(os.path.join(run, "index.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--baseline", default="native")
    ap.add_argument("--this", default="hlink-user", help="the configuration of the versus plot")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.run, "summary.csv")):
        print(f"plot.py: {a.run}/summary.csv missing; run results.py summarize first",
              file=sys.stderr)
        return 2
    rows = results.read_summary(a.run)
    outdir = os.path.join(a.run, "plots")
    os.makedirs(outdir, exist_ok=True)
    plots = (plot_throughput(a.run, rows, outdir, a.baseline) + plot_latency(a.run, outdir) +
             plot_breakdown(a.run, outdir) + plot_drift(a.run, rows, outdir) +
             plot_sweeps(a.run, rows, outdir) + plot_calls(a.run, rows, outdir) +
             plot_versus(a.run, rows, outdir, a.this))
    write_index(a.run, rows, plots, a.baseline)
    if runfs.is_packed(a.run):
        # A packed run keeps its plots' sources in its archive.
        runfs.pack(a.run)
    print(f"plot.py: {len(plots)} plots in {outdir}, index in {a.run}/index.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
