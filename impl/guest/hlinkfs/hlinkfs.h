/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between hlinkfs's two halves: hlinkfs_kern.c (kernel headers
 * only) and hlinkfs_user.c (libc only), as hostfs splits hostfs_kern.c and
 * hostfs_user.c. Plain C types only.
 */
#ifndef HLINKFS_H
#define HLINKFS_H

struct hlinkfs_conn;

/*
 * Connect to the host module named by host ("user" or "kmod"); 0 or -errno.
 * exports is the host's allowlist of exportable directories (NULL: any).
 */
int hlinkfs_conn_open(const char *host, const char *exports, struct hlinkfs_conn **conn);
/* One ABI call; the reply's length, or -errno. */
long hlinkfs_conn_call(struct hlinkfs_conn *conn, const void *req, unsigned long req_len,
		       void *rep, unsigned long rep_max);
void hlinkfs_conn_close(struct hlinkfs_conn *conn);

#endif
