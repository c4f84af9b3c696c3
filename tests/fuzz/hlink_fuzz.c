// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the user-space host module: requests as a guest could
 * send them, against a scratch export.
 *
 * An input is a sequence of records, each a 16-bit little-endian length and
 * that many bytes of request (header included). Before a record is sent the
 * harness makes three repairs that a fuzzer would otherwise spend its time
 * guessing, none of which skips a check of the module's:
 *   - a header's len that disagrees with the record is kept only when the
 *     record's first unique byte is odd (so length checks are still fuzzed);
 *   - a handle whose ino is below HANDLES names one of the handles the
 *     module issued earlier in this input (0 is the export root);
 *   - a READ or WRITE buffer address is the harness's own buffer: the guest
 *     kernel, not guest processes, chooses those (README, threat model).
 *   - a MOUNT path not starting with '/' is taken below $HLINK_FUZZ_DIR.
 * Every HLINK_FUZZ_RESET inputs the module is freed and made anew and the
 * export emptied, so leaks and stale handles are exercised too.
 *
 * Built with -fsanitize=fuzzer it is a libFuzzer target (make fuzz); built
 * without, its main() replays the files named on the command line (make
 * test; --transcript prints what each record got) and, with --seeds DIR,
 * writes one valid request of every op there.
 * The export and a directory beside it ("outside") live under
 * $HLINK_FUZZ_DIR; the caller checks that "outside" did not change. With
 * $HLINK_FUZZ_DEV set (/dev/hlink) the requests go to hlink.ko instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlink_abi.h"
#include "hlink_host.h"

#define HANDLES 16
#define HLINK_FUZZ_RESET 2000

static struct hlink_host *host;
static int dev_fd = -1;		/* hlink.ko's device ($HLINK_FUZZ_DEV), or -1 */
static int started;
static char export_dir[4096];
static struct hlink_handle handles[HANDLES];
static unsigned int nhandles, next_handle, inputs;
static unsigned char rep[HLINK_MSG_MAX];
static unsigned char *iobuf;
static FILE *transcript;	/* replay: each record's opcode and error */

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* The reply's length, or a negative errno when the call gave no reply. */
static long call(const void *req, size_t len)
{
	if (dev_fd >= 0) {
		struct hlink_ioc_call ioc = { .req = (uintptr_t)req, .rep = (uintptr_t)rep,
					      .req_len = (uint32_t)len, .rep_max = sizeof(rep) };
		long n = ioctl(dev_fd, HLINK_IOC_CALL, &ioc);

		return n < 0 ? -errno : n;
	}
	{
		/* Every call as the guest's slow path makes it: split where the module splits. */
		struct hlink_host_slow slow;
		long n = hlink_host_call_begin(host, req, len, rep, sizeof(rep), &slow);

		if (n)
			return n;
		hlink_host_slow_run(&slow);
		return hlink_host_call_end(host, &slow, rep, sizeof(rep));
	}
}

/* A fresh host module: hlink.ko's client state goes with its descriptor. */
static void module_open(void)
{
	const char *dev = getenv("HLINK_FUZZ_DEV");
	struct hlink_host_opts o = { .exports = export_dir };

	if (dev && *dev) {
		dev_fd = open(dev, O_RDWR | O_CLOEXEC);
		if (dev_fd < 0)
			die(dev);
		return;
	}
	host = hlink_host_new(&o);
	if (!host)
		die("hlink_host_new");
}

static void module_close(void)
{
	if (dev_fd >= 0)
		close(dev_fd);
	else if (host)
		hlink_host_free(host);
	dev_fd = -1;
	host = NULL;
}

static void remember(const struct hlink_handle *h)
{
	if (nhandles < HANDLES)
		nhandles++;
	handles[next_handle] = *h;
	next_handle = next_handle + 1 < HANDLES ? next_handle + 1 : 1;
}

