/* overlay; see overlay.h.
 *
 * Each overlay inode (onode) holds the upper and/or lower inode of one name
 * and, to copy up, its overlay parent and name. Opening a file hands the open
 * to the real (upper, else lower) inode; directories are opened as a merged
 * listing taken at open time. Renaming a directory that exists in the lower
 * layer gives EXDEV, as Linux's overlayfs does without redirect_dir: tools
 * then copy and delete. */
#include "sentry/fs/overlay/overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct onode {
	struct inode *upper, *lower;
	struct inode *parent; /* overlay inode of the directory holding it */
	char *name;
	struct inode *self;
	/* One live onode per name: a directory lists its live children (no
	 * references; a child leaves the list when released, unlinked or
	 * renamed), so every lookup of a name shares the node a copy-up
	 * changes. */
	struct onode *kids, *next_kid;
	int linked;
};

static struct onode *ON(struct inode *in);

static void kid_unlink(struct onode *on)
{
	if (!on->linked)
		return;
	for (struct onode **k = &ON(on->parent)->kids; *k; k = &(*k)->next_kid) {
		if (*k == on) {
			*k = on->next_kid;
			break;
		}
	}
	on->linked = 0;
	on->next_kid = NULL;
}

static void kid_link(struct inode *dir, struct onode *on)
{
	on->next_kid = ON(dir)->kids;
	ON(dir)->kids = on;
	on->linked = 1;
}

static struct onode *kid_find(struct inode *dir, const char *name)
{
	for (struct onode *k = ON(dir)->kids; k; k = k->next_kid)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static const struct inode_ops ovl_iops;
static const struct file_ops ovl_dir_fops;
static int count_entries(struct inode *dir);
static void purge_whiteouts(struct inode *udir);

static struct onode *ON(struct inode *in)
{
	return in->priv;
}

static struct inode *real(struct inode *in)
{
	return ON(in)->upper ? ON(in)->upper : ON(in)->lower;
}

static void copy_attrs(struct inode *in)
{
	struct inode *r = real(in);
	if (r->iops && r->iops->getattr)
		r->iops->getattr(r);
	in->mode = r->mode;
	in->uid = r->uid;
	in->gid = r->gid;
	in->nlink = r->nlink;
	in->size = r->size;
	in->blocks = r->blocks;
	in->rdev = r->rdev;
	in->atime = r->atime;
	in->mtime = r->mtime;
	in->ctime = r->ctime;
	in->btime = r->btime;
	/* keep the lower inode number: it must not change on copy-up */
	in->ino = ON(in)->lower ? ON(in)->lower->ino : r->ino;
}

static struct inode *onode_new(struct fs *fs, struct inode *upper, struct inode *lower,
			       struct inode *parent, const char *name)
{
	struct onode *on = calloc(1, sizeof(*on));
	if (!on)
		return NULL;
	on->name = strdup(name);
	struct inode *r = upper ? upper : lower;
	struct inode *in = on->name ? inode_new(fs, &ovl_iops, r->fops, r->mode) : NULL;
	if (!in) {
		free(on->name);
		free(on);
		return NULL;
	}
	on->upper = upper;
	on->lower = lower;
	on->parent = parent ? inode_get(parent) : NULL;
	on->self = in;
	in->priv = on;
	if (parent) {
		struct onode *stale = kid_find(parent, name);
		if (stale)
			kid_unlink(stale);
		kid_link(parent, on);
	}
	if (S_ISDIR(r->mode))
		in->fops = &ovl_dir_fops;
	copy_attrs(in);
	return in;
}

static int is_whiteout(struct inode *in)
{
	return S_ISCHR(in->mode) && in->rdev == 0;
}

static int ovl_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct onode *d = ON(dir);
	struct onode *live = kid_find(dir, name);
	if (live) {
		*out = inode_get(live->self);
		return 0;
	}
	struct inode *up = NULL, *lo = NULL;
	if (d->upper && d->upper->iops->lookup(d->upper, name, &up) == 0 && is_whiteout(up)) {
		inode_put(up);
		return -ENOENT;
	}
	int opaque = up && (!S_ISDIR(up->mode) || (up->iflags & IFLAG_OPAQUE));
	if (d->lower && !opaque && !(d->upper && (d->upper->iflags & IFLAG_OPAQUE))) {
		if (d->lower->iops->lookup(d->lower, name, &lo) != 0)
			lo = NULL;
	}
	if (up && lo && !(S_ISDIR(up->mode) && S_ISDIR(lo->mode))) {
		inode_put(lo);
		lo = NULL;
	}
	if (!up && !lo)
		return -ENOENT;
	struct inode *in = onode_new(dir->fs, up, lo, dir, name);
	if (!in) {
		inode_put(up);
		inode_put(lo);
		return -ENOMEM;
	}
	*out = in;
	return 0;
}

