/* File system calls: open/close, read/write family, stat family, directory
 * and name operations, fd manipulation. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/notify/inotify.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/locks.h"
#include "sentry/syscalls/syscalls.h"

#define PATH_MAX_LINUX 4096
#define MAX_RW	       0x7ffff000L

static uint64_t nofile(struct task *t)
{
	return t->proc->rlim[RLIMIT_NOFILE].cur;
}

/* A path argument, copied in; caller frees. */
static long get_path(struct task *t, uint64_t addr, char **out)
{
	char *p = malloc(PATH_MAX_LINUX);
	if (!p)
		return -ENOMEM;
	long n = copy_in_str(t, addr, p, PATH_MAX_LINUX);
	if (n < 0) {
		free(p);
		return n;
	}
	*out = p;
	return 0;
}

/* Walks a path argument of the application. */
static long walk_user(struct task *t, int dirfd, uint64_t upath, int flags, struct walk_result *w)
{
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	err = vfs_walk(t, dirfd, path, flags, w);
	free(path);
	return err;
}

int fd_install(struct task *t, struct file *f, int cloexec)
{
	int fd = fdt_install(t->files, f, 0, cloexec, nofile(t));
	if (fd < 0)
		file_put(f);
	return fd;
}

static long do_openat(struct task *t, int dirfd, uint64_t upath, int flags, uint32_t mode)
{
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	struct file *f;
	err = vfs_open(t, dirfd, path, flags, mode, &f);
	free(path);
	if (err)
		return err;
	return fd_install(t, f, !!(flags & O_CLOEXEC));
}

SYSCALL(open)
{
	return do_openat(t, AT_FDCWD, a[0], (int)a[1], (uint32_t)a[2]);
}

SYSCALL(openat)
{
	return do_openat(t, (int)a[0], a[1], (int)a[2], (uint32_t)a[3]);
}

SYSCALL(creat)
{
	return do_openat(t, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1]);
}

SYSCALL(openat2)
{
	struct {
		uint64_t flags, mode, resolve;
	} how;
	if (a[3] < 24)
		return -EINVAL;
	if (copy_in(t, a[2], &how, sizeof(how)))
		return -EFAULT;
	if (how.resolve & ~0x3fULL || how.flags >> 32)
		return -EINVAL;
	/* RESOLVE_* other than NO_MAGICLINKS are honoured by the walk flags in
	 * vfs_walk through O_NOFOLLOW-like checks; keep the common case. */
	return do_openat(t, (int)a[0], a[1], (int)how.flags, (uint32_t)how.mode);
}

SYSCALL(close)
{
	return fdt_close(t->files, (int)a[0]);
}

SYSCALL(close_range)
{
	unsigned lo = (unsigned)a[0], hi = (unsigned)a[1];
	if (lo > hi || (a[2] & ~6ULL))
		return -EINVAL;
	for (unsigned fd = lo; fd <= hi && (int)fd < t->files->size; fd++) {
		if (a[2] & 4) /* CLOSE_RANGE_CLOEXEC */
			fdt_set_cloexec(t->files, (int)fd, 1);
		else
			fdt_close(t->files, (int)fd);
	}
	return 0;
}

