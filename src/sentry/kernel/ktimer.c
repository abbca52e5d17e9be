/* Kernel timers; see ktimer.h. An unsorted list: there are few. */
#include "sentry/kernel/ktimer.h"

#include <stddef.h>
#include <time.h>

#include "sentry/kernel/task.h"

static struct ktimer *ktimers;

void ktimer_cancel(struct ktimer *kt)
{
	if (kt->pprev) {
		*kt->pprev = kt->next;
		if (kt->next)
			kt->next->pprev = kt->pprev;
	}
	kt->next = NULL;
	kt->pprev = NULL;
	kt->deadline_ns = 0;
}

void ktimer_arm(struct ktimer *kt, int64_t deadline_ns)
{
	ktimer_cancel(kt);
	if (!deadline_ns)
		return;
	kt->deadline_ns = deadline_ns;
	kt->next = ktimers;
	kt->pprev = &ktimers;
	if (ktimers)
		ktimers->pprev = &kt->next;
	ktimers = kt;
}

int64_t ktimers_next(void)
{
	int64_t d = 0;
	for (struct ktimer *kt = ktimers; kt; kt = kt->next)
		if (!d || kt->deadline_ns < d)
			d = kt->deadline_ns;
	return d;
}

void ktimers_fire(int64_t now)
{
	/* A callback may arm or cancel any timer: rescan after each. */
	for (;;) {
		struct ktimer *due = NULL;
		for (struct ktimer *kt = ktimers; kt; kt = kt->next) {
			if (kt->deadline_ns <= now) {
				due = kt;
				break;
			}
		}
		if (!due)
			return;
		ktimer_cancel(due);
		due->fire(due, now);
	}
}

int64_t clock_now_ns(int clk)
{
	if (clk == CLOCK_MONOTONIC)
		return now_ns();
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t clock_to_mono_ns(int clk, int64_t t)
{
	if (clk == CLOCK_MONOTONIC)
		return t;
	int64_t d = t - clock_now_ns(clk) + now_ns();
	return d > 0 ? d : 1;
}
