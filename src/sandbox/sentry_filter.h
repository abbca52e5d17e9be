/* The Sentry's own seccomp filter, installed once its helpers (the stub
 * zygote, the Gofer) are running: a first step of its confinement. It
 * denies what the Sentry never needs after start and an attacker who took
 * it over would want: starting programs, new namespaces and mounts, inet
 * sockets, tracing new processes, kernel modules and the like. */
#ifndef CVISOR_SANDBOX_SENTRY_FILTER_H
#define CVISOR_SANDBOX_SENTRY_FILTER_H

#include "lib/error.h"

int sentry_filter_install(struct error **err);

#endif
