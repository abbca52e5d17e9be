/* cvisor create [--bundle DIR] [--pid-file F] ID: starts the Sentry process
 * and holds the program until `cvisor start ID`. */
#include <stddef.h>

#include "cmd/cli.h"
#include "oci/container.h"

int cmd_create(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	struct oci_create_opts o;
	if (cli_create_args(g, "create", argc, argv, &o, NULL, err) < 0)
		return -1;
	return oci_container_create(&o, err) < 0 ? -1 : 0;
}
