# Two runs at the same time do not collide: each sees its own file system
# and its own results directory.
. "$(dirname "$0")/../lib.sh"
use_private_work
for n in 1 2; do
	mkdir -p "$HLINK_WORK/res$n"
	"$GUEST_RUN" -q -r "$HLINK_WORK/res$n" virtio-blk -- sh -c \
		"echo $n >mine; sleep 2; ls >\"\$HLINK_RESULTS/ls\"; cat mine >\"\$HLINK_RESULTS/mine\"" \
		>"$HLINK_WORK/log$n" 2>&1 &
	eval "pid$n=$!"
done
wait "$pid1" || fail "first run failed: $(cat "$HLINK_WORK/log1")"
wait "$pid2" || fail "second run failed: $(cat "$HLINK_WORK/log2")"
for n in 1 2; do
	[ "$(cat "$HLINK_WORK/res$n/mine")" = $n ] || fail "run $n saw another run's file"
	grep -qx mine "$HLINK_WORK/res$n/ls" || fail "run $n: file missing"
done
assert_clean
echo "two concurrent virtio-blk guests kept apart"
