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
 * open, this process holds at most fd_slots of them (and one more for each
 * split FSYNC in flight, which the guest bounds), and reopens by
 * open_by_handle_at on demand. The one exception: a file the guest still
 * references when the guest removes its last name is pinned open (pin_fd)
 * until the guest forgets it, so open-unlink-fstat works.
 *
 * Inside UML, malloc and free are the kernel's (UML wraps them), which only
 * the kernel's own thread may call, so the module allocates only through
 * the allocator its opener gives (hlink_host_opts). Memory that libc
 * allocates for itself (strdup, realpath(p, NULL), opendir) is not the
 * opener's to choose: the module calls no such function.
 */
#include "hlink_host_int.h"

static void reply_header(struct hlink_host *h, struct hlink_rep_hdr *rh, unsigned int opcode,
			 unsigned long long unique, int err, size_t out_len)
{
	rh->error = err;
	rh->len = (uint32_t)(sizeof(*rh) + out_len);
	rh->unique = unique;
	if (h->trace)
		fprintf(stderr, "<<< %s unique %llu error %d\n", hlink_op_name(opcode), unique, err);
}

void *hh_zalloc(struct hlink_host *h, size_t size)
{
	void *p = h->alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void hh_free(struct hlink_host *h, void *p)
{
	if (p)
		h->free(p);
}

/* The module's lock, counting the callers that had to wait for it. */
static void host_lock(struct hlink_host *h)
{
	if (pthread_mutex_trylock(&h->lock)) {
		pthread_mutex_lock(&h->lock);
		h->stats.lock_waits++;
	}
}

static long host_call_locked(struct hlink_host *h, const void *req, size_t req_len,
			     void *rep, size_t rep_max, struct hlink_host_slow *slow)
{
	struct hlink_rep_hdr *rh = rep;
	struct hlink_req *r = &h->req;
	struct hlink_call c = { .host = h, .r = r, .in = &r->in, .slow = slow };
	int err;

	h->stats.calls++;
	err = hlink_req_decode(r, req, req_len, rep_max, h->hello_done);
	if (h->trace)
		fprintf(stderr, ">>> %s unique %llu len %zu\n", hlink_op_name(r->hdr.opcode),
			(unsigned long long)r->hdr.unique, req_len);
	if (!err) {
		c.out = rh + 1;
		c.out_max = rep_max - sizeof(*rh);
		err = hh_ops[r->hdr.opcode](&c);
	}
	if (slow && err == HH_SLOW) {
		h->stats.slow_calls++;
		slow->opcode = r->hdr.opcode;
		slow->unique = r->hdr.unique;
		return 0;
	}
	if (err)
		c.out_len = 0;
	reply_header(h, rh, r->hdr.opcode, r->hdr.unique, err, c.out_len);
	return rh->len;
}

static long host_call(struct hlink_host *h, const void *req, size_t req_len,
		      void *rep, size_t rep_max, struct hlink_host_slow *slow)
{
	long n;

	if (rep_max < sizeof(struct hlink_rep_hdr))
		return -ERANGE;
	host_lock(h);
	n = host_call_locked(h, req, req_len, rep, rep_max, slow);
	pthread_mutex_unlock(&h->lock);
	return n;
}

long hlink_host_call(struct hlink_host *h, const void *req, size_t req_len,
		     void *rep, size_t rep_max)
{
	return host_call(h, req, req_len, rep, rep_max, NULL);
}

long hlink_host_call_begin(struct hlink_host *h, const void *req, size_t req_len,
			   void *rep, size_t rep_max, struct hlink_host_slow *slow)
{
	return host_call(h, req, req_len, rep, rep_max, slow);
}

/* Only system calls on slow's own descriptor: safe on any thread. */
void hlink_host_slow_run(struct hlink_host_slow *slow)
{
	int err = slow->opcode == HLINK_OP_SYNCFS ? syncfs(slow->fd) :
		  slow->datasync ? fdatasync(slow->fd) : fsync(slow->fd);

	slow->result = err ? -errno : 0;
}

long hlink_host_call_end(struct hlink_host *h, struct hlink_host_slow *slow,
			 void *rep, size_t rep_max)
{
	close(slow->fd);
	slow->fd = -1;
	if (rep_max < sizeof(struct hlink_rep_hdr))
		return -ERANGE;
	host_lock(h);
	reply_header(h, rep, slow->opcode, slow->unique, slow->result, 0);
	pthread_mutex_unlock(&h->lock);
	return ((struct hlink_rep_hdr *)rep)->len;
}

/* Every allowlist entry well formed: else the module is not made. */
static int allowlist_valid(const char *s)
{
	size_t off, len;

	if (!hlink_allowlist_check(s, &off, &len))
		return 1;
	fprintf(stderr, "hlink: bad export entry '%.*s' (DIR[,mapped|passthrough|squash][,suid]"
		"[,exclusive][,anonuid=N][,anongid=N], each directory once)\n", (int)len, s + off);
	return 0;
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
	void *(*alloc)(size_t) = opts && opts->alloc ? opts->alloc : malloc;
	struct hlink_host *h;
	struct rlimit rl;

	if ((opts && opts->exports && !allowlist_valid(opts->exports)) ||
	    (opts && !opts->alloc != !opts->free)) {
		errno = EINVAL;
		return NULL;
	}
	h = alloc(sizeof(*h));
	if (!h)
		return NULL;
	memset(h, 0, sizeof(*h));
	h->alloc = alloc;
	h->free = opts && opts->free ? opts->free : free;
	pthread_mutex_init(&h->lock, NULL);
	h->euid = geteuid();
	h->egid = getegid();
	h->umask = umask(0);
	umask(h->umask);
	h->trace = opts && opts->trace;
	h->weak_xattr = !may_trusted();
	h->owner_xattr = h->weak_xattr ? HLINK_OWNER_XATTR_USER : HLINK_OWNER_XATTR_TRUSTED;
	if (opts && opts->exports) {
		size_t n = strlen(opts->exports) + 1;

		/* Not strdup: see "Inside UML" at the top. */
		h->allow = h->alloc(n);
		if (h->allow)
			memcpy(h->allow, opts->exports, n);
		if (!h->allow) {
			hlink_host_free(h);
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
	h->slots = hh_zalloc(h, h->nslots * sizeof(*h->slots));
	h->scratch = h->alloc(HLINK_SCRATCH_SIZE);
	if (!h->slots || !h->scratch) {
		hlink_host_free(h);
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
			hh_export_free(h, h->exports[n]);
	hh_free(h, h->slots);
	hh_free(h, h->scratch);
	hh_free(h, h->allow);
	pthread_mutex_destroy(&h->lock);
	h->free(h);
}

void hlink_host_stats(struct hlink_host *h, struct hlink_host_stats *st)
{
	host_lock(h);
	*st = h->stats;
	pthread_mutex_unlock(&h->lock);
}
