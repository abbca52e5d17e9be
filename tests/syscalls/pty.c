/* Pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname, /dev/pts,
 * termios round trips, canonical line editing, echo, input and output
 * mapping, flow control, VMIN/VTIME, signals from ISIG to the foreground group,
 * TIOCSWINSZ and SIGWINCH, controlling terminals with setsid and /dev/tty,
 * job control (SIGTTOU with TOSTOP, SIGTTIN, orphaned groups), hang-up, O_NONBLOCK, poll
 * and epoll on both ends. Each test that needs a session runs in a child
 * that calls setsid, so the caller's terminal plays no part. */
#include "harness.h"
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>

static int open_master(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return -1;
	return m;
}

static int open_slave(int m, int flags)
{
	const char *name = ptsname(m);
	return name ? open(name, O_RDWR | flags) : -1;
}

/* Reads from fd until want bytes came or nothing more arrives for 1s. */
static ssize_t read_for(int fd, char *buf, size_t want)
{
	size_t got = 0;
	while (got < want) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 1000) <= 0)
			break;
		ssize_t n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	return (ssize_t)got;
}

/* Runs fn in a child that is a new session leader; returns its status. */
static int in_session(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		alarm(10);
		_exit(fn(arg));
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(openpt)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(m >= 0);
	CHECK_OK(grantpt(m));
	const char *name = ptsname(m);
	CHECK(name && strncmp(name, "/dev/pts/", 9) == 0);
	char path[64];
	snprintf(path, sizeof(path), "%s", name ? name : "?");
	/* locked until unlockpt */
	CHECK_ERR(open(path, O_RDWR | O_NOCTTY), EIO);
	CHECK_OK(unlockpt(m));
	int n = -1;
	CHECK_OK(ioctl(m, TIOCGPTN, &n));
	CHECK_EQ(n, atoi(path + 9));
	int s = CHECK_OK(open(path, O_RDWR | O_NOCTTY));
	CHECK(isatty(m) && isatty(s));
	struct stat st;
	CHECK_OK(fstat(s, &st));
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(major(st.st_rdev), 136);
	CHECK_EQ(minor(st.st_rdev), n);
	CHECK_STR(ttyname(s), path);
	/* /dev/pts lists it */
	DIR *d = opendir("/dev/pts");
	int seen = 0, ptmx = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		seen |= strcmp(e->d_name, path + 9) == 0;
		ptmx |= strcmp(e->d_name, "ptmx") == 0;
	}
	if (d)
		closedir(d);
	CHECK(seen && ptmx);
	/* the slave of another master through TIOCGPTPEER */
	int p = CHECK_OK(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	CHECK_STR(ttyname(p), path);
	CHECK_ERR(ioctl(s, TIOCGPTN, &n), ENOTTY);
	close(p);
	close(s);
	close(m);
	/* the name goes with the master */
	CHECK_ERR(stat(path, &st), ENOENT);
	/* /dev/ptmx works as posix_openpt's /dev/pts/ptmx does */
	m = CHECK_OK(open("/dev/pts/ptmx", O_RDWR | O_NOCTTY));
	CHECK_OK(ioctl(m, TIOCGPTN, &n));
	close(m);
}

TEST(termios_round_trip)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY));
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK(t.c_iflag & ICRNL);
	CHECK((t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VERASE], 0177);
	CHECK_EQ(t.c_cc[VEOF], 4);
	struct termios raw = t;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 3;
	CHECK_OK(tcsetattr(s, TCSAFLUSH, &raw));
	struct termios back;
	CHECK_OK(tcgetattr(s, &back));
	CHECK_EQ(back.c_lflag, raw.c_lflag);
	CHECK_EQ(back.c_iflag, raw.c_iflag);
	CHECK_EQ(back.c_oflag, raw.c_oflag);
	CHECK_EQ(back.c_cc[VMIN], 3);
	/* the master sees the slave's settings */
	CHECK_OK(tcgetattr(m, &back));
	CHECK_EQ(back.c_lflag, raw.c_lflag);
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_OK(tcgetattr(s, &back));
	CHECK_EQ(back.c_lflag, t.c_lflag);
	CHECK_OK(tcdrain(s));
	close(s);
	close(m);
}

