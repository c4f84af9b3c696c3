# hlink-user-copy: hlink-user mounted with nozerocopy, so that readahead,
# writeback and O_DIRECT copy the guest's pages through a buffer of the
# mount's own, as hlinkfs did before READ and WRITE took the pages
# themselves (ABI 1.5): what the copy costs. Set "ablation", so make eval
# does not run it.
HLINKFS_OPTS=nozerocopy
. "$HLINK_ROOT/baselines/hlink-user.sh"
CFG_DESC="hlinkfs + user-space host module, guest pages copied through a buffer (nozerocopy)"
CFG_SET=ablation
