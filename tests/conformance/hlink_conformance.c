// SPDX-License-Identifier: GPL-2.0
/*
 * ABI conformance suite for hlink host modules. It drives a host module only
 * through the ABI, with no guest, so the same checks run against the
 * user-space module (linked in) and against hlink.ko (ioctl on /dev/hlink).
 *
 * usage: hlink_conformance [-t user|kmod] [-d DEVICE] [-b CALLS] EXPORT_DIR
 * -b CALLS: instead of the checks, time CALLS GETATTR requests and print the
 * cost of one, to compare the ioctl path with the user-space path.
 * EXPORT_DIR must be an empty directory; the suite creates and removes files
 * in it, and plants things next to it to try to escape.
 * Output: one "ok"/"not ok" line per check, then "N passed, N failed".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <signal.h>
#include <grp.h>
#include <sys/wait.h>
#include <sys/prctl.h>

#include "hlink_abi.h"
#include "hlink_host.h"

static struct hlink_host *host;
static int kmod_fd = -1;
static const char *kmod_dev = "/dev/hlink";
static unsigned int passed, failed;
static uint64_t unique;
static char export_dir[4096];
static int whole_seconds;	/* the export's file system keeps times in whole seconds */

static unsigned char req[HLINK_MSG_MAX];
static size_t req_len;
static unsigned char rep[HLINK_MSG_MAX];
static size_t rep_max = sizeof(rep);

