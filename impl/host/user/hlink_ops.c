// SPDX-License-Identifier: GPL-2.0
/*
 * User-space host module: the file-system work of each op, on a request
 * hlink_req.c has decoded and checked. Names are resolved once, relative to
 * a directory opened by handle, never following a symlink.
 */
#include "hlink_host_int.h"

static int op_hello(struct hlink_call *c)
{
	const struct hlink_hello_in *in = c->in;
	struct hlink_hello_out *out = hh_reply(c, sizeof(*out));

	*out = (struct hlink_hello_out){ .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR,
					 .io_max = HLINK_IO_MAX };
	if (in->major != HLINK_ABI_MAJOR)
		return -EPROTO;
	c->host->hello_done = 1;
	return 0;
}


/*
 * Whether the resolved directory real lies at or below an allowed export;
 * *p is the ownership model of the closest such entry, and that entry's
 * directory is the first *entry_len bytes of real. The allowlist was
 * checked when the module was made.
 */
static int export_allowed(const struct hlink_host *h, const char *real, struct hlink_policy *p,
			  size_t *entry_len)
{
	const char *s = h->allow;
	size_t best = 0;
	int found = 0;

	/* The host's administrator names what may be exported: unset, nothing. */
	if (!s)
		return 0;
	while (*s) {
		size_t len, n;
		struct hlink_policy pol;

		if (!hlink_allowlist_entry(s, &len, &n, &pol) && n && !strncmp(real, s, n) &&
		    (real[n] == '\0' || real[n] == '/' || (n == 1 && s[0] == '/')) &&
		    (!found || n > best)) {
			found = 1;
			best = n;
			*p = pol;
			*entry_len = n;
		}
		s += len;
		if (*s == ':')
			s++;
	}
	return found;
}

/*
 * The lock that makes an export exclusive (hlink_owner.h): a flock on a file
 * of the module's own, in a directory only its user may write
 * (HLINK_LOCK_DIR, default /run/hlink), named by the allowlist entry's
 * directory. An exclusive mount takes it exclusive, any other mount at or
 * below that entry shared. Neither a guest nor another host user can take
 * it, so neither can lock a guest out or in; it goes with *lock_fd, at
 * UMOUNT or when this process ends however it ends.
 */
static int export_lock(const char *entry, int exclusive, int *lock_fd)
{
	const char *dir = getenv("HLINK_LOCK_DIR");
	char name[64];
	struct stat st, ds;
	int dfd, fd, err;

	if (!dir || !*dir)
		dir = "/run/hlink";
	if (stat(entry, &st))
		return -errno;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	/* Another user's directory could hold a lock file we do not control. */
	if (fstat(dfd, &ds) || ds.st_uid != geteuid() || (ds.st_mode & 022)) {
		close(dfd);
		fprintf(stderr, "hlink: %s is not this user's alone: no exclusive exports\n", dir);
		return -EPERM;
	}
	snprintf(name, sizeof(name), "export-%llx-%llx.lock", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	if (fd < 0)
		return -errno;
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return err;
	}
	*lock_fd = fd;
	return 0;
}

/* Network and FUSE file systems, by statfs magic: other machines act on them too. */
static int remote_fs(long type)
{
	static const long magic[] = {
		NFS_SUPER_MAGIC, FUSE_SUPER_MAGIC, CIFS_SUPER_MAGIC, SMB2_SUPER_MAGIC,
		V9FS_MAGIC, CEPH_SUPER_MAGIC,
		0x47504653,	/* GPFS: not in linux/magic.h */
	};
	size_t k;

	for (k = 0; k < sizeof(magic) / sizeof(magic[0]); k++)
		if (type == magic[k])
			return 1;
	return 0;
}

