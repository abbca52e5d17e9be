/* The VFS without a running sandbox: path walk, tmpfs and the overlay
 * (copy-up, whiteouts, merged listings, opaque directories). A fake task
 * carries the fs context and fd table the walk uses. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "sentry/fs/fdtable.h"
#include "sentry/fs/overlay/overlay.h"
#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"

struct env {
	struct task task;
	struct process proc;
	struct inode *lower; /* a tmpfs standing for the host root */
};

static struct env *env;

static void put_file(struct inode *dir, const char *name, const char *data)
{
	struct inode *in;
	assert_int_equal(dir->iops->create(dir, name, S_IFREG | 0644, &in), 0);
	struct file *f = file_new(in, NULL, NULL, O_WRONLY);
	int64_t pos = 0;
	assert_int_equal(f->ops->write(f, data, strlen(data), &pos), (long)strlen(data));
	file_put(f);
	inode_put(in);
}

static struct inode *child(struct inode *dir, const char *name)
{
	struct inode *in = NULL;
	assert_int_equal(dir->iops->lookup(dir, name, &in), 0);
	return in;
}

static int setup(void **state)
{
	env = calloc(1, sizeof(*env));
	env->lower = tmpfs_new(0755);
	struct inode *l = env->lower;
	l->iops->mkdir(l, "etc", 0755);
	l->iops->mkdir(l, "tmp", 01777);
	struct inode *etc = child(l, "etc");
	put_file(etc, "hostname", "host\n");
	put_file(etc, "passwd", "root:x:0:0\n");
	etc->iops->mkdir(etc, "apt", 0755);
	struct inode *apt = child(etc, "apt");
	put_file(apt, "sources.list", "deb\n");
	inode_put(apt);
	etc->iops->symlink(etc, "link", "hostname");
	etc->iops->symlink(etc, "loop", "loop");
	etc->iops->symlink(etc, "abs", "/etc/passwd");
	etc->iops->symlink(etc, "up", "../tmp");
	inode_put(etc);
	struct inode *root = overlay_new(tmpfs_new(0755), inode_get(l));
	struct mount *m = vfs_mount_root(root, "overlay", 0);
	env->proc.creds.cap_eff = ~0ULL;
	env->task.proc = &env->proc;
	env->task.fs = fs_context_new(m, m->root);
	env->task.files = fdt_new();
	*state = env;
	return 0;
}

