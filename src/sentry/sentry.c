/* The Sentry's entry point; see sentry.h. The root is the host's / read-only
 * (hostfs) with memory file systems on /tmp, /var/tmp, /run, /dev and an
 * empty /proc and /sys until those file systems exist. */
#include "sentry/sentry.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/host/hostfile.h"
#include "sentry/fs/host/hostfs.h"
#include "sentry/fs/proc/proc.h"
#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"
#include "sentry/mm/mm.h"
#include "sentry/platform/platform.h"
#include "sentry/syscalls/syscalls.h"

extern struct mount *vfs_root_mount;
extern char sandbox_hostname[65];
long exec_task(struct task *t, const char *path, char **argv, char **envp);

/* Mounts procfs on /proc (left as it is if the root has no /proc). */
static int mount_procfs(struct mount *root)
{
	struct dentry *d;
	if (vfs_lookup_child(root->root, "proc", &d))
		return 0;
	struct inode *in = procfs_new();
	int flags = 2 | 4 | 8; /* MS_NOSUID | MS_NODEV | MS_NOEXEC */
	int err = in ? vfs_mount_at(root, d, in, "proc", flags) : -ENOMEM;
	dentry_put(d);
	return err;
}

/* Mounts a fresh tmpfs over an existing directory of the root. */
static int mount_tmpfs(struct mount *root, const char *name, uint32_t mode, struct inode **out)
{
	struct dentry *d;
	int err = vfs_lookup_child(root->root, name, &d);
	if (err)
		return err;
	struct inode *in = tmpfs_new(mode);
	if (!in) {
		dentry_put(d);
		return -ENOMEM;
	}
	err = vfs_mount_at(root, d, in, "tmpfs", 0);
	if (!err && out)
		*out = in;
	/* the mount keeps d referenced through mountpoint */
	dentry_put(d);
	return err;
}

static int mount_tmpfs_path(struct mount *root, const char *parent, const char *name)
{
	struct dentry *p;
	if (vfs_lookup_child(root->root, parent, &p))
		return 0;
	struct mount *m = root;
	vfs_follow_mounts(&m, &p);
	struct dentry *d;
	int err = vfs_lookup_child(p, name, &d);
	dentry_put(p);
	if (err)
		return 0;
	struct inode *in = tmpfs_new(01777);
	err = in ? vfs_mount_at(m, d, in, "tmpfs", 0) : -ENOMEM;
	dentry_put(d);
	return err;
}

static int build_fs(struct fs_context **out)
{
	int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	struct inode *root = hostfs_new(rootfd, 1);
	if (!root)
		return -ENOMEM;
	struct mount *m = vfs_mount_root(root, "/", 1);
	if (!m)
		return -ENOMEM;
	vfs_root_mount = m;
	static const char *scratch[] = {"tmp", "run"};
	for (size_t i = 0; i < sizeof(scratch) / sizeof(scratch[0]); i++) {
		int err = mount_tmpfs(m, scratch[i], 01777, NULL);
		if (err && err != -ENOENT)
			return err;
	}
	mount_tmpfs_path(m, "var", "tmp");
	struct inode *dev;
	int err = mount_tmpfs(m, "dev", 0755, &dev);
	if (!err)
		err = devfs_populate(dev);
	if (err && err != -ENOENT)
		return err;
	mount_procfs(m);
	mount_tmpfs(m, "sys", 0555, NULL);
	*out = fs_context_new(m, m->root);
	return *out ? 0 : -ENOMEM;
}

static int stdio_files(struct fd_table *ft)
{
	for (int fd = 0; fd < 3; fd++) {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0)
			continue;
		int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (dup < 0)
			return -errno;
		struct file *f = hostfile_new(dup, fl & (O_ACCMODE | O_APPEND));
		if (!f)
			return -ENOMEM;
		if (fdt_install_at(ft, fd, f, 0, 1024) < 0)
			return -EMFILE;
	}
	return 0;
}

int sentry_run(const struct sentry_config *cfg, struct error **err)
{
	int e = plat_init();
	if (e)
		return error_set(err, -e, "start the platform");
	strace_enabled = cfg->strace;
	if (cfg->max_tasks > 0)
		pid_max_tasks = cfg->max_tasks;
	if (cfg->hostname)
		strncpy(sandbox_hostname, cfg->hostname, 64);
	struct fs_context *fs = NULL;
	if ((e = build_fs(&fs)))
		return error_set(err, -e, "build the sandbox file system");
	if (cfg->cwd) {
		struct dentry *d = dentry_get(fs->root);
		struct mount *m = fs->root_mnt;
		/* walk the host cwd inside the sandbox; stay at / if it is not there */
		char *path = strdup(cfg->cwd), *save = NULL;
		int ok = path != NULL;
		for (char *c = path ? strtok_r(path, "/", &save) : NULL; c && ok;
		     c = strtok_r(NULL, "/", &save)) {
			struct dentry *n;
			if (vfs_lookup_child(d, c, &n) || !S_ISDIR(n->inode->mode)) {
				ok = 0;
				break;
			}
			dentry_put(d);
			d = n;
			vfs_follow_mounts(&m, &d);
		}
		if (ok)
			fs_context_set_cwd(fs, m, d);
		dentry_put(d);
		free(path);
	}
	struct fd_table *files = fdt_new();
	if (!files || (e = stdio_files(files)))
		return error_set(err, files ? -e : ENOMEM, "set up standard files");
	struct plat_thread *pt;
	if ((e = plat_as_new(&pt)))
		return error_set(err, -e, "create the first address space");
	struct mm *mm = mm_new();
	if (!mm)
		return error_set(err, ENOMEM, "create the first address space");
	pid_t pid;
	if ((e = task_start_init(pt, mm, files, fs, &pid)))
		return error_set(err, -e, "create the first task");
	struct task *t = task_by_tid(pid);
	const char *prog = cfg->argv[0];
	char *resolved = NULL;
	if (!strchr(prog, '/')) {
		/* search PATH as a shell would */
		const char *path = getenv("PATH");
		char *dirs = strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
		char *save = NULL;
		for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d;
		     d = strtok_r(NULL, ":", &save)) {
			char *cand;
			if (asprintf(&cand, "%s/%s", d, prog) < 0)
				break;
			if (access(cand, X_OK) == 0) {
				resolved = cand;
				break;
			}
			free(cand);
		}
		free(dirs);
		if (!resolved)
			return error_set(err, ENOENT, "`%s`", prog);
		prog = resolved;
	}
	long r = exec_task(t, prog, cfg->argv, cfg->envp);
	free(resolved);
	if (r < 0)
		return error_set(err, (int)-r, "exec `%s`", cfg->argv[0]);
	sched_run();
	int st = init_exit_status;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
