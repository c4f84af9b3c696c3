#!/bin/bash
# Run one workload file in the current directory (the file system under test)
# and leave its raw output in $HLINK_RESULTS. Runs inside the guest, or on the
# host for 'native'.
set -euo pipefail
wl=${1:?usage: run-workload.sh WORKLOAD_FILE}
out=${HLINK_RESULTS:?HLINK_RESULTS is not set}
# Sizes the workload files read from the environment; scripts/run/profiles.sh
# sets them, these are the defaults.
export HLINK_RUNTIME=${HLINK_RUNTIME:-5} HLINK_RAMP=${HLINK_RAMP:-1}
export HLINK_SEQ_MB=${HLINK_SEQ_MB:-256} HLINK_META_FILES=${HLINK_META_FILES:-10000}
# Read from /proc, not by starting programs: each costs a guest exec per run
# (fio's version is in the run's run.txt).
{
	echo "guest_kernel: $(</proc/sys/kernel/osrelease) $(</proc/sys/kernel/version)"
	echo "config: ${HLINK_CONFIG:-}"
	echo "fs: $(stat -f -c %T .)"
} >"$out/versions.txt"
# Guest-side needs ("# needs:" in the header; the runner passes them in
# HLINK_NEEDS, comma-separated): each may say the workload cannot run here.
if [ -n "${HLINK_NEEDS+set}" ]; then
	needs=${HLINK_NEEDS//,/ }
else
	needs=$(python3 "$(dirname "$0")/../analysis" workloads get "$wl" needs || true)
fi
for need in $needs; do
	check=$(dirname "$0")/needs/$need.guest.sh
	[ -x "$check" ] || continue
	if ! why=$("$check"); then
		echo "not run: workload ${wl##*/}: ${why#not run: }" | tee "$out/not-run.txt" >&2
		exit 77
	fi
done
# The measured phase (HLINK_MEASURE=1): a fio file with one job is marked
# around it, after the file layout; a fio file with more marks its timed job
# itself (exec_prerun=${HLINK_MARK_START}, exec_postrun=${HLINK_MARK_END});
# script workloads call $HLINK_MEASURE_MARK. A workload that marks nothing
# is not measured.
export HLINK_SCRIPTS=$(cd "$(dirname "$0")" && pwd)
export HLINK_MEASURE_MARK=$HLINK_SCRIPTS/measure-mark.sh
export HLINK_MARK_START="$HLINK_MEASURE_MARK start" HLINK_MARK_END="$HLINK_MEASURE_MARK end"
marks=()
jobs=$(grep '^\[' "$wl" | grep -cv '^\[global\]' || true)
if [ "${HLINK_MEASURE:-0}" = 1 ] && [ "$jobs" = 1 ] && ! grep -q '^numjobs\|HLINK_MARK_START' "$wl"; then
	marks=(--exec_prerun="$HLINK_MARK_START" --exec_postrun="$HLINK_MARK_END")
fi
case "$wl" in
	*.fio) exec fio --output-format=json --output="$out/fio.json" "${marks[@]}" "$wl" ;;
	*.sh) exec bash "$wl" ;;
	*.py) exec python3 "$wl" ;;
	*) echo "run-workload: unknown workload type: $wl" >&2; exit 2 ;;
esac
