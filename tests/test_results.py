#!/usr/bin/env python3
"""Tests of the results pipeline (scripts/analysis/results.py, scripts/analysis/plot.py) on
recorded fixtures with known values. Prints "ok"/"not ok" lines and
"N passed, N failed"."""
import copy
import io
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "scripts", "analysis"))
import results  # noqa: E402
import runfs  # noqa: E402

FIX = os.path.join(HERE, "fixtures")
passed = failed = 0


def check(cond, what):
    global passed, failed
    print(f"{'ok' if cond else 'not ok'} - {what}")
    if cond:
        passed += 1
    else:
        failed += 1


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


def make_run(root, values, workload="randread-4k", status=None):
    """A run directory whose fio.json files are the recorded fixture with the
    read IOPS replaced by values[config] (one per repetition)."""
    with open(os.path.join(FIX, "fio-randread-4k.json")) as f:
        base = json.load(f)
    for config, iops_list in values.items():
        for i, iops in enumerate(iops_list, 1):
            d = os.path.join(root, config, workload, f"rep-{i}")
            os.makedirs(d)
            data = copy.deepcopy(base)
            data["jobs"][0]["read"]["iops"] = iops
            with open(os.path.join(d, "fio.json"), "w") as f:
                json.dump(data, f)
            with open(os.path.join(d, "status"), "w") as f:
                f.write((status or {}).get((config, i), "0") + "\n")
    os.makedirs(os.path.join(root, "workloads"), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "workloads", workload + ".fio"), os.path.join(root, "workloads"))
    return root


