# A hung guest command hits the wall-clock limit; afterwards nothing is left:
# no process (UML or daemons), socket, mount or state directory. Uses
# configurations with host daemons, the hardest case to clean.
. "$(dirname "$0")/../lib.sh"
use_private_work
for cfg in virtio-blk virtio-fs hostfs native; do
	start=$SECONDS
	capture "$GUEST_RUN" -t 6 "$cfg" -- sleep 600
	[ "$rc" = 124 ] || fail "$cfg: exit status $rc, want 124: $out"
	[ $((SECONDS - start)) -lt 30 ] || fail "$cfg: took $((SECONDS - start)) s to stop"
	assert_clean
	echo "$cfg: timed out and cleaned up in $((SECONDS - start)) s"
done
