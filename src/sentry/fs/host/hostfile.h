/* Host files handed to the sandbox as they are: the caller's stdin, stdout
 * and stderr. Reads wait in the scheduler, never in a host call. */
#ifndef CVISOR_SENTRY_FS_HOST_HOSTFILE_H
#define CVISOR_SENTRY_FS_HOST_HOSTFILE_H

#include "sentry/fs/vfs.h"

/* The foreground process group of the caller's terminal, as the sandbox
 * set it (TIOCSPGRP): where ^C goes. */
extern pid_t hostfile_fg_pgrp;

/* Wraps host fd (taken over); flags are the O_ access flags to report. */
struct file *hostfile_new(int fd, int flags);
/* Opens /dev/tty: f shares the first terminal handed in (the session's
 * stdin when it is one); -ENXIO when there is none. */
int hostfile_open_tty(struct file *f);

#endif
