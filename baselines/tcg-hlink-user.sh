# tcg-hlink-user: hlink-user inside the same TCG host VM as hlink-kmod, so that
# hlink-kmod has baselines measured in the same kind of VM.
CFG_DESC="hlink-user inside the TCG host VM (compare with hlink-kmod only)"
. "$HLINK_ROOT/scripts/run/vm-tcg.sh" && tcg_entry hlink-user
