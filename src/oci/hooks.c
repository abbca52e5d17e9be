/* Running OCI hooks; see hooks.h. One poll loop feeds stdin, drains
 * stdout/stderr and watches the deadline, so neither a hook that ignores
 * its stdin nor one that floods its output can wedge the runtime. */
#include "oci/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"

extern char **environ;

#define CAPTURE_MAX 4096

struct capture {
	char buf[CAPTURE_MAX + 1];
	size_t len;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is there; keeps the first CAPTURE_MAX bytes, drops the rest.
 * Returns 0 at EOF, 1 if the pipe stays open. */
static int drain(int fd, struct capture *c)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 1 : 0;
	if (n == 0)
		return 0;
	size_t room = CAPTURE_MAX - c->len;
	size_t take = (size_t)n < room ? (size_t)n : room;
	memcpy(c->buf + c->len, tmp, take);
	c->len += take;
	c->buf[c->len] = 0;
	return 1;
}

static void trim(struct capture *c)
{
	while (c->len && (c->buf[c->len - 1] == '\n' || c->buf[c->len - 1] == ' '))
		c->buf[--c->len] = 0;
}

static __attribute__((noreturn)) void child(const struct oci_hook *h, int in, int out, int errfd)
{
	/* Back to default signal state: the runtime may block or ignore some. */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	syscall(SYS_close_range, 3U, ~0U, 0U);
	char *argv0[] = {h->path, NULL};
	char **argv = h->n_args ? h->args : argv0;
	char **envp = h->env ? h->env : environ;
	execve(h->path, argv, envp);
	dprintf(2, "exec: %s", strerror(errno));
	_exit(127);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int oci_hook_run(const struct oci_hook *h, const char *state_json, struct error **err)
{
	int in[2], out[2], errp[2];
	if (pipe2(in, O_CLOEXEC) < 0)
		return error_set(err, errno, "pipe");
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return error_set(err, errno, "pipe");
	}
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return error_set(err, errno, "pipe");
	}
	/* SIGPIPE, should the hook not read its stdin, must not kill us:
	 * block it and swallow what we caused. */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	sigset_t pending;
	sigpending(&pending);
	int had_sigpipe = sigismember(&pending, SIGPIPE);

	pid_t pid = fork();
	if (pid == 0)
		child(h, in[0], out[1], errp[1]);
	int fork_errno = errno;
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	cleanup_close int win = in[1], rout = out[0], rerr = errp[0];
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return error_set(err, fork_errno, "fork");
	}
	set_nonblock(win);
	set_nonblock(rout);
	set_nonblock(rerr);

	struct capture cout = {.len = 0}, cerr = {.len = 0};
	/* A pidfd wakes the loop the moment the hook exits; without one (old
	 * kernels) we look every 50 ms. */
	cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	const char *data = state_json ? state_json : "";
	size_t left = strlen(data);
	if (!left) {
		close(win);
		win = -1;
	}
	int64_t deadline = h->timeout > 0 ? now_ms() + (int64_t)h->timeout * 1000 : -1;
	int status = 0, timed_out = 0, reaped = 0;
	while (!reaped) {
		struct pollfd p[4] = {
		    {win, POLLOUT, 0}, {rout, POLLIN, 0}, {rerr, POLLIN, 0}, {pidfd, POLLIN, 0}};
		/* Exit is watched apart from the pipes: a daemon the hook left
		 * behind may hold its stdout open forever. */
		int wait = pidfd >= 0 ? -1 : 50;
		if (deadline >= 0) {
			int64_t left_ms = deadline - now_ms();
			left_ms = left_ms > 0 ? left_ms : 0;
			if (wait < 0 || left_ms < wait)
				wait = (int)left_ms;
		}
		int n = poll(p, 4, wait);
		if (n < 0 && errno != EINTR)
			break;
		if (win >= 0 && p[0].revents) {
			ssize_t w = write(win, data, left);
			if (w > 0) {
				data += w;
				left -= (size_t)w;
			}
			if (left == 0 || (w < 0 && errno != EAGAIN && errno != EINTR)) {
				close(win);
				win = -1;
			}
		}
		if (rout >= 0 && p[1].revents && !drain(rout, &cout)) {
			close(rout);
			rout = -1;
		}
		if (rerr >= 0 && p[2].revents && !drain(rerr, &cerr)) {
			close(rerr);
			rerr = -1;
		}
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			reaped = 1;
		} else if (deadline >= 0 && now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			timed_out = reaped = 1;
		}
	}
	/* Whatever the hook wrote just before exiting. */
	while (rout >= 0 && drain(rout, &cout) && cout.len < CAPTURE_MAX && !timed_out)
		if (poll(&(struct pollfd){rout, POLLIN, 0}, 1, 0) <= 0)
			break;
	while (rerr >= 0 && drain(rerr, &cerr) && cerr.len < CAPTURE_MAX && !timed_out)
		if (poll(&(struct pollfd){rerr, POLLIN, 0}, 1, 0) <= 0)
			break;

	sigpending(&pending);
	if (!had_sigpipe && sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &(struct timespec){0, 0});
	sigprocmask(SIG_SETMASK, &old, NULL);

	trim(&cout);
	trim(&cerr);
	char what[64];
	if (timed_out)
		snprintf(what, sizeof(what), "timed out after %d s", h->timeout);
	else if (!reaped)
		snprintf(what, sizeof(what), "lost track of the hook");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	else if (WIFEXITED(status))
		snprintf(what, sizeof(what), "exit status %d", WEXITSTATUS(status));
	else
		snprintf(what, sizeof(what), "killed by signal %d", WTERMSIG(status));
	return error_set(err, 0, "`%s`: %s%s%s%s%s", h->path, what, cout.len ? ", stdout: " : "",
			 cout.buf, cerr.len ? ", stderr: " : "", cerr.buf);
}

int oci_hooks_run(const struct oci_spec *s, enum oci_hook_kind k, const char *state_json,
		  struct error **err)
{
	if ((unsigned)k >= OCI_HOOK_NKINDS)
		return error_set(err, EINVAL, "unknown hook kind %d", (int)k);
	for (size_t i = 0; i < s->hooks[k].n; i++)
		if (oci_hook_run(&s->hooks[k].v[i], state_json, err) < 0)
			return error_wrap(err, "hooks.%s[%zu]", oci_hook_kind_name(k), i);
	return 0;
}
