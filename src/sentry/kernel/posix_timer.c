/* POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete.
 *
 * Each timer is a kernel timer (ktimer.h) that queues its signal (si_code
 * SI_TIMER, si_timerid, si_value) on expiry, to the process or, with
 * SIGEV_THREAD_ID, to one of its threads. As on Linux a timer has at most one
 * signal queued: an expiry while it is still pending counts an overrun
 * instead. Timers go with their process (process_free) and at execve. CPU
 * time clocks run as CLOCK_MONOTONIC. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sentry/kernel/ktimer.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define NSEC	       1000000000LL
#define DELAYTIMER_MAX 0x7fffffff

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

struct ptimer {
	struct process *proc;
	int id;
	int clock; /* host clock id */
	int notify;
	int signo;
	uint64_t value;
	pid_t tid;    /* SIGEV_THREAD_ID */
	int64_t next; /* on clock; 0 = disarmed */
	int64_t interval;
	int overrun;	  /* of the signal queued last */
	int overrun_last; /* of the signal delivered before it */
	struct ktimer kt;
	struct ptimer *list_next;
};

/* The sigevent prefix Linux reads (struct sigevent is 64 bytes). */
struct linux_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
};

static struct ptimer *ptimers;

static struct ptimer *find(struct process *p, int id)
{
	for (struct ptimer *it = ptimers; it; it = it->list_next)
		if (it->proc == p && it->id == id)
			return it;
	return NULL;
}

static int is_ours(const struct sigqueue_entry *e, const struct ptimer *it)
{
	return e->info.si_code == SI_TIMER && e->info.si_signo == it->signo &&
	       e->info.timer.tid == it->id;
}

/* The timer's signal still queued, or NULL. */
static struct sigqueue_entry *queued(struct ptimer *it)
{
	struct process *p = it->proc;
	for (struct sigqueue_entry *e = p->pending.head; e; e = e->next)
		if (is_ours(e, it))
			return e;
	for (struct task *o = p->threads; o; o = o->thread_next)
		for (struct sigqueue_entry *e = o->pending.head; e; e = e->next)
			if (is_ours(e, it))
				return e;
	return NULL;
}

static void unqueue_from(struct sigpending *q, struct ptimer *it)
{
	int more = 0, found = 0;
	for (struct sigqueue_entry **e = &q->head; *e;) {
		if (is_ours(*e, it)) {
			struct sigqueue_entry *x = *e;
			*e = x->next;
			free(x);
			found = 1;
			continue;
		}
		if ((*e)->info.si_signo == it->signo)
			more = 1;
		e = &(*e)->next;
	}
	if (found && !more)
		q->set &= ~SIGBIT(it->signo);
}

static void send(struct ptimer *it, int64_t missed)
{
	if (it->notify == SIGEV_NONE)
		return;
	struct sigqueue_entry *e = queued(it);
	if (e) {
		int64_t o = (int64_t)it->overrun + 1 + missed;
		it->overrun = o > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)o;
		e->info.timer.overrun = it->overrun;
		return;
	}
	it->overrun_last = it->overrun;
	it->overrun = missed > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)missed;
	struct linux_siginfo si = {.si_signo = it->signo, .si_code = SI_TIMER};
	si.timer.tid = it->id;
	si.timer.overrun = it->overrun;
	si.timer.value = it->value;
	struct task *target = NULL;
	if (it->notify == SIGEV_THREAD_ID) {
		target = task_by_tid(it->tid);
		if (target && (target->proc != it->proc || target->state == TASK_DEAD))
			target = NULL;
	}
	signal_send(it->proc, target, &si);
}

static void arm(struct ptimer *it)
{
	if (it->next)
		ktimer_arm(&it->kt, clock_to_mono_ns(it->clock, it->next));
	else
		ktimer_cancel(&it->kt);
}

static void ptimer_fire(struct ktimer *kt, int64_t mono_now)
{
	struct ptimer *it = (struct ptimer *)((char *)kt - offsetof(struct ptimer, kt));
	int64_t now = clock_now_ns(it->clock);
	if (!it->next)
		return;
	if (now < it->next) {
		/* the clocks disagree by a hair: come back shortly */
		ktimer_arm(kt, mono_now + 1000);
		return;
	}
	int64_t missed = 0;
	if (it->interval) {
		missed = (now - it->next) / it->interval;
		it->next += (missed + 1) * it->interval;
	} else {
		it->next = 0;
	}
	send(it, missed);
	arm(it);
	if (it->next && it->kt.deadline_ns <= mono_now)
		ktimer_arm(kt, mono_now + 1000);
}

