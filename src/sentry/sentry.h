/* The Sentry's entry point: builds the sandbox's kernel state and runs the
 * first program until every task has exited. */
#ifndef CVISOR_SENTRY_SENTRY_H
#define CVISOR_SENTRY_SENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* A mount over the root, made before the first program runs: a host
 * directory (hostfs) or, with tmpfs set, a fresh memory file system. The
 * destination is created in the overlay if it is missing. */
struct sentry_mount {
	const char *source;	 /* host directory (bind); unused for tmpfs */
	const char *destination; /* absolute, inside the sandbox */
	int readonly;
	int tmpfs;
	uint32_t mode; /* tmpfs root mode; 0 = 01777 */
};

struct sentry_config {
	const char *root;  /* host directory seen as /, read-only underneath; NULL = "/" */
	int readonly_root; /* writes fail with EROFS instead of going to the overlay */
	uint32_t uid, gid; /* of the first program; 0 keeps every capability */
	const struct sentry_mount *mounts;
	size_t n_mounts;
	char **argv; /* the program and its arguments */
	char **envp;
	const char *cwd; /* inside the sandbox */
	const char *hostname;
	int strace;
	int max_tasks; /* the sandbox's pid limit */
	/* The root's lower layer: 0 hostfs (the default), 1 a Gofer serving /
	 * read-only over 9P (--file-access=gofer). */
	int gofer_root;
	/* The control socket, listening (control_listen()); 0 = none. */
	int control_fd;
};

/* Returns the exit status of the first program (128+N if killed by N). */
int sentry_run(const struct sentry_config *cfg, struct error **err);

#endif
