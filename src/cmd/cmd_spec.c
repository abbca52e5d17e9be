/* cvisor spec [--bundle DIR] [--rootless]: writes the default config.json. */
#include <getopt.h>

#include "cmd/cli.h"
#include "oci/spec.h"

int cmd_spec(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, 0, 'b'},
	    {"rootless", no_argument, 0, 'r'},
	    {0, 0, 0, 0},
	};
	const char *bundle = NULL;
	bool rootless = false;
	int c;
	optind = 0; /* glibc: full re-initialisation after main's scan */
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bundle = optarg;
			break;
		case 'r':
			rootless = true;
			break;
		default:
			return error_set(err, 0, "usage: cvisor spec [--bundle DIR] [--rootless]");
		}
	}
	if (optind < argc)
		return error_set(err, 0, "spec: unexpected argument `%s`", argv[optind]);
	return oci_spec_write_default(bundle, rootless, err) < 0 ? error_wrap(err, "spec") : 0;
}
