/* eventfd: a 64-bit counter. A read takes the whole count (or one in
 * EFD_SEMAPHORE mode) and blocks at zero; a write adds and blocks while the
 * sum would pass 0xfffffffffffffffe. Readable while the count is non-zero,
 * writable while one more can be added. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define EFD_MAX UINT64_C(0xfffffffffffffffe)

struct eventfd {
	uint64_t count;
	int semaphore;
	struct waitq q; /* readers and writers */
};

static const struct file_ops efd_fops;

static long wait_on(struct file *f, struct eventfd *e)
{
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	struct task *t = current_task();
	struct waiter w;
	waitq_add(&e->q, &w, t, 0);
	int err = task_block(t, 0, 1);
	waitq_del(&w);
	return err ? -ERESTARTSYS : 0;
}

static long efd_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct eventfd *e = f->priv;
	if (len < 8)
		return -EINVAL;
	while (!e->count) {
		long err = wait_on(f, e);
		if (err)
			return err;
	}
	uint64_t v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, 8);
	waitq_wake(&e->q, 0);
	return 8;
}

static long efd_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	if (len < 8)
		return -EINVAL;
	memcpy(&v, buf, 8);
	if (v == UINT64_MAX)
		return -EINVAL;
	while (EFD_MAX - e->count < v) {
		long err = wait_on(f, e);
		if (err)
			return err;
	}
	e->count += v;
	if (v)
		waitq_wake(&e->q, 0);
	return 8;
}

static unsigned efd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->priv;
	poll_wait_on(pt, &e->q, 0);
	unsigned m = 0;
	if (e->count)
		m |= POLLIN | POLLRDNORM;
	if (e->count < EFD_MAX)
		m |= POLLOUT | POLLWRNORM;
	return m;
}

static void efd_release(struct file *f)
{
	free(f->priv);
}

static const struct file_ops efd_fops = {
    .read = efd_read,
    .write = efd_write,
    .poll = efd_poll,
    .release = efd_release,
};

int eventfd_new(uint64_t initval, int flags, struct file **out)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->count = initval;
	e->semaphore = !!(flags & EFD_SEMAPHORE);
	*out = anon_file_new("anon_inode:[eventfd]", &efd_fops, e,
			     O_RDWR | (flags & EFD_NONBLOCK ? O_NONBLOCK : 0));
	if (!*out) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}