/* Reads all of the lower file into the upper one. */
static int copy_data(struct inode *lower, struct inode *upper)
{
	struct file *src = file_new(lower, NULL, NULL, O_RDONLY);
	struct file *dst = file_new(upper, NULL, NULL, O_WRONLY);
	int err = (!src || !dst) ? -ENOMEM : 0;
	if (!err && lower->iops->open)
		err = lower->iops->open(lower, src);
	if (!err && upper->iops->open)
		err = upper->iops->open(upper, dst);
	char *buf = err ? NULL : malloc(65536);
	if (!err && !buf)
		err = -ENOMEM;
	int64_t rpos = 0, wpos = 0;
	while (!err) {
		long n = src->ops->read(src, buf, 65536, &rpos);
		if (n < 0)
			err = (int)n;
		if (n <= 0)
			break;
		for (long done = 0; done < n && !err;) {
			long w = dst->ops->write(dst, buf + done, (size_t)(n - done), &wpos);
			if (w <= 0)
				err = w < 0 ? (int)w : -EIO;
			else
				done += w;
		}
	}
	free(buf);
	if (src)
		file_put(src);
	if (dst)
		file_put(dst);
	return err;
}

static int copy_up(struct inode *in)
{
	struct onode *on = ON(in);
	if (on->upper)
		return 0;
	if (!on->parent)
		return -EROFS;
	int err = copy_up(on->parent);
	if (err)
		return err;
	struct inode *udir = ON(on->parent)->upper, *lo = on->lower, *up = NULL;
	if (lo->iops->getattr)
		lo->iops->getattr(lo);
	uint32_t perm = lo->mode & 07777;
	if (S_ISDIR(lo->mode)) {
		err = udir->iops->mkdir(udir, on->name, perm);
	} else if (S_ISLNK(lo->mode)) {
		char target[4096];
		int n = lo->iops->readlink(lo, target, sizeof(target) - 1);
		if (n < 0)
			return n;
		target[n] = 0;
		err = udir->iops->symlink(udir, on->name, target);
	} else if (S_ISREG(lo->mode)) {
		err = udir->iops->create(udir, on->name, S_IFREG | perm, &up);
		if (!err) {
			err = copy_data(lo, up);
			inode_put(up);
			up = NULL;
		}
	} else {
		err = udir->iops->mknod(udir, on->name, lo->mode, lo->rdev);
	}
	if (err)
		return err;
	if ((err = udir->iops->lookup(udir, on->name, &up)))
		return err;
	struct iattr ia = {.valid = IATTR_MODE | IATTR_UID | IATTR_GID | IATTR_ATIME | IATTR_MTIME,
			   .mode = perm,
			   .uid = lo->uid,
			   .gid = lo->gid,
			   .atime = lo->atime,
			   .mtime = lo->mtime};
	if (S_ISLNK(lo->mode))
		ia.valid &= ~(unsigned)IATTR_MODE;
	if (up->iops->setattr)
		up->iops->setattr(up, &ia);
	on->upper = up;
	if (!S_ISDIR(lo->mode)) {
		/* the lower file is no longer reachable through this name */
		inode_put(on->lower);
		on->lower = NULL;
		in->fops = up->fops;
	}
	copy_attrs(in);
	return 0;
}

/* Removes a whiteout for name in dir's upper layer, if any; returns 1 if
 * there was one. */
static int drop_whiteout(struct inode *udir, const char *name)
{
	struct inode *w;
	if (udir->iops->lookup(udir, name, &w) != 0)
		return 0;
	int wh = is_whiteout(w);
	inode_put(w);
	if (wh)
		udir->iops->unlink(udir, name);
	return wh;
}

/* Whether the name exists in dir's lower layer (and so needs a whiteout to
 * stay deleted), whatever the upper layer holds now. */
static int lower_has(struct inode *dir, const char *name)
{
	struct inode *lo, *ldir = ON(dir)->lower;
	if (!ldir || (ON(dir)->upper && (ON(dir)->upper->iflags & IFLAG_OPAQUE)))
		return 0;
	if (ldir->iops->lookup(ldir, name, &lo) != 0)
		return 0;
	inode_put(lo);
	return 1;
}

