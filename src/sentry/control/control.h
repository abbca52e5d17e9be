/* The Sentry's control server (see protocol.h for the wire format).
 *
 * control_listen() runs on the host side before the Sentry confines
 * itself; the rest runs inside the Sentry's one kernel thread. The server
 * is driven by the scheduler's hook: SIGIO on the listening socket ends a
 * scheduler wait, the hook accepts, reads each request without blocking
 * (a silent connection is watched on the scheduler's epoll) and answers. */
#ifndef CVISOR_SENTRY_CONTROL_CONTROL_H
#define CVISOR_SENTRY_CONTROL_CONTROL_H

#include <jansson.h>
#include <sys/types.h>

#include "lib/error.h"

/* Binds and listens on path (a fresh SOCK_SEQPACKET socket, mode 0600);
 * returns the fd, never 0-2, or -1 with *err set. */
int control_listen(const char *path, struct error **err);

/* Starts serving listen_fd; call after the first task exists and before
 * the Sentry confines itself. */
int control_start(int listen_fd, struct error **err);
/* After the scheduler returns: answers the waits still parked (their
 * processes died with the sandbox). */
void control_stop(void);

/* Server internals shared by the files of this folder. */
struct conn;
void control_reply(struct conn *c, json_t *reply);
void control_reply_error(struct conn *c, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parks c until exec'd process pid exits. */
void control_park(struct conn *c, pid_t pid);
/* A parked pid exited with wait status st: answers its waiters; returns
 * how many there were. */
int control_exited(pid_t pid, int st);

/* exec.c */
void control_reaper_init(void);
void control_reap(void); /* frees exited exec'd processes, records statuses */
void control_exec(struct conn *c, json_t *req, int *fds, int nfds);
void control_wait(struct conn *c, json_t *req);

/* Spawns the process req describes in container ctr (NULL: the sandbox's
 * first) and answers {"pid": N}. */
struct container;
void control_spawn(struct conn *c, json_t *req, int *fds, int nfds, struct container *ctr);

/* containers.c */
void control_set_file_access(int file_access); /* SENTRY_FILES_* */
/* The container req names in "container" (*out NULL if none); -1 after
 * answering c with an error. */
int control_container_of(struct conn *c, json_t *req, struct container **out);
void control_container_start(struct conn *c, json_t *req, int *fds, int nfds);

/* procs.c */
void control_signal(struct conn *c, json_t *req);
void control_ps(struct conn *c, json_t *req);
/* wait status (as wait4) to the reply fields {"exit": N} or {"signal": N} */
json_t *control_status_json(int st);

#endif
