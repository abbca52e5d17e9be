/* clone, clone3, fork, vfork: new threads and processes. */
#include "sentry/kernel/task.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/container.h"
#include "sentry/kernel/internal.h"
#include "sentry/mm/mm.h"
#include "sentry/syscalls/syscalls.h"

struct clone_req {
	uint64_t flags;
	uint64_t stack;
	uint64_t parent_tid;
	uint64_t child_tid;
	uint64_t tls;
	int exit_signal;
};

static long do_clone(struct task *t, const struct clone_req *c)
{
	uint64_t flags = c->flags;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if (flags & (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC |
		     CLONE_NEWUTS | CLONE_NEWCGROUP))
		return -EPERM; /* nested namespaces are not supported yet */
	if (nr_tasks >= pid_max_tasks)
		return -EAGAIN;
	if (!(flags & CLONE_THREAD)) {
		uint64_t nproc_lim = t->proc->rlim[RLIMIT_NPROC].cur;
		if ((uint64_t)nr_tasks >= nproc_lim)
			return -EAGAIN;
	}
	pid_t tid = pid_alloc();
	if (tid < 0)
		return -EAGAIN;

	struct plat_thread *pt;
	int err;
	if (flags & CLONE_THREAD)
		err = plat_thread_new(t->plat, &pt);
	else
		err = plat_fork(t->plat, !!(flags & CLONE_VM), &pt);
	if (err) {
		pid_free(tid);
		return err == -ENOMEM ? -ENOMEM : -EAGAIN;
	}

	struct process *p = t->proc;
	if (!(flags & CLONE_THREAD)) {
		p = calloc(1, sizeof(*p));
		if (!p)
			goto nomem;
		p->refs = 1;
		p->pid = tid;
		p->pgid = t->proc->pgid;
		p->sid = t->proc->sid;
		p->oom_score_adj = t->proc->oom_score_adj;
		p->creds = t->proc->creds;
		memcpy(p->rlim, t->proc->rlim, sizeof(p->rlim));
		memcpy(p->comm, t->proc->comm, sizeof(p->comm));
		p->exit_signal = (uint32_t)c->exit_signal;
		p->nice = t->proc->nice;
		p->start_ns = now_ns();
		if (flags & CLONE_SIGHAND) {
			p->sighand = t->proc->sighand;
			p->sighand->refs++;
		} else {
			p->sighand = sighand_copy(t->proc->sighand);
		}
		if (!p->sighand) {
			free(p);
			goto nomem;
		}
		p->container = container_get(t->proc->container);
		struct process *parent =
		    (flags & CLONE_PARENT) && t->proc->parent ? t->proc->parent : t->proc;
		process_add_child(parent, p);
		pid_set_process(tid, p);
	}
	struct task *n = task_alloc(p, pt, tid);
	if (!n)
		goto nomem; /* (leaks the fresh process on this rare path) */
	n->mm = (flags & CLONE_VM) ? mm_get(t->mm) : mm_fork(t->mm);
	n->files = (flags & CLONE_FILES) ? (t->files->refs++, t->files) : fdt_copy(t->files);
	n->fs = (flags & CLONE_FS) ? (t->fs->refs++, t->fs) : fs_context_copy(t->fs);
	if (!n->mm || !n->files || !n->fs)
		goto nomem;
	n->sigmask = t->sigmask;
	n->affinity = t->affinity;
	if (!(flags & CLONE_THREAD) || (flags & CLONE_VM))
		n->altstack = (flags & CLONE_VM) && !(flags & CLONE_VFORK) ? (struct linux_stack){0}
									   : t->altstack;
	memcpy(n->comm, t->comm, sizeof(n->comm));

	plat_regs *r = &pt->regs;
	*r = t->plat->regs;
	r->rax = 0;
	if (c->stack)
		r->rsp = c->stack;
	if (flags & CLONE_SETTLS)
		r->fs_base = c->tls;
	pt->regs_dirty = 1;

	if (flags & CLONE_PARENT_SETTID)
		copy_out(t, c->parent_tid, &tid, 4);
	if (flags & CLONE_CHILD_SETTID) /* in the child's memory (a copy after fork) */
		plat_write(pt->as, c->child_tid, &tid, 4);
	if (flags & CLONE_CHILD_CLEARTID)
		n->clear_child_tid = c->child_tid;
	task_link(n);
	if (flags & CLONE_VFORK) {
		n->vfork_parent = t;
		t->proc->vfork_done = 0;
		while (!t->proc->vfork_done)
			task_block(t, 0, 0);
	}
	return tid;
nomem:
	plat_thread_exit(pt);
	pid_free(tid);
	return -ENOMEM;
}

SYSCALL(clone)
{
	/* x86-64 order: flags, stack, parent_tid, child_tid, tls */
	struct clone_req c = {.flags = a[0] & ~0xffULL,
			      .stack = a[1],
			      .parent_tid = a[2],
			      .child_tid = a[3],
			      .tls = a[4],
			      .exit_signal = (int)(a[0] & 0xff)};
	return do_clone(t, &c);
}

SYSCALL(clone3)
{
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	if (a[1] < 64 || a[1] > 4096)
		return -EINVAL;
	size_t n = a[1] < sizeof(ca) ? a[1] : sizeof(ca);
	if (copy_in(t, a[0], &ca, n))
		return -EFAULT;
	if (ca.exit_signal > NSIG_LINUX || ca.set_tid || ca.cgroup)
		return -EINVAL;
	struct clone_req c = {.flags = ca.flags,
			      .stack = ca.stack ? ca.stack + ca.stack_size : 0,
			      .parent_tid = ca.parent_tid,
			      .child_tid = ca.child_tid,
			      .tls = ca.tls,
			      .exit_signal = (int)ca.exit_signal};
	if (ca.flags & CLONE_PIDFD)
		return -EINVAL; /* pidfds are not supported yet */
	return do_clone(t, &c);
}

SYSCALL(fork)
{
	struct clone_req c = {.exit_signal = SIGCHLD};
	return do_clone(t, &c);
}

SYSCALL(vfork)
{
	struct clone_req c = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD};
	return do_clone(t, &c);
}
