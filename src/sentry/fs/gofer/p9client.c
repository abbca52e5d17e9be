/* A 9P2000.L client over one unix socket; see p9client.h. */
#include "sentry/fs/gofer/p9client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

static int broke(struct p9_client *c, int why)
{
	if (!c->broken)
		log_warn("gofer connection broken: %s", strerror(-why));
	c->broken = 1;
	return -EIO;
}

/* Tags: 0 for the request waited for, 1 for the second of a pipelined
 * pair, ASYNC_TAG and up for requests whose replies are not waited for
 * (clunks), at most ASYNC_MAX of them outstanding. */
#define ASYNC_TAG 2
#define ASYNC_MAX 64

static int send_msg(struct p9_client *c, struct p9_msg *req, uint16_t tag)
{
	if (c->broken)
		return -EIO;
	req->tag = req->type == P9_TVERSION ? P9_NOTAG : tag;
	int n = p9_encode(req, c->buf, c->msize);
	if (n < 0)
		return n; /* the request itself is too big: not the connection's fault */
	int r = p9_send(c->sock, c->buf, (size_t)n, -1);
	return r < 0 ? broke(c, r) : 0;
}

static int is_async(const struct p9_client *c, const struct p9_msg *m)
{
	return m->tag >= ASYNC_TAG && m->tag != P9_NOTAG && c->pending;
}

/* Drops one reply to a request not waited for. */
static void drop(struct p9_client *c, struct p9_msg *m, int fd)
{
	c->pending--;
	p9_msg_free(m);
	if (fd >= 0)
		close(fd);
}

/* One reply, decoded; -EIO (broken) on a receive or decode error. */
static int recv_one(struct p9_client *c, struct p9_msg *rep, int *fd)
{
	*fd = -1;
	int n = p9_recv(c->sock, c->buf, c->msize, fd);
	if (n <= 0)
		return broke(c, n ? n : -EPIPE);
	memset(rep, 0, sizeof(*rep));
	int r = p9_decode(c->buf, (size_t)n, c->msize, rep);
	if (r < 0 && *fd >= 0)
		close(*fd);
	return r < 0 ? broke(c, r) : 0;
}

/* The next reply that is not to a request nobody waits for. */
static int recv_msg(struct p9_client *c, struct p9_msg *rep, int *fd)
{
	int r;
	while ((r = recv_one(c, rep, fd)) == 0 && is_async(c, rep))
		drop(c, rep, *fd);
	return r;
}

/* Turns a received reply into the result of the request (see p9client.h). */
static int finish(struct p9_client *c, struct p9_msg *rep, int fd, uint8_t rtype, int *fd_out)
{
	int r = 0;
	if (rep->type == P9_RLERROR) {
		uint32_t e = rep->rlerror.ecode;
		r = -(int)(e && e < 4096 ? e : EIO);
	} else if (rep->type != rtype) {
		p9_msg_free(rep);
		r = broke(c, -EBADMSG);
	}
	if (r == 0 && fd_out)
		*fd_out = fd;
	else if (fd >= 0)
		close(fd);
	return r;
}

int p9client_rpc(struct p9_client *c, struct p9_msg *req, uint8_t rtype, struct p9_msg *rep,
		 int *fd_out)
{
	if (fd_out)
		*fd_out = -1;
	int fd, r = send_msg(c, req, 0);
	if (r == 0)
		r = recv_msg(c, rep, &fd);
	if (r < 0)
		return r;
	if (rep->tag != req->tag) {
		p9_msg_free(rep);
		if (fd >= 0)
			close(fd);
		return broke(c, -EBADMSG);
	}
	return finish(c, rep, fd, rtype, fd_out);
}

uint32_t p9client_fid_new(struct p9_client *c)
{
	uint32_t f = c->next_fid++;
	if (c->next_fid == P9_NOFID)
		c->next_fid = 1;
	return f;
}

