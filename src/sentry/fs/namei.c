/* Path walk and open(2). Symlinks are followed up to 40 deep; ".." stops
 * at the task's root and crosses mount boundaries; magic links (/proc/self/fd)
 * jump to the file they stand for. */
#include "sentry/fs/vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/notify/inotify.h"
#include "sentry/kernel/task.h"

#define MAX_LINKS 40

int vfs_lookup_child(struct dentry *dir, const char *name, struct dentry **out)
{
	struct dentry *c = dentry_child(dir, name);
	if (c) {
		*out = dentry_get(c);
		return 0;
	}
	struct inode *di = dir->inode;
	if (!S_ISDIR(di->mode))
		return -ENOTDIR;
	if (!di->iops || !di->iops->lookup)
		return -ENOENT;
	struct inode *in;
	int err = di->iops->lookup(di, name, &in);
	if (err)
		return err;
	c = dentry_new(name, dir, in);
	if (!c) {
		inode_put(in);
		return -ENOMEM;
	}
	/* dentry_new's reference is the caller's; the cache keeps none. */
	*out = c;
	return 0;
}

void walk_result_put(struct walk_result *w)
{
	if (w->d)
		dentry_put(w->d);
	w->d = NULL;
}

struct walk_state {
	struct task *t;
	struct mount *root_mnt;
	struct dentry *root;
	int links;
	int flags;
};

static int walk_from(struct walk_state *ws, struct mount **mnt, struct dentry **d, const char *path,
		     int follow_last, int stop_at_parent, char *last, int *trailing);

static int follow_link(struct walk_state *ws, struct mount **mnt, struct dentry **d,
		       struct dentry *link_dentry)
{
	if (++ws->links > MAX_LINKS)
		return -ELOOP;
	if (ws->flags & WALK_NO_SYMLINKS)
		return -ELOOP;
	struct inode *in = link_dentry->inode;
	if (in->iops && in->iops->get_link_path) {
		struct mount *m;
		struct dentry *target;
		int err = in->iops->get_link_path(in, ws->t, &m, &target);
		if (err)
			return err;
		dentry_put(*d);
		*d = target;
		*mnt = m;
		return 0;
	}
	char *buf = malloc(4096);
	if (!buf)
		return -ENOMEM;
	int n = in->iops && in->iops->readlink ? in->iops->readlink(in, buf, 4095) : -EINVAL;
	if (n < 0) {
		free(buf);
		return n;
	}
	buf[n] = 0;
	int err = walk_from(ws, mnt, d, buf, 1, 0, NULL, NULL);
	free(buf);
	return err;
}

/* Walks path from (*mnt, *d) (referenced, replaced by the result). */
static int walk_from(struct walk_state *ws, struct mount **mnt, struct dentry **d, const char *path,
		     int follow_last, int stop_at_parent, char *last, int *trailing)
{
	if (*path == '/') {
		if (ws->flags & WALK_BENEATH)
			return -EXDEV;
		dentry_put(*d);
		*d = dentry_get(ws->root);
		*mnt = ws->root_mnt;
		while (*path == '/')
			path++;
	}
	char name[256];
	while (*path) {
		const char *end = strchr(path, '/');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		if (n > 255)
			return -ENAMETOOLONG;
		memcpy(name, path, n);
		name[n] = 0;
		const char *rest = path + n;
		while (*rest == '/')
			rest++;
		int is_last = *rest == 0;
		if (is_last && end && trailing)
			*trailing = 1;
		if (!S_ISDIR((*d)->inode->mode))
			return -ENOTDIR;
		if (is_last && stop_at_parent) {
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
				/* "a/.." as the last part: handled as a lookup */
			} else {
				strcpy(last, name);
				return 0;
			}
		}
		if (strcmp(name, ".") == 0) {
			/* stay */
		} else if (strcmp(name, "..") == 0) {
			for (;;) {
				if (*d == ws->root && *mnt == ws->root_mnt)
					break;
				if (*d == (*mnt)->root) {
					if (!(*mnt)->parent)
						break;
					struct dentry *mp = dentry_get((*mnt)->mountpoint);
					dentry_put(*d);
					*d = mp;
					*mnt = (*mnt)->parent;
					continue;
				}
				if ((*d)->parent) {
					struct dentry *p = dentry_get((*d)->parent);
					dentry_put(*d);
					*d = p;
				}
				break;
			}
			if (is_last && stop_at_parent) {
				last[0] = 0;
				return 0;
			}
		} else {
			struct dentry *c;
			int err = vfs_lookup_child(*d, name, &c);
			if (err)
				return err;
			struct mount *cm = *mnt;
			vfs_follow_mounts(&cm, &c);
			if (S_ISLNK(c->inode->mode) && (!is_last || follow_last)) {
				struct dentry *link = c;
				/* resolve relative to the directory holding the link */
				err = follow_link(ws, mnt, d, link);
				dentry_put(link);
				if (err)
					return err;
			} else {
				dentry_put(*d);
				*d = c;
				*mnt = cm;
			}
		}
		path = rest;
	}
	return 0;
}

