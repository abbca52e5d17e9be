/* The scheduler: runs task coroutines and waits for what they wait on.
 *
 * One host thread. Tasks are in one of: the run queue (kernel work to do),
 * user mode (their host thread runs; its next stop makes them runnable),
 * blocked (a wait queue, a timer or a host fd wakes them). When nothing is
 * runnable the scheduler waits: for a stop of a host thread only (a plain
 * blocking waitpid, the fast path) or, when timers or host fds are pending,
 * with epoll on a SIGCHLD signalfd, the host fds and a timeout. */
#include "sentry/kernel/task.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "sentry/sentry.h"
#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/host/hostfile.h"
#include "sentry/kernel/ktimer.h"
#include "sentry/kernel/sched_control.h"

static struct coro sched_ctx;
static struct task *cur;
static struct task *runq_head, *runq_tail;
static struct task *timers; /* blocked tasks with deadlines, unsorted */
static int epfd = -1, sigfd = -1;
static int nwatch;
static int paused;
void (*sched_hook)(void);
volatile sig_atomic_t sched_hook_pending;
int sched_hook_fd = -1;

int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t ts_to_ns(const struct linux_timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

struct linux_timespec ns_to_ts(int64_t ns)
{
	struct linux_timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
	return ts;
}

struct coro *sched_coro(void)
{
	return &sched_ctx;
}

struct task *current_task(void)
{
	return cur;
}

static void runq_push(struct task *t)
{
	if (t->on_runq)
		return;
	t->on_runq = 1;
	t->run_next = NULL;
	if (runq_tail)
		runq_tail->run_next = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct task *runq_pop(void)
{
	struct task *t = runq_head;
	if (!t)
		return NULL;
	runq_head = t->run_next;
	if (!runq_head)
		runq_tail = NULL;
	t->on_runq = 0;
	return t;
}

static void timer_del(struct task *t)
{
	for (struct task **p = &timers; *p; p = &(*p)->timer_next) {
		if (*p == t) {
			*p = t->timer_next;
			break;
		}
	}
	t->timer_next = NULL;
}

void task_wake(struct task *t)
{
	if (t->state != TASK_BLOCKED)
		return;
	t->state = TASK_RUNNING;
	runq_push(t);
}

int task_block(struct task *t, int64_t deadline_ns, int interruptible)
{
	if (interruptible && signal_pending(t))
		return -EINTR;
	t->interrupted = 0;
	t->timed_out = 0;
	t->wake_at_ns = deadline_ns;
	if (deadline_ns) {
		t->timer_next = timers;
		timers = t;
	}
	t->state = TASK_BLOCKED;
	t->in_syscall = interruptible ? 2 : 1; /* 2: signals may wake it */
	coro_switch(&t->coro, &sched_ctx);
	t->in_syscall = 1;
	if (deadline_ns)
		timer_del(t);
	t->wake_at_ns = 0;
	if (t->timed_out)
		return -ETIMEDOUT;
	if (t->interrupted || (interruptible && signal_pending(t)))
		return -EINTR;
	return 0;
}

void task_wait_user(struct task *t)
{
	t->state = TASK_USER;
	coro_switch(&t->coro, &sched_ctx);
}

void waitq_add(struct waitq *q, struct waiter *w, struct task *t, unsigned events)
{
	w->task = t;
	w->q = q;
	w->events = events;
	w->woken = 0;
	w->notify = NULL;
	w->next = q->head;
	w->pprev = &q->head;
	if (q->head)
		q->head->pprev = &w->next;
	q->head = w;
}

void waitq_del(struct waiter *w)
{
	if (!w->pprev)
		return;
	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	w->next = NULL;
	w->pprev = NULL;
}

void waitq_wake(struct waitq *q, unsigned events)
{
	for (struct waiter *w = q->head; w; w = w->next) {
		if (events && w->events && !(w->events & events))
			continue;
		w->woken = 1;
		if (w->notify)
			w->notify(w);
		else
			task_wake(w->task);
	}
}

/* A watched host fd (one-shot); listed so sched_unwatch_fd finds its
 * record, which epoll cannot hand back. A fired one leaves the list before
 * any wake-up of its batch runs: a wake-up that unwatches an fd whose
 * event is further on in the batch (a bridge's two fds hang up together)
 * must not free a record wait_host still holds. */
struct hostwatch {
	int fd;
	struct waitq *q;
	struct hostwatch *next;
};
static struct hostwatch *watches;

static void watch_unlink(struct hostwatch *hw)
{
	for (struct hostwatch **p = &watches; *p; p = &(*p)->next)
		if (*p == hw) {
			*p = hw->next;
			break;
		}
}

/* Ends an unlinked watch. */
static void watch_remove(struct hostwatch *hw)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, hw->fd, NULL);
	nwatch--;
	free(hw);
}

