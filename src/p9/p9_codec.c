/* 9P2000.L encode/decode, driven by one table of field layouts per message.
 *
 * Every message is a list of fields (integers, strings, qids, counted arrays,
 * counted data) at known offsets of struct p9_msg; encode, decode and free
 * walk the same list, so the three can never disagree about a message. Both
 * directions go through a cursor that poisons itself on the first overflow;
 * the message is judged once at the end. See p9.h for the contract. */
#include "p9/p9.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum kind {
	K_U8,
	K_U16,
	K_U32,
	K_U64,
	K_STR,
	K_QID,
	K_NAMES,
	K_QIDS,
	K_DATA
};

struct field {
	uint8_t kind;
	uint16_t off; /* offset in struct p9_msg */
};

struct layout {
	const char *name;
	const struct field *f;
	uint8_t n;
	bool known;
};

#define F(k, member)                                                                               \
	{                                                                                          \
		K_##k, offsetof(struct p9_msg, member)                                             \
	}

#define QID(m) F(QID, m)
static const struct field f_version[] = {F(U32, version.msize), F(STR, version.version)};
static const struct field f_rqid[] = {QID(rqid.qid)};
static const struct field f_fid[] = {F(U32, fid.fid)};
static const struct field f_tread[] = {F(U32, tread.fid), F(U64, tread.offset),
				       F(U32, tread.count)};
static const struct field f_rread[] = {F(DATA, rread)};
static const struct field f_ropen[] = {QID(ropen.qid), F(U32, ropen.iounit)};
static const struct field f_empty[1];

#define LAYOUT(T, nm, arr) [T] = {nm, arr, sizeof(arr) / sizeof(arr[0]), true}
#define FIELDS(...)	   ((const struct field[]){__VA_ARGS__})
#define NFIELDS(...)	   (sizeof(FIELDS(__VA_ARGS__)) / sizeof(struct field))
#define MSG(T, nm, ...)	   [T] = {nm, FIELDS(__VA_ARGS__), NFIELDS(__VA_ARGS__), true}
#define EMPTY(T, nm)	   [T] = {nm, f_empty, 0, true}

