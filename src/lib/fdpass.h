/* Sending host fds over a unix socket (SCM_RIGHTS). */
#ifndef CVISOR_LIB_FDPASS_H
#define CVISOR_LIB_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

#define FDPASS_MAX 16

/* One sendmsg of len bytes of buf with nfds fds (at most FDPASS_MAX; 0:
 * none) riding along, retried on EINTR, no SIGPIPE. Returns the bytes
 * sent or -errno. */
ssize_t fd_sendmsg(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

#endif
