/* cvisor wait ID: waits until the container stops and exits with its
 * status (255 if unknown). */
#include "cmd/cli.h"
#include "oci/container.h"

int cmd_wait(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	if (argc != 2)
		return error_set(err, 0, "usage: cvisor wait CONTAINER-ID");
	return oci_container_wait(g->root, argv[1], err);
}
