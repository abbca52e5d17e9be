/* procfs: inodes, lookup, readdir and open files; see proc.h and internal.h.
 * The top directory's table lives here too. */
#include "sentry/fs/proc/proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sentry/fs/proc/internal.h"
#include "sentry/mm/mm.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define DYN_BASE	 1024 /* readdir position of numeric entry k: DYN_BASE + k */

static struct fs procfs = {.name = "proc", .dev = 0x16, .magic = PROC_SUPER_MAGIC, .no_dcache = 1};

/* ---- text buffers ---- */

void sb_put(struct sbuf *b, const void *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_put(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_put(b, big, (size_t)n);
	free(big);
}

/* ---- helpers for the tables ---- */

long proc_parse_num(const char *s)
{
	if (!*s || (*s == '0' && s[1]))
		return -1;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct process *proc_node_process(const struct proc_node *n)
{
	struct process *p = n->pid ? process_by_pid(n->pid) : NULL;
	return p && p->start_ns == n->start_ns ? p : NULL;
}

struct task *proc_node_task(const struct proc_node *n)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return NULL;
	if (n->tid) {
		struct task *t = task_by_tid(n->tid);
		return t && t->proc == p && t->state != TASK_DEAD ? t : NULL;
	}
	struct task *t = task_by_tid(p->pid);
	if (t && t->proc == p && t->state != TASK_DEAD)
		return t;
	for (t = p->threads; t; t = t->thread_next)
		if (t->state != TASK_DEAD)
			return t;
	return NULL;
}

int proc_may_ptrace(struct task *t, const struct proc_node *n)
{
	struct process *p = proc_node_process(n);
	if (!p)
		return -ESRCH;
	if (!t || t->proc == p)
		return 0;
	const struct creds *c = &t->proc->creds, *tc = &p->creds;
	/* CAP_SYS_PTRACE held by root (a setuid away from root has not always
	 * cleared cap_eff in the Sentry, so ask for both) */
	if ((c->cap_eff & (1ULL << 19)) && c->euid == 0)
		return 0;
	if (c->fsuid == tc->ruid && c->fsuid == tc->euid && c->fsuid == tc->suid &&
	    c->fsgid == tc->rgid && c->fsgid == tc->egid && c->fsgid == tc->sgid)
		return 0;
	return -EACCES;
}

int proc_read_mem(struct process *p, uint64_t start, uint64_t end, struct sbuf *b)
{
	struct task *t = NULL;
	for (struct task *x = p->threads; x; x = x->thread_next)
		if (x->state != TASK_DEAD && x->plat && x->mm) {
			t = x;
			break;
		}
	if (!t || end <= start)
		return 0;
	char buf[4096];
	while (start < end) {
		size_t n = end - start < sizeof(buf) ? end - start : sizeof(buf);
		long r = plat_read(t->plat->as, start, buf, n);
		if (r <= 0)
			break;
		sb_put(b, buf, (size_t)r);
		start += (uint64_t)r;
	}
	return 0;
}

/* ---- inodes ---- */

static const struct inode_ops proc_iops;
static const struct inode_ops proc_magic_iops;
static const struct file_ops proc_file_fops;
static const struct file_ops proc_dir_fops;
static const struct proc_ent root_ent;

static uint64_t node_ino(const struct proc_node *n)
{
	if (n->ent == &root_ent)
		return 1;
	uint64_t h = 1469598103934665603ULL;
	uint64_t parts[4] = {(uint64_t)(uintptr_t)n->ent, (uint64_t)n->pid, (uint64_t)n->tid,
			     (uint64_t)(int64_t)n->fd};
	for (int i = 0; i < 4; i++) {
		h ^= parts[i];
		h *= 1099511628211ULL;
	}
	return (h & 0x7fffffffffffULL) | 2;
}

static void fill_owner(struct inode *in, const struct proc_node *n)
{
	struct process *p = proc_node_process(n);
	in->uid = p ? p->creds.euid : 0;
	in->gid = p ? p->creds.egid : 0;
	if (n->ent->perm_of) {
		int perm = n->ent->perm_of(n);
		if (perm >= 0)
			in->mode = (in->mode & S_IFMT) | (uint32_t)perm;
	}
}

static struct inode *node_inode(const struct proc_node *n)
{
	struct proc_node *c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	*c = *n;
	uint32_t mode = n->ent->mode;
	int dir = S_ISDIR(mode);
	const struct file_ops *fops = dir ? &proc_dir_fops : &proc_file_fops;
	if (n->ent->fops)
		fops = n->ent->fops;
	struct inode *in =
	    inode_new(&procfs, n->ent->get_link ? &proc_magic_iops : &proc_iops, fops, mode);
	if (!in) {
		free(c);
		return NULL;
	}
	in->priv = c;
	in->ino = node_ino(n);
	fill_owner(in, n);
	return in;
}

/* Whether the node's process (and thread) still exist. */
static int node_alive(const struct proc_node *n)
{
	if (!n->pid)
		return 1;
	struct process *p = proc_node_process(n);
	if (!p)
		return 0;
	return !n->tid || proc_node_task(n) != NULL;
}

/* The numeric keys of dir d (sorted), or 0 with *out NULL. */
static int dir_keys(const struct proc_dir *d, const struct proc_node *n, int **out)
{
	*out = NULL;
	if (!d->keys)
		return 0;
	return d->keys(n, out);
}

static void child_of(const struct proc_node *dir, const struct proc_ent *e, enum proc_key k,
		     int key, struct proc_node *out)
{
	*out = *dir;
	out->ent = e;
	if (k == KEY_PID) {
		struct process *p = process_by_pid(key);
		out->pid = key;
		out->tid = 0;
		out->fd = -1;
		out->start_ns = p ? p->start_ns : 0;
	} else if (k == KEY_TID) {
		out->tid = key;
	} else if (k == KEY_FD) {
		out->fd = key;
	}
}

static int skip_ent(const struct proc_node *dir, const struct proc_ent *e)
{
	return (e->flags & PE_TGID_ONLY) && dir->tid;
}

static int p_lookup(struct inode *din, const char *name, struct inode **out)
{
	const struct proc_node *n = din->priv;
	const struct proc_dir *d = n->ent->dir;
	if (!d)
		return -ENOTDIR;
	if (!node_alive(n))
		return -ENOENT;
	struct proc_node c;
	for (const struct proc_ent *e = d->ents; e && e->name; e++) {
		if (skip_ent(n, e) || strcmp(e->name, name) != 0)
			continue;
		child_of(n, e, KEY_NONE, 0, &c);
		*out = node_inode(&c);
		return *out ? 0 : -ENOMEM;
	}
	long key = proc_parse_num(name);
	if (key < 0 || !d->keys)
		return -ENOENT;
	int *keys;
	int nk = dir_keys(d, n, &keys);
	if (nk < 0)
		return nk;
	int found = 0;
	for (int i = 0; i < nk && !found; i++)
		found = keys[i] == key;
	free(keys);
	if (!found && !(d->hidden && d->hidden(n, (int)key, &c) == 0))
		return -ENOENT;
	if (found)
		child_of(n, d->key_ent, d->key, (int)key, &c);
	*out = node_inode(&c);
	return *out ? 0 : -ENOMEM;
}

static int p_readdir(struct file *f, dir_emit_fn emit, void *ctx)
{
	const struct proc_node *n = f->inode->priv;
	const struct proc_dir *d = n->ent->dir;
	if (!node_alive(n))
		return -ENOENT;
	if (f->dir_pos == 0) {
		if (emit(ctx, ".", f->inode->ino, DT_DIR, 1))
			return 0;
		f->dir_pos = 1;
	}
	if (f->dir_pos == 1) {
		if (emit(ctx, "..", f->inode->ino, DT_DIR, 2))
			return 0;
		f->dir_pos = 2;
	}
	uint64_t k = 2;
	for (const struct proc_ent *e = d->ents; e && e->name; e++, k++) {
		if (k < f->dir_pos || skip_ent(n, e))
			continue;
		struct proc_node c;
		child_of(n, e, KEY_NONE, 0, &c);
		if (emit(ctx, e->name, node_ino(&c), (e->mode >> 12) & 15, (int64_t)k + 1))
			return 0;
		f->dir_pos = k + 1;
	}
	int *keys;
	int nk = dir_keys(d, n, &keys);
	if (nk < 0)
		return nk;
	for (int i = 0; i < nk; i++) {
		uint64_t pos = DYN_BASE + (uint64_t)keys[i];
		if (pos < f->dir_pos)
			continue;
		char name[16];
		snprintf(name, sizeof(name), "%d", keys[i]);
		struct proc_node c;
		child_of(n, d->key_ent, d->key, keys[i], &c);
		if (emit(ctx, name, node_ino(&c), (d->key_ent->mode >> 12) & 15, (int64_t)pos + 1))
			break;
		f->dir_pos = pos + 1;
	}
	free(keys);
	return 0;
}

static int p_readlink(struct inode *in, char *buf, size_t len)
{
	const struct proc_node *n = in->priv;
	if (!node_alive(n))
		return -ENOENT;
	if (n->ent->readlink)
		return n->ent->readlink(n, buf, len);
	return -EINVAL;
}

static int p_get_link_path(struct inode *in, struct task *t, struct mount **m, struct dentry **d)
{
	const struct proc_node *n = in->priv;
	if (!node_alive(n))
		return -ENOENT;
	return n->ent->get_link(n, t, m, d);
}

static int p_getattr(struct inode *in)
{
	const struct proc_node *n = in->priv;
	fill_owner(in, n);
	return 0;
}

static int p_setattr(struct inode *in, const struct iattr *ia)
{
	/* truncating a writable proc file (echo 1 > oom_score_adj) is fine */
	if (ia->valid & ~IATTR_SIZE)
		return -EPERM;
	return 0;
}

struct pfile {
	struct sbuf text;
	int filled; /* text is generated at the first read, as Linux's
		     * seq_file does: a file opened before an execve shows the
		     * new program */
};

static int pf_fill(const struct proc_node *n, struct pfile *pf)
{
	free(pf->text.p);
	memset(&pf->text, 0, sizeof(pf->text));
	if (!node_alive(n))
		return -ESRCH;
	int err = 0;
	if (n->ent->show)
		err = n->ent->show(n, &pf->text);
	else
		sb_put(&pf->text, n->ent->text, strlen(n->ent->text));
	if (!err && pf->text.oom)
		err = -ENOMEM;
	pf->filled = !err;
	return err;
}

static int p_open(struct inode *in, struct file *f)
{
	const struct proc_node *n = in->priv;
	if (!node_alive(n))
		return -ENOENT;
	if (S_ISDIR(in->mode))
		return 0;
	if (n->ent->flags & PE_PTRACE) {
		int err = proc_may_ptrace(current_task(), n);
		if (err)
			return err;
	}
	if (n->ent->fops)
		return 0; /* not text: no buffer */
	/* the mode bits already said who may open; a file without a write
	 * handler fails writes with EINVAL, as Linux does */
	struct pfile *pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	f->priv = pf;
	return 0;
}

static int p_statfs(struct inode *in, struct linux_statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = PROC_SUPER_MAGIC;
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_namelen = 255;
	return 0;
}

static void p_release(struct inode *in)
{
	free(in->priv);
}

static const struct inode_ops proc_iops = {
    .lookup = p_lookup,
    .readlink = p_readlink,
    .getattr = p_getattr,
    .setattr = p_setattr,
    .open = p_open,
    .statfs = p_statfs,
    .release = p_release,
};

static const struct inode_ops proc_magic_iops = {
    .readlink = p_readlink,
    .getattr = p_getattr,
    .open = p_open,
    .statfs = p_statfs,
    .get_link_path = p_get_link_path,
    .release = p_release,
};

/* ---- open files ---- */

static long pf_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct pfile *pf = f->priv;
	if (!pf || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (*off < 0)
		return -EINVAL;
	if (!pf->filled || *off == 0) {
		int err = pf_fill(f->inode->priv, pf);
		if (err)
			return err;
	}
	if ((uint64_t)*off >= pf->text.len)
		return 0;
	size_t n = pf->text.len - (size_t)*off;
	if (n > len)
		n = len;
	memcpy(buf, pf->text.p + *off, n);
	*off += (int64_t)n;
	return (long)n;
}

static long pf_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	const struct proc_node *n = f->inode->priv;
	if (!n->ent->write)
		return -EINVAL;
	if (len > 4096)
		len = 4096;
	char tmp[4097];
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	if (!node_alive(n))
		return -ESRCH;
	int err = n->ent->write(n, tmp, len);
	if (err < 0)
		return err;
	*off += (int64_t)len;
	return (long)len;
}

