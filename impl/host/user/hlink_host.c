// SPDX-License-Identifier: GPL-2.0
/*
 * User-space host module: the hlink ABI served through the host VFS.
 *
 * Every request comes from an untrusted guest. Each is checked field by
 * field before any system call: lengths against the bytes received, names
 * (no '/', no NUL, '.' and '..' only where meant), flags against allowlists,
 * padding zero. The host never follows a symlink and never resolves a path
 * given by the guest: every operation is relative to a directory opened by
 * handle, with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH.
 *
 * Handles. For each export, issued handles live in a hash table of inodes
 * keyed by host inode number. An inode records the kernel file handle from
 * name_to_handle_at, the generation this module gave it, and the lookup
 * count the guest holds (as FUSE's nlookup). A request's handle is valid only
 * if an inode with that (sbid, ino, gen) is in the table: anything else is
 * -ESTALE, so a forged handle can never reach another file.
 *
 * Open files. As in the paper's host module, files are kept open in a
 * direct-mapped table of slots indexed by a hash of the handle; on a
 * collision the old file is closed and the new one installed. The table is
 * sized well below RLIMIT_NOFILE, so however many files the guest holds
 * open, this process holds at most fd_slots of them, and reopens by
 * open_by_handle_at on demand. The one exception: a file the guest still
 * references when the guest removes its last name is pinned open (pin_fd)
 * until the guest forgets it, so open-unlink-fstat works.
 *
 * Inside UML, malloc and free are the kernel's (UML wraps them), but memory
 * that libc allocates for itself (strdup, realpath(p, NULL), opendir) comes
 * from a heap that cannot grow there. This file calls no such function.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "hlink_abi.h"
#include "hlink_host.h"
#include "hlink_owner.h"
#include "hlink_req.h"

#define HLINK_EXPORTS_MAX 64
#define HLINK_INODE_BUCKETS 4096
#define HLINK_FH_MAX 128	/* MAX_HANDLE_SZ */

struct hlink_inode {
	struct hlink_inode *next;	/* hash chain */
	uint64_t ino;
	uint32_t gen;
	int stale;			/* ino reused by a newer file */
	uint64_t nlookup;		/* references the guest holds */
	mode_t type;			/* S_IFMT bits */
	struct file_handle *fh;
	int pin_fd;			/* held open once unlinked, or -1 */
	/* Mapped exports: the ownership record, as read at ctime owner_ctime. */
	int owner_state;		/* 0 not read, 1 none, 2 owner holds it */
	struct timespec owner_ctime;
	struct hlink_owner owner;
};

struct hlink_export {
	uint32_t sbid;
	int root_fd;			/* the mount fd for open_by_handle_at (not O_PATH) */
	int mount_id;
	dev_t dev;
	struct hlink_policy policy;	/* the allowlist entry's ownership model */
	struct hlink_inode *root;
	struct hlink_inode *table[HLINK_INODE_BUCKETS];
};

struct hlink_fd_slot {
	struct hlink_inode *owner;	/* NULL when empty */
	int fd;
	int flags;			/* O_RDWR, O_RDONLY or O_PATH */
};

/* Large buffers live here, not on the stack: inside UML this code runs on a
 * 16 KiB kernel stack. */
#define HLINK_SCRATCH_SIZE 32768
_Static_assert(HLINK_SCRATCH_SIZE > HLINK_PATH_MAX, "scratch holds a path");

struct hlink_host {
	char *scratch;			/* HLINK_SCRATCH_SIZE bytes */
	char *allow;			/* export allowlist, ':'-separated, or NULL */
	int keep_caps;			/* SECBIT_NO_SETUID_FIXUP is set */
	const char *owner_xattr;	/* the ownership record's name (hlink_owner.h) */
	int hello_done;
	int trace;
	uint32_t next_gen;
	unsigned int nslots;
	struct hlink_fd_slot *slots;
	struct hlink_export *exports[HLINK_EXPORTS_MAX];	/* sbid = index + 1 */
	struct hlink_host_stats stats;
	struct hlink_req req;		/* the call in flight, decoded */
};

/* One call in flight: the checked request and the reply being built. */
struct hlink_call {
	struct hlink_host *host;
	const struct hlink_req *r;	/* decoded and checked (hlink_req.c) */
	const void *in;			/* the op's fixed struct: &r->in */
	void *out;			/* reply body */
	size_t out_max;
	size_t out_len;
};

/* ---- inodes and handles ------------------------------------------------ */

static struct hlink_export *export_of(struct hlink_host *h, uint32_t sbid)
{
	if (sbid == 0 || sbid > HLINK_EXPORTS_MAX)
		return NULL;
	return h->exports[sbid - 1];
}

static unsigned int bucket_of(uint64_t ino)
{
	return (unsigned int)((ino * 0x9E3779B97F4A7C15ULL) >> 52) % HLINK_INODE_BUCKETS;
}

static struct hlink_inode *inode_find(struct hlink_export *e, uint64_t ino, uint32_t gen)
{
	struct hlink_inode *i;

	for (i = e->table[bucket_of(ino)]; i; i = i->next)
		if (i->ino == ino && i->gen == gen && !i->stale)
			return i;
	return NULL;
}

/* The inode a guest handle names, or NULL (-ESTALE). */
static struct hlink_inode *inode_get(struct hlink_host *h, const struct hlink_handle *hd,
				     struct hlink_export **ep)
{
	struct hlink_export *e = export_of(h, hd->sbid);
	struct hlink_inode *i;

	if (!e || hd->gen == 0)
		return NULL;
	i = inode_find(e, hd->ino, hd->gen);
	if (!i || i->nlookup == 0)
		return NULL;
	*ep = e;
	return i;
}

static void slot_close(struct hlink_host *h, struct hlink_inode *i)
{
	unsigned int s;

	for (s = 0; s < h->nslots; s++) {
		if (h->slots[s].owner == i) {
			close(h->slots[s].fd);
			h->slots[s].owner = NULL;
		}
	}
}

static void inode_free(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i)
{
	struct hlink_inode **p;

	for (p = &e->table[bucket_of(i->ino)]; *p; p = &(*p)->next) {
		if (*p == i) {
			*p = i->next;
			break;
		}
	}
	slot_close(h, i);
	if (i->pin_fd >= 0)
		close(i->pin_fd);
	free(i->fh);
	free(i);
	h->stats.inodes--;
}

static unsigned int slot_of(struct hlink_host *h, struct hlink_inode *i)
{
	return (unsigned int)(((i->ino ^ ((uint64_t)i->gen << 32)) * 0x9E3779B97F4A7C15ULL) >> 40)
		% h->nslots;
}

