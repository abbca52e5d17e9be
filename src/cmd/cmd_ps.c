/* cvisor ps [--format table|json] ID [PS-OPTIONS]: the processes of a
 * container. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "oci/container_control.h"

int cmd_ps(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"format", required_argument, 0, 'f'},
	    {0, 0, 0, 0},
	};
	bool json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (c != 'f' || (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0))
			return error_set(err, EINVAL, "ps: --format table|json");
		json = strcmp(optarg, "json") == 0;
	}
	/* runc passes what follows the id to ps(1); there is no ps(1) here, so
	 * those options are ignored */
	if (optind >= argc)
		return error_set(err, EINVAL,
				 "usage: cvisor ps [--format table|json] CONTAINER-ID");
	return oci_container_ps(g->root, argv[optind], json, stdout, err) < 0 ? -1 : 0;
}
