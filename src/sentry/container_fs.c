/* A container's files; see container_fs.h. Every host file comes from the
 * container's Gofer (the Sentry opens no host path): the root read-only
 * under a memory overlay (tmpfs), so the host's files never change, unless
 * --overlay=none; bind mounts written through. /dev, /proc and /sys are the
 * Sentry's own. */
#include "sentry/container_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/gofer/goferfs.h"
#include "sentry/fs/gofer/launch.h"
#include "sentry/fs/host/hostfs.h"
#include "sentry/fs/overlay/overlay.h"
#include "sentry/fs/proc/proc.h"
#include "sentry/fs/sys/sysfs.h"
#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/fs/vfs.h"
#include "sentry/sentry.h"

/* Mounts procfs on /proc (left as it is if the root has no /proc). */
static int mount_procfs(struct mount *root)
{
	struct dentry *d;
	if (vfs_lookup_child(root->root, "proc", &d))
		return 0;
	struct inode *in = procfs_new();
	int flags = 2 | 4 | 8; /* MS_NOSUID | MS_NODEV | MS_NOEXEC */
	int err = in ? vfs_mount_at(root, d, in, "proc", flags) : -ENOMEM;
	dentry_put(d);
	return err;
}

/* Mounts the read-only /sys (left as it is if the root has no /sys). */
static int mount_sysfs(struct mount *root)
{
	struct dentry *d;
	if (vfs_lookup_child(root->root, "sys", &d))
		return 0;
	struct inode *in = sysfs_new();
	int err =
	    in ? vfs_mount_at(root, d, in, "sysfs", 1 | 2 | 4 | 8 /* ro,nosuid,nodev,noexec */)
	       : -ENOMEM;
	dentry_put(d);
	return err;
}

/* Mounts a fresh tmpfs over an existing directory of the root. */
static int mount_tmpfs(struct mount *root, const char *name, uint32_t mode, struct inode **out)
{
	struct dentry *d;
	int err = vfs_lookup_child(root->root, name, &d);
	if (err)
		return err;
	struct inode *in = tmpfs_new(mode);
	if (!in) {
		dentry_put(d);
		return -ENOMEM;
	}
	err = vfs_mount_at(root, d, in, "tmpfs", 0);
	if (!err && out)
		*out = in;
	/* the mount keeps d referenced through mountpoint */
	dentry_put(d);
	return err;
}

/* Finds or makes (in the overlay) the mount point path: every component a
 * directory, the last one a file if want_file. want_file < 0 only finds
 * the path, the last component of any type. */
static int mount_point(struct mount *root, const char *path, int want_file, struct mount **mnt,
		       struct dentry **out)
{
	struct mount *m = root;
	struct dentry *d = dentry_get(root->root);
	char *copy = strdup(path), *save = NULL;
	int err = copy ? 0 : -ENOMEM;
	for (char *c = copy ? strtok_r(copy, "/", &save) : NULL; c && !err;
	     c = strtok_r(NULL, "/", &save)) {
		struct dentry *n;
		int last = save == NULL || *save == 0 || strspn(save, "/") == strlen(save);
		int file = want_file > 0 && last, find = want_file < 0;
		err = vfs_lookup_child(d, c, &n);
		if (find) {
			/* no creating */
		} else if (err == -ENOENT && file && d->inode->iops->create) {
			struct inode *made;
			err = d->inode->iops->create(d->inode, c, S_IFREG | 0644, &made);
			if (!err) {
				inode_put(made);
				err = vfs_lookup_child(d, c, &n);
			}
		} else if (err == -ENOENT && d->inode->iops && d->inode->iops->mkdir) {
			err = d->inode->iops->mkdir(d->inode, c, 0755);
			if (!err)
				err = vfs_lookup_child(d, c, &n);
		}
		if (err)
			break;
		if (!(find && last) &&
		    (file ? S_ISDIR(n->inode->mode) : !S_ISDIR(n->inode->mode))) {
			dentry_put(n);
			err = -ENOTDIR;
			break;
		}
		dentry_put(d);
		d = n;
		vfs_follow_mounts(&m, &d);
	}
	free(copy);
	if (err) {
		dentry_put(d);
		return err;
	}
	*mnt = m;
	*out = d;
	return 0;
}

