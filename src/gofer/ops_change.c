/* Handlers that change the tree or attributes. Every change is made
 * relative to a directory fid's fd with a single validated name (no `/`,
 * not `.` or `..`), never following a symlink; read-only exports refuse
 * with EROFS. New files are given to the attaching uid and the requested
 * gid when the Gofer runs as root. */
#include "gofer/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

/* A fid whose file (or directory) is to change: the export must be
 * writable. */
static int mut_fid(struct gconn *c, uint32_t id, struct gfid **f)
{
	*f = gfid_find(c, id);
	if (!*f)
		return -EBADF;
	return (*f)->exp->readonly ? -EROFS : 0;
}

/* Looks up the new entry, gives it to uid:gid and fills its qid. */
static int finish_new(struct gfid *dir, const char *name, uint32_t gid, struct p9_qid *q)
{
	struct gnode *n;
	int err = gnode_child(dir->node, name, &n, q);
	if (err < 0)
		return err;
	if (geteuid() == 0 &&
	    fchownat(n->fd, "", dir->uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		/* Best effort, as for Tlcreate. */
	}
	gnode_put(n);
	return 0;
}

int gop_mkdir(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tmkdir *m = &t->tmkdir;
	struct gfid *d;
	int err = mut_fid(c, m->dfid, &d);
	if (err < 0 || (err = gofer_name_ok(m->name)) < 0)
		return err;
	if (mkdirat(d->node->fd, m->name, m->mode & 07777) < 0)
		return -errno;
	return finish_new(d, m->name, m->gid, &r->rqid.qid);
}

int gop_symlink(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tsymlink *s = &t->tsymlink;
	struct gfid *d;
	int err = mut_fid(c, s->fid, &d);
	if (err < 0 || (err = gofer_name_ok(s->name)) < 0)
		return err;
	/* The target is stored, never followed by the Gofer. */
	if (symlinkat(s->symtgt, d->node->fd, s->name) < 0)
		return -errno;
	return finish_new(d, s->name, s->gid, &r->rqid.qid);
}

int gop_mknod(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tmknod *m = &t->tmknod;
	struct gfid *d;
	int err = mut_fid(c, m->dfid, &d);
	if (err < 0 || (err = gofer_name_ok(m->name)) < 0)
		return err;
	mode_t type = m->mode & S_IFMT;
	if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK)
		return -EPERM; /* no device nodes on the host */
	if (mknodat(d->node->fd, m->name, m->mode & (S_IFMT | 07777), 0) < 0)
		return -errno;
	return finish_new(d, m->name, m->gid, &r->rqid.qid);
}

int gop_link(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tlink *l = &t->tlink;
	struct gfid *d, *f = gfid_find(c, l->fid);
	int err = mut_fid(c, l->dfid, &d);
	if (err < 0 || (err = gofer_name_ok(l->name)) < 0)
		return err;
	if (!f)
		return -EBADF;
	if (f->exp != d->exp)
		return -EXDEV;
	if (linkat(f->node->fd, "", d->node->fd, l->name, AT_EMPTY_PATH) == 0)
		return 0;
	/* Without CAP_DAC_READ_SEARCH link by the name in the parent; it
	 * cannot follow anything, so at worst it links a sibling. */
	if ((errno != ENOENT && errno != EPERM) || !f->node->parent)
		return -errno;
	if (linkat(f->node->parent->fd, f->node->name, d->node->fd, l->name, 0) < 0)
		return -errno;
	return 0;
}

/* Trename moves the fid itself; the fid's node follows to its new place. */
int gop_rename(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_trename *m = &t->trename;
	struct gfid *d, *f = gfid_find(c, m->fid);
	int err = mut_fid(c, m->dfid, &d);
	if (err < 0 || (err = gofer_name_ok(m->name)) < 0)
		return err;
	if (!f)
		return -EBADF;
	if (f->exp != d->exp)
		return -EXDEV;
	struct gnode *n = f->node;
	if (!n->parent)
		return -EBUSY; /* the export root */
	char *name = strdup(m->name);
	if (!name)
		return -ENOMEM;
	if (renameat(n->parent->fd, n->name, d->node->fd, m->name) < 0) {
		free(name);
		return -errno;
	}
	struct gnode *old = n->parent;
	n->parent = gnode_get(d->node);
	gnode_put(old);
	free(n->name);
	n->name = name;
	return 0;
}

