/* The Sentry's seccomp allow-list; see sentry_filter.h. Anything not
 * listed kills the Sentry (SIGSYS: the container exits 159). The set was
 * taken from the test suite run under SCMP_ACT_LOG. */
#include "sandbox/sentry_filter.h"

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif

/* Newer than Debian 12's headers. */
#define SYS_fchmodat2_NR   452
#define SYS_getxattrat_NR  464
#define SYS_listxattrat_NR 465

static const int any_args[] = {
    /* I/O on fds it holds: host files, the Gofer socket, the control
     * socket, the terminal */
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(preadv),
    SCMP_SYS(pwritev),
    SCMP_SYS(preadv2),
    SCMP_SYS(pwritev2),
    SCMP_SYS(lseek),
    SCMP_SYS(close),
    SCMP_SYS(close_range),
    SCMP_SYS(dup),
    SCMP_SYS(dup2),
    SCMP_SYS(dup3),
    SCMP_SYS(fcntl),
    SCMP_SYS(getdents64),
    /* sockets it already has (no socket(), socketpair(), connect(), bind()) */
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendto),
    SCMP_SYS(accept4),
    SCMP_SYS(shutdown),
    /* attributes and contents of files it holds */
    SCMP_SYS(fstat),
    SCMP_SYS(fstatfs),
    SCMP_SYS(ftruncate),
    SCMP_SYS(fallocate),
    SCMP_SYS(fsync),
    SCMP_SYS(fdatasync),
    SCMP_SYS(flock),
    SCMP_SYS(fchmod),
    SCMP_SYS(fchown),
    SCMP_SYS(fgetxattr),
    SCMP_SYS(flistxattr),
    SCMP_SYS(fsetxattr),
    SCMP_SYS(fremovexattr),
    /* memory: its own, and tmpfs files as memfds */
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(mprotect),
    SCMP_SYS(madvise),
    SCMP_SYS(msync),
    SCMP_SYS(brk),
    SCMP_SYS(memfd_create),
    /* the platform: stub memory, stops, killing address spaces */
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
    SCMP_SYS(wait4),
    SCMP_SYS(waitid),
    SCMP_SYS(kill),
    SCMP_SYS(tgkill),
    SCMP_SYS(tkill),
    /* the scheduler: epoll on a SIGCHLD signalfd, signals, futexes */
    SCMP_SYS(epoll_create1),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(epoll_pwait2),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(signalfd4),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(rt_sigpending),
    SCMP_SYS(rt_sigtimedwait),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(futex),
    /* time, identity, host facts the sandbox reports */
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_getres),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(time),
    SCMP_SYS(nanosleep),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(getppid),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(getgid),
    SCMP_SYS(getegid),
    SCMP_SYS(getrandom),
    SCMP_SYS(uname),
    SCMP_SYS(sysinfo),
    SCMP_SYS(getrusage),
    SCMP_SYS(sched_yield),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(getcpu),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
};

/* Path calls, allowed only relative to a directory fd it holds: the dirfd
 * argument(s) must be >= 0, so AT_FDCWD (and so every absolute path: the
 * root is empty anyway) is refused. */
static const struct {
	int nr, dirfd_args[2];
} at_calls[] = {
    {SCMP_SYS(openat), {0, -1}},   {SCMP_SYS(openat2), {0, -1}},    {SCMP_SYS(newfstatat), {0, -1}},
    {SCMP_SYS(statx), {0, -1}},	   {SCMP_SYS(readlinkat), {0, -1}}, {SCMP_SYS(mkdirat), {0, -1}},
    {SCMP_SYS(mknodat), {0, -1}},  {SCMP_SYS(unlinkat), {0, -1}},   {SCMP_SYS(fchownat), {0, -1}},
    {SCMP_SYS(fchmodat), {0, -1}}, {SYS_fchmodat2_NR, {0, -1}},	    {SCMP_SYS(utimensat), {0, -1}},
    {SYS_getxattrat_NR, {0, -1}},  {SYS_listxattrat_NR, {0, -1}},   {SCMP_SYS(symlinkat), {1, -1}},
    {SCMP_SYS(linkat), {0, 2}},	   {SCMP_SYS(renameat), {0, 2}},    {SCMP_SYS(renameat2), {0, 2}},
};

/* The requests the ptrace platform makes on stubs it already traces: no
 * PTRACE_ATTACH, SEIZE or TRACEME, no POKE of other processes. */
static const long ptrace_requests[] = {
    PTRACE_CONT,   PTRACE_GETREGS,   PTRACE_SETREGS,	PTRACE_GETREGSET,   PTRACE_SETREGSET,
    PTRACE_SYSEMU, PTRACE_INTERRUPT, PTRACE_GETSIGINFO, PTRACE_GETEVENTMSG,
};

/* Terminal calls on a host tty: the ones hostfile passes through. */
static const unsigned long tty_ioctls[] = {TCGETS,     TCSETS,	   TCSETSW, TCSETSF,
					   TIOCGWINSZ, TIOCSWINSZ, FIONREAD};

#define NONNEG(arg)   SCMP_CMP((arg), SCMP_CMP_MASKED_EQ, 0x80000000u, 0)
#define LOW32(arg, v) SCMP_CMP((arg), SCMP_CMP_MASKED_EQ, 0xffffffffu, (v))

static int add_rules(scmp_filter_ctx ctx)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof(any_args) / sizeof(any_args[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, any_args[i], 0);
	for (size_t i = 0; i < sizeof(at_calls) / sizeof(at_calls[0]) && !rc; i++) {
		const int *d = at_calls[i].dirfd_args;
		rc = d[1] < 0
			 ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, at_calls[i].nr, 1, NONNEG(d[0]))
			 : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, at_calls[i].nr, 2, NONNEG(d[0]),
					    NONNEG(d[1]));
	}
	for (size_t i = 0; i < sizeof(ptrace_requests) / sizeof(ptrace_requests[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ptrace), 1,
				      LOW32(0, ptrace_requests[i]));
	for (size_t i = 0; i < sizeof(tty_ioctls) / sizeof(tty_ioctls[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				      LOW32(1, tty_ioctls[i]));
	/* A terminal bridged at run time (`exec --tty`) becomes the Sentry's
	 * controlling terminal if it has none, so resizes come as SIGWINCH;
	 * arg 0: never stolen from another session. */
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2, LOW32(1, TIOCSCTTY),
				      SCMP_A2(SCMP_CMP_EQ, 0));
	return rc;
}

int sentry_filter_install(struct error **err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx)
		return error_set(err, ENOMEM, "seccomp_init");
	/* a binary search on the syscall number: every host call the Sentry
	 * makes (several per application call) runs this filter */
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!rc)
		rc = add_rules(ctx);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc)
		return error_set(err, -rc, "install the Sentry's seccomp filter");
	return 0;
}
