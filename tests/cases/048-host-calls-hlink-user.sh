# Host calls per guest operation on hlinkfs (hlink-user), counted by the
# mount's own counters in /proc/self/mountstats: a create is one CREATE
# (atomic_open, no LOOKUP of the missing name), a stat within the attribute
# timeout none, a file this guest wrote and read is read again with no READ
# (its cache survives its own writes and close), an unlink one UNLINK
# (tests/guest/host-calls.py).
. "$(dirname "$0")/../lib.sh"
use_private_work
"$GUEST_RUN" -t 300 hlink-user -- python3 "$HLINK_ROOT/tests/guest/host-calls.py" | tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "an operation cost more host calls than it should"
grep -q "^host-calls: all checks passed" "$HLINK_WORK/log" || fail "the checks did not finish"