static int op_mount(struct hlink_call *c)
{
	struct hlink_mount_out *mo = hh_reply(c, sizeof(*mo));
	struct hlink_entry_out *out = &mo->root;
	struct hlink_host *h = c->host;
	struct hlink_policy policy;
	struct hlink_export *e;
	struct stat st;
	char *path = h->scratch;
	size_t entry_len = 0;
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
			if (!export_allowed(h, path, &policy, &entry_len))
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
	e = n == HLINK_EXPORTS_MAX ? NULL : hh_zalloc(h, sizeof(*e));
	if (!e) {
		close(root_fd);
		return n == HLINK_EXPORTS_MAX ? -ENOSPC : -ENOMEM;
	}
	e->sbid = n + 1;
	e->root_fd = root_fd;
	e->lock_fd = -1;
	if (fstat(e->root_fd, &st)) {
		err = -errno;
		close(e->root_fd);
		hh_free(h, e);
		return err;
	}
	e->dev = st.st_dev;
	/* One exclusive guest at a time, and no other mount of its export beside it. */
	e->exclusive = !!(c->r->in.mount.flags & HLINK_MOUNT_EXCLUSIVE);
	err = e->exclusive && !policy.exclusive ? -EPERM : 0;
	if (!err && policy.exclusive) {
		/* The entry's directory is the first entry_len bytes of path. */
		char c = path[entry_len];

		path[entry_len] = '\0';
		err = export_lock(entry_len ? path : "/", e->exclusive, &e->lock_fd);
		path[entry_len] = c;
	}
	if (err) {
		close(e->root_fd);
		hh_free(h, e);
		return err;
	}
	policy.weak_record = h->weak_xattr;
	policy.export_id = st.st_ino;
	e->policy = policy;
	{
		struct {
			struct file_handle fh;
			unsigned char bytes[HLINK_FH_MAX];
		} probe = { .fh.handle_bytes = HLINK_FH_MAX };

		if (name_to_handle_at(e->root_fd, "", &probe.fh, &e->mount_id, AT_EMPTY_PATH)) {
			err = -errno;
			close(e->root_fd);
			if (e->lock_fd >= 0)
				close(e->lock_fd);
			hh_free(h, e);
			return err;
		}
	}
	{
		/* Without birth times, makes by name are restricted (make_by_name_ok). */
		struct statx stx;
		struct statfs sf;

		e->no_btime = !statx(e->root_fd, "", AT_EMPTY_PATH, STATX_BTIME, &stx) &&
			      !(stx.stx_mask & STATX_BTIME);
		if (e->no_btime && (fstatfs(e->root_fd, &sf) || remote_fs(sf.f_type)))
			e->no_btime = 2;
		if (e->no_btime)
			fprintf(stderr, "hlink: %s: its file system keeps no birth times, so a "
				"new directory, symlink or device node is made %s (EPERM)\n", path,
				e->no_btime == 2 ? "nowhere: it is a network or FUSE one" :
				"only where no other host user can rename entries");
	}
	h->exports[n] = e;
	err = hh_issue_fd(h, e, e->root_fd, NULL, out);
	if (err) {
		hh_export_free(h, e);
		return err;
	}
	e->root = hh_inode_find(e, out->handle.ino, out->handle.gen);
	mo->ownership = policy.ownership;
	mo->flags = (policy.ownership == HLINK_OWNERSHIP_MAPPED && !policy.weak_record ?
		     0 : HLINK_MOUNT_NODEV) | (e->exclusive ? HLINK_MOUNT_EXCLUSIVE : 0);
	return 0;
}

static int op_umount(struct hlink_call *c)
{
	const struct hlink_umount_in *in = c->in;
	struct hlink_export *e = hh_export_of(c->host, in->sbid);

	if (!e)
		return -ESTALE;
	hh_export_free(c->host, e);
	return 0;
}

static int op_lookup(struct hlink_call *c)
{
	const struct hlink_name_in *in = c->in;
	struct hlink_entry_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_inode *dir;
	const char *name = c->r->name;
	int fd;

	fd = hh_dir_fd(h, &in->dir, &e, &dir);
	if (fd < 0)
		return fd;
	if (!strcmp(name, "."))
		return hh_issue_fd(h, e, fd, NULL, out);
	if (!strcmp(name, "..")) {
		struct hlink_inode *p;
		struct stat st;
		int pfd, err;

		/*
		 * '..' of the export root is the root; elsewhere it must be a
		 * directory this module has already issued, checked and issued
		 * through one descriptor (a host user may move directories).
		 */
		if (dir == e->root)
			return hh_issue_fd(h, e, fd, NULL, out);
		pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0)
			return -errno;
		if (fstatat(pfd, "", &st, AT_EMPTY_PATH)) {
			err = -errno;
		} else {
			for (p = e->table[hh_bucket_of(st.st_ino)]; p; p = p->next)
				if (p->ino == (uint64_t)st.st_ino && !p->stale && p->nlookup &&
				    S_ISDIR(p->type) && hh_same_file(p, pfd))
					break;
			err = p ? hh_issue_fd(h, e, pfd, NULL, out) : -ESTALE;
		}
		close(pfd);
		return err;
	}
	return hh_issue_entry(h, e, fd, name, out);
}

static int op_forget(struct hlink_call *c)
{
	const struct hlink_forget_in *in = c->in;
	struct hlink_export *e = hh_export_of(c->host, in->handle.sbid);
	struct hlink_inode *i;

	if (!e)
		return -ESTALE;
	/* Stale inodes can still be forgotten: look past the stale flag. */
	for (i = e->table[hh_bucket_of(in->handle.ino)]; i; i = i->next)
		if (i->ino == in->handle.ino && i->gen == in->handle.gen && in->handle.gen)
			break;
	if (!i || i->nlookup == 0)
		return -ESTALE;
	if (in->nlookup > i->nlookup)
		return -EINVAL;
	i->nlookup -= in->nlookup;
	/*
	 * The root stays for the export's life, but its locks go with the
	 * guest's last reference, as any file's: no handle could reach them.
	 */
	if (i->nlookup == 0 && i == e->root)
		hh_locks_drop(c->host, i);
	else if (i->nlookup == 0)
		hh_inode_forget(c->host, e, i);
	return 0;
}

static int op_getattr(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_attr_out *out = hh_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	fd = hh_inode_fd(c->host, e, i, O_PATH);
	return fd < 0 ? fd : hh_fd_attr(c->host, e, i, fd, &out->attr);
}

static int op_setattr(struct hlink_call *c)
{
	const struct hlink_setattr_in *in = c->in;
	struct hlink_attr_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(h, &in->handle, &e);
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
		fd = hh_inode_fd(h, e, i, O_RDWR);
		if (fd < 0)
			return fd;
		if (ftruncate(fd, (off_t)in->size))
			return -errno;
	}
	fd = hh_inode_fd(h, e, i, O_PATH);
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
		hh_fill_attr(&ha, &st);
		if (e->policy.ownership == HLINK_OWNERSHIP_MAPPED)
			has = hh_owner_get(h, i, fd, &st, &o);
		err = hlink_policy_chown(&e->policy, in, &ha, has ? &o : NULL, &ch);
		if (!err && ch.record)
			err = hh_owner_put(h, i, fd, &ch.owner);
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
			hh_proc_path(path, sizeof(path), fd);
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
	return hh_fd_attr(h, e, i, fd, &out->attr);
}

