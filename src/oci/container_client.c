/* The CLI's side of the control socket; see container_client.h. */
#include "oci/container_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fdpass.h"
#include "oci/state.h"
#include "sentry/control/protocol.h"

int control_client_send(const struct oci_state *st, json_t *req, const int *fds, int nfds,
			struct error **err)
{
	const char *id = st->id;
	json_object_set_new(req, "version", json_integer(CONTROL_VERSION));
	if (st->sandbox_id) /* a pod's container: the sandbox's Sentry serves many */
		json_object_set_new(req, "container", json_string(id));
	cleanup_free char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!st->control_socket)
		return error_set(err, ENOENT, "container `%s`: no control socket recorded", id);
	if (!text || strlen(text) > CONTROL_MAX_MSG)
		return error_set(err, EMSGSIZE, "container `%s`: request too large", id);
	struct sockaddr_un sa;
	cleanup_close int dirfd = -1;
	int e = control_sockaddr(st->control_socket, &sa, &dirfd);
	if (e)
		return error_set(err, -e, "container `%s`: control socket", id);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_set(err, errno, "control socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		close(fd);
		return error_set(err, e, "container `%s`: connect to its Sentry", id);
	}
	if (nfds > CONTROL_MAX_FDS)
		return error_set(err, EMSGSIZE, "container `%s`: more than %d fds", id,
				 CONTROL_MAX_FDS);
	size_t n = nfds > 0 ? (size_t)nfds : 0;
	ssize_t r = fd_sendmsg(fd, text, strlen(text), fds, n);
	if (r < 0) {
		close(fd);
		return error_set(err, (int)-r, "container `%s`: send to its Sentry", id);
	}
	return fd;
}

int control_client_recv(int fd, json_t **reply, struct error **err)
{
	static char buf[CONTROL_MAX_MSG + 1];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n < 0)
		return error_set(err, errno, "control socket: receive");
	if (n == 0)
		return 2;
	json_error_t je;
	json_t *r = json_loadb(buf, (size_t)n, 0, &je);
	if (!json_is_object(r)) {
		json_decref(r);
		return error_set(err, EPROTO, "control socket: bad reply");
	}
	if (!json_is_true(json_object_get(r, "ok"))) {
		json_t *e = json_object_get(r, "errno");
		int rc = error_set(err, json_is_integer(e) ? (int)json_integer_value(e) : EIO, "%s",
				   json_string_value(json_object_get(r, "error"))
				       ? json_string_value(json_object_get(r, "error"))
				       : "the Sentry refused the request");
		json_decref(r);
		return rc;
	}
	*reply = r;
	return 0;
}

int control_client_call(const struct oci_state *st, json_t *req, const int *fds, int nfds,
			json_t **reply, struct error **err)
{
	int fd = control_client_send(st, req, fds, nfds, err);
	if (fd < 0)
		return -1;
	json_t *r = NULL;
	int rc;
	while ((rc = control_client_recv(fd, &r, err)) == 1)
		;
	close(fd);
	if (rc == 2)
		rc = error_set(err, EPIPE, "container `%s`: the Sentry went away", st->id);
	if (rc == 0 && reply)
		*reply = r;
	else
		json_decref(r);
	return rc;
}
