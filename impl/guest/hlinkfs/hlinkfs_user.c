// SPDX-License-Identifier: GPL-2.0
/*
 * hlinkfs, host side (libc only): the transports to a host module, behind
 * one ops struct. "user" calls the user-space host module linked into this
 * UML binary: a function call, no extra process hop. "kmod" sends each call
 * to hlink.ko on the host with one ioctl on /dev/hlink.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hlink_abi.h"
#include "hlink_host.h"
#include "hlinkfs.h"

struct hlinkfs_transport {
	const char *name;
	int (*open)(struct hlinkfs_conn *conn, const char *exports);
	long (*call)(struct hlinkfs_conn *conn, const void *req, unsigned long len,
		     void *rep, unsigned long max);
	void (*close)(struct hlinkfs_conn *conn);
};

struct hlinkfs_conn {
	const struct hlinkfs_transport *t;
	struct hlink_host *host;	/* user */
	int fd;				/* kmod */
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

static void kmod_close(struct hlinkfs_conn *c)
{
	close(c->fd);
}

static const struct hlinkfs_transport hlinkfs_transports[] = {
	{ "user", user_open, user_call, user_close },
	{ "kmod", kmod_open, kmod_call, kmod_close },
};

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

void hlinkfs_conn_close(struct hlinkfs_conn *conn)
{
	conn->t->close(conn);
	free(conn);
}
