#!/bin/bash
# Build hlink.ko against the project's UML kernel (the object tree that
# build-kernel.sh keeps in the cache), in a copy under build/ so that the
# source tree stays clean. Prints the module's path.
set -euo pipefail
. "$(dirname "$0")/common.sh"
kernel=$("$HLINK_ROOT/scripts/build-kernel.sh")
config=$kernel.config
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
obj=$HLINK_CACHE/build/um-$version-$(sha256sum <"$HLINK_ROOT/impl/guest/uml.config" | cut -c1-16)
[ -f "$obj/.config" ] && cmp -s "$obj/.config" "$config" ||
	hlink_die "the UML object tree $obj does not match $kernel; run 'make kernel'"
out=$HLINK_ROOT/build/kmod-um
mkdir -p "$out"
# Copy only what changed, so the module rebuilds only when it must.
for f in "$HLINK_ROOT"/impl/host/kmod/{hlink_main.c,Kbuild} "$HLINK_ROOT"/impl/include/hlink_abi.h; do
	d=$out/impl/${f#"$HLINK_ROOT"/impl/}
	mkdir -p "$(dirname "$d")"
	cmp -s "$f" "$d" || cp "$f" "$d"
done
make -s -C "$HLINK_CACHE/src/$version" O="$obj" ARCH=um M="$out/impl/host/kmod" modules >&2
echo "$out/impl/host/kmod/hlink.ko"
