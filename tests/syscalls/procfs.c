/* /proc beyond proc.c: exact cmdline, fd 0-2, an mmap in maps, a child's
 * stat (running, sleeping, zombie), threads under task/, comm and
 * oom_score_adj writes, /proc/sys values, /dev/stdin through a pipe. */
#include "harness.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static int g_argc;
static char **g_argv;

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

/* The state letter and ppid of /proc/<pid>/stat (comm may hold spaces). */
static int stat_of(pid_t pid, char *state, int *ppid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (slurp(path, buf, sizeof(buf)) <= 0)
		return -1;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	return sscanf(p + 1, " %c %d", state, ppid) == 2 ? 0 : -1;
}

TEST(cmdline_exact)
{
	char buf[8192];
	long n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	long want = 0;
	for (int i = 0; i < g_argc; i++)
		want += (long)strlen(g_argv[i]) + 1;
	CHECK_EQ(n, want);
	long off = 0;
	for (int i = 0; i < g_argc && off < n; i++) {
		CHECK_STR(buf + off, g_argv[i]);
		off += (long)strlen(g_argv[i]) + 1;
	}
}

/* setproctitle: a title written over argv and on into the environment
 * shows whole, up to its NUL (in a child, to leave our argv alone) */
TEST(cmdline_title)
{
	extern char **environ;
	pid_t pid = fork();
	if (pid == 0) {
		char *start = g_argv[0];
		char *end = g_argv[g_argc - 1] + strlen(g_argv[g_argc - 1]) + 1;
		size_t room = (size_t)(end - start);
		for (char **e = environ; *e && *e == end; e++)
			end += strlen(*e) + 1;
		const char *title = "title: a process title longer than the arguments were";
		if ((size_t)(end - start) <= strlen(title) + 1 || room > strlen(title)) {
			dprintf(1, "# cmdline_title: skipped, no environment to spill into\n");
			_exit(77);
		}
		memset(start, 0, (size_t)(end - start));
		strcpy(start, title);
		char buf[512];
		long n = slurp("/proc/self/cmdline", buf, sizeof(buf));
		_exit(n == (long)strlen(title) + 1 && strcmp(buf, title) == 0 ? 0 : 1);
	}
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK(WIFEXITED(ws) && (WEXITSTATUS(ws) == 0 || WEXITSTATUS(ws) == 77));
}

TEST(auxv)
{
	uint64_t aux[128];
	long n = slurp("/proc/self/auxv", (char *)aux, sizeof(aux));
	CHECK(n > 0 && n % 16 == 0);
	int pagesz = 0, entry = 0, end = 0;
	for (long i = 0; i + 1 < n / 8; i += 2) {
		if (aux[i] == AT_PAGESZ)
			pagesz = aux[i + 1] == getauxval(AT_PAGESZ);
		if (aux[i] == AT_ENTRY)
			entry = aux[i + 1] == getauxval(AT_ENTRY);
		if (aux[i] == AT_NULL)
			end = 1;
	}
	CHECK(pagesz && entry && end);
}

TEST(mem)
{
	static volatile long var = 42;
	int fd = CHECK_OK(open("/proc/self/mem", O_RDWR));
	long v = 0;
	CHECK_EQ(pread(fd, &v, sizeof(v), (off_t)(uintptr_t)&var), sizeof(v));
	CHECK_EQ(v, 42);
	v = 99;
	CHECK_EQ(pwrite(fd, &v, sizeof(v), (off_t)(uintptr_t)&var), sizeof(v));
	CHECK_EQ(var, 99);
	CHECK_EQ(lseek(fd, (off_t)(uintptr_t)&var, SEEK_SET), (off_t)(uintptr_t)&var);
	v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), sizeof(v));
	CHECK_EQ(v, 99);
	CHECK_ERR(pread(fd, &v, sizeof(v), 0), EIO); /* page 0 is never mapped */
	close(fd);
}

TEST(std_fds)
{
	int seen[3] = {0};
	DIR *d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int n = atoi(e->d_name);
		if (n >= 0 && n < 3)
			seen[n] = 1;
		CHECK(e->d_type == DT_LNK);
	}
	if (d)
		closedir(d);
	CHECK(seen[0] && seen[1] && seen[2]);
	/* a file opened by path reads back as that path */
	const char *path = scratch_path("named");
	int fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0600));
	char lp[64], link[4096] = {0};
	snprintf(lp, sizeof(lp), "/proc/self/fd/%d", fd);
	CHECK(readlink(lp, link, sizeof(link) - 1) > 0);
	CHECK_STR(link, path);
	struct stat a, b;
	CHECK_OK(fstat(fd, &a));
	CHECK_OK(stat(lp, &b)); /* stat follows the magic link */
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_OK(lstat(lp, &b));
	CHECK(S_ISLNK(b.st_mode));
	close(fd);
}

