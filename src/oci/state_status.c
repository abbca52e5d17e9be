/* The live status of a container and the time stamps of state.json. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/state.h"

static const char *const status_names[] = {
    [OCI_STATUS_CREATING] = "creating", [OCI_STATUS_CREATED] = "created",
    [OCI_STATUS_RUNNING] = "running",	[OCI_STATUS_STOPPED] = "stopped",
    [OCI_STATUS_PAUSED] = "paused",
};

const char *oci_status_name(enum oci_status s)
{
	return (unsigned)s <= OCI_STATUS_PAUSED ? status_names[s] : "unknown";
}

int oci_status_from_name(const char *name)
{
	for (int i = 0; i <= OCI_STATUS_PAUSED; i++)
		if (name && strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

/* Reads the state letter and start time of pid from /proc/PID/stat. The
 * command name may hold spaces and parentheses, so fields are counted
 * from the last ')'. */
static int read_proc_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;
	/* Field 3 is the state; field 22 the start time: 19 spaces on. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	char *end;
	*start = strtoull(p, &end, 10);
	return end == p ? -1 : 0;
}

uint64_t oci_pid_start_time(pid_t pid)
{
	char state;
	uint64_t start;
	if (pid <= 0 || read_proc_stat(pid, &state, &start) < 0)
		return 0;
	return start;
}

enum oci_status oci_state_status(const struct oci_state *st)
{
	if (st->status == OCI_STATUS_STOPPED)
		return OCI_STATUS_STOPPED;
	if (st->pid <= 0)
		return st->status == OCI_STATUS_CREATING ? OCI_STATUS_CREATING : OCI_STATUS_STOPPED;
	char state;
	uint64_t start;
	if (read_proc_stat(st->pid, &state, &start) < 0)
		return OCI_STATUS_STOPPED;
	if (state == 'Z' || state == 'X')
		return OCI_STATUS_STOPPED;
	if (st->pid_start_time && start != st->pid_start_time)
		return OCI_STATUS_STOPPED; /* the pid was reused */
	return st->status;
}

void oci_time_now(char buf[64])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 64, "%Y-%m-%dT%H:%M:%S", &tm);
	if (ts.tv_nsec) {
		n += (size_t)snprintf(buf + n, 64 - n, ".%09ld", ts.tv_nsec);
		while (buf[n - 1] == '0')
			n--;
	}
	snprintf(buf + n, 64 - n, "Z");
}
