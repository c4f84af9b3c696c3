# virtio-fs: UML's virtio-fs driver with Debian's (QEMU's C) virtiofsd.
# That daemon offers no device config, so UML cannot read the tag; our
# vhost-user-tag-proxy answers the config request on the control socket and
# passes everything else, descriptors included, straight through.
CFG_DESC="UML virtio-fs + QEMU's virtiofsd (cache=auto), via a control-socket tag proxy"
# virtiofsd's cache mode; virtio-fs-none.sh and virtio-fs-always.sh set it.
VIRTIOFS_CACHE=${VIRTIOFS_CACHE:-auto}
virtiofsd_bin=/usr/lib/qemu/virtiofsd
proxy_bin=$HLINK_ROOT/build/vhost-user-tag-proxy
cfg_check() { hlink_need "$virtiofsd_bin" "$proxy_bin"; }
cfg_prepare() {
	hlink_spawn virtiofsd "$virtiofsd_bin" --socket-path="$RUN/virtiofsd.sock" \
		-o source="$RUN/export" -o cache="$VIRTIOFS_CACHE" -o sandbox=chroot -o xattr
	hlink_wait_socket virtiofsd "$RUN/virtiofsd.sock"
	hlink_spawn vu-proxy "$proxy_bin" "$RUN/vfs.sock" "$RUN/virtiofsd.sock" hlinkvfs
	hlink_wait_socket vu-proxy "$RUN/vfs.sock"
}
# Device id 26 is virtio-fs.
cfg_bootargs() { echo "virtio_uml.device=$RUN/vfs.sock:26"; }
cfg_guest_mount() { echo 'mount -t virtiofs hlinkvfs "$HLINK_MNT"'; }
