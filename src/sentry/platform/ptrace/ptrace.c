/* The ptrace platform; see platform.h.
 *
 * The zygote is forked from the Sentry before it confines itself; the Sentry
 * then injects calls into it that map the stub code page, unmap everything
 * else but the vDSO, and install a seccomp filter allowing only the host
 * system calls it injects, from the stub's own "syscall" instruction
 * (stub_filter.h). Application system calls
 * never reach that filter: PTRACE_SYSEMU stops them first. New address
 * spaces are forks of the zygote; new threads are clones inside a stub. All
 * stubs are children of the zygote (CLONE_PARENT), which ignores SIGCHLD so
 * the host reaps them.
 *
 * Invariant: a thread is either in_user (resumed, the Sentry must wait for
 * it) or stopped with valid regs. */
#include "sentry/platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <elf.h>
#include <sys/rseq.h>

#include "lib/fdpass.h"
#include "lib/log.h"
#include "sandbox/sentry_confine.h"
#include "sentry/platform/ptrace/stub_filter.h"

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif

#define STUB_SOCK_FD 0 /* the zygote's (and every stub's) end of the fd socket */
#define DATA_PAGE    (STUB_ADDR + 0x1000)

/* Our own "syscall; int3" used before the stub page exists (same address in
 * the freshly forked zygote). */
extern const char plat_boot_syscall[];
__asm__(".text\n.globl plat_boot_syscall\nplat_boot_syscall:\n\tsyscall\n\tint3\n");

volatile sig_atomic_t plat_host_signals;
static struct plat_thread zygote;
static struct plat_as zygote_as;
static int fd_sock = -1; /* the Sentry's end */
static uint64_t vdso_lo, vdso_hi, vdso_base;
size_t plat_fpstate_size;

/* tid -> thread */
#define NBUCKET 1024
struct tnode {
	struct plat_thread *t;
	struct tnode *next;
};
static struct tnode *buckets[NBUCKET];

static void tmap_add(struct plat_thread *t)
{
	struct tnode *n = malloc(sizeof(*n));
	if (!n)
		abort();
	n->t = t;
	n->next = buckets[t->tid % NBUCKET];
	buckets[t->tid % NBUCKET] = n;
}

static void tmap_del(pid_t tid)
{
	for (struct tnode **p = &buckets[tid % NBUCKET]; *p; p = &(*p)->next) {
		if ((*p)->t->tid == tid) {
			struct tnode *n = *p;
			*p = n->next;
			free(n);
			return;
		}
	}
}

struct plat_thread *plat_thread_find(pid_t tid)
{
	for (struct tnode *n = buckets[tid % NBUCKET]; n; n = n->next)
		if (n->t->tid == tid)
			return n->t;
	return NULL;
}

/* Waits for a stop of exactly this tid; stops of others stay queued. */
static int wait_tid(pid_t tid, int *status)
{
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL);
		if (r == tid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

static int getregs(struct plat_thread *t)
{
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &t->regs) < 0)
		return -errno;
	return 0;
}

static int setregs(struct plat_thread *t, const plat_regs *r)
{
	if (ptrace(PTRACE_SETREGS, t->tid, 0, r) < 0)
		return -errno;
	return 0;
}

/* Runs one host syscall at `insn` on stopped thread t; regs are clobbered
 * (callers restore). Handles the event stops a clone produces: the new
 * tid goes to *new_tid. */
static long inject_at(struct plat_thread *t, uint64_t insn, long nr, const uint64_t a[6],
		      pid_t *new_tid)
{
	plat_regs r = t->regs;
	r.rip = insn;
	r.rax = (uint64_t)nr;
	r.orig_rax = (uint64_t)-1;
	r.rdi = a[0];
	r.rsi = a[1];
	r.rdx = a[2];
	r.r10 = a[3];
	r.r8 = a[4];
	r.r9 = a[5];
	int err = setregs(t, &r);
	if (err)
		return err;
	if (ptrace(PTRACE_CONT, t->tid, 0, 0) < 0)
		return -errno;
	for (;;) {
		int st;
		if ((err = wait_tid(t->tid, &st)))
			return err;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			t->stop = STOP_EXITED;
			t->exit_status = st;
			return -ESRCH;
		}
		int sig = WSTOPSIG(st), ev = st >> 16;
		if (sig == SIGTRAP && (ev == PTRACE_EVENT_CLONE || ev == PTRACE_EVENT_FORK ||
				       ev == PTRACE_EVENT_VFORK)) {
			unsigned long msg = 0;
			ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
			if (new_tid)
				*new_tid = (pid_t)msg;
			ptrace(PTRACE_CONT, t->tid, 0, 0);
			continue;
		}
		if (sig == SIGTRAP && ev == 0) {
			if ((err = getregs(t)))
				return err;
			return (long)t->regs.rax;
		}
		log_debug("inject: tid %d: unexpected stop, signal %d event %d", t->tid, sig, ev);
		/* A group-stop or another signal: let the call finish. */
		ptrace(PTRACE_CONT, t->tid, 0, 0);
	}
}

