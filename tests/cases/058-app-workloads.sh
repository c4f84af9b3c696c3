# The application workloads in a guest on the link: app-build builds
# libsubcmd, app-git clones, checks out and logs, tree-ops unpacks and walks
# fs/; each records every step's seconds and their sum, the summary has each
# headline, and a failing step fails the workload.
. "$(dirname "$0")/../lib.sh"
use_private_work
export HLINK_RESULTS_DIR=$HLINK_WORK/results
capture "$HLINK_ROOT/scripts/run/eval.sh" -p tiny -c hlink-user -w app-build,app-git,tree-ops -n 1 -i apps
[ "$rc" = 0 ] || fail "the application workloads failed: $out"
run=$HLINK_RESULTS_DIR/apps
raw=$(python3 "$HLINK_ROOT/scripts/analysis" runfs raw "$run")
declare -A steps=([app-build]="untar build rebuild sync" [app-git]="clone status log checkout status2 sync"
	[tree-ops]="untar find grep du rm")
for w in "${!steps[@]}"; do
	m=$raw/hlink-user/$w/rep-1/metrics.csv
	[ -s "$m" ] || fail "$w: no metrics.csv"
	for s in ${steps[$w]} total; do
		grep -Eq "^${s}_s,[0-9]*\.?[0-9]+,s$" "$m" || fail "$w: no seconds for step $s: $(cat "$m")"
	done
	python3 - "$m" <<'PY' || fail "$w: total_s is not the sum of its steps: $(cat "$m")"
import csv, sys
rows = {r["metric"]: float(r["value"]) for r in csv.DictReader(open(sys.argv[1]))}
total = rows.pop("total_s")
assert total > 0 and abs(total - sum(rows.values())) < 0.01, rows
PY
	grep -q "^hlink-user,$w,total_s,s,lower,1," "$run/summary.csv" || fail "$w: summary.csv has no total_s row"
done
echo "ok - every step of the three workloads timed, in the summary"
# A step whose command fails ends the workload with its status.
capture env HLINK_RESULTS="$HLINK_WORK" bash -c 'set -e; . "$1"; steps_begin >/dev/null; step ok true; step bad false; steps_end' _ "$HLINK_ROOT/scripts/run/workload-steps.sh"
[ "$rc" != 0 ] && ! grep -q '^total_s' "$HLINK_WORK/metrics.csv" || fail "a failing step did not fail the workload: $out"
echo "ok - a failing step fails the workload"
