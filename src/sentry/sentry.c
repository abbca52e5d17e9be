/* The Sentry's entry point; see sentry.h. The root is the host's / read-only
 * (hostfs) under a memory overlay (tmpfs), so the host's files never change;
 * /dev is the Sentry's own, /proc and /sys are empty until those file systems
 * exist. */
#include "sentry/sentry.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "sandbox/sentry_confine.h"
#include "sandbox/sentry_filter.h"
#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/gofer/goferfs.h"
#include "sentry/fs/gofer/launch.h"
#include "sentry/fs/host/hostfile.h"
#include "sentry/fs/host/hostfs.h"
#include "sentry/fs/overlay/overlay.h"
#include "sentry/fs/proc/proc.h"
#include "sentry/fs/sys/sysfs.h"
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

/* Mounts the read-only /sys (left as it is if the root has no /sys). */
static int mount_sysfs(struct mount *root)
{
	struct dentry *d;
	if (vfs_lookup_child(root->root, "sys", &d))
		return 0;
	struct inode *in = sysfs_new();
	int err =
	    in ? vfs_mount_at(root, d, in, "sysfs", 1 | 2 | 4 | 8 /* ro,nosuid,nodev,noexec */)
	       : -ENOMEM;
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

/* Finds or makes (in the overlay) the mount point path: every component a
 * directory, the last one a file if want_file. */
static int mount_point(struct mount *root, const char *path, int want_file, struct mount **mnt,
		       struct dentry **out)
{
	struct mount *m = root;
	struct dentry *d = dentry_get(root->root);
	char *copy = strdup(path), *save = NULL;
	int err = copy ? 0 : -ENOMEM;
	for (char *c = copy ? strtok_r(copy, "/", &save) : NULL; c && !err;
	     c = strtok_r(NULL, "/", &save)) {
		struct dentry *n;
		int last = save == NULL || *save == 0 || strspn(save, "/") == strlen(save);
		int file = want_file && last;
		err = vfs_lookup_child(d, c, &n);
		if (err == -ENOENT && file && d->inode->iops->create) {
			struct inode *made;
			err = d->inode->iops->create(d->inode, c, S_IFREG | 0644, &made);
			if (!err) {
				inode_put(made);
				err = vfs_lookup_child(d, c, &n);
			}
		} else if (err == -ENOENT && d->inode->iops && d->inode->iops->mkdir) {
			err = d->inode->iops->mkdir(d->inode, c, 0755);
			if (!err)
				err = vfs_lookup_child(d, c, &n);
		}
		if (err)
			break;
		if (file ? S_ISDIR(n->inode->mode) : !S_ISDIR(n->inode->mode)) {
			dentry_put(n);
			err = -ENOTDIR;
			break;
		}
		dentry_put(d);
		d = n;
		vfs_follow_mounts(&m, &d);
	}
	free(copy);
	if (err) {
		dentry_put(d);
		return err;
	}
	*mnt = m;
	*out = d;
	return 0;
}

static int mount_one(struct mount *root, const struct sentry_mount *sm)
{
	struct inode *in;
	if (sm->tmpfs) {
		in = tmpfs_new(sm->mode ? sm->mode : 01777);
	} else {
		int fd = sentry_host_tree(sm->source, sm->readonly);
		if (fd < 0)
			return -errno;
		in = hostfs_new(fd, sm->readonly);
		if (in && !S_ISDIR(in->mode) && !S_ISREG(in->mode)) {
			inode_put(in);
			return -ENOTSUP; /* host devices, fifos, sockets */
		}
	}
	if (!in)
		return -ENOMEM;
	struct mount *m;
	struct dentry *d;
	int err = mount_point(root, sm->destination, !sm->tmpfs && !S_ISDIR(in->mode), &m, &d);
	if (err)
		return err;
	err = vfs_mount_at(m, d, in, sm->tmpfs ? "tmpfs" : sm->source, sm->readonly ? 1 : 0);
	dentry_put(d);
	return err;
}

/* The root's lower layer: the Gofer's export of the root over gofer_sock
 * if >= 0, else hostfs. */
static int build_fs(const struct sentry_config *cfg, int gofer_sock, struct fs_context **out)
{
	const char *rootpath = cfg->root ? cfg->root : "/";
	struct inode *lower;
	if (gofer_sock >= 0) {
		int e = 0;
		lower = goferfs_new(gofer_sock, rootpath, 1, &e);
		if (!lower)
			return e;
	} else {
		int rootfd = sentry_host_tree(rootpath, 1);
		struct stat st;
		if (rootfd < 0 || fstat(rootfd, &st) < 0)
			return -errno;
		if (!S_ISDIR(st.st_mode)) {
			close(rootfd);
			return -ENOTDIR;
		}
		lower = hostfs_new(rootfd, 1);
	}
	struct inode *upper = tmpfs_new(0755);
	struct inode *root = lower && upper ? overlay_new(upper, lower) : NULL;
	if (!root)
		return -ENOMEM;
	struct mount *m =
	    vfs_mount_root(root, "overlay", cfg->readonly_root ? 1 /* MS_RDONLY */ : 0);
	if (!m)
		return -ENOMEM;
	vfs_root_mount = m;
	/* a container's root gets /dev, /proc and /sys even if its image has none */
	for (const char *const *p = (const char *const[]){"dev", "proc", "sys", NULL};
	     cfg->root && *p; p++) {
		struct mount *pm;
		struct dentry *pd;
		int e = mount_point(m, *p, 0, &pm, &pd);
		if (e)
			return e;
		dentry_put(pd);
	}
	struct inode *dev;
	int err = mount_tmpfs(m, "dev", 0755, &dev);
	if (!err)
		err = devfs_populate(dev);
	if (err && err != -ENOENT)
		return err;
	/* the host's /proc and /sys must never show through */
	if ((err = mount_procfs(m)))
		return err;
	if ((err = mount_sysfs(m)))
		return err;
	for (size_t i = 0; i < cfg->n_mounts; i++)
		if ((err = mount_one(m, &cfg->mounts[i]))) {
			log_error("mount %s: %s", cfg->mounts[i].destination, strerror(-err));
			return err;
		}
	*out = fs_context_new(m, m->root);
	return *out ? 0 : -ENOMEM;
}

/* Which of the caller's fds 0-2 were open; closed ones are plugged with
 * /dev/null at start so no Sentry fd takes their number. */
static int stdio_open[3];

static void plug_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		stdio_open[fd] = fcntl(fd, F_GETFL) >= 0;
		if (!stdio_open[fd]) {
			int n = open("/dev/null", O_RDWR);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
	}
}

