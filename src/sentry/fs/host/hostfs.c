/* hostfs; see hostfs.h. Attributes are read from the host on every stat
 * (the host may change the files); files are opened by reopening the O_PATH
 * fd through /proc/self/fd, which never resolves a path component again. */
#include "sentry/fs/host/hostfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sandbox/sentry_confine.h"

/* Calls relative to an fd (the Sentry opens no path once confined), newer
 * than Debian 12's headers: fchmodat2 (Linux 6.6), getxattrat and
 * listxattrat (6.13). */
#define SYS_fchmodat2_NR   452
#define SYS_getxattrat_NR  464
#define SYS_listxattrat_NR 465

struct hnode {
	int fd;	  /* O_PATH */
	int rofd; /* opened O_RDONLY once and shared by every read-only open
		   * of a regular file (I/O is positional, so no offset is
		   * shared), or -1 */
};

struct hfile {
	int fd;	    /* opened for I/O */
	int shared; /* the node's rofd: not ours to close */
};

static const struct inode_ops host_iops;
static const struct file_ops host_fops;

static void fill_from_stat(struct inode *in, const struct stat *st)
{
	in->mode = st->st_mode;
	in->ino = st->st_ino;
	in->dev = st->st_dev;
	in->uid = st->st_uid;
	in->gid = st->st_gid;
	in->nlink = (uint32_t)st->st_nlink;
	in->size = (uint64_t)st->st_size;
	in->blocks = (uint64_t)st->st_blocks;
	in->rdev = st->st_rdev;
	in->atime = st->st_atim;
	in->mtime = st->st_mtim;
	in->ctime = st->st_ctim;
	in->btime = st->st_ctim;
}

static struct inode *node_new(struct fs *fs, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	struct hnode *h = malloc(sizeof(*h));
	struct inode *in = h ? inode_new(fs, &host_iops, &host_fops, st.st_mode) : NULL;
	if (!in) {
		free(h);
		return NULL;
	}
	h->fd = fd;
	h->rofd = -1;
	in->priv = h;
	fill_from_stat(in, &st);
	return in;
}

static int host_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct hnode *h = dir->priv;
	int fd = openat(h->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct inode *in = node_new(dir->fs, fd);
	if (!in) {
		close(fd);
		return -ENOMEM;
	}
	*out = in;
	return 0;
}

static int host_getattr(struct inode *in)
{
	struct hnode *h = in->priv;
	struct stat st;
	if (fstat(h->fd, &st) < 0)
		return -errno;
	fill_from_stat(in, &st);
	return 0;
}

static int host_readlink(struct inode *in, char *buf, size_t len)
{
	struct hnode *h = in->priv;
	ssize_t n = readlinkat(h->fd, "", buf, len);
	return n < 0 ? -errno : (int)n;
}

