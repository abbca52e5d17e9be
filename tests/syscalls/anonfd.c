/* Anonymous files: eventfd (counter and semaphore modes), memfd_create with
 * seals, inotify events, and epoll over them. */
#include "harness.h"
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/wait.h>

TEST(eventfd_counter)
{
	int fd = CHECK_OK(eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	uint64_t v = 0;
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 3);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	v = 5;
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 10);
	CHECK_ERR(read(fd, &v, 4), EINVAL);
	CHECK_ERR(write(fd, &v, 4), EINVAL);
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, sizeof(v)), EINVAL);
	v = UINT64_MAX - 1; /* the largest value fits once */
	CHECK_EQ(write(fd, &v, sizeof(v)), 8);
	v = 1;
	CHECK_ERR(write(fd, &v, sizeof(v)), EAGAIN);
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLIN);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	p.revents = 0;
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK_EQ(p.revents, POLLOUT);
	close(fd);

	/* semaphore mode: each read takes one */
	fd = CHECK_OK(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 1);
	CHECK_ERR(read(fd, &v, sizeof(v)), EAGAIN);
	close(fd);

	/* a blocking read woken by another process */
	fd = CHECK_OK(eventfd(0, 0));
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		uint64_t one = 7;
		_exit(write(fd, &one, sizeof(one)) == 8 ? 0 : 1);
	}
	CHECK_EQ(read(fd, &v, sizeof(v)), 8);
	CHECK_EQ(v, 7);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	close(fd);
	CHECK_ERR(eventfd(0, 0x12345), EINVAL);
}

TEST(memfd)
{
	int fd = CHECK_OK(memfd_create("cvisor-test", MFD_CLOEXEC | MFD_ALLOW_SEALING));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(write(fd, "memfd data", 10), 10);
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 10);
	char link[128] = {0}, path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK(readlink(path, link, sizeof(link) - 1) > 0);
	CHECK(strncmp(link, "/memfd:cvisor-test", 18) == 0);
	/* shared mapping and the fd see the same bytes */
	CHECK_OK(ftruncate(fd, 8192));
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	CHECK(memcmp(m, "memfd data", 10) == 0);
	memcpy(m + 4096, "page2", 5);
	char buf[8] = {0};
	CHECK_EQ(pread(fd, buf, 5, 4096), 5);
	CHECK_STR(buf, "page2");
	munmap(m, 8192);
	/* seals */
	CHECK_EQ(fcntl(fd, F_GET_SEALS), 0);
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW);
	CHECK_ERR(ftruncate(fd, 100), EPERM);
	CHECK_ERR(ftruncate(fd, 100000), EPERM);
	CHECK_EQ(pwrite(fd, "ok", 2, 0), 2); /* writes inside the size are fine */
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK_ERR(pwrite(fd, "no", 2, 0), EPERM);
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EPERM);
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	close(fd);
	/* without MFD_ALLOW_SEALING it is sealed against sealing */
	fd = CHECK_OK(memfd_create("plain", 0));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	close(fd);
	CHECK_ERR(memfd_create("bad", 0x1000), EINVAL);
}

static int read_events(int fd, char *names, size_t n, uint32_t *masks, int max)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len = read(fd, buf, sizeof(buf));
	int count = 0;
	names[0] = 0;
	for (char *p = buf; len > 0 && p < buf + len && count < max;) {
		struct inotify_event *e = (struct inotify_event *)p;
		masks[count++] = e->mask;
		strncat(names, e->len ? e->name : "-", n - strlen(names) - 2);
		strcat(names, " ");
		p += sizeof(*e) + e->len;
	}
	return count;
}

TEST(inotify)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
	const char *dir = scratch_path("watched");
	CHECK_OK(mkdir(dir, 0755));
	int wd = CHECK_OK(inotify_add_watch(in, dir,
					    IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM |
						IN_MOVED_TO | IN_CLOSE_WRITE));
	char ev[512];
	uint32_t masks[16];
	CHECK_ERR(read(in, ev, sizeof(ev)), EAGAIN);
	char f[600];
	snprintf(f, sizeof(f), "%s/a", dir);
	int fd = CHECK_OK(open(f, O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(write(fd, "x", 1), 1);
	close(fd);
	char g[600];
	snprintf(g, sizeof(g), "%s/b", dir);
	CHECK_OK(rename(f, g));
	CHECK_OK(unlink(g));
	struct pollfd p = {in, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 1000), 1);
	int n = read_events(in, ev, sizeof(ev), masks, 16);
	CHECK_EQ(n, 6);
	CHECK_STR(ev, "a a a a b b ");
	if (n == 6) {
		CHECK(masks[0] & IN_CREATE);
		CHECK(masks[1] & IN_MODIFY);
		CHECK(masks[2] & IN_CLOSE_WRITE);
		CHECK(masks[3] & IN_MOVED_FROM);
		CHECK(masks[4] & IN_MOVED_TO);
		CHECK(masks[5] & IN_DELETE);
	}
	/* removing the watch gives IN_IGNORED */
	CHECK_OK(inotify_rm_watch(in, wd));
	n = read_events(in, ev, sizeof(ev), masks, 16);
	CHECK_EQ(n, 1);
	CHECK(masks[0] & IN_IGNORED);
	CHECK_ERR(inotify_rm_watch(in, wd), EINVAL);
	CHECK_ERR(inotify_add_watch(in, scratch_path("nope"), IN_ALL_EVENTS), ENOENT);
	close(in);
}

TEST(epoll_mix)
{
	int ep = CHECK_OK(epoll_create1(0));
	int e1 = eventfd(0, EFD_NONBLOCK), e2 = eventfd(0, EFD_NONBLOCK);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, e1, &ev));
	ev.data.u32 = 2;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, e2, &ev));
	/* an epoll fd inside another epoll */
	int outer = CHECK_OK(epoll_create1(0));
	ev.data.u32 = 99;
	CHECK_OK(epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev));
	struct epoll_event out[4];
	CHECK_EQ(epoll_wait(outer, out, 4, 0), 0);
	uint64_t v = 1;
	CHECK_EQ(write(e2, &v, 8), 8);
	CHECK_EQ(epoll_wait(outer, out, 4, 1000), 1);
	CHECK_EQ(out[0].data.u32, 99);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 1);
	CHECK_EQ(out[0].data.u32, 2);
	CHECK_EQ(write(e1, &v, 8), 8);
	CHECK_EQ(epoll_wait(ep, out, 4, 0), 2);
	close(outer);
	close(ep);
	close(e1);
	close(e2);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(eventfd_counter);
	RUN(memfd);
	RUN(inotify);
	RUN(epoll_mix);
	return done();
}
