/* Pipes; see pipe.h. Reads block while empty and writers exist; writes
 * block while full and readers exist; no readers gives SIGPIPE/EPIPE. */
#include "sentry/fs/pipe/pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define PIPE_SIZE 65536

struct pipe {
	char *buf;
	size_t head, len;
	int readers, writers;
	struct waitq rq, wq;
};

void poll_wait_on(struct poll_table *pt, struct waitq *q, unsigned events)
{
	if (!pt || pt->nwaiters >= pt->cap)
		return;
	waitq_add(q, &pt->waiters[pt->nwaiters++], pt->task, events);
}

static const struct file_ops pipe_fops;

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->inode->priv;
	unsigned m = 0;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR) {
		if (p->len)
			m |= POLLIN | POLLRDNORM;
		if (!p->writers)
			m |= POLLHUP;
		poll_wait_on(pt, &p->rq, 0);
	}
	if (acc == O_WRONLY || acc == O_RDWR) {
		if (PIPE_SIZE - p->len >= 4096 || (PIPE_SIZE - p->len > 0 && p->len == 0))
			m |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			m |= POLLERR;
		poll_wait_on(pt, &p->wq, 0);
	}
	return m;
}

static long pipe_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct pipe *p = f->inode->priv;
	struct task *t = current_task();
	if (!len)
		return 0;
	while (!p->len) {
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		struct waiter w;
		waitq_add(&p->rq, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
	size_t n = len < p->len ? len : p->len;
	size_t first = PIPE_SIZE - p->head;
	if (first > n)
		first = n;
	memcpy(buf, p->buf + p->head, first);
	memcpy((char *)buf + first, p->buf, n - first);
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	waitq_wake(&p->wq, 0);
	return (long)n;
}

static long pipe_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct pipe *p = f->inode->priv;
	struct task *t = current_task();
	size_t done = 0;
	while (done < len) {
		if (!p->readers) {
			struct linux_siginfo si = {.si_signo = SIGPIPE, .si_code = SI_USER};
			signal_send(t->proc, t, &si);
			return done ? (long)done : -EPIPE;
		}
		size_t space = PIPE_SIZE - p->len;
		/* writes of at most PIPE_BUF (4096) are atomic */
		if (space == 0 || (len - done <= 4096 && space < len - done)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			struct waiter w;
			waitq_add(&p->wq, &w, t, 0);
			int err = task_block(t, 0, 1);
			waitq_del(&w);
			if (err)
				return done ? (long)done : -ERESTARTSYS;
			continue;
		}
		size_t n = len - done < space ? len - done : space;
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t first = PIPE_SIZE - tail;
		if (first > n)
			first = n;
		memcpy(p->buf + tail, (const char *)buf + done, first);
		memcpy(p->buf, (const char *)buf + done + first, n - first);
		p->len += n;
		done += n;
		waitq_wake(&p->rq, 0);
	}
	return (long)done;
}

static long pipe_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct pipe *p = f->inode->priv;
	if (cmd == FIONREAD) {
		int n = (int)p->len;
		return copy_out(t, arg, &n, sizeof(n)) ? -EFAULT : 0;
	}
	return -ENOTTY;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->inode->priv;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers--;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers--;
	waitq_wake(&p->rq, 0);
	waitq_wake(&p->wq, 0);
}

static void pipe_inode_release(struct inode *in)
{
	struct pipe *p = in->priv;
	free(p->buf);
	free(p);
}

/* A reopen through /proc/[pid]/fd/N: one more reader or writer. */
static int pipe_open(struct inode *in, struct file *f)
{
	struct pipe *p = in->priv;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers++;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers++;
	waitq_wake(&p->rq, 0);
	waitq_wake(&p->wq, 0);
	return 0;
}

static const struct inode_ops pipe_iops = {.open = pipe_open, .release = pipe_inode_release};
static const struct file_ops pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

static struct fs pipefs = {.name = "pipefs", .dev = 0xc, .magic = 0x50495045};

int pipe_create(int flags, struct file **rd, struct file **wr)
{
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = malloc(PIPE_SIZE);
	struct inode *in = p->buf ? inode_new(&pipefs, &pipe_iops, &pipe_fops, S_IFIFO | 0600) : NULL;
	if (!in) {
		free(p->buf);
		free(p);
		return -ENOMEM;
	}
	in->priv = p;
	char name[64];
	snprintf(name, sizeof(name), "pipe:[%lu]", (unsigned long)in->ino);
	int nb = flags & O_NONBLOCK;
	*rd = file_anon(in, O_RDONLY | nb, name);
	*wr = file_anon(in, O_WRONLY | nb, name);
	inode_put(in);
	if (!*rd || !*wr) {
		if (*rd)
			file_put(*rd);
		if (*wr)
			file_put(*wr);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	return 0;
}
