/* Signals, fully virtual: queues, masks, default actions, handler frames
 * (with the XSAVE state), sigreturn, and system call restart. Host signals
 * never reach the application: faults come in as platform stops and are
 * turned into sandbox signals here. */
#include "sentry/kernel/task.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "lib/log.h"
#include "sentry/fs/anon/anon.h"
#include "sentry/kernel/internal.h"
#include "sentry/syscalls/syscalls.h"

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGS   (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define IGNORE_SIGS (SIGBIT(SIGCHLD) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH) | SIGBIT(SIGCONT))
#define CORE_SIGS                                                                                  \
	(SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGABRT) | SIGBIT(SIGBUS) |   \
	 SIGBIT(SIGFPE) | SIGBIT(SIGSEGV) | SIGBIT(SIGXCPU) | SIGBIT(SIGXFSZ) | SIGBIT(SIGSYS))

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

void sigpending_clear(struct sigpending *p)
{
	while (p->head) {
		struct sigqueue_entry *e = p->head;
		p->head = e->next;
		free(e);
	}
	p->set = 0;
}

struct sighand *sighand_copy(struct sighand *sh)
{
	struct sighand *n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	*n = *sh;
	n->refs = 1;
	return n;
}

void sighand_put(struct sighand *sh)
{
	if (sh && --sh->refs == 0)
		free(sh);
}

static int sig_ignored(struct process *p, int sig)
{
	uint64_t h = p->sighand->act[sig].handler;
	if (h == (uint64_t)SIG_IGN)
		return 1;
	return h == (uint64_t)SIG_DFL && (SIGBIT(sig) & IGNORE_SIGS);
}

static int enqueue(struct sigpending *q, const struct linux_siginfo *info)
{
	int sig = info->si_signo;
	if (sig < SIGRTMIN && (q->set & SIGBIT(sig)))
		return 0; /* standard signals do not queue */
	struct sigqueue_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -EAGAIN;
	e->info = *info;
	struct sigqueue_entry **tail = &q->head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	q->set |= SIGBIT(sig);
	return 0;
}

static void kick(struct task *t)
{
	if (t->state == TASK_BLOCKED && t->in_syscall == 2) {
		t->interrupted = 1;
		task_wake(t);
	} else if (t->state == TASK_USER) {
		plat_interrupt(t->plat);
	}
}

static void drop_sig(struct sigpending *q, uint64_t mask)
{
	for (struct sigqueue_entry **e = &q->head; *e;) {
		if (SIGBIT((*e)->info.si_signo) & mask) {
			struct sigqueue_entry *x = *e;
			*e = x->next;
			free(x);
		} else {
			e = &(*e)->next;
		}
	}
	q->set &= ~mask;
}

