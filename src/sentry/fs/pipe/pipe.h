/* Pipes: a 64 KiB ring in the Sentry with reader and writer wait queues. */
#ifndef CVISOR_SENTRY_FS_PIPE_PIPE_H
#define CVISOR_SENTRY_FS_PIPE_PIPE_H

#include "sentry/fs/vfs.h"

/* Creates both ends; flags may hold O_NONBLOCK (and O_CLOEXEC, ignored). */
int pipe_create(int flags, struct file **rd, struct file **wr);

/* An open pipe's files keep the pipe in f->priv. */
struct pipe;

/* Opens a named pipe (FIFO) whose pipe lives in *slot (created on the first
 * open; the owner of slot frees it with pipe_free). Sets f->ops/f->priv.
 * O_RDONLY waits for a writer, O_WRONLY for a reader (O_NONBLOCK: no
 * reader is ENXIO), O_RDWR never waits; -ERESTARTSYS when interrupted. */
int pipe_fifo_open(struct pipe **slot, struct file *f);
void pipe_free(struct pipe *p);

/* For splice/tee/vmsplice: the pipe behind f, or NULL. */
struct pipe *pipe_of(struct file *f);
/* Waits for data: bytes buffered, 0 at EOF (no writers), -EAGAIN, -ERESTARTSYS. */
long pipe_wait_readable(struct pipe *p, int nonblock);
/* Waits for room: bytes free; -EPIPE (SIGPIPE sent) without readers,
 * -EAGAIN, -ERESTARTSYS. */
long pipe_wait_writable(struct pipe *p, int nonblock);
/* Copies up to len buffered bytes out without consuming them. */
size_t pipe_peek(struct pipe *p, void *buf, size_t len);
/* Drops n buffered bytes (wakes writers). */
void pipe_consume(struct pipe *p, size_t n);
/* Appends what fits of buf (wakes readers); returns the bytes taken. */
size_t pipe_put(struct pipe *p, const void *buf, size_t len);

/* poll support shared by every file kind */
#include "sentry/kernel/task.h"

struct poll_table {
	struct task *task;
	struct waiter *waiters; /* array owned by the poller */
	int nwaiters, cap;
};
void poll_wait_on(struct poll_table *pt, struct waitq *q, unsigned events);

#endif
