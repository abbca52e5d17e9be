/* AF_UNIX sockets: socketpair of each type, bind/listen/accept/connect on a
 * path and on an abstract name, datagrams with addresses, SCM_RIGHTS and
 * SCM_CREDENTIALS, shutdown, names, options, nonblocking calls, poll. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	size_t n = strlen(name);
	memcpy(a->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static void test_pair_stream(void)
{
	int sv[2];
	char buf[64];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(write(sv[0], "hello", 5) == 5);
	CHECK(send(sv[0], " world", 6, 0) == 6);
	int n = -1;
	CHECK(ioctl(sv[1], FIONREAD, &n) == 0 && n == 11);
	struct pollfd p = {.fd = sv[1], .events = POLLIN | POLLOUT};
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && (p.revents & POLLOUT));
	CHECK(recv(sv[1], buf, 3, MSG_PEEK) == 3 && memcmp(buf, "hel", 3) == 0);
	/* stream: bytes of both sends in one read */
	CHECK(read(sv[1], buf, sizeof(buf)) == 11 && memcmp(buf, "hello world", 11) == 0);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* readv/writev */
	struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
	CHECK(writev(sv[1], iov, 2) == 4);
	char x[2], y[2];
	struct iovec riov[2] = {{x, 2}, {y, 2}};
	CHECK(readv(sv[0], riov, 2) == 4 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cd", 2) == 0);
	int type = 0, dom = 0;
	socklen_t len = sizeof(type);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM);
	len = sizeof(dom);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &dom, &len) == 0 && dom == AF_UNIX);
	struct ucred cr;
	len = sizeof(cr);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0);
	CHECK(len == sizeof(cr) && cr.pid == getpid() && cr.uid == geteuid() &&
	      cr.gid == getegid());
	struct stat st;
	CHECK(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode));
	/* close: the peer reads end of file, poll says POLLHUP */
	CHECK(close(sv[0]) == 0);
	p.events = POLLIN | POLLRDHUP;
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && (p.revents & POLLRDHUP));
	CHECK(read(sv[1], buf, sizeof(buf)) == 0);
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE);
	close(sv[1]);
}

static void test_pair_dgram(int type)
{
	int sv[2];
	char buf[64];
	CHECK(socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC);
	CHECK(send(sv[0], "one", 3, 0) == 3);
	CHECK(send(sv[0], "two!", 4, 0) == 4);
	CHECK(send(sv[0], "three", 5, 0) == 5);
	int n = -1;
	CHECK(ioctl(sv[1], FIONREAD, &n) == 0 && n == (type == SOCK_DGRAM ? 3 : 12));
	/* message boundaries */
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 3 && memcmp(buf, "one", 3) == 0);
	CHECK(recv(sv[1], buf, 2, MSG_TRUNC) == 4 && memcmp(buf, "tw", 2) == 0);
	struct iovec iov = {buf, 2};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	CHECK(recvmsg(sv[1], &mh, 0) == 2 && (mh.msg_flags & MSG_TRUNC));
	CHECK(memcmp(buf, "th", 2) == 0);
	CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* an empty message is a message */
	CHECK(send(sv[1], "", 0, 0) == 0);
	CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == 0);
	int t = 0;
	socklen_t len = sizeof(t);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &t, &len) == 0 && t == type);
	close(sv[0]);
	close(sv[1]);
}

