/* cvisor state ID: prints the container's state (runc's JSON). */
#include <stdio.h>

#include "cmd/cli.h"
#include "oci/state.h"

int cmd_state(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	if (argc != 2)
		return error_set(err, 0, "usage: cvisor state CONTAINER-ID");
	return oci_state_print(g->root, argv[1], stdout, err);
}
