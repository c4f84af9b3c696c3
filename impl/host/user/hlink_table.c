// SPDX-License-Identifier: GPL-2.0
/*
 * User-space host module: the handle table (inodes by host inode number),
 * the open-file slots, and the attributes a reply carries. See the top of
 * hlink_host.c for how handles and slots work.
 */
#include "hlink_host_int.h"

struct hlink_export *hh_export_of(struct hlink_host *h, uint32_t sbid)
{
	if (sbid == 0 || sbid > HLINK_EXPORTS_MAX)
		return NULL;
	return h->exports[sbid - 1];
}

unsigned int hh_bucket_of(uint64_t ino)
{
	return (unsigned int)((ino * 0x9E3779B97F4A7C15ULL) >> 52) % HLINK_INODE_BUCKETS;
}

struct hlink_inode *hh_inode_find(struct hlink_export *e, uint64_t ino, uint32_t gen)
{
	struct hlink_inode *i;

	for (i = e->table[hh_bucket_of(ino)]; i; i = i->next)
		if (i->ino == ino && i->gen == gen && !i->stale)
			return i;
	return NULL;
}

static int same_handle(const struct file_handle *a, const struct file_handle *b)
{
	return a->handle_type == b->handle_type && a->handle_bytes == b->handle_bytes &&
	       !memcmp(a->f_handle, b->f_handle, a->handle_bytes);
}

/* Whether fd is open on i's file: same number is not enough, as numbers are reused. */
int hh_same_file(const struct hlink_inode *i, int fd)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[HLINK_FH_MAX];
	} buf = { .fh.handle_bytes = HLINK_FH_MAX };
	int mount_id;

	return !name_to_handle_at(fd, "", &buf.fh, &mount_id, AT_EMPTY_PATH) &&
	       same_handle(&buf.fh, i->fh);
}

static unsigned int prov_bucket(uint64_t unique)
{
	return (unsigned int)(unique % HLINK_PROV_BUCKETS);
}

/* Drop i's provisional name, if it has one. */
static void prov_unbind(struct hlink_export *e, struct hlink_inode *i)
{
	struct hlink_inode **p;

	if (!i->prov)
		return;
	for (p = &e->prov[prov_bucket(i->prov)]; *p; p = &(*p)->prov_next) {
		if (*p == i) {
			*p = i->prov_next;
			break;
		}
	}
	i->prov = 0;
	i->prov_next = NULL;
}

/*
 * The guest may name the entry out by the unique of the request that made
 * it, before it has the reply (hlink_abi.h). A unique given twice names the
 * later entry only: the guest confuses only itself. A unique given twice names the
 * later entry: the guest confuses only itself.
 */
void hh_prov_bind(struct hlink_host *h, struct hlink_export *e, const struct hlink_entry_out *out,
		  uint64_t unique)
{
	struct hlink_inode *i = hh_inode_find(e, out->handle.ino, out->handle.gen);
	struct hlink_inode **p;

	if (!e->exclusive || !i || !unique)
		return;
	for (p = &e->prov[prov_bucket(unique)]; *p; p = &(*p)->prov_next) {
		if ((*p)->prov == unique) {
			prov_unbind(e, *p);
			break;
		}
	}
	prov_unbind(e, i);
	i->prov = unique;
	i->prov_next = e->prov[prov_bucket(unique)];
	e->prov[prov_bucket(unique)] = i;
	h->stats.prov_binds++;
}

/* The inode a guest handle names, or NULL (-ESTALE). */
struct hlink_inode *hh_inode_get(struct hlink_host *h, const struct hlink_handle *hd,
				 struct hlink_export **ep)
{
	struct hlink_export *e = hh_export_of(h, hd->sbid & ~HLINK_HANDLE_PROV);
	struct hlink_inode *i = NULL;

	if (!e)
		return NULL;
	if (hd->sbid & HLINK_HANDLE_PROV) {
		if (!e->exclusive || hd->gen || !hd->ino)
			return NULL;
		for (i = e->prov[prov_bucket(hd->ino)]; i; i = i->prov_next)
			if (i->prov == hd->ino && !i->stale)
				break;
	} else if (hd->gen) {
		i = hh_inode_find(e, hd->ino, hd->gen);
	}
	if (!i || i->nlookup == 0)
		return NULL;
	*ep = e;
	return i;
}

static unsigned int slot_of(struct hlink_host *h, struct hlink_inode *i);

/* An inode uses one slot only: the one its number and generation pick. */
void hh_slot_close(struct hlink_host *h, struct hlink_inode *i)
{
	struct hlink_fd_slot *s = &h->slots[slot_of(h, i)];

	if (s->owner == i) {
		close(s->fd);
		s->owner = NULL;
	}
}

