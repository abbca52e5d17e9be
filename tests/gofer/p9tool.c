/* A 9P2000.L test client built only on src/p9, for shell tests:
 * SOCKET is a unix socket path or fd:N (an inherited connected socket).
 *   p9tool copy SOCKET ANAME DEST   copy the whole tree (directories,
 *                                   regular files, symlinks) into DEST
 *   p9tool exercise SOCKET ANAME    make, change and remove files under
 *                                   ANAME through every mutating message
 * Built and run by tests/gofer/diod_interop.sh and
 * tests/security/gofer_escape.sh. */
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
	fprintf(stderr, "p9tool: %s: %s\n", what, strerror(-err));
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

static void rpc(const char *what, struct p9_msg *t)
{
	struct p9_msg r;
	int err = p9c_rpc(&c, t, &r);
	if (err < 0)
		die(what, err);
	p9_msg_free(&r);
}

/* Every mutating message once, under fid 1 (the attach root). */
static void exercise(void)
{
	struct p9_msg t = {.type = P9_TMKDIR};
	t.tmkdir = (struct p9_tmkdir){1, "p9tool.d", 0755, 0};
	rpc("mkdir", &t);
	if (p9c_walk(&c, 1, 2, "p9tool.d", NULL) < 0 || p9c_walk(&c, 2, 3, "", NULL) < 0)
		die("walk", -ENOENT);
	t = (struct p9_msg){.type = P9_TLCREATE};
	t.tlcreate = (struct p9_tlcreate){3, "f", O_RDWR | O_CREAT, 0644, 0};
	rpc("lcreate", &t);
	if (p9c_write(&c, 3, 0, "hello", 5) != 5)
		die("write", -EIO);
	t = (struct p9_msg){.type = P9_TFSYNC};
	t.tfsync = (struct p9_tfsync){3, 0};
	rpc("fsync", &t);
	t = (struct p9_msg){.type = P9_TSETATTR};
	t.tsetattr = (struct p9_tsetattr){.fid = 3,
					  .valid = P9_SETATTR_MODE | P9_SETATTR_SIZE |
						   P9_SETATTR_UID | P9_SETATTR_ATIME |
						   P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET,
					  .mode = 0600,
					  .size = 1,
					  .mtime_sec = 12345};
	rpc("setattr", &t);
	t = (struct p9_msg){.type = P9_TSYMLINK};
	t.tsymlink = (struct p9_tsymlink){2, "l", "f", 0};
	rpc("symlink", &t);
	t = (struct p9_msg){.type = P9_TLINK};
	t.tlink = (struct p9_tlink){2, 3, "h"};
	rpc("link", &t);
	t = (struct p9_msg){.type = P9_TMKNOD};
	t.tmknod = (struct p9_tmknod){2, "fifo", S_IFIFO | 0600, 0, 0, 0};
	rpc("mknod", &t);
	/* Older diod lacks Trenameat: fall back to Trename. */
	t = (struct p9_msg){.type = P9_TRENAMEAT};
	t.trenameat = (struct p9_trenameat){2, "h", 2, "h2"};
	struct p9_msg r;
	int err = p9c_rpc(&c, &t, &r);
	if (err == -EOPNOTSUPP) {
		if ((err = p9c_walk(&c, 2, 5, "h", NULL)) < 0)
			die("walk h", err);
		t = (struct p9_msg){.type = P9_TRENAME};
		t.trename = (struct p9_trename){5, 2, "h2"};
		rpc("rename", &t);
		p9c_clunk(&c, 5);
	} else if (err < 0) {
		die("renameat", err);
	}
	t = (struct p9_msg){.type = P9_TSTATFS};
	t.fid.fid = 2;
	rpc("statfs", &t);
	char list[256];
	if (p9c_walk(&c, 2, 4, "", NULL) < 0 || p9c_list(&c, 4, 4096, list, sizeof(list)) < 0)
		die("readdir", -EIO);
	const char *names[] = {"f", "l", "h2", "fifo"};
	for (int i = 0; i < 4; i++) {
		char want[16];
		snprintf(want, sizeof(want), "%s\n", names[i]);
		if (!strstr(list, want))
			die(names[i], -ENOENT);
	}
	for (int i = 0; i < 4; i++) {
		t = (struct p9_msg){.type = P9_TUNLINKAT};
		t.tunlinkat = (struct p9_tunlinkat){2, (char *)names[i], 0};
		err = p9c_rpc(&c, &t, &r);
		if (err == -EOPNOTSUPP) { /* older diod again: Tremove */
			if ((err = p9c_walk(&c, 2, 5, names[i], NULL)) < 0)
				die(names[i], err);
			t = (struct p9_msg){.type = P9_TREMOVE};
			t.fid.fid = 5;
			rpc("remove", &t);
		} else if (err < 0) {
			die("unlinkat", err);
		}
	}
	p9c_clunk(&c, 3);
	p9c_clunk(&c, 4);
	t = (struct p9_msg){.type = P9_TREMOVE};
	t.fid.fid = 2;
	rpc("remove", &t);
}

int main(int argc, char **argv)
{
	int copy = argc == 5 && !strcmp(argv[1], "copy");
	if (!copy && !(argc == 4 && !strcmp(argv[1], "exercise"))) {
		fprintf(stderr, "usage: p9tool copy SOCKET ANAME DEST | exercise SOCKET ANAME\n");
		return 2;
	}
	argv++;
	/* SOCKET is a path, or fd:N for an inherited connected socket. */
	int s;
	if (!strncmp(argv[1], "fd:", 3)) {
		s = atoi(argv[1] + 3);
	} else {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("connect", -errno);
	}
	p9c_init(&c, s);
	char v[64];
	int err = p9c_version(&c, P9_VERSION, v, sizeof(v));
	if (err < 0)
		die("version", err);
	if (strcmp(v, P9_VERSION))
		die("version", -EPROTO);
	if ((err = p9c_attach(&c, 1, argv[2], NULL)) < 0)
		die("attach", err);
	if (!copy) {
		exercise();
	} else {
		if (mkdir(argv[3], 0755) < 0 && errno != EEXIST)
			die(argv[3], -errno);
		copy_dir(1, argv[3]);
	}
	p9c_clunk(&c, 1);
	close(s);
	return 0;
}
