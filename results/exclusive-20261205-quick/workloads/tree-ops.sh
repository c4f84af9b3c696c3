# tree-ops: real-world work on a source tree: unpack a tarball of the Linux
# fs/ and include/ directories (about 9,000 files, 120 MiB), grep -r through
# it, du it, and rm -rf it; seconds for each step.
# profiles: full
# headline: untar_s
# guarantee: cached
# needs: tree-tarball
set -euo pipefail
tarball=${HLINK_TREE_TARBALL:?HLINK_TREE_TARBALL is not set (scripts/eval.sh sets it)}
step() {
	local name=$1 t0 t1
	shift
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	echo "${name}_s,$(echo "$t1 - $t0" | bc),s" >>"$HLINK_RESULTS/metrics.csv"
}
echo "metric,value,unit" >"$HLINK_RESULTS/metrics.csv"
step untar tar -xf "$tarball"
sync
echo 3 >/proc/sys/vm/drop_caches
step grep sh -c 'grep -r hlink_nothing_matches_this tree || [ $? = 1 ]'
step du du -s tree
step rm rm -rf tree
cat "$HLINK_RESULTS/metrics.csv"
