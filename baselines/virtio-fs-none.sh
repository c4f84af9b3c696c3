# virtio-fs-none: virtio-fs with virtiofsd's cache=none: the guest caches no
# data or attributes, every access asks the daemon.
VIRTIOFS_CACHE=none
. "$HLINK_ROOT/baselines/virtio-fs.sh"
CFG_DESC="UML virtio-fs + QEMU's virtiofsd (cache=none)"
CFG_SET=virtio-fs-cache
