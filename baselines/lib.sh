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

# Wait until a daemon has created its socket, or fail with its log.
hlink_wait_socket() {
	local name=$1 sock=$2 i
	for ((i = 0; i < 100; i++)); do
		[ -S "$sock" ] && return 0
		if ! kill -0 "$(cat "$RUN/pids/$name")" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	hlink_log "$name did not create $sock; its log:"
	sed 's/^/  /' "$RUN/$name.log" >&2
	return 1
}

# A fresh, fully initialised ext4 image, so no lazy-init thread runs during
# a benchmark.
hlink_make_ext4_image() {
	local img=$1
	truncate -s "$HLINK_DISK_SIZE" "$img"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$img"
}
