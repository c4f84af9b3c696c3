# hlink-kmod-exclusive: hlink-kmod on an export hlink.ko's allowlist marks
# exclusive, mounted exclusive: directory operations and writeback written
# behind, performed by the VMM's worker thread through HLINK_IOC_BATCH. In
# the TCG VM, so a check that the path works, not a measure of its speed.
if [ "${HLINK_IN_VM:-0}" = 1 ]; then
	. "$HLINK_ROOT/baselines/hlink-kmod.sh"
	cfg_guest_mount() { echo "mount -t hlinkfs -o export=${export_from:-$RUN/export},host=kmod,exclusive none \"\$HLINK_MNT\""; }
else
	. "$HLINK_ROOT/scripts/run/vm-tcg.sh" && tcg_entry hlink-kmod-exclusive --kmod ,exclusive
fi
CFG_DESC="hlink-kmod on an exclusive export, write-behind, inside a TCG host VM (a check only)"
