/* Odds and ends: uname/hostname, getrandom, rlimits, ids, capabilities,
 * prctl names, scheduler calls, resource usage and sysinfo. */
#include "harness.h"
#include <asm/prctl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>

TEST(uname_hostname)
{
	struct utsname u;
	CHECK_OK(uname(&u));
	CHECK_STR(u.sysname, "Linux");
	CHECK_STR(u.machine, "x86_64");
	CHECK(u.nodename[0] != 0);
	CHECK(u.release[0] != 0 && strchr(u.release, '.') != NULL);
	CHECK(u.version[0] != 0);
	CHECK(u.release[0] >= '3' && u.release[0] <= '9'); /* a 3.x-9.x style release */
	char host[256] = {0};
	CHECK_OK(gethostname(host, sizeof(host)));
	CHECK_STR(host, u.nodename);
	char small[2];
	CHECK_ERR(gethostname(small, 1), ENAMETOOLONG);
	char dom[256];
	CHECK_OK(getdomainname(dom, sizeof(dom)));
	CHECK_ERR(uname(BAD_PTR), EFAULT);
	/* a name longer than 64 is refused before anything changes */
	char longname[100];
	memset(longname, 'h', sizeof(longname));
	if (geteuid() == 0)
		CHECK_ERR(sethostname(longname, sizeof(longname)), EINVAL);
	CHECK_OK(gethostname(host, sizeof(host)));
	CHECK_STR(host, u.nodename);
}

TEST(getrandom)
{
	unsigned char a[64], b[64];
	CHECK_EQ(getrandom(a, sizeof(a), 0), sizeof(a));
	CHECK_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	int nonzero = 0;
	for (unsigned i = 0; i < sizeof(a); i++)
		nonzero += a[i] != 0;
	CHECK(nonzero > 32);
	static unsigned char big[1 << 20];
	long got = CHECK_OK(getrandom(big, sizeof(big), 0));
	CHECK(got > 0);
	CHECK_EQ(getrandom(a, 0, 0), 0);
	CHECK_ERR(getrandom(a, sizeof(a), 0x1000), EINVAL);
	CHECK_ERR(getrandom(BAD_PTR, 16, 0), EFAULT);
}

TEST(rlimits)
{
	struct rlimit r, orig;
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &orig));
	CHECK(orig.rlim_cur > 16 && orig.rlim_cur <= orig.rlim_max);
	CHECK_OK(getrlimit(RLIMIT_STACK, &r));
	CHECK(r.rlim_cur > 0);
	CHECK_ERR(getrlimit(1000, &r), EINVAL);

	/* lowering the soft NOFILE limit caps new fds */
	r = orig;
	r.rlim_cur = 20;
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &r));
	struct rlimit now;
	CHECK_OK(getrlimit(RLIMIT_NOFILE, &now));
	CHECK_EQ(now.rlim_cur, 20);
	CHECK_EQ(now.rlim_max, orig.rlim_max);
	int fds[32], n = 0, last_err = 0;
	for (int i = 0; i < 32; i++) {
		fds[n] = open("/dev/null", O_RDONLY);
		if (fds[n] < 0) {
			last_err = errno;
			break;
		}
		CHECK(fds[n] < 20);
		n++;
	}
	CHECK_EQ(last_err, EMFILE);
	CHECK_ERR(dup2(0, 25), EBADF);
	CHECK_ERR(fcntl(0, F_DUPFD, 30), EINVAL);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	/* soft above hard is refused */
	r.rlim_cur = orig.rlim_max + 1;
	r.rlim_max = orig.rlim_max;
	if (orig.rlim_max != RLIM_INFINITY)
		CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL);
	CHECK_OK(setrlimit(RLIMIT_NOFILE, &orig));

	/* prlimit on ourselves and on a child */
	struct rlimit prev, core0 = {0, 0};
	CHECK_OK(prlimit(0, RLIMIT_CORE, NULL, &prev));
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit c;
		for (int i = 0; i < 200; i++) {
			getrlimit(RLIMIT_CORE, &c);
			if (c.rlim_max == 0)
				_exit(0);
			usleep(5000);
		}
		_exit(1);
	}
	CHECK_OK(prlimit(pid, RLIMIT_CORE, &core0, NULL));
	struct rlimit seen;
	CHECK_OK(prlimit(pid, RLIMIT_CORE, NULL, &seen));
	CHECK_EQ(seen.rlim_max, 0);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_OK(getrlimit(RLIMIT_CORE, &r));
	CHECK_EQ(r.rlim_cur, prev.rlim_cur); /* ours unchanged */

	/* lowering RLIMIT_NPROC is allowed; raising the hard limit back needs root */
	CHECK_OK(getrlimit(RLIMIT_NPROC, &r));
	CHECK(r.rlim_cur > 0);
	CHECK_OK(getrlimit(RLIMIT_AS, &r));
	CHECK_OK(getrlimit(RLIMIT_DATA, &r));
}

