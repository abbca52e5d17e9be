/* Time: clocks, sleeps (relative and absolute), gettimeofday/time,
 * timerfd and POSIX timers delivering signals. */
#include "harness.h"
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>

static double ts_sec(struct timespec t)
{
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int fabs_ok(double d)
{
	return d > -0.5 && d < 0.5;
}

TEST(clocks)
{
	struct timespec a, b, res;
	clockid_t clocks[] = {CLOCK_REALTIME,		CLOCK_MONOTONIC,
			      CLOCK_MONOTONIC_RAW,	CLOCK_BOOTTIME,
			      CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
			      CLOCK_REALTIME_COARSE,	CLOCK_MONOTONIC_COARSE};
	for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		CHECK_OK(clock_gettime(clocks[i], &a));
		CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
		CHECK_OK(clock_getres(clocks[i], &res));
		CHECK(res.tv_sec == 0 && res.tv_nsec > 0);
	}
	CHECK_ERR(clock_gettime((clockid_t)1000, &a), EINVAL);
	CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_PTR), EFAULT);

	/* monotonic never goes back; it advances */
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	int backwards = 0;
	for (int i = 0; i < 100000; i++) {
		CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &b));
		backwards += ts_sec(b) < ts_sec(a);
		a = b;
	}
	CHECK_EQ(backwards, 0);
	/* also through the raw syscall, not just the vDSO */
	struct timespec r1, r2;
	CHECK_OK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &r1));
	usleep(2000);
	CHECK_OK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &r2));
	CHECK(ts_sec(r2) - ts_sec(r1) >= 0.0015);
	/* vDSO and syscall agree */
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &a));
	CHECK(fabs_ok(ts_sec(a) - ts_sec(r2)));

	/* realtime is a plausible date; time() and gettimeofday agree with it */
	CHECK_OK(clock_gettime(CLOCK_REALTIME, &a));
	CHECK(a.tv_sec > 1700000000);
	struct timeval tv;
	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK(tv.tv_sec - a.tv_sec >= 0 && tv.tv_sec - a.tv_sec <= 2);
	time_t t = time(NULL);
	CHECK(t - a.tv_sec >= 0 && t - a.tv_sec <= 2);
	time_t t2;
	CHECK_EQ(syscall(SYS_time, &t2), t2);
	CHECK(t2 - t >= 0 && t2 - t <= 2);

	/* CPU clocks advance when we burn CPU */
	CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	double t0 = now_sec(CLOCK_MONOTONIC);
	volatile unsigned long spin = 0;
	while (now_sec(CLOCK_MONOTONIC) - t0 < 0.05)
		spin++;
	CHECK_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b));
	CHECK(ts_sec(b) - ts_sec(a) > 0.01);
	CHECK_OK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b));
	CHECK(ts_sec(b) > 0.01);
	struct tms tm;
	CHECK(times(&tm) != (clock_t)-1);
}

TEST(sleeps)
{
	struct timespec req = {0, 100 * 1000000}, rem;
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_OK(nanosleep(&req, &rem));
	double dt = now_sec(CLOCK_MONOTONIC) - t0;
	CHECK(dt >= 0.1 && dt < 1.0);
	printf("# nanosleep(100ms) took %.1f ms\n", dt * 1000);

	req.tv_nsec = 1000000000;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);

	/* zero sleep returns at once */
	req.tv_sec = 0;
	t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_OK(nanosleep(&req, NULL));
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 < 0.05);

	/* absolute sleep until a monotonic deadline */
	struct timespec now, dl;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dl = now;
	dl.tv_nsec += 80 * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &now);
	CHECK(ts_sec(now) >= ts_sec(dl));
	CHECK(ts_sec(now) - ts_sec(dl) < 0.5);
	/* a deadline in the past returns at once (the clock may start near 0 in
	 * a sandbox: never go negative) */
	clock_gettime(CLOCK_MONOTONIC, &dl);
	usleep(1000);
	t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL), 0);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 < 0.05);
	/* on the realtime clock too */
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 30 * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	CHECK_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &dl, NULL), 0);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(ts_sec(now) >= ts_sec(dl) - 0.001);
	/* relative clock_nanosleep; errors come back as the return value */
	req.tv_sec = 0;
	req.tv_nsec = 20 * 1000000;
	t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.02);
	CHECK_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EINVAL);
}

