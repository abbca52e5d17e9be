/* poll, ppoll, select, pselect6: one readiness loop over the files' poll
 * operations, blocking on their wait queues. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/fs/vfs.h"
#include "sentry/syscalls/syscalls.h"

#define MAX_POLL 4096

static unsigned file_poll(struct file *f, struct poll_table *pt)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, pt);
	return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

/* Fills revents; returns the number ready, blocking until deadline (0: none,
 * -1: don't block). */
static long do_poll(struct task *t, struct linux_pollfd *fds, size_t n, int64_t deadline)
{
	struct poll_table pt = {.task = t, .cap = (int)(n * 2 + 2)};
	pt.waiters = calloc((size_t)pt.cap, sizeof(struct waiter));
	if (!pt.waiters)
		return -ENOMEM;
	long ready;
	for (;;) {
		ready = 0;
		pt.nwaiters = 0;
		for (size_t i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			struct file *f = fdt_get(t->files, fds[i].fd);
			if (!f) {
				fds[i].revents = POLLNVAL;
				ready++;
				continue;
			}
			unsigned m = file_poll(f, ready ? NULL : &pt);
			file_put(f);
			m &= (unsigned)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
			fds[i].revents = (int16_t)m;
			if (m)
				ready++;
		}
		if (ready || deadline < 0)
			break;
		int err = task_block(t, deadline, 1);
		for (int i = 0; i < pt.nwaiters; i++)
			waitq_del(&pt.waiters[i]);
		if (err == -ETIMEDOUT) {
			ready = 0;
			break;
		}
		if (err) {
			ready = -ERESTARTNOHAND;
			break;
		}
	}
	for (int i = 0; i < pt.nwaiters; i++)
		waitq_del(&pt.waiters[i]);
	free(pt.waiters);
	return ready;
}

static long poll_user(struct task *t, uint64_t ufds, uint64_t n, int64_t deadline)
{
	if (n > MAX_POLL || n > t->proc->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;
	struct linux_pollfd *fds = calloc(n ? n : 1, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	long r = copy_in(t, ufds, fds, n * sizeof(*fds)) ? -EFAULT : do_poll(t, fds, n, deadline);
	if (r >= 0 && copy_out(t, ufds, fds, n * sizeof(*fds)))
		r = -EFAULT;
	free(fds);
	return r;
}

SYSCALL(poll)
{
	int timeout = (int)a[2];
	int64_t deadline = timeout < 0 ? 0 : timeout == 0 ? -1 : now_ns() + timeout * 1000000LL;
	long r = poll_user(t, a[0], a[1], deadline);
	return r == -ERESTARTNOHAND ? -EINTR : r;
}

static long timeout_arg(struct task *t, uint64_t uts, int64_t *deadline)
{
	*deadline = 0;
	if (!uts)
		return 0;
	struct linux_timespec ts;
	if (copy_in(t, uts, &ts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*deadline = (ts.tv_sec == 0 && ts.tv_nsec == 0) ? -1 : now_ns() + ts_to_ns(&ts);
	return 0;
}

static long with_sigmask(struct task *t, uint64_t umask, size_t size)
{
	if (!umask)
		return 0;
	if (size != 8)
		return -EINVAL;
	uint64_t mask;
	if (copy_in(t, umask, &mask, 8))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->has_saved_sigmask = 1;
	t->sigmask = mask & ~(SIGBIT(9) | SIGBIT(19));
	return 0;
}

SYSCALL(ppoll)
{
	int64_t deadline;
	long r = timeout_arg(t, a[2], &deadline);
	if (r)
		return r;
	if ((r = with_sigmask(t, a[3], a[4])))
		return r;
	r = poll_user(t, a[0], a[1], deadline);
	if (r != -ERESTARTNOHAND && t->has_saved_sigmask) {
		t->sigmask = t->saved_sigmask;
		t->has_saved_sigmask = 0;
	}
	return r;
}

static long do_select(struct task *t, int n, uint64_t urd, uint64_t uwr, uint64_t uex,
		      int64_t deadline)
{
	if (n < 0 || n > MAX_POLL)
		return -EINVAL;
	size_t bytes = (size_t)((n + 63) / 64) * 8;
	uint64_t sets[3][MAX_POLL / 64] = {{0}};
	uint64_t uaddr[3] = {urd, uwr, uex};
	for (int k = 0; k < 3; k++)
		if (uaddr[k] && copy_in(t, uaddr[k], sets[k], bytes))
			return -EFAULT;
	struct linux_pollfd *fds = calloc((size_t)n + 1, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	size_t m = 0;
	for (int fd = 0; fd < n; fd++) {
		int16_t ev = 0;
		if (sets[0][fd / 64] & (1ULL << (fd % 64)))
			ev |= POLLIN;
		if (sets[1][fd / 64] & (1ULL << (fd % 64)))
			ev |= POLLOUT;
		if (sets[2][fd / 64] & (1ULL << (fd % 64)))
			ev |= POLLPRI;
		if (!ev)
			continue;
		fds[m].fd = fd;
		fds[m].events = ev;
		m++;
	}
	long r = do_poll(t, fds, m, deadline);
	if (r < 0) {
		free(fds);
		return r;
	}
	memset(sets, 0, sizeof(sets));
	long count = 0;
	for (size_t i = 0; i < m; i++) {
		int fd = fds[i].fd;
		if (fds[i].revents & POLLNVAL) {
			free(fds);
			return -EBADF;
		}
		if (fds[i].revents & (POLLIN | POLLHUP | POLLERR) && (fds[i].events & POLLIN)) {
			sets[0][fd / 64] |= 1ULL << (fd % 64);
			count++;
		}
		if (fds[i].revents & (POLLOUT | POLLERR) && (fds[i].events & POLLOUT)) {
			sets[1][fd / 64] |= 1ULL << (fd % 64);
			count++;
		}
		if (fds[i].revents & POLLPRI && (fds[i].events & POLLPRI)) {
			sets[2][fd / 64] |= 1ULL << (fd % 64);
			count++;
		}
	}
	free(fds);
	for (int k = 0; k < 3; k++)
		if (uaddr[k] && copy_out(t, uaddr[k], sets[k], bytes))
			return -EFAULT;
	return count;
}

SYSCALL(select)
{
	int64_t deadline = 0;
	if (a[4]) {
		struct linux_timeval tv;
		if (copy_in(t, a[4], &tv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		int64_t ns = tv.tv_sec * 1000000000LL + tv.tv_usec * 1000;
		deadline = ns ? now_ns() + ns : -1;
	}
	long r = do_select(t, (int)a[0], a[1], a[2], a[3], deadline);
	return r == -ERESTARTNOHAND ? -EINTR : r;
}

SYSCALL(pselect6)
{
	int64_t deadline;
	long r = timeout_arg(t, a[4], &deadline);
	if (r)
		return r;
	if (a[5]) {
		struct {
			uint64_t ss;
			uint64_t len;
		} sm;
		if (copy_in(t, a[5], &sm, sizeof(sm)))
			return -EFAULT;
		if ((r = with_sigmask(t, sm.ss, sm.len)))
			return r;
	}
	r = do_select(t, (int)a[0], a[1], a[2], a[3], deadline);
	if (r != -ERESTARTNOHAND && t->has_saved_sigmask) {
		t->sigmask = t->saved_sigmask;
		t->has_saved_sigmask = 0;
	}
	return r;
}
