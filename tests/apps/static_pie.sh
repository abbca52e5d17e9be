#!/bin/bash
# The ELF loader: a static binary, a dynamic one, a non-PIE and a PIE one, a
# static-pie, and #! scripts (nested, with an argument), built on the host into
# a temp dir and each run natively and in cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
command -v gcc >/dev/null || skip "gcc is not installed"

cat >"$T/p.c" <<'C'
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
__thread int tls = 5;
static int data_var = 11;
static int bss_var;
int main(int argc, char **argv)
{
	uintptr_t m = (uintptr_t)main;
	printf("argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\nlow text: %s\n", m < 0x10000000 ? "yes (non-PIE)" : "no (PIE)");
	printf("tls=%d data=%d bss=%d\n", tls, data_var, bss_var);
	printf("pagesz=%lu secure=%lu random=%s phdr=%s entry=%s\n", getauxval(AT_PAGESZ),
	       getauxval(AT_SECURE), getauxval(AT_RANDOM) ? "set" : "unset",
	       getauxval(AT_PHDR) ? "set" : "unset", getauxval(AT_ENTRY) ? "set" : "unset");
	const char *fn = (const char *)getauxval(AT_EXECFN);
	printf("execfn matches argv0: %s\n", fn && !strcmp(fn, argv[0]) ? "yes" : "no");
	char *heap = malloc(1 << 20);
	memset(heap, 1, 1 << 20);
	printf("heap ok, stack aligned: %s\n", ((uintptr_t)__builtin_frame_address(0) & 15) == 0 ? "yes" : "no");
	free(heap);
	return argc;
}
C
B=$T/bin
mkdir -p "$B"
gcc -O1 -o "$B/dynamic_pie" -pie -fPIE "$T/p.c" || bad "gcc -pie failed"
gcc -O1 -o "$B/dynamic_nopie" -no-pie -fno-PIE "$T/p.c" || bad "gcc -no-pie failed"
gcc -O1 -o "$B/static" -static "$T/p.c" || bad "gcc -static failed"
gcc -O1 -o "$B/static_pie" -static-pie -fPIE "$T/p.c" 2>/dev/null || note "no -static-pie support"
printf '#!/bin/sh\necho "script: $0 $# $*"\nexec %s "$@"\n' "$B/static" >"$B/script.sh"
printf '#!/usr/bin/env bash\necho "bash script $BASH_VERSINFO"\nexit 9\n' >"$B/envscript"
printf '#!%s -x\necho never printed: awk gets the script path\n' /bin/sh >"$B/argscript"
printf '#!%s\n' "$B/script.sh" >"$B/nested"
printf 'echo "no shebang: run by the shell"\n' >"$B/noshebang"
chmod 755 "$B"/*

for p in dynamic_pie dynamic_nopie static static_pie; do
	[ -x "$B/$p" ] || continue
	EXPECT_RC=3 compare "$p" "$B/$p" one "two words"
done
EXPECT_RC=3 compare script "$B/script.sh" x y
EXPECT_RC=9 compare envscript "$B/envscript"
compare argscript "$B/argscript"
EXPECT_RC=3 compare nested "$B/nested" n
compare noshebang sh -c "$B/noshebang"
compare ld_so sh -c "/lib64/ld-linux-x86-64.so.2 --list '$B/dynamic_pie' | sed 's/ (0x.*)//'"
EXPECT_RC=2 compare via_ld_so /lib64/ld-linux-x86-64.so.2 "$B/dynamic_pie" z
finish
