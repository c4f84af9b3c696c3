// SPDX-License-Identifier: GPL-2.0
/*
 * hlink.ko: the VFS work of each op, on a request hlink_req.c has decoded
 * and checked, with the opener's credentials and the checks open(2) and
 * nfsd make.
 */
#include "hlink_kmod.h"

/*
 * A host process's lease (delegation) on the file stopped the call: wait
 * for the holder to give it up, as unlink(2) and rename(2) do, and say
 * whether to try again.
 */
static bool delegation_broken(struct inode **delegated, int *err)
{
	if (!*delegated)
		return false;
	*err = break_deleg_wait(delegated);
	return !*err;
}

static int op_hello(struct hlink_call *c)
{
	const struct hlink_hello_in *in = c->in;
	struct hlink_hello_out *out = hk_reply(c, sizeof(*out));

	*out = (struct hlink_hello_out){ .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR,
					 .io_max = HLINK_IO_MAX };
	if (in->major != HLINK_ABI_MAJOR)
		return -EPROTO;
	c->cl->hello_done = true;
	return 0;
}

static int op_mount(struct hlink_call *c)
{
	struct hlink_mount_out *mo = hk_reply(c, sizeof(*mo));
	struct hlink_entry_out *out = &mo->root;
	struct hlink_client *cl = c->cl;
	struct hlink_export *e;
	struct kstat st;
	bool exclusive;
	char *path;
	unsigned int n;
	int entry, err;

	path = kmemdup_nul(c->r->data, c->r->data_len, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	for (n = 0; n < HLINK_EXPORTS_MAX && cl->exports[n]; n++)
		;
	err = -ENOSPC;
	if (n == HLINK_EXPORTS_MAX)
		goto out_path;
	err = -ENOMEM;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		goto out_path;
	hash_init(e->table);
	hash_init(e->prov);
	e->lock = -1;
	e->sbid = n + 1;
	err = kern_path(path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &e->root);
	if (err) {
		kfree(e);
		goto out_path;
	}
	entry = hk_export_allowed(&e->root, &e->policy);
	if (entry < 0) {
		path_put(&e->root);
		kfree(e);
		err = -EACCES;
		goto out_path;
	}
	cl->exports[n] = e;
	exclusive = c->r->in.mount.flags & HLINK_MOUNT_EXCLUSIVE;
	err = exclusive && !e->policy.exclusive ? -EPERM :
	      e->policy.exclusive ? hk_export_lock(e, entry, exclusive) : 0;
	if (!err) {
		/* SYNCFS reports write-back errors from the MOUNT on. */
		e->sync_file = dentry_open(&e->root, O_RDONLY | O_DIRECTORY, current_cred());
		if (IS_ERR(e->sync_file)) {
			err = PTR_ERR(e->sync_file);
			e->sync_file = NULL;
		}
	}
	if (err) {
		hk_export_free(cl, e);
		goto out_path;
	}
	err = hk_stat(e, e->root.dentry, &st);
	if (!err) {
		e->dev = st.dev;
		e->policy.export_id = st.ino;
		err = hk_issue_entry(cl, e, e->root.dentry, out);
	}
	if (err) {
		hk_export_free(cl, e);
		goto out_path;
	}
	e->root_entry = hk_entry_get(cl, &out->handle, &e);
	mo->ownership = e->policy.ownership;
	mo->flags = (e->policy.ownership == HLINK_OWNERSHIP_MAPPED ? 0 : HLINK_MOUNT_NODEV) |
		    (e->exclusive ? HLINK_MOUNT_EXCLUSIVE : 0);
out_path:
	kfree(path);
	return err;
}

static int op_umount(struct hlink_call *c)
{
	const struct hlink_umount_in *in = c->in;
	struct hlink_export *e = hk_export_of(c->cl, in->sbid);

	if (!e)
		return -ESTALE;
	hk_export_free(c->cl, e);
	return 0;
}

static int op_lookup(struct hlink_call *c)
{
	const struct hlink_name_in *in = c->in;
	struct hlink_entry_out *out = hk_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_entry *dir;
	struct dentry *d;
	const char *name = c->r->name;
	int err;

	dir = hk_dir_entry(c, &in->dir, &e, &err);
	if (!dir)
		return err;
	if (!strcmp(name, "."))
		return hk_issue_entry(c->cl, e, dir->dentry, out);
	if (!strcmp(name, "..")) {
		struct hlink_entry *en;
		struct dentry *p;
		bool known = false;

		/* '..' of the root is the root; elsewhere it must be issued already. */
		if (dir == e->root_entry)
			return hk_issue_entry(c->cl, e, dir->dentry, out);
		p = dget_parent(dir->dentry);
		hash_for_each_possible(e->table, en, node, d_inode(p)->i_ino)
			if (en->dentry == p && !en->stale && en->nlookup)
				known = true;
		err = known ? hk_issue_entry(c->cl, e, p, out) : -ESTALE;
		dput(p);
		return err;
	}
	d = lookup_one_unlocked(&init_user_ns, name, dir->dentry, strlen(name));
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = d_really_is_negative(d) ? -ENOENT : hk_issue_entry(c->cl, e, d, out);
	dput(d);
	return err;
}

static int op_forget(struct hlink_call *c)
{
	const struct hlink_forget_in *in = c->in;
	struct hlink_export *e = hk_export_of(c->cl, in->handle.sbid);
	struct hlink_entry *en, *found = NULL;

	if (!e || !in->handle.gen)
		return -ESTALE;
	hash_for_each_possible(e->table, en, node, in->handle.ino)
		if (en->ino == in->handle.ino && en->gen == in->handle.gen)
			found = en;
	if (!found || !found->nlookup)
		return -ESTALE;
	if (in->nlookup > found->nlookup)
		return -EINVAL;
	found->nlookup -= in->nlookup;
	/*
	 * The root stays for the export's life, but its locks go with the
	 * guest's last reference, as any file's: no handle could reach them.
	 */
	if (!found->nlookup && found == e->root_entry)
		hk_locks_drop(c->cl, found);
	else if (!found->nlookup)
		hk_entry_free(c->cl, found);
	return 0;
}

static int op_getattr(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_attr_out *out = hk_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);

	if (!en)
		return -ESTALE;
	return hk_dentry_attr(e, en, en->dentry, &out->attr);
}

