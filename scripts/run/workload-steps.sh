# Timed steps for the script workloads (tree-ops, app-*); sourced in the
# guest, where run-workload.sh exports HLINK_SCRIPTS. Each step's seconds
# go to $HLINK_RESULTS/metrics.csv as STEP_s, and steps_end adds total_s,
# their sum; the measured phase (guest-run -M) spans the steps.
# shellcheck shell=bash
steps_begin() {
	echo "metric,value,unit" >"$HLINK_RESULTS/metrics.csv"
	steps_total=0
	"${HLINK_MEASURE_MARK:-true}" start
}

# usage: step NAME COMMAND [ARG...]   (COMMAND's output is discarded)
step() {
	local name=$1 t0 t1 s
	shift
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	s=$(echo "$t1 - $t0" | bc)
	steps_total=$(echo "$steps_total + $s" | bc)
	echo "${name}_s,$s,s" >>"$HLINK_RESULTS/metrics.csv"
}

steps_end() {
	"${HLINK_MEASURE_MARK:-true}" end
	echo "total_s,$steps_total,s" >>"$HLINK_RESULTS/metrics.csv"
	cat "$HLINK_RESULTS/metrics.csv"
}
