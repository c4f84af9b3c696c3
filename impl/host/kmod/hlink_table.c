// SPDX-License-Identifier: GPL-2.0
/*
 * hlink.ko: a client's entries (handles), its open-file slots, the
 * attributes a reply carries, and the credentials calls run with. See the
 * top of hlink_main.c for how handles and slots work.
 */
#include "hlink_kmod.h"

struct hlink_export *hk_export_of(struct hlink_client *cl, u32 sbid)
{
	if (sbid == 0 || sbid > HLINK_EXPORTS_MAX)
		return NULL;
	return cl->exports[sbid - 1];
}

struct hlink_entry *hk_entry_get(struct hlink_client *cl, const struct hlink_handle *h,
				 struct hlink_export **ep)
{
	struct hlink_export *e = hk_export_of(cl, h->sbid & ~HLINK_HANDLE_PROV);
	struct hlink_entry *en;

	if (!e)
		return NULL;
	if (h->sbid & HLINK_HANDLE_PROV) {
		if (!e->exclusive || h->gen || !h->ino)
			return NULL;
		hash_for_each_possible(e->prov, en, prov_node, h->ino)
			if (en->prov == h->ino && !en->stale && en->nlookup &&
			    (d_inode(en->dentry)->i_nlink || en->pin)) {
				*ep = e;
				return en;
			}
		return NULL;
	}
	if (!h->gen)
		return NULL;
	hash_for_each_possible(e->table, en, node, h->ino)
		if (en->ino == h->ino && en->gen == h->gen && !en->stale && en->nlookup) {
			/* Gone on the host behind the guest's back, and not pinned. */
			if (d_inode(en->dentry)->i_nlink == 0 && !en->pin)
				return NULL;
			*ep = e;
			return en;
		}
	return NULL;
}

static unsigned int slot_of(struct hlink_client *cl, struct hlink_entry *en)
{
	return hash_64(en->ino ^ ((u64)en->gen << 32), 32) % hk_nr_slots;
}

/* Put a file this module opened and counts in hk_nr_files. */
void hk_file_put(struct file *f)
{
	fput(f);
	atomic_dec(&hk_nr_files);
}

void hk_slot_drop(struct hlink_client *cl, struct hlink_entry *en)
{
	struct hlink_slot *s = &cl->slots[slot_of(cl, en)];

	if (s->owner == en) {
		hk_file_put(s->file);
		s->owner = NULL;
		s->file = NULL;
	}
}

/* Give up the lock holder at *p: the last fput of its file drops its locks. */
void hk_lock_free(struct hlink_client *cl, struct hlink_lock_holder **p)
{
	struct hlink_lock_holder *l = *p;

	*p = l->next;
	hk_file_put(l->file);
	kfree(l);
	cl->nr_locks--;
}

/* Give up every lock held for the entry. */
void hk_locks_drop(struct hlink_client *cl, struct hlink_entry *en)
{
	while (en->locks)
		hk_lock_free(cl, &en->locks);
}

static void prov_unbind(struct hlink_entry *en)
{
	if (en->prov)
		hash_del(&en->prov_node);
	en->prov = 0;
}

/*
 * On an exclusive export the guest may name the entry out by the unique of
 * the call that made it, before it has the reply (hlink_abi.h). A unique
 * given twice names the later entry: the guest confuses only itself.
 */
void hk_prov_bind(struct hlink_export *e, const struct hlink_entry_out *out, u64 unique)
{
	struct hlink_entry *en, *found = NULL;
	struct hlist_node *tmp;

	if (!e->exclusive || !unique)
		return;
	hash_for_each_possible(e->table, en, node, out->handle.ino)
		if (en->ino == out->handle.ino && en->gen == out->handle.gen)
			found = en;
	if (!found)
		return;
	hash_for_each_possible_safe(e->prov, en, tmp, prov_node, unique)
		if (en->prov == unique)
			prov_unbind(en);
	prov_unbind(found);
	found->prov = unique;
	hash_add(e->prov, &found->prov_node, unique);
}

void hk_entry_free(struct hlink_client *cl, struct hlink_entry *en)
{
	prov_unbind(en);
	hash_del(&en->node);
	hk_slot_drop(cl, en);
	hk_locks_drop(cl, en);
	if (en->pin)
		hk_file_put(en->pin);
	dput(en->dentry);
	kfree(en);
	cl->nr_entries--;
	atomic_dec(&hk_nr_entries);
}

/* dentry_open without atime updates, or with them on a file we do not own. */
static struct file *open_noatime(const struct path *path, int flags)
{
	struct file *f = dentry_open(path, flags | O_NOATIME, current_cred());

	if (IS_ERR(f) && PTR_ERR(f) == -EPERM)
		f = dentry_open(path, flags, current_cred());
	return f;
}

/*
 * A new open file of the entry, readable, and writable too with HK_OPEN_WRITE
 * or (regular files, HK_OPEN_RW_OK) when that is allowed; read-only, then,
 * when a writer cannot be (a running binary, a read-only mount). What open(2)
 * would check and dentry_open does not: permission, and no writing to
 * append-only or immutable files. HK_OPEN_NOWAIT: a host lease is EAGAIN
 * instead of a wait of up to lease-break-time.
 */