TEST(maps_mmap)
{
	size_t len = 3 * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK_OK(mprotect(m + 4096, 4096, PROT_READ));
	static char buf[65536];
	CHECK(slurp("/proc/self/maps", buf, sizeof(buf)) > 0);
	char want[128];
	snprintf(want, sizeof(want), "%lx-%lx rw-p ", (unsigned long)m, (unsigned long)(m + 4096));
	CHECK(strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), "%lx-%lx r--p ", (unsigned long)(m + 4096),
		 (unsigned long)(m + 8192));
	CHECK(strstr(buf, want) != NULL);
	static char smaps[1 << 20];
	CHECK(slurp("/proc/self/smaps", smaps, sizeof(smaps)) > 0);
	char *at = strstr(smaps, want);
	CHECK(at != NULL);
	if (at) {
		at = strchr(at, '\n');
		CHECK(at && strncmp(at + 1, "Size:", 5) == 0);
		CHECK(at && atol(at + 6) == 4);
	}
	CHECK(slurp("/proc/self/smaps_rollup", smaps, sizeof(smaps)) > 0);
	CHECK(strstr(smaps, "[rollup]\n") != NULL);
	CHECK(strstr(smaps, "\nRss:") != NULL);
	munmap(m, len);
	CHECK(slurp("/proc/self/maps", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, want) == NULL);
}

TEST(child_stat)
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1);
		_exit(3);
	}
	close(p[0]);
	char st = 0;
	int ppid = 0;
	for (int i = 0; i < 200; i++) {
		CHECK_OK(stat_of(pid, &st, &ppid));
		if (st == 'S')
			break;
		usleep(5000);
	}
	CHECK_EQ(st, 'S');
	CHECK_EQ(ppid, getpid());
	char path[64], buf[256], mine[256];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0);
	CHECK(slurp("/proc/self/comm", mine, sizeof(mine)) > 0);
	CHECK_STR(buf, mine);
	/* a file opened before the end and a directory held as cwd */
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	int early = CHECK_OK(open(path, O_RDONLY));
	snprintf(path, sizeof(path), "/proc/%d", pid);
	int dirfd = CHECK_OK(open(path, O_RDONLY | O_DIRECTORY));
	/* once it exits and before it is reaped it is a zombie */
	close(p[1]);
	siginfo_t si;
	CHECK_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	CHECK_OK(stat_of(pid, &st, &ppid));
	CHECK_EQ(st, 'Z');
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK_EQ(WEXITSTATUS(ws), 3);
	CHECK(stat_of(pid, &st, &ppid) < 0);
	CHECK_ERR(read(early, buf, sizeof(buf)), ESRCH);
	close(early);
	errno = 0;
	CHECK(openat(dirfd, "status", O_RDONLY) < 0 && (errno == ENOENT || errno == ESRCH));
	CHECK(openat(dirfd, "maps", O_RDONLY) < 0 && (errno == ENOENT || errno == ESRCH));
	close(dirfd);
	/* /proc/self/stat says running with our parent */
	CHECK_OK(stat_of(getpid(), &st, &ppid));
	CHECK_EQ(st, 'R');
	CHECK_EQ(ppid, getppid());
}

static pid_t sleeper_tid;
static int sleeper_pipe[2];

static void *sleeper(void *arg)
{
	sleeper_tid = (pid_t)syscall(SYS_gettid);
	char c;
	(void)!read(sleeper_pipe[0], &c, 1);
	return NULL;
}