/*
 * SETATTR of mode, uid or gid under the export's model: the record written
 * now (mapped), what goes to the host left in ia.
 */
static int setattr_owner(struct hlink_export *e, struct hlink_entry *en,
			 const struct hlink_setattr_in *in, struct iattr *ia)
{
	struct path path = { .mnt = e->root.mnt, .dentry = en->dentry };
	struct inode *inode = d_inode(en->dentry);
	struct hlink_owner o;
	struct hlink_chown ch;
	struct hlink_attr ha;
	struct kstat st;
	bool has = false;
	int err;

	err = vfs_getattr(&path, &st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
	if (err)
		return err;
	hk_fill_attr(&ha, &st);
	if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
		has = hk_owner_get(en, en->dentry, st.ctime, &o);
	err = hlink_policy_chown(&e->policy, in, &ha, has ? &o : NULL, &ch);
	if (err)
		return err;
	if (ch.record) {
		err = mnt_want_write(e->root.mnt);
		if (err)
			return err;
		err = hk_owner_put(en, en->dentry, &ch.owner);
		mnt_drop_write(e->root.mnt);
		if (err)
			return err;
	}
	if (ch.host_valid & HLINK_SETATTR_MODE) {
		if (S_ISLNK(inode->i_mode))
			return -EOPNOTSUPP;
		ia->ia_valid |= ATTR_MODE;
		ia->ia_mode = (inode->i_mode & S_IFMT) | ch.host_mode;
	}
	if (ch.host_valid & HLINK_SETATTR_UID) {
		ia->ia_valid |= ATTR_UID;
		ia->ia_uid = make_kuid(&init_user_ns, ch.host_uid);
		if (!uid_valid(ia->ia_uid))
			return -EINVAL;
	}
	if (ch.host_valid & HLINK_SETATTR_GID) {
		ia->ia_valid |= ATTR_GID;
		ia->ia_gid = make_kgid(&init_user_ns, ch.host_gid);
		if (!gid_valid(ia->ia_gid))
			return -EINVAL;
	}
	return 0;
}

static int op_setattr(struct hlink_call *c)
{
	const struct hlink_setattr_in *in = c->in;
	struct hlink_attr_out *out = hk_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	struct iattr ia = { 0 };
	struct inode *inode;
	int err;

	if (!en)
		return -ESTALE;
	inode = d_inode(en->dentry);
	/* Device nodes are the host's (a guest cannot make one): not its to open up. */
	if ((S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) &&
	    (in->valid & (HLINK_SETATTR_MODE | HLINK_SETATTR_UID | HLINK_SETATTR_GID)))
		return -EPERM;
	if (in->valid & HLINK_SETATTR_SIZE) {
		struct path path = { .mnt = e->root.mnt, .dentry = en->dentry };

		if (!S_ISREG(inode->i_mode))
			return S_ISDIR(inode->i_mode) ? -EISDIR : -EINVAL;
		err = vfs_truncate(&path, in->size);
		if (err)
			return err;
	}
	if (in->valid & (HLINK_SETATTR_MODE | HLINK_SETATTR_UID | HLINK_SETATTR_GID)) {
		err = setattr_owner(e, en, in, &ia);
		if (err)
			return err;
	}
	if (in->valid & (HLINK_SETATTR_ATIME | HLINK_SETATTR_ATIME_NOW))
		ia.ia_valid |= ATTR_ATIME;
	if (in->valid & HLINK_SETATTR_ATIME) {
		ia.ia_valid |= ATTR_ATIME_SET;
		ia.ia_atime = (struct timespec64){ in->atime, in->atime_nsec };
	}
	if (in->valid & (HLINK_SETATTR_MTIME | HLINK_SETATTR_MTIME_NOW))
		ia.ia_valid |= ATTR_MTIME;
	if (in->valid & HLINK_SETATTR_MTIME) {
		ia.ia_valid |= ATTR_MTIME_SET;
		ia.ia_mtime = (struct timespec64){ in->mtime, in->mtime_nsec };
	}
	/* As chown(2): a new owner clears set-id bits unless the mode is set too. */
	if ((ia.ia_valid & (ATTR_UID | ATTR_GID)) && !(ia.ia_valid & ATTR_MODE) &&
	    !S_ISDIR(inode->i_mode))
		ia.ia_valid |= ATTR_KILL_SUID | ATTR_KILL_SGID | ATTR_KILL_PRIV;
	if (ia.ia_valid) {
		struct inode *delegated = NULL;

		ia.ia_valid |= ATTR_CTIME;
		err = mnt_want_write(e->root.mnt);
		if (err)
			return err;
		do {
			inode_lock(inode);
			err = notify_change(&init_user_ns, en->dentry, &ia, &delegated);
			inode_unlock(inode);
		} while (delegation_broken(&delegated, &err));
		mnt_drop_write(e->root.mnt);
		if (err)
			return err;
	}
	return hk_dentry_attr(e, en, en->dentry, &out->attr);
}

/*
 * The call's buffer in the caller: the one buf, or HLINK_IO_VEC's pieces.
 * *iovp is the array to free (NULL when iov held it).
 */
static int io_iter(const struct hlink_req *r, bool write, struct iovec *iov,
		   struct iovec **iovp, struct iov_iter *iter)
{
	const struct hlink_io_in *in = &r->in.io;
	unsigned int k, n = r->data_len / sizeof(struct hlink_iovec);
	struct iovec *v = iov;

	*iovp = NULL;
	if (!(in->flags & HLINK_IO_VEC))
		return import_single_range(write ? WRITE : READ, u64_to_user_ptr(in->buf),
					   in->len, iov, iter);
	if (n > 1) {
		v = kmalloc_array(n, sizeof(*v), GFP_KERNEL);
		if (!v)
			return -ENOMEM;
		*iovp = v;
	}
	for (k = 0; k < n; k++) {
		struct hlink_iovec s;

		memcpy(&s, r->data + k * sizeof(s), sizeof(s));
		v[k].iov_base = u64_to_user_ptr(s.base);
		v[k].iov_len = s.len;
		if (!access_ok(v[k].iov_base, v[k].iov_len))
			return -EFAULT;
	}
	iov_iter_init(iter, write ? WRITE : READ, v, n, in->len);
	return 0;
}

/* One pass of the guest's O_DIRECT, as the host file's own O_DIRECT. */
static ssize_t io_direct(struct file *f, bool write, struct iov_iter *iter, loff_t *pos)
{
	struct kiocb kiocb;
	ssize_t n;

	init_sync_kiocb(&kiocb, f);
	kiocb.ki_pos = *pos;
	kiocb.ki_flags |= IOCB_DIRECT;
	n = write ? vfs_iocb_iter_write(f, &kiocb, iter) : vfs_iocb_iter_read(f, &kiocb, iter);
	if (n > 0)
		*pos = kiocb.ki_pos;
	return n;
}

static int op_io(struct hlink_call *c, bool write)
{
	const struct hlink_io_in *in = c->in;
	bool pre = write && (in->flags & HLINK_IO_WANT_PRE);
	struct hlink_io_out *out = hk_reply(c, sizeof(*out) +
					    (pre ? sizeof(struct hlink_io_pre) : 0));
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	struct iovec iov, *iovp;
	struct iov_iter iter;
	loff_t pos = in->offset;
	struct file *f;
	size_t done = 0;
	bool direct;
	ssize_t n;

	if (!en)
		return -ESTALE;
	if (!d_is_reg(en->dentry))
		return d_is_dir(en->dentry) ? -EISDIR : -EINVAL;
	f = hk_entry_file(c->cl, e, en, write);
	if (IS_ERR(f))
		return PTR_ERR(f);
	memset(out, 0, sizeof(*out) + (pre ? sizeof(struct hlink_io_pre) : 0));
	if (pre) {
		struct hlink_io_pre *p = (struct hlink_io_pre *)(out + 1);
		struct inode *inode = file_inode(f);

		inode_lock_shared(inode);
		p->mtime = inode->i_mtime.tv_sec;
		p->mtime_nsec = inode->i_mtime.tv_nsec;
		p->size = i_size_read(inode);
		inode_unlock_shared(inode);
	}
	iovp = NULL;
	n = in->len ? io_iter(c->r, write, &iov, &iovp, &iter) : 0;
	/* The guest's O_DIRECT on the host file too, where its file system takes it. */
	direct = (in->flags & HLINK_IO_DIRECT) && (f->f_mode & FMODE_CAN_ODIRECT);
	while (!n && done < in->len) {
		size_t left = iov_iter_count(&iter), took;

		/* As write(2) does: a frozen file system holds the write. */
		if (write)
			file_start_write(f);
		n = direct ? io_direct(f, write, &iter, &pos) :
		    write ? vfs_iter_write(f, &iter, &pos, 0) : vfs_iter_read(f, &iter, &pos, 0);
		if (write)
			file_end_write(f);
		/* Not aligned as the host's O_DIRECT needs: through its page cache. */
		if (n == -EINVAL && direct && !done) {
			iov_iter_revert(&iter, left - iov_iter_count(&iter));
			direct = false;
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
		/* A short pass goes on from what it returned, whatever it consumed. */
		took = left - iov_iter_count(&iter);
		if (took > (size_t)n)
			iov_iter_revert(&iter, took - n);
		else if (took < (size_t)n)
			iov_iter_advance(&iter, n - took);
		done += n;
		n = 0;
	}
	kfree(iovp);
	if (n < 0 && !done)
		return n;
	out->count = done;
	if (in->flags & HLINK_IO_WANT_ATTR)
		return hk_dentry_attr(e, en, en->dentry, &out->attr);
	return 0;
}

static int op_read(struct hlink_call *c)
{
	return op_io(c, false);
}

static int op_write(struct hlink_call *c)
{
	return op_io(c, true);
}

enum hlink_kind { HLINK_MAKE_FILE, HLINK_MAKE_DIR, HLINK_MAKE_NODE, HLINK_MAKE_LINK };

/*
 * CREATE, MKDIR, MKNOD and SYMLINK: make name in dir as the guest's user.
 * open_existing: a plain (non-exclusive) CREATE of an existing regular file
 * returns that file.
 */
static int make_entry(struct hlink_call *c, const struct hlink_handle *dirh, const char *name,
		      const struct hlink_create_in *in, enum hlink_kind kind, bool open_existing,
		      const char *target)
{
	struct hlink_entry_out *out = hk_reply(c, sizeof(*out));
	const struct cred *old = NULL;
	struct hlink_export *e;
	struct hlink_entry *dir;
	struct hlink_make m;
	struct inode *dinode;
	bool found_again = false;
	struct dentry *d;
	umode_t mode;
	int err;

	dir = hk_dir_entry(c, dirh, &e, &err);
	if (!dir)
		return err;
	err = hlink_policy_make(&e->policy, in->mode, in->uid, in->gid, in->rdev_major,
				in->rdev_minor, &m);
	if (err)
		return err;
	mode = m.host_mode;
	/* A mapped device node, FIFO or socket is a regular file on the host. */
	if (kind == HLINK_MAKE_NODE && S_ISREG(mode))
		kind = HLINK_MAKE_FILE;
	err = mnt_want_write(e->root.mnt);
	if (err)
		return err;
	dinode = d_inode(dir->dentry);
	inode_lock_nested(dinode, I_MUTEX_PARENT);
	d = hk_child_locked(dir->dentry, name);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto unlock;
	}
	if (d_really_is_positive(d)) {
		if (open_existing && d_is_reg(d))
			err = hk_issue_entry(c->cl, e, d, out);
		else
			err = open_existing && d_is_dir(d) ? -EISDIR : -EEXIST;
		goto put;
	}
	if (!m.as_self) {
		old = hk_as_owner(m.uid, m.gid);
		if (IS_ERR(old)) {
			err = PTR_ERR(old);
			goto put;
		}
	}
	switch (kind) {
	case HLINK_MAKE_LINK:
		err = vfs_symlink(&init_user_ns, dinode, d, target);
		break;
	case HLINK_MAKE_DIR:
		err = vfs_mkdir(&init_user_ns, dinode, d, mode & 07777);
		break;
	case HLINK_MAKE_FILE:
		err = vfs_create(&init_user_ns, dinode, d, mode, true);
		break;
	default:
		err = vfs_mknod(&init_user_ns, dinode, d, mode, 0);
		break;
	}
	if (old)
		hk_as_self(old);
	/*
	 * Some file systems (FUSE, NFS) leave the dentry negative or unhashed
	 * after mkdir: look the new directory up again, as nfsd does.
	 */
	if (!err && (d_unhashed(d) || d_really_is_negative(d))) {
		struct dentry *again = lookup_one_len(name, dir->dentry, strlen(name));

		if (IS_ERR(again)) {
			err = PTR_ERR(again);
		} else if (d_really_is_negative(again)) {
			dput(again);
			err = -ENOENT;
		} else {
			dput(d);
			d = again;
			found_again = true;
		}
	}
	/* The VFS applied this process's umask; the guest already applied its own. */
	if (!err && kind != HLINK_MAKE_LINK && (d_inode(d)->i_mode & 07777) != (mode & 07777)) {
		struct iattr ia = { .ia_valid = ATTR_MODE,
				    .ia_mode = (d_inode(d)->i_mode & S_IFMT) | (mode & 07777) };

		inode_lock(d_inode(d));
		err = notify_change(&init_user_ns, d, &ia, NULL);
		inode_unlock(d_inode(d));
	}
	/*
	 * A record that says only what the host file shows is not written, on
	 * an entry made under the parent's lock here, not one found by name.
	 */
	if (!err && m.record &&
	    (found_again ||
	     !hlink_owner_implied(&e->policy, &m.owner, from_kuid(&init_user_ns, d_inode(d)->i_uid),
				  from_kgid(&init_user_ns, d_inode(d)->i_gid), d_inode(d)->i_mode)))
		err = hk_owner_put(NULL, d, &m.owner);
	if (!err)
		err = hk_issue_entry(c->cl, e, d, out);
put:
	if (!err)
		hk_prov_bind(e, out, c->r->hdr.unique);
	dput(d);
unlock:
	inode_unlock(dinode);
	mnt_drop_write(e->root.mnt);
	return err;
}

static int op_create_common(struct hlink_call *c, u32 op)
{
	const struct hlink_create_in *in = c->in;
	const char *name = c->r->name;
	enum hlink_kind kind;

	/* hlink_req.c has checked the type each op may make. */
	switch (op) {
	case HLINK_OP_CREATE:
		kind = HLINK_MAKE_FILE;
		break;
	case HLINK_OP_MKDIR:
		kind = HLINK_MAKE_DIR;
		break;
	default:
		kind = HLINK_MAKE_NODE;
		break;
	}
	struct hlink_create_in guest = *in;

	if (kind == HLINK_MAKE_DIR)
		guest.mode = S_IFDIR | (in->mode & 07777);
	return make_entry(c, &in->dir, name, &guest, kind,
			  kind == HLINK_MAKE_FILE && !(in->flags & HLINK_CREATE_EXCL), NULL);
}

static int op_create(struct hlink_call *c)
{
	return op_create_common(c, HLINK_OP_CREATE);
}

static int op_mkdir(struct hlink_call *c)
{
	return op_create_common(c, HLINK_OP_MKDIR);
}

static int op_mknod(struct hlink_call *c)
{
	return op_create_common(c, HLINK_OP_MKNOD);
}

static int op_symlink(struct hlink_call *c)
{
	const struct hlink_symlink_in *in = c->in;
	struct hlink_create_in guest = { .mode = S_IFLNK | 0777, .uid = in->uid, .gid = in->gid };
	char *target;
	int err;

	target = kmemdup_nul(c->r->data, c->r->data_len, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	err = make_entry(c, &in->dir, c->r->name, &guest, HLINK_MAKE_LINK, false, target);
	kfree(target);
	return err;
}

static int op_readlink(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_readlink_out *out = hk_reply(c, sizeof(*out) + HLINK_PATH_MAX);
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	DEFINE_DELAYED_CALL(done);
	const char *link;
	size_t len;

	if (!en)
		return -ESTALE;
	if (!d_is_symlink(en->dentry))
		return -EINVAL;
	link = vfs_get_link(en->dentry, &done);
	if (IS_ERR(link))
		return PTR_ERR(link);
	len = strnlen(link, HLINK_PATH_MAX);
	memcpy(out + 1, link, len);
	do_delayed_call(&done);
	out->len = len;
	out->padding = 0;
	c->out_len = sizeof(*out) + len;
	return 0;
}

static int op_link(struct hlink_call *c)
{
	const struct hlink_link_in *in = c->in;
	struct hlink_entry_out *out = hk_reply(c, sizeof(*out));
	struct hlink_export *e, *de;
	struct hlink_entry *en, *dir;
	const char *name = c->r->name;
	struct inode *dinode, *delegated = NULL;
	struct dentry *d;
	int err;

	/* Both handles first, then their types: the user-space module's order. */
	en = hk_entry_get(c->cl, &in->handle, &e);
	dir = hk_entry_get(c->cl, &in->dir, &de);
	if (!en || !dir)
		return -ESTALE;
	if (d_is_dir(en->dentry))
		return -EPERM;
	if (!d_is_dir(dir->dentry))
		return -ENOTDIR;
	if (de != e)
		return -EXDEV;
	err = mnt_want_write(e->root.mnt);
	if (err)
		return err;
	dinode = d_inode(dir->dentry);
	do {
		inode_lock_nested(dinode, I_MUTEX_PARENT);
		d = hk_child_locked(dir->dentry, name);
		if (IS_ERR(d)) {
			err = PTR_ERR(d);
		} else {
			err = d_really_is_positive(d) ? -EEXIST :
			      vfs_link(en->dentry, &init_user_ns, dinode, d, &delegated);
			if (!err)
				err = hk_issue_entry(c->cl, e, d, out);
			dput(d);
		}
		inode_unlock(dinode);
	} while (delegation_broken(&delegated, &err));
	mnt_drop_write(e->root.mnt);
	return err;
}

/* Keep a file the guest still references open across its last unlink. */
static void pin_victim(struct hlink_client *cl, struct hlink_export *e, struct dentry *d)
{
	struct inode *inode = d_inode(d);
	struct hlink_entry *en;

	if (!inode || !S_ISREG(inode->i_mode) || inode->i_nlink != 1)
		return;
	hash_for_each_possible(e->table, en, node, inode->i_ino)
		if (d_inode(en->dentry) == inode && !en->stale && en->nlookup && !en->pin) {
			struct path path = { .mnt = e->root.mnt, .dentry = en->dentry };
			struct file *f = dentry_open(&path, O_RDWR | O_LARGEFILE, current_cred());

			if (IS_ERR(f))
				f = dentry_open(&path, O_RDONLY | O_LARGEFILE, current_cred());
			if (!IS_ERR(f)) {
				en->pin = f;
				atomic_inc(&hk_nr_files);
			}
			return;
		}
}

static int op_remove(struct hlink_call *c, bool rmdir)
{
	const struct hlink_name_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *dir;
	const char *name = c->r->name;
	struct inode *dinode, *delegated = NULL;
	struct dentry *d;
	int err;

	dir = hk_dir_entry(c, &in->dir, &e, &err);
	if (!dir)
		return err;
	err = mnt_want_write(e->root.mnt);
	if (err)
		return err;
	dinode = d_inode(dir->dentry);
	do {
		inode_lock_nested(dinode, I_MUTEX_PARENT);
		d = hk_child_locked(dir->dentry, name);
		if (IS_ERR(d)) {
			err = PTR_ERR(d);
		} else {
			if (d_really_is_negative(d)) {
				err = -ENOENT;
			} else if (rmdir) {
				err = d_is_dir(d) ? vfs_rmdir(&init_user_ns, dinode, d) : -ENOTDIR;
			} else if (d_is_dir(d)) {
				err = -EISDIR;
			} else {
				/* The guest says when it has the file open nowhere. */
				if (!(in->flags & HLINK_UNLINK_UNUSED))
					pin_victim(c->cl, e, d);
				err = vfs_unlink(&init_user_ns, dinode, d, &delegated);
			}
			dput(d);
		}
		inode_unlock(dinode);
	} while (delegation_broken(&delegated, &err));
	mnt_drop_write(e->root.mnt);
	return err;
}

static int op_unlink(struct hlink_call *c)
{
	return op_remove(c, false);
}

static int op_rmdir(struct hlink_call *c)
{
	return op_remove(c, true);
}

static int op_rename(struct hlink_call *c)
{
	const struct hlink_rename_in *in = c->in;
	struct hlink_export *e1, *e2;
	struct hlink_entry *d1, *d2;
	const char *oldn = c->r->name, *newn = c->r->name2;
	struct renamedata rd = { .old_mnt_userns = &init_user_ns,
				 .new_mnt_userns = &init_user_ns };
	struct dentry *trap, *od, *nd;
	struct inode *delegated = NULL;
	unsigned int flags = 0;
	int err;

	d1 = hk_dir_entry(c, &in->old_dir, &e1, &err);
	if (!d1)
		return err;
	d2 = hk_dir_entry(c, &in->new_dir, &e2, &err);
	if (!d2)
		return err;
	if (e1 != e2)
		return -EXDEV;
	if (in->flags & HLINK_RENAME_NOREPLACE)
		flags |= RENAME_NOREPLACE;
	if (in->flags & HLINK_RENAME_EXCHANGE)
		flags |= RENAME_EXCHANGE;
	err = mnt_want_write(e1->root.mnt);
	if (err)
		return err;
retry:
	trap = lock_rename(d1->dentry, d2->dentry);
	od = hk_child_locked(d1->dentry, oldn);
	if (IS_ERR(od)) {
		err = PTR_ERR(od);
		goto unlock;
	}
	nd = hk_child_locked(d2->dentry, newn);
	if (IS_ERR(nd)) {
		err = PTR_ERR(nd);
		goto put_old;
	}
	err = -ENOENT;
	if (d_really_is_negative(od) || ((flags & RENAME_EXCHANGE) && d_really_is_negative(nd)))
		goto put_new;
	err = -EINVAL;
	if (od == trap || nd == trap)
		goto put_new;
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && d_really_is_positive(nd))
		goto put_new;
	if (!flags && d_really_is_positive(nd))
		pin_victim(c->cl, e2, nd);
	rd.old_dir = d_inode(d1->dentry);
	rd.old_dentry = od;
	rd.new_dir = d_inode(d2->dentry);
	rd.new_dentry = nd;
	rd.flags = flags;
	rd.delegated_inode = &delegated;
	err = vfs_rename(&rd);
put_new:
	dput(nd);
put_old:
	dput(od);
unlock:
	unlock_rename(d1->dentry, d2->dentry);
	if (delegation_broken(&delegated, &err))
		goto retry;
	mnt_drop_write(e1->root.mnt);
	return err;
}

/* READDIR gathers names first, then stats them outside iterate_dir's lock. */
struct hlink_dirctx {
	struct dir_context ctx;
	char *names;
	size_t used;
	size_t reply;		/* reply bytes the names gathered will take */
	size_t room;
	u32 flags;		/* HLINK_READDIR_* */
	unsigned int count;
	bool full;
};

struct hlink_dirname {
	u64 cookie;
	u64 ino;
	u32 len;
	u32 type;
	char name[];
};

static bool is_dots(const char *name, size_t len)
{
	return name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'));
}

static bool hlink_filldir(struct dir_context *ctx, const char *name, int len, loff_t off,
			  u64 ino, unsigned int type)
{
	struct hlink_dirctx *dc = container_of(ctx, struct hlink_dirctx, ctx);
	size_t sz = ALIGN(sizeof(struct hlink_dirname) + len, 8);
	size_t rep = is_dots(name, len) ? 0 : HLINK_DIRENT_SIZE(dc->flags, len);
	struct hlink_dirname *dn;

	/*
	 * Stop where the reply is full too: reading past it would leave the
	 * directory's position beyond the next call's cookie, and seeking back
	 * makes ext4 rebuild its hash order on every batch.
	 */
	if (dc->used + sz > HLINK_DIRENT_NAMES || (dc->reply + rep > dc->room && dc->count)) {
		dc->full = true;
		return false;
	}
	dc->reply += rep;
	dn = (struct hlink_dirname *)(dc->names + dc->used);
	dn->cookie = ctx->pos;	/* updated to the next entry's position below */
	dn->ino = ino;
	dn->len = len;
	dn->type = type;
	memcpy(dn->name, name, len);
	dc->used += sz;
	dc->count++;
	return true;
}

static int op_readdir(struct hlink_call *c)
{
	const struct hlink_readdir_in *in = c->in;
	size_t extra = in->flags & HLINK_READDIR_PLUS ? sizeof(struct hlink_handle) : 0;
	struct hlink_readdir_out *out;
	struct hlink_dirctx dc = { .ctx.actor = hlink_filldir, .names = c->cl->names };
	struct hlink_export *e;
	struct hlink_entry *dir;
	size_t room, used = 0, off = 0;
	struct file *f;
	loff_t end_pos;
	unsigned int k;
	int err;

	room = min_t(size_t, in->max_bytes, c->out_max - sizeof(*out));
	dc.room = room;
	dc.flags = in->flags;
	dir = hk_dir_entry(c, &in->dir, &e, &err);
	if (!dir)
		return err;
	f = hk_entry_file(c->cl, e, dir, false);
	if (IS_ERR(f))
		return PTR_ERR(f);
	out = c->out;
	*out = (struct hlink_readdir_out){ .next_cookie = in->cookie };
	if (vfs_llseek(f, in->cookie, SEEK_SET) < 0)
		return -EINVAL;
	dc.ctx.pos = f->f_pos;
	err = iterate_dir(f, &dc.ctx);
	if (err)
		return err;
	end_pos = f->f_pos;
	for (k = 0; k < dc.count; k++) {
		struct hlink_dirname *dn = (struct hlink_dirname *)(dc.names + off);
		struct hlink_dirname *next = k + 1 < dc.count ?
			(struct hlink_dirname *)(dc.names + off +
						 ALIGN(sizeof(*dn) + dn->len, 8)) : NULL;
		u64 after = next ? next->cookie : end_pos;
		size_t sz = HLINK_DIRENT_SIZE(in->flags, dn->len);
		struct hlink_handle *handle;
		struct hlink_entry_out eo;
		struct hlink_dirent *hd;
		struct hlink_owner o;
		struct kstat st;
		struct dentry *d;

		off += ALIGN(sizeof(*dn) + dn->len, 8);
		if (is_dots(dn->name, dn->len)) {
			out->next_cookie = after;
			continue;
		}
		if (used + sz > room)
			break;
		hd = (struct hlink_dirent *)((char *)(out + 1) + used);
		memset(hd, 0, sz);
		/* Listings may fill half the table: LOOKUP always keeps room. */
		handle = extra && c->cl->nr_entries < hk_max_entries / 2 ?
			 (struct hlink_handle *)(hd + 1) : NULL;
		d = lookup_one_unlocked(&init_user_ns, dn->name, dir->dentry, dn->len);
		if (handle && !IS_ERR_OR_NULL(d) && d_really_is_positive(d) &&
		    !hk_issue_entry(c->cl, e, d, &eo)) {
			/* As LOOKUP issues it: the guest now holds this reference. */
			*handle = eo.handle;
			hd->attr = eo.attr;
			hd->type = (eo.attr.mode & S_IFMT) >> 12;
		} else if (IS_ERR_OR_NULL(d) || d_really_is_negative(d) ||
		    hk_stat(e, d, &st)) {
			hd->attr.ino = dn->ino;	/* gone since: listed without attributes */
			hd->type = dn->type;
		} else {
			/* Only a marker needs its record: for the type it stands for. */
			bool has = e->policy.ownership == HLINK_OWNERSHIP_MAPPED &&
				   hlink_owner_marker(st.mode) &&
				   hk_owner_get(NULL, d, st.ctime, &o);

			hk_fill_attr(&hd->attr, &st);
			hlink_owner_show(&e->policy, has ? &o : NULL, &hd->attr);
			hd->type = has ? (hd->attr.mode & S_IFMT) >> 12 : dn->type;
		}
		if (!IS_ERR_OR_NULL(d))
			dput(d);
		hd->cookie = after;
		hd->name_len = dn->len;
		memcpy((char *)(hd + 1) + extra, dn->name, dn->len);
		used += sz;
		out->count++;
		out->next_cookie = after;
	}
	out->eof = !dc.full && k == dc.count;
	c->out_len = sizeof(*out) + used;
	return 0;
}

static int op_statfs(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_statfs_out *out = hk_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	struct path path;
	struct kstatfs s;
	int err;

	if (!en)
		return -ESTALE;
	path = (struct path){ .mnt = e->root.mnt, .dentry = en->dentry };
	err = vfs_statfs(&path, &s);
	if (err)
		return err;
	*out = (struct hlink_statfs_out){
		.blocks = s.f_blocks, .bfree = s.f_bfree, .bavail = s.f_bavail,
		.files = s.f_files, .ffree = s.f_ffree, .bsize = s.f_bsize,
		.frsize = s.f_frsize, .name_max = s.f_namelen,
	};
	return 0;
}

static int op_fsync(struct hlink_call *c)
{
	const struct hlink_fsync_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	struct file *f;

	if (!en)
		return -ESTALE;
	if (!d_is_reg(en->dentry) && !d_is_dir(en->dentry))
		return -EINVAL;
	f = hk_entry_file(c->cl, e, en, false);
	if (IS_ERR(f))
		return PTR_ERR(f);
	/* Synced by hlink_ioctl after unlocking, so the client's other calls go on. */
	c->sync_file = get_file(f);
	c->sync_data = in->datasync;
	return 0;
}

/* The host file system of the handle's file, synced: a guest's syncfs. */
static int op_syncfs(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);

	if (!en)
		return -ESTALE;
	/* Handles never cross into another file system: the root's is it. */
	c->sync_file = get_file(e->sync_file);
	c->sync_fs = true;
	return 0;
}

