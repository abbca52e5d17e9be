/* Signals: handlers with siginfo, SA_RESTART, masks and pending sets,
 * raise/kill/sigqueue, alternate stacks, sigtimedwait, signalfd, faults
 * (SIGSEGV, SIGFPE) recovered with siglongjmp, alarm/pause, interval timers,
 * and the FP/SSE/AVX state kept across a handler.
 * Inside the sandbox this program is pid 1: every signal it sends itself has a
 * handler or is blocked, since init ignores default-action signals. */
#include "harness.h"
#include <cpuid.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

/* Rounding mode of SSE (MXCSR) and x87 (control word) without libm. */
enum {
	RND_NEAREST = 0,
	RND_DOWN = 1,
	RND_UP = 2
};
static int get_round(void)
{
	unsigned mx;
	unsigned short cw;
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	int sse = (mx >> 13) & 3, x87 = (cw >> 10) & 3;
	return sse == x87 ? sse : -1;
}
static void set_round(int mode)
{
	unsigned mx;
	unsigned short cw;
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	mx = (mx & ~(3u << 13)) | (unsigned)mode << 13;
	__asm__ volatile("ldmxcsr %0" : : "m"(mx));
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	cw = (unsigned short)((cw & ~(3u << 10)) | (unsigned)mode << 10);
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

static volatile sig_atomic_t hits;
static volatile int last_sig, last_code, last_pid, last_uid, last_val;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_uid = si->si_uid;
	last_val = si->si_value.sival_int;
}

static void on_plain(int sig)
{
	hits++;
	last_sig = sig;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void set_plain(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(sig, &sa, NULL));
}

TEST(handler_siginfo)
{
	set_handler(SIGUSR1, on_info, 0);
	hits = 0;
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK_EQ(last_sig, SIGUSR1);
	CHECK_EQ(last_code, SI_USER);
	CHECK_EQ(last_pid, getpid());
	CHECK_EQ(last_uid, getuid());

	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 2);
	CHECK_EQ(last_code, SI_TKILL);

	union sigval v = {.sival_int = 1234};
	CHECK_OK(sigqueue(getpid(), SIGUSR1, v));
	CHECK_EQ(hits, 3);
	CHECK_EQ(last_code, SI_QUEUE);
	CHECK_EQ(last_val, 1234);

	/* the old action comes back from sigaction */
	struct sigaction old;
	CHECK_OK(sigaction(SIGUSR1, NULL, &old));
	CHECK(old.sa_sigaction == on_info);
	CHECK(old.sa_flags & SA_SIGINFO);
	CHECK_ERR(sigaction(SIGKILL, &old, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &old, NULL), EINVAL);
	CHECK_ERR(sigaction(0, &old, NULL), EINVAL);
	CHECK_ERR(sigaction(65, &old, NULL), EINVAL);
	CHECK_ERR(kill(getpid(), 65), EINVAL);

	/* ignored signals are dropped */
	signal(SIGUSR1, SIG_IGN);
	hits = 0;
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(hits, 0);
	signal(SIGUSR1, SIG_DFL);

	/* SA_RESETHAND: the second one would hit the default action */
	set_handler(SIGUSR2, on_info, SA_RESETHAND);
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(sigaction(SIGUSR2, NULL, &old));
	CHECK(old.sa_handler == SIG_DFL);

	/* realtime signals queue; standard ones coalesce */
	sigset_t set, prev;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigaddset(&set, SIGUSR1);
	set_handler(SIGRTMIN + 1, on_info, 0);
	set_handler(SIGUSR1, on_info, 0);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &prev));
	hits = 0;
	for (int i = 0; i < 3; i++) {
		CHECK_OK(kill(getpid(), SIGRTMIN + 1));
		CHECK_OK(kill(getpid(), SIGUSR1));
	}
	CHECK_EQ(hits, 0);
	CHECK_OK(sigprocmask(SIG_SETMASK, &prev, NULL));
	CHECK_EQ(hits, 4);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGRTMIN + 1, SIG_DFL);
}

static volatile int mask_in_handler_has_self, mask_in_handler_has_extra;
static void on_mask(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_in_handler_has_self = sigismember(&cur, sig);
	mask_in_handler_has_extra = sigismember(&cur, SIGWINCH);
	hits++;
}

