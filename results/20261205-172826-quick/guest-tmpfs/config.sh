# guest-tmpfs: tmpfs inside the guest; the floor set by UML's own syscall cost.
CFG_DESC="tmpfs inside the guest (no host I/O at all)"
cfg_guest_mount() { echo 'mount -t tmpfs -o size=75% tmpfs "$HLINK_MNT"'; }