/* Give up the lock holder at *p and the locks it holds, with its file. */
void hh_lock_free(struct hlink_host *h, struct hlink_lock_holder **p)
{
	struct hlink_lock_holder *l = *p;

	*p = l->next;
	close(l->fd);
	hh_free(h, l);
	h->nlocks--;
}

/* Give up every lock held for i. */
void hh_locks_drop(struct hlink_host *h, struct hlink_inode *i)
{
	while (i->locks)
		hh_lock_free(h, &i->locks);
}

/* Take a kept inode off the kept list: it is issued again or freed. */
static void kept_unlink(struct hlink_host *h, struct hlink_inode *i)
{
	if (i->lru_prev)
		i->lru_prev->lru_next = i->lru_next;
	else
		h->kept_new = i->lru_next;
	if (i->lru_next)
		i->lru_next->lru_prev = i->lru_prev;
	else
		h->kept_old = i->lru_prev;
	i->lru_prev = NULL;
	i->lru_next = NULL;
	i->kept = 0;
	h->nkept--;
}

/* Close every host file held for i: its slot, its locks, its pin. */
static void release_files(struct hlink_host *h, struct hlink_inode *i)
{
	hh_slot_close(h, i);
	hh_locks_drop(h, i);
	if (i->pin_fd >= 0)
		close(i->pin_fd);
	i->pin_fd = -1;
	i->pin_direct = 0;
}

void hh_inode_free(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i)
{
	struct hlink_inode **p;

	for (p = &e->table[hh_bucket_of(i->ino)]; *p; p = &(*p)->next) {
		if (*p == i) {
			*p = i->next;
			break;
		}
	}
	release_files(h, i);
	prov_unbind(e, i);
	if (i->kept)
		kept_unlink(h, i);
	else
		h->stats.inodes--;
	hh_free(h, i->fh);
	hh_free(h, i);
}

/*
 * The guest holds no reference to i any more. Its descriptors and locks go
 * as they would if it were freed, but the inode stays in the table, with no
 * open file, for HLINK_RETAIN_MAX such inodes: a guest that looks the file
 * up again (after dropping its caches, say) finds its handle, and its
 * ownership record if that was read at a settled ctime the file still has,
 * with no xattr read. The guest cannot use its old handle meanwhile
 * (hh_inode_get).
 */
void hh_inode_forget(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i)
{
	if (i->stale) {
		hh_inode_free(h, e, i);
		return;
	}
	release_files(h, i);
	prov_unbind(e, i);
	i->owner_carry = 0;
	i->kept = 1;
	i->lru_prev = NULL;
	i->lru_next = h->kept_new;
	if (h->kept_new)
		h->kept_new->lru_prev = i;
	else
		h->kept_old = i;
	h->kept_new = i;
	h->nkept++;
	h->stats.inodes--;
	if (h->nkept > HLINK_RETAIN_MAX)
		hh_inode_free(h, h->kept_old->export, h->kept_old);
}

static unsigned int slot_of(struct hlink_host *h, struct hlink_inode *i)
{
	return (unsigned int)(((i->ino ^ ((uint64_t)i->gen << 32)) * 0x9E3779B97F4A7C15ULL) >> 40)
		% h->nslots;
}

/* fd, opened with flags, becomes slot s's for i; the file it held is closed. */
static void slot_install(struct hlink_host *h, struct hlink_fd_slot *s, struct hlink_inode *i,
			 int fd, int flags)
{
	if (s->owner) {
		close(s->fd);
		h->stats.fd_evictions++;
	}
	*s = (struct hlink_fd_slot){ .owner = i, .fd = fd, .flags = flags };
}

/*
 * Make fd, a read-write descriptor of i that the caller opened, i's slot
 * descriptor, as if hh_inode_fd had opened it: owned by the table from now.
 */
void hh_slot_adopt(struct hlink_host *h, struct hlink_inode *i, int fd)
{
	struct hlink_fd_slot *s = &h->slots[slot_of(h, i)];

	if (i->pin_fd >= 0 || s->owner == i)
		close(fd);
	else
		slot_install(h, s, i, fd, O_RDWR);
}

int hh_fd_direct(struct hlink_host *h, struct hlink_inode *i, int fd, int on)
{
	int *state = fd == i->pin_fd ? &i->pin_direct : &h->slots[slot_of(h, i)].direct;
	int fl;

	if (*state == on)
		return 0;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_DIRECT : fl & ~O_DIRECT))
		return -errno;
	*state = on;
	return 0;
}

/*
 * An open descriptor for inode i, at least as capable as want (O_PATH <
 * O_RDONLY < O_RDWR). Owned by the slot table: the caller must not close it.
 */
int hh_inode_fd(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i, int want)
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
	slot_install(h, s, i, fd, flags);
	return fd;
}

