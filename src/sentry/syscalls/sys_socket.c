/* Sockets: socket, socketpair, bind, listen, accept(4), connect, the send
 * and receive calls with their control messages (SCM_RIGHTS,
 * SCM_CREDENTIALS), shutdown, names and options. This layer copies to and
 * from the application; the families (net/) see kernel buffers only. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/vfs.h"
#include "sentry/net/socket.h"
#include "sentry/syscalls/syscalls.h"

#define MAX_IOV	    1024
#define MAX_MSG	    (64L << 20) /* the most one call moves */
#define MAX_CONTROL 65536
#define SCM_MAX_FD  253

/* The socket behind fd: a referenced file in *fp, or -EBADF/-ENOTSOCK. */
static int sock_fd(struct task *t, int fd, struct file **fp, struct socket **sp)
{
	struct file *f = fdt_get(t->files, fd);
	if (!f)
		return -EBADF;
	struct socket *s = socket_of(f);
	if (!s) {
		file_put(f);
		return -ENOTSOCK;
	}
	*fp = f;
	*sp = s;
	return 0;
}

static int install_socket(struct task *t, struct socket *s, int flags)
{
	struct file *f = socket_file(s, (flags & LINUX_SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	if (!f)
		return -ENOMEM;
	return fd_install(t, f, !!(flags & LINUX_SOCK_CLOEXEC));
}

SYSCALL(socket)
{
	int type = (int)a[1];
	if ((type & ~(LINUX_SOCK_TYPE_MASK | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC)) ||
	    (type & LINUX_SOCK_TYPE_MASK) >= LINUX_SOCK_MAX)
		return -EINVAL;
	struct socket *s;
	int err = socket_create(t, (int)a[0], type & LINUX_SOCK_TYPE_MASK, (int)a[2], &s);
	if (err)
		return err;
	return install_socket(t, s, type);
}

SYSCALL(socketpair)
{
	int type = (int)a[1];
	if ((type & ~(LINUX_SOCK_TYPE_MASK | LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC)) ||
	    (type & LINUX_SOCK_TYPE_MASK) >= LINUX_SOCK_MAX)
		return -EINVAL;
	struct socket *x, *y;
	int err = socket_create_pair(t, (int)a[0], type & LINUX_SOCK_TYPE_MASK, (int)a[2], &x, &y);
	if (err)
		return err;
	struct file *fx = socket_file(x, (type & LINUX_SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	struct file *fy = socket_file(y, (type & LINUX_SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	if (!fx || !fy) {
		file_put(fx);
		file_put(fy);
		return -ENOMEM;
	}
	int cloexec = !!(type & LINUX_SOCK_CLOEXEC);
	int fds[2];
	fds[0] = fd_install(t, fx, cloexec);
	if (fds[0] < 0) {
		file_put(fy);
		return fds[0];
	}
	fds[1] = fd_install(t, fy, cloexec);
	if (fds[1] < 0) {
		fdt_close(t->files, fds[0]);
		return fds[1];
	}
	if (copy_out(t, a[3], fds, sizeof(fds))) {
		fdt_close(t->files, fds[0]);
		fdt_close(t->files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

static int addr_in(struct task *t, uint64_t uaddr, uint64_t len, char *buf)
{
	if (len > SOCK_ADDR_MAX)
		return -EINVAL;
	if (len && copy_in(t, uaddr, buf, len))
		return -EFAULT;
	return 0;
}

/* Writes an address out as accept/getsockname/recvfrom do: at most the
 * room *ulen says, and the real length back into *ulen. */
static int addr_out(struct task *t, uint64_t uaddr, uint64_t ulen, const void *addr, uint32_t len)
{
	if (!uaddr || !ulen)
		return 0;
	int room;
	if (copy_in(t, ulen, &room, sizeof(room)))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	uint32_t n = len < (uint32_t)room ? len : (uint32_t)room;
	if (n && copy_out(t, uaddr, addr, n))
		return -EFAULT;
	int l = (int)len;
	return copy_out(t, ulen, &l, sizeof(l)) ? -EFAULT : 0;
}

SYSCALL(bind)
{
	char addr[SOCK_ADDR_MAX];
	int err = addr_in(t, a[1], (uint32_t)a[2], addr);
	if (err)
		return err;
	struct file *f;
	struct socket *s;
	if ((err = sock_fd(t, (int)a[0], &f, &s)))
		return err;
	err = s->ops->bind ? s->ops->bind(t, s, addr, (uint32_t)a[2]) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL(connect)
{
	char addr[SOCK_ADDR_MAX];
	int err = addr_in(t, a[1], (uint32_t)a[2], addr);
	if (err)
		return err;
	struct file *f;
	struct socket *s;
	if ((err = sock_fd(t, (int)a[0], &f, &s)))
		return err;
	err = s->ops->connect ? s->ops->connect(t, s, addr, (uint32_t)a[2]) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL(listen)
{
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, (int)a[0], &f, &s);
	if (err)
		return err;
	err = s->ops->listen ? s->ops->listen(t, s, (int)a[1]) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

static long do_accept4(struct task *t, int fd, uint64_t uaddr, uint64_t ulen, int flags)
{
	if (flags & ~(LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC))
		return -EINVAL;
	if (uaddr && ulen) {
		int room;
		if (copy_in(t, ulen, &room, sizeof(room)))
			return -EFAULT;
		if (room < 0)
			return -EINVAL;
	}
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, fd, &f, &s);
	if (err)
		return err;
	struct socket *ns;
	err = s->ops->accept ? s->ops->accept(t, s, &ns) : -EOPNOTSUPP;
	file_put(f);
	if (err)
		return err == -ERESTARTSYS ? -ERESTARTSYS : err;
	char addr[SOCK_ADDR_MAX];
	uint32_t len = sizeof(addr);
	if (uaddr && ns->ops->getname(ns, addr, &len, 1) == 0)
		err = addr_out(t, uaddr, ulen, addr, len);
	struct file *nf = socket_file(ns, (flags & LINUX_SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	if (!nf)
		return -ENOMEM;
	if (err) {
		file_put(nf);
		return err;
	}
	return fd_install(t, nf, !!(flags & LINUX_SOCK_CLOEXEC));
}

SYSCALL(accept)
{
	return do_accept4(t, (int)a[0], a[1], a[2], 0);
}

SYSCALL(accept4)
{
	return do_accept4(t, (int)a[0], a[1], a[2], (int)a[3]);
}

static long do_getname(struct task *t, const uint64_t *a, int peer)
{
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, (int)a[0], &f, &s);
	if (err)
		return err;
	char addr[SOCK_ADDR_MAX];
	uint32_t len = sizeof(addr);
	err = s->ops->getname ? s->ops->getname(s, addr, &len, peer) : -EOPNOTSUPP;
	file_put(f);
	if (err)
		return err;
	if (!a[2])
		return -EFAULT;
	return addr_out(t, a[1], a[2], addr, len);
}

SYSCALL(getsockname)
{
	return do_getname(t, a, 0);
}

SYSCALL(getpeername)
{
	return do_getname(t, a, 1);
}

SYSCALL(shutdown)
{
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, (int)a[0], &f, &s);
	if (err)
		return err;
	err = s->ops->shutdown ? s->ops->shutdown(t, s, (int)a[1]) : -EOPNOTSUPP;
	file_put(f);
	return err;
}

SYSCALL(getsockopt)
{
	int room;
	if (copy_in(t, a[4], &room, sizeof(room)))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, (int)a[0], &f, &s);
	if (err)
		return err;
	char val[128];
	uint32_t len = sizeof(val);
	err = s->ops->getsockopt ? s->ops->getsockopt(t, s, (int)a[1], (int)a[2], val, &len)
				 : -ENOPROTOOPT;
	file_put(f);
	if (err)
		return err;
	if (len > (uint32_t)room)
		len = (uint32_t)room;
	if (len && copy_out(t, a[3], val, len))
		return -EFAULT;
	int l = (int)len;
	return copy_out(t, a[4], &l, sizeof(l)) ? -EFAULT : 0;
}

SYSCALL(setsockopt)
{
	uint32_t len = (uint32_t)a[4];
	if ((int)len < 0)
		return -EINVAL;
	char val[128];
	memset(val, 0, sizeof(val));
	uint32_t n = len < sizeof(val) ? len : sizeof(val);
	if (n && copy_in(t, a[3], val, n))
		return -EFAULT;
	struct file *f;
	struct socket *s;
	int err = sock_fd(t, (int)a[0], &f, &s);
	if (err)
		return err;
	err = s->ops->setsockopt ? s->ops->setsockopt(t, s, (int)a[1], (int)a[2], val, n)
				 : -ENOPROTOOPT;
	file_put(f);
	return err;
}

/* ---- send ---- */

static void msg_free_fds(struct sock_msg *m)
{
	for (int i = 0; i < m->nfds; i++)
		file_put(m->fds[i]);
	free(m->fds);
	m->fds = NULL;
	m->nfds = 0;
}

/* Parses control messages into m (file references taken). */
static long control_in(struct task *t, uint64_t uctl, uint64_t len, struct sock_msg *m)
{
	if (!len)
		return 0;
	if (len > MAX_CONTROL)
		return -ENOBUFS;
	char *buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	long err = copy_in(t, uctl, buf, len) ? -EFAULT : 0;
	uint64_t off = 0;
	while (!err && off + sizeof(struct linux_cmsghdr) <= len) {
		struct linux_cmsghdr h;
		memcpy(&h, buf + off, sizeof(h));
		if (h.len < sizeof(h) || h.len > len - off) {
			err = -EINVAL;
			break;
		}
		const char *data = buf + off + sizeof(h);
		uint64_t dlen = h.len - sizeof(h);
		if (h.level != LINUX_SOL_SOCKET) {
			err = -EINVAL;
		} else if (h.type == LINUX_SCM_RIGHTS) {
			int n = (int)(dlen / sizeof(int));
			if (m->nfds + n > SCM_MAX_FD) {
				err = -EINVAL;
				break;
			}
			struct file **fds =
			    realloc(m->fds, (size_t)(m->nfds + n + 1) * sizeof(*fds));
			if (!fds) {
				err = -ENOMEM;
				break;
			}
			m->fds = fds;
			for (int i = 0; i < n; i++) {
				int fd;
				memcpy(&fd, data + i * sizeof(int), sizeof(fd));
				struct file *f = fdt_get(t->files, fd);
				if (!f) {
					err = -EBADF;
					break;
				}
				m->fds[m->nfds++] = f;
			}
		} else if (h.type == LINUX_SCM_CREDENTIALS) {
			if (dlen < sizeof(m->creds)) {
				err = -EINVAL;
				break;
			}
			memcpy(&m->creds, data, sizeof(m->creds));
			struct creds *c = &t->proc->creds;
			int root = c->euid == 0;
			if (!root && (m->creds.pid != t->proc->pid ||
				      (m->creds.uid != c->ruid && m->creds.uid != c->euid &&
				       m->creds.uid != c->suid) ||
				      (m->creds.gid != c->rgid && m->creds.gid != c->egid &&
				       m->creds.gid != c->sgid)))
				err = -EPERM;
			m->has_creds = 1;
		} else {
			err = -EINVAL;
		}
		off += LINUX_CMSG_ALIGN(h.len);
	}
	free(buf);
	if (err)
		msg_free_fds(m);
	return err;
}

/* Gathers an iovec array from the application into m->buf. */
static long gather(struct task *t, uint64_t uiov, uint64_t cnt, struct sock_msg *m)
{
	if (cnt > MAX_IOV)
		return -EMSGSIZE;
	struct linux_iovec *iov = calloc(cnt ? cnt : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	long err = 0;
	uint64_t total = 0;
	if (cnt && copy_in(t, uiov, iov, cnt * sizeof(*iov)))
		err = -EFAULT;
	for (uint64_t i = 0; !err && i < cnt; i++) {
		if ((int64_t)iov[i].len < 0)
			err = -EINVAL;
		else if ((total += iov[i].len) > MAX_MSG)
			err = -EMSGSIZE;
	}
	if (!err) {
		m->buf = malloc(total ? total : 1);
		if (!m->buf)
			err = -ENOMEM;
	}
	size_t done = 0;
	for (uint64_t i = 0; !err && i < cnt; i++) {
		if (iov[i].len && copy_in(t, iov[i].base, m->buf + done, iov[i].len))
			err = -EFAULT;
		done += iov[i].len;
	}
	m->len = done;
	free(iov);
	return err;
}

static long send_common(struct task *t, int fd, struct sock_msg *m, int flags)
{
	struct file *f;
	struct socket *s;
	long err = sock_fd(t, fd, &f, &s);
	if (err)
		return err;
	err = s->ops->sendmsg(t, s, m, flags);
	file_put(f);
	return err;
}

SYSCALL(sendto)
{
	struct sock_msg m;
	memset(&m, 0, sizeof(m));
	struct linux_iovec iov = {a[1], a[2]};
	long err = 0;
	if (a[4]) {
		if ((err = addr_in(t, a[4], (uint32_t)a[5], m.addr)))
			return err;
		m.addrlen = (uint32_t)a[5];
	}
	if (iov.len > (uint64_t)MAX_MSG)
		iov.len = MAX_MSG;
	m.buf = malloc(iov.len ? iov.len : 1);
	if (!m.buf)
		return -ENOMEM;
	m.len = iov.len;
	if (iov.len && copy_in(t, iov.base, m.buf, iov.len))
		err = -EFAULT;
	if (!err)
		err = send_common(t, (int)a[0], &m, (int)a[3]);
	free(m.buf);
	return err;
}

static long do_sendmsg(struct task *t, int fd, uint64_t umsg, int flags)
{
	struct linux_msghdr h;
	if (copy_in(t, umsg, &h, sizeof(h)))
		return -EFAULT;
	struct sock_msg m;
	memset(&m, 0, sizeof(m));
	long err = 0;
	if (h.name && h.namelen) {
		if ((err = addr_in(t, h.name, h.namelen, m.addr)))
			return err;
		m.addrlen = h.namelen;
	}
	err = gather(t, h.iov, h.iovlen, &m);
	if (!err)
		err = control_in(t, h.control, h.controllen, &m);
	if (!err)
		err = send_common(t, fd, &m, flags);
	msg_free_fds(&m);
	free(m.buf);
	return err;
}

SYSCALL(sendmsg)
{
	return do_sendmsg(t, (int)a[0], a[1], (int)a[2]);
}

SYSCALL(sendmmsg)
{
	uint64_t n = a[2] > MAX_IOV ? MAX_IOV : a[2];
	long done = 0, err = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t um = a[1] + i * sizeof(struct linux_mmsghdr);
		err = do_sendmsg(t, (int)a[0], um, (int)a[3]);
		if (err < 0)
			break;
		uint32_t len = (uint32_t)err;
		if (copy_out(t, um + offsetof(struct linux_mmsghdr, len), &len, sizeof(len))) {
			err = -EFAULT;
			break;
		}
		done++;
	}
	return done ? done : err;
}

/* ---- receive ---- */

static long recv_common(struct task *t, int fd, struct sock_msg *m, int flags)
{
	struct file *f;
	struct socket *s;
	long err = sock_fd(t, fd, &f, &s);
	if (err)
		return err;
	err = s->ops->recvmsg(t, s, m, flags & ~LINUX_MSG_CMSG_CLOEXEC);
	file_put(f);
	return err;
}

SYSCALL(recvfrom)
{
	struct sock_msg m;
	memset(&m, 0, sizeof(m));
	size_t len = a[2] > (uint64_t)MAX_MSG ? (size_t)MAX_MSG : a[2];
	m.buf = malloc(len ? len : 1);
	if (!m.buf)
		return -ENOMEM;
	m.len = len;
	long r = recv_common(t, (int)a[0], &m, (int)a[3]);
	msg_free_fds(&m);
	if (r >= 0) {
		size_t n = (size_t)r < len ? (size_t)r : len;
		if (n && copy_out(t, a[1], m.buf, n))
			r = -EFAULT;
		else if (a[4] && a[5]) {
			long e = addr_out(t, a[4], a[5], m.addr, m.addrlen);
			if (e)
				r = e;
		}
	}
	free(m.buf);
	return r;
}

/* Builds the control data of a received message and installs its files. */
static long control_out(struct task *t, struct linux_msghdr *h, struct sock_msg *m, int flags)
{
	uint64_t room = h->control ? h->controllen : 0;
	if (room > MAX_CONTROL)
		room = MAX_CONTROL;
	char *buf = calloc(1, room ? room : 1);
	if (!buf)
		return -ENOMEM;
	uint64_t used = 0;
	int ctrunc = 0;
	if (m->has_creds) {
		uint64_t need = sizeof(struct linux_cmsghdr) + sizeof(m->creds);
		if (room - used >= need) {
			struct linux_cmsghdr c = {need, LINUX_SOL_SOCKET, LINUX_SCM_CREDENTIALS};
			memcpy(buf + used, &c, sizeof(c));
			memcpy(buf + used + sizeof(c), &m->creds, sizeof(m->creds));
			used += LINUX_CMSG_ALIGN(need);
			if (used > room)
				used = room;
		} else {
			ctrunc = 1;
		}
	}
	if (m->nfds) {
		uint64_t avail = room - used;
		int fit = avail > sizeof(struct linux_cmsghdr)
			      ? (int)((avail - sizeof(struct linux_cmsghdr)) / sizeof(int))
			      : 0;
		if (fit > m->nfds)
			fit = m->nfds;
		int n = 0;
		for (; n < fit; n++) {
			int fd = fd_install(t, m->fds[n], !!(flags & LINUX_MSG_CMSG_CLOEXEC));
			m->fds[n] = NULL; /* taken over, even on failure */
			if (fd < 0)
				break;
			memcpy(buf + used + sizeof(struct linux_cmsghdr) + n * sizeof(int), &fd,
			       sizeof(fd));
		}
		for (int i = n; i < m->nfds; i++)
			file_put(m->fds[i]);
		if (n < m->nfds)
			ctrunc = 1;
		if (n) {
			uint64_t clen = sizeof(struct linux_cmsghdr) + n * sizeof(int);
			struct linux_cmsghdr c = {clen, LINUX_SOL_SOCKET, LINUX_SCM_RIGHTS};
			memcpy(buf + used, &c, sizeof(c));
			used += LINUX_CMSG_ALIGN(clen);
			if (used > room)
				used = room;
		}
		free(m->fds);
		m->fds = NULL;
		m->nfds = 0;
	}
	long err = 0;
	if (used && copy_out(t, h->control, buf, used))
		err = -EFAULT;
	free(buf);
	h->controllen = used;
	if (ctrunc)
		h->flags |= LINUX_MSG_CTRUNC;
	return err;
}

static long do_recvmsg(struct task *t, int fd, uint64_t umsg, int flags)
{
	struct linux_msghdr h;
	if (copy_in(t, umsg, &h, sizeof(h)))
		return -EFAULT;
	if (h.iovlen > MAX_IOV)
		return -EMSGSIZE;
	struct linux_iovec *iov = calloc(h.iovlen ? h.iovlen : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	long r = 0;
	uint64_t total = 0;
	if (h.iovlen && copy_in(t, h.iov, iov, h.iovlen * sizeof(*iov)))
		r = -EFAULT;
	for (uint64_t i = 0; !r && i < h.iovlen; i++) {
		if ((int64_t)iov[i].len < 0)
			r = -EINVAL;
		else
			total += iov[i].len;
	}
	if (total > (uint64_t)MAX_MSG)
		total = MAX_MSG;
	struct sock_msg m;
	memset(&m, 0, sizeof(m));
	if (!r) {
		m.buf = malloc(total ? total : 1);
		m.len = total;
		r = m.buf ? recv_common(t, fd, &m, flags) : -ENOMEM;
	}
	if (r >= 0) {
		size_t n = (size_t)r < total ? (size_t)r : total, done = 0;
		for (uint64_t i = 0; done < n && i < h.iovlen; i++) {
			size_t c = iov[i].len < n - done ? iov[i].len : n - done;
			if (c && copy_out(t, iov[i].base, m.buf + done, c)) {
				r = -EFAULT;
				break;
			}
			done += c;
		}
	}
	if (r >= 0) {
		h.flags = m.flags;
		if (h.name && h.namelen) {
			uint32_t c = m.addrlen < h.namelen ? m.addrlen : h.namelen;
			if (c && copy_out(t, h.name, m.addr, c))
				r = -EFAULT;
		}
		h.namelen = m.addrlen;
		long e = control_out(t, &h, &m, flags);
		if (e)
			r = e;
		if (r >= 0 && copy_out(t, umsg, &h, sizeof(h)))
			r = -EFAULT;
	}
	msg_free_fds(&m);
	free(m.buf);
	free(iov);
	return r;
}

SYSCALL(recvmsg)
{
	return do_recvmsg(t, (int)a[0], a[1], (int)a[2]);
}

SYSCALL(recvmmsg)
{
	uint64_t n = a[2] > MAX_IOV ? MAX_IOV : a[2];
	long done = 0, err = 0;
	int flags = (int)a[3];
	for (uint64_t i = 0; i < n; i++) {
		uint64_t um = a[1] + i * sizeof(struct linux_mmsghdr);
		int f = flags & ~LINUX_MSG_WAITFORONE;
		if (done && (flags & LINUX_MSG_WAITFORONE))
			f |= LINUX_MSG_DONTWAIT;
		err = do_recvmsg(t, (int)a[0], um, f);
		if (err < 0)
			break;
		uint32_t len = (uint32_t)err;
		if (copy_out(t, um + offsetof(struct linux_mmsghdr, len), &len, sizeof(len))) {
			err = -EFAULT;
			break;
		}
		done++;
	}
	return done ? done : err;
}