static void ptimer_free(struct ptimer *it)
{
	ktimer_cancel(&it->kt);
	if (it->notify != SIGEV_NONE) {
		unqueue_from(&it->proc->pending, it);
		for (struct task *o = it->proc->threads; o; o = o->thread_next)
			unqueue_from(&o->pending, it);
	}
	for (struct ptimer **p = &ptimers; *p; p = &(*p)->list_next) {
		if (*p == it) {
			*p = it->list_next;
			break;
		}
	}
	free(it);
}

void posix_timers_exit(struct process *p)
{
	for (struct ptimer *it = ptimers, *next; it; it = next) {
		next = it->list_next;
		if (it->proc == p)
			ptimer_free(it);
	}
}

static int host_clock(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
		return CLOCK_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return CLOCK_MONOTONIC;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return CLOCK_BOOTTIME;
	case CLOCK_TAI:
		return CLOCK_TAI;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		/* clock_getcpuclockid's clocks (negative ids) are CPU clocks */
		return clockid < 0 ? CLOCK_MONOTONIC : -EINVAL;
	}
}

SYSCALL(timer_create)
{
	int clk = host_clock((int)a[0]);
	if (clk < 0)
		return clk;
	struct linux_sigevent sev = {.signo = SIGALRM, .notify = SIGEV_SIGNAL};
	int has_sev = a[1] != 0;
	if (has_sev && copy_in(t, a[1], &sev, sizeof(sev)))
		return -EFAULT;
	switch (sev.notify) {
	case SIGEV_THREAD_ID: {
		struct task *o = task_by_tid(sev.tid);
		if (!o || o->proc != t->proc)
			return -EINVAL;
	}
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (sev.signo <= 0 || sev.signo > NSIG_LINUX)
			return -EINVAL;
		break;
	case SIGEV_NONE:
		break;
	default:
		return -EINVAL;
	}
	int id = 0;
	while (find(t->proc, id))
		id++;
	struct ptimer *it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->proc = t->proc;
	it->id = id;
	it->clock = clk;
	it->notify = sev.notify;
	it->signo = sev.signo;
	it->value = has_sev ? sev.value : (uint64_t)id;
	it->tid = sev.tid;
	it->kt.fire = ptimer_fire;
	it->list_next = ptimers;
	ptimers = it;
	int32_t uid = id;
	if (copy_out(t, a[2], &uid, sizeof(uid))) {
		ptimer_free(it);
		return -EFAULT;
	}
	return 0;
}

static void get(struct ptimer *it, struct linux_itimerspec *cur)
{
	int64_t left = 0;
	if (it->next) {
		left = it->next - clock_now_ns(it->clock);
		if (left <= 0)
			left = 1;
	}
	cur->value = ns_to_ts(left);
	cur->interval = ns_to_ts(it->interval);
}

static int valid_ts(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC;
}

SYSCALL(timer_settime)
{
	struct ptimer *it = find(t->proc, (int)a[0]);
	struct linux_itimerspec nv, old;
	if (!a[2])
		return -EINVAL;
	if (copy_in(t, a[2], &nv, sizeof(nv)))
		return -EFAULT;
	if (!it)
		return -EINVAL;
	if (!valid_ts(&nv.value) || !valid_ts(&nv.interval))
		return -EINVAL;
	get(it, &old);
	int64_t value = ts_to_ns(&nv.value);
	it->interval = ts_to_ns(&nv.interval);
	if (!value)
		it->next = 0;
	else if (a[1] & TIMER_ABSTIME)
		it->next = value;
	else
		it->next = clock_now_ns(it->clock) + value;
	arm(it);
	if (a[3] && copy_out(t, a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timer_gettime)
{
	struct ptimer *it = find(t->proc, (int)a[0]);
	if (!it)
		return -EINVAL;
	struct linux_itimerspec cur;
	get(it, &cur);
	return copy_out(t, a[1], &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL(timer_getoverrun)
{
	struct ptimer *it = find(t->proc, (int)a[0]);
	if (!it)
		return -EINVAL;
	/* The count of the signal delivered last. */
	return queued(it) ? it->overrun_last : it->overrun;
}

SYSCALL(timer_delete)
{
	struct ptimer *it = find(t->proc, (int)a[0]);
	if (!it)
		return -EINVAL;
	ptimer_free(it);
	return 0;
}