static int readable(struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static int writable(struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

/* Reads into application memory through a bounce buffer. */
/* A socket must see a whole message in one call (datagrams keep their
 * boundaries), so its buffers are not split into chunks. */
#define SOCKET_MAX_MSG (16UL << 20)
static size_t chunk_for(struct file *f, size_t len)
{
	size_t max = S_ISSOCK(f->inode->mode) ? SOCKET_MAX_MSG : 65536;
	return len < max ? len : max;
}

static long file_read_user(struct task *t, struct file *f, uint64_t ubuf, size_t len, int64_t *pos)
{
	if (!f->ops || !f->ops->read)
		return S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	if (len > MAX_RW)
		len = MAX_RW;
	size_t chunk = chunk_for(f, len);
	char *buf = malloc(chunk ? chunk : 1);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	long r = 0;
	while (done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		r = f->ops->read(f, buf, n, pos);
		if (r <= 0)
			break;
		if (copy_out(t, ubuf + done, buf, (size_t)r)) {
			r = -EFAULT;
			break;
		}
		done += (size_t)r;
		if ((size_t)r < n || !S_ISREG(f->inode->mode))
			break;
	}
	free(buf);
	if (done)
		return (long)done;
	return r;
}

static long file_write_user(struct task *t, struct file *f, uint64_t ubuf, size_t len, int64_t *pos)
{
	if (!f->ops || !f->ops->write)
		return -EINVAL;
	if (len > MAX_RW)
		len = MAX_RW;
	size_t chunk = chunk_for(f, len);
	char *buf = malloc(chunk ? chunk : 1);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	long r = 0;
	while (done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		if (copy_in(t, ubuf + done, buf, n)) {
			r = -EFAULT;
			break;
		}
		r = f->ops->write(f, buf, n, pos);
		if (r <= 0)
			break;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	free(buf);
	if (done)
		return (long)done;
	if (!len)
		return f->ops->write(f, "", 0, pos);
	return r;
}

SYSCALL(read)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = readable(f) ? file_read_user(t, f, a[1], a[2], &f->pos) : -EBADF;
	if (r > 0)
		FSNOTIFY_FILE(f, IN_ACCESS);
	file_put(f);
	return r;
}

SYSCALL(write)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = writable(f) ? file_write_user(t, f, a[1], a[2], &f->pos) : -EBADF;
	if (r > 0)
		FSNOTIFY_FILE(f, IN_MODIFY);
	file_put(f);
	return r;
}

static int seekable(struct file *f)
{
	return S_ISREG(f->inode->mode) || S_ISBLK(f->inode->mode) || S_ISDIR(f->inode->mode);
}

SYSCALL(pread64)
{
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	int64_t pos = (int64_t)a[3];
	long r = !readable(f)	? -EBADF
		 : !seekable(f) ? -ESPIPE
				: file_read_user(t, f, a[1], a[2], &pos);
	file_put(f);
	return r;
}

SYSCALL(pwrite64)
{
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	int64_t pos = (int64_t)a[3];
	long r = !writable(f)	? -EBADF
		 : !seekable(f) ? -ESPIPE
				: file_write_user(t, f, a[1], a[2], &pos);
	file_put(f);
	return r;
}

/* readv/writev on a socket: one message made of every iovec. */
static long socket_rw_vec(struct task *t, struct file *f, const struct linux_iovec *iov,
			  uint64_t cnt, int write)
{
	size_t total = 0;
	for (uint64_t i = 0; i < cnt; i++) {
		if (iov[i].len > SOCKET_MAX_MSG - total)
			return -EMSGSIZE;
		total += iov[i].len;
	}
	char *buf = malloc(total ? total : 1);
	if (!buf)
		return -ENOMEM;
	long r = 0;
	size_t at = 0;
	if (write) {
		for (uint64_t i = 0; i < cnt && !r; i++, at += iov[i - 1].len)
			r = copy_in(t, iov[i].base, buf + at, iov[i].len);
		if (!r)
			r = f->ops->write(f, buf, total, &f->pos);
	} else {
		r = f->ops->read(f, buf, total, &f->pos);
		for (uint64_t i = 0; i < cnt && r > 0 && at < (size_t)r; i++) {
			size_t n = (size_t)r - at < iov[i].len ? (size_t)r - at : iov[i].len;
			if (copy_out(t, iov[i].base, buf + at, n)) {
				r = -EFAULT;
				break;
			}
			at += n;
		}
	}
	free(buf);
	return r;
}

static long do_rw_vec(struct task *t, int fd, uint64_t uiov, uint64_t cnt, int64_t off, int write)
{
	if (cnt > 1024)
		return -EINVAL;
	struct file *f = fdt_get(t->files, fd);
	if (!f)
		return -EBADF;
	long total = 0, r = 0;
	if (write ? !writable(f) : !readable(f)) {
		file_put(f);
		return -EBADF;
	}
	if (off >= 0 && !seekable(f)) {
		file_put(f);
		return -ESPIPE;
	}
	int64_t *pos = off >= 0 ? &off : &f->pos;
	if (S_ISSOCK(f->inode->mode) && f->ops && (write ? !!f->ops->write : !!f->ops->read)) {
		struct linux_iovec *iovs = malloc((cnt ? cnt : 1) * sizeof(*iovs));
		r = !iovs ? -ENOMEM : copy_in(t, uiov, iovs, cnt * sizeof(*iovs)) ? -EFAULT : 0;
		if (!r)
			r = socket_rw_vec(t, f, iovs, cnt, write);
		free(iovs);
		file_put(f);
		return r;
	}
	for (uint64_t i = 0; i < cnt; i++) {
		struct linux_iovec iov;
		if (copy_in(t, uiov + i * sizeof(iov), &iov, sizeof(iov))) {
			r = -EFAULT;
			break;
		}
		if ((int64_t)iov.len < 0) {
			r = -EINVAL;
			break;
		}
		if (!iov.len)
			continue;
		r = write ? file_write_user(t, f, iov.base, iov.len, pos)
			  : file_read_user(t, f, iov.base, iov.len, pos);
		if (r <= 0)
			break;
		total += r;
		if ((uint64_t)r < iov.len)
			break;
	}
	file_put(f);
	return total ? total : r;
}

SYSCALL(readv)
{
	return do_rw_vec(t, (int)a[0], a[1], a[2], -1, 0);
}

SYSCALL(writev)
{
	return do_rw_vec(t, (int)a[0], a[1], a[2], -1, 1);
}

SYSCALL(preadv)
{
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	return do_rw_vec(t, (int)a[0], a[1], a[2], (int64_t)a[3], 0);
}

SYSCALL(pwritev)
{
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	return do_rw_vec(t, (int)a[0], a[1], a[2], (int64_t)a[3], 1);
}

SYSCALL(preadv2)
{
	return do_rw_vec(t, (int)a[0], a[1], a[2], (int64_t)a[3], 0);
}

SYSCALL(pwritev2)
{
	return do_rw_vec(t, (int)a[0], a[1], a[2], (int64_t)a[3], 1);
}

SYSCALL(lseek)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r;
	int whence = (int)a[2];
	if (!seekable(f) && !(f->ops && f->ops->llseek && !S_ISFIFO(f->inode->mode) &&
			      !S_ISSOCK(f->inode->mode) && !S_ISCHR(f->inode->mode)))
		r = S_ISCHR(f->inode->mode) ? 0 : -ESPIPE;
	else if (whence < 0 || whence > 4)
		r = -EINVAL;
	else if (f->ops && f->ops->llseek)
		r = f->ops->llseek(f, (int64_t)a[1], whence);
	else
		r = -ESPIPE;
	if (r >= 0) {
		f->pos = r;
		if (S_ISDIR(f->inode->mode))
			f->dir_pos = (uint64_t)r;
	}
	file_put(f);
	return r;
}

SYSCALL(dup)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	return fd_install(t, f, 0);
}

static long do_dup3(struct task *t, int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	struct file *f = fdt_get(t->files, oldfd);
	if (!f)
		return -EBADF;
	if ((uint64_t)newfd >= nofile(t) || newfd < 0) {
		file_put(f);
		return -EBADF;
	}
	return fdt_install_at(t->files, newfd, f, !!(flags & O_CLOEXEC), nofile(t));
}