TEST(threads)
{
	pthread_t th;
	CHECK_OK(pipe(sleeper_pipe));
	CHECK_EQ(pthread_create(&th, NULL, sleeper, NULL), 0);
	for (int i = 0; i < 200 && !sleeper_tid; i++)
		usleep(1000);
	pid_t tid = sleeper_tid;
	CHECK(tid > 0);
	int seen_self = 0, seen_tid = 0;
	DIR *d = opendir("/proc/self/task");
	CHECK(d != NULL);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		seen_self |= atoi(e->d_name) == getpid();
		seen_tid |= atoi(e->d_name) == tid;
	}
	if (d)
		closedir(d);
	CHECK(seen_self && seen_tid);
	char path[128], buf[8192];
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0);
	char want[64];
	snprintf(want, sizeof(want), "\nPid:\t%d\n", tid);
	CHECK(strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), "\nTgid:\t%d\n", getpid());
	CHECK(strstr(buf, want) != NULL);
	CHECK(strstr(buf, "\nThreads:\t2\n") != NULL);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0);
	CHECK_EQ(atoi(buf), tid);
	/* /proc/<tid> works for a thread but /proc does not list it */
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", tid);
	CHECK(strstr(buf, want) != NULL);
	int listed = 0;
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		listed |= atoi(e->d_name) == tid;
	if (d)
		closedir(d);
	CHECK(!listed);
	/* no task/ under a thread's directory */
	snprintf(path, sizeof(path), "/proc/self/task/%d/task", tid);
	CHECK_ERR(access(path, F_OK), ENOENT);
	/* thread-self names this thread */
	char link[64] = {0};
	CHECK(readlink("/proc/thread-self", link, sizeof(link) - 1) > 0);
	snprintf(want, sizeof(want), "%d/task/%d", getpid(), getpid());
	CHECK_STR(link, want);
	close(sleeper_pipe[1]);
	pthread_join(th, NULL);
	close(sleeper_pipe[0]);
}