void hh_fill_attr(struct hlink_attr *a, const struct stat *st)
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
void hh_proc_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* Whether i's record was read at ctime t. */
static int owner_read_at(const struct hlink_inode *i, const struct timespec *t)
{
	return i->owner_ctime.tv_sec == t->tv_sec && i->owner_ctime.tv_nsec == t->tv_nsec;
}

/*
 * Whether a record read now at ctime t is read at a settled ctime: t is two
 * seconds or more in the past. A file system stamps ctime from a coarse
 * clock, in ticks of up to a second on some, so a record changed in the
 * same tick as the read leaves ctime as it was; only a settled record is
 * trusted across the guest forgetting the file (hh_inode_forget).
 */
static int ctime_settled(const struct timespec *t)
{
	struct timespec now;

	return !clock_gettime(CLOCK_REALTIME, &now) && t->tv_sec + 2 <= now.tv_sec;
}

/* Record o is i's, as this call wrote it: no need to read it back in this call. */
static void owner_written(struct hlink_host *h, struct hlink_inode *i, const struct hlink_owner *o)
{
	i->owner = *o;
	i->owner_state = 2;
	i->owner_settled = 0;
	i->owner_carry = h->stats.calls;
}

/*
 * The ownership record of the file open at fd (stat st): 1 and *o if it has
 * one. Kept in i until the file's ctime moves (any xattr change moves it).
 */
int hh_owner_get(struct hlink_host *h, struct hlink_inode *i, int fd,
		 const struct stat *st, struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE + 1];
	char path[64];
	ssize_t n;
	int has;

	if (i && i->owner_state && (i->owner_carry == h->stats.calls ||
				    owner_read_at(i, &st->st_ctim))) {
		if (i->owner_carry == h->stats.calls)
			i->owner_settled = 0;
		i->owner_carry = 0;
		i->owner_ctime = st->st_ctim;
		*o = i->owner;
		return i->owner_state == 2;
	}
	hh_proc_path(path, sizeof(path), fd);
	n = getxattr(path, h->owner_xattr, rec, sizeof(rec));
	has = n >= 0 && !hlink_owner_decode(o, rec, (size_t)n);
	if (i) {
		i->owner_state = has ? 2 : 1;
		i->owner_settled = ctime_settled(&st->st_ctim);
		i->owner_ctime = st->st_ctim;
		if (has)
			i->owner = *o;
	}
	return has;
}

/* Write the record o for the file open at fd (O_PATH or not). */
int hh_owner_put(struct hlink_host *h, struct hlink_inode *i, int fd,
		 const struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE];
	char path[64];

	if (i)
		i->owner_state = 0;
	hlink_owner_encode(o, rec);
	hh_proc_path(path, sizeof(path), fd);
	if (setxattr(path, h->owner_xattr, rec, sizeof(rec), 0))
		return -errno;
	if (i)
		owner_written(h, i, o);
	return 0;
}

/* This call changes the file's data (stat before, before it): the record read at that ctime holds after. */
void hh_owner_own_change(struct hlink_host *h, struct hlink_inode *i, const struct stat *before)
{
	if (i->owner_state && owner_read_at(i, &before->st_ctim))
		i->owner_carry = h->stats.calls;
}

/* What the guest is shown of the file open at fd: its export's model applied. */
static void show_attr(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i,
		      int fd, const struct stat *st, struct hlink_attr *a)
{
	struct hlink_owner o;
	int has = 0;

	hh_fill_attr(a, st);
	if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
		has = hh_owner_get(h, i, fd, st, &o);
	hlink_owner_show(&e->policy, has ? &o : NULL, a);
}

