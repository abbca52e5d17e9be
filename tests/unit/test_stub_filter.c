/* The stubs' seccomp filter, installed in a child that calls through a
 * copy of the stub's "syscall" instruction at the stub's address: the
 * memory calls, exit and a plain clone pass; anything else from there
 * (getpid, socket, a clone into a new user namespace or untraced) and any
 * call from elsewhere kill the process with SIGSYS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sentry/platform/platform.h"
#include "sentry/platform/ptrace/stub_filter.h"

#define PASSED 42 /* the child's exit code when the calls it made all passed */

static long via_stub(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3, r8 __asm__("r8") = a4, r9 __asm__("r9") = a5;
	long ret;
	__asm__ volatile("call *%[stub]"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8),
			   "r"(r9), [stub] "r"(STUB_SYSCALL)
			 : "rcx", "r11", "memory");
	return ret;
}

enum probe {
	P_MEMORY,
	P_GETPID,
	P_SOCKET,
	P_CLONE,
	P_CLONE_NEWUSER,
	P_CLONE_UNTRACED,
	P_ELSEWHERE
};

/* In a child: the stub page, the filter, then the probe. Returns the wait
 * status, or -1 when the stub's address is taken in this process. */
static int run_probe(enum probe what)
{
	pid_t pid = fork();
	if (pid == 0) {
		/* syscall; ret */
		static const unsigned char code[] = {0x0f, 0x05, 0xc3};
		void *page = mmap((void *)STUB_ADDR, 0x1000, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (page != (void *)STUB_ADDR)
			_exit(99);
		memcpy(page, code, sizeof(code));
		struct sock_fprog prog = {.len = stub_filter_len,
					  .filter = (struct sock_filter *)stub_filter};
		if (mprotect(page, 0x1000, PROT_READ | PROT_EXEC) ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
			_exit(98);
		long r = 0;
		switch (what) {
		case P_MEMORY: {
			long a = via_stub(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			r = (unsigned long)a > -4096UL; /* an error */
			r |= via_stub(SYS_mprotect, a, 4096, PROT_READ, 0, 0, 0) != 0;
			r |= via_stub(SYS_madvise, a, 4096, MADV_DONTNEED, 0, 0, 0) != 0;
			r |= via_stub(SYS_munmap, a, 8192, 0, 0, 0, 0) != 0;
			r |= via_stub(SYS_close, 1000, 0, 0, 0, 0, 0) != -EBADF;
			break;
		}
		case P_GETPID:
			via_stub(SYS_getpid, 0, 0, 0, 0, 0, 0);
			break;
		case P_SOCKET:
			via_stub(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
			break;
		case P_CLONE: /* the new child dies at its first call from libc */
			r = via_stub(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0) <= 0;
			break;
		case P_CLONE_NEWUSER:
			via_stub(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0, 0);
			break;
		case P_CLONE_UNTRACED:
			via_stub(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0, 0);
			break;
		case P_ELSEWHERE:
			syscall(SYS_getppid);
			break;
		}
		via_stub(SYS_exit, r ? 1 : PASSED, 0, 0, 0, 0, 0);
		_exit(97);
	}
	int st = -1;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 99 ? -1 : st;
}

static void expect_passed(enum probe what)
{
	int st = run_probe(what);
	if (st == -1)
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), PASSED);
}

static void expect_killed(enum probe what)
{
	int st = run_probe(what);
	if (st == -1)
		skip();
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

static void test_memory_calls_pass(void **state)
{
	(void)state;
	expect_passed(P_MEMORY);
}

static void test_plain_clone_passes(void **state)
{
	(void)state;
	expect_passed(P_CLONE);
}

static void test_other_calls_kill(void **state)
{
	(void)state;
	expect_killed(P_GETPID);
	expect_killed(P_SOCKET);
}

static void test_clone_flags_kill(void **state)
{
	(void)state;
	expect_killed(P_CLONE_NEWUSER);
	expect_killed(P_CLONE_UNTRACED);
}

static void test_calls_from_elsewhere_kill(void **state)
{
	(void)state;
	expect_killed(P_ELSEWHERE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_calls_pass),
	    cmocka_unit_test(test_plain_clone_passes),
	    cmocka_unit_test(test_other_calls_kill),
	    cmocka_unit_test(test_clone_flags_kill),
	    cmocka_unit_test(test_calls_from_elsewhere_kill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