TEST(writable)
{
	char buf[256];
	CHECK(slurp("/proc/self/oom_score_adj", buf, sizeof(buf)) > 0);
	int old = atoi(buf);
	int fd = CHECK_OK(open("/proc/self/oom_score_adj", O_WRONLY));
	CHECK_EQ(write(fd, "500\n", 4), 4);
	close(fd);
	CHECK(slurp("/proc/self/oom_score_adj", buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "500\n");
	fd = CHECK_OK(open("/proc/self/oom_score_adj", O_WRONLY));
	CHECK_ERR(write(fd, "5000\n", 5), EINVAL);
	close(fd);
	/* a child inherits it */
	pid_t pid = fork();
	if (pid == 0) {
		char b[64];
		slurp("/proc/self/oom_score_adj", b, sizeof(b));
		_exit(strcmp(b, "500\n") == 0 ? 0 : 1);
	}
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	fd = CHECK_OK(open("/proc/self/oom_score_adj", O_WRONLY));
	snprintf(buf, sizeof(buf), "%d", old);
	CHECK_EQ(write(fd, buf, strlen(buf)), (long)strlen(buf));
	close(fd);
	/* comm follows prctl(PR_SET_NAME) and takes writes */
	char mine[64];
	CHECK(slurp("/proc/self/comm", mine, sizeof(mine)) > 0);
	int keep = CHECK_OK(open("/proc/self/comm", O_RDONLY));
	CHECK_OK(prctl(PR_SET_NAME, "renamed"));
	CHECK(slurp("/proc/self/comm", buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "renamed\n");
	/* a file kept open shows fresh text when read again from the start */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(keep, buf, sizeof(buf) - 1, 0), 8);
	CHECK_STR(buf, "renamed\n");
	CHECK_OK(prctl(PR_SET_NAME, "again"));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(pread(keep, buf, sizeof(buf) - 1, 0), 6);
	CHECK_STR(buf, "again\n");
	close(keep);
	fd = CHECK_OK(open("/proc/self/comm", O_WRONLY));
	CHECK_EQ(write(fd, mine, strlen(mine) - 1), (long)strlen(mine) - 1); /* no newline */
	close(fd);
	CHECK(slurp("/proc/self/comm", buf, sizeof(buf)) > 0);
	CHECK_STR(buf, mine);
	/* read-only files take no writes (root may open them for writing) */
	fd = open("/proc/self/status", O_WRONLY);
	if (fd < 0) {
		CHECK_EQ(errno, EACCES);
	} else {
		CHECK_ERR(write(fd, "x", 1), EINVAL);
		close(fd);
	}
}

TEST(sys_and_misc)
{
	char buf[4096];
	struct utsname u;
	CHECK_OK(uname(&u));
	CHECK(slurp("/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0);
	char want[128];
	snprintf(want, sizeof(want), "%s\n", u.release);
	CHECK_STR(buf, want);
	CHECK(slurp("/proc/sys/kernel/ostype", buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "Linux\n");
	CHECK(slurp("/proc/sys/kernel/random/boot_id", buf, sizeof(buf)) == 37);
	char boot[64];
	strcpy(boot, buf);
	CHECK(slurp("/proc/sys/kernel/random/boot_id", buf, sizeof(buf)) == 37);
	CHECK_STR(buf, boot);
	CHECK(slurp("/proc/sys/kernel/random/uuid", buf, sizeof(buf)) == 37);
	CHECK(strcmp(buf, boot) != 0);
	const char *nums[] = {"/proc/sys/kernel/ngroups_max", "/proc/sys/kernel/cap_last_cap",
			      "/proc/sys/kernel/overflowuid", "/proc/sys/vm/max_map_count",
			      "/proc/sys/fs/file-max",	      "/proc/sys/fs/nr_open",
			      "/proc/sys/fs/pipe-max-size",   "/proc/sys/net/core/somaxconn"};
	for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		CHECK(slurp(nums[i], buf, sizeof(buf)) > 0);
		CHECK(atol(buf) > 0);
	}
	CHECK(slurp("/proc/self/limits", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Limit ", 6) == 0);
	CHECK(strstr(buf, "\nMax open files ") != NULL);
	CHECK(slurp("/proc/self/cgroup", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "::") != NULL);
	CHECK(slurp("/proc/self/loginuid", buf, sizeof(buf)) > 0);
	char link[64] = {0}, link2[64] = {0};
	CHECK(readlink("/proc/self/ns/pid", link, sizeof(link) - 1) > 0);
	CHECK(strncmp(link, "pid:[", 5) == 0);
	CHECK(readlink("/proc/self/ns/pid_for_children", link2, sizeof(link2) - 1) > 0);
	CHECK_STR(link2, link);
	CHECK(slurp("/proc/self/uid_map", buf, sizeof(buf)) > 0);
	long inside = -1, outside = -1, count = -1;
	CHECK_EQ(sscanf(buf, "%ld %ld %ld", &inside, &outside, &count), 3);
	CHECK(count > 0);
	memset(link, 0, sizeof(link));
	CHECK(readlink("/proc/mounts", link, sizeof(link) - 1) > 0);
	CHECK_STR(link, "self/mounts");
	CHECK(slurp("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, " /proc proc ") != NULL);
	CHECK(slurp("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\nbtime ") != NULL);
	CHECK(strstr(buf, "\nprocesses ") != NULL);
	/* a seek and a partial read serve from the same text */
	int fd = CHECK_OK(open("/proc/self/status", O_RDONLY));
	char a[8] = {0};
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(read(fd, a, 4), 4);
	CHECK_STR(a, "me:\t");
	close(fd);
}

/* Another user may not follow a root process's magic links nor read its
 * environment; its own are fine. (Only when we are root.) */
TEST(other_user)
{
	if (getuid() != 0)
		return;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		char path[64], link[256];
		snprintf(path, sizeof(path), "/proc/%d/cwd", parent);
		if (readlink(path, link, sizeof(link)) >= 0 || errno != EACCES)
			_exit(3);
		snprintf(path, sizeof(path), "/proc/%d/exe", parent);
		if (readlink(path, link, sizeof(link)) >= 0 || errno != EACCES)
			_exit(4);
		snprintf(path, sizeof(path), "/proc/%d/environ", parent);
		if (open(path, O_RDONLY) >= 0 || errno != EACCES)
			_exit(5);
		if (readlink("/proc/self/cwd", link, sizeof(link)) < 0)
			_exit(6);
		snprintf(path, sizeof(path), "/proc/%d/status", parent);
		int fd = open(path, O_RDONLY); /* status is for everyone */
		_exit(fd >= 0 ? 0 : 7);
	}
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK(WIFEXITED(ws));
	CHECK_EQ(WEXITSTATUS(ws), 0);
}

TEST(stdin_pipe)
{
	int p[2];
	CHECK_OK(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		char b[16] = {0};
		int fd = open("/dev/stdin", O_RDONLY);
		if (fd < 0)
			_exit(2);
		if (read(fd, b, sizeof(b) - 1) != 5 || strcmp(b, "hello") != 0)
			_exit(3);
		_exit(0);
	}
	close(p[0]);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	close(p[1]);
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK(WIFEXITED(ws));
	CHECK_EQ(WEXITSTATUS(ws), 0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 1) {
		char *nargv[] = {argv[0], "one", "", "three words", NULL};
		execv("/proc/self/exe", nargv);
		perror("execv /proc/self/exe");
		return 2;
	}
	g_argc = argc;
	g_argv = argv;
	RUN(cmdline_exact);
	RUN(cmdline_title);
	RUN(auxv);
	RUN(mem);
	RUN(std_fds);
	RUN(maps_mmap);
	RUN(child_stat);
	RUN(threads);
	RUN(writable);
	RUN(sys_and_misc);
	RUN(other_user);
	RUN(stdin_pipe);
	return done();
}
