/* timerfd: a timer whose expirations are read as a 64-bit count.
 *
 * The next expiry is kept on the timer's own clock; a kernel timer
 * (ktimer.h) at the matching monotonic time wakes readers and pollers. The
 * count is also brought up to date whenever the file is read or polled, so
 * it is right even before the scheduler gets around to the kernel timer. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>

#include "sentry/fs/anon/anon.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/kernel/ktimer.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define NSEC 1000000000LL

struct timerfd {
	int clock;	  /* host clock id */
	int64_t next;	  /* next expiry on clock, 0 = disarmed */
	int64_t interval; /* 0 = one shot */
	uint64_t ticks;	  /* expirations not read yet */
	struct waitq q;
	struct ktimer kt;
};

static const struct file_ops timerfd_fops;

/* Counts the expirations up to now and arms the kernel timer for the next. */
static void tfd_update(struct timerfd *tf)
{
	if (!tf->next)
		return;
	int64_t now = clock_now_ns(tf->clock);
	if (now >= tf->next) {
		uint64_t n = 1;
		if (tf->interval) {
			n += (uint64_t)((now - tf->next) / tf->interval);
			tf->next += (int64_t)n * tf->interval;
		} else {
			tf->next = 0;
		}
		tf->ticks += n;
		waitq_wake(&tf->q, 0);
	}
	if (tf->next)
		ktimer_arm(&tf->kt, clock_to_mono_ns(tf->clock, tf->next));
	else
		ktimer_cancel(&tf->kt);
}

static void tfd_fire(struct ktimer *kt, int64_t now)
{
	struct timerfd *tf = (struct timerfd *)((char *)kt - offsetof(struct timerfd, kt));
	tfd_update(tf);
	/* The host clocks may disagree by a hair: try again shortly. */
	if (tf->next && !tf->kt.deadline_ns)
		ktimer_arm(&tf->kt, now + 1000);
	else if (tf->next && tf->kt.deadline_ns <= now)
		ktimer_arm(&tf->kt, now + 1000);
}

static long timerfd_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct timerfd *tf = f->priv;
	if (len < 8)
		return -EINVAL;
	for (;;) {
		tfd_update(tf);
		if (tf->ticks)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		struct task *t = current_task();
		struct waiter w;
		waitq_add(&tf->q, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
	memcpy(buf, &tf->ticks, 8);
	tf->ticks = 0;
	return 8;
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *tf = f->priv;
	tfd_update(tf);
	poll_wait_on(pt, &tf->q, 0);
	return tf->ticks ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *tf = f->priv;
	ktimer_cancel(&tf->kt);
	free(tf);
}

static const struct file_ops timerfd_fops = {
    .read = timerfd_read,
    .poll = timerfd_poll,
    .release = timerfd_release,
};

static int host_clock(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
		return CLOCK_REALTIME;
	case CLOCK_MONOTONIC:
		return CLOCK_MONOTONIC;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return CLOCK_BOOTTIME;
	default:
		return -1;
	}
}

int timerfd_new(int clockid, int flags, struct file **out)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	int clk = host_clock(clockid);
	if (clk < 0)
		return -EINVAL;
	struct timerfd *tf = calloc(1, sizeof(*tf));
	if (!tf)
		return -ENOMEM;
	tf->clock = clk;
	tf->kt.fire = tfd_fire;
	*out = anon_file_new("anon_inode:[timerfd]", &timerfd_fops, tf,
			     O_RDWR | (flags & TFD_NONBLOCK ? O_NONBLOCK : 0));
	if (!*out) {
		free(tf);
		return -ENOMEM;
	}
	return 0;
}

static int valid_ts(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC;
}

int timerfd_get(struct file *f, struct linux_itimerspec *cur)
{
	if (f->ops != &timerfd_fops)
		return -EINVAL;
	struct timerfd *tf = f->priv;
	tfd_update(tf);
	int64_t left = 0;
	if (tf->next) {
		left = tf->next - clock_now_ns(tf->clock);
		if (left <= 0)
			left = 1;
	}
	cur->value = ns_to_ts(left);
	cur->interval = ns_to_ts(tf->interval);
	return 0;
}

int timerfd_set(struct file *f, int flags, const struct linux_itimerspec *nv,
		struct linux_itimerspec *old)
{
	if (f->ops != &timerfd_fops)
		return -EINVAL;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (!valid_ts(&nv->value) || !valid_ts(&nv->interval))
		return -EINVAL;
	struct timerfd *tf = f->priv;
	if (old)
		timerfd_get(f, old);
	int64_t value = ts_to_ns(&nv->value);
	tf->ticks = 0;
	tf->interval = ts_to_ns(&nv->interval);
	if (!value)
		tf->next = 0;
	else if (flags & TFD_TIMER_ABSTIME)
		tf->next = value;
	else
		tf->next = clock_now_ns(tf->clock) + value;
	tfd_update(tf); /* an absolute time in the past expires at once */
	return 0;
}
