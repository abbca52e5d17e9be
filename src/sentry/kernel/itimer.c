/* ITIMER_REAL and alarm(2): per-process timers that send SIGALRM. The
 * scheduler asks for the next deadline and fires them. */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

int64_t itimers_next(void)
{
	int64_t d = 0;
	for (struct task *t = all_tasks; t; t = t->all_next) {
		struct itimer *it = &t->proc->itimer_real;
		if (it->next_ns && (!d || it->next_ns < d))
			d = it->next_ns;
	}
	return d;
}

void itimers_fire(int64_t now)
{
	for (struct task *t = all_tasks; t; t = t->all_next) {
		struct process *p = t->proc;
		struct itimer *it = &p->itimer_real;
		if (!it->next_ns || it->next_ns > now)
			continue;
		it->next_ns = it->interval_ns ? now + it->interval_ns : 0;
		struct linux_siginfo si = {.si_signo = SIGALRM, .si_code = SI_TIMER};
		signal_send(p, NULL, &si);
	}
}

static void itimer_get(struct process *p, struct linux_timeval out[2])
{
	struct itimer *it = &p->itimer_real;
	int64_t left = it->next_ns ? it->next_ns - now_ns() : 0;
	if (it->next_ns && left <= 0)
		left = 1000;
	out[0].tv_sec = it->interval_ns / 1000000000;
	out[0].tv_usec = it->interval_ns % 1000000000 / 1000;
	out[1].tv_sec = left / 1000000000;
	out[1].tv_usec = left % 1000000000 / 1000;
}

SYSCALL(getitimer)
{
	if (a[0] > 2)
		return -EINVAL;
	struct linux_timeval v[2] = {{0, 0}, {0, 0}};
	if (a[0] == ITIMER_REAL)
		itimer_get(t->proc, v);
	return copy_out(t, a[1], v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	if (a[0] > 2)
		return -EINVAL;
	struct linux_timeval v[2], old[2] = {{0, 0}, {0, 0}};
	if (a[1] && copy_in(t, a[1], v, sizeof(v)))
		return -EFAULT;
	if (!a[1])
		v[0] = v[1] = (struct linux_timeval){0, 0};
	if (v[1].tv_usec < 0 || v[1].tv_usec >= 1000000 || v[0].tv_usec < 0 || v[0].tv_usec >= 1000000)
		return -EINVAL;
	if (a[0] != ITIMER_REAL)
		return a[2] && copy_out(t, a[2], old, sizeof(old)) ? -EFAULT : 0;
	itimer_get(t->proc, old);
	struct itimer *it = &t->proc->itimer_real;
	int64_t val = v[1].tv_sec * 1000000000LL + v[1].tv_usec * 1000;
	it->interval_ns = v[0].tv_sec * 1000000000LL + v[0].tv_usec * 1000;
	it->next_ns = val ? now_ns() + val : 0;
	return a[2] && copy_out(t, a[2], old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL(alarm)
{
	struct itimer *it = &t->proc->itimer_real;
	int64_t left = it->next_ns ? it->next_ns - now_ns() : 0;
	it->interval_ns = 0;
	it->next_ns = a[0] ? now_ns() + (int64_t)a[0] * 1000000000LL : 0;
	return left > 0 ? (left + 500000000) / 1000000000 : 0;
}
