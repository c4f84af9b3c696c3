# hlink-user: hlinkfs, the high-level link, with the user-space host module
# linked into the UML binary (no host kernel module, no extra process).
CFG_DESC="hlinkfs + user-space host module (this work)"
# Extra hlinkfs mount options; a variant entry sets it before sourcing this.
HLINKFS_OPTS=${HLINKFS_OPTS:-}
cfg_guest_mount() { echo "mount -t hlinkfs -o export=$RUN/export,host=user${HLINKFS_OPTS:+,$HLINKFS_OPTS} none \"\$HLINK_MNT\""; }
# Only this run's export may be mounted: the host side's allowlist.
cfg_bootargs() { echo "hlinkfs.exports=$RUN/export"; }
