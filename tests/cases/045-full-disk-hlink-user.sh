# A full disk and a failing disk under hlinkfs (hlink-user): the export is a
# small host file system mounted here and passed with guest-run
# --export-from. On an 8300 KiB tmpfs (with 512 inodes) and on a 16 MiB ext4
# image, tests/guest/full-disk.py fills the disk with buffered, O_DSYNC and
# fsynced writes, small files, creates, mkdirs, user.* xattrs and fallocate:
# every failure must be ENOSPC or EDQUOT, every file closed without an error
# must be whole on the host, and after deleting the guest must write and
# read back correctly. Then EIO: an ext4 image on a loop device cut short
# behind the file system's back (the host has no device-mapper, so no
# dm-error): a read of a file beyond the end, an fsync and an O_DSYNC write
# must fail with EIO, and the guest must then read what the host has.
. "$(dirname "$0")/../lib.sh"
require losetup mkfs.ext4 dumpe2fs filefrag
use_private_work
W=$HLINK_WORK
loops=()
cleanup() {
	local m d
	for m in "$W"/tmpfs "$W"/ext4 "$W"/eio; do
		mountpoint -q "$m" && umount "$m"
	done
	for d in "${loops[@]}"; do
		losetup -d "$d" || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

# usage: in_guest NAME DIR [ARG...]: full-disk.py on DIR as the export.
in_guest() {
	local name=$1 dir=$2
	shift 2
	echo "== $name"
	"$GUEST_RUN" -t 300 -e "$dir" hlink-user -- "$HLINK_ROOT/tests/guest/host-view.sh" \
		python3 "$HLINK_ROOT/tests/guest/full-disk.py" --host-view /tmp/host-view "$@" |
		tee "$W/$name.log"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "$name: a check failed in the guest"
	grep -q '^[1-9][0-9]* passed, 0 failed$' "$W/$name.log" || fail "$name: the guest checks did not all run"
}

# An ext4 image of SIZE on a loop device (left in $dev), mounted on DIR.
# usage: loop_ext4 DIR SIZE MKFS_OPTION...
loop_ext4() {
	local dir=$1 size=$2
	shift 2
	truncate -s "$size" "$dir.img"
	mkfs.ext4 -q -F -b 4096 -E nodiscard,lazy_itable_init=0 "$@" "$dir.img"
	dev=$(losetup -f --show "$dir.img") || fail "no loop device: losetup -f failed"
	loops+=("$dev")
	mkdir -p "$dir"
	mount "$dev" "$dir"
}

# The file the guest wrote after freeing space is on the host as it read it.
after_on_host() {
	local want
	want=$(sed -n 's/^full-sha256|after|//p' "$W/$1.log")
	[ -n "$want" ] && [ "$(sha256sum <"$2/after" | cut -d' ' -f1)" = "$want" ] ||
		fail "$1: the file written after freeing is not on the host as the guest read it"
}

# 1. A small tmpfs: its size (not a multiple of the 1 MiB the guest writes
# back at a time, so the last host write is short) and its inodes run out.
mkdir "$W/tmpfs"
mount -t tmpfs -o size=8300k,nr_inodes=512 tmpfs "$W/tmpfs" || fail "cannot mount a tmpfs"
in_guest tmpfs "$W/tmpfs"
after_on_host tmpfs "$W/tmpfs"

# 2. A small ext4 image (with its journal).
loop_ext4 "$W/ext4" 16M
in_guest ext4 "$W/ext4"
after_on_host ext4 "$W/ext4"

# 3. EIO: no journal and no flex_bg, so that the metadata sits at the
# start; 'good' and 'cold' are written, and the device is cut where the
# free space starts, before 'cold': reading 'cold' and writing anything new
# then fail in the host's block layer.
loop_ext4 "$W/eio" 64M -O ^has_journal,^flex_bg
dd if=/dev/urandom of="$W/eio/good" bs=1M count=8 conv=fsync status=none
dd if=/dev/urandom of="$W/eio/cold" bs=1M count=4 conv=fsync status=none
sync
extents() { filefrag -v "$1" | awk '$1 ~ /^[0-9]+:$/ { s = $4; e = $5; sub(/\.\./, "", s); sub(/:/, "", e); print s, e }'; }
good_end=$(extents "$W/eio/good" | awk '{ print $2 }' | sort -n | tail -1)
cold_start=$(extents "$W/eio/cold" | awk '{ print $1 }' | sort -n | head -1)
first_free=$(dumpe2fs "$dev" 2>/dev/null | sed -n 's/^  Free blocks: \([0-9]*\).*/\1/p' | head -1)
[ -n "$good_end" ] && [ -n "$cold_start" ] && [ -n "$first_free" ] || fail "cannot read the image's layout"
[ "$good_end" -lt "$first_free" ] && [ "$first_free" -le "$cold_start" ] ||
	fail "unexpected layout: good ends at $good_end, free space starts at $first_free, cold at $cold_start"
dd if="$W/eio/cold" iflag=nocache count=0 status=none
truncate -s $((first_free * 4096)) "$W/eio.img"
losetup -c "$dev"
[ "$(blockdev --getsize64 "$dev")" = $((first_free * 4096)) ] || fail "the loop device did not shrink"
echo "eio: device cut at block $first_free (cold starts at $cold_start)"
in_guest eio "$W/eio" --eio
