# tcg-native: the command runs directly in the TCG host VM, no UML: the
# physical limit of that VM, and where hlink.ko can be driven directly.
CFG_DESC="no UML: the command runs in the TCG host VM, with hlink.ko loaded"
. "$HLINK_ROOT/scripts/run/vm-tcg.sh" && tcg_entry native --kmod