SYSCALL(dup2)
{
	if (a[0] == a[1]) {
		struct file *f = fdt_get(t->files, (int)a[0]);
		if (!f)
			return -EBADF;
		file_put(f);
		return (long)a[1];
	}
	return do_dup3(t, (int)a[0], (int)a[1], 0);
}

SYSCALL(dup3)
{
	if (a[0] == a[1])
		return -EINVAL;
	return do_dup3(t, (int)a[0], (int)a[1], (int)a[2]);
}

SYSCALL(fcntl)
{
	int fd = (int)a[0], cmd = (int)a[1];
	struct file *f = fdt_get(t->files, fd);
	if (!f)
		return -EBADF;
	long r;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (a[2] >= nofile(t)) {
			r = -EINVAL;
			break;
		}
		r = fdt_install(t->files, file_get(f), (int)a[2], cmd == F_DUPFD_CLOEXEC,
				nofile(t));
		if (r < 0)
			file_put(f);
		break;
	case F_GETFD:
		r = fdt_get_cloexec(t->files, fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fdt_set_cloexec(t->files, fd, (int)(a[2] & FD_CLOEXEC));
		break;
	case F_GETFL:
		r = f->flags & ~O_CLOEXEC;
		if (f->flags & O_PATH)
			r = O_PATH | (f->flags & O_DIRECTORY);
		else
			r |= 0x8000; /* O_LARGEFILE */
		break;
	case F_SETFL: {
		int mask = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
		f->flags = (f->flags & ~mask) | ((int)a[2] & mask);
		r = 0;
		break;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		r = locks_fcntl(t, f, cmd, a[2]);
		break;
	case F_GETOWN:
	case F_SETOWN:
	case F_SETSIG:
	case F_GETSIG:
		r = 0;
		break;
	case F_GETPIPE_SZ:
		r = S_ISFIFO(f->inode->mode) ? 65536 : -EBADF;
		break;
	case F_SETPIPE_SZ:
		r = S_ISFIFO(f->inode->mode) ? 65536 : -EBADF;
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS: {
		/* memfds and tmpfs files: the host memfd behind them keeps the seals */
		int hfd =
		    f->ops && f->ops->mmap_fd && f->inode->fs && f->inode->fs->magic == 0x01021994
			? f->ops->mmap_fd(f)
			: -1;
		if (hfd < 0)
			r = -EINVAL;
		else if (cmd == F_ADD_SEALS && !writable(f))
			r = -EPERM;
		else if ((r = fcntl(hfd, cmd, (int)a[2])) < 0)
			r = -errno;
		break;
	}
	default:
		r = -EINVAL;
	}
	file_put(f);
	return r;
}

SYSCALL(flock)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = locks_flock(t, f, (unsigned)a[1]);
	file_put(f);
	return r;
}

/* stat family */

static int getattr(struct inode *in)
{
	if (in->iops && in->iops->getattr)
		return in->iops->getattr(in);
	return 0;
}

static void statx_to_stat(const struct linux_statx *sx, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = ((uint64_t)sx->stx_dev_major << 8) | (sx->stx_dev_minor & 0xff) |
		     ((uint64_t)(sx->stx_dev_minor & ~0xffU) << 12);
	st->st_ino = sx->stx_ino;
	st->st_nlink = sx->stx_nlink;
	st->st_mode = sx->stx_mode;
	st->st_uid = sx->stx_uid;
	st->st_gid = sx->stx_gid;
	st->st_rdev = ((uint64_t)sx->stx_rdev_major << 8) | (sx->stx_rdev_minor & 0xff) |
		      ((uint64_t)(sx->stx_rdev_minor & ~0xffU) << 12);
	st->st_size = (int64_t)sx->stx_size;
	st->st_blksize = sx->stx_blksize;
	st->st_blocks = (int64_t)sx->stx_blocks;
	st->st_atim.tv_sec = sx->stx_atime.tv_sec;
	st->st_atim.tv_nsec = sx->stx_atime.tv_nsec;
	st->st_mtim.tv_sec = sx->stx_mtime.tv_sec;
	st->st_mtim.tv_nsec = sx->stx_mtime.tv_nsec;
	st->st_ctim.tv_sec = sx->stx_ctime.tv_sec;
	st->st_ctim.tv_nsec = sx->stx_ctime.tv_nsec;
}

static long stat_at(struct task *t, int dirfd, uint64_t upath, int flags, struct linux_statx *sx)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | 0x6000))
		return -EINVAL;
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	struct walk_result w;
	int wf = (flags & AT_SYMLINK_NOFOLLOW ? WALK_NOFOLLOW : 0) |
		 (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0);
	err = vfs_walk(t, dirfd, path, wf, &w);
	free(path);
	if (err)
		return err;
	getattr(w.d->inode);
	vfs_fill_statx(w.d->inode, sx);
	walk_result_put(&w);
	return 0;
}