/* Mounts the sandbox's devpts on /dev/pts (OCI's devpts mount is this one). */
static int mount_devpts(struct mount *root)
{
	struct mount *m;
	struct dentry *d;
	int err = mount_point(root, "dev/pts", 0, &m, &d);
	if (err)
		return err;
	struct inode *in = devpts_root();
	err = in ? vfs_mount_at(m, d, in, "devpts", 2 | 8 /* MS_NOSUID | MS_NOEXEC */) : -ENOMEM;
	if (in)
		inode_put(in);
	dentry_put(d);
	return err;
}

/* The file system of one Gofer export: a directory the Gofer donated
 * (direct) walked by hostfs, else goferfs over 9P. */
static int attach(struct p9_client *c, const char *aname, unsigned flags, struct inode **out)
{
	int err = 0;
	if (c->direct) {
		uint32_t fid;
		int fd;
		if ((err = p9client_attach(c, aname, &fid, &fd)) < 0)
			return err;
		p9client_clunk(c, fid); /* the fd is all hostfs needs */
		if (fd >= 0) {
			*out = hostfs_new(fd, (flags & GOFERFS_READONLY) != 0,
					  (flags & GOFERFS_SHARED) != 0);
			if (!*out)
				close(fd);
			return *out ? 0 : -ENOMEM;
		}
		/* a file export: no directory to walk, 9P it is */
	}
	*out = goferfs_new(c, aname, flags, &err);
	return *out ? 0 : err;
}

static int mount_one(struct mount *root, struct p9_client *c, const struct sentry_mount *sm)
{
	struct inode *in;
	if (sm->tmpfs) {
		in = tmpfs_new(sm->mode ? sm->mode : 01777);
		if (!in)
			return -ENOMEM;
	} else {
		unsigned flags = GOFERFS_SHARED | (sm->readonly ? GOFERFS_READONLY : 0);
		int err = 0;
		if (sm->test_9p_sock > 0) { /* plain 9P to someone else's server */
			struct p9_client *t = p9client_connect(sm->test_9p_sock, P9_VERSION, &err);
			in = t ? goferfs_new(t, sm->source, flags, &err) : NULL;
			p9client_put(t);
		} else {
			err = attach(c, sm->source, flags, &in);
		}
		if (err)
			return err;
	}
	struct mount *m;
	struct dentry *d;
	int err = mount_point(root, sm->destination, !sm->tmpfs && !S_ISDIR(in->mode), &m, &d);
	if (err)
		return err;
	err = vfs_mount_at(m, d, in, sm->tmpfs ? "tmpfs" : sm->source, sm->readonly ? 1 : 0);
	dentry_put(d);
	return err;
}

/* An empty read-only file, to mask a file with. */
static struct inode *empty_file(void)
{
	struct inode *dir = tmpfs_new(0555), *f = NULL;
	if (dir && dir->iops->create(dir, "masked", S_IFREG | 0444, &f))
		f = NULL;
	if (dir)
		inode_put(dir);
	return f;
}

/* maskedPaths (mask set: an empty read-only directory or file over the
 * path) and readonlyPaths (the path mounted again, read-only). A path the
 * sandbox does not have needs no guarding. */
static int guard_path(struct mount *root, const char *path, int mask)
{
	struct mount *m;
	struct dentry *d;
	int err = mount_point(root, path, -1, &m, &d);
	if (err == -ENOENT || err == -ENOTDIR)
		return 0;
	if (err)
		return err;
	struct inode *in = !mask		     ? inode_get(d->inode)
			   : S_ISDIR(d->inode->mode) ? tmpfs_new(0555)
						     : empty_file();
	err =
	    in ? vfs_mount_at(m, d, in, mask ? "masked" : "readonly", 1 /* MS_RDONLY */) : -ENOMEM;
	dentry_put(d);
	return err;
}

static int guard_paths(struct mount *root, const struct sentry_config *cfg)
{
	int err = 0;
	for (size_t i = 0; !err && i < cfg->n_masked_paths; i++)
		if ((err = guard_path(root, cfg->masked_paths[i], 1)))
			log_error("maskedPaths %s: %s", cfg->masked_paths[i], strerror(-err));
	for (size_t i = 0; !err && i < cfg->n_readonly_paths; i++)
		if ((err = guard_path(root, cfg->readonly_paths[i], 0)))
			log_error("readonlyPaths %s: %s", cfg->readonly_paths[i], strerror(-err));
	return err;
}

