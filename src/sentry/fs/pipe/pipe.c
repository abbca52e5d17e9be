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
	/* opens so far, for FIFO opens waiting for the other side */
	unsigned r_counter, w_counter;
	int fifo; /* a named pipe: its data goes when the last end closes */
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
	struct pipe *p = f->priv;
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
	struct pipe *p = f->priv;
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
	struct pipe *p = f->priv;
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
	struct pipe *p = f->priv;
	if (cmd == FIONREAD) {
		int n = (int)p->len;
		return copy_out(t, arg, &n, sizeof(n)) ? -EFAULT : 0;
	}
	return -ENOTTY;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	int acc = f->flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR)
		p->readers--;
	if (acc == O_WRONLY || acc == O_RDWR)
		p->writers--;
	if (p->fifo && !p->readers && !p->writers)
		p->head = p->len = 0;
	waitq_wake(&p->rq, 0);
	waitq_wake(&p->wq, 0);
}

static void pipe_inode_release(struct inode *in)
{
	pipe_free(in->priv);
}

void pipe_free(struct pipe *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

static struct pipe *pipe_new(void)
{
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->buf = malloc(PIPE_SIZE);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	return p;
}

/* A reopen through /proc/[pid]/fd/N: one more reader or writer. */
static int pipe_open(struct inode *in, struct file *f)
{
	struct pipe *p = in->priv;
	int acc = f->flags & O_ACCMODE;
	f->priv = p;
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
	struct pipe *p = pipe_new();
	if (!p)
		return -ENOMEM;
	struct inode *in = inode_new(&pipefs, &pipe_iops, &pipe_fops, S_IFIFO | 0600);
	if (!in) {
		pipe_free(p);
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
	(*rd)->priv = (*wr)->priv = p;
	p->readers = p->writers = 1;
	return 0;
}

/* Named pipes */

/* Sleeps until the other side's open counter moves away from seen. */
static int fifo_wait(struct pipe *p, struct waitq *q, const unsigned *counter, unsigned seen)
{
	struct task *t = current_task();
	while (*counter == seen) {
		struct waiter w;
		waitq_add(q, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
	return 0;
}

int pipe_fifo_open(struct pipe **slot, struct file *f)
{
	if (!*slot && !(*slot = pipe_new()))
		return -ENOMEM;
	struct pipe *p = *slot;
	p->fifo = 1;
	int acc = f->flags & O_ACCMODE, nb = f->flags & O_NONBLOCK;
	f->ops = &pipe_fops;
	f->priv = p;
	switch (acc) {
	case O_RDONLY:
		p->readers++;
		p->r_counter++;
		waitq_wake(&p->wq, 0);
		if (!p->writers && !nb) {
			if (fifo_wait(p, &p->rq, &p->w_counter, p->w_counter)) {
				p->readers--;
				return -ERESTARTSYS;
			}
		}
		break;
	case O_WRONLY:
		if (!p->readers && nb)
			return -ENXIO;
		p->writers++;
		p->w_counter++;
		waitq_wake(&p->rq, 0);
		if (!p->readers) {
			if (fifo_wait(p, &p->wq, &p->r_counter, p->r_counter)) {
				p->writers--;
				if (!p->readers && !p->writers)
					p->head = p->len = 0;
				return -ERESTARTSYS;
			}
		}
		break;
	case O_RDWR:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		waitq_wake(&p->rq, 0);
		waitq_wake(&p->wq, 0);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* splice and tee */

struct pipe *pipe_of(struct file *f)
{
	return f && f->ops == &pipe_fops ? f->priv : NULL;
}

long pipe_wait_readable(struct pipe *p, int nonblock)
{
	struct task *t = current_task();
	while (!p->len) {
		if (!p->writers)
			return 0;
		if (nonblock)
			return -EAGAIN;
		struct waiter w;
		waitq_add(&p->rq, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
	return (long)p->len;
}

long pipe_wait_writable(struct pipe *p, int nonblock)
{
	struct task *t = current_task();
	for (;;) {
		if (!p->readers) {
			struct linux_siginfo si = {.si_signo = SIGPIPE, .si_code = SI_USER};
			signal_send(t->proc, t, &si);
			return -EPIPE;
		}
		if (p->len < PIPE_SIZE)
			return (long)(PIPE_SIZE - p->len);
		if (nonblock)
			return -EAGAIN;
		struct waiter w;
		waitq_add(&p->wq, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
}

size_t pipe_peek(struct pipe *p, void *buf, size_t len)
{
	size_t n = len < p->len ? len : p->len;
	size_t first = PIPE_SIZE - p->head;
	if (first > n)
		first = n;
	memcpy(buf, p->buf + p->head, first);
	memcpy((char *)buf + first, p->buf, n - first);
	return n;
}

void pipe_consume(struct pipe *p, size_t n)
{
	if (n > p->len)
		n = p->len;
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	if (n)
		waitq_wake(&p->wq, 0);
}

size_t pipe_put(struct pipe *p, const void *buf, size_t len)
{
	size_t space = PIPE_SIZE - p->len;
	size_t n = len < space ? len : space;
	size_t tail = (p->head + p->len) % PIPE_SIZE;
	size_t first = PIPE_SIZE - tail;
	if (first > n)
		first = n;
	memcpy(p->buf + tail, buf, first);
	memcpy(p->buf, (const char *)buf + first, n - first);
	p->len += n;
	if (n)
		waitq_wake(&p->rq, 0);
	return n;
}
