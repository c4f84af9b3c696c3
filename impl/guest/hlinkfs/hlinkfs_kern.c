// SPDX-License-Identifier: GPL-2.0
/*
 * hlinkfs: the guest module of the high-level link, kernel side.
 *
 * A guest inode records a host handle (sbid, host inode number, generation),
 * not a path or a descriptor. Operations that an NFS client would send as an
 * RPC become one ABI call to the host module (hlink_abi.h) through
 * hlinkfs_user.c; everything else completes in the guest.
 *
 * Coherence (see README, "hlinkfs coherence"): attributes and dentries are
 * trusted for attr_timeout ms (default 1000); a regular file is revalidated
 * on open (close-to-open) and its dirty pages are written back on close;
 * "strict" makes the timeout zero. Cached data is dropped when the host's
 * mtime or size differs from what the page cache was filled from. With
 * "readdirplus", a listing also caches each entry's name and attributes, so
 * that stat after readdir asks the host nothing.
 *
 * "exclusive" (ABI 1.7, where the host's administrator allows it): this
 * guest is the export's only writer, so what it has cached stays true, and
 * directory operations and writeback are written behind: answered here at
 * once and queued, in order, for a host worker thread ("Write-behind"
 * below).
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/seq_file.h>
#include <linux/xattr.h>
#include <linux/namei.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#include <linux/uio.h>
#include <linux/falloc.h>
#include <linux/highmem.h>
#include <linux/sched/mm.h>
#include <linux/sched/stat.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <irq_kern.h>

#include "hlink_abi.h"
#include "hlinkfs.h"

#define HLINKFS_MAGIC 0x686c6e6b	/* "hlnk" */
#define HLINKFS_READDIR_BYTES 16384
#define HLINKFS_WB_PAGES 256		/* pages gathered into one WRITE */
#define HLINKFS_SLOW_MAX 64		/* slow calls on the host's workers at once */
#define HLINKFS_IO_PAGES (HLINK_IO_MAX / PAGE_SIZE + 1)	/* pages one READ or WRITE may touch */
#define HLINKFS_Q_MAX 4096		/* write-behind calls in flight per mount */
#define HLINKFS_Q_INODES 4		/* inodes one queued call concerns */

/*
 * A READ or WRITE buffer as pieces (ABI 1.5): the guest's own pages, named
 * by their addresses in the UML kernel's mapping of its physical memory,
 * which the host module can read and write as they are, as ubd's I/O
 * thread does. No copy is made on the guest's side.
 */
struct hl_segs {
	unsigned int n;
	size_t len;
	struct hlink_iovec v[HLINK_IO_SEGS_MAX];
};

struct hlinkfs_sb {
	struct hlinkfs_conn *conn;
	struct mutex lock;		/* serialises calls; protects req, rep, segs, bounce */
	void *req;			/* HLINK_MSG_MAX bytes */
	void *rep;			/* HLINK_MSG_MAX bytes */
	struct hl_segs *segs;		/* readahead's, writeback's and O_DIRECT's pages */
	void *bounce;			/* io_max bytes: segs' data, for a host before 1.5 */
	struct page *ra_pages[HLINKFS_IO_PAGES];	/* readahead's */
	u32 io_max;
	u64 unique;
	struct hlink_handle root;
	unsigned long attr_timeout;	/* jiffies; 0 with strict */
	unsigned int attr_timeout_ms;
	bool strict;
	bool wcc;			/* the host gives a WRITE's before-version (ABI 1.1) */
	bool unused_unlink;		/* UNLINK may say the file is open nowhere (ABI 1.4) */
	bool locks;			/* the host holds locks (ABI 1.3) */
	bool rdplus;			/* READDIR primes names (ABI 1.4) */
	bool iovec;			/* READ and WRITE take pieces (ABI 1.5) */
	bool direct;			/* and O_DIRECT (ABI 1.5) */
	bool create_open;		/* CREATE may keep its descriptor (ABI 1.6) */
	bool shift_ranges;		/* FALLOCATE collapses and inserts (ABI 1.8) */
	bool want_rdplus;		/* mount option readdirplus */
	bool no_async;			/* mount option noasync */
	bool no_zerocopy;		/* mount option nozerocopy */
	bool want_exclusive;		/* mount option exclusive */
	bool exclusive;			/* mount option exclusive, granted by the host */
	u32 ownership;			/* the export's HLINK_OWNERSHIP_* */
	bool queue;			/* write-behind is on (exclusive, worker started) */
	int irq;			/* finished slow calls (hl_call_slow); 0: none */
	atomic_t slow_calls;		/* slow calls on the host's workers now */
	char *export;
	char host[8];
	u64 calls[HLINK_OP_COUNT];	/* by opcode, under lock: /proc/self/mountstats */
	struct super_block *sb;
	/* Write-behind: calls posted and not yet reaped, and who waits for them. */
	int q_irq;			/* the worker's signal */
	atomic_t q_count;
	wait_queue_head_t q_wait;	/* woken as calls are reaped or signalled */
	unsigned long q_signals;	/* signals taken so far */
	struct delayed_work q_reap;	/* reaps what no one waits for */
	/* Bumped by a failed call: cached names and attributes are asked again. */
	unsigned long q_epoch;
	unsigned long q_failed;
};

#define HLINKFS_DATA_STALE 0		/* bit in flags: drop cached pages */
#define HLINKFS_PRIMED 1		/* bit in flags: primed_time is set */
#define HLINKFS_GONE 2			/* bit in flags: unlinked while open nowhere */
#define HLINKFS_WRITERS 3		/* bit in flags: opened to write since RELEASE */
#define HLINKFS_PROV 4			/* bit in flags: made by a queued call not yet reaped */
#define HLINKFS_DEAD 5			/* bit in flags: the queued call that made it failed */
#define HLINKFS_COMPLETE 6		/* bit in flags: a directory whose entries are all cached */

struct hlinkfs_inode {
	struct hlink_handle handle;
	u64 nlookup;			/* host references held; under i_lock */
	unsigned int opens;		/* open files; under i_lock */
	unsigned long attr_time;	/* jiffies when attributes came from the host */
	unsigned long flags;
	struct timespec64 data_mtime;	/* host mtime and size the pages match */
	loff_t data_size;
	unsigned long primed_time;	/* jiffies: a directory's last whole listing with handles */
	atomic_t queued;		/* queued calls that concern it, not yet reaped */
	unsigned long complete_epoch;	/* q_epoch when HLINKFS_COMPLETE was set */
	char *link;			/* a symlink's target, when made here */
	struct inode vfs_inode;
};

static struct kmem_cache *hlinkfs_inode_cache;

/*
 * The host directories host=user may export, ':'-separated: set on the UML
 * command line (hlinkfs.exports=...) by whoever starts the VM, not by the
 * guest. Unset, none may be (MOUNT gives EACCES).
 */
static char *exports;
module_param(exports, charp, 0444);
MODULE_PARM_DESC(exports, "host directories that may be exported, ':'-separated");

static inline struct hlinkfs_inode *HL_I(struct inode *inode)
{
	return container_of(inode, struct hlinkfs_inode, vfs_inode);
}

static inline struct hlinkfs_sb *HL_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static const struct inode_operations hlinkfs_file_iops;
static const struct inode_operations hlinkfs_dir_iops;
static const struct inode_operations hlinkfs_link_iops;
static const struct inode_operations hlinkfs_special_iops;
static const struct file_operations hlinkfs_file_fops;
static const struct file_operations hlinkfs_dir_fops;
static const struct address_space_operations hlinkfs_aops;

/* ---- calls ---------------------------------------------------------------- */

static const char *const hl_op_names[HLINK_OP_COUNT] = {
#define HLINK_OP(op, fn)[HLINK_OP_##op] = #op,
#include "hlink_ops.def"
#undef HLINK_OP
};

/* The host's answer n (a reply length or -errno) to request h, reply r. */
static int hl_reply_check(const struct hlink_req_hdr *h, const struct hlink_rep_hdr *r, long n,
			  void *out, size_t out_len)
{
	if (n < 0)
		return n;
	if (n < sizeof(*r) || r->len != n || r->unique != h->unique)
		return -EIO;
	if (r->error)
		return r->error < 0 && r->error >= -MAX_ERRNO ? r->error : -EIO;
	if (out_len) {
		if (n - sizeof(*r) < out_len)
			return -EIO;
		memcpy(out, r + 1, out_len);
	}
	return 0;
}

/*
 * One call with sbi->lock held. The request is the op's struct followed by
 * up to two pieces of variable data. The first out_len bytes of the reply
 * body are copied to out; the whole body stays in sbi->rep until unlock.
 */
static int hl_call_locked(struct hlinkfs_sb *sbi, u32 op, const void *in, size_t in_len,
			  const void *v1, size_t l1, const void *v2, size_t l2,
			  void *out, size_t out_len)
{
	struct hlink_req_hdr *h = sbi->req;
	struct hlink_rep_hdr *r = sbi->rep;
	size_t len = sizeof(*h) + in_len + l1 + l2;
	char *p = (char *)(h + 1);
	unsigned int nofs;
	long n;

	if (len > HLINK_MSG_MAX)
		return -ENAMETOOLONG;
	h->opcode = op;
	h->len = len;
	h->unique = ++sbi->unique;
	if (op < HLINK_OP_COUNT)
		sbi->calls[op]++;
	memcpy(p, in, in_len);
	if (l1)
		memcpy(p + in_len, v1, l1);
	if (l2)
		memcpy(p + in_len + l1, v2, l2);
	/* The host module may allocate; reclaim must not re-enter us for it. */
	nofs = memalloc_nofs_save();
	n = hlinkfs_conn_call(sbi->conn, sbi->req, len, sbi->rep, HLINK_MSG_MAX);
	memalloc_nofs_restore(nofs);
	return hl_reply_check(h, r, n, out, out_len);
}

static void hl_q_drain(struct hlinkfs_sb *sbi);

/*
 * Take the call lock for calls of one's own. On an exclusive mount, what
 * is queued goes first: the host then performs every call in the order the
 * guest made them, and a reply shows all the guest did before.
 */
static void hl_lock_in_order(struct hlinkfs_sb *sbi)
{
	hl_q_drain(sbi);
	mutex_lock(&sbi->lock);
}

static int hl_call(struct hlinkfs_sb *sbi, u32 op, const void *in, size_t in_len,
		   const void *v1, size_t l1, const void *v2, size_t l2,
		   void *out, size_t out_len)
{
	int err;

	hl_lock_in_order(sbi);
	err = hl_call_locked(sbi, op, in, in_len, v1, l1, v2, l2, out, out_len);
	mutex_unlock(&sbi->lock);
	return err;
}

/* A slow call in flight: its own request and reply, and the host's job. */
struct hl_slow {
	struct completion done;
	struct {
		struct hlink_req_hdr h;
		union {
			struct hlink_fsync_in fsync;
			struct hlink_handle_in syncfs;
		} in;
	} req;
	struct hlink_rep_hdr rep;
	unsigned long job[];		/* hlinkfs_job_size() bytes */
};

static irqreturn_t hl_slow_intr(int irq, void *dev)
{
	struct hlinkfs_sb *sbi = dev;
	void *job;

	while ((job = hlinkfs_conn_reap(sbi->conn)))
		complete(&container_of(job, struct hl_slow, job)->done);
	return IRQ_HANDLED;
}

/*
 * A call whose host work may block for long (an FSYNC or SYNCFS to disk): it runs on
 * a host worker thread, and sbi->lock is free meanwhile, so other guest
 * processes make their calls and run while this one sleeps. No body in the
 * reply. Handing off costs a thread switch and an interrupt, so it is done
 * only when something can use the time: another runnable guest process, or
 * other slow calls, which the host may complete together (one journal
 * commit for several syncs). Otherwise, and without workers or memory, it
 * is an ordinary call.
 */
static int hl_call_slow(struct hlinkfs_sb *sbi, u32 op, const void *in, size_t in_len)
{
	int busy = atomic_read(&sbi->slow_calls);
	struct hl_slow *s = NULL;
	unsigned int nofs;
	long n;
	int err;

	/* Bounded: each one holds a host descriptor and a place in the workers' pipe. */
	if (sbi->irq && busy < HLINKFS_SLOW_MAX && (busy || !single_task_running()))
		s = kzalloc(sizeof(*s) + hlinkfs_job_size(), GFP_NOFS);
	if (!s)
		return hl_call(sbi, op, in, in_len, NULL, 0, NULL, 0, NULL, 0);
	init_completion(&s->done);
	memcpy(&s->req.in, in, in_len);
	s->req.h.opcode = op;
	s->req.h.len = sizeof(s->req.h) + in_len;
	atomic_inc(&sbi->slow_calls);
	hl_lock_in_order(sbi);
	s->req.h.unique = ++sbi->unique;
	sbi->calls[op]++;
	/* As in hl_call_locked: reclaim must not re-enter us for sbi->lock. */
	nofs = memalloc_nofs_save();
	n = hlinkfs_conn_submit(sbi->conn, s->job, &s->req, s->req.h.len, &s->rep,
				sizeof(s->rep));
	memalloc_nofs_restore(nofs);
	mutex_unlock(&sbi->lock);
	if (n == 0) {
		/* The host holds s until the interrupt: no leaving early. */
		wait_for_completion(&s->done);
		mutex_lock(&sbi->lock);
		nofs = memalloc_nofs_save();
		n = hlinkfs_conn_finish(sbi->conn, s->job, &s->rep, sizeof(s->rep));
		memalloc_nofs_restore(nofs);
		mutex_unlock(&sbi->lock);
	}
	atomic_dec(&sbi->slow_calls);
	err = hl_reply_check(&s->req.h, &s->rep, n, NULL, 0);
	kfree(s);
	return err;
}

/* ---- write-behind ------------------------------------------------------------ */

/*
 * On an exclusive mount, CREATE, MKDIR, MKNOD, SYMLINK, UNLINK, RMDIR,
 * RENAME, SETATTR, RELEASE, FORGET and writeback's WRITE are written
 * behind: the guest's own view is updated at once, and the call is posted
 * to the host's worker thread (hlinkfs_user.c), which performs the calls in
 * the order posted. A new entry has a provisional handle (hlink_abi.h)
 * until its reply is reaped; calls that name it meanwhile are queued behind
 * it. Every inode a queued call concerns is held, and counts it (queued),
 * until the call is reaped; a call that needs the host's answer now (a
 * LOOKUP, READDIR, READ, GETATTR, FSYNC...) first waits for the calls
 * queued on the inodes it names (hl_q_settle). A call that fails on the
 * host is logged, and its error is kept on the inodes it concerns (fsync
 * and close report it) and on the super block (syncfs reports it); names
 * and attributes cached before are then asked of the host again, so the
 * guest sees what the host has. Whatever depends on a failed make fails
 * too: its provisional handle stays -ESTALE.
 */

/* A queued call, with its request and reply, and the inodes it holds. */
struct hl_queued {
	struct hlinkfs_sb *sbi;
	u32 op;
	unsigned int ninodes;
	struct inode *inodes[HLINKFS_Q_INODES];
	struct inode *made;		/* the new entry it makes (in inodes[]) */
	unsigned int npages;		/* WRITE: pages under writeback until reaped */
	struct page **pages;
	void *req, *rep;
	size_t req_len, rep_max;
	unsigned long job[];		/* hlinkfs_wb_job_size() bytes, then the rest */
};

