/* Anonymous files and timers: eventfd, timerfd, signalfd, epoll and POSIX
 * timers. */
#include "harness.h"
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static double mono(void)
{
	return now_sec(CLOCK_MONOTONIC);
}

static void block_sig(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void unblock_sig(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

TEST(eventfd_counter)
{
	int fd = CHECK_OK(eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
	uint64_t v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 3);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	v = 5;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 10);
	CHECK_ERR(read(fd, &v, 4), EINVAL);
	CHECK_ERR(write(fd, &v, 4), EINVAL);
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, sizeof(v)), EINVAL);
	v = UINT64_MAX - 1; /* the largest count fits once */
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	v = 1;
	CHECK_ERR(write(fd, &v, sizeof(v)), EAGAIN);
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, UINT64_MAX - 1);
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLOUT);
	v = 0; /* adding nothing is fine and wakes nobody */
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	char link[64] = {0}, path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, link, sizeof(link) - 1) > 0)
		CHECK_STR(link, "anon_inode:[eventfd]");
	close(fd);
	CHECK_ERR(eventfd(0, 0x12345), EINVAL);
}

TEST(eventfd_semaphore)
{
	int fd = CHECK_OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	uint64_t v;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	close(fd);
}

TEST(eventfd_blocking)
{
	/* a write that would pass the maximum waits for a read */
	int full = CHECK_OK(eventfd(0, 0));
	uint64_t big = UINT64_MAX - 1;
	CHECK_EQ(write(full, &big, 8), 8);
	pid_t reader = fork();
	if (reader == 0) {
		usleep(30000);
		uint64_t x;
		_exit(read(full, &x, 8) == 8 && x == UINT64_MAX - 1 ? 0 : 1);
	}
	big = 3;
	CHECK_EQ(write(full, &big, 8), 8);
	int rst;
	CHECK_EQ(waitpid(reader, &rst, 0), reader);
	CHECK(WIFEXITED(rst) && WEXITSTATUS(rst) == 0);
	CHECK_EQ(read(full, &big, 8), 8);
	CHECK_EQ(big, 3);
	close(full);

	int fd = CHECK_OK(eventfd(0, 0));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		uint64_t seven = 7;
		_exit(write(fd, &seven, sizeof(seven)) == 8 ? 0 : 1);
	}
	uint64_t v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 7);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(fd);
}

TEST(timerfd_oneshot)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	struct itimerspec its = {.it_value = {0, 20000000}};
	double t0 = mono();
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	struct itimerspec cur;
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 20000000);
	CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, sizeof(n)), 8); /* blocks until it fires */
	double el = mono() - t0;
	CHECK_EQ(n, 1);
	CHECK(el >= 0.019);
	CHECK(el < 2.0);
	/* disarmed now */
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	CHECK_ERR(read(fd, &n, 4), EINVAL);
	close(fd);

	/* an absolute time in the past expires at once */
	fd = CHECK_OK(timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK));
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value.tv_sec = now.tv_sec - 1;
	its.it_value.tv_nsec = 0;
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 1000), 1);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	close(fd);

	CHECK_ERR(timerfd_create(12345, 0), EINVAL);
	CHECK_ERR(timerfd_create(CLOCK_MONOTONIC, 0x4000000), EINVAL);
	int e = eventfd(0, 0);
	CHECK_ERR(timerfd_gettime(e, &cur), EINVAL);
	its.it_value.tv_nsec = 1000000000;
	fd = CHECK_OK(timerfd_create(CLOCK_BOOTTIME, 0));
	CHECK_ERR(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	close(fd);
	close(e);
}

TEST(timerfd_periodic)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct itimerspec its = {.it_value = {0, 10000000}, .it_interval = {0, 10000000}};
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	usleep(55000);
	uint64_t n = 0;
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 4 && n <= 50);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	/* poll waits for the next one */
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 1000), 1);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	struct itimerspec old;
	its.it_value.tv_nsec = 0; /* disarm, getting the old setting */
	CHECK_OK(timerfd_settime(fd, 0, &its, &old));
	CHECK_EQ(old.it_interval.tv_nsec, 10000000);
	CHECK(old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 10000000);
	CHECK_EQ(poll(&p, 1, 30), 0);
	close(fd);
}

