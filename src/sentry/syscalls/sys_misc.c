/* Process identity, credentials, rlimits, uname, prctl, arch_prctl, time,
 * scheduling basics and other small calls. */
#include <asm/prctl.h>
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/cpus.h"
#include "sentry/kernel/uts.h"
#include "sentry/syscalls/syscalls.h"

char sandbox_hostname[65] = "cvisor";
char sandbox_domainname[65] = "(none)";

SYSCALL(getpid)
{
	return t->proc->pid;
}

SYSCALL(gettid)
{
	return t->tid;
}

SYSCALL(getppid)
{
	return t->proc->parent ? t->proc->parent->pid : 0;
}

SYSCALL(getpgid)
{
	struct process *p = a[0] ? process_by_pid((pid_t)a[0]) : t->proc;
	return p ? p->pgid : -ESRCH;
}

SYSCALL(getpgrp)
{
	return t->proc->pgid;
}

SYSCALL(getsid)
{
	struct process *p = a[0] ? process_by_pid((pid_t)a[0]) : t->proc;
	return p ? p->sid : -ESRCH;
}

SYSCALL(setpgid)
{
	pid_t pid = a[0] ? (pid_t)a[0] : t->proc->pid;
	pid_t pgid = a[1] ? (pid_t)a[1] : pid;
	if ((pid_t)a[1] < 0)
		return -EINVAL;
	struct process *p = process_by_pid(pid);
	if (!p || (p != t->proc && p->parent != t->proc))
		return -ESRCH;
	if (p->sid == p->pid)
		return -EPERM;
	if (p->sid != t->proc->sid)
		return -EPERM;
	if (pgid != pid) {
		int ok = 0;
		for (struct task *o = all_tasks; o; o = o->all_next)
			if (o->proc->pgid == pgid && o->proc->sid == t->proc->sid)
				ok = 1;
		if (!ok)
			return -EPERM;
	}
	p->pgid = pgid;
	return 0;
}

SYSCALL(setsid)
{
	struct process *p = t->proc;
	for (struct task *o = all_tasks; o; o = o->all_next)
		if (o->proc->pgid == p->pid)
			return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->pid;
}

SYSCALL(getuid)
{
	return t->proc->creds.ruid;
}
SYSCALL(geteuid)
{
	return t->proc->creds.euid;
}
SYSCALL(getgid)
{
	return t->proc->creds.rgid;
}
SYSCALL(getegid)
{
	return t->proc->creds.egid;
}

static int privileged(struct task *t)
{
	return !!(t->proc->creds.cap_eff & (1ULL << CAP_SETUID));
}

/* Capabilities follow uid changes as in Linux (without keepcaps): leaving
 * uid 0 everywhere drops them all; a non-zero euid drops the effective set;
 * going back to euid 0 restores it from the permitted set. */
static void fix_caps(struct creds *c, uint32_t old_r, uint32_t old_e, uint32_t old_s)
{
	if ((old_r == 0 || old_e == 0 || old_s == 0) && c->ruid && c->euid && c->suid) {
		c->cap_perm = c->cap_eff = 0;
	} else if (old_e == 0 && c->euid) {
		c->cap_eff = 0;
	} else if (old_e && c->euid == 0) {
		c->cap_eff = c->cap_perm;
	}
}

static void set_ids(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs, uint64_t nr, uint64_t ne,
		    uint64_t ns)
{
	if ((uint32_t)nr != (uint32_t)-1)
		*r = (uint32_t)nr;
	if ((uint32_t)ne != (uint32_t)-1)
		*e = *fs = (uint32_t)ne;
	if ((uint32_t)ns != (uint32_t)-1)
		*s = (uint32_t)ns;
}

SYSCALL(setuid)
{
	struct creds *c = &t->proc->creds;
	uint32_t r0 = c->ruid, e0 = c->euid, s0 = c->suid;
	long ret = 0;
	if (privileged(t))
		c->ruid = c->euid = c->suid = c->fsuid = (uint32_t)a[0];
	else if ((uint32_t)a[0] == c->ruid || (uint32_t)a[0] == c->suid)
		c->euid = c->fsuid = (uint32_t)a[0];
	else
		ret = -EPERM;
	fix_caps(c, r0, e0, s0);
	return ret;
}