long plat_syscall(struct plat_thread *t, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4, uint64_t a5)
{
	plat_regs saved = t->regs;
	uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	long r = inject_at(t, STUB_SYSCALL, nr, a, NULL);
	t->regs = saved;
	t->regs_dirty = 1;
	return r;
}

long plat_read(struct plat_as *as, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = {buf, len}, rm = {(void *)addr, len};
	ssize_t n = process_vm_readv(as->pid, &l, 1, &rm, 1, 0);
	if (n <= 0)
		return n == 0 && len == 0 ? 0 : -EFAULT;
	return n;
}

long plat_write(struct plat_as *as, uint64_t addr, const void *buf, size_t len)
{
	struct iovec l = {(void *)buf, len}, rm = {(void *)addr, len};
	ssize_t n = process_vm_writev(as->pid, &l, 1, &rm, 1, 0);
	if (n <= 0)
		return n == 0 && len == 0 ? 0 : -EFAULT;
	return n;
}

int plat_get_fpstate(struct plat_thread *t, void *buf)
{
	struct iovec iov = {buf, plat_fpstate_size};
	if (ptrace(PTRACE_GETREGSET, t->tid, NT_X86_XSTATE, &iov) < 0)
		return -errno;
	return 0;
}

int plat_set_fpstate(struct plat_thread *t, const void *buf)
{
	struct iovec iov = {(void *)buf, plat_fpstate_size};
	if (ptrace(PTRACE_SETREGSET, t->tid, NT_X86_XSTATE, &iov) < 0)
		return -errno;
	return 0;
}

static int find_vdso(void)
{
	int fd = sentry_proc_open("self/maps", O_RDONLY);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f)
		return fd >= 0 ? (close(fd), -ENOMEM) : -errno;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[vvar") || strstr(line, "[vdso]")) {
			if (!vdso_lo || lo < vdso_lo)
				vdso_lo = lo;
			if (hi > vdso_hi)
				vdso_hi = hi;
			if (strstr(line, "[vdso]"))
				vdso_base = lo;
		}
	}
	fclose(f);
	return vdso_base ? 0 : -ENOENT;
}

void plat_vdso_range(uint64_t *start, uint64_t *end, uint64_t *base)
{
	*start = vdso_lo;
	*end = vdso_hi;
	*base = vdso_base;
}

static long zsys(uint64_t insn, long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		 uint64_t a4, uint64_t a5)
{
	uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
	return inject_at(&zygote, insn, nr, a, NULL);
}

int plat_pin_cpu(void)
{
	/* A cross-CPU wake-up of a stopped tracee costs ~15x a same-CPU one on
	 * VMs (measured: 99 us vs 6 us per system call); keep the Sentry and
	 * its stubs on one CPU. CVISOR_NO_PIN=1 turns it off. */
	const char *no = getenv("CVISOR_NO_PIN");
	if (no && *no == '1')
		return 0;
	int cpu = sched_getcpu();
	if (cpu < 0)
		return 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) < 0 ? -errno : 0;
}