TEST(ids)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	CHECK_OK(getresuid(&ru, &eu, &su));
	CHECK_OK(getresgid(&rg, &eg, &sg));
	CHECK_EQ(ru, getuid());
	CHECK_EQ(eu, geteuid());
	CHECK_EQ(rg, getgid());
	CHECK_EQ(eg, getegid());
	int n = CHECK_OK(getgroups(0, NULL));
	gid_t groups[256];
	CHECK_EQ(getgroups(256, groups), n);
	if (n > 1)
		CHECK_ERR(getgroups(n - 1, groups), EINVAL);
	/* setting our own ids to themselves always works */
	CHECK_OK(setresuid(-1, -1, -1));
	CHECK_OK(setuid(getuid()));
	CHECK_OK(setgid(getgid()));
	/* a child that drops to nobody cannot get back */
	if (geteuid() == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
				_exit(2);
			if (getuid() != 65534 || geteuid() != 65534 || getgid() != 65534)
				_exit(3);
			if (setuid(0) == 0 || errno != EPERM)
				_exit(4);
			if (open("/etc/shadow", O_RDONLY) >= 0 || errno != EACCES)
				_exit(5);
			_exit(0);
		}
		int st;
		CHECK_EQ(waitpid(pid, &st, 0), pid);
		CHECK(WIFEXITED(st));
		CHECK_EQ(WEXITSTATUS(st), 0);
	}
}

TEST(capabilities)
{
	struct __user_cap_header_struct h = {.version = 0, .pid = 0};
	struct __user_cap_data_struct d[2];
	/* a wrong version is answered with the preferred one */
	CHECK_ERR(syscall(SYS_capget, &h, d), EINVAL);
	CHECK_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
	h.pid = 0;
	memset(d, 0, sizeof(d));
	CHECK_OK(syscall(SYS_capget, &h, d));
	/* effective is a subset of permitted */
	CHECK_EQ(d[0].effective & ~d[0].permitted, 0);
	CHECK_EQ(d[1].effective & ~d[1].permitted, 0);
	CHECK_OK(prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0));
	/* dropping a capability in a child sticks */
	pid_t pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct hh = {_LINUX_CAPABILITY_VERSION_3, 0};
		struct __user_cap_data_struct dd[2];
		if (syscall(SYS_capget, &hh, dd))
			_exit(2);
		dd[0].effective &= ~(1u << CAP_CHOWN);
		dd[0].permitted &= ~(1u << CAP_CHOWN);
		dd[0].inheritable &= ~(1u << CAP_CHOWN);
		if (syscall(SYS_capset, &hh, dd))
			_exit(3);
		memset(dd, 0, sizeof(dd));
		if (syscall(SYS_capget, &hh, dd))
			_exit(4);
		if (dd[0].permitted & (1u << CAP_CHOWN))
			_exit(5);
		/* and cannot be raised again */
		dd[0].permitted |= 1u << CAP_CHOWN;
		if (syscall(SYS_capset, &hh, dd) == 0 || errno != EPERM)
			_exit(6);
		_exit(0);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
}

TEST(prctl_names)
{
	char name[32] = {0};
	CHECK_OK(prctl(PR_SET_NAME, "cvisor-test", 0, 0, 0));
	CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECK_STR(name, "cvisor-test");
	/* truncated to 15 characters */
	CHECK_OK(prctl(PR_SET_NAME, "0123456789abcdefghij", 0, 0, 0));
	CHECK_OK(prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECK_STR(name, "0123456789abcde");
	char comm[64] = {0};
	int fd = open("/proc/self/comm", O_RDONLY);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(read(fd, comm, sizeof(comm) - 1) > 0);
		close(fd);
	}
	CHECK_STR(comm, "0123456789abcde\n");
	CHECK_OK(prctl(PR_SET_NAME, "misc", 0, 0, 0));

	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	CHECK_OK(prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0));
	int sig = -1;
	CHECK_OK(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
	CHECK_EQ(sig, SIGTERM);
	CHECK_OK(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0));
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0); /* a sandbox may set it */
	/* no_new_privs sticks; a dropped bounding capability reads as gone */
	pid_t child = fork();
	if (child == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) != -1 || errno != EINVAL ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
			_exit(1);
		if (geteuid() == 0 && (prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0) != 1 ||
				       prctl(PR_CAPBSET_DROP, CAP_CHOWN, 0, 0, 0) ||
				       prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0) != 0))
			_exit(2);
		_exit(0);
	}
	int cst = -1;
	CHECK_EQ(waitpid(child, &cst, 0), child);
	CHECK_EQ(cst, 0);
	CHECK_ERR(prctl(9999, 0, 0, 0, 0), EINVAL);

	/* arch_prctl: FS base is where TLS lives */
	unsigned long fs = 0;
	CHECK_OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	CHECK(fs != 0);
	unsigned long self;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(self));
	CHECK_EQ(self, fs);
}

