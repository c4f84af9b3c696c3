# Every external command the project invokes (on the host, in a guest or in
# the TCG VM, which all use the host's programs) is provided by an Essential
# package or by one that scripts/build/setup.sh installs: tests/deps.py. And the
# check can fail: a script calling a program no package provides is caught.
. "$(dirname "$0")/../lib.sh"
fixture=$(mktemp --suffix=.sh)
trap 'rm -f "$fixture"' EXIT
printf '#!/bin/bash\nhlink-no-such-program --flag\nsetsid ${x:+hlink-wrapped-missing -a} "$y"\n' >"$fixture"
capture python3 "$HLINK_ROOT/tests/deps.py" --also "$fixture"
[ "$rc" = 1 ] || fail "a missing command was not reported (status $rc): $out"
grep -q '^MISSING  hlink-no-such-program' <<<"$out" || fail "hlink-no-such-program not reported: $out"
grep -q '^MISSING  hlink-wrapped-missing' <<<"$out" || fail "wrapped command not reported: $out"
echo "ok - a command that no package provides is reported"
capture python3 "$HLINK_ROOT/tests/deps.py" --list
echo "$out"
[ "$rc" = 0 ] || fail "commands not provided by setup's packages (above)"
grep -q '^insmod .*kmod' <<<"$out" || fail "insmod was not found among the commands"