SYSCALL(setgid)
{
	struct creds *c = &t->proc->creds;
	if (privileged(t))
		c->rgid = c->egid = c->sgid = c->fsgid = (uint32_t)a[0];
	else if ((uint32_t)a[0] == c->rgid || (uint32_t)a[0] == c->sgid)
		c->egid = c->fsgid = (uint32_t)a[0];
	else
		return -EPERM;
	return 0;
}

SYSCALL(setreuid)
{
	struct creds *c = &t->proc->creds;
	uint32_t r0 = c->ruid, e0 = c->euid, s0 = c->suid;
	if (!privileged(t))
		return -EPERM;
	set_ids(&c->ruid, &c->euid, &c->suid, &c->fsuid, a[0], a[1], (uint64_t)-1);
	fix_caps(c, r0, e0, s0);
	return 0;
}

SYSCALL(setregid)
{
	struct creds *c = &t->proc->creds;
	if (!privileged(t))
		return -EPERM;
	set_ids(&c->rgid, &c->egid, &c->sgid, &c->fsgid, a[0], a[1], (uint64_t)-1);
	return 0;
}

SYSCALL(setresuid)
{
	struct creds *c = &t->proc->creds;
	uint32_t r0 = c->ruid, e0 = c->euid, s0 = c->suid;
	int same = ((uint32_t)a[0] == (uint32_t)-1 || (uint32_t)a[0] == c->ruid) &&
		   ((uint32_t)a[1] == (uint32_t)-1 || (uint32_t)a[1] == c->euid) &&
		   ((uint32_t)a[2] == (uint32_t)-1 || (uint32_t)a[2] == c->suid);
	if (!privileged(t) && !same)
		return -EPERM;
	set_ids(&c->ruid, &c->euid, &c->suid, &c->fsuid, a[0], a[1], a[2]);
	fix_caps(c, r0, e0, s0);
	return 0;
}

SYSCALL(setresgid)
{
	struct creds *c = &t->proc->creds;
	if (!privileged(t))
		return -EPERM;
	set_ids(&c->rgid, &c->egid, &c->sgid, &c->fsgid, a[0], a[1], a[2]);
	return 0;
}

SYSCALL(getresuid)
{
	struct creds *c = &t->proc->creds;
	if (copy_out(t, a[0], &c->ruid, 4) || copy_out(t, a[1], &c->euid, 4) ||
	    copy_out(t, a[2], &c->suid, 4))
		return -EFAULT;
	return 0;
}

SYSCALL(getresgid)
{
	struct creds *c = &t->proc->creds;
	if (copy_out(t, a[0], &c->rgid, 4) || copy_out(t, a[1], &c->egid, 4) ||
	    copy_out(t, a[2], &c->sgid, 4))
		return -EFAULT;
	return 0;
}

SYSCALL(setfsuid)
{
	uint32_t old = t->proc->creds.fsuid;
	if (privileged(t) && (uint32_t)a[0] != (uint32_t)-1)
		t->proc->creds.fsuid = (uint32_t)a[0];
	return old;
}

SYSCALL(setfsgid)
{
	uint32_t old = t->proc->creds.fsgid;
	if (privileged(t) && (uint32_t)a[0] != (uint32_t)-1)
		t->proc->creds.fsgid = (uint32_t)a[0];
	return old;
}

SYSCALL(getgroups)
{
	struct creds *c = &t->proc->creds;
	int n = (int)a[0];
	if (n < 0)
		return -EINVAL;
	if (n == 0)
		return c->ngroups;
	if ((uint32_t)n < c->ngroups)
		return -EINVAL;
	return copy_out(t, a[1], c->groups, c->ngroups * 4) ? -EFAULT : (long)c->ngroups;
}

