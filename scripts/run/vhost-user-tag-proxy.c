// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-user-tag-proxy: let UML's virtio-fs driver use QEMU's C virtiofsd.
 *
 * UML's virtio_uml reads a virtio-fs device's tag through
 * VHOST_USER_GET_CONFIG, which needs VHOST_USER_PROTOCOL_F_CONFIG. The C
 * virtiofsd shipped by Debian does not offer that feature (QEMU itself fills
 * in the tag), so the probe fails with -EINVAL. This proxy sits on the control
 * socket only: it advertises F_CONFIG to the guest, answers GET_CONFIG with
 * the tag itself, strips F_CONFIG before SET_PROTOCOL_FEATURES reaches the
 * daemon, and relays every other message with its file descriptors untouched.
 * Memory, kick/call eventfds and the slave channel are passed straight
 * through as descriptors, so the data path never crosses this process.
 *
 * usage: vhost-user-tag-proxy LISTEN_SOCKET BACKEND_SOCKET TAG
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define VU_GET_PROTOCOL_FEATURES 15
#define VU_SET_PROTOCOL_FEATURES 16
#define VU_GET_CONFIG 24
#define VU_F_PROTOCOL_CONFIG (1ULL << 9)
#define VU_FLAG_VERSION 0x1
#define VU_FLAG_REPLY 0x4
#define VU_HDR_SIZE 12
#define VU_MAX_PAYLOAD 4096
#define VU_MAX_FDS 8
/* struct virtio_fs_config: char tag[36]; le32 num_request_queues. */
#define VIRTIO_FS_TAG_LEN 36
#define VIRTIO_FS_CONFIG_LEN 40

struct vu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	uint8_t payload[VU_MAX_PAYLOAD];
	int fds[VU_MAX_FDS];
	int nfds;
};

static const char *tag;

static void die(const char *what)
{
	fprintf(stderr, "vhost-user-tag-proxy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Receive one message; returns -1 on EOF or a malformed message. */
static int recv_msg(int fd, struct vu_msg *m)
{
	char ctl[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
	uint32_t hdr[3];
	struct iovec iov = { hdr, VU_HDR_SIZE };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	ssize_t n;

	do {
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_WAITALL);
	} while (n < 0 && errno == EINTR);
	if (n != VU_HDR_SIZE)
		return -1;
	m->nfds = 0;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			m->nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(m->fds, CMSG_DATA(c), sizeof(int) * (size_t)m->nfds);
		}
	}
	m->request = hdr[0];
	m->flags = hdr[1];
	m->size = hdr[2];
	if (m->size > VU_MAX_PAYLOAD) {
		fprintf(stderr, "vhost-user-tag-proxy: oversized message %u\n", m->size);
		return -1;
	}
	return read_full(fd, m->payload, m->size);
}

static int send_msg(int fd, struct vu_msg *m)
{
	char ctl[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
	uint32_t hdr[3] = { m->request, m->flags, m->size };
	struct iovec iov[2] = { { hdr, VU_HDR_SIZE }, { m->payload, m->size } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n;
	int i;

	if (m->nfds) {
		struct cmsghdr *c;

		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)m->nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)m->nfds);
		memcpy(CMSG_DATA(c), m->fds, sizeof(int) * (size_t)m->nfds);
	}
	do {
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	/* The peer holds its own copies now. */
	for (i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	return n == (ssize_t)(VU_HDR_SIZE + m->size) ? 0 : -1;
}

/* Answer GET_CONFIG: the payload is {offset, size, flags, bytes[size]}. */
static void answer_get_config(struct vu_msg *m)
{
	uint8_t cfg[VIRTIO_FS_CONFIG_LEN] = { 0 };
	uint32_t off, size, nq = 1;

	memcpy(&off, m->payload, 4);
	memcpy(&size, m->payload + 4, 4);
	strncpy((char *)cfg, tag, VIRTIO_FS_TAG_LEN);
	memcpy(cfg + VIRTIO_FS_TAG_LEN, &nq, 4);
	if (m->size < 12 || size > m->size - 12)
		size = 0;
	memset(m->payload + 12, 0, size);
	if (off < sizeof(cfg))
		memcpy(m->payload + 12, cfg + off,
		       size < sizeof(cfg) - off ? size : sizeof(cfg) - off);
	m->flags = VU_FLAG_VERSION | VU_FLAG_REPLY;
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "vhost-user-tag-proxy: path too long: %s\n", path);
		exit(1);
	}
	strcpy(a.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
		die(path);
	return fd;
}

static int connect_to(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(a.sun_path))
		die("socket");
	strcpy(a.sun_path, path);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd p[2];
	struct vu_msg m;
	int lfd, front, back;

	if (argc != 4) {
		fprintf(stderr, "usage: %s LISTEN_SOCKET BACKEND_SOCKET TAG\n", argv[0]);
		return 2;
	}
	tag = argv[3];
	if (strlen(tag) > VIRTIO_FS_TAG_LEN) {
		fprintf(stderr, "vhost-user-tag-proxy: tag longer than %d bytes\n",
			VIRTIO_FS_TAG_LEN);
		return 2;
	}
	lfd = listen_on(argv[1]);
	front = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (front < 0)
		die("accept");
	close(lfd);
	back = connect_to(argv[2]);

	p[0] = (struct pollfd){ .fd = front, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = back, .events = POLLIN };
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[0].revents) {
			if (recv_msg(front, &m))
				return 0;
			if (m.request == VU_GET_CONFIG) {
				answer_get_config(&m);
				if (send_msg(front, &m))
					return 0;
				continue;
			}
			if (m.request == VU_SET_PROTOCOL_FEATURES && m.size >= 8) {
				uint64_t f;

				memcpy(&f, m.payload, 8);
				f &= ~VU_F_PROTOCOL_CONFIG;
				memcpy(m.payload, &f, 8);
			}
			if (send_msg(back, &m))
				return 0;
		}
		if (p[1].revents) {
			if (recv_msg(back, &m))
				return 0;
			if ((m.flags & VU_FLAG_REPLY) &&
			    m.request == VU_GET_PROTOCOL_FEATURES && m.size >= 8) {
				uint64_t f;

				memcpy(&f, m.payload, 8);
				f |= VU_F_PROTOCOL_CONFIG;
				memcpy(m.payload, &f, 8);
			}
			if (send_msg(front, &m))
				return 0;
		}
	}
}
