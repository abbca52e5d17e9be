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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "oci/console.h"
#include "sandbox/pidns.h"
#include "sentry/sentry.h"

extern char **environ;

/* --test-9p-mount SOCK:ANAME:DEST (tests only): a tree served over the unix
 * socket SOCK by a 9P2000.L server we did not write (diod), attached by
 * ANAME and mounted at DEST. The connection is made here, so the Sentry
 * still opens nothing. */
static int test_9p_mount(char *spec, struct sentry_mount *m, struct error **err)
{
	char *aname = strchr(spec, ':'), *dest = aname ? strchr(aname + 1, ':') : NULL;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (!dest || (size_t)(aname - spec) >= sizeof(sa.sun_path))
		return error_set(err, EINVAL, "do: `--test-9p-mount` wants SOCK:ANAME:DEST");
	*aname++ = 0;
	*dest++ = 0;
	strcpy(sa.sun_path, spec);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		error_set(err, errno, "do: connect `%s`", spec);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*m = (struct sentry_mount){.source = aname, .destination = dest, .test_9p_sock = fd};
	return 0;
}

int cmd_do(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"hostname", required_argument, 0, 'H'},
	    {"pids-limit", required_argument, 0, 'p'},
	    {"test-9p-mount", required_argument, 0, 'T'},
	    {"no-tty", no_argument, 0, 'N'},
	    {0, 0, 0, 0},
	};
	struct sentry_mount test_mount;
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
			if (cfg.n_mounts || test_9p_mount(optarg, &test_mount, err) < 0)
				return cfg.n_mounts
					   ? error_set(err, EINVAL, "do: one `--test-9p-mount`")
					   : -1;
			cfg.mounts = &test_mount;
			cfg.n_mounts = 1;
			break;
		case 'N':
			tty = 0;
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
	/* the Sentry goes on in a child, the first of a pid namespace; we
	 * wait for it with its exit status */
	fflush(NULL);
	pid_t sentry = sandbox_fork_pidns();
	if (sentry < 0)
		return error_set(err, errno, "do: fork the Sentry");
	if (sentry > 0)
		_exit(sandbox_wait_sentry(sentry));
	prctl(PR_SET_PDEATHSIG, SIGKILL);
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