#define CHECK(cond, ...) check(!!(cond), #cond, __LINE__, __VA_ARGS__)
static void check(int ok, const char *expr, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void check(int ok, const char *expr, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (line %d: %s)", line, expr);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

/*
 * A row of the confinement table (README, "Confinement"): what an escape
 * attempt got, as a line "confine|ATTEMPT|OUTCOME|DETAIL". Tests compare
 * ATTEMPT and OUTCOME with tests/confinement/; DETAIL (tries, swaps) varies.
 */
static void confine(const char *attempt, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void confine(const char *attempt, const char *outcome, const char *fmt, ...)
{
	va_list ap;

	printf("confine|%s|%s|", attempt, outcome);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* "refused (EACCES)" for an error, "allowed" for 0. */
static const char *answer(int err)
{
	static char buf[64];

	if (!err)
		return "allowed";
	snprintf(buf, sizeof(buf), "refused (%s)", strerrorname_np(-err) ?: "?");
	return buf;
}

/* ---- building and sending requests ---- */

static void begin(uint32_t op)
{
	struct hlink_req_hdr h = { .opcode = op, .unique = ++unique };

	memcpy(req, &h, sizeof(h));
	req_len = sizeof(h);
}

static void put(const void *p, size_t n)
{
	memcpy(req + req_len, p, n);
	req_len += n;
}

static void put_str(const char *s)
{
	put(s, strlen(s));
}

/* Send the request as built (its header's len fixed up unless raw). */
static int send_raw(int fix_len)
{
	struct hlink_rep_hdr *rh = (struct hlink_rep_hdr *)rep;
	long n;

	if (fix_len)
		((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	memset(rep, 0xA5, sizeof(struct hlink_rep_hdr));
	if (kmod_fd >= 0) {
		struct hlink_ioc_call ioc = { .req = (uintptr_t)req, .rep = (uintptr_t)rep,
					      .req_len = (uint32_t)req_len,
					      .rep_max = (uint32_t)rep_max };

		n = ioctl(kmod_fd, HLINK_IOC_CALL, &ioc);
		if (n < 0)
			return -errno;
	} else {
		n = hlink_host_call(host, req, req_len, rep, rep_max);
		if (n < 0)
			return (int)n;
	}
	if ((size_t)n != rh->len || rh->len < sizeof(*rh))
		return -EBADMSG;
	return rh->error;
}

static int send_req(void)
{
	return send_raw(1);
}

static void *body(void)
{
	return rep + sizeof(struct hlink_rep_hdr);
}

/* ---- one-line wrappers ---- */

static struct hlink_handle root;

static int lookup(struct hlink_handle dir, const char *name, struct hlink_entry_out *out)
{
	struct hlink_name_in in = { .dir = dir, .name_len = (uint32_t)strlen(name) };
	int err;

	begin(HLINK_OP_LOOKUP);
	put(&in, sizeof(in));
	put_str(name);
	err = send_req();
	if (!err && out)
		memcpy(out, body(), sizeof(*out));
	return err;
}

static int forget(struct hlink_handle h, uint64_t n)
{
	struct hlink_forget_in in = { .handle = h, .nlookup = n };

	begin(HLINK_OP_FORGET);
	put(&in, sizeof(in));
	return send_req();
}

/* CREATE, MKDIR or MKNOD with every field the caller's. */
static int make_full(uint32_t op, struct hlink_handle dir, const char *name, uint32_t mode,
		     uint32_t flags, uint32_t uid, uint32_t gid, uint32_t major, uint32_t minor,
		     struct hlink_entry_out *out)
{
	struct hlink_create_in in = { .dir = dir, .mode = mode, .flags = flags,
				      .uid = uid, .gid = gid,
				      .rdev_major = major, .rdev_minor = minor,
				      .name_len = (uint32_t)strlen(name) };
	int err;

	begin(op);
	put(&in, sizeof(in));
	put_str(name);
	err = send_req();
	if (!err && out)
		memcpy(out, body(), sizeof(*out));
	return err;
}

static int make(uint32_t op, struct hlink_handle dir, const char *name, uint32_t mode,
		uint32_t flags, struct hlink_entry_out *out)
{
	return make_full(op, dir, name, mode, flags, 1234, 5678, 0, 0, out);
}

static int symlink_as(struct hlink_handle dir, const char *name, const char *target,
		      uint32_t uid, uint32_t gid, struct hlink_entry_out *out)
{
	struct hlink_symlink_in in = { .dir = dir, .uid = uid, .gid = gid,
				       .name_len = (uint32_t)strlen(name),
				       .target_len = (uint32_t)strlen(target) };
	int err;

	begin(HLINK_OP_SYMLINK);
	put(&in, sizeof(in));
	put_str(name);
	put_str(target);
	err = send_req();
	if (!err && out)
		memcpy(out, body(), sizeof(*out));
	return err;
}

/* RELEASE: the guest has no open file of h left. */
static int release(struct hlink_handle h)
{
	struct hlink_handle_in in = { .handle = h };

	begin(HLINK_OP_RELEASE);
	put(&in, sizeof(in));
	return send_req();
}

static int getattr(struct hlink_handle h, struct hlink_attr *a)
{
	struct hlink_handle_in in = { .handle = h };
	int err;

	begin(HLINK_OP_GETATTR);
	put(&in, sizeof(in));
	err = send_req();
	if (!err && a)
		memcpy(a, body(), sizeof(*a));
	return err;
}

static int io(uint32_t op, struct hlink_handle h, uint64_t off, void *buf, uint32_t len,
	      uint32_t *count)
{
	struct hlink_io_in in = { .handle = h, .offset = off, .buf = (uintptr_t)buf, .len = len };
	int err;

	begin(op);
	put(&in, sizeof(in));
	err = send_req();
	if (!err && count)
		*count = ((struct hlink_io_out *)body())->count;
	return err;
}

static int name_op(uint32_t op, struct hlink_handle dir, const char *name);

/* READ with flags: the count read, or -errno. */
static long read_flags(struct hlink_handle h, uint64_t off, void *buf, uint32_t len, uint32_t flags)
{
	struct hlink_io_in in = { .handle = h, .offset = off, .buf = (uintptr_t)buf, .len = len,
				  .flags = flags };
	int err;

	begin(HLINK_OP_READ);
	put(&in, sizeof(in));
	err = send_req();
	return err ? err : (long)((struct hlink_io_out *)body())->count;
}

/* A WRITE with flags; the reply as it came back. */
static int write_flags(struct hlink_handle h, uint64_t off, const void *buf, uint32_t len,
		       uint32_t flags, void *reply_out, size_t reply_len)
{
	struct hlink_io_in in = { .handle = h, .offset = off, .buf = (uintptr_t)buf, .len = len,
				  .flags = flags };
	int err;

	begin(HLINK_OP_WRITE);
	put(&in, sizeof(in));
	err = send_req();
	if (!err && reply_out)
		memcpy(reply_out, body(), reply_len);
	return err;
}

/* Weak cache consistency (ABI 1.1): a WRITE gives the version before it. */
static void t_write_versions(void)
{
	struct {
		struct hlink_io_out out;
		struct hlink_io_pre pre;
	} r;
	struct hlink_entry_out e;
	struct hlink_attr before;
	struct hlink_handle h;
	char data[100] = "versions";

	CHECK(make(HLINK_OP_CREATE, root, "wcc", S_IFREG | 0600, HLINK_CREATE_EXCL, &e) == 0,
	      "CREATE a file for the version checks");
	h = e.handle;
	CHECK(getattr(h, &before) == 0 &&
	      write_flags(h, before.size, data, sizeof(data),
			  HLINK_IO_WANT_ATTR | HLINK_IO_WANT_PRE, &r, sizeof(r)) == 0 &&
	      r.pre.size == before.size && r.pre.mtime == before.mtime &&
	      r.pre.mtime_nsec == before.mtime_nsec && r.out.attr.size == before.size + sizeof(data),
	      "WRITE with WANT_PRE gives the size and mtime before it, and the attributes after");
	CHECK(write_flags(h, 0, data, 1, HLINK_IO_WANT_PRE, NULL, 0) == -EINVAL,
	      "WANT_PRE without WANT_ATTR is refused");
	{
		struct hlink_io_in in = { .handle = h, .buf = (uintptr_t)data, .len = 1,
					  .flags = HLINK_IO_WANT_ATTR | HLINK_IO_WANT_PRE };

		begin(HLINK_OP_READ);
		put(&in, sizeof(in));
		CHECK(send_req() == -EINVAL, "WANT_PRE on a READ is refused");
	}
	CHECK(write_flags(h, 0, data, 1, 1U << 7, NULL, 0) == -EINVAL,
	      "a WRITE flag outside the allowlist is refused");
	forget(h, 1);
	name_op(HLINK_OP_UNLINK, root, "wcc");
}

/* READ or WRITE with HLINK_IO_VEC: the pieces as given, raw; the count moved or -errno. */
static long io_vec(uint32_t op, struct hlink_handle h, uint64_t off, uint32_t len, uint64_t buf,
		   const struct hlink_iovec *v, size_t nv)
{
	struct hlink_io_in in = { .handle = h, .offset = off, .buf = buf, .len = len,
				  .flags = HLINK_IO_VEC };
	int err;

	begin(op);
	put(&in, sizeof(in));
	put(v, nv * sizeof(*v));
	err = send_req();
	return err ? err : (long)((struct hlink_io_out *)body())->count;
}

/* ABI 1.5: the guest's O_DIRECT, aligned (the host's own O_DIRECT) or not (its page cache). */
static void t_io_direct(void)
{
	const size_t len = 16 * 4096;
	struct hlink_entry_out e;
	struct hlink_handle h;
	unsigned char *w, *r, vec[16] = { 0 };
	char q[4200];
	struct statfs sf;
	int fd, direct_host;

	if (posix_memalign((void **)&w, 4096, len) || posix_memalign((void **)&r, 4096, len))
		return;
	for (size_t k = 0; k < len; k++)
		w[k] = (unsigned char)(k * 7 + 3);
	CHECK(make(HLINK_OP_CREATE, root, "direct", S_IFREG | 0600, HLINK_CREATE_EXCL, &e) == 0,
	      "CREATE a file for the O_DIRECT checks");
	h = e.handle;
	snprintf(q, sizeof(q), "%s/direct", export_dir);
	/* Does the host's file system take O_DIRECT at all? */
	fd = open(q, O_RDONLY | O_DIRECT);
	direct_host = fd >= 0 && statfs(q, &sf) == 0 && sf.f_type != TMPFS_MAGIC;
	if (fd >= 0)
		close(fd);
	CHECK(write_flags(h, 0, w, (uint32_t)len, HLINK_IO_DIRECT, NULL, 0) == 0,
	      "WRITE with HLINK_IO_DIRECT, aligned");
	if (direct_host) {
		void *m = NULL;

		fd = open(q, O_RDONLY);
		if (fd >= 0)
			m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		CHECK(m && m != MAP_FAILED && mincore(m, len, vec) == 0 &&
		      !memchr(vec, 1, sizeof(vec)) && !memchr(vec, 0x81, sizeof(vec)),
		      "an aligned WRITE with HLINK_IO_DIRECT leaves the host's page cache out");
		if (m && m != MAP_FAILED)
			munmap(m, len);
		if (fd >= 0)
			close(fd);
	}
	memset(r, 0, len);
	CHECK(read_flags(h, 0, r, (uint32_t)len, HLINK_IO_DIRECT) == (long)len &&
	      !memcmp(r, w, len), "READ with HLINK_IO_DIRECT, aligned, gives the data back");
	{
		/* hlinkfs's own form: whole pages as pieces, then a buffered call. */
		struct hlink_iovec v[2] = { { (uintptr_t)r, 4096 }, { (uintptr_t)w + 8192, 8192 } };
		struct hlink_io_in in = { .handle = h, .offset = len, .len = 12288,
					  .flags = HLINK_IO_VEC | HLINK_IO_DIRECT };

		begin(HLINK_OP_WRITE);
		put(&in, sizeof(in));
		put(v, sizeof(v));
		CHECK(send_req() == 0 && ((struct hlink_io_out *)body())->count == 12288 &&
		      read_flags(h, len, r + 4096, 12288, 0) == 12288 &&
		      !memcmp(r + 4096, r, 4096) && !memcmp(r + 8192, w + 8192, 8192),
		      "WRITE with HLINK_IO_VEC and HLINK_IO_DIRECT, then a buffered READ");
	}
	if (direct_host) {
		void *m = NULL;

		fd = open(q, O_RDONLY);
		CHECK(write_flags(h, 2 * len, w, (uint32_t)len, 0, NULL, 0) == 0 && fd >= 0 &&
		      (m = mmap(NULL, 3 * len, PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED &&
		      mincore((char *)m + 2 * len, len, vec) == 0 && (vec[0] & 1) && (vec[15] & 1),
		      "a buffered WRITE after direct ones goes through the host's page cache again");
		if (m && m != MAP_FAILED)
			munmap(m, 3 * len);
		if (fd >= 0)
			close(fd);
	}
	CHECK(write_flags(h, 3, w + 1, 100, HLINK_IO_DIRECT, NULL, 0) == 0 &&
	      read_flags(h, 0, r + 5, 200, HLINK_IO_DIRECT) == 200 && !memcmp(r + 5, w, 3) &&
	      !memcmp(r + 8, w + 1, 100) && !memcmp(r + 108, w + 103, 97),
	      "an unaligned WRITE and READ with HLINK_IO_DIRECT go through the host's page cache");
	forget(h, 1);
	name_op(HLINK_OP_UNLINK, root, "direct");
	free(w);
	free(r);
}

/* ABI 1.5: a READ or WRITE buffer in pieces, and its malformed forms. */
static void t_io_vec(void)
{
	static struct hlink_iovec many[HLINK_IO_SEGS_MAX + 1];
	char a[3] = "abc", b[1] = "d", c[5] = "efghi", r1[4], r2[20];
	struct hlink_iovec w[3] = { { (uintptr_t)a, 3 }, { (uintptr_t)b, 1 }, { (uintptr_t)c, 5 } };
	struct hlink_iovec r[2] = { { (uintptr_t)r1, 4 }, { (uintptr_t)r2, 20 } };
	struct hlink_entry_out e;
	struct hlink_handle h;
	size_t k;

	CHECK(make(HLINK_OP_CREATE, root, "vec", S_IFREG | 0600, HLINK_CREATE_EXCL, &e) == 0,
	      "CREATE a file for the vector checks");
	h = e.handle;
	CHECK(io_vec(HLINK_OP_WRITE, h, 2, 9, 0, w, 3) == 9,
	      "WRITE with HLINK_IO_VEC moves every piece");
	memset(r2, 'x', sizeof(r2));
	CHECK(io_vec(HLINK_OP_READ, h, 0, 24, 0, r, 2) == 11 && !memcmp(r1, "\0\0ab", 4) &&
	      !memcmp(r2, "cdefghi", 7) && r2[7] == 'x',
	      "READ with HLINK_IO_VEC fills the pieces in order and stops at the end of the file");
	CHECK(io_vec(HLINK_OP_WRITE, h, 0, 9, (uintptr_t)a, w, 3) == -EINVAL,
	      "HLINK_IO_VEC with a buf is refused");
	CHECK(io_vec(HLINK_OP_WRITE, h, 0, 0, 0, w, 0) == -EINVAL, "HLINK_IO_VEC with no piece is refused");
	CHECK(io_vec(HLINK_OP_WRITE, h, 0, 8, 0, w, 3) == -EINVAL &&
	      io_vec(HLINK_OP_WRITE, h, 0, 10, 0, w, 3) == -EINVAL,
	      "pieces that do not add up to len are refused");
	{
		struct hlink_iovec z[2] = { { (uintptr_t)a, 3 }, { (uintptr_t)b, 0 } };
		struct hlink_iovec n[2] = { { (uintptr_t)a, 3 }, { 0, 1 } };
		struct hlink_iovec wrap[2] = { { (uintptr_t)a, 1 }, { ~(uint64_t)0, 2 } };

		CHECK(io_vec(HLINK_OP_WRITE, h, 0, 3, 0, z, 2) == -EINVAL &&
		      io_vec(HLINK_OP_WRITE, h, 0, 4, 0, n, 2) == -EINVAL &&
		      io_vec(HLINK_OP_WRITE, h, 0, 3, 0, wrap, 2) == -EINVAL,
		      "an empty, a null or a wrapping piece is refused");
	}
	{
		struct hlink_io_in in = { .handle = h, .len = 3, .flags = HLINK_IO_VEC };

		begin(HLINK_OP_WRITE);
		put(&in, sizeof(in));
		put(w, sizeof(w[0]) - 1);
		CHECK(send_req() == -EINVAL, "a piece cut short is refused");
	}
	for (k = 0; k <= HLINK_IO_SEGS_MAX; k++)
		many[k] = (struct hlink_iovec){ (uintptr_t)c, 1 };
	CHECK(io_vec(HLINK_OP_WRITE, h, 0, HLINK_IO_SEGS_MAX + 1, 0, many,
		     HLINK_IO_SEGS_MAX + 1) == -EINVAL &&
	      io_vec(HLINK_OP_WRITE, h, 0, HLINK_IO_SEGS_MAX, 0, many, HLINK_IO_SEGS_MAX) ==
	      HLINK_IO_SEGS_MAX,
	      "HLINK_IO_SEGS_MAX pieces are taken, one more is refused");
	{
		struct hlink_iovec bad[1] = { { 8, 4 } };

		CHECK(io_vec(HLINK_OP_READ, h, 0, 4, 0, bad, 1) == -EFAULT,
		      "a piece outside the caller's memory gives EFAULT");
	}
	forget(h, 1);
	name_op(HLINK_OP_UNLINK, root, "vec");
}

static int name_op_flags(uint32_t op, struct hlink_handle dir, const char *name, uint32_t flags)
{
	struct hlink_name_in in = { .dir = dir, .name_len = (uint32_t)strlen(name), .flags = flags };

	begin(op);
	put(&in, sizeof(in));
	put_str(name);
	return send_req();
}

static int name_op(uint32_t op, struct hlink_handle dir, const char *name)
{
	return name_op_flags(op, dir, name, 0);
}

static int rename_op(struct hlink_handle d1, const char *a, struct hlink_handle d2,
		     const char *b, uint32_t flags)
{
	struct hlink_rename_in in = { .old_dir = d1, .new_dir = d2, .flags = flags,
				      .old_len = (uint32_t)strlen(a),
				      .new_len = (uint32_t)strlen(b) };

	begin(HLINK_OP_RENAME);
	put(&in, sizeof(in));
	put_str(a);
	put_str(b);
	return send_req();
}

static int setattr(struct hlink_setattr_in *in, struct hlink_attr *a)
{
	int err;

	begin(HLINK_OP_SETATTR);
	put(in, sizeof(*in));
	err = send_req();
	if (!err && a)
		memcpy(a, body(), sizeof(*a));
	return err;
}

static int xattr(uint32_t op, struct hlink_handle h, const char *name, const void *val,
		 uint32_t vlen, uint32_t size)
{
	struct hlink_xattr_in in = { .handle = h, .name_len = name ? (uint32_t)strlen(name) : 0,
				     .value_len = vlen, .size = size };

	begin(op);
	put(&in, sizeof(in));
	if (name)
		put_str(name);
	if (vlen)
		put(val, vlen);
	return send_req();
}

static void host_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", export_dir, rel);
}

/* ---- the checks ---- */

static void t_hello_and_mount(void)
{
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR + 1 };
	struct hlink_mount_in mi = { 0 };
	struct hlink_entry_out *e;
	int err;

	begin(HLINK_OP_GETATTR);
	put(&root, sizeof(struct hlink_handle_in));
	CHECK(send_req() == -EPROTO, "a request before HELLO is refused with EPROTO");

	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	CHECK(send_req() == -EPROTO, "HELLO with another major version is refused");
	hi.major = HLINK_ABI_MAJOR;
	hi.minor = HLINK_ABI_MINOR;
	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	err = send_req();
	CHECK(err == 0 && ((struct hlink_hello_out *)body())->major == HLINK_ABI_MAJOR &&
	      ((struct hlink_hello_out *)body())->io_max >= 4096, "HELLO agrees on version %d", err);

	mi.path_len = 8;
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str("relative");
	CHECK(send_req() == -EINVAL, "MOUNT of a relative path is refused");
	mi.path_len = (uint32_t)strlen("/nonexistent/dir");
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str("/nonexistent/dir");
	CHECK(send_req() == -ENOENT, "MOUNT of a missing directory gives ENOENT");

	mi.path_len = (uint32_t)strlen("/etc");
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str("/etc");
	err = send_req();
	CHECK(err == -EACCES, "MOUNT of a directory the host did not allow gives EACCES");
	confine("MOUNT of a directory outside the allowlist (/etc)", answer(err), "%s", "");

	mi.path_len = (uint32_t)strlen(export_dir);
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str(export_dir);
	err = send_req();
	e = body();
	CHECK(err == 0 && S_ISDIR(e->attr.mode) && e->handle.gen != 0 && e->handle.sbid != 0,
	      "MOUNT returns the root handle and attributes (%d)", err);
	root = e->handle;
}

static void t_files(void)
{
	struct hlink_entry_out e, e2;
	struct hlink_attr a;
	char buf[8192], back[8192];
	uint32_t n;
	struct stat st;
	char p[4200];
	int i;

	CHECK(lookup(root, "nothing-here", NULL) == -ENOENT, "LOOKUP of a missing name gives ENOENT");
	CHECK(make(HLINK_OP_CREATE, root, "f", S_IFREG | 0640, HLINK_CREATE_EXCL, &e) == 0 &&
	      S_ISREG(e.attr.mode) && (e.attr.mode & 07777) == 0640 && e.attr.uid == 1234 &&
	      e.attr.gid == 5678, "CREATE makes a file with the mode and owner asked");
	host_path(p, sizeof(p), "f");
	CHECK(stat(p, &st) == 0 && st.st_uid == 1234 && (st.st_mode & 07777) == 0640,
	      "the file exists on the host with that owner and mode");
	CHECK(make(HLINK_OP_CREATE, root, "wide", S_IFREG | 0666, HLINK_CREATE_EXCL, &e2) == 0 &&
	      (e2.attr.mode & 07777) == 0666 && forget(e2.handle, 1) == 0 &&
	      name_op(HLINK_OP_UNLINK, root, "wide") == 0,
	      "CREATE gives the exact mode asked, whatever the host's umask");
	CHECK(make(HLINK_OP_MKDIR, root, "wided", S_IFDIR | 0777, 0, &e2) == 0 &&
	      (e2.attr.mode & 07777) == 0777 && forget(e2.handle, 1) == 0 &&
	      name_op(HLINK_OP_RMDIR, root, "wided") == 0, "MKDIR gives the exact mode asked");
	CHECK(make(HLINK_OP_MKDIR, root, "sgid", S_IFDIR | 02755, 0, &e2) == 0 &&
	      (e2.attr.mode & 07777) == 02755 && forget(e2.handle, 1) == 0 &&
	      name_op(HLINK_OP_RMDIR, root, "sgid") == 0,
	      "MKDIR gives the set-group-id bit asked (mkdir(2) would drop it)");
	CHECK(make(HLINK_OP_CREATE, root, "f", S_IFREG | 0600, HLINK_CREATE_EXCL, NULL) == -EEXIST,
	      "exclusive CREATE of an existing name gives EEXIST");
	CHECK(make(HLINK_OP_CREATE, root, "f", S_IFREG | 0600, 0, &e2) == 0 &&
	      e2.handle.ino == e.handle.ino && e2.handle.gen == e.handle.gen &&
	      (e2.attr.mode & 07777) == 0640, "plain CREATE of an existing file opens it unchanged");
	CHECK(lookup(root, "f", &e2) == 0 && e2.handle.gen == e.handle.gen &&
	      e2.attr.ino == st.st_ino && e2.attr.size == 0,
	      "LOOKUP returns the same handle and the attributes in one reply");

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 3);
	CHECK(io(HLINK_OP_WRITE, e.handle, 0, buf, sizeof(buf), &n) == 0 && n == sizeof(buf),
	      "WRITE 8 KiB");
	memset(back, 0, sizeof(back));
	CHECK(io(HLINK_OP_READ, e.handle, 0, back, sizeof(back), &n) == 0 && n == sizeof(buf) &&
	      !memcmp(buf, back, sizeof(buf)), "READ returns what was written");
	CHECK(io(HLINK_OP_READ, e.handle, 100000, back, 100, &n) == 0 && n == 0,
	      "READ past the end returns 0 bytes");
	CHECK(io(HLINK_OP_WRITE, e.handle, 5ULL << 30, buf, 10, &n) == 0 && n == 10 &&
	      getattr(e.handle, &a) == 0 && a.size == (5ULL << 30) + 10 && a.blocks < 1024,
	      "WRITE past 4 GiB makes a large sparse file");
	CHECK(io(HLINK_OP_READ, e.handle, (5ULL << 30) - 5, back, 15, &n) == 0 && n == 15 &&
	      !memcmp(back, "\0\0\0\0\0", 5) && !memcmp(back + 5, buf, 10),
	      "READ across the hole and the data beyond 4 GiB");
	CHECK(io(HLINK_OP_READ, e.handle, 0, back, HLINK_IO_MAX + 1, &n) == -EINVAL,
	      "READ longer than io_max is refused");
	CHECK(io(HLINK_OP_READ, e.handle, UINT64_MAX - 10, back, 100, &n) == -EFBIG,
	      "READ whose offset + length overflows is refused");
	CHECK(io(HLINK_OP_READ, root, 0, back, 10, &n) == -EISDIR, "READ of a directory gives EISDIR");

	{
		struct hlink_setattr_in s = { .handle = e.handle, .valid = HLINK_SETATTR_SIZE,
					      .size = 100 };

		CHECK(setattr(&s, &a) == 0 && a.size == 100, "SETATTR truncates down");
		s.size = 1 << 20;
		CHECK(setattr(&s, &a) == 0 && a.size == 1 << 20 &&
		      io(HLINK_OP_READ, e.handle, 200, back, 10, &n) == 0 && n == 10 &&
		      !memcmp(back, "\0\0\0\0\0\0\0\0\0\0", 10), "SETATTR extends with zeros");
		s = (struct hlink_setattr_in){ .handle = e.handle,
					       .valid = HLINK_SETATTR_MODE | HLINK_SETATTR_UID |
							HLINK_SETATTR_GID | HLINK_SETATTR_ATIME |
							HLINK_SETATTR_MTIME,
					       .mode = 04711, .uid = 42, .gid = 43, .atime = 1000000,
					       .mtime = 2000000, .mtime_nsec = 5 };
		CHECK(setattr(&s, &a) == 0 && (a.mode & 07777) == 04711 && a.uid == 42 &&
		      a.gid == 43 && a.atime == 1000000 && a.mtime == 2000000 &&
		      a.mtime_nsec == (whole_seconds ? 0 : 5),
		      "SETATTR sets mode, owner and times");
		s.valid = HLINK_SETATTR_MODE;
		s.mode = 010000;
		CHECK(setattr(&s, NULL) == -EINVAL, "SETATTR with type bits in mode is refused");
		s.valid = 1U << 20;
		CHECK(setattr(&s, NULL) == -EINVAL, "SETATTR with unknown valid bits is refused");
	}
	{
		struct hlink_fsync_in f = { .handle = e.handle, .datasync = 1 };

		begin(HLINK_OP_FSYNC);
		put(&f, sizeof(f));
		CHECK(send_req() == 0, "FSYNC (datasync)");
		f.datasync = 7;
		begin(HLINK_OP_FSYNC);
		put(&f, sizeof(f));
		CHECK(send_req() == -EINVAL, "FSYNC with a bad datasync value is refused");
	}
	{
		struct hlink_fallocate_in f = { .handle = e.handle, .offset = 0, .len = 8192,
						.mode = 0x02 | 0x01 /* PUNCH_HOLE|KEEP_SIZE */ };
		long long before;
		int err;


		begin(HLINK_OP_FALLOCATE);
		put(&f, sizeof(f));
		CHECK(send_req() == 0 && io(HLINK_OP_READ, e.handle, 0, back, 16, &n) == 0 &&
		      n == 16 && !memcmp(back, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16),
		      "FALLOCATE punches a hole");
		f.mode = 0x40;	/* FALLOC_FL_UNSHARE_RANGE: not allowed */
		begin(HLINK_OP_FALLOCATE);
		put(&f, sizeof(f));
		CHECK(send_req() == -EINVAL, "FALLOCATE with a mode outside the allowlist is refused");
		/* 1.8: ranges shift where the host's file system can (not tmpfs). */
		f = (struct hlink_fallocate_in){ .handle = e.handle, .len = 4096, .mode = 0x20 };
		before = stat(p, &st) ? -1 : st.st_size;
		begin(HLINK_OP_FALLOCATE);
		put(&f, sizeof(f));
		err = send_req();
		CHECK(err == -EOPNOTSUPP || (!err && !stat(p, &st) && st.st_size == before + 4096),
		      "FALLOCATE inserts a range (%d)", err);
		f.mode = 0x08;
		begin(HLINK_OP_FALLOCATE);
		put(&f, sizeof(f));
		err = send_req();
		CHECK(err == -EOPNOTSUPP || (!err && !stat(p, &st) && st.st_size == before),
		      "FALLOCATE collapses a range (%d)", err);
		f.mode = 0x08 | 0x20;
		begin(HLINK_OP_FALLOCATE);
		put(&f, sizeof(f));
		CHECK(send_req() == -EINVAL, "FALLOCATE: a range that shifts takes no other flag");
	}
	{
		struct hlink_handle_in s = { .handle = root };

		begin(HLINK_OP_STATFS);
		put(&s, sizeof(s));
		CHECK(send_req() == 0 && ((struct hlink_statfs_out *)body())->bsize > 0 &&
		      ((struct hlink_statfs_out *)body())->name_max >= 255, "STATFS");
	}
	CHECK(xattr(HLINK_OP_SETXATTR, e.handle, "user.test", "value", 5, 0) == 0, "SETXATTR user.*");
	CHECK(xattr(HLINK_OP_GETXATTR, e.handle, "user.test", NULL, 0, 64) == 0 &&
	      ((struct hlink_xattr_out *)body())->size == 5 &&
	      !memcmp((char *)body() + sizeof(struct hlink_xattr_out), "value", 5), "GETXATTR");
	CHECK(xattr(HLINK_OP_GETXATTR, e.handle, "user.test", NULL, 0, 0) == 0 &&
	      ((struct hlink_xattr_out *)body())->size == 5, "GETXATTR size query");
	CHECK(xattr(HLINK_OP_LISTXATTR, e.handle, NULL, NULL, 0, 256) == 0 &&
	      ((struct hlink_xattr_out *)body())->size == 10, "LISTXATTR");
	CHECK(xattr(HLINK_OP_REMOVEXATTR, e.handle, "user.test", NULL, 0, 0) == 0 &&
	      xattr(HLINK_OP_GETXATTR, e.handle, "user.test", NULL, 0, 64) == -ENODATA,
	      "REMOVEXATTR");
	CHECK(xattr(HLINK_OP_SETXATTR, e.handle, "trusted.x", "v", 1, 0) == -EOPNOTSUPP &&
	      xattr(HLINK_OP_SETXATTR, e.handle, "security.capability", "v", 1, 0) == -EOPNOTSUPP,
	      "xattrs outside user.* are refused");
	CHECK(release(e.handle) == 0 && getattr(e.handle, NULL) == 0, "RELEASE keeps the handle usable");
	/* Three lookup references were taken: CREATE, CREATE, LOOKUP. */
	CHECK(forget(e.handle, 4) == -EINVAL, "FORGET of more references than held is refused");
	CHECK(forget(e.handle, 3) == 0 && getattr(e.handle, NULL) == -ESTALE,
	      "after FORGET of every reference the handle is stale");
	CHECK(name_op(HLINK_OP_UNLINK, root, "f") == 0 && lookup(root, "f", NULL) == -ENOENT,
	      "UNLINK");
}

static void t_namespace(void)
{
	struct hlink_entry_out d, f, l, s;
	struct hlink_attr a;
	char buf[64];
	uint32_t n;

	CHECK(make(HLINK_OP_MKDIR, root, "d", S_IFDIR | 0751, 0, &d) == 0 && S_ISDIR(d.attr.mode) &&
	      (d.attr.mode & 07777) == 0751, "MKDIR");
	CHECK(make(HLINK_OP_CREATE, d.handle, "f", S_IFREG | 0644, 0, &f) == 0, "CREATE in a subdirectory");
	CHECK(name_op(HLINK_OP_RMDIR, root, "d") == -ENOTEMPTY, "RMDIR of a non-empty directory");
	CHECK(make(HLINK_OP_MKNOD, root, "fifo", S_IFIFO | 0600, 0, &s) == 0 && S_ISFIFO(s.attr.mode),
	      "MKNOD makes a FIFO");
	CHECK(make(HLINK_OP_MKNOD, root, "sock", S_IFSOCK | 0600, 0, &s) == 0 && S_ISSOCK(s.attr.mode),
	      "MKNOD makes a socket");
	CHECK(make(HLINK_OP_MKNOD, root, "dev", S_IFCHR | 0600, 0, NULL) == -EPERM,
	      "MKNOD of a device node is refused");
	CHECK(symlink_as(root, "ln", "/etc/passwd", 7, 8, &l) == 0 && S_ISLNK(l.attr.mode),
	      "SYMLINK with an absolute target is stored as text");
	{
		struct hlink_handle_in in = { .handle = l.handle };

		begin(HLINK_OP_READLINK);
		put(&in, sizeof(in));
		CHECK(send_req() == 0 && ((struct hlink_readlink_out *)body())->len == 11 &&
		      !memcmp((char *)body() + 8, "/etc/passwd", 11), "READLINK");
	}
	CHECK(io(HLINK_OP_READ, l.handle, 0, buf, sizeof(buf), &n) == -EINVAL,
	      "READ through a symlink's handle is refused: the host never follows it");
	{
		struct hlink_link_in in = { .handle = f.handle, .dir = root, .name_len = 5 };

		begin(HLINK_OP_LINK);
		put(&in, sizeof(in));
		put_str("hard1");
		CHECK(send_req() == 0 && ((struct hlink_entry_out *)body())->attr.nlink == 2,
		      "LINK adds a name; nlink is 2");
		in.handle = d.handle;
		begin(HLINK_OP_LINK);
		put(&in, sizeof(in));
		put_str("hard2");
		CHECK(send_req() == -EPERM, "LINK of a directory is refused");
	}
	CHECK(rename_op(root, "hard1", root, "fifo", HLINK_RENAME_NOREPLACE) == -EEXIST,
	      "RENAME_NOREPLACE onto an existing name gives EEXIST");
	CHECK(rename_op(root, "hard1", root, "fifo", HLINK_RENAME_EXCHANGE) == 0 &&
	      lookup(root, "fifo", &s) == 0 && S_ISREG(s.attr.mode) &&
	      lookup(root, "hard1", &s) == 0 && S_ISFIFO(s.attr.mode), "RENAME_EXCHANGE swaps");
	CHECK(rename_op(root, "fifo", d.handle, "moved", 0) == 0 &&
	      lookup(d.handle, "moved", &s) == 0 && s.handle.ino == f.handle.ino,
	      "RENAME across directories keeps the inode");
	make(HLINK_OP_CREATE, d.handle, "victim", S_IFREG | 0600, 0, &s);
	CHECK(rename_op(d.handle, "moved", d.handle, "victim", 0) == 0 &&
	      lookup(d.handle, "victim", &s) == 0 && s.handle.ino == f.handle.ino &&
	      s.attr.nlink == 2, "RENAME over an existing name replaces it");
	CHECK(rename_op(root, "a", root, "b", 3) == -EINVAL, "RENAME with both flags is refused");

	/* open-unlink-fstat: the handle survives the removal of the last name. */
	CHECK(io(HLINK_OP_WRITE, f.handle, 0, "still here", 10, &n) == 0 &&
	      name_op(HLINK_OP_UNLINK, d.handle, "f") == 0 &&
	      name_op(HLINK_OP_UNLINK, d.handle, "victim") == 0 && getattr(f.handle, &a) == 0 &&
	      a.nlink == 0 && io(HLINK_OP_READ, f.handle, 0, buf, 10, &n) == 0 && n == 10 &&
	      !memcmp(buf, "still here", 10), "a referenced file stays usable after its last UNLINK");
	CHECK(name_op(HLINK_OP_RMDIR, root, "d") == 0, "RMDIR of an empty directory");
	CHECK(name_op(HLINK_OP_UNLINK, root, "d") == -ENOENT, "UNLINK of a removed name gives ENOENT");
	{
		struct hlink_entry_out u, v;

		make(HLINK_OP_CREATE, root, "unused", S_IFREG | 0600, 0, &u);
		make(HLINK_OP_MKDIR, root, "unused-dir", S_IFDIR | 0700, 0, &v);
		forget(v.handle, 1);
		CHECK(name_op_flags(HLINK_OP_RMDIR, root, "unused-dir", HLINK_UNLINK_UNUSED) == -EINVAL,
		      "RMDIR with UNLINK's flag gives EINVAL");
		CHECK(name_op_flags(HLINK_OP_UNLINK, root, "unused", 2) == -EINVAL,
		      "UNLINK with an unknown flag gives EINVAL");
		CHECK(name_op_flags(HLINK_OP_UNLINK, root, "unused", HLINK_UNLINK_UNUSED) == 0 &&
		      lookup(root, "unused", NULL) == -ENOENT,
		      "UNLINK with HLINK_UNLINK_UNUSED removes the name");
		CHECK(forget(u.handle, 1) == 0, "the unlinked file's handle can still be forgotten");
		name_op(HLINK_OP_RMDIR, root, "unused-dir");
	}
}

static void t_readdir(void)
{
	const int count = 1000;
	struct hlink_entry_out d, e;
	static unsigned char seen[1000];
	uint64_t cookie = 0;
	int i, total = 0, batches = 0, dup = 0, attrs_ok = 1, eof = 0;
	char name[32];

	make(HLINK_OP_MKDIR, root, "big", S_IFDIR | 0755, 0, &d);
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "entry-%04d", i);
		if (make(HLINK_OP_CREATE, d.handle, name, S_IFREG | 0600, 0, &e) == 0)
			forget(e.handle, 1);
	}
	while (!eof && batches < 1000) {
		struct hlink_readdir_in in = { .dir = d.handle, .cookie = cookie, .max_bytes = 4096 };
		struct hlink_readdir_out *out;
		unsigned char *p;
		uint32_t k;

		begin(HLINK_OP_READDIR);
		put(&in, sizeof(in));
		if (send_req())
			break;
		out = body();
		p = (unsigned char *)(out + 1);
		for (k = 0; k < out->count; k++) {
			struct hlink_dirent *de = (struct hlink_dirent *)p;
			char nm[256];

			memcpy(nm, de + 1, de->name_len);
			nm[de->name_len] = '\0';
			if (sscanf(nm, "entry-%d", &i) == 1 && i >= 0 && i < count) {
				dup += seen[i]++;
				total++;
			}
			if (!S_ISREG(de->attr.mode) || de->type != DT_REG || de->attr.ino == 0)
				attrs_ok = 0;
			p += sizeof(*de) + ((de->name_len + 7) & ~7U);
		}
		cookie = out->next_cookie;
		eof = (int)out->eof;
		batches++;
	}
	CHECK(total == count && dup == 0 && eof, "READDIR lists %d of %d entries once each, in %d batches",
	      total, count, batches);
	CHECK(batches > 5, "READDIR works in batches bounded by max_bytes");
	CHECK(attrs_ok, "READDIR entries carry type and attributes");
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "entry-%04d", i);
		name_op(HLINK_OP_UNLINK, d.handle, name);
	}
	name_op(HLINK_OP_RMDIR, root, "big");
}

/*
 * Names of every length from 1 to 255 bytes, listed in batches of several
 * sizes: each batch ends where the reply is full, and the next starts at its
 * cookie, whatever the lengths around the cut.
 */
static void t_readdir_lengths(void)
{
	static const uint32_t sizes[] = { 512, 700, 4096, 16384 };
	struct hlink_entry_out d, e;
	char name[256];
	size_t z;
	int n;

	make(HLINK_OP_MKDIR, root, "lengths", S_IFDIR | 0755, 0, &d);
	for (n = 1; n <= 255; n++) {
		memset(name, 'a' + n % 26, (size_t)n);
		name[n] = '\0';
		if (make(HLINK_OP_CREATE, d.handle, name, S_IFREG | 0600, 0, &e) == 0)
			forget(e.handle, 1);
	}
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		unsigned char seen[256] = { 0 };
		uint64_t cookie = 0;
		int total = 0, dup = 0, bad = 0, batches = 0, eof = 0, err = 0;

		while (!eof && !err && batches < 2000) {
			struct hlink_readdir_in in = { .dir = d.handle, .cookie = cookie,
						       .max_bytes = sizes[z] };
			struct hlink_readdir_out *out;
			unsigned char *p;
			uint32_t k;

			begin(HLINK_OP_READDIR);
			put(&in, sizeof(in));
			err = send_req();
			if (err)
				break;
			out = body();
			p = (unsigned char *)(out + 1);
			for (k = 0; k < out->count; k++) {
				struct hlink_dirent *de = (struct hlink_dirent *)p;
				const char *nm = (const char *)(de + 1);

				if (de->name_len == 0 || de->name_len > 255 ||
				    nm[0] != 'a' + (int)de->name_len % 26)
					bad++;
				else
					dup += seen[de->name_len]++;
				total++;
				p += sizeof(*de) + ((de->name_len + 7) & ~7U);
			}
			cookie = out->next_cookie;
			eof = (int)out->eof;
			batches++;
		}
		CHECK(!err && eof && total == 255 && !dup && !bad,
		      "READDIR with max_bytes %u lists names of 1 to 255 bytes once each "
		      "(%d listed, %d twice, %d malformed, %d batches, %d)",
		      sizes[z], total, dup, bad, batches, err);
	}
	for (n = 1; n <= 255; n++) {
		memset(name, 'a' + n % 26, (size_t)n);
		name[n] = '\0';
		name_op(HLINK_OP_UNLINK, d.handle, name);
	}
	name_op(HLINK_OP_RMDIR, root, "lengths");
}

