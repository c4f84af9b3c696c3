#!/bin/bash
# Debian's stock amd64 kernel for the host VM (the hlink-kmod-debian entry):
# the kernel that linux-headers-amd64 is for, its image package unpacked
# into the cache (not installed: the host's own boot is left alone), an
# initramfs that loads its virtio, 9p and ext4 modules (scripts/build/vm-rdinit.c),
# reused while the package version and those inputs are unchanged; and
# hlink.ko built with Kbuild against its headers, into build/kmod-debian-ABI
# (rebuilt when its sources change). Prints the cache directory:
# boot/vmlinuz-ABI, lib/modules/ABI/, initrd.cpio and abi (ABI's name).
# usage: debian-kernel.sh [--path]   (--path: print the directory only if
#                                     it and the module are there; status 1
#                                     otherwise)
set -euo pipefail
. "$(dirname "$0")/../common.sh"
only_path=0
case "${1:-}" in
	--path) only_path=1 ;;
	'') ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) hlink_die "unknown option $1 (see --help)" ;;
esac

headers=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n1) ||
	hlink_die "linux-headers-amd64 is not installed (make setup)"
abi=${headers#linux-headers-}
version=$(dpkg-query -W -f='${Version}' "$headers")
kdir=/usr/src/$headers
inputs=$(cat "$HLINK_ROOT/scripts/build/vm-rdinit.c" "$0" | sha256sum | cut -c1-16)
dir=$HLINK_CACHE/debian-kernel/$abi-$version-$inputs
ko=$HLINK_ROOT/build/kmod-debian-$abi/impl/host/kmod/hlink.ko
if [ "$only_path" = 1 ]; then
	[ -f "$dir/complete" ] && [ -f "$ko" ] || exit 1
	echo "$dir"
	exit 0
fi
[ -f "$kdir/Makefile" ] || hlink_die "no headers at $kdir (make setup)"
# hlink.ko, with Kbuild against Debian's headers for this kernel.
"$HLINK_ROOT/scripts/build/build-kmod.sh" --kdir "$kdir" "debian-$abi" >/dev/null 2>"$HLINK_ROOT/build/kmod-debian-$abi.log" ||
	hlink_die "building hlink.ko against $kdir failed: $(cat "$HLINK_ROOT/build/kmod-debian-$abi.log")"
if [ -f "$dir/complete" ]; then
	echo "$dir"
	exit 0
fi
tmp=$(mktemp -d "$HLINK_CACHE/.debian-kernel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$HLINK_CACHE/debian-kernel"
image=$HLINK_CACHE/debian-kernel/linux-image-${abi}_$version.deb
if [ ! -f "$image" ]; then
	hlink_log "downloading Debian's linux-image-$abi $version"
	# apt's sandbox user cannot write the cache: fetch as root into a scratch dir.
	(cd "$tmp" && apt-get download -q "linux-image-$abi=$version") >"$tmp/apt.log" 2>&1 ||
		hlink_die "apt-get download linux-image-$abi=$version failed: $(tail -n 3 "$tmp/apt.log")"
	mv "$tmp"/linux-image-*.deb "$image"
fi
dpkg-deb -x "$image" "$tmp/root"
mv "$tmp/root/boot" "$tmp/root/lib" "$tmp/"
rm -rf "$tmp/root"
depmod -b "$tmp" "$abi"
# The initramfs: /init, and the modules the VM needs before its root is
# mounted (9p over virtio-pci) and for its scratch disk (ext4 on virtio-blk).
mkdir -p "$tmp/rd"
${CC:-cc} -O2 -Wall -Wextra -Werror -static -o "$tmp/rd/init" "$HLINK_ROOT/scripts/build/vm-rdinit.c"
modprobe -d "$tmp" -S "$abi" -a --show-depends virtio_pci 9pnet_virtio 9p virtio_blk ext4 |
	awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' >"$tmp/order"
[ -s "$tmp/order" ] || hlink_die "no modules found for the initramfs"
while read -r m; do
	mkdir -p "$tmp/rd/$(dirname "${m#"$tmp"}")"
	cp "$m" "$tmp/rd/${m#"$tmp"}"
	echo "${m#"$tmp"}"
done <"$tmp/order" >"$tmp/rd/modules.order"
(cd "$tmp/rd" && find . | cpio -o -H newc --quiet) >"$tmp/initrd.cpio"
rm -rf "$tmp/rd" "$tmp/order"
echo "$abi" >"$tmp/abi"
touch "$tmp/complete"
# Older unpackings of the same kernel are superseded (each is ~400 MB).
rm -rf "$HLINK_CACHE/debian-kernel/$abi-"*
mv "$tmp" "$dir"
trap - EXIT
hlink_log "Debian's $abi ($version), and hlink.ko for it: $dir, $ko"
echo "$dir"
