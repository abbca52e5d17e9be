/* Pty masters and slaves: reads, writes, readiness, ioctls, controlling
 * terminals and job control; see devpts.h and tty.h.
 *
 * A session's controlling terminal is recorded in the pty (sid), so a
 * session has at most one and /dev/tty finds it by the caller's sid. */
#include "sentry/fs/devpts/devpts.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "sentry/fs/devpts/tty.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/syscalls/syscalls.h"

/* termios2 ioctls (asm/termbits.h clashes with glibc's termios.h) */
#define TTY_TCGETS2  0x802C542A
#define TTY_TCSETS2  0x402C542B
#define TTY_TCSETSW2 0x402C542C
#define TTY_TCSETSF2 0x402C542D
#define TTY_SPEED    38400

/* At most this many live ptys (Linux's kernel.pty.max is 4096; each pty
 * here holds ~37 KiB of buffers). */
#define PTY_MAX 1024

static struct pty *ptys; /* listed: the master is open */

void pty_kill_pgrp(pid_t pgrp, int sig)
{
	struct linux_siginfo si = {.si_signo = sig, .si_code = 0x80 /* SI_KERNEL */};
	for (struct task *o = all_tasks; o; o = o->all_next) {
		struct process *p = o->proc;
		if (o == p->threads && !p->zombie && p->pgid == pgrp)
			signal_send(p, NULL, &si);
	}
}

static struct pty *ctty_of(pid_t sid)
{
	for (struct pty *p = ptys; p && sid > 0; p = p->next)
		if (p->sid == sid)
			return p;
	return NULL;
}

unsigned devpts_stat_tty(pid_t sid, pid_t *fg)
{
	struct pty *p = ctty_of(sid);
	*fg = p && p->fg_pgrp > 0 ? p->fg_pgrp : -1;
	if (!p)
		return 0;
	unsigned minor = (unsigned)p->index, major = 136; /* UNIX98_PTY_SLAVE_MAJOR */
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

struct pty *pty_next_listed(int from)
{
	struct pty *best = NULL;
	for (struct pty *p = ptys; p; p = p->next)
		if (p->index >= from && (!best || p->index < best->index))
			best = p;
	return best;
}

static void unlist(struct pty *p)
{
	for (struct pty **pp = &ptys; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	p->listed = 0;
}

static int pty_wait(struct waitq *q, int64_t deadline)
{
	struct task *t = current_task();
	struct waiter w;
	waitq_add(q, &w, t, 0);
	int err = task_block(t, deadline, 1);
	waitq_del(&w);
	return err == -EINTR ? -ERESTARTSYS : err;
}

/* A group is orphaned when no member has a parent in another group of
 * the same session (nobody there could continue it after a stop). */
static int pgrp_orphaned(pid_t pgrp, pid_t sid)
{
	for (struct task *o = all_tasks; o; o = o->all_next) {
		struct process *p = o->proc, *parent = p->parent;
		if (o == p->threads && !p->zombie && p->pgid == pgrp && parent &&
		    parent->pgid != pgrp && parent->sid == sid)
			return 0;
	}
	return 1;
}

/* Job control for a member of the terminal's session outside its
 * foreground group: SIGTTIN (reads) or SIGTTOU (writes with TOSTOP,
 * settings). Returns 0 to go on, -EIO (orphaned group, or SIGTTIN
 * ignored), or -ERESTARTSYS once the group is signalled. */
static int job_control(struct task *t, struct pty *p, int sig)
{
	struct process *pr = t->proc;
	if (!p->sid || pr->sid != p->sid || pr->pgid == p->fg_pgrp)
		return 0;
	int off = pr->sighand->act[sig].handler == (uint64_t)SIG_IGN || (t->sigmask & SIGBIT(sig));
	if (off)
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(pr->pgid, pr->sid))
		return -EIO;
	pty_kill_pgrp(pr->pgid, sig);
	return -ERESTARTSYS;
}

static void wake_all(struct pty *p)
{
	waitq_wake(&p->slave_rq, 0);
	waitq_wake(&p->slave_wq, 0);
	waitq_wake(&p->master_rq, 0);
	waitq_wake(&p->master_wq, 0);
}

void pty_hangup(struct pty *p)
{
	if (p->hungup)
		return;
	p->hungup = 1;
	unlist(p);
	if (p->sid) {
		struct process *leader = process_by_pid(p->sid);
		if (leader && !leader->zombie) {
			signal_kill_proc(leader, SIGHUP, NULL);
			signal_kill_proc(leader, SIGCONT, NULL);
		}
	}
	p->sid = p->fg_pgrp = 0;
	wake_all(p);
}

void pty_set_winsize(struct pty *p, const struct tty_winsize *ws)
{
	if (!memcmp(&p->ws, ws, sizeof(*ws)))
		return;
	p->ws = *ws;
	if (p->fg_pgrp > 0)
		pty_kill_pgrp(p->fg_pgrp, SIGWINCH);
}

void pty_master_put(struct pty *p)
{
	if (--p->masters == 0)
		pty_hangup(p);
	inode_put(p->inode);
}

void pty_free(struct pty *p)
{
	if (p->listed)
		unlist(p);
	free(p);
}

struct pty *pty_new(int *err)
{
	struct pty *p = calloc(1, sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	int index = 0;
	for (struct pty *o; (o = pty_next_listed(index)) && o->index == index;)
		index++;
	if (index >= PTY_MAX) {
		free(p);
		*err = -ENOSPC;
		return NULL;
	}
	p->index = index;
	p->locked = 1; /* until unlockpt */
	p->masters = 1;
	ldisc_init(p);
	p->inode = devpts_pty_inode(p);
	if (!p->inode) {
		free(p);
		*err = -ENOMEM;
		return NULL;
	}
	p->listed = 1;
	p->next = ptys;
	ptys = p;
	return p;
}

/* slave */

static long slave_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct pty *p = f->priv;
	struct task *t = current_task();
	int err = job_control(t, p, SIGTTIN);
	if (err || !len)
		return err;
	int canon = p->tio.c_lflag & ICANON, nb = f->flags & O_NONBLOCK;
	unsigned vmin = p->tio.c_cc[VMIN], vtime = p->tio.c_cc[VTIME];
	size_t want = canon || !vmin ? 1 : vmin < len ? vmin : len;
	int64_t deadline = !canon && !vmin && vtime ? now_ns() + vtime * 100000000LL : 0;
	while (!p->hungup && (canon ? !ldisc_readable(p) : p->in_avail < want)) {
		if (!canon && !vmin && !vtime)
			break;
		if (nb && !p->in_avail)
			return -EAGAIN;
		if (nb)
			break;
		int64_t until = deadline;
		if (!canon && vmin && vtime && p->in_avail)
			until = now_ns() + vtime * 100000000LL; /* the inter-byte timer */
		err = pty_wait(&p->slave_rq, until);
		if (err == -ETIMEDOUT)
			break;
		if (err)
			return err;
	}
	int eof;
	size_t n = ldisc_read(p, buf, len, &eof);
	if (n || eof)
		waitq_wake(&p->master_wq, 0);
	return (long)n;
}

static long slave_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct pty *p = f->priv;
	if (p->hungup)
		return -EIO;
	if (p->tio.c_lflag & TOSTOP) {
		int err = job_control(current_task(), p, SIGTTOU);
		if (err)
			return err;
	}
	size_t done = 0;
	while (done < len) {
		size_t n =
		    p->stopped ? 0 : ldisc_output(p, (const unsigned char *)buf + done, len - done);
		done += n;
		if (n)
			waitq_wake(&p->master_rq, 0);
		if (done == len)
			break;
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		int err = pty_wait(&p->slave_wq, 0);
		if (err)
			return done ? (long)done : err;
		if (p->hungup)
			return done ? (long)done : -EIO;
	}
	return (long)done;
}

