#!/bin/bash
# Host side of "needs: git-bundle": a git bundle of a repository made once
# from Debian's linux-source: commit 1 holds fs/'s own files and fs/ext4,
# btrfs, xfs, nfs, fuse and proc (about 610 files), commit 2 adds net/ipv4
# (137) and changes every C file of fs/ext4, commit 3 removes fs/btrfs
# (113); HEAD is commit 3 and tag "first" names commit 1. Prints the
# environment the workload gets.
set -euo pipefail
. "$(dirname "$0")/../../common.sh"
version=$(hlink_kernel_source_version) || { echo "$version"; exit 77; }
bundle=$HLINK_CACHE/git-fs-subset-$version.bundle
if [ ! -f "$bundle" ]; then
	src=$(hlink_kernel_source_tree "$version") || { echo "$src"; exit 77; }
	repo=$(mktemp -d "$HLINK_CACHE/.git-repo.XXXXXX")
	trap 'rm -rf "$repo"' EXIT
	g() { git -C "$repo" -c user.name=hlink -c user.email=hlink@localhost -c commit.gpgsign=false "$@"; }
	g init -q -b main
	mkdir "$repo/fs"
	cp "$src"/fs/*.[ch] "$src"/fs/Kconfig* "$src"/fs/Makefile "$repo/fs/"
	cp -r "$src"/fs/{ext4,btrfs,xfs,nfs,fuse,proc} "$repo/fs/"
	g add -A && g commit -q -m "fs" && g tag first
	mkdir -p "$repo/net" && cp -r "$src/net/ipv4" "$repo/net/"
	for f in "$repo"/fs/ext4/*.c; do echo "/* changed */" >>"$f"; done
	g add -A && g commit -q -m "net/ipv4; fs/ext4 changed"
	g rm -q -r fs/btrfs && g commit -q -m "no fs/btrfs"
	g bundle create -q "$bundle.tmp" --all
	mv "$bundle.tmp" "$bundle"
fi
echo "HLINK_GIT_BUNDLE=$bundle"