static const struct layout layouts[P9_TYPE_MAX] = {
    MSG(P9_RLERROR, "Rlerror", F(U32, rlerror.ecode)),
    LAYOUT(P9_TSTATFS, "Tstatfs", f_fid),
    MSG(P9_RSTATFS, "Rstatfs", F(U32, rstatfs.type), F(U32, rstatfs.bsize), F(U64, rstatfs.blocks),
	F(U64, rstatfs.bfree), F(U64, rstatfs.bavail), F(U64, rstatfs.files), F(U64, rstatfs.ffree),
	F(U64, rstatfs.fsid), F(U32, rstatfs.namelen)),
    MSG(P9_TLOPEN, "Tlopen", F(U32, tlopen.fid), F(U32, tlopen.flags)),
    LAYOUT(P9_RLOPEN, "Rlopen", f_ropen),
    MSG(P9_TLCREATE, "Tlcreate", F(U32, tlcreate.fid), F(STR, tlcreate.name),
	F(U32, tlcreate.flags), F(U32, tlcreate.mode), F(U32, tlcreate.gid)),
    LAYOUT(P9_RLCREATE, "Rlcreate", f_ropen),
    MSG(P9_TSYMLINK, "Tsymlink", F(U32, tsymlink.fid), F(STR, tsymlink.name),
	F(STR, tsymlink.symtgt), F(U32, tsymlink.gid)),
    LAYOUT(P9_RSYMLINK, "Rsymlink", f_rqid),
    MSG(P9_TMKNOD, "Tmknod", F(U32, tmknod.dfid), F(STR, tmknod.name), F(U32, tmknod.mode),
	F(U32, tmknod.major), F(U32, tmknod.minor), F(U32, tmknod.gid)),
    LAYOUT(P9_RMKNOD, "Rmknod", f_rqid),
    MSG(P9_TRENAME, "Trename", F(U32, trename.fid), F(U32, trename.dfid), F(STR, trename.name)),
    EMPTY(P9_RRENAME, "Rrename"),
    LAYOUT(P9_TREADLINK, "Treadlink", f_fid),
    MSG(P9_RREADLINK, "Rreadlink", F(STR, rreadlink.target)),
    MSG(P9_TGETATTR, "Tgetattr", F(U32, tgetattr.fid), F(U64, tgetattr.request_mask)),
    MSG(P9_RGETATTR, "Rgetattr", F(U64, rgetattr.valid), QID(rgetattr.qid), F(U32, rgetattr.mode),
	F(U32, rgetattr.uid), F(U32, rgetattr.gid), F(U64, rgetattr.nlink), F(U64, rgetattr.rdev),
	F(U64, rgetattr.size), F(U64, rgetattr.blksize), F(U64, rgetattr.blocks),
	F(U64, rgetattr.atime_sec), F(U64, rgetattr.atime_nsec), F(U64, rgetattr.mtime_sec),
	F(U64, rgetattr.mtime_nsec), F(U64, rgetattr.ctime_sec), F(U64, rgetattr.ctime_nsec),
	F(U64, rgetattr.btime_sec), F(U64, rgetattr.btime_nsec), F(U64, rgetattr.gen),
	F(U64, rgetattr.data_version)),
    MSG(P9_TSETATTR, "Tsetattr", F(U32, tsetattr.fid), F(U32, tsetattr.valid),
	F(U32, tsetattr.mode), F(U32, tsetattr.uid), F(U32, tsetattr.gid), F(U64, tsetattr.size),
	F(U64, tsetattr.atime_sec), F(U64, tsetattr.atime_nsec), F(U64, tsetattr.mtime_sec),
	F(U64, tsetattr.mtime_nsec)),
    EMPTY(P9_RSETATTR, "Rsetattr"),
    MSG(P9_TXATTRWALK, "Txattrwalk", F(U32, txattrwalk.fid), F(U32, txattrwalk.newfid),
	F(STR, txattrwalk.name)),
    MSG(P9_RXATTRWALK, "Rxattrwalk", F(U64, rxattrwalk.size)),
    MSG(P9_TXATTRCREATE, "Txattrcreate", F(U32, txattrcreate.fid), F(STR, txattrcreate.name),
	F(U64, txattrcreate.attr_size), F(U32, txattrcreate.flags)),
    EMPTY(P9_RXATTRCREATE, "Rxattrcreate"),
    LAYOUT(P9_TREADDIR, "Treaddir", f_tread),
    LAYOUT(P9_RREADDIR, "Rreaddir", f_rread),
    MSG(P9_TFSYNC, "Tfsync", F(U32, tfsync.fid), F(U32, tfsync.datasync)),
    EMPTY(P9_RFSYNC, "Rfsync"),
    MSG(P9_TLOCK, "Tlock", F(U32, tlock.fid), F(U8, tlock.type), F(U32, tlock.flags),
	F(U64, tlock.start), F(U64, tlock.length), F(U32, tlock.proc_id), F(STR, tlock.client_id)),
    MSG(P9_RLOCK, "Rlock", F(U8, rlock.status)),
    MSG(P9_TGETLOCK, "Tgetlock", F(U32, getlock.fid), F(U8, getlock.type), F(U64, getlock.start),
	F(U64, getlock.length), F(U32, getlock.proc_id), F(STR, getlock.client_id)),
    MSG(P9_RGETLOCK, "Rgetlock", F(U8, getlock.type), F(U64, getlock.start), F(U64, getlock.length),
	F(U32, getlock.proc_id), F(STR, getlock.client_id)),
    MSG(P9_TLINK, "Tlink", F(U32, tlink.dfid), F(U32, tlink.fid), F(STR, tlink.name)),
    EMPTY(P9_RLINK, "Rlink"),
    MSG(P9_TMKDIR, "Tmkdir", F(U32, tmkdir.dfid), F(STR, tmkdir.name), F(U32, tmkdir.mode),
	F(U32, tmkdir.gid)),
    LAYOUT(P9_RMKDIR, "Rmkdir", f_rqid),
    MSG(P9_TRENAMEAT, "Trenameat", F(U32, trenameat.olddirfid), F(STR, trenameat.oldname),
	F(U32, trenameat.newdirfid), F(STR, trenameat.newname)),
    EMPTY(P9_RRENAMEAT, "Rrenameat"),
    MSG(P9_TUNLINKAT, "Tunlinkat", F(U32, tunlinkat.dirfid), F(STR, tunlinkat.name),
	F(U32, tunlinkat.flags)),
    EMPTY(P9_RUNLINKAT, "Runlinkat"),
    LAYOUT(P9_TVERSION, "Tversion", f_version),
    LAYOUT(P9_RVERSION, "Rversion", f_version),
    MSG(P9_TAUTH, "Tauth", F(U32, tauth.afid), F(STR, tauth.uname), F(STR, tauth.aname),
	F(U32, tauth.n_uname)),
    LAYOUT(P9_RAUTH, "Rauth", f_rqid),
    MSG(P9_TATTACH, "Tattach", F(U32, tattach.fid), F(U32, tattach.afid), F(STR, tattach.uname),
	F(STR, tattach.aname), F(U32, tattach.n_uname)),
    LAYOUT(P9_RATTACH, "Rattach", f_rqid),
    MSG(P9_TFLUSH, "Tflush", F(U16, tflush.oldtag)),
    EMPTY(P9_RFLUSH, "Rflush"),
    MSG(P9_TWALK, "Twalk", F(U32, twalk.fid), F(U32, twalk.newfid), F(NAMES, twalk.nwname)),
    MSG(P9_RWALK, "Rwalk", F(QIDS, rwalk.nwqid)),
    LAYOUT(P9_TREAD, "Tread", f_tread),
    LAYOUT(P9_RREAD, "Rread", f_rread),
    MSG(P9_TWRITE, "Twrite", F(U32, twrite.fid), F(U64, twrite.offset), F(DATA, twrite.data)),
    MSG(P9_RWRITE, "Rwrite", F(U32, rwrite.count)),
    LAYOUT(P9_TCLUNK, "Tclunk", f_fid),
    EMPTY(P9_RCLUNK, "Rclunk"),
    LAYOUT(P9_TREMOVE, "Tremove", f_fid),
    EMPTY(P9_RREMOVE, "Rremove"),
};

