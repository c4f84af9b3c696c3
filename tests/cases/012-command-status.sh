# The guest command's exit status and output come back to the host, and the
# results directory is shared back read-write.
. "$(dirname "$0")/../lib.sh"
use_private_work
res=$HLINK_WORK/res
mkdir -p "$res"
capture "$GUEST_RUN" -r "$res" hostfs -- sh -c 'echo marker-out; echo marker-err >&2; echo "$HLINK_CONFIG" >"$HLINK_RESULTS/seen"; exit 7'
[ "$rc" = 7 ] || fail "exit status $rc, want 7: $out"
grep -q marker-out <<<"$out" || fail "stdout not shown: $out"
grep -q marker-err <<<"$out" || fail "stderr not shown: $out"
[ "$(cat "$res/seen" 2>/dev/null)" = hostfs ] || fail "results directory not shared back"
capture "$GUEST_RUN" hostfs -- false
[ "$rc" = 1 ] || fail "false gave $rc, want 1"
capture "$GUEST_RUN" hostfs -- /no/such/program
[ "$rc" = 127 ] || fail "missing program gave $rc, want 127"
assert_clean
echo "statuses 7, 1 and 127 returned; results shared back"