/* Hands sx to the program as the older struct stat. */
static long put_stat(struct task *t, uint64_t ubuf, const struct linux_statx *sx)
{
	struct linux_stat st;
	statx_to_stat(sx, &st);
	return copy_out(t, ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

static long stat_user(struct task *t, int dirfd, uint64_t upath, int flags, uint64_t ubuf)
{
	struct linux_statx sx;
	long err = stat_at(t, dirfd, upath, flags, &sx);
	return err ? err : put_stat(t, ubuf, &sx);
}

SYSCALL(stat)
{
	return stat_user(t, AT_FDCWD, a[0], 0, a[1]);
}

SYSCALL(lstat)
{
	return stat_user(t, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, a[1]);
}

SYSCALL(newfstatat)
{
	return stat_user(t, (int)a[0], a[1], (int)a[3], a[2]);
}

SYSCALL(fstat)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	struct linux_statx sx;
	getattr(f->inode);
	vfs_fill_statx(f->inode, &sx);
	file_put(f);
	return put_stat(t, a[1], &sx);
}

SYSCALL(statx)
{
	struct linux_statx sx;
	int flags = (int)a[2];
	if ((uint32_t)a[3] & 0x80000000U)
		return -EINVAL;
	long err;
	if ((flags & AT_EMPTY_PATH) && (int)a[0] != AT_FDCWD) {
		char c;
		if (copy_in(t, a[1], &c, 1) == 0 && c == 0) {
			struct file *f = fdt_get(t->files, (int)a[0]);
			if (!f)
				return -EBADF;
			getattr(f->inode);
			vfs_fill_statx(f->inode, &sx);
			file_put(f);
			return copy_out(t, a[4], &sx, sizeof(sx)) ? -EFAULT : 0;
		}
	}
	err = stat_at(t, (int)a[0], a[1], flags & ~0x6000, &sx);
	if (err)
		return err;
	return copy_out(t, a[4], &sx, sizeof(sx)) ? -EFAULT : 0;
}

struct dirent_ctx {
	char *buf;
	size_t cap, len;
	struct file *f;
	int too_small; /* the next entry did not fit an empty buffer */
};

static int emit_dirent(void *vctx, const char *name, uint64_t ino, unsigned type, int64_t next)
{
	struct dirent_ctx *c = vctx;
	size_t nlen = strlen(name);
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + nlen + 1 + 7) & ~7UL;
	if (c->len + reclen > c->cap) {
		c->too_small = c->len == 0;
		return 1;
	}
	struct linux_dirent64 *d = (struct linux_dirent64 *)(c->buf + c->len);
	memset(d, 0, reclen);
	d->d_ino = ino ? ino : 1;
	d->d_off = next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)type;
	memcpy(d->d_name, name, nlen);
	c->len += reclen;
	c->f->pos = next;
	return 0;
}

SYSCALL(getdents64)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r;
	if (!f->ops || !f->ops->readdir) {
		r = S_ISDIR(f->inode->mode) ? -EBADF : -ENOTDIR;
		file_put(f);
		return r;
	}
	size_t cap = a[2] > 65536 ? 65536 : a[2];
	struct dirent_ctx c = {.buf = malloc(cap ? cap : 1), .cap = cap, .f = f};
	if (!c.buf) {
		file_put(f);
		return -ENOMEM;
	}
	r = f->ops->readdir(f, emit_dirent, &c);
	if (r == 0) {
		if (c.too_small)
			r = -EINVAL;
		else if (c.len && copy_out(t, a[1], c.buf, c.len))
			r = -EFAULT;
		else
			r = (long)c.len;
	}
	free(c.buf);
	file_put(f);
	return r;
}

/* name operations */

static long walk_parent(struct task *t, int dirfd, uint64_t upath, struct walk_result *w)
{
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	err = vfs_walk(t, dirfd, path, WALK_PARENT, w);
	free(path);
	if (err)
		return err;
	if (!w->last[0]) {
		walk_result_put(w);
		return -EEXIST;
	}
	return 0;
}

static int ro(struct walk_result *w)
{
	return (w->mnt && (w->mnt->flags & 1)) || (w->d->inode->fs && w->d->inode->fs->readonly);
}

/* Whether t may add or remove names in the directory w leads to. */
static long may_change(struct task *t, struct walk_result *w)
{
	if (ro(w))
		return -EROFS;
	return vfs_permission(t, w->d->inode, 3 /* write and search */);
}

/* Whether t may make the name w ends in: it must not exist yet. */
static long may_create(struct task *t, struct walk_result *w)
{
	struct dentry *c;
	if (vfs_lookup_child(w->d, w->last, &c) == 0) {
		dentry_put(c);
		return -EEXIST;
	}
	return may_change(t, w);
}

static long do_mkdirat(struct task *t, int dirfd, uint64_t upath, uint32_t mode)
{
	struct walk_result w;
	long err = walk_parent(t, dirfd, upath, &w);
	if (err)
		return err;
	err = may_create(t, &w);
	if (!err && !w.d->inode->iops->mkdir)
		err = -EPERM;
	if (!err) {
		err = w.d->inode->iops->mkdir(w.d->inode, w.last, mode & 07777 & ~t->fs->umask);
		if (!err)
			FSNOTIFY_NAME(w.d, w.last, IN_CREATE | IN_ISDIR);
	}
	walk_result_put(&w);
	return err;
}

SYSCALL(mkdir)
{
	return do_mkdirat(t, AT_FDCWD, a[0], (uint32_t)a[1]);
}

SYSCALL(mkdirat)
{
	return do_mkdirat(t, (int)a[0], a[1], (uint32_t)a[2]);
}

static long do_mknodat(struct task *t, int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
	uint32_t type = mode & S_IFMT;
	if (type == 0)
		mode |= S_IFREG;
	else if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR &&
		 type != S_IFBLK)
		return -EINVAL;
	struct walk_result w;
	long err = walk_parent(t, dirfd, upath, &w);
	if (err)
		return err;
	err = may_create(t, &w);
	if (!err && !w.d->inode->iops->mknod)
		err = -EPERM;
	if (!err) {
		err = w.d->inode->iops->mknod(
		    w.d->inode, w.last, (mode & S_IFMT) | (mode & 07777 & ~t->fs->umask), dev);
		if (!err)
			FSNOTIFY_NAME(w.d, w.last, IN_CREATE);
	}
	walk_result_put(&w);
	return err;
}

SYSCALL(mknod)
{
	return do_mknodat(t, AT_FDCWD, a[0], (uint32_t)a[1], a[2]);
}

SYSCALL(mknodat)
{
	return do_mknodat(t, (int)a[0], a[1], (uint32_t)a[2], a[3]);
}

