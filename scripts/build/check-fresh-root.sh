#!/bin/bash
# Check the project on a clean Debian 12 system, as a new user meets it: a
# minimal root made by debootstrap, this project's committed tree copied in,
# then scripts/build/setup.sh and the dependency check (tests/deps.py) run inside it
# with chroot; with --test, 'make test' too.
set -euo pipefail
. "$(dirname "$0")/../common.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [--test] [--paper] [--keep] [DIR]

Build a minimal Debian 12 root in DIR (default $HLINK_WORK/fresh-root) with
debootstrap, copy in the project as committed (git archive HEAD), and inside
it with chroot run scripts/build/setup.sh and tests/deps.py. A failure of either
fails this script.

  --test   also run 'make test' inside (builds the kernels there: slow)
  --paper  set up with --paper too, so the paper's commands are checked
           as installed (otherwise they are listed as paper-only)
  --keep   keep DIR afterwards (it is reused as a cache of the base system)
  -h       this text
EOF
}

test=0 keep=0 dir= setup_args=
while [ $# -gt 0 ]; do
	case "$1" in
		--test) test=1; shift ;;
		--keep) keep=1; shift ;;
		--paper) setup_args=--paper; shift ;;
		-h|--help) usage; exit 0 ;;
		-*) hlink_die "unknown option $1 (see --help)" ;;
		*) dir=$1; shift ;;
	esac
done
[ "$(id -u)" = 0 ] || hlink_die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || hlink_die "debootstrap is missing (make setup)"
dir=${dir:-$HLINK_WORK/fresh-root}
mkdir -p "$HLINK_WORK"
# The host's own Debian mirror, so this works wherever apt does.
mirror=$(grep -hoE '^URIs: *\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || hlink_die "no Debian mirror found in the host's apt sources"

mounted=()
cleanup() {
	local m
	for ((m = ${#mounted[@]} - 1; m >= 0; m--)); do
		umount -l "${mounted[m]}" 2>/dev/null || true
	done
	[ "$keep" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT

if [ ! -x "$dir/bin/bash" ]; then
	hlink_log "debootstrap --variant=minbase bookworm $dir ($mirror)"
	rm -rf "$dir"
	debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$HLINK_WORK/fresh-root-debootstrap.log" 2>&1 ||
		hlink_die "debootstrap failed; see $HLINK_WORK/fresh-root-debootstrap.log"
fi
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
for m in proc sys dev dev/pts; do
	mkdir -p "$dir/$m"
	mount --bind "/$m" "$dir/$m"
	mounted+=("$dir/$m")
done
mkdir -p "$dir/dev/shm"
mount -t tmpfs -o mode=1777 shm "$dir/dev/shm"
mounted+=("$dir/dev/shm")

rm -rf "$dir/root/hlink"
mkdir -p "$dir/root/hlink"
git -C "$HLINK_ROOT" archive HEAD | tar -x -C "$dir/root/hlink"
in_root() { chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root bash -c "cd /root/hlink && $1"; }

hlink_log "packages before setup: $(chroot "$dir" dpkg-query -W | wc -l)"
in_root "scripts/build/setup.sh $setup_args"
hlink_log "packages after setup: $(chroot "$dir" dpkg-query -W | wc -l)"
in_root "python3 tests/deps.py --list"
if [ "$test" = 1 ]; then
	in_root "git init -q . && make test"
fi
