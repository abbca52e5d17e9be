/* hostfs (`--file-access=direct`) over a scratch directory: it stays
 * beneath the directory fd it is given (no `..`, no path, no followed
 * symlink), opens files by name in their parent and refuses one replaced
 * behind its back (ESTALE), finds a file renamed in the sandbox through the
 * dentry the open came by, and changes attributes through its O_PATH fds. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host_file.h"

#include "sentry/fs/host/hostfs.h"
#include "sentry/fs/vfs.h"

struct fixture {
	char top[64]; /* holds dir/ and a secret beside it */
	char dir[96];
	struct inode *root;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char p[256];
	strcpy(fx->top, "/tmp/hostfs-test.XXXXXX");
	assert_non_null(mkdtemp(fx->top));
	snprintf(fx->dir, sizeof(fx->dir), "%s/dir", fx->top);
	assert_int_equal(mkdir(fx->dir, 0755), 0);
	host_file(fx->top, "secret", "outside\n");
	host_file(fx->dir, "a.txt", "hello\n");
	snprintf(p, sizeof(p), "%s/sub", fx->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/up", fx->dir);
	assert_int_equal(symlink("../secret", p), 0);
	fx->root = hostfs_new(open(fx->dir, O_PATH | O_DIRECTORY | O_CLOEXEC), 0, 0);
	assert_non_null(fx->root);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct fs *fs = fx->root->fs; /* the Sentry never unmounts; tests free it */
	inode_put(fx->root);
	free(fs);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->top);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

static struct inode *lookup(struct inode *dir, const char *name)
{
	struct inode *in = NULL;
	assert_int_equal(dir->iops->lookup(dir, name, &in), 0);
	return in;
}

/* Opens in (through dentry d if not NULL) with flags, and reads it if
 * buf: the open's error or the read's result. */
static long open_via(struct inode *in, struct dentry *d, int flags, char *buf, size_t len)
{
	struct file *f = file_new(in, NULL, d, flags);
	long r = in->iops->open(in, f);
	int64_t pos = 0;
	if (r == 0 && buf) {
		memset(buf, 0, len);
		r = f->ops->read(f, buf, len - 1, &pos);
	}
	file_put(f);
	return r;
}

static long read_via(struct inode *in, struct dentry *d, char *buf, size_t len)
{
	return open_via(in, d, O_RDONLY, buf, len);
}

static void stays_beneath(void **state)
{
	struct fixture *fx = *state;
	struct inode *in;
	assert_int_equal(fx->root->iops->lookup(fx->root, "..", &in), -ENOENT);
	assert_int_equal(fx->root->iops->lookup(fx->root, ".", &in), -ENOENT);
	assert_int_equal(fx->root->iops->lookup(fx->root, "sub/../a.txt", &in), -ENOENT);
	/* a symlink is a symlink, never what it points at */
	in = lookup(fx->root, "up");
	assert_true(S_ISLNK(in->mode));
	char buf[64] = {0};
	assert_int_equal(in->iops->readlink(in, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "../secret");
	assert_int_equal(read_via(in, NULL, buf, sizeof(buf)), -ENXIO);
	inode_put(in);
}

static void open_and_stale(void **state)
{
	struct fixture *fx = *state;
	char buf[64], p[256], q[256];
	struct inode *in = lookup(fx->root, "a.txt");
	assert_int_equal(read_via(in, NULL, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "hello\n");
	/* replaced on the host: the name now leads to another file */
	host_file(fx->dir, "other", "other\n");
	snprintf(p, sizeof(p), "%s/other", fx->dir);
	snprintf(q, sizeof(q), "%s/a.txt", fx->dir);
	assert_int_equal(rename(p, q), 0);
	struct inode *in2 = lookup(fx->root, "a.txt");
	assert_int_equal(read_via(in2, NULL, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "other\n");
	inode_put(in2);
	assert_int_equal(open_via(in, NULL, O_WRONLY, NULL, 0), -ESTALE);
	inode_put(in);
}

static void renamed_in_sandbox(void **state)
{
	struct fixture *fx = *state;
	char buf[64];
	struct inode *in = lookup(fx->root, "a.txt"), *sub = lookup(fx->root, "sub");
	assert_int_equal(fx->root->iops->rename(fx->root, "a.txt", sub, "moved", 0), 0);
	/* without a dentry the old name is all it has */
	assert_int_equal(read_via(in, NULL, buf, sizeof(buf)), -ENOENT);
	/* the dentry the VFS moved says where it is now */
	struct dentry *droot = dentry_new("/", NULL, inode_get(fx->root));
	struct dentry *dsub = dentry_new("sub", droot, sub);
	struct dentry *d = dentry_new("moved", dsub, in);
	assert_int_equal(read_via(in, d, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "hello\n");
	/* and from then on the inode knows */
	assert_int_equal(read_via(in, NULL, buf, sizeof(buf)), 6);
	/* detached, so the dentry cache keeps none of them */
	dentry_detach(d);
	dentry_put(d);
	dentry_detach(dsub);
	dentry_put(dsub);
	dentry_put(droot);
}

static void attributes(void **state)
{
	struct fixture *fx = *state;
	char p[256];
	struct stat st;
	struct inode *in = lookup(fx->root, "a.txt");
	struct iattr ia = {.valid = IATTR_MODE | IATTR_SIZE | IATTR_MTIME,
			   .mode = 0600,
			   .size = 2,
			   .mtime = {1000000000, 0}};
	assert_int_equal(in->iops->setattr(in, &ia), 0);
	snprintf(p, sizeof(p), "%s/a.txt", fx->dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(st.st_mtime, 1000000000);
	assert_int_equal(in->size, 2);
	inode_put(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(stays_beneath, setup, teardown),
	    cmocka_unit_test_setup_teardown(open_and_stale, setup, teardown),
	    cmocka_unit_test_setup_teardown(renamed_in_sandbox, setup, teardown),
	    cmocka_unit_test_setup_teardown(attributes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
