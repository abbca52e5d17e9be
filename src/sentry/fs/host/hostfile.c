/* Host stdio files; see hostfile.h. */
#include "sentry/fs/host/hostfile.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "sentry/fs/pipe/pipe.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"
#include "sandbox/sentry_confine.h"

struct hostfile {
	int fd;
	struct waitq q;
};

pid_t hostfile_fg_pgrp = 1; /* the terminal's foreground group inside the sandbox */

static unsigned ready(int fd, unsigned events)
{
	struct pollfd p = {.fd = fd, .events = (short)events};
	if (poll(&p, 1, 0) <= 0)
		return 0;
	return (unsigned)p.revents;
}

static int wait_ready(struct file *f, unsigned events)
{
	struct hostfile *h = f->priv;
	struct task *t = current_task();
	while (!(ready(h->fd, events) & (events | POLLHUP | POLLERR))) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		struct waiter w;
		waitq_add(&h->q, &w, t, 0);
		int werr = sched_watch_fd(h->fd, events, &h->q);
		int err = task_block(t, werr ? now_ns() + 10000000 : 0, 1);
		waitq_del(&w);
		if (!werr)
			sched_unwatch_fd(h->fd);
		if (err == -EINTR)
			return -ERESTARTSYS;
	}
	return 0;
}

static long hf_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct hostfile *h = f->priv;
	int err = wait_ready(f, POLLIN);
	if (err)
		return err;
	ssize_t n = read(h->fd, buf, len);
	return n < 0 ? -errno : n;
}

static long hf_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct hostfile *h = f->priv;
	int err = wait_ready(f, POLLOUT);
	if (err)
		return err;
	ssize_t n = write(h->fd, buf, len);
	if (n < 0 && errno == EPIPE) {
		struct task *t = current_task();
		struct linux_siginfo si = {.si_signo = SIGPIPE, .si_code = SI_USER};
		signal_send(t->proc, t, &si);
	}
	return n < 0 ? -errno : n;
}

static int64_t hf_llseek(struct file *f, int64_t off, int whence)
{
	struct hostfile *h = f->priv;
	off_t r = lseek(h->fd, off, whence);
	return r < 0 ? -errno : r;
}

static unsigned hf_poll(struct file *f, struct poll_table *pt)
{
	struct hostfile *h = f->priv;
	unsigned m = ready(h->fd, POLLIN | POLLOUT);
	if (pt && !(m & (POLLIN | POLLOUT | POLLHUP | POLLERR))) {
		poll_wait_on(pt, &h->q, 0);
		sched_watch_fd(h->fd, POLLIN | POLLOUT, &h->q);
	}
	return m;
}