/* The call's buffer as iovecs: the one buf, or HLINK_IO_VEC's pieces. */
static int io_segs(const struct hlink_req *r, struct iovec *iov)
{
	const struct hlink_io_in *in = &r->in.io;
	int k, n;

	if (!(in->flags & HLINK_IO_VEC)) {
		iov[0] = (struct iovec){ (void *)(uintptr_t)in->buf, in->len };
		return 1;
	}
	n = (int)(r->data_len / sizeof(struct hlink_iovec));
	for (k = 0; k < n; k++) {
		struct hlink_iovec s;

		memcpy(&s, r->data + k * sizeof(s), sizeof(s));
		iov[k] = (struct iovec){ (void *)(uintptr_t)s.base, (size_t)s.len };
	}
	return n;
}

static int op_io(struct hlink_call *c, int write)
{
	const struct hlink_io_in *in = c->in;
	int pre = write && (in->flags & HLINK_IO_WANT_PRE);
	struct hlink_io_out *out = hh_reply(c, sizeof(*out) + (pre ? sizeof(struct hlink_io_pre) : 0));
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	struct iovec *v = c->host->iov;
	int nv = io_segs(c->r, v);
	size_t done = 0;
	int fd, direct;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type))
		return S_ISDIR(i->type) ? -EISDIR : -EINVAL;
	fd = hh_inode_fd(c->host, e, i, write ? O_RDWR : O_RDONLY);
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
		hh_owner_own_change(c->host, i, &st);
	}
	/* The guest's O_DIRECT on the host file too, where its file system takes it. */
	direct = 0;
	if ((in->flags & HLINK_IO_DIRECT) && !e->no_direct) {
		int err = hh_fd_direct(c->host, i, fd, 1);

		if (err == -EINVAL)
			e->no_direct = 1;	/* the file system takes none: stop asking */
		direct = !err;
	}
	if (!direct)
		hh_fd_direct(c->host, i, fd, 0);
	while (done < in->len) {
		off_t off = (off_t)(in->offset + done);
		ssize_t n = write ? pwritev(fd, v, nv, off) : preadv(fd, v, nv, off);

		if (n < 0 && errno == EINTR)
			continue;
		/* Not aligned as the host's O_DIRECT needs: through its page cache. */
		if (n < 0 && errno == EINVAL && direct && !done) {
			direct = 0;
			if (!hh_fd_direct(c->host, i, fd, 0))
				continue;
			errno = EINVAL;
		}
		if (n < 0) {
			if (done)
				break;
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
		/* A short transfer: go on from where it stopped. */
		while (nv && (size_t)n >= v->iov_len) {
			n -= (ssize_t)v->iov_len;
			v++;
			nv--;
		}
		if (nv) {
			v->iov_base = (char *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	out->count = (uint32_t)done;
	if (in->flags & HLINK_IO_WANT_ATTR)
		return hh_fd_attr(c->host, e, i, fd, &out->attr);
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
 * fsuid/fsgid and the exact mode through umask 0 (only where the umask would
 * change it), so that nothing acts on the new name afterwards (a host user
 * who can write in the export could swap it for a symlink in between, and a
 * chmod or chown by name would follow it).
 * The module keeps its capabilities across the fsuid change, as the chown
 * it replaces had them (SECBIT_NO_SETUID_FIXUP on this thread).
 */
struct hlink_as {
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
	int umask_set;			/* umask was changed */
	int switched;			/* fsuid and fsgid were changed */
};

static void as_restore(const struct hlink_as *old)
{
	if (old->umask_set)
		umask(old->umask);
	if (old->switched) {
		setfsuid(old->fsuid);
		setfsgid(old->fsgid);
	}
}

/* Securebits are a thread's own: each calling thread sets its own once. */
static __thread int keep_caps;

static int as_guest(struct hlink_host *h, uint32_t uid, uint32_t gid, mode_t mode,
		    struct hlink_as *old)
{
	/* Our own ids and umask are in force between calls: change what differs. */
	old->umask_set = (mode & h->umask) != 0;
	if (old->umask_set)
		old->umask = umask(0);
	old->switched = uid != h->euid || gid != h->egid;
	if (!old->switched)
		return 0;
	if (!keep_caps && h->euid == 0) {
		int bits = prctl(PR_GET_SECUREBITS);

		keep_caps = bits >= 0 &&
			    prctl(PR_SET_SECUREBITS, bits | SECBIT_NO_SETUID_FIXUP) == 0;
	}
	old->fsgid = (gid_t)setfsgid(gid);
	old->fsuid = (uid_t)setfsuid(uid);
	/* setfsuid(-1) changes nothing and says what is in force. */
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid) {
		as_restore(old);
		return -EPERM;
	}
	return 0;
}

/*
 * Undo a half-made entry when the reply cannot be completed: only if the
 * name still holds the file made (fd), not one a host user put there since.
 */
static void undo_create(int dirfd, const char *name, int fd, int is_dir)
{
	struct stat a, b;

	if (fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		unlinkat(dirfd, name, is_dir ? AT_REMOVEDIR : 0);
}

/* as_guest with the ids a new entry is made with under the export's model. */
static int as_maker(struct hlink_host *h, const struct hlink_make *m, struct hlink_as *old)
{
	/* symlinkat ignores the umask. */
	return as_guest(h, m->as_self ? (uint32_t)h->euid : m->uid,
			m->as_self ? (uint32_t)h->egid : m->gid,
			S_ISLNK(m->host_mode) ? 0 : m->host_mode & 07777, old);
}

/* The coarse clock file times come from, read before a make. */
static void make_start(struct timespec *t0)
{
	clock_gettime(CLOCK_REALTIME_COARSE, t0);
}

/* Whether birth time t is before t0. */
static int made_before(const struct statx_timestamp *t, const struct timespec *t0)
{
	return t->tv_sec < t0->tv_sec || (t->tv_sec == t0->tv_sec && t->tv_nsec < t0->tv_nsec);
}

/*
 * Where the file system keeps no birth times, open_made cannot tell the
 * entry made from an older one of the same owner that a host user renamed
 * onto its name (a rename needs no right on what is renamed). So such
 * entries are made only in a directory where no one else can rename: one
 * owned by root, this module or the owner made, that no one else may write
 * in, or a sticky one, where only an entry's owner can replace it. On a
 * network or FUSE file system the mode bits and ids the host sees bind no
 * one (other clients, server ACLs): none is made there (no_btime 2).
 */
static int make_by_name_ok(struct hlink_host *h, const struct hlink_export *e, int dfd,
			   const struct hlink_make *m)
{
	struct stat st;

	if (!e->no_btime)
		return 0;
	if (e->no_btime == 2)
		return -EPERM;
	if (fstat(dfd, &st))
		return -errno;
	if ((st.st_uid == 0 || st.st_uid == h->euid || (!m->as_self && st.st_uid == m->uid)) &&
	    (!(st.st_mode & (S_IWGRP | S_IWOTH)) || (st.st_mode & S_ISVTX)))
		return 0;
	return -EPERM;
}

/*
 * The entry mkdir, mknod or symlink just made as m says, opened by name
 * (O_NOFOLLOW), for everything done to it after: it must be what this call
 * made. Between the make and the open, a host user who can write in the
 * directory can rename another entry onto the name (renaming within a
 * directory needs no right on what is renamed); that entry is older than
 * t0, or, if newer, is theirs and not of the owner made. On an export
 * with no birth times (no_btime), make_by_name_ok has kept host users out
 * of the directory, and one link is required; anywhere else an entry
 * without a birth time is refused.
 * Returns the descriptor, or -EEXIST when the name holds something else.
 */
static int open_made(int dfd, const char *name, const struct hlink_make *m, int flags,
		     const struct timespec *t0, int no_btime)
{
	uid_t uid = m->as_self ? geteuid() : m->uid;
	struct statx stx;
	int fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
		  STATX_TYPE | STATX_UID | STATX_NLINK | STATX_BTIME, &stx) ||
	    (stx.stx_mode & S_IFMT) != (m->host_mode & S_IFMT) || stx.stx_uid != uid)
		goto other;
	if (stx.stx_mask & STATX_BTIME) {
		if (made_before(&stx.stx_btime, t0))
			goto other;
	} else if (!no_btime || stx.stx_nlink != (S_ISDIR(stx.stx_mode) ? 2U : 1U)) {
		goto other;
	}
	return fd;
other:
	close(fd);
	return -EEXIST;
}

/*
 * The new entry open at fd, finished as m says and issued from fd itself.
 * A record that would say only what the host file shows is not written: a
 * file the guest's root makes with the module's own ids and a mode the host
 * keeps as it is (the common case) costs no host call for it. That is
 * tried only where fd came from the O_EXCL create itself (excl), so the
 * file cannot be one a host user renamed in with a record of its own, and
 * where the ids allow it; and it is checked on the file itself.
 */
static int finish_made(struct hlink_host *h, struct hlink_export *e, int fd, int excl,
		       const struct hlink_make *m, struct hlink_entry_out *out)
{
	struct stat st;
	int err = 0;

	/* mkdir(2) drops S_ISGID from the mode it is given. */
	if (S_ISDIR(m->host_mode) && (m->host_mode & S_ISGID) && fchmod(fd, m->host_mode & 07777))
		return -errno;
	if (!m->record)
		return hh_issue_new(h, e, fd, NULL, NULL, out);
	if (excl && m->owner.uid == h->euid && m->owner.gid == h->egid &&
	    m->owner.mode == m->host_mode) {
		if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return -errno;
		if (hlink_owner_implied(&e->policy, &m->owner, st.st_uid, st.st_gid, st.st_mode))
			return hh_issue_new(h, e, fd, &st, NULL, out);
	}
	err = hh_owner_put(h, NULL, fd, &m->owner);
	/* user.* attributes cannot be set on symlinks: such a one shows the host's owner. */
	if (err == -EPERM && S_ISLNK(m->host_mode) && h->weak_xattr)
		return hh_issue_fd(h, e, fd, NULL, out);
	return err ? err : hh_issue_new(h, e, fd, NULL, &m->owner, out);
}

/*
 * What every make starts with: the directory (its descriptor is returned),
 * the export's plan for the new entry (m), and the ids to make it with, in
 * force until as_restore(as). Returns the descriptor or -errno.
 */
static int make_begin(struct hlink_call *c, const struct hlink_handle *dir, uint32_t mode,
		      uint32_t uid, uint32_t gid, uint32_t major, uint32_t minor,
		      struct hlink_export **e, struct hlink_make *m, struct hlink_as *as)
{
	int dfd = hh_dir_fd(c->host, dir, e, NULL);
	int err;

	if (dfd < 0)
		return dfd;
	err = hlink_policy_make(&(*e)->policy, mode, uid, gid, major, minor, m);
	if (err || (err = as_maker(c->host, m, as)))
		return err;
	return dfd;
}

static int op_create(struct hlink_call *c)
{
	const struct hlink_create_in *in = c->in;
	struct hlink_entry_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	int dfd, fd, err;

	dfd = make_begin(c, &in->dir, in->mode, in->uid, in->gid, 0, 0, &e, &m, &as);
	if (dfd < 0)
		return dfd;
	/* O_EXCL: the descriptor is of the file this call made, whatever the name holds later. */
	fd = openat(dfd, name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC,
		    m.host_mode & 07777);
	err = errno;
	as_restore(&as);
	if (fd >= 0) {
		struct hlink_inode *i;

		err = finish_made(h, e, fd, 1, &m, out);
		if (err) {
			undo_create(dfd, name, fd, 0);
			close(fd);
			return err;
		}
		/*
		 * A guest that opens what it creates, and says RELEASE when it
		 * has closed it, writes through this descriptor, as a host
		 * process through the one its own create returned, instead of
		 * through a reopen by handle. (It may take dfd's slot: dfd
		 * is not used after.)
		 */
		i = (in->flags & HLINK_CREATE_OPEN) ? hh_inode_get(h, &out->handle, &e) : NULL;
		if (i)
			hh_slot_adopt(h, i, fd);
		else
			close(fd);
		hh_prov_bind(h, e, out, c->r->hdr.unique);
		return 0;
	}
	if (err != EEXIST || (in->flags & HLINK_CREATE_EXCL))
		return -err;
	/* An existing file: opened only to see its type (a device or FIFO could act). */
	fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	{
		struct stat st;

		err = fstat(fd, &st) ? -errno : S_ISREG(st.st_mode) ? 0 :
		      S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
	}
	if (!err)
		err = hh_issue_fd(h, e, fd, NULL, out);
	close(fd);
	if (!err)
		hh_prov_bind(h, e, out, c->r->hdr.unique);
	return err;
}

/*
 * MKDIR and MKNOD: the same steps but for the type and the call. A regular
 * host file (MKNOD of one, or a mapped device node, FIFO or socket) is made
 * by open, which gives its descriptor at once.
 */
static int make_node(struct hlink_call *c, int is_dir)
{
	const struct hlink_create_in *in = c->in;
	struct hlink_entry_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct timespec t0;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	int dfd, fd, err;

	dfd = make_begin(c, &in->dir, is_dir ? S_IFDIR | (in->mode & 07777) : in->mode,
			 in->uid, in->gid, in->rdev_major, in->rdev_minor, &e, &m, &as);
	if (dfd < 0)
		return dfd;
	make_start(&t0);
	if (S_ISREG(m.host_mode)) {
		fd = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
			    m.host_mode & 07777);
		fd = fd < 0 ? -errno : fd;
		as_restore(&as);
	} else {
		err = make_by_name_ok(h, e, dfd, &m);
		if (!err && (is_dir ? mkdirat(dfd, name, m.host_mode & 07777)
				    : mknodat(dfd, name, m.host_mode & (S_IFMT | 07777), 0)))
			err = -errno;
		as_restore(&as);
		fd = err ? err : open_made(dfd, name, &m, is_dir ? O_RDONLY | O_DIRECTORY : O_PATH,
					   &t0, e->no_btime);
	}
	if (fd < 0)
		return fd;
	err = finish_made(h, e, fd, S_ISREG(m.host_mode), &m, out);
	if (err)
		undo_create(dfd, name, fd, is_dir);
	else
		hh_prov_bind(h, e, out, c->r->hdr.unique);
	close(fd);
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
	struct hlink_entry_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct timespec t0;
	struct hlink_make m;
	struct hlink_as as;
	const char *name = c->r->name;
	char *target = h->scratch;
	int dfd, fd, err;

	/* The target is stored as text; the host never follows it. */
	memcpy(target, c->r->data, c->r->data_len);
	target[c->r->data_len] = '\0';
	dfd = make_begin(c, &in->dir, S_IFLNK | 0777, in->uid, in->gid, 0, 0, &e, &m, &as);
	if (dfd < 0)
		return dfd;
	make_start(&t0);
	err = make_by_name_ok(h, e, dfd, &m);
	if (!err)
		err = symlinkat(target, dfd, name) ? -errno : 0;
	as_restore(&as);
	fd = err ? err : open_made(dfd, name, &m, O_PATH, &t0, e->no_btime);
	if (fd < 0)
		return fd;
	err = finish_made(h, e, fd, 0, &m, out);
	if (err)
		undo_create(dfd, name, fd, 0);
	else
		hh_prov_bind(h, e, out, c->r->hdr.unique);
	close(fd);
	return err;
}

static int op_readlink(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_readlink_out *out = hh_reply(c, sizeof(*out) + HLINK_PATH_MAX);
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	ssize_t n;
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISLNK(i->type))
		return -EINVAL;
	fd = hh_inode_fd(c->host, e, i, O_PATH);
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
	struct hlink_entry_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e, *de;
	struct hlink_inode *i, *d;
	const char *name = c->r->name;
	int fd, dfd, dup, err;

	i = hh_inode_get(h, &in->handle, &e);
	d = hh_inode_get(h, &in->dir, &de);
	if (!i || !d)
		return -ESTALE;
	if (S_ISDIR(i->type))
		return -EPERM;
	if (!S_ISDIR(d->type))
		return -ENOTDIR;
	if (de != e)
		return -EXDEV;
	err = hh_two_fds(h, e, i, O_PATH, d, O_RDONLY, &fd, &dfd, &dup);
	if (err)
		return err;
	/* The new name is the file at fd: issued from it, not from the name again. */
	if (linkat(fd, "", dfd, name, AT_EMPTY_PATH))
		err = -errno;
	else if ((err = hh_issue_fd(h, e, fd, NULL, out)))
		undo_create(dfd, name, fd, 0);
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
	for (i = e->table[hh_bucket_of(st.st_ino)]; i; i = i->next)
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

	dfd = hh_dir_fd(c->host, &in->dir, &e, NULL);
	if (dfd < 0)
		return dfd;
	/* Kept reachable for the guest's open files; it says when it has none. */
	if (!flags && !(in->flags & HLINK_UNLINK_UNUSED))
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

	d1 = hh_inode_get(h, &in->old_dir, &e1);
	d2 = hh_inode_get(h, &in->new_dir, &e2);
	if (!d1 || !d2)
		return -ESTALE;
	if (!S_ISDIR(d1->type) || !S_ISDIR(d2->type))
		return -ENOTDIR;
	if (e1 != e2)
		return -EXDEV;
	err = hh_two_fds(h, e1, d1, O_RDONLY, d2, O_RDONLY, &fd1, &fd2, &dup);
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

/* The record of a mapped device node, FIFO or socket, name in dfd: 1 if it has one. */
static int marker_record(struct hlink_host *h, int dfd, const char *name, struct hlink_owner *o)
{
	unsigned char rec[HLINK_OWNER_REC_SIZE + 1];
	char path[32 + NAME_MAX + 1];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dfd, name);
	n = lgetxattr(path, h->owner_xattr, rec, sizeof(rec));
	return n >= 0 && !hlink_owner_decode(o, rec, (size_t)n);
}

