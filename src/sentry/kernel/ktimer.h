/* Kernel timers: callbacks at a monotonic deadline, run by the scheduler.
 *
 * timerfds and POSIX timers arm one each. The scheduler asks ktimers_next()
 * for the earliest deadline to sleep until and calls ktimers_fire() after
 * every wait; a timer is disarmed before its callback runs, which may arm it
 * again. The struct is owned by the caller and must be disarmed before it is
 * freed. */
#ifndef CVISOR_SENTRY_KERNEL_KTIMER_H
#define CVISOR_SENTRY_KERNEL_KTIMER_H

#include <stdint.h>

struct ktimer {
	int64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = disarmed */
	void (*fire)(struct ktimer *kt, int64_t now);
	struct ktimer *next, **pprev;
};

/* Arms kt for deadline_ns (0 disarms); re-arming moves it. */
void ktimer_arm(struct ktimer *kt, int64_t deadline_ns);
void ktimer_cancel(struct ktimer *kt);
/* The earliest armed deadline, or 0. */
int64_t ktimers_next(void);
/* Runs the callbacks of every timer due at now. */
void ktimers_fire(int64_t now);

/* Clock conversion for timers on other clocks (timerfd, POSIX timers):
 * now on clock clk (host clock id), and a deadline on clk as monotonic. */
int64_t clock_now_ns(int clk);
int64_t clock_to_mono_ns(int clk, int64_t t);

#endif