static volatile sig_atomic_t ticks;
static volatile int tick_code, tick_val;
static void on_tick(int sig, siginfo_t *si, void *uc)
{
	ticks++;
	tick_code = si->si_code;
	tick_val = si->si_value.sival_int;
}

TEST(nanosleep_interrupted)
{
	struct sigaction sa = {.sa_sigaction = on_tick, .sa_flags = SA_SIGINFO};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec req = {2, 0}, rem = {0, 0};
	ticks = 0;
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK_EQ(ticks, 1);
	CHECK(ts_sec(rem) > 1.5 && ts_sec(rem) <= 2.0);
	signal(SIGALRM, SIG_DFL);
}

TEST(timerfd)
{
	int fd = CHECK_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
	uint64_t n;
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	struct itimerspec its = {{0, 20 * 1000000}, {0, 30 * 1000000}}, cur;
	CHECK_OK(timerfd_settime(fd, 0, &its, NULL));
	CHECK_OK(timerfd_gettime(fd, &cur));
	CHECK(cur.it_interval.tv_nsec == 20 * 1000000);
	CHECK(ts_sec(cur.it_value) > 0 && ts_sec(cur.it_value) <= 0.03);
	struct pollfd p = {fd, POLLIN, 0};
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(poll(&p, 1, 2000), 1);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.025);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 1);
	usleep(100000); /* several periods pass: the count accumulates */
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK(n >= 3 && n < 1000);
	CHECK_ERR(read(fd, &n, 4), EINVAL);
	/* disarm */
	struct itimerspec off = {{0, 0}, {0, 0}};
	CHECK_OK(timerfd_settime(fd, 0, &off, &cur));
	CHECK(cur.it_interval.tv_nsec == 20 * 1000000);
	usleep(50000);
	CHECK_ERR(read(fd, &n, sizeof(n)), EAGAIN);
	close(fd);

	/* blocking read, absolute one-shot on CLOCK_REALTIME */
	fd = CHECK_OK(timerfd_create(CLOCK_REALTIME, 0));
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_interval = (struct timespec){0, 0};
	its.it_value = now;
	its.it_value.tv_nsec += 40 * 1000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	CHECK_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_EQ(read(fd, &n, sizeof(n)), 8);
	CHECK_EQ(n, 1);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.02);
	close(fd);
	CHECK_ERR(timerfd_create(1000, 0), EINVAL);
}

TEST(posix_timers)
{
	struct sigaction sa = {.sa_sigaction = on_tick, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 31337;
	timer_t t;
	CHECK_OK(timer_create(CLOCK_MONOTONIC, &sev, &t));
	struct itimerspec its = {{0, 10 * 1000000}, {0, 10 * 1000000}}, cur;
	ticks = 0;
	CHECK_OK(timer_settime(t, 0, &its, NULL));
	double t0 = now_sec(CLOCK_MONOTONIC);
	while (ticks < 5 && now_sec(CLOCK_MONOTONIC) - t0 < 5)
		pause();
	CHECK(ticks >= 5);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.04);
	CHECK_EQ(tick_code, SI_TIMER);
	CHECK_EQ(tick_val, 31337);
	CHECK_OK(timer_gettime(t, &cur));
	CHECK_EQ(cur.it_interval.tv_nsec, 10 * 1000000);
	CHECK(timer_getoverrun(t) >= 0);
	struct itimerspec off = {{0, 0}, {0, 0}};
	CHECK_OK(timer_settime(t, 0, &off, NULL));
	int before = ticks;
	usleep(50000);
	CHECK_EQ(ticks, before);
	CHECK_OK(timer_delete(t));
	CHECK_ERR(timer_settime(t, 0, &its, NULL), EINVAL);

	/* a blocked timer signal is collected with sigtimedwait */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK_OK(timer_create(CLOCK_REALTIME, &sev, &t));
	its.it_interval = (struct timespec){0, 0};
	its.it_value = (struct timespec){0, 20 * 1000000};
	CHECK_OK(timer_settime(t, 0, &its, NULL));
	siginfo_t si;
	struct timespec wait = {2, 0};
	CHECK_EQ(sigtimedwait(&set, &si, &wait), SIGRTMIN);
	CHECK_EQ(si.si_code, SI_TIMER);
	CHECK_EQ(si.si_value.sival_int, 31337);
	CHECK_OK(timer_delete(t));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGRTMIN, SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(clocks);
	RUN(sleeps);
	RUN(nanosleep_interrupted);
	RUN(timerfd);
	RUN(posix_timers);
	return done();
}