int signal_send(struct process *p, struct task *t, const struct linux_siginfo *info)
{
	int sig = info->si_signo;
	if (sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	if (p->zombie || p->exiting)
		return 0;
	if (sig == SIGCONT || sig == SIGKILL) {
		/* SIGCONT resumes a stopped group and discards pending stops. */
		drop_sig(&p->pending, STOP_SIGS);
		for (struct task *o = p->threads; o; o = o->thread_next)
			drop_sig(&o->pending, STOP_SIGS);
		if (p->stopped) {
			p->stopped = 0;
			p->stop_report = 'C';
			if (p->parent)
				waitq_wake(&p->parent->child_wait, 0);
			for (struct task *o = p->threads; o; o = o->thread_next)
				if (o->state == TASK_BLOCKED)
					task_wake(o);
		}
	} else if (SIGBIT(sig) & STOP_SIGS) {
		drop_sig(&p->pending, SIGBIT(SIGCONT));
	}
	if (sig_ignored(p, sig) && sig != SIGKILL) {
		/* Linux keeps a blocked signal even when ignored: the handler may
		 * change before it is unblocked, or a signalfd reads it (SIGCHLD
		 * for catatonit, Podman's --init). Process-directed: blocked by
		 * a thread. */
		int blocked = t ? !!(t->sigmask & SIGBIT(sig)) : 0;
		for (struct task *o = t ? NULL : p->threads; o; o = o->thread_next)
			blocked |= !!(o->sigmask & SIGBIT(sig));
		if (!blocked)
			return 0;
	}
	int err = enqueue(t ? &t->pending : &p->pending, info);
	if (err)
		return err;
	signalfd_notify();
	if (t) {
		if (!(t->sigmask & SIGBIT(sig)) || sig == SIGKILL)
			kick(t);
		return 0;
	}
	/* Process-directed: wake one thread that does not block it. */
	for (struct task *o = p->threads; o; o = o->thread_next) {
		if (!(o->sigmask & SIGBIT(sig)) || sig == SIGKILL) {
			kick(o);
			if (sig != SIGKILL)
				break;
		}
	}
	return 0;
}

int signal_kill_proc(struct process *p, int sig, struct task *from)
{
	struct linux_siginfo si = {.si_signo = sig, .si_code = SI_USER};
	if (from) {
		si.kill.pid = from->proc->pid;
		si.kill.uid = from->proc->creds.ruid;
	}
	return signal_send(p, NULL, &si);
}

int signal_pending(struct task *t)
{
	struct process *p = t->proc;
	if (p->exiting || t->exec_kill)
		return 1;
	uint64_t pend = (t->pending.set | p->pending.set);
	return (pend & (~t->sigmask | UNBLOCKABLE)) != 0;
}

static int dequeue(struct task *t, uint64_t allowed, struct linux_siginfo *out)
{
	struct sigpending *qs[2] = {&t->pending, &t->proc->pending};
	/* Synchronous faults first, then the lowest number, as Linux. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 2; i++) {
			struct sigpending *q = qs[i];
			uint64_t avail = q->set & allowed;
			if (!avail)
				continue;
			int sig = __builtin_ctzll(avail) + 1;
			if (pass == 0 &&
			    !(SIGBIT(sig) & (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) |
					     SIGBIT(SIGFPE) | SIGBIT(SIGTRAP))))
				continue;
			for (struct sigqueue_entry **e = &q->head; *e; e = &(*e)->next) {
				if ((*e)->info.si_signo != sig)
					continue;
				struct sigqueue_entry *x = *e;
				*out = x->info;
				*e = x->next;
				free(x);
				break;
			}
			int more = 0;
			for (struct sigqueue_entry *e = q->head; e; e = e->next)
				if (e->info.si_signo == sig)
					more = 1;
			if (!more)
				q->set &= ~SIGBIT(sig);
			return sig;
		}
	}
	return 0;
}

int signal_dequeue_mask(struct task *t, uint64_t mask, struct linux_siginfo *out)
{
	return dequeue(t, mask, out);
}

void signal_force(struct task *t, int sig, int code, uint64_t addr)
{
	struct linux_sigaction *sa = &t->proc->sighand->act[sig];
	if ((t->sigmask & SIGBIT(sig)) || sa->handler == (uint64_t)SIG_IGN) {
		sa->handler = (uint64_t)SIG_DFL;
		t->sigmask &= ~SIGBIT(sig);
	}
	struct linux_siginfo si = {.si_signo = sig, .si_code = code};
	si.fault.addr = addr;
	enqueue(&t->pending, &si);
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static int on_altstack(struct task *t, uint64_t sp)
{
	return t->altstack.ss_size && sp > t->altstack.ss_sp &&
	       sp <= t->altstack.ss_sp + t->altstack.ss_size;
}

/* Builds the rt_sigframe and points the registers at the handler. */
static int setup_frame(struct task *t, int sig, const struct linux_siginfo *info,
		       struct linux_sigaction *sa, uint64_t oldmask)
{
	plat_regs *r = &t->plat->regs;
	uint64_t sp = r->rsp;
	if ((sa->flags & SA_ONSTACK) && t->altstack.ss_size &&
	    !(t->altstack.ss_flags & SS_DISABLE) && !on_altstack(t, sp))
		sp = t->altstack.ss_sp + t->altstack.ss_size;
	else
		sp -= 128; /* red zone */
	size_t xsize = plat_fpstate_size;
	sp = (sp - (xsize + 4)) & ~63UL;
	uint64_t fpaddr = sp;
	sp -= sizeof(struct linux_rt_sigframe);
	sp = ((sp & ~15UL) - 8);
	uint64_t frame = sp;

	unsigned char *fp = malloc(xsize + 4);
	if (!fp)
		return -ENOMEM;
	if (plat_get_fpstate(t->plat, fp) < 0)
		memset(fp, 0, xsize);
	struct linux_fpx_sw_bytes sw = {.magic1 = LINUX_FP_XSTATE_MAGIC1,
					.extended_size = (uint32_t)xsize + 4,
					.xfeatures = xgetbv0(),
					.xstate_size = (uint32_t)xsize};
	memcpy(fp + 464, &sw, sizeof(sw));
	uint32_t m2 = LINUX_FP_XSTATE_MAGIC2;
	memcpy(fp + xsize, &m2, 4);
	int err = copy_out(t, fpaddr, fp, xsize + 4);
	if (!err) {
		/* The handler starts with a clean FPU, as on Linux: every
		 * component in its initial state, default control words. */
		memset(fp, 0, xsize);
		uint16_t fcw = 0x37f;
		uint32_t mxcsr = 0x1f80;
		memcpy(fp, &fcw, 2);
		memcpy(fp + 24, &mxcsr, 4);
		plat_set_fpstate(t->plat, fp);
	}
	free(fp);
	if (err)
		return err;

	struct linux_rt_sigframe f;
	memset(&f, 0, sizeof(f));
	f.pretcode = sa->restorer;
	f.uc.uc_flags =
	    0x1 | 0x2 | 0x4; /* UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	f.uc.uc_stack.ss_sp = t->altstack.ss_sp;
	f.uc.uc_stack.ss_size = t->altstack.ss_size;
	f.uc.uc_stack.ss_flags =
	    t->altstack.ss_size ? (on_altstack(t, r->rsp) ? SS_ONSTACK : 0) : SS_DISABLE;
	struct linux_sigcontext *mc = &f.uc.uc_mcontext;
	mc->r8 = r->r8, mc->r9 = r->r9, mc->r10 = r->r10, mc->r11 = r->r11;
	mc->r12 = r->r12, mc->r13 = r->r13, mc->r14 = r->r14, mc->r15 = r->r15;
	mc->rdi = r->rdi, mc->rsi = r->rsi, mc->rbp = r->rbp, mc->rbx = r->rbx;
	mc->rdx = r->rdx, mc->rax = r->rax, mc->rcx = r->rcx, mc->rsp = r->rsp;
	mc->rip = r->rip, mc->eflags = r->eflags;
	mc->cs = (uint16_t)r->cs, mc->ss = (uint16_t)r->ss;
	mc->fpstate = fpaddr;
	mc->oldmask = oldmask;
	if (sig == SIGSEGV || sig == SIGBUS) {
		mc->cr2 = info->fault.addr;
		mc->trapno = 14;
		mc->err = 4 | 2; /* user-mode access */
	}
	f.uc.uc_sigmask = oldmask;
	f.info = *info;
	if ((err = copy_out(t, frame, &f, sizeof(f))))
		return err;
	r->rsp = frame;
	r->rip = sa->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct linux_rt_sigframe, info);
	r->rdx = frame + offsetof(struct linux_rt_sigframe, uc);
	r->rax = 0;
	r->eflags &= ~(0x400UL | 0x100UL); /* DF, TF */
	t->plat->regs_dirty = 1;
	return 0;
}

