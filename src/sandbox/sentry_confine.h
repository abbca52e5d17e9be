/* The Sentry's confinement, entered once its file system is built and
 * before its platform starts: an empty read-only root in a mount namespace
 * of its own, a user namespace of its own (host uids mapped one to one, so
 * the Sentry keeps its host uid but holds no capability on the host), no
 * capabilities at all, no_new_privs, no core dumps. The stub zygote is
 * forked after it and inherits all of it; the seccomp allow-list
 * (sentry_filter.h) comes last, after the first exec. */
#ifndef CVISOR_SANDBOX_SENTRY_CONFINE_H
#define CVISOR_SANDBOX_SENTRY_CONFINE_H

#include "lib/error.h"

int sentry_confine(struct error **err);

/* The directory of /proc for *at() calls: the host's before confinement,
 * after it a private procfs showing only the Sentry's own tasks and stubs
 * (no /proc/sys). -1 with errno if /proc cannot be opened. */
int sentry_proc_dir(void);

/* Opens rel ("self/maps", "1234/statm", "self/fd/5") under
 * sentry_proc_dir(). Returns an fd or -1 with
 * errno, as open() does; O_CLOEXEC is added. */
int sentry_proc_open(const char *rel, int flags);

#endif
