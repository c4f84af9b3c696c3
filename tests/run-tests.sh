#!/bin/bash
# Run the test suite: the smoke test on every configuration, then every case
# in tests/cases/. Each prints PASS, FAIL or NOT RUN (with its reason), and the
# suite ends with one "N passed, N failed, N skipped" line.
#
# usage: tests/run-tests.sh [PATTERN...]   run only tests whose name matches
set -uo pipefail
. "$(dirname "$0")/../scripts/common.sh"

logdir=${HLINK_TEST_LOGS:-$HLINK_WORK/test-logs}
mkdir -p "$logdir"
passed=0 failed=0 skipped=0
failures=()

selected() {
	local p
	[ $# -gt 1 ] || return 0
	for p in "${@:2}"; do
		[[ $1 == *$p* ]] && return 0
	done
	return 1
}

# usage: run_one NAME COMMAND...
run_one() {
	local name=$1 log start rc
	shift
	log=$logdir/${name//\//_}.log
	start=$SECONDS
	printf '%-40s ' "$name"
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	case $rc in
		0) passed=$((passed + 1)); echo "PASS ($((SECONDS - start)) s)" ;;
		77) skipped=$((skipped + 1)); echo "NOT RUN: $(grep -v '^$' "$log" | tail -n 1)" ;;
		*) failed=$((failed + 1)); failures+=("$name")
		   echo "FAIL (status $rc, $((SECONDS - start)) s; log $log)"
		   tail -n 15 "$log" | sed 's/^/    /' ;;
	esac
}

# An entry may shorten its large-file check (CFG_SMOKE_MIB): the TCG ones
# run 20-30x slower. 'make smoke' always uses the full 256 MiB.
for cfg in $(hlink_configs); do
	selected "smoke/$cfg" "$@" &&
		run_one "smoke/$cfg" "$HLINK_ROOT/scripts/run/guest-run" -t 900 "$cfg" -- \
			env SMOKE_BIG_MIB="$(hlink_config_var "$cfg" CFG_SMOKE_MIB 256)" "$HLINK_ROOT/tests/smoke.sh"
done
for t in "$HLINK_ROOT"/tests/cases/*; do
	name=${t##*/}
	name=${name%.*}
	selected "$name" "$@" || continue
	if [ -x "$t" ]; then
		run_one "$name" "$t"
	else
		run_one "$name" bash "$t"
	fi
done

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
