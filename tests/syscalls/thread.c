/* Threads: create/join, mutex and condition variable contention, raw futex
 * wait/wake, thread ids, thread-local storage, exit paths. */
#include "harness.h"
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long futex(atomic_int *uaddr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, 0);
}

static void *ret_arg(void *arg)
{
	return (char *)arg + 1;
}

TEST(create_join_many)
{
	enum {
		N = 64
	};
	pthread_t t[N];
	int ok = 0;
	for (int i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, ret_arg, (void *)(long)(i * 10)), 0);
	for (int i = 0; i < N; i++) {
		void *r;
		CHECK_EQ(pthread_join(t[i], &r), 0);
		ok += (long)r == i * 10 + 1;
	}
	CHECK_EQ(ok, N);
	/* repeated short-lived threads (reuse of stacks and tids) */
	for (int round = 0; round < 200; round++) {
		pthread_t x;
		void *r;
		CHECK_EQ(pthread_create(&x, NULL, ret_arg, (void *)1), 0);
		CHECK_EQ(pthread_join(x, &r), 0);
		if ((long)r != 2) {
			CHECK((long)r == 2);
			break;
		}
	}
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;

static void *inc(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

enum {
	PP_THREADS = 4,
	PP_ROUNDS = 500
};
static void *ping(void *arg)
{
	int me = (int)(long)arg;
	for (int i = 0; i < PP_ROUNDS; i++) {
		pthread_mutex_lock(&mu);
		while (turn % PP_THREADS != me)
			pthread_cond_wait(&cv, &mu);
		turn++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

TEST(mutex_condvar)
{
	enum {
		N = 8
	};
	pthread_t t[N];
	counter = 0;
	for (int i = 0; i < N; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, inc, NULL), 0);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(counter, N * 20000);

	/* strict round-robin through one condition variable */
	turn = 0;
	for (int i = 0; i < PP_THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, ping, (void *)(long)i), 0);
	for (int i = 0; i < PP_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(turn, PP_THREADS * PP_ROUNDS);

	/* timed wait times out */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mu);
	CHECK_EQ(pthread_cond_timedwait(&cv, &mu, &ts), ETIMEDOUT);
	pthread_mutex_unlock(&mu);
}

static atomic_int fword;
static atomic_int woken;

static void *futex_waiter(void *arg)
{
	while (atomic_load(&fword) == 0)
		futex(&fword, FUTEX_WAIT_PRIVATE, 0, NULL);
	atomic_fetch_add(&woken, 1);
	return NULL;
}

static void *futex_waiter_shared(void *arg)
{
	while (atomic_load(&fword) == 0)
		futex(&fword, FUTEX_WAIT, 0, NULL);
	atomic_fetch_add(&woken, 1);
	return NULL;
}

TEST(futex_raw)
{
	atomic_int w = 5;
	/* value mismatch: EAGAIN right away */
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 4, NULL), EAGAIN);
	/* timeout */
	struct timespec ts = {0, 30 * 1000000};
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_ERR(futex(&w, FUTEX_WAIT_PRIVATE, 5, &ts), ETIMEDOUT);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.025);
	/* wake with no waiters */
	CHECK_EQ(futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL), 0);
	CHECK_ERR(futex(BAD_PTR, FUTEX_WAIT_PRIVATE, 0, NULL), EFAULT);
	CHECK_ERR(syscall(SYS_futex, &w, 99, 0, NULL, NULL, 0), ENOSYS);

	/* real waiters woken one by one then all */
	for (int shared = 0; shared < 2; shared++) {
		enum {
			N = 6
		};
		pthread_t t[N];
		atomic_store(&fword, 0);
		atomic_store(&woken, 0);
		for (int i = 0; i < N; i++)
			pthread_create(&t[i], NULL, shared ? futex_waiter_shared : futex_waiter,
				       NULL);
		usleep(50000); /* let them sleep */
		CHECK_EQ(atomic_load(&woken), 0);
		atomic_store(&fword, 1);
		long total = 0;
		for (int tries = 0; tries < 1000 && atomic_load(&woken) < N; tries++) {
			long n = futex(&fword, shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE,
				       tries == 0 ? 1 : INT32_MAX, NULL);
			CHECK(n >= 0);
			total += n;
			usleep(1000);
		}
		for (int i = 0; i < N; i++)
			pthread_join(t[i], NULL);
		CHECK_EQ(atomic_load(&woken), N);
		CHECK(total <= N);
	}

	/* a shared futex in MAP_SHARED memory works across fork */
	atomic_int *sh =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED);
	atomic_store(sh, 0);
	pid_t pid = fork();
	if (pid == 0) {
		while (atomic_load(sh) == 0)
			futex(sh, FUTEX_WAIT, 0, NULL);
		_exit(atomic_load(sh) == 9 ? 0 : 1);
	}
	usleep(30000);
	atomic_store(sh, 9);
	int st = -1;
	for (int i = 0; i < 1000; i++) {
		futex(sh, FUTEX_WAKE, 1, NULL);
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(1000);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	munmap(sh, 4096);
}

