/* AF_UNIX sockets: socketpairs of each type, path and abstract binds,
 * listen/accept/connect, SCM_RIGHTS and SCM_CREDENTIALS, shutdown,
 * getsockname/getpeername, options and readiness. */
#include "harness.h"
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strncpy(a->sun_path, path, sizeof(a->sun_path) - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	a->sun_path[0] = 0;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

TEST(socketpairs)
{
	int sv[2];
	/* stream: a byte stream, both directions */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ(write(sv[0], "abc", 3), 3);
	CHECK_EQ(write(sv[0], "def", 3), 3);
	char buf[64] = {0};
	usleep(1000);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 6);
	CHECK_STR(buf, "abcdef");
	CHECK_EQ(send(sv[1], "back", 4, 0), 4);
	CHECK_EQ(recv(sv[0], buf, sizeof(buf), 0), 4);
	int type = 0;
	socklen_t len = sizeof(type);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len));
	CHECK_EQ(type, SOCK_STREAM);
	struct stat st;
	CHECK_OK(fstat(sv[0], &st));
	CHECK(S_ISSOCK(st.st_mode));
	/* MSG_PEEK leaves data; MSG_DONTWAIT on empty gives EAGAIN */
	CHECK_EQ(send(sv[0], "peek", 4, 0), 4);
	CHECK_EQ(recv(sv[1], buf, 4, MSG_PEEK), 4);
	CHECK_EQ(recv(sv[1], buf, 4, 0), 4);
	CHECK_ERR(recv(sv[1], buf, 4, MSG_DONTWAIT), EAGAIN);
	close(sv[0]);
	CHECK_EQ(read(sv[1], buf, sizeof(buf)), 0); /* EOF */
	close(sv[1]);

	/* dgram: message boundaries kept, excess truncated */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	CHECK_EQ(send(sv[0], "one", 3, 0), 3);
	CHECK_EQ(send(sv[0], "twotwo", 6, 0), 6);
	CHECK_EQ(send(sv[0], "", 0, 0), 0);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 3);
	CHECK_EQ(recv(sv[1], buf, 2, 0), 2); /* rest of "twotwo" discarded */
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	CHECK_EQ(send(sv[0], "trunc", 5, 0), 5);
	struct iovec iov = {buf, 2};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	CHECK_EQ(recvmsg(sv[1], &mh, 0), 2);
	CHECK(mh.msg_flags & MSG_TRUNC);
	close(sv[0]);
	close(sv[1]);

	/* seqpacket: boundaries and EOF */
	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
	CHECK_EQ(fcntl(sv[0], F_GETFD), FD_CLOEXEC);
	CHECK_EQ(send(sv[0], "p1", 2, 0), 2);
	CHECK_EQ(send(sv[0], "packet2", 7, 0), 7);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 2);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 7);
	close(sv[0]);
	CHECK_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	close(sv[1]);

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	CHECK_ERR(read(sv[0], buf, 1), EAGAIN);
	close(sv[0]);
	close(sv[1]);
	CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EOPNOTSUPP);
	CHECK_ERR(socket(AF_UNIX, 99, 0), EINVAL);
}

