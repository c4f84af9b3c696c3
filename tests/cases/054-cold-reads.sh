# Cold reads start cold: seqread-1m reads pass after pass for the run time
# (more bytes than the file holds) and seqread-1m-host-cold's measured phase
# begins with the host's caches dropped by the runner's measurer; asking for
# a cold host with no measurer fails instead of measuring a warm one.
. "$(dirname "$0")/../lib.sh"
use_private_work
export HLINK_RESULTS_DIR=$HLINK_WORK/results
capture "$HLINK_ROOT/scripts/run/eval.sh" -p tiny -c hostfs -w seqread-1m,seqread-1m-host-cold -n 1 -i cold
[ "$rc" = 0 ] || fail "tiny run failed: $out"
run=$(python3 "$HLINK_ROOT/scripts/analysis" runfs raw "$HLINK_RESULTS_DIR/cold")/hostfs
grep -qx 'host_cache: dropped' "$run/seqread-1m-host-cold/rep-1/cost.cpu" ||
	fail "host-cold phase did not drop the host's caches: $(cat "$run/seqread-1m-host-cold/rep-1/cost.cpu")"
grep -qx 'host_cache: kept' "$run/seqread-1m/rep-1/cost.cpu" || fail "seqread-1m dropped the host's caches"
passes=$(python3 -c '
import json, sys
j = [j for j in json.load(open(sys.argv[1]))["jobs"] if j["jobname"] == "seqread-1m"][0]
print(j["read"]["io_bytes"] // (8 << 20))' "$run/seqread-1m/rep-1/fio.json")
[ "$passes" -ge 2 ] || fail "seqread-1m made $passes pass(es) of its file in the run time"
capture env -u HLINK_MEASURE "$HLINK_ROOT/scripts/run/measure-mark.sh" start --cold-host
[ "$rc" = 1 ] && grep -q 'needs the host' <<<"$out" || fail "cold host without a measurer not refused: $out"
echo "seqread-1m made $passes passes; the host-cold phase started with the host's caches dropped"
