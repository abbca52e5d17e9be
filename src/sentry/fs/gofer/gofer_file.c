/* goferfs open files: Tlopen on a clone of the inode's fid (one round trip
 * with the walk). With fd donation the Gofer's reply carries the host fd,
 * used directly for I/O and mappings (as hostfs does); otherwise data goes
 * through Tread/Twrite. Directories are read with Treaddir. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sentry/fs/gofer/internal.h"

/* After a rename in the sandbox the inode's fid still names the old place
 * (the Gofer answers ESTALE or ENOENT): walk again from the parent the open
 * went through, by the name it has now. */
static int rewalk(struct inode *in, struct file *f)
{
	struct dentry *d = f->dentry;
	if (!d || !d->parent || !d->parent->inode || d->parent->inode->fs != in->fs)
		return -ESTALE;
	struct gnode *g = in->priv, *pg = d->parent->inode->priv;
	uint32_t fid;
	int r = p9client_walk(gconn(in), pg->fid, d->name, &fid);
	if (r < 0)
		return r;
	p9client_clunk(gconn(in), g->fid);
	g->fid = fid;
	return 0;
}

int gofer_open(struct inode *in, struct file *f)
{
	struct gnode *g = in->priv;
	struct p9_client *c = gconn(in);
	if (!S_ISREG(in->mode) && !S_ISDIR(in->mode))
		return -ENXIO; /* the Gofer serves no devices, fifos or sockets */
	uint32_t flags = (uint32_t)((f->flags & O_ACCMODE) | (f->flags & O_APPEND));
	if (S_ISDIR(in->mode))
		flags = O_RDONLY | O_DIRECTORY;
	/* Read-only opens of a file nobody else writes share one donated fd:
	 * a second open costs no round trip (I/O is positional). */
	int shared = gfs_of(in)->cache_attrs && S_ISREG(in->mode) && flags == O_RDONLY;
	uint32_t fid, iounit = 0;
	int fd = -1, r = 0;
	if (!shared || g->rofd < 0) {
		r = p9client_open(c, g->fid, flags, &fid, &fd, &iounit);
		if ((r == -ESTALE || r == -ENOENT) && rewalk(in, f) == 0)
			r = p9client_open(c, g->fid, flags, &fid, &fd, &iounit);
		if (r < 0)
			return r;
		if (shared && fd >= 0) {
			g->rofd = fd;
			g->rofid = fid;
		}
		shared = shared && fd >= 0;
	}
	struct gfile *gf = malloc(sizeof(*gf));
	if (!gf) {
		if (!shared) {
			if (fd >= 0)
				close(fd);
			p9client_clunk(c, fid);
		}
		return -ENOMEM;
	}
	gf->fid = shared ? P9_NOFID : fid;
	gf->fd = shared ? g->rofd : fd;
	gf->shared = shared;
	gf->dir_off = 0;
	gf->iounit = iounit;
	f->priv = gf;
	f->ops = &gofer_fops;
	return 0;
}

/* The largest Tread/Twrite payload. */
static uint32_t io_max(struct p9_client *c, struct gfile *gf)
{
	uint32_t m = c->msize - P9_IOHDRSZ;
	return gf->iounit && gf->iounit < m ? gf->iounit : m;
}

static long gofer_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct gfile *gf = f->priv;
	if (gf->fd >= 0) {
		ssize_t n = pread(gf->fd, buf, len, *off);
		if (n < 0)
			return -errno;
		*off += n;
		return n;
	}
	struct p9_client *c = gconn(f->inode);
	size_t done = 0;
	while (done < len) {
		size_t want = len - done;
		if (want > io_max(c, gf))
			want = io_max(c, gf);
		struct p9_msg req = {.type = P9_TREAD}, rep;
		req.tread.fid = gf->fid;
		req.tread.offset = (uint64_t)*off;
		req.tread.count = (uint32_t)want;
		int r = p9client_rpc(c, &req, P9_RREAD, &rep, NULL);
		if (r < 0)
			return done ? (long)done : r;
		uint32_t n = rep.rread.count;
		if (n > want)
			n = (uint32_t)want;
		memcpy((char *)buf + done, rep.rread.data, n);
		p9_msg_free(&rep);
		done += n;
		*off += n;
		if (n < want)
			break;
	}
	return (long)done;
}

