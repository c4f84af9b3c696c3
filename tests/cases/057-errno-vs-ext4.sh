# Every result and errno a guest gets from hlinkfs is the one ext4 gives in
# the same guest (tests/guest/errno_diff.py: a fixed list of calls and a
# seeded random sequence), or a difference by design listed in
# docs/errno-vs-ext4.md; on the mapped, passthrough and exclusive exports of
# the user-space host module. The host exports an ext4 image, so limits of
# the host's file system are ext4's on both sides.
. "$(dirname "$0")/../lib.sh"
use_private_work
require mkfs.ext4
seed=${HLINK_ERRNO_SEED:-$(shuf -i 1-2147483647 -n 1)}
echo "seed $seed (HLINK_ERRNO_SEED=$seed repeats this run)"
res=$HLINK_WORK/results host=$HLINK_WORK/host
mkdir -p "$res" "$host"
trap 'umount "$host" 2>/dev/null; rm -rf "$HLINK_WORK"' EXIT
for img in "$res/ext4.img" "$HLINK_WORK/host.img"; do
	truncate -s 1G "$img"
	mkfs.ext4 -q -F -E nodiscard "$img" || fail "mkfs.ext4 $img"
done
mount -o loop "$HLINK_WORK/host.img" "$host" || fail "cannot mount an ext4 image (loop)"
for cfg in hlink-user hlink-user-passthrough hlink-user-exclusive; do
	"$GUEST_RUN" -t 600 -r "$res" -d "$res/ext4.img" -e "$host" "$cfg" -- \
		"$HLINK_ROOT/tests/guest/errno-diff.sh" "$seed" 3000 ||
		fail "$cfg: the calls did not run (output above)"
	python3 "$HLINK_ROOT/tests/guest/errno_diff.py" compare "$res/ext4-$cfg.txt" "$res/$cfg.txt" \
		--config "$cfg" --allowed "$HLINK_ROOT/docs/errno-vs-ext4.md" ||
		fail "$cfg: results differ from ext4's (seed $seed)"
done
