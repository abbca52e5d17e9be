/* Moving data through pipes: splice, tee, vmsplice. The data is copied
 * through the Sentry (no page gifting); a pipe's buffer is the pipe's ring. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/pipe/pipe.h"
#include "sentry/fs/vfs.h"
#include "sentry/syscalls/syscalls.h"

#define SPLICE_F_MOVE	  1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE	  4
#define SPLICE_F_GIFT	  8
#define SPLICE_F_ALL	  15
#define SPLICE_CHUNK	  65536
#define MAX_RW		  0x7ffff000L

static int can_read(struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_RDONLY || acc == O_RDWR);
}

static int can_write(struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

/* pipe -> pipe: moves what is buffered, up to len, once there is room. */
static long splice_pipes(struct pipe *in, struct pipe *out, size_t len, int nonblock)
{
	char *buf = malloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	long r;
	for (;;) {
		r = pipe_wait_readable(in, nonblock);
		if (r <= 0)
			break;
		r = pipe_wait_writable(out, nonblock);
		if (r < 0)
			break;
		/* either wait may have slept: look again */
		size_t n = pipe_peek(in, buf, len < SPLICE_CHUNK ? len : SPLICE_CHUNK);
		if (!n)
			continue;
		n = pipe_put(out, buf, n);
		pipe_consume(in, n);
		r = (long)n;
		break;
	}
	free(buf);
	return r;
}

/* pipe -> file: writes what is buffered, up to len; consumes what was written. */
static long splice_from_pipe(struct pipe *in, struct file *out, int64_t *pos, size_t len,
			     int nonblock)
{
	if (!out->ops || !out->ops->write)
		return -EINVAL;
	long r = pipe_wait_readable(in, nonblock);
	if (r <= 0)
		return r;
	char *buf = malloc(SPLICE_CHUNK);
	if (!buf)
		return -ENOMEM;
	size_t n = pipe_peek(in, buf, len < SPLICE_CHUNK ? len : SPLICE_CHUNK);
	r = out->ops->write(out, buf, n, pos);
	if (r > 0)
		pipe_consume(in, (size_t)r);
	free(buf);
	return r;
}

/* file -> pipe: reads at most what fits into the pipe. */
static long splice_to_pipe(struct file *in, int64_t *pos, struct pipe *out, struct file *outf,
			   size_t len, int nonblock)
{
	if (!in->ops || !in->ops->read)
		return S_ISDIR(in->inode->mode) ? -EISDIR : -EINVAL;
	long room = pipe_wait_writable(out, nonblock);
	if (room < 0)
		return room;
	size_t n = len < (size_t)room ? len : (size_t)room;
	char *buf = malloc(n ? n : 1);
	if (!buf)
		return -ENOMEM;
	long r = in->ops->read(in, buf, n, pos);
	if (r > 0) {
		/* a read that slept may find the pipe fuller: write the rest the
		 * ordinary way */
		size_t put = pipe_put(out, buf, (size_t)r);
		if (put < (size_t)r) {
			long w = outf->ops->write(outf, buf + put, (size_t)r - put, NULL);
			if (w < 0 && !put)
				r = w;
			else if (w < 0)
				r = (long)put;
			else
				r = (long)(put + (size_t)w);
		}
	}
	free(buf);
	return r;
}

/* An offset argument: copied in when given; -ESPIPE on a pipe. */
static long get_off(struct task *t, uint64_t uoff, struct file *f, int64_t *off)
{
	if (!uoff)
		return 0;
	if (pipe_of(f))
		return -ESPIPE;
	if (!S_ISREG(f->inode->mode) && !S_ISBLK(f->inode->mode))
		return -EINVAL;
	if (copy_in(t, uoff, off, sizeof(*off)))
		return -EFAULT;
	return *off < 0 ? -EINVAL : 0;
}

/* splice(fd_in, off_in, fd_out, off_out, len, flags) */
SYSCALL(splice)
{
	unsigned flags = (unsigned)a[5];
	size_t len = a[4] > (uint64_t)MAX_RW ? (size_t)MAX_RW : (size_t)a[4];
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *in = fdt_get(t->files, (int)a[0]), *out = fdt_get(t->files, (int)a[2]);
	long r = 0;
	int64_t inoff = 0, outoff = 0;
	struct pipe *ip = pipe_of(in), *op = pipe_of(out);
	if (!in || !out)
		r = -EBADF;
	else if (!can_read(in) || !can_write(out))
		r = -EBADF;
	else if (!ip && !op)
		r = -EINVAL;
	else if (ip && ip == op)
		r = -EINVAL;
	else if ((out->flags & O_APPEND) && !op)
		r = -EINVAL;
	if (!r)
		r = get_off(t, a[1], in, &inoff);
	if (!r)
		r = get_off(t, a[3], out, &outoff);
	if (!r && len) {
		int nonblock = (flags & SPLICE_F_NONBLOCK) != 0;
		if (ip && (in->flags & O_NONBLOCK))
			nonblock = 1;
		if (op && (out->flags & O_NONBLOCK))
			nonblock = 1;
		int64_t *ipos = a[1] ? &inoff : &in->pos, *opos = a[3] ? &outoff : &out->pos;
		if (ip && op)
			r = splice_pipes(ip, op, len, nonblock);
		else if (ip)
			r = splice_from_pipe(ip, out, opos, len, nonblock);
		else
			r = splice_to_pipe(in, ipos, op, out, len, nonblock);
		if (r > 0 && a[1] && copy_out(t, a[1], &inoff, sizeof(inoff)))
			r = -EFAULT;
		if (r > 0 && a[3] && copy_out(t, a[3], &outoff, sizeof(outoff)))
			r = -EFAULT;
	}
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}

