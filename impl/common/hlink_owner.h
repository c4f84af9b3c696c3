/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ownership models, per export, shared by both host modules: what the
 * guest's uid, gid, mode bits and device numbers become on the host, and
 * what the guest is shown. The host administrator picks one per allowlist
 * entry ("DIR,MODEL[,OPTION...]"):
 *
 * mapped (default)  host files belong to the host module's user, with host
 *                   permissions that carry no set-id bit; the guest's owner,
 *                   group, full mode and device numbers live in one extended
 *                   attribute of the host file (as 9p's mapped-xattr and
 *                   virtiofsd's xattr mapping). Device nodes, FIFOs and
 *                   sockets are regular files on the host, marked by the
 *                   sticky bit. A host file without the attribute shows its
 *                   host owner and mode.
 * passthrough       ids and modes go through; set-id bits on non-directories
 *                   are dropped (kept with "suid"), device nodes refused, and
 *                   the guest does not open devices on the mount.
 * squash            as passthrough, but every new entry belongs to the
 *                   anonymous ids (anonuid=, anongid=, default 65534), and a
 *                   change of owner to another id is refused (EPERM).
 *
 * One more option, with any model: "exclusive" lets a guest mount the
 * export as its only writer (HLINK_MOUNT_EXCLUSIVE), one guest at a time;
 * the administrator promises that no host user writes there meanwhile.
 */
#ifndef HLINK_OWNER_H
#define HLINK_OWNER_H

#ifdef HLINK_KERNEL
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif
#include "hlink_abi.h"

/*
 * The attribute's name: trusted.* where the module may write it (host users
 * can then neither read nor forge it), else user.*. Guests may not use
 * either name.
 */
#define HLINK_OWNER_XATTR_TRUSTED "trusted.hlink.owner"
#define HLINK_OWNER_XATTR_USER "user.hlink.owner"
#define HLINK_OWNER_XATTR_RESERVED "user.hlink."
#define HLINK_OWNER_REC_SIZE 32	/* version, uid, gid, mode, rdev, export */

struct hlink_policy {
	__u32 ownership;	/* HLINK_OWNERSHIP_* */
	bool setid;		/* passthrough: keep set-id bits of non-directories */
	bool exclusive;		/* a guest may mount it as its only writer */
	__u32 anon_uid;
	__u32 anon_gid;
	/* Set at MOUNT, for mapped exports: */
	bool weak_record;	/* in user.*: host users can forge it */
	__u64 export_id;	/* the export root's inode number */
};

/* The guest's view of a file, as the attribute records it. */
struct hlink_owner {
	__u32 uid;
	__u32 gid;
	__u32 mode;		/* type and permission bits */
	__u32 rdev_major;
	__u32 rdev_minor;
	__u64 export_id;	/* the export it was written through */
};

/*
 * A whole allowlist, "ENTRY[:ENTRY...]": every entry well formed, an
 * absolute directory, none empty or named twice. Returns 0, or -EINVAL
 * with the bad entry at s[*bad_off..+*bad_len).
 */
int hlink_allowlist_check(const char *s, size_t *bad_off, size_t *bad_len);

/*
 * The allowlist entry at s (up to ':' or the end of s): its length in
 * *len, the length of its directory without trailing '/' in *dir, its
 * model in *p. Returns 0 or -EINVAL.
 */
int hlink_allowlist_entry(const char *s, size_t *len, size_t *dir, struct hlink_policy *p);

/*
 * One allowlist entry, "DIR[,OPTION...]" in s[0..len): *dir_len is the
 * length of DIR, *p its policy. Returns 0 or -EINVAL (an unknown option).
 */
int hlink_policy_parse(const char *s, size_t len, size_t *dir_len, struct hlink_policy *p);

void hlink_owner_encode(const struct hlink_owner *o, unsigned char rec[HLINK_OWNER_REC_SIZE]);
/* 0, or -EINVAL for a record this module did not write (ignored). */
int hlink_owner_decode(struct hlink_owner *o, const void *rec, size_t len);

/* Whether a host file's mode marks a mapped device node, FIFO or socket. */
bool hlink_owner_marker(__u32 host_mode);

/*
 * Turn the host's attributes into what the guest is shown: the record o
 * (NULL: none) in mapped mode, set-id bits dropped where the guest must not
 * honour them. A record that host users could have forged (weak_record),
 * or written through another export, gives owners and permissions but no
 * set-id bit and no device node.
 */
void hlink_owner_show(const struct hlink_policy *p, const struct hlink_owner *o,
		      struct hlink_attr *a);

/*
 * Whether record o says no more than the host file shows without one (its
 * host owner, group and mode, after hlink_owner_show), and will go on
 * saying so: the file is host root's (or the record would be forgeable
 * anyway). A new entry that this call made itself, not one it found again
 * by name, then needs no record, and no host call to write it.
 */
bool hlink_owner_implied(const struct hlink_policy *p, const struct hlink_owner *o,
			 __u32 host_uid, __u32 host_gid, __u32 host_mode);

/* How to make a new entry the guest asked for (CREATE, MKDIR, MKNOD, SYMLINK). */
struct hlink_make {
	__u32 host_mode;	/* type and permission bits of the host call */
	__u32 uid;		/* owner for the host call, unless as_self */
	__u32 gid;
	bool as_self;		/* mapped: made with the module's own ids */
	bool record;		/* mapped: write owner once made */
	struct hlink_owner owner;
};

/*
 * mode: type and permission bits the guest asked for; rdev for device
 * nodes. Returns 0, or -EPERM (a device node where the model has none).
 */
int hlink_policy_make(const struct hlink_policy *p, __u32 mode, __u32 uid, __u32 gid,
		      __u32 rdev_major, __u32 rdev_minor, struct hlink_make *m);

/* What a SETATTR of mode, uid or gid does on the host. */
struct hlink_chown {
	__u32 host_valid;	/* HLINK_SETATTR_MODE/UID/GID to apply on the host */
	__u32 host_mode;	/* permission bits */
	__u32 host_uid;
	__u32 host_gid;
	bool record;		/* mapped: write owner */
	struct hlink_owner owner;
};

/*
 * in: the request; host: the file's host attributes (as stat gives them);
 * o: its record, or NULL. Returns 0 or -EPERM (squash: a file not of the
 * anonymous user, or another owner than the anonymous ids).
 */
int hlink_policy_chown(const struct hlink_policy *p, const struct hlink_setattr_in *in,
		       const struct hlink_attr *host, const struct hlink_owner *o,
		       struct hlink_chown *c);

#endif
