#!/bin/bash
# Host side of "needs: build-tarball": a plain tar, under src/, of what
# building libsubcmd takes from Debian's linux-source (tools/lib/subcmd and
# the tools/ headers and build rules it uses: about 370 files, 4 MiB), made
# once from the kernel source in the cache. Prints the environment the workload
# gets.
set -euo pipefail
. "$(dirname "$0")/../../common.sh"
version=$(hlink_kernel_source_version) || { echo "$version"; exit 77; }
tarball=$HLINK_CACHE/build-src-subcmd-$version.tar
if [ ! -f "$tarball" ]; then
	src=$(hlink_kernel_source_tree "$version") || { echo "$src"; exit 77; }
	tar -C "$src" --transform 's,^,src/,' --exclude='*.o' --exclude='*.a' --exclude='*.so*' \
		-cf "$tarball.tmp" tools/lib/subcmd tools/include tools/build tools/scripts \
		tools/arch/x86/include
	mv "$tarball.tmp" "$tarball"
fi
echo "HLINK_BUILD_TARBALL=$tarball"
