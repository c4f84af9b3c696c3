/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside hlink.ko: what its three parts share. hlink_main.c is the entry
 * point (the device, a client's life, one call, the allowlist),
 * hlink_table.c the entries, open-file slots and attributes, hlink_ops.c
 * the VFS work of each op.
 */
#ifndef HLINK_KMOD_H
#define HLINK_KMOD_H

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/dcache.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <linux/hashtable.h>
#include <linux/statfs.h>
#include <linux/xattr.h>
#include <linux/falloc.h>
#include <linux/cred.h>
#include <linux/security.h>
#include <linux/fsnotify.h>
#include <linux/capability.h>
#include <linux/uio.h>

#include "hlink_abi.h"
#include "hlink_owner.h"
#include "hlink_req.h"

#define HLINK_EXPORTS_MAX 64
#define HLINK_DIRENT_NAMES 16384	/* bytes of names gathered per READDIR */

/* hlink_main.c: module parameters and what all clients hold now. */
extern unsigned int hk_nr_slots;
extern unsigned int hk_max_entries;
extern atomic_t hk_nr_entries, hk_nr_files;

/* A guest lock owner's host open file, which holds its locks (LOCK). */
struct hlink_lock_holder {
	struct hlink_lock_holder *next;
	u64 owner;
	u32 kind;			/* HLINK_LOCK_POSIX or HLINK_LOCK_FLOCK */
	struct file *file;
};

struct hlink_entry {
	struct hlist_node node;		/* in export->table, keyed by ino */
	struct hlist_node prov_node;	/* in export->prov while prov is set */
	u64 prov;			/* exclusive: the unique of the call that made it */
	u64 ino;
	u32 gen;
	bool stale;			/* the number now belongs to another file */
	u64 nlookup;			/* references the guest holds */
	struct dentry *dentry;		/* our reference */
	struct file *pin;		/* kept open after the guest's last unlink */
	struct hlink_lock_holder *locks;
	/* Mapped exports: the ownership record, as read at ctime owner_ctime. */
	u8 owner_state;			/* 0 not read, 1 none, 2 owner holds it */
	struct timespec64 owner_ctime;
	struct hlink_owner owner;
};

struct hlink_export {
	u32 sbid;
	struct path root;
	struct hlink_policy policy;	/* the allowlist entry's ownership model */
	dev_t dev;			/* the root's, as stat gives it */
	struct hlink_entry *root_entry;
	struct file *sync_file;		/* the root, opened at MOUNT: SYNCFS's errors */
	int lock;			/* the allowlist entry whose lock it holds, or -1 */
	bool exclusive;			/* mounted with HLINK_MOUNT_EXCLUSIVE */
	DECLARE_HASHTABLE(table, 10);
	DECLARE_HASHTABLE(prov, 8);	/* exclusive: entries by provisional handle */
};

struct hlink_slot {
	struct hlink_entry *owner;
	struct file *file;
};

struct hlink_client {
	struct mutex lock;		/* protects everything below */
	bool hello_done;
	unsigned int nr_entries;	/* at most hk_max_entries */
	unsigned int nr_locks;		/* lock holders, at most hk_nr_slots (then ENOLCK) */
	u32 next_gen;
	void *req;			/* HLINK_MSG_MAX */
	void *rep;			/* HLINK_MSG_MAX */
	char *names;			/* HLINK_DIRENT_NAMES, for READDIR */
	struct hlink_slot *slots;
	struct hlink_export *exports[HLINK_EXPORTS_MAX];
	struct hlink_req r;		/* the call in flight, decoded */
	const struct cred *cred;	/* the opener's: every call runs with them */
};

struct hlink_call {
	struct hlink_client *cl;
	const struct hlink_req *r;	/* decoded and checked (hlink_req.c) */
	const void *in;			/* the op's fixed struct: &r->in */
	void *out;
	size_t out_max;
	size_t out_len;
	/* FSYNC, SYNCFS: the file to sync once the client is unlocked (a reference). */
	struct file *sync_file;
	bool sync_data;
	bool sync_fs;			/* SYNCFS: its whole file system */
};

/* hlink_table.c: entries, open files, attributes, replies, credentials. */
struct hlink_export *hk_export_of(struct hlink_client *cl, u32 sbid);
struct hlink_entry *hk_entry_get(struct hlink_client *cl, const struct hlink_handle *h,
				 struct hlink_export **ep);
void hk_file_put(struct file *f);
void hk_slot_drop(struct hlink_client *cl, struct hlink_entry *en);
void hk_lock_free(struct hlink_client *cl, struct hlink_lock_holder **p);
void hk_locks_drop(struct hlink_client *cl, struct hlink_entry *en);
void hk_entry_free(struct hlink_client *cl, struct hlink_entry *en);
#define HK_OPEN_WRITE	1	/* read-write, or an error */
#define HK_OPEN_RW_OK	2	/* read-write when allowed, else read-only */
#define HK_OPEN_NOWAIT	4	/* EAGAIN rather than wait for a lease */
struct file *hk_entry_open(struct hlink_export *e, struct hlink_entry *en, unsigned int how);
struct file *hk_entry_file(struct hlink_client *cl, struct hlink_export *e, struct hlink_entry *en,
			   bool write);
void hk_fill_attr(struct hlink_attr *a, const struct kstat *st);
bool hk_owner_get(struct hlink_entry *en, struct dentry *d, struct timespec64 ctime,
		  struct hlink_owner *o);
int hk_owner_put(struct hlink_entry *en, struct dentry *d, const struct hlink_owner *o);
int hk_stat(struct hlink_export *e, struct dentry *d, struct kstat *st);
int hk_dentry_attr(struct hlink_export *e, struct hlink_entry *en, struct dentry *d,
		   struct hlink_attr *a);
int hk_issue_entry(struct hlink_client *cl, struct hlink_export *e, struct dentry *d,
		   struct hlink_entry_out *out);
void *hk_reply(struct hlink_call *c, size_t len);
struct hlink_entry *hk_dir_entry(struct hlink_call *c, const struct hlink_handle *h,
				 struct hlink_export **ep, int *err);
struct dentry *hk_child_locked(struct dentry *dir, const char *name);
const struct cred *hk_as_owner(u32 uid, u32 gid);
void hk_as_self(const struct cred *old);
void hk_export_free(struct hlink_client *cl, struct hlink_export *e);
void hk_prov_bind(struct hlink_export *e, const struct hlink_entry_out *out, u64 unique);

/* hlink_main.c: the allowlist, and the lock of an exclusive export. */
int hk_export_allowed(const struct path *path, struct hlink_policy *p);
int hk_export_lock(struct hlink_export *e, int entry, bool exclusive);
void hk_export_unlock(struct hlink_export *e);

/* hlink_ops.c: the VFS work of each op, by opcode. */
extern int (*const hk_ops[HLINK_OP_COUNT])(struct hlink_call *c);

#endif
