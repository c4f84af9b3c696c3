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

/*
 * Write-behind (exclusive mounts): calls performed later, in the order
 * posted, by one host worker thread. hlinkfs_conn_wb_start starts it and
 * returns the descriptor that signals finished calls (a pipe), or
 * -errno. hlinkfs_conn_wb_post queues a call in job (hlinkfs_wb_job_size
 * bytes; job, req and rep kept until reaped); notify: signal once it is
 * done, as someone may wait for it. hlinkfs_conn_wb_reap takes up to max
 * finished jobs, in the order posted, and clears the signal;
 * hlinkfs_wb_job_result gives a finished job's reply length or -errno.
 * A job may wait until several are posted: hlinkfs_conn_wb_kick has the
 * worker start on what is posted. hlinkfs_conn_wb_arm asks for a signal at
 * the next finished batch, and kicks, unless finished jobs wait already:
 * it returns their number. hlinkfs_conn_wb_run performs up to a batch of
 * posted jobs on the caller's thread, when the worker is idle, for a
 * caller that would wait for them anyway: it returns how many.
 * hlinkfs_conn_wb_ready is that number as a hint, without the queue's lock.
 * hlinkfs_conn_close performs whatever is still queued, then stops it.
 */
struct hlinkfs_wb_stats {
	unsigned long posted;		/* calls queued */
	unsigned long jobs;		/* calls performed */
	unsigned long batches;		/* passes of the worker over the queue */
	unsigned long wakeups;		/* posts that woke an idle worker */
	unsigned long signals;		/* interrupts raised */
	unsigned long lock_waits;	/* host module: calls that waited for its lock */
	unsigned long run_here;		/* calls performed by hlinkfs_conn_wb_run */
};
unsigned long hlinkfs_wb_job_size(void);
long hlinkfs_wb_job_result(const void *job);
int hlinkfs_conn_wb_start(struct hlinkfs_conn *conn);
void hlinkfs_conn_wb_post(struct hlinkfs_conn *conn, void *job, const void *req,
			  unsigned long req_len, void *rep, unsigned long rep_max, int notify);
unsigned int hlinkfs_conn_wb_reap(struct hlinkfs_conn *conn, void **jobs, unsigned int max);
unsigned long hlinkfs_conn_wb_arm(struct hlinkfs_conn *conn);
void hlinkfs_conn_wb_kick(struct hlinkfs_conn *conn);
unsigned int hlinkfs_conn_wb_run(struct hlinkfs_conn *conn);
unsigned long hlinkfs_conn_wb_ready(const struct hlinkfs_conn *conn);
void hlinkfs_conn_wb_stats(struct hlinkfs_conn *conn, struct hlinkfs_wb_stats *st);

#endif
