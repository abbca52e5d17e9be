/* System-wide /proc files (meminfo, cpuinfo, uptime, loadavg, stat, version,
 * filesystems) and the /proc/sys tree. Numbers about the machine come from
 * the host (memory, CPUs, boot clock, as sysinfo(2) reports them); numbers
 * about tasks come from the sandbox. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sentry/kernel/cpus.h"
#include "sentry/fs/proc/internal.h"
#include "sentry/kernel/uts.h"

#define PROC_PID_MAX "32768\n" /* as kernel/pid.c */

static char *host_cpuinfo; /* the host's /proc/cpuinfo, read at start */
static size_t host_cpuinfo_len;
static char boot_id[40];

static void make_uuid(char *out)
{
	unsigned char r[16];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0x42, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
		r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
		r[14], r[15]);
}

void proc_sys_init(void)
{
	static int done; /* one boot id for every container's /proc */
	if (done)
		return;
	done = 1;
	make_uuid(boot_id);
	int fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct sbuf b = {0};
	char buf[4096];
	ssize_t r;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		sb_put(&b, buf, (size_t)r);
	close(fd);
	if (b.oom || !b.len) {
		free(b.p);
		return;
	}
	host_cpuinfo = b.p;
	host_cpuinfo_len = b.len;
}

static int64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t proc_boot_ns(int64_t mono_ns)
{
	return mono_ns + clock_ns(CLOCK_BOOTTIME) - clock_ns(CLOCK_MONOTONIC);
}

int64_t proc_btime(void)
{
	return (clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME)) / 1000000000LL;
}

/* ---- top-level files ---- */

int proc_show_meminfo(const struct proc_node *n, struct sbuf *b)
{
	uint64_t total = (uint64_t)sysconf(_SC_PHYS_PAGES) * 4;
	uint64_t avail = (uint64_t)sysconf(_SC_AVPHYS_PAGES) * 4;
	static const char *zero[] = {
	    "Buffers",	   "Cached",	      "SwapCached",	"Active",	"Inactive",
	    "Unevictable", "Mlocked",	      "SwapTotal",	"SwapFree",	"Dirty",
	    "Writeback",   "AnonPages",	      "Mapped",		"Shmem",	"Slab",
	    "KernelStack", "PageTables",      "CommitLimit",	"Committed_AS", "VmallocTotal",
	    "VmallocUsed", "HugePages_Total", "HugePages_Free", "Hugepagesize"};
	sb_printf(b, "%-16s%8lu kB\n", "MemTotal:", total);
	sb_printf(b, "%-16s%8lu kB\n", "MemFree:", avail);
	sb_printf(b, "%-16s%8lu kB\n", "MemAvailable:", avail);
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "%s:", zero[i]);
		if (strncmp(zero[i], "HugePages_", 10) == 0)
			sb_printf(b, "%-16s%8d\n", name, 0);
		else if (strcmp(zero[i], "Hugepagesize") == 0)
			sb_printf(b, "%-16s%8d kB\n", name, 2048);
		else if (strcmp(zero[i], "CommitLimit") == 0)
			sb_printf(b, "%-16s%8lu kB\n", name, total);
		else
			sb_printf(b, "%-16s%8d kB\n", name, 0);
	}
	return 0;
}

int proc_show_vmstat(const struct proc_node *n, struct sbuf *b)
{
	static const char *zero[] = {"nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
				     "nr_active_file",	 "nr_mapped",	   "nr_dirty",
				     "nr_writeback",	 "pgpgin",	   "pgpgout",
				     "pswpin",		 "pswpout",	   "pgalloc_normal",
				     "pgfree",		 "pgfault",	   "pgmajfault",
				     "pgsteal_kswapd",	 "pgscan_kswapd",  "oom_kill"};
	sb_printf(b, "nr_free_pages %lu\n", (unsigned long)sysconf(_SC_AVPHYS_PAGES));
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		sb_printf(b, "%s 0\n", zero[i]);
	return 0;
}

int proc_show_cpuinfo(const struct proc_node *n, struct sbuf *b)
{
	if (host_cpuinfo) {
		sb_put(b, host_cpuinfo, host_cpuinfo_len);
		return 0;
	}
	for (int i = 0; i < sentry_ncpus; i++)
		sb_printf(b,
			  "processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
			  "model name\t: cvisor virtual CPU\nphysical id\t: 0\nsiblings\t: %d\n"
			  "core id\t\t: %d\ncpu cores\t: %d\nflags\t\t: fpu sse sse2\n\n",
			  i, sentry_ncpus, i, sentry_ncpus);
	return 0;
}

