/* The devpts file system: /dev/pts with ptmx and one node per live pty
 * (named by its index, char device 136:N, group tty as OCI's gid=5
 * option asks). Names come and go with the ptys: nothing is cached. */
#include "sentry/fs/devpts/devpts.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/devpts/tty.h"
#include "sentry/kernel/task.h"

#define DEVPTS_MAGIC 0x1cd1
#define TTY_GID	     5

static struct fs devpts_fs = {.name = "devpts", .dev = 0x17, .magic = DEVPTS_MAGIC, .no_dcache = 1};
static struct inode *root, *ptmx;

static int ptmx_open(struct inode *in, struct file *f)
{
	return devpts_open_ptmx(f);
}

static const struct inode_ops ptmx_iops = {.open = ptmx_open};

static int pts_open(struct inode *in, struct file *f)
{
	return pty_open_slave(in->priv, f, 1);
}

static void pts_release(struct inode *in)
{
	pty_free(in->priv);
}

static const struct inode_ops pts_iops = {.open = pts_open, .release = pts_release};

struct inode *devpts_pty_inode(struct pty *p)
{
	struct inode *in = inode_new(&devpts_fs, &pts_iops, NULL, S_IFCHR | 0620);
	if (!in)
		return NULL;
	struct task *t = current_task();
	in->ino = (uint64_t)p->index + 3;
	in->rdev = MKDEV(136, p->index);
	in->uid = t ? t->proc->creds.fsuid : 0;
	in->gid = TTY_GID;
	in->priv = p;
	return in;
}

/* "0", "17": a pty index; -1 for anything else. */
static int parse_index(const char *name)
{
	if (!name[0] || (name[0] == '0' && name[1]) || strlen(name) > 9)
		return -1;
	int v = 0;
	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v;
}

static int root_lookup(struct inode *dir, const char *name, struct inode **out)
{
	if (!strcmp(name, "ptmx")) {
		*out = inode_get(ptmx);
		return 0;
	}
	int index = parse_index(name);
	struct pty *p = index >= 0 ? pty_next_listed(index) : NULL;
	if (!p || p->index != index)
		return -ENOENT;
	*out = inode_get(p->inode);
	return 0;
}

static int root_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	/* positions: 0 ".", 1 "..", 2 "ptmx", 3 + N the pty N */
	if (f->dir_pos == 0) {
		if (emit(ctx, ".", root->ino, DT_DIR, 1))
			return 0;
		f->dir_pos = 1;
	}
	if (f->dir_pos == 1) {
		if (emit(ctx, "..", root->ino, DT_DIR, 2))
			return 0;
		f->dir_pos = 2;
	}
	if (f->dir_pos == 2) {
		if (emit(ctx, "ptmx", ptmx->ino, DT_CHR, 3))
			return 0;
		f->dir_pos = 3;
	}
	for (struct pty *p; (p = pty_next_listed((int)f->dir_pos - 3));) {
		char name[16];
		snprintf(name, sizeof(name), "%d", p->index);
		if (emit(ctx, name, p->inode->ino, DT_CHR, p->index + 4))
			return 0;
		f->dir_pos = (uint64_t)p->index + 4;
	}
	return 0;
}

static const struct inode_ops root_iops = {.lookup = root_lookup};
static const struct file_ops root_fops = {.readdir = root_readdir};

struct inode *devpts_root(void)
{
	if (!root) {
		root = inode_new(&devpts_fs, &root_iops, &root_fops, S_IFDIR | 0755);
		ptmx = inode_new(&devpts_fs, &ptmx_iops, NULL, S_IFCHR | 0666);
		if (!root || !ptmx)
			return NULL;
		root->ino = 1;
		root->nlink = 2;
		ptmx->ino = 2;
		ptmx->rdev = MKDEV(5, 2);
	}
	return inode_get(root);
}
