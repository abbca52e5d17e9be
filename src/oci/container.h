/* The container lifecycle behind create/start/run/kill/delete/wait.
 *
 * The process that runs the Sentry is a child forked by `create` (or
 * `run`); its pid is the container's pid in state.json. Until `start`, it
 * waits on ROOT/ID/exec.fifo (as runc's init does): it opens the fifo for
 * writing, which blocks until `start` opens it for reading, then writes
 * one byte and runs the program. When the Sentry returns, the child writes
 * the exit status to ROOT/ID/exit (for `wait`) and exits with it.
 *
 * Hooks, as runc: createRuntime and createContainer by create (after the
 * Sentry process exists), startContainer by the Sentry process just before
 * the program, poststart by start, poststop by delete (or by a foreground
 * run when the program ends). Each gets the state JSON on stdin. */
#ifndef CVISOR_OCI_CONTAINER_H
#define CVISOR_OCI_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/error.h"

struct oci_create_opts {
	const char *root; /* the state root (--root) */
	const char *id;
	const char *bundle;   /* NULL = the working directory */
	const char *pid_file; /* NULL = none */
	bool strace;
	int file_access;     /* SENTRY_FILES_* (--file-access) */
	int overlay_none;    /* --overlay=none */
	bool systemd_cgroup; /* --systemd-cgroup: cgroupsPath is slice:prefix:name */
	const char *network; /* --network: none, host or sandbox */
	/* With `process.terminal`: the unix socket that gets the terminal's
	 * master (see console.h); NULL: a foreground `run` uses the caller's
	 * terminal, anything else is an error, as with runc. */
	const char *console_socket;
	/* --preserve-fds: the caller's fds 3 .. 3 + n - 1 go to the program. */
	int preserve_fds;
};

/* The most fds --preserve-fds may pass (create, run and exec). */
#define OCI_MAX_PRESERVE_FDS 60

/* Checks --preserve-fds N (a number, at most OCI_MAX_PRESERVE_FDS, every
 * fd open and handed down by the caller, not one of cvisor's) into *n. */
int oci_preserve_fds(const char *arg, int *n, struct error **err);

/* `create`: the container is left `created`, its program held. */
int oci_container_create(const struct oci_create_opts *o, struct error **err);
/* `start`: releases the program of a `created` container. */
int oci_container_start(const char *root, const char *id, struct error **err);
/* `run`: create + start. In the foreground it waits for the program, runs
 * the poststop hooks, removes the state and returns the exit status (128+N
 * if killed by N); signals sent to this process go on to the Sentry. With
 * detach it returns 0 once the program runs. */
int oci_container_run(const struct oci_create_opts *o, bool detach, struct error **err);
/* `kill`: sends sig to the Sentry, which forwards it to the program. */
int oci_container_kill(const char *root, const char *id, int sig, struct error **err);
/* `delete`: removes a stopped container (force: kills a live one first);
 * runs the poststop hooks. */
int oci_container_delete(const char *root, const char *id, bool force, struct error **err);
/* `wait`: waits until the container stops; returns its exit status (or
 * 255 if it is unknown). */
int oci_container_wait(const char *root, const char *id, struct error **err);

/* Writes pid to path atomically (a temporary file renamed), as runc. */
int oci_write_pid_file(const char *path, pid_t pid, struct error **err);

/* "SIGTERM", "TERM" or "15" to 15; -1 if unknown. */
int oci_signal_from_name(const char *name);

#endif
