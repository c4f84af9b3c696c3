# hlink-user-exclusive: hlink-user on an export the host's allowlist marks
# exclusive: this guest is its only writer, so directory operations and
# writeback are written behind, queued for a host worker thread.
HLINKFS_OPTS=${HLINKFS_OPTS-exclusive}
. "$HLINK_ROOT/baselines/hlink-user.sh"
CFG_DESC="hlinkfs + user-space host module, exclusive export, write-behind (this work)"
cfg_bootargs() { echo "hlinkfs.exports=$RUN/export,exclusive"; }