static unsigned slave_poll(struct file *f, struct poll_table *pt)
{
	struct pty *p = f->priv;
	poll_wait_on(pt, &p->slave_rq, 0);
	poll_wait_on(pt, &p->slave_wq, 0);
	if (p->hungup)
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLERR;
	unsigned m = 0;
	if (ldisc_readable(p))
		m |= POLLIN | POLLRDNORM;
	if (TTY_OUT_SIZE - p->out_len >= 2 && !p->stopped)
		m |= POLLOUT | POLLWRNORM;
	return m;
}

/* master */

static long master_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct pty *p = f->priv;
	while (!p->out_len) {
		if (p->slave_seen && !p->slaves)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = pty_wait(&p->master_rq, 0);
		if (err)
			return err;
	}
	size_t n = ldisc_take_output(p, buf, len);
	waitq_wake(&p->slave_wq, 0);
	return (long)n;
}

/* Typed input; wakes the slave's readers and the master's (echo). */
size_t pty_type(struct pty *p, const unsigned char *buf, size_t len)
{
	size_t n = ldisc_receive(p, buf, len);
	if (n) /* input, echo, or flow control restarting output */
		wake_all(p);
	return n;
}

static long master_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct pty *p = f->priv;
	size_t done = 0;
	while (done < len) {
		done += pty_type(p, (const unsigned char *)buf + done, len - done);
		if (done == len)
			break;
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		int err = pty_wait(&p->master_wq, 0);
		if (err)
			return done ? (long)done : err;
	}
	return (long)done;
}

