// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership models shared by both host modules (hlink_owner.h): decisions
 * only; each module does the file-system calls they ask for.
 */
#ifdef HLINK_KERNEL
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/stat.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#endif
#include "hlink_owner.h"

#define HLINK_OWNER_VERSION 1
#define SETID (S_ISUID | S_ISGID)

static bool word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(s, w, len);
}

/* A decimal id below (u32)-1, the "no id" value. */
static int parse_id(const char *s, size_t len, __u32 *id)
{
	__u64 v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (__u64)(s[i] - '0');
	}
	if (v >= 0xffffffffULL)
		return -EINVAL;
	*id = (__u32)v;
	return 0;
}

/* Whether o[0..n) is "key=ID"; if so, *id is set. A bad ID is no match. */
static bool id_option(const char *o, size_t n, const char *key, __u32 *id)
{
	size_t k = strlen(key);

	return n > k && !memcmp(o, key, k) && !parse_id(o + k, n - k, id);
}

int hlink_policy_parse(const char *s, size_t len, size_t *dir_len, struct hlink_policy *p)
{
	size_t pos = 0;

	*p = (struct hlink_policy){ .ownership = HLINK_OWNERSHIP_MAPPED,
				    .anon_uid = 65534, .anon_gid = 65534 };
	while (pos < len && s[pos] != ',')
		pos++;
	*dir_len = pos;
	while (pos < len) {
		const char *o = s + ++pos;
		size_t n = 0;

		while (pos + n < len && s[pos + n] != ',')
			n++;
		pos += n;
		if (word_is(o, n, "mapped"))
			p->ownership = HLINK_OWNERSHIP_MAPPED;
		else if (word_is(o, n, "passthrough"))
			p->ownership = HLINK_OWNERSHIP_PASSTHROUGH;
		else if (word_is(o, n, "squash"))
			p->ownership = HLINK_OWNERSHIP_SQUASH;
		else if (word_is(o, n, "suid"))
			p->setid = true;
		else if (word_is(o, n, "exclusive"))
			p->exclusive = true;
		else if (!id_option(o, n, "anonuid=", &p->anon_uid) &&
			 !id_option(o, n, "anongid=", &p->anon_gid))
			return -EINVAL;
	}
	return 0;
}

int hlink_allowlist_entry(const char *s, size_t *len, size_t *dir, struct hlink_policy *p)
{
	int err;

	*len = strcspn(s, ":");
	err = hlink_policy_parse(s, *len, dir, p);
	while (*dir > 1 && s[*dir - 1] == '/')
		(*dir)--;
	return err;
}

int hlink_allowlist_check(const char *s, size_t *bad_off, size_t *bad_len)
{
	size_t off, n, m, dir, pdir, prev;
	struct hlink_policy p;

	for (off = 0;; off += n + 1) {
		*bad_off = off;
		if (hlink_allowlist_entry(s + off, &n, &dir, &p) || dir == 0 || s[off] != '/') {
			*bad_len = n;
			return -EINVAL;
		}
		*bad_len = n;
		/* The same directory twice: which model would hold is unclear. */
		for (prev = 0; prev < off; prev += m + 1) {
			hlink_allowlist_entry(s + prev, &m, &pdir, &p);
			if (pdir == dir && !memcmp(s + prev, s + off, dir))
				return -EINVAL;
		}
		if (!s[off + n])
			return 0;
	}
}

static void put32(unsigned char *b, __u32 v)
{
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)(v >> 16);
	b[3] = (unsigned char)(v >> 24);
}

static __u32 get32(const unsigned char *b)
{
	return (__u32)b[0] | (__u32)b[1] << 8 | (__u32)b[2] << 16 | (__u32)b[3] << 24;
}

