/* Extended attributes: read where the file system has them (the host
 * layer); the sandbox's own files have none and cannot get any yet. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/syscalls/syscalls.h"

#define XATTR_SIZE_MAX 65536

static long inode_of_path(struct task *t, uint64_t upath, int follow, struct walk_result *w)
{
	char *path = malloc(4096);
	if (!path)
		return -ENOMEM;
	long err = copy_in_str(t, upath, path, 4096);
	if (err >= 0)
		err = vfs_walk(t, AT_FDCWD, path, follow ? 0 : WALK_NOFOLLOW, w);
	free(path);
	return err < 0 ? err : 0;
}

static long get(struct task *t, struct inode *in, uint64_t uname, uint64_t ubuf, uint64_t size)
{
	char name[256];
	long n = copy_in_str(t, uname, name, sizeof(name));
	if (n < 0)
		return n == -ENAMETOOLONG ? -ERANGE : n;
	if (!in->iops || !in->iops->getxattr)
		return -ENODATA;
	size_t len = size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : size;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	long r = in->iops->getxattr(in, name, len ? buf : NULL, len);
	if (r > 0 && len && copy_out(t, ubuf, buf, (size_t)r))
		r = -EFAULT;
	free(buf);
	return r;
}

static long list(struct task *t, struct inode *in, uint64_t ubuf, uint64_t size)
{
	if (!in->iops || !in->iops->listxattr)
		return 0;
	size_t len = size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : size;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	long r = in->iops->listxattr(in, len ? buf : NULL, len);
	if (r > 0 && len && copy_out(t, ubuf, buf, (size_t)r))
		r = -EFAULT;
	free(buf);
	return r;
}

static long path_get(struct task *t, const uint64_t *a, int follow)
{
	struct walk_result w;
	long err = inode_of_path(t, a[0], follow, &w);
	if (err)
		return err;
	err = get(t, w.d->inode, a[1], a[2], a[3]);
	walk_result_put(&w);
	return err;
}

static long path_list(struct task *t, const uint64_t *a, int follow)
{
	struct walk_result w;
	long err = inode_of_path(t, a[0], follow, &w);
	if (err)
		return err;
	err = list(t, w.d->inode, a[1], a[2]);
	walk_result_put(&w);
	return err;
}

SYSCALL(getxattr)
{
	return path_get(t, a, 1);
}

SYSCALL(lgetxattr)
{
	return path_get(t, a, 0);
}

SYSCALL(fgetxattr)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = get(t, f->inode, a[1], a[2], a[3]);
	file_put(f);
	return r;
}

SYSCALL(listxattr)
{
	return path_list(t, a, 1);
}

SYSCALL(llistxattr)
{
	return path_list(t, a, 0);
}

SYSCALL(flistxattr)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = list(t, f->inode, a[1], a[2]);
	file_put(f);
	return r;
}

SYSCALL(setxattr)
{
	return -ENOTSUP;
}

SYSCALL(lsetxattr)
{
	return -ENOTSUP;
}

SYSCALL(fsetxattr)
{
	return -ENOTSUP;
}

SYSCALL(removexattr)
{
	return -ENODATA;
}

SYSCALL(lremovexattr)
{
	return -ENODATA;
}

SYSCALL(fremovexattr)
{
	return -ENODATA;
}
