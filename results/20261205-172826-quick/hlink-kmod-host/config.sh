# hlink-kmod-host: the seed paper's deployment exactly: hlink.ko built with
# Kbuild against the running kernel's headers (/lib/modules/$(uname -r)/build,
# or HLINK_KMOD_KDIR), loaded into this host's own kernel, and the UML guest
# run directly on the host with hlinkfs host=kmod. Not run where the host
# kernel takes no modules or its headers are missing. HLINK_KMOD_KO names a
# module built already (test 062 loads one in the TCG VM's kernel).
CFG_DESC="hlinkfs + hlink.ko loaded into this host's kernel (the seed's deployment)"
cfg_check() {
	local kdir=${HLINK_KMOD_KDIR:-/lib/modules/$(uname -r)/build}
	hlink_need insmod rmmod || return
	if [ ! -e /proc/modules ]; then
		echo "this host's kernel ($(uname -r)) takes no modules (no /proc/modules)"
		return 1
	fi
	if [ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null || echo 0)" != 0 ]; then
		echo "module loading is disabled on this host (kernel.modules_disabled=1)"
		return 1
	fi
	if grep -q '^hlink ' /proc/modules; then
		echo "hlink.ko is already loaded on this host (by another run, or by hand: rmmod hlink)"
		return 1
	fi
	if [ -z "${HLINK_KMOD_KO:-}" ] && [ ! -f "$kdir/Makefile" ]; then
		echo "no kernel headers for $(uname -r) at $kdir (Debian: apt-get install linux-headers-$(uname -r))"
		return 1
	fi
	[ -z "${HLINK_KMOD_KO:-}" ] || [ -f "$HLINK_KMOD_KO" ] || {
		echo "HLINK_KMOD_KO=$HLINK_KMOD_KO: no such module"
		return 2
	}
}
cfg_prepare() {
	local ko=${HLINK_KMOD_KO:-} kdir=${HLINK_KMOD_KDIR:-/lib/modules/$(uname -r)/build}
	[ -n "$ko" ] || ko=$("$HLINK_ROOT/scripts/build-kmod.sh" --kdir "$kdir" "host-$(uname -r)") ||
		hlink_die "building hlink.ko against $kdir failed"
	insmod "$ko" exports="${export_from:-$RUN/export}" || hlink_die "insmod $ko failed"
	touch "$RUN/kmod-loaded"
}
cfg_guest_mount() { echo "mount -t hlinkfs -o export=${export_from:-$RUN/export},host=kmod none \"\$HLINK_MNT\""; }
# Unloaded once the guest is gone: it held /dev/hlink until then.
cfg_teardown() {
	[ -f "$RUN/kmod-loaded" ] || return 0
	rmmod hlink
}