TEST(masks_pending)
{
	sigset_t set, old, pend, cur;
	set_plain(SIGUSR1, on_plain, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	hits = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 0);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK(!sigismember(&pend, SIGUSR2));
	/* unblocking delivers before sigprocmask returns */
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK_EQ(hits, 1);
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR1));

	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&set);
	CHECK_OK(sigprocmask(SIG_SETMASK, &set, NULL));
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &cur));
	CHECK(!sigismember(&cur, SIGKILL));
	CHECK(!sigismember(&cur, SIGSTOP));
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
	CHECK_ERR(sigprocmask(42, &set, NULL), EINVAL);

	/* inside a handler the signal and sa_mask are blocked; restored after */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_mask;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGWINCH);
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	hits = 0;
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(hits, 1);
	CHECK(mask_in_handler_has_self);
	CHECK(mask_in_handler_has_extra);
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &cur));
	CHECK(!sigismember(&cur, SIGUSR2));
	CHECK(!sigismember(&cur, SIGWINCH));
	sa.sa_flags = SA_NODEFER;
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	CHECK_OK(raise(SIGUSR2));
	CHECK(!mask_in_handler_has_self);

	/* sigsuspend waits with a temporary mask */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	CHECK_OK(raise(SIGUSR1));
	hits = 0;
	sigset_t none;
	sigemptyset(&none);
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK_EQ(hits, 1);
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &cur));
	CHECK(sigismember(&cur, SIGUSR1));
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void on_alrm(int sig)
{
	hits++;
}

TEST(sa_restart)
{
	for (int restart = 0; restart < 2; restart++) {
		int p[2];
		CHECK_OK(pipe(p));
		pid_t pid = fork();
		if (pid == 0) {
			usleep(300000);
			_exit(write(p[1], "r", 1) == 1 ? 0 : 1);
		}
		set_plain(SIGALRM, on_alrm, restart ? SA_RESTART : 0);
		hits = 0;
		struct itimerval it = {{0, 0}, {0, 50000}};
		CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
		char c;
		errno = 0;
		ssize_t r = read(p[0], &c, 1);
		CHECK_EQ(hits, 1);
		if (restart) {
			CHECK_EQ(r, 1);
		} else {
			CHECK_EQ(r, -1);
			CHECK_EQ(errno, EINTR);
		}
		int st;
		waitpid(pid, &st, 0);
		close(p[0]);
		close(p[1]);
	}
	signal(SIGALRM, SIG_DFL);
}

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, alt_flags;
static void on_altstack(int sig)
{
	char local;
	on_alt = &local >= alt_base && &local < alt_base + alt_size;
	stack_t ss;
	sigaltstack(NULL, &ss);
	alt_flags = ss.ss_flags;
	hits++;
}

TEST(altstack)
{
	alt_size = 64 * 1024;
	alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(alt_base != MAP_FAILED);
	stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0}, old;
	CHECK_OK(sigaltstack(&ss, &old));
	CHECK(old.ss_flags & SS_DISABLE);
	set_plain(SIGUSR1, on_altstack, SA_ONSTACK);
	hits = 0;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(hits, 1);
	CHECK(on_alt);
	CHECK(alt_flags & SS_ONSTACK);
	/* without SA_ONSTACK the normal stack is used */
	set_plain(SIGUSR1, on_altstack, 0);
	CHECK_OK(raise(SIGUSR1));
	CHECK(!on_alt);
	CHECK(!(alt_flags & SS_ONSTACK));
	stack_t cur;
	CHECK_OK(sigaltstack(NULL, &cur));
	CHECK(cur.ss_sp == alt_base && cur.ss_size == alt_size);
	stack_t tiny = {.ss_sp = alt_base, .ss_size = 16, .ss_flags = 0};
	CHECK_ERR(sigaltstack(&tiny, NULL), ENOMEM);
	stack_t off = {.ss_flags = SS_DISABLE};
	CHECK_OK(sigaltstack(&off, NULL));
	signal(SIGUSR1, SIG_DFL);
	munmap(alt_base, alt_size);
}

