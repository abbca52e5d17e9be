/* cvisor list [--format table|json] [--quiet]: the containers under --root. */
#include <getopt.h>
#include <string.h>

#include "cmd/cli.h"
#include "oci/state.h"

int cmd_list(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"format", required_argument, 0, 'f'},
	    {"quiet", no_argument, 0, 'q'},
	    {0, 0, 0, 0},
	};
	enum oci_list_format fmt = OCI_LIST_TABLE;
	bool quiet = false;
	int c;
	optind = 0; /* glibc: full re-initialisation after main's scan */
	while ((c = getopt_long(argc, argv, "f:q", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "table") == 0)
				fmt = OCI_LIST_TABLE;
			else if (strcmp(optarg, "json") == 0)
				fmt = OCI_LIST_JSON;
			else
				return error_set(err, 0, "list: invalid format `%s`", optarg);
			break;
		case 'q':
			quiet = true;
			break;
		default:
			return error_set(err, 0, "usage: cvisor list [--format table|json] [-q]");
		}
	}
	if (optind < argc)
		return error_set(err, 0, "list: unexpected argument `%s`", argv[optind]);
	return oci_list_print(g->root, stdout, fmt, quiet, err);
}