const char *p9_type_name(uint8_t type)
{
	return type < P9_TYPE_MAX && layouts[type].known ? layouts[type].name : NULL;
}

/* The cursor: once it has an error, every further access is a no-op. The
 * first error wins: -EMSGSIZE (ran past end) or -EINVAL/-EBADMSG/-ENOMEM. */
struct cur {
	uint8_t *w;	  /* encode target, NULL when decoding */
	const uint8_t *r; /* decode source */
	size_t pos, end;
	int err;
};

static void fail(struct cur *c, int err)
{
	if (!c->err)
		c->err = err;
}

static bool room(struct cur *c, size_t n)
{
	if (c->err)
		return false;
	if (n > c->end - c->pos) {
		fail(c, c->w ? -EMSGSIZE : -EBADMSG);
		return false;
	}
	return true;
}

static void put(struct cur *c, uint64_t v, size_t n)
{
	if (!room(c, n))
		return;
	for (size_t i = 0; i < n; i++)
		c->w[c->pos + i] = (uint8_t)(v >> (8 * i));
	c->pos += n;
}

static uint64_t get(struct cur *c, size_t n)
{
	uint64_t v = 0;
	if (!room(c, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->r[c->pos + i] << (8 * i);
	c->pos += n;
	return v;
}

static void put_bytes(struct cur *c, const void *p, size_t n)
{
	if (!room(c, n))
		return;
	/* Rread built in place: the payload may already sit at the cursor. */
	if (n && c->w + c->pos != p)
		memmove(c->w + c->pos, p, n);
	c->pos += n;
}

static void put_str(struct cur *c, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > P9_MAX_STR) {
		fail(c, -EINVAL);
		return;
	}
	put(c, n, 2);
	put_bytes(c, s, n);
}

static void put_qid(struct cur *c, const struct p9_qid *q)
{
	put(c, q->type, 1);
	put(c, q->version, 4);
	put(c, q->path, 8);
}

static void get_qid(struct cur *c, struct p9_qid *q)
{
	q->type = (uint8_t)get(c, 1);
	q->version = (uint32_t)get(c, 4);
	q->path = get(c, 8);
}

/* A decoded string is copied and NUL-terminated; an embedded NUL is
 * malformed because every user hands names to C string functions. */
static char *get_str(struct cur *c)
{
	size_t n = (size_t)get(c, 2);
	if (!room(c, n))
		return NULL;
	const char *src = (const char *)c->r + c->pos;
	if (memchr(src, 0, n)) {
		fail(c, -EBADMSG);
		return NULL;
	}
	char *s = malloc(n + 1);
	if (!s) {
		fail(c, -ENOMEM);
		return NULL;
	}
	memcpy(s, src, n);
	s[n] = 0;
	c->pos += n;
	return s;
}

#define AT(m, off, T) ((T *)((char *)(m) + (off)))

static void encode_field(struct cur *c, const struct p9_msg *m, const struct field *f)
{
	const void *p = (const char *)m + f->off;
	switch (f->kind) {
	case K_U8:
		put(c, *(const uint8_t *)p, 1);
		break;
	case K_U16:
		put(c, *(const uint16_t *)p, 2);
		break;
	case K_U32:
		put(c, *(const uint32_t *)p, 4);
		break;
	case K_U64:
		put(c, *(const uint64_t *)p, 8);
		break;
	case K_STR:
		put_str(c, *(char *const *)p);
		break;
	case K_QID:
		put_qid(c, p);
		break;
	case K_NAMES: { /* only Twalk has names */
		const struct p9_twalk *w = &m->twalk;
		if (w->nwname > P9_MAXWELEM) {
			fail(c, -EINVAL);
			break;
		}
		put(c, w->nwname, 2);
		for (unsigned i = 0; i < w->nwname; i++)
			put_str(c, w->wname[i]);
		break;
	}
	case K_QIDS: {
		const struct p9_rwalk *w = p;
		if (w->nwqid > P9_MAXWELEM) {
			fail(c, -EINVAL);
			break;
		}
		put(c, w->nwqid, 2);
		for (unsigned i = 0; i < w->nwqid; i++)
			put_qid(c, &w->wqid[i]);
		break;
	}
	case K_DATA: {
		const struct p9_data *d = p;
		put(c, d->count, 4);
		put_bytes(c, d->data, d->count);
		break;
	}
	}
}

static void decode_field(struct cur *c, struct p9_msg *m, const struct field *f)
{
	void *p = (char *)m + f->off;
	switch (f->kind) {
	case K_U8:
		*(uint8_t *)p = (uint8_t)get(c, 1);
		break;
	case K_U16:
		*(uint16_t *)p = (uint16_t)get(c, 2);
		break;
	case K_U32:
		*(uint32_t *)p = (uint32_t)get(c, 4);
		break;
	case K_U64:
		*(uint64_t *)p = get(c, 8);
		break;
	case K_STR:
		*(char **)p = get_str(c);
		break;
	case K_QID:
		get_qid(c, p);
		break;
	case K_NAMES: {
		struct p9_twalk *w = &m->twalk;
		uint16_t n = (uint16_t)get(c, 2);
		if (n > P9_MAXWELEM) {
			fail(c, -EBADMSG);
			break;
		}
		/* Count only what was decoded so a failure frees exactly that. */
		for (unsigned i = 0; i < n && !c->err; i++) {
			w->wname[i] = get_str(c);
			if (!c->err)
				w->nwname = (uint16_t)(i + 1);
		}
		break;
	}
	case K_QIDS: {
		struct p9_rwalk *w = p;
		uint16_t n = (uint16_t)get(c, 2);
		if (n > P9_MAXWELEM) {
			fail(c, -EBADMSG);
			break;
		}
		w->nwqid = n;
		for (unsigned i = 0; i < n; i++)
			get_qid(c, &w->wqid[i]);
		break;
	}
	case K_DATA: {
		struct p9_data *d = p;
		d->count = (uint32_t)get(c, 4);
		if (!room(c, d->count))
			break;
		d->data = c->r + c->pos;
		c->pos += d->count;
		break;
	}
	}
}

int p9_encode(const struct p9_msg *m, uint8_t *buf, size_t cap)
{
	if (m->type >= P9_TYPE_MAX || !layouts[m->type].known)
		return -EINVAL;
	const struct layout *l = &layouts[m->type];
	struct cur c = {.w = buf, .end = cap > INT32_MAX ? INT32_MAX : cap};
	put(&c, 0, 4); /* size, patched below */
	put(&c, m->type, 1);
	put(&c, m->tag, 2);
	for (unsigned i = 0; i < l->n; i++)
		encode_field(&c, m, &l->f[i]);
	if (c.err)
		return c.err;
	c.end = 4;
	size_t len = c.pos;
	c.pos = 0;
	put(&c, len, 4);
	return (int)len;
}

uint32_t p9_frame_size(const uint8_t *buf)
{
	return (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
	       (uint32_t)buf[3] << 24;
}

int p9_decode(const uint8_t *buf, size_t len, uint32_t msize, struct p9_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (len < P9_HDRSZ)
		return -EBADMSG;
	uint32_t size = p9_frame_size(buf);
	if (size > msize)
		return -EMSGSIZE;
	if (size > len || size < P9_HDRSZ)
		return -EBADMSG;
	struct cur c = {.r = buf, .pos = 4, .end = size};
	m->type = (uint8_t)get(&c, 1);
	m->tag = (uint16_t)get(&c, 2);
	if (m->type >= P9_TYPE_MAX || !layouts[m->type].known)
		return -EPROTONOSUPPORT;
	const struct layout *l = &layouts[m->type];
	for (unsigned i = 0; i < l->n && !c.err; i++)
		decode_field(&c, m, &l->f[i]);
	if (c.err || c.pos != size) {
		p9_msg_free(m);
		return c.err ? c.err : -EBADMSG;
	}
	return (int)size;
}

void p9_msg_free(struct p9_msg *m)
{
	if (m->type >= P9_TYPE_MAX || !layouts[m->type].known)
		return;
	const struct layout *l = &layouts[m->type];
	for (unsigned i = 0; i < l->n; i++) {
		const struct field *f = &l->f[i];
		if (f->kind == K_STR) {
			char **s = AT(m, f->off, char *);
			free(*s);
			*s = NULL;
		} else if (f->kind == K_NAMES) {
			struct p9_twalk *w = &m->twalk;
			for (unsigned j = 0; j < w->nwname && j < P9_MAXWELEM; j++) {
				free(w->wname[j]);
				w->wname[j] = NULL;
			}
			w->nwname = 0;
		}
	}
}

int p9_dirent_put(uint8_t *buf, size_t cap, size_t *pos, const struct p9_dirent *d)
{
	struct cur c = {.w = buf, .pos = *pos, .end = cap};
	put_qid(&c, &d->qid);
	put(&c, d->offset, 8);
	put(&c, d->type, 1);
	put(&c, d->namelen, 2);
	put_bytes(&c, d->name, d->namelen);
	if (c.err)
		return c.err;
	*pos = c.pos;
	return 0;
}

int p9_dirent_next(const uint8_t *data, size_t len, size_t *pos, struct p9_dirent *d)
{
	if (*pos >= len)
		return 0;
	struct cur c = {.r = data, .pos = *pos, .end = len};
	get_qid(&c, &d->qid);
	d->offset = get(&c, 8);
	d->type = (uint8_t)get(&c, 1);
	d->namelen = (uint16_t)get(&c, 2);
	if (!room(&c, d->namelen))
		return -EBADMSG;
	d->name = (const char *)data + c.pos;
	*pos = c.pos + d->namelen;
	return 1;
}