TEST(sigtimedwait_signalfd)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	struct timespec ts = {0, 50000000};
	siginfo_t si;
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_ERR(sigtimedwait(&set, &si, &ts), EAGAIN);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.045);
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_EQ(sigtimedwait(&set, &si, &ts), SIGUSR2);
	CHECK_EQ(si.si_signo, SIGUSR2);
	CHECK_EQ(si.si_code, SI_USER);
	CHECK_EQ(si.si_pid, getpid());
	union sigval v = {.sival_int = 99};
	CHECK_OK(sigqueue(getpid(), SIGUSR1, v));
	int sig = 0;
	CHECK_OK(sigwait(&set, &sig));
	CHECK_EQ(sig, SIGUSR1);

	/* a signal sent by a child while we wait */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	struct timespec longer = {5, 0};
	CHECK_EQ(sigtimedwait(&set, &si, &longer), SIGUSR1);
	CHECK_EQ(si.si_pid, pid);
	int st;
	waitpid(pid, &st, 0);

	/* signalfd */
	int fd = CHECK_OK(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
	struct signalfd_siginfo ssi;
	CHECK_ERR(read(fd, &ssi, sizeof(ssi)), EAGAIN);
	struct pollfd pfd = {fd, POLLIN, 0};
	CHECK_EQ(poll(&pfd, 1, 0), 0);
	CHECK_OK(kill(getpid(), SIGUSR2));
	CHECK_EQ(poll(&pfd, 1, 1000), 1);
	CHECK_EQ(read(fd, &ssi, sizeof(ssi)), sizeof(ssi));
	CHECK_EQ(ssi.ssi_signo, SIGUSR2);
	CHECK_EQ(ssi.ssi_pid, getpid());
	CHECK_EQ(ssi.ssi_code, SI_USER);
	sigset_t pend;
	CHECK_OK(sigpending(&pend));
	CHECK(!sigismember(&pend, SIGUSR2)); /* consumed */
	CHECK_ERR(read(fd, &ssi, 4), EINVAL);
	/* two signals in one read */
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR2));
	struct signalfd_siginfo two[2];
	CHECK_EQ(read(fd, two, sizeof(two)), sizeof(two));
	CHECK_EQ(two[0].ssi_signo + two[1].ssi_signo, SIGUSR1 + SIGUSR2);
	close(fd);
	/* drop whatever a failed check left pending before unblocking */
	struct timespec zero = {0, 0};
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
}

static sigjmp_buf jb;
static volatile int fault_code;
static volatile void *fault_addr;
static void on_fault(int sig, siginfo_t *si, void *uc)
{
	last_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* A child's SIGCHLD, default-ignored but blocked, reaches a signalfd (as
 * catatonit, an init for containers, waits for its children). */
TEST(sigchld_signalfd)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	int fd = CHECK_OK(signalfd(-1, &set, SFD_CLOEXEC));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(3);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	CHECK_EQ(poll(&p, 1, 5000), 1);
	struct signalfd_siginfo ssi;
	CHECK_EQ(read(fd, &ssi, sizeof(ssi)), (ssize_t)sizeof(ssi));
	CHECK_EQ(ssi.ssi_signo, SIGCHLD);
	CHECK_EQ(ssi.ssi_pid, pid);
	CHECK_EQ(ssi.ssi_status, 3);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	close(fd);
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
}

TEST(faults)
{
	set_handler(SIGSEGV, on_fault, 0);
	set_handler(SIGFPE, on_fault, 0);
	set_handler(SIGBUS, on_fault, 0);
	volatile int *null = NULL;
	last_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		(void)*null;
		CHECK(!"null dereference did not fault");
	}
	CHECK_EQ(last_sig, SIGSEGV);
	CHECK_EQ(fault_code, SEGV_MAPERR);
	CHECK(fault_addr == NULL);
	/* the mask was restored by siglongjmp: a second fault works too */
	volatile int *wild = (int *)0x1000;
	last_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		*wild = 1;
		CHECK(!"write to unmapped page did not fault");
	}
	CHECK_EQ(last_sig, SIGSEGV);
	CHECK(fault_addr == (void *)0x1000);

	/* write to a read-only page: SEGV_ACCERR */
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	last_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile char *)(ro + 8) = 1;
		CHECK(!"write to read-only page did not fault");
	}
	CHECK_EQ(last_sig, SIGSEGV);
	CHECK_EQ(fault_code, SEGV_ACCERR);
	CHECK(fault_addr == ro + 8);
	munmap(ro, 4096);

	volatile int zero = 0, num = 7;
	last_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		volatile int r = num / zero;
		(void)r;
		CHECK(!"division by zero did not trap");
	}
	CHECK_EQ(last_sig, SIGFPE);
	CHECK_EQ(fault_code, FPE_INTDIV);

	/* SIGBUS: touching a file mapping past the end of the file */
	const char *p = scratch_path("short");
	int fd = CHECK_OK(open(p, O_CREAT | O_RDWR, 0644));
	CHECK_EQ(write(fd, "x", 1), 1);
	char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], 'x');
	last_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		(void)*(volatile char *)(m + 4096);
		CHECK(!"read past EOF mapping did not fault");
	}
	CHECK_EQ(last_sig, SIGBUS);
	munmap(m, 8192);
	close(fd);

	/* a fault with no handler kills a child with that signal */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		*(volatile int *)NULL = 1;
		_exit(0);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
}

