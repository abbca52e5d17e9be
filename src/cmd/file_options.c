/* Global options that shape a sandbox: --file-access and --overlay for
 * `do`, `create` and `run`, and the rest of a container's for the latter two. */
#include <errno.h>
#include <string.h>

#include "cmd/cli.h"
#include "oci/container.h"
#include "sentry/sentry.h"

int cli_file_options(const struct cli_globals *g, int *file_access, int *overlay_none,
		     struct error **err)
{
	if (!strcmp(g->file_access, "gofer"))
		*file_access = SENTRY_FILES_GOFER;
	else if (!strcmp(g->file_access, "direct"))
		*file_access = SENTRY_FILES_DIRECT;
	else
		return error_set(err, EINVAL, "`--file-access` must be `gofer` or `direct`");
	if (!strcmp(g->overlay, "memory"))
		*overlay_none = 0;
	else if (!strcmp(g->overlay, "none"))
		*overlay_none = 1;
	else
		return error_set(err, EINVAL, "`--overlay` must be `memory` or `none`");
	return 0;
}

int cli_create_opts(const struct cli_globals *g, struct oci_create_opts *o, struct error **err)
{
	*o = (struct oci_create_opts){.root = g->root,
				      .strace = g->strace,
				      .systemd_cgroup = g->systemd_cgroup,
				      .network = g->network};
	if (strcmp(g->network, "none") && strcmp(g->network, "host") &&
	    strcmp(g->network, "sandbox"))
		return error_set(err, EINVAL, "`--network` must be `none`, `host` or `sandbox`");
	return cli_file_options(g, &o->file_access, &o->overlay_none, err);
}
