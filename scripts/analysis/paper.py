#!/usr/bin/env python3
"""The generated parts of the paper (paper/hlink.tex), from the reference runs.

  paper.py gen [--out DIR] [--no-figures]
                              write DIR (default paper/gen): numbers.tex (every
                              number the prose prints), the tables, the figures
                              (the runs' own gnuplot scripts rendered as PDF)
  paper.py check [--out DIR] [--no-gen] [FILE]
                              generate into DIR (default a temporary one), then
                              read the tables and numbers back and compare each
                              with what results.py computes from the run's
                              summary.csv and raw files; check that every
                              figure, table and number hlink.tex names was
                              made; and lint the prose. Exit 1 on a problem.
  paper.py lint [FILE]        only the lint: the prose types no measured number
  paper.py figures            the figures hlink.tex includes, one a line
  paper.py readme             the Markdown table of paper/README.md: each figure
                              and table, the run it comes from, and how to make
                              that run again (scripts/analysis/doc_numbers.py fills it)

--no-figures lists the figures without rendering them; check --no-gen
checks DIR as it is, and FILE (default paper/hlink.tex) is the prose checked.

The runs are named in one place, paper/runs.txt (ROLE DIRECTORY; the
environment's HLINK_PAPER_RUNS may name another file). A role
whose run is missing is still built: its numbers read "n/a" and the paper
says the run is missing (have/ROLE is "no").

What hlink.tex may ask for (the generator reads hlink.tex to know which
ratios, medians and figures to make):
  \\R{role}{new}{base}{workload}          ratio of headlines with its interval
  \\Rm{role}{new}{base}{workload}{metric} the same for another metric
  \\vs{...4 args}, \\vsm{...5 args}       the same as a phrase with its verdict
  \\ifV{role}{new}{base}{workload}{verdict}{text}
                                         text only where results.py's verdict is that
  \\X{role}{new}{role2}{base}{workload}   a ratio across two runs
  \\M{role}{config}{workload}             a headline median with its interval
  \\hl{key}                               any other generated value (see gen_fixed)
  \\hlfig{role}{plot}{size}               a run's gnuplot plot, size half or full
"""
import argparse
import csv
import datetime
import glob
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402
import runfs  # noqa: E402
import workloads  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAPER = os.path.join(ROOT, "paper")
TEX = os.path.join(PAPER, "hlink.tex")
RUNS = os.environ.get("HLINK_PAPER_RUNS", os.path.join(PAPER, "runs.txt"))
THIS_WORK = "hlink-user"   # the configuration the versus tables lead with
ROLE_NEW = {"tcg": "hlink-kmod", "readdir": "hlink-user-readdirplus",
            "exclusive": "hlink-user-exclusive"}   # where another one leads

# Figure sizes (inches) and font (points; pdfcairo's default fontscale of
# one half is overridden) for the two widths the paper uses.
SIZES = {"half": (3.2, 2.05, 5.5), "full": (6.5, 2.0, 7)}



# ---------------------------------------------------------------- formatting

def esc(s):
    """Plain text as LaTeX."""
    out = []
    for ch in str(s):
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(ch)
    return "".join(out)


def num(x):
    """A measured value to three significant digits, thousands grouped."""
    if x is None:
        return "n/a"
    if x == 0:
        return "0"
    digits = 2 - int(math.floor(math.log10(abs(x))))
    v = round(x, digits)
    if digits <= 0:
        s = f"{int(round(v)):,}".replace(",", "\\,")
    else:
        s = f"{v:.{digits}f}"
    return s


def tt(s):
    """Typewriter type that may break after its commas, hyphens and slashes."""
    return "\\texttt{" + re.sub(r"([,/-])", r"\1\\allowbreak{}", esc(s)) + "}"


def ratio_text(rr):
    return results.fmt_ratio(rr)


def cell_ratio(rr, v):
    """A ratio cell: \\rc{verdict}{x}{lo}{hi}."""
    if rr is None:
        return "\\na"
    return "\\rc{%s}{%.2f}{%.2f}{%.2f}" % (v, rr[0], rr[1], rr[2])


def cell_median(r):
    if r is None:
        return "\\na"
    if r["ci95_low"] is None:
        return "\\mc{%s}{n/a}{n/a}" % num(r["median"])
    return "\\mc{%s}{%s}{%s}" % (num(r["median"]), num(r["ci95_low"]), num(r["ci95_high"]))


UNITS = {"us": "\\textmu s", "us/op": "\\textmu s/op", "ops/s": "ops/s", "IOPS": "IOPS",
         "MiB/s": "MiB/s", "calls/op": "calls/op"}


def unit(u):
    return UNITS.get(u, esc(u))


# ---------------------------------------------------------------- runs

def read_roles(path=None):
    """[(role, directory or None, pattern)] in the file's order."""
    path = path or RUNS
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            role, pattern = line.split()
            hits = sorted(glob.glob(os.path.join(ROOT, pattern)))
            d = hits[-1] if hits and os.path.isdir(hits[-1]) else None
            out.append((role, d, pattern))
    return out


class Run:
    def __init__(self, role, path, pattern):
        self.role, self.path, self.pattern = role, path, pattern
        self.rows, self.by, self._samples = [], {}, None
        self.info = {}
        if path and os.path.exists(os.path.join(path, "summary.csv")):
            self.rows = results.read_summary(path)
            self.by = {(r["config"], r["workload"], r["metric"]): r for r in self.rows}
        if path and os.path.exists(os.path.join(path, "run.txt")):
            self.info = read_runtxt(os.path.join(path, "run.txt"))

    @property
    def ok(self):
        return self.path is not None

    @property
    def id(self):
        return os.path.basename(self.path) if self.path else os.path.basename(self.pattern)

    @property
    def rel(self):
        return os.path.relpath(self.path, ROOT) if self.path else self.pattern

    def samples(self):
        if self._samples is None:
            self._samples = results.collect(self.path)
        return self._samples

    def configs(self):
        return sorted({r["config"] for r in self.rows})

    def cells(self):
        """[(workload, headline metric, unit)]."""
        return results.headline_cells(self.path, self.rows) if self.rows else []

    def headline(self, workload):
        return results.headline(self.path, workload)


def read_runtxt(path):
    out = {}
    with open(path) as f:
        for line in f:
            k, sep, v = line.partition(":")
            if sep:
                # A resumed run appends another 'ended'; the last one counts.
                out[k.strip()] = v.strip()
    return out


def minutes(info, run_dir=None):
    """How long a run took: run.txt's start to end; for a stress run, which
    keeps no run.txt, the seconds stress.csv records."""
    p = os.path.join(run_dir, "stress.csv") if run_dir else None
    if not info and p and os.path.exists(p):
        with open(p) as f:
            return round(sum(int(r["seconds"]) for r in csv.DictReader(f)) / 60)
    try:
        a = datetime.datetime.fromisoformat(info["started"])
        b = datetime.datetime.fromisoformat(info["ended"])
    except (KeyError, ValueError):
        return None
    return round((b - a).total_seconds() / 60)


def profile_of(info):
    """{'name': quick, 'reps': '5', ...} from run.txt's profile line."""
    p = info.get("profile", "").split()
    out = {"name": p[0] if p else "n/a"}
    for kv in p[1:]:
        k, _, v = kv.partition("=")
        out[k] = v
    return out


def ratio_of(run, new, base, workload, metric=None):
    """(ratio, lo, hi) or None, verdict, better."""
    metric = metric or run.headline(workload)
    r = run.by.get((new, workload, metric))
    if r is None or (base, workload, metric) not in run.by:
        raise KeyError(f"{run.rel}: no {metric} of {workload} for {new} and {base}")
    rr = results.ratio(run.samples(), run.path, new, base, workload, metric)
    return rr, results.verdict(rr, r["better"]), r["better"]


