/* Container state on the host: one directory per container under the state
 * root (--root, default /run/cvisor), holding state.json and a lock file.
 *
 * Contract: ids are checked with oci_id_validate() before they touch a
 * path. state.json is replaced atomically (temporary file + rename), so a
 * reader sees the old or the new state, never half of one. Commands that
 * change a container hold its lock (oci_state_lock) for their whole run;
 * readers (state, list) do not need it. The recorded status is what the CLI
 * last wrote; oci_state_status() gives the live one: a container whose
 * Sentry is gone, or whose pid now belongs to another process (its start
 * time differs), is `stopped`. */
#ifndef CVISOR_OCI_STATE_H
#define CVISOR_OCI_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/error.h"
#include "oci/spec.h"

#define OCI_STATE_DEFAULT_ROOT "/run/cvisor"
#define OCI_VERSION	       "1.1.0"

enum oci_status {
	OCI_STATUS_CREATING,
	OCI_STATUS_CREATED,
	OCI_STATUS_RUNNING,
	OCI_STATUS_STOPPED,
	OCI_STATUS_PAUSED,
};

struct oci_state {
	char *oci_version;
	char *id;
	pid_t pid; /* the Sentry's pid; 0 if none yet */
	enum oci_status status;
	char *bundle;  /* absolute */
	char *rootfs;  /* absolute */
	char *created; /* RFC 3339 with nanoseconds, UTC */
	char *owner;
	struct oci_kv *annotations;
	size_t n_annotations;
	/* cvisor's own, under "cvisor" in state.json. */
	uint64_t pid_start_time; /* /proc/PID/stat field 22, to detect pid reuse */
	char *sandbox_id;	 /* the sandbox (pod) this container lives in */
	char *control_socket;	 /* the Sentry's control socket */
	char *cgroup_path;	 /* the container's cgroup, relative to the hierarchy */
};

/* A fresh state for container id from its spec: status `creating`, no pid
 * yet, bundle made absolute, rootfs = root.path resolved against the
 * bundle, created = now, owner = the caller's user name, annotations
 * copied. The caller fills pid, pid_start_time and the cvisor fields. */
int oci_state_new(const struct oci_spec *spec, const char *id, const char *bundle,
		  struct oci_state **out, struct error **err);

/* Checks a container id: 1..255 characters of [A-Za-z0-9_+.-], not `.` or
 * `..` (runc's rule), so it is always one safe path component. */
int oci_id_validate(const char *id, struct error **err);

/* "ROOT/ID" in a new string; checks the id. */
int oci_state_dir(const char *root, const char *id, char **out, struct error **err);

/* Makes ROOT (0711) if needed and ROOT/ID (0711); fails with EEXIST and
 * "container `ID` already exists" if it is there. */
int oci_state_create_dir(const char *root, const char *id, struct error **err);

/* Takes the container's lock (ROOT/ID/lock, flock LOCK_EX), waiting for
 * other CLI calls. *fd receives the lock; closing it releases the lock.
 * Fails with ENOENT if the container does not exist (or was deleted while
 * we waited). */
int oci_state_lock(const char *root, const char *id, int *fd, struct error **err);

/* Writes ROOT/ID/state.json atomically. */
int oci_state_save(const char *root, const struct oci_state *st, struct error **err);
/* Reads ROOT/ID/state.json; ENOENT and "container `ID` does not exist" if
 * there is no such container. */
int oci_state_load(const char *root, const char *id, struct oci_state **out, struct error **err);
/* Removes ROOT/ID and everything in it. A missing directory is success. */
int oci_state_delete(const char *root, const char *id, struct error **err);
/* Loads every container under root, sorted by id; directories without a
 * readable state.json are skipped. A missing root gives an empty list. */
int oci_state_list(const char *root, struct oci_state ***out, size_t *n, struct error **err);
void oci_state_list_free(struct oci_state **v, size_t n);
void oci_state_free(struct oci_state *st);

/* The live status (see the top of this file). */
enum oci_status oci_state_status(const struct oci_state *st);
const char *oci_status_name(enum oci_status s);
/* -1 if the name is not a status. */
int oci_status_from_name(const char *name);

/* Start time of pid in clock ticks since boot (/proc/PID/stat field 22);
 * 0 if the process does not exist. */
uint64_t oci_pid_start_time(pid_t pid);
/* Now as RFC 3339 with nanoseconds in UTC, trailing zeros trimmed like
 * Go's time.RFC3339Nano ("2024-05-01T10:00:00.1234Z"). */
void oci_time_now(char buf[64]);

/* `cvisor state` output (runc's format: ociVersion, id, pid, status, bundle,
 * rootfs, created, owner, annotations if any), with the live status; the pid
 * is 0 once stopped. Pretty-printed; caller frees. */
char *oci_state_json(const struct oci_state *st);
/* The state hooks read on stdin (runtime spec: ociVersion, id, status, pid,
 * bundle, annotations), compact; caller frees. */
char *oci_state_hook_json(const struct oci_state *st, enum oci_status status);

enum oci_list_format {
	OCI_LIST_TABLE,
	OCI_LIST_JSON
};
/* Prints containers as `cvisor list` does: a runc-like table, JSON, or
 * with quiet only the ids. */
int oci_state_print_list(FILE *out, struct oci_state **v, size_t n, enum oci_list_format fmt,
			 bool quiet, struct error **err);

/* `cvisor state ID`: loads the container and prints oci_state_json(). */
int oci_state_print(const char *root, const char *id, FILE *out, struct error **err);
/* `cvisor list`: every container under root, as oci_state_print_list(). */
int oci_list_print(const char *root, FILE *out, enum oci_list_format fmt, bool quiet,
		   struct error **err);

#endif
