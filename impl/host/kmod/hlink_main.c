// SPDX-License-Identifier: GPL-2.0
/*
 * hlink.ko: the host module of the high-level link as a Linux kernel module.
 *
 * A misc device, /dev/hlink. Each open file is one client (one VM) with its
 * own exports, handles and open files; each HLINK_IOC_CALL ioctl carries one
 * request of the hlink ABI (hlink_abi.h), performed through the host VFS,
 * and an HLINK_IOC_BATCH ioctl several, in order.
 *
 * Handles. An issued handle names an entry in the client's hash table,
 * keyed by host inode number, that holds a reference on the file's dentry
 * and the lookup count the guest holds. A request's handle is valid only if
 * an entry with that (sbid, ino, gen) exists: anything else is -ESTALE.
 *
 * Open files. As in the paper, looked-up files are kept open as struct file
 * in a direct-mapped table of slots indexed by a hash of the handle; on a
 * collision the old file is put and the new one installed (nr_slots, module
 * parameter). A file whose last name the guest removed while it still held
 * a reference is kept open (pin) until the guest forgets it.
 *
 * Locking: client->lock (a mutex) protects everything in a client: exports,
 * entries, slots, buffers. Calls of one client are serialised; clients are
 * independent. VFS locks are taken inside it, never the other way round.
 *
 * The caller is untrusted: every field is checked as in the user-space host
 * module, lengths before use, and READ/WRITE buffers are user pointers of
 * the calling process, reached only through vfs_read/vfs_write.
 */
#include "hlink_kmod.h"

unsigned int hk_nr_slots = 1024;
module_param_named(nr_slots, hk_nr_slots, uint, 0444);
MODULE_PARM_DESC(nr_slots, "open-file slots per client (default 1024)");

/* Each entry pins a dentry: a guest may not pin the host's memory away. */
unsigned int hk_max_entries = 1U << 20;
module_param_named(max_entries, hk_max_entries, uint, 0444);
MODULE_PARM_DESC(max_entries, "handles one client may hold (default 1048576; then ENFILE)");

static char *exports;
module_param(exports, charp, 0444);
MODULE_PARM_DESC(exports,
		 "DIR[,mapped|passthrough|squash][,suid][,exclusive][,anonuid=N][,anongid=N][:...] clients may export (unset: none)");

/*
 * The allowlist resolved once, at load, to (mount, dentry) pairs: a path
 * resolved again at each MOUNT would follow whatever the caller has mounted
 * over it in its own namespace.
 */
static struct path allowed[HLINK_EXPORTS_MAX];
static struct hlink_policy allowed_policy[HLINK_EXPORTS_MAX];
static unsigned int nr_allowed;

/*
 * What all clients hold now, shown in /sys/class/misc/hlink/stats: tests
 * check that it returns to zero when a client goes, killed or not.
 */
static atomic_t nr_clients;
atomic_t hk_nr_entries, hk_nr_files;

/*
 * The closest allowed export directory at or above path (its index), or
 * -1; *p is that entry's ownership model.
 */
int hk_export_allowed(const struct path *path, struct hlink_policy *p)
{
	struct dentry *best = NULL;
	unsigned int n;
	int found = -1;

	for (n = 0; n < nr_allowed; n++)
		if (allowed[n].mnt == path->mnt && is_subdir(path->dentry, allowed[n].dentry) &&
		    (!best || is_subdir(allowed[n].dentry, best))) {
			best = allowed[n].dentry;
			*p = allowed_policy[n];
			found = n;
		}
	return found;
}

/*
 * Mounts at or below each "exclusive" allowlist entry: -1 while one
 * exclusive mount holds it, else how many other mounts do. The module's
 * own state, which no guest and no host user can take: one exclusive
 * guest, and no other mount beside it, for the whole tree of the entry.
 */
static DEFINE_MUTEX(excl_lock);
static int excl_holders[HLINK_EXPORTS_MAX];

int hk_export_lock(struct hlink_export *e, int entry, bool exclusive)
{
	int err = 0;

	mutex_lock(&excl_lock);
	if (exclusive ? excl_holders[entry] != 0 : excl_holders[entry] < 0)
		err = -EBUSY;
	else
		excl_holders[entry] = exclusive ? -1 : excl_holders[entry] + 1;
	mutex_unlock(&excl_lock);
	if (!err) {
		e->lock = entry;
		e->exclusive = exclusive;
	}
	return err;
}

void hk_export_unlock(struct hlink_export *e)
{
	if (e->lock < 0)
		return;
	mutex_lock(&excl_lock);
	excl_holders[e->lock] = excl_holders[e->lock] < 0 ? 0 : excl_holders[e->lock] - 1;
	mutex_unlock(&excl_lock);
	e->lock = -1;
}