static u64 hl_unique(struct hlinkfs_sb *sbi)
{
	return ++sbi->unique;	/* never interrupted: the UML kernel is not preemptible */
}

/*
 * A call to queue: the op's struct, up to two pieces of variable data, room
 * for a reply body of rep_max bytes and for npages page pointers.
 */
static struct hl_queued *hl_q_new(struct hlinkfs_sb *sbi, u32 op, const void *in, size_t in_len,
				  const void *v1, size_t l1, const void *v2, size_t l2,
				  size_t rep_max, unsigned int npages)
{
	size_t job = ALIGN(hlinkfs_wb_job_size(), 8);
	size_t len = sizeof(struct hlink_req_hdr) + in_len + l1 + l2;
	size_t rep = sizeof(struct hlink_rep_hdr) + rep_max;
	struct hlink_req_hdr *h;
	struct hl_queued *q;
	char *p;

	if (len > HLINK_MSG_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	q = kzalloc(sizeof(*q) + job + ALIGN(len, 8) + ALIGN(rep, 8) +
		    npages * sizeof(struct page *), GFP_NOFS);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->sbi = sbi;
	q->op = op;
	q->req = (char *)q->job + job;
	q->req_len = len;
	q->rep = (char *)q->req + ALIGN(len, 8);
	q->rep_max = rep;
	q->pages = (struct page **)((char *)q->rep + ALIGN(rep, 8));
	h = q->req;
	h->opcode = op;
	h->len = len;
	h->unique = hl_unique(sbi);
	p = (char *)(h + 1);
	memcpy(p, in, in_len);
	/* Without v1, its l1 bytes are the caller's to fill. */
	if (v1)
		memcpy(p + in_len, v1, l1);
	if (v2)
		memcpy(p + in_len + l1, v2, l2);
	return q;
}

/* The call concerns inode: held, and counted, until it is reaped. */
static void hl_q_hold(struct hl_queued *q, struct inode *inode)
{
	unsigned int k;

	if (!inode)
		return;
	for (k = 0; k < q->ninodes; k++)
		if (q->inodes[k] == inode)
			return;
	ihold(inode);
	atomic_inc(&HL_I(inode)->queued);
	q->inodes[q->ninodes++] = inode;
}

/* The handle a call made now should name inode by (provisional or not). */
static struct hlink_handle hl_handle(struct inode *inode)
{
	return HL_I(inode)->handle;
}

static void hl_q_reap(struct hlinkfs_sb *sbi);

/* Perform posted calls on this thread, if the worker is idle; how many. */
static unsigned int hl_q_run_here(struct hlinkfs_sb *sbi)
{
	unsigned int nofs = memalloc_nofs_save();
	unsigned int n = hlinkfs_conn_wb_run(sbi->conn);

	memalloc_nofs_restore(nofs);
	return n;
}

/* Wait until done(arg): reap what has finished, else sleep until the worker signals. */
static void hl_q_wait(struct hlinkfs_sb *sbi, bool (*done)(const void *arg), const void *arg)
{
	unsigned long seq;

	for (hl_q_reap(sbi); !done(arg); hl_q_reap(sbi)) {
		/* The host's work done here, rather than wait for the worker to do it. */
		if (hl_q_run_here(sbi))
			continue;
		seq = READ_ONCE(sbi->q_signals);
		if (hlinkfs_conn_wb_arm(sbi->conn))
			continue;
		wait_event(sbi->q_wait, READ_ONCE(sbi->q_signals) != seq || done(arg));
	}
}

static bool hl_q_none_on(const void *inode)
{
	return !atomic_read(&HL_I((struct inode *)inode)->queued);
}

static bool hl_q_made(const void *inode)
{
	const unsigned long *flags = &HL_I((struct inode *)inode)->flags;

	return !test_bit(HLINKFS_PROV, flags) || test_bit(HLINKFS_DEAD, flags);
}

static bool hl_q_empty(const void *sbi)
{
	return !atomic_read(&((const struct hlinkfs_sb *)sbi)->q_count);
}

static bool hl_q_roomy(const void *sbi)
{
	return atomic_read(&((const struct hlinkfs_sb *)sbi)->q_count) < HLINKFS_Q_MAX / 2;
}

/* Calls queued on inode are done and reaped: what the host has of it is current. */
static void hl_q_settle(struct inode *inode)
{
	if (inode && !hl_q_none_on(inode))
		hl_q_wait(HL_SB(inode->i_sb), hl_q_none_on, inode);
}

/* The queued call that makes inode is done and reaped: it has its own handle, or is dead. */
static void hl_q_settle_made(struct inode *inode)
{
	if (!hl_q_made(inode))
		hl_q_wait(HL_SB(inode->i_sb), hl_q_made, inode);
}

/* Every call queued is done and reaped. */
static void hl_q_drain(struct hlinkfs_sb *sbi)
{
	if (sbi->queue && !hl_q_empty(sbi))
		hl_q_wait(sbi, hl_q_empty, sbi);
}

/*
 * Queue q. Each call holds memory and inodes, so at most HLINKFS_Q_MAX are
 * in flight: past that, a poster waits, unless it may not (FORGET, from
 * eviction, which a wait could re-enter). notify: someone may wait for
 * this call without asking for a signal (pages under writeback).
 */
static void hl_q_post(struct hl_queued *q, bool may_wait, bool notify)
{
	struct hlinkfs_sb *sbi = q->sbi;

	if (may_wait && atomic_read(&sbi->q_count) >= HLINKFS_Q_MAX)
		hl_q_wait(sbi, hl_q_roomy, sbi);
	sbi->calls[q->op]++;
	atomic_inc(&sbi->q_count);
	hlinkfs_conn_wb_post(sbi->conn, q->job, q->req, q->req_len, q->rep, q->rep_max, notify);
	/* What has finished meanwhile is reaped later, by the work, in a batch. */
	queue_delayed_work(system_wq, &sbi->q_reap, 1);
}

/* A new entry's reply: from now on its own handle names it. */
static void hl_q_bind(struct inode *inode, const struct hlink_entry_out *e)
{
	struct hlinkfs_inode *hi = HL_I(inode);

	spin_lock(&inode->i_lock);
	hi->nlookup++;
	spin_unlock(&inode->i_lock);
	hi->handle = e->handle;
	inode->i_ino = e->attr.ino;
	__insert_inode_hash(inode, e->handle.ino);
	clear_bit(HLINKFS_PROV, &hi->flags);
}

/* What the host shows of a file after a queued call, where nothing of ours is still to come. */
static void hl_q_attr(struct inode *inode, const struct hlink_attr *a)
{
	inode->i_blocks = a->blocks;
	if (atomic_read(&HL_I(inode)->queued) > 1 || ((inode->i_mode ^ a->mode) & S_IFMT))
		return;
	inode->i_mode = a->mode;
	i_uid_write(inode, a->uid);
	i_gid_write(inode, a->gid);
}

static void hl_q_fail(struct hl_queued *q, int err)
{
	struct hlinkfs_sb *sbi = q->sbi;
	unsigned int k;

	sbi->q_failed++;
	WRITE_ONCE(sbi->q_epoch, sbi->q_epoch + 1);
	errseq_set(&sbi->sb->s_wb_err, err);
	for (k = 0; k < q->ninodes; k++)
		mapping_set_error(q->inodes[k]->i_mapping, err);
	pr_warn_ratelimited("hlinkfs: %s: a %s written behind failed on the host: %d\n",
			    sbi->export, hl_op_names[q->op], err);
}

/* The end of a call's life: its result taken into the guest, its holds let go. */
static void hl_q_done(struct hl_queued *q)
{
	struct hlinkfs_sb *sbi = q->sbi;
	union {
		struct hlink_entry_out entry;
		struct hlink_attr_out attr;
		struct hlink_io_out io;
	} out;
	size_t out_len = q->made ? sizeof(out.entry) : q->op == HLINK_OP_SETATTR ?
			 sizeof(out.attr) : q->op == HLINK_OP_WRITE ? sizeof(out.io) : 0;
	struct hlink_req_hdr *h = q->req;
	unsigned int k;
	int err;

	err = hl_reply_check(h, q->rep, hlinkfs_wb_job_result(q->job), &out, out_len);
	if (!err && q->op == HLINK_OP_WRITE &&
	    out.io.count != ((struct hlink_io_in *)(h + 1))->len)
		err = -EIO;	/* short: the host stopped at an error it could not give */
	if (q->made) {
		if (!err) {
			hl_q_bind(q->made, &out.entry);
			hl_q_attr(q->made, &out.entry.attr);
		} else {
			set_bit(HLINKFS_DEAD, &HL_I(q->made)->flags);
		}
	} else if (!err && q->op == HLINK_OP_SETATTR) {
		hl_q_attr(q->inodes[0], &out.attr.attr);
	} else if (!err && q->op == HLINK_OP_WRITE) {
		q->inodes[0]->i_blocks = out.io.attr.blocks;
	}
	/* FORGET concerns nothing the guest still has. */
	if (err && q->op != HLINK_OP_FORGET)
		hl_q_fail(q, err);
	for (k = 0; k < q->npages; k++)
		end_page_writeback(q->pages[k]);
	for (k = 0; k < q->ninodes; k++)
		atomic_dec(&HL_I(q->inodes[k])->queued);
	atomic_dec(&sbi->q_count);
	wake_up_all(&sbi->q_wait);
	for (k = 0; k < q->ninodes; k++)
		iput(q->inodes[k]);
	kfree(q);
}

static void hl_q_reap(struct hlinkfs_sb *sbi)
{
	void *jobs[32];
	unsigned int n, k;

	if (!sbi->queue)
		return;
	while ((n = hlinkfs_conn_wb_reap(sbi->conn, jobs, ARRAY_SIZE(jobs))))
		for (k = 0; k < n; k++)
			hl_q_done(container_of((unsigned long *)jobs[k], struct hl_queued, job[0]));
}

static void hl_q_reap_work(struct work_struct *work)
{
	struct hlinkfs_sb *sbi = container_of(to_delayed_work(work), struct hlinkfs_sb, q_reap);

	hl_q_reap(sbi);
	/* Calls posted fewer than a batch are started now, a tick after the first. */
	if (atomic_read(&sbi->q_count)) {
		hlinkfs_conn_wb_kick(sbi->conn);
		queue_delayed_work(system_wq, &sbi->q_reap, msecs_to_jiffies(10));
	}
}

/* The worker signalled: a waiter asked, pages under writeback are done, or many calls are. */
static irqreturn_t hl_q_intr(int irq, void *dev)
{
	struct hlinkfs_sb *sbi = dev;

	WRITE_ONCE(sbi->q_signals, sbi->q_signals + 1);
	wake_up_all(&sbi->q_wait);
	mod_delayed_work(system_wq, &sbi->q_reap, 0);
	return IRQ_HANDLED;
}

/*
 * Whether every entry of directory dir is in the dcache, so that a name
 * not there is known not to exist: a directory made here, from its make
 * until one of its entries is pruned from the dcache, or a call fails.
 */
static bool hl_dir_complete(struct inode *dir)
{
	struct hlinkfs_inode *hi = HL_I(dir);

	return HL_SB(dir->i_sb)->queue && test_bit(HLINKFS_COMPLETE, &hi->flags) &&
	       hi->complete_epoch == READ_ONCE(HL_SB(dir->i_sb)->q_epoch);
}

/* A cached entry of a complete directory leaves the dcache: it is complete no more. */
static void hl_d_prune(struct dentry *dentry)
{
	struct dentry *parent = dentry->d_parent;

	if (d_really_is_positive(dentry) && !d_unhashed(dentry) && parent != dentry &&
	    d_really_is_positive(parent))
		clear_bit(HLINKFS_COMPLETE, &HL_I(d_inode(parent))->flags);
}

/*
 * filemap_write_and_wait. On an exclusive mount the pages' WRITEs are
 * queued and the worker does not signal each: they are reaped here first,
 * so the wait for them does not wait for the periodic reap.
 */
static int hl_write_and_wait(struct inode *inode)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	int err;

	if (sbi->queue) {
		err = filemap_fdatawrite(inode->i_mapping);
		hl_q_drain(sbi);
		if (err)
			return err;
	}
	return filemap_write_and_wait(inode->i_mapping);
}

/* The reply body of the last call; valid while sbi->lock is held. */
static void *hl_reply_body(struct hlinkfs_sb *sbi, size_t *len)
{
	struct hlink_rep_hdr *r = sbi->rep;

	*len = r->len - sizeof(*r);
	return r + 1;
}

static void hl_forget(struct super_block *sb, const struct hlink_handle *h, u64 n)
{
	struct hlink_forget_in in = { .handle = *h, .nlookup = n };
	struct hlinkfs_sb *sbi = HL_SB(sb);
	struct hl_queued *q;

	if (sbi->queue) {
		q = hl_q_new(sbi, HLINK_OP_FORGET, &in, sizeof(in), NULL, 0, NULL, 0, 0, 0);
		if (!IS_ERR(q)) {
			hl_q_post(q, false, false);
			return;
		}
	}
	/* From eviction, which a drain could re-enter: no waiting here. */
	mutex_lock(&sbi->lock);
	hl_call_locked(sbi, HLINK_OP_FORGET, &in, sizeof(in), NULL, 0, NULL, 0, NULL, 0);
	mutex_unlock(&sbi->lock);
}

/* ---- attributes ----------------------------------------------------------- */

static bool hl_mapping_busy(struct inode *inode)
{
	return mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY) ||
	       mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK);
}

static struct timespec64 hl_ts(s64 sec, u32 nsec)
{
	return (struct timespec64){ .tv_sec = sec, .tv_nsec = nsec };
}

/* Record the host state that the page cache now matches. */
static void hl_set_data_version(struct inode *inode, const struct hlink_attr *a)
{
	HL_I(inode)->data_mtime = hl_ts(a->mtime, a->mtime_nsec);
	HL_I(inode)->data_size = a->size;
}

/*
 * When cached names and attributes were taken: jiffies, or on an exclusive
 * mount the failure epoch, as nothing but a failed call of ours makes them
 * untrue there.
 */
static unsigned long hl_stamp(struct hlinkfs_sb *sbi)
{
	return sbi->exclusive ? READ_ONCE(sbi->q_epoch) : jiffies;
}

/* Take attributes from the host into the inode. */
static void hl_refresh(struct inode *inode, const struct hlink_attr *a)
{
	struct hlinkfs_inode *hi = HL_I(inode);
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct timespec64 mtime = hl_ts(a->mtime, a->mtime_nsec);
	bool busy = S_ISREG(inode->i_mode) && hl_mapping_busy(inode);

	if ((inode->i_mode ^ a->mode) & S_IFMT)
		return;		/* the name now holds another file; lookup sorts it out */
	/* Our own queued calls are newer than what the host shows. */
	if (atomic_read(&hi->queued))
		return;
	inode->i_mode = a->mode;
	set_nlink(inode, a->nlink);
	if (a->nlink)
		clear_bit(HLINKFS_GONE, &hi->flags);	/* the host has a name for it again */
	i_uid_write(inode, a->uid);
	i_gid_write(inode, a->gid);
	inode->i_atime = hl_ts(a->atime, a->atime_nsec);
	inode->i_ctime = hl_ts(a->ctime, a->ctime_nsec);
	inode->i_blocks = a->blocks;
	/* Our own unwritten data is newer than what the host has. */
	if (!busy) {
		inode->i_mtime = mtime;
		i_size_write(inode, a->size);
		/* On an exclusive mount no one else changes the data. */
		if (S_ISREG(inode->i_mode) && !sbi->exclusive &&
		    (!timespec64_equal(&mtime, &hi->data_mtime) || a->size != hi->data_size))
			set_bit(HLINKFS_DATA_STALE, &hi->flags);
	}
	hi->attr_time = hl_stamp(sbi);
}