/*
 * One READDIR entry's attributes and type; with @handle, also a handle as
 * LOOKUP issues it (gen 0 if none could be issued).
 */
static void readdir_entry(struct hlink_call *c, struct hlink_export *e, int fd,
			  struct dirent64 *d, struct hlink_dirent *hd, struct hlink_handle *handle)
{
	struct hlink_entry_out eo;
	struct stat st;

	if (handle && !hh_issue_entry(c->host, e, fd, d->d_name, &eo)) {
		*handle = eo.handle;
		hd->attr = eo.attr;
		hd->type = dtype_of(eo.attr.mode);
		return;
	}
	if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		/* Only a marker needs its record: for the type it stands for. */
		struct hlink_owner o;
		int has = e->policy.ownership == HLINK_OWNERSHIP_MAPPED &&
			  hlink_owner_marker(st.st_mode) &&
			  marker_record(c->host, fd, d->d_name, &o);

		hh_fill_attr(&hd->attr, &st);
		hlink_owner_show(&e->policy, has ? &o : NULL, &hd->attr);
		if (has)
			d->d_type = (unsigned char)IFTODT(hd->attr.mode);
	} else {
		/* Gone since getdents: list it without attributes. */
		st.st_mode = 0;
		hd->attr.ino = d->d_ino;
	}
	hd->type = d->d_type != DT_UNKNOWN ? d->d_type : dtype_of(st.st_mode);
}

