/* Pipes: pipe2 flags, non-blocking EAGAIN, EOF, SIGPIPE/EPIPE, readiness
 * through poll/select/epoll, FIONREAD, and data across fork. */
#include "harness.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/wait.h>

TEST(basic)
{
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "hello", 5), 5);
	char buf[16] = {0};
	CHECK_EQ(read(p[0], buf, 3), 3);
	CHECK(memcmp(buf, "hel", 3) == 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "lo", 2) == 0);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR(write(p[0], "x", 1), EBADF);
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	struct stat st;
	CHECK_OK(fstat(p[0], &st));
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(pipe(BAD_PTR), EFAULT);
	CHECK_ERR(pipe2(p, 0x12345678), EINVAL);
}

TEST(pipe2_flags)
{
	int p[2];
	CHECK_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	char buf[8];
	CHECK_ERR(read(p[0], buf, sizeof(buf)), EAGAIN);
	/* fill it: non-blocking write stops with EAGAIN at capacity */
	static char chunk[4096];
	long total = 0;
	for (;;) {
		ssize_t n = write(p[1], chunk, sizeof(chunk));
		if (n < 0) {
			CHECK_EQ(errno, EAGAIN);
			break;
		}
		total += n;
		if (total > (1 << 24))
			break;
	}
	CHECK(total >= 4096 && total <= (1 << 20));
	int cap = fcntl(p[1], F_GETPIPE_SZ);
	CHECK(cap >= 4096);
	CHECK_EQ(total, cap);
	int avail = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &avail));
	CHECK_EQ(avail, total);
	CHECK_ERR(write(p[1], "x", 1), EAGAIN);
	close(p[0]);
	close(p[1]);

	/* F_SETPIPE_SZ changes capacity */
	CHECK_OK(pipe(p));
	CHECK(fcntl(p[0], F_SETPIPE_SZ, 1 << 16) >= (1 << 16));
	CHECK(fcntl(p[0], F_GETPIPE_SZ) >= (1 << 16));
	close(p[0]);
	close(p[1]);
}

TEST(eof_and_epipe)
{
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "ab", 2), 2);
	close(p[1]);
	char buf[8];
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 2);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	/* writing with no reader: EPIPE when SIGPIPE is ignored */
	CHECK_OK(pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);

	/* and death by SIGPIPE otherwise */
	pid_t pid = fork();
	if (pid == 0) {
		ssize_t r = write(p[1], "x", 1);
		_exit(r < 0 ? 3 : 4);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);

	/* blocked SIGPIPE: EPIPE and the signal stays pending */
	sigset_t set, old, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	CHECK_OK(sigpending(&pend));
	CHECK(sigismember(&pend, SIGPIPE));
	signal(SIGPIPE, SIG_IGN); /* discards the pending one */
	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

TEST(across_fork)
{
	int p[2], q[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		close(q[0]);
		unsigned char in[3000]; /* odd size: reads split the writes */
		long sum = 0;
		ssize_t n;
		while ((n = read(p[0], in, sizeof(in))) > 0)
			for (ssize_t i = 0; i < n; i++)
				sum += in[i];
		dprintf(q[1], "%ld", sum);
		_exit(n == 0 ? 0 : 1);
	}
	close(p[0]);
	close(q[1]);
	long want = 0;
	char buf[1000];
	for (int i = 0; i < 1000; i++) {
		buf[i] = (char)i;
		want += (unsigned char)buf[i];
	}
	for (int i = 0; i < 100; i++)
		CHECK_EQ(write(p[1], buf, sizeof(buf)), sizeof(buf));
	close(p[1]);
	char out[32] = {0};
	CHECK(read(q[0], out, sizeof(out) - 1) > 0);
	CHECK_EQ(atol(out), want * 100);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(q[0]);

	/* a blocked reader wakes when the writer writes later */
	CHECK_OK(pipe(p));
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		ssize_t r = write(p[1], "late", 4);
		_exit(r == 4 ? 0 : 1);
	}
	close(p[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	close(p[0]);
}

TEST(poll_select)
{
	int p[2];
	CHECK_OK(pipe(p));
	struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	CHECK_EQ(poll(fds, 2, 0), 1);
	CHECK_EQ(fds[0].revents, 0);
	CHECK_EQ(fds[1].revents, POLLOUT);
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(poll(fds, 1, 100), 0); /* times out */
	double dt = now_sec(CLOCK_MONOTONIC) - t0;
	CHECK(dt >= 0.09 && dt < 2.0);
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(poll(fds, 2, -1), 2);
	CHECK_EQ(fds[0].revents, POLLIN);

	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	struct timeval tv = {1, 0};
	CHECK_EQ(select(p[1] + 1, &r, &w, NULL, &tv), 2);
	CHECK(FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 50000;
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 0);
	CHECK(!FD_ISSET(p[0], &r));
	struct timespec ts = {0, 1000000};
	FD_SET(p[0], &r);
	CHECK_EQ(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL), 0);

	/* hang-up: reader sees POLLHUP after the writer closes */
	close(p[1]);
	fds[0].revents = 0;
	CHECK_EQ(poll(fds, 1, 0), 1);
	CHECK(fds[0].revents & POLLHUP);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	CHECK_EQ(select(p[0] + 1, &r, NULL, NULL, &tv), 1); /* readable: EOF */
	close(p[0]);

	/* writer sees POLLERR when the reader is gone */
	CHECK_OK(pipe(p));
	close(p[0]);
	fds[1].fd = p[1];
	fds[1].revents = 0;
	CHECK_EQ(poll(&fds[1], 1, 0), 1);
	CHECK(fds[1].revents & POLLERR);
	close(p[1]);

	/* a closed fd in poll gives POLLNVAL; in select EBADF */
	struct pollfd bad = {p[1], POLLIN, 0};
	CHECK_EQ(poll(&bad, 1, 0), 1);
	CHECK_EQ(bad.revents, POLLNVAL);
	FD_ZERO(&r);
	FD_SET(p[1], &r);
	tv.tv_usec = 0;
	CHECK_ERR(select(p[1] + 1, &r, NULL, NULL, &tv), EBADF);
}

