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
};

static int user_open(struct hlinkfs_conn *c, const char *exports)
{
	struct hlink_host_opts o = { .trace = getenv("HLINK_TRACE") != NULL,
				     .exports = exports };

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

static void kmod_close(struct hlinkfs_conn *c)
{
	close(c->fd);
}

static const struct hlinkfs_transport hlinkfs_transports[] = {
	{ "user", user_open, user_call, user_begin, user_run, user_end, user_close },
	{ "kmod", kmod_open, kmod_call, kmod_begin, kmod_run, kmod_end, kmod_close },
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

void hlinkfs_conn_close(struct hlinkfs_conn *conn)
{
	hlinkfs_conn_slow_stop(conn);
	conn->t->close(conn);
	free(conn);
}
