/* Standard files from the host: the first program's stdin/stdout/stderr
 * and the ones an `exec` hands in over the control socket. */
#ifndef CVISOR_SENTRY_FS_HOST_HOSTSTDIO_H
#define CVISOR_SENTRY_FS_HOST_HOSTSTDIO_H

struct fd_table;

/* Wraps host fd (taken over, closed on failure) as a hostfile with the
 * access flags the host reports for it and installs it at fd number at.
 * Returns 0 or -errno. */
int hoststdio_install(struct fd_table *ft, int at, int hostfd);

#endif
