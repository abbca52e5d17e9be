/* The Gofer over a socketpair: file operations, errors, read-only and
 * multiple exports, fd donation, and escape attempts (symlinks, `..`,
 * names with `/`, files swapped for symlinks between walk and open). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host_file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gofer/gofer.h"
#include "../gofer/p9c.h"

struct fixture {
	char dir[64], root[96], two[96];
	struct gofer_export exports[2];
	pthread_t server;
	int server_sock;
	int served; /* gofer_serve's result */
	struct p9c c;
};

static void *serve(void *arg)
{
	struct fixture *fx = arg;
	fx->served = gofer_serve(fx->server_sock, fx->exports, 2);
	close(fx->server_sock);
	return NULL;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char p[256];
	strcpy(fx->dir, "/tmp/gofer-test.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->root, sizeof(fx->root), "%s/root", fx->dir);
	snprintf(fx->two, sizeof(fx->two), "%s/two", fx->dir);
	mkdir(fx->root, 0755);
	mkdir(fx->two, 0755);
	snprintf(p, sizeof(p), "%s/sub", fx->root);
	mkdir(p, 0755);
	host_file(fx->root, "a.txt", "hello\n");
	host_file(fx->root, "sub/b", "deep\n");
	host_file(fx->dir, "outside.txt", "SECRET\n");
	host_file(fx->two, "t2", "two\n");
	snprintf(p, sizeof(p), "%s/evil", fx->root);
	assert_int_equal(symlink(fx->dir, p), 0);
	snprintf(p, sizeof(p), "%s/out", fx->root);
	assert_int_equal(symlink("../outside.txt", p), 0);

	fx->exports[0] = (struct gofer_export){fx->root, open(fx->root, O_PATH), -1, false};
	fx->exports[1] = (struct gofer_export){fx->two, open(fx->two, O_PATH), -1, true};
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fx->server_sock = sv[1];
	p9c_init(&fx->c, sv[0]);
	assert_int_equal(pthread_create(&fx->server, NULL, serve, fx), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	close(fx->c.sock);
	pthread_join(fx->server, NULL);
	if (fx->c.fd >= 0)
		close(fx->c.fd);
	close(fx->exports[0].root_fd);
	close(fx->exports[1].root_fd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* version + attach fid 1 to the first export. */
static struct p9c *start(struct fixture *fx, const char *version)
{
	char v[64];
	assert_int_equal(p9c_version(&fx->c, version, v, sizeof(v)), 0);
	assert_int_equal(p9c_attach(&fx->c, 1, fx->root, NULL), 0);
	return &fx->c;
}

static void host_path(struct fixture *fx, char *out, const char *rel)
{
	snprintf(out, 256, "%s/%s", fx->root, rel);
}

static void read_write(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = start(fx, P9_VERSION);
	char buf[64] = {0};
	assert_int_equal(p9c_walk(c, 1, 2, "sub/b", NULL), 0);
	assert_int_equal(p9c_open(c, 2, O_RDONLY), 0);
	assert_int_equal(c->fd, -1); /* no donation without the extension */
	assert_int_equal(p9c_read_all(c, 2, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "deep\n");
	assert_int_equal(p9c_open(c, 2, O_RDONLY), -EBADF); /* already open */

	/* getattr */
	struct p9_msg t = {.type = P9_TGETATTR}, r;
	t.tgetattr = (struct p9_tgetattr){2, P9_GETATTR_ALL};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(r.rgetattr.size, 5);
	assert_true(S_ISREG(r.rgetattr.mode));
	assert_int_equal(r.rgetattr.nlink, 1);

	/* lcreate + write, seen on the host */
	assert_int_equal(p9c_walk(c, 1, 3, "", NULL), 0);
	t = (struct p9_msg){.type = P9_TLCREATE};
	t.tlcreate = (struct p9_tlcreate){3, "new.txt", O_RDWR | O_CREAT, 0640, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	p9_msg_free(&r);
	assert_int_equal(p9c_write(c, 3, 0, "written", 7), 7);
	assert_int_equal(p9c_clunk(c, 3), 0);
	char p[256];
	host_path(fx, p, "new.txt");
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 7);
	close(fd);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	/* setattr: truncate and chmod */
	assert_int_equal(p9c_walk(c, 1, 4, "new.txt", NULL), 0);
	t = (struct p9_msg){.type = P9_TSETATTR};
	t.tsetattr = (struct p9_tsetattr){.fid = 4,
					  .valid = P9_SETATTR_SIZE | P9_SETATTR_MODE |
						   P9_SETATTR_MTIME | P9_SETATTR_MTIME_SET,
					  .mode = 0600,
					  .size = 3,
					  .mtime_sec = 1000000};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_mtim.tv_sec, 1000000);

	/* O_TRUNC on open; fsync; locks are granted; no xattrs */
	assert_int_equal(p9c_walk(c, 1, 5, "new.txt", NULL), 0);
	assert_int_equal(p9c_open(c, 5, O_WRONLY | O_TRUNC), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 0);
	t = (struct p9_msg){.type = P9_TFSYNC};
	t.tfsync = (struct p9_tfsync){5, 1};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	t = (struct p9_msg){.type = P9_TLOCK};
	t.tlock = (struct p9_tlock){5, P9_LOCK_TYPE_WRLCK, 0, 0, 0, 1, "me"};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(r.rlock.status, P9_LOCK_SUCCESS);
	t = (struct p9_msg){.type = P9_TXATTRWALK};
	t.txattrwalk = (struct p9_txattrwalk){5, 6, "user.x"};
	assert_int_equal(p9c_rpc(c, &t, &r), -EOPNOTSUPP);

	/* statfs */
	t = (struct p9_msg){.type = P9_TSTATFS};
	t.fid.fid = 1;
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_true(r.rstatfs.bsize > 0);
}

static void directories(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = start(fx, P9_VERSION);
	struct p9_msg t = {.type = P9_TMKDIR}, r;
	char p[256], list[1024];
	struct stat st;
	t.tmkdir = (struct p9_tmkdir){1, "d", 0750, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(r.rqid.qid.type, P9_QTDIR);
	assert_int_equal(p9c_rpc(c, &t, &r), -EEXIST);
	host_path(fx, p, "d");
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* readdir with a small count makes several requests */
	assert_int_equal(p9c_walk(c, 1, 2, "", NULL), 0);
	assert_int_equal(p9c_list(c, 2, 40, list, sizeof(list)), 7);
	const char *names[] = {".\n", "..\n", "a.txt\n", "sub\n", "evil\n", "out\n", "d\n"};
	for (size_t i = 0; i < 7; i++)
		assert_non_null(strstr(list, names[i]));

	struct p9_msg rd = {.type = P9_TREADDIR};
	rd.tread = (struct p9_tread){2, 0, 10};
	assert_int_equal(p9c_rpc(c, &rd, &r), -EINVAL); /* no entry fits */

	/* symlink, readlink */
	t = (struct p9_msg){.type = P9_TSYMLINK};
	t.tsymlink = (struct p9_tsymlink){1, "ln", "a.txt", 0};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(r.rqid.qid.type, P9_QTSYMLINK);
	assert_int_equal(p9c_walk(c, 1, 3, "ln", NULL), 0);
	t = (struct p9_msg){.type = P9_TREADLINK};
	t.fid.fid = 3;
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_string_equal(r.rreadlink.target, "a.txt");
	p9_msg_free(&r);

	/* renameat, Trename (the fid follows), unlinkat, Tremove */
	t = (struct p9_msg){.type = P9_TRENAMEAT};
	t.trenameat = (struct p9_trenameat){1, "a.txt", 1, "b.txt"};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	host_path(fx, p, "b.txt");
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(p9c_walk(c, 1, 4, "b.txt", NULL), 0);
	assert_int_equal(p9c_walk(c, 1, 5, "d", NULL), 0);
	t = (struct p9_msg){.type = P9_TRENAME};
	t.trename = (struct p9_trename){4, 5, "moved"};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	host_path(fx, p, "d/moved");
	assert_int_equal(access(p, F_OK), 0);
	t = (struct p9_msg){.type = P9_TREMOVE};
	t.fid.fid = 4;
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(p9c_clunk(c, 4), -EBADF); /* remove clunked it */
	t = (struct p9_msg){.type = P9_TUNLINKAT};
	t.tunlinkat = (struct p9_tunlinkat){1, "d", AT_REMOVEDIR};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	host_path(fx, p, "d");
	assert_int_equal(access(p, F_OK), -1);
	t.tunlinkat = (struct p9_tunlinkat){1, "ln", 0};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);

	/* hard link */
	t = (struct p9_msg){.type = P9_TLINK};
	assert_int_equal(p9c_walk(c, 1, 6, "sub/b", NULL), 0);
	t.tlink = (struct p9_tlink){1, 6, "hard"};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	host_path(fx, p, "hard");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_nlink, 2);
}

static void errors(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = &fx->c;
	char v[64];
	struct p9_msg t = {.type = P9_TATTACH}, r;
	/* Anything before Tversion is refused. */
	t.tattach = (struct p9_tattach){1, P9_NOFID, "u", "", 0};
	assert_int_equal(p9c_rpc(c, &t, &r), -EPROTO);
	assert_int_equal(p9c_version(c, "9P2000", v, sizeof(v)), 0);
	assert_string_equal(v, "unknown");
	assert_int_equal(p9c_rpc(c, &t, &r), -EPROTO); /* still no session */
	assert_int_equal(p9c_version(c, "9P2000.L.other", v, sizeof(v)), 0);
	assert_string_equal(v, P9_VERSION);
	assert_int_equal(p9c_attach(c, 1, "/nope", NULL), -ENOENT);
	assert_int_equal(p9c_attach(c, 1, "", NULL), 0);      /* "" is the first export */
	assert_int_equal(p9c_attach(c, 1, "", NULL), -EBADF); /* fid in use */
	t = (struct p9_msg){.type = P9_TAUTH};
	t.tauth = (struct p9_tauth){9, "u", "", 0};
	assert_int_equal(p9c_rpc(c, &t, &r), -ENOENT); /* auth not required */
	p9_msg_free(&r);
	assert_int_equal(p9c_walk(c, 1, 2, "missing", NULL), -ENOENT);
	assert_int_equal(p9c_walk(c, 1, 2, "sub/missing", NULL), -ENOENT); /* partial */
	assert_int_equal(p9c_clunk(c, 2), -EBADF); /* a partial walk makes no fid */
	assert_int_equal(p9c_walk(c, 7, 2, "sub", NULL), -EBADF);
	assert_int_equal(p9c_walk(c, 1, 2, "a.txt", NULL), 0);
	t = (struct p9_msg){.type = P9_TREAD};
	t.tread = (struct p9_tread){2, 0, 10};
	assert_int_equal(p9c_rpc(c, &t, &r), -EBADF); /* not open */
	t = (struct p9_msg){.type = P9_TMKDIR};
	const char *bad[] = {"", ".", "..", "x/y"};
	for (size_t i = 0; i < 4; i++) {
		t.tmkdir = (struct p9_tmkdir){1, (char *)bad[i], 0755, 0};
		assert_int_equal(p9c_rpc(c, &t, &r), -EINVAL);
	}
	/* A device node is never made. */
	t = (struct p9_msg){.type = P9_TMKNOD};
	t.tmknod = (struct p9_tmknod){1, "null", S_IFCHR | 0666, 1, 3, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), -EPERM);
	/* Malformed frame: Rlerror EBADMSG with its tag, connection lives. */
	uint8_t junk[] = {12, 0, 0, 0, P9_TCLUNK, 0x22, 0x11, 1, 0, 0, 0, 9};
	assert_int_equal(p9c_raw(c, junk, sizeof(junk), &r), 11);
	assert_int_equal(r.type, P9_RLERROR);
	assert_int_equal(r.tag, 0x1122);
	assert_int_equal(r.rlerror.ecode, EBADMSG);
	uint8_t unknown[] = {7, 0, 0, 0, 200, 1, 0};
	assert_int_equal(p9c_raw(c, unknown, sizeof(unknown), &r), 11);
	assert_int_equal(r.rlerror.ecode, EOPNOTSUPP);
	assert_int_equal(p9c_clunk(c, 2), 0);
	/* A frame bigger than msize ends the connection. */
	uint8_t huge[] = {0, 0, 0, 0x40, P9_TCLUNK, 0, 0};
	assert_int_equal(p9c_raw(c, huge, sizeof(huge), &r), -ECONNRESET);
}

static void readonly_and_exports(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = start(fx, P9_VERSION);
	char buf[16] = {0};
	struct p9_msg t = {.type = P9_TMKDIR}, r;
	assert_int_equal(p9c_attach(c, 10, fx->two, NULL), 0);
	assert_int_equal(p9c_walk(c, 10, 11, "t2", NULL), 0);
	assert_int_equal(p9c_walk(c, 10, 12, "..", NULL), 0); /* root stays root */
	assert_int_equal(p9c_walk(c, 12, 13, "t2", NULL), 0);
	assert_int_equal(p9c_open(c, 11, O_RDWR), -EROFS);
	assert_int_equal(p9c_open(c, 11, O_RDONLY | O_TRUNC), -EROFS);
	assert_int_equal(p9c_open(c, 11, O_RDONLY), 0);
	assert_int_equal(p9c_read_all(c, 11, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "two\n");
	t.tmkdir = (struct p9_tmkdir){10, "x", 0755, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), -EROFS);
	t = (struct p9_msg){.type = P9_TSETATTR};
	t.tsetattr = (struct p9_tsetattr){.fid = 13, .valid = P9_SETATTR_SIZE};
	assert_int_equal(p9c_rpc(c, &t, &r), -EROFS);
	t = (struct p9_msg){.type = P9_TLINK};
	t.tlink = (struct p9_tlink){1, 13, "cross"};
	assert_int_equal(p9c_rpc(c, &t, &r), -EXDEV);
}

static void donation(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = &fx->c;
	char v[64], buf[16] = {0};
	assert_int_equal(p9c_version(c, P9_VERSION_DONATE, v, sizeof(v)), 0);
	assert_string_equal(v, P9_VERSION_DONATE);
	assert_int_equal(p9c_attach(c, 1, fx->root, NULL), 0);
	assert_int_equal(p9c_walk(c, 1, 2, "a.txt", NULL), 0);
	assert_int_equal(p9c_open(c, 2, O_RDONLY), 0);
	assert_true(c->fd >= 0);
	assert_int_equal(pread(c->fd, buf, sizeof(buf), 0), 6);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(p9c_walk(c, 1, 3, "", NULL), 0);
	struct p9_msg t = {.type = P9_TLCREATE}, r;
	t.tlcreate = (struct p9_tlcreate){3, "made", O_WRONLY | O_CREAT | O_EXCL, 0644, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	assert_true(c->fd >= 0);
	assert_int_equal(write(c->fd, "via fd", 6), 6);
	char p[256];
	struct stat st;
	host_path(fx, p, "made");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 6);
	/* Directories are not donated: their fd would lead out via "..". */
	assert_int_equal(p9c_walk(c, 1, 4, "sub", NULL), 0);
	assert_int_equal(p9c_open(c, 4, O_RDONLY), 0);
	assert_int_equal(c->fd, -1);
	/* Errors carry no fd. */
	assert_int_equal(p9c_rpc(c, &t, &r), -EBADF);
	assert_int_equal(c->fd, -1);
	/* A new plain Tversion turns donation off. */
	assert_int_equal(p9c_version(c, P9_VERSION, v, sizeof(v)), 0);
	assert_int_equal(p9c_attach(c, 1, fx->root, NULL), 0);
	assert_int_equal(p9c_walk(c, 1, 2, "a.txt", NULL), 0);
	assert_int_equal(p9c_open(c, 2, O_RDONLY), 0);
	assert_int_equal(c->fd, -1);
}

static void dir_donation(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = &fx->c;
	char v[64];
	assert_int_equal(p9c_version(c, P9_VERSION_DIRECT, v, sizeof(v)), 0);
	assert_string_equal(v, P9_VERSION_DIRECT);
	/* Rattach of a directory export carries its O_PATH root fd. */
	assert_int_equal(p9c_attach(c, 1, fx->root, NULL), 0);
	assert_true(c->fd >= 0);
	struct stat a, b;
	assert_int_equal(fstat(c->fd, &a), 0);
	assert_int_equal(stat(fx->root, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_true(fcntl(c->fd, F_GETFL) & O_PATH);
	int f = openat(c->fd, "a.txt", O_RDONLY | O_NOFOLLOW);
	assert_true(f >= 0);
	close(f);
	/* Files are still donated on open; walks work as ever. */
	assert_int_equal(p9c_walk(c, 1, 2, "a.txt", NULL), 0);
	assert_int_equal(p9c_open(c, 2, O_RDONLY), 0);
	assert_true(c->fd >= 0);
	/* Plain donation gives no directory fd. */
	assert_int_equal(p9c_version(c, P9_VERSION_DONATE, v, sizeof(v)), 0);
	assert_int_equal(p9c_attach(c, 1, fx->root, NULL), 0);
	assert_int_equal(c->fd, -1);
}

static void escapes(void **state)
{
	struct fixture *fx = *state;
	struct p9c *c = start(fx, P9_VERSION);
	struct p9_qid root, q;
	char p[256], p2[256];
	struct p9_msg t, r;
	assert_int_equal(p9c_walk(c, 1, 2, "", &root), 0);
	assert_int_equal(p9c_clunk(c, 2), 0);
	/* `..` never climbs above the export root. */
	assert_int_equal(p9c_walk(c, 1, 2, "..", &q), 0);
	struct stat st;
	assert_int_equal(stat(fx->root, &st), 0);
	assert_int_equal(q.path, st.st_ino);
	assert_int_equal(p9c_walk(c, 1, 3, "sub/../../..", &q), 0);
	assert_int_equal(q.path, st.st_ino);
	assert_int_equal(p9c_walk(c, 1, 4, "a.txt/..", NULL), -ENOENT); /* partial: ENOTDIR */
	assert_int_equal(p9c_walk(c, 1, 4, "a.txt", NULL), 0);
	assert_int_equal(p9c_walk(c, 4, 5, "..", NULL), -ENOTDIR);
	assert_int_equal(p9c_clunk(c, 4), 0);
	/* A name with a slash is refused, not resolved. */
	assert_int_equal(p9c_walk1(c, 1, 4, "../outside.txt"), -EINVAL);
	assert_int_equal(p9c_walk1(c, 1, 4, "sub/b"), -EINVAL);
	/* Symlinks are never followed: not through, not on open. */
	assert_int_equal(p9c_walk(c, 1, 4, "evil/outside.txt", NULL), -ENOENT); /* partial */
	assert_int_equal(p9c_walk(c, 1, 4, "evil", NULL), 0);
	assert_int_equal(p9c_walk(c, 4, 10, "outside.txt", NULL), -ENOTDIR);
	assert_int_equal(p9c_clunk(c, 4), 0);
	assert_int_equal(p9c_walk(c, 1, 4, "out", &q), 0);
	assert_int_equal(q.type, P9_QTSYMLINK);
	assert_int_equal(p9c_open(c, 4, O_RDONLY), -ELOOP);
	/* Creating over a symlink fails instead of writing its target. */
	t = (struct p9_msg){.type = P9_TLCREATE};
	assert_int_equal(p9c_walk(c, 1, 5, "", NULL), 0);
	t.tlcreate = (struct p9_tlcreate){5, "out", O_WRONLY | O_TRUNC, 0644, 0};
	assert_int_equal(p9c_rpc(c, &t, &r), -ELOOP);
	snprintf(p, sizeof(p), "%s/outside.txt", fx->dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 7);
	/* A hard link of a symlink is the symlink, not its target. */
	t = (struct p9_msg){.type = P9_TLINK};
	t.tlink = (struct p9_tlink){1, 4, "out2"};
	assert_int_equal(p9c_rpc(c, &t, &r), 0);
	host_path(fx, p, "out2");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* A file swapped for a symlink between walk and open. */
	assert_int_equal(p9c_walk(c, 1, 6, "sub/b", NULL), 0);
	host_path(fx, p, "sub/b");
	host_path(fx, p2, "sub/b.old");
	assert_int_equal(rename(p, p2), 0);
	snprintf(p2, sizeof(p2), "%s/outside.txt", fx->dir);
	assert_int_equal(symlink(p2, p), 0);
	int err = p9c_open(c, 6, O_RDONLY);
	assert_true(err == -ELOOP || err == -ESTALE);
	/* A directory swapped for a symlink after the walk: the fid keeps the
	 * real directory, and new walks refuse the symlink. */
	assert_int_equal(p9c_walk(c, 1, 7, "sub", NULL), 0);
	host_path(fx, p, "sub");
	host_path(fx, p2, "sub.old");
	assert_int_equal(rename(p, p2), 0);
	assert_int_equal(symlink(fx->dir, p), 0);
	assert_int_equal(p9c_walk(c, 7, 8, "b.old", NULL), 0);
	assert_int_equal(p9c_walk(c, 1, 9, "sub/outside.txt", NULL), -ENOENT); /* partial */
	assert_int_equal(p9c_walk(c, 7, 9, "../..", &q), 0); /* still stops at the root */
	assert_int_equal(stat(fx->root, &st), 0);
	assert_int_equal(q.path, st.st_ino);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(read_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(directories, setup, teardown),
	    cmocka_unit_test_setup_teardown(errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(readonly_and_exports, setup, teardown),
	    cmocka_unit_test_setup_teardown(donation, setup, teardown),
	    cmocka_unit_test_setup_teardown(dir_donation, setup, teardown),
	    cmocka_unit_test_setup_teardown(escapes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