static long do_unlinkat(struct task *t, int dirfd, uint64_t upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	struct walk_result w;
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	err = vfs_walk(t, dirfd, path, WALK_PARENT, &w);
	free(path);
	if (err)
		return err;
	if (!w.last[0]) {
		walk_result_put(&w);
		return flags & AT_REMOVEDIR ? -EBUSY : -EISDIR;
	}
	struct dentry *c;
	err = vfs_lookup_child(w.d, w.last, &c);
	if (err) {
		walk_result_put(&w);
		return err;
	}
	if (c->mounted)
		err = -EBUSY;
	else if ((err = may_change(t, &w)) != 0)
		; /* EROFS or EACCES */
	else if (flags & AT_REMOVEDIR)
		err = !S_ISDIR(c->inode->mode)	? -ENOTDIR
		      : w.d->inode->iops->rmdir ? w.d->inode->iops->rmdir(w.d->inode, w.last)
						: -EPERM;
	else
		err = S_ISDIR(c->inode->mode)	 ? -EISDIR
		      : w.d->inode->iops->unlink ? w.d->inode->iops->unlink(w.d->inode, w.last)
						 : -EPERM;
	if (!err) {
		dentry_detach(c);
		FSNOTIFY_NAME(w.d, w.last, IN_DELETE | (flags & AT_REMOVEDIR ? IN_ISDIR : 0));
	}
	dentry_put(c);
	walk_result_put(&w);
	return err;
}

SYSCALL(unlink)
{
	return do_unlinkat(t, AT_FDCWD, a[0], 0);
}

SYSCALL(rmdir)
{
	return do_unlinkat(t, AT_FDCWD, a[0], AT_REMOVEDIR);
}

SYSCALL(unlinkat)
{
	return do_unlinkat(t, (int)a[0], a[1], (int)a[2]);
}

static long do_renameat2(struct task *t, int odfd, uint64_t opath, int ndfd, uint64_t npath,
			 unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	struct walk_result ow, nw;
	long err = walk_parent(t, odfd, opath, &ow);
	if (err)
		return err == -EEXIST ? -EBUSY : err;
	err = walk_parent(t, ndfd, npath, &nw);
	if (err) {
		walk_result_put(&ow);
		return err == -EEXIST ? -EBUSY : err;
	}
	struct dentry *src = NULL;
	err = vfs_lookup_child(ow.d, ow.last, &src);
	if (!err && (ow.mnt != nw.mnt))
		err = -EXDEV;
	if (!err)
		err = may_change(t, &ow);
	if (!err)
		err = may_change(t, &nw);
	if (!err && !ow.d->inode->iops->rename)
		err = -EPERM;
	if (!err)
		err = ow.d->inode->iops->rename(ow.d->inode, ow.last, nw.d->inode, nw.last, flags);
	if (!err && inotify_nwatches) {
		uint32_t cookie = fsnotify_cookie(), dir = S_ISDIR(src->inode->mode) ? IN_ISDIR : 0;
		fsnotify_name(ow.d, ow.last, IN_MOVED_FROM | dir, cookie);
		fsnotify_name(nw.d, nw.last, IN_MOVED_TO | dir, cookie);
	}
	if (!err && !(flags & RENAME_EXCHANGE))
		dentry_move(src, nw.d, nw.last);
	if (!err && (flags & RENAME_EXCHANGE)) {
		/* drop both cached names; they are looked up again */
		dentry_detach(src);
		struct dentry *o = dentry_child(nw.d, nw.last);
		if (o)
			dentry_detach(o);
	}
	if (src)
		dentry_put(src);
	walk_result_put(&ow);
	walk_result_put(&nw);
	return err;
}