TEST(signalfd_read)
{
	block_sig(SIGUSR1);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	int fd = CHECK_OK(signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC));
	struct signalfd_siginfo si;
	CHECK_ERR(read(fd, &si, sizeof(si)), EAGAIN);
	CHECK_ERR(read(fd, &si, sizeof(si) - 1), EINVAL);
	struct pollfd p = {fd, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	memset(&si, 0, sizeof(si));
	CHECK_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	CHECK_EQ(si.ssi_code, SI_USER);
	CHECK_EQ(si.ssi_pid, getpid());
	CHECK_EQ(si.ssi_uid, getuid());
	CHECK_ERR(read(fd, &si, sizeof(si)), EAGAIN);
	/* sigqueue carries a value */
	union sigval val = {.sival_int = 1234};
	CHECK_OK(sigqueue(getpid(), SIGUSR1, val));
	CHECK_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(si.ssi_code, SI_QUEUE);
	CHECK_EQ(si.ssi_int, 1234);
	/* changing the mask of an existing signalfd */
	sigaddset(&m, SIGUSR2);
	block_sig(SIGUSR2);
	CHECK_EQ(signalfd(fd, &m, 0), fd);
	CHECK_OK(raise(SIGUSR2));
	CHECK_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR2);
	CHECK_EQ(si.ssi_code, SI_TKILL);
	int e = eventfd(0, 0);
	CHECK_ERR(signalfd(e, &m, 0), EINVAL);
	close(e);
	close(fd);
	unblock_sig(SIGUSR2);

	/* a blocking read woken by another process's kill */
	fd = CHECK_OK(signalfd(-1, &m, 0));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
	}
	CHECK_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	CHECK_EQ(si.ssi_signo, SIGUSR1);
	CHECK_EQ(si.ssi_pid, pid);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	/* the SIGCHLD is not in the mask and stays pending for others */
	close(fd);
	unblock_sig(SIGUSR1);
}

TEST(epoll_pipe_level)
{
	int pfd[2];
	CHECK_OK(pipe(pfd));
	int ep = CHECK_OK(epoll_create1(EPOLL_CLOEXEC));
	CHECK_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev), EEXIST);
	struct epoll_event out[8];
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 0);
	CHECK_EQ(write(pfd[1], "ab", 2), 2);
	for (int i = 0; i < 3; i++) { /* level: reported while readable */
		CHECK_EQ(epoll_wait(ep, out, 8, 0), 1);
		CHECK_EQ(out[0].events, EPOLLIN);
		CHECK(out[0].data.u64 == 0x1122334455667788ULL);
	}
	char buf[8];
	CHECK_EQ(read(pfd[0], buf, sizeof(buf)), 2);
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 0);
	/* the write end, for EPOLLOUT */
	ev.events = EPOLLOUT;
	ev.data.u32 = 2;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[1], &ev));
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 1);
	CHECK_EQ(out[0].data.u32, 2);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_DEL, pfd[1], NULL));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, pfd[1], NULL), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, pfd[1], &ev), ENOENT);
	/* closing the writer: EPOLLHUP, reported even though not asked for */
	close(pfd[1]);
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 1);
	CHECK_EQ(out[0].events, EPOLLHUP);
	/* closing the watched fd drops it from the interest list */
	close(pfd[0]);
	CHECK_EQ(epoll_wait(ep, out, 8, 0), 0);
	close(ep);
}

TEST(epoll_edge)
{
	int e = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	int ep = CHECK_OK(epoll_create(1));
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = 5};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev));
	struct epoll_event out[4];
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	uint64_t v = 1;
	CHECK_EQ(write(e, &v, 8), 8);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u32, 5);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0); /* no new edge */
	CHECK_EQ(write(e, &v, 8), 8);		/* a new event while still ready */
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(read(e, &v, 8), 8);
	CHECK_EQ(v, 2);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* edge on a pipe: more data is a new edge */
	int pfd[2];
	CHECK_OK(pipe(pfd));
	ev.data.u32 = 6;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev));
	CHECK_EQ(write(pfd[1], "x", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u32, 6);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(write(pfd[1], "y", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);

	/* oneshot: once, then again only after EPOLL_CTL_MOD */
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.u32 = 7;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, pfd[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u32, 7);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_EQ(write(pfd[1], "z", 1), 1);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_MOD, pfd[0], &ev));
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	close(pfd[0]);
	close(pfd[1]);
	close(e);
	close(ep);
}

