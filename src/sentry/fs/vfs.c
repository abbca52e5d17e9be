/* VFS objects: inodes, dentries, mounts, files, fs contexts; see vfs.h. */
#include "sentry/fs/vfs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/inotify.h>

#include "sentry/fs/notify/inotify.h"
#include "sentry/kernel/locks.h"

#include "sentry/fs/anon/anon.h"

struct mount *vfs_mounts;

struct inode *inode_new(struct fs *fs, const struct inode_ops *iops, const struct file_ops *fops,
			uint32_t mode)
{
	struct inode *in = calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->refs = 1;
	in->iops = iops;
	in->fops = fops;
	in->fs = fs;
	in->mode = mode;
	in->nlink = S_ISDIR(mode) ? 2 : 1;
	if (fs)
		in->ino = ++fs->next_ino;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	in->atime = in->mtime = in->ctime = in->btime = now;
	return in;
}

struct inode *inode_get(struct inode *in)
{
	in->refs++;
	return in;
}

void inode_put(struct inode *in)
{
	if (!in || --in->refs > 0)
		return;
	if (in->iops && in->iops->release)
		in->iops->release(in);
	free(in);
}

void inode_touch(struct inode *in, int a, int m, int c)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (a)
		in->atime = now;
	if (m)
		in->mtime = now;
	if (c)
		in->ctime = now;
}

