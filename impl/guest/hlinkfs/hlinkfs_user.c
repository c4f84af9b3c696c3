// SPDX-License-Identifier: GPL-2.0
/*
 * hlinkfs, host side (libc only): the transports to a host module, behind
 * one ops struct. "user" calls the user-space host module linked into this
 * UML binary: a function call, no extra process hop. "kmod" sends each call
 * to hlink.ko on the host with one ioctl on /dev/hlink.
 *
 * Slow calls (FSYNC) run on host worker threads, so the UML kernel's only
 * CPU goes on with other guest processes meanwhile, as ubd's I/O thread
 * lets it: jobs go to the workers through one pipe and come back through
 * another, whose read end the kernel side takes as an interrupt. A worker
 * runs only system calls and never the UML kernel's code (not even malloc,
 * which UML turns into kmalloc), so it needs none of the kernel's state.
 *
 * Write-behind (exclusive mounts) has one worker of its own, which performs
 * queued calls in the order they were posted, taking all that are queued at
 * once (a batch: for hlink.ko, one ioctl). It signals the kernel side
 * through a pipe (UML's interrupts need SIGIO, which an eventfd does not
 * raise) only when asked to (a guest process waits), when a
 * batch held a call someone may wait for without asking (a WRITE of pages
 * under writeback), or when many finished calls are waiting to be reaped:
 * an interrupt costs the guest far more than queueing a call does. The
 * user-space host module it calls allocates with libc's own malloc, which
 * any thread may call, not UML's.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hlink_abi.h"
#include "hlink_host.h"
#include "hlinkfs.h"

#define HLINKFS_WORKERS 4

/* One slow call, in memory the kernel side provides (hlinkfs_job_size). */
struct hlinkfs_job {
	struct hlink_host_slow slow;		/* user */
	const void *req;			/* kmod: the whole call */
	unsigned long len, max;
	void *rep;
	long n;
};

/* One write-behind call, in memory the kernel side provides (hlinkfs_wb_job_size). */
struct hlinkfs_wb_job {
	struct hlinkfs_wb_job *next;
	const void *req;
	unsigned long len, max;
	void *rep;
	long n;				/* reply length or -errno, once done */
	int notify;
};

/* The write-behind queue: posted jobs, and finished ones not yet reaped. */
struct hlinkfs_wbq {
	pthread_mutex_t lock;		/* protects all below */
	pthread_cond_t cond;		/* the worker waits for jobs */
	struct hlinkfs_wb_job *head, **tail;	/* posted */
	struct hlinkfs_wb_job *done, **done_tail;	/* finished */
	unsigned long ndone;
	unsigned int unkicked;		/* posted since the worker was last woken */
	int idle;			/* the worker waits on cond */
	int busy;			/* a batch is being performed (worker or hlinkfs_conn_wb_run) */
	int armed;			/* signal at the next finished batch */
	int stop;
	int sig[2];			/* a pipe: sig[0] is the kernel side's interrupt */
	int signalled;			/* a byte is in sig since the last reap */
	pthread_t thread;
	struct hlinkfs_wb_stats stats;
	struct hlink_ioc_batch_call calls[HLINK_BATCH_MAX];	/* the worker's, for hlink.ko */
};

struct hlinkfs_transport {
	const char *name;
	int (*open)(struct hlinkfs_conn *conn, const char *exports);
	long (*call)(struct hlinkfs_conn *conn, const void *req, unsigned long len,
		     void *rep, unsigned long max);
	/* Queue job (0) or answer at once; run it on a worker; its reply. */
	long (*begin)(struct hlinkfs_conn *conn, struct hlinkfs_job *job, const void *req,
		      unsigned long len, void *rep, unsigned long max);
	void (*run)(struct hlinkfs_conn *conn, struct hlinkfs_job *job);
	long (*end)(struct hlinkfs_conn *conn, struct hlinkfs_job *job, void *rep,
		    unsigned long max);
	/* Perform n write-behind jobs in order, each result in its n. */
	void (*batch)(struct hlinkfs_conn *conn, struct hlinkfs_wb_job **jobs, unsigned int n);
	void (*close)(struct hlinkfs_conn *conn);
};

struct hlinkfs_conn {
	const struct hlinkfs_transport *t;
	struct hlink_host *host;	/* user */
	int fd;				/* kmod */
	int jobs[2];			/* kernel side -> workers: job pointers */
	int done[2];			/* workers -> kernel side; done[0] is the interrupt */
	unsigned int nworkers;
	pthread_t workers[HLINKFS_WORKERS];
	struct hlinkfs_wbq *wb;		/* write-behind, once started */
};