TEST(path_listen_accept)
{
	struct sockaddr_un a, got;
	const char *path = scratch_path("sock");
	socklen_t alen = path_addr(&a, path);
	int srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	struct stat st;
	CHECK_OK(stat(path, &st));
	CHECK(S_ISSOCK(st.st_mode));
	int again = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(again, (struct sockaddr *)&a, alen), EADDRINUSE);
	close(again);
	/* connect before listen is refused */
	int early = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(early, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(early);
	CHECK_OK(listen(srv, 8));
	socklen_t gl = sizeof(got);
	CHECK_OK(getsockname(srv, (struct sockaddr *)&got, &gl));
	CHECK_EQ(gl, alen);
	CHECK_STR(got.sun_path, path);

	int cli = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(cli, (struct sockaddr *)&a, alen));
	int conn = CHECK_OK(accept4(srv, (struct sockaddr *)&got, &gl, SOCK_CLOEXEC));
	CHECK_EQ(fcntl(conn, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(gl, sizeof(sa_family_t)); /* the client is unnamed */
	gl = sizeof(got);
	CHECK_OK(getpeername(cli, (struct sockaddr *)&got, &gl));
	CHECK_STR(got.sun_path, path);
	gl = sizeof(got);
	CHECK_OK(getsockname(conn, (struct sockaddr *)&got, &gl));
	CHECK_STR(got.sun_path, path);
	gl = sizeof(got);
	CHECK_ERR(getpeername(srv, (struct sockaddr *)&got, &gl), ENOTCONN);

	CHECK_EQ(write(cli, "ping", 4), 4);
	char buf[16] = {0};
	CHECK_EQ(read(conn, buf, sizeof(buf)), 4);
	CHECK_EQ(write(conn, "pong", 4), 4);
	CHECK_EQ(read(cli, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "pong", 4) == 0);

	/* peer credentials */
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	CHECK_OK(getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &cl));
	CHECK_EQ(cred.pid, getpid());
	CHECK_EQ(cred.uid, getuid());

	/* shutdown: SHUT_WR gives the peer EOF but the other way still works */
	CHECK_OK(shutdown(cli, SHUT_WR));
	CHECK_EQ(read(conn, buf, sizeof(buf)), 0);
	CHECK_EQ(write(conn, "more", 4), 4);
	CHECK_EQ(read(cli, buf, sizeof(buf)), 4);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(cli, "x", 1), EPIPE);
	CHECK_OK(shutdown(conn, SHUT_RDWR));
	CHECK_EQ(read(cli, buf, sizeof(buf)), 0);
	CHECK_ERR(send(conn, "x", 1, MSG_NOSIGNAL), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(cli);
	close(conn);

	/* a client in another process; accept blocks until it comes */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, alen))
			_exit(2);
		char r[8];
		if (write(c, "child", 5) != 5 || read(c, r, sizeof(r)) != 2)
			_exit(3);
		_exit(0);
	}
	conn = CHECK_OK(accept(srv, NULL, NULL));
	CHECK_EQ(read(conn, buf, sizeof(buf)), 5);
	CHECK_EQ(write(conn, "ok", 2), 2);
	cl = sizeof(cred);
	CHECK_OK(getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &cl));
	CHECK_EQ(cred.pid, pid);
	int ws;
	CHECK_EQ(waitpid(pid, &ws, 0), pid);
	CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	close(conn);

	/* non-blocking accept with nobody waiting; poll sees a pending one */
	fcntl(srv, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(srv, NULL, NULL), EAGAIN);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_OK(connect(cli, (struct sockaddr *)&a, alen));
	struct pollfd p = {srv, POLLIN, 0};
	CHECK_EQ(poll(&p, 1, 1000), 1);
	conn = CHECK_OK(accept(srv, NULL, NULL));
	close(conn);
	close(cli);
	close(srv);
	/* the path stays after close; a new bind needs an unlink */
	CHECK_OK(access(path, F_OK));
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(srv, (struct sockaddr *)&a, alen), EADDRINUSE);
	CHECK_OK(unlink(path));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	close(srv);
	/* connecting to a path nobody listens on */
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(cli, (struct sockaddr *)&a, alen), ECONNREFUSED);
	path_addr(&a, scratch_path("nosuch"));
	CHECK_ERR(connect(cli, (struct sockaddr *)&a, alen), ENOENT);
	close(cli);
}

