#!/bin/bash
# Mark the start or the end of a workload's measured phase, from inside the
# guest (or natively), and wait for the host to have taken its reading:
# guest-run's measurer (scripts/run/measure-host.sh) answers through the results
# directory. Marking is a no-op unless the runner asked for measuring
# (HLINK_MEASURE=1); the cache drops are not.
# usage: measure-mark.sh start [--cold-guest] [--cold-host] | end
#   --cold-guest  sync and drop this kernel's caches first (the guest's; the
#                 host's when run natively)
#   --cold-host   the host's measurer syncs and drops the host's caches
#                 before it answers (needs guest-run -M)
set -eu
usage() { echo "usage: measure-mark.sh start [--cold-guest] [--cold-host] | end" >&2; exit 2; }
what=${1:-}
shift || true
cold_guest=0 cold_host=0
for a in "$@"; do
	case "$a" in
		--cold-guest) [ "$what" = start ] || usage; cold_guest=1 ;;
		--cold-host) [ "$what" = start ] || usage; cold_host=1 ;;
		*) usage ;;
	esac
done
case "$what" in
	start) mark=measure.start answer=measure.go ;;
	end) mark=measure.end answer=measure.done ;;
	*) usage ;;
esac
if [ "$cold_guest" = 1 ]; then
	sync
	echo 3 >/proc/sys/vm/drop_caches
fi
if [ "${HLINK_MEASURE:-0}" != 1 ]; then
	[ "$cold_host" = 0 ] || { echo "measure-mark: --cold-host needs the host's measurer (guest-run -M)" >&2; exit 1; }
	exit 0
fi
d=${HLINK_RESULTS:?}
# Written whole, then renamed: the measurer reads the request when it appears.
if [ "$cold_host" = 1 ]; then echo drop-host-cache; fi >"$d/.$mark"
mv "$d/.$mark" "$d/$mark"
for ((i = 0; i < 600; i++)); do
	if [ -e "$d/$answer" ]; then
		# The measurer writes a reason into its answer when it failed.
		[ ! -s "$d/$answer" ] || { echo "measure-mark: $(cat "$d/$answer")" >&2; exit 1; }
		exit 0
	fi
	sleep 0.05
done
echo "measure-mark: the host did not answer '$what' within 30 s" >&2
exit 1