/* getdents64's record for the longest name. */
#define DENTS_LONGEST ((offsetof(struct dirent64, d_name) + NAME_MAX + 1 + 7) & ~(size_t)7)

/*
 * How many bytes of getdents64 records to read so that every entry read fits
 * in left bytes of reply. Reading more would leave the directory's position
 * past the next call's cookie, and seeking back makes ext4 rebuild its hash
 * order and tmpfs walk its list from the start, on every batch. A reply
 * entry is largest beside its record for the shortest names.
 */
static size_t dents_budget(uint32_t flags, size_t left)
{
	size_t rec = (offsetof(struct dirent64, d_name) + 1 + 1 + 7) & ~(size_t)7;
	size_t want = left / HLINK_DIRENT_SIZE(flags, 1) * rec;

	return want < HLINK_SCRATCH_SIZE ? want : HLINK_SCRATCH_SIZE;
}

static int op_readdir(struct hlink_call *c)
{
	const struct hlink_readdir_in *in = c->in;
	size_t extra = in->flags & HLINK_READDIR_PLUS ? sizeof(struct hlink_handle) : 0;
	struct hlink_readdir_out *out;
	struct hlink_export *e;
	char *buf = c->host->scratch;
	size_t room, used = 0;
	int fd;

	room = in->max_bytes < c->out_max - sizeof(*out) ? in->max_bytes : c->out_max - sizeof(*out);
	out = c->out;
	*out = (struct hlink_readdir_out){ .next_cookie = in->cookie };
	fd = hh_dir_fd(c->host, &in->dir, &e, NULL);
	if (fd < 0)
		return fd;
	if (lseek(fd, (off_t)in->cookie, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		size_t want = dents_budget(in->flags, room - used);
		long n, off = 0;

		if (want < DENTS_LONGEST && out->count)
			break;
		n = syscall(SYS_getdents64, fd, buf,
			    want < DENTS_LONGEST ? DENTS_LONGEST : want);
		/* A name longer than NAME_MAX bytes (some file systems' UTF-8). */
		if (n < 0 && errno == EINVAL && !out->count)
			n = syscall(SYS_getdents64, fd, buf, HLINK_SCRATCH_SIZE);
		/* Entries already in the reply hold handles: send them, not the error. */
		if (n < 0 && out->count)
			break;
		if (n < 0)
			return -errno;
		if (n == 0) {
			out->eof = 1;
			break;
		}
		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			size_t nl = strlen(d->d_name);
			size_t sz = HLINK_DIRENT_SIZE(in->flags, nl);
			struct hlink_dirent *hd;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
				out->next_cookie = (uint64_t)d->d_off;
				continue;
			}
			/* Checked before a handle is issued: none is issued and then dropped. */
			if (used + sz > room)
				goto full;
			hd = (struct hlink_dirent *)((char *)(out + 1) + used);
			memset(hd, 0, sz);
			readdir_entry(c, e, fd, d, hd, extra ? (struct hlink_handle *)(hd + 1) : NULL);
			hd->cookie = (uint64_t)d->d_off;
			hd->name_len = (uint32_t)nl;
			memcpy((char *)(hd + 1) + extra, d->d_name, nl);
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
	struct hlink_statfs_out *out = hh_reply(c, sizeof(*out));
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	struct statfs s;
	int fd;

	if (!i)
		return -ESTALE;
	fd = hh_inode_fd(c->host, e, i, O_PATH);
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
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type) && !S_ISDIR(i->type))
		return -EINVAL;
	fd = hh_inode_fd(c->host, e, i, O_RDONLY);
	if (fd < 0)
		return fd;
	if (c->slow) {
		/* Its own descriptor: the slot's may be closed before the sync runs. */
		c->slow->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		c->slow->datasync = !!in->datasync;
		if (c->slow->fd >= 0)
			return HH_SLOW;
	}
	return (in->datasync ? fdatasync(fd) : fsync(fd)) ? -errno : 0;
}

