# virtio-blk: ext4 on virtio-blk through UML's virtio_uml and
# qemu-storage-daemon exporting the image as vhost-user-blk (paravirtualization).
CFG_DESC="ext4 on virtio-blk: virtio_uml + qemu-storage-daemon vhost-user-blk"
cfg_check() { hlink_need mkfs.ext4 qemu-storage-daemon; }
cfg_prepare() {
	hlink_make_ext4_image "$RUN/disk.img"
	hlink_spawn qsd qemu-storage-daemon \
		--blockdev "driver=file,node-name=file0,filename=$RUN/disk.img,cache.direct=off,aio=threads" \
		--blockdev driver=raw,node-name=disk0,file=file0 \
		--export "type=vhost-user-blk,id=exp0,node-name=disk0,writable=on,addr.type=unix,addr.path=$RUN/vblk.sock"
	hlink_wait_socket qsd "$RUN/vblk.sock"
}
# Device id 2 is virtio-blk.
cfg_bootargs() { echo "virtio_uml.device=$RUN/vblk.sock:2"; }
cfg_guest_mount() { echo 'mount -t ext4 /dev/vda "$HLINK_MNT"'; }