static int make_whiteout(struct inode *udir, const char *name)
{
	return udir->iops->mknod(udir, name, S_IFCHR | 0, 0);
}

static int ovl_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	int err = copy_up(dir);
	if (err)
		return err;
	struct inode *udir = ON(dir)->upper, *up;
	drop_whiteout(udir, name);
	if ((err = udir->iops->create(udir, name, mode, &up)))
		return err;
	struct inode *in = onode_new(dir->fs, up, NULL, dir, name);
	if (!in) {
		inode_put(up);
		return -ENOMEM;
	}
	*out = in;
	return 0;
}

static int ovl_mkdir(struct inode *dir, const char *name, uint32_t mode)
{
	int err = copy_up(dir);
	if (err)
		return err;
	struct inode *udir = ON(dir)->upper;
	int had = drop_whiteout(udir, name);
	if ((err = udir->iops->mkdir(udir, name, mode)))
		return err;
	if (had) {
		struct inode *nd;
		if (udir->iops->lookup(udir, name, &nd) == 0) {
			nd->iflags |= IFLAG_OPAQUE;
			inode_put(nd);
		}
	}
	return 0;
}

static int ovl_mknod(struct inode *dir, const char *name, uint32_t mode, uint64_t rdev)
{
	int err = copy_up(dir);
	if (err)
		return err;
	drop_whiteout(ON(dir)->upper, name);
	return ON(dir)->upper->iops->mknod(ON(dir)->upper, name, mode, rdev);
}

static int ovl_symlink(struct inode *dir, const char *name, const char *target)
{
	int err = copy_up(dir);
	if (err)
		return err;
	drop_whiteout(ON(dir)->upper, name);
	return ON(dir)->upper->iops->symlink(ON(dir)->upper, name, target);
}

static int ovl_link(struct inode *dir, const char *name, struct inode *target)
{
	if (target->iops != &ovl_iops)
		return -EXDEV;
	int err = copy_up(target);
	if (!err)
		err = copy_up(dir);
	if (err)
		return err;
	drop_whiteout(ON(dir)->upper, name);
	return ON(dir)->upper->iops->link(ON(dir)->upper, name, ON(target)->upper);
}

static int remove_name(struct inode *dir, const char *name, int is_dir)
{
	struct inode *child;
	int err = ovl_lookup(dir, name, &child);
	if (err)
		return err;
	struct onode *c = ON(child);
	if (is_dir != !!S_ISDIR(real(child)->mode)) {
		inode_put(child);
		return is_dir ? -ENOTDIR : -EISDIR;
	}
	if (is_dir) {
		/* the merged directory must be empty */
		int n = count_entries(child);
		if (n != 0) {
			inode_put(child);
			return n < 0 ? n : -ENOTEMPTY;
		}
	}
	if ((err = copy_up(dir))) {
		inode_put(child);
		return err;
	}
	struct inode *udir = ON(dir)->upper;
	if (c->upper) {
		if (is_dir) {
			/* whiteouts inside are all it may still hold */
			purge_whiteouts(c->upper);
			err = udir->iops->rmdir(udir, name);
		} else {
			err = udir->iops->unlink(udir, name);
		}
	}
	if (!err && lower_has(dir, name))
		err = make_whiteout(udir, name);
	if (!err)
		kid_unlink(c);
	inode_put(child);
	return err;
}

static int ovl_unlink(struct inode *dir, const char *name)
{
	return remove_name(dir, name, 0);
}

static int ovl_rmdir(struct inode *dir, const char *name)
{
	return remove_name(dir, name, 1);
}