/*
 * An open descriptor for inode i, at least as capable as want (O_PATH <
 * O_RDONLY < O_RDWR). Owned by the slot table: the caller must not close it.
 */
static int inode_fd(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i, int want)
{
	struct hlink_fd_slot *s = &h->slots[slot_of(h, i)];
	struct stat st;
	int flags, fd;

	if (i->pin_fd >= 0)
		return i->pin_fd;
	if (s->owner == i && (s->flags == O_RDWR || s->flags == want ||
			      (want == O_PATH)))
		return s->fd;
	/*
	 * A regular file is opened only as far as the call needs: opened
	 * read-write just to stat it, a running binary could not be, nor an
	 * immutable file, and the host could no longer exec it.
	 */
	if (S_ISREG(i->type))
		flags = want;
	else if (S_ISDIR(i->type))
		flags = want == O_RDWR ? -1 : O_RDONLY;
	else
		flags = want == O_PATH ? O_PATH : -1;
	if (flags < 0)
		return S_ISDIR(i->type) ? -EISDIR : -EINVAL;
	fd = open_by_handle_at(e->root_fd, i->fh, flags | O_CLOEXEC | O_NOCTTY |
			       (S_ISDIR(i->type) ? O_DIRECTORY : 0));
	if (fd < 0 && (errno == EACCES || errno == EROFS) && want == O_PATH && flags != O_PATH) {
		flags = O_PATH;
		fd = open_by_handle_at(e->root_fd, i->fh, flags | O_CLOEXEC);
	}
	if (fd < 0)
		return errno == ENOENT ? -ESTALE : -errno;
	/* The handle names one inode, but say so only after seeing its type. */
	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) ||
	    (st.st_mode & S_IFMT) != i->type) {
		close(fd);
		return -ESTALE;
	}
	h->stats.fd_opens++;
	if (s->owner) {
		close(s->fd);
		h->stats.fd_evictions++;
	}
	*s = (struct hlink_fd_slot){ .owner = i, .fd = fd, .flags = flags };
	return fd;
}

static void fill_attr(struct hlink_attr *a, const struct stat *st)
{
	memset(a, 0, sizeof(*a));
	a->ino = st->st_ino;
	a->size = (uint64_t)st->st_size;
	a->blocks = (uint64_t)st->st_blocks;
	a->atime = st->st_atim.tv_sec;
	a->mtime = st->st_mtim.tv_sec;
	a->ctime = st->st_ctim.tv_sec;
	a->atime_nsec = (uint32_t)st->st_atim.tv_nsec;
	a->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	a->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
	a->mode = st->st_mode;
	a->nlink = (uint32_t)st->st_nlink;
	a->uid = st->st_uid;
	a->gid = st->st_gid;
	a->rdev_major = major(st->st_rdev);
	a->rdev_minor = minor(st->st_rdev);
	a->blksize = (uint32_t)st->st_blksize;
}

/* A /proc path for fd, for calls that take no descriptor of an O_PATH file. */
static void proc_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/*
 * The ownership record of the file open at fd (stat st): 1 and *o if it has
 * one. Kept in i until the file's ctime moves (any xattr change moves it).
 */
static int owner_get(struct hlink_host *h, struct hlink_inode *i, int fd,
		     const struct stat *st, struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE + 1];
	char path[64];
	ssize_t n;
	int has;

	if (i && i->owner_state && i->owner_ctime.tv_sec == st->st_ctim.tv_sec &&
	    i->owner_ctime.tv_nsec == st->st_ctim.tv_nsec) {
		*o = i->owner;
		return i->owner_state == 2;
	}
	proc_path(path, sizeof(path), fd);
	n = getxattr(path, h->owner_xattr, rec, sizeof(rec));
	has = n >= 0 && !hlink_owner_decode(o, rec, (size_t)n);
	if (i) {
		i->owner_state = has ? 2 : 1;
		i->owner_ctime = st->st_ctim;
		if (has)
			i->owner = *o;
	}
	return has;
}

/* Write the record o for the file open at fd (O_PATH or not). */
static int owner_put(struct hlink_host *h, struct hlink_inode *i, int fd,
		     const struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE];
	char path[64];

	if (i)
		i->owner_state = 0;
	hlink_owner_encode(o, rec);
	proc_path(path, sizeof(path), fd);
	return setxattr(path, h->owner_xattr, rec, sizeof(rec), 0) ? -errno : 0;
}

/* What the guest is shown of the file open at fd: its export's model applied. */
static void show_attr(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i,
		      int fd, const struct stat *st, struct hlink_attr *a)
{
	struct hlink_owner o;
	int has = 0;

	fill_attr(a, st);
	if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
		has = owner_get(h, i, fd, st, &o);
	hlink_owner_show(&e->policy, has ? &o : NULL, a);
}

static int fd_attr(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i,
		   int fd, struct hlink_attr *a)
{
	struct stat st;

	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -errno;
	show_attr(h, e, i, fd, &st, a);
	return 0;
}

/*
 * Issue a handle for the file open at fd: find or add its inode, take one
 * lookup reference, and fill the entry. Its type, attributes and handle all
 * come from that one descriptor, never from a name looked up again (a host
 * user could swap the name in between).
 */
static int issue_fd(struct hlink_host *h, struct hlink_export *e, int fd,
		    struct hlink_entry_out *out)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[HLINK_FH_MAX];
	} buf;
	struct hlink_inode *i, *old = NULL;
	struct stat st;
	int mount_id;

	if (fstatat(fd, "", &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -errno;
	/* Never cross into another file system mounted inside the export. */
	if (st.st_dev != e->dev)
		return -EXDEV;
	buf.fh.handle_bytes = HLINK_FH_MAX;
	if (name_to_handle_at(fd, "", &buf.fh, &mount_id, AT_EMPTY_PATH))
		return -errno;
	if (mount_id != e->mount_id)
		return -EXDEV;

	for (i = e->table[bucket_of(st.st_ino)]; i; i = i->next) {
		if (i->ino != (uint64_t)st.st_ino || i->stale)
			continue;
		if (i->fh->handle_bytes == buf.fh.handle_bytes &&
		    i->fh->handle_type == buf.fh.handle_type &&
		    !memcmp(i->fh->f_handle, buf.fh.f_handle, buf.fh.handle_bytes))
			break;
		old = i;	/* same number, another file: the old one is gone */
	}
	if (old) {
		old->stale = 1;
		slot_close(h, old);
	}
	if (!i) {
		i = calloc(1, sizeof(*i));
		if (!i)
			return -ENOMEM;
		i->fh = malloc(sizeof(struct file_handle) + buf.fh.handle_bytes);
		if (!i->fh) {
			free(i);
			return -ENOMEM;
		}
		memcpy(i->fh, &buf.fh, sizeof(struct file_handle) + buf.fh.handle_bytes);
		i->ino = st.st_ino;
		i->type = st.st_mode & S_IFMT;
		i->pin_fd = -1;
		if (++h->next_gen == 0)
			h->next_gen = 1;
		i->gen = h->next_gen;
		i->next = e->table[bucket_of(i->ino)];
		e->table[bucket_of(i->ino)] = i;
		h->stats.inodes++;
	}
	i->nlookup++;
	out->handle = (struct hlink_handle){ .ino = i->ino, .sbid = e->sbid, .gen = i->gen };
	show_attr(h, e, i, fd, &st, &out->attr);
	return 0;
}

/* Issue a handle for name in directory dirfd, opened once (O_PATH, no symlink followed). */
static int issue_entry(struct hlink_host *h, struct hlink_export *e, int dirfd,
		       const char *name, struct hlink_entry_out *out)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = issue_fd(h, e, fd, out);
	close(fd);
	return err;
}

