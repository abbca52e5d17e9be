/* Starting the Gofer that serves a sandbox's root: `cvisor gofer` run as a
 * child of the Sentry (fork + exec of /proc/self/exe), connected by a
 * socketpair. */
#ifndef CVISOR_SENTRY_FS_GOFER_LAUNCH_H
#define CVISOR_SENTRY_FS_GOFER_LAUNCH_H

#include <sys/types.h>

/* Starts `cvisor gofer --sock-fd N --export spec` (confined when run as root,
 * --no-confine otherwise). Returns the Sentry's end of the socket (close on
 * exec) and the Gofer's pid in *pid, or a negative errno. */
int gofer_launch(const char *spec, pid_t *pid);
/* Ends the Gofer: closes nothing, kills it and reaps it. */
void gofer_stop(pid_t pid);

#endif