int proc_show_uptime(const struct proc_node *n, struct sbuf *b)
{
	int64_t up = clock_ns(CLOCK_BOOTTIME) / 10000000LL; /* centiseconds */
	int64_t idle = up * sentry_ncpus;
	sb_printf(b, "%ld.%02ld %ld.%02ld\n", (long)(up / 100), (long)(up % 100),
		  (long)(idle / 100), (long)(idle % 100));
	return 0;
}

static void task_counts(int *running, int *total, int *last)
{
	*running = *total = *last = 0;
	for (struct task *t = all_tasks; t; t = t->all_next) {
		if (t->state == TASK_DEAD)
			continue;
		(*total)++;
		if (t->state == TASK_RUNNING || t->state == TASK_USER)
			(*running)++;
		if (t->tid > *last)
			*last = t->tid;
	}
}

int proc_show_loadavg(const struct proc_node *n, struct sbuf *b)
{
	int running, total, last;
	task_counts(&running, &total, &last);
	sb_printf(b, "0.00 0.00 0.00 %d/%d %d\n", running, total, last);
	return 0;
}

int proc_show_stat(const struct proc_node *n, struct sbuf *b)
{
	int running, total, last;
	task_counts(&running, &total, &last);
	int64_t idle = clock_ns(CLOCK_BOOTTIME) / 10000000LL;
	sb_printf(b, "cpu  0 0 0 %ld 0 0 0 0 0 0\n", (long)(idle * sentry_ncpus));
	for (int i = 0; i < sentry_ncpus; i++)
		sb_printf(b, "cpu%d 0 0 0 %ld 0 0 0 0 0 0\n", i, (long)idle);
	sb_printf(b,
		  "intr 0\nctxt 0\nbtime %ld\nprocesses %d\nprocs_running %d\n"
		  "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		  (long)proc_btime(), last, running);
	return 0;
}

int proc_show_version(const struct proc_node *n, struct sbuf *b)
{
	sb_printf(b, "%s version %s (cvisor@cvisor) (gcc) %s\n", SANDBOX_SYSNAME, SANDBOX_RELEASE,
		  SANDBOX_VERSION);
	return 0;
}

int proc_show_filesystems(const struct proc_node *n, struct sbuf *b)
{
	static const char *fss[] = {"sysfs", "tmpfs", "proc", "devpts", "pipefs", "overlay", "9p"};
	for (size_t i = 0; i < sizeof(fss) / sizeof(fss[0]); i++)
		sb_printf(b, "nodev\t%s\n", fss[i]);
	return 0;
}

/* ---- /proc/sys ---- */

static int show_name(struct sbuf *b, const char *s)
{
	sb_printf(b, "%s\n", s);
	return 0;
}

static int set_name(char *dst, const char *buf, size_t len)
{
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == 0))
		len--;
	if (len > 64)
		return -EINVAL;
	memcpy(dst, buf, len);
	dst[len] = 0;
	return 0;
}

static int show_hostname(const struct proc_node *n, struct sbuf *b)
{
	return show_name(b, sandbox_hostname);
}

static int write_hostname(const struct proc_node *n, const char *buf, size_t len)
{
	return set_name(sandbox_hostname, buf, len);
}

static int show_domainname(const struct proc_node *n, struct sbuf *b)
{
	return show_name(b, sandbox_domainname);
}

static int write_domainname(const struct proc_node *n, const char *buf, size_t len)
{
	return set_name(sandbox_domainname, buf, len);
}

static int show_boot_id(const struct proc_node *n, struct sbuf *b)
{
	return show_name(b, boot_id);
}

static int show_uuid(const struct proc_node *n, struct sbuf *b)
{
	char u[40];
	make_uuid(u);
	return show_name(b, u);
}

static const struct proc_ent random_ents[] = {
    {"boot_id", S_IFREG | 0444, .show = show_boot_id},
    {"uuid", S_IFREG | 0444, .show = show_uuid},
    {"entropy_avail", S_IFREG | 0444, .text = "256\n"},
    {"poolsize", S_IFREG | 0444, .text = "256\n"},
    {NULL},
};
static const struct proc_dir random_dir = {.ents = random_ents};

