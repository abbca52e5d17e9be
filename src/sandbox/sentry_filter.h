/* The Sentry's own seccomp filter, the last step of its confinement (see
 * sentry_confine.h), installed once the first program is loaded: an
 * allow-list of the calls the Sentry makes from then on. No execve, no
 * open() or openat() of a path from the cwd or root (only relative to fds
 * it holds), no new sockets, mounts, namespaces, processes or tracees.
 * Anything else kills the Sentry. */
#ifndef CVISOR_SANDBOX_SENTRY_FILTER_H
#define CVISOR_SANDBOX_SENTRY_FILTER_H

#include "lib/error.h"

int sentry_filter_install(struct error **err);

#endif
