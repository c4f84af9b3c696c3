#!/bin/sh
# Inside a guest on hlinkfs: the escape attempts again, from a mount
# namespace that holds nothing but the hlinkfs mount and the static
# hlink_raw (the harness's guests otherwise see the host's / through
# hostfs). The host side planted the symlinks and checks the canary.
# usage: confine-sealed.sh RAW_PROGRAM CANARY_HOST_PATH
set -eu
raw=$1 canary=$2
export_dir=$(awk -v m="$HLINK_MNT" '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | sed -n 's/^export=//p')
# A host file outside the export, for forged handles: its number, read now.
ino=$(stat -c %i /etc/passwd)
exec unshare -m --propagation private sh -c '
	set -e
	mkdir -p /tmp/sealed
	mount -t tmpfs -o size=16m sealed /tmp/sealed
	mkdir /tmp/sealed/mnt /tmp/sealed/old
	cp "$1" /tmp/sealed/hlink_raw
	mount --bind "$HLINK_MNT" /tmp/sealed/mnt
	cd /tmp/sealed
	pivot_root . old
	exec /hlink_raw --sealed /mnt "$2" "$3" "$4"
' sh "$raw" "$export_dir" "$canary" "$ino"