TEST(epoll_wait_blocks)
{
	int ep = CHECK_OK(epoll_create1(0));
	int pfd[2];
	CHECK_OK(pipe(pfd));
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = pfd[0]};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev));
	struct epoll_event out[4];
	double t0 = mono();
	CHECK_EQ(epoll_wait(ep, out, 4, 50), 0); /* the timeout */
	double el = mono() - t0;
	CHECK(el >= 0.049 && el < 2.0);
	struct timespec ts = {0, 20000000};
	t0 = mono();
	CHECK_EQ(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8), 0);
	CHECK(mono() - t0 >= 0.019);
	/* woken by another process's write */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(write(pfd[1], "!", 1) == 1 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1);
	CHECK_EQ(out[0].data.fd, pfd[0]);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	/* errors */
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL);
	CHECK_ERR(epoll_wait(pfd[0], out, 4, 0), EINVAL);
	CHECK_ERR(epoll_wait(-1, out, 4, 0), EBADF);
	CHECK_ERR(epoll_wait(ep, BAD_PTR, 4, 0), EFAULT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, 99, pfd[1], &ev), EINVAL);
	CHECK_ERR(epoll_create(0), EINVAL);
	CHECK_ERR(epoll_create1(1), EINVAL);
	int reg = CHECK_OK(open(scratch_path("regular"), O_CREAT | O_RDWR, 0600));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM);
	close(reg);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[1], &ev));
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, pfd[1], &ev), EINVAL);
	close(pfd[0]);
	close(pfd[1]);
	close(ep);
}

static volatile sig_atomic_t got_usr2;
static void on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

TEST(epoll_nested_and_signals)
{
	int inner = CHECK_OK(epoll_create1(0));
	int outer = CHECK_OK(epoll_create1(0));
	int e = CHECK_OK(eventfd(0, EFD_NONBLOCK));
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
	CHECK_OK(epoll_ctl(inner, EPOLL_CTL_ADD, e, &ev));
	ev.data.u32 = 99;
	CHECK_OK(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
	CHECK_ERR(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev), ELOOP);
	struct epoll_event out[4];
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 0);
	struct pollfd p = {outer, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 0), 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		uint64_t one = 1;
		_exit(write(e, &one, 8) == 8 ? 0 : 1);
	}
	CHECK_EQ(epoll_wait(outer, out, 4, 5000), 1);
	CHECK_EQ(out[0].data.u32, 99);
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(epoll_wait(inner, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u32, 1);
	int st;
	waitpid(pid, &st, 0);

	/* a timerfd and a signalfd in one epoll */
	int tfd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	block_sig(SIGUSR1);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	int sfd = CHECK_OK(signalfd(-1, &m, SFD_NONBLOCK));
	int ep = CHECK_OK(epoll_create1(0));
	ev.data.u32 = 10;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev));
	ev.data.u32 = 11;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
	struct itimerspec its = {.it_value = {0, 20000000}};
	CHECK_OK(timerfd_settime(tfd, 0, &its, NULL));
	CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1);
	CHECK_EQ(out[0].data.u32, 10);
	uint64_t n;
	CHECK_EQ(read(tfd, &n, 8), 8);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_EQ(epoll_wait(ep, out, 4, 5000), 1);
	CHECK_EQ(out[0].data.u32, 11);
	struct signalfd_siginfo si;
	CHECK_EQ(read(sfd, &si, sizeof(si)), sizeof(si));
	unblock_sig(SIGUSR1);

	/* a handled signal interrupts epoll_wait with EINTR */
	struct sigaction sa = {.sa_handler = on_usr2, .sa_flags = SA_RESTART};
	sigaction(SIGUSR2, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
	}
	CHECK_ERR(epoll_wait(ep, out, 4, 5000), EINTR);
	CHECK(got_usr2);
	waitpid(pid, &st, 0);

	/* epoll_pwait: the signal is blocked except while waiting */
	got_usr2 = 0;
	block_sig(SIGUSR2);
	sigset_t none;
	sigemptyset(&none);
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		_exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
	}
	CHECK_ERR(epoll_pwait(ep, out, 4, 5000, &none), EINTR);
	CHECK(got_usr2);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(sigismember(&now, SIGUSR2));
	waitpid(pid, &st, 0);
	unblock_sig(SIGUSR2);
	signal(SIGUSR2, SIG_DFL);
	close(ep);
	close(sfd);
	close(tfd);
	close(outer);
	close(inner);
	close(e);
}

