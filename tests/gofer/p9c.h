/* A tiny synchronous 9P2000.L client for tests, on top of src/p9: one
 * request in flight, replies decoded into the caller's struct p9_msg (free
 * with p9_msg_free; data points into the client's receive buffer until the
 * next call). Not the Sentry's client. */
#ifndef CVISOR_TESTS_P9C_H
#define CVISOR_TESTS_P9C_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "p9/p9.h"

struct p9c {
	int sock;
	uint32_t msize;
	uint16_t tag;
	int fd; /* fd donated with the last reply, or -1; the caller takes it */
	uint8_t tx[1 << 16], rx[1 << 16];
};

static inline void p9c_init(struct p9c *c, int sock)
{
	c->sock = sock;
	c->msize = sizeof(c->rx);
	c->tag = 0;
	c->fd = -1;
}

/* Sends t and waits for its reply. 0 and *r filled, -ecode for Rlerror, or
 * another negative errno for a transport or protocol failure. */
static inline int p9c_rpc(struct p9c *c, struct p9_msg *t, struct p9_msg *r)
{
	t->tag = t->type == P9_TVERSION ? P9_NOTAG : c->tag++;
	int len = p9_encode(t, c->tx, c->msize);
	if (len < 0)
		return len;
	int err = p9_send(c->sock, c->tx, (size_t)len, -1);
	if (err < 0)
		return err;
	if (c->fd >= 0)
		close(c->fd);
	len = p9_recv(c->sock, c->rx, sizeof(c->rx), &c->fd);
	if (len <= 0)
		return len == 0 ? -ECONNRESET : len;
	err = p9_decode(c->rx, (size_t)len, sizeof(c->rx), r);
	if (err < 0)
		return err;
	if (r->tag != t->tag)
		return -EPROTO;
	if (r->type == P9_RLERROR)
		return -(int)r->rlerror.ecode;
	return r->type == t->type + 1 ? 0 : -EPROTO;
}

/* Sends raw bytes and reads one raw reply; for malformed-input tests. */
static inline int p9c_raw(struct p9c *c, const void *buf, size_t len, struct p9_msg *r)
{
	int err = p9_send(c->sock, buf, len, -1);
	if (err < 0)
		return err;
	int n = p9_recv(c->sock, c->rx, sizeof(c->rx), NULL);
	if (n <= 0)
		return n == 0 ? -ECONNRESET : n;
	return p9_decode(c->rx, (size_t)n, sizeof(c->rx), r);
}

static inline int p9c_version(struct p9c *c, const char *version, char *out, size_t cap)
{
	struct p9_msg t = {.type = P9_TVERSION}, r;
	t.version = (struct p9_version){c->msize, (char *)version};
	int err = p9c_rpc(c, &t, &r);
	if (err < 0)
		return err;
	c->msize = r.version.msize;
	snprintf(out, cap, "%s", r.version.version);
	p9_msg_free(&r);
	return 0;
}

static inline int p9c_attach(struct p9c *c, uint32_t fid, const char *aname, struct p9_qid *q)
{
	struct p9_msg t = {.type = P9_TATTACH}, r;
	t.tattach = (struct p9_tattach){fid, P9_NOFID, "root", (char *)aname, 0};
	int err = p9c_rpc(c, &t, &r);
	if (err == 0 && q)
		*q = r.rqid.qid;
	return err;
}

/* Walks "a/b/c" (split at '/', "" walks nothing). Returns the number of
 * qids the server answered (partial walks are < the element count), or a
 * negative errno. Names containing '/' can be sent with p9c_walk1(). */
static inline int p9c_walkv(struct p9c *c, uint32_t fid, uint32_t newfid, int n, char **names,
			    struct p9_qid *last)
{
	struct p9_msg t = {.type = P9_TWALK}, r;
	t.twalk.fid = fid;
	t.twalk.newfid = newfid;
	t.twalk.nwname = (uint16_t)n;
	for (int i = 0; i < n; i++)
		t.twalk.wname[i] = names[i];
	int err = p9c_rpc(c, &t, &r);
	if (err < 0)
		return err;
	if (last && r.rwalk.nwqid)
		*last = r.rwalk.wqid[r.rwalk.nwqid - 1];
	return r.rwalk.nwqid;
}