void vfs_fill_statx(struct inode *in, struct linux_statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = 0x7ff; /* STATX_BASIC_STATS | STATX_BTIME */
	sx->stx_blksize = 4096;
	sx->stx_nlink = in->nlink;
	sx->stx_uid = in->uid;
	sx->stx_gid = in->gid;
	sx->stx_mode = (uint16_t)in->mode;
	sx->stx_ino = in->ino;
	sx->stx_size = in->size;
	sx->stx_blocks = in->blocks ? in->blocks : (in->size + 511) / 512;
	sx->stx_atime.tv_sec = in->atime.tv_sec;
	sx->stx_atime.tv_nsec = (uint32_t)in->atime.tv_nsec;
	sx->stx_mtime.tv_sec = in->mtime.tv_sec;
	sx->stx_mtime.tv_nsec = (uint32_t)in->mtime.tv_nsec;
	sx->stx_ctime.tv_sec = in->ctime.tv_sec;
	sx->stx_ctime.tv_nsec = (uint32_t)in->ctime.tv_nsec;
	sx->stx_btime.tv_sec = in->btime.tv_sec;
	sx->stx_btime.tv_nsec = (uint32_t)in->btime.tv_nsec;
	sx->stx_rdev_major = (uint32_t)((in->rdev >> 8) & 0xfff);
	sx->stx_rdev_minor = (uint32_t)((in->rdev & 0xff) | ((in->rdev >> 12) & 0xfff00));
	uint64_t dev = in->dev ? in->dev : in->fs ? in->fs->dev : 0;
	sx->stx_dev_major = (uint32_t)((dev >> 8) & 0xfff);
	sx->stx_dev_minor = (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

struct dentry *dentry_new(const char *name, struct dentry *parent, struct inode *in)
{
	struct dentry *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->name = strdup(name);
	if (!d->name) {
		free(d);
		return NULL;
	}
	d->refs = 1;
	d->inode = in;
	if (parent) {
		d->parent = dentry_get(parent);
		d->sibling = parent->children;
		parent->children = d;
		/* The parent's child list holds no reference: a dentry stays
		 * cached until dentry_put() takes it to zero. */
	}
	return d;
}

/* The dentry cache: unused dentries that have a name in a directory. */
#define DCACHE_MAX 8192
static struct dentry *lru_head, *lru_tail;
static int lru_count;

static void lru_del(struct dentry *d)
{
	if (d->lru_prev)
		d->lru_prev->lru_next = d->lru_next;
	else
		lru_head = d->lru_next;
	if (d->lru_next)
		d->lru_next->lru_prev = d->lru_prev;
	else
		lru_tail = d->lru_prev;
	d->lru_prev = d->lru_next = NULL;
	d->on_lru = 0;
	lru_count--;
}

static void lru_add(struct dentry *d)
{
	d->lru_prev = lru_tail;
	d->lru_next = NULL;
	if (lru_tail)
		lru_tail->lru_next = d;
	else
		lru_head = d;
	lru_tail = d;
	d->on_lru = 1;
	lru_count++;
}

struct dentry *dentry_get(struct dentry *d)
{
	if (d->on_lru)
		lru_del(d);
	d->refs++;
	return d;
}

static void unhook(struct dentry *d)
{
	if (!d->parent)
		return;
	for (struct dentry **c = &d->parent->children; *c; c = &(*c)->sibling) {
		if (*c == d) {
			*c = d->sibling;
			break;
		}
	}
}

static int cacheable(struct dentry *d)
{
	return d->parent && !d->unlinked && d->inode && !(d->inode->fs && d->inode->fs->no_dcache);
}

/* Frees an unused dentry and drops its reference on the parent. */
static void dentry_kill(struct dentry *d)
{
	while (d) {
		struct dentry *parent = d->parent;
		unhook(d);
		inode_put(d->inode);
		free(d->name);
		free(d);
		if (!parent || --parent->refs > 0)
			return;
		if (cacheable(parent)) {
			lru_add(parent);
			return;
		}
		d = parent;
	}
}

void dentry_put(struct dentry *d)
{
	if (!d || --d->refs > 0)
		return;
	if (!cacheable(d)) {
		dentry_kill(d);
		return;
	}
	lru_add(d);
	while (lru_count > DCACHE_MAX) {
		struct dentry *old = lru_head;
		lru_del(old);
		dentry_kill(old);
	}
}

struct dentry *dentry_child(struct dentry *dir, const char *name)
{
	for (struct dentry *c = dir->children; c; c = c->sibling)
		if (!c->unlinked && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void dentry_detach(struct dentry *d)
{
	d->unlinked = 1;
	if (d->on_lru) {
		lru_del(d);
		dentry_kill(d);
	}
}

void dentry_move(struct dentry *d, struct dentry *ndir, const char *nname)
{
	char *nn = strdup(nname);
	if (!nn)
		return;
	struct dentry *victim = dentry_child(ndir, nname);
	if (victim && victim != d)
		dentry_detach(victim);
	unhook(d);
	struct dentry *old = d->parent;
	d->parent = dentry_get(ndir);
	d->sibling = ndir->children;
	ndir->children = d;
	free(d->name);
	d->name = nn;
	dentry_put(old);
}

struct mount *vfs_mount_root(struct inode *root_inode, const char *source, int flags)
{
	struct mount *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->refs = 1;
	m->root = dentry_new("/", NULL, root_inode);
	m->source = strdup(source ? source : "none");
	m->flags = flags;
	m->next_all = vfs_mounts;
	vfs_mounts = m;
	return m;
}

int vfs_mount_at(struct mount *parent, struct dentry *where, struct inode *root_inode,
		 const char *source, int flags)
{
	struct mount *m = vfs_mount_root(root_inode, source, flags);
	if (!m)
		return -ENOMEM;
	m->parent = parent;
	m->mountpoint = dentry_get(where);
	where->mounted = m;
	return 0;
}

void vfs_follow_mounts(struct mount **mnt, struct dentry **d)
{
	while ((*d)->mounted) {
		struct mount *m = (*d)->mounted;
		struct dentry *r = dentry_get(m->root);
		dentry_put(*d);
		*d = r;
		*mnt = m;
	}
}

struct file *file_new(struct inode *in, struct mount *mnt, struct dentry *d, int flags)
{
	struct file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->inode = inode_get(in);
	f->ops = in->fops;
	f->mnt = mnt;
	f->dentry = d ? dentry_get(d) : NULL;
	f->flags = flags;
	return f;
}

struct file *file_get(struct file *f)
{
	f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs > 0)
		return;
	if (f->mnt && f->ops) {
		int acc = f->flags & O_ACCMODE;
		FSNOTIFY_FILE(f, acc == O_RDONLY ? IN_CLOSE_NOWRITE : IN_CLOSE_WRITE);
	}
	if (f->epitems)
		epoll_file_release(f);
	locks_file_release(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	inode_put(f->inode);
	dentry_put(f->dentry);
	free(f);
}

struct file *file_anon(struct inode *in, int flags, const char *name)
{
	struct dentry *d = dentry_new(name, NULL, inode_get(in));
	if (!d)
		return NULL;
	struct file *f = file_new(in, NULL, d, flags);
	dentry_put(d);
	return f;
}

int vfs_path_of(struct mount *root_mnt, struct dentry *root, struct mount *mnt, struct dentry *d,
		char *buf, size_t len)
{
	/* Build from the end of buf backwards. */
	size_t pos = len;
	if (len < 2)
		return -ERANGE;
	if (!mnt && !d->parent) {
		/* an anonymous file (pipe, socket): its name, "pipe:[N]" */
		size_t n = strlen(d->name);
		if (n + 1 > len)
			return -ENAMETOOLONG;
		memcpy(buf, d->name, n + 1);
		return (int)n;
	}
	buf[--pos] = 0;
	int first = 1;
	while (!(mnt == root_mnt && d == root)) {
		if (mnt && d == mnt->root) {
			if (!mnt->parent)
				break; /* outside the root: stop at the top */
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (!d->parent)
			break;
		size_t n = strlen(d->name);
		if (pos < n + 1)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, d->name, n);
		buf[--pos] = '/';
		first = 0;
		d = d->parent;
	}
	if (first)
		buf[--pos] = '/';
	memmove(buf, buf + pos, len - pos);
	return (int)(len - pos - 1);
}

char *file_path(struct file *f)
{
	if (!f->dentry)
		return NULL;
	char *buf = malloc(4096);
	if (!buf)
		return NULL;
	if (!f->mnt) {
		strncpy(buf, f->dentry->name, 4095);
		buf[4095] = 0;
		return buf;
	}
	/* from the root of its container's mount tree */
	struct mount *root = f->mnt;
	while (root->parent)
		root = root->parent;
	if (vfs_path_of(root, root->root, f->mnt, f->dentry, buf, 4096) < 0) {
		free(buf);
		return NULL;
	}
	if (f->dentry->unlinked && strlen(buf) + 11 < 4096)
		strcat(buf, " (deleted)");
	return buf;
}

struct fs_context *fs_context_new(struct mount *root_mnt, struct dentry *root)
{
	struct fs_context *fc = calloc(1, sizeof(*fc));
	if (!fc)
		return NULL;
	fc->refs = 1;
	fc->root_mnt = fc->cwd_mnt = root_mnt;
	fc->root = dentry_get(root);
	fc->cwd = dentry_get(root);
	fc->umask = 022;
	return fc;
}

struct fs_context *fs_context_copy(struct fs_context *src)
{
	struct fs_context *fc = malloc(sizeof(*fc));
	if (!fc)
		return NULL;
	*fc = *src;
	fc->refs = 1;
	dentry_get(fc->root);
	dentry_get(fc->cwd);
	return fc;
}

void fs_context_put(struct fs_context *fc)
{
	if (!fc || --fc->refs > 0)
		return;
	dentry_put(fc->root);
	dentry_put(fc->cwd);
	free(fc);
}

void fs_context_set_cwd(struct fs_context *fc, struct mount *mnt, struct dentry *d)
{
	dentry_get(d);
	dentry_put(fc->cwd);
	fc->cwd = d;
	fc->cwd_mnt = mnt;
}
