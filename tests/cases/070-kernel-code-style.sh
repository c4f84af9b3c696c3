# Kernel code (and the request layer hlink.ko shares) is clean under the
# kernel's checkpatch.pl --strict, and hlink.ko under sparse (make C=2)
# against the x86_64 host kernel.
. "$(dirname "$0")/../lib.sh"
require sparse
version=$(dpkg-query -W -f='${Version}' linux-source-6.1) || fail "linux-source-6.1 is not installed (scripts/build/setup.sh installs it)"
src=$HLINK_CACHE/src/$version
[ -x "$src/scripts/checkpatch.pl" ] || fail "no unpacked kernel source in $src (make kernel unpacks it)"
cd "$HLINK_ROOT"
for f in impl/host/kmod/*.[ch] impl/common/*.[ch] impl/common/*.def impl/guest/hlinkfs/hlinkfs_kern.c; do
	[ -f "$f" ] || continue
	# Its status is not the verdict: a failure must still say what it found.
	out=$("$src/scripts/checkpatch.pl" --no-tree --strict -q -f "$HLINK_ROOT/$f") || true
	[ -z "$out" ] || fail "checkpatch --strict on $f: $out"
	echo "checkpatch --strict: $f clean"
done
"$HLINK_ROOT/scripts/build/build-kmod.sh" --arch x86_64 >/dev/null 2>&1 || fail "hlink.ko does not build for x86_64"
obj=$HLINK_CACHE/build/x86_64-$version-$(sha256sum <"$HLINK_ROOT/impl/host/kmod/x86_64-host.config" | cut -c1-16)
out=$(make -C "$src" O="$obj" ARCH=x86_64 M="$HLINK_ROOT/build/kmod-x86_64/impl/host/kmod" C=2 modules 2>&1)
for f in hlink_main.c hlink_table.c hlink_ops.c hlink_req.c hlink_owner.c; do
	grep -q "CHECK.*$f" <<<"$out" || fail "sparse did not run on $f: $out"
done
if grep -E 'warning|error' <<<"$out"; then
	fail "sparse reported problems"
fi
echo "sparse: hlink.ko's files and the request layer clean"
