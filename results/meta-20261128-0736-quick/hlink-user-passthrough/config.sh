# hlink-user-passthrough: hlink-user with the export's ownership model set to
# passthrough instead of the default mapped, to measure what mapping costs
# (make eval-ownership). Set "ownership", so make eval does not run it.
CFG_DESC="hlinkfs + user-space host module, ownership passthrough"
CFG_SET=ownership
cfg_guest_mount() { echo "mount -t hlinkfs -o export=$RUN/export,host=user none \"\$HLINK_MNT\""; }
cfg_bootargs() { echo "hlinkfs.exports=$RUN/export,passthrough"; }
