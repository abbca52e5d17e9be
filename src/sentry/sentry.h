/* The Sentry's entry point: builds the sandbox's kernel state and runs the
 * first program until every task has exited. */
#ifndef CVISOR_SENTRY_SENTRY_H
#define CVISOR_SENTRY_SENTRY_H

#include "lib/error.h"

struct sentry_config {
	char **argv; /* the program and its arguments */
	char **envp;
	const char *cwd; /* inside the sandbox */
	const char *hostname;
	int strace;
	int max_tasks; /* the sandbox's pid limit */
	/* The root's lower layer: 0 hostfs (the default), 1 a Gofer serving /
	 * read-only over 9P (--file-access=gofer). */
	int gofer_root;
};

/* Returns the exit status of the first program (128+N if killed by N). */
int sentry_run(const struct sentry_config *cfg, struct error **err);

#endif