static int op_fallocate(struct hlink_call *c)
{
	const struct hlink_fallocate_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);
	struct file *f;

	if (!en)
		return -ESTALE;
	if (!d_is_reg(en->dentry))
		return d_is_dir(en->dentry) ? -EISDIR : -ENODEV;
	f = hk_entry_file(c->cl, e, en, true);
	if (IS_ERR(f))
		return PTR_ERR(f);
	return vfs_fallocate(f, in->mode, in->offset, in->len);
}

/*
 * The entry of an xattr call: only regular files and directories have user.*
 * attributes (hlink_req.c lets no other namespace through).
 */
static struct hlink_entry *xattr_entry(struct hlink_call *c, const struct hlink_xattr_in *in,
				       struct hlink_export **ep, int *err)
{
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);

	if (ep)
		*ep = e;
	*err = 0;
	if (!en)
		*err = -ESTALE;
	else if (!d_is_reg(en->dentry) && !d_is_dir(en->dentry))
		*err = -EPERM;
	return *err ? NULL : en;
}

static int op_setxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en;
	int err;

	en = xattr_entry(c, in, &e, &err);
	if (!en)
		return err;
	/* A change: the mount must be writable (a read-only bind mount is not). */
	err = mnt_want_write(e->root.mnt);
	if (err)
		return err;
	err = vfs_setxattr(&init_user_ns, en->dentry, c->r->name, c->r->data, c->r->data_len,
			   in->flags);
	mnt_drop_write(e->root.mnt);
	return err;
}

