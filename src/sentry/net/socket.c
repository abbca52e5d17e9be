/* The generic socket file; see socket.h. read/write/poll/ioctl on a socket
 * file go to its family's operations with no flags. */
#include "sentry/net/socket.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"
#include "sentry/syscalls/syscalls.h"

static const struct file_ops sock_fops;
static struct fs sockfs = {.name = "sockfs", .dev = 0x8, .magic = 0x534F434B};

struct socket *socket_of(struct file *f)
{
	if (!f || f->ops != &sock_fops)
		return NULL;
	return f->priv;
}

int socket_nonblock(struct socket *s, int flags)
{
	return (flags & LINUX_MSG_DONTWAIT) || (s->file && (s->file->flags & O_NONBLOCK));
}

struct socket *socket_alloc(int family, int type, int protocol, const struct sock_ops *ops)
{
	struct socket *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	s->ops = ops;
	return s;
}

static void socket_free(struct socket *s)
{
	if (s->ops && s->ops->release)
		s->ops->release(s);
	free(s);
}

struct file *socket_file(struct socket *s, int flags)
{
	struct inode *in = inode_new(&sockfs, NULL, &sock_fops, S_IFSOCK | 0777);
	if (!in) {
		socket_free(s);
		return NULL;
	}
	in->priv = s;
	char name[64];
	snprintf(name, sizeof(name), "socket:[%lu]", (unsigned long)in->ino);
	struct file *f = file_anon(in, O_RDWR | (flags & O_NONBLOCK), name);
	inode_put(in);
	if (!f) {
		socket_free(s);
		return NULL;
	}
	f->priv = s;
	s->file = f;
	return f;
}

int socket_create(struct task *t, int family, int type, int protocol, struct socket **out)
{
	switch (family) {
	case LINUX_AF_UNIX:
		return unix_create(t, type, protocol, out);
	case LINUX_AF_INET:
	case LINUX_AF_INET6:
	case LINUX_AF_NETLINK:
		return -EAFNOSUPPORT;
	default:
		return -EAFNOSUPPORT;
	}
}

int socket_create_pair(struct task *t, int family, int type, int protocol, struct socket **a,
		       struct socket **b)
{
	if (family == LINUX_AF_UNIX)
		return unix_create_pair(t, type, protocol, a, b);
	if (family == LINUX_AF_INET || family == LINUX_AF_INET6)
		return -EOPNOTSUPP;
	return -EAFNOSUPPORT;
}

static long sock_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	struct socket *s = f->priv;
	struct sock_msg m = {.buf = buf, .len = len};
	long r = s->ops->recvmsg(current_task(), s, &m, 0);
	/* rights that arrive through read() are discarded */
	for (int i = 0; i < m.nfds; i++)
		file_put(m.fds[i]);
	free(m.fds);
	return r;
}

static long sock_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	struct socket *s = f->priv;
	struct sock_msg m = {.buf = (char *)buf, .len = len};
	return s->ops->sendmsg(current_task(), s, &m, 0);
}

static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *s = f->priv;
	return s->ops->poll ? s->ops->poll(s, pt) : POLLIN | POLLOUT;
}

static long sock_ioctl(struct task *t, struct file *f, unsigned cmd, uint64_t arg)
{
	struct socket *s = f->priv;
	if (cmd == FIONBIO) {
		int on;
		if (copy_in(t, arg, &on, sizeof(on)))
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	}
	return s->ops->ioctl ? s->ops->ioctl(t, s, cmd, arg) : -ENOTTY;
}

static void sock_release(struct file *f)
{
	struct socket *s = f->priv;
	s->file = NULL;
	socket_free(s);
}

static const struct file_ops sock_fops = {
    .read = sock_read,
    .write = sock_write,
    .poll = sock_poll,
    .ioctl = sock_ioctl,
    .release = sock_release,
};
