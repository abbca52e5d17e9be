/* cvisor start ID: lets a created container's program run. */
#include "cmd/cli.h"
#include "oci/container.h"

int cmd_start(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	if (argc != 2)
		return error_set(err, 0, "usage: cvisor start CONTAINER-ID");
	return oci_container_start(g->root, argv[1], err) < 0 ? -1 : 0;
}
