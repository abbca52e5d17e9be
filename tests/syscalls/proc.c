/* /proc: self/status, cmdline, exe, fd, stat, environ, meminfo, cpuinfo,
 * uptime, loadavg, and another process's entries. */
#include "harness.h"
#include <dirent.h>
#include <sys/wait.h>

static char prog[4096]; /* realpath of argv[0] */

/* Reads a whole small file into a static buffer; returns its length. */
static long slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t got = 0;
	ssize_t r;
	while (got < n - 1 && (r = read(fd, buf + got, n - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	return (long)got;
}

static long field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	if (!p)
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

TEST(status)
{
	static char buf[8192];
	CHECK(slurp("/proc/self/status", buf, sizeof(buf)) > 0);
	CHECK_EQ(field(buf, "\nPid:"), getpid());
	CHECK_EQ(field(buf, "\nPPid:"), getppid());
	CHECK_EQ(field(buf, "\nTgid:"), getpid());
	CHECK_EQ(field(buf, "\nThreads:"), 1);
	CHECK(strncmp(buf, "Name:\tproc\n", 11) == 0);
	CHECK(strstr(buf, "\nState:\tR") != NULL);
	CHECK_EQ(field(buf, "\nUid:"), getuid());
	CHECK(strstr(buf, "\nVmRSS:") != NULL);
	CHECK(strstr(buf, "\nSigBlk:") != NULL);
	/* /proc/<pid> is the same process as /proc/self */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	static char buf2[8192];
	CHECK(slurp(path, buf2, sizeof(buf2)) > 0);
	CHECK_EQ(field(buf2, "\nPid:"), getpid());
	char link[64] = {0};
	CHECK(readlink("/proc/self", link, sizeof(link)) > 0);
	CHECK_EQ(atoi(link), getpid());
	/* thread-self */
	CHECK(readlink("/proc/thread-self", link, sizeof(link)) > 0);
}

TEST(stat_line)
{
	char buf[1024];
	CHECK(slurp("/proc/self/stat", buf, sizeof(buf)) > 0);
	int pid = 0, ppid = 0;
	char comm[64] = {0}, state = 0;
	CHECK_EQ(sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid), 4);
	CHECK_EQ(pid, getpid());
	CHECK_STR(comm, "proc");
	CHECK_EQ(state, 'R');
	CHECK_EQ(ppid, getppid());
	CHECK(slurp("/proc/self/statm", buf, sizeof(buf)) > 0);
	long size = 0, rss = 0;
	CHECK_EQ(sscanf(buf, "%ld %ld", &size, &rss), 2);
	CHECK(size > 0 && rss > 0 && rss <= size);
}

TEST(cmdline_environ)
{
	char buf[4096];
	long n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	CHECK(n > 0);
	/* argv[0] NUL argv[1] NUL ... as main() got them */
	CHECK_EQ(buf[n - 1], 0);
	CHECK(strstr(buf, "proc") != NULL);
	CHECK_STR(buf + strlen(buf) + 1, "arg-one");
	CHECK_STR(buf + strlen(buf) + 1 + strlen("arg-one") + 1, "arg two");
	n = slurp("/proc/self/environ", buf, sizeof(buf));
	CHECK(n > 0);
	int found = 0;
	for (long i = 0; i < n; i += strlen(buf + i) + 1)
		found |= strcmp(buf + i, "CVISOR_PROC_TEST=yes") == 0;
	CHECK(found);
}

TEST(exe_and_cwd)
{
	char link[4096] = {0};
	CHECK(readlink("/proc/self/exe", link, sizeof(link) - 1) > 0);
	CHECK_STR(link, prog);
	int fd = open("/proc/self/exe", O_RDONLY);
	CHECK(fd >= 0);
	char magic[4];
	CHECK_EQ(read(fd, magic, 4), 4);
	CHECK(memcmp(magic,
		     "\x7f"
		     "ELF",
		     4) == 0);
	close(fd);
	char cwd[4096];
	CHECK_OK(chdir(scratch_dir()));
	memset(link, 0, sizeof(link));
	CHECK(readlink("/proc/self/cwd", link, sizeof(link) - 1) > 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK_STR(link, cwd);
	memset(link, 0, sizeof(link));
	CHECK(readlink("/proc/self/root", link, sizeof(link) - 1) > 0);
	CHECK_STR(link, "/");
	CHECK_OK(chdir("/"));
}

TEST(fds)
{
	int p[2];
	CHECK_OK(pipe(p));
	int f = CHECK_OK(open(scratch_path("fdfile"), O_CREAT | O_RDWR, 0600));
	CHECK_OK(dup2(f, 57));
	int seen_p0 = 0, seen_f = 0, seen_57 = 0, seen_bogus = 0;
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int n = atoi(e->d_name);
		seen_p0 |= n == p[0];
		seen_f |= n == f;
		seen_57 |= n == 57;
		seen_bogus |= n == 58;
	}
	if (d)
		closedir(d);
	CHECK(seen_p0 && seen_f && seen_57);
	CHECK(!seen_bogus);
	char path[64], link[4096] = {0};
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	CHECK(readlink(path, link, sizeof(link) - 1) > 0);
	CHECK_STR(link, scratch_path("fdfile"));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	memset(link, 0, sizeof(link));
	CHECK(readlink(path, link, sizeof(link) - 1) > 0);
	CHECK(strncmp(link, "pipe:[", 6) == 0);
	/* opening /proc/self/fd/N opens the file anew */
	CHECK_EQ(write(f, "data", 4), 4);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	int g = CHECK_OK(open(path, O_RDONLY));
	char b[8] = {0};
	CHECK_EQ(read(g, b, sizeof(b)), 4);
	close(g);
	/* fdinfo */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f);
	char info[512];
	CHECK(slurp(path, info, sizeof(info)) > 0);
	CHECK_EQ(field(info, "pos:"), 4);
	close(57);
	CHECK_ERR(access("/proc/self/fd/57", F_OK), ENOENT);
	close(f);
	close(p[0]);
	close(p[1]);
}

