/* OCI hooks, run as runc runs them.
 *
 * A hook is executed from the host's view (the runtime's namespaces) with
 * argv = its `args` (or just its path if none), the environment `env` (or
 * the runtime's own environment if `env` is absent, as Go's exec does), and
 * the container state JSON on stdin. Its stdout and stderr are captured
 * (the first 4 KiB of each) and quoted in the error if it fails. A hook that
 * outlives its `timeout` is killed with SIGKILL. Hooks of a list run in
 * order; the first failure stops the list. Whether a failure is fatal is the
 * caller's call (poststop failures are only warnings in runc). */
#ifndef CVISOR_OCI_HOOKS_H
#define CVISOR_OCI_HOOKS_H

#include "lib/error.h"
#include "oci/spec.h"

int oci_hook_run(const struct oci_hook *h, const char *state_json, struct error **err);
/* Runs s->hooks[k]; errors name the hook: "hooks.prestart[1] `/bin/x`: ...". */
int oci_hooks_run(const struct oci_spec *s, enum oci_hook_kind k, const char *state_json,
		  struct error **err);

#endif
