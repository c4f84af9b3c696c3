# Attempts from inside the guest to reach host files outside the export
# (symlinks, ../../, rename, link, forged raw handles) all fail, and a canary
# directory next to the export is untouched afterwards.
. "$(dirname "$0")/../lib.sh"
use_private_work
res=$HLINK_WORK/res
mkdir -p "$res/canary"
echo "do not touch" >"$res/canary/secret"
"$GUEST_RUN" -t 600 -r "$res" hlink-user -- "$HLINK_ROOT/tests/guest/confine.sh" "$HLINK_ROOT/build/hlink_raw" ||
	fail "an attempt succeeded inside the guest"
[ "$(ls "$res/canary")" = secret ] || fail "canary directory changed: $(ls "$res/canary")"
[ "$(cat "$res/canary/secret")" = "do not touch" ] || fail "canary file changed"
echo "canary untouched"