/*
 * READDIR_PLUS: every entry carries the handle and attributes LOOKUP gives,
 * with one lookup reference the caller now holds.
 */
static void t_readdir_plus(void)
{
	const int count = 300;
	struct hlink_entry_out d, e, l;
	uint64_t cookie = 0;
	int i, total = 0, batches = 0, same = 1, refs = 1, eof = 0;
	char name[32];

	make(HLINK_OP_MKDIR, root, "plus", S_IFDIR | 0755, 0, &d);
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), i % 10 ? "file-%04d" : "dir-%04d", i);
		if (make(i % 10 ? HLINK_OP_CREATE : HLINK_OP_MKDIR, d.handle, name,
			 i % 10 ? S_IFREG | 0600 : S_IFDIR | 0700, 0, &e) == 0)
			forget(e.handle, 1);
	}
	while (!eof && batches < 1000) {
		struct hlink_readdir_in in = { .dir = d.handle, .cookie = cookie, .max_bytes = 4096,
					       .flags = HLINK_READDIR_PLUS };
		static unsigned char copy[sizeof(rep)];
		struct hlink_readdir_out *out;
		unsigned char *p;
		uint32_t k;

		begin(HLINK_OP_READDIR);
		put(&in, sizeof(in));
		if (send_req())
			break;
		/* LOOKUP and FORGET below reuse the reply buffer. */
		memcpy(copy, body(), sizeof(copy) - sizeof(struct hlink_rep_hdr));
		out = (struct hlink_readdir_out *)copy;
		p = (unsigned char *)(out + 1);
		for (k = 0; k < out->count; k++) {
			struct hlink_dirent *de = (struct hlink_dirent *)p;
			struct hlink_handle h;
			char nm[256];

			memcpy(&h, de + 1, sizeof(h));
			memcpy(nm, (char *)(de + 1) + sizeof(h), de->name_len);
			nm[de->name_len] = '\0';
			total++;
			/* The same file, handle and attributes as LOOKUP gives. */
			if (lookup(d.handle, nm, &l) || h.gen == 0 || h.ino != l.handle.ino ||
			    h.gen != l.handle.gen || h.sbid != l.handle.sbid ||
			    de->attr.mode != l.attr.mode || de->attr.ino != l.attr.ino ||
			    de->type != (S_ISDIR(l.attr.mode) ? DT_DIR : DT_REG))
				same = 0;
			/* Two references now (READDIR's and LOOKUP's), and no third. */
			if (forget(h, 2) || forget(h, 1) != -ESTALE)
				refs = 0;
			p += sizeof(*de) + sizeof(h) + ((de->name_len + 7) & ~7U);
		}
		cookie = out->next_cookie;
		eof = (int)out->eof;
		batches++;
	}
	CHECK(total == count && eof && batches > 5,
	      "READDIR_PLUS lists %d of %d entries in %d batches", total, count, batches);
	CHECK(same, "READDIR_PLUS gives each entry the handle, type and attributes LOOKUP gives");
	CHECK(refs, "READDIR_PLUS gives the caller exactly one lookup reference per entry");
	{
		struct hlink_readdir_in in = { .dir = d.handle, .max_bytes = 4096, .flags = 2 };

		begin(HLINK_OP_READDIR);
		put(&in, sizeof(in));
		CHECK(send_req() == -EINVAL, "READDIR with an unknown flag gives EINVAL");
		in.flags = HLINK_READDIR_PLUS;
		in.max_bytes = sizeof(struct hlink_dirent) + 8;
		begin(HLINK_OP_READDIR);
		put(&in, sizeof(in));
		CHECK(send_req() == -EINVAL,
		      "READDIR_PLUS with no room for one entry and its handle gives EINVAL");
	}
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), i % 10 ? "file-%04d" : "dir-%04d", i);
		name_op(i % 10 ? HLINK_OP_UNLINK : HLINK_OP_RMDIR, d.handle, name);
	}
	forget(d.handle, 1);
	name_op(HLINK_OP_RMDIR, root, "plus");
}

static void t_confinement(void)
{
	struct hlink_entry_out e, r;
	struct hlink_handle forged;
	char p[4200], buf[16];
	uint32_t n;
	struct stat st;
	int err;

	err = lookup(root, "..", &r);
	CHECK(err == 0 && r.handle.ino == root.ino && r.handle.gen == root.gen,
	      "'..' of the export root is the root");
	confine("LOOKUP '..' of the export root", err ? answer(err) :
		r.handle.ino == root.ino ? "the root itself" : "ESCAPED", "%s", "");
	err = lookup(root, "a/b", NULL);
	CHECK(make(HLINK_OP_CREATE, root, "a/b", S_IFREG | 0600, 0, NULL) == -EINVAL &&
	      err == -EINVAL, "names with '/' are refused");
	confine("a name with '/' (LOOKUP, CREATE)", answer(err), "%s", "");
	CHECK(make(HLINK_OP_CREATE, root, "..", S_IFREG | 0600, 0, NULL) == -EINVAL &&
	      make(HLINK_OP_MKDIR, root, ".", S_IFDIR | 0700, 0, NULL) == -EINVAL &&
	      name_op(HLINK_OP_UNLINK, root, "..") == -EINVAL &&
	      rename_op(root, "..", root, "x", 0) == -EINVAL, "'.' and '..' are refused where not meant");
	{
		struct hlink_name_in in = { .dir = root, .name_len = 3 };

		begin(HLINK_OP_LOOKUP);
		put(&in, sizeof(in));
		put("a\0b", 3);
		CHECK(send_req() == -EINVAL, "names with NUL are refused");
	}

	/* A symlink planted on the host, pointing out of the export. */
	host_path(p, sizeof(p), "escape");
	CHECK(symlink("/etc", p) == 0, "plant a symlink to /etc on the host");
	err = lookup(root, "escape", &e);
	CHECK(err == 0 && S_ISLNK(e.attr.mode), "LOOKUP of it returns the symlink itself");
	confine("LOOKUP of a symlink to /etc planted on the host", err ? answer(err) :
		S_ISLNK(e.attr.mode) ? "the symlink itself, not followed" : "FOLLOWED", "%s", "");
	err = lookup(e.handle, "passwd", NULL);
	CHECK(make(HLINK_OP_CREATE, e.handle, "passwd", S_IFREG | 0600, 0, NULL) == -ENOTDIR &&
	      err == -ENOTDIR, "it cannot be used as a directory");
	confine("the planted symlink used as a directory (LOOKUP, CREATE in it)", answer(err),
		"%s", "");
	CHECK(make(HLINK_OP_CREATE, root, "escape", S_IFREG | 0600, 0, NULL) != 0,
	      "CREATE through the planted symlink does not follow it");
	err = io(HLINK_OP_WRITE, e.handle, 0, "x", 1, &n);
	CHECK(err == -EINVAL, "WRITE through it is refused");
	confine("WRITE to the planted symlink's handle", answer(err), "%s", "");
	host_path(p, sizeof(p), "escape");
	unlink(p);

	/* Forged and stale handles never reach a file. */
	stat("/etc/passwd", &st);
	forged = (struct hlink_handle){ .ino = st.st_ino, .sbid = root.sbid, .gen = root.gen };
	err = getattr(forged, NULL);
	CHECK(err == -ESTALE, "a handle with a host inode this module never issued");
	confine("a forged handle: the host inode of /etc/passwd", answer(err), "%s", "");
	forged = (struct hlink_handle){ .ino = root.ino, .sbid = root.sbid, .gen = root.gen + 1000 };
	err = getattr(forged, NULL);
	CHECK(err == -ESTALE, "a handle with the wrong generation");
	confine("a forged handle: a real inode with another generation", answer(err), "%s", "");
	forged = (struct hlink_handle){ .ino = root.ino, .sbid = root.sbid + 7, .gen = root.gen };
	err = getattr(forged, NULL);
	CHECK(err == -ESTALE, "a handle for another export");
	confine("a forged handle: another export's id", answer(err), "%s", "");
	forged = (struct hlink_handle){ .ino = root.ino, .sbid = root.sbid, .gen = 0 };
	CHECK(getattr(forged, NULL) == -ESTALE, "a handle with generation 0");
	forged = (struct hlink_handle){ .ino = st.st_ino, .sbid = root.sbid, .gen = 1 };
	CHECK(rename_op(root, "x", forged, "y", 0) == -ESTALE,
	      "RENAME into a forged directory handle gives ESTALE");
	{
		struct hlink_link_in in = { .handle = forged, .dir = root, .name_len = 6 };

		begin(HLINK_OP_LINK);
		put(&in, sizeof(in));
		put_str("stolen");
		CHECK(send_req() == -ESTALE && lookup(root, "stolen", NULL) == -ENOENT,
		      "LINK of a forged handle gives ESTALE and no name");
	}
	CHECK(io(HLINK_OP_READ, forged, 0, buf, sizeof(buf), &n) == -ESTALE, "READ of a forged handle");

	/* Another file system mounted inside the export is not entered. */
	host_path(p, sizeof(p), "submount");
	mkdir(p, 0755);
	if (mount("none", p, "tmpfs", 0, "size=1m") == 0) {
		err = lookup(root, "submount", NULL);
		CHECK(err == -EXDEV, "LOOKUP of a file system mounted inside the export gives EXDEV (%d)",
		      err);
		confine("LOOKUP of a file system mounted inside the export", answer(err), "%s", "");
		umount(p);
	} else {
		printf("ok - # skip: cannot mount a tmpfs here (%s)\n", strerror(errno));
	}
	rmdir(p);

	/*
	 * On btrfs, a subvolume inside the export has its own device number and
	 * the same inode numbers as the export's (256 is every subvolume's
	 * root): it is not entered, and the export's root does not go stale.
	 */
	{
		struct statfs sf;

		if (statfs(export_dir, &sf) == 0 && sf.f_type == BTRFS_SUPER_MAGIC) {
			struct btrfs_ioctl_vol_args va = { .fd = 0 };
			int dfd = open(export_dir, O_RDONLY | O_DIRECTORY);

			strcpy(va.name, "subvol");
			err = dfd >= 0 ? ioctl(dfd, BTRFS_IOC_SUBVOL_CREATE, &va) : -1;
			CHECK(err == 0, "a btrfs subvolume made inside the export (%s)",
			      err ? strerror(errno) : "made");
			err = lookup(root, "subvol", NULL);
			CHECK(err == -EXDEV && getattr(root, NULL) == 0,
			      "LOOKUP of a btrfs subvolume gives EXDEV; the export root stays valid (%d)",
			      err);
			confine("LOOKUP of a btrfs subvolume inside the export", answer(err), "%s", "");
			if (dfd >= 0) {
				ioctl(dfd, BTRFS_IOC_SNAP_DESTROY, &va);
				close(dfd);
			}
		}
	}

	/* A file deleted on the host behind the guest's back goes stale. */
	make(HLINK_OP_CREATE, root, "hostgone", S_IFREG | 0600, 0, &e);
	release(e.handle);
	host_path(p, sizeof(p), "hostgone");
	unlink(p);
	err = getattr(e.handle, NULL);
	CHECK(err == -ESTALE, "a handle whose file was deleted on the host is stale");
	confine("a stale handle: its file deleted on the host", answer(err), "%s", "");
}

/*
 * A host user who can write in the export races every create: as soon as
 * the new name appears it is swapped for a symlink to a file of the host's.
 * Nothing the module does after creating may reach that file (a chmod or
 * chown by name would follow the symlink, as root).
 */
static volatile int race_stop;
static char race_name[4200], race_victim[4200];

static void *race_swapper(void *arg)
{
	char tmp[4300];
	long *swaps = arg;

	snprintf(tmp, sizeof(tmp), "%s.tmp", race_name);
	while (!race_stop) {
		unlink(tmp);
		if (symlink(race_victim, tmp))
			continue;
		/* A new directory cannot be renamed over: remove it first. */
		if (rename(tmp, race_name) == 0 ||
		    (rmdir(race_name) == 0 && rename(tmp, race_name) == 0))
			(*swaps)++;
	}
	unlink(tmp);
	return NULL;
}

static void t_create_races(void)
{
	static const struct { uint32_t op, mode; const char *what; } kinds[] = {
		{ HLINK_OP_MKDIR, S_IFDIR | 0777, "MKDIR" },
		{ HLINK_OP_MKNOD, S_IFIFO | 0666, "MKNOD (FIFO)" },
		{ HLINK_OP_CREATE, S_IFREG | 06777, "CREATE" },
		{ HLINK_OP_SYMLINK, 0, "SYMLINK" },
	};
	struct stat st;
	unsigned int k;

	host_path(race_victim, sizeof(race_victim), "race-victim");
	host_path(race_name, sizeof(race_name), "race");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct hlink_entry_out e;
		pthread_t t;
		long swaps = 0, made = 0, i;
		time_t end = time(NULL) + 3;
		int fd = open(race_victim, O_CREAT | O_WRONLY | O_TRUNC, 0600);

		close(fd);
		chmod(race_victim, 0600);
		chown(race_victim, 0, 0);
		race_stop = 0;
		pthread_create(&t, NULL, race_swapper, &swaps);
		for (i = 0; i < 20000 && time(NULL) < end; i++) {
			int err;

			if (kinds[k].op == HLINK_OP_SYMLINK) {
				err = symlink_as(root, "race", "target", 1234, 5678, &e);
			} else {
				err = make(kinds[k].op, root, "race", kinds[k].mode, 0, &e);
			}
			if (!err) {
				made++;
				forget(e.handle, 1);
			}
			name_op(S_ISDIR(kinds[k].mode) ? HLINK_OP_RMDIR : HLINK_OP_UNLINK, root, "race");
		}
		race_stop = 1;
		pthread_join(t, NULL);
		unlink(race_name);
		rmdir(race_name);
		memset(&st, 0, sizeof(st));
		stat(race_victim, &st);
		{
			char what[128];

			snprintf(what, sizeof(what), "%s raced by a host thread swapping the new "
				 "name for a symlink to a root-owned file", kinds[k].what);
			confine(what, (st.st_mode & 07777) == 0600 && st.st_uid == 0 &&
				st.st_gid == 0 ? "target untouched" : "TARGET CHANGED",
				"%ld tries, %ld swaps", i, swaps);
		}
		CHECK((st.st_mode & 07777) == 0600 && st.st_uid == 0 && st.st_gid == 0,
		      "%s raced by a host symlink swap: the host file is untouched "
		      "(%ld tries, %ld created, %ld swaps; mode %o, owner %u:%u)", kinds[k].what, i,
		      made, swaps, (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
		      (unsigned int)st.st_gid);
	}
	unlink(race_victim);
}

/*
 * Names resolved once. A host user swaps a name between two files of other
 * types (both kept alive by other links) while the guest looks it up: the
 * type LOOKUP reports must be the type of the file its handle names (a
 * handle taken by name after a stat of the name could name a FIFO or device
 * reported as a regular file). And a directory being exported is swapped
 * with a symlink out of the allowed tree while MOUNT runs: the export's
 * root must never be the directory outside.
 */
static volatile int swap_stop;
static char swap_name[4200], swap_a[4200], swap_b[4200], swap_target[4300];

static void *name_swapper(void *arg)
{
	char tmp[4300];
	long *swaps = arg;
	int which = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", swap_name);
	while (!swap_stop) {
		const char *src = which ? swap_b : swap_a;
		struct stat st;

		unlink(tmp);
		rmdir(tmp);
		/* Files are hard-linked in; a directory is renamed back and forth. */
		if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
			rmdir(swap_name);
			unlink(swap_name);
			if (rename(src, swap_name) == 0) {
				(*swaps)++;
				while (!swap_stop && rename(swap_name, src))
					;
			}
		} else if ((S_ISLNK(st.st_mode) ? symlink(swap_target, tmp) : link(src, tmp)) == 0 &&
			   rename(tmp, swap_name) == 0) {
			(*swaps)++;
		}
		which ^= 1;
	}
	unlink(tmp);
	return NULL;
}

static void t_name_races(void)
{
	char outside[4200];
	struct stat st, in_st, root_st;
	pthread_t t;
	long swaps = 0, tries = 0, bad = 0, seen = 0;
	time_t end;

	/* LOOKUP against a regular file swapped with a FIFO. */
	host_path(swap_name, sizeof(swap_name), "swap");
	host_path(swap_a, sizeof(swap_a), "swap-reg");
	host_path(swap_b, sizeof(swap_b), "swap-fifo");
	close(open(swap_a, O_CREAT | O_WRONLY, 0644));
	mkfifo(swap_b, 0644);
	swap_stop = 0;
	pthread_create(&t, NULL, name_swapper, &swaps);
	for (end = time(NULL) + 2; time(NULL) < end; tries++) {
		struct hlink_entry_out e;
		struct hlink_attr a;
		int err;

		if (lookup(root, "swap", &e))
			continue;
		seen++;
		err = getattr(e.handle, &a);
		if (err || (a.mode & S_IFMT) != (e.attr.mode & S_IFMT))
			bad++;
		forget(e.handle, 1);
	}
	swap_stop = 1;
	pthread_join(t, NULL);
	confine("LOOKUP raced by a host thread swapping a file and a FIFO",
		bad ? "HANDLE OF ANOTHER TYPE" : "every handle of the type reported",
		"%ld tries, %ld swaps", tries, swaps);
	CHECK(bad == 0 && seen > 0, "LOOKUP raced by a host swap of a file and a FIFO: every handle is "
	      "of the type reported (%ld tries, %ld found, %ld swaps, %ld wrong)", tries, seen, swaps,
	      bad);
	unlink(swap_name);
	unlink(swap_a);
	unlink(swap_b);

	/* MOUNT of a directory swapped with a symlink out of the allowed tree. */
	if (kmod_fd >= 0)
		return;	/* hlink.ko resolves the path to a (mount, dentry) once */
	snprintf(outside, sizeof(outside), "%s.outside", export_dir);
	snprintf(swap_target, sizeof(swap_target), "%s", outside);
	mkdir(outside, 0755);
	host_path(swap_name, sizeof(swap_name), "mnt");
	host_path(swap_a, sizeof(swap_a), "mnt-dir");
	host_path(swap_b, sizeof(swap_b), "mnt-link");
	mkdir(swap_a, 0755);
	symlink(swap_target, swap_b);
	lstat(swap_a, &in_st);
	stat(export_dir, &root_st);
	swaps = tries = bad = seen = 0;
	swap_stop = 0;
	pthread_create(&t, NULL, name_swapper, &swaps);
	for (end = time(NULL) + 2; time(NULL) < end; tries++) {
		struct hlink_mount_in mi = { .path_len = (uint32_t)strlen(swap_name) };
		struct hlink_entry_out *e;
		struct hlink_umount_in ui = { 0 };

		begin(HLINK_OP_MOUNT);
		put(&mi, sizeof(mi));
		put_str(swap_name);
		if (send_req())
			continue;
		e = body();
		seen++;
		/*
		 * Inside is the swapped directory or, rarely, the export root
		 * itself (a path walk racing the swaps on btrfs resolves there);
		 * anything else is outside the allowed tree.
		 */
		if (e->attr.ino != (uint64_t)in_st.st_ino && e->attr.ino != (uint64_t)root_st.st_ino)
			bad++;
		ui.sbid = e->handle.sbid;
		begin(HLINK_OP_UMOUNT);
		put(&ui, sizeof(ui));
		send_req();
	}
	swap_stop = 1;
	pthread_join(t, NULL);
	memset(&st, 0, sizeof(st));
	stat(outside, &st);
	confine("MOUNT raced by a host thread swapping the directory with a symlink out",
		bad ? "ROOT OUTSIDE" : "root never outside", "%ld tries, %ld swaps", tries, swaps);
	CHECK(bad == 0 && seen > 0, "MOUNT raced by a host swap of the directory with a symlink out: "
	      "the export root is never outside (%ld tries, %ld mounted, %ld swaps, %ld outside)",
	      tries, seen, swaps, bad);
	unlink(swap_name);
	rmdir(swap_name);
	unlink(swap_b);
	rmdir(swap_a);
	rmdir(outside);
}

