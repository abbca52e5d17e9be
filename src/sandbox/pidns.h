/* The Sentry's host pid namespace: every Sentry is the first process (pid
 * 1) of a pid namespace of its own, so a taken-over Sentry sees and can
 * signal only its stubs and its Gofer, never another host process, and
 * when it ends the kernel ends them all. */
#ifndef CVISOR_SANDBOX_PIDNS_H
#define CVISOR_SANDBOX_PIDNS_H

#include <sys/types.h>

/* fork(), with the child the first process of a new pid namespace.
 * Returns as fork() does. */
pid_t sandbox_fork_pidns(void);

/* For a caller that forked the Sentry and only waits for it (`do`): passes
 * on the signals it is sent (not the terminal's, which reach the Sentry
 * too) and returns the Sentry's exit status, 128+N if it was killed by N. */
int sandbox_wait_sentry(pid_t sentry);

#endif
