/* Exit, the process tree and wait4/waitid. */
#include "sentry/kernel/task.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/log.h"
#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/futex.h"
#include "sentry/kernel/container.h"
#include "sentry/kernel/internal.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

void process_add_child(struct process *parent, struct process *child)
{
	child->parent = parent;
	child->sibling = parent->children;
	parent->children = child;
}

void process_remove_child(struct process *p)
{
	if (!p->parent)
		return;
	for (struct process **c = &p->parent->children; *c; c = &(*c)->sibling) {
		if (*c == p) {
			*c = p->sibling;
			break;
		}
	}
	p->parent = NULL;
}

void process_free(struct process *p)
{
	process_remove_child(p);
	pid_set_process(p->pid, NULL);
	pid_free(p->pid);
	posix_timers_exit(p);
	sigpending_clear(&p->pending);
	sighand_put(p->sighand);
	container_put(p->container);
	free(p);
}

/* Children of an exiting process go to init (pid 1), or are reaped by
 * nobody once init is gone. */
void process_reparent_children(struct process *p)
{
	struct process *init = process_by_pid(1);
	if (init == p || (init && init->zombie))
		init = NULL;
	while (p->children) {
		struct process *c = p->children;
		p->children = c->sibling;
		for (struct task *ct = c->threads; ct; ct = ct->thread_next) {
			if (ct->pdeathsig) {
				struct linux_siginfo si = {.si_signo = ct->pdeathsig,
							   .si_code = SI_USER};
				signal_send(c, ct, &si);
			}
		}
		c->parent = NULL;
		if (init) {
			process_add_child(init, c);
			if (c->zombie)
				waitq_wake(&init->child_wait, 0);
		} else if (c->zombie) {
			process_free(c);
		}
	}
}

static int parent_ignores_children(struct process *parent)
{
	struct linux_sigaction *sa = &parent->sighand->act[SIGCHLD];
	return sa->handler == (uint64_t)SIG_IGN || (sa->flags & SA_NOCLDWAIT);
}

void process_notify_parent(struct process *p)
{
	struct process *parent = p->parent;
	if (!parent) {
		process_free(p);
		return;
	}
	int st = p->exit_code;
	if (p->exit_signal) {
		struct linux_siginfo si = {.si_signo = (int)p->exit_signal};
		si.si_code =
		    WIFSIGNALED(st) ? (WCOREDUMP(st) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;
		si.chld.pid = p->pid;
		si.chld.status = WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st);
		si.chld.utime = p->utime_ns / 10000000;
		si.chld.stime = p->stime_ns / 10000000;
		signal_send(parent, NULL, &si);
	}
	waitq_wake(&parent->child_wait, 0);
	if (p->exit_signal == SIGCHLD && parent_ignores_children(parent)) {
		process_free(p);
		/* a waiter may now find no children at all */
	}
}

static void kill_sandbox(void)
{
	for (struct task *o = all_tasks; o; o = o->all_next)
		if (o->state != TASK_DEAD && !o->proc->exiting)
			signal_kill_proc(o->proc, SIGKILL, NULL);
}

static void process_exit(struct process *p)
{
	p->zombie = 1;
	itimers_disarm(p);
	if (p->pid == 1) {
		init_exit_status = p->exit_code;
		kill_sandbox();
	}
	container_process_exited(p->container, p);
	if (p->pid == p->sid)
		devpts_session_end(p->sid);
	process_reparent_children(p);
	process_notify_parent(p);
}

void task_release_vfork(struct task *t)
{
	struct task *parent = t->vfork_parent;
	if (!parent)
		return;
	t->vfork_parent = NULL;
	parent->proc->vfork_done = 1;
	task_wake(parent);
}

static void unlink_task(struct task *t)
{
	struct process *p = t->proc;
	for (struct task **q = &p->threads; *q; q = &(*q)->thread_next) {
		if (*q == t) {
			*q = t->thread_next;
			break;
		}
	}
	p->nthreads--;
	for (struct task **q = &all_tasks; *q; q = &(*q)->all_next) {
		if (*q == t) {
			*q = t->all_next;
			break;
		}
	}
	pid_set_task(t->tid, NULL);
	if (t->tid != p->pid)
		pid_free(t->tid);
	nr_tasks--;
}

void task_exit(struct task *t, int code)
{
	struct process *p = t->proc;
	if (t->clear_child_tid && t->mm) {
		uint32_t zero = 0;
		if (copy_out(t, t->clear_child_tid, &zero, 4) == 0)
			futex_wake(t, t->clear_child_tid, 1, ~0U);
	}
	futex_exit_robust(t);
	task_release_vfork(t);
	if (!p->exiting && p->nthreads == 1)
		p->exit_code = code;
	if (p->nthreads == 1)
		p->utime_ns = process_cpu_ns(p); /* before the stub goes */
	unlink_task(t);
	plat_thread_exit(t->plat);
	t->plat = NULL;
	if (t->mm)
		mm_put(t->mm);
	t->mm = NULL;
	fdt_put(t->files);
	t->files = NULL;
	fs_context_put(t->fs);
	t->fs = NULL;
	sigpending_clear(&t->pending);
	if (p->nthreads == 0)
		process_exit(p);
	t->state = TASK_DEAD;
	struct coro dummy;
	/* The scheduler frees t once we have left its stack. */
	extern struct coro *sched_coro(void);
	coro_switch(&dummy, sched_coro());
	abort();
}

