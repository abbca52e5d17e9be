/* The sandbox's pid namespace: tids and pids are small numbers allocated
 * next-fit, as Linux does; a number stays taken while a task or an unreaped
 * process holds it. */
#include "sentry/kernel/task.h"

#include <errno.h>

#define PID_LIMIT 32768

static struct task *tids[PID_LIMIT];
static struct process *pids[PID_LIMIT];
static unsigned char used[PID_LIMIT];
static pid_t last_pid;
int pid_max_tasks = 4096;
int nr_tasks;
struct task *all_tasks;

pid_t pid_alloc(void)
{
	for (int i = 1; i < PID_LIMIT; i++) {
		pid_t p = (pid_t)((last_pid + i) % PID_LIMIT);
		if (p == 0 || used[p])
			continue;
		used[p] = 1;
		last_pid = p;
		return p;
	}
	return -EAGAIN;
}

void pid_free(pid_t pid)
{
	if (pid > 0 && pid < PID_LIMIT && !tids[pid] && !pids[pid])
		used[pid] = 0;
}

void pid_set_task(pid_t tid, struct task *t)
{
	if (tid > 0 && tid < PID_LIMIT)
		tids[tid] = t;
}

void pid_set_process(pid_t pid, struct process *p)
{
	if (pid > 0 && pid < PID_LIMIT)
		pids[pid] = p;
}

struct task *task_by_tid(pid_t tid)
{
	return tid > 0 && tid < PID_LIMIT ? tids[tid] : NULL;
}

struct process *process_by_pid(pid_t pid)
{
	return pid > 0 && pid < PID_LIMIT ? pids[pid] : NULL;
}
