#!/bin/bash
# Inside the TCG host VM, with hlink.ko loaded (guest-run --host-vm hlink-kmod):
# two UML guests of $HLINK_CONFIG at once, both mounting one export through the
# same hlink.ko, each running tests/guest/shared-load.py with JOBS jobs for
# SECONDS; then the final tree is checked against every job's record (here,
# as the tree is on the VM's disk), and once both guests are gone hlink.ko
# must hold nothing (/sys/class/misc/hlink/stats all zero).
# usage: kmod-shared.sh SECONDS JOBS
# Writes under $HLINK_RESULTS: gN.log (guest N's load), gN/ (its jobs'
# records), gN.console.log and check.log; prints hlink.ko's counters before
# the guests, their peak while they run, and after.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
sec=$1 jobs=$2
out=$HLINK_RESULTS stats=/sys/class/misc/hlink/stats
zero='clients 0 entries 0 files 0'
pids=() rc=0
declare -A peak=([clients]=0 [entries]=0 [files]=0)
before=$(paste -sd' ' "$stats")
# Under hlink.ko's allowlist ($HLINK_WORK) and on the mount it resolved at
# load: the guests mount this directory by its name (baselines/hlink-kmod.sh).
tree=$(mktemp -d "$HLINK_WORK/shared.XXXXXX")
mkdir -p "$tree/tree"
for g in 1 2; do
	mkdir -p "$out/g$g"
	# 768 MiB each: both guests' memory files must fit the VM's /dev/shm
	# (half of its memory).
	"$HLINK_ROOT/scripts/run/guest-run" -t $((sec + 900)) -k "$HLINK_KERNEL" -m 768M -e "$tree" \
		-r "$out/g$g" -l "$out/g$g.console.log" "$HLINK_CONFIG" -- \
		python3 "$HLINK_ROOT/tests/guest/shared-load.py" --guest "$g" --jobs "$jobs" \
		--seconds "$sec" --dir '$HLINK_MNT/tree' --out '$HLINK_RESULTS' \
		>"$out/g$g.log" 2>&1 &
	pids+=($!)
done
# The most the module held at once (both guests' clients, entries, files).
while kill -0 "${pids[0]}" 2>/dev/null || kill -0 "${pids[1]}" 2>/dev/null; do
	while read -r k v; do
		if [ "$v" -gt "${peak[$k]:-0}" ]; then peak[$k]=$v; fi
	done <"$stats"
	sleep 1
done
for p in "${pids[@]}"; do wait "$p" || rc=1; done
python3 "$HLINK_ROOT/tests/guest/shared-load.py" --check --dir "$tree/tree" "$out/g1" "$out/g2" \
	>"$out/check.log" 2>&1 || rc=1
cat "$out/check.log"
# A guest stopped with SIGKILL closes /dev/hlink as it exits, a moment after
# guest-run returns.
for _ in $(seq 50); do
	[ "$(paste -sd' ' "$stats")" = "$zero" ] && break
	sleep 0.1
done
after=$(paste -sd' ' "$stats")
echo "kmod-shared: hlink.ko before: $before; peak: clients ${peak[clients]} entries ${peak[entries]}" \
	"files ${peak[files]}; after: $after"
if [ "$after" != "$zero" ]; then
	echo "kmod-shared: FAIL: after both guests exited, hlink.ko still holds: $after"
	rc=1
fi
exit "$rc"
