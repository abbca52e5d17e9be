/* Character devices; see chardev.h. */
#include "sentry/fs/dev/chardev.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/host/hostfile.h"
#include "sentry/kernel/task.h"

static long null_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	return 0;
}

static long null_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	return (long)len;
}

static long zero_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	memset(buf, 0, len);
	return (long)len;
}

static long full_write(struct file *f, const void *buf, size_t len, int64_t *off)
{
	return -ENOSPC;
}

static long random_read(struct file *f, void *buf, size_t len, int64_t *off)
{
	ssize_t n = getrandom(buf, len, 0);
	return n < 0 ? -errno : n;
}

static int64_t dev_llseek(struct file *f, int64_t off, int whence)
{
	return 0;
}

static const struct file_ops null_fops = {
    .read = null_read, .write = null_write, .llseek = dev_llseek};
static const struct file_ops zero_fops = {
    .read = zero_read, .write = null_write, .llseek = dev_llseek};
static const struct file_ops full_fops = {
    .read = zero_read, .write = full_write, .llseek = dev_llseek};
static const struct file_ops random_fops = {
    .read = random_read, .write = null_write, .llseek = dev_llseek};

/* /dev/tty: the session's controlling terminal; the first program's
 * session without a sandbox pty has the caller's terminal (if any). */
static int open_tty(struct file *f)
{
	int err = devpts_open_ctty(f);
	struct task *t = current_task();
	if (err == -ENXIO && t && t->proc->sid == 1)
		return hostfile_open_tty(f);
	return err;
}

int chardev_open(struct inode *in, struct file *f)
{
	switch (in->rdev) {
	case MKDEV(1, 3):
		f->ops = &null_fops;
		return 0;
	case MKDEV(1, 5):
		f->ops = &zero_fops;
		return 0;
	case MKDEV(1, 7):
		f->ops = &full_fops;
		return 0;
	case MKDEV(1, 8):
	case MKDEV(1, 9):
		f->ops = &random_fops;
		return 0;
	case MKDEV(5, 0):
		return open_tty(f);
	case MKDEV(5, 2):
		return devpts_open_ptmx(f);
	}
	return -ENXIO;
}

int devfs_populate(struct inode *dir)
{
	static const struct {
		const char *name;
		uint64_t dev;
	} nodes[] = {{"null", MKDEV(1, 3)},   {"zero", MKDEV(1, 5)},	{"full", MKDEV(1, 7)},
		     {"random", MKDEV(1, 8)}, {"urandom", MKDEV(1, 9)}, {"tty", MKDEV(5, 0)},
		     {"ptmx", MKDEV(5, 2)}};
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		int err = dir->iops->mknod(dir, nodes[i].name, S_IFCHR | 0666, nodes[i].dev);
		if (err)
			return err;
	}
	static const struct {
		const char *name, *target;
	} links[] = {{"fd", "/proc/self/fd"},
		     {"stdin", "/proc/self/fd/0"},
		     {"stdout", "/proc/self/fd/1"},
		     {"stderr", "/proc/self/fd/2"}};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		int err = dir->iops->symlink(dir, links[i].name, links[i].target);
		if (err)
			return err;
	}
	int err = dir->iops->mkdir(dir, "shm", 01777);
	return err ? err : dir->iops->mkdir(dir, "pts", 0755);
}
