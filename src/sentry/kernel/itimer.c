/* setitimer and alarm(2): per-process timers. ITIMER_REAL sends SIGALRM on
 * a monotonic deadline; ITIMER_VIRTUAL and ITIMER_PROF (SIGVTALRM, SIGPROF)
 * count the stub's CPU time, which the scheduler samples every few
 * milliseconds while one is armed. */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define CPU_SAMPLE_NS 5000000

/* How many itimers have a deadline: the scheduler asks on every wait, so
 * with none armed it must not walk the task list. */
static int armed;

static void arm(struct itimer *it, int64_t next_ns)
{
	armed += (next_ns != 0) - (it->next_ns != 0);
	it->next_ns = next_ns;
}

void itimers_disarm(struct process *p)
{
	arm(&p->itimer_real, 0);
	arm(&p->itimer_cpu[0], 0);
	arm(&p->itimer_cpu[1], 0);
}

int64_t itimers_next(void)
{
	int64_t d = 0;
	if (!armed)
		return 0;
	for (struct task *t = all_tasks; t; t = t->all_next) {
		struct itimer *it = &t->proc->itimer_real;
		if (it->next_ns && (!d || it->next_ns < d))
			d = it->next_ns;
		if (t->proc->itimer_cpu[0].next_ns || t->proc->itimer_cpu[1].next_ns) {
			int64_t s = now_ns() + CPU_SAMPLE_NS;
			if (!d || s < d)
				d = s;
		}
	}
	return d;
}

static void fire_cpu_timers(struct process *p)
{
	static const int sigs[2] = {SIGVTALRM, SIGPROF};
	int64_t cpu = -1;
	for (int i = 0; i < 2; i++) {
		struct itimer *it = &p->itimer_cpu[i];
		if (!it->next_ns)
			continue;
		if (cpu < 0)
			cpu = process_cpu_ns(p);
		if (cpu < it->next_ns)
			continue;
		arm(it, it->interval_ns ? cpu + it->interval_ns : 0);
		struct linux_siginfo si = {.si_signo = sigs[i], .si_code = SI_KERNEL};
		signal_send(p, NULL, &si);
	}
}

void itimers_fire(int64_t now)
{
	if (!armed)
		return;
	for (struct task *t = all_tasks; t; t = t->all_next) {
		struct process *p = t->proc;
		if (t == p->threads && (p->itimer_cpu[0].next_ns || p->itimer_cpu[1].next_ns))
			fire_cpu_timers(p);
		struct itimer *it = &p->itimer_real;
		if (!it->next_ns || it->next_ns > now)
			continue;
		arm(it, it->interval_ns ? now + it->interval_ns : 0);
		struct linux_siginfo si = {.si_signo = SIGALRM, .si_code = SI_TIMER};
		signal_send(p, NULL, &si);
	}
}

static void itimer_get(struct process *p, int which, struct linux_timeval out[2])
{
	struct itimer *it = which == ITIMER_REAL ? &p->itimer_real : &p->itimer_cpu[which - 1];
	int64_t now = which == ITIMER_REAL ? now_ns() : process_cpu_ns(p);
	int64_t left = it->next_ns ? it->next_ns - now : 0;
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
	itimer_get(t->proc, (int)a[0], v);
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
	if (v[1].tv_usec < 0 || v[1].tv_usec >= 1000000 || v[0].tv_usec < 0 ||
	    v[0].tv_usec >= 1000000)
		return -EINVAL;
	int which = (int)a[0];
	itimer_get(t->proc, which, old);
	struct itimer *it =
	    which == ITIMER_REAL ? &t->proc->itimer_real : &t->proc->itimer_cpu[which - 1];
	int64_t val = v[1].tv_sec * 1000000000LL + v[1].tv_usec * 1000;
	int64_t now = which == ITIMER_REAL ? now_ns() : process_cpu_ns(t->proc);
	it->interval_ns = v[0].tv_sec * 1000000000LL + v[0].tv_usec * 1000;
	arm(it, val ? now + val : 0);
	return a[2] && copy_out(t, a[2], old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL(alarm)
{
	struct itimer *it = &t->proc->itimer_real;
	int64_t left = it->next_ns ? it->next_ns - now_ns() : 0;
	it->interval_ns = 0;
	arm(it, a[0] ? now_ns() + (int64_t)a[0] * 1000000000LL : 0);
	return left > 0 ? (left + 500000000) / 1000000000 : 0;
}