int plat_init(void)
{
	int err = find_vdso();
	if (err)
		return err;
	unsigned int eax, ebx, ecx, edx;
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0xd), "c"(0));
	plat_fpstate_size = ebx;
	plat_pin_cpu();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid_t z = fork();
	if (z < 0)
		return -errno;
	if (z == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "cvisor-stub", 0, 0, 0);
		/* a process group of their own: the terminal's ^C reaches only
		 * the Sentry, which passes it into the sandbox */
		setpgid(0, 0);
		dup3(sv[1], STUB_SOCK_FD, 0);
		syscall(SYS_close_range, STUB_SOCK_FD + 1, ~0U, 0);
		struct sigaction sa = {.sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT};
		sigaction(SIGCHLD, &sa, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The kernel writes the rseq area (in libc's TLS) on every return
		 * to user mode; it is about to be unmapped, so unregister it. */
		if (__rseq_size)
			syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, 32,
				1 /* RSEQ_FLAG_UNREGISTER */, 0x53053053);
		raise(SIGSTOP);
		_exit(127);
	}
	close(sv[1]);
	fd_sock = sv[0];
	int st;
	if (waitpid(z, &st, WUNTRACED) != z || !WIFSTOPPED(st))
		return -ECHILD;
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
	if (ptrace(PTRACE_SEIZE, z, 0, opts) < 0)
		return -errno;
	zygote.tid = z;
	zygote_as.pid = z;
	zygote_as.refs = 1;
	zygote.as = &zygote_as;
	if ((err = wait_tid(z, &st)))
		return err;
	if ((err = getregs(&zygote)))
		return err;

	uint64_t boot = (uint64_t)plat_boot_syscall;
	long r = zsys(boot, SYS_mmap, STUB_ADDR, STUB_LEN, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0);
	if (r != (long)STUB_ADDR)
		return r < 0 ? (int)r : -ENOMEM;
	/* Code page: syscall; int3. Data page: the seccomp program. */
	static const unsigned char code[] = {0x0f, 0x05, 0xcc};
	struct sock_fprog prog = {.len = stub_filter_len,
				  .filter = (struct sock_filter *)(DATA_PAGE + 64)};
	if (plat_write(&zygote_as, STUB_ADDR, code, sizeof(code)) < 0 ||
	    plat_write(&zygote_as, DATA_PAGE, &prog, sizeof(prog)) < 0 ||
	    plat_write(&zygote_as, DATA_PAGE + 64, stub_filter,
		       stub_filter_len * sizeof(stub_filter[0])) < 0)
		return -EFAULT;
	r = zsys(boot, SYS_mprotect, STUB_ADDR, 0x1000, PROT_READ | PROT_EXEC, 0, 0, 0);
	if (r < 0)
		return (int)r;
	/* From here on, only the stub page: drop all the rest but the vDSO. */
	r = zsys(STUB_SYSCALL, SYS_munmap, 0, vdso_lo, 0, 0, 0, 0);
	if (r == 0)
		r = zsys(STUB_SYSCALL, SYS_munmap, vdso_hi, STUB_ADDR - vdso_hi, 0, 0, 0, 0);
	if (r == 0)
		r = zsys(STUB_SYSCALL, SYS_munmap, STUB_ADDR + STUB_LEN,
			 0x7ffffffff000UL - (STUB_ADDR + STUB_LEN), 0, 0, 0, 0);
	if (r == 0)
		r = zsys(STUB_SYSCALL, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (r == 0)
		r = zsys(STUB_SYSCALL, SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, DATA_PAGE, 0, 0, 0);
	if (r < 0)
		return (int)r;
	/* The data page is the stub's scratch from now on. */
	return 0;
}

static struct plat_thread *thread_new(pid_t tid, struct plat_as *as)
{
	struct plat_thread *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->as = as;
	tmap_add(t);
	return t;
}

/* A new traced child starts with a PTRACE_EVENT_STOP; collect it. */
static int adopt(pid_t tid, struct plat_as *as, struct plat_thread **out)
{
	int st, err;
	if ((err = wait_tid(tid, &st)))
		return err;
	if (!WIFSTOPPED(st))
		return -ESRCH;
	struct plat_thread *t = thread_new(tid, as);
	if (!t)
		return -ENOMEM;
	if ((err = getregs(t))) {
		plat_thread_exit(t);
		return err;
	}
	*out = t;
	return 0;
}

static int clone_from(struct plat_thread *parent, unsigned long flags, struct plat_as *as,
		      struct plat_thread **out)
{
	plat_regs saved = parent->regs;
	pid_t child = 0;
	uint64_t a[6] = {flags, 0, 0, 0, 0, 0};
	long r = inject_at(parent, STUB_SYSCALL, SYS_clone, a, &child);
	parent->regs = saved;
	parent->regs_dirty = 1;
	if (r < 0)
		return (int)r;
	if (child <= 0)
		child = (pid_t)r;
	return adopt(child, as, out);
}

static struct plat_as *as_alloc(void)
{
	struct plat_as *as = calloc(1, sizeof(*as));
	if (as)
		as->refs = 1;
	return as;
}

int plat_as_new(struct plat_thread **out)
{
	struct plat_as *as = as_alloc();
	if (!as)
		return -ENOMEM;
	int err = clone_from(&zygote, SIGCHLD, as, out);
	if (err) {
		free(as);
		return err;
	}
	as->pid = (*out)->tid;
	return 0;
}

int plat_fork(struct plat_thread *t, int share_vm, struct plat_thread **out)
{
	if (share_vm) {
		plat_as_get(t->as);
		/* The host child shares the memory; its own pid stays private. */
		int err = clone_from(t, CLONE_VM | CLONE_PARENT, t->as, out);
		if (err)
			plat_as_put(t->as);
		return err;
	}
	struct plat_as *as = as_alloc();
	if (!as)
		return -ENOMEM;
	int err = clone_from(t, CLONE_PARENT, as, out);
	if (err) {
		free(as);
		return err;
	}
	as->pid = (*out)->tid;
	return 0;
}

int plat_thread_new(struct plat_thread *t, struct plat_thread **out)
{
	unsigned long flags =
	    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
	int err = clone_from(t, flags, t->as, out);
	if (!err)
		plat_as_get(t->as);
	return err;
}

