/* AF_UNIX sockets, entirely inside the Sentry.
 *
 * A struct usock is the family state of one socket. It is reference
 * counted: its socket (file) holds one reference, a connected peer one, a
 * listener's accept queue one for each waiting connection, and a blocked
 * task one while it sleeps on another socket's wait queue. Releasing the
 * socket (unix_release) closes the usock: it leaves the name tables, drops
 * its peer, hangs up a stream peer and empties its queues; the memory goes
 * with the last reference.
 *
 * Every change to a usock (data queued or taken, shutdown, close, a new
 * connection) wakes its own wait queue; a sender waiting for room in a
 * peer's queue sleeps on the peer's queue (and its own).
 *
 * Names: a socket bound to a path owns the S_IFSOCK node it created
 * (referenced) and is found again from the inode the path leads to; an
 * abstract name (leading NUL) lives only in the table. Both are in one list
 * of bound sockets, which a socket leaves when it is released. */
#include "sentry/net/socket.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "sentry/fs/pipe/pipe.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

#define UNIX_BUF_DEFAULT 212992 /* net.core.wmem_default */
#define UNIX_BUF_MAX	 212992 /* net.core.wmem_max */
#define UNIX_DGRAM_QLEN	 512	/* net.unix.max_dgram_qlen */
#define UNIX_CHUNK	 65536

#define RCV_SHUT  1
#define SEND_SHUT 2

enum ustate {
	US_UNCONNECTED,
	US_LISTENING,
	US_CONNECTED
};

struct skb {
	struct skb *next;
	char *data;
	size_t len, off;
	struct file **fds;
	int nfds;
	struct linux_ucred creds;
	struct linux_sockaddr_un from;
	uint32_t fromlen;
};

struct usock {
	int refs;
	int type;
	enum ustate state;
	int dead;
	struct usock *peer;
	/* receive queue */
	struct skb *rq, **rq_tail;
	size_t rq_bytes;
	int rq_count;
	int shut;
	int err;
	/* name */
	struct linux_sockaddr_un addr;
	uint32_t addrlen; /* 0: unbound */
	struct inode *node;
	struct usock *bound_next;
	/* listening */
	int backlog;
	struct usock *acc_head, **acc_tail, *acc_next;
	int nacc;
	struct waitq wq;
	/* options */
	struct linux_ucred peercred;
	int has_peercred;
	int passcred, reuseaddr, keepalive;
	int sndbuf, rcvbuf;
	struct linux_linger linger;
	int64_t rcvtimeo, sndtimeo; /* ns, 0: none */
};

static const struct sock_ops unix_ops;
static struct usock *bound;
static unsigned autobind_next;

static struct linux_ucred creds_of(struct task *t)
{
	struct linux_ucred c = {
	    .pid = t->proc->pid, .uid = t->proc->creds.euid, .gid = t->proc->creds.egid};
	return c;
}

static struct usock *usock_new(int type)
{
	struct usock *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->refs = 1;
	u->type = type;
	u->rq_tail = &u->rq;
	u->acc_tail = &u->acc_head;
	u->sndbuf = UNIX_BUF_DEFAULT;
	u->rcvbuf = UNIX_BUF_DEFAULT;
	return u;
}

static struct usock *usock_get(struct usock *u)
{
	u->refs++;
	return u;
}

static void skb_free(struct skb *b)
{
	for (int i = 0; i < b->nfds; i++)
		file_put(b->fds[i]);
	free(b->fds);
	free(b->data);
	free(b);
}

/* Empties the receive queue; the files in it are released last, since
 * releasing one may close another socket. */
static void purge(struct usock *u)
{
	struct skb *b = u->rq;
	u->rq = NULL;
	u->rq_tail = &u->rq;
	u->rq_bytes = 0;
	u->rq_count = 0;
	while (b) {
		struct skb *n = b->next;
		skb_free(b);
		b = n;
	}
}

static void usock_put(struct usock *u)
{
	if (!u || --u->refs > 0)
		return;
	/* A poller may still sit on our queue (poll holds no reference to the
	 * files it watches): wake it and unhook its entry so that its later
	 * waitq_del does not touch freed memory. */
	waitq_wake(&u->wq, 0);
	for (struct waiter *w = u->wq.head, *n; w; w = n) {
		n = w->next;
		w->next = NULL;
		w->pprev = NULL;
	}
	u->wq.head = NULL;
	purge(u);
	free(u);
}

static struct usock *U(struct socket *s)
{
	return s->priv;
}

