/* The host network namespace a sandbox's Sentry runs in. The Sentry makes
 * no host network calls (its seccomp filter refuses inet sockets), so the
 * namespace is confinement and a place for the client's network setup
 * (Docker's libnetwork-setkey hook, CNI) to act on, never the host's by
 * accident. As runsc decides it:
 *   --network=none (the default): always a new, empty namespace;
 *   --network=host or sandbox: the spec's: a `network` namespace with a
 *   path is joined, one without a path is new, none at all is the host's
 *   (`docker --network host`). */
#ifndef CVISOR_SANDBOX_NETNS_H
#define CVISOR_SANDBOX_NETNS_H

#include "lib/error.h"

struct oci_spec;

/* Moves the calling process into the sandbox's namespace, so a child it
 * forks starts there; *back gets the namespace to return to with
 * sandbox_netns_leave (-1 if it did not move). 0, or -1 with *err naming
 * the field. */
int sandbox_netns_enter(const struct oci_spec *s, const char *network_mode, int *back,
			struct error **err);
/* Back to the namespace sandbox_netns_enter left; closes back. */
void sandbox_netns_leave(int back);

#endif
