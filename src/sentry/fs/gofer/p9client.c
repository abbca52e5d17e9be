/* A synchronous 9P2000.L client over one unix socket; see p9client.h. */
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

int p9client_rpc(struct p9_client *c, struct p9_msg *req, uint8_t rtype, struct p9_msg *rep,
		 int *fd_out)
{
	if (fd_out)
		*fd_out = -1;
	if (c->broken)
		return -EIO;
	req->tag = req->type == P9_TVERSION ? P9_NOTAG : 0;
	int n = p9_encode(req, c->buf, c->msize);
	if (n < 0)
		return n; /* the request itself is too big: not the connection's fault */
	int r = p9_send(c->sock, c->buf, (size_t)n, -1);
	if (r < 0)
		return broke(c, r);
	int fd = -1;
	n = p9_recv(c->sock, c->buf, c->msize, &fd);
	if (n <= 0)
		return broke(c, n ? n : -EPIPE);
	memset(rep, 0, sizeof(*rep));
	r = p9_decode(c->buf, (size_t)n, c->msize, rep);
	if (r < 0 || rep->tag != req->tag) {
		if (r >= 0)
			p9_msg_free(rep);
		if (fd >= 0)
			close(fd);
		return broke(c, r < 0 ? r : -EBADMSG);
	}
	if (rep->type == P9_RLERROR) {
		if (fd >= 0)
			close(fd);
		uint32_t e = rep->rlerror.ecode;
		return -(int)(e && e < 4096 ? e : EIO);
	}
	if (rep->type != rtype) {
		p9_msg_free(rep);
		if (fd >= 0)
			close(fd);
		return broke(c, -EBADMSG);
	}
	if (fd_out)
		*fd_out = fd;
	else if (fd >= 0)
		close(fd);
	return 0;
}

uint32_t p9client_fid_new(struct p9_client *c)
{
	uint32_t f = c->next_fid++;
	if (c->next_fid == P9_NOFID)
		c->next_fid = 1;
	return f;
}

void p9client_clunk(struct p9_client *c, uint32_t fid)
{
	struct p9_msg req = {.type = P9_TCLUNK, .fid = {fid}}, rep;
	if (p9client_rpc(c, &req, P9_RCLUNK, &rep, NULL) == 0)
		p9_msg_free(&rep);
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
	req.tattach.uname = "";
	req.tattach.aname = (char *)aname;
	req.tattach.n_uname = P9_NONUNAME;
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