static int stream_like(struct usock *u)
{
	return u->type != LINUX_SOCK_STREAM ? u->type == LINUX_SOCK_SEQPACKET : 1;
}

/* ---- names ---- */

static void unbind(struct usock *u)
{
	for (struct usock **p = &bound; *p; p = &(*p)->bound_next)
		if (*p == u) {
			*p = u->bound_next;
			break;
		}
	u->bound_next = NULL;
	if (u->node) {
		inode_put(u->node);
		u->node = NULL;
	}
}

static struct usock *find_abstract(const struct linux_sockaddr_un *a, uint32_t len)
{
	for (struct usock *u = bound; u; u = u->bound_next)
		if (!u->node && u->addrlen == len && memcmp(&u->addr, a, len) == 0)
			return u;
	return NULL;
}

static struct usock *find_node(struct inode *in)
{
	for (struct usock *u = bound; u; u = u->bound_next)
		if (u->node &&
		    (u->node == in ||
		     (u->node->fs == in->fs && u->node->ino == in->ino && u->node->dev == in->dev)))
			return u;
	return NULL;
}

static void add_bound(struct usock *u)
{
	u->bound_next = bound;
	bound = u;
}

static int autobind(struct usock *u)
{
	if (u->addrlen)
		return 0;
	for (unsigned tries = 0; tries < 0x100000; tries++) {
		struct linux_sockaddr_un a = {.sun_family = LINUX_AF_UNIX};
		snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "%05x", autobind_next++ & 0xfffff);
		uint32_t len = 2 + 1 + 5;
		if (find_abstract(&a, len))
			continue;
		u->addr = a;
		u->addrlen = len;
		add_bound(u);
		return 0;
	}
	return -ENOSPC;
}

/* Checks a sockaddr_un; for a path, copies it NUL-terminated to path. */
static int check_addr(const void *addr, uint32_t len, struct linux_sockaddr_un *a, char *path)
{
	if (len < 2 || len > sizeof(*a))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	memcpy(a, addr, len);
	if (a->sun_family != LINUX_AF_UNIX)
		return -EINVAL;
	if (len > 2 && a->sun_path[0]) {
		size_t n = strnlen(a->sun_path, len - 2);
		memcpy(path, a->sun_path, n);
		path[n] = 0;
	}
	return 0;
}

static int bind_path(struct task *t, struct usock *u, const char *path)
{
	struct walk_result w;
	int err = vfs_walk(t, AT_FDCWD, path, WALK_PARENT, &w);
	if (err)
		return err;
	struct dentry *c;
	if (!w.last[0]) {
		err = -EADDRINUSE;
	} else if (vfs_lookup_child(w.d, w.last, &c) == 0) {
		dentry_put(c);
		err = -EADDRINUSE;
	} else if ((w.mnt && (w.mnt->flags & 1)) || (w.d->inode->fs && w.d->inode->fs->readonly)) {
		err = -EROFS;
	} else if (!w.d->inode->iops || !w.d->inode->iops->mknod) {
		err = -EPERM;
	} else {
		err = w.d->inode->iops->mknod(w.d->inode, w.last, S_IFSOCK | (0777 & ~t->fs->umask),
					      0);
		if (!err) {
			err = vfs_lookup_child(w.d, w.last, &c);
			if (!err) {
				u->node = inode_get(c->inode);
				dentry_put(c);
			}
		}
	}
	walk_result_put(&w);
	return err;
}

static int unix_bind(struct task *t, struct socket *s, const void *addr, uint32_t len)
{
	struct usock *u = U(s);
	struct linux_sockaddr_un a;
	char path[sizeof(a.sun_path) + 1];
	path[0] = 0;
	int err = check_addr(addr, len, &a, path);
	if (err)
		return err;
	if (u->addrlen)
		return -EINVAL;
	if (len == 2)
		return autobind(u);
	if (a.sun_path[0] == 0) {
		if (find_abstract(&a, len))
			return -EADDRINUSE;
		u->addr = a;
		u->addrlen = len;
		add_bound(u);
		return 0;
	}
	err = bind_path(t, u, path);
	if (err)
		return err;
	memset(&u->addr, 0, sizeof(u->addr));
	u->addr.sun_family = LINUX_AF_UNIX;
	memcpy(u->addr.sun_path, path, strlen(path));
	u->addrlen = (uint32_t)(2 + strlen(path) + 1);
	add_bound(u);
	return 0;
}