/* HELLO and MOUNT of the export: handle 0 is its root. */
static void start(void)
{
	struct {
		struct hlink_req_hdr h;
		struct hlink_hello_in in;
	} hello = { { HLINK_OP_HELLO, sizeof(hello), 1 }, { HLINK_ABI_MAJOR, HLINK_ABI_MINOR } };
	struct {
		struct hlink_req_hdr h;
		struct hlink_mount_in in;
		char path[4096];
	} m;
	const struct hlink_rep_hdr *rh = (const void *)rep;
	size_t plen = strlen(export_dir);

	module_open();
	if (call(&hello, sizeof(hello)) < 0 || rh->error)
		die("HELLO");
	memset(&m, 0, sizeof(m));
	m.h.opcode = HLINK_OP_MOUNT;
	m.h.len = sizeof(m.h) + sizeof(m.in) + plen;
	m.in.path_len = plen;
	memcpy(m.path, export_dir, plen);
	if (call(&m, m.h.len) < 0 || rh->error)
		die("MOUNT");
	nhandles = 0;
	next_handle = 0;
	remember(&((const struct hlink_entry_out *)(rh + 1))->handle);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

/* The export's starting contents: a file, a directory, and two symlinks out. */
static void populate(void)
{
	int d, f;

	nftw(export_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	d = open(export_dir, O_RDONLY | O_DIRECTORY);
	if (d < 0)
		die(export_dir);
	f = openat(d, "file", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (f < 0 || write(f, "data\n", 5) != 5)
		die("file");
	close(f);
	mkdirat(d, "dir", 0755);
	symlinkat("../outside", d, "up");
	symlinkat("/etc/passwd", d, "abs");
	close(d);
}

static void setup(void)
{
	const char *base = getenv("HLINK_FUZZ_DIR");

	if (!base || !*base) {
		fprintf(stderr, "hlink_fuzz: set HLINK_FUZZ_DIR to a scratch directory\n");
		exit(2);
	}
	snprintf(export_dir, sizeof(export_dir), "%s/export", base);
	if (mkdir(export_dir, 0755) && errno != EEXIST)
		die(export_dir);
	iobuf = malloc(HLINK_IO_MAX);
	if (!iobuf)
		die("malloc");
	populate();
	start();
}

static void reset(void)
{
	module_close();
	populate();
	start();
}

/* Where an op's fixed part holds handles (offsets into it), or -1. */
static void handle_offsets(uint32_t op, int off[2])
{
	off[0] = off[1] = -1;
	switch (op) {
	case HLINK_OP_HELLO:
	case HLINK_OP_MOUNT:
	case HLINK_OP_UMOUNT:
		return;
	case HLINK_OP_LINK:
		off[1] = offsetof(struct hlink_link_in, dir);
		break;
	case HLINK_OP_RENAME:
		off[1] = offsetof(struct hlink_rename_in, new_dir);
		break;
	}
	off[0] = 0;	/* every other op starts with its handle */
}

/*
 * A MOUNT path that does not start with '/' is taken below $HLINK_FUZZ_DIR
 * ("export", "export/up", "outside"), where the fuzzer can reach the export
 * and what lies beside it. Returns the record's new length.
 */
static size_t repair_mount(unsigned char *r, size_t len)
{
	const size_t fixed = sizeof(struct hlink_req_hdr) + sizeof(struct hlink_mount_in);
	const char *base = getenv("HLINK_FUZZ_DIR");
	size_t add = strlen(base) + 1;
	struct hlink_mount_in in;

	if (len <= fixed || r[fixed] == '/' || len + add > HLINK_MSG_MAX)
		return len;
	memmove(r + fixed + add, r + fixed, len - fixed);
	memcpy(r + fixed, base, add - 1);
	r[fixed + add - 1] = '/';
	memcpy(&in, r + sizeof(struct hlink_req_hdr), sizeof(in));
	in.path_len += add;
	memcpy(r + sizeof(struct hlink_req_hdr), &in, sizeof(in));
	return len + add;
}

/*
 * READ and WRITE name memory in this process: point buf, or HLINK_IO_VEC's
 * pieces (laid end to end), into iobuf. Lengths and counts stay fuzzed; a
 * null base stays null, for the request check to refuse.
 */
static void repair_io(unsigned char *r, size_t len)
{
	size_t at = sizeof(struct hlink_req_hdr), var = at + sizeof(struct hlink_io_in);
	struct hlink_io_in in;
	uint64_t used = 0;

	memcpy(&in, r + at, sizeof(in));
	if (!(in.flags & HLINK_IO_VEC)) {
		in.buf = (uintptr_t)iobuf;
		memcpy(r + at, &in, sizeof(in));
		return;
	}
	for (; var + sizeof(struct hlink_iovec) <= len; var += sizeof(struct hlink_iovec)) {
		struct hlink_iovec s;

		memcpy(&s, r + var, sizeof(s));
		if (s.base)
			s.base = (uintptr_t)iobuf + (used < HLINK_IO_MAX ? used : 0);
		/* Past iobuf's end only if the lengths exceed HLINK_IO_MAX: refused. */
		used += s.len;
		memcpy(r + var, &s, sizeof(s));
	}
}

static size_t repair(unsigned char *r, size_t len)
{
	struct hlink_req_hdr *h = (void *)r;
	int off[2];

	if (len < sizeof(*h))
		return len;
	if (h->opcode == HLINK_OP_MOUNT)
		len = repair_mount(r, len);
	if (!(h->unique & 1))
		h->len = len;
	handle_offsets(h->opcode, off);
	for (int i = 0; i < 2; i++) {
		struct hlink_handle hd;
		size_t at = sizeof(*h) + off[i];

		if (off[i] < 0 || at + sizeof(hd) > len)
			continue;
		memcpy(&hd, r + at, sizeof(hd));
		if (hd.ino < HANDLES && nhandles) {
			hd = handles[hd.ino % nhandles];
			memcpy(r + at, &hd, sizeof(hd));
		}
	}
	if ((h->opcode == HLINK_OP_READ || h->opcode == HLINK_OP_WRITE) &&
	    len >= sizeof(*h) + sizeof(struct hlink_io_in))
		repair_io(r, len);
	return len;
}

static int issues_entry(uint32_t op)
{
	return op == HLINK_OP_LOOKUP || op == HLINK_OP_CREATE || op == HLINK_OP_MKDIR ||
	       op == HLINK_OP_MKNOD || op == HLINK_OP_SYMLINK || op == HLINK_OP_LINK ||
	       op == HLINK_OP_MOUNT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char r[HLINK_MSG_MAX];
	const struct hlink_rep_hdr *rh = (const void *)rep;

	if (!started) {
		setup();
		started = 1;
	}
	if (++inputs % HLINK_FUZZ_RESET == 0)
		reset();
	/* Handle numbers in an input count from its own start: 0 is the root. */
	nhandles = 1;
	next_handle = 1;
	while (size >= 2) {
		size_t len = data[0] | (size_t)data[1] << 8;
		uint32_t op;
		long n;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		memcpy(r, data, len);
		data += len;
		size -= len;
		len = repair(r, len);
		op = len >= 4 ? ((struct hlink_req_hdr *)r)->opcode : 0;
		n = call(r, len);
		if (n < 0 && dev_fd >= 0) {
			/* hlink.ko refused it before decoding (a short request). */
			if (transcript)
				fprintf(transcript, " %u:%ld", op, n);
			continue;
		}
		if (n < (long)sizeof(*rh) || n > (long)sizeof(rep) || rh->len != (uint32_t)n)
			abort();	/* every call gets a well-formed reply */
		if (rh->error > 0 || rh->error < -4095)
			abort();
		if (transcript)
			fprintf(transcript, " %u:%d", op, rh->error);
		if (!rh->error && issues_entry(op) && n >= (long)(sizeof(*rh) + sizeof(struct hlink_entry_out)))
			remember(&((const struct hlink_entry_out *)(rh + 1))->handle);
	}
	return 0;
}

#ifndef HLINK_FUZZ_LIBFUZZER
/* ---- seeds and replay, without libFuzzer ---------------------------------- */

static FILE *seed_file;

static void seed_rec(uint32_t op, const void *in, size_t in_len, const void *var, size_t var_len)
{
	struct hlink_req_hdr h = { op, (uint32_t)(sizeof(h) + in_len + var_len), 0 };
	size_t len = h.len;
	unsigned char lp[2] = { len & 0xff, len >> 8 };

	fwrite(lp, 1, 2, seed_file);
	fwrite(&h, 1, sizeof(h), seed_file);
	fwrite(in, 1, in_len, seed_file);
	if (var_len)
		fwrite(var, 1, var_len, seed_file);
}

static void seed_open(const char *dir, const char *name)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	seed_file = fopen(p, "wb");
	if (!seed_file)
		die(p);
}

#define SEED_NAME(in, dirh, nm) do { \
	memset(&(in), 0, sizeof(in)); (in).dir = (dirh); (in).name_len = strlen(nm); } while (0)

/* One file per op: a valid request of it, after what it needs first. */
static void write_seeds(const char *dir)
{
	struct hlink_handle root = { 0 }, h1 = { .ino = 1 };
	struct hlink_name_in nm;
	struct hlink_create_in cr;
	struct hlink_handle_in hi = { root };
	struct hlink_io_in io = { .handle = h1, .len = 5, .flags = HLINK_IO_WANT_ATTR };
	const char *path = "export";

	/* Most seeds first LOOKUP "file", which becomes handle 1. */
#define LOOKUP_FILE() do { SEED_NAME(nm, root, "file"); \
	seed_rec(HLINK_OP_LOOKUP, &nm, sizeof(nm), "file", 4); } while (0)

	seed_open(dir, "hello");
	{ struct hlink_hello_in in = { HLINK_ABI_MAJOR, HLINK_ABI_MINOR };
	  seed_rec(HLINK_OP_HELLO, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "mount");
	{ struct hlink_mount_in in = { (uint32_t)strlen(path), 0 };
	  seed_rec(HLINK_OP_MOUNT, &in, sizeof(in), path, strlen(path)); }
	fclose(seed_file);
	seed_open(dir, "umount");
	{ struct hlink_umount_in in = { 1, 0 };
	  seed_rec(HLINK_OP_UMOUNT, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "lookup");
	LOOKUP_FILE();
	SEED_NAME(nm, root, "up");
	seed_rec(HLINK_OP_LOOKUP, &nm, sizeof(nm), "up", 2);
	SEED_NAME(nm, root, "..");
	seed_rec(HLINK_OP_LOOKUP, &nm, sizeof(nm), "..", 2);
	fclose(seed_file);
	seed_open(dir, "forget");
	LOOKUP_FILE();
	{ struct hlink_forget_in in = { h1, 1 };
	  seed_rec(HLINK_OP_FORGET, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "getattr");
	seed_rec(HLINK_OP_GETATTR, &hi, sizeof(hi), NULL, 0);
	fclose(seed_file);
	seed_open(dir, "setattr");
	LOOKUP_FILE();
	{ struct hlink_setattr_in in = { .handle = h1, .valid = HLINK_SETATTR_MODE | HLINK_SETATTR_SIZE,
					  .mode = 0600, .size = 3 };
	  seed_rec(HLINK_OP_SETATTR, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "read");
	LOOKUP_FILE();
	seed_rec(HLINK_OP_READ, &io, sizeof(io), NULL, 0);
	fclose(seed_file);
	seed_open(dir, "write");
	LOOKUP_FILE();
	io.flags = HLINK_IO_WANT_ATTR | HLINK_IO_WANT_PRE;
	seed_rec(HLINK_OP_WRITE, &io, sizeof(io), NULL, 0);
	fclose(seed_file);
	seed_open(dir, "write-vec");
	LOOKUP_FILE();
	{ struct hlink_io_in in = io;
	  struct hlink_iovec v[2] = { { 1, 2 }, { 1, 3 } };

	  in.flags |= HLINK_IO_VEC;
	  in.buf = 0;
	  seed_rec(HLINK_OP_WRITE, &in, sizeof(in), v, sizeof(v)); }
	fclose(seed_file);
	seed_open(dir, "read-direct");
	LOOKUP_FILE();
	{ struct hlink_io_in in = io;
	  struct hlink_iovec v[1] = { { 1, 5 } };

	  in.flags = HLINK_IO_VEC | HLINK_IO_DIRECT;
	  in.buf = 0;
	  seed_rec(HLINK_OP_READ, &in, sizeof(in), v, sizeof(v)); }
	fclose(seed_file);
	seed_open(dir, "create");
	SEED_NAME(cr, root, "new");
	cr.mode = S_IFREG | 0644;
	cr.flags = HLINK_CREATE_EXCL;
	cr.uid = 1000;
	cr.gid = 1000;
	seed_rec(HLINK_OP_CREATE, &cr, sizeof(cr), "new", 3);
	fclose(seed_file);
	seed_open(dir, "mkdir");
	SEED_NAME(cr, root, "sub");
	cr.mode = S_IFDIR | 02755;
	seed_rec(HLINK_OP_MKDIR, &cr, sizeof(cr), "sub", 3);
	fclose(seed_file);
	seed_open(dir, "mknod");
	SEED_NAME(cr, root, "fifo");
	cr.mode = S_IFIFO | 0644;
	seed_rec(HLINK_OP_MKNOD, &cr, sizeof(cr), "fifo", 4);
	fclose(seed_file);
	seed_open(dir, "symlink");
	{ struct hlink_symlink_in in = { root, 1000, 1000, 2, 4 };
	  seed_rec(HLINK_OP_SYMLINK, &in, sizeof(in), "snfile", 6); }
	fclose(seed_file);
	seed_open(dir, "readlink");
	SEED_NAME(nm, root, "up");
	seed_rec(HLINK_OP_LOOKUP, &nm, sizeof(nm), "up", 2);
	{ struct hlink_handle_in in = { h1 };
	  seed_rec(HLINK_OP_READLINK, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "link");
	LOOKUP_FILE();
	{ struct hlink_link_in in = { h1, root, 5, 0 };
	  seed_rec(HLINK_OP_LINK, &in, sizeof(in), "hard1", 5); }
	fclose(seed_file);
	seed_open(dir, "unlink");
	SEED_NAME(nm, root, "file");
	seed_rec(HLINK_OP_UNLINK, &nm, sizeof(nm), "file", 4);
	fclose(seed_file);
	seed_open(dir, "unlink-unused");
	LOOKUP_FILE();
	SEED_NAME(nm, root, "file");
	nm.flags = HLINK_UNLINK_UNUSED;
	seed_rec(HLINK_OP_UNLINK, &nm, sizeof(nm), "file", 4);
	{ struct hlink_handle_in in = { h1 };
	  seed_rec(HLINK_OP_GETATTR, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "rmdir");
	SEED_NAME(nm, root, "dir");
	seed_rec(HLINK_OP_RMDIR, &nm, sizeof(nm), "dir", 3);
	fclose(seed_file);
	seed_open(dir, "rename");
	{ struct hlink_rename_in in = { root, root, HLINK_RENAME_NOREPLACE, 4, 7, 0 };
	  seed_rec(HLINK_OP_RENAME, &in, sizeof(in), "filerenamed", 11); }
	fclose(seed_file);
	seed_open(dir, "readdir");
	{ struct hlink_readdir_in in = { root, 0, 4096, 0 };
	  seed_rec(HLINK_OP_READDIR, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "readdir-plus");
	{ struct hlink_readdir_in in = { root, 0, 4096, HLINK_READDIR_PLUS };
	  LOOKUP_FILE();
	  seed_rec(HLINK_OP_READDIR, &in, sizeof(in), NULL, 0);
	  in.max_bytes = 130;
	  seed_rec(HLINK_OP_READDIR, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "statfs");
	seed_rec(HLINK_OP_STATFS, &hi, sizeof(hi), NULL, 0);
	fclose(seed_file);
	seed_open(dir, "fsync");
	LOOKUP_FILE();
	{ struct hlink_fsync_in in = { h1, 1, 0 };
	  seed_rec(HLINK_OP_FSYNC, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "fallocate");
	LOOKUP_FILE();
	{ struct hlink_fallocate_in in = { h1, 0, 4096, 0, 0 };
	  seed_rec(HLINK_OP_FALLOCATE, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "xattr");
	LOOKUP_FILE();
	{ struct hlink_xattr_in in = { h1, 0, 8, 3, 0 };
	  seed_rec(HLINK_OP_SETXATTR, &in, sizeof(in), "user.keyval", 11);
	  in.value_len = 0;
	  in.size = 64;
	  seed_rec(HLINK_OP_GETXATTR, &in, sizeof(in), "user.key", 8);
	  in.name_len = 0;
	  seed_rec(HLINK_OP_LISTXATTR, &in, sizeof(in), NULL, 0);
	  in.name_len = 8;
	  in.size = 0;
	  seed_rec(HLINK_OP_REMOVEXATTR, &in, sizeof(in), "user.key", 8); }
	fclose(seed_file);
	seed_open(dir, "release");
	LOOKUP_FILE();
	{ struct hlink_handle_in in = { h1 };
	  seed_rec(HLINK_OP_RELEASE, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
	seed_open(dir, "lock");
	LOOKUP_FILE();
	{ struct hlink_lock_in in = { .handle = h1, .owner = 1, .start = 0, .end = 99,
				      .type = HLINK_LOCK_WR };
	  seed_rec(HLINK_OP_LOCK, &in, sizeof(in), NULL, 0);
	  in.owner = 2;
	  in.cmd = HLINK_LOCK_TEST;
	  seed_rec(HLINK_OP_LOCK, &in, sizeof(in), NULL, 0);
	  in.cmd = HLINK_LOCK_SET;
	  in.kind = HLINK_LOCK_FLOCK;
	  in.end = HLINK_LOCK_EOF;
	  seed_rec(HLINK_OP_LOCK, &in, sizeof(in), NULL, 0);
	  in.type = HLINK_LOCK_UN;
	  seed_rec(HLINK_OP_LOCK, &in, sizeof(in), NULL, 0); }
	fclose(seed_file);
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc == 3 && !strcmp(argv[1], "--seeds")) {
		write_seeds(argv[2]);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--transcript")) {
		transcript = stdout;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: hlink_fuzz [--transcript] FILE...  replay inputs (HLINK_FUZZ_DIR set);\n"
				"                                          --transcript prints each\n"
				"                                          record's opcode:error\n"
				"       hlink_fuzz --seeds DIR               write one valid request of every op\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		static uint8_t buf[1 << 20];
		FILE *f = fopen(argv[i], "rb");
		size_t n;

		if (!f) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		if (transcript)
			fprintf(transcript, "%s:", strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i]);
		/* Each input from a fresh module and export: order does not matter. */
		if (started)
			reset();
		LLVMFuzzerTestOneInput(buf, n);
		if (transcript)
			fprintf(transcript, "\n");
	}
	module_close();
	free(iobuf);
	fprintf(stderr, "hlink_fuzz: replayed %d inputs\n", argc - 1 - bad);
	return bad;
}
#endif