static int reopen(int pathfd, int flags)
{
	char p[64];
	snprintf(p, sizeof(p), "self/fd/%d", pathfd);
	int fd = sentry_proc_open(p, flags | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

static int host_open(struct inode *in, struct file *f)
{
	struct hnode *h = in->priv;
	if (!S_ISREG(in->mode) && !S_ISDIR(in->mode))
		return -ENXIO; /* host devices, fifos and sockets are not passed through */
	int acc = f->flags & O_ACCMODE;
	int flags = acc | (f->flags & (O_APPEND | O_DIRECTORY));
	if (S_ISDIR(in->mode))
		flags = O_RDONLY | O_DIRECTORY;
	int shared = S_ISREG(in->mode) && acc == O_RDONLY;
	if (shared && h->rofd < 0)
		h->rofd = reopen(h->fd, O_RDONLY);
	int fd = shared ? h->rofd : reopen(h->fd, flags);
	if (fd < 0) {
		if (shared)
			h->rofd = -1;
		return fd;
	}
	struct hfile *hf = malloc(sizeof(*hf));
	if (!hf) {
		if (!shared)
			close(fd);
		return -ENOMEM;
	}
	hf->fd = fd;
	hf->shared = shared;
	f->priv = hf;
	f->ops = &host_fops;
	return 0;
}

static int host_statfs(struct inode *in, struct linux_statfs *out)
{
	struct hnode *h = in->priv;
	struct statfs st;
	if (fstatfs(h->fd, &st) < 0)
		return -errno;
	memset(out, 0, sizeof(*out));
	out->f_type = st.f_type;
	out->f_bsize = st.f_bsize;
	out->f_blocks = st.f_blocks;
	out->f_bfree = st.f_bfree;
	out->f_bavail = st.f_bavail;
	out->f_files = st.f_files;
	out->f_ffree = st.f_ffree;
	out->f_namelen = st.f_namelen;
	out->f_frsize = st.f_frsize;
	out->f_flags = st.f_flags | (in->fs->readonly ? ST_RDONLY : 0);
	return 0;
}

static int host_listxattr(struct inode *in, char *buf, size_t len)
{
	struct hnode *h = in->priv;
	char p[32];
	snprintf(p, sizeof(p), "self/fd/%d", h->fd);
	ssize_t n = syscall(SYS_listxattrat_NR, sentry_proc_dir(), p, 0, buf, len);
	return n < 0 ? -errno : (int)n;
}

static int host_getxattr(struct inode *in, const char *name, void *buf, size_t len)
{
	struct hnode *h = in->priv;
	struct {
		uint64_t value;
		uint32_t size, flags;
	} args = {(uintptr_t)buf, (uint32_t)len, 0};
	char p[32];
	snprintf(p, sizeof(p), "self/fd/%d", h->fd);
	ssize_t n = syscall(SYS_getxattrat_NR, sentry_proc_dir(), p, 0, name, &args, sizeof(args));
	return n < 0 ? -errno : (int)n;
}

static void host_release(struct inode *in)
{
	struct hnode *h = in->priv;
	if (h) {
		close(h->fd);
		if (h->rofd >= 0)
			close(h->rofd);
		free(h);
	}
}

static long host_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct hfile *hf = f->priv;
	ssize_t n = pread(hf->fd, buf, len, *off);
	if (n < 0)
		return -errno;
	*off += n;
	return n;
}

static long host_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct hfile *hf = f->priv;
	ssize_t n;
	if (f->flags & O_APPEND) {
		n = write(hf->fd, buf, len);
		if (n >= 0)
			*off = lseek(hf->fd, 0, SEEK_CUR);
	} else {
		n = pwrite(hf->fd, buf, len, *off);
		if (n > 0)
			*off += n;
	}
	return n < 0 ? -errno : n;
}

static int64_t host_llseek(struct file *f, int64_t off, int whence)
{
	struct hfile *hf = f->priv;
	if (S_ISDIR(f->inode->mode)) {
		if (whence != SEEK_SET || off != 0)
			return whence == SEEK_SET || whence == SEEK_CUR ? -EINVAL : -EINVAL;
		lseek(hf->fd, 0, SEEK_SET);
		f->pos = 0;
		return 0;
	}
	int64_t r = lseek(hf->fd, off, whence == SEEK_CUR ? SEEK_SET : whence);
	if (whence == SEEK_CUR)
		r = lseek(hf->fd, f->pos + off, SEEK_SET);
	return r < 0 ? -errno : r;
}

static int host_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	struct hfile *hf = f->priv;
	char buf[8192];
	for (;;) {
		off_t start = lseek(hf->fd, 0, SEEK_CUR);
		long n = syscall(SYS_getdents64, hf->fd, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		off_t prev = start;
		for (long pos = 0; pos < n;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + pos);
			if (emit(ctx, de->d_name, de->d_ino, de->d_type, de->d_off)) {
				lseek(hf->fd, prev, SEEK_SET);
				return 0;
			}
			prev = de->d_off;
			pos += de->d_reclen;
		}
	}
}

static int host_mmap_fd(struct file *f)
{
	struct hfile *hf = f->priv;
	return hf->fd;
}

static int host_fsync(struct file *f)
{
	struct hfile *hf = f->priv;
	return fsync(hf->fd) < 0 ? -errno : 0;
}

static int host_truncate(struct file *f, uint64_t len)
{
	struct hfile *hf = f->priv;
	return ftruncate(hf->fd, (off_t)len) < 0 ? -errno : 0;
}

static void host_file_release(struct file *f)
{
	struct hfile *hf = f->priv;
	if (hf) {
		if (!hf->shared)
			close(hf->fd);
		free(hf);
	}
}