SYSCALL(rt_sigreturn)
{
	plat_regs *r = &t->plat->regs;
	uint64_t frame = r->rsp - 8;
	struct linux_rt_sigframe f;
	if (copy_in(t, frame, &f, sizeof(f))) {
		signal_force(t, SIGSEGV, SI_KERNEL, 0);
		return -EFAULT;
	}
	struct linux_sigcontext *mc = &f.uc.uc_mcontext;
	r->r8 = mc->r8, r->r9 = mc->r9, r->r10 = mc->r10, r->r11 = mc->r11;
	r->r12 = mc->r12, r->r13 = mc->r13, r->r14 = mc->r14, r->r15 = mc->r15;
	r->rdi = mc->rdi, r->rsi = mc->rsi, r->rbp = mc->rbp, r->rbx = mc->rbx;
	r->rdx = mc->rdx, r->rax = mc->rax, r->rcx = mc->rcx, r->rsp = mc->rsp;
	r->rip = mc->rip;
	/* Only the flags a program may change (as the kernel's FIX_EFLAGS). */
	uint64_t fix = 0x40DD5;
	r->eflags = (r->eflags & ~fix) | (mc->eflags & fix);
	r->orig_rax = (uint64_t)-1;
	t->plat->regs_dirty = 1;
	if (mc->fpstate) {
		size_t xsize = plat_fpstate_size;
		unsigned char *fp = malloc(xsize);
		if (fp && copy_in(t, mc->fpstate, fp, xsize) == 0)
			plat_set_fpstate(t->plat, fp);
		free(fp);
	}
	t->sigmask = f.uc.uc_sigmask & ~UNBLOCKABLE;
	t->in_syscall = 0; /* rax is the interrupted context's, not a result */
	if (!(f.uc.uc_stack.ss_flags & SS_DISABLE) || t->altstack.ss_size) {
		/* sigaltstack as saved (the program may have edited it) */
		if (!on_altstack(t, r->rsp) && !(f.uc.uc_stack.ss_flags & SS_ONSTACK)) {
			t->altstack.ss_sp = f.uc.uc_stack.ss_sp;
			t->altstack.ss_size = f.uc.uc_stack.ss_size;
			t->altstack.ss_flags = f.uc.uc_stack.ss_flags & SS_DISABLE;
		}
	}
	return (long)r->rax;
}