/* Finds the socket an address names; returns a referenced usock. */
static int resolve(struct task *t, const void *addr, uint32_t len, int type, struct usock **out)
{
	struct linux_sockaddr_un a;
	char path[sizeof(a.sun_path) + 1];
	path[0] = 0;
	int err = check_addr(addr, len, &a, path);
	if (err)
		return err;
	if (len == 2)
		return -EINVAL;
	struct usock *o;
	if (a.sun_path[0] == 0) {
		o = find_abstract(&a, len);
	} else {
		struct walk_result w;
		err = vfs_walk(t, AT_FDCWD, path, 0, &w);
		if (err)
			return err;
		struct inode *in = w.d->inode;
		o = S_ISSOCK(in->mode) ? find_node(in) : NULL;
		walk_result_put(&w);
	}
	if (!o || o->dead)
		return -ECONNREFUSED;
	if (o->type != type)
		return -EPROTOTYPE;
	*out = usock_get(o);
	return 0;
}

static int unix_getname(struct socket *s, void *addr, uint32_t *len, int peer)
{
	struct usock *u = U(s);
	if (peer) {
		if (!u->peer || (stream_like(u) && u->state != US_CONNECTED))
			return -ENOTCONN;
		u = u->peer;
	}
	if (!u->addrlen) {
		uint16_t fam = LINUX_AF_UNIX;
		memcpy(addr, &fam, 2);
		*len = 2;
		return 0;
	}
	memcpy(addr, &u->addr, u->addrlen);
	*len = u->addrlen;
	return 0;
}

/* ---- waiting ---- */

/* The deadline for a wait with timeout timeo_ns (0: none). */
static int64_t deadline_of(int64_t timeo_ns)
{
	return timeo_ns ? now_ns() + timeo_ns : 0;
}

/* Sleeps until a or b changes (b may be NULL) or the deadline (0: none)
 * passes: -EAGAIN then, as SO_RCVTIMEO/SO_SNDTIMEO want; a signal gives
 * -ERESTARTSYS, or -EINTR for a wait with a timeout. */
static int uwait(struct task *t, struct usock *a, struct usock *b, int64_t deadline)
{
	struct waiter w1, w2;
	waitq_add(&a->wq, &w1, t, 0);
	if (b && b != a)
		waitq_add(&b->wq, &w2, t, 0);
	int err = task_block(t, deadline, 1);
	waitq_del(&w1);
	if (b && b != a)
		waitq_del(&w2);
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	if (err)
		return deadline ? -EINTR : -ERESTARTSYS;
	return 0;
}

/* ---- connections ---- */