TEST(canonical_editing)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY));
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	t.c_lflag &= ~ECHO;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	char buf[256];
	/* erase, kill, word erase */
	CHECK_EQ(write(m, "abc\177d\n", 6), 6);
	CHECK_EQ(read(s, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "abd\n", 4) == 0);
	CHECK_EQ(write(m, "xyz\025ok\n", 7), 7);
	CHECK_EQ(read(s, buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "ok\n", 3) == 0);
	CHECK_EQ(write(m, "foo bar\027baz\n", 12), 12);
	CHECK_EQ(read(s, buf, sizeof(buf)), 8);
	CHECK(memcmp(buf, "foo baz\n", 8) == 0);
	/* one line per read; a short read leaves the rest of the line */
	CHECK_EQ(write(m, "one\ntwo\n", 8), 8);
	CHECK_EQ(read(s, buf, 2), 2);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "e\n", 2) == 0);
	CHECK_EQ(read(s, buf, sizeof(buf)), 4);
	/* VLNEXT takes the next character literally */
	CHECK_EQ(write(m, "a\026\177b\n", 5), 5);
	CHECK_EQ(read(s, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "a\177b\n", 4) == 0);
	/* VEOF ends a line without itself; alone it reads as end of file */
	CHECK_EQ(write(m, "hi\004", 3), 3);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	CHECK_EQ(write(m, "\004", 1), 1);
	CHECK_EQ(read(s, buf, sizeof(buf)), 0);
	/* ICRNL, IGNCR */
	CHECK_EQ(write(m, "a\r", 2), 2);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "a\n", 2) == 0);
	t.c_iflag |= IGNCR;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "b\r\n", 3), 3);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	/* FIONREAD and TCFLSH */
	CHECK_EQ(write(m, "abc\n", 4), 4);
	int n = -1;
	for (int i = 0; i < 100 && n != 4; i++) {
		CHECK_OK(ioctl(s, FIONREAD, &n));
		if (n != 4)
			usleep(10000);
	}
	CHECK_EQ(n, 4);
	CHECK_OK(tcflush(s, TCIFLUSH));
	CHECK_OK(ioctl(s, FIONREAD, &n));
	CHECK_EQ(n, 0);
	close(s);
	close(m);
}

TEST(echo_and_output)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY));
	char buf[256];
	/* ONLCR on output */
	CHECK_EQ(write(s, "x\n", 2), 2);
	CHECK_EQ(read_for(m, buf, 3), 3);
	CHECK_STR(buf, "x\r\n");
	/* echo, with ECHOE erasing and ECHOCTL showing ^X */
	CHECK_EQ(write(m, "ab\177\001\n", 5), 5);
	const char *want = "ab\b \b^A\r\n";
	CHECK_EQ(read_for(m, buf, strlen(want)), strlen(want));
	CHECK_STR(buf, want);
	CHECK_EQ(read(s, buf, sizeof(buf)), 3);
	/* VREPRINT shows the line being edited again */
	CHECK_EQ(write(m, "xy\022", 3), 3);
	want = "xy^R\r\nxy";
	CHECK_EQ(read_for(m, buf, strlen(want)), strlen(want));
	CHECK_STR(buf, want);
	CHECK_EQ(write(m, "\n", 1), 1);
	CHECK_EQ(read(s, buf, sizeof(buf)), 3);
	CHECK_EQ(read_for(m, buf, 2), 2);
	/* ECHONL without ECHO */
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	t.c_lflag = (t.c_lflag & ~ECHO) | ECHONL;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "quiet\n", 6), 6);
	CHECK_EQ(read_for(m, buf, 2), 2);
	CHECK_STR(buf, "\r\n");
	CHECK_EQ(read(s, buf, sizeof(buf)), 6);
	/* raw: INLCR, no output processing */
	cfmakeraw(&t);
	t.c_iflag |= INLCR;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "\n", 1), 1);
	CHECK_EQ(read_for(s, buf, 1), 1);
	CHECK_EQ(buf[0], '\r');
	CHECK_EQ(write(s, "y\n", 2), 2);
	CHECK_EQ(read_for(m, buf, 2), 2);
	CHECK_STR(buf, "y\n");
	close(s);
	close(m);
}