static void do_group_stop(struct task *t, int sig)
{
	struct process *p = t->proc;
	if (!p->stopped) {
		p->stopped = 1;
		p->stop_sig = sig;
		p->stop_report = 'S';
		if (p->parent) {
			struct linux_sigaction *psa = &p->parent->sighand->act[SIGCHLD];
			if (!(psa->flags & SA_NOCLDSTOP)) {
				struct linux_siginfo si = {.si_signo = SIGCHLD,
							   .si_code = CLD_STOPPED};
				si.chld.pid = p->pid;
				si.chld.status = sig;
				signal_send(p->parent, NULL, &si);
			}
			waitq_wake(&p->parent->child_wait, 0);
		}
		for (struct task *o = p->threads; o; o = o->thread_next)
			if (o != t)
				kick(o);
	}
}

static void restart_fixup(struct task *t, struct linux_sigaction *sa)
{
	plat_regs *r = &t->plat->regs;
	if (!t->in_syscall)
		return;
	long ret = (long)r->rax;
	int restart = 0;
	switch (-ret) {
	case ERESTARTNOINTR:
		restart = 1;
		break;
	case ERESTARTSYS:
		restart = !sa || (sa->flags & SA_RESTART);
		break;
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		restart = !sa;
		break;
	default:
		return;
	}
	if (restart) {
		r->rax = r->orig_rax;
		r->rip -= 2;
	} else {
		r->rax = (uint64_t)-EINTR;
	}
	t->plat->regs_dirty = 1;
}

void signal_deliver(struct task *t)
{
	struct process *p = t->proc;
	for (;;) {
		if (p->exiting)
			task_exit(t, p->exit_code);
		if (t->exec_kill)
			task_exit(t, 0);
		if (p->stopped) {
			/* Wait for SIGCONT or SIGKILL. */
			while (p->stopped && !p->exiting &&
			       !((t->pending.set | p->pending.set) & SIGBIT(SIGKILL)))
				task_block(t, 0, 0);
			continue;
		}
		uint64_t allowed = ~t->sigmask | UNBLOCKABLE;
		struct linux_siginfo info;
		int sig = dequeue(t, allowed, &info);
		if (!sig)
			break;
		struct linux_sigaction *sa = &p->sighand->act[sig];
		uint64_t h = sa->handler;
		if (sig == SIGKILL || h == (uint64_t)SIG_DFL) {
			uint64_t bit = SIGBIT(sig);
			if (bit & IGNORE_SIGS)
				continue;
			if ((bit & STOP_SIGS) && sig != SIGKILL) {
				do_group_stop(t, sig);
				continue;
			}
			/* terminate (no core files are written) */
			task_exit_group(t, sig);
		}
		if (h == (uint64_t)SIG_IGN)
			continue;
		restart_fixup(t, sa);
		t->in_syscall = 0;
		uint64_t oldmask = t->has_saved_sigmask ? t->saved_sigmask : t->sigmask;
		t->has_saved_sigmask = 0;
		if (setup_frame(t, sig, &info, sa, oldmask) < 0) {
			task_exit_group(t, SIGSEGV);
		}
		t->sigmask |= sa->mask;
		if (!(sa->flags & SA_NODEFER))
			t->sigmask |= SIGBIT(sig);
		t->sigmask &= ~UNBLOCKABLE;
		if (sa->flags & SA_RESETHAND)
			sa->handler = (uint64_t)SIG_DFL;
		return;
	}
	restart_fixup(t, NULL);
	t->in_syscall = 0;
	if (t->has_saved_sigmask) {
		t->sigmask = t->saved_sigmask;
		t->has_saved_sigmask = 0;
	}
}