static bool hl_attr_fresh(struct inode *inode)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);

	if (sbi->exclusive)
		return HL_I(inode)->attr_time == READ_ONCE(sbi->q_epoch);
	return !sbi->strict && time_before(jiffies, HL_I(inode)->attr_time + sbi->attr_timeout);
}

static void hl_attr_expire(struct inode *inode)
{
	struct hlinkfs_sb *sbi;

	if (!inode)
		return;
	sbi = HL_SB(inode->i_sb);
	HL_I(inode)->attr_time = sbi->exclusive ? READ_ONCE(sbi->q_epoch) - 1 :
				 jiffies - sbi->attr_timeout - 1;
}

/* A name cached now: trusted for the attribute timeout, or until a failure. */
static void hl_d_stamp(struct dentry *dentry)
{
	dentry->d_time = hl_stamp(HL_SB(dentry->d_sb));
}

/*
 * Fetch attributes from the host. After a change of our own (@own), with
 * nothing of ours unwritten, the cache matches what the host now has.
 */
static int hl_getattr_fetch(struct inode *inode, bool own)
{
	struct hlink_handle_in in;
	struct hlink_attr a;
	int err;

	hl_q_settle(inode);
	in.handle = hl_handle(inode);
	err = hl_call(HL_SB(inode->i_sb), HLINK_OP_GETATTR, &in, sizeof(in), NULL, 0, NULL, 0,
		      &a, sizeof(a));
	if (err)
		return err;
	if (own)
		hl_set_data_version(inode, &a);
	hl_refresh(inode, &a);
	return 0;
}

static int hl_getattr_host(struct inode *inode)
{
	return hl_getattr_fetch(inode, false);
}

/*
 * Drop cached pages if the host's file changed under them. Our own dirty
 * pages go to the host first (as NFS does), so that dropping them can
 * neither lose them nor fail. A page dirtied again through a mapping in
 * between keeps the cache for now: the next check tries again, and the
 * caller's read or open still succeeds.
 */
static int hl_revalidate_data(struct inode *inode)
{
	struct hlinkfs_inode *hi = HL_I(inode);
	int err;

	if (!test_and_clear_bit(HLINKFS_DATA_STALE, &hi->flags))
		return 0;
	err = hl_write_and_wait(inode);
	if (err) {
		set_bit(HLINKFS_DATA_STALE, &hi->flags);
		return err;
	}
	if (invalidate_inode_pages2(inode->i_mapping)) {
		set_bit(HLINKFS_DATA_STALE, &hi->flags);
		return 0;
	}
	hi->data_mtime = inode->i_mtime;
	hi->data_size = i_size_read(inode);
	return 0;
}

/* ---- inodes --------------------------------------------------------------- */

/* The operations of an inode of type mode. */
static void hl_set_ops(struct inode *inode, umode_t mode, dev_t rdev)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &hlinkfs_file_iops;
		inode->i_fop = &hlinkfs_file_fops;
		inode->i_mapping->a_ops = &hlinkfs_aops;
		break;
	case S_IFDIR:
		inode->i_op = &hlinkfs_dir_iops;
		inode->i_fop = &hlinkfs_dir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &hlinkfs_link_iops;
		inode_nohighmem(inode);
		break;
	default:
		inode->i_op = &hlinkfs_special_iops;
		init_special_inode(inode, mode, rdev);
		break;
	}
}

static void hl_init_inode(struct inode *inode, const struct hlink_attr *a)
{
	inode->i_mode = a->mode;
	inode->i_ino = a->ino;
	hl_set_ops(inode, a->mode, MKDEV(a->rdev_major, a->rdev_minor));
	hl_set_data_version(inode, a);
	hl_refresh(inode, a);
	clear_bit(HLINKFS_DATA_STALE, &HL_I(inode)->flags);
}

static int hl_test(struct inode *inode, void *data)
{
	const struct hlink_handle *h = data;

	return HL_I(inode)->handle.ino == h->ino && HL_I(inode)->handle.gen == h->gen;
}

static int hl_set(struct inode *inode, void *data)
{
	HL_I(inode)->handle = *(const struct hlink_handle *)data;
	return 0;
}

/* The inode for an entry reply; takes over the host's lookup reference. */
static struct inode *hl_iget(struct super_block *sb, const struct hlink_entry_out *e)
{
	struct inode *inode;

	inode = iget5_locked(sb, e->handle.ino, hl_test, hl_set, (void *)&e->handle);
	if (!inode) {
		hl_forget(sb, &e->handle, 1);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock(&inode->i_lock);
	HL_I(inode)->nlookup++;
	spin_unlock(&inode->i_lock);
	if (inode->i_state & I_NEW) {
		hl_init_inode(inode, &e->attr);
		unlock_new_inode(inode);
	} else {
		hl_refresh(inode, &e->attr);
	}
	return inode;
}

/* An entry reply for a cached inode: keep its host reference and attributes. */
static void hl_hold_entry(struct inode *inode, const struct hlink_attr *a)
{
	spin_lock(&inode->i_lock);
	HL_I(inode)->nlookup++;
	spin_unlock(&inode->i_lock);
	hl_refresh(inode, a);
}

static struct inode *hl_alloc_inode(struct super_block *sb)
{
	struct hlinkfs_inode *hi = alloc_inode_sb(sb, hlinkfs_inode_cache, GFP_KERNEL);

	if (!hi)
		return NULL;
	memset(&hi->handle, 0, sizeof(hi->handle));
	hi->nlookup = 0;
	hi->opens = 0;
	hi->attr_time = 0;
	hi->flags = 0;
	hi->data_size = 0;
	hi->data_mtime = hl_ts(0, 0);
	atomic_set(&hi->queued, 0);
	hi->complete_epoch = 0;
	hi->link = NULL;
	inode_init_once(&hi->vfs_inode);
	return &hi->vfs_inode;
}

static void hl_free_inode(struct inode *inode)
{
	kfree(HL_I(inode)->link);
	kmem_cache_free(hlinkfs_inode_cache, HL_I(inode));
}

static void hl_evict_inode(struct inode *inode)
{
	struct hlinkfs_inode *hi = HL_I(inode);

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (hi->nlookup)
		hl_forget(inode->i_sb, &hi->handle, hi->nlookup);
}

static int hl_statfs(struct dentry *dentry, struct kstatfs *st)
{
	struct hlinkfs_sb *sbi = HL_SB(dentry->d_sb);
	struct hlink_handle_in in = { .handle = sbi->root };
	struct hlink_statfs_out o;
	int err;

	err = hl_call(sbi, HLINK_OP_STATFS, &in, sizeof(in), NULL, 0, NULL, 0, &o, sizeof(o));
	if (err)
		return err;
	st->f_type = HLINKFS_MAGIC;
	st->f_bsize = o.bsize;
	st->f_frsize = o.frsize;
	st->f_blocks = o.blocks;
	st->f_bfree = o.bfree;
	st->f_bavail = o.bavail;
	st->f_files = o.files;
	st->f_ffree = o.ffree;
	st->f_namelen = min_t(u32, o.name_max, HLINK_NAME_MAX);
	return 0;
}

static int hl_show_options(struct seq_file *seq, struct dentry *root)
{
	struct hlinkfs_sb *sbi = HL_SB(root->d_sb);

	seq_show_option(seq, "export", sbi->export);
	seq_printf(seq, ",host=%s", sbi->host);
	if (sbi->strict)
		seq_puts(seq, ",strict");
	else
		seq_printf(seq, ",attr_timeout=%u", sbi->attr_timeout_ms);
	if (sbi->want_rdplus)
		seq_puts(seq, ",readdirplus");
	if (sbi->no_async)
		seq_puts(seq, ",noasync");
	if (sbi->no_zerocopy)
		seq_puts(seq, ",nozerocopy");
	if (sbi->exclusive)
		seq_puts(seq, ",exclusive");
	return 0;
}

/*
 * The calls this mount has made, by op, after "hlink calls:" in
 * /proc/self/mountstats: what a guest operation costs, counted exactly.
 */
static int hl_show_stats(struct seq_file *seq, struct dentry *root)
{
	struct hlinkfs_sb *sbi = HL_SB(root->d_sb);
	u32 op;

	seq_puts(seq, "\n\thlink calls:");
	mutex_lock(&sbi->lock);
	for (op = 1; op < HLINK_OP_COUNT; op++)
		if (hl_op_names[op])
			seq_printf(seq, " %s=%llu", hl_op_names[op], sbi->calls[op]);
	mutex_unlock(&sbi->lock);
	if (sbi->queue) {
		struct hlinkfs_wb_stats st;

		hlinkfs_conn_wb_stats(sbi->conn, &st);
		seq_printf(seq, "\n\thlink write-behind: posted=%lu performed=%lu batches=%lu wakeups=%lu signals=%lu run_here=%lu lock_waits=%lu failed=%lu",
			   st.posted, st.jobs, st.batches, st.wakeups, st.signals, st.run_here,
			   st.lock_waits, sbi->q_failed);
	}
	return 0;
}

/*
 * Exclusive: what is written behind goes to the host, then the host's file
 * system is synced. syncfs(2) reports a call that failed (hl_q_fail).
 */
static int hl_sync_fs(struct super_block *sb, int wait)
{
	struct hlinkfs_sb *sbi = HL_SB(sb);
	struct hlink_handle_in in = { .handle = sbi->root };

	if (!sbi->exclusive)
		return 0;
	/* Before sync_inodes_sb waits on what writeback_inodes_sb queued. */
	if (!wait) {
		hl_q_drain(sbi);
		return 0;
	}
	/* On the host's workers: other guest processes run while the host syncs. */
	return hl_call_slow(sbi, HLINK_OP_SYNCFS, &in, sizeof(in));
}

static const struct super_operations hlinkfs_sops = {
	.sync_fs = hl_sync_fs,
	.alloc_inode = hl_alloc_inode,
	.free_inode = hl_free_inode,
	.evict_inode = hl_evict_inode,
	.statfs = hl_statfs,
	.show_options = hl_show_options,
	.show_stats = hl_show_stats,
};

/* ---- names ---------------------------------------------------------------- */

static int hl_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct hlinkfs_sb *sbi = HL_SB(dentry->d_sb);
	struct hlink_entry_out e;
	struct hlink_name_in in;
	struct dentry *parent;
	struct inode *inode;
	int err, valid = 0;

	/* LOOKUP_REVAL: the VFS retries a walk that met ESTALE; ask the host. */
	if (!(flags & LOOKUP_REVAL) && sbi->exclusive) {
		/* Only a failed call of ours makes a name untrue here (hl_q_fail). */
		inode = d_inode_rcu(dentry);
		if (dentry->d_time == READ_ONCE(sbi->q_epoch) &&
		    !(inode && test_bit(HLINKFS_DEAD, &HL_I(inode)->flags)))
			return 1;
	} else if (!(flags & LOOKUP_REVAL) && !sbi->strict &&
		   time_before(jiffies, dentry->d_time + sbi->attr_timeout)) {
		return 1;
	}
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	parent = dget_parent(dentry);
	in = (struct hlink_name_in){ .dir = HL_I(d_inode(parent))->handle,
				     .name_len = dentry->d_name.len };
	err = hl_call(sbi, HLINK_OP_LOOKUP, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, NULL, 0, &e, sizeof(e));
	dput(parent);
	inode = d_inode(dentry);
	if (err == -ENOENT) {
		valid = !inode;
	} else if (!err) {
		if (inode && hl_test(inode, &e.handle)) {
			hl_hold_entry(inode, &e.attr);
			valid = 1;
		} else {
			hl_forget(dentry->d_sb, &e.handle, 1);
		}
	}
	if (valid)
		hl_d_stamp(dentry);
	return valid;
}

static const struct dentry_operations hlinkfs_dops = {
	.d_revalidate = hl_d_revalidate,
};

static const struct dentry_operations hlinkfs_exclusive_dops = {
	.d_revalidate = hl_d_revalidate,
	.d_prune = hl_d_prune,
};

static struct dentry *hl_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	struct hlink_name_in in = { .dir = HL_I(dir)->handle, .name_len = dentry->d_name.len };
	struct hlink_entry_out e;
	struct inode *inode = NULL;
	int err;

	if (dentry->d_name.len > HLINK_NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	/* Every entry of a directory made here is cached: this one is not there. */
	if (hl_dir_complete(dir)) {
		hl_d_stamp(dentry);
		return d_splice_alias(NULL, dentry);
	}
	err = hl_call(HL_SB(dir->i_sb), HLINK_OP_LOOKUP, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, NULL, 0, &e, sizeof(e));
	if (err && err != -ENOENT)
		return ERR_PTR(err);
	if (!err) {
		inode = hl_iget(dir->i_sb, &e);
		if (IS_ERR(inode))
			return ERR_CAST(inode);
	}
	hl_d_stamp(dentry);
	return d_splice_alias(inode, dentry);
}

/* Owner of a new entry: the caller, with a set-gid directory's group. */
static void hl_new_owner(struct inode *dir, umode_t *mode, u32 *uid, u32 *gid)
{
	*uid = from_kuid(&init_user_ns, current_fsuid());
	if (dir->i_mode & S_ISGID) {
		*gid = from_kgid(&init_user_ns, dir->i_gid);
		if (S_ISDIR(*mode))
			*mode |= S_ISGID;
	} else {
		*gid = from_kgid(&init_user_ns, current_fsgid());
	}
}

/* A new entry's dentry gets its inode. */
static void hl_instantiate(struct dentry *dentry, struct inode *inode)
{
	hl_d_stamp(dentry);
	/* A dentry still in lookup (atomic_open) is unhashed: add it too. */
	if (d_in_lookup(dentry))
		d_splice_alias(inode, dentry);
	else
		d_instantiate(dentry, inode);
}

/* The entry the host has just made for dentry in dir, as the reply e gives it. */
static int hl_add_entry(struct inode *dir, struct dentry *dentry, const struct hlink_entry_out *e)
{
	struct inode *inode = hl_iget(dir->i_sb, e);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	hl_attr_expire(dir);
	hl_instantiate(dentry, inode);
	return 0;
}

/* A directory's entries changed here: its times, as the host will set them. */
static void hl_touch(struct inode *dir)
{
	dir->i_mtime = current_time(dir);
	dir->i_ctime = dir->i_mtime;
}

/*
 * Written behind: a CREATE, MKDIR or SYMLINK (target) of dentry in dir,
 * queued, and its inode made here at once with a provisional handle. The
 * host's checks that the guest's VFS has not made already are those that
 * only the host can fail (no space, an I/O error): hl_q_fail.
 */