static int ovl_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
		      unsigned flags)
{
	struct inode *src;
	int err = ovl_lookup(odir, oname, &src);
	if (err)
		return err;
	if (flags & RENAME_EXCHANGE) {
		struct inode *other = NULL;
		err = ovl_lookup(ndir, nname, &other);
		if (!err && ((S_ISDIR(real(src)->mode) && ON(src)->lower) ||
			     (S_ISDIR(real(other)->mode) && ON(other)->lower)))
			err = -EXDEV;
		if (!err)
			err = copy_up(src);
		if (!err)
			err = copy_up(other);
		if (!err)
			err = copy_up(ndir);
		if (!err)
			err = ON(odir)->upper->iops->rename(ON(odir)->upper, oname, ON(ndir)->upper,
							    nname, RENAME_EXCHANGE);
		if (!err) {
			kid_unlink(ON(src));
			kid_unlink(ON(other));
		}
		if (other)
			inode_put(other);
		inode_put(src);
		return err;
	}
	struct inode *victim = NULL;
	if (ovl_lookup(ndir, nname, &victim) == 0) {
		if (flags & RENAME_NOREPLACE)
			err = -EEXIST;
		else if (S_ISDIR(real(victim)->mode) && !S_ISDIR(real(src)->mode))
			err = -EISDIR;
		else if (!S_ISDIR(real(victim)->mode) && S_ISDIR(real(src)->mode))
			err = -ENOTDIR;
		else if (S_ISDIR(real(victim)->mode))
			err = remove_name(ndir, nname, 1);
	}
	if (!err && S_ISDIR(real(src)->mode) && ON(src)->lower)
		err = -EXDEV;
	if (!err)
		err = copy_up(src);
	if (!err)
		err = copy_up(ndir);
	if (!err) {
		drop_whiteout(ON(ndir)->upper, nname);
		err = ON(odir)->upper->iops->rename(ON(odir)->upper, oname, ON(ndir)->upper, nname,
						    flags & RENAME_NOREPLACE);
	}
	if (!err) {
		/* a lower file of the same name shows through unless whited out */
		if (lower_has(odir, oname))
			err = make_whiteout(ON(odir)->upper, oname);
		/* the node now lives at the new name; a node replaced there
		 * leaves the name */
		struct onode *s = ON(src);
		if (victim)
			kid_unlink(ON(victim));
		char *nn = strdup(nname);
		kid_unlink(s);
		if (nn) {
			free(s->name);
			s->name = nn;
			struct inode *old = s->parent;
			s->parent = inode_get(ndir);
			inode_put(old);
			kid_link(ndir, s);
		}
	}
	if (victim)
		inode_put(victim);
	inode_put(src);
	return err;
}

static int ovl_readlink(struct inode *in, char *buf, size_t len)
{
	struct inode *r = real(in);
	return r->iops->readlink ? r->iops->readlink(r, buf, len) : -EINVAL;
}

static int ovl_getattr(struct inode *in)
{
	copy_attrs(in);
	return 0;
}

static int ovl_setattr(struct inode *in, const struct iattr *ia)
{
	int err = copy_up(in);
	if (err)
		return err;
	struct inode *up = ON(in)->upper;
	err = up->iops->setattr ? up->iops->setattr(up, ia) : -EPERM;
	copy_attrs(in);
	return err;
}

static int ovl_open(struct inode *in, struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	struct inode *r = real(in);
	if (S_ISDIR(r->mode)) {
		f->ops = &ovl_dir_fops;
		return 0;
	}
	if (S_ISREG(r->mode) && (acc != O_RDONLY || (f->flags & O_TRUNC))) {
		int err = copy_up(in);
		if (err)
			return err;
		r = ON(in)->upper;
	}
	/* The open file is the real one's from here on. */
	inode_get(r);
	inode_put(f->inode);
	f->inode = r;
	f->ops = r->fops;
	if (r->iops && r->iops->open)
		return r->iops->open(r, f);
	return 0;
}

static int ovl_statfs(struct inode *in, struct linux_statfs *st)
{
	struct inode *r = ON(in)->upper ? ON(in)->upper : real(in);
	return r->iops->statfs ? r->iops->statfs(r, st) : -ENOSYS;
}

static int ovl_listxattr(struct inode *in, char *buf, size_t len)
{
	struct inode *r = real(in);
	return r->iops->listxattr ? r->iops->listxattr(r, buf, len) : 0;
}

static int ovl_getxattr(struct inode *in, const char *name, void *buf, size_t len)
{
	struct inode *r = real(in);
	return r->iops->getxattr ? r->iops->getxattr(r, name, buf, len) : -ENODATA;
}

static void ovl_release(struct inode *in)
{
	struct onode *on = in->priv;
	kid_unlink(on);
	inode_put(on->upper);
	inode_put(on->lower);
	inode_put(on->parent);
	free(on->name);
	free(on);
}

static const struct inode_ops ovl_iops = {
    .lookup = ovl_lookup,
    .create = ovl_create,
    .mkdir = ovl_mkdir,
    .mknod = ovl_mknod,
    .symlink = ovl_symlink,
    .link = ovl_link,
    .unlink = ovl_unlink,
    .rmdir = ovl_rmdir,
    .rename = ovl_rename,
    .readlink = ovl_readlink,
    .getattr = ovl_getattr,
    .setattr = ovl_setattr,
    .open = ovl_open,
    .statfs = ovl_statfs,
    .listxattr = ovl_listxattr,
    .getxattr = ovl_getxattr,
    .release = ovl_release,
};