void hlink_owner_encode(const struct hlink_owner *o, unsigned char rec[HLINK_OWNER_REC_SIZE])
{
	put32(rec, HLINK_OWNER_VERSION);
	put32(rec + 4, o->uid);
	put32(rec + 8, o->gid);
	put32(rec + 12, o->mode);
	put32(rec + 16, o->rdev_major);
	put32(rec + 20, o->rdev_minor);
	put32(rec + 24, (__u32)o->export_id);
	put32(rec + 28, (__u32)(o->export_id >> 32));
}

int hlink_owner_decode(struct hlink_owner *o, const void *rec, size_t len)
{
	const unsigned char *b = rec;

	if (len != HLINK_OWNER_REC_SIZE || get32(b) != HLINK_OWNER_VERSION)
		return -EINVAL;
	*o = (struct hlink_owner){ .uid = get32(b + 4), .gid = get32(b + 8),
				   .mode = get32(b + 12), .rdev_major = get32(b + 16),
				   .rdev_minor = get32(b + 20),
				   .export_id = get32(b + 24) | (__u64)get32(b + 28) << 32 };
	if ((o->mode & ~(S_IFMT | 07777U)) || o->uid == (__u32)-1 || o->gid == (__u32)-1)
		return -EINVAL;
	return 0;
}

bool hlink_owner_marker(__u32 host_mode)
{
	return S_ISREG(host_mode) && (host_mode & S_ISVTX);
}

