/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The request layer both host modules share: a request is taken apart and
 * checked here, once, for everything that needs no file system (header,
 * opcode, lengths, names, flags, reserved fields, ranges), so the user-space
 * module and hlink.ko answer a malformed request with the same error. Each
 * module then does only its file-system work on the decoded request.
 *
 * Built into the user-space module (libc) and into hlink.ko (kernel, with
 * HLINK_KERNEL defined: __KERNEL__ is set in UML's libc objects too), as
 * fs/smb/common serves both cifs and ksmbd.
 */
#ifndef HLINK_REQ_H
#define HLINK_REQ_H

#ifdef HLINK_KERNEL
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif
#include "hlink_abi.h"

/* An op's fixed part, copied out of the request so it is aligned. */
union hlink_req_in {
	struct hlink_hello_in hello;
	struct hlink_mount_in mount;
	struct hlink_umount_in umount;
	struct hlink_name_in name;
	struct hlink_forget_in forget;
	struct hlink_handle_in handle;
	struct hlink_setattr_in setattr;
	struct hlink_io_in io;
	struct hlink_create_in create;
	struct hlink_symlink_in symlink;
	struct hlink_link_in link;
	struct hlink_rename_in rename;
	struct hlink_readdir_in readdir;
	struct hlink_fsync_in fsync;
	struct hlink_fallocate_in fallocate;
	struct hlink_xattr_in xattr;
	struct hlink_lock_in lock;
};

struct hlink_req {
	struct hlink_req_hdr hdr;
	union hlink_req_in in;
	/*
	 * The op's name, NUL-terminated: the entry's (RENAME: the old one) or
	 * the extended attribute's.
	 */
	char name[HLINK_NAME_MAX + 1];
	char name2[HLINK_NAME_MAX + 1];	/* RENAME: the new name */
	/*
	 * MOUNT's path, SYMLINK's target, SETXATTR's value, in the request;
	 * paths and targets hold no NUL (and are not NUL-terminated). READ
	 * and WRITE with HLINK_IO_VEC: the checked pieces, which may be
	 * unaligned (copy each out).
	 */
	const char *data;
	__u32 data_len;
};

/* The op's name for traces ("LOOKUP"), or "?". */
const char *hlink_op_name(__u32 opcode);

/*
 * Decode and check the request in buf (len bytes) into r, for a reply of at
 * most rep_max bytes (its header included). hello_done says whether this
 * client has made its HELLO. Returns 0, or the -errno the reply carries:
 * -EINVAL malformed, -EOPNOTSUPP unknown op or xattr namespace, -EPROTO no
 * HELLO yet, -ERANGE reply too small or an xattr name over 255 bytes,
 * -ENAMETOOLONG a file name over 255 bytes, -EFBIG offset or size out of
 * range, -EPERM the ownership record's xattr name. r->hdr is filled whenever len
 * holds a header.
 */
int hlink_req_decode(struct hlink_req *r, const void *buf, size_t len, size_t rep_max,
		     bool hello_done);

#endif
