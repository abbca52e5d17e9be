/* signalfd: reads the reader's pending signals of a mask as struct
 * signalfd_siginfo. The signals are those pending for the task that reads
 * (or polls): its own queue and its process's. signal_send calls
 * signalfd_notify after queuing so blocked readers and pollers look again. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo size");

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

struct signalfd {
	uint64_t mask;
};

/* Every signalfd reader and poller waits here: signals are few. */
static struct waitq signalfd_q;

static const struct file_ops signalfd_fops;

void signalfd_notify(void)
{
	waitq_wake(&signalfd_q, 0);
}

/* Linux's signalfd_copyinfo: the fields that the siginfo's layout has. */
static void to_ssi(const struct linux_siginfo *si, struct signalfd_siginfo *o)
{
	memset(o, 0, sizeof(*o));
	o->ssi_signo = (uint32_t)si->si_signo;
	o->ssi_errno = si->si_errno;
	o->ssi_code = si->si_code;
	int sig = si->si_signo, code = si->si_code;
	if (code > SI_USER && code < SI_KERNEL) {
		if (sig == SIGCHLD) {
			o->ssi_pid = (uint32_t)si->chld.pid;
			o->ssi_uid = si->chld.uid;
			o->ssi_status = si->chld.status;
			o->ssi_utime = (uint64_t)si->chld.utime;
			o->ssi_stime = (uint64_t)si->chld.stime;
		} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
			   sig == SIGTRAP) {
			o->ssi_addr = si->fault.addr;
		} else if (sig == SIGSYS) {
			o->ssi_call_addr = si->sys.call_addr;
			o->ssi_syscall = si->sys.syscall;
			o->ssi_arch = si->sys.arch;
		} else {
			o->ssi_band = (uint32_t)si->poll.band;
			o->ssi_fd = si->poll.fd;
		}
	} else if (code == SI_TIMER) {
		o->ssi_tid = (uint32_t)si->timer.tid;
		o->ssi_overrun = (uint32_t)si->timer.overrun;
		o->ssi_ptr = si->timer.value;
		o->ssi_int = (int32_t)si->timer.value;
	} else if (code == SI_SIGIO) {
		o->ssi_band = (uint32_t)si->poll.band;
		o->ssi_fd = si->poll.fd;
	} else if (code < 0) {
		o->ssi_pid = (uint32_t)si->rt.pid;
		o->ssi_uid = si->rt.uid;
		o->ssi_ptr = si->rt.value;
		o->ssi_int = (int32_t)si->rt.value;
	} else {
		o->ssi_pid = (uint32_t)si->kill.pid;
		o->ssi_uid = si->kill.uid;
	}
}

static uint64_t pending_of(struct task *t)
{
	return t->pending.set | t->proc->pending.set;
}

static long signalfd_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct signalfd *s = f->priv;
	struct task *t = current_task();
	if (len < sizeof(struct signalfd_siginfo))
		return -EINVAL;
	size_t done = 0;
	while (done + sizeof(struct signalfd_siginfo) <= len) {
		struct linux_siginfo si;
		if (!signal_dequeue_mask(t, s->mask, &si)) {
			if (done)
				break;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			struct waiter w;
			waitq_add(&signalfd_q, &w, t, 0);
			int err = (pending_of(t) & s->mask) ? 0 : task_block(t, 0, 1);
			waitq_del(&w);
			if (err)
				return -ERESTARTSYS;
			continue;
		}
		struct signalfd_siginfo o;
		to_ssi(&si, &o);
		memcpy((char *)buf + done, &o, sizeof(o));
		done += sizeof(o);
	}
	return (long)done;
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd *s = f->priv;
	struct task *t = current_task();
	poll_wait_on(pt, &signalfd_q, 0);
	return t && (pending_of(t) & s->mask) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	free(f->priv);
}

static const struct file_ops signalfd_fops = {
    .read = signalfd_read,
    .poll = signalfd_poll,
    .release = signalfd_release,
};

int signalfd_new(uint64_t mask, int flags, struct file **out)
{
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	struct signalfd *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->mask = mask & ~UNBLOCKABLE;
	*out = anon_file_new("anon_inode:[signalfd]", &signalfd_fops, s,
			     O_RDWR | (flags & SFD_NONBLOCK ? O_NONBLOCK : 0));
	if (!*out) {
		free(s);
		return -ENOMEM;
	}
	return 0;
}

int signalfd_set_mask(struct file *f, uint64_t mask)
{
	if (f->ops != &signalfd_fops)
		return -EINVAL;
	struct signalfd *s = f->priv;
	s->mask = mask & ~UNBLOCKABLE;
	signalfd_notify();
	return 0;
}