/* libc's own allocator, which UML's link renames: any thread may use it. */
void *__real_malloc(size_t size);
void __real_free(void *p);

static int user_open(struct hlinkfs_conn *c, const char *exports)
{
	struct hlink_host_opts o = { .trace = getenv("HLINK_TRACE") != NULL,
				     .exports = exports, .alloc = __real_malloc,
				     .free = __real_free };

	c->host = hlink_host_new(&o);
	return c->host ? 0 : errno == EINVAL ? -EINVAL : -ENOMEM;
}

static long user_call(struct hlinkfs_conn *c, const void *req, unsigned long len,
		      void *rep, unsigned long max)
{
	return hlink_host_call(c->host, req, len, rep, max);
}

static long user_begin(struct hlinkfs_conn *c, struct hlinkfs_job *job, const void *req,
		       unsigned long len, void *rep, unsigned long max)
{
	return hlink_host_call_begin(c->host, req, len, rep, max, &job->slow);
}

static void user_run(struct hlinkfs_conn *c, struct hlinkfs_job *job)
{
	hlink_host_slow_run(&job->slow);
}

static long user_end(struct hlinkfs_conn *c, struct hlinkfs_job *job, void *rep,
		     unsigned long max)
{
	return hlink_host_call_end(c->host, &job->slow, rep, max);
}

static void user_batch(struct hlinkfs_conn *c, struct hlinkfs_wb_job **jobs, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		jobs[k]->n = hlink_host_call(c->host, jobs[k]->req, jobs[k]->len, jobs[k]->rep,
					     jobs[k]->max);
}

static void user_close(struct hlinkfs_conn *c)
{
	hlink_host_free(c->host);
}

/* hlink.ko takes its allowlist from the host's administrator, not from us. */
static int kmod_open(struct hlinkfs_conn *c, const char *exports)
{
	c->fd = open("/dev/hlink", O_RDWR | O_CLOEXEC);
	return c->fd < 0 ? -errno : 0;
}

static long kmod_call(struct hlinkfs_conn *c, const void *req, unsigned long len,
		      void *rep, unsigned long max)
{
	struct hlink_ioc_call ioc = {
		.req = (uintptr_t)req, .rep = (uintptr_t)rep,
		.req_len = (uint32_t)len, .rep_max = (uint32_t)max,
	};
	int n = ioctl(c->fd, HLINK_IOC_CALL, &ioc);

	return n < 0 ? -errno : n;
}

/* hlink.ko drops its client lock around the sync itself: the whole ioctl waits. */
static long kmod_begin(struct hlinkfs_conn *c, struct hlinkfs_job *job, const void *req,
		       unsigned long len, void *rep, unsigned long max)
{
	*job = (struct hlinkfs_job){ .req = req, .len = len, .rep = rep, .max = max };
	return 0;
}

static void kmod_run(struct hlinkfs_conn *c, struct hlinkfs_job *job)
{
	job->n = kmod_call(c, job->req, job->len, job->rep, job->max);
}

static long kmod_end(struct hlinkfs_conn *c, struct hlinkfs_job *job, void *rep,
		     unsigned long max)
{
	return job->n;
}

/* One ioctl for up to HLINK_BATCH_MAX calls; an older hlink.ko takes them one by one. */
static void kmod_batch(struct hlinkfs_conn *c, struct hlinkfs_wb_job **jobs, unsigned int n)
{
	struct hlink_ioc_batch_call *calls = c->wb->calls;
	struct hlink_ioc_batch b = { .calls = (uintptr_t)calls };
	unsigned int k, done = 0;
	int got;

	while (done < n) {
		b.count = n - done < HLINK_BATCH_MAX ? n - done : HLINK_BATCH_MAX;
		for (k = 0; k < b.count; k++) {
			struct hlinkfs_wb_job *j = jobs[done + k];

			calls[k] = (struct hlink_ioc_batch_call){
				.call = { .req = (uintptr_t)j->req, .rep = (uintptr_t)j->rep,
					  .req_len = (uint32_t)j->len, .rep_max = (uint32_t)j->max },
			};
		}
		got = ioctl(c->fd, HLINK_IOC_BATCH, &b);
		if (got < 0 && (errno == ENOTTY || errno == EINVAL)) {
			/* A module before 1.7: one call each. */
			jobs[done]->n = kmod_call(c, jobs[done]->req, jobs[done]->len,
						  jobs[done]->rep, jobs[done]->max);
			done++;
			continue;
		}
		if (got <= 0) {
			/* Performed or not, unknown: not again, as it may have been. */
			jobs[done++]->n = -EIO;
			continue;
		}
		for (k = 0; k < (unsigned int)got && k < b.count; k++)
			jobs[done + k]->n = calls[k].result;
		done += k;
	}
}