static int hl_q_make(u32 op, struct inode *dir, struct dentry *dentry, umode_t mode,
		     const char *target)
{
	struct hlinkfs_sb *sbi = HL_SB(dir->i_sb);
	union {
		struct hlink_create_in c;
		struct hlink_symlink_in l;
	} in = {};
	size_t tlen = target ? strlen(target) : 0;
	struct hlinkfs_inode *hi;
	struct hl_queued *q;
	struct inode *inode;
	u32 uid, gid;
	char *link = NULL;

	if (tlen > HLINK_PATH_MAX)
		return -ENAMETOOLONG;
	if (op == HLINK_OP_SYMLINK)
		mode = S_IFLNK | 0777;
	hl_new_owner(dir, &mode, &uid, &gid);
	if (op == HLINK_OP_SYMLINK) {
		in.l = (struct hlink_symlink_in){ .dir = hl_handle(dir), .uid = uid, .gid = gid,
						  .name_len = dentry->d_name.len,
						  .target_len = tlen };
		link = kstrndup(target, tlen, GFP_KERNEL);
		if (!link)
			return -ENOMEM;
	} else {
		in.c = (struct hlink_create_in){ .dir = hl_handle(dir), .mode = mode, .uid = uid,
						 .gid = gid, .name_len = dentry->d_name.len };
		if (op == HLINK_OP_CREATE)
			in.c.flags = HLINK_CREATE_EXCL;
	}
	q = hl_q_new(sbi, op, &in, op == HLINK_OP_SYMLINK ? sizeof(in.l) : sizeof(in.c),
		     dentry->d_name.name, dentry->d_name.len, target, tlen,
		     sizeof(struct hlink_entry_out), 0);
	if (IS_ERR(q)) {
		kfree(link);
		return PTR_ERR(q);
	}
	inode = new_inode(dir->i_sb);
	if (!inode) {
		kfree(link);
		kfree(q);
		return -ENOMEM;
	}
	hi = HL_I(inode);
	hi->handle = (struct hlink_handle){ .ino = ((struct hlink_req_hdr *)q->req)->unique,
					    .sbid = sbi->root.sbid | HLINK_HANDLE_PROV };
	inode->i_ino = hi->handle.ino;	/* until the reply gives the host's */
	inode->i_mode = mode;
	i_uid_write(inode, uid);
	i_gid_write(inode, gid);
	inode->i_mtime = current_time(inode);
	inode->i_atime = inode->i_mtime;
	inode->i_ctime = inode->i_mtime;
	hl_set_ops(inode, mode, 0);
	set_bit(HLINKFS_PROV, &hi->flags);
	hi->attr_time = hl_stamp(sbi);
	if (S_ISDIR(mode)) {
		set_nlink(inode, 2);
		inc_nlink(dir);
		hi->complete_epoch = hl_stamp(sbi);
		set_bit(HLINKFS_COMPLETE, &hi->flags);
	} else if (link) {
		hi->link = link;
		inode->i_link = link;
		i_size_write(inode, tlen);
	}
	hl_touch(dir);
	q->made = inode;
	hl_q_hold(q, dir);
	hl_q_hold(q, inode);
	/* Queued before anyone can see the name, so nothing it holds can overtake it. */
	hl_q_post(q, true, false);
	hl_instantiate(dentry, inode);
	return 0;
}

/* Make an entry with CREATE, MKDIR or MKNOD, and instantiate it. */
static int hl_make(u32 op, struct inode *dir, struct dentry *dentry, umode_t mode,
		   u32 flags, dev_t rdev)
{
	struct hlink_create_in in = {
		.dir = HL_I(dir)->handle, .flags = flags, .name_len = dentry->d_name.len,
		.rdev_major = MAJOR(rdev), .rdev_minor = MINOR(rdev),
	};
	struct hlink_entry_out e;
	int err;

	if (HL_SB(dir->i_sb)->queue && op != HLINK_OP_MKNOD)
		return hl_q_make(op, dir, dentry, mode, NULL);
	hl_new_owner(dir, &mode, &in.uid, &in.gid);
	in.mode = mode;
	err = hl_call(HL_SB(dir->i_sb), op, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, NULL, 0, &e, sizeof(e));
	if (err)
		return err;
	return hl_add_entry(dir, dentry, &e);
}

static int hl_create(struct user_namespace *ns, struct inode *dir, struct dentry *dentry,
		     umode_t mode, bool excl)
{
	return hl_make(HLINK_OP_CREATE, dir, dentry, mode | S_IFREG,
		       excl ? HLINK_CREATE_EXCL : 0, 0);
}

static void hl_release_host(struct inode *inode);

/*
 * open(O_CREAT) of a name not known here: one CREATE, with no LOOKUP of the
 * missing name first. CREATE is exclusive, so the file is known to be new
 * (FMODE_CREATED: no truncation, no permission check on it); a name the
 * host already has is looked up and opened the ordinary way instead, or,
 * if a cached negative dentry said it was missing, the VFS walks again
 * asking the host (-ESTALE).
 */
static int hl_atomic_open(struct inode *dir, struct dentry *dentry, struct file *file,
			  unsigned int flags, umode_t mode)
{
	struct dentry *res = NULL;
	int err;

	/* As ext4's lookup: a name too long is answered here, not sent. */
	if (dentry->d_name.len > HLINK_NAME_MAX)
		return -ENAMETOOLONG;
	if ((flags & O_CREAT) && HL_SB(dir->i_sb)->queue) {
		/* A name not known here may exist on the host: ask it first. */
		if (d_in_lookup(dentry)) {
			res = hl_lookup(dir, dentry, 0);
			if (IS_ERR(res))
				return PTR_ERR(res);
			if (res)
				dentry = res;
		}
		if (d_really_is_positive(dentry))
			return finish_no_open(file, res);
		err = hl_q_make(HLINK_OP_CREATE, dir, dentry, mode | S_IFREG, NULL);
		if (!err) {
			file->f_mode |= FMODE_CREATED;
			err = finish_open(file, dentry, NULL);
		}
		dput(res);
		return err;
	}
	if (flags & O_CREAT) {
		err = hl_make(HLINK_OP_CREATE, dir, dentry, mode | S_IFREG, HLINK_CREATE_EXCL |
			      (HL_SB(dir->i_sb)->create_open ? HLINK_CREATE_OPEN : 0), 0);
		if (!err) {
			struct inode *inode = d_inode(dentry);

			/* The host keeps the create's descriptor until a RELEASE. */
			set_bit(HLINKFS_WRITERS, &HL_I(inode)->flags);
			file->f_mode |= FMODE_CREATED;
			err = finish_open(file, dentry, NULL);
			if (err)
				hl_release_host(inode);
			return err;
		}
		if (err != -EEXIST || (flags & O_EXCL))
			return err;
		if (!d_in_lookup(dentry))
			return -ESTALE;
	}
	if (d_in_lookup(dentry)) {
		res = hl_lookup(dir, dentry, 0);
		if (IS_ERR(res))
			return PTR_ERR(res);
	}
	return finish_no_open(file, res);
}

static int hl_mkdir(struct user_namespace *ns, struct inode *dir, struct dentry *dentry,
		    umode_t mode)
{
	return hl_make(HLINK_OP_MKDIR, dir, dentry, mode | S_IFDIR, 0, 0);
}

static int hl_mknod(struct user_namespace *ns, struct inode *dir, struct dentry *dentry,
		    umode_t mode, dev_t rdev)
{
	/* Device nodes are the guest's only on mapped exports; the host checks. */
	return hl_make(HLINK_OP_MKNOD, dir, dentry, mode, 0, rdev);
}

static int hl_symlink(struct user_namespace *ns, struct inode *dir, struct dentry *dentry,
		      const char *target)
{
	struct hlink_symlink_in in = { .dir = HL_I(dir)->handle, .name_len = dentry->d_name.len };
	size_t tlen = strlen(target);
	struct hlink_entry_out e;
	umode_t mode = S_IFLNK;
	int err;

	if (tlen > HLINK_PATH_MAX)
		return -ENAMETOOLONG;
	if (HL_SB(dir->i_sb)->queue)
		return hl_q_make(HLINK_OP_SYMLINK, dir, dentry, mode, target);
	in.target_len = tlen;
	hl_new_owner(dir, &mode, &in.uid, &in.gid);
	err = hl_call(HL_SB(dir->i_sb), HLINK_OP_SYMLINK, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, target, tlen, &e, sizeof(e));
	if (err)
		return err;
	return hl_add_entry(dir, dentry, &e);
}

static int hl_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(old);
	struct hlink_link_in in = { .handle = HL_I(inode)->handle, .dir = HL_I(dir)->handle,
				    .name_len = dentry->d_name.len };
	struct hlink_entry_out e;
	int err;

	err = hl_call(HL_SB(dir->i_sb), HLINK_OP_LINK, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, NULL, 0, &e, sizeof(e));
	if (err)
		return err;
	hl_hold_entry(inode, &e.attr);
	hl_attr_expire(dir);
	ihold(inode);
	hl_d_stamp(dentry);
	d_instantiate(dentry, inode);
	return 0;
}

/*
 * Whether an UNLINK of inode can tell the host that no file of ours has it
 * open, so the host need not keep it reachable. From here on, until the host
 * shows a name for it again, it cannot be opened: its last name is going.
 */
static bool hl_unlink_unused(struct inode *inode)
{
	struct hlinkfs_inode *hi = HL_I(inode);
	bool unused;

	if (!HL_SB(inode->i_sb)->unused_unlink || !S_ISREG(inode->i_mode) || inode->i_nlink != 1)
		return false;
	spin_lock(&inode->i_lock);
	unused = hi->opens == 0;
	if (unused)
		set_bit(HLINKFS_GONE, &hi->flags);
	spin_unlock(&inode->i_lock);
	return unused;
}

/*
 * A directory operation written behind: queued, holding the inodes it
 * concerns. Returns -errno if it could not be queued (the caller then
 * makes the call itself).
 */
static int hl_q_simple(u32 op, const void *in, size_t in_len, const struct qstr *n1,
		       const struct qstr *n2, size_t rep_max, struct inode **inodes,
		       unsigned int ninodes)
{
	struct hl_queued *q;
	unsigned int k;

	q = hl_q_new(HL_SB(inodes[0]->i_sb), op, in, in_len, n1 ? n1->name : NULL,
		     n1 ? n1->len : 0, n2 ? n2->name : NULL, n2 ? n2->len : 0, rep_max, 0);
	if (IS_ERR(q))
		return PTR_ERR(q);
	for (k = 0; k < ninodes; k++)
		hl_q_hold(q, inodes[k]);
	hl_q_post(q, true, false);
	return 0;
}

/* Whether dentry, a directory, is known here to be empty. */
static bool hl_known_empty(struct dentry *dentry)
{
	return hl_dir_complete(d_inode(dentry)) && simple_empty(dentry);
}

static int hl_remove(u32 op, struct inode *dir, struct dentry *dentry)
{
	struct hlink_name_in in = { .dir = HL_I(dir)->handle, .name_len = dentry->d_name.len };
	struct inode *inode = d_inode(dentry);
	bool unused;
	int err;

	/* An RMDIR the host might refuse (ENOTEMPTY) is made at once. */
	if (HL_SB(dir->i_sb)->queue && (op == HLINK_OP_UNLINK || hl_known_empty(dentry))) {
		struct inode *held[] = { dir, inode };

		in.dir = hl_handle(dir);
		if (!hl_q_simple(op, &in, sizeof(in), &dentry->d_name, NULL, 0, held, 2)) {
			if (op == HLINK_OP_RMDIR) {
				clear_nlink(inode);
				drop_nlink(dir);
			} else {
				drop_nlink(inode);
			}
			hl_touch(dir);
			inode->i_ctime = dir->i_ctime;
			return 0;
		}
	}
	unused = op == HLINK_OP_UNLINK && hl_unlink_unused(inode);
	if (unused)
		in.flags = HLINK_UNLINK_UNUSED;
	err = hl_call(HL_SB(dir->i_sb), op, &in, sizeof(in), dentry->d_name.name,
		      dentry->d_name.len, NULL, 0, NULL, 0);
	if (err) {
		if (unused)
			clear_bit(HLINKFS_GONE, &HL_I(inode)->flags);
		return err;
	}
	/* The host may have removed links already and told us so. */
	if (op == HLINK_OP_RMDIR)
		clear_nlink(inode);
	else if (inode->i_nlink)
		drop_nlink(inode);
	hl_attr_expire(inode);
	hl_attr_expire(dir);
	return 0;
}

static int hl_unlink(struct inode *dir, struct dentry *dentry)
{
	return hl_remove(HLINK_OP_UNLINK, dir, dentry);
}

static int hl_rmdir(struct inode *dir, struct dentry *dentry)
{
	return hl_remove(HLINK_OP_RMDIR, dir, dentry);
}

static int hl_rename(struct user_namespace *ns, struct inode *old_dir, struct dentry *old,
		     struct inode *new_dir, struct dentry *new, unsigned int flags)
{
	struct hlink_rename_in in = {
		.old_dir = HL_I(old_dir)->handle, .new_dir = HL_I(new_dir)->handle,
		.old_len = old->d_name.len, .new_len = new->d_name.len,
	};
	struct inode *target = d_inode(new);
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_NOREPLACE)
		in.flags |= HLINK_RENAME_NOREPLACE;
	if (flags & RENAME_EXCHANGE)
		in.flags |= HLINK_RENAME_EXCHANGE;
	/* Written behind unless the host might refuse it (a directory not known empty). */
	if (HL_SB(old_dir->i_sb)->queue && !(flags & RENAME_EXCHANGE) &&
	    !(target && S_ISDIR(target->i_mode) && !hl_known_empty(new))) {
		struct inode *held[] = { old_dir, new_dir, d_inode(old), target };
		struct inode *inode = d_inode(old);
		bool is_dir = S_ISDIR(inode->i_mode);

		if (!hl_q_simple(HLINK_OP_RENAME, &in, sizeof(in), &old->d_name, &new->d_name, 0,
				 held, target ? 4 : 3)) {
			/* The link counts as simple_rename keeps them. */
			if (target) {
				if (is_dir) {
					clear_nlink(target);
					drop_nlink(old_dir);
				} else {
					drop_nlink(target);
				}
				target->i_ctime = current_time(target);
			} else if (is_dir && old_dir != new_dir) {
				drop_nlink(old_dir);
				inc_nlink(new_dir);
			}
			hl_touch(old_dir);
			hl_touch(new_dir);
			inode->i_ctime = new_dir->i_ctime;
			return 0;
		}
	}
	err = hl_call(HL_SB(old_dir->i_sb), HLINK_OP_RENAME, &in, sizeof(in), old->d_name.name,
		      old->d_name.len, new->d_name.name, new->d_name.len, NULL, 0);
	if (err)
		return err;
	if (target && !(flags & RENAME_EXCHANGE)) {
		if (S_ISDIR(target->i_mode))
			clear_nlink(target);
		else if (target->i_nlink)
			drop_nlink(target);
	}
	hl_attr_expire(old_dir);
	hl_attr_expire(new_dir);
	hl_attr_expire(d_inode(old));
	hl_attr_expire(target);
	return 0;
}

/* ---- attributes through the VFS ------------------------------------------ */

