/* The Sentry's entry point: builds the sandbox's kernel state and runs the
 * first program until every task has exited. */
#ifndef CVISOR_SENTRY_SENTRY_H
#define CVISOR_SENTRY_SENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* A mount over the root, made before the first program runs: a host
 * directory or regular file (a bind mount, served by the Gofer and written
 * through to the host unless readonly) or, with tmpfs set, a fresh memory
 * file system. The destination is created in the overlay if it is missing. */
struct sentry_mount {
	const char *source;	 /* host directory or file (bind); unused for tmpfs */
	const char *destination; /* absolute, inside the sandbox */
	int readonly;
	int tmpfs;
	uint32_t mode; /* tmpfs root mode; 0 = 01777 */
	/* Tests only: > 0 is a socket connected to a 9P2000.L server we did not
	 * write (diod), taken over; source is then the aname to attach. */
	int test_9p_sock;
};

/* An rlimit of the first program (RLIMIT_* numbering). */
struct sentry_rlimit {
	int resource;
	uint64_t soft, hard;
};

struct sentry_config {
	const char *root;  /* host directory seen as /, read-only underneath; NULL = "/" */
	int readonly_root; /* writes fail with EROFS instead of going to the overlay */
	uint32_t uid, gid; /* of the first program; 0 keeps every capability */
	const struct sentry_mount *mounts;
	size_t n_mounts;
	char **argv; /* the program and its arguments */
	char **envp;
	const char *cwd; /* inside the sandbox */
	const char *hostname;
	int strace;
	int max_tasks; /* the sandbox's pid limit */
	/* How the Sentry reaches the root and the bind mounts: always through
	 * one Gofer (the Sentry opens no host path itself), over 9P with fd
	 * donation (SENTRY_FILES_GOFER, the default), or walking the directory
	 * fds the Gofer donates with *at calls (SENTRY_FILES_DIRECT). */
	int file_access;
	/* No memory overlay: the root is written through to the host unless
	 * readonly_root (--overlay=none). */
	int overlay_none;
	/* The first program's process settings from config.json; zero values
	 * keep the defaults. Capabilities as the program holds them after
	 * execve (see oci_caps_after_exec). */
	const struct sentry_rlimit *rlimits;
	size_t n_rlimits;
	int has_caps;
	uint64_t cap_eff, cap_perm, cap_inh, cap_bnd;
	int no_new_privs;	/* process.noNewPrivileges */
	const uint32_t *groups; /* supplementary groups, at most 64 */
	size_t n_groups;
	int has_umask;
	uint32_t umask;
	const char *domainname;
	/* linux.maskedPaths (an empty read-only file or directory over each)
	 * and linux.readonlyPaths; paths missing in the sandbox are skipped. */
	char *const *masked_paths, *const *readonly_paths;
	size_t n_masked_paths, n_readonly_paths;
	/* With terminal set, the first program's stdio and controlling
	 * terminal is a sandbox pty bridged to the host terminal tty_fd
	 * (taken over; an open file of its own, in raw mode). */
	int terminal;
	int tty_fd;
	/* The caller's fds 3 .. 3 + n_preserve_fds - 1 go to the first program
	 * at the same numbers (--preserve-fds). */
	int n_preserve_fds;
	/* The control socket, listening (control_listen()); 0 = none. */
	int control_fd;
};

#define SENTRY_FILES_GOFER  0
#define SENTRY_FILES_DIRECT 1

/* Holds (blocks) the host signals the Sentry forwards into the sandbox
 * until its scheduler runs, so one sent early (`kill` right after `start`)
 * is forwarded, not taken by its default action. */
void sentry_hold_host_signals(void);

/* Returns the exit status of the first program (128+N if killed by N). */
int sentry_run(const struct sentry_config *cfg, struct error **err);

#endif
