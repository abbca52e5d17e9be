/* Futexes: wait queues keyed by (address space, address). */
#ifndef CVISOR_SENTRY_KERNEL_FUTEX_H
#define CVISOR_SENTRY_KERNEL_FUTEX_H

#include <stdint.h>

struct task;
int futex_wake(struct task *t, uint64_t addr, int n, uint32_t bitset);
/* Walks the robust list of an exiting task and wakes waiters. */
void futex_exit_robust(struct task *t);

#endif