static void test_path(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/cvisor-sock-%d", getpid());
	unlink(path);
	struct sockaddr_un sa, got;
	socklen_t salen = path_addr(&sa, path), len;
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(l >= 0);
	/* listen on an unbound socket */
	CHECK_ERR(listen(l, 5), EINVAL);
	CHECK(bind(l, (struct sockaddr *)&sa, salen) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode));
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(l2, (struct sockaddr *)&sa, salen), EADDRINUSE);
	/* nothing listens yet */
	CHECK_ERR(connect(l2, (struct sockaddr *)&sa, salen), ECONNREFUSED);
	close(l2);
	CHECK(listen(l, 5) == 0);
	int acc = 0;
	len = sizeof(acc);
	CHECK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == 0 && acc == 1);
	len = sizeof(got);
	CHECK(getsockname(l, (struct sockaddr *)&got, &len) == 0);
	CHECK(len == salen && strcmp(got.sun_path, path) == 0);

	/* nonblocking accept with nothing pending */
	CHECK(fcntl(l, F_SETFL, O_NONBLOCK) == 0);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
	CHECK(fcntl(l, F_SETFL, 0) == 0);

	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sa, salen) == 0);
	struct pollfd p = {.fd = l, .events = POLLIN};
	CHECK(poll(&p, 1, 0) == 1 && (p.revents & POLLIN));
	len = sizeof(got);
	int s = accept4(l, (struct sockaddr *)&got, &len, SOCK_CLOEXEC);
	CHECK(s >= 0);
	CHECK(fcntl(s, F_GETFD) == FD_CLOEXEC);
	/* the client is unbound: its address is the family alone */
	CHECK(len == sizeof(sa_family_t) && got.sun_family == AF_UNIX);
	len = sizeof(got);
	CHECK(getpeername(c, (struct sockaddr *)&got, &len) == 0);
	CHECK(len == salen && strcmp(got.sun_path, path) == 0);
	len = sizeof(got);
	CHECK(getsockname(s, (struct sockaddr *)&got, &len) == 0);
	CHECK(len == salen && strcmp(got.sun_path, path) == 0);
	CHECK_ERR(getpeername(l, (struct sockaddr *)&got, &len), ENOTCONN);
	struct ucred cr;
	len = sizeof(cr);
	CHECK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == getpid());
	len = sizeof(cr);
	CHECK(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == getpid());
	CHECK(cr.uid == geteuid());

	/* shutdown: end of file for the reader, EPIPE for the writer */
	char buf[16];
	CHECK(write(c, "ping", 4) == 4);
	CHECK(shutdown(c, SHUT_WR) == 0);
	CHECK(read(s, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(read(s, buf, sizeof(buf)) == 0);
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(c, "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	CHECK(write(s, "pong", 4) == 4);
	CHECK(read(c, buf, sizeof(buf)) == 4 && memcmp(buf, "pong", 4) == 0);
	close(c);
	close(s);

	/* a blocking accept woken by a child's connect; MSG_WAITALL across writes */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int cc = socket(AF_UNIX, SOCK_STREAM, 0);
		usleep(50000);
		if (connect(cc, (struct sockaddr *)&sa, salen) != 0)
			_exit(2);
		if (write(cc, "abc", 3) != 3)
			_exit(3);
		usleep(20000);
		if (write(cc, "def", 3) != 3)
			_exit(4);
		_exit(0);
	}
	s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	CHECK(recv(s, buf, 6, MSG_WAITALL) == 6 && memcmp(buf, "abcdef", 6) == 0);
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(s, buf, sizeof(buf)) == 0);
	close(s);

	/* the name outlives the listener but no one answers */
	close(l);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&sa, salen), ECONNREFUSED);
	close(c);
	CHECK(unlink(path) == 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&sa, salen), ENOENT);
	close(c);
}

static void test_abstract(void)
{
	char name[64];
	snprintf(name, sizeof(name), "cvisor-test-%d", getpid());
	struct sockaddr_un sa, got;
	socklen_t salen = abstract_addr(&sa, name), len;
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK(bind(l, (struct sockaddr *)&sa, salen) == 0);
	CHECK(listen(l, 1) == 0);
	int l2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(bind(l2, (struct sockaddr *)&sa, salen), EADDRINUSE);
	close(l2);
	/* the type must match */
	int wrong = socket(AF_UNIX, SOCK_STREAM, 0);
	int e = connect(wrong, (struct sockaddr *)&sa, salen);
	int err = errno; /* CHECK clears errno before it evaluates */
	CHECK(e == -1 && (err == EPROTOTYPE || err == ECONNREFUSED));
	close(wrong);
	int c = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
	CHECK(connect(c, (struct sockaddr *)&sa, salen) == 0);
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	len = sizeof(got);
	CHECK(getpeername(c, (struct sockaddr *)&got, &len) == 0);
	CHECK(len == salen && memcmp(&got, &sa, salen) == 0);
	char buf[16];
	CHECK(send(c, "msg1", 4, 0) == 4 && send(c, "msg22", 5, 0) == 5);
	CHECK(recv(s, buf, sizeof(buf), 0) == 4 && recv(s, buf, sizeof(buf), 0) == 5);
	CHECK_ERR(recv(c, buf, sizeof(buf), 0), EAGAIN);
	close(s);
	CHECK(recv(c, buf, sizeof(buf), 0) == 0);
	close(c);
	close(l);
	/* released: the name is free again, and nobody answers it */
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&sa, salen), ECONNREFUSED);
	close(c);

	/* datagrams with addresses; autobind gives an abstract name */
	int d1 = socket(AF_UNIX, SOCK_DGRAM, 0), d2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(bind(d1, (struct sockaddr *)&sa, salen) == 0);
	sa_family_t fam = AF_UNIX;
	CHECK(bind(d2, (struct sockaddr *)&fam, sizeof(fam)) == 0);
	struct sockaddr_un me;
	socklen_t melen = sizeof(me);
	CHECK(getsockname(d2, (struct sockaddr *)&me, &melen) == 0);
	CHECK(melen == offsetof(struct sockaddr_un, sun_path) + 6 && me.sun_path[0] == 0);
	CHECK(sendto(d2, "dg", 2, 0, (struct sockaddr *)&sa, salen) == 2);
	len = sizeof(got);
	CHECK(recvfrom(d1, buf, sizeof(buf), 0, (struct sockaddr *)&got, &len) == 2);
	CHECK(len == melen && memcmp(&got, &me, melen) == 0);
	CHECK_ERR(send(d2, "x", 1, 0), ENOTCONN);
	CHECK(connect(d2, (struct sockaddr *)&sa, salen) == 0);
	CHECK(send(d2, "y", 1, 0) == 1);
	CHECK(recv(d1, buf, sizeof(buf), 0) == 1 && buf[0] == 'y');
	close(d1);
	close(d2);
}

