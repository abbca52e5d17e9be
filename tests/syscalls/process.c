/* Processes: fork/wait status, exit codes, vfork+exec, execve, WNOHANG,
 * parent ids, process groups and sessions, signals to children.
 * Inside the sandbox this program is pid 1, so it only waits for its own
 * children by pid and never signals itself with default-action signals. */
#include "harness.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

static int wait_status(pid_t pid)
{
	int st = -1;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	CHECK_EQ(r, pid);
	return st;
}

TEST(fork_exit_codes)
{
	int codes[] = {0, 1, 42, 255, 256 + 3};
	for (int i = 0; i < 5; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		CHECK(pid > 0);
		int st;
		struct rusage ru;
		CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
		CHECK(WIFEXITED(st));
		CHECK_EQ(WEXITSTATUS(st), codes[i] & 0xff);
		CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_stime.tv_sec >= 0);
	}
	/* exit() via libc runs atexit handlers and flushes stdio in the child */
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		printf("from child");
		exit(9);
	}
	close(p[1]);
	char buf[32] = {0};
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 10);
	CHECK_STR(buf, "from child");
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	close(p[0]);
	CHECK_ERR(waitpid(-1, &st, WNOHANG), ECHILD);
	CHECK_ERR(waitpid(pid, &st, 0), ECHILD);
}

TEST(ids)
{
	pid_t me = getpid();
	CHECK(me > 0);
	CHECK(getppid() >= 0);
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		pid_t v[2] = {getpid(), getppid()};
		_exit(write(p[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	pid_t v[2];
	CHECK_EQ(read(p[0], v, sizeof(v)), sizeof(v));
	CHECK_EQ(v[0], pid);
	CHECK_EQ(v[1], me);
	CHECK(pid != me);
	CHECK_EQ(getpid(), me);
	wait_status(pid);
	close(p[0]);
	close(p[1]);

	/* the pid is kept across execve */
	CHECK_OK(pipe(p));
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo $$", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[32] = {0};
	CHECK(read(p[0], buf, sizeof(buf) - 1) > 0);
	CHECK_EQ(atoi(buf), pid);
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
}

TEST(vfork_exec)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	pid = vfork();
	if (pid == 0) {
		execl("/bin/false", "false", (char *)NULL);
		_exit(127);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);

	/* vfork shares memory until exec/exit: the parent sees the write */
	volatile int shared = 0;
	pid = vfork();
	if (pid == 0) {
		shared = 5;
		_exit(0);
	}
	wait_status(pid);
	CHECK_EQ(shared, 5);
}

TEST(execve)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"true", NULL};
		char *envp[] = {NULL};
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* argv and envp reach the new program */
	pid = fork();
	if (pid == 0) {
		char *argv[] = {
		    "sh",   "-c", "test \"$FOO\" = bar && test \"$0\" = zero && exit $1",
		    "zero", "5",  NULL};
		char *envp[] = {"FOO=bar", "PATH=/usr/bin:/bin", NULL};
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 5);

	/* close-on-exec fds are closed in the new program, others stay */
	int keep = CHECK_OK(open("/dev/null", O_WRONLY));
	int gone = CHECK_OK(open("/dev/null", O_WRONLY | O_CLOEXEC));
	char cmd[128];
	snprintf(cmd, sizeof(cmd),
		 "exec 2>/dev/null; echo >&%d || exit 3; echo >&%d && exit 4; exit 0", keep, gone);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	close(keep);
	close(gone);

	/* failures leave the caller running */
	char *argv[] = {"x", NULL};
	CHECK_ERR(execve("/nonexistent/prog", argv, environ), ENOENT);
	CHECK_ERR(execve("/tmp", argv, environ), EACCES);
	CHECK_ERR(execve("/etc/passwd", argv, environ), EACCES);
	CHECK_ERR(execve(BAD_PTR, argv, environ), EFAULT);
	const char *np = scratch_path("noexec");
	int fd = CHECK_OK(open(np, O_CREAT | O_WRONLY, 0755));
	CHECK_EQ(write(fd,
		       "\x7f"
		       "ELFgarbage",
		       11),
		 11);
	close(fd);
	CHECK_ERR(execve(np, argv, environ), ENOEXEC);

	/* a #! script */
	const char *sp = scratch_path("script");
	fd = CHECK_OK(open(sp, O_CREAT | O_WRONLY, 0755));
	const char *body = "#!/bin/sh\nexit 6\n";
	CHECK_EQ(write(fd, body, strlen(body)), strlen(body));
	close(fd);
	pid = fork();
	if (pid == 0) {
		execl(sp, "script", (char *)NULL);
		_exit(127);
	}
	st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);
}

TEST(wnohang_and_waitid)
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 11 : 12);
	}
	close(p[0]);
	int st;
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	CHECK_EQ(waitpid(-1, &st, WNOHANG), 0);
	close(p[1]); /* child sees EOF and exits */
	pid_t r;
	int tries = 0;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && tries++ < 5000)
		usleep(1000);
	CHECK_EQ(r, pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 11);

	/* waitid with WNOWAIT leaves the zombie for a second wait */
	pid = fork();
	if (pid == 0)
		_exit(21);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(si.si_signo, SIGCHLD);
	CHECK_EQ(si.si_code, CLD_EXITED);
	CHECK_EQ(si.si_status, 21);
	memset(&si, 0, sizeof(si));
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED));
	CHECK_EQ(si.si_status, 21);
	CHECK_ERR(waitid(P_PID, pid, &si, WEXITED), ECHILD);
	CHECK_ERR(waitid(P_PID, pid, &si, 0), EINVAL);
}

