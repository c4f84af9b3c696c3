# hlink-user-noreaddirplus: hlink-user mounted with noreaddirplus, so that
# a listing caches names only and each stat after it is one LOOKUP, as before
# ABI 1.4: what READDIR_PLUS gains and costs. Set "ablation", so make eval
# does not run it.
HLINKFS_OPTS=noreaddirplus
. "$HLINK_ROOT/baselines/hlink-user.sh"
CFG_DESC="hlinkfs + user-space host module, READDIR_PLUS off (noreaddirplus)"
CFG_SET=ablation