/* IXON: ^S stops the slave's output until ^Q; neither reaches readers. */
TEST(flow_control)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY | O_NONBLOCK));
	char buf[64];
	CHECK_EQ(write(m, "\023", 1), 1);
	struct pollfd p = {s, POLLOUT, 0};
	for (int i = 0; i < 100 && poll(&p, 1, 0) == 1; i++)
		usleep(10000); /* Linux types input asynchronously */
	CHECK_EQ(poll(&p, 1, 0), 0);
	CHECK_ERR(write(s, "out", 3), EAGAIN);
	CHECK_EQ(write(m, "\021", 1), 1);
	CHECK_EQ(poll(&p, 1, 1000), 1);
	CHECK_EQ(write(s, "out", 3), 3);
	CHECK_EQ(read_for(m, buf, 3), 3);
	CHECK_STR(buf, "out");
	/* tcflow does the same from the slave's side */
	CHECK_OK(tcflow(s, TCOOFF));
	CHECK_ERR(write(s, "x", 1), EAGAIN);
	CHECK_OK(tcflow(s, TCOON));
	CHECK_EQ(write(s, "x", 1), 1);
	CHECK_EQ(read_for(m, buf, 1), 1);
	/* the flow characters were not input */
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	t.c_lflag &= ~ECHO;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "\023\021z\n", 4), 4);
	CHECK_EQ(read_for(s, buf, 2), 2);
	CHECK_STR(buf, "z\n");
	close(s);
	close(m);
}

TEST(vmin_vtime)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY));
	struct termios t;
	CHECK_OK(tcgetattr(s, &t));
	cfmakeraw(&t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	char buf[16];
	CHECK_EQ(read(s, buf, sizeof(buf)), 0); /* polling read */
	t.c_cc[VTIME] = 1;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK_EQ(read(s, buf, sizeof(buf)), 0); /* times out after 0.1s */
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	CHECK(ms >= 80 && ms < 2000);
	t.c_cc[VMIN] = 2;
	t.c_cc[VTIME] = 0;
	CHECK_OK(tcsetattr(s, TCSANOW, &t));
	CHECK_EQ(write(m, "xy", 2), 2);
	CHECK_EQ(read(s, buf, sizeof(buf)), 2);
	close(s);
	close(m);
}

TEST(nonblock_poll_epoll)
{
	int m = CHECK_OK(open_master());
	int s = CHECK_OK(open_slave(m, O_NOCTTY | O_NONBLOCK));
	fcntl(m, F_SETFL, O_NONBLOCK);
	char buf[64];
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN);
	CHECK_ERR(read(m, buf, sizeof(buf)), EAGAIN);
	struct pollfd p[2] = {{s, POLLIN | POLLOUT, 0}, {m, POLLIN | POLLOUT, 0}};
	CHECK_EQ(poll(p, 2, 0), 2);
	CHECK_EQ(p[0].revents, POLLOUT);
	CHECK_EQ(p[1].revents, POLLOUT);
	int ep = CHECK_OK(epoll_create1(0));
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
	CHECK_OK(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev));
	CHECK_EQ(epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ(write(m, "line\n", 5), 5);
	CHECK_EQ(epoll_wait(ep, &ev, 1, 1000), 1);
	CHECK_EQ(ev.data.fd, s);
	p[0].events = POLLIN;
	CHECK_EQ(poll(p, 1, 1000), 1);
	CHECK_EQ(p[0].revents, POLLIN);
	CHECK_EQ(read(s, buf, sizeof(buf)), 5);
	/* the echo waits at the master */
	p[1].events = POLLIN;
	CHECK_EQ(poll(&p[1], 1, 1000), 1);
	CHECK_EQ(p[1].revents, POLLIN);
	CHECK_EQ(read_for(m, buf, 6), 6);
	/* the last slave closes: the master hangs up */
	close(s);
	CHECK_EQ(poll(&p[1], 1, 1000), 1);
	CHECK(p[1].revents & POLLHUP);
	CHECK_ERR(read(m, buf, sizeof(buf)), EIO);
	close(ep);
	close(m);
}

