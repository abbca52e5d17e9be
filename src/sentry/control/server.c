/* The control server's connections; see control.h and protocol.h.
 *
 * Host calls made once the Sentry is confined: accept4, recvmsg, sendmsg,
 * close, epoll_ctl (through sched_watch_fd), rt_sigreturn (SIGIO's
 * handler). Nothing here blocks: the
 * listening socket and the connections are non-blocking, a connection
 * whose request has not arrived yet is watched on the scheduler's epoll,
 * and replies are one small packet sent with MSG_DONTWAIT. */
#include "sentry/control/control.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/log.h"
#include "sentry/control/protocol.h"
#include "sentry/kernel/sched_control.h"
#include "sentry/kernel/task.h"
#include "sentry/platform/platform.h"

/* More connections than this: the oldest one still silent is dropped. */
#define MAX_CONNS 64

struct conn {
	int fd;
	int ready;	/* the scheduler saw it readable */
	int watched;	/* on the scheduler's epoll */
	pid_t wait_pid; /* parked until this exec'd process exits; 0 = reading */
	struct waitq q;
	struct waiter w;
	struct conn *next;
};

static struct conn *conns;
static int n_conns;
static int listen_fd = -1;
static int conn_ready;

int control_listen(const char *path, struct error **err)
{
	struct sockaddr_un sa;
	int dirfd, e = control_sockaddr(path, &sa, &dirfd);
	if (e)
		return error_set(err, -e, "control socket `%s`", path);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		e = errno;
		if (dirfd >= 0)
			close(dirfd);
		return error_set(err, e, "control socket");
	}
	int fd = fcntl(s, F_DUPFD_CLOEXEC, 3); /* 0-2 may be closed: keep off them */
	close(s);
	unlink(path);
	mode_t old = umask(0177);
	int r = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (r == 0)
		r = listen(fd, 64);
	e = errno;
	umask(old);
	if (dirfd >= 0)
		close(dirfd);
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return error_set(err, e, "control socket `%s`", path);
	}
	return fd;
}

