/* Linux x86-64 socket ABI: the structures and constants the Sentry hands to
 * programs for sockets, apart from the logic that uses them. */
#ifndef CVISOR_SENTRY_ABI_SOCKET_H
#define CVISOR_SENTRY_ABI_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#define LINUX_AF_UNIX	 1
#define LINUX_AF_INET	 2
#define LINUX_AF_INET6	 10
#define LINUX_AF_NETLINK 16

#define LINUX_SOCK_STREAM    1
#define LINUX_SOCK_DGRAM     2
#define LINUX_SOCK_SEQPACKET 5
#define LINUX_SOCK_TYPE_MASK 0xf
#define LINUX_SOCK_MAX	     11
#define LINUX_SOCK_NONBLOCK  04000
#define LINUX_SOCK_CLOEXEC   02000000

#define LINUX_SOL_SOCKET     1
#define LINUX_SO_DEBUG	     1
#define LINUX_SO_REUSEADDR   2
#define LINUX_SO_TYPE	     3
#define LINUX_SO_ERROR	     4
#define LINUX_SO_DONTROUTE   5
#define LINUX_SO_BROADCAST   6
#define LINUX_SO_SNDBUF	     7
#define LINUX_SO_RCVBUF	     8
#define LINUX_SO_KEEPALIVE   9
#define LINUX_SO_LINGER	     13
#define LINUX_SO_REUSEPORT   15
#define LINUX_SO_PASSCRED    16
#define LINUX_SO_PEERCRED    17
#define LINUX_SO_RCVLOWAT    18
#define LINUX_SO_SNDLOWAT    19
#define LINUX_SO_RCVTIMEO    20
#define LINUX_SO_SNDTIMEO    21
#define LINUX_SO_ACCEPTCONN  30
#define LINUX_SO_PEERSEC     31
#define LINUX_SO_SNDBUFFORCE 32
#define LINUX_SO_RCVBUFFORCE 33
#define LINUX_SO_PROTOCOL    38
#define LINUX_SO_DOMAIN	     39

#define LINUX_SCM_RIGHTS      1
#define LINUX_SCM_CREDENTIALS 2

#define LINUX_MSG_OOB	       0x1
#define LINUX_MSG_PEEK	       0x2
#define LINUX_MSG_CTRUNC       0x8
#define LINUX_MSG_TRUNC	       0x20
#define LINUX_MSG_DONTWAIT     0x40
#define LINUX_MSG_EOR	       0x80
#define LINUX_MSG_WAITALL      0x100
#define LINUX_MSG_NOSIGNAL     0x4000
#define LINUX_MSG_WAITFORONE   0x10000
#define LINUX_MSG_CMSG_CLOEXEC 0x40000000

#define LINUX_SHUT_RD	0
#define LINUX_SHUT_WR	1
#define LINUX_SHUT_RDWR 2

#define LINUX_SOMAXCONN 4096

struct linux_sockaddr_un {
	uint16_t sun_family;
	char sun_path[108];
};
_Static_assert(sizeof(struct linux_sockaddr_un) == 110, "sockaddr_un size");

struct linux_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad0;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
	uint32_t pad1;
};
_Static_assert(sizeof(struct linux_msghdr) == 56, "msghdr size");
_Static_assert(offsetof(struct linux_msghdr, control) == 32, "msghdr control");
_Static_assert(offsetof(struct linux_msghdr, flags) == 48, "msghdr flags");

struct linux_mmsghdr {
	struct linux_msghdr hdr;
	uint32_t len;
	uint32_t pad;
};
_Static_assert(sizeof(struct linux_mmsghdr) == 64, "mmsghdr size");

struct linux_cmsghdr {
	uint64_t len;
	int32_t level;
	int32_t type;
};
_Static_assert(sizeof(struct linux_cmsghdr) == 16, "cmsghdr size");
#define LINUX_CMSG_ALIGN(n) (((n) + 7) & ~(uint64_t)7)

struct linux_ucred {
	int32_t pid;
	uint32_t uid, gid;
};
_Static_assert(sizeof(struct linux_ucred) == 12, "ucred size");

struct linux_linger {
	int32_t onoff, linger;
};

#endif
