"""hlink's analysis: everything made from runs' raw files and the tree.

One package, one entry: python3 scripts/analysis COMMAND [ARGS...]
(each module also runs alone, as python3 scripts/analysis/MODULE.py).

  results      statistics: summaries, ratios, tables (a new metric goes here)
  plot         gnuplot plots and each run's index page (a new plot goes here)
  paper        the paper's generated numbers, tables and figures
  workloads    the workload header grammar, and profiles' workload lists
  doc-numbers  the generated regions of the README, docs/ and paper/
  runfs        a run's raw repetitions, packed in raw.tar.xz or not
  coherence    the coherence table from its recorded measurement
  confinement  the confinement table from the tests' records
"""
