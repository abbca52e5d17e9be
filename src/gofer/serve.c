/* The serve loop: one connection, one request at a time. Each frame is read
 * whole, decoded (a malformed frame never reaches a handler: it gets
 * Rlerror EBADMSG), handled, and answered with one reply frame, which in
 * donation mode may carry an fd. */
#include "gofer/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

static int op_version(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	/* A new version starts a new session: every fid goes. */
	gfid_clear(c);
	c->donate = c->direct = false;
	uint32_t msize = t->version.msize < GOFER_MAX_MSIZE ? t->version.msize : GOFER_MAX_MSIZE;
	const char *v = t->version.version;
	if (msize < P9_MIN_MSIZE)
		return -EINVAL;
	c->msize = msize;
	r->version.msize = msize;
	if (!strcmp(v, P9_VERSION_DIRECT)) {
		c->donate = c->direct = true;
		r->version.version = P9_VERSION_DIRECT;
	} else if (!strcmp(v, P9_VERSION_DONATE)) {
		c->donate = true;
		r->version.version = P9_VERSION_DONATE;
	} else if (!strncmp(v, P9_VERSION, strlen(P9_VERSION))) {
		r->version.version = P9_VERSION;
	} else {
		/* No common protocol: no session either. */
		c->msize = 0;
		r->version.version = "unknown";
	}
	return 0;
}

static const struct gofer_export *find_export(struct gconn *c, const char *aname)
{
	if (!*aname)
		return c->nexports ? &c->exports[0] : NULL;
	for (size_t i = 0; i < c->nexports; i++)
		if (!strcmp(c->exports[i].aname, aname))
			return &c->exports[i];
	return NULL;
}

static int op_attach(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	if (t->tattach.afid != P9_NOFID)
		return -EINVAL; /* no authentication: Tauth is refused */
	const struct gofer_export *e = find_export(c, t->tattach.aname);
	if (!e)
		return -ENOENT;
	int fd = fcntl(e->root_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct gnode *root = gnode_new(fd, NULL, NULL);
	if (!root) {
		close(fd);
		return -ENOMEM;
	}
	struct stat st;
	int err = gnode_stat(root, &st);
	struct gfid *f;
	if (err == 0)
		err = gfid_add(c, t->tattach.fid, &f);
	if (err < 0) {
		gnode_put(root);
		return err;
	}
	f->node = root;
	f->exp = e;
	f->uid = t->tattach.n_uname == P9_NONUNAME ? 0 : t->tattach.n_uname;
	gofer_qid(&st, &r->rqid.qid);
	if (c->direct && S_ISDIR(st.st_mode))
		c->pass_fd = root->fd; /* the client walks the export itself */
	return 0;
}

/* No authentication: the socket is the credential. ENOENT is how diod's
 * clients learn "auth not required"; Linux never sends Tauth unasked. */
static int op_auth(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	return -ENOENT;
}

static int op_flush(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	return 0; /* requests are answered in order: nothing is ever pending */
}

static int op_clunk(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	if (!gfid_find(c, t->fid.fid))
		return -EBADF;
	gfid_del(c, t->fid.fid);
	return 0;
}

static int op_xattr(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	return -EOPNOTSUPP;
}

static const gofer_op ops[P9_TYPE_MAX] = {
    [P9_TVERSION] = op_version,	   [P9_TAUTH] = op_auth,	[P9_TATTACH] = op_attach,
    [P9_TFLUSH] = op_flush,	   [P9_TCLUNK] = op_clunk,	[P9_TWALK] = gop_walk,
    [P9_TLOPEN] = gop_lopen,	   [P9_TLCREATE] = gop_lcreate, [P9_TREAD] = gop_read,
    [P9_TWRITE] = gop_write,	   [P9_TREADDIR] = gop_readdir, [P9_TGETATTR] = gop_getattr,
    [P9_TSETATTR] = gop_setattr,   [P9_TSTATFS] = gop_statfs,	[P9_TFSYNC] = gop_fsync,
    [P9_TREADLINK] = gop_readlink, [P9_TLOCK] = gop_lock,	[P9_TGETLOCK] = gop_getlock,
    [P9_TMKDIR] = gop_mkdir,	   [P9_TSYMLINK] = gop_symlink, [P9_TMKNOD] = gop_mknod,
    [P9_TLINK] = gop_link,	   [P9_TRENAME] = gop_rename,	[P9_TRENAMEAT] = gop_renameat,
    [P9_TUNLINKAT] = gop_unlinkat, [P9_TREMOVE] = gop_remove,	[P9_TXATTRWALK] = op_xattr,
    [P9_TXATTRCREATE] = op_xattr,
};

/* Handles one decoded (or undecodable, err < 0) request; returns the reply
 * length or a negative errno if no reply can be built. */
static int handle(struct gconn *c, struct p9_msg *t, int err)
{
	struct p9_msg r = {.type = (uint8_t)(t->type + 1), .tag = t->tag};
	c->pass_fd = -1;
	if (err == 0) {
		gofer_op op = ops[t->type];
		/* Before Tversion only Tversion is answered. */
		if (!op)
			err = -EOPNOTSUPP;
		else if (!c->msize && t->type != P9_TVERSION)
			err = -EPROTO;
		else
			err = op(c, t, &r);
	}
	if (err < 0) {
		log_debug("gofer: %s: %s", p9_type_name(t->type) ? p9_type_name(t->type) : "?",
			  strerror(-err));
		r = (struct p9_msg){.type = P9_RLERROR, .tag = t->tag};
		r.rlerror.ecode = (uint32_t)-err;
		c->pass_fd = -1;
	}
	return p9_encode(&r, c->out, c->msize ? c->msize : GOFER_MAX_MSIZE);
}

int gofer_serve(int sock, const struct gofer_export *exports, size_t n)
{
	struct gconn c = {.sock = sock, .pass_fd = -1, .exports = exports, .nexports = n};
	uint8_t *in = malloc(GOFER_MAX_MSIZE);
	c.out = malloc(GOFER_MAX_MSIZE);
	int ret = -ENOMEM;
	if (!in || !c.out)
		goto out;
	for (;;) {
		uint32_t limit = c.msize ? c.msize : GOFER_MAX_MSIZE;
		int len = p9_recv(sock, in, limit, NULL);
		if (len <= 0) {
			ret = len;
			break;
		}
		struct p9_msg t;
		int err = p9_decode(in, (size_t)len, limit, &t);
		if (err == -EPROTONOSUPPORT)
			err = -EOPNOTSUPP;
		else if (err == -EBADMSG)
			t.tag = (uint16_t)(in[5] | in[6] << 8);
		else if (err < 0 && err != -ENOMEM) {
			ret = err;
			break;
		}
		int rlen = handle(&c, &t, err < 0 ? err : 0);
		p9_msg_free(&t);
		if (rlen < 0) {
			ret = rlen;
			break;
		}
		ret = p9_send(sock, c.out, (size_t)rlen, c.pass_fd);
		if (ret < 0)
			break;
	}
out:
	gfid_clear(&c);
	free(in);
	free(c.out);
	return ret;
}
