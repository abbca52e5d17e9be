/* cvisor: entry point. Parses the global options, then hands the rest of the
 * command line to one command of the table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "lib/log.h"

#define CVISOR_VERSION "0.1.0"

const struct command commands[] = {
    {"do", cmd_do,
     "run a host command in a sandbox over the host root (read-only + memory overlay)"},
    {"help", cmd_help, "show help; `help syscalls` prints the system call table"},
    {"spec", cmd_spec, "write a default config.json (--bundle DIR, --rootless)"},
    {"features", cmd_features, "print the features this runtime supports (JSON)"},
    {"state", cmd_state, "print the state of a container (JSON)"},
    {"list", cmd_list, "list containers (--format table|json, -q)"},
    {"run", cmd_run, "create and start a container (--bundle DIR, --pid-file F, --detach)"},
    {"create", cmd_create, "create a container, its program held until start"},
    {"start", cmd_start, "start the program of a created container"},
    {"kill", cmd_kill, "send a signal (default SIGTERM) to a container"},
    {"delete", cmd_delete, "delete a stopped container (--force: any)"},
    {"wait", cmd_wait, "wait for a container to stop; exit with its status"},
    {"events", cmd_events, "print cgroup stats (--stats once, else every --interval)"},
    {"update", cmd_update, "change the resources of a container (-r FILE|-, --memory, ...)"},
    {"install", cmd_install, "register cvisor in Docker's daemon.json (-- RUNTIME-ARGS)"},
    {"uninstall", cmd_uninstall, "remove cvisor from Docker's daemon.json"},
    {"exec", cmd_exec, "run a new process in a running container (runc's flags)"},
    {"ps", cmd_ps, "list the processes of a container (--format table|json)"},
    {"pause", cmd_pause, "stop every process of a container until resume"},
    {"resume", cmd_resume, "let the processes of a paused container go on"},
    {"gofer", cmd_gofer, "internal: serve container files over 9P", 1},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: cvisor [global options] COMMAND [options] [args]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		if (!c->hidden)
			fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nglobal options:\n"
		     "  --root DIR           state directory (default /run/cvisor)\n"
		     "  --log FILE           log file\n"
		     "  --log-format FMT     text or json\n"
		     "  --debug              verbose logging\n"
		     "  --debug-log PATH     debug log file or DIR/\n"
		     "  --platform NAME      ptrace\n"
		     "  --network MODE       none, host or sandbox\n"
		     "  --file-access MODE   gofer (9P, default) or direct (donated dir fds)\n"
		     "  --overlay MODE       memory (default) or none (root written through)\n"
		     "  --strace             log every system call of the application\n"
		     "  --version            print the version\n");
}

static int open_log(struct cli_globals *g)
{
	int json = g->log_format && strcmp(g->log_format, "json") == 0;
	if (g->log && *g->log) {
		int fd = open(g->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			perror(g->log);
			return -1;
		}
		log_set_fd(fd, json);
	} else if (json) {
		log_set_fd(2, json);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_globals g = {.root = "/run/cvisor",
				.platform = "ptrace",
				.network = "none",
				.overlay = "memory",
				.file_access = "gofer"};
	enum {
		O_ROOT = 256,
		O_LOG,
		O_LOGFMT,
		O_DEBUG,
		O_DEBUGLOG,
		O_PLATFORM,
		O_NETWORK,
		O_STRACE,
		O_SYSTEMD,
		O_VERSION,
		O_OVERLAY,
		O_FILEACCESS
	};
	static const struct option opts[] = {
	    {"root", required_argument, 0, O_ROOT},
	    {"log", required_argument, 0, O_LOG},
	    {"log-format", required_argument, 0, O_LOGFMT},
	    {"debug", no_argument, 0, O_DEBUG},
	    {"debug-log", required_argument, 0, O_DEBUGLOG},
	    {"platform", required_argument, 0, O_PLATFORM},
	    {"network", required_argument, 0, O_NETWORK},
	    {"overlay", required_argument, 0, O_OVERLAY},
	    {"file-access", required_argument, 0, O_FILEACCESS},
	    {"strace", no_argument, 0, O_STRACE},
	    {"systemd-cgroup", no_argument, 0, O_SYSTEMD},
	    {"version", no_argument, 0, O_VERSION},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	int c;
	/* "+" stops at the first non-option: the command name. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case O_ROOT:
			g.root = optarg;
			break;
		case O_LOG:
			g.log = optarg;
			break;
		case O_LOGFMT:
			g.log_format = optarg;
			break;
		case O_DEBUG:
			g.debug = 1;
			break;
		case O_DEBUGLOG:
			g.debug_log = optarg;
			break;
		case O_PLATFORM:
			g.platform = optarg;
			break;
		case O_NETWORK:
			g.network = optarg;
			break;
		case O_OVERLAY:
			g.overlay = optarg;
			break;
		case O_FILEACCESS:
			g.file_access = optarg;
			break;
		case O_STRACE:
			g.strace = 1;
			break;
		case O_SYSTEMD:
			g.systemd_cgroup = 1;
			break;
		case O_VERSION:
			printf("cvisor version %s\nspec: 1.1.0\n", CVISOR_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (g.debug)
		log_level = LOG_DEBUG;
	if (open_log(&g) < 0)
		return 1;
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[optind];
	for (const struct command *cmd = commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, name) != 0)
			continue;
		struct error *err = NULL;
		/* The command sees its own name as argv[0], getopt-style. */
		optind++;
		int rc = cmd->run(&g, argc - optind + 1, argv + optind - 1, &err);
		if (rc < 0) {
			char *text = error_text(err);
			log_error("%s", text ? text : "out of memory");
			free(text);
			error_free(err);
			return 1;
		}
		return rc;
	}
	log_error("unknown command `%s`", name);
	usage(stderr);
	return 2;
}
