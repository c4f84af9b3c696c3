# The ABI conformance suite against the user-space host module, natively,
# under AddressSanitizer and UndefinedBehaviorSanitizer; its escape attempts
# get the outcomes recorded in tests/confinement/user.txt.
. "$(dirname "$0")/../lib.sh"
bin=$HLINK_ROOT/build/hlink_conformance
[ -x "$bin" ] || fail "$bin not built (make tools)"
export_dir=$(mktemp -d /var/tmp/hlink-conf.XXXXXX)
log=$(mktemp)
trap 'rm -rf "$export_dir" "$export_dir.outside" "$log"' EXIT
"$bin" -t user "$export_dir" | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "conformance suite"
python3 "$HLINK_ROOT/scripts/confinement.py" check user "$log" || fail "confinement outcomes changed"