static void allowed_put(void)
{
	while (nr_allowed)
		path_put(&allowed[--nr_allowed]);
}

static int allowed_resolve(void)
{
	char *list, *p, *dir;
	size_t off, len;
	unsigned int n;
	int err = 0;

	if (!exports)
		return 0;
	if (hlink_allowlist_check(exports, &off, &len)) {
		pr_err("hlink: bad export entry '%.*s' (DIR[,mapped|passthrough|squash][,suid][,exclusive][,anonuid=N][,anongid=N], each directory once)\n",
		       (int)len, exports + off);
		return -EINVAL;
	}
	list = kstrdup(exports, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	p = list;
	while (!err && (dir = strsep(&p, ":")) != NULL) {
		size_t dir_len;

		if (nr_allowed == HLINK_EXPORTS_MAX) {
			err = -E2BIG;
			break;
		}
		hlink_policy_parse(dir, strlen(dir), &dir_len, &allowed_policy[nr_allowed]);
		dir[dir_len] = '\0';
		err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &allowed[nr_allowed]);
		if (err) {
			pr_err("hlink: export %s: error %d\n", dir, err);
			break;
		}
		/* Two names (a symlink, a bind mount) for one directory: which model? */
		for (n = 0; n < nr_allowed; n++)
			if (path_equal(&allowed[n], &allowed[nr_allowed]))
				err = -EINVAL;
		if (err)
			pr_err("hlink: export %s is named twice\n", dir);
		nr_allowed++;
	}
	kfree(list);
	if (err)
		allowed_put();
	return err;
}

/*
 * One call: the request is in cl->req, the reply goes to cl->rep. An FSYNC
 * leaves its file in *sync, for the caller to sync without the lock.
 */
static long hlink_dispatch(struct hlink_client *cl, size_t req_len, size_t rep_max,
			   struct hlink_call *sync)
{
	struct hlink_rep_hdr *rh = cl->rep;
	struct hlink_req *r = &cl->r;
	struct hlink_call c = { .cl = cl, .r = r, .in = &r->in };
	int err;

	err = hlink_req_decode(r, cl->req, req_len, rep_max, cl->hello_done);
	if (!err) {
		c.out = rh + 1;
		c.out_max = rep_max - sizeof(*rh);
		err = hk_ops[r->hdr.opcode](&c);
	}
	if (err)
		c.out_len = 0;
	rh->error = err;
	rh->len = sizeof(*rh) + c.out_len;
	rh->unique = r->hdr.unique;
	*sync = c;
	return rh->len;
}

/*
 * An FSYNC's or SYNCFS's sync, with the client unlocked: a sync to disk
 * takes milliseconds, and the client's other calls (a VM's other
 * processes) need not wait for it. The file is our own reference. Returns
 * the reply length.
 */
static long hlink_sync_unlocked(struct hlink_call *c, struct hlink_rep_hdr *rh)
{
	const struct cred *old = override_creds(c->cl->cred);
	struct file *f = c->sync_file;
	int err;

	if (c->sync_fs) {
		struct super_block *sb = file_inode(f)->i_sb;

		/* The export's path pins the mount, and so sb. */
		down_read(&sb->s_umount);
		err = sync_filesystem(sb);
		up_read(&sb->s_umount);
		if (!err)
			err = errseq_check_and_advance(&sb->s_wb_err, &f->f_sb_err);
	} else {
		err = vfs_fsync(f, c->sync_data);
	}
	revert_creds(old);
	fput(f);
	rh->error = err;
	return rh->len;
}

/* One call of HLINK_IOC_CALL's form; returns the reply length or -errno. */
static long hlink_call_one(struct hlink_client *cl, const struct hlink_ioc_call *ioc)
{
	struct hlink_call sync = {};
	struct hlink_rep_hdr rh;
	const struct cred *old;
	size_t rep_max;
	long n;

	if (ioc->rep_max < sizeof(struct hlink_rep_hdr))
		return -ERANGE;
	if (ioc->req_len < sizeof(struct hlink_req_hdr) || ioc->req_len > HLINK_MSG_MAX)
		return -EINVAL;
	rep_max = min_t(size_t, ioc->rep_max, HLINK_MSG_MAX);
	if (mutex_lock_killable(&cl->lock))
		return -EINTR;
	n = -EFAULT;
	if (copy_from_user(cl->req, u64_to_user_ptr(ioc->req), ioc->req_len))
		goto out;
	/* The opener's rights, not whoever holds the descriptor now. */
	old = override_creds(cl->cred);
	n = hlink_dispatch(cl, ioc->req_len, rep_max, &sync);
	revert_creds(old);
	if (sync.sync_file) {
		/* An FSYNC or SYNCFS reply is the header alone. */
		memcpy(&rh, cl->rep, sizeof(rh));
		mutex_unlock(&cl->lock);
		n = hlink_sync_unlocked(&sync, &rh);
		if (copy_to_user(u64_to_user_ptr(ioc->rep), &rh, sizeof(rh)))
			n = -EFAULT;
		return n;
	}
	if (copy_to_user(u64_to_user_ptr(ioc->rep), cl->rep, n))
		n = -EFAULT;
out:
	mutex_unlock(&cl->lock);
	return n;
}