TEST(alarm_pause_itimer)
{
	set_plain(SIGALRM, on_alrm, 0);
	hits = 0;
	CHECK_EQ(alarm(1), 0);
	CHECK_EQ(alarm(1), 1); /* the previous alarm's remaining seconds */
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_ERR(pause(), EINTR);
	double dt = now_sec(CLOCK_MONOTONIC) - t0;
	CHECK_EQ(hits, 1);
	CHECK(dt > 0.8 && dt < 3.0);
	CHECK_EQ(alarm(0), 0);

	/* periodic ITIMER_REAL */
	hits = 0;
	struct itimerval it = {{0, 20000}, {0, 20000}}, cur;
	CHECK_OK(setitimer(ITIMER_REAL, &it, NULL));
	CHECK_OK(getitimer(ITIMER_REAL, &cur));
	CHECK(cur.it_interval.tv_usec == 20000);
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 20000);
	t0 = now_sec(CLOCK_MONOTONIC);
	while (hits < 5 && now_sec(CLOCK_MONOTONIC) - t0 < 5)
		pause();
	CHECK_EQ(hits, 5);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.09);
	struct itimerval zero = {{0, 0}, {0, 0}};
	CHECK_OK(setitimer(ITIMER_REAL, &zero, &cur));
	CHECK_EQ(cur.it_interval.tv_usec, 20000);

	/* ITIMER_PROF counts CPU time */
	set_plain(SIGPROF, on_alrm, 0);
	hits = 0;
	struct itimerval prof = {{0, 0}, {0, 20000}};
	CHECK_OK(setitimer(ITIMER_PROF, &prof, NULL));
	t0 = now_sec(CLOCK_MONOTONIC);
	volatile unsigned long spin = 0;
	while (!hits && now_sec(CLOCK_MONOTONIC) - t0 < 10)
		spin++;
	CHECK_EQ(hits, 1);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPROF, SIG_DFL);
}

/* The handler gets a clean FP state and may trash every vector register;
 * the interrupted code must see its own values again. */
static int have_avx;
static volatile int handler_round;
static void on_fp(int sig)
{
	handler_round = get_round();
	set_round(RND_UP);
	volatile double d = 1.0;
	for (int i = 0; i < 100; i++)
		d = d * 1.0001 + 0.5;
	static const unsigned char junk[32] = {0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
					       0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
					       0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
					       0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef};
	if (have_avx) {
		__asm__ volatile("vmovdqu (%0), %%ymm0\n\t"
				 "vmovdqa %%ymm0, %%ymm1\n\tvmovdqa %%ymm0, %%ymm2\n\t"
				 "vmovdqa %%ymm0, %%ymm3\n\tvmovdqa %%ymm0, %%ymm4\n\t"
				 "vmovdqa %%ymm0, %%ymm5\n\tvmovdqa %%ymm0, %%ymm6\n\t"
				 "vmovdqa %%ymm0, %%ymm7\n\tvmovdqa %%ymm0, %%ymm8\n\t"
				 "vmovdqa %%ymm0, %%ymm9\n\tvmovdqa %%ymm0, %%ymm10\n\t"
				 "vmovdqa %%ymm0, %%ymm11\n\tvmovdqa %%ymm0, %%ymm12\n\t"
				 "vmovdqa %%ymm0, %%ymm13\n\tvmovdqa %%ymm0, %%ymm14\n\t"
				 "vmovdqa %%ymm0, %%ymm15\n\t"
				 :
				 : "r"(junk)
				 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
				   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
				   "xmm15", "memory");
	} else {
		__asm__ volatile("movdqu (%0), %%xmm0\n\t"
				 "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\t"
				 "movdqa %%xmm0, %%xmm3\n\tmovdqa %%xmm0, %%xmm4\n\t"
				 "movdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
				 "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\t"
				 "movdqa %%xmm0, %%xmm9\n\tmovdqa %%xmm0, %%xmm10\n\t"
				 "movdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
				 "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\t"
				 "movdqa %%xmm0, %%xmm15\n\t"
				 :
				 : "r"(junk)
				 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
				   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
				   "xmm15", "memory");
	}
	/* x87 stack too */
	volatile long double ld = 3.0L;
	ld = ld * ld;
	hits++;
}

