/* Options that shape a sandbox: --file-access and --overlay for `do`,
 * `create` and `run`, and the rest of a container's (global and the
 * command's own) for the latter two. */
#include <errno.h>
#include <getopt.h>
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

/* The options that come from the global ones. */
static int create_opts(const struct cli_globals *g, struct oci_create_opts *o, struct error **err)
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

int cli_create_args(const struct cli_globals *g, const char *cmd, int argc, char **argv,
		    struct oci_create_opts *o, bool *detach, struct error **err)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, 0, 'b'},
	    {"pid-file", required_argument, 0, 'p'},
	    {"detach", no_argument, 0, 'd'},
	    {"console-socket", required_argument, 0, 'c'},
	    {"no-pivot", no_argument, 0, 'n'},
	    {"no-new-keyring", no_argument, 0, 'k'},
	    {"preserve-fds", required_argument, 0, 'f'},
	    {0, 0, 0, 0},
	};
	if (create_opts(g, o, err) < 0)
		return -1;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, detach ? "+b:d" : "+b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->bundle = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'd':
			if (!detach)
				return error_set(err, EINVAL, "%s: bad option", cmd);
			*detach = true;
			break;
		case 'c':
			o->console_socket = optarg;
			break;
		case 'f':
			if (oci_preserve_fds(optarg, &o->preserve_fds, err) < 0)
				return -1;
			break;
		case 'n': /* runc's; nothing to do in the Sentry */
		case 'k':
			break;
		default:
			return error_set(err, EINVAL, "%s: bad option", cmd);
		}
	}
	if (optind != argc - 1)
		return error_set(err, EINVAL,
				 "usage: cvisor %s [--bundle DIR] [--pid-file F]%s "
				 "[--console-socket S] [--preserve-fds N] ID",
				 cmd, detach ? " [--detach]" : "");
	o->id = argv[optind];
	return 0;
}
