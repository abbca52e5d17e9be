/* The x86-64 system call table: one row per number with its handler and a
 * support note; empty rows go to sys_missing (ENOSYS, logged once by name).
 * `cvisor help syscalls` prints it. */
#include "sentry/syscalls/table.h"

#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "lib/log.h"
#include "sentry/syscalls/strace.h"
#include "sentry/syscalls/syscalls.h"
#include "syscall_names.h" /* generated from the kernel headers */

struct syscall_row {
	syscall_fn fn;
	const char *note; /* NULL: full support */
};

/* Handlers are declared here from the list below. */
#define S(name, note) long sys_##name(struct task *t, const uint64_t *a);
#include "sentry/syscalls/list.h"
#undef S

static const struct syscall_row table[SYSCALL_NAMES_MAX] = {
#define S(name, note) [SYS_##name] = {sys_##name, note},
#include "sentry/syscalls/list.h"
#undef S
};

int strace_enabled;
static unsigned char warned[SYSCALL_NAMES_MAX];

static const char *name_of(long nr)
{
	if (nr >= 0 && nr < SYSCALL_NAMES_MAX && syscall_names[nr])
		return syscall_names[nr];
	return "unknown";
}

void syscall_dispatch(struct task *t)
{
	plat_regs *r = &t->plat->regs;
	long nr = (long)r->orig_rax;
	uint64_t a[6] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9};
	t->sysno = nr;
	t->in_syscall = 1;
	long ret;
	if (nr >= 0 && nr < SYSCALL_NAMES_MAX && table[nr].fn) {
		ret = table[nr].fn(t, a);
	} else {
		if (nr >= 0 && nr < SYSCALL_NAMES_MAX && !warned[nr]) {
			warned[nr] = 1;
			log_info("unsupported system call %s (%ld)", name_of(nr), nr);
		}
		ret = -ENOSYS;
	}
	if (strace_enabled)
		strace_log(t, name_of(nr), nr, a, ret);
	/* the task may have a new thread after execve: use its registers */
	t->plat->regs.rax = (uint64_t)ret;
	t->plat->regs_dirty = 1;
}

void syscall_table_print(FILE *out)
{
	int n = 0;
	fprintf(out, "%-4s %-24s %s\n", "nr", "name", "support");
	for (int i = 0; i < SYSCALL_NAMES_MAX; i++) {
		if (!syscall_names[i])
			continue;
		const char *support = !table[i].fn    ? "unimplemented (ENOSYS)"
				      : table[i].note ? table[i].note
						      : "supported";
		if (table[i].fn)
			n++;
		fprintf(out, "%-4d %-24s %s\n", i, syscall_names[i], support);
	}
	fprintf(out, "\n%d system calls implemented\n", n);
}