TEST(many_children)
{
	enum {
		N = 40
	};
	pid_t pids[N];
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			usleep((N - i) * 500);
			_exit(i);
		}
		CHECK(pids[i] > 0);
	}
	int seen = 0;
	for (int i = 0; i < N; i++) {
		int st = wait_status(pids[i]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == i)
			seen++;
	}
	CHECK_EQ(seen, N);

	/* a chain of grandchildren each waiting for its own child */
	pid_t pid = fork();
	if (pid == 0) {
		int depth = 0;
		for (; depth < 10; depth++) {
			pid_t c = fork();
			if (c < 0)
				_exit(100);
			if (c > 0) {
				int st;
				if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
					_exit(101);
				_exit(WEXITSTATUS(st) + 1);
			}
		}
		_exit(0);
	}
	int st = wait_status(pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 10);
}

TEST(process_groups)
{
	pid_t me = getpid();
	pid_t mypg = getpgrp();
	CHECK_EQ(getpgid(0), mypg);
	CHECK_EQ(getpgid(me), mypg);
	CHECK(getsid(0) >= 0); /* 0 when the session lies outside our pid namespace */
	int p[2], go[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(go));
	pid_t pid = fork();
	if (pid == 0) {
		/* a new process group, then a new session */
		int ok = getpgrp() == mypg;
		ok &= setpgid(0, 0) == 0;
		ok &= getpgrp() == getpid();
		ok &= getpgid(0) == getpid();
		/* a group leader cannot make a session */
		ok &= setsid() == -1 && errno == EPERM;
		pid_t c = fork();
		if (c == 0) {
			pid_t s = setsid();
			int ok2 = s == getpid() && getsid(0) == getpid() && getpgrp() == getpid();
			/* a session leader cannot change its group */
			ok2 &= setpgid(0, getppid()) == -1 && errno == EPERM;
			_exit(ok2 ? 0 : 1);
		}
		int st;
		ok &= waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		ok &= write(p[1], &ok, sizeof(ok)) == sizeof(ok);
		char c2;
		ok &= read(go[0], &c2, 1) == 1; /* wait for the parent's checks */
		_exit(ok ? 0 : 1);
	}
	int ok = 0;
	CHECK_EQ(read(p[0], &ok, sizeof(ok)), sizeof(ok));
	CHECK(ok);
	CHECK_EQ(getpgid(pid), pid);
	CHECK_EQ(getsid(pid), getsid(0));
	CHECK_EQ(write(go[1], "g", 1), 1);
	close(go[0]);
	close(go[1]);
	int st = wait_status(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* the parent can set a child's group; kill(-pgid) reaches the group */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_OK(setpgid(pid, pid));
	CHECK_EQ(getpgid(pid), pid);
	CHECK_OK(kill(-pid, SIGTERM));
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK_ERR(setpgid(pid, pid), ESRCH);
	CHECK_ERR(getpgid(pid), ESRCH);
	CHECK_ERR(setpgid(0, -1), EINVAL);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t got_chld;
static void on_chld(int sig)
{
	got_chld++;
}

TEST(kill_children)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(kill(pid, 0));
	CHECK_OK(kill(pid, SIGTERM));
	int st = wait_status(pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGTERM);
	CHECK(!WIFEXITED(st));
	CHECK_ERR(kill(pid, 0), ESRCH);

	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		for (;;)
			pause();
	}
	usleep(20000);
	CHECK_OK(kill(pid, SIGTERM)); /* ignored */
	usleep(20000);
	CHECK_EQ(waitpid(pid, &st, WNOHANG), 0);
	CHECK_OK(kill(pid, SIGKILL));
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK_ERR(kill(pid, 77), ESRCH);
	CHECK_ERR(kill(getpid(), 12345), EINVAL);

	/* stop and continue are reported with WUNTRACED/WCONTINUED */
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK_EQ(waitpid(pid, &st, WCONTINUED), pid);
	CHECK(WIFCONTINUED(st));
	CHECK_OK(kill(pid, SIGKILL));
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	/* a child's death sends SIGCHLD to the parent */
	struct sigaction sa = {.sa_handler = on_chld}, old;
	CHECK_OK(sigaction(SIGCHLD, &sa, &old));
	got_chld = 0;
	pid = fork();
	if (pid == 0)
		_exit(0);
	wait_status(pid);
	for (int i = 0; i < 100 && !got_chld; i++)
		usleep(1000);
	CHECK(got_chld >= 1);
	sigaction(SIGCHLD, &old, NULL);

	/* a child killed by an uncaught fault */
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		abort();
	}
	st = wait_status(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(fork_exit_codes);
	RUN(ids);
	RUN(vfork_exec);
	RUN(execve);
	RUN(wnohang_and_waitid);
	RUN(many_children);
	RUN(process_groups);
	RUN(kill_children);
	return done();
}
