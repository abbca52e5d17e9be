/* inject_probe PID CALL [ARGS]: makes process PID run one system call it did not
 * choose, the way an attacker who took it over would: PTRACE_SEIZE, stop it
 * with PTRACE_INTERRUPT, point it at a "syscall" instruction with our
 * registers, let it run to the call's end, put everything back, detach.
 * CALL is one of: getpid, openat (AT_FDCWD, "/etc/passwd"), open
 * ("/etc/passwd"), execve ("/bin/true"), socket (AF_INET, SOCK_STREAM),
 * openw DIRFD PATH (openat(DIRFD, PATH, O_WRONLY): opening for writing
 * changes nothing in the file).
 * Prints "ret N" (the call returned N, a -errno on failure) or "killed SIG"
 * (the process died of SIG before the call returned). Exit status 0 when
 * one of those was seen, 1 when the probe itself could not work. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t pid;

static int fail(const char *what)
{
	fprintf(stderr, "inject_probe: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Reads or writes the target's memory through /proc/PID/mem. */
static int mem_io(uint64_t addr, void *buf, size_t len, int write)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static int poke(uint64_t addr, const void *buf, size_t len)
{
	return mem_io(addr, (void *)buf, len, 1);
}

static int peek(uint64_t addr, void *buf, size_t len)
{
	return mem_io(addr, buf, len, 0);
}

/* A "syscall" instruction: the one the target was stopped after, else
 * the first in its vDSO. */
static uint64_t find_syscall_insn(const struct user_regs_struct *r)
{
	unsigned char b[2];
	if (r->rip >= 2 && peek(r->rip - 2, b, 2) == 0 && b[0] == 0x0f && b[1] == 0x05)
		return r->rip - 2;
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	unsigned long lo = 0, hi = 0;
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	if (f)
		fclose(f);
	unsigned char page[8192];
	if (!lo || hi - lo > sizeof(page) || peek(lo, page, hi - lo) < 0)
		return 0;
	for (unsigned long i = 0; i + 1 < hi - lo; i++)
		if (page[i] == 0x0f && page[i + 1] == 0x05)
			return lo + i;
	return 0;
}

/* Is SIGSYS (what a seccomp kill sends) pending for the target? */
static int fatal_signal_pending(void)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	int found = 0;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long mask;
		if ((sscanf(line, "SigPnd: %llx", &mask) == 1 ||
		     sscanf(line, "ShdPnd: %llx", &mask) == 1) &&
		    (mask & (1ULL << (SIGSYS - 1))))
			found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

/* Waits for the next stop or the end of the target. 1: stopped, 0: gone
 * (reported), -1: error. */
