#!/bin/sh
# Inside a guest: mount the host directory behind $HLINK_MNT a second time,
# through stock hostfs, at /tmp/host-view, then run "$@". Changes made there
# are made on the host side, behind the file system under test.
set -e
export_dir=$(awk -v m="$HLINK_MNT" '$2 == m { print $4 }' /proc/mounts |
	tr ',' '\n' | sed -n 's/^export=//p; /^\//p' | head -n 1)
[ -n "$export_dir" ] || { echo "host-view: no host directory behind $HLINK_MNT" >&2; exit 2; }
mkdir -p /tmp/host-view
mount -t hostfs -o "$export_dir" hostfs /tmp/host-view
"$@"