SYSCALL(rt_sigaction)
{
	int sig = (int)a[0];
	if (a[3] != 8)
		return -EINVAL;
	if (sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	struct linux_sigaction *cur = &t->proc->sighand->act[sig];
	struct linux_sigaction old = *cur, nw;
	if (a[1]) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		if (copy_in(t, a[1], &nw, sizeof(nw)))
			return -EFAULT;
	}
	if (a[2] && copy_out(t, a[2], &old, sizeof(old)))
		return -EFAULT;
	if (a[1]) {
		nw.mask &= ~UNBLOCKABLE;
		*cur = nw;
		/* Setting SIG_IGN (or a default-ignore) discards pending ones. */
		if (sig_ignored(t->proc, sig)) {
			drop_sig(&t->proc->pending, SIGBIT(sig));
			for (struct task *o = t->proc->threads; o; o = o->thread_next)
				drop_sig(&o->pending, SIGBIT(sig));
		}
	}
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	if (a[3] != 8)
		return -EINVAL;
	uint64_t old = t->sigmask, set;
	if (a[1]) {
		if (copy_in(t, a[1], &set, 8))
			return -EFAULT;
		switch (a[0]) {
		case SIG_BLOCK:
			t->sigmask |= set;
			break;
		case SIG_UNBLOCK:
			t->sigmask &= ~set;
			break;
		case SIG_SETMASK:
			t->sigmask = set;
			break;
		default:
			return -EINVAL;
		}
		t->sigmask &= ~UNBLOCKABLE;
	}
	if (a[2] && copy_out(t, a[2], &old, 8))
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigpending)
{
	if (a[1] > 8)
		return -EINVAL;
	uint64_t set = (t->pending.set | t->proc->pending.set) & t->sigmask;
	return copy_out(t, a[0], &set, a[1]) ? -EFAULT : 0;
}

SYSCALL(rt_sigsuspend)
{
	if (a[1] != 8)
		return -EINVAL;
	uint64_t mask;
	if (copy_in(t, a[0], &mask, 8))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->has_saved_sigmask = 1;
	t->sigmask = mask & ~UNBLOCKABLE;
	while (task_block(t, 0, 1) == 0)
		;
	return -ERESTARTNOHAND;
}

SYSCALL(pause)
{
	while (task_block(t, 0, 1) == 0)
		;
	return -ERESTARTNOHAND;
}

