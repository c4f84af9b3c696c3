# Slow calls on hlinkfs (hlink-user): with four guest processes syncing at
# once, FSYNC runs on the host's worker threads and completes by interrupt,
# every byte reads back; one process alone, and a noasync mount, stay
# synchronous (tests/guest/slow-calls.py).
. "$(dirname "$0")/../lib.sh"
use_private_work
"$GUEST_RUN" -t 300 hlink-user -- python3 "$HLINK_ROOT/tests/guest/slow-calls.py" | tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "a slow-call check failed"
grep -q "^slow-calls: all checks passed" "$HLINK_WORK/log" || fail "the checks did not finish"
