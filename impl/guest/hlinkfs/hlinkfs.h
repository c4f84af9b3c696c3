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

/*
 * Slow calls (FSYNC), run on host worker threads. hlinkfs_conn_slow_start
 * starts them and returns the descriptor that signals finished jobs, or
 * -errno (none started); hlinkfs_conn_slow_stop stops them. Without them,
 * every call is answered at once. hlinkfs_conn_submit answers at once as
 * hlinkfs_conn_call does (reply length or -errno), or returns 0 with the
 * call queued in job (hlinkfs_job_size bytes, kept until finished; req, rep
 * likewise). Once a finished job is signalled, hlinkfs_conn_reap returns it
 * (NULL when no more), and hlinkfs_conn_finish gives its reply's length or
 * -errno. Submit and finish are calls like any other: one at a time.
 */
unsigned long hlinkfs_job_size(void);
int hlinkfs_conn_slow_start(struct hlinkfs_conn *conn);
void hlinkfs_conn_slow_stop(struct hlinkfs_conn *conn);
long hlinkfs_conn_submit(struct hlinkfs_conn *conn, void *job, const void *req,
			 unsigned long req_len, void *rep, unsigned long rep_max);
void *hlinkfs_conn_reap(struct hlinkfs_conn *conn);
long hlinkfs_conn_finish(struct hlinkfs_conn *conn, void *job, void *rep,
			 unsigned long rep_max);

#endif
