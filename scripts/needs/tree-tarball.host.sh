#!/bin/bash
# Host side of "needs: tree-tarball": a plain tar of the Linux fs/ and
# include/ trees under tree/, made once from the kernel source in the cache.
# Prints the environment the workload gets.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	{ echo "not run: linux-source-6.1 is not installed"; exit 77; }
tarball=$HLINK_CACHE/tree-$version.tar
if [ ! -f "$tarball" ]; then
	src=$HLINK_CACHE/src/$version
	[ -d "$src/fs" ] || { echo "not run: no unpacked kernel source in $src (make kernel)"; exit 77; }
	tar -C "$src" --transform 's,^,tree/,' -cf "$tarball.tmp" fs include
	mv "$tarball.tmp" "$tarball"
fi
echo "HLINK_TREE_TARBALL=$tarball"
