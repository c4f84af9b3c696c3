#!/bin/bash
# Host side of "needs: build-tarball": a plain tar, under src/, of what
# building libsubcmd takes from Debian's linux-source (tools/lib/subcmd and
# the tools/ headers and build rules it uses: about 370 files, 4 MiB), made
# once from the kernel source in the cache. Prints the environment the workload
# gets.
set -euo pipefail
. "$(dirname "$0")/../../common.sh"
version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	{ echo "not run: linux-source-6.1 is not installed"; exit 77; }
tarball=$HLINK_CACHE/build-src-subcmd-$version.tar
if [ ! -f "$tarball" ]; then
	src=$HLINK_CACHE/src/$version
	[ -d "$src/tools/lib/subcmd" ] || { echo "not run: no unpacked kernel source in $src (make kernel)"; exit 77; }
	tar -C "$src" --transform 's,^,src/,' --exclude='*.o' --exclude='*.a' --exclude='*.so*' \
		-cf "$tarball.tmp" tools/lib/subcmd tools/include tools/build tools/scripts \
		tools/arch/x86/include
	mv "$tarball.tmp" "$tarball"
fi
echo "HLINK_BUILD_TARBALL=$tarball"
