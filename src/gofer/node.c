/* Nodes: O_PATH fds reached one component at a time (see internal.h).
 *
 * Every open here goes through openat2() beneath a node's fd with symlinks
 * and magic links refused, on a single component: nothing can lead outside
 * the directory the node fd names, whatever the client sends and whatever
 * races on the host. */
#include "gofer/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RESOLVE_SAFE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

int gofer_openat(int dirfd, const char *name, int flags, mode_t mode)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
			       .mode = (flags & O_CREAT) ? mode : 0,
			       .resolve = RESOLVE_SAFE};
	long fd;
	do
		fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : (int)fd;
}

struct gnode *gnode_new(int fd, struct gnode *parent, const char *name)
{
	struct gnode *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	if (name && !(n->name = strdup(name))) {
		free(n);
		return NULL;
	}
	n->refs = 1;
	n->fd = fd;
	n->parent = parent ? gnode_get(parent) : NULL;
	return n;
}

struct gnode *gnode_get(struct gnode *n)
{
	n->refs++;
	return n;
}

void gnode_put(struct gnode *n)
{
	/* Iterative: a deep chain must not recurse deeply. */
	while (n && --n->refs == 0) {
		struct gnode *p = n->parent;
		close(n->fd);
		free(n->name);
		free(n);
		n = p;
	}
}

int gnode_stat(const struct gnode *n, struct stat *st)
{
	return fstatat(n->fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

void gofer_qid(const struct stat *st, struct p9_qid *q)
{
	q->type = S_ISDIR(st->st_mode) ? P9_QTDIR : S_ISLNK(st->st_mode) ? P9_QTSYMLINK : 0;
	q->version = 0;
	q->path = st->st_ino;
}

int gofer_name_ok(const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	return 0;
}

int gnode_walk(struct gnode *from, const char *name, struct gnode **out)
{
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		struct stat st;
		int r = gnode_stat(from, &st);
		if (r < 0)
			return r;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
	if (!strcmp(name, "..")) {
		/* The export root is its own parent, as at a chroot's root. */
		*out = gnode_get(from->parent ? from->parent : from);
		return 0;
	}
	if (!strcmp(name, ".")) {
		*out = gnode_get(from);
		return 0;
	}
	int r = gofer_name_ok(name);
	if (r < 0)
		return r;
	int fd = gofer_openat(from->fd, name, O_PATH, 0);
	if (fd < 0)
		return fd;
	*out = gnode_new(fd, from, name);
	if (!*out) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

int gnode_child(struct gnode *dir, const char *name, struct gnode **out, struct p9_qid *q)
{
	int r = gnode_walk(dir, name, out);
	if (r < 0)
		return r;
	struct stat st;
	r = gnode_stat(*out, &st);
	if (r < 0) {
		gnode_put(*out);
		return r;
	}
	gofer_qid(&st, q);
	return 0;
}

/* Opens the file a node names for I/O. A directory reopens itself through
 * "."; a file reopens by its name in its parent, beneath and without
 * following, and must still be the same inode, else ESTALE. Until that is
 * checked the open has no side effect: O_TRUNC is applied afterwards and
 * O_NONBLOCK keeps a fifo swapped in meanwhile from blocking the server.
 * Only regular files and directories are opened: a device, fifo or socket
 * node would reach host objects or block the server. */
int gnode_reopen(const struct gnode *n, int flags)
{
	struct stat st;
	int r = gnode_stat(n, &st);
	if (r < 0)
		return r;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return -EPERM;
	if (S_ISDIR(st.st_mode))
		return gofer_openat(n->fd, ".", flags | O_DIRECTORY, 0);
	if (!n->parent)
		return -EPERM;
	int fd =
	    gofer_openat(n->parent->fd, n->name, (flags & ~O_TRUNC) | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0)
		return fd;
	if ((r = gnode_same(n, fd)) < 0 ||
	    (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) ||
	    ((flags & O_TRUNC) && ftruncate(fd, 0) < 0)) {
		r = r < 0 ? r : -errno;
		close(fd);
		return r;
	}
	return fd;
}

int gnode_same(const struct gnode *n, int fd)
{
	struct stat a, b;
	if (fstat(fd, &a) < 0 || gnode_stat(n, &b) < 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)
		return -ESTALE;
	return 0;
}
