# native: no VM; the workload runs on the host in a scratch directory.
CFG_DESC="no VM: the command runs on the host, in a scratch directory"
cfg_launch() { hlink_launch_host "$@"; }
