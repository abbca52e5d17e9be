/* eventfd, timerfd and signalfd: the system calls over fs/anon. */
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/fdtable.h"
#include "sentry/syscalls/syscalls.h"

static long install_new(struct task *t, int err, struct file *f, int cloexec)
{
	return err ? err : fd_install(t, f, cloexec);
}

SYSCALL(eventfd2)
{
	struct file *f = NULL;
	int flags = (int)a[1];
	int err = eventfd_new((uint32_t)a[0], flags, &f);
	return install_new(t, err, f, !!(flags & EFD_CLOEXEC));
}

SYSCALL(eventfd)
{
	uint64_t b[6] = {a[0], 0};
	return sys_eventfd2(t, b);
}

SYSCALL(timerfd_create)
{
	struct file *f = NULL;
	int flags = (int)a[1];
	int err = timerfd_new((int)a[0], flags, &f);
	return install_new(t, err, f, !!(flags & TFD_CLOEXEC));
}

SYSCALL(timerfd_settime)
{
	struct linux_itimerspec nv, old;
	if (copy_in(t, a[2], &nv, sizeof(nv)))
		return -EFAULT;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = timerfd_set(f, (int)a[1], &nv, a[3] ? &old : NULL);
	file_put(f);
	if (!r && a[3] && copy_out(t, a[3], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

SYSCALL(timerfd_gettime)
{
	struct linux_itimerspec cur;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	long r = timerfd_get(f, &cur);
	file_put(f);
	if (!r && copy_out(t, a[1], &cur, sizeof(cur)))
		return -EFAULT;
	return r;
}

SYSCALL(signalfd4)
{
	int fd = (int)a[0], flags = (int)a[3];
	uint64_t mask;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (a[2] != 8)
		return -EINVAL;
	if (copy_in(t, a[1], &mask, 8))
		return -EFAULT;
	if (fd != -1) {
		struct file *f = fdt_get(t->files, fd);
		if (!f)
			return -EBADF;
		long r = signalfd_set_mask(f, mask);
		file_put(f);
		return r ? r : fd;
	}
	struct file *f = NULL;
	int err = signalfd_new(mask, flags, &f);
	return install_new(t, err, f, !!(flags & SFD_CLOEXEC));
}

SYSCALL(signalfd)
{
	uint64_t b[6] = {a[0], a[1], a[2], 0};
	return sys_signalfd4(t, b);
}
