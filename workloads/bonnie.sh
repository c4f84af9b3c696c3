# bonnie: bonnie++ with a 512 MiB file (told the guest has 256 MiB, so it
# runs at all) and 4x1024 small files: block and character I/O, rewrite,
# seeks, and file creation and deletion, as one classic summary.
# profiles: full
# headline: seq_block_write_kib
# guarantee: cached
set -euo pipefail
csv=$(bonnie++ -q -d . -u root -s 512 -r 256 -n 4 -m hlink 2>/dev/null | tail -n 1)
echo "$csv" >"$HLINK_RESULTS/bonnie.csv"
# Fields of bonnie++ 1.98+ CSV: 10 seq char write K/s, 12 seq block write,
# 14 rewrite, 16 seq char read, 18 seq block read, 20 random seeks/s,
# 25/27/29 sequential create/read/delete per s, 31/33/35 random ones.
awk -F, '{
	print "metric,value,unit"
	n = split("seq_block_write_kib:12 rewrite_kib:14 seq_block_read_kib:18 seeks:20 seq_create:25 seq_delete:29 rand_create:31 rand_delete:35", m, " ")
	for (i = 1; i <= n; i++) {
		split(m[i], kv, ":")
		v = $(kv[2])
		if (v ~ /^[0-9.]+$/) print kv[1] "," v "," (kv[1] ~ /_kib$/ ? "KiB/s" : "ops/s")
	}
}' <<<"$csv" >"$HLINK_RESULTS/metrics.csv"
cat "$HLINK_RESULTS/metrics.csv"
