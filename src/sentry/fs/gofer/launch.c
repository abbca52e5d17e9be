/* Starting and ending the sandbox's Gofer; see launch.h. */
#include "sentry/fs/gofer/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int gofer_launch(const char *spec, pid_t *pid)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid_t p = fork();
	if (p < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (p == 0) {
		/* the Gofer's end stays open across exec; nothing else of ours does */
		int fd = fcntl(sv[1], F_DUPFD, 3);
		if (fd < 0)
			_exit(127);
		char num[16];
		snprintf(num, sizeof(num), "%d", fd);
		char *argv[] = {"cvisor",   "gofer",	  "--sock-fd",	  num,
				"--export", (char *)spec, "--no-confine", NULL};
		if (geteuid() == 0)
			argv[6] = NULL; /* root can confine it */
		signal(SIGPIPE, SIG_DFL);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
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
