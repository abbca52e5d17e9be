/* What the control server (src/sentry/control/) asks of the scheduler. */
#ifndef CVISOR_SENTRY_KERNEL_SCHED_CONTROL_H
#define CVISOR_SENTRY_KERNEL_SCHED_CONTROL_H

#include <signal.h>

/* Called once per scheduler loop, between running tasks and waiting, in
 * the scheduler's context (no task is current). A host signal that
 * interrupts the wait (SIGIO from the control socket) brings the loop
 * round to it. */
extern void (*sched_hook)(void);
/* Set from a signal handler when the hook has work: the scheduler then
 * does not start a blocking wait (the hook clears it). */
extern volatile sig_atomic_t sched_hook_pending;
/* A host fd (the control socket) whose readiness also sets
 * sched_hook_pending when the scheduler waits on epoll, so a SIGIO that
 * came just before the wait is not missed there; -1 = none. Set before
 * sched_run(). */
extern int sched_hook_fd;

/* pause: no task makes progress until sched_resume(); tasks running
 * application code are stopped at once. The scheduler still waits on host
 * events and calls sched_hook. */
void sched_pause(void);
void sched_resume(void);

#endif