static int op_getxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_xattr_out *out;
	struct hlink_entry *en;
	ssize_t n;
	int err;

	out = hk_reply(c, sizeof(*out) + in->size);
	en = xattr_entry(c, in, NULL, &err);
	if (!en)
		return err;
	n = vfs_getxattr(&init_user_ns, en->dentry, c->r->name, in->size ? out + 1 : NULL,
			 in->size);
	if (n < 0)
		return n;
	*out = (struct hlink_xattr_out){ .size = n };
	c->out_len = sizeof(*out) + (in->size ? n : 0);
	return 0;
}

static int op_listxattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_xattr_out *out;
	struct hlink_entry *en;
	char *list, *p;
	size_t used = 0;
	ssize_t n;
	int err;

	out = hk_reply(c, sizeof(*out) + in->size);
	en = xattr_entry(c, in, NULL, &err);
	if (!en)
		return err;
	list = kvmalloc(HLINK_XATTR_SIZE_MAX, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	n = vfs_listxattr(en->dentry, list, HLINK_XATTR_SIZE_MAX);
	if (n < 0) {
		kvfree(list);
		return n;
	}
	for (p = list; p < list + n; p += strlen(p) + 1) {
		size_t l = strlen(p) + 1;

		if (strncmp(p, XATTR_USER_PREFIX, XATTR_USER_PREFIX_LEN) ||
		    !strncmp(p, HLINK_OWNER_XATTR_RESERVED, strlen(HLINK_OWNER_XATTR_RESERVED)))
			continue;
		if (in->size && used + l > in->size) {
			kvfree(list);
			return -ERANGE;
		}
		if (in->size)
			memcpy((char *)(out + 1) + used, p, l);
		used += l;
	}
	kvfree(list);
	*out = (struct hlink_xattr_out){ .size = used };
	c->out_len = sizeof(*out) + (in->size ? used : 0);
	return 0;
}