static bool special(__u32 mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

/*
 * The type the guest sees for a host file of type host_mode with record o:
 * the record's, when it is one a host file of that type can stand for.
 */
static __u32 shown_type(const struct hlink_owner *o, __u32 host_mode)
{
	__u32 t = o->mode & S_IFMT;

	if (t == (host_mode & S_IFMT))
		return t;
	if (hlink_owner_marker(host_mode) && special(o->mode))
		return t;
	return 0;	/* a record that does not fit this file: ignored */
}

/*
 * Permission bits the host gets in mapped mode: the guest's, never set-id;
 * a directory keeps its sticky bit, so host users cannot remove others'
 * entries from a guest's /tmp.
 */
static __u32 mapped_host_perm(__u32 type, __u32 perm)
{
	if (type == S_IFDIR)
		return (perm & (0777 | S_ISVTX)) | 0700;
	if (type == S_IFLNK)
		return 0777;
	if (type == S_IFREG)
		return (perm & 0777) | 0600;
	return S_ISVTX | 0600;	/* a marker file */
}

static __u32 drop_setid(const struct hlink_policy *p, __u32 mode)
{
	if (S_ISDIR(mode) || (p->ownership == HLINK_OWNERSHIP_PASSTHROUGH && p->setid))
		return mode;
	return mode & ~(__u32)SETID;
}

void hlink_owner_show(const struct hlink_policy *p, const struct hlink_owner *o,
		      struct hlink_attr *a)
{
	__u32 t = o && p->ownership == HLINK_OWNERSHIP_MAPPED ? shown_type(o, a->mode) : 0;
	bool full = t && !p->weak_record && o->export_id == p->export_id;

	/* No record (or none that fits): the host's file; set-id bits only with suid. */
	if (!t) {
		a->mode = drop_setid(p, a->mode);
		return;
	}
	if (!full && (S_ISCHR(t) || S_ISBLK(t)))
		t = a->mode & S_IFMT;
	a->mode = t | (o->mode & (full || S_ISDIR(t) ? 07777 : 07777 & ~SETID));
	a->uid = o->uid;
	a->gid = o->gid;
	if (S_ISCHR(t) || S_ISBLK(t)) {
		a->rdev_major = o->rdev_major;
		a->rdev_minor = o->rdev_minor;
	}
}

bool hlink_owner_implied(const struct hlink_policy *p, const struct hlink_owner *o,
			 __u32 host_uid, __u32 host_gid, __u32 host_mode)
{
	struct hlink_attr a = { .uid = host_uid, .gid = host_gid, .mode = host_mode };

	/* Only host root may change a root file's mode later; a weak record is forgeable anyway. */
	if (host_uid != 0 && !p->weak_record)
		return false;
	hlink_owner_show(p, NULL, &a);
	return a.uid == o->uid && a.gid == o->gid && a.mode == o->mode &&
	       !o->rdev_major && !o->rdev_minor;
}

int hlink_policy_make(const struct hlink_policy *p, __u32 mode, __u32 uid, __u32 gid,
		      __u32 rdev_major, __u32 rdev_minor, struct hlink_make *m)
{
	__u32 type = mode & S_IFMT;

	*m = (struct hlink_make){ .uid = uid, .gid = gid };
	if (p->ownership == HLINK_OWNERSHIP_MAPPED) {
		/* A record host users can forge cannot be trusted with a device. */
		if (p->weak_record && (S_ISCHR(mode) || S_ISBLK(mode)))
			return -EPERM;
		m->as_self = true;
		m->record = true;
		m->owner = (struct hlink_owner){ .uid = uid, .gid = gid, .mode = mode,
						 .export_id = p->export_id };
		if (S_ISCHR(mode) || S_ISBLK(mode)) {
			m->owner.rdev_major = rdev_major;
			m->owner.rdev_minor = rdev_minor;
		}
		m->host_mode = (special(mode) ? S_IFREG : type) | mapped_host_perm(type, mode);
		return 0;
	}
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return -EPERM;
	if (p->ownership == HLINK_OWNERSHIP_SQUASH) {
		m->uid = p->anon_uid;
		m->gid = p->anon_gid;
	}
	m->host_mode = drop_setid(p, mode);
	return 0;
}

int hlink_policy_chown(const struct hlink_policy *p, const struct hlink_setattr_in *in,
		       const struct hlink_attr *host, const struct hlink_owner *o,
		       struct hlink_chown *c)
{
	__u32 valid = in->valid & (HLINK_SETATTR_MODE | HLINK_SETATTR_UID | HLINK_SETATTR_GID);
	__u32 type = host->mode & S_IFMT;

	*c = (struct hlink_chown){ .host_uid = in->uid, .host_gid = in->gid };
	if (p->ownership == HLINK_OWNERSHIP_MAPPED) {
		struct hlink_attr shown = *host;

		if (!valid)
			return 0;
		/* From what the guest is shown, so nothing it was not shown comes back. */
		hlink_owner_show(p, o, &shown);
		type = shown.mode & S_IFMT;
		c->owner = (struct hlink_owner){ .uid = shown.uid, .gid = shown.gid,
						 .mode = shown.mode, .rdev_major = shown.rdev_major,
						 .rdev_minor = shown.rdev_minor,
						 .export_id = p->export_id };
		if (valid & HLINK_SETATTR_MODE)
			c->owner.mode = type | (in->mode & 07777);
		if (valid & HLINK_SETATTR_UID)
			c->owner.uid = in->uid;
		if (valid & HLINK_SETATTR_GID)
			c->owner.gid = in->gid;
		c->record = true;
		/* Host permissions follow the guest's on files the host uses as such. */
		if ((valid & HLINK_SETATTR_MODE) && (S_ISREG(host->mode) || S_ISDIR(host->mode)) &&
		    !hlink_owner_marker(host->mode)) {
			c->host_valid = HLINK_SETATTR_MODE;
			c->host_mode = mapped_host_perm(type, in->mode);
		}
		return 0;
	}
	/* squash: as the anonymous user would be allowed, on its own files only. */
	if (p->ownership == HLINK_OWNERSHIP_SQUASH && valid &&
	    (host->uid != p->anon_uid ||
	     ((valid & HLINK_SETATTR_UID) && in->uid != p->anon_uid) ||
	     ((valid & HLINK_SETATTR_GID) && in->gid != p->anon_gid)))
		return -EPERM;
	c->host_valid = valid;
	c->host_mode = drop_setid(p, type | in->mode) & 07777;
	return 0;
}
