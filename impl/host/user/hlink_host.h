/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space host module: serves the hlink ABI (hlink_abi.h) through the
 * host VFS with ordinary system calls, for hosts that cannot load hlink.ko.
 *
 * It is a library. In the UML guest it is linked into the UML binary and
 * called directly by hlinkfs's host-side half, so a request costs a function
 * call and the host system calls it makes, and no extra process hop. Tests
 * link it natively.
 *
 * One caller at a time per struct hlink_host: the UML kernel is
 * uniprocessor, and the tests are single-threaded.
 */
#ifndef HLINK_HOST_H
#define HLINK_HOST_H

#include <stddef.h>

struct hlink_host;

struct hlink_host_opts {
	/* Slots in the open-file table; 0 picks from RLIMIT_NOFILE. */
	unsigned int fd_slots;
	/* Print each request and reply to stderr (">>> LOOKUP", "<<< LOOKUP"). */
	int trace;
	/*
	 * Host directories that MOUNT may export, separated by ':'; a directory
	 * below one of them may be exported too. NULL allows none: the host's
	 * administrator names what a guest may reach.
	 */
	const char *exports;
};

struct hlink_host *hlink_host_new(const struct hlink_host_opts *opts);
void hlink_host_free(struct hlink_host *host);

/*
 * Perform one call. req holds req_len bytes of request; the reply, at most
 * rep_max bytes, goes to rep. Returns the reply's length, or a negative errno
 * when not even an error reply fits (rep_max below the reply header).
 */
long hlink_host_call(struct hlink_host *host, const void *req, size_t req_len,
		     void *rep, size_t rep_max);

/* Counters for tests and benchmarks. */
struct hlink_host_stats {
	unsigned long calls;
	unsigned long fd_opens;		/* open_by_handle_at calls */
	unsigned long fd_evictions;	/* slot collisions that closed a file */
	unsigned long inodes;		/* handles currently issued */
};
void hlink_host_stats(const struct hlink_host *host, struct hlink_host_stats *st);

#endif
