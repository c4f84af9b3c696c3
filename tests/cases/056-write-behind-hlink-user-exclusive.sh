# Write-behind on an exclusive export (hlink-user-exclusive): the POSIX
# checks and the exerciser; creates the host refuses (a tmpfs out of
# inodes) and an export that fails (ext4 shut down: EIO) reported at
# syncfs and fsync, with the guest's view corrected to the host's; the
# VMM killed with calls queued leaves an unbroken prefix of them on the
# host; and a second guest may not mount the export while one holds it.
. "$(dirname "$0")/../lib.sh"
require losetup mkfs.ext4
use_private_work
W=$HLINK_WORK
dev=
cleanup() {
	local m
	for m in "$W"/tmpfs "$W"/ext4; do
		mountpoint -q "$m" && umount "$m"
	done
	[ -z "$dev" ] || losetup -d "$dev" || true
	rm -rf "$W"
}
trap cleanup EXIT
wb=$HLINK_ROOT/tests/guest/write-behind.py

echo "== POSIX checks"
capture "$GUEST_RUN" -t 600 hlink-user-exclusive -- "$HLINK_ROOT/tests/guest/host-view.sh" \
	python3 "$HLINK_ROOT/tests/guest/posix.py" --host-view /tmp/host-view
echo "$out" | grep -v '^ok'
[ "$rc" = 0 ] || fail "a POSIX check failed on the exclusive export"
grep -q '^[1-9][0-9]* passed, 0 failed$' <<<"$out" || fail "the POSIX checks did not all run"

echo "== exerciser"
capture "$GUEST_RUN" -t 600 hlink-user-exclusive -- python3 "$HLINK_ROOT/tests/guest/fsx.py" -n 20000
tail -1 <<<"$out"
[ "$rc" = 0 ] || fail "the exerciser failed on the exclusive export: $(tail -5 <<<"$out")"

echo "== creates the host refuses (tmpfs with 256 inodes)"
mkdir "$W/tmpfs"
mount -t tmpfs -o size=64m,nr_inodes=256 tmpfs "$W/tmpfs"
capture "$GUEST_RUN" -t 300 -e "$W/tmpfs" hlink-user-exclusive -- \
	"$HLINK_ROOT/tests/guest/host-view.sh" python3 "$wb" --host-view /tmp/host-view --faults
echo "$out" | grep -E '^(ok|not ok|[0-9]+ passed)'
[ "$rc" = 0 ] && grep -q '^[1-9][0-9]* passed, 0 failed$' <<<"$out" || fail "ENOSPC checks"

echo "== an export that fails (ext4 shut down)"
truncate -s 64M "$W/ext4.img"
mkfs.ext4 -q -F "$W/ext4.img"
dev=$(losetup -f --show "$W/ext4.img")
mkdir "$W/ext4" "$W/res"
mount "$dev" "$W/ext4"
"$GUEST_RUN" -t 300 -r "$W/res" -e "$W/ext4" hlink-user-exclusive -- \
	"$HLINK_ROOT/tests/guest/host-view.sh" python3 "$wb" --host-view /tmp/host-view --eio \
	>"$W/eio.log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
	[ -f "$W/res/ready" ] && break
	sleep 0.1
done
[ -f "$W/res/ready" ] || { wait $pid || true; fail "the guest never got ready: $(tail -5 "$W/eio.log")"; }
# EXT4_IOC_SHUTDOWN, EXT4_GOING_FLAGS_NOLOGFLUSH: every call on it fails with EIO from now on.
python3 - "$W/ext4" <<'PY' || fail "cannot shut the ext4 export down"
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0x8004587d, struct.pack("I", 2))
PY
touch "$W/res/go"
set +e; wait $pid; rc=$?; set -e
grep -E '^(ok|not ok|[0-9]+ passed)' "$W/eio.log"
[ "$rc" = 0 ] && grep -q '^[1-9][0-9]* passed, 0 failed$' "$W/eio.log" || fail "EIO checks: $(tail -5 "$W/eio.log")"
umount "$W/ext4"

echo "== the VMM killed with calls queued"
mkdir -p "$W/crash" "$W/cres"
"$GUEST_RUN" --keep -r "$W/cres" -e "$W/crash" hlink-user-exclusive -- python3 "$wb" --crash \
	>"$W/crash.log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
	[ -f "$W/cres/made" ] && [ "$(wc -l <"$W/cres/made")" -ge 20 ] && break
	sleep 0.1
done
uml=$(pgrep -o -f "uml_dir=$HLINK_WORK/") || fail "no UML process found: $(cat "$W/crash.log")"
kill -KILL "$uml"
set +e; wait $pid; set -e
read -r made queued < <(tail -1 "$W/cres/made")
python3 - "$W/crash" "$made" "$queued" <<'PY' || fail "the host holds a queued call without one before it"
import os, sys
d, made, queued = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = sorted(n for n in os.listdir(d) if n.startswith("c"))
n = len(names)
if names != ["c%06d" % i for i in range(n)]:
    gaps = [i for i in range(n) if "c%06d" % i not in names][:5]
    sys.exit(f"not a prefix: {n} files, first missing {gaps}")
short = [i for i in range(n - 1) if open(os.path.join(d, "c%06d" % i), "rb").read() != b"%d\n" % i]
if short:
    sys.exit(f"files before the last one lack their data: {short[:5]}")
print(f"the guest had made at least {made} files, with {queued} calls queued; the host "
      f"holds the first {n}, in order, each before the last with its data")
PY

echo "== a second guest on the export"
mkdir -p "$W/shared" "$W/sres"
"$GUEST_RUN" -t 300 -r "$W/sres" -e "$W/shared" hlink-user-exclusive -- \
	sh -c 'touch "$HLINK_RESULTS/up"; while [ ! -f "$HLINK_RESULTS/down" ]; do sleep 0.2; done' \
	>"$W/first.log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
	[ -f "$W/sres/up" ] && break
	sleep 0.1
done
[ -f "$W/sres/up" ] || fail "the first guest did not mount: $(tail -5 "$W/first.log")"
for opts in exclusive ""; do
	capture env HLINKFS_OPTS="$opts" "$GUEST_RUN" -t 120 -l "$W/second.log" -e "$W/shared" \
		hlink-user-exclusive -- true
	[ "$rc" != 0 ] || fail "a second guest mounted the export (options '$opts') while the first held it"
	grep -q "cannot export .*: -16" "$W/second.log" ||
		fail "the second guest's mount (options '$opts') failed otherwise than EBUSY: $(grep hlinkfs "$W/second.log" | tail -3)"
	echo "second guest, mount options '$opts': EBUSY"
done
touch "$W/sres/down"
wait $pid || fail "the first guest failed: $(tail -5 "$W/first.log")"
capture "$GUEST_RUN" -t 120 -e "$W/shared" hlink-user-exclusive -- true
[ "$rc" = 0 ] || fail "the export stayed locked after its guest went: $out"
echo "after the first guest went, another mounts it"