static int hl_getattr(struct user_namespace *ns, const struct path *path, struct kstat *stat,
		      u32 request_mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);
	int err;

	/* Its inode number is the host's only once the make is done. */
	hl_q_settle_made(inode);
	if (test_bit(HLINKFS_DEAD, &HL_I(inode)->flags))
		return -ESTALE;
	if (!hl_attr_fresh(inode) && !(flags & AT_STATX_DONT_SYNC)) {
		/* What the host reports must include our unwritten data. */
		if (S_ISREG(inode->i_mode) && hl_mapping_busy(inode)) {
			err = hl_write_and_wait(inode);
			if (err)
				return err;
		}
		err = hl_getattr_host(inode);
		if (err)
			return err;
	}
	generic_fillattr(&init_user_ns, inode, stat);
	return 0;
}

/*
 * Times that every host file system keeps as given: one outside 32-bit
 * seconds may be clamped there (ext4's small inodes stop at 2038), so the
 * guest asks the host and shows what it kept.
 */
static bool hl_times_kept(const struct iattr *ia)
{
	return (!(ia->ia_valid & ATTR_ATIME_SET) ||
		(ia->ia_atime.tv_sec >= S32_MIN && ia->ia_atime.tv_sec <= S32_MAX)) &&
	       (!(ia->ia_valid & ATTR_MTIME_SET) ||
		(ia->ia_mtime.tv_sec >= S32_MIN && ia->ia_mtime.tv_sec <= S32_MAX));
}

static int hl_setattr(struct user_namespace *ns, struct dentry *dentry, struct iattr *ia)
{
	struct inode *inode = d_inode(dentry);
	struct hlink_setattr_in in = { .handle = HL_I(inode)->handle };
	struct hlink_attr a;
	int err;

	err = setattr_prepare(&init_user_ns, dentry, ia);
	if (err)
		return err;
	if (ia->ia_valid & ATTR_MODE) {
		in.valid |= HLINK_SETATTR_MODE;
		in.mode = ia->ia_mode & 07777;
	}
	if (ia->ia_valid & ATTR_UID) {
		in.valid |= HLINK_SETATTR_UID;
		in.uid = from_kuid(&init_user_ns, ia->ia_uid);
	}
	if (ia->ia_valid & ATTR_GID) {
		in.valid |= HLINK_SETATTR_GID;
		in.gid = from_kgid(&init_user_ns, ia->ia_gid);
	}
	if (ia->ia_valid & ATTR_SIZE) {
		in.valid |= HLINK_SETATTR_SIZE;
		in.size = ia->ia_size;
	}
	if (ia->ia_valid & ATTR_ATIME) {
		if (ia->ia_valid & ATTR_ATIME_SET) {
			in.valid |= HLINK_SETATTR_ATIME;
			in.atime = ia->ia_atime.tv_sec;
			in.atime_nsec = ia->ia_atime.tv_nsec;
		} else {
			in.valid |= HLINK_SETATTR_ATIME_NOW;
		}
	}
	if (ia->ia_valid & ATTR_MTIME) {
		if (ia->ia_valid & ATTR_MTIME_SET) {
			in.valid |= HLINK_SETATTR_MTIME;
			in.mtime = ia->ia_mtime.tv_sec;
			in.mtime_nsec = ia->ia_mtime.tv_nsec;
		} else {
			in.valid |= HLINK_SETATTR_MTIME_NOW;
		}
	}
	if (!in.valid)
		return 0;
	/*
	 * Written behind, but for a change of size (the page cache follows
	 * the host's answer) and of owner where the host decides who may own
	 * (passthrough, squash), or of times the host may clamp. Pages dirty
	 * now are queued first, so their WRITEs cannot undo the times set here.
	 */
	if (HL_SB(inode->i_sb)->queue && !(ia->ia_valid & ATTR_SIZE) && hl_times_kept(ia) &&
	    (HL_SB(inode->i_sb)->ownership == HLINK_OWNERSHIP_MAPPED ||
	     !(ia->ia_valid & (ATTR_UID | ATTR_GID)))) {
		err = S_ISREG(inode->i_mode) ? filemap_fdatawrite(inode->i_mapping) : 0;
		in.handle = hl_handle(inode);
		if (!err)
			err = hl_q_simple(HLINK_OP_SETATTR, &in, sizeof(in), NULL, NULL,
					  sizeof(struct hlink_attr_out), &inode, 1);
		if (!err) {
			setattr_copy(&init_user_ns, inode, ia);
			return 0;
		}
	}
	/* Later writeback must not undo the times or size set here. */
	if (S_ISREG(inode->i_mode) && hl_mapping_busy(inode)) {
		err = hl_write_and_wait(inode);
		if (err)
			return err;
	}
	err = hl_call(HL_SB(inode->i_sb), HLINK_OP_SETATTR, &in, sizeof(in), NULL, 0, NULL, 0,
		      &a, sizeof(a));
	if (err)
		return err;
	if (ia->ia_valid & ATTR_SIZE)
		truncate_setsize(inode, ia->ia_size);
	hl_refresh(inode, &a);
	if (S_ISREG(inode->i_mode) && (ia->ia_valid & (ATTR_SIZE | ATTR_MTIME)))
		hl_set_data_version(inode, &a);
	clear_bit(HLINKFS_DATA_STALE, &HL_I(inode)->flags);
	return 0;
}

/* ---- extended attributes (user.* only) ------------------------------------- */

static int hl_xattr_get(const struct xattr_handler *handler, struct dentry *unused,
			struct inode *inode, const char *name, void *buf, size_t size)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	const char *full = xattr_full_name(handler, name);
	struct hlink_xattr_in in = { .handle = HL_I(inode)->handle, .name_len = strlen(full),
				     .size = min_t(size_t, size, HLINK_XATTR_SIZE_MAX) };
	struct hlink_xattr_out o;
	size_t len;
	int err;

	hl_lock_in_order(sbi);
	err = hl_call_locked(sbi, HLINK_OP_GETXATTR, &in, sizeof(in), full, in.name_len,
			     NULL, 0, &o, sizeof(o));
	if (!err) {
		err = o.size;
		if (size) {
			char *data = hl_reply_body(sbi, &len);

			if (o.size > size || len < sizeof(o) + o.size)
				err = -ERANGE;
			else
				memcpy(buf, data + sizeof(o), o.size);
		}
	}
	mutex_unlock(&sbi->lock);
	return err;
}

static int hl_xattr_set(const struct xattr_handler *handler, struct user_namespace *ns,
			struct dentry *unused, struct inode *inode, const char *name,
			const void *value, size_t size, int flags)
{
	const char *full = xattr_full_name(handler, name);
	struct hlink_xattr_in in = { .handle = HL_I(inode)->handle, .name_len = strlen(full),
				     .flags = flags };

	if (!value) {
		in.flags = 0;	/* the VFS passes XATTR_REPLACE for a removal */
		return hl_call(HL_SB(inode->i_sb), HLINK_OP_REMOVEXATTR, &in, sizeof(in), full,
			       in.name_len, NULL, 0, NULL, 0);
	}
	if (size > HLINK_XATTR_SIZE_MAX)
		return -E2BIG;
	in.value_len = size;
	return hl_call(HL_SB(inode->i_sb), HLINK_OP_SETXATTR, &in, sizeof(in), full, in.name_len,
		       value, size, NULL, 0);
}

static ssize_t hl_listxattr(struct dentry *dentry, char *list, size_t size)
{
	struct inode *inode = d_inode(dentry);
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct hlink_xattr_in in = { .handle = HL_I(inode)->handle,
				     .size = min_t(size_t, size, HLINK_XATTR_SIZE_MAX) };
	struct hlink_xattr_out o;
	ssize_t err;
	size_t len;

	hl_lock_in_order(sbi);
	err = hl_call_locked(sbi, HLINK_OP_LISTXATTR, &in, sizeof(in), NULL, 0, NULL, 0,
			     &o, sizeof(o));
	if (!err) {
		err = o.size;
		if (size) {
			char *data = hl_reply_body(sbi, &len);

			if (o.size > size || len < sizeof(o) + o.size)
				err = -ERANGE;
			else
				memcpy(list, data + sizeof(o), o.size);
		}
	}
	mutex_unlock(&sbi->lock);
	return err;
}

static const struct xattr_handler hlinkfs_user_xattr = {
	.prefix = XATTR_USER_PREFIX,
	.get = hl_xattr_get,
	.set = hl_xattr_set,
};

static const struct xattr_handler *hlinkfs_xattr_handlers[] = {
	&hlinkfs_user_xattr,
	NULL
};

/* ---- directories ---------------------------------------------------------- */

/* ctx->pos: 0 and 1 are the dots; a host cookie c is c + 2; LLONG_MAX is the end. */
static loff_t hl_cookie_pos(u64 cookie)
{
	return cookie >= LLONG_MAX - 2 ? LLONG_MAX : (loff_t)cookie + 2;
}

/*
 * Prime the dcache with one READDIR_PLUS entry, so that a stat of it that
 * follows costs no LOOKUP. The entry's host reference is taken over or
 * given back.
 */
static void hl_prime(struct dentry *parent, const char *nm, u32 len,
		     const struct hlink_entry_out *e)
{
	struct super_block *sb = parent->d_sb;
	struct qstr name = QSTR_INIT(nm, len);
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct dentry *dentry, *alias;
	struct inode *inode;

	if (!e->handle.gen)
		return;
	/* The host's names are checked, never trusted. */
	if (memchr(nm, '/', len) || memchr(nm, '\0', len) ||
	    (nm[0] == '.' && (len == 1 || (len == 2 && nm[1] == '.'))))
		goto forget;
	name.hash = full_name_hash(parent, name.name, name.len);
	dentry = d_lookup(parent, &name);
	if (!dentry) {
		dentry = d_alloc_parallel(parent, &name, &wq);
		if (IS_ERR(dentry))
			goto forget;
	}
	if (!d_in_lookup(dentry)) {
		/* Cached already: refresh it if it is this file, else leave it be. */
		inode = d_inode(dentry);
		if (inode && hl_test(inode, (void *)&e->handle) &&
		    !((inode->i_mode ^ e->attr.mode) & S_IFMT)) {
			hl_hold_entry(inode, &e->attr);
			hl_d_stamp(dentry);
		} else {
			hl_forget(sb, &e->handle, 1);
		}
		dput(dentry);
		return;
	}
	inode = hl_iget(sb, e);
	if (IS_ERR(inode)) {
		d_lookup_done(dentry);
		dput(dentry);
		return;
	}
	alias = d_splice_alias(inode, dentry);
	d_lookup_done(dentry);
	if (alias) {
		dput(dentry);
		if (IS_ERR(alias))
			return;
		dentry = alias;
	}
	hl_d_stamp(dentry);
	dput(dentry);
	return;
forget:
	hl_forget(sb, &e->handle, 1);
}

/*
 * Check one batch of READDIR entries and, with READDIR_PLUS, prime the
 * dcache with them; returns the number that are well formed.
 */
static u32 hl_readdir_batch(struct file *file, const struct hlink_readdir_out *o,
			    const char *p, const char *end, bool plus)
{
	size_t extra = plus ? sizeof(struct hlink_handle) : 0;
	u32 k;

	for (k = 0; k < o->count; k++) {
		const struct hlink_dirent *de = (const struct hlink_dirent *)p;

		/* The host's reply is checked, never trusted: p may pass end. */
		if (p > end || (size_t)(end - p) < sizeof(*de) + extra || de->name_len == 0 ||
		    de->name_len > HLINK_NAME_MAX ||
		    (size_t)(end - p) < sizeof(*de) + extra + de->name_len)
			break;
		if (plus) {
			struct hlink_entry_out e = { .attr = de->attr };

			memcpy(&e.handle, de + 1, sizeof(e.handle));
			hl_prime(file->f_path.dentry, (const char *)(de + 1) + extra,
				 de->name_len, &e);
		}
		p += HLINK_DIRENT_SIZE(plus ? HLINK_READDIR_PLUS : 0, de->name_len);
	}
	return k;
}

/*
 * Whether to list with handles: not again while a whole listing with them
 * is younger than the attribute timeout, as its entries are cached still.
 */
static bool hl_readdir_plus(struct inode *dir)
{
	struct hlinkfs_inode *hi = HL_I(dir);

	return HL_SB(dir->i_sb)->rdplus &&
	       !(test_bit(HLINKFS_PRIMED, &hi->flags) &&
		 time_before(jiffies, hi->primed_time + HL_SB(dir->i_sb)->attr_timeout));
}

static int hl_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file_inode(file);
	struct hlinkfs_sb *sbi = HL_SB(dir->i_sb);
	bool plus = hl_readdir_plus(dir);
	struct hlink_readdir_in in = { .dir = HL_I(dir)->handle,
				       .max_bytes = HLINKFS_READDIR_BYTES,
				       .flags = plus ? HLINK_READDIR_PLUS : 0 };
	size_t extra = plus ? sizeof(struct hlink_handle) : 0;
	struct hlink_readdir_out *o;
	char *buf, *p, *end;
	size_t len;
	u32 k, good;
	int err = 0;

	if (!dir_emit_dots(file, ctx))
		return 0;
	buf = kmalloc(HLINKFS_READDIR_BYTES + sizeof(*o), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (ctx->pos != LLONG_MAX) {
		in.cookie = ctx->pos - 2;
		hl_lock_in_order(sbi);
		err = hl_call_locked(sbi, HLINK_OP_READDIR, &in, sizeof(in), NULL, 0, NULL, 0,
				     NULL, 0);
		if (!err) {
			p = hl_reply_body(sbi, &len);
			len = min_t(size_t, len, HLINKFS_READDIR_BYTES + sizeof(*o));
			memcpy(buf, p, len);
		}
		mutex_unlock(&sbi->lock);
		if (err || len < sizeof(*o)) {
			err = err ?: -EIO;
			break;
		}
		o = (struct hlink_readdir_out *)buf;
		p = buf + sizeof(*o);
		end = buf + len;
		/* Prime the whole batch first: emitting may stop part-way. */
		good = hl_readdir_batch(file, o, p, end, plus);
		/* Emit without the lock: copying to the user may fault. */
		for (k = 0; k < good; k++) {
			struct hlink_dirent *de = (struct hlink_dirent *)p;

			if (!dir_emit(ctx, (char *)(de + 1) + extra, de->name_len, de->attr.ino,
				      de->type))
				goto out;
			ctx->pos = hl_cookie_pos(de->cookie);
			p += HLINK_DIRENT_SIZE(plus ? HLINK_READDIR_PLUS : 0, de->name_len);
		}
		if (good < o->count) {
			err = -EIO;
			break;
		}
		if (o->eof) {
			ctx->pos = LLONG_MAX;
			if (plus) {
				HL_I(dir)->primed_time = jiffies;
				set_bit(HLINKFS_PRIMED, &HL_I(dir)->flags);
			}
			break;
		}
		if (!o->count) {
			/* An empty batch must move on, or the walk never ends. */
			if (hl_cookie_pos(o->next_cookie) == ctx->pos) {
				err = -EIO;
				break;
			}
			ctx->pos = hl_cookie_pos(o->next_cookie);
		}
	}
out:
	kfree(buf);
	return err;
}

static loff_t hl_dir_llseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence, LLONG_MAX, LLONG_MAX);
}

