/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the user-space host module (hlink_host.h is its interface): what
 * its three parts share. hlink_host.c is the entry point (a call, module
 * life), hlink_table.c the handle table, open-file slots and attributes,
 * hlink_ops.c the file-system work of each op.
 */
#ifndef HLINK_HOST_INT_H
#define HLINK_HOST_INT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/securebits.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "hlink_abi.h"
#include "hlink_host.h"
#include "hlink_owner.h"
#include "hlink_req.h"

#define HLINK_EXPORTS_MAX 64
#define HLINK_INODE_BUCKETS 4096
#define HLINK_FH_MAX 128	/* MAX_HANDLE_SZ */
/* Forgotten inodes kept, with no descriptor, for their handle and record. */
#define HLINK_RETAIN_MAX 32768
#define HLINK_PROV_BUCKETS 8192

/* A guest lock owner's host open file, which holds its locks (LOCK). */
struct hlink_lock_holder {
	struct hlink_lock_holder *next;
	uint64_t owner;
	uint32_t kind;			/* HLINK_LOCK_POSIX or HLINK_LOCK_FLOCK */
	int fd;
};

struct hlink_inode {
	struct hlink_inode *next;	/* hash chain */
	/* Once the guest forgets it: its place among the kept ones (hh_inode_forget). */
	struct hlink_inode *lru_prev, *lru_next;
	struct hlink_export *export;
	int kept;
	uint64_t ino;
	uint32_t gen;
	int stale;			/* ino reused by a newer file */
	uint64_t nlookup;		/* references the guest holds */
	mode_t type;			/* S_IFMT bits */
	struct file_handle *fh;
	int pin_fd;			/* held open once unlinked, or -1 */
	int pin_direct;			/* O_DIRECT is on pin_fd */
	struct hlink_lock_holder *locks;
	/* Mapped exports: the ownership record, as read at ctime owner_ctime. */
	int owner_state;		/* 0 not read, 1 none, 2 owner holds it */
	int owner_settled;		/* owner_ctime was 2 s old when the record was read */
	struct timespec owner_ctime;
	/*
	 * The call (host->stats.calls) in which this module itself changed the
	 * file after the record was read or written: the record holds for the
	 * new ctime the same call's next stat gives, with no re-read.
	 */
	unsigned long owner_carry;
	struct hlink_owner owner;
	/* Exclusive exports: the unique of the request that made it, and its chain. */
	uint64_t prov;
	struct hlink_inode *prov_next;
};

struct hlink_export {
	uint32_t sbid;
	int root_fd;			/* the mount fd for open_by_handle_at (not O_PATH) */
	int mount_id;
	dev_t dev;
	int no_direct;			/* its file system refused O_DIRECT */
	int no_btime;			/* no birth times: 1, local; 2, network or FUSE */
	struct hlink_policy policy;	/* the allowlist entry's ownership model */
	int exclusive;			/* mounted exclusive (HLINK_MOUNT_EXCLUSIVE) */
	int lock_fd;			/* the export's lock (export_lock), or -1 */
	struct hlink_inode *root;
	struct hlink_inode *table[HLINK_INODE_BUCKETS];
	/* Exclusive exports: entries made, by the unique of the request (hh_prov_bind). */
	struct hlink_inode *prov[HLINK_PROV_BUCKETS];
};

struct hlink_fd_slot {
	struct hlink_inode *owner;	/* NULL when empty */
	int fd;
	int flags;			/* O_RDWR, O_RDONLY or O_PATH */
	int direct;			/* O_DIRECT is on */
};

/* Large buffers live here, not on the stack: inside UML this code runs on a
 * 16 KiB kernel stack. */
#define HLINK_SCRATCH_SIZE 32768
_Static_assert(HLINK_SCRATCH_SIZE > HLINK_PATH_MAX, "scratch holds a path");

struct hlink_host {
	pthread_mutex_t lock;		/* one call at a time; protects all below */
	void *(*alloc)(size_t size);	/* hlink_host_opts' allocator */
	void (*free)(void *p);
	char *scratch;			/* HLINK_SCRATCH_SIZE bytes */
	char *allow;			/* export allowlist, ':'-separated, or NULL */
	uid_t euid;			/* the module's own ids and umask, read once */
	gid_t egid;
	mode_t umask;
	const char *owner_xattr;	/* the ownership record's name (hlink_owner.h) */
	int weak_xattr;			/* it is user.*: host users can write it */
	int hello_done;
	int trace;
	uint32_t next_gen;
	unsigned int nslots;
	struct hlink_fd_slot *slots;
	unsigned int nlocks;		/* lock holders, at most nslots (then ENOLCK) */
	struct hlink_export *exports[HLINK_EXPORTS_MAX];	/* sbid = index + 1 */
	struct hlink_inode *kept_new, *kept_old;	/* forgotten inodes, newest first */
	unsigned int nkept;
	struct hlink_host_stats stats;
	struct hlink_req req;		/* the call in flight, decoded */
	struct iovec iov[HLINK_IO_SEGS_MAX];	/* its READ or WRITE buffer */
};

