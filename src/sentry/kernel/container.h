/* The containers of a pod. A sandbox starts with one container, whose
 * processes have no container record (NULL): its init is pid 1 and the
 * sandbox ends with it. A container that joins later (CRI annotations, see
 * src/oci/container_pod.c) gets a record, shared by every process it starts and
 * inherited by fork: its own root (its own Gofer), its own init, whose exit
 * ends its other processes, as a pid namespace's init would. */
#ifndef CVISOR_SENTRY_KERNEL_CONTAINER_H
#define CVISOR_SENTRY_KERNEL_CONTAINER_H

#include <sys/types.h>

struct fs_context;
struct process;

struct container {
	int refs;
	char *id;
	pid_t init;	       /* its first process; 0 until it exists */
	int ended;	       /* init has exited: no exec joins it any more */
	struct fs_context *fs; /* root and cwd a new process (exec) starts from */
	struct container *next;
};

/* A live container named id (ended ones are not found), or NULL. */
struct container *container_find(const char *id);
/* A new live container id over fs (the reference is taken); NULL if out
 * of memory or if a live one has that id. */
struct container *container_new(const char *id, struct fs_context *fs);
struct container *container_get(struct container *c);
void container_put(struct container *c);

/* p (a process of c) exited; if it was c's init, every other process of c
 * is killed and c ends. */
void container_process_exited(struct container *c, struct process *p);

#endif