int sched_watch_fd(int fd, unsigned events, struct waitq *q)
{
	struct hostwatch *hw = malloc(sizeof(*hw));
	if (!hw)
		return -ENOMEM;
	hw->fd = fd;
	hw->q = q;
	struct epoll_event ev = {.events = events | EPOLLONESHOT, .data.ptr = hw};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		/* EEXIST: already watched by another waiter, whose watch wakes
		 * the same queue owner; the caller polls again soon instead */
		int e = errno;
		free(hw);
		return -e;
	}
	hw->next = watches;
	watches = hw;
	nwatch++;
	return 0;
}

void sched_unwatch_fd(int fd)
{
	for (struct hostwatch *hw = watches; hw; hw = hw->next)
		if (hw->fd == fd) {
			watch_unlink(hw);
			watch_remove(hw);
			return;
		}
}

static void run_stop(struct plat_thread *pt)
{
	struct task *t = pt->owner;
	if (!t || t->state != TASK_USER)
		return;
	t->state = TASK_RUNNING;
	runq_push(t);
}

static void fire_timers(void)
{
	int64_t now = now_ns();
	for (struct task *t = timers; t; t = t->timer_next) {
		if (t->wake_at_ns && t->wake_at_ns <= now && t->state == TASK_BLOCKED) {
			t->timed_out = 1;
			task_wake(t);
		}
	}
}

/* Process-wide ITIMER_REAL timers live in the processes; check them. */
void itimers_fire(int64_t now);
int64_t itimers_next(void);

static int64_t next_deadline(void)
{
	int64_t d = itimers_next(), k = ktimers_next();
	if (k && (!d || k < d))
		d = k;
	for (struct task *t = timers; t; t = t->timer_next)
		if (t->wake_at_ns && (!d || t->wake_at_ns < d))
			d = t->wake_at_ns;
	return d;
}

/* Host signals sent to the Sentry (^C at the terminal, kill from the
 * caller) go into the sandbox: the terminal's ones to its foreground group,
 * the others to init. */
static const int forwarded[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH};

/* The Sentry leads its own session (create, run --detach): the only host
 * terminal it can have is one a bridge made its controlling terminal (for
 * SIGWINCH, see bridge.c), perhaps an exec's. */
static int leads_session;

static void on_host_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	/* the hang-up of such a terminal: its bridge hangs up the sandbox's
	 * pty itself; init must not take it for its own */
	if (sig == SIGHUP && si->si_code == SI_KERNEL && leads_session)
		return;
	plat_host_signals |= 1 << sig;
}

static void forward_host_signals(void)
{
	int pending = plat_host_signals;
	plat_host_signals = 0;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		int sig = forwarded[i];
		if (!(pending & (1 << sig)))
			continue;
		if (sig == SIGWINCH && devpts_bridge_winch())
			continue; /* the bridged ptys signal their own groups */
		int to_tty = (sig == SIGINT || sig == SIGQUIT || sig == SIGWINCH) && isatty(0);
		struct linux_siginfo si = {.si_signo = sig, .si_code = SI_USER};
		for (struct task *t = all_tasks; t; t = t->all_next) {
			struct process *p = t->proc;
			if (t != p->threads || p->zombie)
				continue;
			if (to_tty ? p->pgid == hostfile_fg_pgrp : p->pid == 1)
				signal_send(p, NULL, &si);
		}
	}
}

static void forwarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

