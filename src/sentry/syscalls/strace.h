/* --strace output. */
#ifndef CVISOR_SENTRY_SYSCALLS_STRACE_H
#define CVISOR_SENTRY_SYSCALLS_STRACE_H

#include <stdint.h>

struct task;
void strace_log(struct task *t, const char *name, long nr, const uint64_t *a, long ret);

#endif