/* ---- replies ------------------------------------------------------------ */

/* The reply body, len bytes; hlink_req_decode has checked there is room. */
static void *reply(struct hlink_call *c, size_t len)
{
	if (len > c->out_max)
		return NULL;
	c->out_len = len;
	return c->out;
}

/* The directory fd for a handle that must name a directory. */
static int dir_fd(struct hlink_host *h, const struct hlink_handle *hd,
		  struct hlink_export **ep, struct hlink_inode **ip)
{
	struct hlink_inode *i = inode_get(h, hd, ep);

	if (!i)
		return -ESTALE;
	if (!S_ISDIR(i->type))
		return -ENOTDIR;
	if (ip)
		*ip = i;
	return inode_fd(h, *ep, i, O_RDONLY);
}

/*
 * Descriptors for two inodes at once. Two inodes can share a slot, and then
 * opening the second would close the first: *dup_a is set to a duplicate of
 * the first that the caller closes after use, or -1.
 */
static int two_fds(struct hlink_host *h, struct hlink_export *e,
		   struct hlink_inode *a, int want_a, struct hlink_inode *b, int want_b,
		   int *fa, int *fb, int *dup_a)
{
	*dup_a = -1;
	*fa = inode_fd(h, e, a, want_a);
	if (*fa < 0)
		return *fa;
	if (a != b && slot_of(h, a) == slot_of(h, b) && a->pin_fd < 0) {
		*dup_a = fcntl(*fa, F_DUPFD_CLOEXEC, 0);
		if (*dup_a < 0)
			return -errno;
		*fa = *dup_a;
	}
	*fb = inode_fd(h, e, b, want_b);
	if (*fb < 0 && *dup_a >= 0) {
		close(*dup_a);
		*dup_a = -1;
	}
	return *fb < 0 ? *fb : 0;
}

/* ---- operations ---------------------------------------------------------- */

static int op_hello(struct hlink_call *c)
{
	const struct hlink_hello_in *in = c->in;
	struct hlink_hello_out *out = reply(c, sizeof(*out));

	*out = (struct hlink_hello_out){ .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR,
					 .io_max = HLINK_IO_MAX };
	if (in->major != HLINK_ABI_MAJOR)
		return -EPROTO;
	c->host->hello_done = 1;
	return 0;
}

static void export_free(struct hlink_host *h, struct hlink_export *e)
{
	unsigned int b;

	for (b = 0; b < HLINK_INODE_BUCKETS; b++)
		while (e->table[b])
			inode_free(h, e, e->table[b]);
	close(e->root_fd);
	h->exports[e->sbid - 1] = NULL;
	free(e);
}

/*
 * Whether the resolved directory real lies at or below an allowed export;
 * *p is the ownership model of the closest such entry. The allowlist was
 * checked when the module was made.
 */
static int export_allowed(const struct hlink_host *h, const char *real, struct hlink_policy *p)
{
	const char *s = h->allow;
	size_t best = 0;
	int found = 0;

	/* The host's administrator names what may be exported: unset, nothing. */
	if (!s)
		return 0;
	while (*s) {
		size_t len = strcspn(s, ":"), n;
		struct hlink_policy pol;

		if (!hlink_policy_parse(s, len, &n, &pol)) {
			while (n > 1 && s[n - 1] == '/')
				n--;
			if (n && !strncmp(real, s, n) &&
			    (real[n] == '\0' || real[n] == '/' || (n == 1 && s[0] == '/')) &&
			    (!found || n > best)) {
				found = 1;
				best = n;
				*p = pol;
			}
		}
		s += len;
		if (*s == ':')
			s++;
	}
	return found;
}

static int op_mount(struct hlink_call *c)
{
	struct hlink_mount_out *mo = reply(c, sizeof(*mo));
	struct hlink_entry_out *out = &mo->root;
	struct hlink_host *h = c->host;
	struct hlink_policy policy;
	struct hlink_export *e;
	struct stat st;
	char *path = h->scratch;
	unsigned int n;
	int err;

	int pfd, root_fd;

	memcpy(path, c->r->data, c->r->data_len);
	path[c->r->data_len] = '\0';
	/*
	 * Resolve the path once, then check where the directory opened really
	 * is (its /proc link) and use that same directory: a path checked and
	 * then opened again could be swapped for a symlink in between.
	 */
	pfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	{
		char link[64];
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
		len = readlink(link, path, HLINK_SCRATCH_SIZE - 1);
		err = len < 0 ? -errno : len >= HLINK_SCRATCH_SIZE - 1 ? -ENAMETOOLONG : 0;
		if (!err) {
			path[len] = '\0';
			if (!export_allowed(h, path, &policy))
				err = -EACCES;
		}
	}
	root_fd = err ? -1 : openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!err && root_fd < 0)
		err = -errno;
	close(pfd);
	if (err)
		return err;
	for (n = 0; n < HLINK_EXPORTS_MAX && h->exports[n]; n++)
		;
	e = n == HLINK_EXPORTS_MAX ? NULL : calloc(1, sizeof(*e));
	if (!e) {
		close(root_fd);
		return n == HLINK_EXPORTS_MAX ? -ENOSPC : -ENOMEM;
	}
	e->sbid = n + 1;
	e->root_fd = root_fd;
	e->policy = policy;
	if (fstat(e->root_fd, &st)) {
		err = -errno;
		close(e->root_fd);
		free(e);
		return err;
	}
	e->dev = st.st_dev;
	{
		struct {
			struct file_handle fh;
			unsigned char bytes[HLINK_FH_MAX];
		} probe = { .fh.handle_bytes = HLINK_FH_MAX };

		if (name_to_handle_at(e->root_fd, "", &probe.fh, &e->mount_id, AT_EMPTY_PATH)) {
			err = -errno;
			close(e->root_fd);
			free(e);
			return err;
		}
	}
	h->exports[n] = e;
	err = issue_fd(h, e, e->root_fd, out);
	if (err) {
		export_free(h, e);
		return err;
	}
	e->root = inode_find(e, out->handle.ino, out->handle.gen);
	mo->ownership = policy.ownership;
	mo->flags = policy.ownership == HLINK_OWNERSHIP_MAPPED ? 0 : HLINK_MOUNT_NODEV;
	return 0;
}