/* The host file system the handle's file is on, synced: a guest's syncfs. */
static int op_syncfs(struct hlink_call *c)
{
	const struct hlink_handle_in *in = c->in;
	struct hlink_export *e;

	if (!hh_inode_get(c->host, &in->handle, &e))
		return -ESTALE;
	/* Handles never cross into another file system: the root's is it. */
	if (c->slow) {
		c->slow->fd = fcntl(e->root_fd, F_DUPFD_CLOEXEC, 0);
		if (c->slow->fd >= 0)
			return HH_SLOW;
	}
	return syncfs(e->root_fd) ? -errno : 0;
}

static int op_fallocate(struct hlink_call *c)
{
	const struct hlink_fallocate_in *in = c->in;
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type))
		return S_ISDIR(i->type) ? -EISDIR : -ENODEV;
	fd = hh_inode_fd(c->host, e, i, O_RDWR);
	if (fd < 0)
		return fd;
	return fallocate(fd, (int)in->mode, (off_t)in->offset, (off_t)in->len) ? -errno : 0;
}

/*
 * The inode and a /proc path to it, for the xattr calls (hlink_req.c lets
 * only user.* names through).
 */
static int xattr_target(struct hlink_call *c, const struct hlink_xattr_in *in,
			char *path, size_t len)
{
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);
	int fd;

	if (!i)
		return -ESTALE;
	/* user.* xattrs exist only on regular files and directories. */
	if (!S_ISREG(i->type) && !S_ISDIR(i->type))
		return -EPERM;
	fd = hh_inode_fd(c->host, e, i, O_PATH);
	if (fd < 0)
		return fd;
	hh_proc_path(path, len, fd);
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

	out = hh_reply(c, sizeof(*out) + in->size);
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

	out = hh_reply(c, sizeof(*out) + in->size);
	if ((err = xattr_target(c, in, path, sizeof(path))))
		return err;
	list = c->host->alloc(HLINK_XATTR_SIZE_MAX);
	if (!list)
		return -ENOMEM;
	n = listxattr(path, list, HLINK_XATTR_SIZE_MAX);
	if (n < 0) {
		err = -errno;
		hh_free(c->host, list);
		return err;
	}
	/* Show only the namespace this module serves. */
	for (p = list; p < list + n; p += strlen(p) + 1) {
		size_t l = strlen(p) + 1;

		if (strncmp(p, "user.", 5) ||
		    !strncmp(p, HLINK_OWNER_XATTR_RESERVED, strlen(HLINK_OWNER_XATTR_RESERVED)))
			continue;
		if (in->size && used + l > in->size) {
			hh_free(c->host, list);
			return -ERANGE;
		}
		if (in->size)
			memcpy((char *)(out + 1) + used, p, l);
		used += l;
	}
	hh_free(c->host, list);
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
	struct hlink_inode *i = hh_inode_get(c->host, &in->handle, &e);

	if (!i)
		return -ESTALE;
	hh_slot_close(c->host, i);
	hh_locks_drop(c->host, i);
	return 0;
}

