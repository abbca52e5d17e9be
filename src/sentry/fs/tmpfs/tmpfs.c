/* tmpfs; see tmpfs.h. */
#include "sentry/fs/tmpfs/tmpfs.h"

#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/pipe/pipe.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct tentry {
	char *name;
	struct inode *in;
	struct tentry *next;
};

struct tnode {
	struct tentry *entries; /* directories */
	struct inode *parent;	/* directories: for ".." in readdir */
	int memfd;		/* regular files */
	char *target;		/* symlinks */
	struct pipe *fifo;	/* named pipes: made on the first open */
};

static const struct inode_ops t_iops;
static const struct file_ops t_fops;
static const struct file_ops t_dir_fops;
static uint64_t tmpfs_devs = 0x30;

static struct inode *tnode_new_flags(struct fs *fs, uint32_t mode, unsigned mfd_flags)
{
	struct tnode *tn = calloc(1, sizeof(*tn));
	if (!tn)
		return NULL;
	tn->memfd = -1;
	if (S_ISREG(mode)) {
		tn->memfd = memfd_create("tmpfs", MFD_CLOEXEC | mfd_flags);
		if (tn->memfd < 0) {
			free(tn);
			return NULL;
		}
	}
	struct inode *in = inode_new(fs, &t_iops, S_ISDIR(mode) ? &t_dir_fops : &t_fops, mode);
	if (!in) {
		if (tn->memfd >= 0)
			close(tn->memfd);
		free(tn);
		return NULL;
	}
	in->priv = tn;
	return in;
}

static struct inode *tnode_new(struct fs *fs, uint32_t mode)
{
	return tnode_new_flags(fs, mode, 0);
}

static struct tentry **find(struct inode *dir, const char *name)
{
	struct tnode *tn = dir->priv;
	for (struct tentry **e = &tn->entries; *e; e = &(*e)->next)
		if (strcmp((*e)->name, name) == 0)
			return e;
	return NULL;
}

static int add(struct inode *dir, const char *name, struct inode *in)
{
	struct tentry *e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->name = strdup(name);
	if (!e->name) {
		free(e);
		return -ENOMEM;
	}
	e->in = in;
	struct tnode *tn = dir->priv;
	/* append, so readdir lists in creation order */
	struct tentry **tail = &tn->entries;
	while (*tail)
		tail = &(*tail)->next;
	e->next = NULL;
	*tail = e;
	inode_touch(dir, 0, 1, 1);
	return 0;
}

static int t_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct tentry **e = find(dir, name);
	if (!e)
		return -ENOENT;
	*out = inode_get((*e)->in);
	return 0;
}

static int make(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	if (strlen(name) > 255)
		return -ENAMETOOLONG;
	if (find(dir, name))
		return -EEXIST;
	struct inode *in = tnode_new(dir->fs, mode);
	if (!in)
		return -ENOSPC;
	int err = add(dir, name, in);
	if (err) {
		inode_put(in);
		return err;
	}
	if (S_ISDIR(mode)) {
		((struct tnode *)in->priv)->parent = dir;
		dir->nlink++;
	}
	if (out)
		*out = inode_get(in);
	return 0;
}

static int t_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	return make(dir, name, S_IFREG | (mode & 07777), out);
}

static int t_mkdir(struct inode *dir, const char *name, uint32_t mode)
{
	return make(dir, name, S_IFDIR | (mode & 07777), NULL);
}

static int t_mknod(struct inode *dir, const char *name, uint32_t mode, uint64_t rdev)
{
	struct inode *in;
	int err = make(dir, name, mode, &in);
	if (err)
		return err;
	in->rdev = rdev;
	inode_put(in);
	return 0;
}

static int t_symlink(struct inode *dir, const char *name, const char *target)
{
	struct inode *in;
	int err = make(dir, name, S_IFLNK | 0777, &in);
	if (err)
		return err;
	struct tnode *tn = in->priv;
	tn->target = strdup(target);
	in->size = strlen(target);
	inode_put(in);
	return tn->target ? 0 : -ENOMEM;
}

static int t_link(struct inode *dir, const char *name, struct inode *target)
{
	if (find(dir, name))
		return -EEXIST;
	if (target->fs != dir->fs)
		return -EXDEV;
	int err = add(dir, name, inode_get(target));
	if (err) {
		inode_put(target);
		return err;
	}
	target->nlink++;
	inode_touch(target, 0, 0, 1);
	return 0;
}

static void remove_entry(struct inode *dir, struct tentry **e)
{
	struct tentry *x = *e;
	*e = x->next;
	if (S_ISDIR(x->in->mode)) {
		dir->nlink--;
		x->in->nlink = 0;
	} else {
		x->in->nlink--;
	}
	inode_touch(x->in, 0, 0, 1);
	inode_put(x->in);
	free(x->name);
	free(x);
	inode_touch(dir, 0, 1, 1);
}

