# tcg-native: the command runs directly in the TCG host VM, no UML: the
# physical limit of that VM, and where hlink.ko can be driven directly.
CFG_DESC="no UML: the command runs in the TCG host VM, with hlink.ko loaded"
CFG_SMOKE_MIB=32
CFG_SET=tcg
. "$HLINK_ROOT/scripts/vm-tcg.sh"
TCG_NEEDS_KMOD=1
cfg_check() { tcg_check; }
cfg_launch() { hlink_launch_tcg native "$@"; }
