/* Memory: anonymous private/shared mappings, file mappings (read and
 * MAP_SHARED write-back), MAP_FIXED, munmap holes, mprotect faults, mremap,
 * brk, madvise(DONTNEED), mincore, msync and /proc/self/maps. */
#include "harness.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long page;
static sigjmp_buf jb;
static volatile int faulted;
static volatile void *fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	faulted = sig;
	fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* Does a write (or read) of *p fault? */
static int faults_on(volatile char *p, int write)
{
	faulted = 0;
	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	return faulted;
}

static int in_maps(void *addr, const char *want_perms)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return 0;
	char line[512];
	int found = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			found = !want_perms || strncmp(perms, want_perms, 4) == 0;
			if (!found)
				printf("#   maps: %s", line);
		}
	}
	fclose(f);
	return found;
}

TEST(anon)
{
	size_t n = 16 * page;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ((uintptr_t)p % page, 0);
	int zero = 1;
	for (size_t i = 0; i < n; i++)
		zero &= p[i] == 0;
	CHECK(zero);
	memset(p, 0xaa, n);
	CHECK_EQ((unsigned char)p[n - 1], 0xaa);

	/* private: a child's writes stay in the child */
	pid_t pid = fork();
	if (pid == 0) {
		p[0] = 1;
		_exit(p[0] == 1 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ((unsigned char)p[0], 0xaa);
	CHECK_OK(munmap(p, n));

	/* shared anonymous: the child's write is seen */
	int *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(s != MAP_FAILED);
	pid = fork();
	if (pid == 0) {
		s[10] = 4242;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK_EQ(s[10], 4242);
	CHECK_OK(munmap(s, page));

	/* errors */
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, page, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
	CHECK(mmap((void *)1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		  MAP_FAILED &&
	      errno == EINVAL);
	CHECK_ERR(munmap((void *)((uintptr_t)p + 1), page), EINVAL);
	CHECK_OK(munmap(p, n)); /* unmapping nothing is fine */

	/* a big sparse mapping costs nothing until touched */
	size_t big = (size_t)1 << 32;
	char *b = mmap(NULL, big, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(b != MAP_FAILED);
	b[0] = 1;
	b[big - 1] = 2;
	b[big / 2] = 3;
	CHECK(b[0] + b[big - 1] + b[big / 2] == 6);
	CHECK_OK(munmap(b, big));
}

TEST(file_mappings)
{
	const char *path = scratch_path("map");
	int fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0644));
	size_t n = 3 * page;
	char *buf = malloc(n);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	CHECK_EQ(write(fd, buf, n), n);

	/* read mapping matches the file, at an offset too */
	char *r = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(r != MAP_FAILED);
	CHECK(memcmp(r, buf, n) == 0);
	char *o = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, page);
	CHECK(o != MAP_FAILED);
	CHECK(memcmp(o, buf + page, page) == 0);
	CHECK(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && errno == EINVAL);
	CHECK_OK(munmap(o, page));

	/* MAP_SHARED writes reach read() and other mappings */
	char *w = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(w != MAP_FAILED);
	memcpy(w + 100, "SHARED", 6);
	char got[8] = {0};
	CHECK_EQ(pread(fd, got, 6, 100), 6);
	CHECK_STR(got, "SHARED");
	CHECK_OK(msync(w, n, MS_SYNC));
	/* write() shows in the shared mapping */
	CHECK_EQ(pwrite(fd, "WRITE", 5, page + 7), 5);
	CHECK(memcmp(w + page + 7, "WRITE", 5) == 0);
	/* a private mapping's writes do not reach the file */
	char *pv = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(pv != MAP_FAILED);
	pv[200] = '#';
	CHECK_EQ(pread(fd, got, 1, 200), 1);
	CHECK(got[0] != '#');
	/* a shared write from a child is seen by the parent via read() */
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(w + 2 * page, "CHILD", 5);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	CHECK_EQ(pread(fd, got, 5, 2 * page), 5);
	CHECK(memcmp(got, "CHILD", 5) == 0);
	CHECK_OK(munmap(w, n));
	CHECK_OK(munmap(pv, n));
	CHECK_OK(munmap(r, n));
	close(fd);
	/* the mapping outlives the fd */
	fd = CHECK_OK(open(path, O_RDONLY));
	r = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	CHECK(r != MAP_FAILED);
	CHECK(memcmp(r + 100, "SHARED", 6) == 0);
	CHECK(in_maps(r, "r--s"));
	CHECK_OK(munmap(r, n));
	/* a writable shared mapping of a read-only fd is refused */
	fd = CHECK_OK(open(path, O_RDONLY));
	CHECK(mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EACCES);
	close(fd);

	/* a mapping of a host root file */
	fd = CHECK_OK(open("/bin/sh", O_RDONLY));
	unsigned char *e = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(e != MAP_FAILED);
	CHECK(memcmp(e,
		     "\x7f"
		     "ELF",
		     4) == 0);
	munmap(e, page);
	close(fd);
	free(buf);
}

TEST(fixed_and_holes)
{
	size_t n = 8 * page;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 'x', n);
	/* MAP_FIXED over the middle replaces those pages with zeros */
	char *q = mmap(p + 2 * page, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 2 * page);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(p[page], 'x');
	CHECK_EQ(p[4 * page], 'x');
	/* MAP_FIXED_NOREPLACE on an existing mapping fails */
	CHECK(mmap(p, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
		  MAP_FAILED &&
	      errno == EEXIST);

	/* punch a hole: the hole faults, the neighbours do not */
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
	CHECK_OK(munmap(p + 5 * page, page));
	CHECK(faults_on(p + 5 * page, 0) == SIGSEGV);
	CHECK(fault_addr == p + 5 * page);
	CHECK(!faults_on(p + 4 * page + page - 1, 1));
	CHECK(!faults_on(p + 6 * page, 1));
	CHECK(!in_maps(p + 5 * page, NULL));
	CHECK(in_maps(p + 6 * page, "rw-p"));
	/* a hint address that is free is honoured by MAP_FIXED */
	char *h =
	    mmap(p + 5 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(h == p + 5 * page);
	CHECK(!faults_on(h, 0));
	CHECK(faults_on(h, 1) == SIGSEGV);
	CHECK_OK(munmap(p, n));
	CHECK(faults_on(p, 0) == SIGSEGV);
	signal(SIGSEGV, SIG_DFL);
}

TEST(mprotect)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
	char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	p[page] = 'k';
	CHECK_OK(mprotect(p + page, page, PROT_READ));
	CHECK(faults_on(p + page, 1) == SIGSEGV);
	CHECK(fault_addr == p + page);
	CHECK_EQ(p[page], 'k');
	CHECK(!faults_on(p, 1));
	CHECK(!faults_on(p + 2 * page, 1));
	CHECK(in_maps(p + page, "r--p"));
	CHECK(in_maps(p, "rw-p"));
	CHECK_OK(mprotect(p + page, page, PROT_NONE));
	CHECK(faults_on(p + page, 0) == SIGSEGV);
	CHECK(in_maps(p + page, "---p"));
	CHECK_OK(mprotect(p + page, page, PROT_READ | PROT_WRITE));
	CHECK(!faults_on(p + page, 1));
	CHECK_ERR(mprotect(p + 1, page, PROT_READ), EINVAL);
	CHECK_OK(munmap(p, 4 * page));
	CHECK_ERR(mprotect(p, page, PROT_READ), ENOMEM);

	/* executable code in an anonymous mapping: mov $42,%eax; ret */
	unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};
	unsigned char *x =
	    mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(x, code, sizeof(code));
	CHECK_OK(mprotect(x, page, PROT_READ | PROT_EXEC));
	int (*fn)(void) = (int (*)(void))x;
	CHECK_EQ(fn(), 42);
	CHECK(in_maps(x, "r-xp"));
	munmap(x, page);

	/* a read-only file mapping refuses PROT_WRITE when shared */
	int fd = CHECK_OK(open("/etc/passwd", O_RDONLY));
	char *f = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(f != MAP_FAILED);
	CHECK_ERR(mprotect(f, page, PROT_READ | PROT_WRITE), EACCES);
	munmap(f, page);
	close(fd);
	signal(SIGSEGV, SIG_DFL);
}

TEST(mremap)
{
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 'm', 2 * page);
	/* grow, allowed to move */
	char *q = mremap(p, 2 * page, 64 * page, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	CHECK_EQ(q[0], 'm');
	CHECK_EQ(q[2 * page - 1], 'm');
	CHECK_EQ(q[2 * page], 0);
	q[64 * page - 1] = 'e';
	/* shrink in place */
	char *s = mremap(q, 64 * page, page, 0);
	CHECK(s == q);
	CHECK_EQ(s[0], 'm');
	/* move to a fixed place */
	char *dst = mmap(NULL, 4 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = mremap(s, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, dst + page);
	CHECK(m == dst + page);
	CHECK_EQ(m[0], 'm');
	CHECK(!in_maps(s, NULL) || s == dst + page);
	CHECK(mremap(m, page, 2 * page, MREMAP_FIXED, dst) == MAP_FAILED && errno == EINVAL);
	munmap(dst, 4 * page);

	/* growing in place fails when the next page is taken */
	char *a = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_OK(munmap(a + page, page));
	char *blk =
	    mmap(a + 2 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(blk == a + 2 * page);
	CHECK(mremap(a, page, 2 * page, 0) != MAP_FAILED); /* the hole fits one page */
	CHECK(mremap(a, 2 * page, 3 * page, 0) == MAP_FAILED && errno == ENOMEM);
	munmap(a, 3 * page);

	/* a shared file mapping moved keeps the file contents */
	int fd = CHECK_OK(open(scratch_path("remap"), O_CREAT | O_RDWR, 0644));
	CHECK_OK(ftruncate(fd, 4 * page));
	char *f = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	f[0] = 'F';
	char *g = mremap(f, page, 4 * page, MREMAP_MAYMOVE);
	CHECK(g != MAP_FAILED);
	CHECK_EQ(g[0], 'F');
	g[3 * page] = 'G';
	char c;
	CHECK_EQ(pread(fd, &c, 1, 3 * page), 1);
	CHECK_EQ(c, 'G');
	munmap(g, 4 * page);
	close(fd);
}

TEST(brk)
{
	void *cur = (void *)syscall(SYS_brk, 0);
	CHECK(cur != NULL);
	char *want = (char *)cur + 16 * page;
	void *got = (void *)syscall(SYS_brk, want);
	CHECK(got == want);
	memset(cur, 'b', 16 * page);
	CHECK_EQ(want[-1], 'b');
	/* shrink, grow again: the pages come back zeroed */
	CHECK((void *)syscall(SYS_brk, cur) == cur);
	CHECK((void *)syscall(SYS_brk, want) == want);
	CHECK_EQ(((char *)cur)[page], 0);
	CHECK((void *)syscall(SYS_brk, cur) == cur);
	/* a brk below the start is refused: the break stays */
	CHECK((void *)syscall(SYS_brk, (void *)page) == cur);
	/* sbrk through libc */
	void *s0 = sbrk(0);
	CHECK(sbrk(page) == s0);
	CHECK((char *)sbrk(0) == (char *)s0 + page);
	CHECK(sbrk(-page) != (void *)-1);
}

TEST(madvise_mincore)
{
	size_t n = 4 * page;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[4];
	CHECK_OK(mincore(p, n, vec));
	memset(p, 'd', 2 * page);
	CHECK_OK(mincore(p, n, vec));
	CHECK(vec[0] & 1);
	CHECK(vec[1] & 1);
	CHECK_OK(madvise(p, n, MADV_DONTNEED));
	CHECK_EQ(p[0], 0);
	CHECK_EQ(p[page + 5], 0);
	CHECK_OK(madvise(p, n, MADV_WILLNEED));
	CHECK_OK(madvise(p, n, MADV_SEQUENTIAL));
	CHECK_ERR(madvise(p + 1, page, MADV_DONTNEED), EINVAL);
	CHECK_ERR(mincore(p + 1, page, vec), EINVAL);
	CHECK_OK(munmap(p, n));
	CHECK_ERR(mincore(p, page, vec), ENOMEM);

	/* DONTNEED on a shared mapping keeps the data */
	int *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 77;
	CHECK_OK(madvise(s, page, MADV_DONTNEED));
	CHECK_EQ(s[0], 77);
	munmap(s, page);
}

TEST(proc_maps)
{
	char *p = mmap(NULL, 3 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(in_maps(p, "r--p"));
	CHECK(in_maps(p + 2 * page, "r--p"));
	/* the file mapping names its file */
	int fd = CHECK_OK(open(scratch_path("named"), O_CREAT | O_RDWR, 0644));
	CHECK_OK(ftruncate(fd, page));
	char *f = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	FILE *m = fopen("/proc/self/maps", "r");
	CHECK(m != NULL);
	char line[512], want[64];
	snprintf(want, sizeof(want), "%lx-", (unsigned long)f);
	int named = 0, stack = 0, exe = 0;
	while (m && fgets(line, sizeof(line), m)) {
		if (!strncmp(line, want, strlen(want)) && strstr(line, scratch_path("named")))
			named = 1;
		if (strstr(line, "[stack]"))
			stack = 1;
		if (strstr(line, "/mmap") && strstr(line, "r-xp"))
			exe = 1;
	}
	if (m)
		fclose(m);
	CHECK(named);
	CHECK(stack);
	CHECK(exe);
	munmap(f, page);
	munmap(p, 3 * page);
	close(fd);
	CHECK(!in_maps(p, NULL));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	RUN(anon);
	RUN(file_mappings);
	RUN(fixed_and_holes);
	RUN(mprotect);
	RUN(mremap);
	RUN(brk);
	RUN(madvise_mincore);
	RUN(proc_maps);
	return done();
}
