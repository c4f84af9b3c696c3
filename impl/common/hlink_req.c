// SPDX-License-Identifier: GPL-2.0
/*
 * The request layer both host modules share (hlink_req.h). Order of checks,
 * the same for every op: header, opcode, HELLO first, fixed part, the op's
 * own fields and variable data, then room for the reply.
 */
#ifdef HLINK_KERNEL
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/falloc.h>
#include <linux/kernel.h>
#include <linux/stat.h>
#include <linux/string.h>
#include <linux/xattr.h>
#else
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <linux/falloc.h>
#endif
#include "hlink_req.h"
#include "hlink_owner.h"

#define HLINK_S64_MAX ((__u64)~0ULL >> 1)

struct hlink_op_desc {
	const char *name;
	__u32 in_size;		/* the fixed part after the header */
	__u32 rep_size;		/* reply bytes after the reply header, at least */
	int (*check)(struct hlink_req *r, const char *var, size_t var_len);
};

/*
 * Take len bytes at var + *pos into buf, NUL-terminated: not empty, not
 * over HLINK_NAME_MAX, within the data, no NUL.
 */
static int take_text(const char *var, size_t var_len, size_t *pos, __u32 len, char *buf)
{
	if (len == 0 || len > var_len - *pos)
		return -EINVAL;
	if (len > HLINK_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(buf, var + *pos, len);
	buf[len] = '\0';
	*pos += len;
	return strlen(buf) == len ? 0 : -EINVAL;
}

/* A file name: as take_text, no '/', and '.' or '..' only when dots is set. */
static int take_name(const char *var, size_t var_len, size_t *pos, __u32 len, char *buf,
		     bool dots)
{
	int err = take_text(var, var_len, pos, len, buf);

	if (err || memchr(buf, '/', len))
		return err ? err : -EINVAL;
	if (!dots && (!strcmp(buf, ".") || !strcmp(buf, "..")))
		return -EINVAL;
	return 0;
}

/*
 * An extended attribute's name: only user.* reaches the host (trusted.* and
 * security.* would let a guest plant host-side privileges, such as file
 * capabilities, in the export).
 */
static int take_xattr_name(const char *var, size_t var_len, size_t *pos, __u32 len, char *buf)
{
	int err = take_text(var, var_len, pos, len, buf);

	if (err)
		return err == -ENAMETOOLONG ? -ERANGE : err;	/* as setxattr(2) */
	if (strncmp(buf, "user.", 5) || len == 5)
		return -EOPNOTSUPP;
	/* The ownership record's name (hlink_owner.h) is the host module's. */
	if (!strncmp(buf, HLINK_OWNER_XATTR_RESERVED, strlen(HLINK_OWNER_XATTR_RESERVED)))
		return -EPERM;
	return 0;
}

/* A path or symlink target: the rest of the data, not empty, no NUL. */
static int take_path(struct hlink_req *r, const char *var, size_t var_len, size_t pos, __u32 len)
{
	if (len == 0 || len > HLINK_PATH_MAX || len != var_len - pos ||
	    memchr(var + pos, '\0', len))
		return -EINVAL;
	r->data = var + pos;
	r->data_len = len;
	return 0;
}

/* (u32)-1 is no id: chown(2)'s "leave unchanged", and invalid in the kernel. */
static bool valid_ids(__u32 uid, __u32 gid)
{
	return uid != (__u32)-1 && gid != (__u32)-1;
}

static int name_only(struct hlink_req *r, const char *var, size_t var_len, __u32 len, bool dots)
{
	size_t pos = 0;
	int err = take_name(var, var_len, &pos, len, r->name, dots);

	return err ? err : pos == var_len ? 0 : -EINVAL;
}

static int no_data(struct hlink_req *r, const char *var, size_t var_len)
{
	(void)r;
	(void)var;
	return var_len ? -EINVAL : 0;
}

static int check_mount(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_mount_in *in = &r->in.mount;

	if ((in->flags & ~HLINK_MOUNT_EXCLUSIVE) || take_path(r, var, var_len, 0, in->path_len) ||
	    var[0] != '/')
		return -EINVAL;
	return 0;
}

static int check_umount(struct hlink_req *r, const char *var, size_t var_len)
{
	return r->in.umount.padding ? -EINVAL : no_data(r, var, var_len);
}

static int check_lookup(struct hlink_req *r, const char *var, size_t var_len)
{
	if (r->in.name.flags)
		return -EINVAL;
	return name_only(r, var, var_len, r->in.name.name_len, true);
}

static int check_remove(struct hlink_req *r, const char *var, size_t var_len)
{
	__u32 allowed = r->hdr.opcode == HLINK_OP_UNLINK ? HLINK_UNLINK_UNUSED : 0;

	if (r->in.name.flags & ~allowed)
		return -EINVAL;
	return name_only(r, var, var_len, r->in.name.name_len, false);
}

static int check_forget(struct hlink_req *r, const char *var, size_t var_len)
{
	return r->in.forget.nlookup == 0 ? -EINVAL : no_data(r, var, var_len);
}

static int check_setattr(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_setattr_in *in = &r->in.setattr;

	if (in->valid & ~HLINK_SETATTR_ALL)
		return -EINVAL;
	if ((in->valid & HLINK_SETATTR_MODE) && (in->mode & ~07777U))
		return -EINVAL;
	if ((in->valid & HLINK_SETATTR_SIZE) && in->size > HLINK_S64_MAX)
		return -EFBIG;
	if (in->atime_nsec >= 1000000000U || in->mtime_nsec >= 1000000000U)
		return -EINVAL;
	if (!valid_ids(in->valid & HLINK_SETATTR_UID ? in->uid : 0,
		       in->valid & HLINK_SETATTR_GID ? in->gid : 0))
		return -EINVAL;
	return no_data(r, var, var_len);
}

/* HLINK_IO_VEC's pieces: whole, none empty or null, adding up to len exactly. */
static int take_segs(struct hlink_req *r, const char *var, size_t var_len)
{
	size_t k, n = var_len / sizeof(struct hlink_iovec);
	__u64 sum = 0;

	if (r->in.io.buf || n == 0 || n > HLINK_IO_SEGS_MAX ||
	    var_len % sizeof(struct hlink_iovec))
		return -EINVAL;
	for (k = 0; k < n; k++) {
		struct hlink_iovec s;

		memcpy(&s, var + k * sizeof(s), sizeof(s));
		if (!s.base || !s.len || s.len > HLINK_IO_MAX || s.base > ~(__u64)0 - s.len)
			return -EINVAL;
		sum += s.len;
	}
	if (sum != r->in.io.len)
		return -EINVAL;
	r->data = var;
	r->data_len = (__u32)var_len;
	return 0;
}

static int check_io(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_io_in *in = &r->in.io;
	bool write = r->hdr.opcode == HLINK_OP_WRITE;

	if (in->len > HLINK_IO_MAX ||
	    (in->flags & ~(HLINK_IO_WANT_ATTR | HLINK_IO_WANT_PRE | HLINK_IO_VEC |
			   HLINK_IO_DIRECT)) ||
	    (!(in->flags & HLINK_IO_VEC) && in->len && !in->buf) ||
	    ((in->flags & HLINK_IO_WANT_PRE) && (!write || !(in->flags & HLINK_IO_WANT_ATTR))))
		return -EINVAL;
	if (in->offset > HLINK_S64_MAX - in->len)
		return -EFBIG;
	if (in->flags & HLINK_IO_VEC)
		return take_segs(r, var, var_len);
	return no_data(r, var, var_len);
}

/* CREATE, MKDIR and MKNOD: the type each may make, then the common rules. */
static int check_create(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_create_in *in = &r->in.create;
	__u32 type = in->mode & S_IFMT;

	switch (r->hdr.opcode) {
	case HLINK_OP_CREATE:
		if ((in->flags & ~(HLINK_CREATE_EXCL | HLINK_CREATE_OPEN)) || type != S_IFREG)
			return -EINVAL;
		break;
	case HLINK_OP_MKDIR:
		if (in->flags || (type && type != S_IFDIR))
			return -EINVAL;
		break;
	default:
		/* Device nodes are checked against the export's model (hlink_owner.c). */
		if (in->flags || (type != S_IFIFO && type != S_IFSOCK && type != S_IFREG &&
				  type != S_IFCHR && type != S_IFBLK))
			return -EINVAL;
	}
	/* Device numbers only for device nodes, and within what dev_t holds. */
	if ((type != S_IFCHR && type != S_IFBLK && (in->rdev_major || in->rdev_minor)) ||
	    in->rdev_major >= (1U << 12) || in->rdev_minor >= (1U << 20))
		return -EINVAL;
	if ((in->mode & ~(S_IFMT | 07777U)) || in->padding || !valid_ids(in->uid, in->gid))
		return -EINVAL;
	return name_only(r, var, var_len, in->name_len, false);
}

static int check_symlink(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_symlink_in *in = &r->in.symlink;
	size_t pos = 0;
	int err = valid_ids(in->uid, in->gid) ? 0 : -EINVAL;

	if (!err)
		err = take_name(var, var_len, &pos, in->name_len, r->name, false);

	/* The target is stored as text; the host never follows it. */
	return err ? err : take_path(r, var, var_len, pos, in->target_len);
}

static int check_link(struct hlink_req *r, const char *var, size_t var_len)
{
	if (r->in.link.padding)
		return -EINVAL;
	return name_only(r, var, var_len, r->in.link.name_len, false);
}

static int check_rename(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_rename_in *in = &r->in.rename;
	size_t pos = 0;
	int err;

	if (in->padding || (in->flags & ~(HLINK_RENAME_NOREPLACE | HLINK_RENAME_EXCHANGE)) ||
	    in->flags == (HLINK_RENAME_NOREPLACE | HLINK_RENAME_EXCHANGE))
		return -EINVAL;
	err = take_name(var, var_len, &pos, in->old_len, r->name, false);
	if (!err)
		err = take_name(var, var_len, &pos, in->new_len, r->name2, false);
	return err ? err : pos == var_len ? 0 : -EINVAL;
}

static int check_readdir(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_readdir_in *in = &r->in.readdir;

	size_t one = HLINK_DIRENT_SIZE(in->flags, 1);

	/* Room for at least one entry with a short name. */
	if ((in->flags & ~HLINK_READDIR_PLUS) || in->max_bytes < one)
		return -EINVAL;
	return no_data(r, var, var_len);
}

static int check_fsync(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_fsync_in *in = &r->in.fsync;

	return in->padding || in->datasync > 1 ? -EINVAL : no_data(r, var, var_len);
}

static int check_fallocate(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_fallocate_in *in = &r->in.fallocate;
	const __u32 allowed = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE |
			      FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE;
	const __u32 shift = FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE;

	/* As vfs_fallocate: a range that shifts takes no other flag. */
	if (in->padding || (in->mode & ~allowed) ||
	    ((in->mode & FALLOC_FL_PUNCH_HOLE) && !(in->mode & FALLOC_FL_KEEP_SIZE)) ||
	    ((in->mode & shift) && (in->mode & ~shift || in->mode == shift)))
		return -EINVAL;
	if (in->offset > HLINK_S64_MAX || in->len == 0 || in->len > HLINK_S64_MAX - in->offset)
		return -EINVAL;
	return no_data(r, var, var_len);
}

static int check_xattr(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_xattr_in *in = &r->in.xattr;
	size_t pos = 0;
	int err;

	switch (r->hdr.opcode) {
	case HLINK_OP_SETXATTR:
		if ((in->flags & ~(__u32)(XATTR_CREATE | XATTR_REPLACE)) || in->size ||
		    in->value_len > HLINK_XATTR_SIZE_MAX)
			return -EINVAL;
		err = take_xattr_name(var, var_len, &pos, in->name_len, r->name);
		if (err)
			return err;
		if (in->value_len != var_len - pos)
			return -EINVAL;
		r->data = var + pos;
		r->data_len = in->value_len;
		return 0;
	case HLINK_OP_LISTXATTR:
		if (in->flags || in->value_len || in->name_len || in->size > HLINK_XATTR_SIZE_MAX)
			return -EINVAL;
		return no_data(r, var, var_len);
	default:	/* GETXATTR, REMOVEXATTR */
		if (in->flags || in->value_len || in->size > HLINK_XATTR_SIZE_MAX ||
		    (r->hdr.opcode == HLINK_OP_REMOVEXATTR && in->size))
			return -EINVAL;
		err = take_xattr_name(var, var_len, &pos, in->name_len, r->name);
		return err ? err : pos == var_len ? 0 : -EINVAL;
	}
}

static int check_lock(struct hlink_req *r, const char *var, size_t var_len)
{
	const struct hlink_lock_in *in = &r->in.lock;

	if (in->padding || in->kind > HLINK_LOCK_FLOCK || in->cmd > HLINK_LOCK_TEST ||
	    in->type > HLINK_LOCK_UN || in->start > in->end || in->end > HLINK_LOCK_EOF)
		return -EINVAL;
	if (in->cmd == HLINK_LOCK_TEST &&
	    (in->type == HLINK_LOCK_UN || in->kind != HLINK_LOCK_POSIX))
		return -EINVAL;
	if (in->kind == HLINK_LOCK_FLOCK && (in->start || in->end != HLINK_LOCK_EOF))
		return -EINVAL;
	return no_data(r, var, var_len);
}

static const struct hlink_op_desc hlink_ops[HLINK_OP_COUNT] = {
	[HLINK_OP_HELLO] = { "HELLO", sizeof(struct hlink_hello_in),
		sizeof(struct hlink_hello_out), no_data },
	[HLINK_OP_MOUNT] = { "MOUNT", sizeof(struct hlink_mount_in),
		sizeof(struct hlink_mount_out), check_mount },
	[HLINK_OP_UMOUNT] = { "UMOUNT", sizeof(struct hlink_umount_in),
		0, check_umount },
	[HLINK_OP_LOOKUP] = { "LOOKUP", sizeof(struct hlink_name_in),
		sizeof(struct hlink_entry_out), check_lookup },
	[HLINK_OP_FORGET] = { "FORGET", sizeof(struct hlink_forget_in),
		0, check_forget },
	[HLINK_OP_GETATTR] = { "GETATTR", sizeof(struct hlink_handle_in),
		sizeof(struct hlink_attr_out), no_data },
	[HLINK_OP_SETATTR] = { "SETATTR", sizeof(struct hlink_setattr_in),
		sizeof(struct hlink_attr_out), check_setattr },
	[HLINK_OP_READ] = { "READ", sizeof(struct hlink_io_in),
		sizeof(struct hlink_io_out), check_io },
	[HLINK_OP_WRITE] = { "WRITE", sizeof(struct hlink_io_in),
		sizeof(struct hlink_io_out), check_io },
	[HLINK_OP_CREATE] = { "CREATE", sizeof(struct hlink_create_in),
		sizeof(struct hlink_entry_out), check_create },
	[HLINK_OP_MKDIR] = { "MKDIR", sizeof(struct hlink_create_in),
		sizeof(struct hlink_entry_out), check_create },
	[HLINK_OP_MKNOD] = { "MKNOD", sizeof(struct hlink_create_in),
		sizeof(struct hlink_entry_out), check_create },
	[HLINK_OP_SYMLINK] = { "SYMLINK", sizeof(struct hlink_symlink_in),
		sizeof(struct hlink_entry_out), check_symlink },
	[HLINK_OP_READLINK] = { "READLINK", sizeof(struct hlink_handle_in),
		sizeof(struct hlink_readlink_out) + HLINK_PATH_MAX, no_data },
	[HLINK_OP_LINK] = { "LINK", sizeof(struct hlink_link_in),
		sizeof(struct hlink_entry_out), check_link },
	[HLINK_OP_UNLINK] = { "UNLINK", sizeof(struct hlink_name_in),
		0, check_remove },
	[HLINK_OP_RMDIR] = { "RMDIR", sizeof(struct hlink_name_in),
		0, check_remove },
	[HLINK_OP_RENAME] = { "RENAME", sizeof(struct hlink_rename_in),
		0, check_rename },
	[HLINK_OP_READDIR] = { "READDIR", sizeof(struct hlink_readdir_in),
		sizeof(struct hlink_readdir_out), check_readdir },
	[HLINK_OP_STATFS] = { "STATFS", sizeof(struct hlink_handle_in),
		sizeof(struct hlink_statfs_out), no_data },
	[HLINK_OP_FSYNC] = { "FSYNC", sizeof(struct hlink_fsync_in),
		0, check_fsync },
	[HLINK_OP_FALLOCATE] = { "FALLOCATE", sizeof(struct hlink_fallocate_in),
		0, check_fallocate },
	[HLINK_OP_SETXATTR] = { "SETXATTR", sizeof(struct hlink_xattr_in),
		0, check_xattr },
	[HLINK_OP_GETXATTR] = { "GETXATTR", sizeof(struct hlink_xattr_in),
		sizeof(struct hlink_xattr_out), check_xattr },
	[HLINK_OP_LISTXATTR] = { "LISTXATTR", sizeof(struct hlink_xattr_in),
		sizeof(struct hlink_xattr_out), check_xattr },
	[HLINK_OP_REMOVEXATTR] = { "REMOVEXATTR", sizeof(struct hlink_xattr_in),
		0, check_xattr },
	[HLINK_OP_RELEASE] = { "RELEASE", sizeof(struct hlink_handle_in),
		0, no_data },
	[HLINK_OP_LOCK] = { "LOCK", sizeof(struct hlink_lock_in),
		sizeof(struct hlink_lock_out), check_lock },
	[HLINK_OP_SYNCFS] = { "SYNCFS", sizeof(struct hlink_handle_in),
		0, no_data },
};

const char *hlink_op_name(__u32 opcode)
{
	return opcode < HLINK_OP_COUNT && hlink_ops[opcode].name ? hlink_ops[opcode].name : "?";
}

/* Reply bytes after the header that the decoded request needs at least. */
static size_t rep_need(const struct hlink_req *r, const struct hlink_op_desc *op)
{
	switch (r->hdr.opcode) {
	case HLINK_OP_WRITE:
		return op->rep_size + (r->in.io.flags & HLINK_IO_WANT_PRE ?
				       sizeof(struct hlink_io_pre) : 0);
	case HLINK_OP_GETXATTR:
	case HLINK_OP_LISTXATTR:
		return op->rep_size + r->in.xattr.size;
	}
	return op->rep_size;
}

int hlink_req_decode(struct hlink_req *r, const void *buf, size_t len, size_t rep_max,
		     bool hello_done)
{
	const struct hlink_op_desc *op;
	const char *var;
	size_t var_len;
	int err;

	memset(&r->hdr, 0, sizeof(r->hdr));
	r->data = NULL;
	r->data_len = 0;
	r->name[0] = '\0';
	r->name2[0] = '\0';
	if (!buf || len < sizeof(r->hdr))
		return -EINVAL;
	memcpy(&r->hdr, buf, sizeof(r->hdr));
	if (r->hdr.len != len || len > HLINK_MSG_MAX)
		return -EINVAL;
	if (r->hdr.opcode >= HLINK_OP_COUNT || !hlink_ops[r->hdr.opcode].check)
		return -EOPNOTSUPP;
	op = &hlink_ops[r->hdr.opcode];
	if (!hello_done && r->hdr.opcode != HLINK_OP_HELLO)
		return -EPROTO;
	if (len - sizeof(r->hdr) < op->in_size)
		return -EINVAL;
	memset(&r->in, 0, sizeof(r->in));
	memcpy(&r->in, (const char *)buf + sizeof(r->hdr), op->in_size);
	var = (const char *)buf + sizeof(r->hdr) + op->in_size;
	var_len = len - sizeof(r->hdr) - op->in_size;
	err = op->check(r, var, var_len);
	if (err)
		return err;
	if (rep_max < sizeof(struct hlink_rep_hdr) ||
	    rep_max - sizeof(struct hlink_rep_hdr) < rep_need(r, op))
		return -ERANGE;
	return 0;
}