def main():
    tmp = tempfile.mkdtemp()
    try:
        # The recorded fixture parses to the values fio wrote.
        m = results.fio_metrics(os.path.join(FIX, "fio-randread-4k.json"))
        check(close(m["read_iops"][0], 19424.315137) and m["read_iops"][1] == "IOPS",
              "fio JSON: read IOPS")
        check(close(m["read_bw_mib"][0], 79561994 / 2**20), "fio JSON: bandwidth in MiB/s")
        check(close(m["read_clat_p99_us"][0], 120.32), "fio JSON: 99th percentile in us")
        check(close(m["read_clat_mean_us"][0], 51.17522422), "fio JSON: mean latency")
        check(m["ops"][0] == 97141, "fio JSON: operation count")
        check("write_iops" not in m, "fio JSON: no write metrics for a read-only job")

        counts = results.strace_counts(os.path.join(FIX, "strace-c.txt"))
        check(sum(counts.values()) == 464480, "strace -c: the calls add up to the total line")

        # Statistics on known values: the median's bootstrap interval lies
        # within the sample, is reproducible, and is n/a below MIN_N.
        vals = [100.0, 110.0, 120.0, 130.0, 140.0]
        s = results.summarize_values(vals, "k")
        check(s["median"] == 120 and s["min"] == 100 and s["max"] == 140 and s["n"] == 5,
              "median, min, max")
        check(100 <= s["ci95_low"] <= 120 <= s["ci95_high"] <= 140,
              f"bootstrap interval of the median within the sample: {s['ci95_low']}..{s['ci95_high']}")
        check(results.summarize_values(vals, "k") == s, "bootstrap interval is reproducible")
        s2 = results.summarize_values([42.0, 43.0])
        check(s2["ci95_low"] is None and results.fmt(s2["ci95_low"]) == "n/a",
              "two samples: no interval (n/a)")
        r = results.ratio_ci([200.0, 210, 220, 205, 215], [100.0, 110, 120, 105, 115], "k")
        check(close(r[0], 210 / 110) and r[1] > 1 and r[1] <= r[0] <= r[2],
              f"ratio of medians with an interval excluding 1: {r}")
        check(results.verdict(r, "higher") == "better" and results.verdict(r, "lower") == "worse",
              "a ratio interval above 1 is better where higher is better")
        r = results.ratio_ci([100.0, 130, 90, 110, 120], [105.0, 95, 125, 115, 100], "k")
        check(r[1] < 1 < r[2] and results.verdict(r, "higher") == "same",
              "overlapping samples: the ratio interval holds 1, no claim")
        check(results.ratio_ci([1.0, 2.0], [1.0, 2.0, 3.0]) is None and
              results.verdict(None, "higher") == "n/a", "n < 3: no ratio, no claim")

        # A run: summary rows, failed repetitions left out, check against raw.
        run_a = make_run(os.path.join(tmp, "a"), {"native": [1000, 1100, 1200],
                                                  "cfg": [100, 110, 120]},
                         status={("cfg", 3): "1"})
        os.makedirs(os.path.join(run_a, "cfg", "randread-4k", "warmup"))
        shutil.copy(os.path.join(run_a, "cfg", "randread-4k", "rep-1", "fio.json"),
                    os.path.join(run_a, "cfg", "randread-4k", "warmup"))
        with open(os.path.join(run_a, "cfg", "randread-4k", "warmup", "status"), "w") as f:
            f.write("0\n")
        rows = results.summary_rows(run_a)
        r = {(x["config"], x["metric"]): x for x in rows}
        check(r[("native", "read_iops")]["median"] == 1100, "summary: median per config")
        check(r[("cfg", "read_iops")]["n"] == 2 and r[("cfg", "read_iops")]["max"] == 110,
              "summary: a failed repetition and the warm-up are left out")
        check(r[("cfg", "read_iops")]["better"] == "higher" and
              r[("cfg", "read_clat_p99_us")]["better"] == "lower", "summary: direction of better")
        results.cmd_summarize(type("A", (), {"run": run_a}))
        check(results.cmd_check(type("A", (), {"run": run_a})) == 0,
              "check: the summary matches its raw files")
        with open(os.path.join(run_a, "cfg", "randread-4k", "rep-1", "fio.json")) as f:
            data = json.load(f)
        data["jobs"][0]["read"]["iops"] = 999
        with open(os.path.join(run_a, "cfg", "randread-4k", "rep-1", "fio.json"), "w") as f:
            json.dump(data, f)
        with redirect_stdout(io.StringIO()):
            bad = results.cmd_check(type("A", (), {"run": run_a}))
        check(bad == 1, "check: a changed raw file is detected")

        # Comparison of two runs: ratio with its interval, direction, verdict.
        run_b = make_run(os.path.join(tmp, "b"), {"cfg": [200, 210, 220]})
        run_c = make_run(os.path.join(tmp, "c"), {"cfg": [100, 110, 120]})
        for run in (run_b, run_c):
            results.cmd_summarize(type("A", (), {"run": run}))
        out = io.StringIO()
        with redirect_stdout(out):
            results.cmd_compare(type("A", (), {"a": run_c, "b": run_b, "configs": None,
                                               "metric": "read_iops"}))
        line = [x for x in out.getvalue().splitlines() if "read_iops" in x][0]
        check("1.91 [" in line and line.split()[-1] == "better",
              f"compare: 1.91x read IOPS, interval above 1, better: {line}")
        out = io.StringIO()
        with redirect_stdout(out):
            results.cmd_compare(type("A", (), {"a": run_b, "b": run_c, "configs": None,
                                               "metric": "read_clat_mean"}))
        line = [x for x in out.getvalue().splitlines() if "read_clat_mean" in x][0]
        check("1.00 [1.00, 1.00]" in line and line.split()[-1] == "same",
              f"compare: equal latency, no claim: {line}")
        run_d = make_run(os.path.join(tmp, "d"), {"native": [1000, 1100, 1200],
                                                  "cfg": [100, 110, 120]})
        with redirect_stdout(io.StringIO()):
            results.cmd_summarize(type("A", (), {"run": run_d}))
        out = io.StringIO()
        with redirect_stdout(out):
            results.cmd_compare(type("A", (), {"a": run_d, "b": None, "configs": "native,cfg",
                                               "metric": "read_iops"}))
        check("0.10 [" in out.getvalue() and "worse" in out.getvalue(),
              "compare: two configurations within one run")
        out = io.StringIO()
        with redirect_stdout(out):
            results.cmd_table(type("A", (), {"run": run_d, "baseline": "native"}))
        check(re.search(r"cfg .*0\.10 \[0\.\d+, 0\.\d+\] -", out.getvalue()) is not None,
              "table: the ratio to the baseline with its interval, marked worse")

        # Plots: non-empty PNGs and an index page from the fixture run.
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "analysis", "plot.py"), run_b],
                           capture_output=True, text=True)
        pngs = [f for f in os.listdir(os.path.join(run_b, "plots")) if f.endswith(".png")] \
            if p.returncode == 0 else []
        sizes = [os.path.getsize(os.path.join(run_b, "plots", f)) for f in pngs]
        check(p.returncode == 0 and len(pngs) >= 2 and min(sizes) > 2000,
              f"plot: {len(pngs)} non-empty PNG files ({p.stderr.strip()[-200:]})")
        with open(os.path.join(run_b, "index.md")) as f:
            index = f.read()
        check(all(f"plots/{x}" in index for x in pngs) and "| cfg | randread-4k | read_iops |" in index,
              "plot: the index shows every plot and the summary table")
        with open(os.path.join(run_b, "plots", "throughput-randread-4k.gp")) as f:
            gp = f.read()
        check("95% interval" in gp and "n = 3 repetitions" in gp and "(IOPS)" in gp,
              "plot: whiskers named as the interval, n and unit in the figure")

        # Packing: an unfinished run is refused; a finished one keeps its
        # summary and images as files, the rest in the archive, and every
        # reader gets the same answers from it.
        os.environ["HLINK_RUN_CACHE"] = os.path.join(tmp, "cache")
        try:
            runfs.pack(run_b)
            check(False, "pack: an unfinished run was packed")
        except SystemExit as e:
            check("has not ended" in str(e), "pack: an unfinished run stays unpacked")
        with open(os.path.join(run_b, "run.txt"), "a") as f:
            f.write("started: 2026-01-01T00:00:00+00:00\nended: 2026-01-01T00:01:00+00:00\n")
        before = results.collect(run_b)
        n = runfs.pack(run_b)
        left = [os.path.relpath(os.path.join(d, f), run_b) for d, _, fs in os.walk(run_b) for f in fs]
        check(n > 0 and not any("/rep-" in x or x.endswith((".gp", ".dat")) for x in left)
              and "summary.csv" in left and "plots/throughput-randread-4k.png" in left,
              f"pack: {n} raw files archived, images and summary kept ({sorted(left)[:6]})")
        check(results.collect(run_b) == before, "pack: the same samples read from the archive")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "analysis", "results.py"), "check", run_b],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"pack: results.py check passes on the packed run ({p.stderr.strip()})")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "analysis", "plot.py"), run_b],
                           capture_output=True, text=True)
        left = [f for f in os.listdir(os.path.join(run_b, "plots"))]
        check(p.returncode == 0 and not any(f.endswith(".gp") for f in left) and
              os.path.exists(os.path.join(runfs.raw_dir(run_b), "plots", "throughput-randread-4k.gp")),
              "pack: plotting a packed run keeps the plots' sources in the archive")
        with open(os.path.join(runfs.raw_dir(run_b), "plots", "throughput-randread-4k.dat")) as f:
            check("cfg" in f.read(), "pack: the plot data read back from the archive")
        runfs.unpack(run_b)
        check(not os.path.exists(os.path.join(run_b, runfs.ARCHIVE)) and results.collect(run_b) == before,
              "unpack: the raw files back as files, the same samples")
        # An archive that holds something other than raw files is refused.
        import tarfile
        bad = os.path.join(tmp, "bad")
        os.makedirs(bad)
        with open(os.path.join(bad, "x.txt"), "w") as f:
            f.write("x")
        with tarfile.open(os.path.join(bad, runfs.ARCHIVE), "w:xz") as t:
            t.add(os.path.join(bad, "x.txt"), arcname="../escape.txt")
        try:
            runfs.raw_dir(bad)
            check(False, "raw_dir: a member outside the raw layout was accepted")
        except SystemExit as e:
            check("unexpected member" in str(e), "raw_dir: a member outside the raw layout is refused")
    finally:
        shutil.rmtree(tmp)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
