# hlink.ko on a distribution kernel: built with Kbuild against Debian's own
# headers for its stock amd64 kernel, without warnings, then, in the TCG VM
# booted with that kernel (hlink-kmod-debian), loaded and driven by the
# same conformance suite and fuzz corpus as in test 060, with unload and
# the kernel log checked (tests/guest/kmod-host.sh). The smoke test of
# hlink-kmod-debian (run-tests.sh) runs the UML guest over it.
. "$(dirname "$0")/../lib.sh"
use_private_work
deb=$("$HLINK_ROOT/scripts/build/debian-kernel.sh" --path) || fail "Debian's kernel is not ready (make kmod-debian)"
abi=$(cat "$deb/abi")
kdir=/usr/src/linux-headers-$abi
[ -f "$kdir/Makefile" ] || fail "no Debian headers at $kdir (make setup)"
log=$HLINK_WORK/kbuild.log
rm -rf "$HLINK_ROOT/build/kmod-debian-test"
ko=$("$HLINK_ROOT/scripts/build/build-kmod.sh" --kdir "$kdir" debian-test 2>"$log") || fail "Kbuild: $(cat "$log")"
! grep -E 'warning:|error:' "$log" || fail "hlink.ko built against $kdir with warnings"
modinfo -F vermagic "$ko" | grep -q "^$abi " || fail "vermagic is not $abi: $(modinfo -F vermagic "$ko")"
echo "ok - hlink.ko built against Debian's $abi headers without warnings"
for b in hlink_conformance_plain hlink_fuzz_replay_plain; do
	[ -x "$HLINK_ROOT/build/$b" ] || fail "build/$b is not built (make tools)"
done
capture "$GUEST_RUN" -t 1200 -H hlink-kmod-debian -- bash -c '
	set -e
	uname -r
	rmmod hlink
	mkdir -p /var/tmp/conf && cd /var/tmp/conf
	HLINK_MNT=/var/tmp/conf "$1/tests/guest/kmod-host.sh" "$2" "$1/build/hlink_conformance_plain" \
		"$1/build/hlink_fuzz_replay_plain" "$1/build/fuzz-corpus"' bash "$HLINK_ROOT" "$ko"
echo "$out" | grep -v '^ok - ' | tail -n 20
echo "$out" | grep -c '^ok - ' | sed 's/$/ checks passed in the VM/'
[ "$rc" = 0 ] || fail "hlink.ko on Debian's kernel: status $rc"
grep -qx "$abi" <<<"$out" || fail "the VM did not run Debian's $abi"
grep -q "^ok - no kernel warning, BUG or oops" <<<"$out" || fail "the kernel log was not checked"
