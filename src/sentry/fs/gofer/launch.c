/* Starting and ending the sandbox's Gofer; see launch.h. */
#include "sentry/fs/gofer/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int gofer_launch(const char *const *specs, size_t n, pid_t *pid)
{
	const char **argv = calloc(2 * n + 6, sizeof(*argv));
	int sv[2];
	if (!argv)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		free(argv);
		return -errno;
	}
	pid_t p = fork();
	if (p < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		free(argv);
		return -e;
	}
	if (p == 0) {
		/* the Gofer's end, as fd 3, is all it keeps besides stdio: not
		 * even fds the caller handed down (--preserve-fds) */
		if ((sv[1] == 3 ? fcntl(3, F_SETFD, 0) : dup2(sv[1], 3)) < 0 ||
		    syscall(SYS_close_range, 4, ~0U, 0) < 0)
			_exit(127);
		const char *num = "3";
		size_t a = 0;
		argv[a++] = "cvisor";
		argv[a++] = "gofer";
		argv[a++] = "--sock-fd";
		argv[a++] = num;
		for (size_t i = 0; i < n; i++) {
			argv[a++] = "--export";
			argv[a++] = specs[i];
		}
		if (geteuid() != 0)
			argv[a++] = "--no-confine"; /* root can confine it */
		signal(SIGPIPE, SIG_DFL);
		sigset_t none; /* the Sentry holds some until it runs */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv("/proc/self/exe", (char **)argv);
		_exit(127);
	}
	free(argv);
	close(sv[1]);
	*pid = p;
	return sv[0];
}

void gofer_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