static long hf_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct hostfile *h = f->priv;
	switch (cmd) {
	case TCGETS: {
		struct termios tio;
		if (ioctl(h->fd, TCGETS, &tio) < 0)
			return -errno;
		return copy_out(t, arg, &tio, 36) ? -EFAULT : 0;
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct termios tio;
		if (ioctl(h->fd, TCGETS, &tio) < 0)
			return -errno;
		if (copy_in(t, arg, &tio, 36))
			return -EFAULT;
		return ioctl(h->fd, cmd, &tio) < 0 ? -errno : 0;
	}
	case TIOCGWINSZ: {
		struct winsize ws;
		if (ioctl(h->fd, TIOCGWINSZ, &ws) < 0)
			return -errno;
		return copy_out(t, arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ: {
		struct winsize ws;
		if (copy_in(t, arg, &ws, sizeof(ws)))
			return -EFAULT;
		return ioctl(h->fd, TIOCSWINSZ, &ws) < 0 ? -errno : 0;
	}
	case TIOCGPGRP: {
		if (!isatty(h->fd))
			return -ENOTTY;
		int32_t pg = hostfile_fg_pgrp;
		return copy_out(t, arg, &pg, 4) ? -EFAULT : 0;
	}
	case TIOCSPGRP: {
		if (!isatty(h->fd))
			return -ENOTTY;
		int32_t pg;
		if (copy_in(t, arg, &pg, 4))
			return -EFAULT;
		hostfile_fg_pgrp = pg;
		return 0;
	}
	case TIOCGSID:
		if (!isatty(h->fd))
			return -ENOTTY;
		return copy_out(t, arg, &(int32_t){1}, 4) ? -EFAULT : 0;
	case FIONREAD: {
		int n = 0;
		if (ioctl(h->fd, FIONREAD, &n) < 0)
			return -errno;
		return copy_out(t, arg, &n, sizeof(n)) ? -EFAULT : 0;
	}
	}
	return -ENOTTY;
}

static void hf_release(struct file *f)
{
	struct hostfile *h = f->priv;
	close(h->fd);
	free(h);
}

static const struct file_ops hf_fops = {
    .read = hf_read,
    .write = hf_write,
    .llseek = hf_llseek,
    .poll = hf_poll,
    .ioctl = hf_ioctl,
    .release = hf_release,
};

static struct fs hostfile_fs = {.name = "host", .dev = 0x5};
static struct inode *tty_inode; /* the first terminal handed in: /dev/tty */

/* The inode keeps a host fd of its own (in->priv) to reopen the file from. */
static int hf_open_from(int ifd, struct file *f)
{
	int fd = fcntl(ifd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	struct hostfile *h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->fd = fd;
	f->priv = h;
	f->ops = &hf_fops;
	return 0;
}

/* A reopen through /proc/[pid]/fd/N (/dev/stdin, /dev/stdout). */
static int hf_inode_open(struct inode *in, struct file *f)
{
	return hf_open_from((int)(intptr_t)in->priv, f);
}

static void hf_inode_release(struct inode *in)
{
	close((int)(intptr_t)in->priv);
}

/* `> /dev/stdout` when stdout is a file truncates it, as on Linux. */
static int hf_inode_setattr(struct inode *in, const struct iattr *ia)
{
	if (ia->valid & ~IATTR_SIZE)
		return -EPERM;
	if (ftruncate((int)(intptr_t)in->priv, (off_t)ia->size) < 0)
		return -errno;
	in->size = ia->size;
	return 0;
}

static const struct inode_ops hf_iops = {
    .open = hf_inode_open,
    .setattr = hf_inode_setattr,
    .release = hf_inode_release,
};

int hostfile_open_tty(struct file *f)
{
	if (!tty_inode)
		return -ENXIO;
	return hf_open_from((int)(intptr_t)tty_inode->priv, f);
}

/* What /proc/[pid]/fd/N shows: "pipe:[ino]", "socket:[ino]", the terminal,
 * or the host's name for the file (the sandbox starts before it is confined,
 * and `cvisor do` shares the host's root). */
static const char *host_name(int fd, const struct stat *st)
{
	static char name[4096];
	if (isatty(fd))
		return "/dev/pts/0";
	if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode)) {
		snprintf(name, sizeof(name), "%s:[%lu]", S_ISSOCK(st->st_mode) ? "socket" : "pipe",
			 (unsigned long)st->st_ino);
		return name;
	}
	char link[64];
	snprintf(link, sizeof(link), "self/fd/%d", fd);
	int lfd = sentry_proc_open(link, O_PATH | O_NOFOLLOW);
	ssize_t n = lfd >= 0 ? readlinkat(lfd, "", name, sizeof(name) - 1) : -1;
	if (lfd >= 0)
		close(lfd);
	if (n <= 0 || name[0] != '/')
		snprintf(name, sizeof(name), "host:[%lu]", (unsigned long)st->st_ino);
	else
		name[n] = 0;
	return name;
}

struct file *hostfile_new(int fd, int flags)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	int ifd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (ifd < 0)
		return NULL;
	struct hostfile *h = calloc(1, sizeof(*h));
	struct inode *in = h ? inode_new(&hostfile_fs, &hf_iops, &hf_fops, st.st_mode) : NULL;
	if (!in) {
		close(ifd);
		free(h);
		return NULL;
	}
	in->priv = (void *)(intptr_t)ifd;
	if (!tty_inode && isatty(fd))
		tty_inode = inode_get(in);
	in->ino = st.st_ino;
	in->dev = st.st_dev;
	in->rdev = st.st_rdev;
	in->size = (uint64_t)st.st_size;
	h->fd = fd;
	struct file *f = file_anon(in, flags, host_name(fd, &st));
	inode_put(in);
	if (!f) {
		free(h);
		return NULL;
	}
	f->priv = h;
	return f;
}
