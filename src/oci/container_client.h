/* The CLI's side of the Sentry's control socket (src/sentry/control/
 * protocol.h has the messages). */
#ifndef CVISOR_OCI_CONTAINER_CLIENT_H
#define CVISOR_OCI_CONTAINER_CLIENT_H

#include <jansson.h>

#include "lib/error.h"

struct oci_state;

/* Connects to the container's control socket (st->control_socket, as
 * create recorded it) and sends req (its "version" is added;
 * the reference is taken) with nfds fds. Returns the connection, whose
 * one reply control_client_recv() reads, or -1. */
int control_client_send(const struct oci_state *st, json_t *req, const int *fds, int nfds,
			struct error **err);
/* Reads the reply on fd. Returns 0 with *reply (ok), -1 with *err (an
 * error reply, or none), 1 when a signal interrupted the wait, or 2 when
 * the Sentry closed the connection unanswered (it is gone). */
int control_client_recv(int fd, json_t **reply, struct error **err);
/* send + recv + close: one request with nfds fds, its reply in *reply
 * (NULL: dropped). */
int control_client_call(const struct oci_state *st, json_t *req, const int *fds, int nfds,
			json_t **reply, struct error **err);

#endif
