# The ABI conformance suite against the user-space host module, natively,
# under AddressSanitizer and UndefinedBehaviorSanitizer.
. "$(dirname "$0")/../lib.sh"
bin=$HLINK_ROOT/build/hlink_conformance
[ -x "$bin" ] || fail "$bin not built (make tools)"
export_dir=$(mktemp -d /var/tmp/hlink-conf.XXXXXX)
trap 'rm -rf "$export_dir"' EXIT
"$bin" -t user "$export_dir"