static int stdio_files(struct fd_table *ft)
{
	for (int fd = 0; fd < 3; fd++) {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || !stdio_open[fd])
			continue; /* closed for the caller: closed in the sandbox */
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

/* Finds cfg->argv[0] on the PATH as a shell would (host paths: done before
 * confinement). *out is NULL for a name with a slash. */
static int find_program(const struct sentry_config *cfg, char **out, struct error **err)
{
	const char *prog = cfg->argv[0];
	*out = NULL;
	if (strchr(prog, '/'))
		return 0;
	const char *path = cfg->root ? NULL : getenv("PATH");
	for (char **e = cfg->root ? cfg->envp : NULL; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	char *dirs = strdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL;
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d;
	     d = strtok_r(NULL, ":", &save)) {
		char *cand;
		if (asprintf(&cand, "%s/%s", d, prog) < 0)
			break;
		char *host = NULL;
		if (cfg->root && asprintf(&host, "%s/%s", cfg->root, cand) < 0)
			host = NULL;
		int found = access(host ? host : cand, X_OK) == 0;
		free(host);
		if (found) {
			*out = cand;
			break;
		}
		free(cand);
	}
	free(dirs);
	if (!*out)
		return error_set(err, ENOENT, "`%s`", prog);
	return 0;
}

static int run(const struct sentry_config *cfg, int gofer_sock, struct error **err)
{
	int e;
	strace_enabled = cfg->strace;
	if (cfg->max_tasks > 0)
		pid_max_tasks = cfg->max_tasks;
	if (cfg->hostname)
		strncpy(sandbox_hostname, cfg->hostname, 64);
	struct fs_context *fs = NULL;
	if ((e = build_fs(cfg, gofer_sock, &fs)))
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
	char *resolved;
	if (find_program(cfg, &resolved, err) < 0)
		return -1;
	/* the stub zygote is forked after this and shares the confinement */
	if (sentry_confine(err) < 0)
		return -1;
	if ((e = plat_init()))
		return error_set(err, -e, "start the platform");
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
	if (cfg->uid || cfg->gid) {
		struct creds *c = &t->proc->creds;
		c->ruid = c->euid = c->suid = c->fsuid = cfg->uid;
		c->rgid = c->egid = c->sgid = c->fsgid = cfg->gid;
		if (cfg->uid)
			c->cap_eff = c->cap_perm = 0;
	}
	long r = exec_task(t, resolved ? resolved : cfg->argv[0], cfg->argv, cfg->envp);
	free(resolved);
	if (r < 0)
		return error_set(err, (int)-r, "exec `%s`", cfg->argv[0]);
	if (sentry_filter_install(err) < 0)
		return -1;
	sched_run();
	int st = init_exit_status;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int sentry_run(const struct sentry_config *cfg, struct error **err)
{
	prctl(PR_SET_NAME, "cvisor-sentry", 0, 0, 0); /* how ps shows it */
	plug_stdio();
	if (!cfg->gofer_root)
		return run(cfg, -1, err);
	/* the Gofer starts before the platform, so it inherits none of it */
	pid_t gofer = 0;
	char spec[4096];
	snprintf(spec, sizeof(spec), "%s:ro", cfg->root ? cfg->root : "/");
	int sock = gofer_launch(spec, &gofer);
	if (sock < 0)
		return error_set(err, -sock, "start the gofer");
	int r = run(cfg, sock, err);
	gofer_stop(gofer);
	return r;
}