TEST(scheduler)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CHECK_OK(sched_getaffinity(0, sizeof(set), &set));
	int n = CPU_COUNT(&set);
	CHECK(n >= 1);
	printf("# %d cpus in affinity mask, %ld online\n", n, sysconf(_SC_NPROCESSORS_ONLN));
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	/* pinning to the first allowed CPU then back */
	int first = -1;
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &set))
			first = i;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	CHECK_OK(sched_setaffinity(0, sizeof(one), &one));
	cpu_set_t got;
	CHECK_OK(sched_getaffinity(0, sizeof(got), &got));
	CHECK_EQ(CPU_COUNT(&got), 1);
	CHECK_OK(sched_setaffinity(0, sizeof(set), &set));
	for (int i = 0; i < 1000; i++)
		CHECK_OK(sched_yield());
	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
	struct sched_param sp;
	CHECK_OK(sched_getparam(0, &sp));
	CHECK_EQ(sp.sched_priority, 0);
	CHECK_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	CHECK_EQ(sched_get_priority_min(SCHED_FIFO), 1);
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, 0);
	CHECK(errno == 0 && prio >= -20 && prio <= 19);
	unsigned cpu, node;
	CHECK_OK(syscall(SYS_getcpu, &cpu, &node, NULL));
	CHECK(cpu < CPU_SETSIZE);
	/* a child raising its nice value */
	pid_t pid = fork();
	if (pid == 0) {
		errno = 0;
		int p0 = getpriority(PRIO_PROCESS, 0);
		if (setpriority(PRIO_PROCESS, 0, p0 + 5 > 19 ? 19 : p0 + 5))
			_exit(2);
		_exit(getpriority(PRIO_PROCESS, 0) == (p0 + 5 > 19 ? 19 : p0 + 5) ? 0 : 3);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(usage)
{
	struct rusage ru0, ru1, rc;
	CHECK_OK(getrusage(RUSAGE_SELF, &ru0));
	double t0 = now_sec(CLOCK_MONOTONIC);
	volatile unsigned long spin = 0;
	while (now_sec(CLOCK_MONOTONIC) - t0 < 0.1)
		spin++;
	CHECK_OK(getrusage(RUSAGE_SELF, &ru1));
	double u0 = ru0.ru_utime.tv_sec + ru0.ru_utime.tv_usec / 1e6 + ru0.ru_stime.tv_sec +
		    ru0.ru_stime.tv_usec / 1e6;
	double u1 = ru1.ru_utime.tv_sec + ru1.ru_utime.tv_usec / 1e6 + ru1.ru_stime.tv_sec +
		    ru1.ru_stime.tv_usec / 1e6;
	CHECK(u1 - u0 > 0.03);
	CHECK(ru1.ru_maxrss > 0);
	CHECK_OK(getrusage(RUSAGE_THREAD, &ru1));
	CHECK_ERR(getrusage(42, &ru1), EINVAL);

	/* a child's CPU time shows in RUSAGE_CHILDREN after it is reaped */
	struct tms tm0, tm1;
	CHECK(times(&tm0) != (clock_t)-1);
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &rc));
	double c0 = rc.ru_utime.tv_sec + rc.ru_utime.tv_usec / 1e6 + rc.ru_stime.tv_sec +
		    rc.ru_stime.tv_usec / 1e6;
	pid_t pid = fork();
	if (pid == 0) {
		double s = now_sec(CLOCK_MONOTONIC);
		while (now_sec(CLOCK_MONOTONIC) - s < 0.1)
			spin++;
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &rc));
	double c1 = rc.ru_utime.tv_sec + rc.ru_utime.tv_usec / 1e6 + rc.ru_stime.tv_sec +
		    rc.ru_stime.tv_usec / 1e6;
	CHECK(c1 - c0 > 0.03);
	clock_t now = times(&tm1);
	CHECK(now != (clock_t)-1);
	long hz = sysconf(_SC_CLK_TCK);
	CHECK_EQ(hz, 100);
	CHECK((tm1.tms_cutime + tm1.tms_cstime) - (tm0.tms_cutime + tm0.tms_cstime) >= 3);
	CHECK(tm1.tms_utime + tm1.tms_stime >= 3);
}

TEST(sysinfo)
{
	struct sysinfo si;
	CHECK_OK(sysinfo(&si));
	CHECK(si.uptime >= 0); /* a fresh sandbox may boot at 0 */
	CHECK(si.totalram > 0);
	CHECK(si.freeram <= si.totalram);
	CHECK(si.mem_unit >= 1);
	CHECK(si.procs >= 1);
	CHECK((unsigned long long)si.totalram * si.mem_unit >= (64ull << 20));
	CHECK_ERR(sysinfo(BAD_PTR), EFAULT);
	CHECK(sysconf(_SC_PAGESIZE) == 4096);
	CHECK(sysconf(_SC_PHYS_PAGES) > 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(uname_hostname);
	RUN(getrandom);
	RUN(rlimits);
	RUN(ids);
	RUN(capabilities);
	RUN(prctl_names);
	RUN(scheduler);
	RUN(usage);
	RUN(sysinfo);
	return done();
}
