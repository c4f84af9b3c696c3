#!/bin/bash
# Install the Debian packages the project needs; a no-op when all are present.
# The list, with the reason for each, is in the README ("Packages").
# usage: scripts/setup.sh [--list]   --list prints the packages and exits.
set -euo pipefail

packages=(
	linux-source-6.1 build-essential flex bison bc libelf-dev  # guest kernel
	fio bonnie++ dbench                                   # workloads
	qemu-system-common                                    # qemu-storage-daemon, virtiofsd
	qemu-system-x86                                       # the full stack for hlink.ko (TCG)
	nfs-ganesha nfs-ganesha-vfs nfs-common                # nfs: a user-space NFS server; mount.nfs4
	diod                                                  # 9p: a user-space 9P2000.L server
	e2fsprogs util-linux mount strace procps psmisc       # images, runner, accounting
	btrfs-progs                                           # test 030: an export on btrfs, with a subvolume
	kmod                                                  # insmod/rmmod of hlink.ko in the VM and guests
	iproute2                                              # ss: the leak checks in tests
	git                                                   # the commit recorded with each run
	apt mawk                                              # this script; awk in the guest tests
	debootstrap                                           # scripts/check-fresh-root.sh: a clean Debian root
	gnuplot-nox python3                                   # results and plots
	sparse                                                # kernel-code checks
	shfmt                                                 # the dependency check (tests/deps.py)
	clang libclang-rt-14-dev                              # make fuzz: libFuzzer
)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${packages[@]}"
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
[ "$(id -u)" = 0 ] || { echo "setup: need root to install: ${missing[*]}" >&2; exit 2; }
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