/* open(2) of a /proc path, never waiting for a lease: -errno, -EAGAIN for a lease. */
static int reopen(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd >= 0)
		return fd;
	return errno == ENOENT ? -ESTALE : errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

/*
 * A new host open file of i for lock holding. Not a slot's: closing a slot's
 * file would drop its locks. Read-write only where a write lock may be asked
 * of it later (a POSIX holder), and where allowed: a file held open for
 * writing could not be exec'd on the host. O_NONBLOCK: a host user's lease
 * makes the open fail with EWOULDBLOCK (a conflict, EAGAIN) instead of
 * waiting up to lease-break-time.
 */
static int lock_open(struct hlink_host *h, struct hlink_export *e, struct hlink_inode *i,
		     int rw)
{
	char path[64];
	int fd = hh_inode_fd(h, e, i, O_PATH);

	if (fd < 0)
		return fd;
	hh_proc_path(path, sizeof(path), fd);
	if (S_ISDIR(i->type))
		return reopen(path, O_RDONLY | O_DIRECTORY);
	fd = rw ? reopen(path, O_RDWR) : -EACCES;
	if (fd == -EACCES || fd == -EPERM || fd == -EROFS || fd == -ETXTBSY)
		fd = reopen(path, O_RDONLY);
	return fd;
}

