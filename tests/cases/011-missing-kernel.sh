# A missing guest kernel is reported before anything is created.
. "$(dirname "$0")/../lib.sh"
use_private_work
capture "$GUEST_RUN" -k /nonexistent/linux hostfs -- true
[ "$rc" = 2 ] || fail "exit status $rc, want 2"
grep -q "guest kernel /nonexistent/linux does not exist" <<<"$out" || fail "no clear message: $out"
assert_clean
echo "missing kernel refused"
