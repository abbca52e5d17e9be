/* CPU time of sandbox processes: the host's CPU clock of the stub process
 * that runs the application's threads (the Sentry's own work on its behalf
 * is not counted). Kept in the process when it exits. */
#include "sentry/kernel/task.h"
#include "sandbox/sentry_confine.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <time.h>

#define CPUCLOCK_SCHED	   2
#define PROCESS_CLOCK(pid) ((clockid_t)(((unsigned)~(pid) << 3) | CPUCLOCK_SCHED))

int64_t process_cpu_ns(struct process *p)
{
	if (p->zombie || !p->threads || !p->threads->plat)
		return p->utime_ns;
	struct timespec ts;
	if (clock_gettime(PROCESS_CLOCK(p->threads->plat->as->pid), &ts) != 0)
		return p->utime_ns;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long process_maxrss_kb(struct process *p)
{
	if (!p->threads || !p->threads->plat)
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "%d/statm", p->threads->plat->as->pid);
	int fd = sentry_proc_open(path, O_RDONLY);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	long size = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4;
}
