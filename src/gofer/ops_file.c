/* Handlers that walk, open, read and describe files. All of them act on
 * the fid's own fds (see internal.h); none takes a host path. */
#include "gofer/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Open flags a client may ask for; the rest (O_CREAT, O_EXCL, O_NOFOLLOW
 * ...) are the server's business. O_NOATIME would fail for other owners. */
#define OPEN_FLAGS                                                                                 \
	(O_ACCMODE | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECT | O_DIRECTORY | \
	 O_LARGEFILE)

static int get_fid(struct gconn *c, uint32_t id, struct gfid **f)
{
	*f = gfid_find(c, id);
	return *f ? 0 : -EBADF;
}

static bool writes(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

int gop_walk(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_twalk *w = &t->twalk;
	struct gfid *f, *nf;
	int err = get_fid(c, w->fid, &f);
	if (err < 0)
		return err;
	/* Walking from an open fid is allowed (diod's clients do it), but an
	 * open fid cannot itself move. */
	if (f->open_fd >= 0 && w->newfid == w->fid && w->nwname)
		return -EBADF;
	if (w->newfid != w->fid && gfid_find(c, w->newfid))
		return -EBADF;
	struct gnode *n = gnode_get(f->node);
	unsigned i;
	for (i = 0; i < w->nwname; i++) {
		struct gnode *next;
		struct stat st;
		err = gnode_walk(n, w->wname[i], &next);
		if (err == 0) {
			err = gnode_stat(next, &st);
			if (err < 0)
				gnode_put(next);
		}
		if (err < 0)
			break;
		gnode_put(n);
		n = next;
		gofer_qid(&st, &r->rwalk.wqid[i]);
	}
	r->rwalk.nwqid = (uint16_t)i;
	if (i < w->nwname) {
		gnode_put(n);
		/* The first element failing is an error; a later one is a
		 * partial walk and newfid is not made. */
		return i == 0 ? err : 0;
	}
	if (w->newfid == w->fid) {
		gnode_put(f->node);
		f->node = n;
		return 0;
	}
	err = gfid_add(c, w->newfid, &nf);
	if (err < 0) {
		gnode_put(n);
		return err;
	}
	nf->node = n;
	nf->exp = f->exp;
	nf->uid = f->uid;
	return 0;
}

/* Only regular files are donated: a directory fd would let its holder
 * openat(fd, "..") its way out of the export. */
static void donate(struct gconn *c, int fd)
{
	struct stat st;
	if (c->donate && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		c->pass_fd = fd;
}

/* A file export is opened through the fd opened with it: it has no
 * parent to reopen it from. The open file description is shared. */
static int open_file_export(const struct gofer_export *e, int flags)
{
	if (writes(flags) && (fcntl(e->file_fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
		return -EACCES;
	int fd = fcntl(e->file_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((flags & O_TRUNC) && ftruncate(fd, 0) < 0) {
		int er = -errno;
		close(fd);
		return er;
	}
	return fd;
}

int gfid_reopen(const struct gfid *f, int flags)
{
	if (!f->node->parent && f->exp->file_fd >= 0)
		return open_file_export(f->exp, flags);
	return gnode_reopen(f->node, flags);
}

int gop_lopen(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->tlopen.fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd >= 0)
		return -EBADF;
	int flags = (int)t->tlopen.flags & OPEN_FLAGS;
	if (f->exp->readonly && writes(flags))
		return -EROFS;
	int fd = gfid_reopen(f, flags);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	f->open_fd = fd;
	f->open_flags = flags;
	gofer_qid(&st, &r->ropen.qid);
	r->ropen.iounit = 0;
	donate(c, fd);
	return 0;
}

/* Creates (or, without O_EXCL, opens) name in the fid's directory; the fid
 * then names the new file, opened. Only a file it created is chowned. */
int gop_lcreate(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tlcreate *l = &t->tlcreate;
	struct gfid *f;
	int err = get_fid(c, l->fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd >= 0)
		return -EBADF;
	if (f->exp->readonly)
		return -EROFS;
	if ((err = gofer_name_ok(l->name)) < 0)
		return err;
	int flags = (int)l->flags & OPEN_FLAGS & ~O_DIRECTORY;
	int fd = gofer_openat(f->node->fd, l->name, flags | O_CREAT | O_EXCL, l->mode & 07777);
	bool created = fd >= 0;
	struct gnode *n;
	if (fd == -EEXIST && !(l->flags & O_EXCL)) {
		/* Plain open of what is there; reopen checks it is the same. */
		if ((err = gnode_child(f->node, l->name, &n, &r->ropen.qid)) < 0)
			return err;
		fd = gnode_reopen(n, flags);
		if (fd < 0) {
			gnode_put(n);
			return fd;
		}
	} else if (fd < 0) {
		return fd;
	} else {
		err = gnode_child(f->node, l->name, &n, &r->ropen.qid);
		if (err == 0 && (err = gnode_same(n, fd)) < 0)
			gnode_put(n);
		if (err < 0) {
			close(fd);
			return err;
		}
	}
	if (created && geteuid() == 0 && fchown(fd, f->uid, l->gid) < 0) {
		/* Best effort: ownership is the Sentry's view anyway. */
	}
	gnode_put(f->node);
	f->node = n;
	f->open_fd = fd;
	f->open_flags = flags;
	r->ropen.iounit = 0;
	donate(c, fd);
	return 0;
}

int gop_read(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->tread.fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd < 0)
		return -EBADF;
	uint32_t count = t->tread.count;
	if (count > c->msize - P9_RREAD_HDRSZ)
		count = c->msize - P9_RREAD_HDRSZ;
	uint8_t *data = c->out + P9_RREAD_HDRSZ; /* in place: no copy */
	ssize_t n;
	do
		n = pread(f->open_fd, data, count, (off_t)t->tread.offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->rread = (struct p9_data){(uint32_t)n, data};
	return 0;
}

int gop_write(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->twrite.fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd < 0)
		return -EBADF;
	if (f->exp->readonly)
		return -EROFS;
	ssize_t n;
	do
		n = pwrite(f->open_fd, t->twrite.data.data, t->twrite.data.count,
			   (off_t)t->twrite.offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->rwrite.count = (uint32_t)n;
	return 0;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Entries from offset on, as many as fit in count. The offset of an entry
 * is the host's d_off (where the next entry starts), so a client resumes
 * exactly where it stopped. */
int gop_readdir(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->tread.fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd < 0)
		return -EBADF;
	uint32_t count = t->tread.count;
	if (count > c->msize - P9_RREAD_HDRSZ)
		count = c->msize - P9_RREAD_HDRSZ;
	if (lseek(f->open_fd, (off_t)t->tread.offset, SEEK_SET) < 0)
		return -errno;
	char *ents = malloc(count + 256);
	if (!ents)
		return -ENOMEM;
	long got = syscall(SYS_getdents64, f->open_fd, ents, count + 256);
	if (got < 0) {
		free(ents);
		return -errno;
	}
	uint8_t *data = c->out + P9_RREAD_HDRSZ;
	size_t pos = 0;
	for (long off = 0; off < got;) {
		struct linux_dirent64 *d = (void *)(ents + off);
		struct p9_dirent e = {.offset = (uint64_t)d->d_off,
				      .type = d->d_type,
				      .name = d->d_name,
				      .namelen = (uint16_t)strlen(d->d_name)};
		e.qid.type = d->d_type == DT_DIR   ? P9_QTDIR
			     : d->d_type == DT_LNK ? P9_QTSYMLINK
						   : 0;
		e.qid.path = d->d_ino;
		if (p9_dirent_put(data, count, &pos, &e) < 0)
			break;
		off += d->d_reclen;
	}
	free(ents);
	if (got > 0 && pos == 0)
		return -EINVAL; /* as getdents: count too small for one entry */
	r->rread = (struct p9_data){(uint32_t)pos, data};
	return 0;
}

int gop_getattr(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	struct stat st;
	int err = get_fid(c, t->tgetattr.fid, &f);
	if (err < 0 || (err = gnode_stat(f->node, &st)) < 0)
		return err;
	struct p9_rgetattr *a = &r->rgetattr;
	a->valid = P9_GETATTR_BASIC;
	gofer_qid(&st, &a->qid);
	a->mode = st.st_mode;
	a->uid = st.st_uid;
	a->gid = st.st_gid;
	a->nlink = st.st_nlink;
	a->rdev = st.st_rdev;
	a->size = (uint64_t)st.st_size;
	a->blksize = (uint64_t)st.st_blksize;
	a->blocks = (uint64_t)st.st_blocks;
	a->atime_sec = (uint64_t)st.st_atim.tv_sec;
	a->atime_nsec = (uint64_t)st.st_atim.tv_nsec;
	a->mtime_sec = (uint64_t)st.st_mtim.tv_sec;
	a->mtime_nsec = (uint64_t)st.st_mtim.tv_nsec;
	a->ctime_sec = (uint64_t)st.st_ctim.tv_sec;
	a->ctime_nsec = (uint64_t)st.st_ctim.tv_nsec;
	return 0;
}

int gop_statfs(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	struct statfs s;
	int err = get_fid(c, t->fid.fid, &f);
	if (err < 0)
		return err;
	if (fstatfs(f->node->fd, &s) < 0)
		return -errno;
	r->rstatfs = (struct p9_rstatfs){
	    .type = (uint32_t)s.f_type,
	    .bsize = (uint32_t)s.f_bsize,
	    .blocks = s.f_blocks,
	    .bfree = s.f_bfree,
	    .bavail = s.f_bavail,
	    .files = s.f_files,
	    .ffree = s.f_ffree,
	    .fsid = (uint64_t)(uint32_t)s.f_fsid.__val[0] | (uint64_t)(uint32_t)s.f_fsid.__val[1]
								<< 32,
	    .namelen = (uint32_t)s.f_namelen,
	};
	return 0;
}

int gop_fsync(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->tfsync.fid, &f);
	if (err < 0)
		return err;
	if (f->open_fd < 0)
		return -EBADF;
	int rc = t->tfsync.datasync ? fdatasync(f->open_fd) : fsync(f->open_fd);
	return rc < 0 ? -errno : 0;
}

int gop_readlink(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->fid.fid, &f);
	if (err < 0)
		return err;
	/* The reply buffer has room to spare: borrow its tail for the text. */
	char *buf = (char *)c->out + c->msize / 2;
	size_t cap = c->msize / 2 - 1;
	if (cap > P9_MAX_STR)
		cap = P9_MAX_STR;
	ssize_t n = readlinkat(f->node->fd, "", buf, cap);
	if (n < 0)
		return errno == ENOENT ? -EINVAL : -errno;
	buf[n] = 0;
	r->rreadlink.target = buf;
	return 0;
}

int gop_lock(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->tlock.fid, &f);
	if (err < 0)
		return err;
	r->rlock.status = P9_LOCK_SUCCESS;
	return 0;
}

int gop_getlock(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f;
	int err = get_fid(c, t->getlock.fid, &f);
	if (err < 0)
		return err;
	r->getlock = t->getlock;
	r->getlock.type = P9_LOCK_TYPE_UNLCK;
	return 0;
}
