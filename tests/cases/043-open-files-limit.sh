# The guest holds twice the VMM process's open-file limit open at once: on
# hlink-user all succeed (the host module keeps a bounded table and reopens
# by handle); on stock hostfs, one host descriptor per guest file, it fails.
. "$(dirname "$0")/../lib.sh"
limit=256
capture "$GUEST_RUN" -n "$limit" -t 600 hlink-user -- python3 "$HLINK_ROOT/tests/guest/openmany.py" $((2 * limit))
grep openmany <<<"$out" || true
[ "$rc" = 0 ] || fail "hlink-user could not hold $((2 * limit)) files open: $out"
capture "$GUEST_RUN" -n "$limit" -t 600 hostfs -- python3 "$HLINK_ROOT/tests/guest/openmany.py" $((2 * limit))
grep openmany <<<"$out" || true
[ "$rc" = 1 ] || fail "hostfs was expected to fail at the limit (status $rc): $out"
echo "hlink-user held $((2 * limit)) files open under a limit of $limit; hostfs did not"