static int unix_listen(struct task *t, struct socket *s, int backlog)
{
	struct usock *u = U(s);
	if (u->type == LINUX_SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (!u->addrlen || u->state == US_CONNECTED)
		return -EINVAL;
	if (backlog < 0 || backlog > LINUX_SOMAXCONN)
		backlog = LINUX_SOMAXCONN;
	u->backlog = backlog;
	u->state = US_LISTENING;
	u->peercred = creds_of(t);
	u->has_peercred = 1;
	waitq_wake(&u->wq, 0);
	return 0;
}

static int stream_connect(struct task *t, struct socket *s, struct usock *l)
{
	struct usock *u = U(s);
	int64_t dl = deadline_of(u->sndtimeo);
	for (;;) {
		if (u->state == US_CONNECTED)
			return -EISCONN;
		if (l->dead || l->state != US_LISTENING)
			return -ECONNREFUSED;
		if (l->nacc <= l->backlog)
			break;
		if (socket_nonblock(s, 0))
			return -EAGAIN;
		int err = uwait(t, l, u, dl);
		if (err)
			return err;
	}
	if (u->passcred && !u->addrlen) {
		int err = autobind(u);
		if (err)
			return err;
	}
	struct usock *n = usock_new(u->type);
	if (!n)
		return -ENOMEM;
	n->state = US_CONNECTED;
	n->addr = l->addr;
	n->addrlen = l->addrlen;
	n->peercred = creds_of(t);
	n->has_peercred = 1;
	n->passcred = l->passcred;
	n->sndbuf = l->sndbuf;
	n->rcvbuf = l->rcvbuf;
	n->peer = usock_get(u);
	u->peer = usock_get(n);
	u->state = US_CONNECTED;
	u->peercred = l->peercred;
	u->has_peercred = 1;
	/* the queue takes n's first reference */
	n->acc_next = NULL;
	*l->acc_tail = n;
	l->acc_tail = &n->acc_next;
	l->nacc++;
	waitq_wake(&l->wq, 0);
	waitq_wake(&u->wq, 0);
	return 0;
}

static int unix_connect(struct task *t, struct socket *s, const void *addr, uint32_t len)
{
	struct usock *u = U(s);
	if (u->state == US_LISTENING)
		return -EINVAL;
	if (u->type == LINUX_SOCK_DGRAM && len >= 2 &&
	    ((const struct linux_sockaddr_un *)addr)->sun_family == 0 /* AF_UNSPEC */) {
		usock_put(u->peer);
		u->peer = NULL;
		u->state = US_UNCONNECTED;
		return 0;
	}
	if (stream_like(u) && u->state == US_CONNECTED)
		return -EISCONN;
	struct usock *o;
	int err = resolve(t, addr, len, u->type, &o);
	if (err)
		return err;
	if (u->type == LINUX_SOCK_DGRAM) {
		if (u->passcred && !u->addrlen)
			err = autobind(u);
		if (!err) {
			usock_put(u->peer);
			u->peer = usock_get(o);
			u->state = US_CONNECTED;
		}
	} else {
		err = stream_connect(t, s, o);
	}
	usock_put(o);
	return err;
}

static int unix_accept(struct task *t, struct socket *s, struct socket **out)
{
	struct usock *u = U(s);
	if (u->type == LINUX_SOCK_DGRAM)
		return -EOPNOTSUPP;
	int64_t dl = deadline_of(u->rcvtimeo);
	while (!u->acc_head) {
		if (u->state != US_LISTENING)
			return -EINVAL;
		if (socket_nonblock(s, 0))
			return -EAGAIN;
		int err = uwait(t, u, NULL, dl);
		if (err)
			return err;
	}
	struct socket *ns = socket_alloc(LINUX_AF_UNIX, u->type, 0, &unix_ops);
	if (!ns)
		return -ENOMEM;
	struct usock *n = u->acc_head;
	u->acc_head = n->acc_next;
	if (!u->acc_head)
		u->acc_tail = &u->acc_head;
	n->acc_next = NULL;
	u->nacc--;
	ns->priv = n; /* the queue's reference */
	waitq_wake(&u->wq, 0);
	*out = ns;
	return 0;
}

/* Closes u: the socket that held it is gone. */
static void usock_close(struct usock *u)
{
	u->dead = 1;
	unbind(u);
	while (u->acc_head) {
		struct usock *n = u->acc_head;
		u->acc_head = n->acc_next;
		n->acc_next = NULL;
		usock_close(n);
	}
	u->acc_tail = &u->acc_head;
	u->nacc = 0;
	u->state = US_UNCONNECTED;
	u->shut = RCV_SHUT | SEND_SHUT;
	struct usock *p = u->peer;
	u->peer = NULL;
	if (p) {
		if (stream_like(u)) {
			p->shut = RCV_SHUT | SEND_SHUT;
			if (u->rq)
				p->err = ECONNRESET;
		}
		waitq_wake(&p->wq, 0);
	}
	waitq_wake(&u->wq, 0);
	purge(u);
	usock_put(p);
	usock_put(u);
}

static void unix_release(struct socket *s)
{
	if (s->priv)
		usock_close(U(s));
	s->priv = NULL;
}

static int unix_shutdown(struct task *t, struct socket *s, int how)
{
	struct usock *u = U(s);
	if (how < LINUX_SHUT_RD || how > LINUX_SHUT_RDWR)
		return -EINVAL;
	int mask = how + 1; /* RCV_SHUT, SEND_SHUT or both */
	u->shut |= mask;
	waitq_wake(&u->wq, 0);
	struct usock *p = u->peer;
	if (p && stream_like(u)) {
		int pm = 0;
		if (mask & RCV_SHUT)
			pm |= SEND_SHUT;
		if (mask & SEND_SHUT)
			pm |= RCV_SHUT;
		p->shut |= pm;
		waitq_wake(&p->wq, 0);
	}
	return 0;
}

/* ---- data ---- */

static long epipe(struct task *t, int flags)
{
	if (!(flags & LINUX_MSG_NOSIGNAL)) {
		struct linux_siginfo si = {.si_signo = SIGPIPE, .si_code = SI_USER};
		signal_send(t->proc, t, &si);
	}
	return -EPIPE;
}

static struct skb *skb_make(struct usock *from, const char *data, size_t len,
			    const struct sock_msg *m, int with_scm, struct task *t)
{
	struct skb *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->data = malloc(len ? len : 1);
	if (!b->data) {
		free(b);
		return NULL;
	}
	memcpy(b->data, data, len);
	b->len = len;
	b->creds = m->has_creds ? m->creds : creds_of(t);
	b->from = from->addr;
	b->fromlen = from->addrlen;
	if (with_scm && m->nfds) {
		b->fds = calloc((size_t)m->nfds, sizeof(*b->fds));
		if (!b->fds) {
			free(b->data);
			free(b);
			return NULL;
		}
		for (int i = 0; i < m->nfds; i++)
			b->fds[i] = file_get(m->fds[i]);
		b->nfds = m->nfds;
	}
	return b;
}

static void enqueue(struct usock *to, struct skb *b)
{
	b->next = NULL;
	*to->rq_tail = b;
	to->rq_tail = &b->next;
	to->rq_bytes += b->len;
	to->rq_count++;
	waitq_wake(&to->wq, 0);
}

static int dgram_full(struct usock *o, size_t len)
{
	return o->rq_count >= UNIX_DGRAM_QLEN ||
	       (o->rq_count && o->rq_bytes + len > (size_t)o->rcvbuf);
}

static long dgram_send(struct task *t, struct socket *s, struct sock_msg *m, int flags)
{
	struct usock *u = U(s);
	struct usock *o;
	if (m->len > (size_t)u->sndbuf)
		return -EMSGSIZE;
	if (m->addrlen) {
		int err = resolve(t, m->addr, m->addrlen, u->type, &o);
		if (err)
			return err;
	} else {
		if (!u->peer)
			return -ENOTCONN;
		o = usock_get(u->peer);
	}
	long r;
	int64_t dl = deadline_of(u->sndtimeo);
	for (;;) {
		if (u->shut & SEND_SHUT) {
			r = epipe(t, flags);
			break;
		}
		if (o->dead) {
			if (o == u->peer) {
				usock_put(u->peer);
				u->peer = NULL;
				u->state = US_UNCONNECTED;
			}
			r = -ECONNREFUSED;
			break;
		}
		if (o->peer && o->peer != u && !o->peer->dead) {
			r = -EPERM;
			break;
		}
		if (o->shut & RCV_SHUT) {
			r = epipe(t, flags);
			break;
		}
		if (!dgram_full(o, m->len)) {
			if (o->passcred && !u->addrlen && (r = autobind(u)) < 0)
				break;
			struct skb *b = skb_make(u, m->buf, m->len, m, 1, t);
			if (!b) {
				r = -ENOMEM;
				break;
			}
			enqueue(o, b);
			r = (long)m->len;
			break;
		}
		if (socket_nonblock(s, flags)) {
			r = -EAGAIN;
			break;
		}
		r = uwait(t, o, u, dl);
		if (r)
			break;
	}
	usock_put(o);
	return r;
}

static size_t stream_room(struct usock *p)
{
	size_t lim = (size_t)p->rcvbuf;
	return p->rq_bytes >= lim ? 0 : lim - p->rq_bytes;
}

static long stream_send(struct task *t, struct socket *s, struct sock_msg *m, int flags)
{
	struct usock *u = U(s);
	if (m->addrlen)
		return u->state == US_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	if (u->state != US_CONNECTED || !u->peer)
		return (u->shut & SEND_SHUT) ? epipe(t, flags) : -ENOTCONN;
	int seq = u->type == LINUX_SOCK_SEQPACKET;
	if (seq && m->len > (size_t)u->sndbuf)
		return -EMSGSIZE;
	if (!seq && !m->len) /* Linux sends nothing, not even rights */
		return 0;
	struct usock *p = usock_get(u->peer);
	size_t done = 0;
	int sent = 0;
	long r = 0;
	int64_t dl = deadline_of(u->sndtimeo);
	while (!sent || done < m->len) {
		if ((u->shut & SEND_SHUT) || p->dead || (p->shut & RCV_SHUT)) {
			r = epipe(t, flags);
			break;
		}
		size_t room = stream_room(p);
		size_t want = seq ? m->len : m->len - done;
		if (!seq && want > UNIX_CHUNK)
			want = UNIX_CHUNK;
		if (room == 0 || (seq && room < want && p->rq_count)) {
			if (socket_nonblock(s, flags)) {
				r = -EAGAIN;
				break;
			}
			r = uwait(t, p, u, dl);
			if (r)
				break;
			continue;
		}
		if (!seq && want > room)
			want = room;
		struct skb *b = skb_make(u, m->buf + done, want, m, !sent, t);
		if (!b) {
			r = -ENOMEM;
			break;
		}
		enqueue(p, b);
		done += want;
		sent = 1;
	}
	usock_put(p);
	if (done || (sent && !m->len))
		return (long)done;
	return r;
}

static long unix_sendmsg(struct task *t, struct socket *s, struct sock_msg *m, int flags)
{
	if (flags & LINUX_MSG_OOB)
		return -EOPNOTSUPP;
	if (U(s)->type == LINUX_SOCK_DGRAM)
		return dgram_send(t, s, m, flags);
	return stream_send(t, s, m, flags);
}

static void dequeue_head(struct usock *u)
{
	struct skb *b = u->rq;
	u->rq = b->next;
	if (!u->rq)
		u->rq_tail = &u->rq;
	u->rq_count--;
	u->rq_bytes -= b->len - b->off;
	skb_free(b);
}

/* Hands b's files to m (taking them over, or new references for a peek). */
static void take_scm(struct usock *u, struct skb *b, struct sock_msg *m, int peek)
{
	if (u->passcred) {
		m->has_creds = 1;
		m->creds = b->creds;
	}
	if (!b->nfds || m->fds)
		return;
	m->fds = calloc((size_t)b->nfds, sizeof(*m->fds));
	if (!m->fds)
		return;
	for (int i = 0; i < b->nfds; i++)
		m->fds[i] = peek ? file_get(b->fds[i]) : b->fds[i];
	m->nfds = b->nfds;
	if (!peek) {
		free(b->fds);
		b->fds = NULL;
		b->nfds = 0;
	}
}

/* Waits for data; returns 0 when the queue has some, 1 at end of file,
 * or a negative errno. */
static long wait_data(struct task *t, struct socket *s, int flags, int64_t dl)
{
	struct usock *u = U(s);
	while (!u->rq) {
		if (u->err) {
			int e = u->err;
			u->err = 0;
			return -e;
		}
		if (u->shut & RCV_SHUT)
			return 1;
		if (socket_nonblock(s, flags))
			return -EAGAIN;
		long err = uwait(t, u, NULL, dl);
		if (err)
			return err;
	}
	return 0;
}

static long unix_recvmsg(struct task *t, struct socket *s, struct sock_msg *m, int flags)
{
	struct usock *u = U(s);
	int peek = flags & LINUX_MSG_PEEK;
	if (flags & LINUX_MSG_OOB)
		return -EOPNOTSUPP;
	if (u->state == US_LISTENING)
		return -EINVAL;
	if (u->type == LINUX_SOCK_SEQPACKET && u->state != US_CONNECTED && !u->rq)
		return -ENOTCONN;
	if (u->type == LINUX_SOCK_STREAM && u->state == US_UNCONNECTED && !u->rq && !u->shut)
		return -EINVAL;
	int64_t dl = deadline_of(u->rcvtimeo);
	long r = wait_data(t, s, flags, dl);
	if (r)
		return r > 0 ? 0 : r;
	if (u->type != LINUX_SOCK_STREAM) {
		struct skb *b = u->rq;
		size_t n = b->len < m->len ? b->len : m->len;
		memcpy(m->buf, b->data, n);
		if (b->len > m->len)
			m->flags |= LINUX_MSG_TRUNC;
		memcpy(m->addr, &b->from, b->fromlen);
		m->addrlen = b->fromlen;
		take_scm(u, b, m, peek);
		r = (flags & LINUX_MSG_TRUNC) ? (long)b->len : (long)n;
		if (!peek) {
			dequeue_head(u);
			waitq_wake(&u->wq, 0);
		}
		return r;
	}
	/* stream: bytes from several segments, stopping at one carrying files */
	size_t done = 0;
	int waitall = (flags & LINUX_MSG_WAITALL) && !peek;
	for (;;) {
		size_t peek_off = 0;
		for (struct skb *b = u->rq; b && done < m->len;) {
			if (done && b->nfds)
				break;
			size_t off = b->off;
			if (peek) {
				off += peek_off;
				if (off >= b->len) {
					peek_off = 0;
					b = b->next;
					continue;
				}
			}
			size_t n = b->len - off;
			if (n > m->len - done)
				n = m->len - done;
			memcpy(m->buf + done, b->data + off, n);
			if (!done) {
				memcpy(m->addr, &b->from, b->fromlen);
				m->addrlen = b->fromlen;
			}
			done += n;
			int had_fds = b->nfds;
			take_scm(u, b, m, peek);
			if (peek) {
				peek_off += n;
				continue;
			}
			b->off += n;
			u->rq_bytes -= n;
			if (b->off == b->len) {
				b = b->next;
				/* dequeue_head subtracts the remaining (zero) bytes */
				dequeue_head(u);
			}
			if (had_fds)
				break;
		}
		if (!peek)
			waitq_wake(&u->wq, 0);
		if (!waitall || done >= m->len)
			break;
		r = wait_data(t, s, flags, dl);
		if (r)
			break;
	}
	if (done)
		return (long)done;
	return r < 0 ? r : 0;
}

/* ---- readiness, ioctls, options ---- */

static unsigned unix_poll(struct socket *s, struct poll_table *pt)
{
	struct usock *u = U(s);
	unsigned m = 0;
	if (u->err)
		m |= POLLERR;
	if (u->shut == (RCV_SHUT | SEND_SHUT))
		m |= POLLHUP;
	if (u->shut & RCV_SHUT)
		m |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->rq || u->acc_head)
		m |= POLLIN | POLLRDNORM;
	if (stream_like(u) && u->state == US_UNCONNECTED)
		m |= POLLHUP;
	int writable = u->state != US_LISTENING;
	struct usock *p = u->peer;
	if (writable && p && !p->dead) {
		if (u->type == LINUX_SOCK_DGRAM)
			writable = !(p->peer != u && dgram_full(p, 1));
		else
			writable = stream_room(p) > 0;
	}
	if (writable)
		m |= POLLOUT | POLLWRNORM | POLLWRBAND;
	poll_wait_on(pt, &u->wq, 0);
	if (p)
		poll_wait_on(pt, &p->wq, 0);
	return m;
}

