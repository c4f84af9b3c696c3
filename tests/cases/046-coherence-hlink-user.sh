# How soon a guest on hlinkfs (hlink-user) sees each kind of change made on
# the host side (content, size, mode, rename, delete, new entry), looking
# with stat, read, open and readdir, on a mount with the default
# attr_timeout and on one with 'strict' (tests/guest/coherence.py); every
# measurement must keep the claim the README makes for it
# (scripts/analysis/coherence.py check), whose table is generated from
# tests/coherence/hlink-user.txt.
. "$(dirname "$0")/../lib.sh"
use_private_work
"$GUEST_RUN" -t 300 hlink-user -- "$HLINK_ROOT/tests/guest/host-view.sh" \
	python3 "$HLINK_ROOT/tests/guest/coherence.py" --host-view /tmp/host-view | tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "the measurement failed in the guest"
python3 "$HLINK_ROOT/scripts/analysis" coherence check "$HLINK_WORK/log" || fail "a change was not seen as the README claims"