int gop_renameat(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_trenameat *m = &t->trenameat;
	struct gfid *od, *nd;
	int err = mut_fid(c, m->olddirfid, &od);
	if (err < 0 || (err = mut_fid(c, m->newdirfid, &nd)) < 0)
		return err;
	if ((err = gofer_name_ok(m->oldname)) < 0 || (err = gofer_name_ok(m->newname)) < 0)
		return err;
	if (od->exp != nd->exp)
		return -EXDEV;
	return renameat(od->node->fd, m->oldname, nd->node->fd, m->newname) < 0 ? -errno : 0;
}

int gop_unlinkat(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tunlinkat *u = &t->tunlinkat;
	struct gfid *d;
	int err = mut_fid(c, u->dirfid, &d);
	if (err < 0 || (err = gofer_name_ok(u->name)) < 0)
		return err;
	int flags = (int)u->flags & AT_REMOVEDIR;
	return unlinkat(d->node->fd, u->name, flags) < 0 ? -errno : 0;
}

/* Tremove unlinks the fid's file and clunks the fid, even on failure. */
int gop_remove(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	struct gfid *f = gfid_find(c, t->fid.fid);
	if (!f)
		return -EBADF;
	struct gnode *n = f->node;
	struct stat st;
	int err = f->exp->readonly ? -EROFS : !n->parent ? -EBUSY : gnode_stat(n, &st);
	if (err == 0 &&
	    unlinkat(n->parent->fd, n->name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
		err = -errno;
	gfid_del(c, t->fid.fid);
	return err;
}

static int set_mode(struct gfid *f, mode_t mode)
{
	if (syscall(SYS_fchmodat2, f->node->fd, "", mode, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -errno;
	/* Older kernels: chmod through a real fd. */
	int fd = gfid_reopen(f, O_RDONLY);
	if (fd < 0)
		return fd;
	int err = fchmod(fd, mode) < 0 ? -errno : 0;
	close(fd);
	return err;
}

static int set_size(struct gfid *f, uint64_t size)
{
	if (f->open_fd >= 0 && (f->open_flags & O_ACCMODE) != O_RDONLY)
		return ftruncate(f->open_fd, (off_t)size) < 0 ? -errno : 0;
	int fd = gfid_reopen(f, O_WRONLY);
	if (fd < 0)
		return fd;
	int err = ftruncate(fd, (off_t)size) < 0 ? -errno : 0;
	close(fd);
	return err;
}

static int set_times(struct gfid *f, const struct p9_tsetattr *s)
{
	struct timespec ts[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	if (s->valid & P9_SETATTR_ATIME_SET)
		ts[0] = (struct timespec){(time_t)s->atime_sec, (long)s->atime_nsec};
	else if (s->valid & P9_SETATTR_ATIME)
		ts[0].tv_nsec = UTIME_NOW;
	if (s->valid & P9_SETATTR_MTIME_SET)
		ts[1] = (struct timespec){(time_t)s->mtime_sec, (long)s->mtime_nsec};
	else if (s->valid & P9_SETATTR_MTIME)
		ts[1].tv_nsec = UTIME_NOW;
	if (utimensat(f->node->fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != EINVAL && errno != EBADF)
		return -errno;
	int fd = gfid_reopen(f, O_RDONLY);
	if (fd < 0)
		return fd;
	int err = futimens(fd, ts) < 0 ? -errno : 0;
	close(fd);
	return err;
}

int gop_setattr(struct gconn *c, const struct p9_msg *t, struct p9_msg *r)
{
	const struct p9_tsetattr *s = &t->tsetattr;
	struct gfid *f;
	int err = mut_fid(c, s->fid, &f);
	if (err < 0)
		return err;
	if ((s->valid & P9_SETATTR_MODE) && (err = set_mode(f, s->mode & 07777)) < 0)
		return err;
	if (s->valid & (P9_SETATTR_UID | P9_SETATTR_GID)) {
		uid_t uid = (s->valid & P9_SETATTR_UID) ? s->uid : (uid_t)-1;
		gid_t gid = (s->valid & P9_SETATTR_GID) ? s->gid : (gid_t)-1;
		if (fchownat(f->node->fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
	}
	if ((s->valid & P9_SETATTR_SIZE) && (err = set_size(f, s->size)) < 0)
		return err;
	if (s->valid &
	    (P9_SETATTR_ATIME | P9_SETATTR_MTIME | P9_SETATTR_ATIME_SET | P9_SETATTR_MTIME_SET))
		return set_times(f, s);
	return 0;
}