static int next_stop(int *st)
{
	if (waitpid(pid, st, __WALL) != pid)
		return -1;
	if (WIFSIGNALED(*st)) {
		printf("killed %d\n", WTERMSIG(*st));
		return 0;
	}
	if (WIFEXITED(*st)) {
		printf("exited %d\n", WEXITSTATUS(*st));
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 5 && !strcmp(argv[2], "openw")) &&
	    !(argc == 4 && !strcmp(argv[2], "kill"))) {
		fprintf(stderr, "usage: inject_probe PID getpid|openat|open|execve|socket\n"
				"       inject_probe PID openw DIRFD PATH\n"
				"       inject_probe PID kill TARGET (signal 0)\n");
		return 2;
	}
	pid = atoi(argv[1]);
	const char *call = argv[2];
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD) < 0)
		return fail("PTRACE_SEIZE");
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
		return fail("PTRACE_INTERRUPT");
	int st, r;
	if ((r = next_stop(&st)) <= 0)
		return r < 0 ? fail("wait for the stop") : 0;
	struct user_regs_struct saved, regs;
	if (ptrace(PTRACE_GETREGS, pid, 0, &saved) < 0)
		return fail("PTRACE_GETREGS");
	uint64_t insn = find_syscall_insn(&saved);
	if (!insn) {
		errno = ENOENT;
		return fail("find a syscall instruction");
	}
	/* the strings go well below the stack pointer (past the red zone) */
	uint64_t str = (saved.rsp - 8192) & ~15UL;
	const char *passwd = argc == 5 ? argv[4] : "/etc/passwd", truebin[] = "/bin/true";
	uint64_t argvp[2] = {str + 64, 0};
	regs = saved;
	regs.orig_rax = (uint64_t)-1; /* no restart of the interrupted call */
	regs.rip = insn;
	regs.rdi = regs.rsi = regs.rdx = regs.r10 = regs.r8 = regs.r9 = 0;
	if (!strcmp(call, "getpid")) {
		regs.rax = SYS_getpid;
	} else if (!strcmp(call, "openat")) {
		regs.rax = SYS_openat;
		regs.rdi = (uint64_t)AT_FDCWD;
		regs.rsi = str;
		regs.rdx = O_RDONLY;
	} else if (!strcmp(call, "openw")) {
		regs.rax = SYS_openat;
		regs.rdi = (uint64_t)atoi(argv[3]);
		regs.rsi = str;
		regs.rdx = O_WRONLY;
	} else if (!strcmp(call, "open")) {
		regs.rax = SYS_open;
		regs.rdi = str;
		regs.rsi = O_RDONLY;
	} else if (!strcmp(call, "execve")) {
		regs.rax = SYS_execve;
		regs.rdi = str + 64;
		regs.rsi = str + 128;
		regs.rdx = 0;
	} else if (!strcmp(call, "kill")) {
		regs.rax = SYS_kill;
		regs.rdi = (uint64_t)atoi(argv[3]);
		regs.rsi = 0;
	} else if (!strcmp(call, "socket")) {
		regs.rax = SYS_socket;
		regs.rdi = AF_INET;
		regs.rsi = SOCK_STREAM;
	} else {
		fprintf(stderr, "inject_probe: unknown call `%s`\n", call);
		return 2;
	}
	if (strlen(passwd) >= 64) {
		fprintf(stderr, "inject_probe: path too long\n");
		return 2;
	}
	if (poke(str, passwd, strlen(passwd) + 1) < 0 ||
	    poke(str + 64, truebin, sizeof(truebin)) < 0 ||
	    poke(str + 128, argvp, sizeof(argvp)) < 0)
		return fail("write the arguments");
	if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0)
		return fail("PTRACE_SETREGS");
	/* to the call's entry, then to its exit (a filter acts in between) */
	for (int stops = 0; stops < 2;) {
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0)
			return fail("PTRACE_SYSCALL");
		if ((r = next_stop(&st)) <= 0)
			return r < 0 ? fail("wait for the call") : 0;
		if (WSTOPSIG(st) == (SIGTRAP | 0x80))
			stops++;
	}
	/* A seccomp kill is a signal queued before this stop: let it land. */
	if (fatal_signal_pending()) {
		ptrace(PTRACE_CONT, pid, 0, 0);
		while ((r = next_stop(&st)) > 0)
			ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(st));
		return r < 0 ? fail("wait for the end") : 0;
	}
	if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		return fail("PTRACE_GETREGS after the call");
	printf("ret %lld\n", (long long)regs.rax);
	if (!strcmp(call, "execve") && (long long)regs.rax == 0)
		return 0; /* a new program: nothing to put back */
	/* Put back what it was doing; an interrupted call is made again. */
	long err = (long)saved.rax;
	if ((long)saved.orig_rax >= 0 && (err == -512 || err == -513 || err == -514)) {
		saved.rax = saved.orig_rax;
		saved.rip -= 2;
	} else if ((long)saved.orig_rax >= 0 && err == -516) {
		saved.rax = SYS_restart_syscall;
		saved.rip -= 2;
	}
	saved.orig_rax = (uint64_t)-1;
	if (ptrace(PTRACE_SETREGS, pid, 0, &saved) < 0)
		return fail("restore the registers");
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return 0;
}