/* tee(fd_in, fd_out, len, flags): copies pipe data without consuming it. */
SYSCALL(tee)
{
	unsigned flags = (unsigned)a[3];
	size_t len = a[2] > (uint64_t)MAX_RW ? (size_t)MAX_RW : (size_t)a[2];
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *in = fdt_get(t->files, (int)a[0]), *out = fdt_get(t->files, (int)a[1]);
	struct pipe *ip = pipe_of(in), *op = pipe_of(out);
	long r = 0;
	if (!in || !out)
		r = -EBADF;
	else if (!ip || !op || ip == op)
		r = -EINVAL;
	else if (!can_read(in) || !can_write(out))
		r = -EBADF;
	if (!r && len) {
		int nonblock = (flags & SPLICE_F_NONBLOCK) || (in->flags & O_NONBLOCK) ||
			       (out->flags & O_NONBLOCK);
		char *buf = malloc(SPLICE_CHUNK);
		r = buf ? 0 : -ENOMEM;
		while (buf) {
			r = pipe_wait_readable(ip, nonblock);
			if (r <= 0)
				break;
			r = pipe_wait_writable(op, nonblock);
			if (r < 0)
				break;
			size_t n = pipe_peek(ip, buf, len < SPLICE_CHUNK ? len : SPLICE_CHUNK);
			if (!n)
				continue;
			r = (long)pipe_put(op, buf, n);
			break;
		}
		free(buf);
	}
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return r;
}

/* vmsplice(fd, iov, nr_segs, flags): user memory into a pipe (write end) or
 * out of it (read end). */
SYSCALL(vmsplice)
{
	unsigned flags = (unsigned)a[3];
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (a[2] > 1024)
		return -EINVAL;
	struct file *f = fdt_get(t->files, (int)a[0]);
	if (!f)
		return -EBADF;
	struct pipe *p = pipe_of(f);
	int acc = f->flags & O_ACCMODE;
	long r = 0;
	if (!p)
		r = -EBADF;
	else if (acc == O_RDWR)
		r = -EBADF; /* Linux wants exactly one direction */
	struct iovec *iov = NULL;
	size_t cnt = (size_t)a[2];
	if (!r && cnt) {
		iov = malloc(cnt * sizeof(*iov));
		if (!iov)
			r = -ENOMEM;
		else if (copy_in(t, a[1], iov, cnt * sizeof(*iov)))
			r = -EFAULT;
	}
	if (!r && cnt) {
		int nonblock = (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
		int to_pipe = acc == O_WRONLY;
		char *buf = malloc(SPLICE_CHUNK);
		long done = 0;
		if (!buf)
			r = -ENOMEM;
		for (size_t i = 0; buf && i < cnt && !r; i++) {
			uint64_t base = (uint64_t)(uintptr_t)iov[i].iov_base;
			size_t left = iov[i].iov_len;
			while (left) {
				/* block only while nothing has moved yet */
				long w = to_pipe ? pipe_wait_writable(p, nonblock || done)
						 : pipe_wait_readable(p, nonblock || done);
				if (w <= 0) {
					r = done ? 0 : w;
					goto out;
				}
				size_t n = left < (size_t)w ? left : (size_t)w;
				if (n > SPLICE_CHUNK)
					n = SPLICE_CHUNK;
				if (to_pipe) {
					if (copy_in(t, base, buf, n)) {
						r = done ? 0 : -EFAULT;
						goto out;
					}
					pipe_put(p, buf, n);
				} else {
					n = pipe_peek(p, buf, n);
					if (copy_out(t, base, buf, n)) {
						r = done ? 0 : -EFAULT;
						goto out;
					}
					pipe_consume(p, n);
				}
				done += (long)n;
				base += n;
				left -= n;
			}
		}
	out:
		free(buf);
		if (!r)
			r = done;
	}
	free(iov);
	file_put(f);
	return r;
}