SYSCALL(rename)
{
	return do_renameat2(t, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

SYSCALL(renameat)
{
	return do_renameat2(t, (int)a[0], a[1], (int)a[2], a[3], 0);
}

SYSCALL(renameat2)
{
	return do_renameat2(t, (int)a[0], a[1], (int)a[2], a[3], (unsigned)a[4]);
}

static long do_linkat(struct task *t, int odfd, uint64_t opath, int ndfd, uint64_t npath, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *path;
	long err = get_path(t, opath, &path);
	if (err)
		return err;
	struct walk_result ow, nw;
	err = vfs_walk(t, odfd, path,
		       (flags & AT_SYMLINK_FOLLOW ? 0 : WALK_NOFOLLOW) |
			   (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0),
		       &ow);
	free(path);
	if (err)
		return err;
	if (S_ISDIR(ow.d->inode->mode)) {
		walk_result_put(&ow);
		return -EPERM;
	}
	err = walk_parent(t, ndfd, npath, &nw);
	if (err) {
		walk_result_put(&ow);
		return err;
	}
	struct dentry *c;
	if (vfs_lookup_child(nw.d, nw.last, &c) == 0) {
		dentry_put(c);
		err = -EEXIST;
	} else if (ow.mnt != nw.mnt) {
		err = -EXDEV;
	} else if (!(err = may_change(t, &nw))) {
		struct inode *dir = nw.d->inode;
		err = dir->iops->link ? dir->iops->link(dir, nw.last, ow.d->inode) : -EPERM;
		if (!err)
			FSNOTIFY_NAME(nw.d, nw.last, IN_CREATE);
	}
	walk_result_put(&ow);
	walk_result_put(&nw);
	return err;
}

SYSCALL(link)
{
	return do_linkat(t, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

SYSCALL(linkat)
{
	return do_linkat(t, (int)a[0], a[1], (int)a[2], a[3], (int)a[4]);
}

static long do_symlinkat(struct task *t, uint64_t utarget, int dirfd, uint64_t upath)
{
	char *target;
	long err = get_path(t, utarget, &target);
	if (err)
		return err;
	if (!*target) {
		free(target);
		return -ENOENT;
	}
	struct walk_result w;
	err = walk_parent(t, dirfd, upath, &w);
	if (err) {
		free(target);
		return err;
	}
	err = may_create(t, &w);
	if (!err && !w.d->inode->iops->symlink)
		err = -EPERM;
	if (!err) {
		err = w.d->inode->iops->symlink(w.d->inode, w.last, target);
		if (!err)
			FSNOTIFY_NAME(w.d, w.last, IN_CREATE);
	}
	free(target);
	walk_result_put(&w);
	return err;
}

SYSCALL(symlink)
{
	return do_symlinkat(t, a[0], AT_FDCWD, a[1]);
}

SYSCALL(symlinkat)
{
	return do_symlinkat(t, a[0], (int)a[1], a[2]);
}

static long do_readlinkat(struct task *t, int dirfd, uint64_t upath, uint64_t ubuf, int64_t len)
{
	if (len <= 0)
		return -EINVAL;
	struct walk_result w;
	long err = walk_user(t, dirfd, upath, WALK_NOFOLLOW | WALK_EMPTY, &w);
	if (err)
		return err;
	struct inode *in = w.d->inode;
	char *buf = malloc(4096);
	if (!buf) {
		walk_result_put(&w);
		return -ENOMEM;
	}
	if (in->iops && in->iops->get_link_path) {
		struct mount *m;
		struct dentry *d;
		err = in->iops->get_link_path(in, t, &m, &d);
		if (!err) {
			err = vfs_path_of(t->fs->root_mnt, t->fs->root, m, d, buf, 4096);
			if (err >= 0 && d->unlinked && strlen(buf) + 11 < 4096) {
				strcat(buf, " (deleted)");
				err = (long)strlen(buf);
			}
			dentry_put(d);
		}
	} else if (S_ISLNK(in->mode) && in->iops && in->iops->readlink) {
		err = in->iops->readlink(in, buf, 4096);
	} else {
		err = -EINVAL;
	}
	walk_result_put(&w);
	if (err >= 0) {
		size_t n = (size_t)err < (size_t)len ? (size_t)err : (size_t)len;
		err = copy_out(t, ubuf, buf, n) ? -EFAULT : (long)n;
	}
	free(buf);
	return err;
}

SYSCALL(readlink)
{
	return do_readlinkat(t, AT_FDCWD, a[0], a[1], (int64_t)a[2]);
}

SYSCALL(readlinkat)
{
	return do_readlinkat(t, (int)a[0], a[1], a[2], (int64_t)a[3]);
}

/* attributes */

static long setattr_path(struct task *t, int dirfd, uint64_t upath, int flags, struct iattr *ia)
{
	struct walk_result w;
	long err = walk_user(t, dirfd, upath,
			     (flags & AT_SYMLINK_NOFOLLOW ? WALK_NOFOLLOW : 0) |
				 (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0),
			     &w);
	if (err)
		return err;
	struct inode *in = w.d->inode;
	if (ro(&w))
		err = -EROFS;
	else
		err = in->iops && in->iops->setattr ? in->iops->setattr(in, ia) : -EPERM;
	walk_result_put(&w);
	return err;
}
static long setattr_fd(struct task *t, int fd, struct iattr *ia)
{
	struct file *f = fdt_get(t->files, fd);
	if (!f)
		return -EBADF;
	struct inode *in = f->inode;
	long err;
	if (in->fs && in->fs->readonly)
		err = -EROFS;
	else
		err = in->iops && in->iops->setattr ? in->iops->setattr(in, ia) : -EPERM;
	file_put(f);
	return err;
}
SYSCALL(chmod)
{
	struct iattr ia = {.valid = IATTR_MODE, .mode = (uint32_t)a[1]};
	return setattr_path(t, AT_FDCWD, a[0], 0, &ia);
}
SYSCALL(fchmodat)
{
	struct iattr ia = {.valid = IATTR_MODE, .mode = (uint32_t)a[2]};
	return setattr_path(t, (int)a[0], a[1], 0, &ia);
}
SYSCALL(fchmod)
{
	struct iattr ia = {.valid = IATTR_MODE, .mode = (uint32_t)a[1]};
	return setattr_fd(t, (int)a[0], &ia);
}
static void chown_attr(struct iattr *ia, uint64_t uid, uint64_t gid)
{
	if ((uint32_t)uid != (uint32_t)-1) {
		ia->valid |= IATTR_UID;
		ia->uid = (uint32_t)uid;
	}
	if ((uint32_t)gid != (uint32_t)-1) {
		ia->valid |= IATTR_GID;
		ia->gid = (uint32_t)gid;
	}
}
SYSCALL(chown)
{
	struct iattr ia = {0};
	chown_attr(&ia, a[1], a[2]);
	return setattr_path(t, AT_FDCWD, a[0], 0, &ia);
}
SYSCALL(lchown)
{
	struct iattr ia = {0};
	chown_attr(&ia, a[1], a[2]);
	return setattr_path(t, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, &ia);
}
SYSCALL(fchown)
{
	struct iattr ia = {0};
	chown_attr(&ia, a[1], a[2]);
	return setattr_fd(t, (int)a[0], &ia);
}
SYSCALL(fchownat)
{
	struct iattr ia = {0};
	chown_attr(&ia, a[2], a[3]);
	return setattr_path(t, (int)a[0], a[1], (int)a[4], &ia);
}
SYSCALL(utimensat)
{
	struct iattr ia = {.valid = IATTR_ATIME | IATTR_MTIME};
	struct linux_timespec ts[2];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	ia.atime = ia.mtime = now;
	if (a[2]) {
		if (copy_in(t, a[2], ts, sizeof(ts)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			struct timespec *dst = i ? &ia.mtime : &ia.atime;
			if (ts[i].tv_nsec == UTIME_OMIT) {
				ia.valid &= ~(unsigned)(i ? IATTR_MTIME : IATTR_ATIME);
			} else if (ts[i].tv_nsec != UTIME_NOW) {
				if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000)
					return -EINVAL;
				dst->tv_sec = ts[i].tv_sec;
				dst->tv_nsec = ts[i].tv_nsec;
			}
		}
	}
	if (!a[1])
		return setattr_fd(t, (int)a[0], &ia);
	return setattr_path(t, (int)a[0], a[1], (int)a[3], &ia);
}
SYSCALL(truncate)
{
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	struct iattr ia = {.valid = IATTR_SIZE, .size = a[1]};
	return setattr_path(t, AT_FDCWD, a[0], 0, &ia);
}
SYSCALL(ftruncate)
{
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long err;
	if (!writable(f) || !S_ISREG(f->inode->mode))
		err = -EINVAL;
	else if (f->ops && f->ops->truncate)
		err = f->ops->truncate(f, a[1]);
	else
		err = -EINVAL;
	file_put(f);
	return err;
}
SYSCALL(fsync)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long err = f->ops && f->ops->fsync ? f->ops->fsync(f) : 0;
	file_put(f);
	return err;
}
SYSCALL(sync)
{
	return 0;
}
static long do_access(struct task *t, int dirfd, uint64_t upath, int mode, int flags)
{
	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	char *path;
	long err = get_path(t, upath, &path);
	if (err)
		return err;
	struct walk_result w;
	err = vfs_walk(t, dirfd, path,
		       (flags & AT_SYMLINK_NOFOLLOW ? WALK_NOFOLLOW : 0) |
			   (flags & AT_EMPTY_PATH ? WALK_EMPTY : 0),
		       &w);
	free(path);
	if (err)
		return err;
	struct inode *in = w.d->inode;
	getattr(in); /* root: read/write always, execute if any x bit (or a directory) */
	if ((mode & X_OK) && !S_ISDIR(in->mode) && !(in->mode & 0111))
		err = -EACCES;
	if ((mode & W_OK) && ro(&w) && !S_ISCHR(in->mode) && !S_ISFIFO(in->mode) &&
	    !S_ISSOCK(in->mode))
		err = -EROFS;
	walk_result_put(&w);
	return err;
}
SYSCALL(access)
{
	return do_access(t, AT_FDCWD, a[0], (int)a[1], 0);
}
SYSCALL(faccessat)
{
	return do_access(t, (int)a[0], a[1], (int)a[2], 0);
}
SYSCALL(faccessat2)
{
	return do_access(t, (int)a[0], a[1], (int)a[2], (int)a[3]);
}
SYSCALL(umask)
{
	uint32_t old = t->fs->umask;
	t->fs->umask = (uint32_t)a[0] & 0777;
	return old;
}
SYSCALL(chdir)
{
	char *path;
	long err = get_path(t, a[0], &path);
	if (err)
		return err;
	struct walk_result w;
	err = vfs_walk(t, AT_FDCWD, path, WALK_DIR, &w);
	if (err)
		return err;
	fs_context_set_cwd(t->fs, w.mnt, w.d);
	walk_result_put(&w);
	return 0;
}

SYSCALL(fchdir)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long err = 0;
	if (!f->dentry || !f->mnt || !S_ISDIR(f->inode->mode))
		err = -ENOTDIR;
	else
		fs_context_set_cwd(t->fs, f->mnt, f->dentry);
	file_put(f);
	return err;
}

SYSCALL(chroot)
{
	struct walk_result w;
	long err = walk_user(t, AT_FDCWD, a[0], WALK_DIR, &w);
	if (err)
		return err;
	dentry_put(t->fs->root);
	t->fs->root = w.d;
	t->fs->root_mnt = w.mnt;
	return 0;
}

SYSCALL(getcwd)
{
	char *buf = malloc(4096);
	if (!buf)
		return -ENOMEM;
	struct fs_context *fc = t->fs;
	int n = vfs_path_of(fc->root_mnt, fc->root, fc->cwd_mnt, fc->cwd, buf, 4096);
	long r;
	if (n < 0)
		r = n;
	else if (fc->cwd->unlinked)
		r = -ENOENT;
	else if ((uint64_t)n + 1 > a[1])
		r = -ERANGE;
	else
		r = copy_out(t, a[0], buf, (size_t)n + 1) ? -EFAULT : n + 1;
	free(buf);
	return r;
}

static long do_pipe2(struct task *t, uint64_t ufds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct file *rd, *wr;
	long err = pipe_create(flags, &rd, &wr);
	if (err)
		return err;
	int fds[2];
	fds[0] = fd_install(t, rd, !!(flags & O_CLOEXEC));
	if (fds[0] < 0) {
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(t, wr, !!(flags & O_CLOEXEC));
	if (fds[1] < 0) {
		fdt_close(t->files, fds[0]);
		return fds[1];
	}
	if (copy_out(t, ufds, fds, sizeof(fds))) {
		fdt_close(t->files, fds[0]);
		fdt_close(t->files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL(pipe)
{
	return do_pipe2(t, a[0], 0);
}

SYSCALL(pipe2)
{
	return do_pipe2(t, a[0], (int)a[1]);
}

SYSCALL(ioctl)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r;
	unsigned cmd = (unsigned)a[1];
	if (cmd == 0x5451 /* FIOCLEX */ || cmd == 0x5450 /* FIONCLEX */) {
		r = fdt_set_cloexec(t->files, (int)a[0], cmd == 0x5451);
	} else if (cmd == 0x5421 /* FIONBIO: for every file, as Linux's do_vfs_ioctl */) {
		int on;
		r = copy_in(t, a[2], &on, sizeof(on)) ? -EFAULT : 0;
		if (!r)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
	} else if (f->ops && f->ops->ioctl) {
		r = f->ops->ioctl(t, f, cmd, a[2]);
	} else {
		r = -ENOTTY;
	}
	file_put(f);
	return r;
}

static long do_statfs(struct task *t, struct inode *in, uint64_t ubuf)
{
	struct linux_statfs st;
	memset(&st, 0, sizeof(st));
	long err = 0;
	if (in->iops && in->iops->statfs) {
		err = in->iops->statfs(in, &st);
	} else {
		st.f_type = in->fs ? in->fs->magic : 0;
		st.f_bsize = st.f_frsize = 4096;
		st.f_namelen = 255;
	}
	if (err)
		return err;
	return copy_out(t, ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL(statfs)
{
	struct walk_result w;
	long err = walk_user(t, AT_FDCWD, a[0], 0, &w);
	if (err)
		return err;
	err = do_statfs(t, w.d->inode, a[1]);
	walk_result_put(&w);
	return err;
}

SYSCALL(fstatfs)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long err = do_statfs(t, f->inode, a[1]);
	file_put(f);
	return err;
}

SYSCALL(fadvise64)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = S_ISFIFO(f->inode->mode) ? -ESPIPE : (a[3] > 5 ? -EINVAL : 0);
	file_put(f);
	return r;
}
SYSCALL(memfd_create)
{
	unsigned flags = (unsigned)a[1];
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | 0x8U /* NOEXEC_SEAL */ | 0x10U /* EXEC */))
		return -EINVAL;
	char name[256];
	long n = copy_in_str(t, a[0], name, sizeof(name));
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	if (n > 249)
		return -EINVAL;
	struct inode *in = tmpfs_memfd_new(flags & MFD_ALLOW_SEALING);
	if (!in)
		return -ENOMEM;
	char dname[300];
	snprintf(dname, sizeof(dname), "/memfd:%s (deleted)", name);
	struct file *f = file_anon(in, O_RDWR, dname);
	inode_put(in);
	if (!f)
		return -ENOMEM;
	return fd_install(t, f, !!(flags & MFD_CLOEXEC));
}

SYSCALL(fdatasync)
{
	return sys_fsync(t, a);
}

/* Copies up to len bytes between two open files inside the Sentry. inpos and
 * outpos are the positions to use (the files' own, or the caller's). */
static long copy_between(struct file *in, int64_t *inpos, struct file *out, int64_t *outpos,
			 size_t len)
{
	if (!in->ops || !in->ops->read || !out->ops || !out->ops->write)
		return -EINVAL;
	size_t chunk = len < 65536 ? len : 65536;
	char *buf = malloc(chunk ? chunk : 1);
	if (!buf)
		return -ENOMEM;
	long done = 0, r = 0;
	while ((size_t)done < len) {
		size_t want = len - (size_t)done < chunk ? len - (size_t)done : chunk;
		int64_t rp = *inpos;
		r = in->ops->read(in, buf, want, &rp);
		if (r <= 0)
			break;
		int64_t wp = *outpos;
		long w = out->ops->write(out, buf, (size_t)r, &wp);
		if (w <= 0) {
			r = w;
			break;
		}
		*inpos += w; /* only what was written counts as consumed */
		*outpos = wp;
		done += w;
		if (w < r)
			break;
	}
	free(buf);
	return done ? done : r;
}

SYSCALL(sendfile)
{
	struct file *out = fdt_get(t->files, (int)a[0]), *in = fdt_get(t->files, (int)a[1]);
	long r;
	if (!out || !in) {
		r = -EBADF;
	} else if (!readable(in) || !writable(out)) {
		r = -EBADF;
	} else if ((out->flags & O_APPEND)) {
		r = -EINVAL;
	} else if (!S_ISREG(in->inode->mode) && !S_ISBLK(in->inode->mode)) {
		r = -EINVAL; /* the input must be seekable: no pipes, sockets, ttys */
	} else if (a[2]) {
		int64_t off;
		if (copy_in(t, a[2], &off, 8)) {
			r = -EFAULT;
		} else if (off < 0) {
			r = -EINVAL;
		} else {
			r = copy_between(in, &off, out, &out->pos, a[3]);
			if (r >= 0 && copy_out(t, a[2], &off, 8))
				r = -EFAULT;
		}
	} else {
		r = copy_between(in, &in->pos, out, &out->pos, a[3]);
	}
	if (out)
		file_put(out);
	if (in)
		file_put(in);
	return r;
}

SYSCALL(copy_file_range)
{
	if (a[5])
		return -EINVAL;
	struct file *in = fdt_get(t->files, (int)a[0]), *out = fdt_get(t->files, (int)a[2]);
	long r = 0;
	int64_t inoff = 0, outoff = 0;
	if (!out || !in)
		r = -EBADF;
	else if (!readable(in) || !writable(out) || (out->flags & O_APPEND))
		r = -EBADF;
	else if (S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		r = -EISDIR;
	else if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		r = -EINVAL;
	if (!r && a[1] && copy_in(t, a[1], &inoff, 8))
		r = -EFAULT;
	if (!r && a[3] && copy_in(t, a[3], &outoff, 8))
		r = -EFAULT;
	if (!r && (inoff < 0 || outoff < 0))
		r = -EINVAL;
	if (!r) {
		int64_t *ip = a[1] ? &inoff : &in->pos, *op = a[3] ? &outoff : &out->pos;
		r = copy_between(in, ip, out, op, a[4]);
		if (r >= 0 && a[1] && copy_out(t, a[1], &inoff, 8))
			r = -EFAULT;
		if (r >= 0 && a[3] && copy_out(t, a[3], &outoff, 8))
			r = -EFAULT;
	}
	if (out)
		file_put(out);
	if (in)
		file_put(in);
	return r;
}
