/* cvisor pause ID / cvisor resume ID: every process of the container stops
 * making progress, then goes on. */
#include <errno.h>

#include "cmd/cli.h"
#include "oci/container_control.h"

static int pause_or_resume(struct cli_globals *g, int argc, char **argv, bool pause,
			   struct error **err)
{
	if (argc != 2)
		return error_set(err, EINVAL, "usage: cvisor %s CONTAINER-ID",
				 pause ? "pause" : "resume");
	return oci_container_pause(g->root, argv[1], pause, err) < 0 ? -1 : 0;
}

int cmd_pause(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	return pause_or_resume(g, argc, argv, true, err);
}

int cmd_resume(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	return pause_or_resume(g, argc, argv, false, err);
}
