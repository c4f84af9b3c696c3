# tree-ops: real-world work on a source tree: unpack a tarball of Linux
# source directories (quick: fs/, about 2,100 files and 46 MiB; full: fs/
# and include/, about 8,000 files and 98 MiB), then, with the guest's caches
# dropped, find every header, grep -r through it, du it, and rm -rf it;
# seconds for each step.
# profiles: quick full apps
# headline: total_s
# guarantee: cached
# needs: tree-tarball
set -euo pipefail
tarball=${HLINK_TREE_TARBALL:?HLINK_TREE_TARBALL is not set (scripts/eval.sh sets it)}
. "$HLINK_SCRIPTS/workload-steps.sh"
steps_begin
step untar tar -xf "$tarball"
sync
echo 3 >/proc/sys/vm/drop_caches
step find find tree -name '*.h'
step grep sh -c 'grep -r hlink_nothing_matches_this tree || [ $? = 1 ]'
step du du -s tree
step rm rm -rf tree
steps_end