struct file *hk_entry_open(struct hlink_export *e, struct hlink_entry *en, unsigned int how)
{
	struct path path = { .mnt = e->root.mnt, .dentry = en->dentry };
	struct inode *inode = d_inode(en->dentry);
	bool write = how & HK_OPEN_WRITE;
	struct file *f;
	int flags, err;

	if (S_ISDIR(inode->i_mode)) {
		if (write)
			return ERR_PTR(-EISDIR);
		flags = O_RDONLY | O_DIRECTORY;
	} else if (S_ISREG(inode->i_mode)) {
		err = IS_APPEND(inode) || IS_IMMUTABLE(inode) ? -EPERM :
		      !(how & (HK_OPEN_WRITE | HK_OPEN_RW_OK)) ? -EACCES :
		      inode_permission(&init_user_ns, inode, MAY_READ | MAY_WRITE);
		if (err && write)
			return ERR_PTR(err);
		flags = (err ? O_RDONLY : O_RDWR) | O_LARGEFILE;
	} else {
		return ERR_PTR(-EINVAL);
	}
	if (how & HK_OPEN_NOWAIT)
		flags |= O_NONBLOCK;
	if (!(flags & O_RDWR)) {
		err = inode_permission(&init_user_ns, inode, MAY_READ);
		if (err)
			return ERR_PTR(err);
	}
	f = open_noatime(&path, flags);
	if (IS_ERR(f) && !write && (flags & O_RDWR) &&
	    (PTR_ERR(f) == -ETXTBSY || PTR_ERR(f) == -EROFS) &&
	    !inode_permission(&init_user_ns, inode, MAY_READ))
		f = open_noatime(&path, flags & ~O_RDWR);
	if (!IS_ERR(f))
		atomic_inc(&hk_nr_files);
	return f;
}

/*
 * An open file for the entry, readable (and writable if write), from its
 * slot. A regular file is opened read-write when allowed, so a later write
 * can share the descriptor.
 */
struct file *hk_entry_file(struct hlink_client *cl, struct hlink_export *e,
			   struct hlink_entry *en, bool write)
{
	struct hlink_slot *s = &cl->slots[slot_of(cl, en)];
	struct file *f;

	if (en->pin)
		return en->pin;
	if (s->owner == en && (!write || (s->file->f_mode & FMODE_WRITE)))
		return s->file;
	f = hk_entry_open(e, en, (write ? HK_OPEN_WRITE : 0) | HK_OPEN_RW_OK);
	if (IS_ERR(f))
		return f;
	if (s->owner)
		hk_file_put(s->file);
	s->owner = en;
	s->file = f;
	return f;
}

void hk_fill_attr(struct hlink_attr *a, const struct kstat *st)
{
	memset(a, 0, sizeof(*a));
	a->ino = st->ino;
	a->size = st->size;
	a->blocks = st->blocks;
	a->atime = st->atime.tv_sec;
	a->mtime = st->mtime.tv_sec;
	a->ctime = st->ctime.tv_sec;
	a->atime_nsec = st->atime.tv_nsec;
	a->mtime_nsec = st->mtime.tv_nsec;
	a->ctime_nsec = st->ctime.tv_nsec;
	a->mode = st->mode;
	a->nlink = st->nlink;
	a->uid = from_kuid(&init_user_ns, st->uid);
	a->gid = from_kgid(&init_user_ns, st->gid);
	a->rdev_major = MAJOR(st->rdev);
	a->rdev_minor = MINOR(st->rdev);
	a->blksize = st->blksize;
}

/*
 * The ownership record of d (hlink_owner.h), whose ctime is ctime: true and
 * *o if it has one. Kept in en, if given, until the ctime moves.
 */
bool hk_owner_get(struct hlink_entry *en, struct dentry *d, struct timespec64 ctime,
		  struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE + 1];
	ssize_t n;
	bool has;

	if (en && en->owner_state && timespec64_equal(&en->owner_ctime, &ctime)) {
		*o = en->owner;
		return en->owner_state == 2;
	}
	n = vfs_getxattr(&init_user_ns, d, HLINK_OWNER_XATTR_TRUSTED, rec, sizeof(rec));
	has = n >= 0 && !hlink_owner_decode(o, rec, n);
	if (en) {
		en->owner_state = has ? 2 : 1;
		en->owner_ctime = ctime;
		if (has)
			en->owner = *o;
	}
	return has;
}

/* Write the record o on d; the caller holds mnt_want_write. */
int hk_owner_put(struct hlink_entry *en, struct dentry *d, const struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE];

	if (en)
		en->owner_state = 0;
	hlink_owner_encode(o, rec);
	return vfs_setxattr(&init_user_ns, d, HLINK_OWNER_XATTR_TRUSTED, rec, sizeof(rec), 0);
}