static int hl_fsync_handle(struct inode *inode, int datasync)
{
	struct hlink_fsync_in in = { .handle = HL_I(inode)->handle, .datasync = !!datasync };

	return hl_call_slow(HL_SB(inode->i_sb), HLINK_OP_FSYNC, &in, sizeof(in));
}

static int hl_dir_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	int err = hl_fsync_handle(file_inode(file), datasync);

	if (!err && HL_SB(file_inode(file)->i_sb)->queue)
		err = file_check_and_advance_wb_err(file);
	return err;
}

/*
 * HLINKFS_IOC_RAW: see hlink_abi.h. User memory is copied in and out with
 * sbi->lock not held: a fault on it could need that lock (an mmap of a file
 * on this mount).
 */
static long hl_ioctl_raw(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hlinkfs_sb *sbi = HL_SB(file_inode(file)->i_sb);
	struct hlink_ioc_call ioc;
	struct hlink_req_hdr hdr;
	unsigned int nofs;
	void *req, *rep;
	long n;

	if (cmd != HLINKFS_IOC_RAW)
		return -ENOTTY;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&ioc, (void __user *)arg, sizeof(ioc)))
		return -EFAULT;
	if (ioc.req_len < sizeof(hdr) || ioc.req_len > HLINK_MSG_MAX ||
	    ioc.rep_max < sizeof(struct hlink_rep_hdr))
		return -EINVAL;
	req = kvmalloc(ioc.req_len, GFP_KERNEL);
	rep = kvmalloc(HLINK_MSG_MAX, GFP_KERNEL);
	n = -ENOMEM;
	if (!req || !rep)
		goto out;
	n = -EFAULT;
	if (copy_from_user(req, u64_to_user_ptr(ioc.req), ioc.req_len))
		goto out;
	memcpy(&hdr, req, sizeof(hdr));
	n = -EPERM;
	if (hdr.opcode == HLINK_OP_READ || hdr.opcode == HLINK_OP_WRITE)
		goto out;
	hl_lock_in_order(sbi);
	memcpy(sbi->req, req, ioc.req_len);
	nofs = memalloc_nofs_save();
	n = hlinkfs_conn_call(sbi->conn, sbi->req, ioc.req_len, sbi->rep,
			      min_t(u32, ioc.rep_max, HLINK_MSG_MAX));
	memalloc_nofs_restore(nofs);
	if (n > 0)
		memcpy(rep, sbi->rep, n);
	mutex_unlock(&sbi->lock);
	if (n > 0 && copy_to_user(u64_to_user_ptr(ioc.rep), rep, n))
		n = -EFAULT;
out:
	kvfree(rep);
	kvfree(req);
	return n;
}

/* ---- locks ------------------------------------------------------------------ */

/*
 * A lock is the host's (LOCK, ABI 1.3): taken on the host file first, so
 * that other guests and host processes are excluded, then recorded in this
 * guest's own lists, so that the VFS gives it up through us on close and
 * exit, and F_GETLK finds a holder in this guest with its pid. The host
 * never waits: a blocking request asks again, after one tick and then up
 * to every 100 ms, until it is granted or a signal comes.
 */
static int hl_lock_host(struct file *file, struct file_lock *fl, u32 kind, u32 cmd,
			struct hlink_lock_out *out)
{
	struct inode *inode = file_inode(file);
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	bool flock = kind == HLINK_LOCK_FLOCK;
	struct hlink_lock_in in = {
		.handle = HL_I(inode)->handle,
		.owner = (u64)(uintptr_t)fl->fl_owner,
		.start = flock ? 0 : fl->fl_start,
		.end = flock ? HLINK_LOCK_EOF : fl->fl_end,
		.kind = kind,
		.cmd = cmd,
		.type = fl->fl_type == F_RDLCK ? HLINK_LOCK_RD :
			fl->fl_type == F_WRLCK ? HLINK_LOCK_WR : HLINK_LOCK_UN,
	};
	unsigned long delay = 1;
	int err;

	if (!sbi->locks)
		return -ENOLCK;
	for (;;) {
		err = hl_call(sbi, HLINK_OP_LOCK, &in, sizeof(in), NULL, 0, NULL, 0,
			      out, out ? sizeof(*out) : 0);
		if (err != -EAGAIN || cmd != HLINK_LOCK_SET || !(fl->fl_flags & FL_SLEEP))
			return err;
		schedule_timeout_interruptible(delay);
		if (signal_pending(current))
			return -ERESTARTSYS;
		delay = min_t(unsigned long, delay * 2, msecs_to_jiffies(100));
	}
}

/* The guest's own record of fl, never waiting: a conflict here is -EAGAIN. */
static int hl_lock_local(struct file *file, struct file_lock *fl, u32 kind)
{
	unsigned int flags = fl->fl_flags;
	int err;

	fl->fl_flags &= ~FL_SLEEP;
	err = kind == HLINK_LOCK_POSIX ? posix_lock_file(file, fl, NULL) :
	      locks_lock_file_wait(file, fl);
	fl->fl_flags = flags;
	return err;
}

static int hl_lock_set(struct file *file, struct file_lock *fl, u32 kind)
{
	unsigned char type = fl->fl_type;
	int err, herr;

	if (type == F_UNLCK) {
		err = hl_lock_local(file, fl, kind);
		herr = hl_lock_host(file, fl, kind, HLINK_LOCK_SET, NULL);
		return err ? err : herr;
	}
	err = hl_lock_host(file, fl, kind, HLINK_LOCK_SET, NULL);
	if (!err) {
		err = hl_lock_local(file, fl, kind);
		if (!err)
			return 0;
		fl->fl_type = F_UNLCK;
		hl_lock_host(file, fl, kind, HLINK_LOCK_SET, NULL);
	} else if (kind == HLINK_LOCK_FLOCK) {
		/* flock(2) gives up a lock it converts before it asks for the new one. */
		fl->fl_type = F_UNLCK;
		hl_lock_local(file, fl, kind);
	}
	fl->fl_type = type;
	return err;
}

static int hl_lock(struct file *file, int cmd, struct file_lock *fl)
{
	unsigned char type = fl->fl_type;
	struct hlink_lock_out out;
	int err;

	if (cmd == F_CANCELLK)
		return 0;
	if (!IS_GETLK(cmd))
		return hl_lock_set(file, fl, HLINK_LOCK_POSIX);
	posix_test_lock(file, fl);
	if (fl->fl_type != F_UNLCK)
		return 0;		/* held in this guest */
	fl->fl_type = type;
	err = hl_lock_host(file, fl, HLINK_LOCK_POSIX, HLINK_LOCK_TEST, &out);
	if (err)
		return err;
	if (out.type == HLINK_LOCK_UN) {
		fl->fl_type = F_UNLCK;
		return 0;
	}
	/* Another guest's or a host process's: no pid of ours to give. */
	fl->fl_type = out.type == HLINK_LOCK_RD ? F_RDLCK : F_WRLCK;
	fl->fl_start = out.start;
	fl->fl_end = out.end;
	fl->fl_pid = 0;
	return 0;
}

static int hl_flock(struct file *file, int cmd, struct file_lock *fl)
{
	return hl_lock_set(file, fl, HLINK_LOCK_FLOCK);
}

static const struct file_operations hlinkfs_dir_fops = {
	.unlocked_ioctl = hl_ioctl_raw,
	.lock = hl_lock,
	.flock = hl_flock,
	.llseek = hl_dir_llseek,
	.read = generic_read_dir,
	.iterate_shared = hl_readdir,
	.fsync = hl_dir_fsync,
};

static const struct inode_operations hlinkfs_dir_iops = {
	.lookup = hl_lookup,
	.create = hl_create,
	.atomic_open = hl_atomic_open,
	.mkdir = hl_mkdir,
	.mknod = hl_mknod,
	.symlink = hl_symlink,
	.link = hl_link,
	.unlink = hl_unlink,
	.rmdir = hl_rmdir,
	.rename = hl_rename,
	.getattr = hl_getattr,
	.setattr = hl_setattr,
	.listxattr = hl_listxattr,
};

/* ---- symlinks and special files ----------------------------------------------- */

static const char *hl_get_link(struct dentry *dentry, struct inode *inode,
			       struct delayed_call *done)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct hlink_handle_in in = { .handle = HL_I(inode)->handle };
	struct hlink_readlink_out o;
	char *link;
	size_t len;
	int err;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	link = kmalloc(HLINK_PATH_MAX + 1, GFP_KERNEL);
	if (!link)
		return ERR_PTR(-ENOMEM);
	hl_lock_in_order(sbi);
	err = hl_call_locked(sbi, HLINK_OP_READLINK, &in, sizeof(in), NULL, 0, NULL, 0,
			     &o, sizeof(o));
	if (!err) {
		char *body = hl_reply_body(sbi, &len);

		if (o.len > HLINK_PATH_MAX || len < sizeof(o) + o.len)
			err = -EIO;
		else
			memcpy(link, body + sizeof(o), o.len);
	}
	mutex_unlock(&sbi->lock);
	if (err) {
		kfree(link);
		return ERR_PTR(err);
	}
	link[o.len] = '\0';
	set_delayed_call(done, kfree_link, link);
	return link;
}

static const struct inode_operations hlinkfs_link_iops = {
	.get_link = hl_get_link,
	.getattr = hl_getattr,
	.setattr = hl_setattr,
};

static const struct inode_operations hlinkfs_special_iops = {
	.getattr = hl_getattr,
	.setattr = hl_setattr,
};

/* ---- regular files: data through the page cache ---------------------------- */

/* A READ or WRITE reply; pre only with HLINK_IO_WANT_PRE. */
struct hl_io_reply {
	struct hlink_io_out out;
	struct hlink_io_pre pre;
};

/*
 * READ or WRITE of one buffer, or with buf NULL of the pieces in sbi->segs;
 * the count moved, or -errno.
 */
static long hl_io(struct hlinkfs_sb *sbi, u32 op, struct inode *inode, loff_t pos,
		  void *buf, size_t len, u32 flags, struct hl_io_reply *o)
{
	struct hl_segs *s = sbi->segs;
	struct hlink_io_in in = { .handle = HL_I(inode)->handle, .offset = pos,
				  .buf = (u64)(unsigned long)buf, .len = len, .flags = flags };
	size_t want = sizeof(o->out) + (flags & HLINK_IO_WANT_PRE ? sizeof(o->pre) : 0);
	int err;

	if (!buf) {
		len = s->len;
		in.flags |= HLINK_IO_VEC;
		in.len = len;
	}
	err = hl_call_locked(sbi, op, &in, sizeof(in), buf ? NULL : s->v,
			     buf ? 0 : s->n * sizeof(s->v[0]), NULL, 0, o, want);
	if (err)
		return err;
	return o->out.count <= len ? (long)o->out.count : -EIO;
}

/*
 * READ or WRITE of the pieces in sbi->segs: as they are, or through
 * sbi->bounce for a host module older than ABI 1.5.
 */
static long hl_io_segs(struct hlinkfs_sb *sbi, u32 op, struct inode *inode, loff_t pos,
		       u32 flags, struct hl_io_reply *o)
{
	struct hl_segs *s = sbi->segs;
	size_t off = 0;
	unsigned int k;
	long n;

	if (sbi->iovec)
		return hl_io(sbi, op, inode, pos, NULL, 0, flags, o);
	for (k = 0; op == HLINK_OP_WRITE && k < s->n; off += s->v[k++].len)
		memcpy(sbi->bounce + off, (void *)(unsigned long)s->v[k].base, s->v[k].len);
	n = hl_io(sbi, op, inode, pos, sbi->bounce, s->len, flags, o);
	/* Only what the host read: the rest of bounce is another call's. */
	if (n <= 0 || op != HLINK_OP_READ)
		return n;
	for (k = 0, off = 0; k < s->n && off < (size_t)n; off += s->v[k++].len)
		memcpy((void *)(unsigned long)s->v[k].base, sbi->bounce + off,
		       min_t(size_t, s->v[k].len, n - off));
	return n;
}

/* Drop the first n bytes of s: a short transfer goes on from there. */
static void hl_segs_advance(struct hl_segs *s, size_t n)
{
	unsigned int k = 0;

	s->len -= n;
	while (n && n >= s->v[k].len)
		n -= s->v[k++].len;
	if (n) {
		s->v[k].base += n;
		s->v[k].len -= n;
	}
	memmove(s->v, s->v + k, (s->n - k) * sizeof(s->v[0]));
	s->n -= k;
}

static void hl_segs_reset(struct hl_segs *s)
{
	s->n = 0;
	s->len = 0;
}

/* Add len bytes at addr, in the UML kernel's mapping, to sbi->segs. */
static void hl_segs_add(struct hl_segs *s, void *addr, size_t len)
{
	u64 base = (u64)(unsigned long)addr;

	if (s->n && s->v[s->n - 1].base + s->v[s->n - 1].len == base)
		s->v[s->n - 1].len += len;
	else
		s->v[s->n++] = (struct hlink_iovec){ .base = base, .len = len };
	s->len += len;
}

/* Fill one locked page from the host. */
static int hl_fill_page(struct inode *inode, struct page *page)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct hl_io_reply o;
	char *addr = kmap_local_page(page);
	long n;

	hl_lock_in_order(sbi);
	n = hl_io(sbi, HLINK_OP_READ, inode, page_offset(page), addr, PAGE_SIZE, 0, &o);
	mutex_unlock(&sbi->lock);
	if (n >= 0) {
		memset(addr + n, 0, PAGE_SIZE - n);
		SetPageUptodate(page);
	}
	kunmap_local(addr);
	return n < 0 ? n : 0;
}

static int hl_read_folio(struct file *file, struct folio *folio)
{
	int err = hl_fill_page(folio->mapping->host, &folio->page);

	if (err)
		folio_set_error(folio);
	folio_unlock(folio);
	return err;
}

/* Read a whole readahead window with as few host calls as io_max allows. */
static void hl_readahead(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct hl_io_reply o;
	struct page *page;

	while (readahead_count(rac)) {
		loff_t pos = readahead_pos(rac);
		unsigned int k, nr = 0;
		long n;

		hl_lock_in_order(sbi);
		hl_segs_reset(sbi->segs);
		while ((nr + 1) * PAGE_SIZE <= sbi->io_max && (page = readahead_page(rac))) {
			sbi->ra_pages[nr++] = page;
			hl_segs_add(sbi->segs, page_address(page), PAGE_SIZE);
		}
		n = hl_io_segs(sbi, HLINK_OP_READ, inode, pos, 0, &o);
		/* On an error the pages stay not up to date: read_folio asks again. */
		for (k = 0; k < nr; k++) {
			page = sbi->ra_pages[k];
			if (n >= 0) {
				size_t off = k * PAGE_SIZE;
				size_t have = n > off ? min_t(size_t, n - off, PAGE_SIZE) : 0;

				zero_user_segment(page, have, PAGE_SIZE);
				SetPageUptodate(page);
			}
			unlock_page(page);
			put_page(page);
		}
		mutex_unlock(&sbi->lock);
		if (n < 0)
			return;	/* the pages left are read one by one */
	}
}

/* A WRITE's flags: the file's attributes after it, and its version before (ABI 1.1). */
static u32 hl_write_flags(struct hlinkfs_sb *sbi)
{
	return HLINK_IO_WANT_ATTR | (sbi->wcc ? HLINK_IO_WANT_PRE : 0);
}