static int op_umount(struct hlink_call *c)
{
	const struct hlink_umount_in *in = c->in;
	struct hlink_export *e = export_of(c->host, in->sbid);

	if (!e)
		return -ESTALE;
	export_free(c->host, e);
	return 0;
}

static int op_lookup(struct hlink_call *c)
{
	const struct hlink_name_in *in = c->in;
	struct hlink_entry_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_inode *dir;
	const char *name = c->r->name;
	int fd;

	fd = dir_fd(h, &in->dir, &e, &dir);
	if (fd < 0)
		return fd;
	if (!strcmp(name, "."))
		return issue_fd(h, e, fd, out);
	if (!strcmp(name, "..")) {
		struct hlink_inode *p;
		struct stat st;
		int pfd, err;

		/* '..' of the export root is the root; elsewhere it must be a
		 * directory this module has already issued, checked and issued
		 * through one descriptor (a host user may move directories). */
		if (dir == e->root)
			return issue_fd(h, e, fd, out);
		pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0)
			return -errno;
		if (fstatat(pfd, "", &st, AT_EMPTY_PATH)) {
			err = -errno;
		} else {
			for (p = e->table[bucket_of(st.st_ino)]; p; p = p->next)
				if (p->ino == (uint64_t)st.st_ino && !p->stale && p->nlookup &&
				    S_ISDIR(p->type))
					break;
			err = p ? issue_fd(h, e, pfd, out) : -ESTALE;
		}
		close(pfd);
		return err;
	}
	return issue_entry(h, e, fd, name, out);
}

static int op_forget(struct hlink_call *c)
{
	const struct hlink_forget_in *in = c->in;
	struct hlink_export *e = export_of(c->host, in->handle.sbid);
	struct hlink_inode *i;

	if (!e)
		return -ESTALE;
	/* Stale inodes can still be forgotten: look past the stale flag. */
	for (i = e->table[bucket_of(in->handle.ino)]; i; i = i->next)
		if (i->ino == in->handle.ino && i->gen == in->handle.gen && in->handle.gen)
			break;
	if (!i || i->nlookup == 0)
		return -ESTALE;
	if (in->nlookup > i->nlookup)
		return -EINVAL;
	i->nlookup -= in->nlookup;
	if (i->nlookup == 0 && i != e->root)
		inode_free(c->host, e, i);
	return 0;
}

static int op_getattr(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_attr_out *out = reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	fd = inode_fd(c->host, e, i, O_PATH);
	return fd < 0 ? fd : fd_attr(c->host, e, i, fd, &out->attr);
}

static int op_setattr(struct hlink_call *c)
{
	const struct hlink_setattr_in *in = c->in;
	struct hlink_attr_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(h, &in->handle, &e);
	char path[64];
	int fd;

	if (!i)
		return -ESTALE;
	/* Device nodes are the host's (a guest cannot make one): not its to open up. */
	if ((S_ISCHR(i->type) || S_ISBLK(i->type)) &&
	    (in->valid & (HLINK_SETATTR_MODE | HLINK_SETATTR_UID | HLINK_SETATTR_GID)))
		return -EPERM;
	if (in->valid & HLINK_SETATTR_SIZE) {
		if (!S_ISREG(i->type))
			return S_ISDIR(i->type) ? -EISDIR : -EINVAL;
		fd = inode_fd(h, e, i, O_RDWR);
		if (fd < 0)
			return fd;
		if (ftruncate(fd, (off_t)in->size))
			return -errno;
	}
	fd = inode_fd(h, e, i, O_PATH);
	if (fd < 0)
		return fd;
	if (in->valid & (HLINK_SETATTR_MODE | HLINK_SETATTR_UID | HLINK_SETATTR_GID)) {
		struct hlink_chown ch;
		struct hlink_owner o;
		struct hlink_attr ha;
		struct stat st;
		int err, has = 0;

		if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return -errno;
		fill_attr(&ha, &st);
		if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
			has = owner_get(h, i, fd, &st, &o);
		err = hlink_policy_chown(&e->policy, in, &ha, has ? &o : NULL, &ch);
		if (!err && ch.record)
			err = owner_put(h, i, fd, &ch.owner);
		if (err)
			return err;
		if ((ch.host_valid & (HLINK_SETATTR_UID | HLINK_SETATTR_GID)) &&
		    fchownat(fd, "", ch.host_valid & HLINK_SETATTR_UID ? ch.host_uid : (uid_t)-1,
			     ch.host_valid & HLINK_SETATTR_GID ? ch.host_gid : (gid_t)-1,
			     AT_EMPTY_PATH))
			return -errno;
		if (ch.host_valid & HLINK_SETATTR_MODE) {
			if (S_ISLNK(i->type))
				return -EOPNOTSUPP;
			proc_path(path, sizeof(path), fd);
			if (chmod(path, ch.host_mode))
				return -errno;
		}
	}
	if (in->valid & (HLINK_SETATTR_ATIME | HLINK_SETATTR_MTIME |
			 HLINK_SETATTR_ATIME_NOW | HLINK_SETATTR_MTIME_NOW)) {
		struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_OMIT } };

		if (in->valid & HLINK_SETATTR_ATIME)
			ts[0] = (struct timespec){ in->atime, in->atime_nsec };
		if (in->valid & HLINK_SETATTR_ATIME_NOW)
			ts[0].tv_nsec = UTIME_NOW;
		if (in->valid & HLINK_SETATTR_MTIME)
			ts[1] = (struct timespec){ in->mtime, in->mtime_nsec };
		if (in->valid & HLINK_SETATTR_MTIME_NOW)
			ts[1].tv_nsec = UTIME_NOW;
		/* The file itself, a symlink included (utimensat(2) AT_EMPTY_PATH). */
		if (utimensat(fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return -errno;
	}
	return fd_attr(h, e, i, fd, &out->attr);
}

