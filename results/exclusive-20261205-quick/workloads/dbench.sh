# dbench: 2 dbench clients replaying the NetBench file-server load for
# HLINK_RUNTIME seconds (at least 10): a mix of creates, writes, reads, renames and
# unlinks, reported as throughput.
# profiles: full
# headline: throughput_mib
# guarantee: cached
set -euo pipefail
# dbench reports nothing useful from runs shorter than about 10 s.
secs=$((HLINK_RUNTIME < 10 ? 10 : HLINK_RUNTIME))
dbench -t "$secs" -D . -c /usr/share/dbench/client.txt 2 >"$HLINK_RESULTS/dbench.txt" 2>&1
mb=$(sed -n 's/^Throughput \([0-9.]*\) MB\/sec.*/\1/p' "$HLINK_RESULTS/dbench.txt")
if [ -z "$mb" ] || [ "$(echo "$mb > 0" | bc)" != 1 ]; then
	echo "dbench: no throughput measured" >&2
	tail "$HLINK_RESULTS/dbench.txt" >&2
	exit 1
fi
printf 'metric,value,unit\nthroughput_mib,%s,MB/s\n' "$mb" >"$HLINK_RESULTS/metrics.csv"
