# Attempts from inside the guest to reach host files outside the export
# (symlinks, ../../, rename, link, forged raw handles) all fail, and a canary
# directory next to the export is untouched afterwards; then again from a
# guest that sees nothing of the host but the export. The outcomes are those
# recorded in tests/confinement/guest.txt.
. "$(dirname "$0")/../lib.sh"
use_private_work
res=$HLINK_WORK/res
mkdir -p "$res/canary"
echo "do not touch" >"$res/canary/secret"
"$GUEST_RUN" -t 600 -r "$res" hlink-user -- "$HLINK_ROOT/tests/guest/confine.sh" "$HLINK_ROOT/build/hlink_raw" |
	tee "$HLINK_WORK/log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "an attempt succeeded inside the guest"
[ "$(ls "$res/canary")" = secret ] || fail "canary directory changed: $(ls "$res/canary")"
[ "$(cat "$res/canary/secret")" = "do not touch" ] || fail "canary file changed"
echo "canary untouched"

# Again from a guest that reaches nothing of the host but the export: a
# sealed mount namespace with only the hlinkfs mount and the static
# hlink_raw. The symlinks are planted on the host before boot.
exp=$HLINK_WORK/sealed-export
sealed_canary=$HLINK_WORK/sealed-canary
mkdir -p "$exp" "$sealed_canary"
echo "do not touch" >"$sealed_canary/secret"
ln -s "$sealed_canary" "$exp/planted"
ln -s "$(realpath -m --relative-to="$exp" "$sealed_canary")" "$exp/planted-rel"
"$GUEST_RUN" -t 600 -e "$exp" hlink-user -- "$HLINK_ROOT/tests/guest/confine-sealed.sh" \
	"$HLINK_ROOT/build/hlink_raw" "$sealed_canary" | tee "$HLINK_WORK/sealed.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "an attempt succeeded from the sealed guest"
[ "$(ls "$sealed_canary")" = secret ] || fail "sealed canary directory changed: $(ls "$sealed_canary")"
[ "$(cat "$sealed_canary/secret")" = "do not touch" ] || fail "sealed canary file changed"
[ "$(readlink "$exp/planted")" = "$sealed_canary" ] || fail "the planted symlink was changed"
cat "$HLINK_WORK/log" "$HLINK_WORK/sealed.log" >"$HLINK_WORK/all.log"
python3 "$HLINK_ROOT/scripts/analysis" confinement check guest "$HLINK_WORK/all.log" ||
	fail "confinement outcomes changed"
echo "sealed canary untouched"
