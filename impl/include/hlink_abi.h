/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hlink ABI: the one interface between the guest module (hlinkfs) and a host
 * module (the hlink.ko kernel module or the user-space host module).
 *
 * Version history (append only; never reorder or resize a field):
 *   1.0  first version.
 *   1.1  HLINK_IO_WANT_PRE: a WRITE's reply also gives the file's version
 *        just before the write (hlink_io_pre), so the guest can tell its own
 *        change from a host's (weak cache consistency, as NFS's wcc_data).
 *        A guest sets it only when HELLO says minor >= 1.
 *   1.2  MOUNT replies hlink_mount_out (the export's ownership model);
 *        MKNOD takes device numbers.
 *   1.3  LOCK: flock and byte-range locks held on the host file, so guests
 *        and host processes exclude each other. A guest sends it only when
 *        HELLO says minor >= 3.
 *   1.4  READDIR's HLINK_READDIR_PLUS: each entry also carries a handle, as
 *        LOOKUP would issue it, so a listing primes the guest's names and
 *        attributes in one call. UNLINK's HLINK_UNLINK_UNUSED: the guest
 *        has the file open nowhere. A guest sets either only when
 *        minor >= 4.
 *   1.5  READ and WRITE's HLINK_IO_VEC: the request lists the caller's
 *        buffer as pieces (struct hlink_iovec), so the guest can name its
 *        own pages and no copy is made on its side. HLINK_IO_DIRECT: the
 *        guest's O_DIRECT, which the host module passes on. A guest sets
 *        either only when minor >= 5.
 *   1.6  CREATE's HLINK_CREATE_OPEN: the guest opens the file it creates,
 *        and sends RELEASE once it has no open file of it that was created
 *        or opened for writing, so the host module may keep the create's
 *        own descriptor for the writes that follow. A guest sets it only
 *        when minor >= 6.
 *   1.7  Exclusive exports and write-behind. MOUNT's HLINK_MOUNT_EXCLUSIVE:
 *        the guest asks to be the export's only writer, where the host's
 *        administrator allows it; the host module holds a lock on the
 *        export while mounted, so a second such MOUNT gets -EBUSY. On such
 *        an export a guest may name an entry that a CREATE, MKDIR, MKNOD or
 *        SYMLINK it sent earlier is making by a provisional handle, before
 *        the reply has brought the real one (HLINK_HANDLE_PROV). SYNCFS:
 *        the host file system of a handle's file is synced. HLINK_IOC_BATCH:
 *        several calls in one ioctl, in order. A guest uses any of these
 *        only when minor >= 7.
 *   1.8  FALLOCATE takes FALLOC_FL_COLLAPSE_RANGE and FALLOC_FL_INSERT_RANGE
 *        (a guest sends them only when minor >= 8). A name longer than
 *        HLINK_NAME_MAX gets -ENAMETOOLONG (an xattr name -ERANGE), as the
 *        system calls give, where older hosts said -EINVAL.
 *
 * A call is one request and one reply. Both start with a header that gives
 * the total length; op-specific fixed structs follow, then variable data
 * (names, symlink targets, xattr names and values, directory entries) packed
 * in the order each struct documents. All fields are little-endian host
 * integers of fixed width with explicit padding; padding must be zero.
 * Errors are negative errno values in hlink_rep_hdr.error.
 *
 * READ and WRITE carry a pointer to the data instead of the data itself: an
 * address in the calling process (for hlink.ko, the user-space caller; for
 * the user-space host module, its own address space).
 */
#ifndef _HLINK_ABI_H
#define _HLINK_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define HLINK_ABI_MAJOR 1
#define HLINK_ABI_MINOR 8

#define HLINK_NAME_MAX 255	/* bytes in one name, no NUL */
#define HLINK_PATH_MAX 4096	/* bytes in an export path or symlink target */
#define HLINK_XATTR_SIZE_MAX 65536
#define HLINK_IO_MAX (1U << 20)	/* bytes in one READ or WRITE */
#define HLINK_MSG_MAX (128U * 1024)	/* bytes in one request or reply */

enum hlink_opcode {
	HLINK_OP_HELLO = 1,
	HLINK_OP_MOUNT = 2,
	HLINK_OP_UMOUNT = 3,
	HLINK_OP_LOOKUP = 4,
	HLINK_OP_FORGET = 5,
	HLINK_OP_GETATTR = 6,
	HLINK_OP_SETATTR = 7,
	HLINK_OP_READ = 8,
	HLINK_OP_WRITE = 9,
	HLINK_OP_CREATE = 10,
	HLINK_OP_MKDIR = 11,
	HLINK_OP_MKNOD = 12,
	HLINK_OP_SYMLINK = 13,
	HLINK_OP_READLINK = 14,
	HLINK_OP_LINK = 15,
	HLINK_OP_UNLINK = 16,
	HLINK_OP_RMDIR = 17,
	HLINK_OP_RENAME = 18,
	HLINK_OP_READDIR = 19,
	HLINK_OP_STATFS = 20,
	HLINK_OP_FSYNC = 21,
	HLINK_OP_FALLOCATE = 22,
	HLINK_OP_SETXATTR = 23,
	HLINK_OP_GETXATTR = 24,
	HLINK_OP_LISTXATTR = 25,
	HLINK_OP_REMOVEXATTR = 26,
	HLINK_OP_RELEASE = 27,
	HLINK_OP_LOCK = 28,
	HLINK_OP_SYNCFS = 29,
	HLINK_OP_COUNT			/* one past the last opcode */
};

/*
 * A handle names one file of one export:
 *   ino   the host inode number;
 *   sbid  the export, as MOUNT returned it;
 *   gen   a generation the host module assigned when it first issued a
 *         handle for this inode. 0 is never issued and is always invalid.
 * A host module answers -ESTALE for a handle it did not issue for that
 * export, one that has been forgotten, and one whose file is gone.
 *
 * A provisional handle (1.7, exclusive exports only) has HLINK_HANDLE_PROV
 * set in sbid, gen 0, and in ino the unique of the CREATE, MKDIR, MKNOD or
 * SYMLINK request that made the entry: it names what that request's reply
 * named, once the host module has performed it, for as long as the guest
 * holds a lookup reference to it. Before, or if that request failed, it is
 * -ESTALE. An entry has one provisional name: a later CREATE (not
 * exclusive) that answers with the same entry moves it to its own unique.
 */
struct hlink_handle {
	__u64 ino;
	__u32 sbid;
	__u32 gen;
};
#define HLINK_HANDLE_PROV (1U << 31)	/* in sbid: a provisional handle */

struct hlink_attr {
	__u64 ino;
	__u64 size;
	__u64 blocks;		/* 512-byte units */
	__s64 atime;
	__s64 mtime;
	__s64 ctime;
	__u32 atime_nsec;
	__u32 mtime_nsec;
	__u32 ctime_nsec;
	__u32 mode;		/* type and permission bits, as st_mode */
	__u32 nlink;
	__u32 uid;
	__u32 gid;
	__u32 rdev_major;
	__u32 rdev_minor;
	__u32 blksize;
};

struct hlink_req_hdr {
	__u32 opcode;		/* enum hlink_opcode */
	__u32 len;		/* bytes, this header included */
	__u64 unique;		/* echoed in the reply; for tracing */
};

struct hlink_rep_hdr {
	__s32 error;		/* 0 or -errno */
	__u32 len;		/* bytes, this header included */
	__u64 unique;
};

/* HELLO: agree on a version before anything else. */
struct hlink_hello_in {
	__u32 major;
	__u32 minor;
};
struct hlink_hello_out {
	__u32 major;
	__u32 minor;
	__u32 io_max;		/* largest READ/WRITE the host accepts */
	__u32 padding;
};

/* MOUNT: followed by path[path_len], an absolute host directory; replies hlink_mount_out. */
struct hlink_mount_in {
	__u32 path_len;
	__u32 flags;		/* HLINK_MOUNT_EXCLUSIVE (1.7), else 0 */
};
struct hlink_entry_out {	/* LOOKUP, CREATE, MKDIR, MKNOD, SYMLINK, LINK */
	struct hlink_handle handle;
	struct hlink_attr attr;
};
/* The export's ownership model, set by the host administrator (1.2). */
#define HLINK_OWNERSHIP_MAPPED		0	/* guest ids and modes in an xattr */
#define HLINK_OWNERSHIP_PASSTHROUGH	1	/* ids go through; no set-id, no devices */
#define HLINK_OWNERSHIP_SQUASH		2	/* new entries belong to anonymous ids */
#define HLINK_MOUNT_NODEV (1U << 0)	/* the guest should not open devices here */
/*
 * 1.7, in a MOUNT request and its reply: this guest is the export's only
 * writer (the allowlist entry must say "exclusive"; -EPERM otherwise), and
 * the export is locked for it until UMOUNT or the client goes (-EBUSY if
 * another holds it). Provisional handles are taken on it.
 */
#define HLINK_MOUNT_EXCLUSIVE (1U << 1)
struct hlink_mount_out {
	struct hlink_entry_out root;
	__u32 ownership;	/* HLINK_OWNERSHIP_* (1.2; before, passthrough) */
	__u32 flags;		/* HLINK_MOUNT_* */
};

struct hlink_umount_in {
	__u32 sbid;
	__u32 padding;
};

/*
 * LOOKUP, UNLINK, RMDIR: followed by name[name_len].
 * UNLINK's HLINK_UNLINK_UNUSED (1.4): the guest has the file open nowhere,
 * so the host module need not keep it reachable by handle once its last
 * name is gone. Zero for LOOKUP and RMDIR.
 */
#define HLINK_UNLINK_UNUSED	(1U << 0)
struct hlink_name_in {
	struct hlink_handle dir;
	__u32 name_len;
	__u32 flags;		/* HLINK_UNLINK_* (1.4; before, zero) */
};

/* FORGET: the guest drops nlookup references that entry replies gave it. */
struct hlink_forget_in {
	struct hlink_handle handle;
	__u64 nlookup;
};

/* GETATTR, READLINK, STATFS, RELEASE, SYNCFS */
struct hlink_handle_in {
	struct hlink_handle handle;
};
struct hlink_attr_out {
	struct hlink_attr attr;
};

#define HLINK_SETATTR_MODE	(1U << 0)
#define HLINK_SETATTR_UID	(1U << 1)
#define HLINK_SETATTR_GID	(1U << 2)
#define HLINK_SETATTR_SIZE	(1U << 3)
#define HLINK_SETATTR_ATIME	(1U << 4)
#define HLINK_SETATTR_MTIME	(1U << 5)
#define HLINK_SETATTR_ATIME_NOW	(1U << 6)
#define HLINK_SETATTR_MTIME_NOW	(1U << 7)
#define HLINK_SETATTR_ALL	((1U << 8) - 1)
struct hlink_setattr_in {
	struct hlink_handle handle;
	__u32 valid;		/* HLINK_SETATTR_* */
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u64 size;
	__s64 atime;
	__s64 mtime;
	__u32 atime_nsec;
	__u32 mtime_nsec;
};

/*
 * READ and WRITE: buf is an address in the caller; see the top. With
 * HLINK_IO_VEC (1.5), buf is zero and the request is followed by the
 * buffer's pieces instead, in order: 1 to HLINK_IO_SEGS_MAX of them, none
 * empty, their lengths adding up to len.
 */
#define HLINK_IO_WANT_ATTR (1U << 0)	/* fill hlink_io_out.attr (one more host call) */
#define HLINK_IO_WANT_PRE (1U << 1)	/* 1.1, WRITE with WANT_ATTR: hlink_io_pre follows */
#define HLINK_IO_VEC (1U << 2)		/* 1.5: struct hlink_iovec[] follows */
/*
 * 1.5: the guest's O_DIRECT. The host module moves the data with O_DIRECT on
 * the host file too where the host's file system takes it and the buffer,
 * offset and length are aligned as it needs; otherwise through the host's
 * page cache, as without the flag.
 */
#define HLINK_IO_DIRECT (1U << 3)
#define HLINK_IO_SEGS_MAX 257		/* HLINK_IO_MAX of 4 KiB pages, at any offset */
struct hlink_iovec {
	__u64 base;		/* an address in the caller, as buf */
	__u64 len;
};
struct hlink_io_in {
	struct hlink_handle handle;
	__u64 offset;
	__u64 buf;
	__u32 len;		/* at most HLINK_IO_MAX */
	__u32 flags;		/* HLINK_IO_* */
};
struct hlink_io_out {
	__u32 count;		/* bytes moved */
	__u32 padding;
	struct hlink_attr attr;	/* after the call, if HLINK_IO_WANT_ATTR; else zero */
};
/* Follows hlink_io_out when HLINK_IO_WANT_PRE: the file before the call. */
struct hlink_io_pre {
	__s64 mtime;
	__u32 mtime_nsec;
	__u32 padding;
	__u64 size;
};

/* CREATE, MKDIR, MKNOD: followed by name[name_len]. */
#define HLINK_CREATE_EXCL (1U << 0)
#define HLINK_CREATE_OPEN (1U << 1)	/* opened by the guest; RELEASE follows */
struct hlink_create_in {
	struct hlink_handle dir;
	__u32 mode;		/* type and permission bits */
	__u32 flags;		/* HLINK_CREATE_* (CREATE only) */
	__u32 uid;
	__u32 gid;
	__u32 rdev_major;	/* MKNOD of a device node only (mapped exports) */
	__u32 rdev_minor;
	__u32 name_len;
	__u32 padding;
};

/* SYMLINK: followed by name[name_len] then target[target_len]. */
struct hlink_symlink_in {
	struct hlink_handle dir;
	__u32 uid;
	__u32 gid;
	__u32 name_len;
	__u32 target_len;
};

/* READLINK reply: followed by target[len]. */
struct hlink_readlink_out {
	__u32 len;
	__u32 padding;
};

/* LINK: a new name in dir for handle; followed by name[name_len]. */
struct hlink_link_in {
	struct hlink_handle handle;
	struct hlink_handle dir;
	__u32 name_len;
	__u32 padding;
};

/* RENAME: followed by old_name[old_len] then new_name[new_len]. */
#define HLINK_RENAME_NOREPLACE	(1U << 0)
#define HLINK_RENAME_EXCHANGE	(1U << 1)
struct hlink_rename_in {
	struct hlink_handle old_dir;
	struct hlink_handle new_dir;
	__u32 flags;
	__u32 old_len;
	__u32 new_len;
	__u32 padding;
};

/*
 * READDIR: entries from cookie (0 = the start) until max_bytes of entries
 * are filled. Each entry is a struct hlink_dirent, then the name, padded to
 * a multiple of 8 bytes. An entry's cookie continues the listing after it;
 * the reply's next_cookie after the last entry returned. '.' and '..' are
 * not listed.
 *
 * With HLINK_READDIR_PLUS (1.4), a struct hlink_handle follows each
 * hlink_dirent, before the name: the entry as LOOKUP issues it, with one
 * lookup reference that the guest now holds (FORGET it if unused), and attr
 * as LOOKUP gives it. gen 0 means none was issued (the entry went away, is
 * another file system's, or the host module keeps its room for LOOKUP);
 * attr is then as without the flag.
 */
#define HLINK_READDIR_PLUS	(1U << 0)
struct hlink_readdir_in {
	struct hlink_handle dir;
	__u64 cookie;
	__u32 max_bytes;
	__u32 flags;		/* HLINK_READDIR_* (1.4; before, zero) */
};
struct hlink_readdir_out {
	__u64 next_cookie;
	__u32 count;
	__u32 eof;
};
struct hlink_dirent {
	struct hlink_attr attr;	/* as lstat of the entry */
	__u64 cookie;		/* continues the listing after this entry */
	__u32 name_len;
	__u32 type;		/* DT_* */
};
/* Bytes of one entry in a READDIR reply: dirent, handle (with PLUS), name padded to 8. */
#define HLINK_DIRENT_SIZE(flags, name_len)					\
	(sizeof(struct hlink_dirent) +						\
	 ((flags) & HLINK_READDIR_PLUS ? sizeof(struct hlink_handle) : 0) +	\
	 (((size_t)(name_len) + 7) & ~(size_t)7))

struct hlink_statfs_out {
	__u64 blocks;
	__u64 bfree;
	__u64 bavail;
	__u64 files;
	__u64 ffree;
	__u32 bsize;
	__u32 frsize;
	__u32 name_max;
	__u32 padding;
};

struct hlink_fsync_in {
	struct hlink_handle handle;
	__u32 datasync;
	__u32 padding;
};

struct hlink_fallocate_in {
	struct hlink_handle handle;
	__u64 offset;
	__u64 len;
	__u32 mode;		/* FALLOC_FL_*: KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE; COLLAPSE_RANGE, INSERT_RANGE (1.8) */
	__u32 padding;
};

/*
 * SETXATTR: followed by name[name_len] then value[value_len].
 * GETXATTR: followed by name[name_len]; size 0 asks for the length only.
 * LISTXATTR: size 0 asks for the length only.
 * REMOVEXATTR: followed by name[name_len].
 * GETXATTR and LISTXATTR replies: hlink_xattr_out then the data.
 */
struct hlink_xattr_in {
	struct hlink_handle handle;
	__u32 flags;		/* XATTR_CREATE | XATTR_REPLACE (SETXATTR) */
	__u32 name_len;
	__u32 value_len;	/* SETXATTR */
	__u32 size;		/* GETXATTR, LISTXATTR: room for the data */
};
struct hlink_xattr_out {
	__u32 size;
	__u32 padding;
};

/*
 * LOCK (1.3): a lock the host module holds on the host file for one lock
 * owner of the guest (an opaque number: the guest's fl_owner, or its open
 * file for flock), through a host open file of that owner's own. POSIX
 * byte-range locks are held as the host's open-file-description locks, so
 * they exclude other owners of this guest, other guests and host processes
 * with fcntl or OFD locks; FLOCK locks are the host's flock(2) locks. A
 * request never waits: a conflict is -EAGAIN, and a guest that should block
 * asks again later. An unlock of the whole range (POSIX) or any FLOCK
 * unlock gives up the owner's host file. RELEASE and the last FORGET of the
 * handle, and the client going, give up every lock held for it.
 */
#define HLINK_LOCK_POSIX	0	/* byte range [start, end] */
#define HLINK_LOCK_FLOCK	1	/* whole file: start 0, end HLINK_LOCK_EOF */
#define HLINK_LOCK_SET		0	/* take, change or give up */
#define HLINK_LOCK_TEST		1	/* POSIX: the first lock that would conflict */
#define HLINK_LOCK_RD		0	/* the values of F_RDLCK, F_WRLCK, F_UNLCK */
#define HLINK_LOCK_WR		1
#define HLINK_LOCK_UN		2
#define HLINK_LOCK_EOF		((__u64)~0ULL >> 1)	/* to the end of the file */
struct hlink_lock_in {
	struct hlink_handle handle;
	__u64 owner;
	__u64 start;
	__u64 end;		/* inclusive, at most HLINK_LOCK_EOF */
	__u32 kind;		/* HLINK_LOCK_POSIX or HLINK_LOCK_FLOCK */
	__u32 cmd;		/* HLINK_LOCK_SET or HLINK_LOCK_TEST */
	__u32 type;		/* HLINK_LOCK_RD, _WR or _UN (not with TEST) */
	__u32 padding;
};
struct hlink_lock_out {		/* TEST: type HLINK_LOCK_UN when none conflicts */
	__u64 start;
	__u64 end;
	__u32 type;
	__u32 padding;
};

/* hlink.ko: one ioctl carries one call. */
struct hlink_ioc_call {
	__u64 req;		/* address of the request */
	__u64 rep;		/* address of the reply buffer */
	__u32 req_len;
	__u32 rep_max;
};
#define HLINK_IOC_CALL _IOWR('H', 1, struct hlink_ioc_call)

/*
 * hlink.ko (1.7): count calls in one ioctl, performed in order as
 * HLINK_IOC_CALL would, each result (reply length or -errno, -EFAULT for
 * a call whose own buffers cannot be read or written) in its own entry.
 * The ioctl returns how many entries it completed; it stops at an entry it
 * cannot read or whose result it cannot write back (that call may have
 * been performed), and is -EFAULT if that is the first.
 */
#define HLINK_BATCH_MAX 64
struct hlink_ioc_batch_call {
	struct hlink_ioc_call call;
	__s64 result;
};
struct hlink_ioc_batch {
	__u64 calls;		/* address of struct hlink_ioc_batch_call[count] */
	__u32 count;		/* 1 to HLINK_BATCH_MAX */
	__u32 padding;
};
#define HLINK_IOC_BATCH _IOWR('H', 3, struct hlink_ioc_batch)

/*
 * hlinkfs: the same struct on an open directory of an hlinkfs mount sends a
 * raw request to the host module, for CAP_SYS_ADMIN in the guest only. It
 * exists to test the host module's defences from inside a guest. READ and
 * WRITE are refused: their buffer addresses mean nothing to the host.
 */
#define HLINKFS_IOC_RAW _IOWR('H', 2, struct hlink_ioc_call)

#define HLINK_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(struct type) == (size), "ABI size of " #type)
HLINK_ASSERT_SIZE(hlink_handle, 16);
HLINK_ASSERT_SIZE(hlink_attr, 88);
HLINK_ASSERT_SIZE(hlink_req_hdr, 16);
HLINK_ASSERT_SIZE(hlink_rep_hdr, 16);
HLINK_ASSERT_SIZE(hlink_hello_in, 8);
HLINK_ASSERT_SIZE(hlink_hello_out, 16);
HLINK_ASSERT_SIZE(hlink_mount_in, 8);
HLINK_ASSERT_SIZE(hlink_entry_out, 104);
HLINK_ASSERT_SIZE(hlink_mount_out, 112);
HLINK_ASSERT_SIZE(hlink_umount_in, 8);
HLINK_ASSERT_SIZE(hlink_name_in, 24);
HLINK_ASSERT_SIZE(hlink_forget_in, 24);
HLINK_ASSERT_SIZE(hlink_handle_in, 16);
HLINK_ASSERT_SIZE(hlink_attr_out, 88);
HLINK_ASSERT_SIZE(hlink_setattr_in, 64);
HLINK_ASSERT_SIZE(hlink_io_in, 40);
HLINK_ASSERT_SIZE(hlink_io_out, 96);
HLINK_ASSERT_SIZE(hlink_io_pre, 24);
HLINK_ASSERT_SIZE(hlink_iovec, 16);
HLINK_ASSERT_SIZE(hlink_create_in, 48);
HLINK_ASSERT_SIZE(hlink_symlink_in, 32);
HLINK_ASSERT_SIZE(hlink_readlink_out, 8);
HLINK_ASSERT_SIZE(hlink_link_in, 40);
HLINK_ASSERT_SIZE(hlink_rename_in, 48);
HLINK_ASSERT_SIZE(hlink_readdir_in, 32);
HLINK_ASSERT_SIZE(hlink_readdir_out, 16);
HLINK_ASSERT_SIZE(hlink_dirent, 104);
HLINK_ASSERT_SIZE(hlink_statfs_out, 56);
HLINK_ASSERT_SIZE(hlink_fsync_in, 24);
HLINK_ASSERT_SIZE(hlink_fallocate_in, 40);
HLINK_ASSERT_SIZE(hlink_xattr_in, 32);
HLINK_ASSERT_SIZE(hlink_xattr_out, 8);
HLINK_ASSERT_SIZE(hlink_lock_in, 56);
HLINK_ASSERT_SIZE(hlink_lock_out, 24);
HLINK_ASSERT_SIZE(hlink_ioc_call, 24);
HLINK_ASSERT_SIZE(hlink_ioc_batch_call, 32);
HLINK_ASSERT_SIZE(hlink_ioc_batch, 16);

#endif /* _HLINK_ABI_H */
