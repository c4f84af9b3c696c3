# virtio-fs-always: virtio-fs with virtiofsd's cache=always: the guest keeps
# data and attributes as long as it likes (no other writer is assumed).
VIRTIOFS_CACHE=always
. "$HLINK_ROOT/baselines/virtio-fs.sh"
CFG_DESC="UML virtio-fs + QEMU's virtiofsd (cache=always)"
CFG_SET=virtio-fs-cache