SYSCALL(rt_sigtimedwait)
{
	if (a[3] != 8)
		return -EINVAL;
	uint64_t set;
	if (copy_in(t, a[0], &set, 8))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	int64_t deadline = 0;
	if (a[2]) {
		struct linux_timespec ts;
		if (copy_in(t, a[2], &ts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000 || ts.tv_sec < 0)
			return -EINVAL;
		deadline = now_ns() + ts_to_ns(&ts);
		if (!deadline)
			deadline = 1;
	}
	/* Waiting for signals in set: unblock them while we wait. */
	uint64_t saved = t->sigmask;
	for (;;) {
		struct linux_siginfo info;
		int sig = dequeue(t, set, &info);
		if (sig) {
			t->sigmask = saved;
			if (a[1] && copy_out(t, a[1], &info, sizeof(info)))
				return -EFAULT;
			return sig;
		}
		if (a[2] && deadline <= now_ns())
			return -EAGAIN;
		t->sigmask = saved & ~set;
		int err = task_block(t, deadline, 1);
		t->sigmask = saved;
		if (err == -ETIMEDOUT)
			return -EAGAIN;
		if (err && !((t->pending.set | t->proc->pending.set) & set))
			return -EINTR;
	}
}

SYSCALL(sigaltstack)
{
	struct linux_stack old = t->altstack;
	plat_regs *r = &t->plat->regs;
	if (!old.ss_size)
		old.ss_flags = SS_DISABLE;
	else if (on_altstack(t, r->rsp))
		old.ss_flags = SS_ONSTACK;
	if (a[0]) {
		struct linux_stack ns;
		if (copy_in(t, a[0], &ns, sizeof(ns)))
			return -EFAULT;
		if (on_altstack(t, r->rsp))
			return -EPERM;
		if (ns.ss_flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (ns.ss_flags & SS_DISABLE) {
			memset(&t->altstack, 0, sizeof(t->altstack));
		} else {
			if (ns.ss_size < (uint64_t)MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack = ns;
			t->altstack.ss_flags = 0;
		}
	}
	if (a[1] && copy_out(t, a[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

static int may_signal(struct task *t, struct process *p)
{
	(void)t;
	(void)p;
	return 1; /* everyone in the sandbox is root in its namespace */
}

SYSCALL(kill)
{
	pid_t pid = (pid_t)a[0];
	int sig = (int)a[1];
	if (pid > 0 && !process_by_pid(pid))
		return -ESRCH;
	if (sig < 0 || sig > NSIG_LINUX)
		return -EINVAL;
	struct linux_siginfo si = {.si_signo = sig, .si_code = SI_USER};
	si.kill.pid = t->proc->pid;
	si.kill.uid = t->proc->creds.ruid;
	if (pid > 0) {
		struct process *p = process_by_pid(pid);
		if (!p || p->zombie)
			return p ? 0 : -ESRCH;
		if (!may_signal(t, p))
			return -EPERM;
		return sig ? signal_send(p, NULL, &si) : 0;
	}
	pid_t pgid = pid == 0 ? t->proc->pgid : -pid;
	int found = 0;
	for (struct task *o = all_tasks; o; o = o->all_next) {
		struct process *p = o->proc;
		if (o != p->threads || p->zombie)
			continue; /* one per process */
		if (pid == -1 ? (p->pid == 1 || p == t->proc) : p->pgid != pgid)
			continue;
		found = 1;
		if (sig)
			signal_send(p, NULL, &si);
	}
	/* kill(-1) reaches everyone but init and the caller */
	return found ? 0 : -ESRCH;
}

static long do_tkill(struct task *t, pid_t tgid, pid_t tid, int sig, struct linux_siginfo *si)
{
	if (sig < 0 || sig > NSIG_LINUX || tid <= 0)
		return -EINVAL;
	struct task *o = task_by_tid(tid);
	if (!o || (tgid > 0 && o->proc->pid != tgid))
		return -ESRCH;
	if (!sig)
		return 0;
	return signal_send(o->proc, o, si);
}

SYSCALL(tkill)
{
	struct linux_siginfo si = {.si_signo = (int)a[1], .si_code = SI_TKILL};
	si.kill.pid = t->proc->pid;
	return do_tkill(t, -1, (pid_t)a[0], (int)a[1], &si);
}

SYSCALL(tgkill)
{
	if ((pid_t)a[0] <= 0)
		return -EINVAL;
	struct linux_siginfo si = {.si_signo = (int)a[2], .si_code = SI_TKILL};
	si.kill.pid = t->proc->pid;
	return do_tkill(t, (pid_t)a[0], (pid_t)a[1], (int)a[2], &si);
}

SYSCALL(rt_sigqueueinfo)
{
	struct linux_siginfo si;
	if (copy_in(t, a[2], &si, sizeof(si)))
		return -EFAULT;
	if (si.si_code >= 0 || si.si_code == SI_TKILL)
		return -EPERM;
	si.si_signo = (int)a[1];
	struct process *p = process_by_pid((pid_t)a[0]);
	if (!p)
		return -ESRCH;
	if (si.si_signo < 1 || si.si_signo > NSIG_LINUX)
		return -EINVAL;
	return signal_send(p, NULL, &si);
}

SYSCALL(rt_tgsigqueueinfo)
{
	struct linux_siginfo si;
	if (copy_in(t, a[3], &si, sizeof(si)))
		return -EFAULT;
	if (si.si_code >= 0 || si.si_code == SI_TKILL)
		return -EPERM;
	si.si_signo = (int)a[2];
	return do_tkill(t, (pid_t)a[0], (pid_t)a[1], (int)a[2], &si);
}