/* Merged directory listings. */

struct dent {
	char *name;
	uint64_t ino;
	unsigned type;
	int whiteout;
};

struct listing {
	struct dent *v;
	size_t n, cap;
};

static int seen(struct listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return 1;
	return 0;
}

static int collect(void *ctx, const char *name, uint64_t ino, unsigned type, int64_t next)
{
	struct listing *l = ctx;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || seen(l, name))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct dent *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = strdup(name);
	l->v[l->n].ino = ino;
	l->v[l->n].type = type;
	l->v[l->n].whiteout = 0;
	l->n++;
	return 0;
}

static void list_layer(struct inode *dir, struct listing *l, int upper)
{
	if (!dir || !dir->fops || !dir->fops->readdir)
		return;
	struct file *f = file_new(dir, NULL, NULL, O_RDONLY | O_DIRECTORY);
	if (!f)
		return;
	if (!dir->iops->open || dir->iops->open(dir, f) == 0) {
		size_t before = l->n;
		f->ops->readdir(f, collect, l);
		if (upper) {
			for (size_t i = before; i < l->n; i++) {
				if (l->v[i].type != DT_CHR)
					continue;
				struct inode *c;
				if (dir->iops->lookup(dir, l->v[i].name, &c) == 0) {
					l->v[i].whiteout = is_whiteout(c);
					inode_put(c);
				}
			}
		}
	}
	file_put(f);
}

static struct listing *merged(struct inode *dir)
{
	struct listing *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	struct onode *on = ON(dir);
	list_layer(on->upper, l, 1);
	if (!on->upper || !(on->upper->iflags & IFLAG_OPAQUE))
		list_layer(on->lower, l, 0);
	return l;
}

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	free(l);
}

static int count_entries(struct inode *dir)
{
	struct listing *l = merged(dir);
	if (!l)
		return -ENOMEM;
	int n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !l->v[i].whiteout;
	listing_free(l);
	return n;
}

static void purge_whiteouts(struct inode *udir)
{
	struct listing l = {0};
	list_layer(udir, &l, 1);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].whiteout)
			udir->iops->unlink(udir, l.v[i].name);
		free(l.v[i].name);
	}
	free(l.v);
}

static int ovl_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	struct inode *dir = f->inode;
	if (!f->priv || f->dir_pos == 0) {
		if (f->priv)
			listing_free(f->priv);
		f->priv = merged(dir);
		if (!f->priv)
			return -ENOMEM;
	}
	struct listing *l = f->priv;
	if (f->dir_pos == 0) {
		if (emit(ctx, ".", dir->ino, DT_DIR, 1))
			return 0;
		f->dir_pos = 1;
	}
	if (f->dir_pos == 1) {
		uint64_t pino = ON(dir)->parent ? ON(dir)->parent->ino : dir->ino;
		if (emit(ctx, "..", pino, DT_DIR, 2))
			return 0;
		f->dir_pos = 2;
	}
	for (size_t i = f->dir_pos - 2; i < l->n; i++) {
		if (!l->v[i].whiteout &&
		    emit(ctx, l->v[i].name, l->v[i].ino, l->v[i].type, (int64_t)i + 3))
			return 0;
		f->dir_pos = i + 3;
	}
	return 0;
}

static int64_t ovl_dir_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_SET && off >= 0)
		return off;
	if (whence == SEEK_CUR && f->pos + off >= 0)
		return f->pos + off;
	return -EINVAL;
}

static void ovl_dir_release(struct file *f)
{
	if (f->priv)
		listing_free(f->priv);
}

static const struct file_ops ovl_dir_fops = {
    .readdir = ovl_readdir,
    .llseek = ovl_dir_llseek,
    .release = ovl_dir_release,
};

struct inode *overlay_new(struct inode *upper_root, struct inode *lower_root)
{
	struct fs *fs = calloc(1, sizeof(*fs));
	if (!fs)
		return NULL;
	fs->name = "overlay";
	fs->dev = 0x2f;
	fs->magic = 0x794c7630; /* OVERLAYFS_SUPER_MAGIC */
	return onode_new(fs, upper_root, lower_root, NULL, "/");
}
