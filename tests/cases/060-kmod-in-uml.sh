# hlink.ko in a real kernel: built against our UML kernel without warnings,
# loaded into a UML guest used as the host, and driven through /dev/hlink by
# the same ABI conformance suite as the user-space host module; the fuzz
# corpus replayed against it gets the user-space module's answers.
. "$(dirname "$0")/../lib.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
ko=$("$HLINK_ROOT/scripts/build/build-kmod.sh" 2>"$log") || fail "build failed: $(cat "$log")"
if grep -E 'warning:|error:' "$log"; then
	fail "hlink.ko built with warnings"
fi
# ext4 (ubd-ext4) as the host file system: it has user.* xattrs, tmpfs in 6.1 does not.
[ -x "$HLINK_ROOT/build/hlink_fuzz_replay_plain" ] || fail "build/hlink_fuzz_replay_plain is not built (make tools)"
"$GUEST_RUN" -t 600 ubd-ext4 -- "$HLINK_ROOT/tests/guest/kmod-host.sh" "$ko" \
	"$HLINK_ROOT/build/hlink_conformance_plain" "$HLINK_ROOT/build/hlink_fuzz_replay_plain" \
	"$HLINK_ROOT/build/fuzz-corpus" | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "hlink.ko in the UML host"
python3 "$HLINK_ROOT/scripts/analysis" confinement check kmod "$log" || fail "confinement outcomes changed"
