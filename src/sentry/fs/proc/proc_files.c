/* The file-system view of a process: fd/ and fdinfo/, the exe, cwd and root
 * magic links, mounts and mountinfo. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/proc/internal.h"
#include "sentry/mm/mm.h"

/* ---- magic links ---- */

static int link_to(struct mount *mnt, struct dentry *d, struct mount **m, struct dentry **out)
{
	if (!d)
		return -ENOENT;
	*m = mnt;
	*out = dentry_get(d);
	return 0;
}

int proc_link_exe(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d)
{
	int err = proc_may_ptrace(t, n);
	if (err)
		return err;
	struct task *x = proc_node_task(n);
	if (!x || !x->mm || !x->mm->exe)
		return -ENOENT;
	return link_to(x->mm->exe->mnt, x->mm->exe->dentry, m, d);
}

int proc_link_cwd(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d)
{
	int err = proc_may_ptrace(t, n);
	if (err)
		return err;
	struct task *x = proc_node_task(n);
	if (!x || !x->fs)
		return -ENOENT;
	return link_to(x->fs->cwd_mnt, x->fs->cwd, m, d);
}

int proc_link_root(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d)
{
	int err = proc_may_ptrace(t, n);
	if (err)
		return err;
	struct task *x = proc_node_task(n);
	if (!x || !x->fs)
		return -ENOENT;
	return link_to(x->fs->root_mnt, x->fs->root, m, d);
}

/* ---- fd/ and fdinfo/ ---- */

static struct fd_table *files_of(const struct proc_node *n)
{
	struct task *t = proc_node_task(n);
	return t ? t->files : NULL;
}

static int fd_keys(const struct proc_node *n, int **out)
{
	struct fd_table *ft = files_of(n);
	if (!ft) {
		*out = NULL;
		return 0; /* a zombie: no files */
	}
	int *keys = malloc(sizeof(int) * (size_t)(ft->size + 1));
	if (!keys)
		return -ENOMEM;
	int k = 0;
	for (int i = 0; i < ft->size; i++)
		if (ft->fds[i].file)
			keys[k++] = i;
	*out = keys;
	return k;
}

static int fd_link(const struct proc_node *n, struct task *t, struct mount **m, struct dentry **d)
{
	int err = proc_may_ptrace(t, n);
	if (err)
		return err;
	struct fd_table *ft = files_of(n);
	struct file *f = ft ? fdt_get(ft, n->fd) : NULL;
	if (!f)
		return -ENOENT;
	err = link_to(f->mnt, f->dentry, m, d);
	file_put(f);
	return err;
}

/* As Linux: r-x for a reader, -wx for a writer. */
static int fd_perm(const struct proc_node *n)
{
	struct fd_table *ft = files_of(n);
	struct file *f = ft ? fdt_get(ft, n->fd) : NULL;
	if (!f)
		return -1;
	int acc = f->flags & O_ACCMODE, perm = 0;
	if (f->flags & O_PATH)
		perm = 0;
	else {
		if (acc == O_RDONLY || acc == O_RDWR)
			perm |= 0500;
		if (acc == O_WRONLY || acc == O_RDWR)
			perm |= 0300;
	}
	file_put(f);
	return perm;
}

static int show_fdinfo(const struct proc_node *n, struct sbuf *b)
{
	struct fd_table *ft = files_of(n);
	struct file *f = ft ? fdt_get(ft, n->fd) : NULL;
	if (!f)
		return -ENOENT;
	int flags = f->flags;
	if (fdt_get_cloexec(ft, n->fd) > 0)
		flags |= O_CLOEXEC;
	sb_printf(b, "pos:\t%ld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (long)f->pos, flags, 0,
		  (unsigned long)f->inode->ino);
	file_put(f);
	return 0;
}

static const struct proc_ent fd_ent = {"[fd]", S_IFLNK | 0700, .get_link = fd_link,
				       .perm_of = fd_perm};
static const struct proc_ent fdinfo_ent = {"[fd]", S_IFREG | 0444, .show = show_fdinfo};

const struct proc_dir proc_fd_dir = {.key = KEY_FD, .key_ent = &fd_ent, .keys = fd_keys};
const struct proc_dir proc_fdinfo_dir = {.key = KEY_FD, .key_ent = &fdinfo_ent, .keys = fd_keys};

/* ---- mounts ---- */

/* Every mount, oldest first, in a malloc'd array. */
static int all_mounts(struct mount ***out)
{
	int k = 0;
	for (struct mount *m = vfs_mounts; m; m = m->next_all)
		k++;
	struct mount **v = malloc(sizeof(*v) * (size_t)(k + 1));
	if (!v)
		return -ENOMEM;
	int i = k;
	for (struct mount *m = vfs_mounts; m; m = m->next_all)
		v[--i] = m;
	*out = v;
	return k;
}

static int mount_id(struct mount **v, int k, struct mount *m)
{
	for (int i = 0; i < k; i++)
		if (v[i] == m)
			return 20 + i;
	return 1;
}

static void mount_opts(struct mount *m, struct sbuf *b)
{
	struct fs *fs = m->root->inode->fs;
	int ro = (m->flags & 1) || (fs && fs->readonly);
	sb_printf(b, "%s%s%s%s", ro ? "ro" : "rw", m->flags & 2 ? ",nosuid" : "",
		  m->flags & 4 ? ",nodev" : "", m->flags & 8 ? ",noexec" : "");
}

static const char *fstype(struct mount *m)
{
	struct fs *fs = m->root->inode->fs;
	return fs && fs->name ? fs->name : "none";
}

static int show_mount_table(const struct proc_node *n, struct sbuf *b, int info)
{
	struct task *t = proc_node_task(n);
	if (!t || !t->fs)
		return -ENOENT;
	struct mount **v;
	int k = all_mounts(&v);
	if (k < 0)
		return k;
	char *path = malloc(4096);
	if (!path) {
		free(v);
		return -ENOMEM;
	}
	for (int i = 0; i < k; i++) {
		struct mount *m = v[i];
		if (vfs_path_of(t->fs->root_mnt, t->fs->root, m, m->root, path, 4096) < 0)
			continue;
		if (!info) {
			sb_printf(b, "%s %s %s ", m->source ? m->source : "none", path, fstype(m));
			mount_opts(m, b);
			sb_printf(b, " 0 0\n");
			continue;
		}
		struct fs *fs = m->root->inode->fs;
		uint64_t dev = fs ? fs->dev : 0;
		sb_printf(b, "%d %d %lu:%lu / %s ", mount_id(v, k, m),
			  m->parent ? mount_id(v, k, m->parent) : 1, (dev >> 8) & 0xfff, dev & 0xff,
			  path);
		mount_opts(m, b);
		sb_printf(b, " - %s %s ", fstype(m), m->source ? m->source : "none");
		mount_opts(m, b);
		sb_put(b, "\n", 1);
	}
	free(path);
	free(v);
	return 0;
}

int proc_show_mounts(const struct proc_node *n, struct sbuf *b)
{
	return show_mount_table(n, b, 0);
}

int proc_show_mountinfo(const struct proc_node *n, struct sbuf *b)
{
	return show_mount_table(n, b, 1);
}
