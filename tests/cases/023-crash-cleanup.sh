# A guest whose VMM process dies (here: SIGKILL to UML's main process, as a
# crash would) ends the run with status 125, and its helper processes,
# mounts and state go with it.
. "$(dirname "$0")/../lib.sh"
use_private_work
log=$HLINK_WORK/out.log
"$GUEST_RUN" hostfs -- sh -c 'echo guest-started; sleep 600' >"$log" 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do
	grep -q guest-started "$log" && break
	sleep 0.1
done
grep -q guest-started "$log" || fail "guest never started: $(cat "$log")"
uml=$(pgrep -o -f "uml_dir=$HLINK_WORK/") || fail "no UML process found"
[ "$(pgrep -c -f "uml_dir=$HLINK_WORK/")" -gt 1 ] || fail "expected UML helper processes"
kill -KILL "$uml"
set +e; wait $pid; rc=$?; set -e
[ "$rc" = 125 ] || fail "exit status $rc after the VMM died, want 125: $(cat "$log")"
assert_clean
echo "VMM killed: status 125, helpers and state cleaned up"