void sentry_hold_host_signals(void)
{
	leads_session = getsid(0) == getpid();
	sigset_t set;
	forwarded_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int sched_setup(void)
{
	/* no SA_RESTART: waits end */
	struct sigaction sa = {.sa_sigaction = on_host_signal, .sa_flags = SA_SIGINFO};
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	sigset_t set;
	forwarded_set(&set); /* held since sentry_hold_host_signals(): now they count */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sigfd < 0 || epfd < 0)
		return -errno;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev) < 0)
		return -errno;
	/* level-triggered and not counted in nwatch: the fast path stays */
	struct epoll_event hev = {.events = EPOLLIN, .data.ptr = &sched_hook_fd};
	if (sched_hook_fd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, sched_hook_fd, &hev) < 0)
		return -errno;
	return 0;
}

static void wait_host(const struct timespec *tsp);

static void wait_events(void)
{
	struct plat_thread *pt;
	if (plat_host_signals)
		forward_host_signals();
	/* Collect whatever already stopped. */
	int got = 0;
	while ((pt = plat_wait_stop(0))) {
		run_stop(pt);
		got = 1;
	}
	if (got || runq_head)
		return;
	fire_timers();
	itimers_fire(now_ns());
	ktimers_fire(now_ns());
	if (runq_head)
		return;
	int64_t deadline = next_deadline();
	if (sched_hook_pending)
		return;
	if (!nwatch && !deadline) {
		/* Fast path: only host threads can make progress. */
		pt = plat_wait_stop(1);
		if (pt) {
			run_stop(pt);
			return;
		}
		/* A host signal (SIGIO) ended the wait: see to it first. */
		if (plat_host_signals)
			return;
		/* No host thread runs and nothing else can wake a task: the
		 * sandbox is deadlocked, as it would be on Linux. Wait on epoll. */
	}
	struct timespec ts, *tsp = NULL;
	if (deadline) {
		int64_t left = deadline - now_ns();
		if (left < 0)
			left = 0;
		ts.tv_sec = left / 1000000000LL;
		ts.tv_nsec = left % 1000000000LL;
		tsp = &ts;
	}
	wait_host(tsp);
	fire_timers();
	itimers_fire(now_ns());
	ktimers_fire(now_ns());
}

/* Waits on epoll: stops of host threads (SIGCHLD) and watched host fds. */
static void wait_host(const struct timespec *tsp)
{
	struct plat_thread *pt;
	struct epoll_event evs[32];
	int n = epoll_pwait2(epfd, evs, 32, tsp, NULL);
	for (int i = 0; i < n; i++)
		if (evs[i].data.ptr && evs[i].data.ptr != (void *)&sched_hook_fd)
			watch_unlink(evs[i].data.ptr);
	for (int i = 0; i < n; i++) {
		struct hostwatch *hw = evs[i].data.ptr;
		if (hw == (void *)&sched_hook_fd) {
			sched_hook_pending = 1;
			continue;
		}
		if (!hw) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof(si)) > 0)
				;
			while ((pt = plat_wait_stop(0)))
				run_stop(pt);
			continue;
		}
		struct waitq *q = hw->q;
		watch_remove(hw);
		waitq_wake(q, 0);
	}
}

void task_free(struct task *t);

void sched_run(void)
{
	if (sched_setup() < 0) {
		log_error("scheduler setup failed");
		return;
	}
	while (nr_tasks > 0) {
		struct task *t;
		if (sched_hook)
			sched_hook();
		if (paused) {
			if (plat_host_signals)
				forward_host_signals();
			if (!sched_hook_pending)
				wait_host(NULL);
			continue;
		}
		while ((t = runq_pop())) {
			cur = t;
			coro_switch(&sched_ctx, &t->coro);
			cur = NULL;
			if (t->state == TASK_DEAD)
				task_free(t);
		}
		if (nr_tasks <= 0)
			break;
		wait_events();
	}
}

void sched_pause(void)
{
	paused = 1;
	for (struct task *t = all_tasks; t; t = t->all_next)
		if (t->state == TASK_USER && t->plat)
			plat_interrupt(t->plat);
}

void sched_resume(void)
{
	paused = 0;
}
