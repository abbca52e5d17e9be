/* cvisor kill [--all] ID [SIGNAL]: signals the Sentry, which passes the
 * signal on to the container's first process (--all: to every process).
 * SIGNAL is a name or number (SIGTERM). */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <signal.h>

#include "cmd/cli.h"
#include "oci/container.h"
#include "oci/container_control.h"

int cmd_kill(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"all", no_argument, 0, 'a'},
	    {0, 0, 0, 0},
	};
	int c;
	bool all = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (c != 'a')
			return error_set(err, EINVAL, "kill: bad option");
		all = true;
	}
	if (optind != argc - 1 && optind != argc - 2)
		return error_set(err, EINVAL, "usage: cvisor kill CONTAINER-ID [SIGNAL]");
	int sig = SIGTERM;
	if (optind == argc - 2 && (sig = oci_signal_from_name(argv[optind + 1])) < 0)
		return error_set(err, EINVAL, "kill: unknown signal `%s`", argv[optind + 1]);
	if (all)
		return oci_container_kill_all(g->root, argv[optind], sig, err) < 0 ? -1 : 0;
	return oci_container_kill(g->root, argv[optind], sig, err) < 0 ? -1 : 0;
}
