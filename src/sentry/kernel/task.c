/* Task life: creation of the init task, the task loop, and freeing. */
#include "sentry/kernel/task.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include "lib/log.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/internal.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

int init_exit_status;

struct task *task_alloc(struct process *p, struct plat_thread *pt, pid_t tid)
{
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (coro_init(&t->coro, TASK_STACK_SIZE, task_main, t) < 0) {
		free(t);
		return NULL;
	}
	t->tid = tid;
	t->proc = p;
	t->plat = pt;
	pt->owner = t;
	memcpy(t->comm, p->comm, sizeof(t->comm));
	return t;
}

/* Makes t visible (pid table, thread list) and runnable. */
void task_link(struct task *t)
{
	struct process *p = t->proc;
	pid_set_task(t->tid, t);
	t->thread_next = p->threads;
	p->threads = t;
	p->nthreads++;
	t->all_next = all_tasks;
	all_tasks = t;
	nr_tasks++;
	t->state = TASK_BLOCKED;
	task_wake(t);
}

void task_free(struct task *t)
{
	coro_destroy(&t->coro);
	free(t);
}

int task_start_init(struct plat_thread *pt, struct mm *mm, struct fd_table *files,
		    struct fs_context *fs, pid_t *out_pid)
{
	struct process *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->refs = 1;
	p->sighand = calloc(1, sizeof(*p->sighand));
	if (!p->sighand) {
		free(p);
		return -ENOMEM;
	}
	p->sighand->refs = 1;
	pid_t pid = pid_alloc();
	p->pid = pid;
	p->pgid = pid;
	p->sid = pid;
	p->exit_signal = SIGCHLD;
	p->start_ns = now_ns();
	/* root inside the sandbox, with the full capability set */
	p->creds.cap_eff = p->creds.cap_perm = p->creds.cap_bnd = (1ULL << 41) - 1;
	for (int i = 0; i < 16; i++)
		p->rlim[i].cur = p->rlim[i].max = ~0ULL;
	p->rlim[RLIMIT_NOFILE].cur = 1024;
	p->rlim[RLIMIT_NOFILE].max = 4096;
	p->rlim[RLIMIT_STACK].cur = 8 << 20;
	p->rlim[RLIMIT_NPROC].cur = p->rlim[RLIMIT_NPROC].max = (uint64_t)pid_max_tasks;
	p->rlim[RLIMIT_CORE].cur = 0;
	p->rlim[RLIMIT_SIGPENDING].cur = p->rlim[RLIMIT_SIGPENDING].max = 1024;
	p->rlim[RLIMIT_MSGQUEUE].cur = p->rlim[RLIMIT_MSGQUEUE].max = 819200;
	p->rlim[RLIMIT_MEMLOCK].cur = p->rlim[RLIMIT_MEMLOCK].max = 8 << 20;
	pid_set_process(pid, p);
	struct task *t = task_alloc(p, pt, pid);
	if (!t)
		return -ENOMEM;
	t->mm = mm;
	t->files = files;
	t->fs = fs;
	task_link(t);
	*out_pid = pid;
	return 0;
}

/* A host signal the thread got while running application code: a fault. */
static void handle_host_signal(struct task *t)
{
	siginfo_t *si = &t->plat->siginfo;
	int sig = si->si_signo;
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGTRAP:
		signal_force(t, sig, si->si_code, (uint64_t)si->si_addr);
		break;
	default:
		/* Nothing else is sent to stubs by anyone but us; drop it. */
		log_debug("task %d: host signal %d dropped", t->tid, sig);
		break;
	}
}

void task_main(void *arg)
{
	struct task *t = arg;
	for (;;) {
		signal_deliver(t);
		int err = plat_resume(t->plat);
		if (err) {
			task_exit_group(t, SIGKILL);
			continue;
		}
		task_wait_user(t);
		switch (t->plat->stop) {
		case STOP_SYSCALL:
			syscall_dispatch(t);
			break;
		case STOP_SIGNAL:
			handle_host_signal(t);
			break;
		case STOP_INTERRUPT:
			break;
		case STOP_EXITED: {
			/* Killed on the host: out of memory, or the stub's seccomp
			 * filter (SIGSYS) when the program used the vsyscall page. */
			int st = t->plat->exit_status;
			task_exit_group(t, WIFSIGNALED(st) ? WTERMSIG(st) : SIGKILL);
			break;
		} break;
		}
	}
}

int creds_set(struct creds *c, uint32_t uid, uint32_t gid, const uint32_t *groups, size_t n,
	      const uint64_t *caps)
{
	if (n > sizeof(c->groups) / sizeof(c->groups[0]))
		return -EINVAL;
	c->ruid = c->euid = c->suid = c->fsuid = uid;
	c->rgid = c->egid = c->sgid = c->fsgid = gid;
	memcpy(c->groups, groups, n * sizeof(*groups));
	c->ngroups = (uint32_t)n;
	if (caps) {
		c->cap_eff = caps[0];
		c->cap_perm = caps[1];
		c->cap_inh = caps[2];
		c->cap_bnd = caps[3];
	} else if (uid) {
		c->cap_eff = c->cap_perm = c->cap_inh = 0;
	}
	return 0;
}