static unsigned master_poll(struct file *f, struct poll_table *pt)
{
	struct pty *p = f->priv;
	poll_wait_on(pt, &p->master_rq, 0);
	poll_wait_on(pt, &p->master_wq, 0);
	unsigned m = 0;
	if (p->out_len)
		m |= POLLIN | POLLRDNORM;
	if (p->in_len < TTY_IN_SIZE)
		m |= POLLOUT | POLLWRNORM;
	if (p->slave_seen && !p->slaves)
		m |= POLLHUP;
	return m;
}

/* ioctls */

static long get_termios2(struct task *t, struct pty *p, uint64_t arg)
{
	struct {
		struct tty_termios tio;
		uint32_t ispeed, ospeed;
	} t2 = {p->tio, TTY_SPEED, TTY_SPEED};
	return copy_out(t, arg, &t2, sizeof(t2)) ? -EFAULT : 0;
}

static long set_termios(struct task *t, struct pty *p, int master, unsigned cmd, uint64_t arg)
{
	if (!master) {
		int err = job_control(t, p, SIGTTOU);
		if (err)
			return err;
	}
	struct tty_termios tio;
	if (copy_in(t, arg, &tio, sizeof(tio)))
		return -EFAULT;
	if (cmd == TCSETSF || cmd == TTY_TCSETSF2)
		ldisc_flush_input(p);
	ldisc_set_termios(p, &tio);
	wake_all(p);
	return 0;
}

static long set_pgrp(struct task *t, struct pty *p, int master, uint64_t arg)
{
	if (!p->sid || p->sid != t->proc->sid)
		return -ENOTTY;
	int err = master ? 0 : job_control(t, p, SIGTTOU);
	if (err)
		return err;
	int32_t pg;
	if (copy_in(t, arg, &pg, sizeof(pg)))
		return -EFAULT;
	if (pg < 0)
		return -EINVAL;
	for (struct task *o = all_tasks; o; o = o->all_next)
		if (o->proc->pgid == pg && o->proc->sid == p->sid && !o->proc->zombie) {
			p->fg_pgrp = pg;
			return 0;
		}
	return -EPERM;
}

static long set_ctty(struct task *t, struct pty *p, uint64_t arg)
{
	struct process *pr = t->proc;
	if (p->sid == pr->sid)
		return 0;
	if (pr->pid != pr->sid || ctty_of(pr->sid))
		return -EPERM;
	if (p->sid && !(arg == 1 && (pr->creds.cap_eff & (1ULL << 21 /* CAP_SYS_ADMIN */))))
		return -EPERM;
	p->sid = pr->sid;
	p->fg_pgrp = pr->pgid;
	return 0;
}

static long drop_ctty(struct task *t, struct pty *p)
{
	struct process *pr = t->proc;
	if (!p->sid || p->sid != pr->sid)
		return -ENOTTY;
	if (pr->pid != pr->sid)
		return 0; /* only the leader's detaching is modelled */
	if (p->fg_pgrp > 0) {
		pty_kill_pgrp(p->fg_pgrp, SIGHUP);
		pty_kill_pgrp(p->fg_pgrp, SIGCONT);
	}
	p->sid = p->fg_pgrp = 0;
	return 0;
}

static long flush(struct task *t, struct pty *p, int master, uint64_t arg)
{
	if (arg > TCIOFLUSH)
		return -EINVAL;
	int err = master ? 0 : job_control(t, p, SIGTTOU);
	if (err)
		return err;
	/* the master's input is the slave's output */
	int in = arg == TCIOFLUSH || arg == (master ? TCOFLUSH : TCIFLUSH);
	int out = arg == TCIOFLUSH || arg == (master ? TCIFLUSH : TCOFLUSH);
	if (in)
		ldisc_flush_input(p);
	if (out)
		ldisc_flush_output(p);
	wake_all(p);
	return 0;
}