static struct hlink_lock_holder **lock_find(struct hlink_inode *i, uint64_t owner, uint32_t kind)
{
	struct hlink_lock_holder **p;

	for (p = &i->locks; *p; p = &(*p)->next)
		if ((*p)->owner == owner && (*p)->kind == kind)
			break;
	return p;
}

/* The host's lock call on fd for the request; its type may differ (TEST). */
static int lock_host(int fd, const struct hlink_lock_in *in, int cmd, struct flock *fl)
{
	static const short types[] = { F_RDLCK, F_WRLCK, F_UNLCK };

	if (in->kind == HLINK_LOCK_FLOCK) {
		int op = in->type == HLINK_LOCK_UN ? LOCK_UN :
			 in->type == HLINK_LOCK_RD ? LOCK_SH | LOCK_NB : LOCK_EX | LOCK_NB;

		return flock(fd, op) ? (errno == EWOULDBLOCK ? -EAGAIN : -errno) : 0;
	}
	*fl = (struct flock){ .l_type = types[in->type], .l_whence = SEEK_SET,
			      .l_start = (off_t)in->start,
			      .l_len = in->end == HLINK_LOCK_EOF ? 0 : (off_t)(in->end - in->start + 1) };
	if (fcntl(fd, cmd, fl))
		return errno == EACCES ? -EAGAIN : -errno;
	return 0;
}

static int op_lock(struct hlink_call *c)
{
	const struct hlink_lock_in *in = c->in;
	struct hlink_lock_out *out = hh_reply(c, sizeof(*out));
	struct hlink_host *h = c->host;
	struct hlink_export *e;
	struct hlink_inode *i = hh_inode_get(h, &in->handle, &e);
	struct hlink_lock_holder **p, *l;
	struct flock fl;
	int fd, err, fresh = 0;

	if (!i)
		return -ESTALE;
	if (!S_ISREG(i->type) && !S_ISDIR(i->type))
		return -EINVAL;
	p = lock_find(i, in->owner, in->kind);
	if (in->cmd == HLINK_LOCK_TEST) {
		/* The owner's own file, so its own locks are not reported. */
		fd = *p ? (*p)->fd : lock_open(h, e, i, 0);
		if (fd < 0)
			return fd;
		err = lock_host(fd, in, F_OFD_GETLK, &fl);
		if (!*p)
			close(fd);
		if (err)
			return err;
		out->type = fl.l_type == F_RDLCK ? HLINK_LOCK_RD :
			    fl.l_type == F_WRLCK ? HLINK_LOCK_WR : HLINK_LOCK_UN;
		out->start = out->type == HLINK_LOCK_UN ? 0 : (uint64_t)fl.l_start;
		out->end = out->type == HLINK_LOCK_UN || fl.l_len == 0 ? HLINK_LOCK_EOF :
			   (uint64_t)(fl.l_start + fl.l_len - 1);
		return 0;
	}
	if (in->type == HLINK_LOCK_UN) {
		if (!*p)
			return 0;
		/* All of it: the holder goes, and its locks with its file. */
		if (in->kind == HLINK_LOCK_FLOCK || (in->start == 0 && in->end == HLINK_LOCK_EOF)) {
			hh_lock_free(h, p);
			return 0;
		}
		return lock_host((*p)->fd, in, F_OFD_SETLK, &fl);
	}
	if (!*p) {
		if (h->nlocks >= h->nslots)
			return -ENOLCK;
		l = h->alloc(sizeof(*l));
		if (!l)
			return -ENOLCK;
		fd = lock_open(h, e, i, in->kind == HLINK_LOCK_POSIX);
		if (fd < 0) {
			hh_free(h, l);
			return fd;
		}
		*l = (struct hlink_lock_holder){ .next = i->locks, .owner = in->owner,
						 .kind = in->kind, .fd = fd };
		i->locks = l;
		h->nlocks++;
		p = &i->locks;
		fresh = 1;
	}
	err = lock_host((*p)->fd, in, F_OFD_SETLK, &fl);
	/* A new holder that got nothing holds nothing. */
	if (err && fresh)
		hh_lock_free(h, p);
	return err;
}

/* The file-system work of each op; hlink_req.c has checked the request. */
int (*const hh_ops[HLINK_OP_COUNT])(struct hlink_call *c) = {
#define HLINK_OP(op, fn)[HLINK_OP_##op] = fn,
#include "hlink_ops.def"
#undef HLINK_OP
};
