/* /sys; see sysfs.h. Built once at start as a tmpfs, mounted read-only. */
#include "sentry/fs/sys/sysfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/kernel/cpus.h"

/* Makes every directory of path (relative, '/'-separated) under root; returns
 * the last one, referenced. */
static struct inode *mkdirs(struct inode *root, const char *path)
{
	struct inode *dir = inode_get(root);
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		struct inode *next;
		if (dir->iops->lookup(dir, c, &next) != 0) {
			dir->iops->mkdir(dir, c, 0755);
			if (dir->iops->lookup(dir, c, &next) != 0) {
				inode_put(dir);
				return NULL;
			}
		}
		inode_put(dir);
		dir = next;
	}
	return dir;
}

static void put(struct inode *root, const char *dirpath, const char *name, const char *text)
{
	struct inode *dir = mkdirs(root, dirpath), *in;
	if (!dir)
		return;
	if (dir->iops->create(dir, name, S_IFREG | 0444, &in) == 0) {
		struct file *f = file_new(in, NULL, NULL, O_WRONLY);
		if (f) {
			int64_t pos = 0;
			f->ops->write(f, text, strlen(text), &pos);
			file_put(f);
		}
		inode_put(in);
	}
	inode_put(dir);
}

struct inode *sysfs_new(void)
{
	struct inode *root = tmpfs_new(0555);
	if (!root)
		return NULL;
	char cpus[32];
	int n = sentry_ncpus;
	snprintf(cpus, sizeof(cpus), n > 1 ? "0-%d\n" : "0\n", n - 1);
	put(root, "devices/system/cpu", "online", cpus);
	put(root, "devices/system/cpu", "possible", cpus);
	put(root, "devices/system/cpu", "present", cpus);
	put(root, "kernel/mm/transparent_hugepage", "enabled", "always madvise [never]\n");
	static const char *dirs[] = {"class",	 "devices/virtual", "fs/cgroup", "bus",	  "block",
				     "dev/char", "dev/block",	    "firmware",	 "module"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct inode *d = mkdirs(root, dirs[i]);
		if (d)
			inode_put(d);
	}
	return root;
}
