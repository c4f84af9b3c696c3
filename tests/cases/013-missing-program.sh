# A program that setup installs, missing, is a failure of the run (status 78,
# naming the program), not a "not run", and nothing is created.
. "$(dirname "$0")/../lib.sh"
use_private_work
bin=$HLINK_WORK/bin
mkdir -p "$bin"
for d in /usr/local/bin /usr/bin /usr/sbin /bin /sbin; do
	for p in "$d"/*; do
		n=${p##*/}
		[ -e "$bin/$n" ] || [ "$n" = qemu-storage-daemon ] || ln -s "$p" "$bin/$n"
	done
done
capture env PATH="$bin" "$GUEST_RUN" virtio-blk -- true
[ "$rc" = 78 ] || fail "exit status $rc, want 78: $out"
grep -q "missing program: qemu-storage-daemon" <<<"$out" || fail "the program is not named: $out"
[ -z "$(find "$HLINK_WORK" -maxdepth 1 -name 'run.*')" ] || fail "a state directory was created"
echo "missing program: status 78, named, nothing created"