def cross_ratio(run_a, new, run_b, base, workload):
    """new's headline in run_a over base's in run_b: two runs, two times."""
    metric = run_a.headline(workload)
    a = run_a.samples().get((new, workload, metric))
    b = run_b.samples().get((base, workload, metric))
    if not a or not b:
        raise KeyError(f"no {metric} of {workload} for {new} in {run_a.rel} and {base} in {run_b.rel}")
    rr = results.ratio_ci(a[1], b[1], "paper", run_a.id, new, run_b.id, base, workload, metric)
    return rr, results.verdict(rr, run_a.by[(new, workload, metric)]["better"])


# ---------------------------------------------------------------- what hlink.tex asks for

def args_re(name, n):
    return re.compile(r"\\" + name + r"(?![A-Za-z])" + r"\{([^{}]*)\}" * n)


ASKS = {
    "R": args_re("R", 4), "Rm": args_re("Rm", 5), "vs": args_re("vs", 4), "vsm": args_re("vsm", 5),
    "ifV": args_re("ifV", 5), "X": args_re("X", 5), "M": args_re("M", 3), "hl": args_re("hl", 1), "hlraw": args_re("hlraw", 1),
    "hlfig": args_re("hlfig", 3), "input": args_re("input", 1), "genfile": args_re("genfile", 1),
}


def strip_comments(text):
    return re.sub(r"(?<!\\)%.*", "", text)


def body_of(text):
    """The document without comments and without the preamble (which only
    defines the macros)."""
    text = strip_comments(text)
    pre, sep, body = text.partition("\\begin{document}")
    return body if sep else text


def balanced_args(text, pos, n):
    """The n brace-delimited arguments starting at text[pos], and the end."""
    args = []
    for _ in range(n):
        while pos < len(text) and text[pos] in " \n":
            pos += 1
        if pos >= len(text) or text[pos] != "{":
            return args, pos
        depth, start = 0, pos
        while pos < len(text):
            depth += {"{": 1, "}": -1}.get(text[pos], 0)
            pos += 1
            if depth == 0:
                break
        args.append(text[start + 1:pos - 1])
    return args, pos


def asks(text):
    text = body_of(text)
    return {k: [m.groups() for m in r.finditer(text)] for k, r in ASKS.items()}


def key_of(kind, args):
    """The numbers.tex key a macro use reads."""
    if kind in ("R", "Rm"):
        return "ratio/" + "/".join(args)
    if kind in ("vs", "vsm"):
        return "vs/" + "/".join(args)
    if kind == "ifV":
        return "verdict/" + "/".join(args[:4])
    if kind == "X":
        return "xratio/" + "/".join(args)
    if kind == "M":
        return "median/" + "/".join(args)
    if kind in ("hl", "hlraw"):
        return args[0]
    return None


# ---------------------------------------------------------------- the generator