static int op_io(struct hlink_call *c, int write)
{
	const struct hlink_io_in *in = c->in;
	int pre = write && (in->flags & HLINK_IO_WANT_PRE);
	struct hlink_io_out *out = reply(c, sizeof(*out) + (pre ? sizeof(struct hlink_io_pre) : 0));
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	char *buf = (char *)(uintptr_t)in->buf;
	size_t done = 0;
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type))
		return S_ISDIR(i->type) ? -EISDIR : -EINVAL;
	fd = inode_fd(c->host, e, i, write ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return fd;
	memset(out, 0, sizeof(*out) + (pre ? sizeof(struct hlink_io_pre) : 0));
	if (pre) {
		struct hlink_io_pre *p = (struct hlink_io_pre *)(out + 1);
		struct stat st;

		if (fstat(fd, &st))
			return -errno;
		p->mtime = st.st_mtim.tv_sec;
		p->mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
		p->size = (uint64_t)st.st_size;
	}
	while (done < in->len) {
		ssize_t n = write ? pwrite(fd, buf + done, in->len - done, (off_t)(in->offset + done))
				  : pread(fd, buf + done, in->len - done, (off_t)(in->offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (done)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	out->count = (uint32_t)done;
	if (in->flags & HLINK_IO_WANT_ATTR)
		return fd_attr(c->host, e, i, fd, &out->attr);
	return 0;
}

static int op_read(struct hlink_call *c)
{
	return op_io(c, 0);
}

static int op_write(struct hlink_call *c)
{
	return op_io(c, 1);
}

/*
 * Create entries as the guest asked, in one call: the owner through
 * fsuid/fsgid and the exact mode through umask 0, so that nothing acts on the
 * new name afterwards (a host user who can write in the export could swap it
 * for a symlink in between, and a chmod or chown by name would follow it).
 * The module keeps its capabilities across the fsuid change, as the chown
 * it replaces had them (SECBIT_NO_SETUID_FIXUP on this thread).
 */
struct hlink_as {
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
};

static void as_restore(const struct hlink_as *old)
{
	umask(old->umask);
	setfsuid(old->fsuid);
	setfsgid(old->fsgid);
}

static int as_guest(struct hlink_host *h, uint32_t uid, uint32_t gid, struct hlink_as *old)
{
	if (!h->keep_caps && geteuid() == 0) {
		int bits = prctl(PR_GET_SECUREBITS);

		h->keep_caps = bits >= 0 &&
			       prctl(PR_SET_SECUREBITS, bits | SECBIT_NO_SETUID_FIXUP) == 0;
	}
	old->fsgid = (gid_t)setfsgid(gid);
	old->fsuid = (uid_t)setfsuid(uid);
	old->umask = umask(0);
	/* setfsuid(-1) changes nothing and says what is in force. */
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid) {
		as_restore(old);
		return -EPERM;
	}
	return 0;
}

/* Undo a half-made entry when the reply cannot be completed. */
static void undo_create(int dirfd, const char *name, int is_dir)
{
	unlinkat(dirfd, name, is_dir ? AT_REMOVEDIR : 0);
}

/* as_guest with the ids a new entry is made with under the export's model. */
static int as_maker(struct hlink_host *h, const struct hlink_make *m, struct hlink_as *old)
{
	return as_guest(h, m->as_self ? (uint32_t)geteuid() : m->uid,
			m->as_self ? (uint32_t)getegid() : m->gid, old);
}

/*
 * The entry just made as m says, opened by name (O_NOFOLLOW) to finish it:
 * the open is checked to be of the type and owner made, so a host user who
 * swapped the name for something else gets nothing done to theirs.
 */
static int open_made(int dfd, const char *name, const struct hlink_make *m, int flags)
{
	uid_t uid = m->as_self ? geteuid() : m->uid;
	struct stat st;
	int fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || (st.st_mode & S_IFMT) != (m->host_mode & S_IFMT) || st.st_uid != uid) {
		close(fd);
		return -EAGAIN;
	}
	return fd;
}

static int op_create(struct hlink_call *c)
{
	const struct hlink_create_in *in = c->in;
	struct hlink_entry_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	int dfd, fd, err, created = 1;

	dfd = dir_fd(h, &in->dir, &e, NULL);
	if (dfd < 0)
		return dfd;
	err = hlink_policy_make(&e->policy, in->mode, in->uid, in->gid, 0, 0, &m);
	if (err || (err = as_maker(h, &m, &as)))
		return err;
	fd = openat(dfd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC,
		    m.host_mode & 07777);
	err = errno;
	as_restore(&as);
	if (fd < 0 && err == EEXIST && !(in->flags & HLINK_CREATE_EXCL)) {
		/* Only to see its type: opening a device or FIFO could act. */
		created = 0;
		fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		err = errno;
	}
	if (fd < 0)
		return -err;
	err = 0;
	if (!created) {
		struct stat st;

		if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			err = S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
	} else if (m.record) {
		err = owner_put(h, NULL, fd, &m.owner);
	}
	close(fd);
	if (!err)
		err = issue_entry(h, e, dfd, name, out);
	if (err && created)
		undo_create(dfd, name, 0);
	return err;
}

/*
 * MKDIR and MKNOD: the same steps but for the type and the call. A regular
 * host file (MKNOD of one, or a mapped device node, FIFO or socket) is made
 * by open, which gives the descriptor its record is written through.
 */
static int make_node(struct hlink_call *c, int is_dir)
{
	const struct hlink_create_in *in = c->in;
	struct hlink_entry_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	int dfd, fd = -1, err;

	dfd = dir_fd(h, &in->dir, &e, NULL);
	if (dfd < 0)
		return dfd;
	err = hlink_policy_make(&e->policy, is_dir ? S_IFDIR | (in->mode & 07777) : in->mode,
				in->uid, in->gid, in->rdev_major, in->rdev_minor, &m);
	if (err || (err = as_maker(h, &m, &as)))
		return err;
	if (is_dir) {
		err = mkdirat(dfd, name, m.host_mode & 07777) ? -errno : 0;
	} else if (S_ISREG(m.host_mode)) {
		fd = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
			    m.host_mode & 07777);
		err = fd < 0 ? -errno : 0;
	} else {
		err = mknodat(dfd, name, m.host_mode & (S_IFMT | 07777), 0) ? -errno : 0;
	}
	as_restore(&as);
	if (err)
		return err;
	/* mkdir(2) drops S_ISGID from the mode it is given: set it on what was made. */
	if (is_dir && (m.record || (m.host_mode & S_ISGID))) {
		fd = open_made(dfd, name, &m, O_RDONLY | O_DIRECTORY);
		if (fd >= 0 && (m.host_mode & S_ISGID) && fchmod(fd, m.host_mode & 07777))
			err = -errno;
	}
	if (!err && m.record)
		err = fd < 0 ? fd : owner_put(h, NULL, fd, &m.owner);
	if (fd >= 0)
		close(fd);
	if (!err)
		err = issue_entry(h, e, dfd, name, out);
	if (err)
		undo_create(dfd, name, is_dir);
	return err;
}

