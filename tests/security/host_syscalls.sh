#!/bin/bash
# The application can never make a system call on the host: a syscall
# instruction anywhere (even the stub's own) is taken by the Sentry, and the
# kernel's vsyscall page (which the host would emulate) kills the program.
set -u
T=$(mktemp -d /tmp/cvisor-sec.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/escape.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
/* the stub's "syscall; int3" lives at a fixed address in every stub */
#define STUB 0x7fffff000000UL
static long via_stub(long nr, long a0)
{
	long ret;
	__asm__ volatile("lea 1f(%%rip), %%rcx\n\t"
			 "push %%rcx\n\t"
			 "jmp *%[stub]\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), [stub] "r"(STUB)
			 : "rcx", "r11", "memory");
	return ret;
}
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "vsyscall") == 0) {
		time_t (*vtime)(time_t *) = (time_t(*)(time_t *))0xffffffffff600400UL;
		printf("vsyscall time returned %ld\n", (long)vtime(NULL));
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "stub") == 0) {
		/* jump into the stub's own syscall instruction: still the Sentry's */
		via_stub(SYS_mkdir, (long)argv[2]);
		return 0;
	}
	/* a plain syscall: must be the sandbox's answer */
	printf("getpid=%ld\n", syscall(SYS_getpid));
	return 0;
}
C
gcc -O1 -o "$T/escape" "$T/escape.c" || exit 1
fail=0
out=$("$CVISOR" do "$T/escape" 2>&1)
if [ "$out" != "getpid=1" ]; then
	echo "FAIL: syscall answered by the host? got: $out"
	fail=1
else
	echo "ok - system calls are the Sentry's"
fi
"$CVISOR" do "$T/escape" vsyscall >"$T/v.out" 2>&1
rc=$?
if grep -q "returned" "$T/v.out"; then
	echo "FAIL: the vsyscall page ran a host system call: $(cat "$T/v.out")"
	fail=1
elif [ "$rc" -lt 128 ]; then
	echo "FAIL: vsyscall call ended with status $rc, want death by signal"
	fail=1
else
	echo "ok - the vsyscall page kills the program (status $rc)"
fi
marker=$T/host-marker
inside=$("$CVISOR" do sh -c "\"$T/escape\" stub \"$marker\" 2>/dev/null; test -d \"$marker\" && echo made")
if [ "$inside" != made ]; then
	echo "FAIL: the mkdir through the stub instruction did not happen in the sandbox"
	fail=1
elif [ -e "$marker" ]; then
	echo "FAIL: a syscall through the stub's instruction reached the host"
	fail=1
else
	echo "ok - the stub's own instruction gives the application nothing"
fi
exit $fail
