# hostfs: stock UML hostfs over a host directory.
CFG_DESC="stock UML hostfs over a host directory"
cfg_guest_mount() { echo "mount -t hostfs -o $RUN/export hostfs \"\$HLINK_MNT\""; }