/* Writes (only on a writable hostfs: the bind mounts of a container). */
static int host_setattr(struct inode *in, const struct iattr *ia)
{
	if (in->fs->readonly)
		return -EROFS;
	struct hnode *h = in->priv;
	if (ia->valid & IATTR_SIZE) {
		if (S_ISDIR(in->mode))
			return -EISDIR;
		int fd = reopen(h->fd, O_WRONLY);
		if (fd < 0)
			return fd;
		int r = ftruncate(fd, (off_t)ia->size);
		close(fd);
		if (r < 0)
			return -errno;
	}
	if ((ia->valid & IATTR_MODE) && !S_ISLNK(in->mode) &&
	    syscall(SYS_fchmodat2_NR, h->fd, "", ia->mode & 07777, AT_EMPTY_PATH) < 0)
		return -errno;
	if ((ia->valid & (IATTR_UID | IATTR_GID)) &&
	    fchownat(h->fd, "", (ia->valid & IATTR_UID) ? ia->uid : (uint32_t)-1,
		     (ia->valid & IATTR_GID) ? ia->gid : (uint32_t)-1, AT_EMPTY_PATH) < 0)
		return -errno;
	if ((ia->valid & (IATTR_ATIME | IATTR_MTIME)) && !S_ISLNK(in->mode)) {
		struct timespec ts[2] = {ia->atime, ia->mtime};
		if (!(ia->valid & IATTR_ATIME))
			ts[0].tv_nsec = UTIME_OMIT;
		if (!(ia->valid & IATTR_MTIME))
			ts[1].tv_nsec = UTIME_OMIT;
		if (utimensat(h->fd, "", ts, AT_EMPTY_PATH) < 0)
			return -errno;
	}
	return host_getattr(in);
}

static int host_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	if (dir->fs->readonly)
		return -EROFS;
	struct hnode *h = dir->priv;
	int fd =
	    openat(h->fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
	if (fd < 0)
		return -errno;
	close(fd);
	return host_lookup(dir, name, out);
}

static int host_mkdir(struct inode *dir, const char *name, uint32_t mode)
{
	if (dir->fs->readonly)
		return -EROFS;
	struct hnode *h = dir->priv;
	return mkdirat(h->fd, name, mode & 07777) < 0 ? -errno : 0;
}

static int host_symlink(struct inode *dir, const char *name, const char *target)
{
	if (dir->fs->readonly)
		return -EROFS;
	struct hnode *h = dir->priv;
	return symlinkat(target, h->fd, name) < 0 ? -errno : 0;
}

static int host_unlink(struct inode *dir, const char *name)
{
	if (dir->fs->readonly)
		return -EROFS;
	struct hnode *h = dir->priv;
	return unlinkat(h->fd, name, 0) < 0 ? -errno : 0;
}

static int host_rmdir(struct inode *dir, const char *name)
{
	if (dir->fs->readonly)
		return -EROFS;
	struct hnode *h = dir->priv;
	return unlinkat(h->fd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static int host_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		       unsigned flags)
{
	if (odir->fs->readonly)
		return -EROFS;
	if (odir->fs != ndir->fs)
		return -EXDEV;
	struct hnode *o = odir->priv, *n = ndir->priv;
	return syscall(SYS_renameat2, o->fd, oname, n->fd, nname, flags) < 0 ? -errno : 0;
}

static const struct inode_ops host_iops = {
    .lookup = host_lookup,
    .getattr = host_getattr,
    .setattr = host_setattr,
    .create = host_create,
    .mkdir = host_mkdir,
    .symlink = host_symlink,
    .unlink = host_unlink,
    .rmdir = host_rmdir,
    .rename = host_rename,
    .readlink = host_readlink,
    .open = host_open,
    .statfs = host_statfs,
    .listxattr = host_listxattr,
    .getxattr = host_getxattr,
    .release = host_release,
};

static const struct file_ops host_fops = {
    .read = host_read,
    .write = host_write,
    .llseek = host_llseek,
    .readdir = host_readdir,
    .mmap_fd = host_mmap_fd,
    .fsync = host_fsync,
    .truncate = host_truncate,
    .release = host_file_release,
};

struct inode *hostfs_new(int root_fd, int readonly)
{
	struct fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->name = "hostfs";
	fs->readonly = readonly;
	fs->magic = 0xef53;
	return node_new(fs, root_fd);
}