int hh_fd_attr(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i,
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
static int issue(struct hlink_host *h, struct hlink_export *e, int fd, const struct stat *known,
		 const struct hlink_owner *made, int fresh, struct hlink_entry_out *out)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[HLINK_FH_MAX];
	} buf;
	struct hlink_inode *i, *old = NULL;
	struct stat st;
	int mount_id;

	if (known)
		st = *known;
	else if (fstatat(fd, "", &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -errno;
	/* Never cross into another file system mounted inside the export. */
	if (st.st_dev != e->dev)
		return -EXDEV;
	buf.fh.handle_bytes = HLINK_FH_MAX;
	if (name_to_handle_at(fd, "", &buf.fh, &mount_id, AT_EMPTY_PATH))
		return -errno;
	if (mount_id != e->mount_id)
		return -EXDEV;

	for (i = e->table[hh_bucket_of(st.st_ino)]; i; i = i->next) {
		if (i->ino != (uint64_t)st.st_ino || i->stale)
			continue;
		if (same_handle(i->fh, &buf.fh))
			break;
		old = i;	/* same number, another file: the old one is gone */
	}
	if (old && old->kept) {
		hh_inode_free(h, e, old);
	} else if (old) {
		old->stale = 1;
		hh_slot_close(h, old);
	}
	if (!i) {
		i = hh_zalloc(h, sizeof(*i));
		if (!i)
			return -ENOMEM;
		i->fh = h->alloc(sizeof(struct file_handle) + buf.fh.handle_bytes);
		if (!i->fh) {
			hh_free(h, i);
			return -ENOMEM;
		}
		memcpy(i->fh, &buf.fh, sizeof(struct file_handle) + buf.fh.handle_bytes);
		i->ino = st.st_ino;
		i->type = st.st_mode & S_IFMT;
		i->pin_fd = -1;
		i->export = e;
		if (++h->next_gen == 0)
			h->next_gen = 1;
		i->gen = h->next_gen;
		i->next = e->table[hh_bucket_of(i->ino)];
		e->table[hh_bucket_of(i->ino)] = i;
		h->stats.inodes++;
	} else if (i->kept) {
		kept_unlink(h, i);
		h->stats.inodes++;
		if (!i->owner_settled)
			i->owner_state = 0;
	}
	i->nlookup++;
	if (made) {
		owner_written(h, i, made);
	} else if (fresh) {
		/* Made without a record, as st shows it. */
		i->owner_state = 1;
		i->owner_settled = 0;
		i->owner_ctime = st.st_ctim;
	}
	out->handle = (struct hlink_handle){ .ino = i->ino, .sbid = e->sbid, .gen = i->gen };
	show_attr(h, e, i, fd, &st, &out->attr);
	return 0;
}

int hh_issue_fd(struct hlink_host *h, struct hlink_export *e, int fd,
		const struct hlink_owner *made, struct hlink_entry_out *out)
{
	return issue(h, e, fd, NULL, made, 0, out);
}

int hh_issue_new(struct hlink_host *h, struct hlink_export *e, int fd, const struct stat *st,
		 const struct hlink_owner *made, struct hlink_entry_out *out)
{
	return issue(h, e, fd, st, made, 1, out);
}

/* Issue a handle for name in directory dirfd, opened once (O_PATH, no symlink followed). */
int hh_issue_entry(struct hlink_host *h, struct hlink_export *e, int dirfd,
		   const char *name, struct hlink_entry_out *out)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = hh_issue_fd(h, e, fd, NULL, out);
	close(fd);
	return err;
}

/* ---- replies ------------------------------------------------------------ */

/* The reply body, len bytes; hlink_req_decode has checked there is room. */
void *hh_reply(struct hlink_call *c, size_t len)
{
	if (len > c->out_max)
		return NULL;
	c->out_len = len;
	return c->out;
}

/* The directory fd for a handle that must name a directory. */
int hh_dir_fd(struct hlink_host *h, const struct hlink_handle *hd,
	      struct hlink_export **ep, struct hlink_inode **ip)
{
	struct hlink_inode *i = hh_inode_get(h, hd, ep);

	if (!i)
		return -ESTALE;
	if (!S_ISDIR(i->type))
		return -ENOTDIR;
	if (ip)
		*ip = i;
	return hh_inode_fd(h, *ep, i, O_RDONLY);
}

/*
 * Descriptors for two inodes at once. Two inodes can share a slot, and then
 * opening the second would close the first: *dup_a is set to a duplicate of
 * the first that the caller closes after use, or -1.
 */
int hh_two_fds(struct hlink_host *h, struct hlink_export *e,
	       struct hlink_inode *a, int want_a, struct hlink_inode *b, int want_b,
	       int *fa, int *fb, int *dup_a)
{
	*dup_a = -1;
	*fa = hh_inode_fd(h, e, a, want_a);
	if (*fa < 0)
		return *fa;
	if (a != b && slot_of(h, a) == slot_of(h, b) && a->pin_fd < 0) {
		*dup_a = fcntl(*fa, F_DUPFD_CLOEXEC, 0);
		if (*dup_a < 0)
			return -errno;
		*fa = *dup_a;
	}
	*fb = hh_inode_fd(h, e, b, want_b);
	if (*fb < 0 && *dup_a >= 0) {
		close(*dup_a);
		*dup_a = -1;
	}
	return *fb < 0 ? *fb : 0;
}

void hh_export_free(struct hlink_host *h, struct hlink_export *e)
{
	unsigned int b;

	for (b = 0; b < HLINK_INODE_BUCKETS; b++)
		while (e->table[b])
			hh_inode_free(h, e, e->table[b]);
	close(e->root_fd);
	if (e->lock_fd >= 0)
		close(e->lock_fd);
	h->exports[e->sbid - 1] = NULL;
	hh_free(h, e);
}