static volatile sig_atomic_t got[65];
static void on_sig(int sig)
{
	got[sig]++;
}

static void catch (int sig)
{
	struct sigaction sa = {.sa_handler = on_sig};
	sigaction(sig, &sa, NULL);
}

static int wait_sig(int sig)
{
	for (int i = 0; i < 300 && !got[sig]; i++)
		usleep(10000);
	return got[sig] != 0;
}

/* The child: a session leader whose terminal is the pty. */
static int isig_child(void *arg)
{
	int m = *(int *)arg;
	int s = open_slave(m, 0);
	if (s < 0 || tcgetpgrp(s) != getpid())
		return 2;
	catch (SIGINT);
	catch (SIGQUIT);
	catch (SIGTSTP);
	catch (SIGWINCH);
	/* each signal character flushes the queues, then echoes as ^X */
	char buf[16];
	if (write(m, "\003", 1) != 1 || !wait_sig(SIGINT) || read_for(m, buf, 2) != 2 ||
	    strcmp(buf, "^C"))
		return 3;
	if (write(m, "\034", 1) != 1 || !wait_sig(SIGQUIT) || read_for(m, buf, 2) != 2 ||
	    strcmp(buf, "^\\"))
		return 4;
	if (write(m, "partial\032", 8) != 8 || !wait_sig(SIGTSTP) || read_for(m, buf, 9) != 2 ||
	    strcmp(buf, "^Z"))
		return 5;
	/* the flush took the partial line */
	int n = -1;
	if (ioctl(s, FIONREAD, &n) < 0 || n != 0)
		return 6;
	struct winsize ws = {.ws_row = 33, .ws_col = 101};
	if (ioctl(m, TIOCSWINSZ, &ws) < 0 || !wait_sig(SIGWINCH))
		return 7;
	struct winsize back;
	if (ioctl(s, TIOCGWINSZ, &back) < 0 || back.ws_row != 33 || back.ws_col != 101)
		return 8;
	/* ISIG off: ^C is a character */
	struct termios t;
	tcgetattr(s, &t);
	t.c_lflag &= ~(ISIG | ICANON | ECHO);
	tcsetattr(s, TCSANOW, &t);
	got[SIGINT] = 0;
	if (write(m, "\003", 1) != 1 || read_for(s, buf, 1) != 1 || buf[0] != 3 || got[SIGINT])
		return 9;
	return 0;
}

TEST(isig_and_winch)
{
	int m = CHECK_OK(open_master());
	CHECK_EQ(in_session(isig_child, &m), 0);
	close(m);
}

/* Fields 7 and 8 of /proc/self/stat: tty_nr and tpgid. */
static int stat_tty(unsigned *tty, int *tpgid)
{
	char buf[1024];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strrchr(buf, ')');
	return p && sscanf(p, ") %*c %*d %*d %*d %u %d", tty, tpgid) == 2 ? 0 : -1;
}

static int ctty_child(void *arg)
{
	int m = *(int *)arg;
	if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO)
		return 2;
	int s = open_slave(m, O_NOCTTY);
	pid_t sid;
	if (s < 0 || open("/dev/tty", O_RDWR) >= 0 || ioctl(s, TIOCGSID, &sid) == 0)
		return 3;
	unsigned tty_nr;
	int tpgid;
	if (stat_tty(&tty_nr, &tpgid) || tty_nr != 0 || tpgid != -1)
		return 10;
	if (ioctl(s, TIOCSCTTY, 0) < 0)
		return 4;
	/* /proc/self/stat shows the terminal (its device number) and its
	 * foreground group */
	struct stat sb;
	if (fstat(s, &sb) || stat_tty(&tty_nr, &tpgid) || tpgid != getpid() ||
	    tty_nr != ((minor(sb.st_rdev) & 0xff) | (major(sb.st_rdev) << 8) |
		       ((minor(sb.st_rdev) & ~0xffu) << 12)))
		return 11;
	int tty = open("/dev/tty", O_RDWR);
	if (tty < 0 || ioctl(tty, TIOCGSID, &sid) < 0 || sid != getpid() ||
	    tcgetpgrp(tty) != getpid() || tcgetsid(s) != getpid())
		return 5;
	/* another session cannot take it */
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int fd = open_slave(m, 0);
		int t2 = open("/dev/tty", O_RDWR);
		_exit(fd >= 0 && t2 < 0 && errno == ENXIO && ioctl(fd, TIOCSCTTY, 0) < 0 ? 0 : 1);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 6;
	/* the leader lets go: /dev/tty is gone, the foreground group hears SIGHUP */
	catch (SIGHUP);
	if (ioctl(s, TIOCNOTTY) < 0 || !wait_sig(SIGHUP))
		return 7;
	if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO)
		return 8;
	return 0;
}

