/* Data movement between fds and file locks: sendfile, splice, tee,
 * copy_file_range, flock, fcntl record locks and OFD locks. */
#include "harness.h"
#include <poll.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/wait.h>

static int file_with(const char *name, size_t n)
{
	int fd = open(scratch_path(name), O_CREAT | O_TRUNC | O_RDWR, 0644);
	for (size_t i = 0; fd >= 0 && i < n; i++) {
		char c = (char)('A' + i % 23);
		if (write(fd, &c, 1) != 1)
			return -1;
	}
	return fd;
}

TEST(sendfile)
{
	int src = CHECK_OK(file_with("sf_src", 10000));
	int dst = CHECK_OK(file_with("sf_dst", 0));
	off_t off = 100;
	CHECK_EQ(sendfile(dst, src, &off, 5000), 5000);
	CHECK_EQ(off, 5100);
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 10000); /* with an offset the file's is kept */
	char a[16], b[16];
	CHECK_EQ(pread(dst, a, 16, 0), 16);
	CHECK_EQ(pread(src, b, 16, 100), 16);
	CHECK(memcmp(a, b, 16) == 0);
	/* without an offset: from the current position, which advances */
	CHECK_EQ(lseek(src, 9990, SEEK_SET), 9990);
	CHECK_EQ(sendfile(dst, src, NULL, 100), 10);
	CHECK_EQ(lseek(src, 0, SEEK_CUR), 10000);
	CHECK_EQ(sendfile(dst, src, NULL, 100), 0);
	/* to a pipe */
	int p[2];
	CHECK_OK(pipe(p));
	off = 0;
	CHECK_EQ(sendfile(p[1], src, &off, 10), 10);
	CHECK_EQ(read(p[0], a, 16), 10);
	CHECK(memcmp(a, "ABCDEFGHIJ", 10) == 0);
	CHECK_ERR(sendfile(dst, p[0], NULL, 10), EINVAL);
	close(p[0]);
	close(p[1]);
	close(src);
	close(dst);
}

TEST(splice_tee)
{
	int src = CHECK_OK(file_with("sp_src", 4096));
	int p[2], q[2];
	CHECK_OK(pipe(p));
	CHECK_OK(pipe(q));
	loff_t off = 10;
	CHECK_EQ(splice(src, &off, p[1], NULL, 100, 0), 100);
	CHECK_EQ(off, 110);
	/* tee duplicates without consuming */
	CHECK_EQ(tee(p[0], q[1], 50, 0), 50);
	char a[128], b[128];
	CHECK_EQ(read(q[0], b, sizeof(b)), 50);
	CHECK_EQ(read(p[0], a, sizeof(a)), 100);
	CHECK(memcmp(a, b, 50) == 0);
	/* pipe to file */
	int dst = CHECK_OK(file_with("sp_dst", 0));
	CHECK_EQ(write(p[1], "spliced!", 8), 8);
	loff_t doff = 3;
	CHECK_EQ(splice(p[0], NULL, dst, &doff, 8, 0), 8);
	char c[16] = {0};
	CHECK_EQ(pread(dst, c, 16, 0), 11);
	CHECK(memcmp(c + 3, "spliced!", 8) == 0);
	CHECK_ERR(splice(src, NULL, dst, NULL, 8, 0), EINVAL); /* neither is a pipe */
	CHECK_ERR(tee(p[0], p[1], 1, 0), EINVAL);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(src);
	close(dst);
}

TEST(copy_file_range)
{
	int src = CHECK_OK(file_with("cfr_src", 100000));
	int dst = CHECK_OK(file_with("cfr_dst", 0));
	loff_t in = 1000, out = 0;
	long done = 0, r;
	while (done < 50000 && (r = copy_file_range(src, &in, dst, &out, 50000 - done, 0)) > 0)
		done += r;
	CHECK_EQ(done, 50000);
	CHECK_EQ(in, 51000);
	CHECK_EQ(out, 50000);
	char a[64], b[64];
	CHECK_EQ(pread(src, a, 64, 40000), 64);
	CHECK_EQ(pread(dst, b, 64, 39000), 64);
	CHECK(memcmp(a, b, 64) == 0);
	struct stat st;
	CHECK_OK(fstat(dst, &st));
	CHECK_EQ(st.st_size, 50000);
	CHECK_ERR(copy_file_range(src, NULL, dst, NULL, 10, 1), EINVAL);
	close(src);
	close(dst);
}

