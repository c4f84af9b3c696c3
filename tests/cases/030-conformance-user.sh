# The ABI conformance suite against the user-space host module, natively,
# under AddressSanitizer and UndefinedBehaviorSanitizer, on an ext4 export,
# a tmpfs one (they reuse inode numbers differently), a btrfs one (with a
# subvolume inside: same inode numbers, another device) and an ext4 one with
# 128-byte inodes (times in whole seconds, no birth times); its escape
# attempts on ext4 get the outcomes recorded in tests/confinement/user.txt.
. "$(dirname "$0")/../lib.sh"
bin=$HLINK_ROOT/build/hlink_conformance
[ -x "$bin" ] || fail "$bin not built (make tools)"
export_dir=$(mktemp -d /var/tmp/hlink-conf.XXXXXX)
log=$(mktemp)
tmpfs=$(mktemp -d /var/tmp/hlink-conf-tmpfs.XXXXXX)
btrfs=$(mktemp -d /var/tmp/hlink-conf-btrfs.XXXXXX)
coarse=$(mktemp -d /var/tmp/hlink-conf-coarse.XXXXXX)
trap 'umount "$tmpfs" "$btrfs" "$coarse" 2>/dev/null; rm -rf "$export_dir" "$export_dir.outside" "$log" "$tmpfs" "$btrfs" "$btrfs.img" "$coarse" "$coarse.img"' EXIT
[ "$(stat -f -c %T "$export_dir")" = ext2/ext3 ] || echo "note: /var/tmp is $(stat -f -c %T "$export_dir"), not ext4"
"$bin" -t user "$export_dir" | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "conformance suite on $(stat -f -c %T "$export_dir")"
python3 "$HLINK_ROOT/scripts/analysis" confinement check user "$log" || fail "confinement outcomes changed"
mount -t tmpfs -o size=256m tmpfs "$tmpfs"
mkdir "$tmpfs/export"
"$bin" -t user "$tmpfs/export" >"$log" || fail "conformance suite on tmpfs: $(grep 'not ok' "$log")"
echo "tmpfs export: $(tail -1 "$log")"
require mkfs.btrfs
truncate -s 256m "$btrfs.img"
mkfs.btrfs -q "$btrfs.img" || fail "mkfs.btrfs"
mount -o loop "$btrfs.img" "$btrfs" || fail "cannot mount a btrfs image (loop)"
mkdir "$btrfs/export"
"$bin" -t user "$btrfs/export" >"$log" || fail "conformance suite on btrfs: $(grep 'not ok' "$log")"
grep -q "^ok - LOOKUP of a btrfs subvolume gives EXDEV" "$log" || fail "the btrfs subvolume check did not run"
echo "btrfs export: $(tail -1 "$log")"
truncate -s 256m "$coarse.img"
mkfs.ext4 -q -F -I 128 "$coarse.img" 2>/dev/null || fail "mkfs.ext4 -I 128"
mount -o loop "$coarse.img" "$coarse" || fail "cannot mount an ext4 image (loop)"
mkdir "$coarse/export"
"$bin" -t user "$coarse/export" >"$log" 2>/dev/null ||
	fail "conformance suite on ext4 with 128-byte inodes: $(grep 'not ok' "$log")"
grep -q "(times in whole seconds)" "$log" || fail "the 128-byte-inode export kept sub-second times"
echo "ext4 export with 128-byte inodes: $(tail -1 "$log")"