/* One call in flight: the checked request and the reply being built. */
struct hlink_call {
	struct hlink_host *host;
	const struct hlink_req *r;	/* decoded and checked (hlink_req.c) */
	const void *in;			/* the op's fixed struct: &r->in */
	void *out;			/* reply body */
	size_t out_max;
	size_t out_len;
	/* Where an op may leave its blocking work (HH_SLOW), or NULL. */
	struct hlink_host_slow *slow;
};

/* An op's return: its blocking work is in c->slow, to be run by the caller. */
#define HH_SLOW 1

/* The module's allocator; hh_zalloc clears what it gives. */
void *hh_zalloc(struct hlink_host *h, size_t size);
void hh_free(struct hlink_host *h, void *p);

/* hlink_table.c: handles, open files, attributes, replies. */
struct hlink_export *hh_export_of(struct hlink_host *h, uint32_t sbid);
unsigned int hh_bucket_of(uint64_t ino);
struct hlink_inode *hh_inode_find(struct hlink_export *e, uint64_t ino, uint32_t gen);
int hh_same_file(const struct hlink_inode *i, int fd);
struct hlink_inode *hh_inode_get(struct hlink_host *h, const struct hlink_handle *hd,
		struct hlink_export **ep);
void hh_slot_close(struct hlink_host *h, struct hlink_inode *i);
void hh_slot_adopt(struct hlink_host *h, struct hlink_inode *i, int fd);
void hh_lock_free(struct hlink_host *h, struct hlink_lock_holder **p);
void hh_locks_drop(struct hlink_host *h, struct hlink_inode *i);
void hh_inode_free(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i);
void hh_inode_forget(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i);
/*
 * O_DIRECT on (on) or off on fd, i's descriptor from hh_inode_fd, unless it
 * is so already. 0, or -errno (EINVAL: the file system takes none).
 */
int hh_fd_direct(struct hlink_host *h, struct hlink_inode *i, int fd, int on);
int hh_inode_fd(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i, int want);
void hh_fill_attr(struct hlink_attr *a, const struct stat *st);
void hh_proc_path(char *buf, size_t len, int fd);
int hh_owner_get(struct hlink_host *h, struct hlink_inode *i, int fd, const struct stat *st,
		struct hlink_owner *o);
int hh_owner_put(struct hlink_host *h, struct hlink_inode *i, int fd, const struct hlink_owner *o);
void hh_owner_own_change(struct hlink_host *h, struct hlink_inode *i, const struct stat *before);
int hh_fd_attr(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i, int fd,
		struct hlink_attr *a);
/* made: the ownership record this call wrote on the file, or NULL. */
int hh_issue_fd(struct hlink_host *h, struct hlink_export *e, int fd,
		const struct hlink_owner *made, struct hlink_entry_out *out);
/*
 * A file this call made, whose stat st it has taken (NULL: not yet), with
 * the record made, or with none at all.
 */
int hh_issue_new(struct hlink_host *h, struct hlink_export *e, int fd, const struct stat *st,
		 const struct hlink_owner *made, struct hlink_entry_out *out);
int hh_issue_entry(struct hlink_host *h, struct hlink_export *e, int dirfd, const char *name,
		struct hlink_entry_out *out);
void *hh_reply(struct hlink_call *c, size_t len);
int hh_dir_fd(struct hlink_host *h, const struct hlink_handle *hd, struct hlink_export **ep,
		struct hlink_inode **ip);
int hh_two_fds(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *a, int want_a,
		struct hlink_inode *b, int want_b, int *fa, int *fb, int *dup_a);
void hh_export_free(struct hlink_host *h, struct hlink_export *e);
/* On an exclusive export, the entry out names answers to provisional handle unique. */
void hh_prov_bind(struct hlink_host *h, struct hlink_export *e, const struct hlink_entry_out *out,
		  uint64_t unique);

/* hlink_ops.c: the file-system work of each op, by opcode. */
extern int (*const hh_ops[HLINK_OP_COUNT])(struct hlink_call *c);

#endif
