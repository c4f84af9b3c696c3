# 9p: the guest kernel's 9P2000.L client over TCP to diod, a user-space 9P
# server, exporting the run's export directory; all traffic stays in a
# network namespace of the run's own. cache=mmap: file data is not cached
# except for mmap (which needs it), so every access asks the server, as
# QEMU's and gVisor's shared folders commonly run.
CFG_DESC="kernel 9P2000.L client to diod over TCP, cache=mmap, in a private network namespace"
# The client's cache mode; an entry that sources this one may set another.
NINEP_CACHE=${NINEP_CACHE:-mmap}
cfg_check() { hlink_need diod nsenter ip && hlink_net_check; }
cfg_prepare() {
	hlink_netns_up || return 1
	# diod looks up each client's name and drops the connection when that
	# fails, as it does with no DNS in the namespace: it is given a hosts
	# file naming the guest, in a mount namespace of its own.
	printf '%s hlink-guest\n' "$HLINK_NET_GUEST" >"$RUN/hosts"
	# -n: no authentication (the namespace holds only this guest); -f:
	# foreground. The guest attaches as root (uname=root) and then as each
	# user by id (access=client).
	hlink_spawn diod "${HLINK_IN_NETNS[@]}" unshare -m -- sh -c \
		'mount --bind "$0" /etc/hosts && exec "$@"' "$RUN/hosts" \
		diod -f -n -L stderr -c /dev/null -l "$HLINK_NET_HOST:564" -e "$RUN/export"
	hlink_wait_port diod 564
}
cfg_bootargs() { hlink_net_bootargs; }
cfg_guest_mount() {
	echo "$(hlink_net_guest_up) && mount -t 9p -o trans=tcp,port=564,version=9p2000.L,aname=$RUN/export,access=client,uname=root,cache=$NINEP_CACHE,msize=1048576 $HLINK_NET_HOST \"\$HLINK_MNT\""
}
cfg_teardown() { hlink_netns_down; }