static int child_try(const char *path, int how)
{
	/* 0: flock LOCK_EX|LOCK_NB, 1: fcntl F_SETLK write lock on bytes 0-9,
	 * 2: the same on bytes 100-109 */
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		if (fd < 0)
			_exit(9);
		if (how == 0)
			_exit(flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno == EWOULDBLOCK ? 1 : 8);
		struct flock fl = {.l_type = F_WRLCK,
				   .l_whence = SEEK_SET,
				   .l_start = how == 1 ? 0 : 100,
				   .l_len = 10};
		if (fcntl(fd, F_SETLK, &fl) == 0)
			_exit(0);
		_exit(errno == EAGAIN || errno == EACCES ? 1 : 8);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

TEST(locks)
{
	const char *path = scratch_path("lockfile");
	int fd = CHECK_OK(file_with("lockfile", 200));
	CHECK_EQ(child_try(path, 0), 0);
	CHECK_OK(flock(fd, LOCK_EX));
	CHECK_EQ(child_try(path, 0), 1);
	CHECK_OK(flock(fd, LOCK_UN));
	CHECK_EQ(child_try(path, 0), 0);
	CHECK_OK(flock(fd, LOCK_SH));
	CHECK_OK(flock(fd, LOCK_SH | LOCK_NB)); /* again, fine */
	CHECK_OK(flock(fd, LOCK_UN));

	/* POSIX record locks conflict by range across processes */
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 50};
	CHECK_OK(fcntl(fd, F_SETLK, &fl));
	CHECK_EQ(child_try(path, 1), 1);
	CHECK_EQ(child_try(path, 2), 0);
	/* F_GETLK from another process reports the holder */
	pid_t me = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		int f2 = open(path, O_RDWR);
		struct flock q = {
		    .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
		if (fcntl(f2, F_GETLK, &q))
			_exit(2);
		_exit(q.l_type == F_WRLCK && q.l_pid == me && q.l_start == 0 && q.l_len == 50 ? 0
											      : 3);
	}
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* our own F_GETLK sees no conflict with ourselves */
	struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	CHECK_OK(fcntl(fd, F_GETLK, &q));
	CHECK_EQ(q.l_type, F_UNLCK);
	/* closing any fd of the file drops the process's POSIX locks */
	int other = CHECK_OK(open(path, O_RDONLY));
	close(other);
	CHECK_EQ(child_try(path, 1), 0);

	/* OFD locks belong to the open file description */
	struct flock o = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
	CHECK_OK(fcntl(fd, F_OFD_SETLK, &o));
	int fd2 = CHECK_OK(open(path, O_RDWR));
	CHECK_ERR(fcntl(fd2, F_OFD_SETLK, &o), EAGAIN);
	CHECK_EQ(child_try(path, 1), 1);
	o.l_type = F_UNLCK;
	CHECK_OK(fcntl(fd, F_OFD_SETLK, &o));
	o.l_type = F_WRLCK;
	CHECK_OK(fcntl(fd2, F_OFD_SETLK, &o));
	close(fd2);

	/* a blocking F_SETLKW waits for the holder to let go */
	struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
	CHECK_OK(fcntl(fd, F_SETLK, &w));
	int p[2];
	CHECK_OK(pipe(p));
	pid = fork();
	if (pid == 0) {
		int f2 = open(path, O_RDWR);
		struct flock ww = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		char c = 'r';
		(void)!write(p[1], &c, 1);
		if (fcntl(f2, F_SETLKW, &ww))
			_exit(2);
		c = 'g';
		(void)!write(p[1], &c, 1);
		_exit(0);
	}
	char c;
	CHECK_EQ(read(p[0], &c, 1), 1);
	usleep(50000);
	struct pollfd pf = {p[0], POLLIN, 0};
	CHECK_EQ(poll(&pf, 1, 0), 0); /* still waiting */
	w.l_type = F_UNLCK;
	CHECK_OK(fcntl(fd, F_SETLK, &w));
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'g');
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(sendfile);
	RUN(splice_tee);
	RUN(copy_file_range);
	RUN(locks);
	return done();
}