static int start_point(struct task *t, int dirfd, const char *path, struct mount **mnt,
		       struct dentry **d)
{
	struct fs_context *fc = t->fs;
	if (*path == '/' || dirfd == AT_FDCWD) {
		*mnt = fc->cwd_mnt;
		*d = dentry_get(fc->cwd);
		return 0;
	}
	struct file *f = fdt_get(t->files, dirfd);
	if (!f)
		return -EBADF;
	if (!f->dentry || !f->mnt) {
		file_put(f);
		return -ENOTDIR;
	}
	*mnt = f->mnt;
	*d = dentry_get(f->dentry);
	file_put(f);
	return 0;
}

int vfs_walk(struct task *t, int dirfd, const char *path, int flags, struct walk_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!*path && !(flags & WALK_EMPTY))
		return -ENOENT;
	struct mount *mnt;
	struct dentry *d;
	int err;
	if (!*path && dirfd != AT_FDCWD) {
		struct file *f = fdt_get(t->files, dirfd);
		if (!f)
			return -EBADF;
		out->mnt = f->mnt;
		out->d = f->dentry ? dentry_get(f->dentry) : NULL;
		file_put(f);
		return out->d ? 0 : -ENOENT;
	}
	if ((err = start_point(t, dirfd, path, &mnt, &d)))
		return err;
	struct walk_state ws = {
	    .t = t, .root_mnt = t->fs->root_mnt, .root = t->fs->root, .flags = flags};
	if (flags & (WALK_BENEATH | WALK_IN_ROOT)) {
		ws.root_mnt = mnt;
		ws.root = d;
		if (flags & WALK_IN_ROOT)
			ws.flags &= ~WALK_BENEATH;
	}
	err = walk_from(&ws, &mnt, &d, path, !(flags & WALK_NOFOLLOW), !!(flags & WALK_PARENT),
			out->last, &out->trailing_slash);
	if (err) {
		dentry_put(d);
		return err;
	}
	if (!(flags & WALK_PARENT) && (out->trailing_slash || (flags & WALK_DIR)) &&
	    !S_ISDIR(d->inode->mode)) {
		dentry_put(d);
		return -ENOTDIR;
	}
	out->mnt = mnt;
	out->d = d;
	return 0;
}