TEST(epoll)
{
	int p[2];
	CHECK_OK(pipe(p));
	int ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
	CHECK_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0xabcdef};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	struct epoll_event out[4];
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(epoll_wait(ep, out, 4, 50), 0);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.045);
	CHECK_EQ(write(p[1], "xy", 2), 2);
	CHECK_EQ(epoll_wait(ep, out, 4, -1), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EQ(out[0].data.u64, 0xabcdef);
	/* level-triggered: still ready */
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);

	/* edge-triggered: reported once per new write */
	ev.events = EPOLLIN | EPOLLET;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);

	/* oneshot */
	ev.events = EPOLLIN | EPOLLONESHOT;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* both ends; writer is ready for EPOLLOUT */
	ev.events = EPOLLOUT;
	ev.data.u64 = 7;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u64, 7);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* wake from a blocking wait by a child's write; EPOLLHUP at close */
	ev.events = EPOLLIN;
	ev.data.u64 = 1;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	char buf[8];
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(write(p[1], "c", 1) == 1 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 1);
	int st;
	waitpid(pid, &st, 0);
	close(p[1]);
	CHECK_EQ(epoll_wait(ep, out, 4, 1000), 1);
	CHECK(out[0].events & EPOLLHUP);

	/* epoll_pwait with a NULL mask behaves like epoll_wait */
	CHECK_EQ(epoll_pwait(ep, out, 4, 0, NULL), 1);
	close(p[0]);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0); /* closed fds drop out */
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL);
	CHECK_ERR(epoll_wait(p[0], out, 4, 0), EBADF);
	close(ep);
}

TEST(fionread_and_large)
{
	int p[2];
	CHECK_OK(pipe(p));
	int n = -1;
	CHECK_OK(ioctl(p[0], FIONREAD, &n));
	CHECK_EQ(n, 0);
	CHECK_EQ(write(p[1], "12345678", 8), 8);
	CHECK_OK(ioctl(p[0], FIONREAD, &n));
	CHECK_EQ(n, 8);
	char buf[4];
	CHECK_EQ(read(p[0], buf, 3), 3);
	CHECK_OK(ioctl(p[0], FIONREAD, &n));
	CHECK_EQ(n, 5);
	close(p[0]);
	close(p[1]);

	/* a write bigger than the capacity blocks until a reader drains it */
	CHECK_OK(pipe(p));
	size_t big = 1 << 20;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		char *b = malloc(big);
		memset(b, 'q', big);
		ssize_t w = write(p[1], b, big);
		_exit(w == (ssize_t)big ? 0 : 1);
	}
	close(p[1]);
	size_t got = 0;
	char chunk[65536];
	ssize_t r;
	int allq = 1;
	while ((r = read(p[0], chunk, sizeof(chunk))) > 0) {
		for (ssize_t i = 0; i < r; i++)
			allq &= chunk[i] == 'q';
		got += r;
	}
	CHECK_EQ(got, big);
	CHECK(allq);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
}

int main(void)
{
	RUN(basic);
	RUN(pipe2_flags);
	RUN(eof_and_epipe);
	RUN(across_fork);
	RUN(poll_select);
	RUN(epoll);
	RUN(fionread_and_large);
	return done();
}
