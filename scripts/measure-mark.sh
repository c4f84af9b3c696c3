#!/bin/bash
# Mark the start or the end of a workload's measured phase, from inside the
# guest (or natively), and wait for the host to have taken its reading:
# guest-run's measurer (scripts/measure-host.sh) answers through the results
# directory. A no-op unless the runner asked for measuring (HLINK_MEASURE=1).
# usage: measure-mark.sh start|end
set -eu
[ "${HLINK_MEASURE:-0}" = 1 ] || exit 0
d=${HLINK_RESULTS:?}
case "${1:-}" in
	start) mark=measure.start answer=measure.go ;;
	end) mark=measure.end answer=measure.done ;;
	*) echo "usage: measure-mark.sh start|end" >&2; exit 2 ;;
esac
: >"$d/$mark"
for ((i = 0; i < 600; i++)); do
	[ -e "$d/$answer" ] && exit 0
	sleep 0.05
done
echo "measure-mark: the host did not answer '$1' within 30 s" >&2
exit 1