static long unix_ioctl(struct task *t, struct socket *s, unsigned cmd, uint64_t arg)
{
	struct usock *u = U(s);
	int n = 0;
	switch (cmd) {
	case FIONREAD: /* SIOCINQ */
		if (u->state == US_LISTENING)
			return -EINVAL;
		if (u->type == LINUX_SOCK_DGRAM)
			n = u->rq ? (int)u->rq->len : 0;
		else
			n = (int)u->rq_bytes;
		break;
	case TIOCOUTQ: /* SIOCOUTQ */
		if (u->state == US_LISTENING)
			return -EINVAL;
		n = u->peer && u->type != LINUX_SOCK_DGRAM ? (int)u->peer->rq_bytes : 0;
		break;
	default:
		return -ENOTTY;
	}
	return copy_out(t, arg, &n, sizeof(n)) ? -EFAULT : 0;
}

static int unix_getsockopt(struct task *t, struct socket *s, int level, int name, void *val,
			   uint32_t *len)
{
	struct usock *u = U(s);
	int v = 0;
	if (level != LINUX_SOL_SOCKET)
		return -EOPNOTSUPP;
	switch (name) {
	case LINUX_SO_TYPE:
		v = u->type;
		break;
	case LINUX_SO_ERROR:
		v = u->err;
		u->err = 0;
		break;
	case LINUX_SO_DOMAIN:
		v = LINUX_AF_UNIX;
		break;
	case LINUX_SO_PROTOCOL:
		v = 0;
		break;
	case LINUX_SO_ACCEPTCONN:
		v = u->state == US_LISTENING;
		break;
	case LINUX_SO_SNDBUF:
		v = u->sndbuf;
		break;
	case LINUX_SO_RCVBUF:
		v = u->rcvbuf;
		break;
	case LINUX_SO_REUSEADDR:
		v = u->reuseaddr;
		break;
	case LINUX_SO_KEEPALIVE:
		v = u->keepalive;
		break;
	case LINUX_SO_PASSCRED:
		v = u->passcred;
		break;
	case LINUX_SO_RCVLOWAT:
	case LINUX_SO_SNDLOWAT:
		v = 1;
		break;
	case LINUX_SO_DEBUG:
	case LINUX_SO_DONTROUTE:
	case LINUX_SO_BROADCAST:
	case LINUX_SO_REUSEPORT:
		v = 0;
		break;
	case LINUX_SO_PEERCRED: {
		struct linux_ucred c = {.pid = 0, .uid = 65534, .gid = 65534};
		if (u->has_peercred)
			c = u->peercred;
		memcpy(val, &c, sizeof(c));
		*len = sizeof(c);
		return 0;
	}
	case LINUX_SO_LINGER:
		memcpy(val, &u->linger, sizeof(u->linger));
		*len = sizeof(u->linger);
		return 0;
	case LINUX_SO_RCVTIMEO:
	case LINUX_SO_SNDTIMEO: {
		int64_t ns = name == LINUX_SO_RCVTIMEO ? u->rcvtimeo : u->sndtimeo;
		int64_t tv[2] = {ns / 1000000000, (ns % 1000000000) / 1000};
		memcpy(val, tv, sizeof(tv));
		*len = sizeof(tv);
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

static int unix_setsockopt(struct task *t, struct socket *s, int level, int name, const void *val,
			   uint32_t len)
{
	struct usock *u = U(s);
	if (level != LINUX_SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == LINUX_SO_LINGER) {
		if (len < sizeof(u->linger))
			return -EINVAL;
		memcpy(&u->linger, val, sizeof(u->linger));
		return 0;
	}
	if (name == LINUX_SO_RCVTIMEO || name == LINUX_SO_SNDTIMEO) {
		int64_t tv[2];
		if (len < sizeof(tv))
			return -EINVAL;
		memcpy(tv, val, sizeof(tv));
		if (tv[1] < 0 || tv[1] >= 1000000)
			return -EDOM;
		/* Linux takes a negative time as "do not wait"; here it means no
		 * timeout, like a huge one */
		int64_t ns =
		    tv[0] < 0 || tv[0] > (1LL << 32) ? 0 : tv[0] * 1000000000 + tv[1] * 1000;
		if (name == LINUX_SO_RCVTIMEO)
			u->rcvtimeo = ns;
		else
			u->sndtimeo = ns;
		return 0;
	}
	if (len < sizeof(int))
		return -EINVAL;
	int v;
	memcpy(&v, val, sizeof(v));
	if (v < 0)
		v = 0;
	switch (name) {
	case LINUX_SO_SNDBUF:
	case LINUX_SO_SNDBUFFORCE:
		if (v > UNIX_BUF_MAX)
			v = UNIX_BUF_MAX;
		u->sndbuf = v * 2 < 4608 ? 4608 : v * 2;
		waitq_wake(&u->wq, 0);
		return 0;
	case LINUX_SO_RCVBUF:
	case LINUX_SO_RCVBUFFORCE:
		if (v > UNIX_BUF_MAX)
			v = UNIX_BUF_MAX;
		u->rcvbuf = v * 2 < 2304 ? 2304 : v * 2;
		waitq_wake(&u->wq, 0);
		return 0;
	case LINUX_SO_REUSEADDR:
		u->reuseaddr = !!v;
		return 0;
	case LINUX_SO_KEEPALIVE:
		u->keepalive = !!v;
		return 0;
	case LINUX_SO_PASSCRED:
		u->passcred = !!v;
		return 0;
	case LINUX_SO_DEBUG:
	case LINUX_SO_DONTROUTE:
	case LINUX_SO_BROADCAST:
	case LINUX_SO_REUSEPORT:
	case LINUX_SO_RCVLOWAT:
	case LINUX_SO_SNDLOWAT:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static const struct sock_ops unix_ops = {
    .bind = unix_bind,
    .connect = unix_connect,
    .listen = unix_listen,
    .accept = unix_accept,
    .sendmsg = unix_sendmsg,
    .recvmsg = unix_recvmsg,
    .shutdown = unix_shutdown,
    .getname = unix_getname,
    .getsockopt = unix_getsockopt,
    .setsockopt = unix_setsockopt,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
    .release = unix_release,
};

static int check_type(int *type, int protocol)
{
	if (protocol && protocol != LINUX_AF_UNIX)
		return -EPROTONOSUPPORT;
	if (*type == 3 /* SOCK_RAW */)
		*type = LINUX_SOCK_DGRAM;
	if (*type != LINUX_SOCK_STREAM && *type != LINUX_SOCK_DGRAM &&
	    *type != LINUX_SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	return 0;
}

static int make_socket(int type, struct socket **out)
{
	struct socket *s = socket_alloc(LINUX_AF_UNIX, type, 0, &unix_ops);
	struct usock *u = s ? usock_new(type) : NULL;
	if (!u) {
		free(s);
		return -ENOMEM;
	}
	s->priv = u;
	*out = s;
	return 0;
}

int unix_create(struct task *t, int type, int protocol, struct socket **out)
{
	int err = check_type(&type, protocol);
	return err ? err : make_socket(type, out);
}

int unix_create_pair(struct task *t, int type, int protocol, struct socket **a, struct socket **b)
{
	int err = check_type(&type, protocol);
	if (err)
		return err;
	if ((err = make_socket(type, a)))
		return err;
	if ((err = make_socket(type, b))) {
		usock_close(U(*a));
		free(*a);
		return err;
	}
	struct usock *x = U(*a), *y = U(*b);
	x->peer = usock_get(y);
	y->peer = usock_get(x);
	x->state = y->state = US_CONNECTED;
	x->peercred = y->peercred = creds_of(t);
	x->has_peercred = y->has_peercred = 1;
	return 0;
}