static void test_rights(void)
{
	int sv[2], pfd[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(pipe(pfd) == 0);
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	char byte = 'R';
	struct iovec iov = {&byte, 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
	CHECK(sendmsg(sv[0], &mh, 0) == 1);
	/* the reference travels with the message */
	CHECK(close(pfd[1]) == 0);

	memset(&u, 0, sizeof(u));
	byte = 0;
	mh.msg_controllen = sizeof(u.buf);
	CHECK(recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC) == 1 && byte == 'R');
	CHECK(!(mh.msg_flags & MSG_CTRUNC));
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS);
	CHECK(cm->cmsg_len == CMSG_LEN(sizeof(int)));
	int wfd;
	memcpy(&wfd, CMSG_DATA(cm), sizeof(int));
	CHECK(wfd >= 0 && fcntl(wfd, F_GETFD) == FD_CLOEXEC);
	CHECK(write(wfd, "via", 3) == 3);
	CHECK(close(wfd) == 0);
	char buf[8];
	CHECK(read(pfd[0], buf, sizeof(buf)) == 3 && memcmp(buf, "via", 3) == 0);
	CHECK(read(pfd[0], buf, sizeof(buf)) == 0); /* the last writer is gone */

	/* no room for the control data: MSG_CTRUNC, the file is dropped */
	CHECK(pipe(pfd) == 0);
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
	CHECK(sendmsg(sv[0], &mh, 0) == 1);
	close(pfd[1]);
	mh.msg_control = NULL;
	mh.msg_controllen = 0;
	CHECK(recvmsg(sv[1], &mh, 0) == 1 && (mh.msg_flags & MSG_CTRUNC));
	CHECK(read(pfd[0], buf, sizeof(buf)) == 0);
	close(pfd[0]);

	/* SCM_CREDENTIALS with SO_PASSCRED */
	int one = 1;
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == 0);
	CHECK(send(sv[0], "c", 1, 0) == 1);
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} cu;
	memset(&cu, 0, sizeof(cu));
	mh.msg_control = cu.buf;
	mh.msg_controllen = sizeof(cu.buf);
	CHECK(recvmsg(sv[1], &mh, 0) == 1);
	cm = CMSG_FIRSTHDR(&mh);
	CHECK(cm && cm->cmsg_type == SCM_CREDENTIALS);
	struct ucred cr;
	memcpy(&cr, CMSG_DATA(cm), sizeof(cr));
	CHECK(cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid());
	close(sv[0]);
	close(sv[1]);
}

static void test_misc(void)
{
	CHECK_ERR(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, 42, 0), EINVAL);
	CHECK_ERR(socket(AF_UNIX, 12, 0), EINVAL);
	int fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(listen(fd, 1), ENOTSOCK);
	close(fd);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(listen(s, 1), EOPNOTSUPP);
	int v = 4096;
	CHECK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0);
	socklen_t len = sizeof(v);
	CHECK(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v >= 4096);
	v = 1;
	CHECK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v)) == 0);
	struct linger lg = {1, 0};
	CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	len = sizeof(v);
	CHECK(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	close(s);
}

