/* Coroutine stacks; see coro.h. Stacks are mmap'd with a guard page below so
 * an overflow faults instead of corrupting the neighbour. */
#include "sentry/kernel/coro.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

void coro_trampoline(void);

int coro_init(struct coro *c, size_t stack_size, void (*fn)(void *), void *arg)
{
	size_t guard = 4096;
	void *mem = mmap(NULL, stack_size + guard, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -ENOMEM;
	mprotect(mem, guard, PROT_NONE);
	c->stack = mem;
	c->stack_size = stack_size + guard;
	uint64_t *sp = (uint64_t *)((char *)mem + c->stack_size);
	/* Layout popped by coro_switch: csr word, r15, r14, r13, r12, rbx, rbp, ret. */
	*--sp = 0; /* alignment: trampoline entered as if called */
	*--sp = (uint64_t)coro_trampoline;
	*--sp = 0;		/* rbp */
	*--sp = 0;		/* rbx */
	*--sp = (uint64_t)fn;	/* r12 */
	*--sp = (uint64_t)arg;	/* r13 */
	*--sp = 0;		/* r14 */
	*--sp = 0;		/* r15 */
	*--sp = 0x037f00001f80; /* mxcsr default, x87 control word default */
	c->sp = sp;
	return 0;
}

void coro_destroy(struct coro *c)
{
	if (c->stack)
		munmap(c->stack, c->stack_size);
	memset(c, 0, sizeof(*c));
}
