#!/bin/bash
# The high-level link against stock hostfs, side by side in one run, with
# guest-tmpfs (UML's own floor) and native for scale, and host system calls
# per guest operation for each. Prints the table and hlink-user's deltas
# against hostfs.
#
# usage: bench-hlink.sh [--backing tmpfs|disk] [eval.sh options...]
#   --backing tmpfs (default) keeps every host-side file (exports, images) on
#   a host tmpfs, so the figures measure the stacks and not this machine's
#   disk; --backing disk keeps them on the root file system.
set -euo pipefail
. "$(dirname "$0")/../common.sh"

backing=tmpfs
if [ "${1:-}" = --backing ]; then
	backing=${2:?}
	shift 2
fi
case "$backing" in
	tmpfs)
		mnt=/var/tmp/hlink-bench-tmpfs.$$
		mkdir -p "$mnt"
		mount -t tmpfs -o size=12g tmpfs "$mnt"
		trap 'umount "$mnt" && rmdir "$mnt"' EXIT
		export HLINK_WORK=$mnt ;;
	disk) ;;
	*) hlink_die "--backing takes tmpfs or disk" ;;
esac

# A host-cold read means a read from the host's disk: not on a tmpfs backing.
workloads=randread-4k,randwrite-4k-buffered,randwrite-4k-durable,seqread-1m,seqwrite-1m,meta-deep
[ "$backing" = tmpfs ] || workloads+=,seqread-1m-host-cold
run_id=bench-hlink-$backing-$(date +%Y%m%d-%H%M%S)
"$HLINK_ROOT/scripts/run/eval.sh" -i "$run_id" -c hostfs,hlink-user,guest-tmpfs,native \
	-w "$workloads" -n 5 --count-calls "$@"
echo "backing: $backing (HLINK_WORK=${HLINK_WORK})" >>"$HLINK_ROOT/results/$run_id/run.txt"
python3 "$HLINK_ROOT/scripts/analysis" results table "$HLINK_ROOT/results/$run_id" \
	--baseline hostfs,guest-tmpfs,native | tee "$HLINK_ROOT/results/$run_id/table.txt"
python3 "$HLINK_ROOT/scripts/analysis" results compare "$HLINK_ROOT/results/$run_id" \
	--configs hostfs,hlink-user --metric '_ops$|iops|bw_mib|calls_per_op' |
	tee "$HLINK_ROOT/results/$run_id/hlink-vs-hostfs.txt"
