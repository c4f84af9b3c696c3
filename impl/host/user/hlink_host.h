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
 * Any thread may make calls: one call at a time runs, under the module's
 * lock, and a caller that finds it held waits (hlink_host_stats counts
 * those waits). hlink_host_slow_run runs outside it. In UML the callers
 * are the kernel's own thread and the write-behind worker (hlinkfs_user.c).
 * The process's umask is read once, by hlink_host_new: the process must not
 * change it while the module lives (UML does not); a make changes it only
 * for its own system call, under the lock.
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
	/*
	 * The allocator for everything the module allocates, both set or
	 * neither (malloc and free). In UML, malloc is the kernel's kmalloc,
	 * which only the kernel's own thread may call.
	 */
	void *(*alloc)(size_t size);
	void (*free)(void *p);
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

/*
 * A call split in two, so its blocking host work runs on another thread
 * while the caller goes on with other calls (FSYNC, SYNCFS; any other op is answered
 * at once). hlink_host_call_begin returns the reply's length as
 * hlink_host_call does, or 0 with *slow filled: then hlink_host_slow_run
 * (any thread; it touches only *slow) and hlink_host_call_end (the calling
 * side again) give the reply. The slow call holds its own descriptor, so
 * calls in between (FORGET, CLOSE, other files) cannot take it away.
 */
struct hlink_host_slow {
	int fd;
	int datasync;
	int result;			/* 0 or -errno, from hlink_host_slow_run */
	unsigned int opcode;
	unsigned long long unique;
};
long hlink_host_call_begin(struct hlink_host *host, const void *req, size_t req_len,
			   void *rep, size_t rep_max, struct hlink_host_slow *slow);
void hlink_host_slow_run(struct hlink_host_slow *slow);
long hlink_host_call_end(struct hlink_host *host, struct hlink_host_slow *slow,
			 void *rep, size_t rep_max);

/* Counters for tests and benchmarks. */
struct hlink_host_stats {
	unsigned long calls;
	unsigned long slow_calls;	/* calls split by hlink_host_call_begin */
	unsigned long fd_opens;		/* open_by_handle_at calls */
	unsigned long fd_evictions;	/* slot collisions that closed a file */
	unsigned long inodes;		/* handles currently issued */
	unsigned long lock_waits;	/* calls that found the module's lock held */
	unsigned long prov_binds;	/* entries made on exclusive exports (provisional handles) */
};
void hlink_host_stats(struct hlink_host *host, struct hlink_host_stats *st);

#endif
