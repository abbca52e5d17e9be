/* cvisor delete [--force] ID: removes a stopped (or, with --force, any)
 * container. */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>

#include "cmd/cli.h"
#include "oci/container.h"

int cmd_delete(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"force", no_argument, 0, 'f'},
	    {0, 0, 0, 0},
	};
	bool force = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (c != 'f')
			return error_set(err, EINVAL, "delete: bad option");
		force = true;
	}
	if (optind != argc - 1)
		return error_set(err, EINVAL, "usage: cvisor delete [--force] CONTAINER-ID");
	return oci_container_delete(g->root, argv[optind], force, err) < 0 ? -1 : 0;
}