/* Not waited for: its reply is dropped when the next one is read. */
void p9client_clunk(struct p9_client *c, uint32_t fid)
{
	struct p9_msg req = {.type = P9_TCLUNK, .fid = {fid}}, rep;
	int fd;
	/* nothing else is outstanding: only replies to clunks can come */
	while (c->pending >= ASYNC_MAX && !c->broken && recv_one(c, &rep, &fd) == 0) {
		int ok = is_async(c, &rep);
		drop(c, &rep, fd);
		if (!ok)
			broke(c, -EBADMSG);
	}
	if (send_msg(c, &req, (uint16_t)(ASYNC_TAG + c->async_seq++ % ASYNC_MAX)) == 0)
		c->pending++;
}

int p9client_rpc2(struct p9_client *c, struct p9_msg req[2], const uint8_t rtype[2],
		  struct p9_msg rep[2], int res[2], int *fd_out)
{
	if (fd_out)
		*fd_out = -1;
	res[0] = res[1] = 1; /* 1: no reply yet */
	if (!c->donate) {
		/* a server that may run requests out of order: one at a time */
		if ((res[0] = p9client_rpc(c, &req[0], rtype[0], &rep[0], NULL)) == 0)
			res[1] = p9client_rpc(c, &req[1], rtype[1], &rep[1], fd_out);
		return c->broken ? -EIO : 0;
	}
	int r = send_msg(c, &req[0], 0);
	if (r == 0)
		r = send_msg(c, &req[1], 1);
	for (int i = 0; i < 2 && r == 0; i++) {
		struct p9_msg m;
		int fd;
		if ((r = recv_msg(c, &m, &fd)) < 0)
			break;
		int t = m.tag;
		if ((t != 0 && t != 1) || res[t] != 1) {
			p9_msg_free(&m);
			if (fd >= 0)
				close(fd);
			r = broke(c, -EBADMSG);
			break;
		}
		rep[t] = m;
		res[t] = finish(c, &rep[t], fd, rtype[t], t ? fd_out : NULL);
	}
	if (r < 0) {
		for (int t = 0; t < 2; t++)
			if (res[t] == 0)
				p9_msg_free(&rep[t]);
		if (fd_out && *fd_out >= 0) {
			close(*fd_out);
			*fd_out = -1;
		}
	}
	return r;
}

/* Twalk of nwname (0 or 1) names plus a second request on the new fid;
 * the fid (and *rep) is given back only if both succeeded. */
static int walk_and(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid,
		    struct p9_msg *second, uint8_t rtype, struct p9_msg *rep, int *fd_out)
{
	uint32_t nf = p9client_fid_new(c);
	struct p9_msg req[2] = {{.type = P9_TWALK}, *second}, reps[2];
	req[0].twalk.fid = fid;
	req[0].twalk.newfid = nf;
	req[0].twalk.nwname = name ? 1 : 0;
	req[0].twalk.wname[0] = (char *)name;
	req[1].fid.fid = nf; /* every request used here starts with its fid */
	int res[2];
	int r = p9client_rpc2(c, req, (const uint8_t[]){P9_RWALK, rtype}, reps, res, fd_out);
	if (r < 0)
		return r;
	if (res[0] < 0) /* the walk failed: so did the second request */
		return res[0];
	uint16_t got = reps[0].rwalk.nwqid;
	p9_msg_free(&reps[0]);
	if (got != req[0].twalk.nwname) { /* a partial walk creates no fid */
		if (res[1] == 0) {
			p9_msg_free(&reps[1]);
			p9client_clunk(c, nf);
		}
		if (fd_out && *fd_out >= 0) {
			close(*fd_out);
			*fd_out = -1;
		}
		return -ENOENT;
	}
	if (res[1] < 0) {
		p9client_clunk(c, nf);
		return res[1];
	}
	*rep = reps[1];
	*newfid = nf;
	return 0;
}

int p9client_walk_getattr(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid,
			  struct p9_rgetattr *attr)
{
	struct p9_msg g = {.type = P9_TGETATTR}, rep;
	g.tgetattr.request_mask = P9_GETATTR_BASIC;
	int r = walk_and(c, fid, name, newfid, &g, P9_RGETATTR, &rep, NULL);
	if (r < 0)
		return r;
	*attr = rep.rgetattr;
	p9_msg_free(&rep);
	return 0;
}

