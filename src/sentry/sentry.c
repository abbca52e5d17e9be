/* The Sentry's entry point; see sentry.h. The first container's files come
 * from its Gofer (container_fs.h). */
#include "sentry/sentry.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "sandbox/sentry_confine.h"
#include "sandbox/sentry_filter.h"
#include "sentry/container_fs.h"
#include "sentry/control/control.h"
#include "sentry/fs/dev/chardev.h"
#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/gofer/goferfs.h"
#include "sentry/fs/gofer/launch.h"
#include "sentry/fs/host/hostfile.h"
#include "sentry/fs/host/hostfs.h"
#include "sentry/fs/host/hoststdio.h"
#include "sentry/fs/overlay/overlay.h"
#include "sentry/fs/proc/proc.h"
#include "sentry/fs/sys/sysfs.h"
#include "sentry/fs/tmpfs/tmpfs.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/task.h"
#include "sentry/loader/exec.h"
#include "sentry/kernel/uts.h"
#include "sentry/mm/mm.h"
#include "sentry/platform/platform.h"
#include "sentry/syscalls/syscalls.h"

extern char sandbox_hostname[65];

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

/* With cfg->terminal: the slave of a pty bridged to the host terminal,
 * as fds 0-2; *tty gets it (borrowed). */
static int stdio_tty(const struct sentry_config *cfg, struct fd_table *ft, struct file **tty)
{
	int e;
	struct file *slave = devpts_bridge_new(cfg->tty_fd, &e);
	if (!slave)
		return e;
	for (int fd = 0; fd < 3; fd++)
		if (fdt_install_at(ft, fd, file_get(slave), 0, 1024) < 0) {
			file_put(slave);
			return -EMFILE;
		}
	*tty = slave;
	file_put(slave);
	return 0;
}

/* The caller's fds 3 .. 3 + n - 1 (--preserve-fds), at the same numbers,
 * after the standard files. */
static int preserved_files(struct fd_table *ft, int n)
{
	for (int fd = 3; fd < 3 + n; fd++) {
		int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (dup < 0)
			return -errno;
		close(fd);
		int e = hoststdio_install(ft, fd, dup);
		if (e)
			return e;
	}
	return 0;
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
		int e = hoststdio_install(ft, fd, dup);
		if (e)
			return e;
	}
	return 0;
}

/* ids, rlimits, capabilities, groups, umask and domain name of the first
 * program, from config.json. */
static int init_process_settings(const struct sentry_config *cfg, struct task *t)
{
	struct process *p = t->proc;
	for (size_t i = 0; i < cfg->n_rlimits; i++) {
		const struct sentry_rlimit *r = &cfg->rlimits[i];
		if (r->resource < 0 || r->resource >= 16 || r->soft > r->hard)
			return -EINVAL;
		p->rlim[r->resource] = (struct linux_rlimit){r->soft, r->hard};
	}
	const uint64_t caps[4] = {cfg->cap_eff, cfg->cap_perm, cfg->cap_inh, cfg->cap_bnd};
	if (creds_set(&p->creds, cfg->uid, cfg->gid, cfg->groups, cfg->n_groups,
		      cfg->has_caps ? caps : NULL))
		return -EINVAL;
	p->creds.no_new_privs = cfg->no_new_privs;
	if (cfg->has_umask)
		t->fs->umask = cfg->umask & 0777;
	if (cfg->domainname)
		strncpy(sandbox_domainname, cfg->domainname, 64);
	return 0;
}

static int run(const struct sentry_config *cfg, struct p9_client *gofer, struct error **err)
{
	int e;
	strace_enabled = cfg->strace;
	if (cfg->max_tasks > 0)
		pid_max_tasks = cfg->max_tasks;
	if (cfg->hostname)
		strncpy(sandbox_hostname, cfg->hostname, 64);
	struct fs_context *fs = NULL;
	if ((e = container_fs_build(cfg, gofer, &fs)))
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
	struct file *tty = NULL;
	if (!files || (e = cfg->terminal ? stdio_tty(cfg, files, &tty) : stdio_files(files)) ||
	    (e = preserved_files(files, cfg->n_preserve_fds)))
		return error_set(err, files ? -e : ENOMEM, "set up standard files");
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
	if (tty)
		devpts_set_ctty(tty, t->proc->sid, t->proc->pgid);
	if ((e = init_process_settings(cfg, t)))
		return error_set(err, -e, "set up the first program's process");
	long r = exec_search(t, cfg->argv, cfg->envp);
	if (r < 0)
		return error_set(err, (int)-r, "exec `%s`", cfg->argv[0]);
	control_set_file_access(cfg->file_access);
	if (cfg->control_fd > 0 && control_start(cfg->control_fd, err) < 0)
		return -1;
	if (sentry_filter_install(err) < 0)
		return -1;
	sched_run();
	devpts_bridge_drain();
	control_stop();
	int st = init_exit_status;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Every cached file holds a host fd, in the Gofer (its fid) and in direct
 * mode in the Sentry too: a soft limit of 1024 (systemd's default) runs out
 * within one `find /usr`. Both may use what the hard limit allows; the Gofer
 * inherits it. */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int sentry_run(const struct sentry_config *cfg, struct error **err)
{
	prctl(PR_SET_NAME, "cvisor-sentry", 0, 0, 0); /* how ps shows it */
	sentry_hold_host_signals();
	plug_stdio();
	raise_nofile();
	/* The Gofer runs where the Sentry runs, so it inherits the pinning:
	 * every 9P round trip wakes the other side, and on VMs a cross-CPU
	 * wake-up costs many times a same-CPU one (`find /usr` 10 s vs 6 s).
	 * It starts before the platform, so it inherits none of the rest. */
	plat_pin_cpu();
	pid_t gofer = 0;
	int sock = container_gofer_launch(cfg, &gofer);
	if (sock < 0)
		return error_set(err, -sock, "start the gofer");
	int e = 0;
	struct p9_client *c = container_gofer_connect(sock, cfg->file_access, &e);
	if (!c) {
		gofer_stop(gofer);
		return error_set(err, -e, "connect to the gofer");
	}
	int r = run(cfg, c, err);
	gofer_stop(gofer);
	return r;
}
