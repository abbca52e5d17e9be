/* goferfs changes: create, mkdir, symlink, link, unlink, rmdir, rename and
 * setattr, each one 9P request on the directory's (or file's) fid. Only a
 * writable mount gets here with effect (bind mounts, the root with
 * --overlay=none); a read-only one answers EROFS without asking. Writable
 * mounts cache no attributes (see goferfs.h), so nothing cached goes
 * stale. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sentry/fs/gofer/internal.h"

#define NO_GID ((uint32_t)-1) /* the Gofer keeps the group it gets */

static int rw(struct inode *in)
{
	return in->fs->readonly ? -EROFS : 0;
}

/* One request with an empty or qid-only reply. */
static int simple(struct inode *in, struct p9_msg *req, uint8_t rtype)
{
	struct p9_msg rep;
	int r = rw(in);
	if (r == 0 && (r = p9client_rpc(gconn(in), req, rtype, &rep, NULL)) == 0)
		p9_msg_free(&rep);
	return r;
}

/* The created fid names the new file (opened, which does no harm): it
 * becomes the inode's fid, saving a walk. */
int gofer_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	struct gnode *g = dir->priv;
	struct p9_client *c = gconn(dir);
	uint32_t fid;
	int r = rw(dir);
	if (r < 0 || (r = p9client_walk(c, g->fid, NULL, &fid)) < 0)
		return r;
	struct p9_msg req = {.type = P9_TLCREATE}, rep;
	req.tlcreate = (struct p9_tlcreate){.fid = fid,
					    .name = (char *)name,
					    .flags = O_WRONLY | O_EXCL,
					    .mode = mode,
					    .gid = NO_GID};
	int fd = -1;
	r = p9client_rpc(c, &req, P9_RLCREATE, &rep, &fd);
	if (r < 0) {
		p9client_clunk(c, fid);
		return r;
	}
	p9_msg_free(&rep);
	if (fd >= 0)
		close(fd);
	return gofer_node_new(dir->fs, fid, out);
}

int gofer_mkdir(struct inode *dir, const char *name, uint32_t mode)
{
	struct gnode *g = dir->priv;
	struct p9_msg req = {.type = P9_TMKDIR};
	req.tmkdir = (struct p9_tmkdir){
	    .dfid = g->fid, .name = (char *)name, .mode = mode & 07777, .gid = NO_GID};
	return simple(dir, &req, P9_RMKDIR);
}

int gofer_symlink(struct inode *dir, const char *name, const char *target)
{
	struct gnode *g = dir->priv;
	struct p9_msg req = {.type = P9_TSYMLINK};
	req.tsymlink = (struct p9_tsymlink){
	    .fid = g->fid, .name = (char *)name, .symtgt = (char *)target, .gid = NO_GID};
	return simple(dir, &req, P9_RSYMLINK);
}

int gofer_link(struct inode *dir, const char *name, struct inode *target)
{
	if (target->fs != dir->fs)
		return -EXDEV;
	struct gnode *d = dir->priv, *t = target->priv;
	struct p9_msg req = {.type = P9_TLINK};
	req.tlink = (struct p9_tlink){.dfid = d->fid, .fid = t->fid, .name = (char *)name};
	return simple(dir, &req, P9_RLINK);
}

static int remove_name(struct inode *dir, const char *name, uint32_t flags)
{
	struct gnode *g = dir->priv;
	struct p9_msg req = {.type = P9_TUNLINKAT};
	req.tunlinkat =
	    (struct p9_tunlinkat){.dirfid = g->fid, .name = (char *)name, .flags = flags};
	int r = simple(dir, &req, P9_RUNLINKAT);
	if (r != -EOPNOTSUPP)
		return r;
	/* servers without Tunlinkat (diod): Tremove of a fid of the file,
	 * which takes the fid away whatever it answers */
	struct p9_rgetattr a;
	uint32_t fid;
	if ((r = p9client_walk_getattr(gconn(dir), g->fid, name, &fid, &a)) < 0)
		return r;
	if (!!(flags & AT_REMOVEDIR) != S_ISDIR(a.mode)) {
		p9client_clunk(gconn(dir), fid);
		return S_ISDIR(a.mode) ? -EISDIR : -ENOTDIR;
	}
	req = (struct p9_msg){.type = P9_TREMOVE, .fid = {fid}};
	return simple(dir, &req, P9_RREMOVE);
}

int gofer_unlink(struct inode *dir, const char *name)
{
	return remove_name(dir, name, 0);
}

int gofer_rmdir(struct inode *dir, const char *name)
{
	return remove_name(dir, name, AT_REMOVEDIR);
}

/* Inodes still naming the old name are re-walked when next opened
 * (gofer_file.c). RENAME_NOREPLACE/EXCHANGE have no 9P form. */
int gofer_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		 unsigned flags)
{
	if (odir->fs != ndir->fs)
		return -EXDEV;
	if (flags)
		return -EINVAL;
	struct gnode *o = odir->priv, *n = ndir->priv;
	struct p9_msg req = {.type = P9_TRENAMEAT};
	req.trenameat = (struct p9_trenameat){.olddirfid = o->fid,
					      .oldname = (char *)oname,
					      .newdirfid = n->fid,
					      .newname = (char *)nname};
	int r = simple(odir, &req, P9_RRENAMEAT);
	if (r != -EOPNOTSUPP)
		return r;
	/* servers without Trenameat (diod): Trename of a fid of the file */
	uint32_t fid;
	if ((r = p9client_walk(gconn(odir), o->fid, oname, &fid)) < 0)
		return r;
	req = (struct p9_msg){.type = P9_TRENAME};
	req.trename = (struct p9_trename){.fid = fid, .dfid = n->fid, .name = (char *)nname};
	r = simple(odir, &req, P9_RRENAME);
	p9client_clunk(gconn(odir), fid);
	return r;
}

int gofer_setattr(struct inode *in, const struct iattr *ia)
{
	struct gnode *g = in->priv;
	struct p9_msg req = {.type = P9_TSETATTR};
	struct p9_tsetattr *s = &req.tsetattr;
	s->fid = g->fid;
	if (ia->valid & IATTR_MODE) {
		s->valid |= P9_SETATTR_MODE;
		s->mode = ia->mode & 07777;
	}
	if (ia->valid & IATTR_UID) {
		s->valid |= P9_SETATTR_UID;
		s->uid = ia->uid;
	}
	if (ia->valid & IATTR_GID) {
		s->valid |= P9_SETATTR_GID;
		s->gid = ia->gid;
	}
	if (ia->valid & IATTR_SIZE) {
		if (S_ISDIR(in->mode))
			return -EISDIR;
		s->valid |= P9_SETATTR_SIZE;
		s->size = ia->size;
	}
	if (ia->valid & IATTR_ATIME) {
		s->valid |= P9_SETATTR_ATIME | P9_SETATTR_ATIME_SET;
		s->atime_sec = (uint64_t)ia->atime.tv_sec;
		s->atime_nsec = (uint64_t)ia->atime.tv_nsec;
	}
	if (ia->valid & IATTR_MTIME) {
		s->valid |= P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET;
		s->mtime_sec = (uint64_t)ia->mtime.tv_sec;
		s->mtime_nsec = (uint64_t)ia->mtime.tv_nsec;
	}
	int r = simple(in, &req, P9_RSETATTR);
	return r < 0 ? r : gofer_refresh(in);
}
