#!/bin/bash
# Hostile system call arguments: children make thousands of system calls with
# random numbers and arguments (pointers into nowhere, huge lengths, bad
# flags) inside the sandbox. The Sentry must survive every one: the parent
# inside still runs afterwards, and cvisor exits normally. Never run natively.
set -u
T=$(mktemp -d /tmp/cvisor-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/fuzz.c" <<'C'
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}
static uint64_t arg(void)
{
	static const uint64_t special[] = {0, 1, 2, 3, 4096, 0xffffffff, 0x7fffffff, (uint64_t)-1,
					   0x7ffffffff000, 0xffffffffff600000, 0x7fffff000000,
					   0x10000, 1UL << 40};
	switch (next() % 4) {
	case 0: return special[next() % (sizeof(special) / sizeof(special[0]))];
	case 1: return next() & 0xfff;
	case 2: return next();
	default: return (uint64_t)&rng + (next() & 0xffff) - 0x8000; /* near real memory */
	}
}
static int forbidden(long nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group: case SYS_kill: case SYS_tkill: case SYS_tgkill:
	case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo: case SYS_fork: case SYS_vfork:
	case SYS_clone: case SYS_clone3: case SYS_execve: case SYS_execveat: case SYS_reboot:
	case SYS_pause: case SYS_rt_sigsuspend: case SYS_vhangup:
		return 1;
	}
	return 0;
}
int main(int argc, char **argv)
{
	int children = argc > 1 ? atoi(argv[1]) : 16, calls = argc > 2 ? atoi(argv[2]) : 3000;
	for (int c = 0; c < children; c++) {
		pid_t pid = fork();
		if (pid == 0) {
			rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(c + 1);
			for (int i = 0; i < calls; i++) {
				long nr = (long)(next() % 450);
				if (forbidden(nr))
					continue;
				syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
			}
			_exit(0);
		}
		/* a child may block forever (a read on its own empty pipe):
		 * give it two seconds, then kill it */
		for (int ms = 0; pid > 0 && waitpid(pid, NULL, WNOHANG) == 0; ms += 10) {
			if (ms >= 2000) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				break;
			}
			usleep(10000);
		}
	}
	printf("survived\n");
	return 0;
}
C
gcc -O1 -o "$T/fuzz" "$T/fuzz.c" || exit 1
out=$(timeout -k 5 300 "$CVISOR" do "$T/fuzz" 32 5000 2>"$T/err" </dev/null)
rc=$?
if [ "$rc" != 0 ] || [ "$out" != survived ]; then
	echo "FAIL: cvisor exit $rc, output '$out'"
	tail -n 20 "$T/err"
	exit 1
fi
echo "ok - the Sentry survived 160000 random system calls"
