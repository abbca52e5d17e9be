#!/bin/bash
# gcc inside the sandbox: compile, assemble and link a small multi-file C
# program (cc1, as, collect2/ld all run sandboxed), run it, compare with native.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
command -v gcc >/dev/null || skip "gcc is not installed"

mkdir -p "$T/src"
cat >"$T/src/main.c" <<'C'
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
static void *worker(void *arg) { long n = (long)arg; return (void *)(n * n); }
int main(int argc, char **argv)
{
	pthread_t t[4];
	long sum = 0;
	for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++) { void *r; pthread_join(t[i], &r); sum += (long)r; }
	printf("threads: %ld\n", sum);
	printf("fib(30) = %ld\n", fib(30));
	printf("sqrt(2) = %.6f\n", sqrt(2.0));
	char *s = strdup("hello from a sandboxed compiler");
	printf("%s (%zu)\n", s, strlen(s));
	free(s);
	printf("argc %d, last %s\n", argc, argv[argc - 1]);
	return 0;
}
C
cat >"$T/src/util.c" <<'C'
#include "util.h"
long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
C
printf 'long fib(int n);\n' >"$T/src/util.h"

cat >"$T/build.sh" <<SCRIPT
set -e
S=$T/src
SCRIPT
cat >>"$T/build.sh" <<'SCRIPT'
d=$(mktemp -d /tmp/cvisor-gcc.XXXXXX)
trap 'rm -rf "$d"' EXIT
cd "$d"
gcc -O2 -Wall -Werror -c "$S/util.c" -o util.o
gcc -O2 -Wall -Werror -I"$S" -c "$S/main.c" -o main.o
gcc -o prog main.o util.o -lm -lpthread
./prog a b
gcc -O0 -g -I"$S" "$S/main.c" "$S/util.c" -o prog2 -lm -lpthread && ./prog2 one
gcc -S -O1 "$S/util.c" -o util.s && grep -c 'fib' util.s
echo 'int main(void){return 7;}' | gcc -x c - -o seven && { ./seven || echo "seven: $?"; }
echo 'int main(void){ undefined(); }' | gcc -x c - -o bad 2>/dev/null || echo "link error detected: $?"
gcc -E -P -I"$S" "$S/util.c" | head -n 1
ar rcs libutil.a util.o && gcc -o prog3 main.o -L. -lutil -lm -lpthread && ./prog3 lib
file_type=$(od -An -c -N4 prog | tr -d ' '); echo "elf magic: $file_type"
SCRIPT
compare gcc bash "$T/build.sh"
compare gcc_version sh -c 'gcc -dumpversion; gcc -dumpmachine'
finish
