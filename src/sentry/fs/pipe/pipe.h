/* Pipes: a 64 KiB ring in the Sentry with reader and writer wait queues. */
#ifndef CVISOR_SENTRY_FS_PIPE_PIPE_H
#define CVISOR_SENTRY_FS_PIPE_PIPE_H

#include "sentry/fs/vfs.h"

/* Creates both ends; flags may hold O_NONBLOCK (and O_CLOEXEC, ignored). */
int pipe_create(int flags, struct file **rd, struct file **wr);

/* poll support shared by every file kind */
#include "sentry/kernel/task.h"

struct poll_table {
	struct task *task;
	struct waiter *waiters; /* array owned by the poller */
	int nwaiters, cap;
};
void poll_wait_on(struct poll_table *pt, struct waitq *q, unsigned events);

#endif
