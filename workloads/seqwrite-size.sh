# seqwrite-size: the file-size sweep. 1 MiB sequential writes with fsync at
# the end, of files of 16, 64 and 256 MiB: where a stack's fixed cost per
# file (open, fsync, close) stops mattering and its bandwidth shows.
# profiles: full
# headline: write_bw_mib_size64
# guarantee: durable
# sweep: size 16 64 256
set -euo pipefail
echo "metric,value,unit" >"$HLINK_RESULTS/metrics.csv"
for mib in 16 64 256; do
	fio --output-format=json --output="$HLINK_RESULTS/fio-size$mib.json" \
		--name=seqwrite-size --filename="seqwrite-size-$mib.dat" --size="${mib}m" \
		--ioengine=psync --rw=write --bs=1m --end_fsync=1
	python3 - "$HLINK_RESULTS/fio-size$mib.json" "$mib" >>"$HLINK_RESULTS/metrics.csv" <<'PY'
import json, sys
t = open(sys.argv[1]).read()
w = json.loads(t[t.index("{"):])["jobs"][0]["write"]
print(f"write_bw_mib_size{sys.argv[2]},{w['bw_bytes'] / 2**20:.1f},MiB/s")
PY
	rm -f "seqwrite-size-$mib.dat"
done
cat "$HLINK_RESULTS/metrics.csv"