static int t_unlink(struct inode *dir, const char *name)
{
	struct tentry **e = find(dir, name);
	if (!e)
		return -ENOENT;
	if (S_ISDIR((*e)->in->mode))
		return -EISDIR;
	remove_entry(dir, e);
	return 0;
}

static int t_rmdir(struct inode *dir, const char *name)
{
	struct tentry **e = find(dir, name);
	if (!e)
		return -ENOENT;
	if (!S_ISDIR((*e)->in->mode))
		return -ENOTDIR;
	struct tnode *tn = (*e)->in->priv;
	if (tn->entries)
		return -ENOTEMPTY;
	remove_entry(dir, e);
	return 0;
}

static int t_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		    unsigned flags)
{
	struct tentry **oe = find(odir, oname);
	if (!oe)
		return -ENOENT;
	if (ndir->fs != odir->fs)
		return -EXDEV;
	struct inode *in = (*oe)->in;
	struct tentry **ne = find(ndir, nname);
	if (ne && (*ne)->in == in)
		return 0;
	if (ne && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (ne && (flags & RENAME_EXCHANGE)) {
		struct inode *other = (*ne)->in;
		(*ne)->in = in;
		(*oe)->in = other;
		return 0;
	}
	if (!ne && (flags & RENAME_EXCHANGE))
		return -ENOENT;
	if (ne) {
		struct inode *victim = (*ne)->in;
		if (S_ISDIR(in->mode) && !S_ISDIR(victim->mode))
			return -ENOTDIR;
		if (!S_ISDIR(in->mode) && S_ISDIR(victim->mode))
			return -EISDIR;
		if (S_ISDIR(victim->mode) && ((struct tnode *)victim->priv)->entries)
			return -ENOTEMPTY;
		remove_entry(ndir, ne);
	}
	/* a directory may not move into itself */
	if (S_ISDIR(in->mode)) {
		for (struct inode *p = ndir; p; p = ((struct tnode *)p->priv)->parent)
			if (p == in)
				return -EINVAL;
	}
	oe = find(odir, oname);
	struct tentry *x = *oe;
	*oe = x->next;
	char *nn = strdup(nname);
	if (!nn) {
		x->next = *oe;
		*oe = x;
		return -ENOMEM;
	}
	free(x->name);
	x->name = nn;
	struct tnode *nt = ndir->priv;
	x->next = NULL;
	struct tentry **tail = &nt->entries;
	while (*tail)
		tail = &(*tail)->next;
	*tail = x;
	if (S_ISDIR(in->mode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
		((struct tnode *)in->priv)->parent = ndir;
	}
	inode_touch(odir, 0, 1, 1);
	inode_touch(ndir, 0, 1, 1);
	inode_touch(in, 0, 0, 1);
	return 0;
}

static int t_readlink(struct inode *in, char *buf, size_t len)
{
	struct tnode *tn = in->priv;
	if (!tn->target)
		return -EINVAL;
	size_t n = strlen(tn->target);
	if (n > len)
		n = len;
	memcpy(buf, tn->target, n);
	return (int)n;
}

static int t_getattr(struct inode *in)
{
	struct tnode *tn = in->priv;
	if (tn->memfd >= 0) {
		struct stat st;
		if (fstat(tn->memfd, &st) == 0) {
			in->size = (uint64_t)st.st_size;
			in->blocks = (uint64_t)st.st_blocks;
		}
	}
	return 0;
}

static int t_setattr(struct inode *in, const struct iattr *ia)
{
	struct tnode *tn = in->priv;
	if (ia->valid & IATTR_SIZE) {
		if (S_ISDIR(in->mode))
			return -EISDIR;
		if (tn->memfd < 0)
			return -EINVAL;
		if (ftruncate(tn->memfd, (off_t)ia->size) < 0)
			return -errno;
		in->size = ia->size;
		inode_touch(in, 0, 1, 1);
	}
	if (ia->valid & IATTR_MODE)
		in->mode = (in->mode & S_IFMT) | (ia->mode & 07777);
	if (ia->valid & IATTR_UID)
		in->uid = ia->uid;
	if (ia->valid & IATTR_GID)
		in->gid = ia->gid;
	if (ia->valid & IATTR_ATIME)
		in->atime = ia->atime;
	if (ia->valid & IATTR_MTIME)
		in->mtime = ia->mtime;
	if (ia->valid & (IATTR_MODE | IATTR_UID | IATTR_GID | IATTR_ATIME | IATTR_MTIME))
		inode_touch(in, 0, 0, 1);
	return 0;
}

static int t_open(struct inode *in, struct file *f)
{
	if (S_ISCHR(in->mode))
		return chardev_open(in, f);
	if (S_ISFIFO(in->mode))
		return pipe_fifo_open(&((struct tnode *)in->priv)->fifo, f);
	if (S_ISSOCK(in->mode) || S_ISBLK(in->mode))
		return -ENXIO;
	return 0;
}

static int t_statfs(struct inode *in, struct linux_statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = 0x01021994; /* TMPFS_MAGIC */
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_blocks = st->f_bfree = st->f_bavail = 1 << 20;
	st->f_files = st->f_ffree = 1 << 20;
	st->f_namelen = 255;
	return 0;
}

static void t_release(struct inode *in)
{
	struct tnode *tn = in->priv;
	if (!tn)
		return;
	while (tn->entries) {
		struct tentry *e = tn->entries;
		tn->entries = e->next;
		inode_put(e->in);
		free(e->name);
		free(e);
	}
	if (tn->memfd >= 0)
		close(tn->memfd);
	free(tn->target);
	pipe_free(tn->fifo);
	free(tn);
}

static long t_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct tnode *tn = f->inode->priv;
	ssize_t n = pread(tn->memfd, buf, len, *off);
	if (n < 0)
		return -errno;
	*off += n;
	return n;
}

static long t_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct tnode *tn = f->inode->priv;
	if (f->flags & O_APPEND) {
		struct stat st;
		fstat(tn->memfd, &st);
		*off = st.st_size;
	}
	ssize_t n = pwrite(tn->memfd, buf, len, *off);
	if (n < 0)
		return -errno;
	*off += n;
	if ((uint64_t)*off > f->inode->size)
		f->inode->size = (uint64_t)*off;
	inode_touch(f->inode, 0, 1, 1);
	return n;
}