TEST(maps_mounts)
{
	static char buf[65536];
	CHECK(slurp("/proc/self/maps", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, prog) != NULL);
	CHECK(strstr(buf, "[stack]") != NULL);
	CHECK(slurp("/proc/self/mounts", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, " / ") != NULL);
	CHECK(strstr(buf, " /proc proc ") != NULL);
	CHECK(slurp("/proc/self/mountinfo", buf, sizeof(buf)) > 0);
}

TEST(system_files)
{
	static char buf[65536];
	CHECK(slurp("/proc/meminfo", buf, sizeof(buf)) > 0);
	long total = field(buf, "MemTotal:"), fre = field(buf, "MemFree:");
	CHECK(total > 0);
	CHECK(fre >= 0 && fre <= total);
	CHECK(field(buf, "MemAvailable:") >= 0);
	CHECK(strstr(buf, " kB\n") != NULL);

	CHECK(slurp("/proc/cpuinfo", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "processor\t: 0\n", 14) == 0);
	CHECK(strstr(buf, "\nflags\t\t:") != NULL);
	CHECK(strstr(buf, "model name") != NULL);
	int procs = 0;
	for (char *p = buf; (p = strstr(p, "processor\t:")); p++)
		procs++;
	CHECK(procs >= 1);
	CHECK_EQ(procs, sysconf(_SC_NPROCESSORS_ONLN));

	CHECK(slurp("/proc/uptime", buf, sizeof(buf)) > 0);
	double up = -1, idle = -1;
	CHECK_EQ(sscanf(buf, "%lf %lf", &up, &idle), 2);
	CHECK(up >= 0 && idle >= 0);
	usleep(20000);
	CHECK(slurp("/proc/uptime", buf, sizeof(buf)) > 0);
	double up2 = 0;
	sscanf(buf, "%lf", &up2);
	CHECK(up2 >= up);

	CHECK(slurp("/proc/loadavg", buf, sizeof(buf)) > 0);
	double l1;
	CHECK_EQ(sscanf(buf, "%lf", &l1), 1);
	CHECK(slurp("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "cpu ", 4) == 0);
	CHECK(slurp("/proc/version", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Linux version ", 14) == 0);
	CHECK(slurp("/proc/filesystems", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "proc") != NULL);
	CHECK(slurp("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0);
	CHECK(atol(buf) > 0);
	CHECK(slurp("/proc/sys/kernel/hostname", buf, sizeof(buf)) > 0);
	char host[256] = {0};
	gethostname(host, sizeof(host));
	CHECK(strncmp(buf, host, strlen(host)) == 0);
	CHECK(slurp("/proc/sys/vm/overcommit_memory", buf, sizeof(buf)) > 0);
	CHECK_ERR(open("/proc/self/nonexistent", O_RDONLY), ENOENT);
}

TEST(other_process)
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0);
	CHECK_EQ(field(buf, "\nPid:"), pid);
	CHECK_EQ(field(buf, "\nPPid:"), getpid());
	/* the child sleeps in read: state S (allow a moment to get there) */
	int sleeping = 0;
	for (int i = 0; i < 200 && !sleeping; i++) {
		slurp(path, buf, sizeof(buf));
		sleeping = strstr(buf, "\nState:\tS") != NULL;
		if (!sleeping)
			usleep(5000);
	}
	CHECK(sleeping);
	/* /proc lists it */
	int listed = 0, self_listed = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		listed |= atoi(e->d_name) == pid;
		self_listed |= atoi(e->d_name) == getpid();
	}
	if (d)
		closedir(d);
	CHECK(listed && self_listed);
	close(p[1]);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);

	/* a thread shows under task/ */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", getpid(), getpid());
	CHECK_OK(access(path, F_OK));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!realpath(argv[0], prog)) {
		perror("realpath");
		return 2;
	}
	/* re-exec with known arguments and environment */
	if (argc == 1) {
		char *nargv[] = {argv[0], "arg-one", "arg two", NULL};
		setenv("CVISOR_PROC_TEST", "yes", 1);
		execv(prog, nargv);
		perror("execv");
		return 2;
	}
	RUN(status);
	RUN(stat_line);
	RUN(cmdline_environ);
	RUN(exe_and_cwd);
	RUN(fds);
	RUN(maps_mounts);
	RUN(system_files);
	RUN(other_process);
	return done();
}