int vfs_permission(struct task *t, struct inode *in, int mask)
{
	struct creds *c = &t->proc->creds;
	uint32_t mode = in->mode;
	if (c->cap_eff & (1ULL << 1 /* CAP_DAC_OVERRIDE */)) {
		/* root still needs an x bit somewhere to execute a file */
		if ((mask & 1) && !S_ISDIR(mode) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	uint32_t bits = mode & 7;
	int in_group = c->fsgid == in->gid;
	for (uint32_t i = 0; i < c->ngroups && !in_group; i++)
		in_group = c->groups[i] == in->gid;
	if (c->fsuid == in->uid)
		bits = (mode >> 6) & 7;
	else if (in_group)
		bits = (mode >> 3) & 7;
	return ((bits & (uint32_t)mask) == (uint32_t)mask) ? 0 : -EACCES;
}

static int is_readonly(struct mount *mnt, struct inode *in)
{
	return (mnt && (mnt->flags & 1 /* MS_RDONLY */)) || (in->fs && in->fs->readonly);
}

int vfs_open_dentry(struct mount *mnt, struct dentry *d, int flags, struct file **out)
{
	struct inode *in = d->inode;
	int acc = flags & O_ACCMODE;
	if (flags & O_PATH) {
		struct file *f = file_new(in, mnt, d, flags & (O_PATH | O_CLOEXEC | O_DIRECTORY));
		if (!f)
			return -ENOMEM;
		f->ops = NULL;
		*out = f;
		return 0;
	}
	if (S_ISLNK(in->mode))
		return -ELOOP;
	if (S_ISDIR(in->mode) && acc != O_RDONLY)
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(in->mode))
		return -ENOTDIR;
	/* an anonymous file reached through a magic link reopens only if its
	 * file system says how */
	if (!mnt && !(in->iops && in->iops->open))
		return -ENXIO;
	if (acc != O_RDONLY && S_ISREG(in->mode) && is_readonly(mnt, in))
		return -EROFS;
	if (S_ISREG(in->mode) && (flags & O_TRUNC) && acc != O_RDONLY) {
		struct iattr ia = {.valid = IATTR_SIZE, .size = 0};
		if (!in->iops->setattr)
			return -EPERM;
		int err = in->iops->setattr(in, &ia);
		if (err)
			return err;
	}
	/* O_NOCTTY goes after the open: a terminal's open looks at it */
	struct file *f = file_new(in, mnt, d, flags & ~(O_CREAT | O_EXCL | O_TRUNC));
	if (!f)
		return -ENOMEM;
	if (in->iops && in->iops->open) {
		int err = in->iops->open(in, f);
		if (err) {
			f->ops = NULL;
			file_put(f);
			return err;
		}
	}
	f->flags &= ~O_NOCTTY;
	if (!f->ops) {
		file_put(f);
		return S_ISFIFO(in->mode) || S_ISSOCK(in->mode) ? -ENXIO : -ENODEV;
	}
	FSNOTIFY_FILE(f, IN_OPEN);
	*out = f;
	return 0;
}

int vfs_open(struct task *t, int dirfd, const char *path, int flags, uint32_t mode,
	     struct file **out)
{
	struct walk_result w;
	int err;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & O_CREAT) {
		if ((err = vfs_walk(t, dirfd, path, WALK_PARENT, &w)))
			return err;
		if (!w.last[0] || w.trailing_slash) {
			walk_result_put(&w);
			return -EISDIR;
		}
		struct dentry *c;
		err = vfs_lookup_child(w.d, w.last, &c);
		if (err == -ENOENT) {
			struct inode *dir = w.d->inode;
			if (is_readonly(w.mnt, dir)) {
				walk_result_put(&w);
				return -EROFS;
			}
			if ((err = vfs_permission(t, dir, 3 /* write and search */))) {
				walk_result_put(&w);
				return err;
			}
			if (!dir->iops->create) {
				walk_result_put(&w);
				return -EACCES;
			}
			struct inode *in;
			err = dir->iops->create(dir, w.last,
						S_IFREG | (mode & 07777 & ~t->fs->umask), &in);
			if (err) {
				walk_result_put(&w);
				return err;
			}
			struct dentry *nd = dentry_child(w.d, w.last);
			if (nd)
				nd->unlinked = 1; /* a stale cached entry */
			nd = dentry_new(w.last, w.d, in);
			if (!nd) {
				walk_result_put(&w);
				return -ENOMEM;
			}
			FSNOTIFY_NAME(w.d, w.last, IN_CREATE);
			err = vfs_open_dentry(w.mnt, nd, flags & ~O_TRUNC, out);
			dentry_put(nd);
			walk_result_put(&w);
			return err;
		}
		if (err) {
			walk_result_put(&w);
			return err;
		}
		if (flags & O_EXCL) {
			dentry_put(c);
			walk_result_put(&w);
			return -EEXIST;
		}
		struct mount *cm = w.mnt;
		vfs_follow_mounts(&cm, &c);
		int is_link = S_ISLNK(c->inode->mode);
		if (!is_link) {
			err = vfs_open_dentry(cm, c, flags, out);
			dentry_put(c);
			walk_result_put(&w);
			return err;
		}
		dentry_put(c);
		walk_result_put(&w);
		if (flags & O_NOFOLLOW)
			return -ELOOP;
		/* an existing symlink: open its target (creating it is rare) */
	}
	int wflags = (flags & O_NOFOLLOW) ? WALK_NOFOLLOW : 0;
	if (flags & O_DIRECTORY)
		wflags |= WALK_DIR;
	if ((err = vfs_walk(t, dirfd, path, wflags, &w)))
		return err;
	if (S_ISLNK(w.d->inode->mode) && !(flags & O_PATH)) {
		walk_result_put(&w);
		return -ELOOP;
	}
	if (!(flags & O_PATH)) {
		int acc = flags & O_ACCMODE;
		int mask = (acc == O_RDONLY   ? 4
			    : acc == O_WRONLY ? 2
					      : 6) |
			   (flags & O_TRUNC ? 2 : 0);
		struct inode *in = w.d->inode;
		if (in->iops && in->iops->getattr)
			in->iops->getattr(in);
		if ((err = vfs_permission(t, in, mask))) {
			walk_result_put(&w);
			return err;
		}
	}
	err = vfs_open_dentry(w.mnt, w.d, flags, out);
	walk_result_put(&w);
	return err;
}
