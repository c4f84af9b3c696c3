# Locks through hlinkfs (hlink-user): two guests on one export and a host
# process exclude each other with flock, fcntl record locks and OFD locks;
# F_GETLK sees the other guest's lock; a blocking wait waits and wakes when
# the holder lets go; locks go on close and when a guest is killed
# (tests/guest/locks.py).
. "$(dirname "$0")/../lib.sh"
use_private_work
python3 "$HLINK_ROOT/tests/guest/locks.py" host --guest-run "$GUEST_RUN" --work "$HLINK_WORK" \
	| tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "a lock check failed (guest logs were in $HLINK_WORK/res)"
grep -q "^locks: all checks passed" "$HLINK_WORK/log" || fail "the lock checks did not finish"
