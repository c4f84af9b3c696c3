# An unknown configuration name is refused with the list of valid names,
# by the runner and by 'make smoke'.
. "$(dirname "$0")/../lib.sh"
capture "$GUEST_RUN" no-such-config -- true
[ "$rc" = 2 ] || fail "guest-run exit status $rc, want 2"
grep -q "unknown configuration 'no-such-config'" <<<"$out" || fail "no clear message: $out"
grep -q "hostfs" <<<"$out" || fail "valid names not listed: $out"
capture make -s -C "$HLINK_ROOT" smoke CONFIG=no-such-config
[ "$rc" != 0 ] || fail "make smoke accepted an unknown name"
grep -q "valid names" <<<"$out" || fail "make smoke gave no clear message: $out"
capture make -s -C "$HLINK_ROOT" smoke
[ "$rc" != 0 ] || fail "make smoke accepted an empty name"
echo "unknown names refused"
