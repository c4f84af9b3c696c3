# Every workload header follows the grammar of scripts/analysis/workloads.py: its
# name, profiles, headline and guarantee, needs that exist, and sizes that
# match the profiles. And the check can fail: a header that claims another
# size than its profile, or durability it never asks for, is caught.
. "$(dirname "$0")/../lib.sh"
capture python3 "$HLINK_ROOT/scripts/analysis" workloads check
echo "$out"
[ "$rc" = 0 ] || fail "workload headers do not check"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed 's/quick 4000/quick 4001/' "$HLINK_ROOT/workloads/meta-deep.py" >"$dir/meta-deep.py"
sed '/fdatasync=1/d' "$HLINK_ROOT/workloads/randwrite-4k-durable.fio" >"$dir/randwrite-4k-durable.fio"
capture env HLINK_WORKLOADS_DIR="$dir" python3 "$HLINK_ROOT/scripts/analysis" workloads check
[ "$rc" = 1 ] || fail "bad headers passed: $out"
grep -q "header says HLINK_META_FILES=4001 in quick, the profile sets 4000" <<<"$out" || fail "size mismatch not caught: $out"
grep -q "randwrite-4k-durable: says durable, but nothing in it syncs" <<<"$out" || fail "false durability not caught: $out"
echo "ok - bad headers are caught"
