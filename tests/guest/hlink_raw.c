// SPDX-License-Identifier: GPL-2.0
/*
 * Runs inside a guest as root: sends forged and malformed raw requests to the
 * host module through HLINKFS_IOC_RAW on an hlinkfs directory, as a
 * compromised guest kernel could, and checks that each one is refused.
 *
 * usage: hlink_raw HLINKFS_DIR EXPORT_HOST_PATH
 *        hlink_raw --sealed HLINKFS_DIR EXPORT_HOST_PATH CANARY_HOST_PATH INO
 * Prints "ok"/"not ok" lines, then "N passed, N failed". --sealed is for a
 * guest whose mount namespace holds nothing but this (static) program and
 * the hlinkfs mount (tests/guest/confine-sealed.sh): first the file-level
 * escape attempts (symlinks made in the guest and planted on the host,
 * ../.., rename and link across), then the raw requests; INO is the host
 * inode number of a file outside the export, for forged handles.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlink_abi.h"

static int dirfd_, passed, failed;
static unsigned char req[8192], rep[HLINK_MSG_MAX];
static size_t req_len;

static void begin(uint32_t op)
{
	struct hlink_req_hdr h = { .opcode = op, .unique = 1 };

	memcpy(req, &h, sizeof(h));
	req_len = sizeof(h);
}

static void put(const void *p, size_t n)
{
	memcpy(req + req_len, p, n);
	req_len += n;
}

static int send_req(void)
{
	struct hlink_ioc_call ioc = { .req = (uintptr_t)req, .rep = (uintptr_t)rep,
				      .req_len = (uint32_t)req_len, .rep_max = sizeof(rep) };

	((struct hlink_req_hdr *)req)->len = (uint32_t)req_len;
	if (ioctl(dirfd_, HLINKFS_IOC_RAW, &ioc) < 0)
		return -errno;
	return ((struct hlink_rep_hdr *)rep)->error;
}

static void check(int ok, const char *what, int err)
{
	printf("%s - %s (%d)\n", ok ? "ok" : "not ok", what, err);
	ok ? passed++ : failed++;
}

static int getattr(struct hlink_handle h)
{
	begin(HLINK_OP_GETATTR);
	put(&h, sizeof(h));
	return send_req();
}

static int name_req(uint32_t op, struct hlink_handle dir, const char *name)
{
	struct hlink_name_in in = { .dir = dir, .name_len = (uint32_t)strlen(name) };

	begin(op);
	put(&in, sizeof(in));
	put(name, strlen(name));
	return send_req();
}

static int mount_req(const char *path, struct hlink_handle *root)
{
	struct hlink_mount_in in = { .path_len = (uint32_t)strlen(path) };
	int err;

	begin(HLINK_OP_MOUNT);
	put(&in, sizeof(in));
	put(path, strlen(path));
	err = send_req();
	if (!err && root)
		*root = ((struct hlink_entry_out *)(rep + sizeof(struct hlink_rep_hdr)))->handle;
	return err;
}

/* A row of the confinement table (README): confine|ATTEMPT|OUTCOME| */
static void row(const char *attempt, const char *outcome)
{
	printf("confine|%s|%s|\n", attempt, outcome);
}

