/* 9P framing over a stream unix socket, with optional SCM_RIGHTS.
 *
 * A frame is read as size[4] then the rest; an fd passed with a frame rides
 * on its first byte, so the first recvmsg() of a frame is the one that
 * collects it. Used by both the Gofer and clients; see p9.h. */
#include "p9/p9.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/fdpass.h"

int p9_send(int sock, const uint8_t *buf, size_t len, int pass_fd)
{
	size_t done = 0;
	while (done < len) {
		int with_fd = pass_fd >= 0 && done == 0;
		ssize_t n = fd_sendmsg(sock, buf + done, len - done, &pass_fd, with_fd ? 1 : 0);
		if (n < 0)
			return (int)n;
		done += (size_t)n;
	}
	return 0;
}

/* Closes every fd of a control message, keeping the first in *keep. */
static void take_fds(struct msghdr *mh, int *keep)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (keep && *keep < 0)
				*keep = fd;
			else
				close(fd);
		}
	}
}

/* Reads exactly len bytes (the first call may collect an fd). Returns len,
 * 0 on EOF at the very start, -EBADMSG on EOF in the middle, -errno. */
static ssize_t read_full(int sock, uint8_t *buf, size_t len, int *fd_out, int first)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} ctl;
	size_t done = 0;
	while (done < len) {
		struct iovec iov = {buf + done, len - done};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		take_fds(&mh, fd_out);
		if (n == 0)
			return first && done == 0 ? 0 : -EBADMSG;
		done += (size_t)n;
	}
	return (ssize_t)len;
}

int p9_recv(int sock, uint8_t *buf, size_t cap, int *fd_out)
{
	if (fd_out)
		*fd_out = -1;
	if (cap < P9_HDRSZ)
		return -EMSGSIZE;
	ssize_t n = read_full(sock, buf, 4, fd_out, 1);
	if (n <= 0)
		goto fail;
	uint32_t size = p9_frame_size(buf);
	if (size < P9_HDRSZ) {
		n = -EBADMSG;
		goto fail;
	}
	if (size > cap) {
		n = -EMSGSIZE;
		goto fail;
	}
	n = read_full(sock, buf + 4, size - 4, fd_out, 0);
	if (n < 0)
		goto fail;
	return (int)size;
fail:
	if (fd_out && *fd_out >= 0) {
		close(*fd_out);
		*fd_out = -1;
	}
	return (int)n;
}
