# hlink-user-readdirplus: hlink-user mounted with readdirplus, so that a
# listing also caches every entry's handle and attributes and a stat after
# it asks the host nothing: what READDIR_PLUS gains and costs. Set
# "ablation", so make eval does not run it.
HLINKFS_OPTS=readdirplus
. "$HLINK_ROOT/baselines/hlink-user.sh"
CFG_DESC="hlinkfs + user-space host module, READDIR_PLUS on (readdirplus)"
CFG_SET=ablation
