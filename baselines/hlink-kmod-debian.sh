# hlink-kmod-debian: hlink-kmod with Debian's stock amd64 kernel (the image
# linux-image-amd64 points at) as the host VM's kernel instead of the
# project's small one, and hlink.ko built with Kbuild against Debian's own
# headers for it (scripts/build/debian-kernel.sh, make kmod-debian): the module is
# not tied to a kernel of the project's configuration. Set "debian", so
# make eval-tcg does not run it; compare it with hlink-kmod, never with a
# configuration run directly.
CFG_DESC="hlinkfs + hlink.ko over ioctl, Debian's stock kernel in the TCG host VM"
if [ "${HLINK_IN_VM:-0}" = 1 ]; then
	. "$HLINK_ROOT/baselines/hlink-kmod.sh"
else
	TCG_KERNEL=debian
	. "$HLINK_ROOT/scripts/run/vm-tcg.sh" && tcg_entry hlink-kmod --kmod
	CFG_SET=debian
fi
