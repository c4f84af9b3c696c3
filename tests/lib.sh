# Helpers for test cases; sourced. A case exits 0 (pass), 1 (fail) or
# 77 (not run; the reason is its last line of output).
# shellcheck shell=bash
# Every case runs under these: a failure before the first check fails it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
GUEST_RUN=$HLINK_ROOT/scripts/run/guest-run

fail() { echo "FAIL: $*"; exit 1; }
not_run() { echo "not run: $*"; exit 77; }
# A prerequisite that make setup or the build provides: missing is a failure.
require() { local c; for c in "$@"; do command -v "$c" >/dev/null || fail "$c is missing: scripts/build/setup.sh should have installed it"; done; }

# Run a command, capturing its status in $rc and output in $out.
capture() {
	set +e
	out=$("$@" 2>&1)
	rc=$?
	set -e
}

# Give each case a private work directory, so leftovers are attributable.
use_private_work() {
	HLINK_WORK=$(mktemp -d /var/tmp/hlink-test.XXXXXX)
	export HLINK_WORK
	trap 'rm -rf "$HLINK_WORK"' EXIT
}

# Nothing of a run may outlive it: state dir, process, mount or socket.
assert_clean() {
	local w=$HLINK_WORK left
	left=$(find "$w" -maxdepth 1 -name 'run.*' 2>/dev/null)
	[ -z "$left" ] || fail "state directory left behind: $left"
	left=$(pgrep -af -- "$w" | grep -v -e "pgrep" || true)
	[ -z "$left" ] || fail "process left behind: $left"
	left=$(findmnt -rn -o TARGET | grep -F "$w" || true)
	[ -z "$left" ] || fail "mount left behind: $left"
	left=$(ss -xlp 2>/dev/null | grep -F "$w" || true)
	[ -z "$left" ] || fail "socket left behind: $left"
	return 0
}
