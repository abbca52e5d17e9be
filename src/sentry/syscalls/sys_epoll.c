/* epoll_create, epoll_ctl and the epoll_wait family over fs/anon/epoll.c. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/fdtable.h"
#include "sentry/syscalls/syscalls.h"

#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct linux_epoll_event))

SYSCALL(epoll_create1)
{
	struct file *f = NULL;
	int err = epoll_create_file((int)a[0], &f);
	return err ? err : fd_install(t, f, !!((int)a[0] & EPOLL_CLOEXEC));
}

SYSCALL(epoll_create)
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	uint64_t b[6] = {0};
	return sys_epoll_create1(t, b);
}

SYSCALL(epoll_ctl)
{
	int op = (int)a[1], fd = (int)a[2];
	struct linux_epoll_event ev;
	if (op != EPOLL_CTL_DEL && copy_in(t, a[3], &ev, sizeof(ev)))
		return -EFAULT;
	struct file *ep = fdt_get(t->files, (int)a[0]);
	if (!ep)
		return -EBADF;
	struct file *f = fdt_get(t->files, fd);
	long r = f ? epoll_ctl_file(ep, op, fd, f, op == EPOLL_CTL_DEL ? NULL : &ev) : -EBADF;
	file_put(f);
	file_put(ep);
	return r;
}

static long do_wait(struct task *t, int epfd, uint64_t uevents, int max, int64_t deadline)
{
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	struct file *ep = fdt_get(t->files, epfd);
	if (!ep)
		return -EBADF;
	if (!epoll_is(ep)) {
		file_put(ep);
		return -EINVAL;
	}
	/* Room for what can be ready: at most one event per item. */
	int cap = max < 1024 ? max : 1024;
	struct linux_epoll_event *out = calloc((size_t)cap, sizeof(*out));
	if (!out) {
		file_put(ep);
		return -ENOMEM;
	}
	long r = epoll_wait_file(t, ep, out, cap, deadline);
	if (r > 0 && copy_out(t, uevents, out, (size_t)r * sizeof(*out)))
		r = -EFAULT;
	free(out);
	file_put(ep);
	return r;
}

static int64_t ms_deadline(int timeout)
{
	return timeout < 0 ? 0 : timeout == 0 ? -1 : now_ns() + timeout * 1000000LL;
}

SYSCALL(epoll_wait)
{
	return do_wait(t, (int)a[0], a[1], (int)a[2], ms_deadline((int)a[3]));
}

/* The epoll_pwait mask: kept while a signal that interrupted the wait is
 * handled, as ppoll's. */
static long wait_masked(struct task *t, const uint64_t *a, int64_t deadline)
{
	if (a[4]) {
		uint64_t mask;
		if (a[5] != 8)
			return -EINVAL;
		if (copy_in(t, a[4], &mask, 8))
			return -EFAULT;
		t->saved_sigmask = t->sigmask;
		t->has_saved_sigmask = 1;
		t->sigmask = mask & ~(SIGBIT(9) | SIGBIT(19));
	}
	long r = do_wait(t, (int)a[0], a[1], (int)a[2], deadline);
	if (r != -EINTR && t->has_saved_sigmask) {
		t->sigmask = t->saved_sigmask;
		t->has_saved_sigmask = 0;
	}
	return r;
}

SYSCALL(epoll_pwait)
{
	return wait_masked(t, a, ms_deadline((int)a[3]));
}

SYSCALL(epoll_pwait2)
{
	int64_t deadline = 0;
	if (a[3]) {
		struct linux_timespec ts;
		if (copy_in(t, a[3], &ts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = (ts.tv_sec == 0 && ts.tv_nsec == 0) ? -1 : now_ns() + ts_to_ns(&ts);
	}
	return wait_masked(t, a, deadline);
}