static __thread int tls_value = 42;
static __thread char tls_buf[64];
static pid_t main_tid;

static void *tls_thread(void *arg)
{
	long bad = 0;
	bad += tls_value != 42; /* each thread starts from the initial image */
	tls_value = (int)(long)arg;
	snprintf(tls_buf, sizeof(tls_buf), "t%ld", (long)arg);
	sched_yield();
	usleep(1000);
	bad += tls_value != (int)(long)arg;
	char want[64];
	snprintf(want, sizeof(want), "t%ld", (long)arg);
	bad += strcmp(tls_buf, want) != 0;
	pid_t tid = (pid_t)syscall(SYS_gettid);
	bad += tid == getpid();
	bad += tid == main_tid;
	bad += gettid() != tid;
	return (void *)bad;
}

TEST(tids_and_tls)
{
	main_tid = (pid_t)syscall(SYS_gettid);
	CHECK_EQ(main_tid, getpid()); /* the leader's tid is the pid */
	tls_value = 7;
	enum {
		N = 16
	};
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, tls_thread, (void *)(long)(i + 100));
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		CHECK_EQ((long)r, 0);
	}
	CHECK_EQ(tls_value, 7);
}

static void *tid_of(void *arg)
{
	*(pid_t *)arg = gettid();
	return NULL;
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

static void *exiter(void *arg)
{
	usleep(20000);
	exit(33); /* exit_group from a non-leader thread */
}

static void *leader_waiter(void *arg)
{
	usleep(30000);
	return (void *)77;
}

TEST(exits)
{
	/* distinct tids in distinct threads */
	pid_t a = 0, b = 0;
	pthread_t x, y;
	pthread_create(&x, NULL, tid_of, &a);
	pthread_create(&y, NULL, tid_of, &b);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	CHECK(a > 0 && b > 0 && a != b && a != getpid() && b != getpid());

	/* exit from a thread ends the whole process with its status */
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t s, e;
		pthread_create(&s, NULL, sleeper, NULL);
		pthread_create(&e, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 33);

	/* the leader can pthread_exit; the process lives on until the last thread */
	int p[2];
	CHECK_OK(pipe(p));
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		pthread_t w;
		pthread_create(&w, NULL, leader_waiter, NULL);
		pthread_detach(w);
		pthread_exit(NULL);
	}
	close(p[1]);
	char c;
	CHECK_EQ(read(p[0], &c, 1), 0); /* the write end closes at the very end */
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);

	/* a fatal signal to one thread kills the whole process */
	pid = fork();
	if (pid == 0) {
		pthread_t s;
		pthread_create(&s, NULL, sleeper, NULL);
		usleep(10000);
		pthread_kill(s, SIGUSR1);
		for (;;)
			pause();
	}
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
}

static atomic_int sig_tid;
static void on_usr2(int sig)
{
	atomic_store(&sig_tid, gettid());
}

static atomic_int target_tid;
static void *wait_usr2(void *arg)
{
	atomic_store(&target_tid, gettid());
	while (atomic_load(&sig_tid) == 0)
		usleep(1000);
	return NULL;
}

TEST(tgkill)
{
	signal(SIGUSR2, on_usr2);
	atomic_store(&sig_tid, 0);
	atomic_store(&target_tid, 0);
	pthread_t t;
	pthread_create(&t, NULL, wait_usr2, NULL);
	while (atomic_load(&target_tid) == 0)
		usleep(1000);
	CHECK_OK(syscall(SYS_tgkill, getpid(), atomic_load(&target_tid), SIGUSR2));
	pthread_join(t, NULL);
	CHECK_EQ(atomic_load(&sig_tid), atomic_load(&target_tid));
	CHECK_ERR(syscall(SYS_tgkill, getpid(), 999999, SIGUSR2), ESRCH);
	signal(SIGUSR2, SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(create_join_many);
	RUN(mutex_condvar);
	RUN(futex_raw);
	RUN(tids_and_tls);
	RUN(exits);
	RUN(tgkill);
	return done();
}