TEST(abstract)
{
	struct sockaddr_un a, got;
	char name[64];
	snprintf(name, sizeof(name), "cvisor-test-%d", getpid());
	socklen_t alen = abstract_addr(&a, name);
	int srv = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(srv, 4));
	int dup = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(bind(dup, (struct sockaddr *)&a, alen), EADDRINUSE);
	close(dup);
	socklen_t gl = sizeof(got);
	CHECK_OK(getsockname(srv, (struct sockaddr *)&got, &gl));
	CHECK_EQ(gl, alen);
	CHECK(got.sun_path[0] == 0 && memcmp(got.sun_path + 1, name, strlen(name)) == 0);
	int cli = CHECK_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	CHECK_OK(connect(cli, (struct sockaddr *)&a, alen));
	int conn = CHECK_OK(accept(srv, NULL, NULL));
	CHECK_EQ(send(cli, "m1", 2, 0), 2);
	CHECK_EQ(send(cli, "m22", 3, 0), 3);
	char buf[8];
	CHECK_EQ(recv(conn, buf, sizeof(buf), 0), 2);
	CHECK_EQ(recv(conn, buf, sizeof(buf), 0), 3);
	close(cli);
	close(conn);
	close(srv);
	/* the name is free again once closed */
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	close(srv);

	/* autobind: binding with just the family picks an abstract name */
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un fam = {.sun_family = AF_UNIX};
	CHECK_OK(bind(s, (struct sockaddr *)&fam, sizeof(sa_family_t)));
	gl = sizeof(got);
	CHECK_OK(getsockname(s, (struct sockaddr *)&got, &gl));
	CHECK_EQ(gl, offsetof(struct sockaddr_un, sun_path) + 6);
	CHECK_EQ(got.sun_path[0], 0);
	close(s);

	/* datagrams to a bound address, with the sender's address */
	struct sockaddr_un ra, sa;
	socklen_t ral = abstract_addr(&ra, "cvisor-test-dgram-r");
	socklen_t sal = abstract_addr(&sa, "cvisor-test-dgram-s");
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), w = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_OK(bind(r, (struct sockaddr *)&ra, ral));
	CHECK_OK(bind(w, (struct sockaddr *)&sa, sal));
	CHECK_EQ(sendto(w, "dg", 2, 0, (struct sockaddr *)&ra, ral), 2);
	struct sockaddr_un from;
	socklen_t fl = sizeof(from);
	CHECK_EQ(recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl), 2);
	CHECK_EQ(fl, sal);
	CHECK(memcmp(from.sun_path, sa.sun_path, sal - offsetof(struct sockaddr_un, sun_path)) ==
	      0);
	close(r);
	CHECK_ERR(sendto(w, "dg", 2, 0, (struct sockaddr *)&ra, ral), ECONNREFUSED);
	close(w);
}