/*
 * '..' resolved once: a host thread moves directory b between a (in the
 * export) and a directory outside it while the guest looks up b's '..'.
 * The answer must be a, which the guest holds, or ESTALE: never a handle for
 * the directory outside.
 */
static volatile int dotdot_stop;
static char dotdot_in[4200], dotdot_out[4300];

static void *dotdot_mover(void *arg)
{
	long *moves = arg;

	while (!dotdot_stop) {
		if (rename(dotdot_in, dotdot_out) == 0) {
			(*moves)++;
			while (rename(dotdot_out, dotdot_in))
				;
		}
	}
	return NULL;
}

/*
 * '..' is a directory the guest holds only if it is that directory, not one
 * with its inode number: the guest holds A, the host removes A, a directory
 * outside the export takes A's number, and the host moves C into it.
 */
static void t_dotdot_reuse(void)
{
	struct hlink_entry_out a, c, r;
	char pa[4200], pc[4200], out[4300], q[4400], moved[4500];
	struct stat st;
	int i, hit = -1, err;

	if (make(HLINK_OP_MKDIR, root, "ddr-a", S_IFDIR | 0755, 0, &a) ||
	    make(HLINK_OP_MKDIR, root, "ddr-c", S_IFDIR | 0755, 0, &c)) {
		CHECK(0, "make the directories for the '..' reuse check");
		return;
	}
	host_path(pa, sizeof(pa), "ddr-a");
	host_path(pc, sizeof(pc), "ddr-c");
	snprintf(out, sizeof(out), "%s.outside-reuse", export_dir);
	mkdir(out, 0755);
	rmdir(pa);
	for (i = 0; i < 2000 && hit < 0; i++) {
		snprintf(q, sizeof(q), "%s/o%d", out, i);
		if (mkdir(q, 0755) || stat(q, &st))
			break;
		if (st.st_ino == a.attr.ino)
			hit = i;
	}
	if (hit < 0) {
		printf("ok - # skip: the host did not reuse directory inode %llu in %d mkdirs\n",
		       (unsigned long long)a.attr.ino, i);
	} else {
		snprintf(q, sizeof(q), "%s/o%d", out, hit);
		snprintf(moved, sizeof(moved), "%s/ddr-c", q);
		if (rename(pc, moved)) {
			CHECK(0, "move a held directory out of the export (%s)", strerror(errno));
		} else {
			err = lookup(c.handle, "..", &r);
			CHECK(err == -ESTALE, "LOOKUP '..' of a held directory moved into one outside "
			      "the export that took the inode number of another held directory gives "
			      "ESTALE (%d, number reused after %d mkdirs)", err, hit + 1);
			if (!err)
				forget(r.handle, 1);
			rename(moved, pc);
		}
	}
	forget(a.handle, 1);
	forget(c.handle, 1);
	name_op(HLINK_OP_RMDIR, root, "ddr-c");
	while (i-- > 0) {
		snprintf(q, sizeof(q), "%s/o%d", out, i);
		rmdir(q);
	}
	rmdir(out);
}

/*
 * Without birth times a directory, symlink or device node is made by name
 * only where no other host user can rename an entry onto that name: in a
 * directory of root's, the module's or the maker's (uid 1234 here, a
 * passthrough export), writable by no one else unless sticky.
 */
static void t_no_btime_makes(void)
{
	static const struct { const char *dir; mode_t mode; uid_t uid; int open; } dirs[] = {
		{ "nb-open", 0777, 0, 1 }, { "nb-group", 0775, 0, 1 },
		{ "nb-other", 0755, 4321, 1 }, { "nb-sticky", 01777, 0, 0 },
		{ "nb-closed", 0755, 0, 0 }, { "nb-maker", 0755, 1234, 0 },
	};
	struct statx stx;
	size_t k;
	int no_btime = !statx(AT_FDCWD, export_dir, 0, STATX_BTIME, &stx) &&
		       !(stx.stx_mask & STATX_BTIME);

	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		struct hlink_entry_out d, n;
		char p[4200];
		int e1, e2, e3, want;

		host_path(p, sizeof(p), dirs[k].dir);
		mkdir(p, 0755);
		if (chown(p, dirs[k].uid, 0) || chmod(p, dirs[k].mode) || lookup(root, dirs[k].dir, &d)) {
			CHECK(0, "set up and LOOKUP %s", dirs[k].dir);
			continue;
		}
		e1 = make(HLINK_OP_MKDIR, d.handle, "d", S_IFDIR | 0755, 0, &n);
		if (!e1)
			forget(n.handle, 1);
		e2 = symlink_as(d.handle, "l", "t", 1234, 5678, &n);
		if (!e2)
			forget(n.handle, 1);
		e3 = make(HLINK_OP_MKNOD, d.handle, "f", S_IFIFO | 0644, 0, &n);
		if (!e3)
			forget(n.handle, 1);
		want = no_btime && dirs[k].open ? -EPERM : 0;
		CHECK(e1 == want && e2 == want && e3 == want,
		      "%s: MKDIR, SYMLINK and MKNOD (FIFO) in a %04o directory of uid %u: %d %d %d "
		      "(want %d)", no_btime ? "no birth times" : "birth times",
		      (unsigned int)dirs[k].mode, (unsigned int)dirs[k].uid, e1, e2, e3, want);
		name_op(HLINK_OP_RMDIR, d.handle, "d");
		name_op(HLINK_OP_UNLINK, d.handle, "l");
		name_op(HLINK_OP_UNLINK, d.handle, "f");
		forget(d.handle, 1);
		rmdir(p);
	}
}

static void t_dotdot_race(void)
{
	struct hlink_entry_out a, b, r;
	char outside[4200];
	struct stat out_st;
	pthread_t t;
	long moves = 0, tries = 0, bad = 0, seen = 0;
	time_t end;

	snprintf(outside, sizeof(outside), "%s.outside", export_dir);
	mkdir(outside, 0755);
	stat(outside, &out_st);
	if (make(HLINK_OP_MKDIR, root, "dd-a", S_IFDIR | 0755, 0, &a) ||
	    make(HLINK_OP_MKDIR, a.handle, "dd-b", S_IFDIR | 0755, 0, &b)) {
		CHECK(0, "make the directories for the '..' race");
		return;
	}
	host_path(dotdot_in, sizeof(dotdot_in), "dd-a/dd-b");
	snprintf(dotdot_out, sizeof(dotdot_out), "%s/dd-b", outside);
	dotdot_stop = 0;
	pthread_create(&t, NULL, dotdot_mover, &moves);
	for (end = time(NULL) + 2; time(NULL) < end; tries++) {
		if (lookup(b.handle, "..", &r))
			continue;
		seen++;
		if (r.handle.ino != a.handle.ino || r.handle.gen != a.handle.gen)
			bad++;
		forget(r.handle, 1);
	}
	dotdot_stop = 1;
	pthread_join(t, NULL);
	CHECK(bad == 0 && seen > 0, "LOOKUP '..' raced by a host thread moving the directory out of the "
	      "export: always the parent the guest holds (%ld tries, %ld answered, %ld moves, %ld other)",
	      tries, seen, moves, bad);
	confine("LOOKUP '..' raced by a host thread moving the directory out of the export",
		bad ? "HANDLE OUTSIDE" : "the parent held, or ESTALE", "%ld tries, %ld moves", tries,
		moves);
	forget(b.handle, 1);
	name_op(HLINK_OP_RMDIR, a.handle, "dd-b");
	forget(a.handle, 1);
	name_op(HLINK_OP_RMDIR, root, "dd-a");
	rmdir(dotdot_out);
	rmdir(outside);
}

/*
 * Inode-number reuse: a file the guest holds is deleted on the host and new
 * files are made until one gets the same inode number. The old handle must
 * not reach the new file (its data, its attributes).
 */
static void t_ino_reuse(void)
{
	struct hlink_entry_out e;
	char p[4200], q[4300], buf[16];
	struct stat st;
	uint64_t ino;
	uint32_t n;
	int i, hit = -1, gerr, rerr;

	if (make(HLINK_OP_CREATE, root, "reuse", S_IFREG | 0644, HLINK_CREATE_EXCL, &e)) {
		CHECK(0, "CREATE a file for the inode-reuse check");
		return;
	}
	ino = e.attr.ino;
	host_path(p, sizeof(p), "reuse");
	unlink(p);
	for (i = 0; i < 2000 && hit < 0; i++) {
		int fd;

		snprintf(q, sizeof(q), "%s.new%d", p, i);
		fd = open(q, O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			break;
		if (write(fd, "NEWFILE-SECRET", 14) != 14)
			break;
		close(fd);
		if (stat(q, &st) == 0 && st.st_ino == ino)
			hit = i;
	}
	gerr = getattr(e.handle, NULL);
	memset(buf, 0, sizeof(buf));
	rerr = io(HLINK_OP_READ, e.handle, 0, buf, 14, &n);
	if (hit >= 0) {
		CHECK(gerr == -ESTALE && rerr == -ESTALE && strcmp(buf, "NEWFILE-SECRET"),
		      "a handle whose inode number the host gave to a new file is stale "
		      "(GETATTR %d, READ %d)", gerr, rerr);
		confine("an old handle after the host reused its inode number for a new file",
			gerr == -ESTALE && rerr == -ESTALE ? "refused (ESTALE)" : "REACHED THE NEW FILE",
			"number reused after %d creates", hit + 1);
	} else {
		/* hlink.ko holds the inode while the guest holds the handle. */
		printf("ok - # skip: the host did not reuse inode %llu in %d creates\n",
		       (unsigned long long)ino, i);
		confine("an old handle after the host reused its inode number for a new file",
			"number not reused while the guest holds the file", "%d creates", i);
	}
	forget(e.handle, 1);
	while (i-- > 0) {
		snprintf(q, sizeof(q), "%s.new%d", p, i);
		unlink(q);
	}
}

/*
 * A file created with flags and then made immutable on the host. Its
 * attributes can be read and it cannot be written; but one created with
 * CREATE_OPEN, which the guest holds open until its RELEASE, may be written
 * through the host descriptor the create opened where the file system lets
 * a descriptor opened before the flag write (tmpfs does, ext4 does not).
 * After RELEASE no WRITE passes.
 */
static void immutable_write(uint32_t flags)
{
	const char *how = flags & HLINK_CREATE_OPEN ? "CREATE_OPEN" : "CREATE";
	struct hlink_entry_out e;
	struct hlink_attr a;
	char p[4200];
	int err, fd;

	err = make(HLINK_OP_CREATE, root, "immutable", S_IFREG | 0644, flags, &e);
	host_path(p, sizeof(p), "immutable");
	fd = open(p, O_RDWR);
	if (!err && fd >= 0) {
		int fl = FS_IMMUTABLE_FL;
		char byte = 'x';

		if (ioctl(fd, FS_IOC_SETFLAGS, &fl) == 0) {
			int held = (flags & HLINK_CREATE_OPEN) && pwrite(fd, &byte, 1, 0) == 1;
			int gerr = getattr(e.handle, &a), werr, rerr;

			werr = io(HLINK_OP_WRITE, e.handle, 0, &byte, 1, NULL);
			CHECK(gerr == 0 && (werr == -EPERM || (held && werr == 0)),
			      "an immutable file (%s): GETATTR works (%d), WRITE gives EPERM (%d)%s",
			      how, gerr, werr, held ? ", or passes as a host descriptor opened before does" : "");
			rerr = release(e.handle);
			werr = io(HLINK_OP_WRITE, e.handle, 0, &byte, 1, NULL);
			CHECK(rerr == 0 && werr == -EPERM,
			      "an immutable file (%s) after RELEASE: WRITE gives EPERM (%d)", how, werr);
			fl = 0;
			ioctl(fd, FS_IOC_SETFLAGS, &fl);
		} else {
			printf("ok - # skip: the export's file system has no immutable flag (%s)\n",
			       strerror(errno));
		}
	}
	if (fd >= 0)
		close(fd);
	if (!err) {
		forget(e.handle, 1);
		name_op(HLINK_OP_UNLINK, root, "immutable");
	}
}

/* The user-space module's reopens by handle during one WRITE of h, or -1. */
static long write_reopens(struct hlink_handle h)
{
	struct hlink_host_stats a, b;
	char data[16] = "create-open";

	hlink_host_stats(host, &a);
	if (io(HLINK_OP_WRITE, h, 0, data, sizeof(data), NULL))
		return -1;
	hlink_host_stats(host, &b);
	return (long)(b.fd_opens - a.fd_opens);
}

/*
 * CREATE_OPEN: the WRITEs after the create go through the descriptor the
 * create opened (the user-space module counts its reopens by handle), until
 * RELEASE closes it; a plain CREATE keeps none. Counted around the WRITEs
 * alone: a create may reopen its directory, whose slot another file took.
 */
static void t_create_open(void)
{
	struct hlink_entry_out e, x;
	long first, released, plain;

	if (!host)
		return;
	if (make(HLINK_OP_CREATE, root, "co", S_IFREG | 0600,
		 HLINK_CREATE_EXCL | HLINK_CREATE_OPEN, &e)) {
		CHECK(0, "CREATE_OPEN a file");
		return;
	}
	first = write_reopens(e.handle);
	CHECK(first == 0, "CREATE_OPEN: the WRITE after it reopens nothing (%ld reopens)", first);
	released = release(e.handle) ? -1 : write_reopens(e.handle);
	plain = make(HLINK_OP_CREATE, root, "co-plain", S_IFREG | 0600, HLINK_CREATE_EXCL, &x) ?
		-1 : write_reopens(x.handle);
	CHECK(released == 1 && plain == 1,
	      "after RELEASE, and after a plain CREATE, a WRITE reopens the file (%ld and %ld reopens)",
	      released, plain);
	if (plain >= 0) {
		forget(x.handle, 1);
		name_op(HLINK_OP_UNLINK, root, "co-plain");
	}
	forget(e.handle, 1);
	name_op(HLINK_OP_UNLINK, root, "co");
}

/*
 * What the host VFS calls would do for a local process: a regular file made
 * by MKNOD is an ordinary file the host can open (not a special inode), and
 * a new owner clears set-id bits as chown(2) does.
 */
static void t_vfs_semantics(void)
{
	struct hlink_entry_out e;
	struct hlink_setattr_in sa = { 0 };
	struct hlink_attr a;
	struct stat st;
	char p[4200];
	int fd, err;

	err = make(HLINK_OP_MKNOD, root, "mknod-reg", S_IFREG | 0644, 0, &e);
	host_path(p, sizeof(p), "mknod-reg");
	fd = open(p, O_RDWR);
	CHECK(!err && fd >= 0 && write(fd, "x", 1) == 1,
	      "a regular file made by MKNOD opens and writes on the host (%d, %s)", err,
	      fd < 0 ? strerror(errno) : "ok");
	if (fd >= 0)
		close(fd);
	if (!err) {
		forget(e.handle, 1);
		name_op(HLINK_OP_UNLINK, root, "mknod-reg");
	}
	err = make(HLINK_OP_CREATE, root, "setid", S_IFREG | 06755, HLINK_CREATE_EXCL, &e);
	if (!err) {
		sa.handle = e.handle;
		sa.valid = HLINK_SETATTR_UID;
		sa.uid = 4321;
		err = setattr(&sa, &a);
	}
	CHECK(!err && (a.mode & 06000) == 0 && a.uid == 4321,
	      "SETATTR of the owner clears set-id bits, as chown(2) (%d, mode %o)", err,
	      err ? 0 : (unsigned int)(a.mode & 07777));
	confine("SETATTR of a set-id file's owner", err ? answer(err) :
		(a.mode & 06000) ? "SET-ID KEPT" : "set-id bits cleared", "%s", "");
	if (!err) {
		forget(e.handle, 1);
		name_op(HLINK_OP_UNLINK, root, "setid");
	}

	host_path(p, sizeof(p), "hostdev");
	if (mknod(p, S_IFCHR | 0600, makedev(1, 3)) == 0 && lookup(root, "hostdev", &e) == 0) {
		sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_MODE,
						.mode = 0666 };
		err = setattr(&sa, NULL);
		CHECK(err == -EPERM && stat(p, &st) == 0 && (st.st_mode & 0777) == 0600,
		      "SETATTR of the mode of a device node made on the host gives EPERM (%d)", err);
		confine("SETATTR mode 0666 of a device node made on the host", err ? answer(err) :
			stat(p, &st) == 0 && (st.st_mode & 0777) == 0666 ?
			"OPEN: the host device is now 0666" : "device mode unchanged", "%s", "");
		forget(e.handle, 1);
	}
	unlink(p);

	/* An immutable file: its attributes can be read, it cannot be written. */
	immutable_write(HLINK_CREATE_EXCL);
	immutable_write(HLINK_CREATE_EXCL | HLINK_CREATE_OPEN);
}

/* A user-space module whose administrator named no export refuses every MOUNT. */
static void t_no_allowlist(void)
{
	struct hlink_host_opts o = { .fd_slots = 8 };
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
	struct hlink_mount_in mi = { .path_len = (uint32_t)strlen(export_dir) };
	struct hlink_host *saved = host;
	int err;

	if (kmod_fd >= 0)
		return;	/* hlink.ko's allowlist is a load parameter; unset, it denies too */
	o.exports = "/srv,passthrough,nosuch";
	CHECK(!hlink_host_new(&o) && errno == EINVAL,
	      "an allowlist entry with an unknown option: no module is made (EINVAL)");
	o.exports = "/srv,anonuid=4294967295";
	CHECK(!hlink_host_new(&o) && errno == EINVAL, "an anonymous id of (u32)-1 is refused");
	o.exports = "/srv,passthrough:/srv/:/x";
	CHECK(!hlink_host_new(&o) && errno == EINVAL, "a directory named twice in the allowlist is refused");
	o.exports = "/srv::/x";
	CHECK(!hlink_host_new(&o) && errno == EINVAL, "an empty allowlist entry is refused");
	o.exports = NULL;
	host = hlink_host_new(&o);
	if (!host) {
		host = saved;
		CHECK(0, "a second host module could be made");
		return;
	}
	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	send_req();
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str(export_dir);
	err = send_req();
	hlink_host_free(host);
	host = saved;
	CHECK(err == -EACCES, "with no export allowed, MOUNT of any directory gives EACCES (%d)", err);
	confine("MOUNT when the administrator allowed no export", answer(err), "%s", "");
}

/* ---- locks (ABI 1.3) ---- */

static int mount_path(const char *path, struct hlink_mount_out *out);
static char allowlist[6 * 4200];	/* made by make_allowlist (below) */

static int lock_req(struct hlink_handle h, uint64_t owner, uint32_t kind, uint32_t cmd,
		    uint32_t type, uint64_t start, uint64_t end, struct hlink_lock_out *out)
{
	struct hlink_lock_in in = { .handle = h, .owner = owner, .start = start, .end = end,
				    .kind = kind, .cmd = cmd, .type = type };
	int err;

	begin(HLINK_OP_LOCK);
	put(&in, sizeof(in));
	err = send_req();
	if (!err && out)
		memcpy(out, body(), sizeof(*out));
	return err;
}

static int posix_lock(struct hlink_handle h, uint64_t owner, uint32_t type, uint64_t start,
		      uint64_t end)
{
	return lock_req(h, owner, HLINK_LOCK_POSIX, HLINK_LOCK_SET, type, start, end, NULL);
}

static int flock_lock(struct hlink_handle h, uint64_t owner, uint32_t type)
{
	return lock_req(h, owner, HLINK_LOCK_FLOCK, HLINK_LOCK_SET, type, 0, HLINK_LOCK_EOF, NULL);
}

/*
 * What a host process gets when it tries a lock on the export's file rel:
 * 0 (then given up) or -EAGAIN. With hold, a lock it got stays, on the
 * descriptor returned through hold.
 */
static int host_try(const char *rel, int use_flock, int write, off_t start, off_t len, int *hold)
{
	struct flock fl = { .l_type = write ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };
	char p[4200];
	int fd, err;

	host_path(p, sizeof(p), rel);
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (use_flock)
		err = flock(fd, (write ? LOCK_EX : LOCK_SH) | LOCK_NB) ? -errno : 0;
	else
		err = fcntl(fd, F_SETLK, &fl) ? -errno : 0;
	if (err == -EACCES || err == -EWOULDBLOCK)
		err = -EAGAIN;
	if (!err && hold)
		*hold = fd;
	else
		close(fd);
	return err;
}

/* A second client of the host module, made current; *saved keeps the first. */
struct client {
	struct hlink_host *host;
	int kmod_fd;
};

static int client_switch(struct client *to, struct client *saved)
{
	*saved = (struct client){ host, kmod_fd };
	host = to->host;
	kmod_fd = to->kmod_fd;
	return 0;
}