/* Pages gathered by writepages, written with one WRITE when contiguous. */
struct hl_wb {
	struct inode *inode;
	struct page *pages[HLINKFS_WB_PAGES];
	unsigned int n;
};

/*
 * After our own WRITE: if the host's file was still the version our cache
 * matches, the version after the write is ours; if not, someone else
 * changed it first, and the cache is dropped at the next check. Called
 * under sbi->lock, so versions are taken in the order the writes were made.
 */
static void hl_wrote(struct inode *inode, const struct hl_io_reply *o)
{
	struct hlinkfs_inode *hi = HL_I(inode);
	struct timespec64 pre = hl_ts(o->pre.mtime, o->pre.mtime_nsec);

	if (HL_SB(inode->i_sb)->wcc &&
	    (!timespec64_equal(&pre, &hi->data_mtime) || o->pre.size != hi->data_size))
		set_bit(HLINKFS_DATA_STALE, &hi->flags);
	hl_set_data_version(inode, &o->out.attr);
}

/*
 * Writeback written behind: one queued WRITE of the gathered pages, named
 * as they are; they stay under writeback until it is reaped.
 */
static int hl_q_write(struct hl_wb *wb)
{
	struct inode *inode = wb->inode;
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	loff_t size = i_size_read(inode);
	struct hlink_io_in in = { .handle = hl_handle(inode), .offset = page_offset(wb->pages[0]),
				  .flags = HLINK_IO_VEC | HLINK_IO_WANT_ATTR };
	struct hlink_req_hdr *h;
	struct hlink_iovec *v;
	struct hl_queued *q;
	unsigned int k, n = 0;

	q = hl_q_new(sbi, HLINK_OP_WRITE, &in, sizeof(in), NULL, wb->n * sizeof(*v), NULL, 0,
		     sizeof(struct hlink_io_out), wb->n);
	if (IS_ERR(q))
		return PTR_ERR(q);
	h = q->req;
	v = (struct hlink_iovec *)((char *)(h + 1) + sizeof(in));
	for (k = 0; k < wb->n; k++) {
		loff_t off = page_offset(wb->pages[k]);
		u64 base = (u64)(unsigned long)page_address(wb->pages[k]);
		size_t len;

		q->pages[q->npages++] = wb->pages[k];
		if (off >= size)
			continue;	/* truncated since: nothing to write */
		len = min_t(loff_t, PAGE_SIZE, size - off);
		if (n && v[n - 1].base + v[n - 1].len == base)
			v[n - 1].len += len;
		else
			v[n++] = (struct hlink_iovec){ .base = base, .len = len };
		in.len += len;
	}
	wb->n = 0;
	if (!in.len) {
		for (k = 0; k < q->npages; k++)
			end_page_writeback(q->pages[k]);
		kfree(q);
		return 0;
	}
	memcpy(h + 1, &in, sizeof(in));
	h->len = sizeof(*h) + sizeof(in) + n * sizeof(*v);
	q->req_len = h->len;
	hl_q_hold(q, inode);
	/* No signal: who waits for these pages drains first (hl_write_and_wait). */
	hl_q_post(q, true, false);
	return 0;
}

static int hl_wb_flush(struct hl_wb *wb)
{
	struct inode *inode = wb->inode;
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	loff_t pos, size = i_size_read(inode);
	struct hl_segs *segs = sbi->segs;
	struct hl_io_reply o;
	unsigned int k;
	long n = 0;

	if (!wb->n)
		return 0;
	if (sbi->queue && sbi->iovec && !hl_q_write(wb))
		return 0;
	pos = page_offset(wb->pages[0]);
	hl_lock_in_order(sbi);
	hl_segs_reset(segs);
	for (k = 0; k < wb->n; k++) {
		loff_t off = page_offset(wb->pages[k]);

		if (off < size)
			hl_segs_add(segs, page_address(wb->pages[k]),
				    min_t(loff_t, PAGE_SIZE, size - off));
	}
	/* The rest of a short write is asked again: the host's error says why. */
	while (segs->len) {
		n = hl_io_segs(sbi, HLINK_OP_WRITE, inode, pos, hl_write_flags(sbi), &o);
		if (n <= 0) {
			n = n ?: -EIO;
			break;
		}
		hl_wrote(inode, &o);
		pos += n;
		hl_segs_advance(segs, n);
	}
	if (n < 0) {
		mapping_set_error(inode->i_mapping, n);
		/* Pages the host refused must not be read back as if it had them. */
		set_bit(HLINKFS_DATA_STALE, &HL_I(inode)->flags);
		hl_attr_expire(inode);
	}
	mutex_unlock(&sbi->lock);
	for (k = 0; k < wb->n; k++)
		end_page_writeback(wb->pages[k]);
	wb->n = 0;
	return n < 0 ? n : 0;
}

static int hl_wb_add(struct page *page, struct writeback_control *wbc, void *data)
{
	struct hl_wb *wb = data;
	struct hlinkfs_sb *sbi = HL_SB(wb->inode->i_sb);
	int err = 0;

	if (wb->n && (wb->pages[wb->n - 1]->index + 1 != page->index ||
		      wb->n == HLINKFS_WB_PAGES || (wb->n + 1) * PAGE_SIZE > sbi->io_max))
		err = hl_wb_flush(wb);
	set_page_writeback(page);
	unlock_page(page);
	wb->pages[wb->n++] = page;
	return err;
}

static int hl_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct hl_wb *wb = kmalloc(sizeof(*wb), GFP_NOFS);
	int err, err2;

	if (!wb)
		return -ENOMEM;
	wb->inode = mapping->host;
	wb->n = 0;
	err = write_cache_pages(mapping, wbc, hl_wb_add, wb);
	err2 = hl_wb_flush(wb);
	kfree(wb);
	return err ?: err2;
}

static int hl_writepage(struct page *page, struct writeback_control *wbc)
{
	struct hl_wb *wb = kmalloc(sizeof(*wb), GFP_NOFS);
	int err;

	if (!wb) {
		redirty_page_for_writepage(wbc, page);
		unlock_page(page);
		return 0;
	}
	wb->inode = page->mapping->host;
	wb->n = 0;
	hl_wb_add(page, wbc, wb);
	err = hl_wb_flush(wb);
	kfree(wb);
	return err;
}

static int hl_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
			  unsigned int len, struct page **pagep, void **fsdata)
{
	struct inode *inode = mapping->host;
	unsigned int from = pos & (PAGE_SIZE - 1);
	struct page *page;
	int err;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	*pagep = page;
	if (PageUptodate(page) || len == PAGE_SIZE)
		return 0;
	if (page_offset(page) >= i_size_read(inode)) {
		/* Nothing on the host here yet. */
		zero_user_segments(page, 0, from, from + len, PAGE_SIZE);
		SetPageUptodate(page);
		return 0;
	}
	err = hl_fill_page(inode, page);
	if (err) {
		unlock_page(page);
		put_page(page);
	}
	return err;
}

static int hl_write_end(struct file *file, struct address_space *mapping, loff_t pos,
			unsigned int len, unsigned int copied, struct page *page, void *fsdata)
{
	struct inode *inode = mapping->host;

	if (!PageUptodate(page)) {
		/* A full-page write that copied short: retry it. */
		if (copied < len)
			copied = 0;
		else
			SetPageUptodate(page);
	}
	if (copied) {
		if (pos + copied > i_size_read(inode))
			i_size_write(inode, pos + copied);
		set_page_dirty(page);
	}
	unlock_page(page);
	put_page(page);
	return copied;
}

/* A direct call's flags: the file's versions around a write, O_DIRECT for the host. */
static u32 hl_direct_flags(struct hlinkfs_sb *sbi, bool write)
{
	return (sbi->direct ? HLINK_IO_DIRECT : 0) | (write ? hl_write_flags(sbi) : 0);
}

/* O_DIRECT from a kernel buffer: through a buffer of the call's own. */
static ssize_t hl_direct_copy(struct kiocb *iocb, struct iov_iter *iter)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	bool write = iov_iter_rw(iter) == WRITE;
	size_t max = min_t(size_t, iov_iter_count(iter), sbi->io_max);
	loff_t pos = iocb->ki_pos;
	struct hl_io_reply o;
	ssize_t done = 0;
	long n = 0;
	void *buf;

	if (!max)
		return 0;
	buf = kvmalloc(max, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (iov_iter_count(iter)) {
		size_t len = min(iov_iter_count(iter), max);

		if (write && copy_from_iter(buf, len, iter) != len) {
			n = -EFAULT;
			break;
		}
		hl_lock_in_order(sbi);
		n = hl_io(sbi, write ? HLINK_OP_WRITE : HLINK_OP_READ, inode, pos, buf, len,
			  hl_direct_flags(sbi, write), &o);
		if (write && n > 0)
			hl_wrote(inode, &o);
		mutex_unlock(&sbi->lock);
		if (n > 0 && !write && copy_to_iter(buf, n, iter) != n)
			n = -EFAULT;
		if (n <= 0)
			break;
		pos += n;
		done += n;
		if (n < len) {
			if (!write)
				break;		/* the end of the file */
			iov_iter_revert(iter, len - n);
		}
	}
	kvfree(buf);
	if (n < 0)
		return n;
	return done ? done : (write ? -EIO : 0);
}

/*
 * O_DIRECT: the caller's data goes to and from the host file in calls of up
 * to io_max bytes, without the page cache (the generic code writes cached
 * pages back before and drops them after). The caller's pages are pinned
 * and handed to the host module as they are (hl_segs), so no copy is made
 * in the guest. They are pinned without sbi->lock: the caller's buffer may
 * be a mapping of an hlinkfs file, whose fault needs it. As the kernel's own
 * direct I/O, an error anywhere fails the whole call; the rest of a short
 * write is asked again, so the host's error says why.
 */
static ssize_t hl_direct_IO(struct kiocb *iocb, struct iov_iter *iter)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	bool write = iov_iter_rw(iter) == WRITE;
	bool dirty = !write && user_backed_iter(iter);
	loff_t pos = iocb->ki_pos;
	struct hl_io_reply o;
	struct page **pages;
	ssize_t done = 0;
	long n = 0;

	/* Kernel buffers (kvec, pipes) are not pinned: they go through a copy. */
	if (!user_backed_iter(iter) && !iov_iter_is_bvec(iter))
		return hl_direct_copy(iocb, iter);
	pages = kmalloc_array(HLINKFS_IO_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (iov_iter_count(iter)) {
		size_t start, left;
		ssize_t got = iov_iter_get_pages2(iter, pages, sbi->io_max, HLINKFS_IO_PAGES,
						  &start);
		unsigned int k, nr;

		if (got <= 0) {
			n = got ?: -EFAULT;
			break;
		}
		nr = DIV_ROUND_UP(start + got, PAGE_SIZE);
		hl_lock_in_order(sbi);
		hl_segs_reset(sbi->segs);
		for (k = 0, left = got; k < nr; k++, start = 0) {
			size_t take = min_t(size_t, PAGE_SIZE - start, left);

			hl_segs_add(sbi->segs, page_address(pages[k]) + start, take);
			left -= take;
		}
		n = hl_io_segs(sbi, write ? HLINK_OP_WRITE : HLINK_OP_READ, inode, pos,
			       hl_direct_flags(sbi, write), &o);
		if (write && n > 0)
			hl_wrote(inode, &o);
		mutex_unlock(&sbi->lock);
		for (k = 0; k < nr; k++) {
			if (dirty && n > 0)
				set_page_dirty_lock(pages[k]);
			put_page(pages[k]);
		}
		if (n <= 0) {
			iov_iter_revert(iter, got);
			break;
		}
		pos += n;
		done += n;
		if (n < got) {
			iov_iter_revert(iter, got - n);
			if (!write)
				break;		/* the end of the file */
		}
	}
	kfree(pages);
	if (n < 0)
		return n;
	return done ? done : (write ? -EIO : 0);
}

static const struct address_space_operations hlinkfs_aops = {
	.direct_IO = hl_direct_IO,
	.read_folio = hl_read_folio,
	.readahead = hl_readahead,
	.writepage = hl_writepage,
	.writepages = hl_writepages,
	.dirty_folio = filemap_dirty_folio,
	.write_begin = hl_write_begin,
	.write_end = hl_write_end,
};

/*
 * No file of inode is open here any more. If one was created or opened for
 * writing since the last RELEASE, the host may close its read-write
 * descriptor (CREATE_OPEN's promise): on the host the file is then no longer
 * open for writing, so it can be exec'd and its flags (immutable,
 * append-only) hold for the next write. Read-only descriptors stay cached.
 */
static void hl_release_host(struct inode *inode)
{
	struct hlinkfs_sb *sbi = HL_SB(inode->i_sb);
	struct hlink_handle_in in = { .handle = HL_I(inode)->handle };
	bool last;

	/* Exclusive: no host user is there to exec the file or to mind its flags. */
	if (!sbi->create_open || sbi->exclusive || !test_bit(HLINKFS_WRITERS, &HL_I(inode)->flags))
		return;
	/* Pages a last close left dirty (a write racing it): their WRITE would reopen. */
	filemap_write_and_wait(inode->i_mapping);
	/*
	 * Asked again under the call lock: a file opened since may have
	 * taken host locks already, which RELEASE would give up; its calls
	 * from now on come after this one.
	 */
	hl_lock_in_order(sbi);
	spin_lock(&inode->i_lock);
	last = HL_I(inode)->opens == 0;
	if (last)
		clear_bit(HLINKFS_WRITERS, &HL_I(inode)->flags);
	spin_unlock(&inode->i_lock);
	if (last)
		hl_call_locked(sbi, HLINK_OP_RELEASE, &in, sizeof(in), NULL, 0, NULL, 0, NULL, 0);
	mutex_unlock(&sbi->lock);
}

/* A file of inode is closed, or its open failed after being counted. */
static void hl_open_end(struct inode *inode)
{
	bool last;

	spin_lock(&inode->i_lock);
	last = --HL_I(inode)->opens == 0;
	spin_unlock(&inode->i_lock);
	if (last)
		hl_release_host(inode);
}

/* Close-to-open: fetch attributes at open unless they arrived this tick. */
static int hl_open(struct inode *inode, struct file *file)
{
	struct hlinkfs_inode *hi = HL_I(inode);
	int err;

	/*
	 * Unlinked as open nowhere: openable only if the host still has a name
	 * for it (our link count may have been stale); GETATTR tells.
	 */
	if (test_bit(HLINKFS_GONE, &hi->flags) &&
	    (hl_getattr_host(inode) || test_bit(HLINKFS_GONE, &hi->flags)))
		return -ENOENT;
	/* Its make failed on the host: the walk is made again, asking the host. */
	if (test_bit(HLINKFS_DEAD, &hi->flags))
		return -ESTALE;
	/* Counted first, so that an unlink from now on keeps the host's file. */
	spin_lock(&inode->i_lock);
	if (test_bit(HLINKFS_GONE, &hi->flags)) {
		spin_unlock(&inode->i_lock);
		return -ENOENT;
	}
	hi->opens++;
	if (file->f_mode & (FMODE_WRITE | FMODE_CREATED))
		set_bit(HLINKFS_WRITERS, &hi->flags);
	spin_unlock(&inode->i_lock);
	if (HL_SB(inode->i_sb)->exclusive ? !hl_attr_fresh(inode) :
	    HL_SB(inode->i_sb)->strict || time_after(jiffies, hi->attr_time)) {
		if (!hl_mapping_busy(inode)) {
			err = hl_getattr_host(inode);
			if (err)
				goto fail;
		}
	}
	err = hl_revalidate_data(inode);
	if (!err)
		err = generic_file_open(inode, file);
	if (!err)
		return 0;
fail:
	hl_open_end(inode);
	return err;
}

