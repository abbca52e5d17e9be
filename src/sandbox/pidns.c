/* The Sentry's pid namespace; see pidns.h. */
#include "sandbox/pidns.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t sandbox_fork_pidns(void)
{
	return (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

static pid_t waited;

/* A signal sent to us goes on to the Sentry, which forwards it into the
 * sandbox; the terminal's (SI_KERNEL) went to the Sentry already. */
static void relay(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (si->si_code != SI_KERNEL)
		kill(waited, sig);
}

int sandbox_wait_sentry(pid_t sentry)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH};
	waited = sentry;
	struct sigaction sa = {.sa_sigaction = relay, .sa_flags = SA_SIGINFO | SA_RESTART};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	int st;
	while (waitpid(sentry, &st, 0) < 0)
		if (errno != EINTR)
			return 255;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