SYSCALL(setgroups)
{
	if (a[0] > 64)
		return -EINVAL;
	if (!privileged(t))
		return -EPERM;
	struct creds *c = &t->proc->creds;
	if (copy_in(t, a[1], c->groups, a[0] * 4))
		return -EFAULT;
	c->ngroups = (uint32_t)a[0];
	return 0;
}

SYSCALL(capget)
{
	struct {
		uint32_t version;
		int pid;
	} hdr;
	if (copy_in(t, a[0], &hdr, sizeof(hdr)))
		return -EFAULT;
	if (hdr.version != _LINUX_CAPABILITY_VERSION_3 &&
	    hdr.version != _LINUX_CAPABILITY_VERSION_2 &&
	    hdr.version != _LINUX_CAPABILITY_VERSION_1) {
		hdr.version = _LINUX_CAPABILITY_VERSION_3;
		copy_out(t, a[0], &hdr, sizeof(hdr));
		return a[1] ? -EINVAL : 0;
	}
	if (!a[1])
		return 0;
	struct creds *c = &t->proc->creds;
	uint32_t data[6] = {(uint32_t)c->cap_eff,	   (uint32_t)c->cap_perm,
			    (uint32_t)c->cap_inh,	   (uint32_t)(c->cap_eff >> 32),
			    (uint32_t)(c->cap_perm >> 32), (uint32_t)(c->cap_inh >> 32)};
	size_t n = hdr.version == _LINUX_CAPABILITY_VERSION_1 ? 12 : 24;
	return copy_out(t, a[1], data, n) ? -EFAULT : 0;
}

SYSCALL(capset)
{
	struct {
		uint32_t version;
		int pid;
	} hdr;
	uint32_t data[6];
	if (copy_in(t, a[0], &hdr, sizeof(hdr)) || copy_in(t, a[1], data, sizeof(data)))
		return -EFAULT;
	struct creds *c = &t->proc->creds;
	uint64_t eff = data[0] | ((uint64_t)data[3] << 32);
	uint64_t perm = data[1] | ((uint64_t)data[4] << 32);
	uint64_t inh = data[2] | ((uint64_t)data[5] << 32);
	if ((perm & ~c->cap_perm) || (eff & ~perm))
		return -EPERM;
	c->cap_eff = eff;
	c->cap_perm = perm;
	c->cap_inh = inh;
	return 0;
}