static int hl_release(struct inode *inode, struct file *file)
{
	hl_open_end(inode);
	return 0;
}

/* Close-to-open: what was written is on the host when close returns. */
static int hl_flush(struct file *file, fl_owner_t id)
{
	int err;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	if (!HL_SB(file_inode(file)->i_sb)->queue)
		return filemap_write_and_wait(file->f_mapping);
	/* Exclusive: queued, not waited for; a failure so far is told here. */
	err = filemap_fdatawrite(file->f_mapping);
	return err ?: filemap_check_wb_err(file->f_mapping, file->f_wb_err);
}

static ssize_t hl_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	int err;

	if (!hl_attr_fresh(inode) && !hl_mapping_busy(inode)) {
		err = hl_getattr_host(inode);
		if (err)
			return err;
	}
	err = hl_revalidate_data(inode);
	if (err)
		return err;
	return generic_file_read_iter(iocb, to);
}

static int hl_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	int err;

	if (HL_SB(file_inode(file)->i_sb)->queue) {
		/* As hl_write_and_wait: the queued WRITEs reaped before the wait. */
		err = filemap_fdatawrite_range(file->f_mapping, start, end);
		hl_q_drain(HL_SB(file_inode(file)->i_sb));
		if (err)
			return err;
	}
	err = file_write_and_wait_range(file, start, end);

	if (err)
		return err;
	err = hl_fsync_handle(file_inode(file), datasync);
	if (err) {
		/*
		 * The host reports its write-back error once, to our one
		 * descriptor: record it so that every open file here is told
		 * once, as on the host, this one now.
		 */
		mapping_set_error(file->f_mapping, err);
		return file_check_and_advance_wb_err(file) ?: err;
	}
	/* Calls written behind that failed meanwhile (hl_q_fail). */
	return HL_SB(file_inode(file)->i_sb)->queue ? file_check_and_advance_wb_err(file) : 0;
}

static long hl_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(file);
	struct hlink_fallocate_in in = { .handle = HL_I(inode)->handle, .offset = offset,
					 .len = len, .mode = mode };
	const int shift = FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE;
	loff_t size;
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE |
		     (HL_SB(inode->i_sb)->shift_ranges ? shift : 0)))
		return -EOPNOTSUPP;
	inode_lock(inode);
	/* No page may be dirtied through a mapping while the host changes the data. */
	filemap_invalidate_lock(inode->i_mapping);
	/*
	 * With nothing of ours unwritten, the host's attributes before the
	 * call say whether the cache is still valid, and those after it are
	 * the version the cache matches once the range is dropped: our own
	 * change must not later read as a change made on the host.
	 */
	err = hl_write_and_wait(inode);
	if (!err)
		err = hl_getattr_host(inode);
	if (!err)
		err = hl_revalidate_data(inode);
	size = i_size_read(inode);
	if (!err)
		err = hl_call(HL_SB(inode->i_sb), HLINK_OP_FALLOCATE, &in, sizeof(in), NULL, 0,
			      NULL, 0, NULL, 0);
	if (!err) {
		if (mode & shift) {
			/* What follows the range has moved, from its page on. */
			truncate_pagecache(inode, round_down(offset, PAGE_SIZE));
			i_size_write(inode, (mode & FALLOC_FL_COLLAPSE_RANGE) ? size - len :
					    size + len);
		} else if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) {
			truncate_pagecache_range(inode, offset, offset + len - 1);
		}
		err = hl_getattr_fetch(inode, true);
	}
	filemap_invalidate_unlock(inode->i_mapping);
	inode_unlock(inode);
	return err;
}

/* A page made writable through a mapping waits for a fallocate in progress. */
static vm_fault_t hl_page_mkwrite(struct vm_fault *vmf)
{
	struct address_space *mapping = file_inode(vmf->vma->vm_file)->i_mapping;
	vm_fault_t ret;

	filemap_invalidate_lock_shared(mapping);
	ret = filemap_page_mkwrite(vmf);
	filemap_invalidate_unlock_shared(mapping);
	return ret;
}

static const struct vm_operations_struct hl_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = hl_page_mkwrite,
};

static int hl_mmap(struct file *file, struct vm_area_struct *vma)
{
	file_accessed(file);
	vma->vm_ops = &hl_file_vm_ops;
	return 0;
}

static const struct file_operations hlinkfs_file_fops = {
	.llseek = generic_file_llseek,
	.read_iter = hl_read_iter,
	.write_iter = generic_file_write_iter,
	.mmap = hl_mmap,
	.open = hl_open,
	.release = hl_release,
	.flush = hl_flush,
	.fsync = hl_fsync,
	.splice_read = generic_file_splice_read,
	.splice_write = iter_file_splice_write,
	.fallocate = hl_fallocate,
	.lock = hl_lock,
	.flock = hl_flock,
};

static const struct inode_operations hlinkfs_file_iops = {
	.getattr = hl_getattr,
	.setattr = hl_setattr,
	.listxattr = hl_listxattr,
};

/* ---- mounting ---------------------------------------------------------------- */

static int hl_parse(struct hlinkfs_sb *sbi, char *opts)
{
	char *p;

	strscpy(sbi->host, "user", sizeof(sbi->host));
	sbi->attr_timeout_ms = 1000;
	while ((p = strsep(&opts, ",")) != NULL) {
		if (!*p)
			continue;
		if (!strncmp(p, "export=", 7)) {
			kfree(sbi->export);
			sbi->export = kstrdup(p + 7, GFP_KERNEL);
			if (!sbi->export)
				return -ENOMEM;
		} else if (!strncmp(p, "host=", 5)) {
			if (strcmp(p + 5, "user") && strcmp(p + 5, "kmod")) {
				pr_err("hlinkfs: host=%s: use host=user or host=kmod\n", p + 5);
				return -EINVAL;
			}
			strscpy(sbi->host, p + 5, sizeof(sbi->host));
		} else if (!strncmp(p, "attr_timeout=", 13)) {
			if (kstrtouint(p + 13, 10, &sbi->attr_timeout_ms))
				return -EINVAL;
		} else if (!strcmp(p, "strict")) {
			sbi->strict = true;
		} else if (!strcmp(p, "readdirplus") || !strcmp(p, "noreaddirplus")) {
			sbi->want_rdplus = p[0] == 'r';
		} else if (!strcmp(p, "async") || !strcmp(p, "noasync")) {
			sbi->no_async = p[0] == 'n';
		} else if (!strcmp(p, "zerocopy") || !strcmp(p, "nozerocopy")) {
			sbi->no_zerocopy = p[0] == 'n';
		} else if (!strcmp(p, "exclusive")) {
			sbi->want_exclusive = true;
		} else {
			pr_err("hlinkfs: unknown option '%s'\n", p);
			return -EINVAL;
		}
	}
	if (!sbi->export || sbi->export[0] != '/') {
		pr_err("hlinkfs: export=/absolute/host/directory is required\n");
		return -EINVAL;
	}
	if (sbi->strict)
		sbi->attr_timeout_ms = 0;
	sbi->attr_timeout = msecs_to_jiffies(sbi->attr_timeout_ms);
	return 0;
}

static void hl_sbi_free(struct hlinkfs_sb *sbi)
{
	/* The interrupt first: it queues the reap work. */
	if (sbi->q_irq)
		um_free_irq(sbi->q_irq, sbi);
	if (sbi->queue)
		cancel_delayed_work_sync(&sbi->q_reap);
	if (sbi->irq)
		um_free_irq(sbi->irq, sbi);
	if (sbi->conn)
		hlinkfs_conn_close(sbi->conn);
	kvfree(sbi->req);
	kvfree(sbi->rep);
	kvfree(sbi->bounce);
	kfree(sbi->segs);
	kfree(sbi->export);
	kfree(sbi);
}

static int hl_fill_super(struct super_block *sb, void *data, int silent)
{
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
	struct hlink_hello_out ho;
	struct hlink_mount_in mi = { 0 };
	struct hlink_mount_out mo = { .ownership = HLINK_OWNERSHIP_PASSTHROUGH,
				      .flags = HLINK_MOUNT_NODEV };
	struct hlinkfs_sb *sbi;
	struct inode *inode;
	int err;

	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	mutex_init(&sbi->lock);
	init_waitqueue_head(&sbi->q_wait);
	INIT_DELAYED_WORK(&sbi->q_reap, hl_q_reap_work);
	sbi->sb = sb;
	sb->s_fs_info = sbi;
	err = hl_parse(sbi, data);
	if (err)
		return err;
	sbi->req = kvmalloc(HLINK_MSG_MAX, GFP_KERNEL);
	sbi->rep = kvmalloc(HLINK_MSG_MAX, GFP_KERNEL);
	if (!sbi->req || !sbi->rep)
		return -ENOMEM;
	err = hlinkfs_conn_open(sbi->host, exports, &sbi->conn);
	if (err) {
		pr_err("hlinkfs: cannot reach host module '%s': %d\n", sbi->host, err);
		return err;
	}
	if (!sbi->no_async) {
		err = hlinkfs_conn_slow_start(sbi->conn);
		if (err >= 0)
			err = um_request_irq(UM_IRQ_ALLOC, err, IRQ_READ, hl_slow_intr, 0,
					     "hlinkfs", sbi);
		sbi->irq = err > 0 ? err : 0;
		if (!sbi->irq) {
			pr_warn("hlinkfs: no workers for slow calls (%d): all calls synchronous\n",
				err);
			hlinkfs_conn_slow_stop(sbi->conn);
		}
	}
	err = hl_call(sbi, HLINK_OP_HELLO, &hi, sizeof(hi), NULL, 0, NULL, 0, &ho, sizeof(ho));
	if (err) {
		pr_err("hlinkfs: host module refused ABI %u.%u: %d\n",
		       HLINK_ABI_MAJOR, HLINK_ABI_MINOR, err);
		return err;
	}
	sbi->io_max = clamp_t(u32, ho.io_max, PAGE_SIZE, HLINK_IO_MAX) & PAGE_MASK;
	sbi->wcc = ho.minor >= 1;
	sbi->locks = ho.minor >= 3;
	sbi->unused_unlink = ho.minor >= 4;
	sbi->rdplus = ho.minor >= 4 && sbi->want_rdplus;
	/* nozerocopy: the copy an older host needs, to measure what it costs. */
	sbi->iovec = ho.minor >= 5 && !sbi->no_zerocopy;
	sbi->direct = ho.minor >= 5;
	sbi->create_open = ho.minor >= 6;
	sbi->shift_ranges = ho.minor >= 8;
	sbi->segs = kmalloc(sizeof(*sbi->segs), GFP_KERNEL);
	if (!sbi->segs)
		return -ENOMEM;
	if (!sbi->iovec) {
		sbi->bounce = kvmalloc(sbi->io_max, GFP_KERNEL);
		if (!sbi->bounce)
			return -ENOMEM;
	}
	mi.path_len = strlen(sbi->export);
	if (sbi->want_exclusive) {
		if (ho.minor < 7) {
			pr_err("hlinkfs: the host module (ABI 1.%u) has no exclusive exports\n",
			       ho.minor);
			return -EINVAL;
		}
		mi.flags |= HLINK_MOUNT_EXCLUSIVE;
	}
	/* A 1.2 host says how the export maps ownership; before, ids went through. */
	err = hl_call(sbi, HLINK_OP_MOUNT, &mi, sizeof(mi), sbi->export, mi.path_len, NULL, 0,
		      &mo, ho.minor >= 2 ? sizeof(mo) : sizeof(mo.root));
	if (err) {
		pr_err("hlinkfs: cannot export %s: %d\n", sbi->export, err);
		return err;
	}
	sbi->root = mo.root.handle;
	sbi->ownership = mo.ownership;
	if (mo.flags & HLINK_MOUNT_NODEV)
		sb->s_iflags |= SB_I_NODEV;
	sbi->exclusive = sbi->want_exclusive && (mo.flags & HLINK_MOUNT_EXCLUSIVE);
	if (sbi->exclusive) {
		err = hlinkfs_conn_wb_start(sbi->conn);
		if (err >= 0)
			err = um_request_irq(UM_IRQ_ALLOC, err, IRQ_READ, hl_q_intr, 0,
					     "hlinkfs-wb", sbi);
		sbi->q_irq = err > 0 ? err : 0;
		sbi->queue = sbi->q_irq;
		if (!sbi->queue)
			pr_warn("hlinkfs: no worker for write-behind (%d): calls made at once\n",
				err);
	}

	sb->s_magic = HLINKFS_MAGIC;
	sb->s_op = &hlinkfs_sops;
	sb->s_d_op = sbi->exclusive ? &hlinkfs_exclusive_dops : &hlinkfs_dops;
	sb->s_xattr = hlinkfs_xattr_handlers;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_time_gran = 1;
	err = super_setup_bdi(sb);
	if (err)
		return err;
	inode = hl_iget(sb, &mo.root);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	sb->s_root = d_make_root(inode);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *hl_mount(struct file_system_type *type, int flags, const char *dev,
			       void *data)
{
	return mount_nodev(type, flags, data, hl_fill_super);
}

static void hl_kill_sb(struct super_block *sb)
{
	struct hlinkfs_sb *sbi = HL_SB(sb);

	/* Syncs first (hl_sync_fs): nothing queued holds an inode past this. */
	kill_anon_super(sb);
	if (!sbi)
		return;
	if (sbi->queue) {
		hl_q_drain(sbi);	/* the FORGETs of eviction */
		if (sbi->q_failed)
			pr_err("hlinkfs: %s: %lu calls written behind failed on the host\n",
			       sbi->export, sbi->q_failed);
	}
	if (sbi->root.gen) {
		struct hlink_umount_in in = { .sbid = sbi->root.sbid };

		hl_call(sbi, HLINK_OP_UMOUNT, &in, sizeof(in), NULL, 0, NULL, 0, NULL, 0);
	}
	hl_sbi_free(sbi);
}

static struct file_system_type hlinkfs_type = {
	.owner = THIS_MODULE,
	.name = "hlinkfs",
	.mount = hl_mount,
	.kill_sb = hl_kill_sb,
};
MODULE_ALIAS_FS("hlinkfs");

static int __init hlinkfs_init(void)
{
	int err;

	hlinkfs_inode_cache = KMEM_CACHE(hlinkfs_inode, SLAB_ACCOUNT);
	if (!hlinkfs_inode_cache)
		return -ENOMEM;
	err = register_filesystem(&hlinkfs_type);
	if (err)
		kmem_cache_destroy(hlinkfs_inode_cache);
	return err;
}

static void __exit hlinkfs_exit(void)
{
	unregister_filesystem(&hlinkfs_type);
	rcu_barrier();
	kmem_cache_destroy(hlinkfs_inode_cache);
}

module_init(hlinkfs_init);
module_exit(hlinkfs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hlinkfs: high-level link to the host VFS");
