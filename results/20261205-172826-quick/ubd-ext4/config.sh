# ubd-ext4: ext4 on UML's block device over an image file (disk emulation).
CFG_DESC="ext4 on UML ubd, backed by a sparse image file"
cfg_check() { hlink_need mkfs.ext4; }
cfg_prepare() { hlink_make_ext4_image "$RUN/disk.img"; }
cfg_bootargs() { echo "ubd0=$RUN/disk.img"; }
cfg_guest_mount() { echo 'mount -t ext4 /dev/ubda "$HLINK_MNT"'; }
