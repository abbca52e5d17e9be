/* The bridge of a sandbox pty to a host terminal (see devpts.h): the
 * bridge is the pty's master. Host input is typed into the pty as it
 * arrives; the pty's output is written to the host as it is produced.
 * Nothing blocks: the host fd is non-blocking and watched by the
 * scheduler (one-shot, re-armed after each wake-up); a second fd of the
 * same file is watched for writability only while output is held back.
 *
 * Host system calls at run time: read, write, ioctl(TIOCGWINSZ) on the
 * host terminal, and the scheduler's epoll_ctl. */
#include "sentry/fs/devpts/devpts.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "sentry/fs/devpts/tty.h"

struct pty_bridge {
	struct pty *p;
	int rfd, wfd; /* the host terminal (two fds, so each has its own watch) */
	struct waitq host_rq, host_wq;
	struct waiter on_host_r, on_host_w, on_output, on_space;
	int r_armed, w_armed;
	unsigned char pend[4096]; /* read from the host, not yet typed */
	size_t pend_off, pend_len;
	int in_pump, again, dead;
	struct pty_bridge *next;
};

static struct pty_bridge *bridges;

/* The host side is gone: the sandbox pty hangs up. */
static void bridge_end(struct pty_bridge *b)
{
	if (b->dead)
		return;
	/* the waiters stay in the pty's queues (a wake-up may be walking
	 * them now); a dead bridge ignores them */
	b->dead = 1;
	if (b->r_armed)
		sched_unwatch_fd(b->rfd);
	if (b->w_armed)
		sched_unwatch_fd(b->wfd);
	close(b->rfd);
	close(b->wfd);
	struct pty *p = b->p;
	p->bridge = NULL;
	pty_master_put(p);
}

/* Writes the pty's output to the host; 1 if the host must drain first. */
static int send_output(struct pty_bridge *b)
{
	struct pty *p = b->p;
	while (p->out_len) {
		size_t seg = TTY_OUT_SIZE - p->out_head;
		if (seg > p->out_len)
			seg = p->out_len;
		ssize_t n = write(b->wfd, p->out + p->out_head, seg);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 1;
		if (n <= 0) {
			bridge_end(b);
			return 0;
		}
		p->out_head = (p->out_head + (size_t)n) % TTY_OUT_SIZE;
		p->out_len -= (size_t)n;
		waitq_wake(&p->slave_wq, 0);
	}
	return 0;
}

/* Types what the host sent; 1 if the pty's input is full. */
static int take_input(struct pty_bridge *b)
{
	for (;;) {
		if (b->pend_off < b->pend_len) {
			b->pend_off +=
			    pty_type(b->p, b->pend + b->pend_off, b->pend_len - b->pend_off);
			if (b->pend_off < b->pend_len)
				return 1;
		}
		ssize_t n = read(b->rfd, b->pend, sizeof(b->pend));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) { /* EOF, or EIO: the other end of the host pty closed */
			bridge_end(b);
			return 0;
		}
		b->pend_off = 0;
		b->pend_len = (size_t)n;
	}
}

static void pump(struct pty_bridge *b)
{
	if (b->dead)
		return;
	if (b->in_pump) {
		b->again = 1;
		return;
	}
	b->in_pump = 1;
	int full = 0, blocked = 0;
	do {
		b->again = 0;
		if (!b->dead)
			blocked = send_output(b);
		if (!b->dead)
			full = take_input(b);
	} while (b->again && !b->dead);
	b->in_pump = 0;
	if (b->dead)
		return;
	if (!full && !b->r_armed)
		b->r_armed = sched_watch_fd(b->rfd, POLLIN, &b->host_rq) == 0;
	if (blocked && !b->w_armed)
		b->w_armed = sched_watch_fd(b->wfd, POLLOUT, &b->host_wq) == 0;
}

static void host_readable(struct waiter *w)
{
	struct pty_bridge *b = w->priv;
	b->r_armed = 0; /* the scheduler dropped its one-shot watch */
	pump(b);
}

static void host_writable(struct waiter *w)
{
	struct pty_bridge *b = w->priv;
	b->w_armed = 0;
	pump(b);
}

static void pty_changed(struct waiter *w)
{
	pump(w->priv);
}

static void add_notify(struct waitq *q, struct waiter *w, void (*fn)(struct waiter *),
		       struct pty_bridge *b)
{
	waitq_add(q, w, NULL, 0);
	w->notify = fn;
	w->priv = b;
}

static void host_winsize(struct pty_bridge *b)
{
	struct winsize ws;
	if (ioctl(b->rfd, TIOCGWINSZ, &ws) < 0)
		return;
	struct tty_winsize tw = {ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel};
	pty_set_winsize(b->p, &tw);
}

struct file *devpts_bridge_new(int host_fd, int *err)
{
	struct pty_bridge *b = calloc(1, sizeof(*b));
	int wfd = fcntl(host_fd, F_DUPFD_CLOEXEC, 3);
	int fl = fcntl(host_fd, F_GETFL);
	struct pty *p = NULL;
	struct file *slave = NULL;
	*err = -ENOMEM;
	if (wfd < 0 || fl < 0 || fcntl(host_fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		*err = -errno;
		goto fail;
	}
	if (!b || !(p = pty_new(err)))
		goto fail;
	/* a session leader without a terminal (the Sentry of `create`) takes
	 * the host one, so the host's SIGWINCH reaches it */
	ioctl(host_fd, TIOCSCTTY, 0);
	b->rfd = host_fd;
	b->wfd = wfd;
	b->p = p;
	p->bridge = b;
	p->locked = 0;
	host_winsize(b);
	char name[32];
	snprintf(name, sizeof(name), "/dev/pts/%d", p->index);
	slave = file_anon(p->inode, O_RDWR, name);
	if (!slave || (*err = pty_open_slave(p, slave, 0)))
		goto fail;
	add_notify(&b->host_rq, &b->on_host_r, host_readable, b);
	add_notify(&b->host_wq, &b->on_host_w, host_writable, b);
	add_notify(&p->master_rq, &b->on_output, pty_changed, b);
	add_notify(&p->master_wq, &b->on_space, pty_changed, b);
	b->next = bridges;
	bridges = b;
	pump(b);
	return slave;
fail:
	if (slave) {
		slave->ops = NULL; /* not opened: no slave release */
		file_put(slave);
	}
	if (p)
		pty_master_put(p);
	if (wfd >= 0)
		close(wfd);
	close(host_fd);
	free(b);
	return NULL;
}

int devpts_bridge_winch(void)
{
	int any = 0;
	for (struct pty_bridge *b = bridges; b; b = b->next)
		if (!b->dead) {
			host_winsize(b);
			any = 1;
		}
	return any;
}

void devpts_bridge_drain(void)
{
	for (struct pty_bridge *b = bridges; b; b = b->next) {
		while (!b->dead && b->p->out_len) {
			struct pollfd pf = {.fd = b->wfd, .events = POLLOUT};
			if (poll(&pf, 1, 1000) <= 0)
				break;
			send_output(b);
		}
	}
}
