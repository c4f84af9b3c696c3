# hlink-kmod-host, the seed's deployment (hlink.ko in the host's own kernel,
# UML on the host): on a host that takes no modules it is "not run" with
# the reason; then the same entry runs where a kernel takes modules, the TCG
# VM's: hlink.ko built with Kbuild against that kernel's build tree (as
# against /lib/modules/$(uname -r)/build), loaded by the entry, the smoke
# test through it, and unloaded after.
. "$(dirname "$0")/../lib.sh"
use_private_work
capture "$GUEST_RUN" -t 300 hlink-kmod-host -- true
if [ -e /proc/modules ]; then
	echo "this host takes modules: the entry runs here (status $rc)"
	[ "$rc" = 0 ] || [ "$rc" = 77 ] || fail "hlink-kmod-host on this host: status $rc: $out"
else
	[ "$rc" = 77 ] && grep -q "not run: hlink-kmod-host: this host's kernel .* takes no modules" <<<"$out" ||
		fail "a host without modules: status $rc: $out"
	echo "this host: $(grep 'not run' <<<"$out")"
fi
# The object tree build-kmod.sh uses for --arch x86_64: a Kbuild tree.
kdir=$(ls -d "$HLINK_CACHE"/build/x86_64-* | while read -r d; do
	cmp -s "$d/.config" "$("$HLINK_ROOT/scripts/build/build-kernel.sh" --arch x86_64 --path).config" && echo "$d"; done | head -n1)
[ -n "$kdir" ] || fail "no object tree of the TCG VM's kernel in $HLINK_CACHE/build"
ko=$("$HLINK_ROOT/scripts/build/build-kmod.sh" --kdir "$kdir" kdir-test) || fail "Kbuild against $kdir failed"
capture "$GUEST_RUN" -t 900 -H tcg-hostfs -- bash -c '
	grep -q "^hlink " /proc/modules && { echo "hlink.ko loaded before the run"; exit 1; }
	HLINK_KMOD_KO=$1 "$2/scripts/run/guest-run" -k "$HLINK_KERNEL" hlink-kmod-host -- \
		env SMOKE_BIG_MIB=32 "$2/tests/smoke.sh" || exit
	! grep -q "^hlink " /proc/modules || { echo "hlink.ko still loaded after the run"; exit 1; }
	echo "unloaded after the run"' bash "$ko" "$HLINK_ROOT"
echo "$out"
[ "$rc" = 0 ] || fail "hlink-kmod-host in the TCG VM: status $rc"
grep -q "smoke: all checks passed on hlink-kmod-host" <<<"$out" && grep -q "unloaded after the run" <<<"$out" ||
	fail "the smoke test or the unload did not happen"