static long do_prlimit(struct task *t, pid_t pid, int res, uint64_t unew, uint64_t uold)
{
	if (res < 0 || res >= 16)
		return -EINVAL;
	struct process *p = pid ? process_by_pid(pid) : t->proc;
	if (!p)
		return -ESRCH;
	struct linux_rlimit old = p->rlim[res];
	if (unew) {
		struct linux_rlimit n;
		if (copy_in(t, unew, &n, sizeof(n)))
			return -EFAULT;
		if (n.cur > n.max)
			return -EINVAL;
		if (n.max > old.max && !(p->creds.cap_eff & (1ULL << CAP_SYS_RESOURCE)))
			return -EPERM;
		if (res == RLIMIT_NOFILE && n.max > 1048576)
			return -EPERM;
		p->rlim[res] = n;
	}
	if (uold && copy_out(t, uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(prlimit64)
{
	return do_prlimit(t, (pid_t)a[0], (int)a[1], a[2], a[3]);
}

SYSCALL(getrlimit)
{
	return do_prlimit(t, 0, (int)a[0], 0, a[1]);
}

SYSCALL(setrlimit)
{
	return do_prlimit(t, 0, (int)a[0], a[1], 0);
}

SYSCALL(uname)
{
	struct linux_utsname u;
	memset(&u, 0, sizeof(u));
	strcpy(u.sysname, SANDBOX_SYSNAME);
	strcpy(u.nodename, sandbox_hostname);
	strcpy(u.release, SANDBOX_RELEASE);
	strcpy(u.version, SANDBOX_VERSION);
	strcpy(u.machine, "x86_64");
	strcpy(u.domainname, sandbox_domainname);
	return copy_out(t, a[0], &u, sizeof(u)) ? -EFAULT : 0;
}

static long set_name(struct task *t, char *dst, uint64_t ubuf, uint64_t len)
{
	if (len > 64)
		return -EINVAL;
	if (!(t->proc->creds.cap_eff & (1ULL << CAP_SYS_ADMIN)))
		return -EPERM;
	char buf[65] = {0};
	if (copy_in(t, ubuf, buf, len))
		return -EFAULT;
	memcpy(dst, buf, 65);
	return 0;
}

SYSCALL(sethostname)
{
	return set_name(t, sandbox_hostname, a[0], a[1]);
}

SYSCALL(setdomainname)
{
	return set_name(t, sandbox_domainname, a[0], a[1]);
}

SYSCALL(arch_prctl)
{
	plat_regs *r = &t->plat->regs;
	switch (a[0]) {
	case ARCH_SET_FS:
		if (a[1] >= APP_TOP)
			return -EPERM;
		r->fs_base = a[1];
		t->plat->regs_dirty = 1;
		return 0;
	case ARCH_GET_FS:
		return copy_out(t, a[1], &r->fs_base, 8) ? -EFAULT : 0;
	case ARCH_SET_GS:
		if (a[1] >= APP_TOP)
			return -EPERM;
		r->gs_base = a[1];
		t->plat->regs_dirty = 1;
		return 0;
	case ARCH_GET_GS:
		return copy_out(t, a[1], &r->gs_base, 8) ? -EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	}
	return -EINVAL;
}

SYSCALL(set_tid_address)
{
	t->clear_child_tid = a[0];
	return t->tid;
}

SYSCALL(prctl)
{
	switch ((int)a[0]) {
	case PR_SET_NAME: {
		char name[16] = {0};
		long n = copy_in_str(t, a[1], name, 16);
		if (n == -EFAULT)
			return -EFAULT;
		name[15] = 0;
		memcpy(t->comm, name, 16);
		if (t->tid == t->proc->pid)
			memcpy(t->proc->comm, name, 16);
		return 0;
	}
	case PR_GET_NAME:
		return copy_out(t, a[1], t->comm, 16) ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		if (a[1] > NSIG_LINUX)
			return -EINVAL;
		t->pdeathsig = (int)a[1];
		return 0;
	case PR_SET_DUMPABLE:
	case PR_SET_KEEPCAPS:
	case PR_SET_CHILD_SUBREAPER:
	case PR_SET_TIMERSLACK:
		return 0;
	case PR_GET_DUMPABLE:
		return 1;
	case PR_GET_PDEATHSIG:
		return copy_out(t, a[1], &t->pdeathsig, 4) ? -EFAULT : 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a[1] != 1 || a[2] || a[3] || a[4])
			return -EINVAL;
		t->proc->creds.no_new_privs = 1;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return t->proc->creds.no_new_privs;
	case PR_CAPBSET_READ:
		return a[1] <= CAP_LAST_CAP ? !!(t->proc->creds.cap_bnd & (1ULL << a[1])) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (a[1] > CAP_LAST_CAP)
			return -EINVAL;
		if (!(t->proc->creds.cap_eff & (1ULL << CAP_SETPCAP)))
			return -EPERM;
		t->proc->creds.cap_bnd &= ~(1ULL << a[1]);
		return 0;
	case PR_GET_SECCOMP:
		return 0;
	case PR_SET_SECCOMP:
		return -EINVAL;
	case PR_SET_MM:
		return -EPERM;
	case PR_SET_VMA:
		return 0;
	}
	return -EINVAL;
}

SYSCALL(getrandom)
{
	if (a[2] & ~(GRND_NONBLOCK | GRND_RANDOM | 4))
		return -EINVAL;
	size_t len = a[1] > 65536 ? 65536 : a[1];
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	ssize_t n = getrandom(buf, len, 0);
	long r = n < 0 ? -errno : copy_out(t, a[0], buf, (size_t)n) ? -EFAULT : n;
	free(buf);
	return r;
}

/* time */

static int clock_host(int clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_TAI:
		return clk;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return CLOCK_MONOTONIC; /* replaced by the stub's CPU clock below */
	}
	return -1;
}

SYSCALL(clock_gettime)
{
	int clk = clock_host((int)a[0]);
	if (clk < 0)
		return -EINVAL;
	struct timespec ts;
	clock_gettime(clk, &ts);
	if ((int)a[0] == CLOCK_PROCESS_CPUTIME_ID || (int)a[0] == CLOCK_THREAD_CPUTIME_ID) {
		int64_t ns = process_cpu_ns(t->proc);
		ts.tv_sec = ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
	}
	struct linux_timespec lt = {ts.tv_sec, ts.tv_nsec};
	return copy_out(t, a[1], &lt, sizeof(lt)) ? -EFAULT : 0;
}

SYSCALL(clock_getres)
{
	if (clock_host((int)a[0]) < 0)
		return -EINVAL;
	struct linux_timespec lt = {0, 1};
	if ((int)a[0] == CLOCK_REALTIME_COARSE || (int)a[0] == CLOCK_MONOTONIC_COARSE)
		lt.tv_nsec = 4000000;
	return a[1] && copy_out(t, a[1], &lt, sizeof(lt)) ? -EFAULT : 0;
}

SYSCALL(gettimeofday)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct linux_timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
	if (a[0] && copy_out(t, a[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (a[1]) {
		int tz[2] = {0, 0};
		if (copy_out(t, a[1], tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL(time)
{
	int64_t now = (int64_t)time(NULL);
	if (a[0] && copy_out(t, a[0], &now, 8))
		return -EFAULT;
	return now;
}

static long sleep_until(struct task *t, int64_t deadline, uint64_t urem)
{
	int err = task_block(t, deadline, 1);
	while (err == 0) /* spurious wake: keep sleeping */
		err = task_block(t, deadline, 1);
	if (err == -ETIMEDOUT)
		return 0;
	if (urem) {
		int64_t left = deadline - now_ns();
		struct linux_timespec lt = ns_to_ts(left > 0 ? left : 0);
		copy_out(t, urem, &lt, sizeof(lt));
	}
	return -EINTR;
}

SYSCALL(nanosleep)
{
	struct linux_timespec ts;
	if (copy_in(t, a[0], &ts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	int64_t d = now_ns() + ts_to_ns(&ts);
	return sleep_until(t, d ? d : 1, a[1]);
}

SYSCALL(clock_nanosleep)
{
	int clk = clock_host((int)a[0]);
	if (clk < 0 || (int)a[0] == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	struct linux_timespec ts;
	if (copy_in(t, a[2], &ts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	int64_t d;
	if (a[1] & TIMER_ABSTIME) {
		struct timespec now;
		clock_gettime(clk, &now);
		int64_t delta = ts_to_ns(&ts) - ((int64_t)now.tv_sec * 1000000000LL + now.tv_nsec);
		d = now_ns() + (delta > 0 ? delta : 0);
		return sleep_until(t, d ? d : 1, 0);
	}
	d = now_ns() + ts_to_ns(&ts);
	return sleep_until(t, d ? d : 1, a[3]);
}

SYSCALL(sched_yield)
{
	return 0;
}

static uint64_t online_cpus(void)
{
	long n = sentry_ncpus;
	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

SYSCALL(sched_getaffinity)
{
	if (a[1] < 8 || (a[1] & 7))
		return -EINVAL;
	struct task *o = a[0] ? task_by_tid((pid_t)a[0]) : t;
	if (!o)
		return -ESRCH;
	uint64_t mask = o->affinity ? o->affinity : online_cpus();
	return copy_out(t, a[2], &mask, 8) ? -EFAULT : 8;
}

SYSCALL(sched_setaffinity)
{
	struct task *o = a[0] ? task_by_tid((pid_t)a[0]) : t;
	if (!o)
		return -ESRCH;
	uint64_t mask = 0;
	if (copy_in(t, a[2], &mask, a[1] < 8 ? a[1] : 8))
		return -EFAULT;
	mask &= online_cpus();
	if (!mask)
		return -EINVAL;
	/* recorded for the program's view; the host placement is the Sentry's */
	o->affinity = mask;
	return 0;
}

SYSCALL(sched_getparam)
{
	int zero = 0;
	return copy_out(t, a[1], &zero, 4) ? -EFAULT : 0;
}

SYSCALL(sched_getscheduler)
{
	return 0; /* SCHED_OTHER */
}

SYSCALL(sched_setscheduler)
{
	return a[1] == 0 ? 0 : -EPERM;
}

SYSCALL(sched_get_priority_max)
{
	return a[0] == 1 || a[0] == 2 ? 99 : 0;
}

SYSCALL(sched_get_priority_min)
{
	return a[0] == 1 || a[0] == 2 ? 1 : 0;
}

/* PRIO_PROCESS only: groups and users are treated as the caller. */
static struct process *prio_target(struct task *t, const uint64_t *a)
{
	if (a[0] > 2)
		return NULL;
	if (a[0] == 0 && a[1])
		return process_by_pid((pid_t)a[1]);
	return t->proc;
}

SYSCALL(getpriority)
{
	if (a[0] > 2)
		return -EINVAL;
	struct process *p = prio_target(t, a);
	return p ? 20 - p->nice : -ESRCH;
}

SYSCALL(setpriority)
{
	if (a[0] > 2)
		return -EINVAL;
	struct process *p = prio_target(t, a);
	if (!p)
		return -ESRCH;
	int nice = (int)a[2];
	if (nice < -20)
		nice = -20;
	if (nice > 19)
		nice = 19;
	if (nice < p->nice && !(t->proc->creds.cap_eff & (1ULL << 23 /* CAP_SYS_NICE */)))
		return -EACCES;
	p->nice = nice;
	return 0;
}

SYSCALL(getcpu)
{
	unsigned zero = 0;
	if (a[0] && copy_out(t, a[0], &zero, 4))
		return -EFAULT;
	if (a[1] && copy_out(t, a[1], &zero, 4))
		return -EFAULT;
	return 0;
}

static void ns_to_tv(int64_t ns, struct linux_timeval *tv)
{
	tv->tv_sec = ns / 1000000000;
	tv->tv_usec = ns % 1000000000 / 1000;
}

SYSCALL(getrusage)
{
	struct linux_rusage ru;
	memset(&ru, 0, sizeof(ru));
	int who = (int)a[0];
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	if (who == RUSAGE_CHILDREN) {
		ns_to_tv(t->proc->cutime_ns, &ru.utime);
		ns_to_tv(t->proc->cstime_ns, &ru.stime);
	} else {
		ns_to_tv(process_cpu_ns(t->proc), &ru.utime);
		ru.rest[0] = process_maxrss_kb(t->proc); /* ru_maxrss */
	}
	return copy_out(t, a[1], &ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL(times)
{
	int64_t ticks[4] = {process_cpu_ns(t->proc) / 10000000, 0, t->proc->cutime_ns / 10000000,
			    t->proc->cstime_ns / 10000000};
	if (a[0] && copy_out(t, a[0], ticks, sizeof(ticks)))
		return -EFAULT;
	return now_ns() / 10000000;
}

SYSCALL(sysinfo)
{
	struct linux_sysinfo si;
	memset(&si, 0, sizeof(si));
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	si.uptime = ts.tv_sec;
	si.totalram = (uint64_t)sysconf(_SC_PHYS_PAGES) * 4096;
	si.freeram = (uint64_t)sysconf(_SC_AVPHYS_PAGES) * 4096;
	si.procs = (uint16_t)nr_tasks;
	si.mem_unit = 1;
	return copy_out(t, a[0], &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL(rseq)
{
	return -ENOSYS;
}