TEST(posix_timer_signal)
{
	block_sig(SIGALRM);
	timer_t tid;
	CHECK_OK(timer_create(CLOCK_MONOTONIC, NULL, &tid));
	struct itimerspec its = {.it_value = {0, 20000000}};
	double t0 = mono();
	CHECK_OK(timer_settime(tid, 0, &its, NULL));
	struct itimerspec cur;
	CHECK_OK(timer_gettime(tid, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
	      cur.it_value.tv_nsec <= 20000000);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK_EQ(sigwaitinfo(&m, &si), SIGALRM);
	CHECK(mono() - t0 >= 0.019);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_value.sival_int, (int)(intptr_t)tid); /* the default value: the id */
	CHECK_EQ(timer_getoverrun(tid), 0);
	CHECK_OK(timer_gettime(tid, &cur));
	CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	CHECK_OK(timer_delete(tid));
	CHECK_ERR(timer_gettime(tid, &cur), EINVAL);

	/* periodic, with a value, on a realtime signal: overruns while pending */
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1};
	sev.sigev_value.sival_int = 42;
	block_sig(SIGRTMIN + 1);
	CHECK_OK(timer_create(CLOCK_REALTIME, &sev, &tid));
	its.it_value.tv_nsec = 5000000;
	its.it_interval.tv_nsec = 5000000;
	CHECK_OK(timer_settime(tid, 0, &its, NULL));
	usleep(40000);
	sigemptyset(&m);
	sigaddset(&m, SIGRTMIN + 1);
	CHECK_EQ(sigwaitinfo(&m, &si), SIGRTMIN + 1);
	CHECK_EQ(si.si_value.sival_int, 42);
	CHECK(si.si_overrun >= 2);
	/* only one signal was queued */
	struct timespec zero = {0, 0};
	its.it_value.tv_nsec = 0;
	CHECK_OK(timer_settime(tid, 0, &its, NULL));
	CHECK_ERR(sigtimedwait(&m, &si, &zero), EAGAIN);
	CHECK_OK(timer_delete(tid));

	/* SIGEV_NONE counts time only; SIGEV_THREAD_ID signals one thread */
	sev.sigev_notify = SIGEV_NONE;
	CHECK_OK(timer_create(CLOCK_BOOTTIME, &sev, &tid));
	its.it_value.tv_sec = 100;
	CHECK_OK(timer_settime(tid, 0, &its, NULL));
	CHECK_OK(timer_gettime(tid, &cur));
	CHECK(cur.it_value.tv_sec >= 98 && cur.it_value.tv_sec <= 100);
	CHECK_OK(timer_delete(tid));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	CHECK_OK(timer_create(CLOCK_MONOTONIC, &sev, &tid));
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 10000000;
	CHECK_OK(timer_settime(tid, 0, &its, NULL));
	sigemptyset(&m);
	sigaddset(&m, SIGALRM);
	CHECK_EQ(sigwaitinfo(&m, &si), SIGALRM);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_OK(timer_delete(tid));
	sev._sigev_un._tid = 999999;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &sev, &tid), EINVAL);
	sev.sigev_notify = 77;
	CHECK_ERR(timer_create(CLOCK_MONOTONIC, &sev, &tid), EINVAL);
	unblock_sig(SIGALRM);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(eventfd_counter);
	RUN(eventfd_semaphore);
	RUN(eventfd_blocking);
	RUN(timerfd_oneshot);
	RUN(timerfd_periodic);
	RUN(signalfd_read);
	RUN(epoll_pipe_level);
	RUN(epoll_edge);
	RUN(epoll_wait_blocks);
	RUN(epoll_nested_and_signals);
	RUN(posix_timer_signal);
	return done();
}
