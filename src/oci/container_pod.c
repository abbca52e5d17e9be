/* Pods: a container whose CRI annotations (containerd's or CRI-O's) name
 * another container as its sandbox joins that sandbox's Sentry instead of
 * getting its own, as runsc does. Its host process is a waiter: it waits
 * for `start`, starts the container's own Gofer, hands the Gofer's socket
 * and its stdio to the Sentry over the control socket (start-container),
 * then waits for the container's init and exits with its status, so the
 * container has a pid that lives and dies with it (what shims watch). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/log.h"
#include "oci/container.h"
#include "oci/container_client.h"
#include "oci/container_control.h"
#include "oci/container_internal.h"
#include "oci/spec.h"
#include "oci/state.h"
#include "sentry/container_fs.h"
#include "sentry/control/files_json.h"
#include "sentry/fs/gofer/launch.h"
#include "sentry/sentry.h"

/* The annotations that say what a container is in a pod: its type
 * ("sandbox" or "container") and its sandbox's id. */
static const struct {
	const char *type, *sandbox;
} pod_keys[] = {
    {"io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id"},   /* containerd */
    {"io.kubernetes.cri-o.ContainerType", "io.kubernetes.cri-o.SandboxID"}, /* CRI-O */
};

int oci_pod_join(const char *root, const struct oci_spec *s, const char *id, struct oci_state *st,
		 struct error **err)
{
	const char *type = NULL, *sandbox = NULL;
	for (size_t i = 0; !type && i < sizeof(pod_keys) / sizeof(pod_keys[0]); i++) {
		type = oci_spec_annotation(s, pod_keys[i].type);
		sandbox = oci_spec_annotation(s, pod_keys[i].sandbox);
	}
	if (!type || strcmp(type, "sandbox") == 0)
		return 0; /* a sandbox of its own */
	if (strcmp(type, "container") != 0)
		return error_set(err, EINVAL,
				 "annotation container type `%s`: not sandbox or container", type);
	if (!sandbox || !*sandbox)
		return error_set(err, EINVAL, "a pod's container needs its sandbox id annotation");
	if (strcmp(sandbox, id) == 0)
		return 0;
	struct oci_state *sb = NULL;
	if (oci_state_load(root, sandbox, &sb, err) < 0)
		return error_wrap(err, "container `%s`: its sandbox", id);
	enum oci_status live = oci_state_status(sb);
	int rc = 0;
	if (sb->sandbox_id)
		rc = error_set(err, EINVAL,
			       "container `%s`: `%s` is a pod's container, not a sandbox", id,
			       sandbox);
	else if (live != OCI_STATUS_CREATED && live != OCI_STATUS_RUNNING)
		rc = error_set(err, EINVAL, "container `%s`: its sandbox `%s` is %s", id, sandbox,
			       oci_status_name(live));
	else if (!(st->sandbox_id = strdup(sandbox)) ||
		 !(st->control_socket = sb->control_socket ? strdup(sb->control_socket) : NULL))
		rc = error_set(err, ENOMEM, "container `%s`", id);
	oci_state_free(sb);
	return rc;
}

/* The Gofer goes on the sandbox Sentry's CPU, which it talks to. */
static void pin_like_sandbox(const char *root, const char *sandbox)
{
	struct oci_state *sb = NULL;
	cpu_set_t set;
	if (oci_state_load(root, sandbox, &sb, NULL) == 0 &&
	    sched_getaffinity(sb->pid, sizeof(set), &set) == 0)
		sched_setaffinity(0, sizeof(set), &set);
	oci_state_free(sb);
}

/* Starts the container in the sandbox's Sentry; returns its init's pid. */
static pid_t start_in_sandbox(const struct oci_spec *s, const struct oci_state *st,
			      const struct sentry_config *cfg, int gofer_sock, int tty_fd, int null,
			      struct error **err)
{
	json_t *files = files_json_from_config(cfg);
	json_t *proc = oci_process_json(s->process, NULL, NULL, 0);
	json_t *req = json_pack("{s:s,s:s,s:o*,s:o*}", "type", "start-container", "container",
				st->id, "files", files, "process", proc);
	if (!files || !proc || !req) {
		json_decref(req);
		return error_set(err, ENOMEM, "start `%s`", st->id);
	}
	if (tty_fd >= 0)
		json_object_set_new(req, "tty", json_true());
	int fds[1 + 3 + OCI_MAX_PRESERVE_FDS] = {gofer_sock};
	int nfds = 1 + oci_process_fds(fds + 1, tty_fd, null, cfg->n_preserve_fds);
	json_t *reply = NULL;
	if (control_client_call(st, req, fds, nfds, &reply, err) < 0)
		return -1;
	pid_t pid = (pid_t)json_integer_value(json_object_get(reply, "pid"));
	json_decref(reply);
	return pid;
}

void oci_pod_container_child(const struct oci_create_opts *o, const struct oci_spec *s,
			     struct oci_state *st, int tty_fd)
{
	/* first, so a closed stdio slot of ours is plugged by it, not by a
	 * descriptor handed on as the container's stdio */
	cleanup_close int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	oci_await_start(o, s, st);
	cleanup_free char *dir = NULL;
	int dirfd = oci_state_dir(o->root, o->id, &dir, NULL) == 0
			? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)
			: -1;
	struct error *err = NULL;
	struct sentry_config cfg;
	int rc = 127;
	if (oci_sentry_config(o, s, st, tty_fd, &cfg) < 0) {
		error_set(&err, ENOMEM, "start `%s`", o->id);
		goto out;
	}
	pin_like_sandbox(o->root, st->sandbox_id);
	pid_t gofer = 0;
	int sock = container_gofer_launch(&cfg, &gofer);
	if (sock < 0) {
		error_set(&err, -sock, "start `%s`: its gofer", o->id);
		goto out;
	}
	pid_t pid = start_in_sandbox(s, st, &cfg, sock, tty_fd, null, &err);
	close(sock); /* the Sentry holds it now; the Gofer ends when it lets go */
	if (pid <= 0) {
		gofer_stop(gofer);
		goto out;
	}
	int fd = control_client_send(st, json_pack("{s:s,s:i}", "type", "wait", "pid", (int)pid),
				     NULL, 0, &err);
	if (fd >= 0) {
		rc = oci_wait_forwarding(st, fd, pid, &err);
		close(fd);
	}
	if (rc < 0)
		rc = 255;
	/* the container's processes are gone: nothing reads its files now
	 * (its mounts stay in the Sentry until the pod ends, answering EIO) */
	gofer_stop(gofer);
out:
	if (err) {
		char *t = error_text(err);
		log_error("%s", t ? t : "start failed");
		free(t);
		error_free(err);
	}
	oci_record_exit(dirfd, rc);
	_exit(rc);
}
