/* Scope-exit cleanup, as in crun: a variable declared `cleanup_free char *p`
 * is freed when it goes out of scope; steal_ptr()/steal_fd() hand it out. */
#ifndef CVISOR_LIB_CLEANUP_H
#define CVISOR_LIB_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define cleanup_free  __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))

#define steal_ptr(p)                                                                               \
	({                                                                                         \
		__typeof__(p) _v = (p);                                                            \
		(p) = NULL;                                                                        \
		_v;                                                                                \
	})
#define steal_fd(fd)                                                                               \
	({                                                                                         \
		int _v = (fd);                                                                     \
		(fd) = -1;                                                                         \
		_v;                                                                                \
	})

#endif
