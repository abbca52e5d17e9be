/* Container commands carried out by the running Sentry over its control
 * socket: exec, ps, pause, resume, kill --all. */
#ifndef CVISOR_OCI_CONTAINER_CONTROL_H
#define CVISOR_OCI_CONTAINER_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "lib/error.h"

struct oci_exec_opts {
	const char *root, *id;
	const char *process_file; /* --process: process.json; else config.json's */
	char **args;		  /* the program and its arguments (without --process) */
	const char *cwd;	  /* NULL: as the process says */
	char **env;		  /* KEY=VALUE added or replaced; NULL-terminated */
	bool has_user;
	uint32_t uid, gid;
	bool has_gid;
	uint32_t *gids; /* --additional-gids */
	size_t n_gids;
	char **caps; /* --cap names added to every set; NULL-terminated */
	bool no_new_privs, detach, tty;
	const char *pid_file;
	const char *console_socket; /* with tty: gets the terminal's master */
	int preserve_fds;	    /* the caller's fds 3 .. 3 + n - 1 go along */
};

/* `exec`: runs a new process in a running container. In the foreground it
 * returns the process's exit status (128+N if killed by N), passing on the
 * signals this process gets; with detach a waiter process holds the wait
 * and exits with that status, and its pid goes to the pid file. */
int oci_container_exec(const struct oci_exec_opts *o, struct error **err);

/* A process (config.json's or exec's) as the control socket's exec and
 * start-container requests carry it; cwd (if set) and gids (added to the
 * additional groups) are exec's flags. NULL if out of memory. */
struct oci_process;
json_t *oci_process_json(const struct oci_process *p, const char *cwd, const uint32_t *gids,
			 size_t n_gids);
/* The host fds a new process gets, as exec and start-container send them,
 * into fds (room for 3 + OCI_MAX_PRESERVE_FDS): the terminal tty (if >= 0,
 * its 0-2) or our fds 0-2 (a closed one as null), then the n_preserve fds
 * from 3 (--preserve-fds). Returns how many. */
int oci_process_fds(int *fds, int tty, int null, int n_preserve);
/* Waits for the reply to a wait request on fd, passing the signals this
 * process gets on to pid; returns pid's exit status (128+N if killed by
 * N), or -1 with *err. */
struct oci_state;
int oci_wait_forwarding(const struct oci_state *st, int fd, pid_t pid, struct error **err);
/* The exit status of a wait reply, from control_client_recv's result r. */
int oci_wait_status(int r, json_t *reply);

/* `ps`: the table (UID PID PPID C STIME TIME CMD) or, json, an array of
 * pids. */
int oci_container_ps(const char *root, const char *id, bool json, FILE *out, struct error **err);
/* `pause` / `resume`: the state becomes paused / running. */
int oci_container_pause(const char *root, const char *id, bool pause, struct error **err);
/* `kill --all`: sig to every process of the sandbox. */
int oci_container_kill_all(const char *root, const char *id, int sig, struct error **err);

/* Loads the container's state and checks that its live status is one of
 * the mask's (1 << OCI_STATUS_*); the error names what it is instead. */
int oci_control_state(const char *root, const char *id, unsigned mask, const char *what,
		      struct oci_state **st, struct error **err);

#endif