static void kmod_close(struct hlinkfs_conn *c)
{
	close(c->fd);
}

static const struct hlinkfs_transport hlinkfs_transports[] = {
	{ "user", user_open, user_call, user_begin, user_run, user_end, user_batch, user_close },
	{ "kmod", kmod_open, kmod_call, kmod_begin, kmod_run, kmod_end, kmod_batch, kmod_close },
};

static void *worker_main(void *arg)
{
	struct hlinkfs_conn *c = arg;
	struct hlinkfs_job *job;
	ssize_t n;

	/* A pointer is written whole (under PIPE_BUF) and so is read whole. */
	for (;;) {
		n = read(c->jobs[0], &job, sizeof(job));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(job))
			return NULL;	/* end of file: the connection is closing */
		c->t->run(c, job);
		/* A job is never dropped: its caller sleeps until it comes back. */
		while (write(c->done[1], &job, sizeof(job)) < 0 && errno == EINTR)
			;
	}
}

void hlinkfs_conn_slow_stop(struct hlinkfs_conn *c)
{
	unsigned int i;

	if (c->jobs[1] >= 0)
		close(c->jobs[1]);	/* each worker reads end-of-file and returns */
	for (i = 0; i < c->nworkers; i++)
		pthread_join(c->workers[i], NULL);
	if (c->jobs[0] >= 0)
		close(c->jobs[0]);
	if (c->done[0] >= 0)
		close(c->done[0]);
	if (c->done[1] >= 0)
		close(c->done[1]);
	c->nworkers = 0;
	c->jobs[0] = c->jobs[1] = c->done[0] = c->done[1] = -1;
}

/*
 * Workers with every signal blocked: UML's signals (its timer, SIGIO, faults)
 * must reach the kernel's own thread. With none started, calls stay synchronous.
 */
int hlinkfs_conn_slow_start(struct hlinkfs_conn *c)
{
	sigset_t all, old;
	pthread_attr_t attr;
	int err = 0;

	/* A full jobs pipe must not stop the UML kernel: submit then runs the call itself. */
	if (pipe2(c->jobs, O_CLOEXEC) || pipe2(c->done, O_CLOEXEC) ||
	    fcntl(c->jobs[1], F_SETFL, O_NONBLOCK)) {
		err = -errno;
		hlinkfs_conn_slow_stop(c);
		return err;
	}
	err = -pthread_attr_init(&attr);
	if (!err) {
		pthread_attr_setstacksize(&attr, 64 * 1024);
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		while (c->nworkers < HLINKFS_WORKERS &&
		       !(err = -pthread_create(&c->workers[c->nworkers], &attr, worker_main, c)))
			c->nworkers++;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
	}
	if (!c->nworkers) {
		hlinkfs_conn_slow_stop(c);
		return err;
	}
	return c->done[0];
}

