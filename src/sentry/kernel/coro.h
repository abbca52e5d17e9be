/* Coroutines: each task runs its kernel side on its own stack, and switches
 * to the scheduler when it must wait. Only callee-saved state is switched. */
#ifndef CVISOR_SENTRY_KERNEL_CORO_H
#define CVISOR_SENTRY_KERNEL_CORO_H

#include <stddef.h>

struct coro {
	void *sp; /* saved stack pointer while switched out */
	void *stack;
	size_t stack_size;
};

/* Saves the current context in from and resumes to. */
void coro_switch(struct coro *from, struct coro *to);
/* Prepares c to run fn(arg) on a fresh stack when first switched to.
 * fn must never return. Returns 0 or -ENOMEM. */
int coro_init(struct coro *c, size_t stack_size, void (*fn)(void *), void *arg);
void coro_destroy(struct coro *c);

#endif