void task_exit_group(struct task *t, int status)
{
	struct process *p = t->proc;
	if (!p->exiting) {
		p->exiting = 1;
		p->exit_code = status;
		for (struct task *o = p->threads; o; o = o->thread_next) {
			if (o == t)
				continue;
			if (o->state == TASK_BLOCKED) {
				o->interrupted = 1;
				task_wake(o);
			} else if (o->state == TASK_USER) {
				plat_interrupt(o->plat);
			}
		}
	}
	task_exit(t, status);
}

void task_kill_other_threads(struct task *t)
{
	struct process *p = t->proc;
	for (struct task *o = p->threads; o; o = o->thread_next) {
		if (o == t)
			continue;
		o->exec_kill = 1;
		if (o->state == TASK_BLOCKED) {
			o->interrupted = 1;
			task_wake(o);
		} else if (o->state == TASK_USER) {
			plat_interrupt(o->plat);
		}
	}
	while (p->nthreads > 1)
		task_block(t, now_ns() + 1000000, 0);
	if (t->tid != p->pid) {
		pid_set_task(t->tid, NULL);
		pid_free(t->tid);
		t->tid = p->pid;
		pid_set_task(t->tid, t);
	}
}

/* wait4/waitid */

static int child_matches(struct task *t, struct process *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == t->proc->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return 1;
}

struct wait_result {
	pid_t pid;
	int status;
	int code; /* CLD_* for waitid */
	uint32_t uid;
	int64_t utime, stime;
};

/* One pass over the children; returns 1 with *res filled, 0 if some child
 * could still report, -ECHILD if none matches. */
static int wait_scan(struct task *t, pid_t pid, int options, struct wait_result *res)
{
	int any = 0;
	for (struct process *c = t->proc->children; c; c = c->sibling) {
		if (!child_matches(t, c, pid))
			continue;
		any = 1;
		if (c->zombie && (options & WEXITED)) {
			int st = c->exit_code;
			res->pid = c->pid;
			res->status = st;
			res->code = WIFSIGNALED(st) ? (WCOREDUMP(st) ? CLD_DUMPED : CLD_KILLED)
						    : CLD_EXITED;
			res->utime = c->utime_ns;
			res->stime = c->stime_ns;
			if (!(options & WNOWAIT)) {
				t->proc->cutime_ns += c->utime_ns + c->cutime_ns;
				t->proc->cstime_ns += c->stime_ns + c->cstime_ns;
				process_free(c);
			}
			return 1;
		}
		if (c->stop_report == 'S' && (options & WSTOPPED)) {
			res->pid = c->pid;
			res->status = (c->stop_sig << 8) | 0x7f;
			res->code = CLD_STOPPED;
			if (!(options & WNOWAIT))
				c->stop_report = 0;
			return 1;
		}
		if (c->stop_report == 'C' && (options & WCONTINUED)) {
			res->pid = c->pid;
			res->status = 0xffff;
			res->code = CLD_CONTINUED;
			if (!(options & WNOWAIT))
				c->stop_report = 0;
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

static long do_wait(struct task *t, pid_t pid, int options, struct wait_result *res)
{
	for (;;) {
		int r = wait_scan(t, pid, options, res);
		if (r)
			return r < 0 ? r : res->pid;
		if (options & WNOHANG)
			return 0;
		struct waiter w;
		waitq_add(&t->proc->child_wait, &w, t, 0);
		int err = task_block(t, 0, 1);
		waitq_del(&w);
		if (err)
			return -ERESTARTSYS;
	}
}

SYSCALL(wait4)
{
	pid_t pid = (pid_t)a[0];
	int options = (int)a[2];
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	struct wait_result res = {0};
	int wopts = WEXITED | (options & WNOHANG) | (options & WUNTRACED ? WSTOPPED : 0) |
		    (options & WCONTINUED);
	long r = do_wait(t, pid, wopts, &res);
	if (r <= 0)
		return r;
	if (a[1] && copy_out(t, a[1], &res.status, 4))
		return -EFAULT;
	if (a[3]) {
		struct linux_rusage ru = {0};
		ru.utime.tv_sec = res.utime / 1000000000LL;
		ru.utime.tv_usec = res.utime % 1000000000LL / 1000;
		ru.stime.tv_sec = res.stime / 1000000000LL;
		ru.stime.tv_usec = res.stime % 1000000000LL / 1000;
		if (copy_out(t, a[3], &ru, sizeof(ru)))
			return -EFAULT;
	}
	return r;
}

SYSCALL(waitid)
{
	int idtype = (int)a[0];
	pid_t id = (pid_t)a[1];
	int options = (int)a[3];
	pid_t pid;
	switch (idtype) {
	case P_ALL:
		pid = -1;
		break;
	case P_PID:
		pid = id;
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		pid = id ? -id : 0;
		if (id < 0)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WALL | __WCLONE |
			__WNOTHREAD))
		return -EINVAL;
	struct wait_result res = {0};
	long r = do_wait(t, pid, options, &res);
	if (r < 0)
		return r;
	if (a[2]) {
		struct linux_siginfo si = {0};
		if (r > 0) {
			si.si_signo = SIGCHLD;
			si.si_code = res.code;
			si.chld.pid = res.pid;
			si.chld.status = res.code == CLD_EXITED	     ? WEXITSTATUS(res.status)
					 : res.code == CLD_STOPPED   ? (res.status >> 8) & 0xff
					 : res.code == CLD_CONTINUED ? SIGCONT
								     : WTERMSIG(res.status);
		}
		if (copy_out(t, a[2], &si, sizeof(si)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL(exit)
{
	task_exit(t, ((int)a[0] & 0xff) << 8);
	return 0;
}

SYSCALL(exit_group)
{
	task_exit_group(t, ((int)a[0] & 0xff) << 8);
	return 0;
}
