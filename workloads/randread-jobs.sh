# randread-jobs: the job-count sweep. 4 KiB cached random reads, psync, by
# 1, 2 and 4 jobs at once on one 64 MiB file: how a stack scales with
# concurrent callers (UML runs guest code on one host CPU).
# profiles: full
# headline: read_iops_jobs1
# guarantee: read-only
# sweep: jobs 1 2 4
set -euo pipefail
echo "metric,value,unit" >"$HLINK_RESULTS/metrics.csv"
: >"$HLINK_RESULTS/ios.txt"
for jobs in 1 2 4; do
	fio --output-format=json --output="$HLINK_RESULTS/fio-jobs$jobs.json" \
		--name=randread-jobs --filename=randread-jobs.dat --size=64m --ioengine=psync \
		--rw=randread --bs=4k --invalidate=0 --numjobs="$jobs" --group_reporting \
		--time_based --runtime="$HLINK_RUNTIME" --ramp_time="$HLINK_RAMP"
	python3 - "$HLINK_RESULTS/fio-jobs$jobs.json" "$jobs" "$HLINK_RESULTS/ios.txt" \
		>>"$HLINK_RESULTS/metrics.csv" <<'PY'
import json, sys
t = open(sys.argv[1]).read()
r = json.loads(t[t.index("{"):])["jobs"][0]["read"]
print(f"read_iops_jobs{sys.argv[2]},{r['iops']:.1f},IOPS")
print(r["total_ios"], file=open(sys.argv[3], "a"))
PY
done
awk '{ n += $1 } END { print "ops," n ",count" }' "$HLINK_RESULTS/ios.txt" >>"$HLINK_RESULTS/metrics.csv"
cat "$HLINK_RESULTS/metrics.csv"
