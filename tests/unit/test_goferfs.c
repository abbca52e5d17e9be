/* goferfs (the Sentry's 9P client file system) against the Gofer over a
 * socketpair: lookup, attributes, reads through a donated fd, readdir,
 * readlink, statfs, errors passed through, and a broken connection giving
 * -EIO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host_file.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gofer/gofer.h"
#include "sentry/fs/gofer/goferfs.h"

struct fixture {
	char dir[64];
	struct gofer_export exp;
	pthread_t server;
	int server_sock;
	struct inode *root;
};

static void *serve(void *arg)
{
	struct fixture *fx = arg;
	gofer_serve(fx->server_sock, &fx->exp, 1);
	return NULL;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char p[256];
	strcpy(fx->dir, "/tmp/goferfs-test.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	host_file(fx->dir, "a.txt", "hello\n");
	snprintf(p, sizeof(p), "%s/sub", fx->dir);
	mkdir(p, 0750);
	host_file(fx->dir, "sub/b", "deep\n");
	snprintf(p, sizeof(p), "%s/link", fx->dir);
	assert_int_equal(symlink("sub/b", p), 0);
	fx->exp = (struct gofer_export){fx->dir, open(fx->dir, O_PATH), -1, true};
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fx->server_sock = sv[1];
	assert_int_equal(pthread_create(&fx->server, NULL, serve, fx), 0);
	int err = 0;
	struct p9_client *c = p9client_connect(sv[0], P9_VERSION_DONATE, &err);
	assert_non_null(c);
	fx->root = goferfs_new(c, fx->dir, GOFERFS_READONLY, &err);
	p9client_put(c);
	assert_int_equal(err, 0);
	assert_non_null(fx->root);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	goferfs_put_root(fx->root);
	shutdown(fx->server_sock, SHUT_RDWR);
	pthread_join(fx->server, NULL);
	close(fx->server_sock);
	close(fx->exp.root_fd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static struct inode *lookup(struct inode *dir, const char *name, int want)
{
	struct inode *in = NULL;
	assert_int_equal(dir->iops->lookup(dir, name, &in), want);
	return in;
}

static void attrs_and_read(void **state)
{
	struct fixture *fx = *state;
	assert_true(S_ISDIR(fx->root->mode));
	struct inode *a = lookup(fx->root, "a.txt", 0);
	struct stat st;
	char p[256];
	snprintf(p, sizeof(p), "%s/a.txt", fx->dir);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISREG(a->mode));
	assert_int_equal(a->size, 6);
	assert_int_equal(a->ino, st.st_ino);
	assert_int_equal(a->mtime.tv_sec, st.st_mtim.tv_sec);
	struct file *f = file_new(a, NULL, NULL, O_RDONLY);
	assert_non_null(f);
	assert_int_equal(a->iops->open(a, f), 0);
	assert_true(f->ops->mmap_fd(f) >= 0); /* the Gofer donated the host fd */
	char buf[16] = {0};
	int64_t off = 0;
	assert_int_equal(f->ops->read(f, buf, sizeof(buf), &off), 6);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(off, 6);
	file_put(f);
	/* the lookup cache hands back the same inode */
	struct inode *again = lookup(fx->root, "a.txt", 0);
	assert_ptr_equal(again, a);
	inode_put(again);
	inode_put(a);
	struct inode *sub = lookup(fx->root, "sub", 0);
	assert_true(S_ISDIR(sub->mode));
	assert_int_equal(sub->mode & 07777, 0750);
	struct inode *b = lookup(sub, "b", 0);
	assert_int_equal(b->size, 5);
	inode_put(b);
	lookup(sub, "missing", -ENOENT);
	inode_put(sub);
}

static int collect(void *ctx, const char *name, uint64_t ino, unsigned type, int64_t next)
{
	char *s = ctx;
	if (strcmp(name, ".") && strcmp(name, "..")) {
		strcat(s, name);
		strcat(s, type == DT_DIR ? "/ " : type == DT_LNK ? "@ " : " ");
	}
	return 0;
}

static void readdir_readlink_statfs(void **state)
{
	struct fixture *fx = *state;
	struct file *f = file_new(fx->root, NULL, NULL, O_RDONLY | O_DIRECTORY);
	assert_int_equal(fx->root->iops->open(fx->root, f), 0);
	char names[256] = "";
	assert_int_equal(f->ops->readdir(f, collect, names), 0);
	assert_non_null(strstr(names, "a.txt "));
	assert_non_null(strstr(names, "sub/ "));
	assert_non_null(strstr(names, "link@ "));
	file_put(f);
	struct inode *l = lookup(fx->root, "link", 0);
	assert_true(S_ISLNK(l->mode));
	char target[64] = {0};
	assert_int_equal(l->iops->readlink(l, target, sizeof(target)), 5);
	assert_string_equal(target, "sub/b");
	inode_put(l);
	struct linux_statfs sf;
	assert_int_equal(fx->root->iops->statfs(fx->root, &sf), 0);
	assert_true(sf.f_bsize > 0);
}

static void broken_connection(void **state)
{
	struct fixture *fx = *state;
	shutdown(fx->server_sock, SHUT_RDWR); /* the Gofer hangs up */
	lookup(fx->root, "sub", -EIO);
	lookup(fx->root, "a.txt", -EIO); /* and stays broken */
	struct linux_statfs sf;
	assert_int_equal(fx->root->iops->statfs(fx->root, &sf), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(attrs_and_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(readdir_readlink_statfs, setup, teardown),
	    cmocka_unit_test_setup_teardown(broken_connection, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
