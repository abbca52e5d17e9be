/* cvisor do [--] CMD ARGS...: runs a host command in a fresh sandbox whose
 * root is the host's /, read-only, with memory file systems for scratch. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "sentry/sentry.h"

extern char **environ;

int cmd_do(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"hostname", required_argument, 0, 'H'},
	    {"pids-limit", required_argument, 0, 'p'},
	    {0, 0, 0, 0},
	};
	struct sentry_config cfg = {
	    .envp = environ, .hostname = "cvisor", .strace = g->strace, .max_tasks = 512};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			cfg.hostname = optarg;
			break;
		case 'p':
			cfg.max_tasks = atoi(optarg);
			break;
		default:
			return error_set(err, EINVAL, "do: bad option");
		}
	}
	if (optind >= argc)
		return error_set(err, EINVAL, "do: no command given");
	cfg.argv = argv + optind;
	if (cli_file_options(g, &cfg.file_access, &cfg.overlay_none, err) < 0)
		return error_wrap(err, "do");
	/* no bundle to say otherwise: the host's root is never written */
	cfg.readonly_root = cfg.overlay_none;
	char cwd[PATH_MAX];
	cfg.cwd = getcwd(cwd, sizeof(cwd)) ? cwd : "/";
	return sentry_run(&cfg, err);
}
