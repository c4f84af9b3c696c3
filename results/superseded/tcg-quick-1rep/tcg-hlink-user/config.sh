# tcg-hlink-user: hlink-user inside the same TCG host VM as hlink-kmod, so that
# hlink-kmod has baselines measured in the same kind of VM.
CFG_DESC="hlink-user inside the TCG host VM (compare with hlink-kmod only)"
CFG_SMOKE_MIB=32
CFG_SET=tcg
. "$HLINK_ROOT/scripts/vm-tcg.sh"
cfg_check() { tcg_check; }
cfg_launch() { hlink_launch_tcg hlink-user "$@"; }