static void on_alarm(int sig)
{
}

static void test_blocking(void)
{
	/* a full backlog: a nonblocking connect says EAGAIN */
	char name[64];
	snprintf(name, sizeof(name), "cvisor-backlog-%d", getpid());
	struct sockaddr_un sa;
	socklen_t salen = abstract_addr(&sa, name);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(l, (struct sockaddr *)&sa, salen) == 0 && listen(l, 0) == 0);
	int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(connect(c1, (struct sockaddr *)&sa, salen) == 0);
	CHECK_ERR(connect(c2, (struct sockaddr *)&sa, salen), EAGAIN);
	/* the listener goes: the waiting connection is reset */
	close(l);
	char buf[8];
	CHECK(recv(c1, buf, sizeof(buf), 0) <= 0);
	close(c1);
	close(c2);

	/* SO_RCVTIMEO: a blocking recv gives up with EAGAIN */
	int tv_sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, tv_sv) == 0);
	struct timeval tv = {0, 100000}, got_tv;
	CHECK(setsockopt(tv_sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	socklen_t tvlen = sizeof(got_tv);
	CHECK(getsockopt(tv_sv[0], SOL_SOCKET, SO_RCVTIMEO, &got_tv, &tvlen) == 0);
	CHECK(tvlen == sizeof(got_tv) && got_tv.tv_sec == 0 && got_tv.tv_usec == 100000);
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	CHECK_ERR(recv(tv_sv[0], buf, sizeof(buf), 0), EAGAIN);
	gettimeofday(&t1, NULL);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	CHECK(ms >= 90 && ms < 5000);
	close(tv_sv[0]);
	close(tv_sv[1]);

	/* a signal without SA_RESTART interrupts a blocking recv */
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	struct sigaction sa_alrm = {.sa_handler = on_alarm};
	CHECK(sigaction(SIGALRM, &sa_alrm, NULL) == 0);
	struct itimerval it = {.it_value = {0, 50000}};
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK_ERR(recv(sv[0], buf, sizeof(buf), 0), EINTR);
	signal(SIGALRM, SIG_DFL);

	/* writing after the peer is gone raises SIGPIPE */
	close(sv[1]);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		(void)!write(sv[0], "x", 1);
		_exit(0);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
	close(sv[0]);

	/* a writer blocked on a full queue wakes when the reader drains it */
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		static char big[1 << 20];
		memset(big, 'b', sizeof(big));
		size_t done = 0;
		while (done < sizeof(big)) {
			ssize_t n = write(sv[1], big + done, sizeof(big) - done);
			if (n <= 0)
				_exit(1);
			done += (size_t)n;
		}
		_exit(0);
	}
	close(sv[1]);
	size_t total = 0;
	for (;;) {
		char chunk[4096];
		ssize_t n = read(sv[0], chunk, sizeof(chunk));
		CHECK(n >= 0);
		if (n == 0)
			break;
		total += (size_t)n;
	}
	CHECK(total == 1 << 20);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[0]);
}

/* read/write/readv/writev keep datagram boundaries, even past 64 KiB */
static void test_dgram_rw(void)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	int sz = 400000;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	static char big[100000], in[200000];
	memset(big, 'x', sizeof(big));
	CHECK(write(sv[0], big, sizeof(big)) == (ssize_t)sizeof(big));
	CHECK(read(sv[1], in, sizeof(in)) == (ssize_t)sizeof(big));
	struct iovec v[3] = {{"ab", 2}, {"cd", 2}, {"ef", 2}};
	CHECK(writev(sv[0], v, 3) == 6);
	char a[3] = {0}, b[3] = {0}, c[3] = {0};
	struct iovec r[3] = {{a, 2}, {b, 2}, {c, 2}};
	CHECK(readv(sv[1], r, 3) == 6);
	CHECK(!strcmp(a, "ab") && !strcmp(b, "cd") && !strcmp(c, "ef"));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	test_pair_stream();
	test_pair_dgram(SOCK_DGRAM);
	test_pair_dgram(SOCK_SEQPACKET);
	test_dgram_rw();
	test_path();
	test_abstract();
	test_rights();
	test_misc();
	test_blocking();
	puts("socket: ok");
	return 0;
}