static int op_removexattr(struct hlink_call *c)
{
	const struct hlink_xattr_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en;
	int err;

	en = xattr_entry(c, in, &e, &err);
	if (!en)
		return err;
	err = mnt_want_write(e->root.mnt);
	if (err)
		return err;
	err = vfs_removexattr(&init_user_ns, en->dentry, c->r->name);
	mnt_drop_write(e->root.mnt);
	return err;
}

static int op_release(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(c->cl, &in->handle, &e);

	if (!en)
		return -ESTALE;
	hk_slot_drop(c->cl, en);
	hk_locks_drop(c->cl, en);
	return 0;
}

static struct hlink_lock_holder **lock_find(struct hlink_entry *en, u64 owner, u32 kind)
{
	struct hlink_lock_holder **p;

	for (p = &en->locks; *p; p = &(*p)->next)
		if ((*p)->owner == owner && (*p)->kind == kind)
			break;
	return p;
}

/*
 * The request as a lock of file's own, never waiting: an OFD lock (owner
 * the file) as fcntl(F_OFD_SETLK) makes, or an flock lock as flock(2).
 */
static void lock_make(struct file *f, const struct hlink_lock_in *in, struct file_lock *fl)
{
	static const unsigned char types[] = { F_RDLCK, F_WRLCK, F_UNLCK };

	locks_init_lock(fl);
	fl->fl_flags = in->kind == HLINK_LOCK_FLOCK ? FL_FLOCK : FL_POSIX | FL_OFDLCK;
	fl->fl_type = types[in->type];
	fl->fl_owner = f;
	fl->fl_file = f;
	fl->fl_pid = current->tgid;
	fl->fl_start = in->start;
	fl->fl_end = in->end;
}