/* Write a few bytes to path; 0 if it worked. */
static int write_to(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -errno;
	if (write(fd, "pwned\n", 6) != 6) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

/*
 * The file-level attempts, in a namespace where the host is not reachable
 * but through hlinkfs: what the guest reaches is only the export or its own
 * tmpfs; the host side checks the canary afterwards.
 */
static void sealed_attempts(const char *mnt, const char *canary)
{
	char p[8192], q[8192];
	struct dirent *d;
	DIR *dir;
	int n = 0, err;

	dir = opendir("/");
	while (dir && (d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	if (dir)
		closedir(dir);
	check(n == 2, "the namespace holds only this program and the hlinkfs mount", n);
	row("the guest's view of the host without hostfs (sealed mount namespace)",
	    n == 2 ? "only the export" : "MORE THAN THE EXPORT");
	snprintf(p, sizeof(p), "%s/abs", mnt);
	symlink(canary, p);
	snprintf(p, sizeof(p), "%s/abs/via-abs", mnt);
	err = write_to(p);
	check(err != 0, "write through a guest symlink to the canary's host path fails", err);
	row("a guest symlink to the host path of a host file, written through (sealed guest)",
	    err ? "nothing there" : "WROTE SOMEWHERE");
	snprintf(p, sizeof(p), "%s/../../canary-climb", mnt);
	err = write_to(p);
	check(err != 0 || access("/canary-climb", F_OK) == 0,
	      "../../ out of the mount stays in the guest's namespace", err);
	snprintf(p, sizeof(p), "%s/planted/via-planted", mnt);
	snprintf(q, sizeof(q), "%s/planted-rel/via-planted-rel", mnt);
	err = write_to(p) == 0 || write_to(q) == 0;
	check(!err, "writes through symlinks planted on the host to the canary fail", err);
	row("symlinks planted on the host (absolute, relative) pointing out, written through (sealed guest)",
	    err ? "WROTE SOMEWHERE" : "nothing there");
	snprintf(p, sizeof(p), "%s/mine", mnt);
	write_to(p);
	err = rename(p, "/moved") ? -errno : 0;
	check(err == -EXDEV, "rename out of the export gives EXDEV", err);
	write_to("/outside");
	snprintf(p, sizeof(p), "%s/stolen", mnt);
	err = link("/outside", p) ? -errno : 0;
	check(err == -EXDEV, "hard link from outside into the export gives EXDEV", err);
}

int main(int argc, char **argv)
{
	struct hlink_handle root, forged;
	struct stat st;
	char parent[4096];
	int err, hits = 0, sealed = argc == 6 && !strcmp(argv[1], "--sealed");
	uint32_t sbid, gen;

	if (sealed) {
		argv++;
		argc = 3;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: %s HLINKFS_DIR EXPORT_HOST_PATH\n"
			"       %s --sealed HLINKFS_DIR EXPORT_HOST_PATH CANARY_HOST_PATH INO\n",
			argv[0], argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sealed) {
		/* The old root, left by pivot_root: let go of it, and of the host with it. */
		if (umount2("/old", MNT_DETACH) == 0)
			rmdir("/old");
		sealed_attempts(argv[1], argv[3]);
	}
	dirfd_ = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dirfd_ < 0) {
		perror(argv[1]);
		return 2;
	}

	err = mount_req("/", NULL);
	check(err == -EACCES, "MOUNT of the host's / is refused by the allowlist", err);
	snprintf(parent, sizeof(parent), "%s/..", argv[2]);
	err = mount_req(parent, NULL);
	check(err == -EACCES, "MOUNT of the export's parent is refused", err);
	err = mount_req(argv[2], &root);
	check(err == 0, "MOUNT of the export itself is allowed", err);
	if (err)
		goto out;

	/* Guess handles for a host file outside the export. */
	if (sealed)
		st.st_ino = strtoull(argv[4], NULL, 10);
	else
		stat("/etc/passwd", &st);
	for (sbid = 0; sbid < 8; sbid++)
		for (gen = 0; gen < 4000; gen++) {
			forged = (struct hlink_handle){ .ino = st.st_ino, .sbid = sbid, .gen = gen };
			if (getattr(forged) != -ESTALE)
				hits++;
		}
	check(hits == 0, "32,000 guessed handles for /etc/passwd's inode all answer ESTALE", hits);
	forged = (struct hlink_handle){ .ino = st.st_ino, .sbid = root.sbid, .gen = root.gen };
	err = name_req(HLINK_OP_LOOKUP, forged, "..");
	check(err == -ESTALE, "LOOKUP '..' in a forged directory", err);
	err = name_req(HLINK_OP_LOOKUP, root, "..");
	check(err == 0 && ((struct hlink_entry_out *)(rep + 16))->handle.ino == root.ino,
	      "LOOKUP '..' at the export root stays at the root", err);
	err = name_req(HLINK_OP_LOOKUP, root, "../..");
	check(err == -EINVAL, "LOOKUP '../..' is refused", err);
	err = name_req(HLINK_OP_UNLINK, forged, "passwd");
	check(err == -ESTALE, "UNLINK in a forged directory", err);
	{
		struct hlink_link_in in = { .handle = forged, .dir = root, .name_len = 6 };

		begin(HLINK_OP_LINK);
		put(&in, sizeof(in));
		put("stolen", 6);
		err = send_req();
		check(err == -ESTALE, "LINK of a forged handle into the export", err);
	}
	{
		struct hlink_rename_in in = { .old_dir = root, .new_dir = forged,
					      .old_len = 1, .new_len = 1 };

		begin(HLINK_OP_RENAME);
		put(&in, sizeof(in));
		put("ab", 2);
		err = send_req();
		check(err == -ESTALE, "RENAME into a forged directory", err);
	}
	{
		struct hlink_io_in in = { .handle = root, .buf = 0x1000, .len = 4096 };

		begin(HLINK_OP_WRITE);
		put(&in, sizeof(in));
		err = send_req();
		check(err == -EPERM, "raw WRITE with a guest pointer is refused", err);
	}
	{
		struct hlink_name_in in = { .dir = root, .name_len = 100000 };

		begin(HLINK_OP_LOOKUP);
		put(&in, sizeof(in));
		put("x", 1);
		err = send_req();
		check(err == -EINVAL, "a name length beyond the request", err);
	}
	begin(HLINK_OP_COUNT + 100);
	put(&root, sizeof(root));
	err = send_req();
	check(err == -EOPNOTSUPP, "an unknown opcode", err);
	{
		struct hlink_umount_in in = { .sbid = root.sbid };

		begin(HLINK_OP_UMOUNT);
		put(&in, sizeof(in));
		err = send_req();
		check(err == 0, "UMOUNT of the raw export", err);
	}
out:
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