static const char *root_path(const struct sentry_config *cfg)
{
	return cfg->root ? cfg->root : "/";
}

/* Written through to the host: no overlay and not marked read-only. */
static int root_writable(const struct sentry_config *cfg)
{
	return cfg->overlay_none && !cfg->readonly_root;
}

int container_fs_build(const struct sentry_config *cfg, struct p9_client *c,
		       struct fs_context **out)
{
	struct inode *lower, *root;
	int err = attach(c, root_path(cfg), root_writable(cfg) ? 0 : GOFERFS_READONLY, &lower);
	if (err)
		return err;
	if (cfg->overlay_none) {
		root = lower;
	} else {
		struct inode *upper = tmpfs_new(0755);
		root = upper ? overlay_new(upper, lower) : NULL;
	}
	if (!root)
		return -ENOMEM;
	struct mount *m = vfs_mount_root(root, cfg->overlay_none ? root_path(cfg) : "overlay",
					 cfg->readonly_root ? 1 /* MS_RDONLY */ : 0);
	if (!m)
		return -ENOMEM;
	/* a container's root gets /dev, /proc and /sys even if its image has none */
	for (const char *const *p = (const char *const[]){"dev", "proc", "sys", NULL};
	     cfg->root && *p; p++) {
		struct mount *pm;
		struct dentry *pd;
		int e = mount_point(m, *p, 0, &pm, &pd);
		if (e)
			return e;
		dentry_put(pd);
	}
	struct inode *dev;
	err = mount_tmpfs(m, "dev", 0755, &dev);
	if (!err)
		err = devfs_populate(dev);
	if (!err)
		err = mount_devpts(m);
	if (err && err != -ENOENT)
		return err;
	/* the host's /proc and /sys must never show through */
	if ((err = mount_procfs(m)))
		return err;
	if ((err = mount_sysfs(m)))
		return err;
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if ((err = mount_one(m, c, &cfg->mounts[i]))) {
			log_error("mount %s: %s", cfg->mounts[i].destination, strerror(-err));
			return err;
		}
	if ((err = guard_paths(m, cfg)))
		return err;
	*out = fs_context_new(m, m->root);
	return *out ? 0 : -ENOMEM;
}

/* The Gofer's exports: the root, then each bind mount's source, once per
 * path (writable if any mount of it is: the Sentry enforces read-only per
 * mount itself). Returns the number of specs ("PATH:ro" / "PATH:rw") made,
 * or -ENOMEM. */
static int export_specs(const struct sentry_config *cfg, char **specs)
{
	int n = 0;
	const char *paths[cfg->n_mounts + 1];
	int rw[cfg->n_mounts + 1];
	paths[n] = root_path(cfg);
	rw[n++] = root_writable(cfg);
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct sentry_mount *sm = &cfg->mounts[i];
		if (sm->tmpfs || sm->test_9p_sock > 0)
			continue;
		int j = 0;
		while (j < n && strcmp(paths[j], sm->source))
			j++;
		if (j == n) {
			paths[n] = sm->source;
			rw[n++] = 0;
		}
		rw[j] |= !sm->readonly;
	}
	for (int i = 0; i < n; i++)
		if (asprintf(&specs[i], "%s:%s", paths[i], rw[i] ? "rw" : "ro") < 0) {
			while (i > 0)
				free(specs[--i]);
			return -ENOMEM;
		}
	return n;
}

int container_gofer_launch(const struct sentry_config *cfg, pid_t *pid)
{
	char *specs[cfg->n_mounts + 1];
	memset(specs, 0, sizeof(specs));
	int n = export_specs(cfg, specs);
	if (n < 0)
		return n;
	int sock = gofer_launch((const char *const *)specs, (size_t)n, pid);
	for (int i = 0; i < n; i++)
		free(specs[i]);
	return sock;
}

struct p9_client *container_gofer_connect(int sock, int file_access, int *err)
{
	int direct = file_access == SENTRY_FILES_DIRECT;
	struct p9_client *c =
	    p9client_connect(sock, direct ? P9_VERSION_DIRECT : P9_VERSION_DONATE, err);
	if (c && direct && !c->direct) {
		p9client_put(c);
		*err = -EPROTONOSUPPORT; /* the Gofer does not donate directories */
		return NULL;
	}
	return c;
}
