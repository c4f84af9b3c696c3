# The interface every configuration entry implements, with its defaults.
# shellcheck shell=bash
#
# An entry is baselines/<name>.sh; <name> is its identity everywhere. It sets
# CFG_DESC and overrides what it needs of:
#
#   cfg_check        checked before anything is prepared; return 0 if the
#                    configuration can run, else print why and return 1 if
#                    this machine cannot have what it needs (it is "not
#                    run"), or 2 if something that make setup or the build
#                    provides is missing (a failure)
#   cfg_prepare      host side, before boot: images, exports, daemons (start
#                    them with hlink_spawn so that teardown finds them)
#   cfg_bootargs     print extra guest kernel arguments
#   cfg_guest_mount  print shell run as root inside the guest that mounts the
#                    file system under test on "$HLINK_MNT"
#   cfg_teardown     host side, after the guest is gone (daemons started with
#                    hlink_spawn are stopped by the runner itself)
#   cfg_launch       start the workload; the default boots the UML guest
#
# Functions see: RUN (this run's private state directory), HLINK_ROOT,
# HLINK_GUEST_MEM, HLINK_DISK_SIZE, and export_from (guest-run's
# --export-from, a full path, already bind-mounted over $RUN/export; empty
# without it).

CFG_DESC=
cfg_check() { return 0; }
cfg_prepare() { :; }
cfg_bootargs() { :; }
cfg_guest_mount() { :; }
cfg_teardown() { :; }
cfg_launch() { hlink_launch_uml "$@"; }

# Fail cfg_check unless every named program exists: setup installs them all.
hlink_need() {
	local p
	for p in "$@"; do
		if ! command -v "$p" >/dev/null 2>&1 && [ ! -x "$p" ]; then
			echo "missing program: $p (run 'make setup' and 'make tools')"
			return 2
		fi
	done
}

# Start a host-side daemon in its own process group; the runner stops it.
# usage: hlink_spawn NAME COMMAND [ARG...]
hlink_spawn() {
	local name=$1
	shift
	mkdir -p "$RUN/pids"
	setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/pids/$name"
}

# Wait until a daemon's COMMAND succeeds (it is ready), or fail with its log.
# usage: hlink_wait NAME WHAT COMMAND [ARG...]   (WHAT: the readiness, in words)
hlink_wait() {
	local name=$1 what=$2 i
	shift 2
	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		kill -0 "$(cat "$RUN/pids/$name")" 2>/dev/null || break
		sleep 0.1
	done
	hlink_log "$name $what; its log:"
	sed 's/^/  /' "$RUN/$name.log" >&2
	return 1
}

# Wait until a daemon has created its socket.
hlink_wait_socket() { hlink_wait "$1" "did not create $2" test -S "$2"; }

# A fresh, fully initialised ext4 image, so no lazy-init thread runs during
# a benchmark.
hlink_make_ext4_image() {
	local img=$1
	truncate -s "$HLINK_DISK_SIZE" "$img"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$img"
}

# A private network between the guest and a host-side server: a network
# namespace of this run's own holding a tap device, with addresses that
# exist only inside it. The server runs in it (hlink_spawn NAME
# "${HLINK_IN_NETNS[@]}" PROGRAM ...), UML is launched in it (the same
# prefix), the guest brings up its interface (hlink_net_guest_up), and
# cfg_teardown removes it (hlink_netns_down).
HLINK_NET_HOST=10.213.0.1
HLINK_NET_GUEST=10.213.0.2
# The namespace's name, and a command prefix that runs a program in it (an
# exec, so the runner sees the program's own pid): "${HLINK_IN_NETNS[@]}" PROGRAM
HLINK_NETNS= HLINK_IN_NETNS=()
# For cfg_check: whether this machine can give the run a tap device.
hlink_net_check() {
	[ -c /dev/net/tun ] || { echo "no /dev/net/tun: this machine gives no tap devices"; return 1; }
}
hlink_netns_up() {
	HLINK_NETNS=hlink-${RUN##*.}
	HLINK_IN_NETNS=(nsenter "--net=/run/netns/$HLINK_NETNS" --)
	ip netns add "$HLINK_NETNS" || return 1
	ip -n "$HLINK_NETNS" link set lo up &&
		ip -n "$HLINK_NETNS" tuntap add dev tap0 mode tap &&
		ip -n "$HLINK_NETNS" addr add "$HLINK_NET_HOST/24" dev tap0 &&
		ip -n "$HLINK_NETNS" link set tap0 up
}
hlink_netns_down() {
	[ -z "$HLINK_NETNS" ] || ip netns del "$HLINK_NETNS" 2>/dev/null || true
}
hlink_net_bootargs() { echo "eth0=tuntap,tap0"; }
hlink_net_guest_up() {
	echo "ip link set lo up && ip addr add $HLINK_NET_GUEST/24 dev eth0 && ip link set eth0 up"
}
# Wait until a daemon in the namespace listens on TCP port PORT.
hlink_listening() { "${HLINK_IN_NETNS[@]}" ss -Hltn "sport = :$1" | grep -q .; }
hlink_wait_port() { hlink_wait "$1" "is not listening on port $2" hlink_listening "$2"; }
