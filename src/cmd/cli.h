/* The command line: global options and the command table.
 *
 * Each command lives in cmd_<verb>.c, parses its own options and calls one
 * library function. A command returns the process exit status (>= 0), or a
 * negative number with *err set; only main prints errors. */
#ifndef CVISOR_CMD_CLI_H
#define CVISOR_CMD_CLI_H

#include <stdbool.h>

#include "lib/error.h"

struct cli_globals {
	const char *root;	 /* --root: state directory, default /run/cvisor */
	const char *log;	 /* --log: file for errors and logs */
	const char *log_format;	 /* --log-format: text or json */
	const char *debug_log;	 /* --debug-log: file or DIR/ for debug output */
	const char *platform;	 /* --platform: ptrace (default) */
	const char *network;	 /* --network: none, host, sandbox */
	const char *overlay;	 /* --overlay: memory (default) or none */
	const char *file_access; /* --file-access: gofer (9P, default) or direct */
	int debug;		 /* --debug */
	int strace;		 /* --strace */
	int systemd_cgroup;	 /* --systemd-cgroup (accepted; cgroupfs used) */
};

struct command {
	const char *name;
	int (*run)(struct cli_globals *g, int argc, char **argv, struct error **err);
	const char *summary;
	int hidden; /* internal commands (sentry, gofer) are not listed */
};

int cmd_do(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_help(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_spec(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_features(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_state(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_list(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_run(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_create(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_start(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_kill(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_delete(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_wait(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_events(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_update(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_install(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_uninstall(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_exec(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_ps(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_pause(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_resume(struct cli_globals *g, int argc, char **argv, struct error **err);
int cmd_gofer(struct cli_globals *g, int argc, char **argv, struct error **err);

extern const struct command commands[];

/* --file-access and --overlay as sentry_config wants them (file_options.c). */
int cli_file_options(const struct cli_globals *g, int *file_access, int *overlay_none,
		     struct error **err);
struct oci_create_opts;
/* create's and run's command line (cmd names which): the global options,
 * then --bundle, --pid-file, --console-socket, --preserve-fds, runc's
 * no-ops and, where detach is given, --detach; then the ID. */
int cli_create_args(const struct cli_globals *g, const char *cmd, int argc, char **argv,
		    struct oci_create_opts *o, bool *detach, struct error **err);

#endif