static long put_int(struct task *t, uint64_t arg, int v)
{
	return copy_out(t, arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long open_peer(struct task *t, struct pty *p, uint64_t arg)
{
	int flags = (int)arg & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (p->locked || p->hungup)
		return -EIO;
	char path[32];
	snprintf(path, sizeof(path), "/dev/pts/%d", p->index);
	struct file *f;
	int err = vfs_open(t, AT_FDCWD, path, flags | O_NOCTTY, 0, &f);
	if (err)
		return err;
	if (f->priv != p) { /* /dev/pts is not this devpts */
		file_put(f);
		return -EIO;
	}
	return fd_install(t, f, flags & O_CLOEXEC);
}

static long pty_ioctl(struct task *t, struct pty *p, int master, unsigned cmd, uint64_t arg)
{
	switch (cmd) {
	case TCGETS:
		return copy_out(t, arg, &p->tio, sizeof(p->tio)) ? -EFAULT : 0;
	case TTY_TCGETS2:
		return get_termios2(t, p, arg);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TTY_TCSETS2:
	case TTY_TCSETSW2:
	case TTY_TCSETSF2:
		return set_termios(t, p, master, cmd, arg);
	case TIOCGWINSZ:
		return copy_out(t, arg, &p->ws, sizeof(p->ws)) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct tty_winsize ws;
		if (copy_in(t, arg, &ws, sizeof(ws)))
			return -EFAULT;
		pty_set_winsize(p, &ws);
		return 0;
	}
	case TIOCGPGRP:
		if (!master && (!p->sid || p->sid != t->proc->sid))
			return -ENOTTY;
		return put_int(t, arg, p->fg_pgrp);
	case TIOCSPGRP:
		return set_pgrp(t, p, master, arg);
	case TIOCGSID:
		if (!p->sid || (!master && p->sid != t->proc->sid))
			return -ENOTTY;
		return put_int(t, arg, p->sid);
	case TIOCSCTTY:
		return set_ctty(t, p, arg);
	case TIOCNOTTY:
		return drop_ctty(t, p);
	case FIONREAD:
		return put_int(t, arg, (int)(master ? p->out_len : ldisc_read_avail(p)));
	case TIOCOUTQ:
		return put_int(t, arg, (int)(master ? 0 : p->out_len));
	case TCFLSH:
		return flush(t, p, master, arg);
	case TIOCGETD:
		return put_int(t, arg, 0 /* N_TTY */);
	case TCXONC:
		if (arg == TCOOFF || arg == TCOON) {
			p->stopped = arg == TCOOFF;
			wake_all(p);
		}
		return arg <= TCION ? 0 : -EINVAL;
	case TCSBRK:
	case TCSBRKP:
	case TIOCEXCL:
	case TIOCNXCL:
		return 0;
	}
	if (!master)
		return -ENOTTY;
	switch (cmd) {
	case TIOCGPTN:
		return put_int(t, arg, p->index);
	case TIOCGPTLCK:
		return put_int(t, arg, p->locked);
	case TIOCSPTLCK: {
		int v;
		if (copy_in(t, arg, &v, sizeof(v)))
			return -EFAULT;
		p->locked = v != 0;
		return 0;
	}
	case TIOCGPTPEER:
		return open_peer(t, p, arg);
	}
	return -ENOTTY;
}

static long slave_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	return pty_ioctl(t, f->priv, 0, cmd, arg);
}

static long master_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	return pty_ioctl(t, f->priv, 1, cmd, arg);
}

static void slave_release(struct file *f)
{
	struct pty *p = f->priv;
	if (--p->slaves == 0)
		waitq_wake(&p->master_rq, 0);
	inode_put(p->inode);
}

static void master_release(struct file *f)
{
	pty_master_put(f->priv);
}

static const struct file_ops slave_fops = {
    .read = slave_read,
    .write = slave_write,
    .poll = slave_poll,
    .ioctl = slave_ioctl,
    .release = slave_release,
};

static const struct file_ops master_fops = {
    .read = master_read,
    .write = master_write,
    .poll = master_poll,
    .ioctl = master_ioctl,
    .release = master_release,
};

int pty_open_slave(struct pty *p, struct file *f, int may_acquire)
{
	if (!p->listed || p->hungup || p->locked)
		return -EIO;
	f->ops = &slave_fops;
	f->priv = p;
	p->slaves++;
	p->slave_seen = 1;
	inode_get(p->inode);
	struct task *t = current_task();
	struct process *pr = t ? t->proc : NULL;
	if (may_acquire && !(f->flags & O_NOCTTY) && pr && pr->pid == pr->sid && !p->sid &&
	    !ctty_of(pr->sid)) {
		p->sid = pr->sid;
		p->fg_pgrp = pr->pgid;
	}
	waitq_wake(&p->master_rq, 0);
	return 0;
}

struct pty *pty_of_slave(struct file *f)
{
	return f && f->ops == &slave_fops ? f->priv : NULL;
}

int devpts_open_ptmx(struct file *f)
{
	int err;
	struct pty *p = pty_new(&err);
	if (!p)
		return err;
	f->ops = &master_fops;
	f->priv = p;
	return 0;
}

int devpts_open_ctty(struct file *f)
{
	struct task *t = current_task();
	struct pty *p = t ? ctty_of(t->proc->sid) : NULL;
	return p ? pty_open_slave(p, f, 0) : -ENXIO;
}

void devpts_session_end(pid_t sid)
{
	struct pty *p = ctty_of(sid);
	if (!p)
		return;
	if (p->fg_pgrp > 0)
		pty_kill_pgrp(p->fg_pgrp, SIGHUP);
	p->sid = p->fg_pgrp = 0;
}

int devpts_set_ctty(struct file *slave, pid_t sid, pid_t pgrp)
{
	struct pty *p = pty_of_slave(slave);
	if (!p)
		return -ENOTTY;
	p->sid = sid;
	p->fg_pgrp = pgrp;
	return 0;
}
