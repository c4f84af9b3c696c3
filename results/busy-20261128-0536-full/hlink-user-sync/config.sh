# hlink-user-sync: hlink-user mounted with noasync, so that FSYNC runs on
# the UML kernel's own CPU and stops every guest process while the host
# syncs, as every call did before the worker threads: what they gain. Set
# "ablation", so make eval does not run it.
HLINKFS_OPTS=noasync
. "$HLINK_ROOT/baselines/hlink-user.sh"
CFG_DESC="hlinkfs + user-space host module, FSYNC on the guest's CPU (noasync)"
CFG_SET=ablation