static void conn_close(struct conn *c)
{
	for (struct conn **p = &conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	if (c->watched)
		sched_unwatch_fd(c->fd);
	close(c->fd);
	n_conns--;
	free(c);
}

void control_reply(struct conn *c, json_t *reply)
{
	if (reply) {
		json_object_set_new(reply, "version", json_integer(CONTROL_VERSION));
		if (!json_object_get(reply, "ok"))
			json_object_set_new(reply, "ok", json_true());
	}
	char *text = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	json_decref(reply);
	/* a client that went away or does not read loses its answer */
	struct iovec iov = {text, text ? strlen(text) : 0};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (text && sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("control: reply: %s", strerror(errno));
	free(text);
	conn_close(c);
}

void control_reply_error(struct conn *c, int errnum, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	control_reply(c, json_pack("{s:b,s:s,s:i}", "ok", 0, "error", msg, "errno", errnum));
}

void control_park(struct conn *c, pid_t pid)
{
	if (c->watched)
		sched_unwatch_fd(c->fd);
	c->watched = 0;
	c->wait_pid = pid;
}

int control_exited(pid_t pid, int st)
{
	int n = 0;
	struct conn *next;
	for (struct conn *c = conns; c; c = next) {
		next = c->next;
		if (c->wait_pid == pid) {
			control_reply(c, control_status_json(st));
			n++;
		}
	}
	return n;
}

static void dispatch(struct conn *c, json_t *req, int *fds, int nfds)
{
	json_t *v = json_object_get(req, "version");
	const char *type = json_string_value(json_object_get(req, "type"));
	if (!json_is_integer(v) || json_integer_value(v) != CONTROL_VERSION)
		control_reply_error(c, EPROTO, "protocol version %d is required", CONTROL_VERSION);
	else if (!type)
		control_reply_error(c, EINVAL, "`type` must be a string");
	else if (strcmp(type, "exec") == 0)
		control_exec(c, req, fds, nfds);
	else if (strcmp(type, "start-container") == 0)
		control_container_start(c, req, fds, nfds);
	else if (nfds)
		control_reply_error(c, EINVAL,
				    "only exec and start-container take file descriptors");
	else if (strcmp(type, "wait") == 0)
		control_wait(c, req);
	else if (strcmp(type, "signal") == 0)
		control_signal(c, req);
	else if (strcmp(type, "ps") == 0)
		control_ps(c, req);
	else if (strcmp(type, "pause") == 0 || strcmp(type, "resume") == 0) {
		if (json_object_get(req, "container")) {
			control_reply_error(c, EINVAL,
					    "a pod's container cannot be paused on its own");
			return;
		}
		if (type[0] == 'p')
			sched_pause();
		else
			sched_resume();
		control_reply(c, json_object());
	} else
		control_reply_error(c, EINVAL, "unknown request type `%.64s`", type);
}

static void on_readable(struct waiter *w)
{
	struct conn *c = w->priv;
	c->watched = 0; /* the scheduler's watch is one-shot */
	c->ready = 1;
	conn_ready = 1;
}

static void watch(struct conn *c)
{
	c->q.head = NULL;
	waitq_add(&c->q, &c->w, NULL, 0);
	c->w.notify = on_readable;
	c->w.priv = c;
	int e = sched_watch_fd(c->fd, EPOLLIN, &c->q);
	if (e) {
		log_debug("control: watch: %s", strerror(-e));
		conn_close(c);
		return;
	}
	c->watched = 1;
}

/* Reads c's request if it is there and answers it. */
static void serve(struct conn *c)
{
	static char buf[CONTROL_MAX_MSG + 1];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * CONTROL_MAX_FDS)];
	} u;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
	c->ready = 0;
	ssize_t n = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		watch(c);
		return;
	}
	int fds[CONTROL_MAX_FDS], nfds = 0;
	for (struct cmsghdr *h = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; h; h = CMSG_NXTHDR(&mh, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < k && nfds < CONTROL_MAX_FDS; i++)
			memcpy(&fds[nfds++], CMSG_DATA(h) + i * sizeof(int), sizeof(int));
	}
	json_error_t jerr;
	json_t *req = NULL;
	if (n <= 0) {
		conn_close(c); /* gone, or an empty packet */
	} else if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		control_reply_error(c, EMSGSIZE, "request over %d bytes or %d fds", CONTROL_MAX_MSG,
				    CONTROL_MAX_FDS);
	} else if (!(req = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, &jerr)) ||
		   !json_is_object(req)) {
		control_reply_error(c, EINVAL, "request: %s", req ? "not an object" : jerr.text);
	} else {
		dispatch(c, req, fds, nfds);
	}
	for (int i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	json_decref(req);
}

/* Drops the oldest connection that has not sent its request yet. */
static void drop_oldest_reader(void)
{
	struct conn *victim = NULL;
	for (struct conn *c = conns; c; c = c->next)
		if (!c->wait_pid)
			victim = c; /* the list is newest first */
	if (victim)
		conn_close(victim);
}

static void accept_all(void)
{
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (n_conns >= MAX_CONNS)
			drop_oldest_reader();
		struct conn *c = calloc(1, sizeof(*c));
		if (!c || n_conns >= MAX_CONNS) {
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->next = conns;
		conns = c;
		n_conns++;
		serve(c);
	}
}

static void hook(void)
{
	if (sched_hook_pending) {
		sched_hook_pending = 0;
		accept_all();
	}
	while (conn_ready) {
		conn_ready = 0;
		struct conn *next;
		for (struct conn *c = conns; c; c = next) {
			next = c->next;
			if (c->ready)
				serve(c);
		}
	}
	control_reap();
}

static void on_sigio(int sig)
{
	sched_hook_pending = 1;
	plat_host_signals |= 1 << sig; /* ends the scheduler's wait for a stop */
}

int control_start(int fd, struct error **err)
{
	listen_fd = fd;
	control_reaper_init();
	struct sigaction sa = {.sa_handler = on_sigio}; /* no SA_RESTART: waits end */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGIO, &sa, NULL) < 0 || fcntl(fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC) < 0)
		return error_set(err, errno, "control socket: SIGIO");
	sched_hook = hook;
	sched_hook_fd = fd;
	sched_hook_pending = 1; /* connections made before we ran */
	return 0;
}

void control_stop(void)
{
	control_reap();
	/* what is still parked died with the sandbox, killed */
	struct conn *next;
	for (struct conn *c = conns; c; c = next) {
		next = c->next;
		if (c->wait_pid)
			control_reply(c, control_status_json(SIGKILL));
		else
			conn_close(c);
	}
	sched_hook = NULL;
	sched_hook_fd = -1;
}