TEST(controlling_tty)
{
	int m = CHECK_OK(open_master());
	CHECK_EQ(in_session(ctty_child, &m), 0);
	close(m);
}

/* A background job of the terminal's session. */
static int job_child(void *arg)
{
	int m = *(int *)arg;
	int s = open_slave(m, 0);
	if (s < 0)
		return 2;
	struct termios t;
	tcgetattr(s, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(s, TCSANOW, &t);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		/* a handler: the write fails with EINTR */
		catch (SIGTTOU);
		errno = 0;
		if (write(s, "x", 1) != -1 || errno != EINTR || !got[SIGTTOU])
			_exit(1);
		/* blocked: the write goes through; so does tcsetpgrp (shells) */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGTTOU);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (write(s, "y", 1) != 1 || tcsetpgrp(s, getpgrp()) < 0)
			_exit(2);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 10 + (WIFEXITED(st) ? WEXITSTATUS(st) : 9);
	/* the child made its group the foreground: take it back */
	signal(SIGTTOU, SIG_IGN);
	if (tcsetpgrp(s, getpgrp()) < 0)
		return 3;
	signal(SIGTTOU, SIG_DFL);
	/* default actions stop the job */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		char c;
		if (read(s, &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN)
		return 4;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(write(s, "z", 1) == 1 ? 0 : 1);
	}
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return 5;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* an orphaned background group (its parent left) gets EIO instead */
	int res[2];
	if (pipe(res) < 0)
		return 6;
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		pid_t parent = getpid();
		if (fork() == 0) {
			while (getppid() == parent)
				usleep(10000);
			char c, r = 0;
			if (read(s, &c, 1) != -1 || errno != EIO)
				r |= 1;
			if (write(s, "w", 1) != -1 || errno != EIO)
				r |= 2;
			if (write(res[1], &r, 1) != 1)
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	close(res[1]);
	waitpid(pid, &st, 0);
	char r = 9;
	if (read(res[0], &r, 1) != 1 || r)
		return 20 + r;
	return 0;
}

TEST(job_control)
{
	int m = CHECK_OK(open_master());
	CHECK_EQ(in_session(job_child, &m), 0);
	close(m);
}

static int hangup_fds[2];

static int hangup_child(void *arg)
{
	int m = *(int *)arg;
	int s = open_slave(m, 0);
	if (s < 0)
		return 2;
	catch (SIGHUP);
	close(m);
	close(hangup_fds[1]); /* the parent closes its master now */
	if (!wait_sig(SIGHUP))
		return 3;
	char c;
	if (read(s, &c, 1) != 0)
		return 4;
	if (write(s, "x", 1) != -1 || errno != EIO)
		return 5;
	return 0;
}

/* The master's last close hangs the slave up: SIGHUP to the session
 * leader, reads give end of file, writes EIO. */
TEST(hangup)
{
	int m = CHECK_OK(open_master());
	CHECK_OK(pipe(hangup_fds));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		alarm(10);
		close(hangup_fds[0]);
		_exit(hangup_child(&m));
	}
	close(hangup_fds[1]);
	char c;
	CHECK_EQ(read(hangup_fds[0], &c, 1), 0);
	close(hangup_fds[0]);
	close(m);
	int st;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(openpt);
	RUN(termios_round_trip);
	RUN(canonical_editing);
	RUN(echo_and_output);
	RUN(flow_control);
	RUN(vmin_vtime);
	RUN(nonblock_poll_epoll);
	RUN(isig_and_winch);
	RUN(controlling_tty);
	RUN(job_control);
	RUN(hangup);
	return done();
}
