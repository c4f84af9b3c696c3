#!/bin/bash
# Build hlink.ko against one of the project's kernels (the object tree that
# build-kernel.sh keeps in the cache): the UML kernel (default) or, with
# --arch x86_64, the QEMU host kernel; or, with --kdir, any kernel's Kbuild
# tree, such as a distribution's headers (/lib/modules/$(uname -r)/build).
# Builds in a copy under build/ so that the source tree stays clean. Prints
# the module's path.
# usage: build-kmod.sh [--arch um|x86_64 | --kdir DIR NAME]
#   (NAME: the copy is build/kmod-NAME)
set -euo pipefail
. "$(dirname "$0")/../common.sh"
arch=um
kdir=
case "${1:-}" in
	--arch) arch=${2:?} ;;
	--kdir) kdir=${2:?} name=${3:?"--kdir wants DIR and NAME"} ;;
	'') ;;
	*) hlink_die "unknown option $1 (usage: build-kmod.sh [--arch um|x86_64 | --kdir DIR NAME])" ;;
esac
if [ -n "$kdir" ]; then
	[ -f "$kdir/Makefile" ] || hlink_die "--kdir: $kdir is not a kernel build tree (no Makefile)"
	case "$name" in *[!a-z0-9._-]*) hlink_die "--kdir: NAME $name: letters, digits, '.', '_' and '-' only" ;; esac
else
	case "$arch" in
		um) fragment=$HLINK_ROOT/impl/guest/uml.config ;;
		x86_64) fragment=$HLINK_ROOT/impl/host/kmod/x86_64-host.config ;;
		*) hlink_die "--arch takes um or x86_64" ;;
	esac
	kernel=$("$HLINK_ROOT/scripts/build/build-kernel.sh" --arch "$arch")
	config=$kernel.config
	version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	obj=$HLINK_CACHE/build/$arch-$version-$(sha256sum <"$fragment" | cut -c1-16)
	[ -f "$obj/.config" ] && cmp -s "$obj/.config" "$config" ||
		hlink_die "the object tree $obj does not match $kernel; rebuild the kernel"
	name=$arch
fi
out=$HLINK_ROOT/build/kmod-$name
mkdir -p "$out"
# Copy only what changed, so the module rebuilds only when it must.
for f in "$HLINK_ROOT"/impl/host/kmod/{*.[ch],Kbuild} "$HLINK_ROOT"/impl/include/hlink_abi.h \
	"$HLINK_ROOT"/impl/common/*.{[ch],def}; do
	d=$out/impl/${f#"$HLINK_ROOT"/impl/}
	mkdir -p "$(dirname "$d")"
	cmp -s "$f" "$d" || cp "$f" "$d"
done
if [ -n "$kdir" ]; then
	make -s -C "$kdir" M="$out/impl/host/kmod" modules >&2
else
	make -s -C "$HLINK_CACHE/src/$version" O="$obj" ARCH="$arch" M="$out/impl/host/kmod" modules >&2
fi
echo "$out/impl/host/kmod/hlink.ko"
