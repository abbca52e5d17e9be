/* Shared by the two kinds of container process `create` forks: the Sentry
 * (container.c) and a pod container's waiter (container_pod.c). */
#ifndef CVISOR_OCI_CONTAINER_INTERNAL_H
#define CVISOR_OCI_CONTAINER_INTERNAL_H

#include "lib/error.h"

struct oci_create_opts;
struct oci_spec;
struct oci_state;
struct sentry_config;

/* Blocks until `start` (ROOT/ID/exec.fifo, as runc's init), then runs the
 * startContainer hooks; exits the process (127) if either fails. */
void oci_await_start(const struct oci_create_opts *o, const struct oci_spec *s,
		     struct oci_state *st);

/* The Sentry's configuration of the container (files, process settings);
 * its arrays point into s and st. Returns 0, or -1 if out of memory. */
int oci_sentry_config(const struct oci_create_opts *o, const struct oci_spec *s,
		      const struct oci_state *st, int tty_fd, struct sentry_config *cfg);

/* Writes the exit status to the state directory dirfd's `exit` (for
 * `wait`). */
void oci_record_exit(int dirfd, int status);

/* create: if s's annotations (CRI or CRI-O) make it a container of a pod
 * whose sandbox is another container, records that sandbox in st
 * (sandbox_id, its control socket); the sandbox must be running. Returns
 * 0 (also when s is not a pod's container), or -1 with *err. */
int oci_pod_join(const char *root, const struct oci_spec *s, const char *id, struct oci_state *st,
		 struct error **err);

/* The process of a pod's container (st->sandbox_id set): waits for start,
 * starts the container's Gofer, has the sandbox's Sentry start the
 * container, waits for its init and exits with its status. */
void oci_pod_container_child(const struct oci_create_opts *o, const struct oci_spec *s,
			     struct oci_state *st, int tty_fd) __attribute__((noreturn));

#endif