static int op_mkdir(struct hlink_call *c)
{
	return make_node(c, 1);
}

static int op_mknod(struct hlink_call *c)
{
	return make_node(c, 0);
}

static int op_symlink(struct hlink_call *c)
{
	const struct hlink_symlink_in *in = c->in;
	struct hlink_entry_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	char *target = h->scratch;
	int dfd, fd, err;

	/* The target is stored as text; the host never follows it. */
	memcpy(target, c->r->data, c->r->data_len);
	target[c->r->data_len] = '\0';
	dfd = dir_fd(h, &in->dir, &e, NULL);
	if (dfd < 0)
		return dfd;
	err = hlink_policy_make(&e->policy, S_IFLNK | 0777, in->uid, in->gid, 0, 0, &m);
	if (err || (err = as_maker(h, &m, &as)))
		return err;
	err = symlinkat(target, dfd, name) ? -errno : 0;
	as_restore(&as);
	if (err)
		return err;
	if (m.record) {
		fd = open_made(dfd, name, &m, O_PATH);
		err = fd < 0 ? fd : owner_put(h, NULL, fd, &m.owner);
		if (fd >= 0)
			close(fd);
		/* user.* attributes cannot be set on symlinks: such a one shows the host's owner. */
		if (err == -EPERM && !strncmp(h->owner_xattr, "user.", 5))
			err = 0;
	}
	if (!err)
		err = issue_entry(h, e, dfd, name, out);
	if (err)
		undo_create(dfd, name, 0);
	return err;
}

static int op_readlink(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_readlink_out *out = reply(c, sizeof(*out) + HLINK_PATH_MAX);
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	ssize_t n;
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISLNK(i->type))
		return -EINVAL;
	fd = inode_fd(c->host, e, i, O_PATH);
	if (fd < 0)
		return fd;
	n = readlinkat(fd, "", (char *)(out + 1), HLINK_PATH_MAX);
	if (n < 0)
		return -errno;
	out->len = (uint32_t)n;
	out->padding = 0;
	c->out_len = sizeof(*out) + (size_t)n;
	return 0;
}

static int op_link(struct hlink_call *c)
{
	const struct hlink_link_in *in = c->in;
	struct hlink_entry_out *out = reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e, *de;
	struct hlink_inode *i, *d;
	const char *name = c->r->name;
	int fd, dfd, dup, err;

	i = inode_get(h, &in->handle, &e);
	d = inode_get(h, &in->dir, &de);
	if (!i || !d)
		return -ESTALE;
	if (S_ISDIR(i->type))
		return -EPERM;
	if (!S_ISDIR(d->type))
		return -ENOTDIR;
	if (de != e)
		return -EXDEV;
	err = two_fds(h, e, i, O_PATH, d, O_RDONLY, &fd, &dfd, &dup);
	if (err)
		return err;
	if (linkat(fd, "", dfd, name, AT_EMPTY_PATH))
		err = -errno;
	else if ((err = issue_entry(h, e, dfd, name, out)))
		undo_create(dfd, name, 0);
	if (dup >= 0)
		close(dup);
	return err;
}

/*
 * Before name in dfd loses what may be its last link: if the guest still
 * references that file, keep it open so its handle stays usable.
 */
static void pin_victim(struct hlink_host *h, struct hlink_export *e, int dfd, const char *name)
{
	struct hlink_inode *i;
	struct stat st;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) || st.st_nlink != 1 ||
	    !S_ISREG(st.st_mode))
		return;
	for (i = e->table[bucket_of(st.st_ino)]; i; i = i->next)
		if (i->ino == (uint64_t)st.st_ino && !i->stale && i->nlookup && i->pin_fd < 0)
			break;
	if (!i)
		return;
	/* Its own descriptor: going through the slots could evict dfd. */
	fd = open_by_handle_at(e->root_fd, i->fh, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		fd = open_by_handle_at(e->root_fd, i->fh, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		h->stats.fd_opens++;
		i->pin_fd = fd;
	}
}

static int op_remove(struct hlink_call *c, int flags)
{
	const struct hlink_name_in *in = c->in;
	struct hlink_export *e;
	const char *name = c->r->name;
	int dfd;

	dfd = dir_fd(c->host, &in->dir, &e, NULL);
	if (dfd < 0)
		return dfd;
	if (!flags)
		pin_victim(c->host, e, dfd, name);
	return unlinkat(dfd, name, flags) ? -errno : 0;
}

static int op_unlink(struct hlink_call *c)
{
	return op_remove(c, 0);
}

static int op_rmdir(struct hlink_call *c)
{
	return op_remove(c, AT_REMOVEDIR);
}

static int op_rename(struct hlink_call *c)
{
	const struct hlink_rename_in *in = c->in;
	struct hlink_host *h = c->host;
	struct hlink_export *e1, *e2;
	struct hlink_inode *d1, *d2;
	const char *oldn = c->r->name, *newn = c->r->name2;
	unsigned int flags = 0;
	int fd1, fd2, dup, err;

	d1 = inode_get(h, &in->old_dir, &e1);
	d2 = inode_get(h, &in->new_dir, &e2);
	if (!d1 || !d2)
		return -ESTALE;
	if (!S_ISDIR(d1->type) || !S_ISDIR(d2->type))
		return -ENOTDIR;
	if (e1 != e2)
		return -EXDEV;
	err = two_fds(h, e1, d1, O_RDONLY, d2, O_RDONLY, &fd1, &fd2, &dup);
	if (err)
		return err;
	if (!in->flags)
		pin_victim(h, e2, fd2, newn);
	if (in->flags & HLINK_RENAME_NOREPLACE)
		flags |= RENAME_NOREPLACE;
	if (in->flags & HLINK_RENAME_EXCHANGE)
		flags |= RENAME_EXCHANGE;
	err = renameat2(fd1, oldn, fd2, newn, flags) ? -errno : 0;
	if (dup >= 0)
		close(dup);
	return err;
}

static unsigned char dtype_of(mode_t m)
{
	return (unsigned char)(IFTODT(m));
}