static int64_t pf_llseek(struct file *f, int64_t off, int whence)
{
	struct pfile *pf = f->priv;
	int64_t base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END: {
		int err = !pf ? -EBADF : pf->filled ? 0 : pf_fill(f->inode->priv, pf);
		if (err)
			return err;
		base = (int64_t)pf->text.len;
		break;
	}
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

static void pf_release(struct file *f)
{
	struct pfile *pf = f->priv;
	if (!pf)
		return;
	free(pf->text.p);
	free(pf);
}

static int64_t pd_llseek(struct file *f, int64_t off, int whence)
{
	if (whence == SEEK_CUR && off == 0)
		return (int64_t)f->dir_pos;
	if (whence != SEEK_SET || off < 0)
		return -EINVAL;
	f->dir_pos = (uint64_t)off;
	return off;
}

static const struct file_ops proc_file_fops = {
    .read = pf_read,
    .write = pf_write,
    .llseek = pf_llseek,
    .release = pf_release,
};

static const struct file_ops proc_dir_fops = {
    .llseek = pd_llseek,
    .readdir = p_readdir,
};

/* ---- the top directory ---- */

static int self_link(const struct proc_node *n, char *buf, size_t len)
{
	struct task *t = current_task();
	if (!t)
		return -ENOENT;
	int r = snprintf(buf, len, "%d", t->proc->pid);
	return r < (int)len ? r : (int)len;
}

static int thread_self_link(const struct proc_node *n, char *buf, size_t len)
{
	struct task *t = current_task();
	if (!t)
		return -ENOENT;
	int r = snprintf(buf, len, "%d/task/%d", t->proc->pid, t->tid);
	return r < (int)len ? r : (int)len;
}

static int mounts_link(const struct proc_node *n, char *buf, size_t len)
{
	int r = snprintf(buf, len, "self/mounts");
	return r < (int)len ? r : (int)len;
}

static const struct proc_ent root_ents[] = {
    {"self", S_IFLNK | 0777, .readlink = self_link},
    {"thread-self", S_IFLNK | 0777, .readlink = thread_self_link},
    {"mounts", S_IFLNK | 0777, .readlink = mounts_link},
    {"sys", S_IFDIR | 0555, .dir = &proc_sys_dir},
    {"meminfo", S_IFREG | 0444, .show = proc_show_meminfo},
    {"cpuinfo", S_IFREG | 0444, .show = proc_show_cpuinfo},
    {"vmstat", S_IFREG | 0444, .show = proc_show_vmstat},
    {"uptime", S_IFREG | 0444, .show = proc_show_uptime},
    {"loadavg", S_IFREG | 0444, .show = proc_show_loadavg},
    {"stat", S_IFREG | 0444, .show = proc_show_stat},
    {"version", S_IFREG | 0444, .show = proc_show_version},
    {"filesystems", S_IFREG | 0444, .show = proc_show_filesystems},
    {NULL},
};

static const struct proc_dir root_dir = {
    .ents = root_ents,
    .key = KEY_PID,
    .key_ent = &proc_pid_ent,
    .keys = proc_pid_keys,
    .hidden = proc_tid_hidden,
};
static const struct proc_ent root_ent = {"/", S_IFDIR | 0555, .dir = &root_dir};

struct inode *procfs_new(void)
{
	proc_sys_init();
	struct proc_node n = {.ent = &root_ent, .pid = 0, .tid = 0, .fd = -1};
	return node_inode(&n);
}
