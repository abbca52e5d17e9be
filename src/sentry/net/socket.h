/* Sockets: the generic socket file and the per-family operations behind it.
 *
 * A socket is an anonymous file (S_IFSOCK inode, sockfs) whose priv is a
 * struct socket; the family's operations work on kernel buffers only (the
 * system call layer, sys_socket.c, copies to and from the application).
 * Every operation returns >= 0 or a negative errno; blocking operations
 * return -ERESTARTSYS when a signal interrupts them. The socket is owned by
 * its file: the file's release calls ops->release, which must drop every
 * reference the family holds to other objects (its peer keeps the family's
 * own state alive if it needs to). */
#ifndef CVISOR_SENTRY_NET_SOCKET_H
#define CVISOR_SENTRY_NET_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#include "sentry/abi/socket.h"

struct task;
struct file;
struct poll_table;

#define SOCK_ADDR_MAX 128

/* One message in kernel memory, for sendmsg and recvmsg. */
struct sock_msg {
	char *buf;
	size_t len;
	/* sendmsg: the destination (addrlen 0: none); recvmsg: the source */
	char addr[SOCK_ADDR_MAX];
	uint32_t addrlen;
	/* SCM_RIGHTS: sendmsg borrows them (the family takes its own
	 * references); recvmsg hands the caller one reference each (malloc'd
	 * array, freed by the caller) */
	struct file **fds;
	int nfds;
	/* SCM_CREDENTIALS */
	int has_creds;
	struct linux_ucred creds;
	int flags; /* recvmsg out: LINUX_MSG_TRUNC */
};

struct socket;

struct sock_ops {
	int (*bind)(struct task *t, struct socket *s, const void *addr, uint32_t len);
	int (*connect)(struct task *t, struct socket *s, const void *addr, uint32_t len);
	int (*listen)(struct task *t, struct socket *s, int backlog);
	/* Hands out a new socket (without a file yet). */
	int (*accept)(struct task *t, struct socket *s, struct socket **out);
	long (*sendmsg)(struct task *t, struct socket *s, struct sock_msg *m, int flags);
	/* m->len is the room; returns the bytes stored (or the real length
	 * with LINUX_MSG_TRUNC in flags for datagrams). */
	long (*recvmsg)(struct task *t, struct socket *s, struct sock_msg *m, int flags);
	int (*shutdown)(struct task *t, struct socket *s, int how);
	/* Fills addr (room *len, at least SOCK_ADDR_MAX); *len gets the real size. */
	int (*getname)(struct socket *s, void *addr, uint32_t *len, int peer);
	int (*getsockopt)(struct task *t, struct socket *s, int level, int name, void *val,
			  uint32_t *len);
	int (*setsockopt)(struct task *t, struct socket *s, int level, int name, const void *val,
			  uint32_t len);
	unsigned (*poll)(struct socket *s, struct poll_table *pt);
	long (*ioctl)(struct task *t, struct socket *s, unsigned cmd, uint64_t arg);
	void (*release)(struct socket *s);
};

struct socket {
	int family, type, protocol;
	const struct sock_ops *ops;
	void *priv;
	struct file *file; /* the file holding this socket (not referenced) */
};

/* Creates a socket of family/type (type without SOCK_NONBLOCK/CLOEXEC). */
int socket_create(struct task *t, int family, int type, int protocol, struct socket **out);
/* Creates a connected pair. */
int socket_create_pair(struct task *t, int family, int type, int protocol, struct socket **a,
		       struct socket **b);
/* A new socket object for a family (ops, priv set by the caller). */
struct socket *socket_alloc(int family, int type, int protocol, const struct sock_ops *ops);
/* Wraps s in a new file (flags: O_NONBLOCK); the file takes s over. On
 * failure s is released. */
struct file *socket_file(struct socket *s, int flags);
/* The socket of a file, or NULL if it is not one (borrowed). */
struct socket *socket_of(struct file *f);
/* Whether the file is nonblocking or flags ask for MSG_DONTWAIT. */
int socket_nonblock(struct socket *s, int flags);

/* AF_UNIX (unix.c) */
int unix_create(struct task *t, int type, int protocol, struct socket **out);
int unix_create_pair(struct task *t, int type, int protocol, struct socket **a, struct socket **b);

#endif