static void t_locks_release(void)
{
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
	struct hlink_host_opts o = { .fd_slots = 8, .exports = allowlist };
	struct client second = { NULL, -1 }, first;
	struct hlink_mount_out m;
	struct hlink_entry_out e;
	int err;

	/* The last FORGET of a handle gives up its locks. */
	if (lookup(root, "locked", &e) == 0) {
		CHECK(posix_lock(e.handle, 7, HLINK_LOCK_WR, 0, HLINK_LOCK_EOF) == 0 &&
		      flock_lock(e.handle, 7, HLINK_LOCK_WR) == 0 &&
		      host_try("locked", 0, 1, 0, 0, NULL) == -EAGAIN &&
		      forget(e.handle, 1) == 0 && host_try("locked", 0, 1, 0, 0, NULL) == 0 &&
		      host_try("locked", 1, 1, 0, 0, NULL) == 0,
		      "LOCK: the last FORGET of the handle gives up its locks");
	}
	/* RELEASE (the guest has no open file left) too. */
	if (lookup(root, "locked", &e) == 0) {
		posix_lock(e.handle, 8, HLINK_LOCK_WR, 0, 9);
		err = release(e.handle);
		CHECK(err == 0 && host_try("locked", 0, 1, 0, 10, NULL) == 0,
		      "LOCK: RELEASE gives up the file's locks (%d)", err);
		forget(e.handle, 1);
	}
	/* A client that goes (a guest killed) gives up everything it held. */
	if (kmod_fd >= 0)
		second.kmod_fd = open(kmod_dev, O_RDWR | O_CLOEXEC);
	else
		second.host = hlink_host_new(&o);
	if (second.kmod_fd < 0 && !second.host) {
		CHECK(0, "a second client could be made");
		return;
	}
	client_switch(&second, &first);
	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	send_req();
	err = mount_path(export_dir, &m);
	if (!err)
		err = lookup(m.root.handle, "locked", &e);
	if (!err)
		err = posix_lock(e.handle, 9, HLINK_LOCK_WR, 0, HLINK_LOCK_EOF);
	if (!err)
		err = flock_lock(e.handle, 9, HLINK_LOCK_WR);
	if (!err) {
		/* The root outlives the guest's references; its locks do not. */
		int dfd = open(export_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		CHECK(flock_lock(m.root.handle, 9, HLINK_LOCK_WR) == 0 &&
		      flock(dfd, LOCK_EX | LOCK_NB) && forget(m.root.handle, 1) == 0 &&
		      flock(dfd, LOCK_EX | LOCK_NB) == 0,
		      "LOCK: the last FORGET of the export's root gives up its locks");
		close(dfd);
	}
	client_switch(&first, &second);
	CHECK(!err && host_try("locked", 0, 0, 0, 0, NULL) == -EAGAIN &&
	      host_try("locked", 1, 0, 0, 0, NULL) == -EAGAIN,
	      "LOCK: a second client's locks exclude a host process (%d)", err);
	if (second.kmod_fd >= 0)
		close(second.kmod_fd);
	hlink_host_free(second.host);
	CHECK(host_try("locked", 0, 1, 0, 0, NULL) == 0 && host_try("locked", 1, 1, 0, 0, NULL) == 0,
	      "LOCK: a client that goes gives up its locks");
}

static void t_locks(void)
{
	struct hlink_entry_out e, l;
	struct hlink_lock_out out;
	unsigned int n;
	int err, hold = -1;

	if (make(HLINK_OP_CREATE, root, "locked", S_IFREG | 0644, HLINK_CREATE_EXCL, &e)) {
		CHECK(0, "CREATE a file to lock");
		return;
	}
	/* Byte ranges: owners of the guest, and host processes, exclude each other. */
	CHECK(posix_lock(e.handle, 1, HLINK_LOCK_WR, 0, 99) == 0, "LOCK: a write lock on [0, 99]");
	CHECK(posix_lock(e.handle, 2, HLINK_LOCK_WR, 50, 60) == -EAGAIN,
	      "LOCK: another owner's write lock on [50, 60] gives EAGAIN");
	err = lock_req(e.handle, 2, HLINK_LOCK_POSIX, HLINK_LOCK_TEST, HLINK_LOCK_WR, 50, 60, &out);
	CHECK(err == 0 && out.type == HLINK_LOCK_WR && out.start == 0 && out.end == 99,
	      "LOCK TEST names the conflicting lock (%d: type %u [%llu, %llu])", err, out.type,
	      (unsigned long long)out.start, (unsigned long long)out.end);
	err = lock_req(e.handle, 1, HLINK_LOCK_POSIX, HLINK_LOCK_TEST, HLINK_LOCK_WR, 50, 60, &out);
	CHECK(err == 0 && out.type == HLINK_LOCK_UN, "LOCK TEST does not report the owner's own lock");
	CHECK(host_try("locked", 0, 1, 10, 1, NULL) == -EAGAIN &&
	      host_try("locked", 0, 1, 100, 10, NULL) == 0,
	      "LOCK: a host process's fcntl lock conflicts inside the range only");
	CHECK(posix_lock(e.handle, 1, HLINK_LOCK_UN, 0, 49) == 0 &&
	      posix_lock(e.handle, 2, HLINK_LOCK_WR, 10, 20) == 0 &&
	      posix_lock(e.handle, 2, HLINK_LOCK_WR, 50, 50) == -EAGAIN,
	      "LOCK: unlocking part of a range frees that part only");
	CHECK(posix_lock(e.handle, 1, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0 &&
	      posix_lock(e.handle, 2, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0 &&
	      host_try("locked", 0, 1, 0, 0, NULL) == 0,
	      "LOCK: unlocking everything leaves nothing held");
	CHECK(posix_lock(e.handle, 1, HLINK_LOCK_RD, 0, HLINK_LOCK_EOF) == 0 &&
	      posix_lock(e.handle, 2, HLINK_LOCK_RD, 0, HLINK_LOCK_EOF) == 0 &&
	      host_try("locked", 0, 0, 0, 0, NULL) == 0 &&
	      host_try("locked", 0, 1, 0, 0, NULL) == -EAGAIN &&
	      posix_lock(e.handle, 3, HLINK_LOCK_WR, 5, 5) == -EAGAIN,
	      "LOCK: read locks share, a write lock waits for all of them");
	posix_lock(e.handle, 1, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF);
	posix_lock(e.handle, 2, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF);
	CHECK(host_try("locked", 0, 1, 0, 0, &hold) == 0 &&
	      posix_lock(e.handle, 4, HLINK_LOCK_RD, 0, 0) == -EAGAIN,
	      "LOCK: a host process's write lock excludes the guest");
	if (hold >= 0)
		close(hold);
	CHECK(posix_lock(e.handle, 4, HLINK_LOCK_WR, 0, 0) == 0 &&
	      posix_lock(e.handle, 4, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0,
	      "LOCK: the guest gets it once the host process lets go");

	/* flock: whole file, independent of byte-range locks, as on Linux. */
	CHECK(flock_lock(e.handle, 1, HLINK_LOCK_WR) == 0 &&
	      flock_lock(e.handle, 2, HLINK_LOCK_RD) == -EAGAIN &&
	      host_try("locked", 1, 0, 0, 0, NULL) == -EAGAIN,
	      "LOCK flock: an exclusive lock excludes other owners and host processes");
	CHECK(posix_lock(e.handle, 5, HLINK_LOCK_WR, 0, HLINK_LOCK_EOF) == 0 &&
	      posix_lock(e.handle, 5, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0,
	      "LOCK: flock and byte-range locks do not conflict");
	CHECK(flock_lock(e.handle, 1, HLINK_LOCK_RD) == 0 &&
	      flock_lock(e.handle, 2, HLINK_LOCK_RD) == 0 &&
	      host_try("locked", 1, 1, 0, 0, NULL) == -EAGAIN,
	      "LOCK flock: a lock changes to shared, and shared locks share");
	CHECK(flock_lock(e.handle, 1, HLINK_LOCK_UN) == 0 && flock_lock(e.handle, 2, HLINK_LOCK_UN) == 0 &&
	      host_try("locked", 1, 1, 0, 0, &hold) == 0 &&
	      flock_lock(e.handle, 3, HLINK_LOCK_RD) == -EAGAIN,
	      "LOCK flock: a host process's flock excludes the guest");
	close(hold);
	CHECK(flock_lock(root, 1, HLINK_LOCK_WR) == 0 && flock_lock(root, 1, HLINK_LOCK_UN) == 0,
	      "LOCK flock on a directory");
	CHECK(posix_lock(root, 1, HLINK_LOCK_WR, 0, 0) == -EBADF &&
	      posix_lock(root, 1, HLINK_LOCK_RD, 0, 0) == 0 &&
	      posix_lock(root, 1, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0,
	      "LOCK: a write lock on a directory gives EBADF (as fcntl: not open for writing)");

	/* A guest may not hold host files without bound. */
	for (n = 0; n < 5000; n++) {
		err = posix_lock(e.handle, 1000 + n, HLINK_LOCK_RD, 0, 0);
		if (err)
			break;
	}
	CHECK(err == -ENOLCK && n >= 16, "LOCK: owners past the limit get ENOLCK (after %u: %d)",
	      n, err);
	while (n-- > 0)
		posix_lock(e.handle, 1000 + n, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF);
	CHECK(posix_lock(e.handle, 999, HLINK_LOCK_RD, 0, 0) == 0 &&
	      posix_lock(e.handle, 999, HLINK_LOCK_UN, 0, HLINK_LOCK_EOF) == 0,
	      "LOCK: owners that let go free their places");

	/* Malformed requests. */
	CHECK(lock_req(e.handle, 1, 2, HLINK_LOCK_SET, HLINK_LOCK_WR, 0, 1, NULL) == -EINVAL &&
	      lock_req(e.handle, 1, 0, 2, HLINK_LOCK_WR, 0, 1, NULL) == -EINVAL &&
	      lock_req(e.handle, 1, 0, HLINK_LOCK_SET, 3, 0, 1, NULL) == -EINVAL &&
	      posix_lock(e.handle, 1, HLINK_LOCK_WR, 5, 4) == -EINVAL &&
	      posix_lock(e.handle, 1, HLINK_LOCK_WR, 0, HLINK_LOCK_EOF + 1) == -EINVAL &&
	      lock_req(e.handle, 1, 0, HLINK_LOCK_TEST, HLINK_LOCK_UN, 0, 1, NULL) == -EINVAL &&
	      lock_req(e.handle, 1, 1, HLINK_LOCK_TEST, HLINK_LOCK_WR, 0, HLINK_LOCK_EOF, NULL) ==
	      -EINVAL &&
	      lock_req(e.handle, 1, 1, HLINK_LOCK_SET, HLINK_LOCK_WR, 1, HLINK_LOCK_EOF, NULL) ==
	      -EINVAL,
	      "LOCK: unknown kind, command or type, a bad range, TEST of nothing, flock of a range: EINVAL");
	if (symlink_as(root, "lock-link", "locked", 7, 8, &l) == 0) {
		CHECK(posix_lock(l.handle, 1, HLINK_LOCK_WR, 0, 0) == -EINVAL,
		      "LOCK of a symlink gives EINVAL");
		forget(l.handle, 1);
	}
	forget(e.handle, 1);
	l.handle = e.handle;
	CHECK(posix_lock(l.handle, 1, HLINK_LOCK_WR, 0, 0) == -ESTALE,
	      "LOCK of a forgotten handle gives ESTALE");
	t_locks_release();
}

static void t_malformed(void)
{
	struct hlink_req_hdr h = { .opcode = HLINK_OP_GETATTR };
	struct hlink_name_in in = { .dir = root, .name_len = UINT32_MAX };
	long n;

	begin(HLINK_OP_GETATTR);
	CHECK(send_req() == -EINVAL, "a request shorter than its op's struct");
	begin(HLINK_OP_GETATTR);
	put(&root, sizeof(root));
	((struct hlink_req_hdr *)req)->len = 9999;
	CHECK(send_raw(0) == -EINVAL, "a header length that disagrees with the bytes sent");
	begin(HLINK_OP_COUNT + 5);
	put(&root, sizeof(root));
	CHECK(send_req() == -EOPNOTSUPP, "an unknown opcode gives EOPNOTSUPP");
	begin(0);
	put(&root, sizeof(root));
	CHECK(send_req() == -EOPNOTSUPP, "opcode 0 gives EOPNOTSUPP");
	req_len = 4;
	memcpy(req, &h, 4);
	CHECK(send_raw(0) == -EINVAL, "a request shorter than a header");
	begin(HLINK_OP_LOOKUP);
	put(&in, sizeof(in));
	put_str("abc");
	CHECK(send_req() == -EINVAL, "a name length that overflows the request");
	in.name_len = 3;
	begin(HLINK_OP_LOOKUP);
	put(&in, sizeof(in));
	put_str("abcTRAILING");
	CHECK(send_req() == -EINVAL, "trailing bytes after the last field");
	in.flags = 0x80;
	begin(HLINK_OP_UNLINK);
	put(&in, sizeof(in));
	put_str("abc");
	CHECK(send_req() == -EINVAL, "an unknown flag bit (where padding was before 1.4)");
	{
		char longname[300];

		memset(longname, 'x', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		CHECK(lookup(root, longname, NULL) == -ENAMETOOLONG, "a name over 255 bytes");
	}
	{
		struct hlink_io_in io_in = { .handle = root, .buf = 0, .len = 10 };

		begin(HLINK_OP_READ);
		put(&io_in, sizeof(io_in));
		CHECK(send_req() == -EINVAL, "READ into a NULL buffer");
	}
	begin(HLINK_OP_GETATTR);
	put(&root, sizeof(root));
	rep_max = 8;
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	if (kmod_fd >= 0) {
		struct hlink_ioc_call ioc = { .req = (uintptr_t)req, .rep = (uintptr_t)rep,
					      .req_len = (uint32_t)req_len, .rep_max = 8 };

		n = ioctl(kmod_fd, HLINK_IOC_CALL, &ioc) < 0 ? -errno : 0;
	} else {
		n = hlink_host_call(host, req, req_len, rep, 8);
	}
	rep_max = sizeof(rep);
	CHECK(n == -ERANGE, "a reply buffer smaller than a reply header");
	rep_max = sizeof(struct hlink_rep_hdr) + 4;
	CHECK(getattr(root, NULL) == -ERANGE, "a reply buffer too small for the reply gives ERANGE");
	rep_max = sizeof(rep);
	CHECK(getattr(root, NULL) == 0, "the module still answers after all of that");
}

/* Far more files in use than descriptor slots: all stay correct. */
static void t_many_files(void)
{
	enum { FILES = 300 };
	static struct hlink_handle hs[FILES];
	char name[32], buf[32];
	int i, ok = 1;
	uint32_t n;
	struct hlink_entry_out e, d;

	make(HLINK_OP_MKDIR, root, "many", S_IFDIR | 0755, 0, &d);
	for (i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (make(HLINK_OP_CREATE, d.handle, name, S_IFREG | 0600, 0, &e))
			ok = 0;
		hs[i] = e.handle;
		snprintf(buf, sizeof(buf), "data-%d", i);
		if (io(HLINK_OP_WRITE, hs[i], 0, buf, (uint32_t)strlen(buf), &n))
			ok = 0;
	}
	for (i = FILES - 1; i >= 0; i--) {
		char want[32];

		memset(buf, 0, sizeof(buf));
		snprintf(want, sizeof(want), "data-%d", i);
		if (io(HLINK_OP_READ, hs[i], 0, buf, sizeof(buf) - 1, &n) || strcmp(buf, want))
			ok = 0;
	}
	CHECK(ok, "%d files written and read back through a bounded descriptor table", FILES);
	if (host) {
		struct hlink_host_stats st;

		hlink_host_stats(host, &st);
		CHECK(st.fd_evictions > 0, "descriptors were evicted and reopened (%lu evictions)",
		      st.fd_evictions);
	}
	for (i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		name_op(HLINK_OP_UNLINK, d.handle, name);
	}
	name_op(HLINK_OP_RMDIR, root, "many");
}

/* Per-request cost: GETATTR of the root, the smallest round trip. */
static void bench(long calls)
{
	struct timespec a, b;
	long i, errors = 0;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < calls; i++)
		errors += getattr(root, NULL) != 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / calls;
	printf("bench: %ld GETATTR requests, %.0f ns each, %ld errors\n", calls, ns, errors);
	CHECK(errors == 0, "every timed request succeeded");
}

/*
 * The allowlist the suite runs under: the export itself with ids passed
 * through (set-id bits kept, so the checks above see what the host kernel
 * does with them), one subdirectory per ownership model, and one a guest
 * may mount exclusive (ABI 1.7). hlink.ko gets the same string at load (-E
 * prints it).
 */
static char allowlist[6 * 4200];

static void make_allowlist(void)
{
	snprintf(allowlist, sizeof(allowlist),
		 "%s,passthrough,suid:%s/own-mapped:%s/own-passthrough,passthrough:"
		 "%s/own-squash,squash,anonuid=4000,anongid=4001:%s/excl,passthrough,exclusive",
		 export_dir, export_dir, export_dir, export_dir, export_dir);
}

static int mount_path(const char *path, struct hlink_mount_out *out)
{
	struct hlink_mount_in mi = { .path_len = (uint32_t)strlen(path) };
	int err;

	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str(path);
	err = send_req();
	if (!err)
		memcpy(out, body(), sizeof(*out));
	return err;
}

/* As the ownership checks make entries: given ids, CREATE exclusive. */
static int make_as(uint32_t op, struct hlink_handle dir, const char *name, uint32_t mode,
		   uint32_t uid, uint32_t gid, uint32_t major, uint32_t minor,
		   struct hlink_entry_out *out)
{
	return make_full(op, dir, name, mode, op == HLINK_OP_CREATE ? HLINK_CREATE_EXCL : 0,
			 uid, gid, major, minor, out);
}

/* The d_type READDIR gives name in dir, or -1. */
static int readdir_type(struct hlink_handle dir, const char *name)
{
	struct hlink_readdir_in in = { .dir = dir, .max_bytes = 16384 };
	struct hlink_readdir_out *out;
	char *p;
	uint32_t i;

	begin(HLINK_OP_READDIR);
	put(&in, sizeof(in));
	if (send_req())
		return -1;
	out = body();
	p = (char *)(out + 1);
	for (i = 0; i < out->count; i++) {
		struct hlink_dirent *d = (struct hlink_dirent *)p;

		if (d->name_len == strlen(name) && !memcmp(d + 1, name, d->name_len))
			return (int)d->type;
		p += sizeof(*d) + ((d->name_len + 7) & ~7U);
	}
	return -1;
}

/* The row every model answers: can guest root make a set-uid root file? */
static void suid_root_row(const char *model, struct hlink_handle dir, const char *sub,
			  struct hlink_entry_out *e)
{
	char p[4400], attempt[128];
	struct stat st;
	int err = make_as(HLINK_OP_CREATE, dir, "suidrt", S_IFREG | 04755, 0, 0, 0, 0, e);

	snprintf(p, sizeof(p), "%s/%s/suidrt", export_dir, sub);
	snprintf(attempt, sizeof(attempt), "CREATE with uid 0 and mode 04755 (%s export)", model);
	if (err || stat(p, &st)) {
		confine(attempt, answer(err ? err : -errno), "%s", "");
		return;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid == 0)
		confine(attempt, "OPEN: a set-uid root file on the host", "%s", "");
	else if (st.st_mode & (S_ISUID | S_ISGID))
		confine(attempt, "OPEN: a set-id file on the host", "%s", "");
	else
		confine(attempt, "no set-id bit on the host", "guest sees mode %o uid %u; host %o uid %u",
			(unsigned int)(e->attr.mode & 07777), (unsigned int)e->attr.uid,
			(unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid);
}

static int put_record(const char *path, const char *name, uint32_t uid, uint32_t mode,
		      uint64_t export_id);

static void t_own_mapped(void)
{
	struct hlink_mount_out m;
	struct hlink_entry_out e, d, l, f;
	struct hlink_setattr_in sa;
	struct hlink_attr a;
	struct stat st;
	char p[4200], q[4400];
	int err;

	snprintf(p, sizeof(p), "%s/own-mapped", export_dir);
	mkdir(p, 0755);
	err = mount_path(p, &m);
	CHECK(!err && m.ownership == HLINK_OWNERSHIP_MAPPED && m.flags == 0,
	      "mapped: MOUNT says the export is mapped, devices allowed (%d)", err);
	if (err)
		return;
	suid_root_row("mapped", m.root.handle, "own-mapped", &e);
	snprintf(q, sizeof(q), "%s/suidrt", p);
	CHECK(e.attr.uid == 0 && (e.attr.mode & 07777) == 04755 && stat(q, &st) == 0 &&
	      st.st_uid == geteuid() && (st.st_mode & 07777) == 0755,
	      "mapped: CREATE uid 0 mode 04755: the guest sees it, the host file is 0755 and the module's");
	sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_UID |
					HLINK_SETATTR_GID | HLINK_SETATTR_MODE,
					.uid = 77, .gid = 88, .mode = 02711 };
	err = setattr(&sa, &a);
	CHECK(!err && a.uid == 77 && a.gid == 88 && (a.mode & 07777) == 02711 && stat(q, &st) == 0 &&
	      st.st_uid == geteuid() && (st.st_mode & 07777) == 0711,
	      "mapped: SETATTR owner and mode: the guest sees them, the host file keeps its owner, no set-id (%d)",
	      err);
	forget(e.handle, 1);
	CHECK(lookup(m.root.handle, "suidrt", &e) == 0 && e.attr.uid == 77 && e.attr.gid == 88 &&
	      (e.attr.mode & 07777) == 02711, "mapped: a new LOOKUP shows the recorded owner and mode");
	forget(e.handle, 1);
	/* The user module keeps a forgotten file's record; the file's ctime must still vouch for it. */
	{
		struct hlink_handle old = e.handle;

		err = removexattr(q, "trusted.hlink.owner");
		CHECK(!err && getattr(old, NULL) == -ESTALE &&
		      lookup(m.root.handle, "suidrt", &e) == 0 && e.attr.uid == geteuid() &&
		      (e.attr.mode & 07777) == 0711,
		      "mapped: a record the host removed while the guest held no handle is gone "
		      "at the next LOOKUP, and the forgotten handle stays stale (%d)", err);
		forget(e.handle, 1);
	}
	/*
	 * A record the host rewrites in the same clock tick as the module read
	 * the last one leaves ctime as it was: the next LOOKUP must still see it.
	 */
	{
		int k, tick = 0, seen = 0;

		for (k = 0; k < 40; k++) {
			struct stat s1, s2;

			chmod(q, 0711);
			if (lookup(m.root.handle, "suidrt", &e))
				break;
			forget(e.handle, 1);
			stat(q, &s1);
			put_record(q, "trusted.hlink.owner", 1000 + k, S_IFREG | 0700, m.root.attr.ino);
			stat(q, &s2);
			tick += s1.st_ctim.tv_sec == s2.st_ctim.tv_sec &&
				s1.st_ctim.tv_nsec == s2.st_ctim.tv_nsec;
			if (lookup(m.root.handle, "suidrt", &e))
				break;
			seen += e.attr.uid == 1000u + k;
			forget(e.handle, 1);
		}
		CHECK(k == 40 && seen == 40,
		      "mapped: a record rewritten on the host right after a LOOKUP shows at the next "
		      "(%d of %d; ctime unchanged by %d rewrites)", seen, k, tick);
	}

	err = make_as(HLINK_OP_MKNOD, m.root.handle, "chr", S_IFCHR | 0620, 5, 6, 1, 3, &d);
	snprintf(q, sizeof(q), "%s/chr", p);
	CHECK(!err && S_ISCHR(d.attr.mode) && d.attr.rdev_major == 1 && d.attr.rdev_minor == 3 &&
	      d.attr.uid == 5 && stat(q, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0 &&
	      !(st.st_mode & 06000),
	      "mapped: MKNOD of a character device: the guest sees 1:3, the host has a plain file (%d)",
	      err);
	confine("MKNOD of a character device (1:3) (mapped export)", err ? answer(err) :
		stat(q, &st) == 0 && S_ISCHR(st.st_mode) ? "OPEN: a device node on the host" :
		"a plain file on the host", "%s", "");
	CHECK(readdir_type(m.root.handle, "chr") == DT_CHR, "mapped: READDIR gives it type DT_CHR");
	if (!err)
		forget(d.handle, 1);
	err = make_as(HLINK_OP_MKNOD, m.root.handle, "fifo", S_IFIFO | 0600, 5, 6, 0, 0, &f);
	snprintf(q, sizeof(q), "%s/fifo", p);
	CHECK(!err && S_ISFIFO(f.attr.mode) && stat(q, &st) == 0 && S_ISREG(st.st_mode),
	      "mapped: MKNOD of a FIFO: a FIFO to the guest, a plain file on the host (%d)", err);
	if (!err)
		forget(f.handle, 1);

	err = make_as(HLINK_OP_MKDIR, m.root.handle, "sgid", S_IFDIR | 02770, 9, 10, 0, 0, &d);
	snprintf(q, sizeof(q), "%s/sgid", p);
	CHECK(!err && S_ISDIR(d.attr.mode) && (d.attr.mode & 07777) == 02770 && d.attr.uid == 9 &&
	      stat(q, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 07777) == 0770,
	      "mapped: MKDIR 02770 for uid 9: the guest sees it, the host dir is 0770 and the module's (%d)",
	      err);
	if (!err)
		forget(d.handle, 1);
	err = symlink_as(m.root.handle, "link", "target", 11, 12, &l);
	CHECK(!err && S_ISLNK(l.attr.mode) && l.attr.uid == 11 && l.attr.gid == 12,
	      "mapped: SYMLINK for uid 11: the guest sees its owner (%d)", err);
	if (!err) {
		sa = (struct hlink_setattr_in){ .handle = l.handle, .valid = HLINK_SETATTR_MTIME |
						HLINK_SETATTR_UID, .mtime = 1234567, .uid = 13 };
		err = setattr(&sa, &a);
		CHECK(!err && a.mtime == 1234567 && a.uid == 13 && S_ISLNK(a.mode),
		      "mapped: SETATTR of a symlink's own mtime and owner (%d)", err);
		forget(l.handle, 1);
	}

	/* Host files without a record, and records that do not fit the file. */
	snprintf(q, sizeof(q), "%s/plain", p);
	close(open(q, O_CREAT | O_WRONLY, 0640));
	chown(q, 1000, 1001);
	CHECK(lookup(m.root.handle, "plain", &e) == 0 && e.attr.uid == 1000 && e.attr.gid == 1001 &&
	      (e.attr.mode & 07777) == 0640, "mapped: a host file without a record shows its host owner and mode");
	forget(e.handle, 1);
	/* A record that would say only what the host file shows is not written. */
	err = make_as(HLINK_OP_CREATE, m.root.handle, "implied", S_IFREG | 0644, geteuid(), getegid(),
		      0, 0, &e);
	snprintf(q, sizeof(q), "%s/implied", p);
	CHECK(!err && e.attr.uid == geteuid() && e.attr.gid == getegid() &&
	      (e.attr.mode & 07777) == 0644 && lgetxattr(q, "trusted.hlink.owner", NULL, 0) < 0 &&
	      errno == ENODATA,
	      "mapped: CREATE with the module's ids and a mode the host keeps writes no record (%d)",
	      err);
	if (!err) {
		sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_UID,
						.uid = 1234 };
		CHECK(setattr(&sa, &a) == 0 && a.uid == 1234 && stat(q, &st) == 0 &&
		      st.st_uid == geteuid(), "mapped: a SETATTR of its owner then records it");
		forget(e.handle, 1);
	}
	err = make_as(HLINK_OP_CREATE, m.root.handle, "recorded", S_IFREG | 0444, geteuid(),
		      getegid(), 0, 0, &e);
	snprintf(q, sizeof(q), "%s/recorded", p);
	CHECK(!err && (e.attr.mode & 07777) == 0444 && stat(q, &st) == 0 &&
	      (st.st_mode & 07777) == 0644 && lgetxattr(q, "trusted.hlink.owner", NULL, 0) > 0,
	      "mapped: CREATE of a mode the host widens (0444, host 0644) records it (%d)", err);
	if (!err)
		forget(e.handle, 1);
	snprintf(q, sizeof(q), "%s/sgid", p);
	{
		/* A record claiming a device, on a directory, for this export. */
		unsigned char rec[32] = { 1, 0, 0, 0 };
		uint32_t mode = S_IFCHR | 06777;
		uint64_t ino = m.root.attr.ino;

		memcpy(rec + 12, &mode, 4);
		memcpy(rec + 24, &ino, 8);
		err = setxattr(q, "trusted.hlink.owner", rec, sizeof(rec), 0);
		CHECK(err == 0 && lookup(m.root.handle, "sgid", &e) == 0 && S_ISDIR(e.attr.mode) &&
		      e.attr.uid == geteuid(),
		      "mapped: a record of another type than the host file is ignored");
		if (!err)
			forget(e.handle, 1);
	}
	CHECK(lookup(m.root.handle, "plain", &e) == 0 &&
	      xattr(HLINK_OP_SETXATTR, e.handle, "user.hlink.owner", "x", 1, 0) == -EPERM,
	      "mapped: the guest cannot set the record's name in user.*");
	forget(e.handle, 1);
}

/* passthrough (no suid) and squash: ids as the model says, no set-id, no devices. */
static void t_own_plain(const char *model, uint32_t ownership)
{
	struct hlink_mount_out m;
	struct hlink_entry_out e;
	struct hlink_setattr_in sa;
	struct hlink_attr a;
	struct stat st;
	char p[4200], q[4400], sub[32];
	int err, squash = ownership == HLINK_OWNERSHIP_SQUASH;

	snprintf(sub, sizeof(sub), "own-%s", model);
	snprintf(p, sizeof(p), "%s/%s", export_dir, sub);
	mkdir(p, 0755);
	err = mount_path(p, &m);
	CHECK(!err && m.ownership == ownership && m.flags == HLINK_MOUNT_NODEV,
	      "%s: MOUNT says so, and that the guest should open no devices (%d)", model, err);
	if (err)
		return;
	suid_root_row(model, m.root.handle, sub, &e);
	snprintf(q, sizeof(q), "%s/suidrt", p);
	CHECK(stat(q, &st) == 0 && !(st.st_mode & 06000) && (e.attr.mode & 07777) == 0755 &&
	      st.st_uid == (squash ? 4000U : 0U) && st.st_gid == (squash ? 4001U : 0U),
	      "%s: CREATE uid 0 mode 04755 makes 0755, owner %s", model, squash ? "4000:4001" : "0:0");
	sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_MODE, .mode = 06755 };
	CHECK(setattr(&sa, &a) == 0 && stat(q, &st) == 0 && (st.st_mode & 07777) == 0755,
	      "%s: SETATTR mode 06755 leaves no set-id bit", model);
	sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_UID, .uid = 0 };
	err = setattr(&sa, &a);
	CHECK(squash ? err == -EPERM : err == 0, "%s: SETATTR uid 0 %s (%d)", model,
	      squash ? "is refused" : "goes through", err);
	forget(e.handle, 1);
	err = make_as(HLINK_OP_MKNOD, m.root.handle, "chr", S_IFCHR | 0620, 5, 6, 1, 3, NULL);
	CHECK(err == -EPERM, "%s: MKNOD of a character device gives EPERM (%d)", model, err);
	{
		char attempt[96];

		snprintf(attempt, sizeof(attempt), "MKNOD of a character device (1:3) (%s export)",
			 model);
		snprintf(q, sizeof(q), "%s/chr", p);
		confine(attempt, err ? answer(err) : stat(q, &st) == 0 && S_ISCHR(st.st_mode) ?
			"OPEN: a device node on the host" : "a plain file on the host", "%s", "");
	}
	snprintf(q, sizeof(q), "%s/hostsuid", p);
	close(open(q, O_CREAT | O_WRONLY, 0755));
	chmod(q, 04755);
	CHECK(lookup(m.root.handle, "hostsuid", &e) == 0 && (e.attr.mode & 07777) == 0755,
	      "%s: a set-uid file made on the host shows no set-uid bit to the guest", model);
	forget(e.handle, 1);
}

/* A mapped export's record, as a host administrator could write it. */
static int put_record(const char *path, const char *name, uint32_t uid, uint32_t mode,
		      uint64_t export_id)
{
	unsigned char rec[32] = { 1, 0, 0, 0 };

	memcpy(rec + 4, &uid, 4);
	memcpy(rec + 8, &uid, 4);
	memcpy(rec + 12, &mode, 4);
	memcpy(rec + 24, &export_id, 8);
	return lsetxattr(path, name, rec, sizeof(rec), 0);
}

/* Findings of a review of the ownership models, each checked. */
static void t_own_review(void)
{
	struct hlink_mount_out m;
	struct hlink_entry_out e;
	struct hlink_setattr_in sa;
	struct stat st;
	char p[4200], q[4400];
	int err;

	snprintf(p, sizeof(p), "%s/own-mapped", export_dir);
	if (mount_path(p, &m))
		return;
	/* Sticky directories stay sticky on the host: host users cannot clean a guest's /tmp. */
	err = make_as(HLINK_OP_MKDIR, m.root.handle, "tmp", S_IFDIR | 01777, 0, 0, 0, 0, &e);
	snprintf(q, sizeof(q), "%s/tmp", p);
	CHECK(!err && (e.attr.mode & 07777) == 01777 && stat(q, &st) == 0 && (st.st_mode & S_ISVTX),
	      "mapped: MKDIR 01777 keeps the sticky bit on the host (%d)", err);
	if (!err)
		forget(e.handle, 1);
	/* A set-id file made on the host, without a record, runs set-id in no guest. */
	snprintf(q, sizeof(q), "%s/host-suid", p);
	close(open(q, O_CREAT | O_WRONLY, 0755));
	chown(q, 1000, 6);
	chmod(q, 06755);
	CHECK(lookup(m.root.handle, "host-suid", &e) == 0 && (e.attr.mode & 07777) == 0755,
	      "mapped: a set-id host file without a record shows no set-id bit (%o)",
	      (unsigned int)(e.attr.mode & 07777));
	forget(e.handle, 1);
	/* A record written through another export (a host user moved the file). */
	snprintf(q, sizeof(q), "%s/moved-in", p);
	close(open(q, O_CREAT | O_WRONLY, 0755));
	put_record(q, "trusted.hlink.owner", 0, S_IFREG | 04755, m.root.attr.ino + 1);
	CHECK(lookup(m.root.handle, "moved-in", &e) == 0 && e.attr.uid == 0 &&
	      (e.attr.mode & 07777) == 0755,
	      "mapped: a record from another export gives its owner but no set-id bit");
	forget(e.handle, 1);
	/* READDIR shows a mapped device as LOOKUP does. */
	err = make_as(HLINK_OP_MKNOD, m.root.handle, "chr2", S_IFCHR | 0600, 5, 6, 1, 3, &e);
	if (!err) {
		struct hlink_readdir_in in = { .dir = m.root.handle, .max_bytes = 16384 };
		struct hlink_readdir_out *out;
		char *d;
		uint32_t i, found = 0;

		forget(e.handle, 1);
		begin(HLINK_OP_READDIR);
		put(&in, sizeof(in));
		if (send_req() == 0) {
			out = body();
			d = (char *)(out + 1);
			for (i = 0; i < out->count; i++) {
				struct hlink_dirent *de = (struct hlink_dirent *)d;

				if (de->name_len == 4 && !memcmp(de + 1, "chr2", 4))
					found = S_ISCHR(de->attr.mode) && de->attr.uid == 5 &&
						de->type == DT_CHR;
				d += sizeof(*de) + ((de->name_len + 7) & ~7U);
			}
		}
		CHECK(found, "mapped: READDIR gives a mapped device the attributes LOOKUP gives");
	}
	/* squash: the anonymous user changes only its own files. */
	snprintf(p, sizeof(p), "%s/own-squash", export_dir);
	if (mount_path(p, &m) == 0) {
		snprintf(q, sizeof(q), "%s/roots", p);
		close(open(q, O_CREAT | O_WRONLY, 0644));
		err = lookup(m.root.handle, "roots", &e);
		sa = (struct hlink_setattr_in){ .handle = e.handle, .valid = HLINK_SETATTR_MODE,
						.mode = 0666 };
		CHECK(!err && setattr(&sa, NULL) == -EPERM && stat(q, &st) == 0 &&
		      (st.st_mode & 0777) == 0644,
		      "squash: SETATTR of the mode of a root-owned file gives EPERM");
		sa.valid = HLINK_SETATTR_UID;
		sa.uid = 4000;
		CHECK(!err && setattr(&sa, NULL) == -EPERM,
		      "squash: giving a root-owned file to the anonymous user gives EPERM");
		if (!err)
			forget(e.handle, 1);
	}
}

/*
 * A host user (uid 1000, no capability) who can write in the directory
 * renames the entry a MKDIR, CREATE or SYMLINK just made away, and an older
 * root-owned directory or file onto its name: the module must neither
 * change that entry nor hand it to the guest.
 */
static void swap_attacker(const char *dir)
{
	char newp[4500], park[4500], adm[4500], rf[4500];

	snprintf(newp, sizeof(newp), "%s/new", dir);
	snprintf(park, sizeof(park), "%s/parked", dir);
	snprintf(adm, sizeof(adm), "%s/admin", dir);
	snprintf(rf, sizeof(rf), "%s/rootfile", dir);
	prctl(PR_SET_SECUREBITS, 0);
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		_exit(1);
	for (;;) {
		if (rename(newp, park) == 0) {
			/* Root's entry onto the name for a moment, then back, never over anything. */
			const char *back = renameat2(AT_FDCWD, adm, AT_FDCWD, newp, RENAME_NOREPLACE) == 0 ?
					   adm : renameat2(AT_FDCWD, rf, AT_FDCWD, newp,
							   RENAME_NOREPLACE) == 0 ? rf : NULL;

			if (back) {
				usleep(50);
				renameat2(AT_FDCWD, newp, AT_FDCWD, back, RENAME_NOREPLACE);
			}
			if (unlink(park))
				rmdir(park);
		}
	}
}

static void t_swap_races(void)
{
	static const char *const models[] = { "own-mapped", "own-passthrough" };
	char dir[4400], adm[4500], rf[4500], secret[4600];
	struct hlink_mount_out m;
	struct hlink_entry_out e;
	struct stat a0, r0, a1, r1;
	unsigned char rec[64];
	size_t k;

	chmod(export_dir, 0755);
	for (k = 0; k < 2; k++) {
		long tries, wrong = 0;
		time_t end;
		pid_t pid;

		snprintf(dir, sizeof(dir), "%s/%s/race", export_dir, models[k]);
		mkdir(dir, 0777);
		chmod(dir, 0777);
		snprintf(adm, sizeof(adm), "%s/admin", dir);
		snprintf(rf, sizeof(rf), "%s/rootfile", dir);
		mkdir(adm, 0755);
		snprintf(secret, sizeof(secret), "%s/secret", adm);
		close(open(secret, O_CREAT | O_WRONLY, 0600));
		close(open(rf, O_CREAT | O_WRONLY, 0644));
		stat(adm, &a0);
		stat(rf, &r0);
		snprintf(dir, sizeof(dir), "%s/%s", export_dir, models[k]);
		if (mount_path(dir, &m) || lookup(m.root.handle, "race", &e)) {
			CHECK(0, "%s: the race directory can be mounted", models[k]);
			continue;
		}
		snprintf(dir, sizeof(dir), "%s/%s/race", export_dir, models[k]);
		pid = fork();
		if (pid == 0)
			swap_attacker(dir);
		end = time(NULL) + 3;
		for (tries = 0; time(NULL) < end; tries++) {
			struct hlink_entry_out n;
			uint32_t op = tries % 3 == 0 ? HLINK_OP_MKDIR :
				      tries % 3 == 1 ? HLINK_OP_CREATE : HLINK_OP_SYMLINK;
			int err;

			if (op == HLINK_OP_SYMLINK) {
				struct hlink_symlink_in in = { .dir = e.handle, .name_len = 3,
							       .target_len = 1 };

				begin(op);
				put(&in, sizeof(in));
				put_str("new");
				put_str("t");
				err = send_req();
				if (!err)
					memcpy(&n, body(), sizeof(n));
			} else {
				err = make_as(op, e.handle, "new", op == HLINK_OP_MKDIR ?
					      S_IFDIR | 02777 : S_IFREG | 0666, 0, 0, 0, 0, &n);
			}
			if (!err) {
				struct stat ns;

				if (n.attr.ino == a0.st_ino || n.attr.ino == r0.st_ino)
					wrong++;
				forget(n.handle, 1);
				/* Remove what was made, not whatever has the name now. */
				snprintf(secret, sizeof(secret), "%s/new", dir);
				if (lstat(secret, &ns) == 0 && ns.st_ino == n.attr.ino &&
				    (S_ISDIR(ns.st_mode) ? rmdir(secret) : unlink(secret)))
					perror(secret);
			}
		}
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(dir, sizeof(dir), "%s/%s/race/new", export_dir, models[k]);
		if (lstat(adm, &a1) && lstat(dir, &a1) == 0 && a1.st_ino == a0.st_ino)
			rename(dir, adm);
		if (lstat(rf, &r1) && lstat(dir, &r1) == 0 && r1.st_ino == r0.st_ino)
			rename(dir, rf);
		stat(adm, &a1);
		stat(rf, &r1);
		printf("# %s: root's dir %o -> %o, file %o -> %o, %ld issued, records %d %d\n",
		       models[k], (unsigned int)a0.st_mode, (unsigned int)a1.st_mode,
		       (unsigned int)r0.st_mode, (unsigned int)r1.st_mode, wrong,
		       (int)lgetxattr(adm, "trusted.hlink.owner", rec, sizeof(rec)),
		       (int)lgetxattr(rf, "trusted.hlink.owner", rec, sizeof(rec)));
		CHECK(a1.st_mode == a0.st_mode && r1.st_mode == r0.st_mode && !wrong &&
		      lgetxattr(adm, "trusted.hlink.owner", rec, sizeof(rec)) < 0 &&
		      lgetxattr(rf, "trusted.hlink.owner", rec, sizeof(rec)) < 0,
		      "%s: MKDIR, CREATE and SYMLINK raced by a host user swapping in root's entries: "
		      "those untouched, never handed to the guest (%ld tries)", models[k], tries);
		confine(k ? "MKDIR, CREATE, SYMLINK raced by a host user renaming root's entries onto the new name (passthrough)"
			  : "MKDIR, CREATE, SYMLINK raced by a host user renaming root's entries onto the new name (mapped)",
			a1.st_mode == a0.st_mode && r1.st_mode == r0.st_mode && !wrong ?
			"root's entries untouched, never issued" : "OPEN: root's entry changed or issued",
			"%ld tries", tries);
		forget(e.handle, 1);
	}
}

/* Without CAP_SYS_ADMIN the record is user.*, which host users can write. */
static void t_weak_records(void)
{
	char p[4200], q[4400];
	unsigned int before;
	pid_t pid;
	int status;

	if (kmod_fd >= 0)
		return;	/* hlink.ko's opener has CAP_SYS_ADMIN */
	snprintf(p, sizeof(p), "%s/own-mapped", export_dir);
	snprintf(q, sizeof(q), "%s/forged", p);
	close(open(q, O_CREAT | O_WRONLY, 0755));
	fflush(stdout);
	before = failed;
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct hd = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct cd[2];
		struct hlink_host_opts o = { .fd_slots = 8, .exports = allowlist };
		struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
		struct hlink_mount_out m;
		struct hlink_entry_out e;
		int ok;

		syscall(SYS_capget, &hd, cd);
		cd[0].effective &= ~(1U << CAP_SYS_ADMIN);
		syscall(SYS_capset, &hd, cd);
		host = hlink_host_new(&o);
		begin(HLINK_OP_HELLO);
		put(&hi, sizeof(hi));
		send_req();
		ok = host && mount_path(p, &m) == 0;
		CHECK(ok && (m.flags & HLINK_MOUNT_NODEV),
		      "mapped without CAP_SYS_ADMIN: MOUNT says the guest should open no devices");
		if (ok) {
			put_record(q, "user.hlink.owner", 0, S_IFREG | 04755, m.root.attr.ino);
			CHECK(lookup(m.root.handle, "forged", &e) == 0 && e.attr.uid == 0 &&
			      !(e.attr.mode & 06000),
			      "mapped with user.* records: a forged record gives no set-id bit (%o)",
			      (unsigned int)(e.attr.mode & 07777));
			CHECK(make_as(HLINK_OP_MKNOD, m.root.handle, "dev", S_IFCHR | 0600, 0, 0, 1, 3,
				      NULL) == -EPERM,
			      "mapped with user.* records: MKNOD of a device gives EPERM");
		}
		fflush(stdout);
		_exit(failed > before ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the checks without CAP_SYS_ADMIN (above) passed");
}

static void t_ownership(void)
{
	t_own_mapped();
	t_own_plain("passthrough", HLINK_OWNERSHIP_PASSTHROUGH);
	t_own_plain("squash", HLINK_OWNERSHIP_SQUASH);
	t_own_review();
	t_swap_races();
	t_weak_records();
}

/* Descriptors this process has open now. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void *slow_run_thread(void *p)
{
	hlink_host_slow_run(p);
	return NULL;
}

/* FSYNCs through their own buffers on another thread (hlink.ko's client). */
struct kmod_syncer {
	struct hlink_handle h;
	int rounds, bad;
};

static void *kmod_sync_thread(void *p)
{
	struct kmod_syncer *k = p;
	struct {
		struct hlink_req_hdr h;
		struct hlink_fsync_in in;
	} q = { .h = { .opcode = HLINK_OP_FSYNC, .len = sizeof(q) }, .in = { .handle = k->h } };
	struct hlink_rep_hdr r;
	struct hlink_ioc_call ioc = { .req = (uintptr_t)&q, .rep = (uintptr_t)&r,
				      .req_len = sizeof(q), .rep_max = sizeof(r) };
	int i;

	for (i = 0; i < k->rounds; i++) {
		q.h.unique = 1000000 + i;
		if (ioctl(kmod_fd, HLINK_IOC_CALL, &ioc) != sizeof(r) || r.error ||
		    r.unique != q.h.unique || r.len != sizeof(r))
			k->bad++;
	}
	return NULL;
}

/*
 * Slow calls: an FSYNC split so its sync runs on another thread (the user
 * module's hlink_host_call_begin/slow_run/end, hlink.ko's unlocked sync)
 * while other calls go on, even ones that would take its descriptor away.
 */
static void t_slow_calls(void)
{
	struct hlink_rep_hdr *rh = (struct hlink_rep_hdr *)rep;
	struct hlink_host_slow s = { .fd = -1 };
	struct hlink_host_stats st0, st1;
	struct hlink_entry_out e, x;
	struct hlink_fsync_in f;
	char data[4096] = "slow", name[32];
	uint64_t u;
	pthread_t t;
	int fds, i, ok;
	long n;

	CHECK(make(HLINK_OP_CREATE, root, "slow", S_IFREG | 0644, HLINK_CREATE_EXCL, &e) == 0 &&
	      io(HLINK_OP_WRITE, e.handle, 0, data, sizeof(data), NULL) == 0,
	      "a file to sync");
	if (kmod_fd >= 0) {
		struct kmod_syncer k = { .h = e.handle, .rounds = 200 };

		ok = !pthread_create(&t, NULL, kmod_sync_thread, &k);
		for (i = 0; ok && i < 2000; i++)
			if (lookup(root, "slow", NULL) || forget(e.handle, 1))
				ok = 0;
		if (ok)
			pthread_join(t, NULL);
		CHECK(ok && k.bad == 0,
		      "FSYNC on one thread and LOOKUP on another, one client: every reply its own");
		CHECK(forget(e.handle, 1) == 0 && name_op(HLINK_OP_UNLINK, root, "slow") == 0,
		      "the file goes");
		return;
	}
	fds = open_fds();
	hlink_host_stats(host, &st0);
	f = (struct hlink_fsync_in){ .handle = e.handle, .datasync = 1 };
	begin(HLINK_OP_FSYNC);
	put(&f, sizeof(f));
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	u = unique;
	n = hlink_host_call_begin(host, req, req_len, rep, rep_max, &s);
	hlink_host_stats(host, &st1);
	CHECK(n == 0 && s.fd >= 0 && st1.slow_calls == st0.slow_calls + 1 && open_fds() == fds + 1,
	      "FSYNC split: no reply yet, and a descriptor of its own");
	/* All that could take the file's descriptor away, before the sync runs. */
	ok = forget(e.handle, 1) == 0 && name_op(HLINK_OP_UNLINK, root, "slow") == 0;
	for (i = 0; ok && i < 48; i++) {
		snprintf(name, sizeof(name), "slow%d", i);
		ok = make(HLINK_OP_CREATE, root, name, S_IFREG | 0644, HLINK_CREATE_EXCL, &x) == 0 &&
		     io(HLINK_OP_WRITE, x.handle, 0, data, 16, NULL) == 0 &&
		     forget(x.handle, 1) == 0 && name_op(HLINK_OP_UNLINK, root, name) == 0;
	}
	CHECK(ok, "meanwhile the file is forgotten and unlinked, and 48 others evict its slot");
	fds = open_fds();
	ok = !pthread_create(&t, NULL, slow_run_thread, &s) && !pthread_join(t, NULL);
	memset(rep, 0xA5, sizeof(*rh));
	n = hlink_host_call_end(host, &s, rep, rep_max);
	CHECK(ok && n == (long)sizeof(*rh) && rh->len == n && rh->error == 0 && rh->unique == u,
	      "the sync runs on another thread; the reply has no error and its request's unique");
	CHECK(open_fds() == fds - 1, "the end closes the sync's own descriptor");

	f.handle.gen ^= 0x5a5a;
	begin(HLINK_OP_FSYNC);
	put(&f, sizeof(f));
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	n = hlink_host_call_begin(host, req, req_len, rep, rep_max, &s);
	fds = open_fds();
	CHECK(n == (long)sizeof(*rh) && rh->error == -ESTALE,
	      "an FSYNC of a stale handle is answered at once (ESTALE), not split");
	f = (struct hlink_fsync_in){ .handle = root, .datasync = 7 };
	begin(HLINK_OP_FSYNC);
	put(&f, sizeof(f));
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	n = hlink_host_call_begin(host, req, req_len, rep, rep_max, &s);
	CHECK(n == (long)sizeof(*rh) && rh->error == -EINVAL,
	      "a malformed FSYNC is answered at once (EINVAL)");
	begin(HLINK_OP_STATFS);
	put(&(struct hlink_handle_in){ .handle = root }, sizeof(struct hlink_handle_in));
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	n = hlink_host_call_begin(host, req, req_len, rep, rep_max, &s);
	CHECK(n > (long)sizeof(*rh) && rh->error == 0, "any other op is answered at once");
	CHECK(open_fds() == fds, "and none of these leaves a descriptor");
}

/* ---- exclusive exports, provisional handles, SYNCFS, HLINK_IOC_BATCH (ABI 1.7) ---- */

static char excl_dir[4300];		/* the export the allowlist lets be mounted exclusive */
static struct hlink_handle xroot;	/* its root, mounted exclusive by the first client */

/* MOUNT of path with flags; the reply in *out (may be NULL). */
static int mount_flags(const char *path, uint32_t flags, struct hlink_mount_out *out)
{
	struct hlink_mount_in mi = { .path_len = (uint32_t)strlen(path), .flags = flags };
	int err;

	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str(path);
	err = send_req();
	if (!err && out)
		memcpy(out, body(), sizeof(*out));
	return err;
}

static int umount_sbid(uint32_t sbid)
{
	struct hlink_umount_in in = { .sbid = sbid };

	begin(HLINK_OP_UMOUNT);
	put(&in, sizeof(in));
	return send_req();
}

/* A MOUNT expected to fail: one that succeeds is undone at once, so it holds no lock. */
static int mount_refused(const char *path, uint32_t flags)
{
	struct hlink_mount_out m;
	int err = mount_flags(path, flags, &m);

	if (!err)
		umount_sbid(m.root.handle.sbid);
	return err;
}

/* Another client of the host module (its own hlink_host, or its own /dev/hlink), after HELLO. */
static int client_new(struct client *c)
{
	struct hlink_host_opts o = { .fd_slots = 8, .exports = allowlist };
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
	struct client saved;
	int err;

	*c = (struct client){ NULL, -1 };
	if (kmod_fd >= 0)
		c->kmod_fd = open(kmod_dev, O_RDWR | O_CLOEXEC);
	else
		c->host = hlink_host_new(&o);
	if (c->kmod_fd < 0 && !c->host)
		return -1;
	client_switch(c, &saved);
	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	err = send_req();
	client_switch(&saved, c);
	return err;
}

/* The client goes, as a guest that is killed: everything it held is given back. */
static void client_close(struct client *c)
{
	if (c->kmod_fd >= 0)
		close(c->kmod_fd);
	hlink_host_free(c->host);
	*c = (struct client){ NULL, -1 };
}

/* mount_flags (refused: mount_refused) as client c. */
static int mount_as(struct client *c, const char *path, uint32_t flags, struct hlink_mount_out *out,
		    int refused)
{
	struct client saved;
	int err;

	client_switch(c, &saved);
	err = refused ? mount_refused(path, flags) : mount_flags(path, flags, out);
	client_switch(&saved, c);
	return err;
}

static int umount_as(struct client *c, uint32_t sbid)
{
	struct client saved;
	int err;

	client_switch(c, &saved);
	err = umount_sbid(sbid);
	client_switch(&saved, c);
	return err;
}

/* What a host process's flock(op | LOCK_NB) on the exclusive export's root gets: 0 or -errno. */
static int host_flock_excl(int op)
{
	int fd = open(excl_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = flock(fd, op | LOCK_NB) ? -errno : 0;
	close(fd);
	return err;
}

/*
 * HLINK_MOUNT_EXCLUSIVE: only where the allowlist says "exclusive"; one
 * holder at a time for the entry's whole tree, by a lock of the module's
 * own that neither a host process nor a guest's LOCK can take; a plain
 * MOUNT of such an export shares it. Leaves xroot mounted exclusive by the
 * first client for the checks after.
 */
static void t_exclusive(void)
{
	struct hlink_mount_out m;
	struct client b;
	uint32_t xsbid;
	int err, err2;

	snprintf(excl_dir, sizeof(excl_dir), "%s/excl", export_dir);
	if ((mkdir(excl_dir, 0755) && errno != EEXIST) || chown(excl_dir, 0, 0) ||
	    chmod(excl_dir, 0755)) {
		CHECK(0, "make %s", excl_dir);
		return;
	}
	err = mount_refused(export_dir, HLINK_MOUNT_EXCLUSIVE);
	CHECK(err == -EPERM,
	      "exclusive MOUNT of an export whose allowlist entry lacks \"exclusive\" gives EPERM (%d)",
	      err);
	err = mount_refused(excl_dir, 1U << 2);
	CHECK(err == -EINVAL, "MOUNT with a flag outside HLINK_MOUNT_* is refused (%d)", err);
	err = mount_flags(export_dir, 0, &m);
	CHECK(!err && !(m.flags & HLINK_MOUNT_EXCLUSIVE),
	      "a plain MOUNT's reply does not say HLINK_MOUNT_EXCLUSIVE (%d)", err);
	if (!err)
		umount_sbid(m.root.handle.sbid);

	err = mount_flags(excl_dir, HLINK_MOUNT_EXCLUSIVE, &m);
	CHECK(!err && (m.flags & HLINK_MOUNT_EXCLUSIVE) && m.root.handle.gen &&
	      !(m.root.handle.sbid & HLINK_HANDLE_PROV) && S_ISDIR(m.root.attr.mode) &&
	      m.ownership == HLINK_OWNERSHIP_PASSTHROUGH,
	      "exclusive MOUNT of an export allowed \"exclusive\": the reply says "
	      "HLINK_MOUNT_EXCLUSIVE (%d)", err);
	if (err)
		return;
	xsbid = m.root.handle.sbid;
	err = host_flock_excl(LOCK_EX);
	CHECK(err == 0,
	      "the module's lock is not a flock on the export's root: a host process takes "
	      "an exclusive one beside an exclusive mount (%d)", err);
	err = flock_lock(m.root.handle, 9, HLINK_LOCK_WR);
	err2 = flock_lock(m.root.handle, 9, HLINK_LOCK_UN);
	CHECK(err == 0 && err2 == 0,
	      "a guest's LOCK flock of its exclusive mount's root succeeds (%d, %d)", err, err2);
	err = mount_refused(excl_dir, HLINK_MOUNT_EXCLUSIVE);
	CHECK(err == -EBUSY, "a second exclusive MOUNT of the export by the same client gets EBUSY (%d)",
	      err);
	if (client_new(&b)) {
		CHECK(0, "a second client could be made");
		client_close(&b);
		umount_sbid(xsbid);
		return;
	}
	err = mount_as(&b, excl_dir, HLINK_MOUNT_EXCLUSIVE, NULL, 1);
	CHECK(err == -EBUSY, "another client's exclusive MOUNT of the export gets EBUSY (%d)", err);
	err = mount_as(&b, excl_dir, 0, NULL, 1);
	CHECK(err == -EBUSY,
	      "another client's plain MOUNT of an export held exclusive gets EBUSY (%d)", err);
	{
		char sub[sizeof(excl_dir) + 8];

		snprintf(sub, sizeof(sub), "%s/sub", excl_dir);
		mkdir(sub, 0755);
		err = mount_as(&b, sub, 0, NULL, 1);
		err2 = mount_as(&b, sub, HLINK_MOUNT_EXCLUSIVE, NULL, 1);
		CHECK(err == -EBUSY && err2 == -EBUSY,
		      "another client's plain and exclusive MOUNTs of a directory inside an "
		      "export held exclusive get EBUSY (%d, %d)", err, err2);
		rmdir(sub);
	}
	err = mount_as(&b, export_dir, 0, &m, 0);
	CHECK(!err, "another client's MOUNT of an export not allowed \"exclusive\" still works (%d)",
	      err);
	if (!err)
		umount_as(&b, m.root.handle.sbid);

	err2 = umount_sbid(xsbid);
	err = mount_as(&b, excl_dir, HLINK_MOUNT_EXCLUSIVE, &m, 0);
	CHECK(!err2 && !err && (m.flags & HLINK_MOUNT_EXCLUSIVE),
	      "after UMOUNT, another client's exclusive MOUNT succeeds (%d, %d)", err2, err);
	err = mount_refused(excl_dir, HLINK_MOUNT_EXCLUSIVE);
	err2 = mount_refused(excl_dir, 0);
	CHECK(err == -EBUSY && err2 == -EBUSY,
	      "the first client's exclusive and plain MOUNTs then get EBUSY (%d, %d)", err, err2);
	client_close(&b);
	err = mount_flags(excl_dir, HLINK_MOUNT_EXCLUSIVE, &m);
	CHECK(!err && (m.flags & HLINK_MOUNT_EXCLUSIVE),
	      "a client that goes gives up its exclusive mount: another's exclusive MOUNT "
	      "succeeds (%d)", err);
	if (err)
		return;
	xsbid = m.root.handle.sbid;

	/* A plain mount of an export allowed exclusive: a shared flock. */
	if (client_new(&b)) {
		CHECK(0, "a third client could be made");
		client_close(&b);
		umount_sbid(xsbid);
		return;
	}
	umount_sbid(xsbid);
	err = mount_as(&b, excl_dir, 0, &m, 0);
	CHECK(!err && !(m.flags & HLINK_MOUNT_EXCLUSIVE),
	      "a plain MOUNT of an export allowed \"exclusive\", held by no one, succeeds and "
	      "is not exclusive (%d)", err);
	err = mount_refused(excl_dir, HLINK_MOUNT_EXCLUSIVE);
	CHECK(err == -EBUSY, "an exclusive MOUNT beside another client's plain mount gets EBUSY (%d)",
	      err);
	err = mount_flags(excl_dir, 0, &m);
	CHECK(!err && !(m.flags & HLINK_MOUNT_EXCLUSIVE),
	      "plain MOUNTs of an export allowed \"exclusive\" do not exclude each other (%d)", err);
	if (!err)
		umount_sbid(m.root.handle.sbid);
	client_close(&b);
	{
		/* A host process's flock on the root locks no guest out. */
		int fd = open(excl_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		err2 = fd >= 0 && !flock(fd, LOCK_EX | LOCK_NB) ? 0 : -errno;
		err = mount_flags(excl_dir, HLINK_MOUNT_EXCLUSIVE, &m);
		CHECK(!err2 && !err,
		      "with every mount of it gone, an exclusive MOUNT succeeds, also while a host "
		      "process holds an exclusive flock on the export's root (%d, %d)", err2, err);
		if (fd >= 0)
			close(fd);
	}
	if (!err)
		xroot = m.root.handle;
}

static struct hlink_handle prov(uint64_t u, uint32_t sbid)
{
	return (struct hlink_handle){ .ino = u, .sbid = sbid | HLINK_HANDLE_PROV, .gen = 0 };
}

/* The unique of the request last built (until the next begin). */
static uint64_t last_unique(void)
{
	return ((struct hlink_req_hdr *)req)->unique;
}

/* The inode number GETATTR gives for h, or 0 (any error). */
static uint64_t ino_of(struct hlink_handle h)
{
	struct hlink_attr a;

	return getattr(h, &a) ? 0 : a.ino;
}

/*
 * Provisional handles (ABI 1.7): {unique of the making request,
 * sbid | HLINK_HANDLE_PROV, 0} names what that request made, on an
 * exclusive mount, once it has succeeded and while the guest holds a
 * reference; ESTALE otherwise.
 */
static void t_provisional(void)
{
	const uint32_t s = xroot.sbid;
	struct hlink_entry_out f, d = { 0 }, l = { 0 }, n = { 0 }, in, x, z, p;
	struct hlink_attr a;
	uint64_t uf, ud, ul, un, ui, ufail, next;
	char data[16] = "provisional", back[16];
	uint32_t count = 0;
	int err, err2, dir_err;

	if (!xroot.gen)
		return;
	next = unique + 2;	/* the GETATTR just below takes unique + 1 */
	err = getattr(prov(next, s), NULL);
	CHECK(err == -ESTALE, "a provisional handle before its request has been sent is ESTALE (%d)",
	      err);
	err = make(HLINK_OP_CREATE, xroot, "p-file", S_IFREG | 0644, HLINK_CREATE_EXCL, &f);
	uf = last_unique();
	CHECK(!err && uf == next && getattr(prov(uf, s), &a) == 0 && a.ino == f.attr.ino &&
	      ino_of(f.handle) == f.attr.ino && S_ISREG(a.mode),
	      "CREATE on an exclusive mount: GETATTR of {unique, sbid|PROV, 0} answers the file "
	      "made (%d)", err);
	if (err)
		return;
	err = io(HLINK_OP_WRITE, prov(uf, s), 0, data, sizeof(data), &count);
	memset(back, 0, sizeof(back));
	err2 = io(HLINK_OP_READ, f.handle, 0, back, sizeof(back), NULL);
	CHECK(!err && count == sizeof(data) && !err2 && !memcmp(back, data, sizeof(data)),
	      "a WRITE through the provisional handle lands in the file made (%d, %d)", err, err2);

	dir_err = err = make(HLINK_OP_MKDIR, xroot, "p-dir", S_IFDIR | 0755, 0, &d);
	ud = last_unique();
	CHECK(!err && getattr(prov(ud, s), &a) == 0 && a.ino == d.attr.ino && S_ISDIR(a.mode),
	      "MKDIR: its provisional handle names the directory made (%d)", err);
	err = symlink_as(xroot, "p-link", "some/target", 1234, 5678, &l);
	ul = last_unique();
	CHECK(!err && getattr(prov(ul, s), &a) == 0 && a.ino == l.attr.ino && S_ISLNK(a.mode),
	      "SYMLINK: its provisional handle names the symlink made (%d)", err);
	if (!err) {
		struct hlink_handle_in hi = { .handle = prov(ul, s) };

		begin(HLINK_OP_READLINK);
		put(&hi, sizeof(hi));
		err = send_req();
		CHECK(!err && ((struct hlink_readlink_out *)body())->len == 11 &&
		      !memcmp((char *)body() + sizeof(struct hlink_readlink_out), "some/target", 11),
		      "READLINK through the symlink's provisional handle (%d)", err);
	}
	err = make(HLINK_OP_MKNOD, xroot, "p-fifo", S_IFIFO | 0644, 0, &n);
	un = last_unique();
	CHECK(!err && getattr(prov(un, s), &a) == 0 && a.ino == n.attr.ino && S_ISFIFO(a.mode),
	      "MKNOD: its provisional handle names the node made (%d)", err);

	/* What the guest queues: a create in the directory it has just made. */
	if (!dir_err) {
		err = make(HLINK_OP_CREATE, prov(ud, s), "inner", S_IFREG | 0600, HLINK_CREATE_EXCL,
			   &in);
		ui = last_unique();
		err2 = err ? err : lookup(d.handle, "inner", &x);
		CHECK(!err2 && x.attr.ino == in.attr.ino && ino_of(prov(ui, s)) == in.attr.ino,
		      "CREATE in a directory named by its provisional handle makes the file there, "
		      "and binds its own (%d)", err2);
		if (!err2)
			forget(x.handle, 1);
		err2 = err ? err : lookup(prov(ud, s), "inner", &x);
		CHECK(!err2 && x.attr.ino == in.attr.ino,
		      "LOOKUP in a directory named by its provisional handle (%d)", err2);
		if (!err2)
			forget(x.handle, 1);
		if (!err)
			forget(in.handle, 1);
		err = getattr(prov(ui, s), NULL);
		CHECK(err == -ESTALE, "after FORGET of an entry, its provisional handle is ESTALE (%d)",
		      err);
		name_op(HLINK_OP_UNLINK, d.handle, "inner");
	}

	/* What did not succeed binds nothing. */
	err = make(HLINK_OP_CREATE, xroot, "p-file", S_IFREG | 0644, HLINK_CREATE_EXCL, NULL);
	ufail = last_unique();
	err2 = getattr(prov(ufail, s), NULL);
	CHECK(err == -EEXIST && err2 == -ESTALE && ino_of(prov(uf, s)) == f.attr.ino,
	      "a CREATE that fails (EEXIST, HLINK_CREATE_EXCL) binds nothing; the first CREATE's "
	      "provisional handle still holds (%d, %d)", err, err2);
	err = make(HLINK_OP_MKDIR, xroot, "p-dir", S_IFDIR | 0755, 0, NULL);
	ufail = last_unique();
	err2 = getattr(prov(ufail, s), NULL);
	CHECK(err == -EEXIST && err2 == -ESTALE && ino_of(prov(ud, s)) == d.attr.ino,
	      "a MKDIR that fails (EEXIST) binds nothing (%d, %d)", err, err2);

	/* Forms that are never valid. */
	err = getattr((struct hlink_handle){ .ino = uf, .sbid = s | HLINK_HANDLE_PROV, .gen = 1 },
		      NULL);
	err2 = getattr((struct hlink_handle){ .ino = uf, .sbid = s | HLINK_HANDLE_PROV,
					      .gen = f.handle.gen }, NULL);
	CHECK(err == -ESTALE && err2 == -ESTALE,
	      "a provisional handle with a nonzero gen is ESTALE (%d, %d)", err, err2);
	err = getattr(prov(1ULL << 62, s), NULL);
	CHECK(err == -ESTALE, "a provisional handle of a unique never used is ESTALE (%d)", err);
	{
		struct hlink_create_in ci = { .dir = xroot, .mode = S_IFREG | 0644,
					      .flags = HLINK_CREATE_EXCL, .uid = 1234, .gid = 5678,
					      .name_len = (uint32_t)strlen("p-zero") };

		begin(HLINK_OP_CREATE);
		((struct hlink_req_hdr *)req)->unique = 0;
		put(&ci, sizeof(ci));
		put_str("p-zero");
		err = send_req();
		if (!err)
			memcpy(&z, body(), sizeof(z));
		err2 = getattr(prov(0, s), NULL);
		CHECK(!err && err2 == -ESTALE,
		      "a CREATE with unique 0 makes its file; provisional handle 0 is ESTALE (%d, %d)",
		      err, err2);
		if (!err)
			forget(z.handle, 1);
		name_op(HLINK_OP_UNLINK, xroot, "p-zero");
	}
	err = make(HLINK_OP_CREATE, root, "p-plain", S_IFREG | 0644, HLINK_CREATE_EXCL, &p);
	next = last_unique();
	CHECK(!err && getattr(prov(next, root.sbid), NULL) == -ESTALE &&
	      getattr(prov(next, s), NULL) == -ESTALE,
	      "no provisional handle on a mount that is not exclusive, nor through another "
	      "export's sbid (%d)", err);
	if (!err)
		forget(p.handle, 1);
	name_op(HLINK_OP_UNLINK, root, "p-plain");
	err = getattr(prov(uf, 63), NULL);
	CHECK(err == -ESTALE, "a provisional handle of an sbid not mounted is ESTALE (%d)", err);

	/* Gone: the provisional handle answers as the real one does. */
	err = name_op(HLINK_OP_UNLINK, xroot, "p-link");
	err2 = getattr(l.handle, NULL);
	CHECK(!err && getattr(prov(ul, s), NULL) == err2,
	      "after UNLINK, GETATTR of the provisional handle answers as of the real one (%d)",
	      err2);
	forget(l.handle, 1);
	forget(f.handle, 1);
	err = getattr(prov(uf, s), NULL);
	err2 = io(HLINK_OP_WRITE, prov(uf, s), 0, data, 1, NULL);
	CHECK(err == -ESTALE && err2 == -ESTALE,
	      "after FORGET of the file CREATE made, its provisional handle is ESTALE (%d, %d)", err,
	      err2);
	forget(d.handle, 1);
	err = make(HLINK_OP_CREATE, prov(ud, s), "late", S_IFREG | 0600, HLINK_CREATE_EXCL, NULL);
	CHECK(err == -ESTALE && getattr(prov(ud, s), NULL) == -ESTALE,
	      "after FORGET of the directory MKDIR made, CREATE in it by its provisional handle is "
	      "ESTALE (%d)", err);
	forget(n.handle, 1);
	CHECK(getattr(prov(un, s), NULL) == -ESTALE, "and the node's after FORGET of it");
	name_op(HLINK_OP_UNLINK, xroot, "p-file");
	name_op(HLINK_OP_UNLINK, xroot, "p-fifo");
	name_op(HLINK_OP_RMDIR, xroot, "p-dir");
}

static int syncfs_req(struct hlink_handle h)
{
	struct hlink_handle_in in = { .handle = h };

	begin(HLINK_OP_SYNCFS);
	put(&in, sizeof(in));
	return send_req();
}

/* SYNCFS (ABI 1.7): the host file system of a handle's file, synced. */
static void t_syncfs(void)
{
	struct hlink_entry_out e;
	int err, err2, err3;

	err = syncfs_req(root);
	CHECK(err == 0 && ((struct hlink_rep_hdr *)rep)->len == sizeof(struct hlink_rep_hdr),
	      "SYNCFS of a valid handle: 0, and the reply is the header alone (%d)", err);
	if (make(HLINK_OP_CREATE, root, "syncfs", S_IFREG | 0600, HLINK_CREATE_EXCL, &e) == 0) {
		err = syncfs_req(e.handle);
		CHECK(err == 0, "SYNCFS of a file's handle (%d)", err);
		forget(e.handle, 1);
		err = syncfs_req(e.handle);
		CHECK(err == -ESTALE, "SYNCFS of a forgotten handle gives ESTALE (%d)", err);
		name_op(HLINK_OP_UNLINK, root, "syncfs");
	}
	err = syncfs_req((struct hlink_handle){ root.ino, root.sbid, root.gen + 1 });
	err2 = syncfs_req((struct hlink_handle){ root.ino, root.sbid, 0 });
	err3 = syncfs_req((struct hlink_handle){ root.ino, 63, root.gen });
	CHECK(err == -ESTALE && err2 == -ESTALE && err3 == -ESTALE,
	      "SYNCFS of a forged handle gives ESTALE (%d, %d, %d)", err, err2, err3);
	{
		struct hlink_handle_in in = { .handle = root };

		begin(HLINK_OP_SYNCFS);
		put(&in, sizeof(in));
		put_str("x");
		err = send_req();
		CHECK(err == -EINVAL, "SYNCFS with bytes after its handle is refused (%d)", err);
	}
	if (xroot.gen) {
		err = syncfs_req(xroot);
		CHECK(err == 0 && ((struct hlink_rep_hdr *)rep)->len == sizeof(struct hlink_rep_hdr),
		      "SYNCFS on an exclusive mount (%d)", err);
	}
}

/* The request as built, its len fixed up, copied to dst; its length. */
static uint32_t req_copy(void *dst)
{
	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	memcpy(dst, req, req_len);
	return (uint32_t)req_len;
}

static long batch(struct hlink_ioc_batch_call *calls, uint32_t count, uint32_t padding)
{
	struct hlink_ioc_batch b = { .calls = (uintptr_t)calls, .count = count,
				     .padding = padding };
	long n = ioctl(kmod_fd, HLINK_IOC_BATCH, &b);

	return n < 0 ? -errno : n;
}

/* HLINK_IOC_BATCH (hlink.ko, ABI 1.7): several calls in one ioctl, in order. */
static void t_batch(void)
{
	static const char *const names[] = {
		"HLINK_IOC_BATCH of CREATE, GETATTR by its provisional handle and UNLINK",
		"HLINK_IOC_BATCH of 0 calls, of HLINK_BATCH_MAX + 1 and with padding: EINVAL",
		"HLINK_IOC_BATCH of HLINK_BATCH_MAX calls",
		"HLINK_IOC_BATCH whose second call's request cannot be read",
		"HLINK_IOC_BATCH whose calls cannot be read: EFAULT",
		"HLINK_IOC_BATCH stops at an entry that cannot be read",
	};
	static struct hlink_ioc_batch_call c[HLINK_BATCH_MAX + 1];
	static unsigned char breq[3][512], brep[3][4096];
	const size_t hdr = sizeof(struct hlink_rep_hdr);
	struct hlink_rep_hdr *rh[3] = { (void *)brep[0], (void *)brep[1], (void *)brep[2] };
	struct hlink_entry_out made;
	struct hlink_attr got;
	struct stat st;
	char path[4400];
	uint64_t u;
	long n;
	size_t k;

	if (kmod_fd < 0) {
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			printf("ok - %s # SKIP user module has no ioctl\n", names[k]);
		return;
	}
	if (!xroot.gen)
		return;
	{
		struct hlink_create_in ci = { .dir = xroot, .mode = S_IFREG | 0600,
					      .flags = HLINK_CREATE_EXCL, .uid = 1234, .gid = 5678,
					      .name_len = 7 };
		struct hlink_name_in ni = { .dir = xroot, .name_len = 7 };
		struct hlink_handle_in hi;

		memset(c, 0, sizeof(c));
		begin(HLINK_OP_CREATE);
		put(&ci, sizeof(ci));
		put_str("b-batch");
		u = last_unique();
		c[0].call.req_len = req_copy(breq[0]);
		hi.handle = prov(u, xroot.sbid);
		begin(HLINK_OP_GETATTR);
		put(&hi, sizeof(hi));
		c[1].call.req_len = req_copy(breq[1]);
		begin(HLINK_OP_UNLINK);
		put(&ni, sizeof(ni));
		put_str("b-batch");
		c[2].call.req_len = req_copy(breq[2]);
		for (k = 0; k < 3; k++) {
			c[k].call.req = (uintptr_t)breq[k];
			c[k].call.rep = (uintptr_t)brep[k];
			c[k].call.rep_max = sizeof(brep[k]);
			c[k].result = -12345;
			memset(brep[k], 0xA5, sizeof(brep[k]));
		}
		n = batch(c, 3, 0);
		memcpy(&made, brep[0] + hdr, sizeof(made));
		memcpy(&got, brep[1] + hdr, sizeof(got));
		host_path(path, sizeof(path), "excl/b-batch");
		CHECK(n == 3 && c[0].result == (long)(hdr + sizeof(made)) && rh[0]->error == 0 &&
		      rh[0]->unique == u && c[1].result == (long)(hdr + sizeof(got)) &&
		      rh[1]->error == 0 && got.ino == made.attr.ino &&
		      c[2].result == (long)hdr && rh[2]->error == 0 &&
		      stat(path, &st) && errno == ENOENT,
		      "%s: all three performed in order, each result its reply's length; returns %ld",
		      names[0], n);
		if (n > 0 && rh[0]->error == 0)
			forget(made.handle, 1);
	}
	{
		long n0 = batch(c, 0, 0), n1 = batch(c, HLINK_BATCH_MAX + 1, 0), n2 = batch(c, 1, 1);

		CHECK(n0 == -EINVAL && n1 == -EINVAL && n2 == -EINVAL, "%s (%ld, %ld, %ld)", names[1],
		      n0, n1, n2);
	}
	{
		struct hlink_handle_in hi = { .handle = xroot };
		int ok = 1;

		begin(HLINK_OP_GETATTR);
		put(&hi, sizeof(hi));
		for (k = 0; k < HLINK_BATCH_MAX; k++)
			c[k] = (struct hlink_ioc_batch_call){
				.call = { .req = (uintptr_t)breq[0], .rep = (uintptr_t)brep[0],
					  .req_len = req_copy(breq[0]), .rep_max = sizeof(brep[0]) },
				.result = -12345 };
		n = batch(c, HLINK_BATCH_MAX, 0);
		for (k = 0; k < HLINK_BATCH_MAX; k++)
			ok &= c[k].result == (long)(hdr + sizeof(struct hlink_attr_out));
		CHECK(n == HLINK_BATCH_MAX && ok && rh[0]->error == 0, "%s: all performed (%ld)",
		      names[2], n);
	}
	{
		/* hlink_batch: the call's own -EFAULT is its result, and the batch goes on. */
		struct hlink_handle_in hi = { .handle = xroot };

		begin(HLINK_OP_GETATTR);
		put(&hi, sizeof(hi));
		for (k = 0; k < 3; k++) {
			c[k] = (struct hlink_ioc_batch_call){
				.call = { .req = (uintptr_t)breq[k], .rep = (uintptr_t)brep[k],
					  .req_len = req_copy(breq[k]), .rep_max = sizeof(brep[k]) },
				.result = -12345 };
			memset(brep[k], 0xA5, sizeof(brep[k]));
		}
		c[1].call.req = 8;
		n = batch(c, 3, 0);
		CHECK(n == 3 && c[0].result == (long)(hdr + sizeof(struct hlink_attr_out)) &&
		      rh[0]->error == 0 && c[1].result == -EFAULT && brep[1][0] == 0xA5 &&
		      c[2].result == (long)(hdr + sizeof(struct hlink_attr_out)) && rh[2]->error == 0,
		      "%s: that call's result is EFAULT, the others are performed; returns %ld",
		      names[3], n);
	}
	n = batch((struct hlink_ioc_batch_call *)8, 1, 0);
	CHECK(n == -EFAULT, "%s (%ld)", names[4], n);
	{
		long page = sysconf(_SC_PAGESIZE);
		unsigned char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct hlink_ioc_batch_call *one;

		if (m == MAP_FAILED || mprotect(m + page, page, PROT_NONE)) {
			CHECK(0, "%s: map the calls", names[5]);
			return;
		}
		/* The first entry ends where the readable memory does. */
		one = (struct hlink_ioc_batch_call *)(m + page) - 1;
		*one = c[0];
		one->result = -12345;
		memset(brep[0], 0xA5, sizeof(brep[0]));
		n = batch(one, 2, 0);
		CHECK(n == 1 && one->result == (long)(hdr + sizeof(struct hlink_attr_out)) &&
		      rh[0]->error == 0,
		      "%s: returns how many were performed (%ld)", names[5], n);
		munmap(m, 2 * page);
	}
}

/* The exclusive mount goes; the export is left as the suite found it. */
static void t_exclusive_end(void)
{
	if (xroot.gen)
		CHECK(umount_sbid(xroot.sbid) == 0 && host_flock_excl(LOCK_EX) == 0,
		      "UMOUNT of the exclusive mount");
	xroot = (struct hlink_handle){ 0 };
	if (excl_dir[0])
		rmdir(excl_dir);
}

static void t_umount(void)
{
	struct hlink_umount_in in = { .sbid = root.sbid };

	begin(HLINK_OP_UMOUNT);
	put(&in, sizeof(in));
	CHECK(send_req() == 0 && getattr(root, NULL) == -ESTALE, "UMOUNT; the root handle is then stale");
}

/* -M: HELLO and MOUNT of one path, for confinement tests run from outside. */
static int try_mount(const char *path)
{
	struct hlink_hello_in hi = { .major = HLINK_ABI_MAJOR, .minor = HLINK_ABI_MINOR };
	struct hlink_mount_in mi = { .path_len = (uint32_t)strlen(path) };
	int err;

	begin(HLINK_OP_HELLO);
	put(&hi, sizeof(hi));
	send_req();
	begin(HLINK_OP_MOUNT);
	put(&mi, sizeof(mi));
	put_str(path);
	err = send_req();
	printf("MOUNT %s: %s\n", path, err ? strerror(-err) : "mounted");
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *transport = "user", *mount_only = NULL;
	long bench_calls = 0;
	int opt, print_allowlist = 0;

	while ((opt = getopt(argc, argv, "t:d:b:M:E")) != -1) {
		if (opt == 'E')
			print_allowlist = 1;
		else if (opt == 'M')
			mount_only = optarg;
		else if (opt == 't')
			transport = optarg;
		else if (opt == 'd')
			kmod_dev = optarg;
		else if (opt == 'b')
			bench_calls = atol(optarg);
		else
			return 2;
	}
	if (optind != argc - 1 || !realpath(argv[optind], export_dir)) {
		fprintf(stderr, "usage: %s [-t user|kmod] [-d DEVICE] [-M PATH] [-E] EMPTY_EXPORT_DIR\n"
			"  -M PATH  only HELLO and MOUNT PATH: exit 0 if mounted, 1 if refused\n"
			"  -E       print the export allowlist the suite needs (hlink.ko's exports=)\n",
			argv[0]);
		return 2;
	}
	make_allowlist();
	if (print_allowlist) {
		/* hlink.ko resolves its allowlist at load: the directories must exist. */
		static const char *const subs[] = { "own-mapped", "own-passthrough", "own-squash",
						    "excl" };
		char p[4400];
		size_t k;

		for (k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
			snprintf(p, sizeof(p), "%s/%s", export_dir, subs[k]);
			if (mkdir(p, 0755) && errno != EEXIST) {
				perror(p);
				return 2;
			}
		}
		printf("%s\n", allowlist);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(transport, "kmod")) {
		kmod_fd = open(kmod_dev, O_RDWR | O_CLOEXEC);
		if (kmod_fd < 0) {
			perror(kmod_dev);
			return 2;
		}
	} else {
		/* Few slots, so eviction and reopening are exercised. */
		struct hlink_host_opts o = { .fd_slots = 32, .trace = getenv("HLINK_TRACE") != NULL,
					     .exports = allowlist };

		host = hlink_host_new(&o);
		if (!host)
			return 2;
	}
	if (mount_only)
		return try_mount(mount_only);
	{
		/* What the file system keeps of a time of 5 ns past the second. */
		const struct timespec ts[2] = { { 1000000, 5 }, { 2000000, 5 } };
		char probe[4200];
		struct stat st;

		snprintf(probe, sizeof(probe), "%s/.time-probe", export_dir);
		close(open(probe, O_CREAT | O_WRONLY, 0600));
		whole_seconds = !utimensat(AT_FDCWD, probe, ts, 0) && !stat(probe, &st) &&
				st.st_mtim.tv_nsec == 0;
		unlink(probe);
	}
	printf("# hlink conformance, transport %s, export %s%s\n", transport, export_dir,
	       whole_seconds ? " (times in whole seconds)" : "");
	t_hello_and_mount();
	if (root.gen && bench_calls > 0) {
		bench(bench_calls);
	} else if (root.gen) {
		t_files();
		t_write_versions();
		t_io_vec();
		t_io_direct();
		t_namespace();
		t_readdir();
		t_readdir_lengths();
		t_readdir_plus();
		t_confinement();
		t_create_races();
		t_name_races();
		t_dotdot_race();
		t_dotdot_reuse();
		t_no_btime_makes();
		t_ino_reuse();
		t_no_allowlist();
		t_vfs_semantics();
		t_create_open();
		t_ownership();
		t_malformed();
		t_many_files();
		t_locks();
		t_slow_calls();
		t_exclusive();
		t_provisional();
		t_syncfs();
		t_batch();
		t_exclusive_end();
		t_umount();
	}
	hlink_host_free(host);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