class Gen:
    def __init__(self, out, figures=True):
        self.out = out
        self.figures = figures
        self.runs = {role: Run(role, d, p) for role, d, p in read_roles()}
        self.order = [role for role, _, _ in read_roles()]
        self.N = {}            # key -> LaTeX text
        self.made = []         # files written, relative to out
        self.problems = []

    def run(self, role):
        if role not in self.runs:
            raise KeyError(f"role '{role}' is not in paper/runs.txt")
        return self.runs[role]

    def write(self, name, text):
        path = os.path.join(self.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        self.made.append(name)

    # ---- numbers the prose asks for

    def ask_ratio(self, role, new, base, wl, metric=None):
        key = "/".join([role, new, base, wl] + ([metric] if metric else []))
        run = self.run(role)
        if not run.ok:
            self.N["ratio/" + key] = "n/a"
            self.N["verdict/" + key] = "n/a"
            self.N["vs/" + key] = f"not compared with \\cfg{{{esc(base)}}} (run missing)"
            return
        rr, v, better = ratio_of(run, new, base, wl, metric)
        self.N["ratio/" + key] = ratio_text(rr)
        self.N["verdict/" + key] = v
        words = {"better": "ahead of", "worse": "behind", "same": "not shown to differ from",
                 "n/a": "not compared with"} if not metric else \
                {"better": "better than", "worse": "worse than", "same": "not shown to differ from",
                 "n/a": "not compared with"}
        self.N["vs/" + key] = f"{words[v]} \\cfg{{{esc(base)}}} ({ratio_text(rr)})"

    def ask_cross(self, role, new, role2, base, wl):
        key = f"xratio/{role}/{new}/{role2}/{base}/{wl}"
        a, b = self.run(role), self.run(role2)
        if not (a.ok and b.ok):
            self.N[key] = "n/a (run missing)"
            return
        rr, _ = cross_ratio(a, new, b, base, wl)
        self.N[key] = ratio_text(rr)

    def ask_median(self, role, config, wl):
        key = f"median/{role}/{config}/{wl}"
        run = self.run(role)
        if not run.ok:
            self.N[key] = "n/a (run missing)"
            return
        r = run.by.get((config, wl, run.headline(wl)))
        if r is None:
            raise KeyError(f"{run.rel}: no headline of {wl} for {config}")
        self.N[key] = f"{num(r['median'])} [{num(r['ci95_low'])}, {num(r['ci95_high'])}] {unit(r['unit'])}"

    def from_tex(self, text):
        a = asks(text)
        for kind in ("R", "vs", "ifV"):
            for g in a[kind]:
                self.guard(self.ask_ratio, *g[:4])
        for kind in ("Rm", "vsm"):
            for g in a[kind]:
                self.guard(self.ask_ratio, *g)
        for g in a["X"]:
            self.guard(self.ask_cross, *g)
        for g in a["M"]:
            self.guard(self.ask_median, *g)
        for g in a["hlfig"]:
            self.guard(self.figure, *g)

    def guard(self, fn, *args):
        try:
            fn(*args)
        except KeyError as e:
            self.problems.append(str(e).strip('"'))

    # ---- fixed numbers

    def gen_fixed(self):
        N = self.N
        for role in self.order:
            run = self.runs[role]
            N[f"have/{role}"] = "yes" if run.ok else "no"
            N[f"run/{role}/id"] = tt(run.id)
            N[f"run/{role}/path"] = tt(run.rel)
            if not run.ok or not run.rows:
                continue
            prof = profile_of(run.info)
            cfgs = run.configs()
            cells = run.cells()
            ns = [r["n"] for w, m, _ in cells for c in cfgs for r in [run.by.get((c, w, m))] if r]
            N[f"run/{role}/configs"] = ", ".join(f"\\cfg{{{esc(c)}}}" for c in cfgs)
            N[f"run/{role}/nconfigs"] = str(len(cfgs))
            N[f"run/{role}/workloads"] = ", ".join(f"\\wl{{{esc(w)}}}" for w, _, _ in cells)
            N[f"run/{role}/nworkloads"] = str(len(cells))
            N[f"run/{role}/reps"] = prof.get("reps", "n/a")
            N[f"run/{role}/runtime"] = prof.get("runtime", "n/a")
            N[f"run/{role}/ramp"] = prof.get("ramp", "n/a")
            N[f"run/{role}/profile"] = esc(prof["name"])
            N[f"run/{role}/n"] = (str(min(ns)) if ns and min(ns) == max(ns)
                                  else f"{min(ns)}--{max(ns)}" if ns else "n/a")
            m = minutes(run.info, run.path)
            N[f"run/{role}/minutes"] = str(m) if m is not None else "n/a"
            N[f"run/{role}/date"] = esc(run.info.get("started", "n/a")[:10])
            commit = run.info.get("commit", "n/a").split()
            N[f"run/{role}/commit"] = f"\\texttt{{{esc(commit[0][:7])}}}" + (
                f" ({esc(commit[1].strip('()'))})" if len(commit) > 1 else "")
            calls = any(r["metric"] == "host_file_calls_per_op" for r in run.rows)
            N[f"run/{role}/calls"] = "yes" if calls else "no"
            nc = sorted({r["n"] for r in run.rows if r["metric"] == "host_file_calls_per_op"})
            N[f"run/{role}/callscap"] = (
                f"run {N[f'run/{role}/id']}, n = " + (str(nc[0]) if len(nc) == 1 else f"{nc[0]}--{nc[-1]}")
                + " runs with \\texttt{strace} per cell") if nc else "no host calls counted in this run"
            N[f"run/{role}/cap"] = (f"run {N[f'run/{role}/id']}, n = {N[f'run/{role}/n']} "
                                    "counted repetitions per cell")
            N[f"run/{role}/cmd"] = tt(command_of(run))
            N[f"run/{role}/implchanges"] = changes_since(commit[0], "impl")
            N[f"run/{role}/mapped"] = "yes" if exists_at(commit[0], "impl/common/hlink_owner.c") else "no"
            for c in known_configs():
                N[f"run/{role}/has/{c}"] = "yes" if c in cfgs else "no"
            for w, _, _ in cells:
                N[f"summary/{role}/{w}"] = self.summary_of(run, w)
            for w in workload_names():
                N[f"run/{role}/has-workload/{w}"] = "yes" if any(c[0] == w for c in cells) else "no"
        dirty = [r for r in self.order if self.runs[r].ok and "dirty" in self.runs[r].info.get("commit", "")]
        N["runs/dirty"] = ", ".join(esc(r) for r in dirty) or "none"
        with open(os.path.join(ROOT, "scripts", "analysis", "plot.py")) as f:
            m = re.search(r"logscale=spread > (\d+)", f.read())
        N["plot/logspread"] = m.group(1) if m else "n/a"
        self.gen_abi()
        self.gen_impl_params()
        self.gen_tests()
        self.gen_drift()
        self.gen_workload_coverage()

    def summary_of(self, run, w):
        """The verdicts of this work against every other configuration on
        one workload, in words: 'ahead of A, B; behind C; no difference shown
        against D'."""
        new = ROLE_NEW.get(run.role, THIS_WORK)
        if new not in run.configs():
            return "n/a"
        groups = {"better": [], "worse": [], "same": [], "n/a": []}
        for c in run.configs():
            if c == new or (c, w, run.headline(w)) not in run.by:
                continue
            rr, v, _ = ratio_of(run, new, c, w)
            groups[v].append(f"\\cfg{{{esc(c)}}}")
        parts = []
        for v, words in (("better", "ahead of"), ("worse", "behind"),
                         ("same", "not shown to differ from"), ("n/a", "without an interval against")):
            if groups[v]:
                parts.append(words + " " + and_list(groups[v]))
        return "; ".join(parts) if parts else "n/a"

    def gen_abi(self):
        with open(os.path.join(ROOT, "impl", "include", "hlink_abi.h")) as f:
            h = f.read()
        major = re.search(r"#define HLINK_ABI_MAJOR (\d+)", h).group(1)
        minor = re.search(r"#define HLINK_ABI_MINOR (\d+)", h).group(1)
        self.N["abi/version"] = f"{major}.{minor}"
        ops = re.findall(r"HLINK_OP_([A-Z_]+) = \d+", h)
        self.N["abi/nops"] = str(len(ops))
        self.N["abi/ops"] = ", ".join(f"\\textsc{{{o.lower()}}}" for o in ops)
        for name in ("IO_MAX", "MSG_MAX", "NAME_MAX"):
            m = re.search(rf"#define HLINK_{name} \(?([0-9U <*]+)\)?", h)
            val = eval(m.group(1).replace("U", ""), {"__builtins__": {}})  # a constant expression
            self.N[f"abi/{name.lower()}"] = size_text(val) if name != "NAME_MAX" else str(val)
        # struct hlink_handle, field by field, with its comment's meanings.
        body = re.search(r"struct hlink_handle \{(.*?)\};", h, re.S).group(1)
        fields = re.findall(r"__([us])(\d+) (\w+);", body)
        meaning = dict(re.findall(r"\*\s+(ino|sbid|gen)\s+(.*?)(?=\n \*\s+(?:ino|sbid|gen)\s|\n \* A host)",
                                  h, re.S))
        rows = []
        for sign, bits, name in fields:
            text = " ".join(meaning.get(name, "").replace("*", " ").split()).rstrip(";.")
            rows.append(f"\\texttt{{{name}}} & {bits} & {esc(text)} \\\\")
        self.N["abi/handlebits"] = str(sum(int(b) for _, b, _ in fields))
        self.write("tab-handle.tex", "%% table: handle (impl/include/hlink_abi.h)\n"
                   "\\begin{tabular}{@{}llP{0.62\\linewidth}@{}}\n\\toprule\nfield & bits & meaning \\\\\n"
                   "\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n")

    def gen_impl_params(self):
        def grep(path, pattern, conv=lambda s: s):
            with open(os.path.join(ROOT, path)) as f:
                m = re.search(pattern, f.read())
            return conv(m.group(1)) if m else "n/a"
        N = self.N
        N["impl/attrtimeout"] = grep("impl/guest/hlinkfs/hlinkfs_kern.c", r"attr_timeout_ms = (\d+);")
        N["impl/kmodslots"] = grep("impl/host/kmod/hlink_main.c", r"hk_nr_slots = (\d+);")
        N["impl/kmodentries"] = grep("impl/host/kmod/hlink_main.c", r"hk_max_entries = 1U << (\d+);",
                                     lambda s: f"$2^{{{s}}}$")
        N["impl/userslots"] = grep("impl/host/user/hlink_host.c", r"rlim_cur / (\d+)\)",
                                   lambda s: {"2": "a half", "4": "a quarter", "8": "an eighth"}.get(s, "1/" + s))
        # Lines of code per component.
        parts = [("ABI header", ["impl/include/hlink_abi.h"]),
                 ("guest module, kernel half", ["impl/guest/hlinkfs/hlinkfs_kern.c"]),
                 ("guest module, host half", ["impl/guest/hlinkfs/hlinkfs_user.c", "impl/guest/hlinkfs/hlinkfs.h"]),
                 ("request decoding and checks, ownership (shared)", ["impl/common/*.c", "impl/common/*.h",
                                                                      "impl/common/*.def"]),
                 ("user-space host module", ["impl/host/user/*.c", "impl/host/user/*.h"]),
                 ("kernel host module", ["impl/host/kmod/*.c", "impl/host/kmod/*.h"])]
        rows = []
        for label, pats in parts:
            files = sorted({p for pat in pats for p in glob.glob(os.path.join(ROOT, pat))})
            lines = 0
            for p in files:
                with open(p, errors="replace") as f:
                    lines += sum(1 for _ in f)
            rows.append(f"{esc(label)} & {len(files)} & {num_int(lines)} \\\\")
        self.write("tab-impl.tex", "%% table: lines of code (wc -l)\n"
                   "\\begin{tabular}{@{}lrr@{}}\n\\toprule\ncomponent & files & lines \\\\\n\\midrule\n"
                   + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n")

    def gen_tests(self):
        with open(os.path.join(ROOT, "tests", "cases", "043-open-files-limit.sh")) as f:
            t = f.read()
        limit = int(re.search(r"^limit=(\d+)", t, re.M).group(1))
        mult = int(re.search(r"\$\(\((\d+) \* limit\)\)", t).group(1))
        self.N["t043/limit"] = str(limit)
        self.N["t043/files"] = str(mult * limit)
        # The confinement records: how many attempts each column makes.
        for name in ("user", "kmod", "guest"):
            p = os.path.join(ROOT, "tests", "confinement", name + ".txt")
            n = 0
            if os.path.exists(p):
                with open(p) as f:
                    n = sum(1 for line in f if line.strip())
            self.N[f"confine/{name}"] = str(n)

    def gen_drift(self):
        """For each run, the cell whose counted repetitions spread widest
        (max over min), printed as its range: the drift the run absorbed."""
        for role in self.order:
            run = self.runs[role]
            if not run.rows:
                continue
            best = None
            for w, m, u in run.cells():
                for c in run.configs():
                    r = run.by.get((c, w, m))
                    if r and r["min"] > 0 and (best is None or r["max"] / r["min"] > best[0]):
                        best = (r["max"] / r["min"], c, w, r, u)
            if best:
                _, c, w, r, u = best
                self.N[f"drift/{role}"] = (f"\\cfg{{{esc(c)}}} on \\wl{{{esc(w)}}} ranged from "
                                           f"{num(r['min'])} to {num(r['max'])} {unit(u)} over its "
                                           f"{r['n']} counted repetitions")

    def gen_workload_coverage(self):
        """Which workloads no reference run ran, and the sweeps (scaling)."""
        ran = {w for run in self.runs.values() for w, _, _ in run.cells()}
        missing, sweeps = [], []
        for p in workloads.files():
            n = workloads.name_of(p)
            h = workloads.header(p)
            if n not in ran:
                missing.append(n)
            if h.get("sweep"):
                sweeps.append(n)
        self.N["workloads/notrun"] = ", ".join(f"\\wl{{{esc(w)}}}" for w in missing) or "none"
        self.N["workloads/sweeps"] = ", ".join(f"\\wl{{{esc(w)}}}" for w in sweeps) or "none"
        swept = [w for w in sweeps if w in ran]
        self.N["workloads/sweepsran"] = ", ".join(f"\\wl{{{esc(w)}}}" for w in swept) or "none"
        self.N["have/scaling"] = "yes" if any(
            glob.glob(os.path.join(run.path, "plots", "scaling-*.png"))
            for run in self.runs.values() if run.ok) else "no"

    # ---- tables

    def table_versus(self, role, new=THIS_WORK):
        """Ratios of new's headline to every other configuration's: rows the
        other configurations, columns the workloads."""
        run = self.run(role)
        name = f"tab-versus-{role}.tex"
        if not run.ok or new not in run.configs():
            self.write(name, missing_table(run))
            return
        cells = run.cells()
        head = " & ".join(wl_head(w) for w, _, _ in cells)
        lines = [f"%% table: versus role={role} new={new}",
                 "%% columns: " + " ".join(w for w, _, _ in cells),
                 "\\begin{tabular}{@{}l" + "c" * len(cells) + "@{}}", "\\toprule",
                 f"\\cfg{{{esc(new)}}} over & {head} \\\\", "\\midrule"]
        for c in run.configs():
            if c == new:
                continue
            row = []
            for w, m, _ in cells:
                if (c, w, m) not in run.by or (new, w, m) not in run.by:
                    row.append("\\na")
                    continue
                rr, v, _ = ratio_of(run, new, c, w)
                row.append(cell_ratio(rr, v))
            lines.append(f"\\cfg{{{esc(c)}}} & " + " & ".join(row) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        self.write(name, "\n".join(lines) + "\n")

    def table_medians(self, role):
        """Each configuration's headline median with its interval."""
        run = self.run(role)
        name = f"tab-medians-{role}.tex"
        if not run.ok:
            self.write(name, missing_table(run))
            return
        cells = run.cells()
        lines = [f"%% table: medians role={role}",
                 "%% columns: " + " ".join(w for w, _, _ in cells),
                 "\\begin{tabular}{@{}l" + "c" * len(cells) + "@{}}", "\\toprule",
                 " & " + " & ".join(wl_head(w) for w, _, _ in cells) + " \\\\",
                 " & " + " & ".join(f"\\footnotesize {unit(u)}" for _, _, u in cells) + " \\\\",
                 "\\midrule"]
        for c in run.configs():
            row = [cell_median(run.by.get((c, w, m))) for w, m, _ in cells]
            lines.append(f"\\cfg{{{esc(c)}}} & " + " & ".join(row) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        self.write(name, "\n".join(lines) + "\n")

    def table_metric(self, role, metric, name):
        """One metric (host cost) per configuration and workload."""
        run = self.run(role)
        if not run.ok:
            self.write(name, missing_table(run))
            return
        wls = [w for w, _, _ in run.cells() if any((c, w, metric) in run.by for c in run.configs())]
        lines = [f"%% table: metric role={role} metric={metric}",
                 "%% columns: " + " ".join(wls),
                 "\\begin{tabular}{@{}l" + "c" * len(wls) + "@{}}", "\\toprule",
                 " & " + " & ".join(wl_head(w) for w in wls) + " \\\\", "\\midrule"]
        for c in run.configs():
            row = [cell_median(run.by.get((c, w, metric))) for w in wls]
            lines.append(f"\\cfg{{{esc(c)}}} & " + " & ".join(row) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        self.write(name, "\n".join(lines) + "\n")

    def table_cross(self, role, role2, pairs, name):
        """Ratios across two runs: how much slower the TCG VM makes a stack."""
        a, b = self.run(role), self.run(role2)
        if not (a.ok and b.ok):
            self.write(name, missing_table(a if not a.ok else b))
            return
        cells = [c for c in a.cells() if c[0] in {w for w, _, _ in b.cells()}]
        lines = [f"%% table: cross role={role} role2={role2}",
                 "%% columns: " + " ".join(w for w, _, _ in cells),
                 "\\begin{tabular}{@{}l" + "c" * len(cells) + "@{}}", "\\toprule",
                 " & " + " & ".join(wl_head(w) for w, _, _ in cells) + " \\\\", "\\midrule"]
        for new, base in pairs:
            if new not in a.configs() or base not in b.configs():
                continue
            row = []
            for w, m, _ in cells:
                rr, v = cross_ratio(a, new, b, base, w)
                row.append(cell_ratio(rr, v))
            lines.append(f"%% pair: {new} {base}")
            lines.append(f"\\cfg{{{esc(new)}}} / \\cfg{{{esc(base)}}} & " + " & ".join(row) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        self.write(name, "\n".join(lines) + "\n")

    def table_stress(self):
        rows = []
        for role in self.order:
            if not role.startswith("stress"):
                continue
            run = self.runs[role]
            p = os.path.join(run.path, "stress.csv") if run.ok else None
            if not p or not os.path.exists(p):
                rows.append(f"\\multicolumn{{6}}{{@{{}}l}}{{{esc(run.rel)}: not in results/}} \\\\")
                continue
            with open(p) as f:
                data = list(csv.DictReader(f))
            groups = {}
            for r in data:
                groups.setdefault((r["config"], r["host_churn"]), []).append(r)
            for (cfg, churn), rs in groups.items():
                ops = sum(int(r["ops"]) for r in rs)
                fails = sum(int(r["failures"]) for r in rs)
                secs = sum(int(r["seconds"]) for r in rs)
                seeds = len([r for r in rs if r["seed"] != "-"])
                rate = [int(r["ops_per_s"]) for r in rs]
                rate_s = num_int(rate[0]) if len(rate) == 1 else f"{num_int(min(rate))}--{num_int(max(rate))}"
                rows.append(f"\\texttt{{{esc(run.id)}}} & \\cfg{{{esc(cfg)}}}"
                            f"{' + host churn' if churn == '1' else ''} & "
                            f"{seeds if seeds else 'shared load'} & {num_int(ops)} & {num_int(fails)} & "
                            f"{num_int(secs)} & {rate_s} \\\\")
        self.write("tab-stress.tex", "%% table: stress (stress.csv)\n"
                   "\\begin{tabular}{@{}llrrrrr@{}}\n\\toprule\n"
                   "run & configuration & seeds & operations & failures & seconds & ops/s \\\\\n"
                   "\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n")

    def table_setup(self):
        """The machine and software of every result: what is common to all
        runs once, then per run."""
        present = [self.runs[r] for r in self.order if self.runs[r].ok and self.runs[r].info]
        fields = [("CPU (model, cores)", lambda i, r: i.get("cpu")),
                  ("host memory", lambda i, r: i.get("mem") or i.get("host_mem") or "not recorded"),
                  ("host kernel", lambda i, r: i.get("host_kernel")),
                  ("guest kernel (UML)", lambda i, r: guest_kernel(r)),
                  ("guest memory", lambda i, r: i.get("guest_mem")),
                  ("export's host file system", lambda i, r: i.get("export_backing")),
                  ("caches dropped between runs", lambda i, r: i.get("host_cache_drop_between_runs")),
                  ("fio", lambda i, r: i.get("fio")),
                  ("qemu", lambda i, r: i.get("qemu"))]
        common, per = [], []
        for label, get in fields:
            vals = {get(r.info, r) or "not recorded" for r in present}
            if len(vals) == 1:
                common.append(f"{esc(label)} & \\multicolumn{{3}}{{l}}{{{esc(vals.pop())}}} \\\\")
            else:
                per.append((label, get))
        tcg = self.runs.get("tcg")
        if tcg and tcg.ok:
            vm = tcg_vm(tcg.info.get("commit", "").split()[0] if tcg.info.get("commit") else "",
                        tcg.info.get("vm_accel", "tcg").split()[0])
            common.append("TCG host VM (\\cfg{hlink-kmod}, \\cfg{tcg-*}) & \\multicolumn{3}{l}{"
                          f"{esc(vm)}}} \\\\")
        rows = ["%% table: setup (run.txt, versions.txt, config.sh)",
                "\\begin{tabular}{@{}llll@{}}", "\\toprule",
                "\\multicolumn{4}{@{}l}{\\emph{Machine and software, the same in every run}} \\\\",
                "\\midrule"] + common
        rows += ["\\midrule",
                 "role & run & started, minutes & commit \\\\", "\\midrule"]
        for r in present:
            m = minutes(r.info, r.path)
            commit = r.info.get("commit", "n/a").split()
            extra = "".join(f"; {esc(lbl)}: {esc(get(r.info, r) or 'not recorded')}" for lbl, get in per)
            rows.append(f"{esc(r.role)} & \\texttt{{{esc(r.id)}}} & {esc(r.info.get('started', 'n/a')[:16])}, "
                        f"{m if m is not None else 'n/a'} & \\texttt{{{esc(commit[0][:7])}}}"
                        f"{' ' + esc(commit[1]) if len(commit) > 1 else ''}{extra} \\\\")
        for role in self.order:
            r = self.runs[role]
            if not r.ok:
                rows.append(f"{esc(role)} & \\multicolumn{{3}}{{l}}{{\\texttt{{{esc(r.pattern)}}}: "
                            "not in results/} \\\\")
        rows += ["\\bottomrule", "\\end{tabular}"]
        self.write("tab-setup.tex", "\n".join(rows) + "\n")

    def table_configs(self):
        """Each configuration of the reference runs: what it is, and the
        options of its daemons and mounts, from the run's config.sh."""
        seen = {}
        for role in self.order:
            run = self.runs[role]
            if not run.ok:
                continue
            for c in run.configs():
                p = os.path.join(run.path, c, "config.sh")
                if c not in seen and os.path.exists(p):
                    seen[c] = p
        rows = []
        for c in sorted(seen):
            with open(seen[c]) as f:
                text = f.read()
            desc = re.search(r'^CFG_DESC="(.*)"', text, re.M)
            rows.append(f"\\cfg{{{esc(c)}}} & {esc(desc.group(1) if desc else '')} & "
                        f"{esc(options_of(text)) or '--'} \\\\")
        self.write("tab-configs.tex", "%% table: configurations (config.sh of each run)\n"
                   "\\begin{tabular}{@{}lP{0.47\\linewidth}P{0.27\\linewidth}@{}}\n\\toprule\n"
                   "configuration & what it is & options \\\\\n\\midrule\n" + "\n".join(rows) +
                   "\n\\bottomrule\n\\end{tabular}\n")

    def table_workloads(self):
        """Every workload by guarantee: those some reference run ran, and
        those none did."""
        ran = {w for run in self.runs.values() for w, _, _ in run.cells()}
        by = {}
        for p in workloads.files():
            n = workloads.name_of(p)
            g = workloads.header(p).get("guarantee", "")
            by.setdefault(g, ([], []))[0 if n in ran else 1].append(f"\\wl{{{esc(n)}}}")
        rows = [f"{esc(g)} & {', '.join(a) or '--'} & {', '.join(b) or '--'} \\\\"
                for g, (a, b) in sorted(by.items())]
        self.write("tab-workloads.tex", "%% table: workloads (workloads/*)\n"
                   "\\begin{tabular}{@{}lP{0.42\\linewidth}P{0.42\\linewidth}@{}}\n\\toprule\n"
                   "guarantee & in the reference runs & in none (full profile) \\\\\n"
                   "\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n")

    def table_artifact(self, claims):
        """Claim, where it is, the command that regenerates it, and how long
        the reference run took."""
        rows = []
        for claim, where, role in claims:
            run = self.runs[role]
            m = minutes(run.info, run.path) if run.ok else None
            cmd = command_of(run) if run.ok else "n/a (run missing)"
            rows.append(f"{claim} & {where} & {tt(cmd)} & "
                        f"{m if m is not None else 'n/a'} \\\\")
        self.write("tab-artifact.tex", "%% table: artifact\n"
                   "\\begin{tabular}{@{}P{0.3\\linewidth}lP{0.36\\linewidth}r@{}}\n\\toprule\n"
                   "claim & where & command (then \\texttt{make paper}) & minutes \\\\\n\\midrule\n"
                   + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}\n")

    # ---- figures

    def figure(self, role, plot, size):
        if size not in SIZES:
            raise KeyError(f"\\hlfig size '{size}' (known: {', '.join(SIZES)})")
        run = self.run(role)
        if not run.ok:
            return
        plots = os.path.join(run.path, "plots")
        if not os.path.isdir(plots) and os.path.exists(os.path.join(run.path, "summary.csv")):
            # A run without plots gets them, the harness's way.
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "analysis", "plot.py"), run.path],
                           check=True, capture_output=True)
        gp = os.path.join(plots, plot + ".gp")
        if not os.path.exists(gp):
            # A packed run keeps its plots' sources in its archive.
            plots = os.path.join(runfs.raw_dir(run.path), "plots")
            gp = os.path.join(plots, plot + ".gp")
        name = f"fig/{role}-{plot}-{size}.pdf"
        if not os.path.exists(gp):
            raise KeyError(f"{run.rel}: no plot {plot} (plots/{plot}.gp)")
        if not self.figures:
            self.made.append(name)
            return
        work = os.path.join(self.out, "fig", f"{role}-{plot}-{size}.d")
        os.makedirs(work, exist_ok=True)
        with open(gp) as f:
            script = f.read()
        for dat in set(re.findall(r'"([^"/]+\.dat)"', script)):
            shutil.copy(os.path.join(plots, dat), work)
        w, h, font = SIZES[size]
        pdf = os.path.abspath(os.path.join(self.out, name))
        # The harness's script as it is, printed at the size the page
        # prints it: the caption replaces the title; a half-width bar chart
        # drops its key (the caption gives the colours) and turns its labels
        # further; a key inside a line plot moves out of the curves' way.
        bars = "with boxes" in script
        lines = []
        for line in script.splitlines():
            if line.startswith("set terminal"):
                line = f'set terminal pdfcairo size {w}in,{h}in font "sans,{font}" fontscale 1'
            elif line.startswith("set output"):
                line = f'set output "{pdf}"'
            elif line.startswith("set title"):
                continue
            elif line.startswith("set key") and bars and size == "half":
                line = "unset key"
            elif line.startswith("set xtics") and bars and size == "half":
                line = line.replace("rotate by -20", "rotate by -35")
            elif line.startswith("set key") and not bars and "outside" not in line:
                line = "set key outside right"
            lines.append(line)
        with open(os.path.join(work, plot + ".gp"), "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run(["gnuplot", plot + ".gp"], cwd=work, check=True, capture_output=True)
        shutil.rmtree(work)
        self.made.append(name)

    # ---- everything

    def build(self):
        os.makedirs(self.out, exist_ok=True)
        with open(TEX) as f:
            tex = f.read()
        self.gen_fixed()
        self.from_tex(tex)
        for role in ("main", "shared", "tcg", "seqread", "ownership", "readdir", "slow", "direct",
                     "exclusive"):
            if role in self.runs:
                self.table_versus(role, ROLE_NEW.get(role, THIS_WORK))
        if "main" in self.runs:
            self.table_medians("main")
        if "calls" in self.runs:
            self.table_metric("calls", "host_file_calls_per_op", "tab-calls-calls.tex")
        if "tcg" in self.runs and "main" in self.runs:
            self.table_cross("tcg", "main", [("tcg-hlink-user", "hlink-user"), ("tcg-hostfs", "hostfs"),
                                             ("tcg-ubd-ext4", "ubd-ext4"), ("tcg-native", "native")],
                             "tab-emulation.tex")
        self.table_stress()
        self.table_setup()
        self.table_configs()
        self.table_workloads()
        self.table_artifact(ARTIFACT)
        lines = ["% Generated by scripts/analysis/paper.py from the runs in paper/runs.txt; do not edit."]
        for k in sorted(self.N):
            lines.append(f"\\hlset{{{k}}}{{{self.N[k]}}}")
        self.write("numbers.tex", "\n".join(lines) + "\n")
        self.write("figures.txt", "\n".join(sorted(n for n in self.made if n.startswith("fig/"))) + "\n")
        return self.problems


# Claims of the artifact appendix: (claim, where, role of the run behind it).
ARTIFACT = [
    ("The link against every direct configuration", "Tab.~\\ref{tab:versus-main}, Fig.~\\ref{fig:main}", "main"),
    ("Latency percentiles", "Fig.~\\ref{fig:latency}", "main"),
    ("Host calls and CPU per operation", "Tab.~\\ref{tab:cost}, Fig.~\\ref{fig:calls}", "calls"),
    ("Against NFS, 9p and virtio-fs", "Tab.~\\ref{tab:versus-shared}", "shared"),
    ("Sequential reads", "Tab.~\\ref{tab:versus-seqread}", "seqread"),
    ("hlink.ko under TCG", "Tab.~\\ref{tab:versus-tcg}, Fig.~\\ref{fig:tcg}", "tcg"),
    ("Ownership model's cost", "Tab.~\\ref{tab:versus-ownership}", "ownership"),
    ("READDIR\\_PLUS", "Tab.~\\ref{tab:versus-readdir}", "readdir"),
    ("Slow calls on the host's workers", "Tab.~\\ref{tab:versus-slow}", "slow"),
    ("Direct I/O and zero copy", "Tab.~\\ref{tab:versus-direct}", "direct"),
    ("Write-behind on an exclusive export", "Tab.~\\ref{tab:versus-exclusive}", "exclusive"),
    ("Drift absorbed by the run order", "Fig.~\\ref{fig:drift}", "main"),
]


def command_of(run):
    """The command that makes a run like this one, from what it recorded."""
    if run.id.startswith("stress"):
        return "make stress"
    if run.info.get("backing"):
        return f"scripts/run/bench-hlink.sh --backing {run.info['backing'].split()[0]}"
    calls = any(r["metric"] == "host_file_calls_per_op" for r in run.rows)
    prof = profile_of(run.info).get("name", "quick")
    parts = ["scripts/run/eval.sh"] + (["-C"] if calls else []) + ["-c", ",".join(run.configs())]
    if prof != "quick":
        parts += ["--profile", prof]
    if any(c.startswith("tcg-") or c == "hlink-kmod" for c in run.configs()):
        parts = ["make", "kmod-vm", "&&"] + parts   # the TCG VM's kernel and hlink.ko
    return " ".join(parts)


def and_list(items):
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def known_configs():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "baselines", "*.sh"))
                  if os.path.basename(p) != "lib.sh")


def workload_names():
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "workloads", "*"))
                  if p.endswith((".fio", ".sh", ".py")))