TEST(scm_rights)
{
	int sv[2];
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* pass one end of a pipe and a file */
	int p[2];
	CHECK_OK(pipe(p));
	int f = CHECK_OK(open(scratch_path("passed"), O_CREAT | O_RDWR, 0644));
	CHECK_EQ(write(f, "file!", 5), 5);
	int pass[2] = {p[1], f};
	char cbuf[CMSG_SPACE(sizeof(pass))];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = {"F", 1};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(pass));
	memcpy(CMSG_DATA(c), pass, sizeof(pass));

	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(p[1]);
		close(f);
		char rb[CMSG_SPACE(sizeof(pass))], d;
		struct iovec ri = {&d, 1};
		struct msghdr rm = {.msg_iov = &ri,
				    .msg_iovlen = 1,
				    .msg_control = rb,
				    .msg_controllen = sizeof(rb)};
		if (recvmsg(sv[1], &rm, MSG_CMSG_CLOEXEC) != 1 || d != 'F')
			_exit(2);
		struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
		if (!rc || rc->cmsg_type != SCM_RIGHTS || rc->cmsg_len != CMSG_LEN(sizeof(pass)))
			_exit(3);
		int got[2];
		memcpy(got, CMSG_DATA(rc), sizeof(got));
		if (fcntl(got[0], F_GETFD) != FD_CLOEXEC)
			_exit(4);
		if (write(got[0], "via-fd", 6) != 6)
			_exit(5);
		char fb[8] = {0};
		if (pread(got[1], fb, 5, 0) != 5 || strcmp(fb, "file!"))
			_exit(6);
		/* the offset is shared with the sender's file description */
		if (lseek(got[1], 0, SEEK_CUR) != 5)
			_exit(7);
		_exit(0);
	}
	close(sv[1]);
	CHECK_EQ(sendmsg(sv[0], &mh, 0), 1);
	close(p[1]); /* our copy; the child's received one keeps the pipe open */
	char buf[16] = {0};
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK_STR(buf, "via-fd");
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0); /* all write ends gone */
	close(p[0]);
	close(f);
	close(sv[0]);

	/* SCM_CREDENTIALS with SO_PASSCRED */
	CHECK_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	int on = 1;
	CHECK_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	CHECK_EQ(send(sv[0], "c", 1, 0), 1);
	char cb2[CMSG_SPACE(sizeof(struct ucred))];
	char d;
	struct iovec ri = {&d, 1};
	struct msghdr rm = {
	    .msg_iov = &ri, .msg_iovlen = 1, .msg_control = cb2, .msg_controllen = sizeof(cb2)};
	CHECK_EQ(recvmsg(sv[1], &rm, 0), 1);
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
	CHECK(rc && rc->cmsg_type == SCM_CREDENTIALS);
	if (rc) {
		struct ucred u;
		memcpy(&u, CMSG_DATA(rc), sizeof(u));
		CHECK_EQ(u.pid, getpid());
		CHECK_EQ(u.uid, getuid());
	}
	close(sv[0]);
	close(sv[1]);
}

TEST(options_readiness)
{
	int sv[2];
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	int v = 0;
	socklen_t l = sizeof(v);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &l));
	CHECK(v > 0);
	l = sizeof(v);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &l));
	CHECK_EQ(v, 0);
	l = sizeof(v);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &v, &l));
	CHECK_EQ(v, AF_UNIX);
	struct timeval tv = {0, 50000};
	CHECK_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	char buf[8];
	double t0 = now_sec(CLOCK_MONOTONIC);
	CHECK_ERR(read(sv[0], buf, 1), EAGAIN);
	CHECK(now_sec(CLOCK_MONOTONIC) - t0 >= 0.045);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, 9999, &v, &l), ENOPROTOOPT);

	struct pollfd p[2] = {{sv[0], POLLIN | POLLOUT, 0}, {sv[1], POLLIN, 0}};
	CHECK_EQ(poll(p, 2, 0), 1);
	CHECK_EQ(p[0].revents, POLLOUT);
	CHECK_EQ(write(sv[0], "x", 1), 1);
	int n = 0;
	CHECK_OK(ioctl(sv[1], FIONREAD, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(poll(p, 2, 0), 2);
	CHECK_EQ(p[1].revents, POLLIN);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = sv[1]}, out;
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev));
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 1);
	CHECK_EQ(read(sv[1], buf, 1), 1);
	CHECK_EQ(epoll_wait(ep, &out, 1, 0), 0);
	close(sv[0]);
	CHECK_EQ(epoll_wait(ep, &out, 1, 1000), 1);
	CHECK(out.events & (EPOLLHUP | EPOLLRDHUP));
	close(ep);
	close(sv[1]);

	/* fill a non-blocking stream: EAGAIN, then poll says not writable */
	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	static char chunk[4096];
	long total = 0;
	while (write(sv[0], chunk, sizeof(chunk)) > 0 && total < (64 << 20))
		total += sizeof(chunk);
	CHECK_EQ(errno, EAGAIN);
	CHECK(total > 0 && total < (64 << 20));
	struct pollfd wp = {sv[0], POLLOUT, 0};
	CHECK_EQ(poll(&wp, 1, 0), 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(socketpairs);
	RUN(path_listen_accept);
	RUN(abstract);
	RUN(scm_rights);
	RUN(options_readiness);
	return done();
}
