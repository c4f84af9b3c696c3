# dbench: 2 dbench clients replaying the NetBench file-server load for
# HLINK_RUNTIME seconds: a mix of creates, writes, reads, renames and
# unlinks, reported as throughput.
# profiles: full
# headline: throughput_mib
set -euo pipefail
dbench -t "$HLINK_RUNTIME" -D . -c /usr/share/dbench/client.txt 2 >"$HLINK_RESULTS/dbench.txt" 2>&1
mb=$(sed -n 's/^Throughput \([0-9.]*\) MB\/sec.*/\1/p' "$HLINK_RESULTS/dbench.txt")
[ -n "$mb" ] || { tail "$HLINK_RESULTS/dbench.txt" >&2; exit 1; }
printf 'metric,value,unit\nthroughput_mib,%s,MB/s\n' "$mb" >"$HLINK_RESULTS/metrics.csv"
