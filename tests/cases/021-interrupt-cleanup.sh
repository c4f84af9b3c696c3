# Ctrl-C (SIGINT) on a running guest stops it and leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
use_private_work
# A background command may start with SIGINT ignored (no job control, or an
# ignoring parent), which bash cannot undo; env resets it, as a terminal has it.
set -m
for cfg in virtio-blk hostfs; do
	log=$HLINK_WORK/out.log
	env --default-signal=INT "$GUEST_RUN" "$cfg" -- sh -c 'echo guest-started; sleep 600' >"$log" 2>&1 &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		grep -q guest-started "$log" && break
		sleep 0.1
	done
	grep -q guest-started "$log" || { kill -INT $pid; wait $pid; fail "$cfg: guest never started: $(cat "$log")"; }
	kill -INT $pid
	set +e; wait $pid; rc=$?; set -e
	[ "$rc" = 130 ] || fail "$cfg: exit status $rc after SIGINT, want 130"
	assert_clean
	echo "$cfg: interrupted and cleaned up"
done
