# The ABI conformance suite against the user-space host module, natively,
# under AddressSanitizer and UndefinedBehaviorSanitizer, on an ext4 export,
# a tmpfs one (they reuse inode numbers differently) and a btrfs one (with a
# subvolume inside: same inode numbers, another device); its escape
# attempts on ext4 get the outcomes recorded in tests/confinement/user.txt.
. "$(dirname "$0")/../lib.sh"
bin=$HLINK_ROOT/build/hlink_conformance
[ -x "$bin" ] || fail "$bin not built (make tools)"
export_dir=$(mktemp -d /var/tmp/hlink-conf.XXXXXX)
log=$(mktemp)
tmpfs=$(mktemp -d /var/tmp/hlink-conf-tmpfs.XXXXXX)
btrfs=$(mktemp -d /var/tmp/hlink-conf-btrfs.XXXXXX)
trap 'umount "$tmpfs" "$btrfs" 2>/dev/null; rm -rf "$export_dir" "$export_dir.outside" "$log" "$tmpfs" "$btrfs" "$btrfs.img"' EXIT
[ "$(stat -f -c %T "$export_dir")" = ext2/ext3 ] || echo "note: /var/tmp is $(stat -f -c %T "$export_dir"), not ext4"
"$bin" -t user "$export_dir" | tee "$log"
[ "${PIPESTATUS[0]}" = 0 ] || fail "conformance suite on $(stat -f -c %T "$export_dir")"
python3 "$HLINK_ROOT/scripts/confinement.py" check user "$log" || fail "confinement outcomes changed"
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
