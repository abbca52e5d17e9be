/* Device files: /dev/null, /dev/zero, /dev/full, /dev/urandom, /dev/random,
 * /dev/fd/N and /dev/std*, /dev/tty without a terminal. */
#include "harness.h"
#include <poll.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

TEST(null)
{
	int fd = CHECK_OK(open("/dev/null", O_RDWR));
	char buf[64];
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(write(fd, buf, sizeof(buf)), sizeof(buf));
	static char big[1 << 20];
	CHECK_EQ(write(fd, big, sizeof(big)), sizeof(big));
	CHECK_EQ(lseek(fd, 100, SEEK_SET), 0); /* seeking /dev/null always gives 0 */
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 3);
	CHECK_EQ(st.st_mode & 0777, 0666);
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN | POLLOUT);
	close(fd);
	CHECK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode));
}

TEST(zero)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDWR));
	char buf[8192];
	memset(buf, 0x5a, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), sizeof(buf));
	int zero = 1;
	for (unsigned i = 0; i < sizeof(buf); i++)
		zero &= buf[i] == 0;
	CHECK(zero);
	CHECK_EQ(write(fd, "abc", 3), 3);
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 5);
	/* a private mapping of /dev/zero is anonymous zeroed memory */
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[100], 0);
	m[100] = 1;
	CHECK_EQ(m[100], 1);
	munmap(m, 8192);
	/* a shared one is shared anonymous memory */
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], 0);
	munmap(m, 4096);
	close(fd);
	CHECK_ERR(read(fd, buf, 1), EBADF);
}

TEST(full)
{
	int fd = CHECK_OK(open("/dev/full", O_RDWR));
	CHECK_ERR(write(fd, "x", 1), ENOSPC);
	char buf[16];
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), sizeof(buf));
	CHECK_EQ(buf[0], 0);
	CHECK_EQ(buf[15], 0);
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(major(st.st_rdev), 1);
	CHECK_EQ(minor(st.st_rdev), 7);
	close(fd);
	/* stdio reports the error on flush */
	FILE *f = fopen("/dev/full", "w");
	CHECK(f != NULL);
	if (f) {
		fputs("hello", f);
		CHECK(fflush(f) == EOF && errno == ENOSPC);
		fclose(f);
	}
}

TEST(random)
{
	const char *names[] = {"/dev/urandom", "/dev/random"};
	for (int k = 0; k < 2; k++) {
		int fd = CHECK_OK(open(names[k], O_RDONLY));
		unsigned char a[256], b[256];
		CHECK_EQ(read(fd, a, sizeof(a)), sizeof(a));
		CHECK_EQ(read(fd, b, sizeof(b)), sizeof(b));
		CHECK(memcmp(a, b, sizeof(a)) != 0);
		int counts[256] = {0}, distinct = 0;
		for (unsigned i = 0; i < sizeof(a); i++)
			counts[a[i]]++;
		for (int i = 0; i < 256; i++)
			distinct += counts[i] > 0;
		CHECK(distinct > 100);
		struct stat st;
		CHECK_OK(fstat(fd, &st));
		CHECK(S_ISCHR(st.st_mode));
		CHECK_EQ(major(st.st_rdev), 1);
		CHECK_EQ(minor(st.st_rdev), k == 0 ? 9 : 8);
		static unsigned char big[1 << 16];
		CHECK(read(fd, big, sizeof(big)) > 0); /* large reads may be short */
		close(fd);
	}
	/* writing to urandom is allowed (adds entropy) */
	int fd = CHECK_OK(open("/dev/urandom", O_WRONLY));
	CHECK_EQ(write(fd, "seed", 4), 4);
	close(fd);
}

TEST(dev_fd)
{
	const char *path = scratch_path("devfd");
	int fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0644));
	CHECK_EQ(write(fd, "through-dev-fd", 14), 14);
	char p[64];
	snprintf(p, sizeof(p), "/dev/fd/%d", fd);
	int g = CHECK_OK(open(p, O_RDONLY));
	char buf[32] = {0};
	CHECK_EQ(read(g, buf, sizeof(buf)), 14);
	CHECK_STR(buf, "through-dev-fd");
	struct stat a, b;
	CHECK_OK(fstat(fd, &a));
	CHECK_OK(fstat(g, &b));
	CHECK_EQ(a.st_ino, b.st_ino);
	close(g);
	/* a pipe reached through /dev/fd */
	int pp[2];
	CHECK_OK(pipe(pp));
	snprintf(p, sizeof(p), "/dev/fd/%d", pp[1]);
	int w = CHECK_OK(open(p, O_WRONLY));
	CHECK_EQ(write(w, "pp", 2), 2);
	CHECK_EQ(read(pp[0], buf, sizeof(buf)), 2);
	close(w);
	close(pp[0]);
	close(pp[1]);
	CHECK_ERR(open(p, O_WRONLY), ENOENT);
	close(fd);
	/* /dev/fd itself and /dev/stdin... are links into /proc/self/fd */
	char link[64] = {0};
	CHECK(readlink("/dev/fd", link, sizeof(link) - 1) > 0);
	CHECK_STR(link, "/proc/self/fd");
	memset(link, 0, sizeof(link));
	CHECK(readlink("/dev/stdout", link, sizeof(link) - 1) > 0);
	CHECK_STR(link, "/proc/self/fd/1");
}

TEST(tty_and_listing)
{
	/* without a controlling terminal /dev/tty gives ENXIO */
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int fd = open("/dev/tty", O_RDWR);
		_exit(fd < 0 && errno == ENXIO ? 0 : 1);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	const char *must[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
			      "/dev/tty",  "/dev/ptmx", "/dev/shm",  "/dev/pts"};
	for (unsigned i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		struct stat s;
		if (stat(must[i], &s) != 0)
			printf("#   missing %s\n", must[i]);
		CHECK_OK(stat(must[i], &s));
	}
	/* /dev/shm is a writable tmpfs */
	char name[64];
	snprintf(name, sizeof(name), "/dev/shm/cvisor-test-%d", getpid());
	int fd = CHECK_OK(open(name, O_CREAT | O_RDWR | O_EXCL, 0600));
	CHECK_OK(ftruncate(fd, 4096));
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	m[0] = 's';
	char c;
	CHECK_EQ(pread(fd, &c, 1, 0), 1);
	CHECK_EQ(c, 's');
	munmap(m, 4096);
	close(fd);
	CHECK_OK(unlink(name));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(null);
	RUN(zero);
	RUN(full);
	RUN(random);
	RUN(dev_fd);
	RUN(tty_and_listing);
	return done();
}