/* The d_type of a mapped device node, FIFO or socket: its record's. */
static unsigned int marker_dtype(struct hlink_host *h, int dfd, const char *name,
				 unsigned int host_dtype)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE + 1];
	struct hlink_owner o;
	char path[32 + NAME_MAX + 1];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dfd, name);
	n = lgetxattr(path, h->owner_xattr, rec, sizeof(rec));
	if (n < 0 || hlink_owner_decode(&o, rec, (size_t)n))
		return host_dtype;
	return hlink_owner_dtype(&o, host_dtype);
}

static int op_readdir(struct hlink_call *c)
{
	const struct hlink_readdir_in *in = c->in;
	struct hlink_readdir_out *out;
	struct hlink_export *e;
	char *buf = c->host->scratch;
	size_t room, used = 0;
	int fd;

	room = in->max_bytes < c->out_max - sizeof(*out) ? in->max_bytes : c->out_max - sizeof(*out);
	out = c->out;
	*out = (struct hlink_readdir_out){ .next_cookie = in->cookie };
	fd = dir_fd(c->host, &in->dir, &e, NULL);
	if (fd < 0)
		return fd;
	if (lseek(fd, (off_t)in->cookie, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, HLINK_SCRATCH_SIZE);
		long off = 0;

		if (n < 0)
			return -errno;
		if (n == 0) {
			out->eof = 1;
			break;
		}
		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			size_t nl = strlen(d->d_name);
			size_t sz = sizeof(struct hlink_dirent) + ((nl + 7) & ~(size_t)7);
			struct hlink_dirent *hd;
			struct stat st;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
				out->next_cookie = (uint64_t)d->d_off;
				continue;
			}
			if (used + sz > room)
				goto full;
			hd = (struct hlink_dirent *)((char *)(out + 1) + used);
			memset(hd, 0, sz);
			if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				fill_attr(&hd->attr, &st);
				if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED &&
				    hlink_owner_marker(st.st_mode))
					d->d_type = (unsigned char)marker_dtype(c->host, fd,
										d->d_name, d->d_type);
			} else {
				/* Gone since getdents: list it without attributes. */
				st.st_mode = 0;
				hd->attr.ino = d->d_ino;
			}
			hd->cookie = (uint64_t)d->d_off;
			hd->name_len = (uint32_t)nl;
			hd->type = d->d_type != DT_UNKNOWN ? d->d_type : dtype_of(st.st_mode);
			memcpy(hd + 1, d->d_name, nl);
			used += sz;
			out->count++;
			out->next_cookie = (uint64_t)d->d_off;
		}
	}
full:
	c->out_len = sizeof(*out) + used;
	return 0;
}

static int op_statfs(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_statfs_out *out = reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	struct statfs s;
	int fd;

	if (!i)
		return -ESTALE;
	fd = inode_fd(c->host, e, i, O_PATH);
	if (fd < 0)
		return fd;
	if (fstatfs(fd, &s))
		return -errno;
	*out = (struct hlink_statfs_out){
		.blocks = s.f_blocks, .bfree = s.f_bfree, .bavail = s.f_bavail,
		.files = s.f_files, .ffree = s.f_ffree, .bsize = (uint32_t)s.f_bsize,
		.frsize = (uint32_t)s.f_frsize, .name_max = (uint32_t)s.f_namelen,
	};
	return 0;
}

static int op_fsync(struct hlink_call *c)
{
	const struct hlink_fsync_in *in = c->in;
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type) && !S_ISDIR(i->type))
		return -EINVAL;
	fd = inode_fd(c->host, e, i, O_RDONLY);
	if (fd < 0)
		return fd;
	return (in->datasync ? fdatasync(fd) : fsync(fd)) ? -errno : 0;
}

static int op_fallocate(struct hlink_call *c)
{
	const struct hlink_fallocate_in *in = c->in;
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type))
		return S_ISDIR(i->type) ? -EISDIR : -ENODEV;
	fd = inode_fd(c->host, e, i, O_RDWR);
	if (fd < 0)
		return fd;
	return fallocate(fd, (int)in->mode, (off_t)in->offset, (off_t)in->len) ? -errno : 0;
}

/* The inode and a /proc path to it, for the xattr calls (hlink_req.c lets
 * only user.* names through). */
static int xattr_target(struct hlink_call *c, const struct hlink_xattr_in *in,
			char *path, size_t len)
{
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	/* user.* xattrs exist only on regular files and directories. */
	if (!S_ISREG(i->type) && !S_ISDIR(i->type))
		return -EPERM;
	fd = inode_fd(c->host, e, i, O_PATH);
	if (fd < 0)
		return fd;
	proc_path(path, len, fd);
	return 0;
}

static int op_setxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	const char *name = c->r->name;
	char path[64];
	int err;

	if ((err = xattr_target(c, in, path, sizeof(path))))
		return err;
	return setxattr(path, name, c->r->data, c->r->data_len, (int)in->flags) ? -errno : 0;
}

static int op_getxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_xattr_out *out;
	const char *name = c->r->name;
	char path[64];
	ssize_t n;
	int err;

	out = reply(c, sizeof(*out) + in->size);
	if ((err = xattr_target(c, in, path, sizeof(path))))
		return err;
	n = getxattr(path, name, in->size ? out + 1 : NULL, in->size);
	if (n < 0)
		return -errno;
	*out = (struct hlink_xattr_out){ .size = (uint32_t)n };
	c->out_len = sizeof(*out) + (in->size ? (size_t)n : 0);
	return 0;
}

static int op_listxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_xattr_out *out;
	char path[64], *list, *p;
	ssize_t n;
	size_t used = 0;
	int err;

	out = reply(c, sizeof(*out) + in->size);
	if ((err = xattr_target(c, in, path, sizeof(path))))
		return err;
	list = malloc(HLINK_XATTR_SIZE_MAX);
	if (!list)
		return -ENOMEM;
	n = listxattr(path, list, HLINK_XATTR_SIZE_MAX);
	if (n < 0) {
		err = -errno;
		free(list);
		return err;
	}
	/* Show only the namespace this module serves. */
	for (p = list; p < list + n; p += strlen(p) + 1) {
		size_t l = strlen(p) + 1;

		if (strncmp(p, "user.", 5) ||
		    !strncmp(p, HLINK_OWNER_XATTR_RESERVED, strlen(HLINK_OWNER_XATTR_RESERVED)))
			continue;
		if (in->size && used + l > in->size) {
			free(list);
			return -ERANGE;
		}
		if (in->size)
			memcpy((char *)(out + 1) + used, p, l);
		used += l;
	}
	free(list);
	*out = (struct hlink_xattr_out){ .size = (uint32_t)used };
	c->out_len = sizeof(*out) + (in->size ? used : 0);
	return 0;
}

