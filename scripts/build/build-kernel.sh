#!/bin/bash
# Build a kernel from Debian's linux-source-6.1, or reuse a cached one: the UML
# guest kernel (default), or with --arch x86_64 the small host kernel that
# QEMU boots to test hlink.ko in the full stack.
#
# The cache lives in $HLINK_CACHE (default /var/cache/hlink), outside the clone:
#   src/<version>/            the unpacked source, with the guest module copied in
#   build/<arch>-<version>-<cfg>/  the O= object tree, reused so rebuilds are
#                             incremental
#   kernels/<image>-<key>     finished binaries, keyed by source version, config
#                             fragment, guest-module sources and this script
set -euo pipefail
. "$(dirname "$0")/../common.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [--arch um|x86_64] [--path]
  (no option)     build the kernel if the cache has none for the current
                  inputs, then print its path
  --arch x86_64   the QEMU host kernel instead of the UML guest kernel
  --path          print the path the kernel for the current inputs has;
                  exit 1 if it has not been built
EOF
}

mode=build arch=um
while [ $# -gt 0 ]; do
	case "$1" in
		--path) mode=path; shift ;;
		--arch) arch=${2:?}; shift 2 ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
	esac
done
case "$arch" in
	um) fragment=$HLINK_ROOT/impl/guest/uml.config base=defconfig
	    target=linux image=linux name=linux ;;
	x86_64) fragment=$HLINK_ROOT/impl/host/kmod/x86_64-host.config base=tinyconfig
		target=bzImage image=arch/x86/boot/bzImage name=bzImage-x86_64 ;;
	*) hlink_die "--arch takes um or x86_64" ;;
esac
tarball=/usr/src/linux-source-6.1.tar.xz

# The guest module's files, copied into fs/hlinkfs of the UML tree.
guest_files() {
	local d=$HLINK_ROOT/impl/guest/hlinkfs
	[ -d "$d" ] && [ "$arch" = um ] || return 0
	find "$d" -maxdepth 1 -type f \( -name '*.[ch]' -o -name Kconfig -o -name Makefile \) | sort
	# The ABI, and the user-space host module that host=user links in.
	echo "$HLINK_ROOT/impl/include/hlink_abi.h"
	find "$HLINK_ROOT/impl/host/user" "$HLINK_ROOT/impl/common" -maxdepth 1 -type f \( -name '*.[ch]' -o -name '*.def' \) | sort
}

src_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		hlink_die "linux-source-6.1 is not installed; run 'make setup'"
}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

version=$(src_version)
cfghash=$(hash_of "$fragment")
# shellcheck disable=SC2046
key=$version-$(printf '%s\n' "$version" | cat - "$fragment" "$0" $(guest_files) | sha256sum | cut -c1-16)
out=$HLINK_CACHE/kernels/$name-$key

if [ "$mode" = path ]; then
	echo "$out"
	[ -f "$out" ]
	exit
fi
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$HLINK_CACHE"/{src,build,kernels}
# One builder at a time: the source tree and object tree are shared.
exec 9>"$HLINK_CACHE/build.lock"
flock 9

src=$HLINK_CACHE/src/$version
if [ ! -f "$src/Makefile" ]; then
	[ -f "$tarball" ] || hlink_die "$tarball missing; run 'make setup'"
	hlink_log "unpacking $tarball"
	tmp=$(mktemp -d "$HLINK_CACHE/src/.unpack.XXXXXX")
	tar -xf "$tarball" -C "$tmp"
	rm -rf "$src"
	mv "$tmp/linux-source-6.1" "$src"
	rmdir "$tmp"
fi

# Copy the guest module in, touching only files whose content changed so that
# make rebuilds only what depends on them.
if [ -n "$(guest_files)" ]; then
	mkdir -p "$src/fs/hlinkfs"
	for f in $(guest_files); do
		cmp -s "$f" "$src/fs/hlinkfs/${f##*/}" || cp "$f" "$src/fs/hlinkfs/"
	done
	grep -q 'fs/hlinkfs/Kconfig' "$src/arch/um/Kconfig" ||
		printf '\nsource "fs/hlinkfs/Kconfig"\n' >>"$src/arch/um/Kconfig"
	grep -q 'hlinkfs/' "$src/fs/Makefile" ||
		printf 'obj-$(CONFIG_HLINKFS)\t\t+= hlinkfs/\n' >>"$src/fs/Makefile"
fi

obj=$HLINK_CACHE/build/$arch-$version-$cfghash
mk() { make -s -C "$src" O="$obj" ARCH="$arch" "$@"; }
if [ ! -f "$obj/.config" ]; then
	hlink_log "configuring $obj"
	mkdir -p "$obj"
	mk "$base" >/dev/null
	(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" .config "$fragment" >/dev/null)
	mk olddefconfig >/dev/null
	# Every requested option must survive the merge.
	missing=0
	while IFS= read -r line; do
		case "$line" in
			CONFIG_*=*|"# CONFIG_"*" is not set") ;;
			*) continue ;;
		esac
		if ! grep -qxF "$line" "$obj/.config"; then
			hlink_log "config fragment line not honoured: $line"
			missing=1
		fi
	done <"$fragment"
	if [ "$missing" = 1 ]; then
		rm -f "$obj/.config"
		hlink_die "kernel configuration failed"
	fi
fi

hlink_log "building the $arch kernel in $obj (minutes when cold, seconds when warm)"
start=$SECONDS
# stdout carries only the kernel's path: the build's own output (UML's
# "LINK linux" is printed even with -s) goes to stderr.
mk -j"${HLINK_JOBS:-$(nproc)}" "$target" >&2
if grep -q '^CONFIG_MODULES=y' "$obj/.config"; then
	# Module build support (Module.symvers) for hlink.ko, and any =m modules.
	mk -j"${HLINK_JOBS:-$(nproc)}" modules >&2
fi
hlink_log "kernel build took $((SECONDS - start)) s"
cp "$obj/$image" "$out.tmp"
cp "$obj/.config" "$out.config"
mv "$out.tmp" "$out"
echo "$out"