/* Loads 16 vector registers, sends itself `sig` with a raw kill syscall (so no
 * libc code runs in between), and stores the registers back. */
static void vec_roundtrip(const unsigned char *in, unsigned char *out, int width)
{
	long pid = getpid(), sig = SIGUSR1, nr = SYS_kill;
	if (width == 32) {
#define L(n) "vmovdqu " #n "*32(%[in]), %%ymm" #n "\n\t"
#define S(n) "vmovdqu %%ymm" #n ", " #n "*32(%[out])\n\t"
		__asm__ volatile(L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7) L(8) L(9) L(10) L(11) L(12)
				     L(13) L(14) L(15) "syscall\n\t" S(0) S(1) S(2) S(3) S(4) S(5)
					 S(6) S(7) S(8) S(9) S(10) S(11) S(12) S(13) S(14)
					     S(15) "vzeroupper\n\t"
				 : "+a"(nr)
				 : [in] "r"(in), [out] "r"(out), "D"(pid), "S"(sig)
				 : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
				   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
				   "xmm12", "xmm13", "xmm14", "xmm15");
#undef L
#undef S
	} else {
#define L(n) "movdqu " #n "*16(%[in]), %%xmm" #n "\n\t"
#define S(n) "movdqu %%xmm" #n ", " #n "*16(%[out])\n\t"
		__asm__ volatile(L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7) L(8) L(9) L(10) L(11) L(12)
				     L(13) L(14) L(15) "syscall\n\t" S(0) S(1) S(2) S(3) S(4) S(5)
					 S(6) S(7) S(8) S(9) S(10) S(11) S(12) S(13) S(14) S(15)
				 : "+a"(nr)
				 : [in] "r"(in), [out] "r"(out), "D"(pid), "S"(sig)
				 : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
				   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
				   "xmm12", "xmm13", "xmm14", "xmm15");
#undef L
#undef S
	}
}

static int cpu_has_avx(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (!(c & bit_AVX) || !(c & bit_OSXSAVE))
		return 0;
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

TEST(fp_state)
{
	have_avx = cpu_has_avx();
	printf("# AVX %s\n", have_avx ? "present" : "absent");
	set_plain(SIGUSR1, on_fp, 0);
	set_round(RND_DOWN);
	unsigned char in[16 * 32], out[16 * 32];
	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 13 + 1);
	for (int width = 16; width <= (have_avx ? 32 : 16); width *= 2) {
		memset(out, 0, sizeof(out));
		hits = 0;
		vec_roundtrip(in, out, width);
		CHECK_EQ(hits, 1);
		int same = 1;
		for (int r = 0; r < 16; r++) {
			if (memcmp(in + r * width, out + r * width, width) != 0) {
				printf("#   %s%d differs after the handler\n",
				       width == 32 ? "ymm" : "xmm", r);
				same = 0;
			}
		}
		CHECK(same);
	}
	CHECK_EQ(get_round(), RND_DOWN);
	CHECK_EQ(handler_round, RND_NEAREST); /* the handler starts clean */
	/* a computation in the main flow still uses downward rounding */
	volatile double one = 1.0, three = 3.0;
	volatile double down = one / three;
	set_round(RND_UP);
	volatile double up = one / three;
	CHECK(down < up);
	set_round(RND_NEAREST);

	/* x87 register stack survives too */
	volatile long double x = 1.0L / 3.0L;
	long double before = x;
	raise(SIGUSR1);
	CHECK(x == before);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(handler_siginfo);
	RUN(masks_pending);
	RUN(sa_restart);
	RUN(altstack);
	RUN(sigtimedwait_signalfd);
	RUN(sigchld_signalfd);
	RUN(faults);
	RUN(alarm_pause_itimer);
	RUN(fp_state);
	return done();
}