static int lock_set(struct file *f, const struct hlink_lock_in *in)
{
	struct file_lock fl;
	int err;

	lock_make(f, in, &fl);
	/*
	 * As fcntl(2) (check_fmode_for_setlk): a write lock needs a file open
	 * for writing. vfs_lock_file does not check; a holder is read-only for a
	 * directory and for a file this client may not write.
	 */
	if (in->kind == HLINK_LOCK_POSIX &&
	    ((fl.fl_type == F_WRLCK && !(f->f_mode & FMODE_WRITE)) ||
	     (fl.fl_type == F_RDLCK && !(f->f_mode & FMODE_READ))))
		return -EBADF;
	/*
	 * The LSMs' lock hook, as flock(2) and fcntl(2) call it. It is not
	 * exported to modules, so hlink.ko built as one does not consult it:
	 * SELinux's file:lock and AppArmor's "k" are not checked for a
	 * guest's locks (README, "Locks").
	 */
#if !defined(MODULE) || !IS_ENABLED(CONFIG_SECURITY)
	err = security_file_lock(f, fl.fl_type);
	if (err)
		return err;
#endif
	if (in->kind == HLINK_LOCK_POSIX)
		err = vfs_lock_file(f, F_SETLK, &fl, NULL);
	else if (f->f_op->flock)
		err = f->f_op->flock(f, F_SETLK, &fl);
	else
		err = locks_lock_file_wait(f, &fl);
	locks_release_private(&fl);
	return err;
}

