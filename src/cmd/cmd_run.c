/* cvisor run [--bundle DIR] [--pid-file F] [--detach] ID: create + start; in
 * the foreground, exits with the container's status. */
#include "cmd/cli.h"
#include "oci/container.h"

int cmd_run(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	struct oci_create_opts o;
	bool detach = false;
	if (cli_create_args(g, "run", argc, argv, &o, &detach, err) < 0)
		return -1;
	return oci_container_run(&o, detach, err);
}