int hlinkfs_conn_open(const char *host, const char *exports, struct hlinkfs_conn **conn)
{
	struct hlinkfs_conn *c;
	size_t i;
	int err;

	for (i = 0; i < sizeof(hlinkfs_transports) / sizeof(hlinkfs_transports[0]); i++) {
		if (strcmp(host, hlinkfs_transports[i].name))
			continue;
		c = calloc(1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		c->t = &hlinkfs_transports[i];
		c->jobs[0] = c->jobs[1] = c->done[0] = c->done[1] = -1;
		err = c->t->open(c, exports);
		if (err) {
			free(c);
			return err;
		}
		*conn = c;
		return 0;
	}
	return -EINVAL;
}

long hlinkfs_conn_call(struct hlinkfs_conn *conn, const void *req, unsigned long req_len,
		       void *rep, unsigned long rep_max)
{
	return conn->t->call(conn, req, req_len, rep, rep_max);
}

unsigned long hlinkfs_job_size(void)
{
	return sizeof(struct hlinkfs_job);
}

long hlinkfs_conn_submit(struct hlinkfs_conn *conn, void *job, const void *req,
			 unsigned long req_len, void *rep, unsigned long rep_max)
{
	long n;

	if (!conn->nworkers)
		return conn->t->call(conn, req, req_len, rep, rep_max);
	n = conn->t->begin(conn, job, req, req_len, rep, rep_max);
	if (n)
		return n;
	while (write(conn->jobs[1], &job, sizeof(job)) < 0) {
		if (errno == EINTR)
			continue;
		/* Not queued: run it here, as a synchronous call would. */
		conn->t->run(conn, job);
		return conn->t->end(conn, job, rep, rep_max);
	}
	return 0;
}

void *hlinkfs_conn_reap(struct hlinkfs_conn *conn)
{
	void *job;

	/* done[0] is non-blocking once the kernel side takes it as an interrupt. */
	return read(conn->done[0], &job, sizeof(job)) == sizeof(job) ? job : NULL;
}

long hlinkfs_conn_finish(struct hlinkfs_conn *conn, void *job, void *rep,
			 unsigned long rep_max)
{
	return conn->t->end(conn, job, rep, rep_max);
}

/* ---- write-behind ---------------------------------------------------------- */

#define HLINKFS_WB_BATCH 64		/* jobs performed per pass */
#define HLINKFS_WB_SIGNAL_DONE 512	/* finished jobs that call for a signal anyway */
/*
 * Jobs posted before an idle worker is woken: a wake-up is a host system
 * call and a thread switch, worth making once per batch, not per call.
 * Jobs fewer than that wait for hlinkfs_conn_wb_kick or a waiter's arm.
 */
#define HLINKFS_WB_KICK 16

/* Wake the worker if it sleeps with jobs posted; q->lock held. */
static void wb_wake(struct hlinkfs_wbq *q)
{
	q->unkicked = 0;
	if (q->idle && q->head) {
		q->stats.wakeups++;
		pthread_cond_signal(&q->cond);
	}
}

static void wb_signal(struct hlinkfs_wbq *q)
{
	char one = 1;

	/* One byte pending is enough: the reap that takes it takes every job. */
	if (q->signalled)
		return;
	while (write(q->sig[1], &one, 1) < 0 && errno == EINTR)
		;
	q->signalled = 1;
	q->stats.signals++;
}

/* Take up to a batch of posted jobs, in order, to perform; q->lock held. */
static unsigned int wb_take(struct hlinkfs_wbq *q, struct hlinkfs_wb_job **jobs)
{
	unsigned int n;

	for (n = 0; n < HLINKFS_WB_BATCH && q->head; n++) {
		jobs[n] = q->head;
		q->head = q->head->next;
	}
	if (!q->head)
		q->tail = &q->head;
	q->busy = 1;
	return n;
}

/* Jobs performed: finished, in order; q->lock held. Returns whether one asked for a signal. */
static int wb_done(struct hlinkfs_wbq *q, struct hlinkfs_wb_job **jobs, unsigned int n)
{
	unsigned int k;
	int notify = 0;

	for (k = 0; k < n; k++) {
		jobs[k]->next = NULL;
		*q->done_tail = jobs[k];
		q->done_tail = &jobs[k]->next;
		notify |= jobs[k]->notify;
	}
	q->ndone += n;
	q->stats.batches++;
	q->stats.jobs += n;
	q->busy = 0;
	return notify;
}

static void *wb_main(void *arg)
{
	struct hlinkfs_conn *c = arg;
	struct hlinkfs_wbq *q = c->wb;
	struct hlinkfs_wb_job *jobs[HLINKFS_WB_BATCH];
	unsigned int n;
	int notify;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		while ((!q->head || q->busy) && !q->stop) {
			q->idle = 1;
			pthread_cond_wait(&q->cond, &q->lock);
			q->idle = 0;
		}
		if (!q->head || q->busy)
			break;
		n = wb_take(q, jobs);
		pthread_mutex_unlock(&q->lock);
		c->t->batch(c, jobs, n);
		pthread_mutex_lock(&q->lock);
		notify = wb_done(q, jobs, n);
		if (q->armed || notify || q->ndone >= HLINKFS_WB_SIGNAL_DONE) {
			q->armed = 0;
			wb_signal(q);
		}
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/*
 * For a caller that would wait for the worker anyway: perform a batch of
 * what is posted here, on the caller's thread, if the worker is not at
 * work (else jobs would run out of order). No thread switch and no
 * interrupt. Returns how many were performed.
 */
unsigned int hlinkfs_conn_wb_run(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = c->wb;
	struct hlinkfs_wb_job *jobs[HLINKFS_WB_BATCH];
	unsigned int n = 0;

	pthread_mutex_lock(&q->lock);
	if (!q->busy && q->head) {
		n = wb_take(q, jobs);
		pthread_mutex_unlock(&q->lock);
		c->t->batch(c, jobs, n);
		pthread_mutex_lock(&q->lock);
		wb_done(q, jobs, n);
		q->stats.run_here += n;
		/* The worker waits while a batch is performed here. */
		if (q->stop)
			pthread_cond_signal(&q->cond);
		else
			wb_wake(q);
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

unsigned long hlinkfs_wb_job_size(void)
{
	return sizeof(struct hlinkfs_wb_job);
}

long hlinkfs_wb_job_result(const void *job)
{
	return ((const struct hlinkfs_wb_job *)job)->n;
}

static void wb_free(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = c->wb;

	if (q->sig[0] >= 0)
		close(q->sig[0]);
	if (q->sig[1] >= 0)
		close(q->sig[1]);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	__real_free(q);
	c->wb = NULL;
}

int hlinkfs_conn_wb_start(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = __real_malloc(sizeof(*q));
	sigset_t all, old;
	int err;

	if (!q)
		return -ENOMEM;
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	q->tail = &q->head;
	q->done_tail = &q->done;
	c->wb = q;
	q->sig[0] = q->sig[1] = -1;
	if (pipe2(q->sig, O_CLOEXEC | O_NONBLOCK)) {
		err = -errno;
		wb_free(c);
		return err;
	}
	/* As the slow-call workers: UML's signals stay with the kernel's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&q->thread, NULL, wb_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		wb_free(c);
		return err;
	}
	return q->sig[0];
}

void hlinkfs_conn_wb_post(struct hlinkfs_conn *c, void *job, const void *req,
			  unsigned long req_len, void *rep, unsigned long rep_max, int notify)
{
	struct hlinkfs_wbq *q = c->wb;
	struct hlinkfs_wb_job *j = job;

	*j = (struct hlinkfs_wb_job){ .req = req, .len = req_len, .rep = rep, .max = rep_max,
				      .notify = notify, .n = -EIO };
	pthread_mutex_lock(&q->lock);
	*q->tail = j;
	q->tail = &j->next;
	q->stats.posted++;
	if (notify || ++q->unkicked >= HLINKFS_WB_KICK)
		wb_wake(q);
	pthread_mutex_unlock(&q->lock);
}

unsigned int hlinkfs_conn_wb_reap(struct hlinkfs_conn *c, void **jobs, unsigned int max)
{
	struct hlinkfs_wbq *q = c->wb;
	unsigned int n = 0;
	char buf[16];
	ssize_t r;

	pthread_mutex_lock(&q->lock);
	/* The signal is taken with the jobs: one after this is for what follows. */
	if (q->signalled) {
		do
			r = read(q->sig[0], buf, sizeof(buf));
		while (r > 0 || (r < 0 && errno == EINTR));
		q->signalled = 0;
	}
	while (n < max && q->done) {
		jobs[n++] = q->done;
		q->done = q->done->next;
	}
	if (!q->done)
		q->done_tail = &q->done;
	q->ndone -= n;
	pthread_mutex_unlock(&q->lock);
	return n;
}

unsigned long hlinkfs_conn_wb_arm(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = c->wb;
	unsigned long ready;

	pthread_mutex_lock(&q->lock);
	ready = q->ndone;
	q->armed = !ready;
	if (!ready)
		wb_wake(q);
	pthread_mutex_unlock(&q->lock);
	return ready;
}

void hlinkfs_conn_wb_kick(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = c->wb;

	pthread_mutex_lock(&q->lock);
	wb_wake(q);
	pthread_mutex_unlock(&q->lock);
}

unsigned long hlinkfs_conn_wb_ready(const struct hlinkfs_conn *c)
{
	/* A hint, read without the lock: reap takes it. */
	return __atomic_load_n(&c->wb->ndone, __ATOMIC_RELAXED);
}

void hlinkfs_conn_wb_stats(struct hlinkfs_conn *c, struct hlinkfs_wb_stats *st)
{
	struct hlink_host_stats hs;

	pthread_mutex_lock(&c->wb->lock);
	*st = c->wb->stats;
	pthread_mutex_unlock(&c->wb->lock);
	if (c->host) {
		hlink_host_stats(c->host, &hs);
		st->lock_waits = hs.lock_waits;
	}
}

/* Whatever is still queued is performed first: nothing posted is lost. */
static void wb_stop(struct hlinkfs_conn *c)
{
	struct hlinkfs_wbq *q = c->wb;

	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	wb_free(c);
}

void hlinkfs_conn_close(struct hlinkfs_conn *conn)
{
	wb_stop(conn);
	hlinkfs_conn_slow_stop(conn);
	conn->t->close(conn);
	free(conn);
}
