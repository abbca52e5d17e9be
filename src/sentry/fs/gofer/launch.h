/* Starting the Gofer that serves a sandbox's files: `cvisor gofer` run as a
 * child of the Sentry (fork + exec of /proc/self/exe), connected by a
 * socketpair. */
#ifndef CVISOR_SENTRY_FS_GOFER_LAUNCH_H
#define CVISOR_SENTRY_FS_GOFER_LAUNCH_H

#include <sys/types.h>

#include <stddef.h>

/* Starts `cvisor gofer --sock-fd N --export SPEC...` with the n export
 * specs ("PATH:ro" or "PATH:rw"), confined when run as root, --no-confine
 * otherwise. Returns the Sentry's end of the socket (close on exec) and the
 * Gofer's pid in *pid, or a negative errno. */
int gofer_launch(const char *const *specs, size_t n, pid_t *pid);
/* Ends the Gofer: closes nothing, kills it and reaps it. */
void gofer_stop(pid_t pid);

#endif
