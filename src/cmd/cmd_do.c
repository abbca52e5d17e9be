#include "cmd/cli.h"
int cmd_do(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	return error_set(err, 0, "do: not yet");
}