static const struct proc_ent kernel_ents[] = {
    {"hostname", S_IFREG | 0644, .show = show_hostname, .write = write_hostname},
    {"domainname", S_IFREG | 0644, .show = show_domainname, .write = write_domainname},
    {"osrelease", S_IFREG | 0444, .text = SANDBOX_RELEASE "\n"},
    {"ostype", S_IFREG | 0444, .text = SANDBOX_SYSNAME "\n"},
    {"version", S_IFREG | 0444, .text = SANDBOX_VERSION "\n"},
    {"pid_max", S_IFREG | 0444, .text = PROC_PID_MAX},
    {"threads-max", S_IFREG | 0444, .text = PROC_PID_MAX},
    {"ngroups_max", S_IFREG | 0444, .text = "65536\n"},
    {"cap_last_cap", S_IFREG | 0444, .text = "40\n"},
    {"overflowuid", S_IFREG | 0444, .text = "65534\n"},
    {"overflowgid", S_IFREG | 0444, .text = "65534\n"},
    {"randomize_va_space", S_IFREG | 0444, .text = "2\n"},
    {"core_pattern", S_IFREG | 0444, .text = "core\n"},
    {"shmmax", S_IFREG | 0444, .text = "18446744073692774399\n"},
    {"shmall", S_IFREG | 0444, .text = "18446744073692774399\n"},
    {"shmmni", S_IFREG | 0444, .text = "4096\n"},
    {"random", S_IFDIR | 0555, .dir = &random_dir},
    {NULL},
};
static const struct proc_dir kernel_dir = {.ents = kernel_ents};

static const struct proc_ent vm_ents[] = {
    {"overcommit_memory", S_IFREG | 0444, .text = "0\n"},
    {"max_map_count", S_IFREG | 0444, .text = "65530\n"},
    {"mmap_min_addr", S_IFREG | 0444, .text = "65536\n"},
    {"swappiness", S_IFREG | 0444, .text = "60\n"},
    {NULL},
};
static const struct proc_dir vm_dir = {.ents = vm_ents};

static const struct proc_ent inotify_ents[] = {
    {"max_user_watches", S_IFREG | 0444, .text = "8192\n"},
    {"max_user_instances", S_IFREG | 0444, .text = "128\n"},
    {"max_queued_events", S_IFREG | 0444, .text = "16384\n"},
    {NULL},
};
static const struct proc_dir inotify_dir = {.ents = inotify_ents};

static const struct proc_ent fs_ents[] = {
    {"file-max", S_IFREG | 0444, .text = "9223372036854775807\n"},
    {"nr_open", S_IFREG | 0444, .text = "1048576\n"},
    {"pipe-max-size", S_IFREG | 0444, .text = "1048576\n"},
    {"inotify", S_IFDIR | 0555, .dir = &inotify_dir},
    {NULL},
};
static const struct proc_dir fs_dir = {.ents = fs_ents};

static const struct proc_ent core_ents[] = {
    {"somaxconn", S_IFREG | 0444, .text = "4096\n"},
    {NULL},
};
static const struct proc_dir core_dir = {.ents = core_ents};
static const struct proc_ent ipv4_ents[] = {
    {"ip_local_port_range", S_IFREG | 0444, .text = "32768\t60999\n"},
    {"tcp_keepalive_time", S_IFREG | 0444, .text = "7200\n"},
    {NULL},
};
static const struct proc_dir ipv4_dir = {.ents = ipv4_ents};
static const struct proc_ent net_ents[] = {
    {"core", S_IFDIR | 0555, .dir = &core_dir},
    {"ipv4", S_IFDIR | 0555, .dir = &ipv4_dir},
    {NULL},
};
static const struct proc_dir net_dir = {.ents = net_ents};

static const struct proc_ent sys_ents[] = {
    {"kernel", S_IFDIR | 0555, .dir = &kernel_dir},
    {"vm", S_IFDIR | 0555, .dir = &vm_dir},
    {"fs", S_IFDIR | 0555, .dir = &fs_dir},
    {"net", S_IFDIR | 0555, .dir = &net_dir},
    {NULL},
};
const struct proc_dir proc_sys_dir = {.ents = sys_ents};
