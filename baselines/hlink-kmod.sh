# hlink-kmod: hlinkfs with host=kmod, the seed paper's configuration: the host
# module is hlink.ko in a real host kernel, reached by ioctl. This machine's
# kernel takes no modules, so the host is our x86_64 kernel in a TCG VM and
# the UML guest runs inside it (scripts/run/vm-tcg.sh). Compare it only with the
# tcg-* configurations, which run in the same kind of VM.
CFG_DESC="hlinkfs + hlink.ko over ioctl, inside a TCG host VM (the paper's form)"
if [ "${HLINK_IN_VM:-0}" = 1 ]; then
	# Inside the VM: the UML guest mounts hlinkfs with host=kmod.
	CFG_SET=tcg
	cfg_check() { [ -c /dev/hlink ] || { echo "no /dev/hlink: hlink.ko is not loaded"; return 2; }; }
	# A shared directory (--export-from) is mounted by its own name: hlink.ko
	# allows only directories on the mounts it resolved at load, and the bind
	# mount over $RUN/export is another mount.
	cfg_guest_mount() { echo "mount -t hlinkfs -o export=${export_from:-$RUN/export},host=kmod none \"\$HLINK_MNT\""; }
else
	. "$HLINK_ROOT/scripts/run/vm-tcg.sh" && tcg_entry hlink-kmod --kmod
fi