static int64_t t_llseek(struct file *f, int64_t off, int whence)
{
	struct tnode *tn = f->inode->priv;
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		off_t r = lseek(tn->memfd, off, whence);
		return r < 0 ? -errno : r;
	}
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : -1;
	if (whence == SEEK_END) {
		t_getattr(f->inode);
		base = (int64_t)f->inode->size;
	}
	if (base < 0)
		return -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

static int t_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	struct inode *dir = f->inode;
	struct tnode *tn = dir->priv;
	uint64_t i = f->dir_pos;
	if (i == 0) {
		if (emit(ctx, ".", dir->ino, DT_DIR, 1))
			return 0;
		f->dir_pos = i = 1;
	}
	if (i == 1) {
		struct inode *p = tn->parent ? tn->parent : dir;
		if (emit(ctx, "..", p->ino, DT_DIR, 2))
			return 0;
		f->dir_pos = i = 2;
	}
	uint64_t k = 2;
	for (struct tentry *e = tn->entries; e; e = e->next, k++) {
		if (k < i)
			continue;
		if (emit(ctx, e->name, e->in->ino, (e->in->mode >> 12) & 15, (int64_t)k + 1))
			return 0;
		f->dir_pos = k + 1;
	}
	return 0;
}

static int t_mmap_fd(struct file *f)
{
	struct tnode *tn = f->inode->priv;
	return tn->memfd >= 0 ? tn->memfd : -ENODEV;
}

static int t_truncate(struct file *f, uint64_t len)
{
	struct iattr ia = {.valid = IATTR_SIZE, .size = len};
	return t_setattr(f->inode, &ia);
}

static int t_fsync(struct file *f)
{
	return 0;
}

static const struct inode_ops t_iops = {
    .lookup = t_lookup,
    .create = t_create,
    .mkdir = t_mkdir,
    .mknod = t_mknod,
    .symlink = t_symlink,
    .link = t_link,
    .unlink = t_unlink,
    .rmdir = t_rmdir,
    .rename = t_rename,
    .readlink = t_readlink,
    .getattr = t_getattr,
    .setattr = t_setattr,
    .open = t_open,
    .statfs = t_statfs,
    .release = t_release,
};

static const struct file_ops t_fops = {
    .read = t_read,
    .write = t_write,
    .llseek = t_llseek,
    .mmap_fd = t_mmap_fd,
    .truncate = t_truncate,
    .fsync = t_fsync,
};

static const struct file_ops t_dir_fops = {
    .llseek = t_llseek,
    .readdir = t_readdir,
    .fsync = t_fsync,
};

struct inode *tmpfs_memfd_new(unsigned host_flags)
{
	static struct fs memfd_fs = {.name = "tmpfs", .dev = 0x1, .magic = 0x01021994};
	return tnode_new_flags(&memfd_fs, S_IFREG | 0777, host_flags);
}

struct inode *tmpfs_new(uint32_t mode)
{
	struct fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->name = "tmpfs";
	fs->dev = tmpfs_devs++;
	fs->magic = 0x01021994;
	return tnode_new(fs, S_IFDIR | (mode & 07777));
}