def changes_since(commit, path):
    """How many commits have changed PATH since COMMIT."""
    p = subprocess.run(["git", "-C", ROOT, "rev-list", "--count", f"{commit}..HEAD", "--", path],
                       capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else "n/a"


def exists_at(commit, path):
    return subprocess.run(["git", "-C", ROOT, "cat-file", "-e", f"{commit}:{path}"],
                          capture_output=True).returncode == 0


def guest_kernel(run):
    """The guest kernel's release, as the guest reported it (versions.txt)."""
    for p in sorted(glob.glob(os.path.join(runfs.raw_dir(run.path), "*", "*", "rep-1", "versions.txt"))):
        with open(p) as f:
            m = re.search(r"^guest_kernel: (\S+)", f.read(), re.M)
        if m:
            return "Linux " + m.group(1)
    return None


def tcg_vm(commit, accel="tcg"):
    """Accelerator, vCPUs and memory of the host VM at the run's commit
    (runs before run.txt recorded vm_accel were all TCG)."""
    # The script moved to scripts/run/ on 2026-12-05.
    for path in ("scripts/run/vm-tcg.sh", "scripts/vm-tcg.sh"):
        try:
            text = subprocess.run(["git", "-C", ROOT, "show", f"{commit}:{path}"],
                                  capture_output=True, text=True, check=True).stdout
            break
        except (subprocess.CalledProcessError, OSError):
            continue
    else:
        return "not recorded"
    smp = re.search(r"-smp (\d+)", text)
    mem = re.search(r"TCG_MEM=\$\{TCG_MEM:-(\w+)\}", text)
    uml = re.search(r"scripts/(?:run/)?guest-run[\s\S]{0,200}? -m (\w+)", text)
    return (f"qemu-system-x86_64 -accel {accel}, {smp.group(1) if smp else '?'} vCPU, "
            f"{mem.group(1) if mem else '?'} memory; the UML guest inside it "
            f"{uml.group(1) if uml else '?'}")


def options_of(config_sh):
    """The options that set a stack's caching and durability."""
    opts = []
    for pat in (r"-o (cache=\w+)", r"(cache\.direct=\w+)", r"(aio=\w+)", r"-o (vers=[\w.,=]+)",
                r"(cache=\$NINEP_CACHE)", r"NINEP_CACHE=\$\{NINEP_CACHE:-(\w+)\}", r"(msize=\d+)",
                r"hlinkfs\.exports=\S*?,(\w+)", r"(host=\w+)", r"mount -t tmpfs -o (size=[\w%]+)"):
        for m in re.finditer(pat, config_sh):
            v = m.group(1)
            if v == "cache=$NINEP_CACHE":
                continue
            if pat.startswith("NINEP"):
                v = "cache=" + v
            if pat.startswith("hlinkfs"):
                v = "ownership " + v
            if v not in opts:
                opts.append(v)
    return ", ".join(opts)


def size_text(n):
    for u, s in (("MiB", 2**20), ("KiB", 2**10)):
        if n % s == 0:
            return f"{n // s} {u}"
    return str(n)


def num_int(n):
    return f"{int(n):,}".replace(",", "\\,")


def wl_head(w):
    """A workload's name as a column head, split after its second part."""
    parts = w.split("-")
    if len(parts) > 2:
        return f"\\shortstack{{\\wl{{{esc('-'.join(parts[:2]))}-}}\\\\\\wl{{{esc('-'.join(parts[2:]))}}}}}"
    return f"\\wl{{{esc(w)}}}"


def missing_table(run):
    return (f"%% table: missing role={run.role}\n\\begin{{tabular}}{{@{{}}l@{{}}}}\n\\toprule\n"
            f"\\emph{{The {esc(run.role)} run ({esc(run.rel)}) is not in results/.}} \\\\\n"
            "\\bottomrule\n\\end{tabular}\n")


# ---------------------------------------------------------------- the check

CELL = re.compile(r"\\(rc|mc|na)(?:\{([^{}]*)\}\{([^{}]*)\}\{([^{}]*)\}(?:\{([^{}]*)\})?)?")


def parse_table(path):
    """(meta, columns, [(row label, [cells])]) of a generated table."""
    meta, cols, rows, pair, body = {}, [], [], None, False
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "\\midrule":
                body = True
            if line.startswith("%% table:"):
                words = line.split()[2:]
                meta = {"kind": words[0], **dict(w.split("=", 1) for w in words[1:] if "=" in w)}
            elif line.startswith("%% columns:"):
                cols = line.split()[2:]
            elif line.startswith("%% pair:"):
                pair = tuple(line.split()[2:])
            elif body and "&" in line and line.startswith("\\cfg{"):
                label = re.match(r"\\cfg\{([^{}]*)\}", line).group(1).replace("\\_", "_")
                cells = [m.groups() for m in CELL.finditer(line.split("&", 1)[1])]
                rows.append((pair or label, cells))
                pair = None
    return meta, cols, rows


def check_tables(out, runs):
    """Every cell of every generated table, against the run it came from."""
    bad, n = [], 0
    for path in sorted(glob.glob(os.path.join(out, "tab-*.tex"))):
        meta, cols, rows = parse_table(path)
        kind = meta.get("kind")
        if kind not in ("versus", "medians", "metric", "cross"):
            continue
        run = runs[meta["role"]]
        name = os.path.basename(path)
        for label, cells in rows:
            if len(cells) != len(cols):
                bad.append(f"{name}: row {label} has {len(cells)} cells for {len(cols)} columns")
                continue
            for col, cell in zip(cols, cells):
                n += 1
                want = expected_cell(kind, meta, run, runs, label, col)
                have = cell_text(cell)
                if have != want:
                    bad.append(f"{name}: {label} / {col}: the table says {have}, "
                               f"{run.rel} gives {want}")
    return bad, n


def cell_text(cell):
    kind = cell[0]
    if kind == "na":
        return "n/a"
    if kind == "rc":
        return f"{cell[2]} [{cell[3]}, {cell[4]}] {cell[1]}"
    return f"{cell[1]} [{cell[2]}, {cell[3]}]"


def expected_cell(kind, meta, run, runs, label, col):
    """What results.py computes for one cell, formatted as the table prints it."""
    if kind == "versus":
        m = run.headline(col)
        if (label, col, m) not in run.by or (meta["new"], col, m) not in run.by:
            return "n/a"
        rr = results.ratio(run.samples(), run.path, meta["new"], label, col, m)
        if rr is None:
            return "n/a"
        v = results.verdict(rr, run.by[(meta["new"], col, m)]["better"])
        return f"{rr[0]:.2f} [{rr[1]:.2f}, {rr[2]:.2f}] {v}"
    if kind == "cross":
        new, base = label
        run2 = runs[meta["role2"]]
        rr, v = cross_ratio(run, new, run2, base, col)
        return "n/a" if rr is None else f"{rr[0]:.2f} [{rr[1]:.2f}, {rr[2]:.2f}] {v}"
    if kind == "medians":
        metric = run.headline(col)
    else:
        metric = meta["metric"]
    r = summary_row(run.path, label, col, metric)
    if r is None:
        return "n/a"
    return f"{num(r['median'])} [{num(r['ci95_low'])}, {num(r['ci95_high'])}]"


def summary_row(run_dir, config, workload, metric):
    """The row of summary.csv, read afresh with the csv module."""
    with open(os.path.join(run_dir, "summary.csv")) as f:
        for r in csv.DictReader(f):
            if (r["config"], r["workload"], r["metric"]) == (config, workload, metric):
                return {k: (None if r[k] == "n/a" else float(r[k]))
                        for k in ("median", "ci95_low", "ci95_high")}
    return None


def read_numbers(out):
    N = {}
    with open(os.path.join(out, "numbers.tex")) as f:
        for line in f:
            m = re.match(r"\\hlset\{([^{}]*)\}\{(.*)\}$", line.rstrip("\n"))
            if m:
                N[m.group(1)] = m.group(2)
    return N


def check_numbers(N, runs):
    """Every ratio and median in numbers.tex, recomputed."""
    bad, n = [], 0
    for k, v in N.items():
        parts = k.split("/")
        if parts[0] == "ratio" and v != "n/a":
            role, new, base, wl = parts[1:5]
            metric = parts[5] if len(parts) > 5 else None
            run = runs[role]
            rr = results.ratio(run.samples(), run.path, new, base, wl, metric or run.headline(wl))
            want = results.fmt_ratio(rr)
            n += 1
            if v != want:
                bad.append(f"numbers.tex: {k} is {v}, {run.rel} gives {want}")
        elif parts[0] == "verdict" and v != "n/a":
            role, new, base, wl = parts[1:5]
            metric = parts[5] if len(parts) > 5 else None
            run = runs[role]
            metric = metric or run.headline(wl)
            rr = results.ratio(run.samples(), run.path, new, base, wl, metric)
            want = results.verdict(rr, run.by[(new, wl, metric)]["better"])
            n += 1
            if v != want:
                bad.append(f"numbers.tex: {k} is {v}, {run.rel} gives {want}")
        elif parts[0] == "xratio" and not v.startswith("n/a"):
            role, new, role2, base, wl = parts[1:6]
            rr, _ = cross_ratio(runs[role], new, runs[role2], base, wl)
            n += 1
            if v != results.fmt_ratio(rr):
                bad.append(f"numbers.tex: {k} is {v}, the runs give {results.fmt_ratio(rr)}")
        elif parts[0] == "median" and not v.startswith("n/a"):
            role, config, wl = parts[1:4]
            run = runs[role]
            r = summary_row(run.path, config, wl, run.headline(wl))
            n += 1
            if not v.startswith(f"{num(r['median'])} [{num(r['ci95_low'])}, {num(r['ci95_high'])}]"):
                bad.append(f"numbers.tex: {k} is {v}, {run.rel}/summary.csv gives {num(r['median'])}")
    return bad, n


def check_refs(out, text, N, runs, figures):
    """Every key, figure and file hlink.tex names exists."""
    bad = []
    a = asks(text)
    for kind, uses in a.items():
        for g in uses:
            key = key_of(kind, g)
            if key and key not in N:
                bad.append(f"hlink.tex: \\{kind}{{{'}{'.join(g)}}} reads '{key}', which is not generated")
    for role, plot, size in a["hlfig"]:
        run = runs.get(role)
        if run is None:
            bad.append(f"hlink.tex: \\hlfig names role '{role}', not in paper/runs.txt")
        elif run.ok and f"fig/{role}-{plot}-{size}.pdf" not in figures:
            bad.append(f"hlink.tex: figure {role}-{plot}-{size} was not made")
    for (name,) in a["input"]:
        if name.startswith("gen/") and not os.path.exists(os.path.join(out, name[4:])):
            bad.append(f"hlink.tex: \\input{{{name}}}: the generator makes no such file")
    for (name,) in a["genfile"]:
        if not os.path.exists(os.path.join(out, name)):
            bad.append(f"hlink.tex: \\genfile{{{name}}}: the generator makes no such file")
    for m in re.finditer(r"\\includegraphics(?:\[[^]]*\])?\{([^{}]*)\}", body_of(text)):
        bad.append(f"hlink.tex: \\includegraphics{{{m.group(1)}}}: figures go through \\hlfig")
    return bad


# ---------------------------------------------------------------- the lint

# Commands whose arguments may hold digits: references, keys of generated
# values, names, file names, citations, and published figures (\\published
# takes its citation key as second argument, so each carries one).
# Each with the number of arguments skipped (\\ifV's text is linted).
LINT_SKIP = {"cite": 1, "ref": 1, "label": 1, "input": 1, "genfile": 1, "hlfig": 3, "R": 4, "Rm": 5,
             "vs": 4, "vsm": 5, "ifV": 5, "X": 5, "M": 3, "hl": 1, "hlraw": 1, "url": 1, "href": 1,
             "begin": 1, "end": 1, "bibliography": 1, "bibliographystyle": 1, "cfg": 1, "wl": 1,
             "vspace": 1, "hspace": 1, "published": 2}
NUMBER = re.compile(r"(?<![A-Za-z0-9_\-./\\])\d+(?:[.,]\d+)*")
SIZE_UNIT = re.compile(r"^(?:~|\s|\\,)?(?:KiB|MiB|GiB)(?!/s)")
# Units and ratio marks that make digits run into letters a measurement;
# any other word makes them a name (9p, ext4).
MEASURE_WORDS = {"x", "us", "ms", "s", "k", "K", "M", "G", "KB", "MB", "GB", "IOPS", "ops"}
# TeX dimensions: layout, not numbers.
DIMENSIONS = {"pt", "em", "ex", "in", "cm", "mm", "bp", "sp"}


def strip_args(text):
    """The text without the arguments of LINT_SKIP commands."""
    out, i = [], 0
    cmd = re.compile(r"\\(" + "|".join(LINT_SKIP) + r")(?![A-Za-z])\*?")
    while True:
        m = cmd.search(text, i)
        if not m:
            out.append(text[i:])
            break
        out.append(text[i:m.start()])
        j = m.end()
        while j < len(text) and text[j] == "[":
            j = text.index("]", j) + 1
        _, j = balanced_args(text, j, LINT_SKIP[m.group(1)])
        out.append(" ")
        i = j
    return "".join(out)


def lint(text):
    """Numbers typed in the prose. Every one is a problem, but: sizes of
    requests and files (4 KiB, 1 MiB: workload parameters, not results);
    the confidence level (95%: the method's definition); names (9p, ext4);
    TeX dimensions; and what sits in a command that may hold digits (a
    reference, a generated value, a published figure with its citation)."""
    bad = []
    body = strip_args(body_of(text))
    for line in body.splitlines():
        for m in NUMBER.finditer(line):
            rest = line[m.end():]
            word = re.match(r"[A-Za-z]+", rest)
            if re.match(r"\\(line|text|column)width|\\hsize", rest):
                continue   # a length relative to the page
            if word:
                if word.group(0) in DIMENSIONS:
                    continue
                if word.group(0) not in MEASURE_WORDS:
                    continue   # a name
            if SIZE_UNIT.match(rest):
                continue
            if m.group(0) == "95" and re.match(r"\\%", rest):
                continue
            bad.append(f"hlink.tex: typed number '{m.group(0)}{rest[:6]}' in: {line.strip()[:90]}")
    return bad


def check_citations(text):
    """Every citation, and every \\published figure's key, is in refs.bib."""
    with open(os.path.join(PAPER, "refs.bib")) as f:
        keys = set(re.findall(r"@\w+\{([^,\s]+),", f.read()))
    body = body_of(text)
    cited = []
    for m in re.finditer(r"\\cite\{([^{}]*)\}", body):
        cited += m.group(1).split(",")
    for m in re.finditer(r"\\published(?![A-Za-z])", body):
        args, _ = balanced_args(body, m.end(), 2)
        if len(args) < 2 or not args[1].strip():
            bad_args = body[m.end():m.end() + 60].replace("\n", " ")
            cited.append("(none: \\published" + bad_args + ")")
        else:
            cited += args[1].split(",")
    return [f"hlink.tex: citation '{k.strip()}' is not in refs.bib" for k in cited
            if k.strip() not in keys]


# ---------------------------------------------------------------- paper/README.md

def floats(text):
    """[(kind, label, roles, what)] of every figure and table of hlink.tex."""
    out = []
    for m in re.finditer(r"\\begin\{(figure|table)\}(.*?)\\end\{\1\}", body_of(text), re.S):
        kind, inner = m.groups()
        labels = re.findall(r"\\label\{([^{}]*)\}", inner)
        roles = [role for role, _, _ in ASKS["hlfig"].findall(inner)]
        for name in ASKS["genfile"].findall(inner):
            r = re.match(r"tab-[a-z]+-([a-z-]+)\.tex$", name)
            roles += [r.group(1)] if r else GENFILE_ROLES.get(name, [])
        for kind2 in ("R", "Rm", "vs", "vsm", "M"):
            roles += [g[0] for g in ASKS[kind2].findall(inner)]
        files = ASKS["genfile"].findall(inner) + [f"fig/{r}-{p}-{z}.pdf"
                                                  for r, p, z in ASKS["hlfig"].findall(inner)]
        out.append((kind, labels, list(dict.fromkeys(roles)), files))
    return out


# Tables whose file name does not name their run.
GENFILE_ROLES = {"tab-emulation.tex": ["tcg", "main"],
                 "tab-stress.tex": ["stress", "stress-shared", "stress-kmod"]}


def readme(text):
    """Each figure and table: the files it is made of, the run behind it,
    the command that makes such a run, and how long the reference run took."""
    runs = {role: Run(role, d, p) for role, d, p in read_roles()}
    print("| figure or table | generated file | reference run (role) | make the run again | minutes |")
    print("|---|---|---|---|---|")
    for kind, labels, roles, files in floats(text):
        label = ", ".join(labels)
        made = "<br>".join(f"`paper/gen/{f}`" for f in files) or "(in hlink.tex)"
        if not roles:
            print(f"| {kind} `{label}` | {made} | the tree and the runs' own files | `make paper` | |")
            continue
        for role in roles:
            run = runs.get(role)
            if run is None or not run.ok:
                where = f"{role}: `{run.pattern if run else '?'}`, not in results/"
                print(f"| {kind} `{label}` | {made} | {where} | | |")
                continue
            m = minutes(run.info, run.path)
            print(f"| {kind} `{label}` | {made} | {role}: `{run.rel}` | `{command_of(run)}` | "
                  f"{m if m is not None else 'n/a'} |")
    return 0


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["gen", "check", "lint", "figures", "readme"])
    ap.add_argument("file", nargs="?", default=TEX)
    ap.add_argument("--out")
    ap.add_argument("--no-figures", action="store_true", help="list figures, do not render them")
    ap.add_argument("--no-gen", action="store_true", help="check: check --out DIR as it is")
    a = ap.parse_args()
    with open(a.file) as f:
        text = f.read()
    if a.cmd == "lint":
        bad = lint(text)
        for b in bad:
            print(b)
        print(f"lint: {len(bad)} typed numbers")
        return 1 if bad else 0
    if a.cmd == "readme":
        return readme(text)
    if a.cmd == "figures":
        for role, plot, size in asks(text)["hlfig"]:
            print(f"{role} {plot} {size}")
        return 0
    if a.cmd == "gen":
        out = a.out or os.path.join(PAPER, "gen")
        if os.path.isdir(out):
            shutil.rmtree(out)
        g = Gen(out, figures=not a.no_figures)
        problems = g.build()
        for p in problems:
            print("paper.py: " + p, file=sys.stderr)
        print(f"paper.py: {len(g.made)} files in {os.path.relpath(out, ROOT)}, "
              f"{len(g.N)} numbers; runs: " +
              ", ".join(f"{r}={'ok' if g.runs[r].ok else 'missing'}" for r in g.order))
        return 1 if problems else 0
    # check
    if a.no_gen and not a.out:
        ap.error("check --no-gen needs --out DIR")
    tmp = None
    out = a.out
    if not out:
        tmp = tempfile.mkdtemp(prefix="hlink-paper.")
        out = tmp
    try:
        bad = []
        if not a.no_gen:
            if os.path.isdir(out):
                shutil.rmtree(out)
            bad += [f"gen: {p}" for p in Gen(out, figures=not a.no_figures).build()]
        # Fresh runs: the check collects every sample again from the raw files.
        runs = {role: Run(role, d, p) for role, d, p in read_roles()}
        N = read_numbers(out)
        with open(os.path.join(out, "figures.txt")) as f:
            figures = set(f.read().split())
        b1, n1 = check_tables(out, runs)
        b2, n2 = check_numbers(N, runs)
        bad += b1 + b2 + check_refs(out, text, N, runs, figures) + lint(text) + check_citations(text)
        for b in bad:
            print(b)
        print(f"check: {n1} table cells and {n2} numbers recomputed from their runs, "
              f"{len(asks(text)['hlfig'])} figures, {len(bad)} problems")
        return 1 if bad else 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