int hk_stat(struct hlink_export *e, struct dentry *d, struct kstat *st)
{
	struct path path = { .mnt = e->root.mnt, .dentry = d };

	return vfs_getattr(&path, st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
}

/* What the guest is shown of d, whose stat is st: the export's model applied. */
static void show_attr(struct hlink_export *e, struct hlink_entry *en, struct dentry *d,
		      const struct kstat *st, struct hlink_attr *a)
{
	struct hlink_owner o;
	bool has = false;

	hk_fill_attr(a, st);
	if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
		has = hk_owner_get(en, d, st->ctime, &o);
	hlink_owner_show(&e->policy, has ? &o : NULL, a);
}

int hk_dentry_attr(struct hlink_export *e, struct hlink_entry *en, struct dentry *d,
		   struct hlink_attr *a)
{
	struct kstat st;
	int err = hk_stat(e, d, &st);

	if (!err)
		show_attr(e, en, d, &st, a);
	return err;
}

/* Issue a handle for a positive dentry of the export; takes a lookup ref. */
int hk_issue_entry(struct hlink_client *cl, struct hlink_export *e, struct dentry *d,
		   struct hlink_entry_out *out)
{
	struct inode *inode = d_inode(d);
	struct hlink_entry *en, *found = NULL;
	struct kstat st;
	int err;

	if (!inode)
		return -ENOENT;
	/*
	 * Never another file system mounted inside the export (nor the
	 * directory under it), nor a btrfs subvolume (the same super block,
	 * but its own device and inode numbers), as the user-space module.
	 */
	if (inode->i_sb != e->root.dentry->d_sb || (d != e->root.dentry && d_mountpoint(d)))
		return -EXDEV;
	err = hk_stat(e, d, &st);
	if (err)
		return err;
	if (st.dev != e->dev)
		return -EXDEV;
	hash_for_each_possible(e->table, en, node, inode->i_ino) {
		if (en->ino != inode->i_ino || en->stale)
			continue;
		if (d_inode(en->dentry) == inode) {
			found = en;
			/* Hold a name that still exists, if this one was removed. */
			if (d_unlinked(en->dentry) && !d_unlinked(d)) {
				dput(en->dentry);
				en->dentry = dget(d);
			}
			break;
		}
		en->stale = true;	/* same number, another file */
		hk_slot_drop(cl, en);
	}
	if (!found) {
		if (cl->nr_entries >= hk_max_entries)
			return -ENFILE;
		found = kzalloc(sizeof(*found), GFP_KERNEL);
		if (!found)
			return -ENOMEM;
		cl->nr_entries++;
		atomic_inc(&hk_nr_entries);
		found->ino = inode->i_ino;
		found->dentry = dget(d);
		if (++cl->next_gen == 0)
			cl->next_gen = 1;
		found->gen = cl->next_gen;
		hash_add(e->table, &found->node, found->ino);
	}
	show_attr(e, found, d, &st, &out->attr);
	found->nlookup++;
	out->handle = (struct hlink_handle){
		.ino = found->ino, .sbid = e->sbid, .gen = found->gen,
	};
	return 0;
}

/* ---- replies ----------------------------------------------------------------- */

/* The reply body, len bytes; hlink_req_decode has checked there is room. */
void *hk_reply(struct hlink_call *c, size_t len)
{
	if (len > c->out_max)
		return NULL;
	c->out_len = len;
	return c->out;
}

struct hlink_entry *hk_dir_entry(struct hlink_call *c, const struct hlink_handle *h,
				 struct hlink_export **ep, int *err)
{
	struct hlink_entry *en = hk_entry_get(c->cl, h, ep);

	*err = 0;
	if (!en)
		*err = -ESTALE;
	else if (!d_is_dir(en->dentry))
		*err = -ENOTDIR;
	return *err ? NULL : en;
}

/* The child dentry of dir named name, with dir locked by the caller. */
struct dentry *hk_child_locked(struct dentry *dir, const char *name)
{
	return lookup_one_len(name, dir, strlen(name));
}

/* Credentials that make new files belong to the guest's user. */
const struct cred *hk_as_owner(u32 uid, u32 gid)
{
	struct cred *new = prepare_creds();
	kuid_t ku = make_kuid(&init_user_ns, uid);
	kgid_t kg = make_kgid(&init_user_ns, gid);

	if (!new)
		return ERR_PTR(-ENOMEM);
	if (!uid_valid(ku) || !gid_valid(kg)) {
		abort_creds(new);
		return ERR_PTR(-EINVAL);
	}
	new->fsuid = ku;
	new->fsgid = kg;
	return override_creds(new);
}

void hk_as_self(const struct cred *old)
{
	const struct cred *ours = current_cred();

	revert_creds(old);
	put_cred(ours);
}

void hk_export_free(struct hlink_client *cl, struct hlink_export *e)
{
	struct hlink_entry *en;
	struct hlist_node *tmp;
	int b;

	hash_for_each_safe(e->table, b, tmp, en, node)
		hk_entry_free(cl, en);
	hk_export_unlock(e);
	if (e->sync_file)
		fput(e->sync_file);
	path_put(&e->root);
	cl->exports[e->sbid - 1] = NULL;
	kfree(e);
}