int p9client_open(struct p9_client *c, uint32_t fid, uint32_t flags, uint32_t *ofid, int *fd,
		  uint32_t *iounit)
{
	struct p9_msg o = {.type = P9_TLOPEN}, rep;
	o.tlopen.flags = flags;
	int r = walk_and(c, fid, NULL, ofid, &o, P9_RLOPEN, &rep, fd);
	if (r < 0)
		return r;
	*iounit = rep.ropen.iounit;
	p9_msg_free(&rep);
	return 0;
}

int p9client_walk(struct p9_client *c, uint32_t fid, const char *name, uint32_t *newfid)
{
	uint32_t nf = p9client_fid_new(c);
	struct p9_msg req = {.type = P9_TWALK}, rep;
	req.twalk.fid = fid;
	req.twalk.newfid = nf;
	req.twalk.nwname = name ? 1 : 0;
	req.twalk.wname[0] = (char *)name;
	int r = p9client_rpc(c, &req, P9_RWALK, &rep, NULL);
	if (r < 0)
		return r;
	uint16_t got = rep.rwalk.nwqid;
	p9_msg_free(&rep);
	if (got != req.twalk.nwname) {
		/* a partial walk creates no fid */
		return -ENOENT;
	}
	*newfid = nf;
	return 0;
}

int p9client_getattr(struct p9_client *c, uint32_t fid, struct p9_rgetattr *out)
{
	struct p9_msg req = {.type = P9_TGETATTR}, rep;
	req.tgetattr.fid = fid;
	req.tgetattr.request_mask = P9_GETATTR_BASIC;
	int r = p9client_rpc(c, &req, P9_RGETATTR, &rep, NULL);
	if (r < 0)
		return r;
	*out = rep.rgetattr;
	p9_msg_free(&rep);
	return 0;
}

struct p9_client *p9client_connect(int sock, const char *version, int *err)
{
	struct p9_client *c = calloc(1, sizeof(*c));
	if (!c || !(c->buf = malloc(P9CLIENT_MSIZE))) {
		free(c);
		close(sock);
		*err = -ENOMEM;
		return NULL;
	}
	c->refs = 1;
	c->sock = sock;
	c->msize = P9CLIENT_MSIZE;
	c->next_fid = 1;
	struct p9_msg req = {.type = P9_TVERSION}, rep;
	req.version.msize = P9CLIENT_MSIZE;
	req.version.version = (char *)version;
	int r = p9client_rpc(c, &req, P9_RVERSION, &rep, NULL);
	if (r == 0) {
		const char *v = rep.version.version;
		if (rep.version.msize < P9_MIN_MSIZE || rep.version.msize > P9CLIENT_MSIZE ||
		    strncmp(v, P9_VERSION, strlen(P9_VERSION)))
			r = -EPROTONOSUPPORT;
		else {
			c->msize = rep.version.msize;
			c->direct = !strcmp(v, P9_VERSION_DIRECT);
			c->donate = c->direct || !strcmp(v, P9_VERSION_DONATE);
		}
		p9_msg_free(&rep);
	}
	if (r < 0) {
		p9client_put(c);
		*err = r;
		return NULL;
	}
	return c;
}

int p9client_attach(struct p9_client *c, const char *aname, uint32_t *root_fid, int *dir_fd)
{
	uint32_t fid = p9client_fid_new(c);
	struct p9_msg req = {.type = P9_TATTACH}, rep;
	req.tattach.fid = fid;
	req.tattach.afid = P9_NOFID;
	req.tattach.uname = "root"; /* what servers that check users (diod) want */
	req.tattach.aname = (char *)aname;
	req.tattach.n_uname = 0;
	int fd = -1;
	int r = p9client_rpc(c, &req, P9_RATTACH, &rep, &fd);
	if (r < 0)
		return r;
	p9_msg_free(&rep);
	*root_fid = fid;
	if (dir_fd)
		*dir_fd = fd;
	else if (fd >= 0)
		close(fd);
	return 0;
}

struct p9_client *p9client_get(struct p9_client *c)
{
	c->refs++;
	return c;
}

void p9client_put(struct p9_client *c)
{
	if (!c || --c->refs > 0)
		return;
	close(c->sock);
	free(c->buf);
	free(c);
}