static char *read_all(const char *path)
{
	struct file *f;
	int err = vfs_open(&env->task, AT_FDCWD, path, O_RDONLY, 0, &f);
	if (err)
		return NULL;
	static char buf[256];
	int64_t pos = 0;
	long n = f->ops->read(f, buf, sizeof(buf) - 1, &pos);
	file_put(f);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

/* The tests change names through inode operations, below the VFS: drop the
 * dentry the cache may hold for path, as the system calls do. */
static void forget(const char *path)
{
	struct walk_result w;
	if (vfs_walk(&env->task, AT_FDCWD, path, WALK_PARENT, &w))
		return;
	struct dentry *c = dentry_child(w.d, w.last);
	if (c)
		dentry_detach(c);
	walk_result_put(&w);
}

static int walk_err(const char *path, int flags)
{
	struct walk_result w;
	int err = vfs_walk(&env->task, AT_FDCWD, path, flags, &w);
	if (!err)
		walk_result_put(&w);
	return err;
}

static void test_walk(void **state)
{
	assert_string_equal(read_all("/etc/hostname"), "host\n");
	assert_string_equal(read_all("/etc/link"), "host\n");
	assert_string_equal(read_all("/etc/abs"), "root:x:0:0\n");
	assert_string_equal(read_all("/etc/../etc/./hostname"), "host\n");
	assert_string_equal(read_all("/../../etc/hostname"), "host\n");
	assert_int_equal(walk_err("/etc/up", 0), 0);
	assert_int_equal(walk_err("/etc/loop", 0), -ELOOP);
	assert_int_equal(walk_err("/etc/loop", WALK_NOFOLLOW), 0);
	assert_int_equal(walk_err("/etc/hostname/x", 0), -ENOTDIR);
	assert_int_equal(walk_err("/etc/hostname/", 0), -ENOTDIR);
	assert_int_equal(walk_err("/etc/nope", 0), -ENOENT);
	assert_int_equal(walk_err("", 0), -ENOENT);
	char name[300];
	memset(name, 'a', sizeof(name) - 1);
	name[0] = '/';
	name[sizeof(name) - 1] = 0;
	assert_int_equal(walk_err(name, 0), -ENAMETOOLONG);
}

static void test_copy_up_keeps_lower(void **state)
{
	struct file *f;
	assert_int_equal(vfs_open(&env->task, AT_FDCWD, "/etc/hostname", O_WRONLY | O_TRUNC, 0, &f),
			 0);
	int64_t pos = 0;
	assert_int_equal(f->ops->write(f, "sandbox\n", 8, &pos), 8);
	file_put(f);
	assert_string_equal(read_all("/etc/hostname"), "sandbox\n");
	/* the lower layer is untouched */
	struct inode *etc = child(env->lower, "etc"), *h = child(etc, "hostname");
	struct file *lf = file_new(h, NULL, NULL, O_RDONLY);
	char buf[16] = {0};
	pos = 0;
	lf->ops->read(lf, buf, sizeof(buf) - 1, &pos);
	assert_string_equal(buf, "host\n");
	file_put(lf);
	inode_put(h);
	inode_put(etc);
}

struct count {
	int n;
	int found;
	const char *want;
};

static int count_emit(void *ctx, const char *name, uint64_t ino, unsigned type, int64_t next)
{
	struct count *c = ctx;
	if (strcmp(name, ".") && strcmp(name, ".."))
		c->n++;
	if (c->want && !strcmp(name, c->want))
		c->found = 1;
	return 0;
}

static int count_dir(const char *path, const char *want)
{
	struct file *f;
	if (vfs_open(&env->task, AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0, &f))
		return -1;
	struct count c = {0, 0, want};
	f->ops->readdir(f, count_emit, &c);
	file_put(f);
	return want && !c.found ? -2 : c.n;
}

static void test_whiteouts_and_listing(void **state)
{
	struct inode *root = env->task.fs->root->inode;
	struct inode *etc;
	assert_int_equal(root->iops->lookup(root, "etc", &etc), 0);
	int before = count_dir("/etc", "passwd");
	assert_true(before > 0);
	assert_int_equal(etc->iops->unlink(etc, "passwd"), 0);
	forget("/etc/passwd");
	assert_int_equal(walk_err("/etc/passwd", 0), -ENOENT);
	assert_int_equal(count_dir("/etc", "passwd"), -2);
	assert_int_equal(count_dir("/etc", NULL), before - 1);
	/* a new file of the same name replaces the whiteout */
	struct inode *in;
	assert_int_equal(etc->iops->create(etc, "passwd", S_IFREG | 0600, &in), 0);
	inode_put(in);
	assert_int_equal(count_dir("/etc", "passwd"), before);
	inode_put(etc);
}

static void test_rmdir_lower_and_opaque(void **state)
{
	struct inode *root = env->task.fs->root->inode, *etc, *apt;
	assert_int_equal(root->iops->lookup(root, "etc", &etc), 0);
	assert_int_equal(etc->iops->rmdir(etc, "apt"), -ENOTEMPTY);
	assert_int_equal(etc->iops->lookup(etc, "apt", &apt), 0);
	assert_int_equal(apt->iops->unlink(apt, "sources.list"), 0);
	forget("/etc/apt/sources.list");
	inode_put(apt);
	assert_int_equal(etc->iops->rmdir(etc, "apt"), 0);
	forget("/etc/apt");
	assert_int_equal(walk_err("/etc/apt", 0), -ENOENT);
	/* recreated: empty, the lower contents do not show through */
	assert_int_equal(etc->iops->mkdir(etc, "apt", 0755), 0);
	assert_int_equal(count_dir("/etc/apt", NULL), 0);
	inode_put(etc);
}

static void test_rename(void **state)
{
	struct inode *root = env->task.fs->root->inode, *etc, *tmp;
	assert_int_equal(root->iops->lookup(root, "etc", &etc), 0);
	assert_int_equal(root->iops->lookup(root, "tmp", &tmp), 0);
	assert_int_equal(etc->iops->rename(etc, "link", tmp, "moved", 0), 0);
	forget("/etc/link");
	assert_int_equal(walk_err("/etc/link", WALK_NOFOLLOW), -ENOENT);
	assert_int_equal(walk_err("/tmp/moved", WALK_NOFOLLOW), 0);
	assert_int_equal(etc->iops->rename(etc, "apt", tmp, "apt2", 0), 0); /* upper-only now */
	inode_put(etc);
	inode_put(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_copy_up_keeps_lower),
	    cmocka_unit_test(test_whiteouts_and_listing),
	    cmocka_unit_test(test_rmdir_lower_and_opaque),
	    cmocka_unit_test(test_rename),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
