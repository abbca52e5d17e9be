/* inotify_init1, inotify_add_watch, inotify_rm_watch and the event queue;
 * see inotify.h. A watch holds its dentry, so later walks find the same
 * (cached) dentry and events match on it. */
#include "sentry/fs/notify/inotify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/fs/vfs.h"
#include "sentry/syscalls/syscalls.h"

int inotify_nwatches;

struct watch {
	struct inotify *in;
	int wd;
	struct dentry *d;
	uint32_t mask;
	struct watch *next, *next_all;
};

struct event {
	struct event *next;
	size_t len; /* the whole record */
	char rec[];
};

struct inotify {
	struct watch *watches;
	int next_wd;
	struct event *head, **tail;
	size_t queued;
	struct waitq q;
};

static struct watch *all_watches;

uint32_t fsnotify_cookie(void)
{
	static uint32_t c;
	return ++c;
}

static void queue(struct inotify *in, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
	size_t nlen = name ? strlen(name) + 1 : 0;
	size_t pad = nlen ? (nlen + 15) & ~15UL : 0;
	if (in->queued > 16384)
		return; /* IN_Q_OVERFLOW is not reported */
	struct event *e = calloc(1, sizeof(*e) + sizeof(struct inotify_event) + pad);
	if (!e)
		return;
	struct inotify_event *ie = (struct inotify_event *)e->rec;
	ie->wd = wd;
	ie->mask = mask;
	ie->cookie = cookie;
	ie->len = (uint32_t)pad;
	if (nlen)
		memcpy(ie->name, name, nlen);
	e->len = sizeof(*ie) + pad;
	*in->tail = e;
	in->tail = &e->next;
	in->queued++;
	waitq_wake(&in->q, 0);
}

static void report(struct inode *target, uint32_t mask, uint32_t cookie, const char *name)
{
	for (struct watch *w = all_watches; w; w = w->next_all) {
		if (w->d->inode != target || !(w->mask & mask & IN_ALL_EVENTS))
			continue;
		queue(w->in, w->wd, mask, cookie, name);
	}
}

void fsnotify_name(struct dentry *dir, const char *name, uint32_t mask, uint32_t cookie)
{
	report(dir->inode, mask, cookie, name);
}

void fsnotify_file(struct file *f, uint32_t mask)
{
	if (!f->dentry)
		return;
	uint32_t dirbit = S_ISDIR(f->inode->mode) ? IN_ISDIR : 0;
	report(f->dentry->inode, mask | dirbit, 0, NULL);
	if (f->dentry->parent)
		report(f->dentry->parent->inode, mask | dirbit, 0, f->dentry->name);
}

static void watch_free(struct watch *w, int ignored)
{
	for (struct watch **p = &all_watches; *p; p = &(*p)->next_all) {
		if (*p == w) {
			*p = w->next_all;
			break;
		}
	}
	if (ignored)
		queue(w->in, w->wd, IN_IGNORED, 0, NULL);
	dentry_put(w->d);
	inotify_nwatches--;
	free(w);
}

static long in_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct inotify *in = f->priv;
	struct task *t = current_task();
	while (!in->head) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		struct waiter w;
		waitq_add(&in->q, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
	if (in->head->len > len)
		return -EINVAL;
	size_t done = 0;
	while (in->head && in->head->len <= len - done) {
		struct event *e = in->head;
		memcpy((char *)buf + done, e->rec, e->len);
		done += e->len;
		in->head = e->next;
		if (!in->head)
			in->tail = &in->head;
		in->queued--;
		free(e);
	}
	return (long)done;
}

static unsigned in_poll(struct file *f, struct poll_table *pt)
{
	struct inotify *in = f->priv;
	poll_wait_on(pt, &in->q, 0);
	return in->head ? POLLIN | POLLRDNORM : 0;
}

static long in_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct inotify *in = f->priv;
	if (cmd != 0x541b /* FIONREAD */)
		return -ENOTTY;
	int n = 0;
	for (struct event *e = in->head; e; e = e->next)
		n += (int)e->len;
	return copy_out(t, arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static void in_release(struct file *f)
{
	struct inotify *in = f->priv;
	while (in->watches) {
		struct watch *w = in->watches;
		in->watches = w->next;
		watch_free(w, 0);
	}
	while (in->head) {
		struct event *e = in->head;
		in->head = e->next;
		free(e);
	}
	free(in);
}

static const struct file_ops inotify_fops = {
    .read = in_read,
    .poll = in_poll,
    .ioctl = in_ioctl,
    .release = in_release,
};

static struct fs anon_fs = {.name = "anon_inodefs", .dev = 0xd};

static long do_init(struct task *t, int flags)
{
	if (flags & ~(IN_NONBLOCK | IN_CLOEXEC))
		return -EINVAL;
	struct inotify *in = calloc(1, sizeof(*in));
	struct inode *node = in ? inode_new(&anon_fs, NULL, &inotify_fops, S_IFREG | 0600) : NULL;
	if (!node) {
		free(in);
		return -ENOMEM;
	}
	in->tail = &in->head;
	in->next_wd = 1;
	struct file *f = file_anon(node, O_RDONLY | (flags & IN_NONBLOCK), "anon_inode:inotify");
	inode_put(node);
	if (!f) {
		free(in);
		return -ENOMEM;
	}
	f->priv = in;
	return fd_install(t, f, !!(flags & IN_CLOEXEC));
}

SYSCALL(inotify_init)
{
	return do_init(t, 0);
}

SYSCALL(inotify_init1)
{
	return do_init(t, (int)a[0]);
}

SYSCALL(inotify_add_watch)
{
	uint32_t mask = (uint32_t)a[2];
	if (!(mask & IN_ALL_EVENTS))
		return -EINVAL;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	if (f->ops != &inotify_fops) {
		file_put(f);
		return -EINVAL;
	}
	struct inotify *in = f->priv;
	char *path = malloc(4096);
	long err = path ? copy_in_str(t, a[1], path, 4096) : -ENOMEM;
	struct walk_result w = {0};
	if (err >= 0)
		err = vfs_walk(t, AT_FDCWD, path,
			       (mask & IN_DONT_FOLLOW ? WALK_NOFOLLOW : 0) |
				   (mask & IN_ONLYDIR ? WALK_DIR : 0),
			       &w);
	free(path);
	if (err < 0) {
		file_put(f);
		return err;
	}
	for (struct watch *x = in->watches; x; x = x->next) {
		if (x->d->inode == w.d->inode) {
			x->mask = (mask & IN_MASK_ADD) ? x->mask | mask : mask;
			walk_result_put(&w);
			file_put(f);
			return x->wd;
		}
	}
	struct watch *nw = calloc(1, sizeof(*nw));
	if (!nw) {
		walk_result_put(&w);
		file_put(f);
		return -ENOMEM;
	}
	nw->in = in;
	nw->wd = in->next_wd++;
	nw->d = w.d; /* the reference moves to the watch */
	nw->mask = mask;
	nw->next = in->watches;
	in->watches = nw;
	nw->next_all = all_watches;
	all_watches = nw;
	inotify_nwatches++;
	file_put(f);
	return nw->wd;
}

SYSCALL(inotify_rm_watch)
{
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = -EINVAL;
	if (f->ops == &inotify_fops) {
		struct inotify *in = f->priv;
		for (struct watch **p = &in->watches; *p; p = &(*p)->next) {
			if ((*p)->wd == (int)a[1]) {
				struct watch *w = *p;
				*p = w->next;
				watch_free(w, 1);
				r = 0;
				break;
			}
		}
	}
	file_put(f);
	return r;
}