static inline int p9c_walk(struct p9c *c, uint32_t fid, uint32_t newfid, const char *path,
			   struct p9_qid *last)
{
	char buf[1024], *names[P9_MAXWELEM], *save = NULL;
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = strtok_r(buf, "/", &save); s && n < P9_MAXWELEM;
	     s = strtok_r(NULL, "/", &save))
		names[n++] = s;
	int got = p9c_walkv(c, fid, newfid, n, names, last);
	return got < 0 ? got : got == n ? 0 : -ENOENT;
}

static inline int p9c_walk1(struct p9c *c, uint32_t fid, uint32_t newfid, const char *name)
{
	char *names[1] = {(char *)name};
	int got = p9c_walkv(c, fid, newfid, 1, names, NULL);
	return got < 0 ? got : 0;
}

static inline int p9c_open(struct p9c *c, uint32_t fid, uint32_t flags)
{
	struct p9_msg t = {.type = P9_TLOPEN}, r;
	t.tlopen = (struct p9_tlopen){fid, flags};
	return p9c_rpc(c, &t, &r);
}

static inline int p9c_clunk(struct p9c *c, uint32_t fid)
{
	struct p9_msg t = {.type = P9_TCLUNK}, r;
	t.fid.fid = fid;
	return p9c_rpc(c, &t, &r);
}

/* Reads the whole file from offset 0 into buf; returns bytes read. */
static inline int p9c_read_all(struct p9c *c, uint32_t fid, void *buf, size_t cap)
{
	size_t done = 0;
	for (;;) {
		struct p9_msg t = {.type = P9_TREAD}, r;
		uint32_t want = c->msize - P9_IOHDRSZ;
		if (want > cap - done)
			want = (uint32_t)(cap - done);
		t.tread = (struct p9_tread){fid, done, want};
		int err = p9c_rpc(c, &t, &r);
		if (err < 0)
			return err;
		memcpy((char *)buf + done, r.rread.data, r.rread.count);
		done += r.rread.count;
		if (r.rread.count == 0 || done == cap)
			return (int)done;
	}
}

static inline int p9c_write(struct p9c *c, uint32_t fid, uint64_t off, const void *buf, uint32_t n)
{
	struct p9_msg t = {.type = P9_TWRITE}, r;
	t.twrite = (struct p9_twrite){fid, off, {n, buf}};
	int err = p9c_rpc(c, &t, &r);
	return err < 0 ? err : (int)r.rwrite.count;
}

/* Lists a directory fid (opened here) into names joined by '\n', sorted by
 * the server's order; count is the per-request size. Returns entries. */
static inline int p9c_list(struct p9c *c, uint32_t fid, uint32_t count, char *out, size_t cap)
{
	int err = p9c_open(c, fid, 0);
	if (err < 0)
		return err;
	uint64_t off = 0;
	int n = 0;
	size_t used = 0;
	out[0] = 0;
	for (;;) {
		struct p9_msg t = {.type = P9_TREADDIR}, r;
		t.tread = (struct p9_tread){fid, off, count};
		if ((err = p9c_rpc(c, &t, &r)) < 0)
			return err;
		if (r.rread.count == 0)
			return n;
		size_t pos = 0;
		struct p9_dirent d;
		while ((err = p9_dirent_next(r.rread.data, r.rread.count, &pos, &d)) > 0) {
			used +=
			    (size_t)snprintf(out + used, cap - used, "%.*s\n", d.namelen, d.name);
			if (used >= cap)
				return -ENOSPC;
			off = d.offset;
			n++;
		}
		if (err < 0)
			return err;
	}
}

#endif
