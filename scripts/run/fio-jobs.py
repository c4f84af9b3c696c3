#!/usr/bin/env python3
"""Run one fio job at each job count in turn, for the job-count sweeps.

usage: fio-jobs.py read|write COUNT... -- FIO-OPTION...

Each run's JSON goes to $HLINK_RESULTS/fio-jobsN.json; metrics.csv gets
<read|write>_iops_jobsN (all jobs together) and ops (the I/Os of all runs),
and is printed. Without a filename option each job has its own file. The
measured phase (host CPU time per operation) spans all the runs.
"""
import json
import os
import subprocess
import sys


def main(argv):
    if "--" not in argv or len(argv) < 4 or argv[1] not in ("read", "write"):
        sys.exit(__doc__.strip().splitlines()[2])
    sep = argv.index("--")
    kind, counts, fio_args = argv[1], argv[2:sep], argv[sep + 1:]
    out = os.environ["HLINK_RESULTS"]
    rows, ops = ["metric,value,unit"], 0
    mark = os.environ.get("HLINK_MEASURE_MARK")
    if mark:
        subprocess.run([mark, "start"], check=True)
    for n in counts:
        path = os.path.join(out, f"fio-jobs{n}.json")
        subprocess.run(["fio", "--output-format=json", f"--output={path}", f"--numjobs={n}",
                        "--group_reporting", *fio_args], check=True)
        text = open(path).read()
        r = json.loads(text[text.index("{"):])["jobs"][0][kind]
        rows.append(f"{kind}_iops_jobs{n},{r['iops']:.1f},IOPS")
        ops += r["total_ios"]
    if mark:
        subprocess.run([mark, "end"], check=True)
    rows.append(f"ops,{ops},count")
    with open(os.path.join(out, "metrics.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv)
