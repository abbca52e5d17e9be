/* p9copy SOCKET ANAME DEST: connects to a 9P2000.L server on a unix socket,
 * attaches ANAME and copies the whole tree (directories, regular files,
 * symlinks) into DEST using only src/p9; the caller diffs DEST with the
 * served tree. Built and run by tests/gofer/diod_interop.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "p9c.h"

static struct p9c c;
static uint32_t next_fid = 100;

static _Noreturn void die(const char *what, int err)
{
	fprintf(stderr, "p9copy: %s: %s\n", what, strerror(-err));
	exit(1);
}

static int attr(uint32_t fid, struct p9_rgetattr *a)
{
	struct p9_msg t = {.type = P9_TGETATTR}, r;
	t.tgetattr = (struct p9_tgetattr){fid, P9_GETATTR_BASIC};
	int err = p9c_rpc(&c, &t, &r);
	if (err == 0)
		*a = r.rgetattr;
	return err;
}

static void copy_file(uint32_t fid, const char *dest, mode_t mode)
{
	int err = p9c_open(&c, fid, O_RDONLY);
	if (err < 0)
		die(dest, err);
	int out = open(dest, O_WRONLY | O_CREAT | O_EXCL, mode & 07777);
	if (out < 0)
		die(dest, -errno);
	for (uint64_t off = 0;;) {
		struct p9_msg t = {.type = P9_TREAD}, r;
		t.tread = (struct p9_tread){fid, off, c.msize - P9_IOHDRSZ};
		if ((err = p9c_rpc(&c, &t, &r)) < 0)
			die(dest, err);
		if (r.rread.count == 0)
			break;
		if (write(out, r.rread.data, r.rread.count) != (ssize_t)r.rread.count)
			die(dest, -errno);
		off += r.rread.count;
	}
	close(out);
}

static void copy_dir(uint32_t dir, const char *dest);

static void copy_entry(uint32_t dir, const char *name, const char *dest)
{
	uint32_t fid = next_fid++;
	struct p9_rgetattr a = {0};
	int err = p9c_walk1(&c, dir, fid, name);
	if (err < 0 || (err = attr(fid, &a)) < 0)
		die(name, err);
	if (S_ISDIR(a.mode)) {
		if (mkdir(dest, a.mode & 07777) < 0)
			die(dest, -errno);
		copy_dir(fid, dest);
	} else if (S_ISREG(a.mode)) {
		copy_file(fid, dest, a.mode);
	} else if (S_ISLNK(a.mode)) {
		struct p9_msg t = {.type = P9_TREADLINK}, r;
		t.fid.fid = fid;
		if ((err = p9c_rpc(&c, &t, &r)) < 0)
			die(dest, err);
		if (symlink(r.rreadlink.target, dest) < 0)
			die(dest, -errno);
		p9_msg_free(&r);
	}
	p9c_clunk(&c, fid);
}

static void copy_dir(uint32_t dir, const char *dest)
{
	/* List through a clone, then copy each entry by name. */
	uint32_t lfid = next_fid++;
	char *names = malloc(1 << 20), path[4096];
	int err = p9c_walk(&c, dir, lfid, "", NULL);
	if (err < 0 || (err = p9c_list(&c, lfid, 8192, names, 1 << 20)) < 0)
		die(dest, err);
	p9c_clunk(&c, lfid);
	char *save = NULL;
	for (char *n = strtok_r(names, "\n", &save); n; n = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dest, n);
		copy_entry(dir, n, path);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: p9copy SOCKET ANAME DEST\n");
		return 2;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect", -errno);
	p9c_init(&c, s);
	char v[64];
	int err = p9c_version(&c, P9_VERSION, v, sizeof(v));
	if (err < 0)
		die("version", err);
	if (strcmp(v, P9_VERSION))
		die("version", -EPROTO);
	if ((err = p9c_attach(&c, 1, argv[2], NULL)) < 0)
		die("attach", err);
	if (mkdir(argv[3], 0755) < 0 && errno != EEXIST)
		die(argv[3], -errno);
	copy_dir(1, argv[3]);
	p9c_clunk(&c, 1);
	close(s);
	return 0;
}
