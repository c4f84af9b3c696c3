#!/bin/bash
# Install the Debian packages the project needs; a no-op when all are present.
# The list, with the reason for each, is in the README ("Packages").
# usage: scripts/build/setup.sh [--paper] [--list | --list-paper | --paper-commands]
#   --paper           also install what 'make paper' needs (LaTeX), which
#                     nothing else does, so 'make test' never pulls it in
#   --list            print the packages and exit
#   --list-paper      print the packages only --paper installs, and exit
#   --paper-commands  print the commands those provide, and exit (for the
#                     dependency check on a machine that never built the paper)
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
	linux-headers-amd64 cpio                              # hlink.ko for Debian's stock kernel, its VM's initramfs
	iproute2                                              # ss: the leak checks in tests
	git                                                   # the commit recorded with each run; app-git
	apt mawk                                              # this script; awk in the guest tests
	debootstrap                                           # scripts/build/check-fresh-root.sh: a clean Debian root
	gnuplot-nox python3                                   # results and plots
	sparse                                                # kernel-code checks
	shfmt                                                 # the dependency check (tests/deps.py)
	clang libclang-rt-14-dev                              # make fuzz: libFuzzer
)
# make paper only: pdflatex, bibtex and the LaTeX packages paper/hlink.tex
# uses; latexmk; pdfinfo and pdftoppm to count and look at its pages.
paper_packages=(latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended poppler-utils)
paper_commands=(latexmk pdflatex bibtex pdfinfo pdftoppm)

case "${1:-}" in
	--list) printf '%s\n' "${packages[@]}"; exit 0 ;;
	--list-paper) printf '%s\n' "${paper_packages[@]}"; exit 0 ;;
	--paper-commands) printf '%s\n' "${paper_commands[@]}"; exit 0 ;;
	--paper) packages+=("${paper_packages[@]}") ;;
	"") ;;
	*) echo "usage: scripts/build/setup.sh [--paper] [--list | --list-paper | --paper-commands]" >&2; exit 2 ;;
esac

# hlink-kmod-host builds hlink.ko against the running kernel's headers:
# installed where the host takes modules and Debian packages its kernel.
if [ -e /proc/modules ] && [ ! -e "/lib/modules/$(uname -r)/build" ] &&
	apt-cache policy "linux-headers-$(uname -r)" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
	packages+=("linux-headers-$(uname -r)")
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