static long gofer_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct gfile *gf = f->priv;
	if (gf->fd >= 0) {
		ssize_t n;
		if (f->flags & O_APPEND) {
			n = write(gf->fd, buf, len);
			if (n >= 0)
				*off = lseek(gf->fd, 0, SEEK_CUR);
		} else {
			n = pwrite(gf->fd, buf, len, *off);
			if (n > 0)
				*off += n;
		}
		return n < 0 ? -errno : n;
	}
	struct p9_client *c = gconn(f->inode);
	size_t done = 0;
	while (done < len) {
		size_t want = len - done;
		if (want > io_max(c, gf))
			want = io_max(c, gf);
		struct p9_msg req = {.type = P9_TWRITE}, rep;
		req.twrite.fid = gf->fid;
		req.twrite.offset = (uint64_t)*off;
		req.twrite.data = (struct p9_data){(uint32_t)want, (const uint8_t *)buf + done};
		int r = p9client_rpc(c, &req, P9_RWRITE, &rep, NULL);
		if (r < 0)
			return done ? (long)done : r;
		uint32_t n = rep.rwrite.count;
		p9_msg_free(&rep);
		if (n > want)
			n = (uint32_t)want;
		done += n;
		*off += n;
		if (n < want)
			break;
	}
	return (long)done;
}

static int64_t gofer_llseek(struct file *f, int64_t off, int whence)
{
	struct gfile *gf = f->priv;
	if (S_ISDIR(f->inode->mode)) {
		if (whence != SEEK_SET || off != 0)
			return -EINVAL;
		gf->dir_off = 0;
		f->pos = 0;
		return 0;
	}
	int64_t base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = (int64_t)f->inode->size;
		if (gf->fd >= 0) {
			struct stat st;
			if (fstat(gf->fd, &st) == 0)
				base = st.st_size;
		}
		break;
	default:
		if (gf->fd < 0)
			return -EINVAL;
		int64_t r = lseek(gf->fd, off, whence); /* SEEK_DATA, SEEK_HOLE */
		return r < 0 ? -errno : r;
	}
	if (off < 0 && base + off < 0)
		return -EINVAL;
	return base + off;
}

static int gofer_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	struct gfile *gf = f->priv;
	struct p9_client *c = gconn(f->inode);
	for (;;) {
		struct p9_msg req = {.type = P9_TREADDIR}, rep;
		req.tread.fid = gf->fid;
		req.tread.offset = gf->dir_off;
		req.tread.count = c->msize - P9_IOHDRSZ; /* what servers (diod) accept */
		int r = p9client_rpc(c, &req, P9_RREADDIR, &rep, NULL);
		if (r < 0)
			return r;
		if (rep.rread.count == 0)
			return 0;
		size_t pos = 0;
		struct p9_dirent d;
		int got;
		while ((got = p9_dirent_next(rep.rread.data, rep.rread.count, &pos, &d)) == 1) {
			char name[256];
			if (d.namelen == 0 || d.namelen >= sizeof(name))
				return -EIO;
			memcpy(name, d.name, d.namelen);
			name[d.namelen] = 0;
			if (emit(ctx, name, d.qid.path, d.type, (int64_t)d.offset))
				return 0; /* the next call starts again at this entry */
			gf->dir_off = d.offset;
		}
		if (got < 0)
			return -EIO;
	}
}

static int gofer_mmap_fd(struct file *f)
{
	struct gfile *gf = f->priv;
	return gf->fd >= 0 ? gf->fd : -ENODEV;
}

static int gofer_fsync(struct file *f)
{
	struct gfile *gf = f->priv;
	if (gf->fd >= 0)
		return fsync(gf->fd) < 0 ? -errno : 0;
	struct p9_msg req = {.type = P9_TFSYNC}, rep;
	req.tfsync.fid = gf->fid;
	int r = p9client_rpc(gconn(f->inode), &req, P9_RFSYNC, &rep, NULL);
	if (r == 0)
		p9_msg_free(&rep);
	return r;
}

static int gofer_truncate(struct file *f, uint64_t len)
{
	struct gfile *gf = f->priv;
	if (f->inode->fs->readonly)
		return -EROFS;
	if (gf->fd >= 0)
		return ftruncate(gf->fd, (off_t)len) < 0 ? -errno : 0;
	struct p9_msg req = {.type = P9_TSETATTR}, rep;
	req.tsetattr.fid = gf->fid;
	req.tsetattr.valid = P9_SETATTR_SIZE;
	req.tsetattr.size = len;
	int r = p9client_rpc(gconn(f->inode), &req, P9_RSETATTR, &rep, NULL);
	if (r == 0)
		p9_msg_free(&rep);
	return r;
}

static void gofer_file_release(struct file *f)
{
	struct gfile *gf = f->priv;
	if (gf) {
		if (!gf->shared) {
			if (gf->fd >= 0)
				close(gf->fd);
			p9client_clunk(gconn(f->inode), gf->fid);
		}
		free(gf);
	}
}

const struct file_ops gofer_fops = {
    .read = gofer_read,
    .write = gofer_write,
    .llseek = gofer_llseek,
    .readdir = gofer_readdir,
    .mmap_fd = gofer_mmap_fd,
    .fsync = gofer_fsync,
    .truncate = gofer_truncate,
    .release = gofer_file_release,
};