void plat_as_get(struct plat_as *as)
{
	as->refs++;
}

void plat_as_put(struct plat_as *as)
{
	if (--as->refs > 0)
		return;
	kill(as->pid, SIGKILL);
	free(as);
}

void plat_thread_exit(struct plat_thread *t)
{
	struct plat_as *as = t->as;
	if (t->stop != STOP_EXITED && !t->in_user && t->tid != as->pid) {
		/* Host threads other than the leader leave for real. */
		plat_regs r = t->regs;
		r.rip = STUB_SYSCALL;
		r.rax = SYS_exit;
		r.rdi = 0;
		if (setregs(t, &r) == 0 && ptrace(PTRACE_CONT, t->tid, 0, 0) == 0) {
			int st;
			while (wait_tid(t->tid, &st) == 0 && WIFSTOPPED(st))
				ptrace(PTRACE_CONT, t->tid, 0, 0);
		}
	}
	tmap_del(t->tid);
	free(t);
	plat_as_put(as);
}

int plat_resume(struct plat_thread *t)
{
	if (t->regs_dirty) {
		int err = setregs(t, &t->regs);
		if (err)
			return err;
		t->regs_dirty = 0;
	}
	if (ptrace(PTRACE_SYSEMU, t->tid, 0, 0) < 0)
		return -errno;
	t->in_user = 1;
	return 0;
}

void plat_interrupt(struct plat_thread *t)
{
	if (t->in_user)
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
}

/* Turns a wait status into t's stop; returns 1 if it is a stop to report,
 * 0 if the thread was resumed again (a stop nobody asked for). */
static int classify(struct plat_thread *t, int st)
{
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		t->stop = STOP_EXITED;
		t->exit_status = st;
		t->in_user = 0;
		return 1;
	}
	int sig = WSTOPSIG(st), ev = st >> 16;
	t->in_user = 0;
	if (sig == (SIGTRAP | 0x80)) {
		t->stop = STOP_SYSCALL;
	} else if (ev == PTRACE_EVENT_STOP) {
		t->stop = STOP_INTERRUPT;
	} else if (ev) {
		/* clone events only happen under injection */
		ptrace(PTRACE_SYSEMU, t->tid, 0, 0);
		t->in_user = 1;
		return 0;
	} else {
		t->stop = STOP_SIGNAL;
		if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &t->siginfo) < 0) {
			memset(&t->siginfo, 0, sizeof(t->siginfo));
			t->siginfo.si_signo = sig;
		}
	}
	if (getregs(t) < 0) {
		t->stop = STOP_EXITED;
		t->exit_status = SIGKILL;
	}
	return 1;
}

struct plat_thread *plat_wait_stop(int block)
{
	for (;;) {
		int st;
		pid_t tid = waitpid(-1, &st, __WALL | (block ? 0 : WNOHANG));
		if (tid < 0 && errno == EINTR) {
			if (plat_host_signals)
				return NULL; /* the scheduler forwards them first */
			continue;
		}
		if (tid <= 0)
			return NULL;
		struct plat_thread *t = plat_thread_find(tid);
		if (!t || t == &zygote)
			continue;
		if (classify(t, st))
			return t;
	}
}

/* Sends fd over the stub socket and has the stub receive it. */
int plat_send_fd(struct plat_thread *t, int fd)
{
	char byte = 0;
	ssize_t sent = fd_sendmsg(fd_sock, &byte, 1, &fd, 1);
	if (sent < 0)
		return (int)sent;
	/* The stub side: a msghdr in the data page pointing into it. */
	struct {
		struct msghdr mh;
		struct iovec iov;
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(int))];
		} u;
		char byte;
	} remote;
	memset(&remote, 0, sizeof(remote));
	uint64_t base = DATA_PAGE + 1024;
	remote.iov.iov_base = (void *)(base + offsetof(__typeof__(remote), byte));
	remote.iov.iov_len = 1;
	remote.mh.msg_iov = (struct iovec *)(base + offsetof(__typeof__(remote), iov));
	remote.mh.msg_iovlen = 1;
	remote.mh.msg_control = (void *)(base + offsetof(__typeof__(remote), u));
	remote.mh.msg_controllen = sizeof(remote.u.buf);
	if (plat_write(t->as, base, &remote, sizeof(remote)) < 0)
		return -EFAULT;
	long r = plat_syscall(t, SYS_recvmsg, STUB_SOCK_FD, base, MSG_CMSG_CLOEXEC, 0, 0, 0);
	if (r < 0)
		return (int)r;
	if (plat_read(t->as, base, &remote, sizeof(remote)) < 0)
		return -EFAULT;
	int got;
	memcpy(&got, CMSG_DATA(&remote.u.h), sizeof(int));
	return got;
}
