/* cvisor do [--] CMD ARGS...: runs a host command in a fresh sandbox whose
 * root is the host's /, read-only, with memory file systems for scratch.
 * When stdin, stdout and stderr are all the caller's terminal (an
 * interactive use) the command runs on a sandbox pty bridged to it, with
 * job control and ^C for its foreground group; --no-tty keeps plain
 * stdio. Any redirection keeps plain stdio, so output never mixes. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "oci/console.h"
#include "sentry/sentry.h"

extern char **environ;

int cmd_do(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"hostname", required_argument, 0, 'H'},
	    {"pids-limit", required_argument, 0, 'p'},
	    {"no-tty", no_argument, 0, 'T'},
	    {0, 0, 0, 0},
	};
	struct sentry_config cfg = {
	    .envp = environ, .hostname = "cvisor", .strace = g->strace, .max_tasks = 512};
	int c, tty = isatty(0) && isatty(1) && isatty(2);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			cfg.hostname = optarg;
			break;
		case 'p':
			cfg.max_tasks = atoi(optarg);
			break;
		case 'T':
			tty = 0;
			break;
		default:
			return error_set(err, EINVAL, "do: bad option");
		}
	}
	if (optind >= argc)
		return error_set(err, EINVAL, "do: no command given");
	cfg.argv = argv + optind;
	if (!strcmp(g->file_access, "gofer"))
		cfg.gofer_root = 1;
	else if (strcmp(g->file_access, "direct"))
		return error_set(err, EINVAL, "do: `--file-access` must be `gofer` or `direct`");
	char cwd[PATH_MAX];
	cfg.cwd = getcwd(cwd, sizeof(cwd)) ? cwd : "/";
	struct termios saved;
	if (tty) {
		if (console_take_caller(0, &cfg.tty_fd, &saved, err) < 0)
			return error_wrap(err, "do");
		cfg.terminal = 1;
	}
	int rc = sentry_run(&cfg, err);
	if (tty)
		console_restore(0, &saved);
	return rc;
}