static int op_removexattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	const char *name = c->r->name;
	char path[64];
	int err;

	if ((err = xattr_target(c, in, path, sizeof(path))))
		return err;
	return removexattr(path, name) ? -errno : 0;
}

/* The guest has no open file left: the descriptor can go early. */
static int op_release(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_export *e;
	struct hlink_inode *i = inode_get(c->host, &in->handle, &e);

	if (!i)
		return -ESTALE;
	slot_close(c->host, i);
	return 0;
}

/* ---- dispatch -------------------------------------------------------------- */

/* The file-system work of each op; hlink_req.c has checked the request. */
static int (*const hlink_ops[HLINK_OP_COUNT])(struct hlink_call *c) = {
	[HLINK_OP_HELLO] = op_hello,
	[HLINK_OP_MOUNT] = op_mount,
	[HLINK_OP_UMOUNT] = op_umount,
	[HLINK_OP_LOOKUP] = op_lookup,
	[HLINK_OP_FORGET] = op_forget,
	[HLINK_OP_GETATTR] = op_getattr,
	[HLINK_OP_SETATTR] = op_setattr,
	[HLINK_OP_READ] = op_read,
	[HLINK_OP_WRITE] = op_write,
	[HLINK_OP_CREATE] = op_create,
	[HLINK_OP_MKDIR] = op_mkdir,
	[HLINK_OP_MKNOD] = op_mknod,
	[HLINK_OP_SYMLINK] = op_symlink,
	[HLINK_OP_READLINK] = op_readlink,
	[HLINK_OP_LINK] = op_link,
	[HLINK_OP_UNLINK] = op_unlink,
	[HLINK_OP_RMDIR] = op_rmdir,
	[HLINK_OP_RENAME] = op_rename,
	[HLINK_OP_READDIR] = op_readdir,
	[HLINK_OP_STATFS] = op_statfs,
	[HLINK_OP_FSYNC] = op_fsync,
	[HLINK_OP_FALLOCATE] = op_fallocate,
	[HLINK_OP_SETXATTR] = op_setxattr,
	[HLINK_OP_GETXATTR] = op_getxattr,
	[HLINK_OP_LISTXATTR] = op_listxattr,
	[HLINK_OP_REMOVEXATTR] = op_removexattr,
	[HLINK_OP_RELEASE] = op_release,
};

long hlink_host_call(struct hlink_host *h, const void *req, size_t req_len,
		     void *rep, size_t rep_max)
{
	struct hlink_rep_hdr *rh = rep;
	struct hlink_req *r = &h->req;
	struct hlink_call c = { .host = h, .r = r, .in = &r->in };
	int err;

	if (rep_max < sizeof(*rh))
		return -ERANGE;
	h->stats.calls++;
	err = hlink_req_decode(r, req, req_len, rep_max, h->hello_done);
	if (h->trace)
		fprintf(stderr, ">>> %s unique %llu len %zu\n", hlink_op_name(r->hdr.opcode),
			(unsigned long long)r->hdr.unique, req_len);
	if (!err) {
		c.out = rh + 1;
		c.out_max = rep_max - sizeof(*rh);
		err = hlink_ops[r->hdr.opcode](&c);
	}
	if (err)
		c.out_len = 0;
	rh->error = err;
	rh->len = (uint32_t)(sizeof(*rh) + c.out_len);
	rh->unique = r->hdr.unique;
	if (h->trace)
		fprintf(stderr, "<<< %s unique %llu error %d\n", hlink_op_name(r->hdr.opcode),
			(unsigned long long)r->hdr.unique, err);
	return rh->len;
}

/* Every allowlist entry well formed: else the module is not made. */
static int allowlist_valid(const char *s)
{
	while (*s) {
		size_t len = strcspn(s, ":"), n;
		struct hlink_policy p;

		if (hlink_policy_parse(s, len, &n, &p) || n == 0 || s[0] != '/') {
			fprintf(stderr, "hlink: bad export entry '%.*s' (DIR[,mapped|passthrough|squash]"
				"[,suid][,anonuid=N][,anongid=N])\n", (int)len, s);
			return 0;
		}
		s += len;
		if (*s == ':')
			s++;
	}
	return 1;
}

/* Whether this process may write trusted.* attributes (CAP_SYS_ADMIN in effect). */
static int may_trusted(void)
{
	struct __user_cap_header_struct hd = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hd, d))
		return 0;
	return !!(d[CAP_SYS_ADMIN / 32].effective & (1U << (CAP_SYS_ADMIN % 32)));
}

struct hlink_host *hlink_host_new(const struct hlink_host_opts *opts)
{
	struct hlink_host *h;
	struct rlimit rl;

	if (opts && opts->exports && !allowlist_valid(opts->exports)) {
		errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->trace = opts && opts->trace;
	h->owner_xattr = may_trusted() ? HLINK_OWNER_XATTR_TRUSTED : HLINK_OWNER_XATTR_USER;
	if (opts && opts->exports) {
		size_t n = strlen(opts->exports) + 1;

		/* Not strdup: see "Inside UML" at the top. */
		h->allow = malloc(n);
		if (h->allow)
			memcpy(h->allow, opts->exports, n);
		if (!h->allow) {
			free(h);
			return NULL;
		}
	}
	h->nslots = opts ? opts->fd_slots : 0;
	if (h->nslots == 0) {
		/* A quarter of the descriptor limit, between 16 and 1024. */
		h->nslots = 256;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			h->nslots = (unsigned int)(rl.rlim_cur / 4);
		if (h->nslots < 16)
			h->nslots = 16;
		if (h->nslots > 1024)
			h->nslots = 1024;
	}
	h->slots = calloc(h->nslots, sizeof(*h->slots));
	h->scratch = malloc(HLINK_SCRATCH_SIZE);
	if (!h->slots || !h->scratch) {
		free(h->slots);
		free(h->scratch);
		free(h->allow);
		free(h);
		return NULL;
	}
	return h;
}

void hlink_host_free(struct hlink_host *h)
{
	unsigned int n;

	if (!h)
		return;
	for (n = 0; n < HLINK_EXPORTS_MAX; n++)
		if (h->exports[n])
			export_free(h, h->exports[n]);
	free(h->slots);
	free(h->scratch);
	free(h->allow);
	free(h);
}

void hlink_host_stats(const struct hlink_host *h, struct hlink_host_stats *st)
{
	*st = h->stats;
}
