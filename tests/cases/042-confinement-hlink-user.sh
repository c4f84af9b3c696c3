# Attempts from inside the guest to reach host files outside the export
# (symlinks, ../../, rename, link, forged raw handles) all fail, and a canary
# directory next to the export is untouched afterwards; the outcomes are those
# recorded in tests/confinement/guest.txt.
. "$(dirname "$0")/../lib.sh"
use_private_work
res=$HLINK_WORK/res
mkdir -p "$res/canary"
echo "do not touch" >"$res/canary/secret"
"$GUEST_RUN" -t 600 -r "$res" hlink-user -- "$HLINK_ROOT/tests/guest/confine.sh" "$HLINK_ROOT/build/hlink_raw" |
	tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "an attempt succeeded inside the guest"
python3 "$HLINK_ROOT/scripts/confinement.py" check guest "$HLINK_WORK/log" ||
	fail "confinement outcomes changed"
[ "$(ls "$res/canary")" = secret ] || fail "canary directory changed: $(ls "$res/canary")"
[ "$(cat "$res/canary/secret")" = "do not touch" ] || fail "canary file changed"
echo "canary untouched"
