/* goferfs inodes; see goferfs.h. Every inode owns one walked fid, clunked on
 * release; open files get their own fid (gofer_file.c). Changes are in
 * gofer_change.c. */
#include "sentry/fs/gofer/goferfs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sentry/fs/gofer/internal.h"

static const struct inode_ops gofer_iops;

static void fill_attr(struct inode *in, const struct p9_rgetattr *a)
{
	in->mode = a->mode;
	in->ino = a->qid.path;
	in->uid = a->uid;
	in->gid = a->gid;
	in->nlink = (uint32_t)a->nlink;
	in->size = a->size;
	in->blocks = a->blocks;
	in->rdev = a->rdev;
	in->atime = (struct timespec){(time_t)a->atime_sec, (long)a->atime_nsec};
	in->mtime = (struct timespec){(time_t)a->mtime_sec, (long)a->mtime_nsec};
	in->ctime = (struct timespec){(time_t)a->ctime_sec, (long)a->ctime_nsec};
	in->btime = in->ctime;
}

/* Takes over fid, whose attributes are a. */
static struct inode *node_with(struct fs *fs, uint32_t fid, const struct p9_rgetattr *a)
{
	struct gnode *g = malloc(sizeof(*g));
	struct inode *in = g ? inode_new(fs, &gofer_iops, &gofer_fops, a->mode) : NULL;
	if (!in) {
		free(g);
		p9client_clunk(((struct gfs *)fs)->conn, fid);
		return NULL;
	}
	g->fid = fid;
	g->rofd = -1;
	g->rofid = P9_NOFID;
	in->priv = g;
	fill_attr(in, a);
	return in;
}

int gofer_node_new(struct fs *fs, uint32_t fid, struct inode **out)
{
	struct p9_client *c = ((struct gfs *)fs)->conn;
	struct p9_rgetattr a;
	int r = p9client_getattr(c, fid, &a);
	if (r < 0) {
		p9client_clunk(c, fid);
		return r;
	}
	*out = node_with(fs, fid, &a);
	return *out ? 0 : -ENOMEM;
}

static int gofer_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct gnode *g = dir->priv;
	struct lookup_cache *lc = gfs_of(dir)->lc;
	if ((*out = gofer_lc_find(lc, g->fid, name)))
		return 0;
	uint32_t fid;
	struct p9_rgetattr a;
	int r = p9client_walk_getattr(gconn(dir), g->fid, name, &fid, &a);
	if (r < 0)
		return r;
	if (!(*out = node_with(dir->fs, fid, &a)))
		return -ENOMEM;
	gofer_lc_add(lc, g->fid, name, *out);
	return 0;
}

int gofer_refresh(struct inode *in)
{
	struct gnode *g = in->priv;
	struct p9_rgetattr a;
	int r = p9client_getattr(gconn(in), g->fid, &a);
	if (r == 0)
		fill_attr(in, &a);
	return r;
}

/* Cached at lookup where nobody else writes; asked again elsewhere. */
static int gofer_getattr(struct inode *in)
{
	return gfs_of(in)->cache_attrs ? 0 : gofer_refresh(in);
}

static int gofer_readlink(struct inode *in, char *buf, size_t len)
{
	struct gnode *g = in->priv;
	struct p9_msg req = {.type = P9_TREADLINK, .fid = {g->fid}}, rep;
	int r = p9client_rpc(gconn(in), &req, P9_RREADLINK, &rep, NULL);
	if (r < 0)
		return r;
	size_t n = strlen(rep.rreadlink.target);
	if (n > len)
		n = len;
	memcpy(buf, rep.rreadlink.target, n);
	p9_msg_free(&rep);
	return (int)n;
}

static int gofer_statfs(struct inode *in, struct linux_statfs *out)
{
	struct gnode *g = in->priv;
	struct p9_msg req = {.type = P9_TSTATFS, .fid = {g->fid}}, rep;
	int r = p9client_rpc(gconn(in), &req, P9_RSTATFS, &rep, NULL);
	if (r < 0)
		return r;
	memset(out, 0, sizeof(*out));
	out->f_type = rep.rstatfs.type;
	out->f_bsize = rep.rstatfs.bsize;
	out->f_blocks = rep.rstatfs.blocks;
	out->f_bfree = rep.rstatfs.bfree;
	out->f_bavail = rep.rstatfs.bavail;
	out->f_files = rep.rstatfs.files;
	out->f_ffree = rep.rstatfs.ffree;
	out->f_namelen = rep.rstatfs.namelen;
	out->f_frsize = rep.rstatfs.bsize;
	out->f_flags = in->fs->readonly ? ST_RDONLY : 0;
	p9_msg_free(&rep);
	return 0;
}

static void gofer_release(struct inode *in)
{
	struct gnode *g = in->priv;
	if (g) {
		if (g->rofd >= 0) {
			close(g->rofd);
			p9client_clunk(gconn(in), g->rofid);
		}
		p9client_clunk(gconn(in), g->fid);
		free(g);
	}
}

static const struct inode_ops gofer_iops = {
    .lookup = gofer_lookup,
    .create = gofer_create,
    .mkdir = gofer_mkdir,
    .symlink = gofer_symlink,
    .link = gofer_link,
    .unlink = gofer_unlink,
    .rmdir = gofer_rmdir,
    .rename = gofer_rename,
    .getattr = gofer_getattr,
    .setattr = gofer_setattr,
    .readlink = gofer_readlink,
    .open = gofer_open,
    .statfs = gofer_statfs,
    .release = gofer_release,
};

struct inode *goferfs_new(struct p9_client *c, const char *aname, unsigned flags, int *err)
{
	struct gfs *fs = calloc(1, sizeof(*fs));
	uint32_t root;
	int r = fs ? p9client_attach(c, aname, &root, NULL) : -ENOMEM;
	if (r < 0) {
		free(fs);
		*err = r;
		return NULL;
	}
	fs->conn = p9client_get(c);
	fs->cache_attrs = (flags & GOFERFS_READONLY) && !(flags & GOFERFS_SHARED);
	fs->lc = fs->cache_attrs ? gofer_lc_new() : NULL;
	fs->fs.name = "9p";
	fs->fs.readonly = (flags & GOFERFS_READONLY) != 0;
	fs->fs.no_dcache = (flags & GOFERFS_SHARED) != 0;
	fs->fs.magic = 0x01021997; /* V9FS_MAGIC */
	struct inode *in;
	if ((r = gofer_node_new(&fs->fs, root, &in)) < 0) {
		gofer_lc_free(fs->lc);
		p9client_put(fs->conn);
		free(fs);
		*err = r;
		return NULL;
	}
	return in;
}

void goferfs_put_root(struct inode *root)
{
	struct gfs *fs = gfs_of(root);
	gofer_lc_free(fs->lc);
	inode_put(root);
	p9client_put(fs->conn);
	free(fs);
}