/*
 * Calls in order, each as HLINK_IOC_CALL; returns how many were performed.
 * A call whose own result cannot be written back ends the batch there.
 */
static long hlink_batch(struct hlink_client *cl, const struct hlink_ioc_batch *b)
{
	struct hlink_ioc_batch_call __user *calls = u64_to_user_ptr(b->calls);
	struct hlink_ioc_batch_call bc;
	u32 k;

	if (!b->count || b->count > HLINK_BATCH_MAX || b->padding)
		return -EINVAL;
	for (k = 0; k < b->count; k++) {
		if (copy_from_user(&bc, &calls[k], sizeof(bc)))
			return k ? k : -EFAULT;
		bc.result = hlink_call_one(cl, &bc.call);
		if (put_user(bc.result, &calls[k].result))
			return k ? k : -EFAULT;
		if (bc.result == -EINTR && fatal_signal_pending(current))
			return k + 1;
	}
	return k;
}

static long hlink_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hlink_client *cl = file->private_data;
	struct hlink_ioc_batch b;
	struct hlink_ioc_call ioc;

	switch (cmd) {
	case HLINK_IOC_CALL:
		if (copy_from_user(&ioc, (void __user *)arg, sizeof(ioc)))
			return -EFAULT;
		return hlink_call_one(cl, &ioc);
	case HLINK_IOC_BATCH:
		if (copy_from_user(&b, (void __user *)arg, sizeof(b)))
			return -EFAULT;
		return hlink_batch(cl, &b);
	default:
		return -ENOTTY;
	}
}

static int hlink_release(struct inode *inode, struct file *file);

static int hlink_open(struct inode *inode, struct file *file)
{
	struct hlink_client *cl;

	/* A client acts on host files with the caller's rights: root only. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return -ENOMEM;
	mutex_init(&cl->lock);
	cl->cred = get_cred(file->f_cred);
	cl->req = kvmalloc(HLINK_MSG_MAX, GFP_KERNEL);
	cl->rep = kvmalloc(HLINK_MSG_MAX, GFP_KERNEL);
	cl->names = kvmalloc(HLINK_DIRENT_NAMES, GFP_KERNEL);
	cl->slots = kvcalloc(hk_nr_slots, sizeof(*cl->slots), GFP_KERNEL);
	file->private_data = cl;
	atomic_inc(&nr_clients);
	if (!cl->req || !cl->rep || !cl->names || !cl->slots) {
		hlink_release(inode, file);
		return -ENOMEM;
	}
	return 0;
}

static int hlink_release(struct inode *inode, struct file *file)
{
	struct hlink_client *cl = file->private_data;
	unsigned int n;

	for (n = 0; n < HLINK_EXPORTS_MAX; n++)
		if (cl->exports[n])
			hk_export_free(cl, cl->exports[n]);
	kvfree(cl->slots);
	kvfree(cl->names);
	kvfree(cl->rep);
	kvfree(cl->req);
	put_cred(cl->cred);
	kfree(cl);
	atomic_dec(&nr_clients);
	return 0;
}

static const struct file_operations hlink_fops = {
	.owner = THIS_MODULE,	/* an open client pins the module: no unload under it */
	.open = hlink_open,
	.release = hlink_release,
	.unlocked_ioctl = hlink_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static ssize_t stats_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "clients %d\nentries %d\nfiles %d\n", atomic_read(&nr_clients),
			  atomic_read(&hk_nr_entries), atomic_read(&hk_nr_files));
}
static DEVICE_ATTR_RO(stats);

static struct attribute *hlink_attrs[] = {
	&dev_attr_stats.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hlink);

static struct miscdevice hlink_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hlink",
	.fops = &hlink_fops,
	.mode = 0600,
	.groups = hlink_groups,
};

static int __init hlink_init(void)
{
	int err;

	if (!hk_nr_slots || hk_nr_slots > 65536)
		return -EINVAL;
	err = allowed_resolve();
	if (err)
		return err;
	err = misc_register(&hlink_dev);
	if (err)
		allowed_put();
	return err;
}

static void __exit hlink_exit(void)
{
	misc_deregister(&hlink_dev);
	allowed_put();
}

module_init(hlink_init);
module_exit(hlink_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hlink: host module of the high-level link, reached by ioctl");
