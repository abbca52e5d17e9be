/* Micro-benchmarks of system call paths, one per mode:
 *
 *   micro MODE [SECONDS]
 *
 * Runs MODE's operation in a loop for about SECONDS (default 0.5) of wall time
 * after a short warm-up and prints one line: "MODE NS ns/op ITERS iterations".
 * Modes: getppid, devnull (write 1 byte to /dev/null), pipe (ping-pong of one
 * byte between two processes: one round trip per op), pipe1 (the same with
 * both processes pinned to one CPU by sched_setaffinity), fork (fork + _exit +
 * wait), forkexec (fork + exec /bin/true + wait), mmap (mmap + touch + munmap
 * of 1 MiB), open (open + close of a root file), stat (stat of a root file).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *root_file = "/etc/hostname";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void op_getppid(long n)
{
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid); /* never cached by libc */
}

static int null_fd = -1;
static void op_devnull(long n)
{
	char c = 'x';
	for (long i = 0; i < n; i++)
		if (write(null_fd, &c, 1) != 1)
			die("write /dev/null");
}

static int ping[2], pong[2];
static void op_pipe(long n)
{
	char c = 'p';
	for (long i = 0; i < n; i++) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			die("pipe ping-pong");
	}
}

static void pin_here(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();
	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void pipe_setup(void)
{
	if (pipe(ping) || pipe(pong))
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char c;
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
}

static void op_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		int st;
		if (waitpid(pid, &st, 0) != pid)
			die("waitpid");
	}
}

static void op_forkexec(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("exec /bin/true");
	}
}

static void op_mmap(long n)
{
	size_t len = 1 << 20;
	for (long i = 0; i < n; i++) {
		char *p =
		    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		p[0] = 1; /* one page fault */
		if (munmap(p, len))
			die("munmap");
	}
}

static void op_open(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(root_file, O_RDONLY);
		if (fd < 0)
			die("open");
		close(fd);
	}
}

static void op_stat(long n)
{
	struct stat st;
	for (long i = 0; i < n; i++)
		if (stat(root_file, &st))
			die("stat");
}

static const struct {
	const char *name;
	void (*op)(long);
	long batch; /* iterations between clock reads */
} modes[] = {
    /* clang-format off */
	{"getppid", op_getppid, 256},
	{"devnull", op_devnull, 256},
	{"pipe", op_pipe, 32},
	{"pipe1", op_pipe, 32},
	{"fork", op_fork, 1},
	{"forkexec", op_forkexec, 1},
	{"mmap", op_mmap, 16},
	{"open", op_open, 64},
	{"stat", op_stat, 64},
    /* clang-format on */
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s MODE [SECONDS]\nmodes:", argv[0]);
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			fprintf(stderr, " %s", modes[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	double secs = argc > 2 ? atof(argv[2]) : 0.5;
	if (access(root_file, R_OK))
		root_file = "/etc/passwd";
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		if (modes[i].op == op_devnull && (null_fd = open("/dev/null", O_WRONLY)) < 0)
			die("open /dev/null");
		if (!strcmp(modes[i].name, "pipe1"))
			pin_here(); /* before the fork: the child inherits it */
		if (modes[i].op == op_pipe)
			pipe_setup();
		long b = modes[i].batch;
		modes[i].op(b); /* warm-up */
		long iters = 0;
		double t0 = now(), t;
		do {
			modes[i].op(b);
			iters += b;
			t = now();
		} while (t - t0 < secs);
		printf("%s %.1f ns/op %ld iterations\n", argv[1], (t - t0) * 1e9 / iters, iters);
		return 0;
	}
	fprintf(stderr, "unknown mode `%s`\n", argv[1]);
	return 2;
}
