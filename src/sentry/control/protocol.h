/* The control socket: how the CLI talks to a running Sentry.
 *
 * ROOT/ID/control.sock is a SOCK_SEQPACKET unix socket that the Sentry
 * process binds before it confines itself. One connection carries one
 * request and gets one reply; each is one packet of JSON (an object, at
 * most CONTROL_MAX_MSG bytes). Requests carry "version" (CONTROL_VERSION)
 * and "type"; replies carry "version", "ok" and, when ok is false, "error"
 * (a sentence) and "errno".
 *
 * Requests:
 *   exec    {"process": {args, env, cwd, user: {uid, gid, additionalGids,
 *            umask},
 *            caps: {effective, permitted, inheritable} (bit masks),
 *            rlimits: [{resource, soft, hard}],
 *            noNewPrivileges}} with host fds (SCM_RIGHTS) that become the
 *            process's fds 0, 1, 2, 3, ... or, with "tty": true, a
 *            terminal (its 0-2) and then its fds 3, 4, ... Reply {"pid": N}.
 *   start-container {"container": ID, "files": (files_json.h),
 *            "process": as exec's}: a container joins the sandbox (a pod);
 *            the first fd is a socket to its own Gofer, the rest as exec's.
 *            Reply {"pid": N}, the container's init.
 *   wait    {"pid": N} (a pid exec made): the reply comes when it has
 *            exited: {"exit": CODE} or {"signal": SIG}.
 *   signal  {"pid": N, "signal": S} or {"all": true, "signal": S}; with
 *            neither, the container's init.
 *   ps      reply {"processes": [{pid, ppid, uid, start, cpu_ns, cmd}]},
 *            start in seconds since the epoch.
 *   pause, resume: every task stops making progress / goes on.
 * exec, signal and ps take "container": ID, a container that joined (a
 * pod's); without it they are about the sandbox's first container. */
#ifndef CVISOR_SENTRY_CONTROL_PROTOCOL_H
#define CVISOR_SENTRY_CONTROL_PROTOCOL_H

#define CONTROL_VERSION	    1
#define CONTROL_SOCKET_NAME "control.sock"
#define CONTROL_MAX_MSG	    (64 * 1024)
#define CONTROL_MAX_FDS	    64

struct sockaddr_un;
/* The address of the socket at path for bind or connect: path itself, or
 * when it does not fit in sun_path, /proc/self/fd/N/NAME with N an O_PATH
 * fd of its directory, which *dirfd receives (-1 if none) and the caller
 * closes after the bind or connect. Returns 0 or -errno. */
int control_sockaddr(const char *path, struct sockaddr_un *sa, int *dirfd);

#endif
