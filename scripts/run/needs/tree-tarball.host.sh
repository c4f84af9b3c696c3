#!/bin/bash
# Host side of "needs: tree-tarball": a plain tar, under tree/, of the Linux
# source directories the profile names (HLINK_TREE_DIRS, comma-separated:
# "fs" is about 2,100 files and 46 MiB, "fs,include" about 8,000 and 98
# MiB), made once from the kernel source in the cache. Prints the
# environment the workload gets.
set -euo pipefail
. "$(dirname "$0")/../../common.sh"
dirs=${HLINK_TREE_DIRS:-fs,include}
[[ $dirs =~ ^[a-z0-9_/]+(,[a-z0-9_/]+)*$ ]] || { echo "tree-tarball: bad HLINK_TREE_DIRS '$dirs'" >&2; exit 1; }
version=$(hlink_kernel_source_version) || { echo "$version"; exit 77; }
tarball=$HLINK_CACHE/tree-$version-${dirs//[,\/]/-}.tar
if [ ! -f "$tarball" ]; then
	src=$(hlink_kernel_source_tree "$version") || { echo "$src"; exit 77; }
	# shellcheck disable=SC2046
	tar -C "$src" --transform 's,^,tree/,' -cf "$tarball.tmp" $(tr , ' ' <<<"$dirs")
	mv "$tarball.tmp" "$tarball"
fi
echo "HLINK_TREE_TARBALL=$tarball"
