/* cvisor create [--bundle DIR] [--pid-file F] ID: starts the Sentry process
 * and holds the program until `cvisor start ID`. */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>

#include "cmd/cli.h"
#include "oci/container.h"

int cmd_create(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, 0, 'b'},
	    {"pid-file", required_argument, 0, 'p'},
	    {"console-socket", required_argument, 0, 'c'},
	    {"no-pivot", no_argument, 0, 'n'},
	    {"no-new-keyring", no_argument, 0, 'k'},
	    {"preserve-fds", required_argument, 0, 'f'},
	    {0, 0, 0, 0},
	};
	struct oci_create_opts o;
	if (cli_create_opts(g, &o, err) < 0)
		return -1;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o.bundle = optarg;
			break;
		case 'p':
			o.pid_file = optarg;
			break;
		case 'c':
			o.console_socket = optarg;
			break;
		case 'f':
			if (oci_preserve_fds(optarg, &o.preserve_fds, err) < 0)
				return -1;
			break;
		case 'n':
		case 'k':
			break;
		default:
			return error_set(err, EINVAL, "create: bad option");
		}
	}
	if (optind != argc - 1)
		return error_set(
		    err, EINVAL,
		    "usage: cvisor create [--bundle DIR] [--pid-file F] [--console-socket S] "
		    "[--preserve-fds N] ID");
	o.id = argv[optind];
	return oci_container_create(&o, err) < 0 ? -1 : 0;
}
