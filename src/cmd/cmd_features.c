/* cvisor features: prints what this runtime supports (runc's JSON). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cli.h"
#include "oci/spec.h"

int cmd_features(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	if (argc > 1)
		return error_set(err, 0, "features: unexpected argument `%s`", argv[1]);
	char *json = oci_features_json();
	if (!json)
		return error_set(err, ENOMEM, "features");
	printf("%s\n", json);
	free(json);
	return 0;
}