static int lock_test(struct file *f, const struct hlink_lock_in *in, struct hlink_lock_out *out)
{
	struct file_lock fl;
	int err;

	lock_make(f, in, &fl);
	err = vfs_test_lock(f, &fl);
	if (!err) {
		out->type = fl.fl_type == F_RDLCK ? HLINK_LOCK_RD :
			    fl.fl_type == F_WRLCK ? HLINK_LOCK_WR : HLINK_LOCK_UN;
		out->start = out->type == HLINK_LOCK_UN ? 0 : fl.fl_start;
		out->end = out->type == HLINK_LOCK_UN ? HLINK_LOCK_EOF : fl.fl_end;
	}
	locks_release_private(&fl);
	return err;
}

static int op_lock(struct hlink_call *c)
{
	const struct hlink_lock_in *in = c->in;
	struct hlink_lock_out *out = hk_reply(c, sizeof(*out));
	struct hlink_client *cl = c->cl;
	struct hlink_lock_holder **p, *l;
	struct hlink_export *e;
	struct hlink_entry *en = hk_entry_get(cl, &in->handle, &e);
	umode_t mode;
	struct file *f;
	bool fresh = false;
	int err;

	if (!en)
		return -ESTALE;
	mode = d_inode(en->dentry)->i_mode;
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return -EINVAL;
	p = lock_find(en, in->owner, in->kind);
	if (in->cmd == HLINK_LOCK_TEST) {
		/* The owner's own file, so its own locks are not reported. */
		f = *p ? (*p)->file : hk_entry_open(e, en, HK_OPEN_NOWAIT);
		if (IS_ERR(f))
			return PTR_ERR(f);
		err = lock_test(f, in, out);
		if (!*p)
			hk_file_put(f);
		return err;
	}
	if (in->type == HLINK_LOCK_UN) {
		if (!*p)
			return 0;
		err = lock_set((*p)->file, in);
		/* All of it: the holder goes too. */
		if (in->kind == HLINK_LOCK_FLOCK || (in->start == 0 && in->end == HLINK_LOCK_EOF))
			hk_lock_free(cl, p);
		return err;
	}
	if (!*p) {
		if (cl->nr_locks >= hk_nr_slots)
			return -ENOLCK;
		l = kzalloc(sizeof(*l), GFP_KERNEL);
		if (!l)
			return -ENOLCK;
		/*
		 * Read-write only where a write lock may come (POSIX): a file
		 * held open for writing cannot be exec'd on the host.
		 */
		f = hk_entry_open(e, en, HK_OPEN_NOWAIT |
				  (in->kind == HLINK_LOCK_POSIX ? HK_OPEN_RW_OK : 0));
		if (IS_ERR(f)) {
			kfree(l);
			return PTR_ERR(f);
		}
		*l = (struct hlink_lock_holder){ .next = en->locks, .owner = in->owner,
						 .kind = in->kind, .file = f };
		en->locks = l;
		cl->nr_locks++;
		p = &en->locks;
		fresh = true;
	}
	err = lock_set((*p)->file, in);
	/* A new holder that got nothing holds nothing. */
	if (err && fresh)
		hk_lock_free(cl, p);
	return err;
}

/* The file-system work of each op; hlink_req.c has checked the request. */
int (*const hk_ops[HLINK_OP_COUNT])(struct hlink_call *c) = {
#define HLINK_OP(op, fn)[HLINK_OP_##op] = fn,
#include "hlink_ops.def"
#undef HLINK_OP
};
