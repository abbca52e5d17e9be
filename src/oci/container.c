/* The container lifecycle; see container.h. */
#include "oci/container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/log.h"
#include "oci/console.h"
#include "oci/container_client.h"
#include "oci/container_internal.h"
#include "oci/hooks.h"
#include "oci/spec.h"
#include "oci/state.h"
#include "sandbox/cgroup.h"
#include "sandbox/netns.h"
#include "sandbox/pidns.h"
#include "sentry/control/control.h"
#include "sentry/control/protocol.h"
#include "sentry/sentry.h"

static char *state_file(const char *root, const char *id, const char *name)
{
	char *p;
	return asprintf(&p, "%s/%s/%s", root, id, name) < 0 ? NULL : p;
}

/* The checks runc makes before it creates anything. */
static int validate(const struct oci_spec *s, const struct oci_state *st, struct error **err)
{
	if (!s->process)
		return error_set(err, EINVAL, "config.json: `process` is required");
	if (!s->process->args || !s->process->args[0])
		return error_set(err, EINVAL, "config.json: `process.args` must not be empty");
	if (s->process->cwd && s->process->cwd[0] != '/')
		return error_set(err, EINVAL, "config.json: `process.cwd` must be absolute");
	struct stat sb;
	if (stat(st->rootfs, &sb) < 0)
		return error_set(err, errno, "config.json: `root.path` `%s`", st->rootfs);
	if (!S_ISDIR(sb.st_mode))
		return error_set(err, ENOTDIR, "config.json: `root.path` `%s`", st->rootfs);
	for (size_t i = 0; i < s->n_mounts; i++)
		if (!s->mounts[i].destination || s->mounts[i].destination[0] != '/')
			return error_set(err, EINVAL,
					 "config.json: `mounts[%zu].destination` must be absolute",
					 i);
	return 0;
}

/* The Sentry provides /proc, /sys and /dev itself; bind mounts of
 * directories and regular files (served by the Gofer) and tmpfs mounts go
 * to it, the rest is skipped. */
static struct sentry_mount *sentry_mounts(const struct oci_spec *s, size_t *n)
{
	struct sentry_mount *v = calloc(s->n_mounts + 1, sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->n_mounts; i++) {
		const struct oci_mount *m = &s->mounts[i];
		const char *type = m->type ? m->type : "";
		struct sentry_mount *sm = &v[*n];
		sm->destination = m->destination;
		sm->readonly = (m->flags & MS_RDONLY) != 0;
		if ((m->flags & MS_BIND) || strcmp(type, "bind") == 0) {
			struct stat sb;
			if (!m->source || stat(m->source, &sb) < 0 ||
			    !(S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode))) {
				log_warn("mounts[%zu] `%s`: only directories and regular files can "
					 "be bind mounted yet; skipped",
					 i, m->destination);
				continue;
			}
			sm->source = m->source;
		} else if (strcmp(type, "tmpfs") == 0) {
			if (strcmp(m->destination, "/dev") == 0)
				continue; /* the Sentry's /dev is a tmpfs already */
			sm->tmpfs = 1;
			sm->mode = m->has_mode ? m->mode : 0;
		} else {
			continue; /* proc, sysfs, devpts, mqueue, cgroup: the Sentry's own */
		}
		(*n)++;
	}
	return v;
}

/* config.json's process settings, sysctl and guarded paths for the
 * Sentry (oci_spec_check has refused what it cannot do). */
static int sentry_process_settings(const struct oci_spec *s, struct sentry_config *cfg)
{
	const struct oci_process *p = s->process;
	struct sentry_rlimit *rl = calloc(p->n_rlimits + 1, sizeof(*rl));
	if (!rl)
		return -1;
	for (size_t i = 0; i < p->n_rlimits; i++)
		rl[i] = (struct sentry_rlimit){p->rlimits[i].resource, p->rlimits[i].soft,
					       p->rlimits[i].hard};
	cfg->rlimits = rl;
	cfg->n_rlimits = p->n_rlimits;
	if ((cfg->has_caps = p->has_caps))
		oci_caps_after_exec(&p->caps, p->user.uid == 0, &cfg->cap_eff, &cfg->cap_perm,
				    &cfg->cap_inh);
	cfg->cap_bnd = p->caps.bounding;
	cfg->no_new_privs = p->no_new_privileges;
	cfg->groups = p->user.additional_gids;
	cfg->n_groups = p->user.n_additional_gids;
	cfg->has_umask = p->user.has_umask;
	cfg->umask = p->user.umask;
	cfg->domainname = s->domainname;
	for (size_t i = 0; i < s->linux_.n_sysctl; i++) {
		const struct oci_kv *kv = &s->linux_.sysctl[i];
		if (strcmp(kv->key, "kernel.hostname") == 0)
			cfg->hostname = kv->value;
		else if (strcmp(kv->key, "kernel.domainname") == 0)
			cfg->domainname = kv->value;
	}
	cfg->masked_paths = s->linux_.masked_paths;
	cfg->n_masked_paths = s->linux_.n_masked_paths;
	cfg->readonly_paths = s->linux_.readonly_paths;
	cfg->n_readonly_paths = s->linux_.n_readonly_paths;
	return 0;
}

static int write_file_at(int dirfd, const char *path, const char *text)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int write_file(const char *path, const char *text)
{
	return write_file_at(AT_FDCWD, path, text);
}

/* With a console socket the program's stdio is the terminal: the
 * caller's stdio (pipes a client waits on for EOF, as containerd's shim
 * does) is let go, as runc's init does. */
static void release_stdio(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
}

int oci_preserve_fds(const char *arg, int *n, struct error **err)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < 0 || v > OCI_MAX_PRESERVE_FDS)
		return error_set(err, EINVAL, "--preserve-fds `%s`: a number from 0 to %d", arg,
				 OCI_MAX_PRESERVE_FDS);
	for (int fd = 3; fd < 3 + v; fd++) {
		/* close-on-exec: not the caller's but ours (the --log file
		 * takes the lowest free number), never to be handed in */
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0 || (fl & FD_CLOEXEC))
			return error_set(err, EBADF, "--preserve-fds %ld: fd %d is not open%s", v,
					 fd, fl < 0 ? "" : " (it is cvisor's own)");
	}
	*n = (int)v;
	return 0;
}

int oci_write_pid_file(const char *path, pid_t pid, struct error **err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	cleanup_free char *tmp = NULL;
	if (asprintf(&tmp, "%s.tmp", path) < 0 || write_file(tmp, buf) < 0 || rename(tmp, path) < 0)
		return error_set(err, errno, "--pid-file `%s`", path);
	return 0;
}

void oci_await_start(const struct oci_create_opts *o, const struct oci_spec *s,
		     struct oci_state *st)
{
	cleanup_free char *fifo = state_file(o->root, o->id, "exec.fifo");
	int fd = fifo ? open(fifo, O_WRONLY | O_CLOEXEC) : -1;
	if (fd < 0 || write(fd, "0", 1) != 1) {
		log_error("container `%s`: exec.fifo: %s", o->id, strerror(errno));
		_exit(127);
	}
	close(fd);
	st->status = OCI_STATUS_RUNNING;
	cleanup_free char *json = oci_state_hook_json(st, OCI_STATUS_RUNNING);
	struct error *err = NULL;
	if (oci_hooks_run(s, OCI_HOOK_START_CONTAINER, json, &err) < 0) {
		char *t = error_text(err);
		log_error("%s", t ? t : "startContainer hook failed");
		_exit(127);
	}
}

int oci_sentry_config(const struct oci_create_opts *o, const struct oci_spec *s,
		      const struct oci_state *st, int tty_fd, struct sentry_config *cfg)
{
	size_t n_mounts = 0;
	struct sentry_mount *mounts = sentry_mounts(s, &n_mounts);
	*cfg = (struct sentry_config){
	    .root = st->rootfs,
	    .readonly_root = s->root_readonly,
	    .uid = s->process->user.uid,
	    .gid = s->process->user.gid,
	    .mounts = mounts,
	    .n_mounts = n_mounts,
	    .argv = s->process->args,
	    .envp = s->process->env,
	    .cwd = s->process->cwd ? s->process->cwd : "/",
	    .hostname = s->hostname ? s->hostname : o->id,
	    .strace = o->strace,
	    .max_tasks = 512,
	    .file_access = o->file_access,
	    .overlay_none = o->overlay_none,
	    .terminal = tty_fd >= 0,
	    .tty_fd = tty_fd,
	    .n_preserve_fds = o->preserve_fds,
	};
	static char *no_env[] = {NULL};
	if (!cfg->envp)
		cfg->envp = no_env;
	if (s->linux_.has_resources && s->linux_.resources.has_pids_limit &&
	    s->linux_.resources.pids_limit > 0)
		cfg->max_tasks = (int)s->linux_.resources.pids_limit;
	return mounts ? sentry_process_settings(s, cfg) : -1;
}

void oci_record_exit(int dirfd, int status)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d\n", status);
	if (dirfd >= 0)
		write_file_at(dirfd, "exit", buf);
}

/* The Sentry process: waits for start, runs the program, records its
 * status. Never returns. */
static void __attribute__((noreturn))
sentry_child(const struct oci_create_opts *o, const struct oci_spec *s, struct oci_state *st,
	     int tty_fd)
{
	sentry_hold_host_signals(); /* `start` returns as soon as we go on */
	struct error *err = NULL;
	/* bound before start, so exec finds it as soon as the program runs */
	int control_fd = control_listen(st->control_socket, &err);
	if (control_fd < 0) {
		char *t = error_text(err);
		log_warn("%s; exec, ps and pause will not work", t ? t : "control socket");
		free(t);
		error_free(err);
		err = NULL;
	}
	oci_await_start(o, s, st);
	struct sentry_config cfg;
	if (oci_sentry_config(o, s, st, tty_fd, &cfg) < 0) {
		log_error("container `%s`: out of memory", o->id);
		_exit(127);
	}
	cfg.control_fd = control_fd > 0 ? control_fd : 0;
	/* the confined Sentry opens no host path: the state directory first */
	cleanup_free char *dir = state_file(o->root, o->id, "");
	int dirfd = dir ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	int rc = sentry_run(&cfg, &err);
	if (rc < 0) {
		char *t = error_text(err);
		log_error("%s", t ? t : "the Sentry failed");
		rc = 127;
	}
	oci_record_exit(dirfd, rc);
	_exit(rc);
}

/* process.oomScoreAdj, on the Sentry process (the kernel sees only it). */
static int set_oom_score_adj(const struct oci_spec *s, pid_t pid, struct error **err)
{
	if (!s->process->has_oom_score_adj)
		return 0;
	char path[64], val[16];
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(val, sizeof(val), "%d", s->process->oom_score_adj);
	if (write_file(path, val) < 0)
		return error_set(err, errno, "config.json: `process.oomScoreAdj` %s", val);
	return 0;
}

/* Kills a process we made and waits a little for it. */
static void kill_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	for (int i = 0; i < 100 && kill(pid, 0) == 0; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			break;
		usleep(20000);
	}
}

/* The host terminal of a `terminal: true` container, in *fd (-1 if
 * none); *raw is set when it is the caller's, put in raw mode (settings
 * in *saved). */
static int host_terminal(const struct oci_create_opts *o, const struct oci_spec *s, bool foreground,
			 int *fd, struct termios *saved, bool *raw, struct error **err)
{
	*fd = -1;
	*raw = false;
	if (!s->process->terminal)
		return 0;
	if (o->console_socket) {
		const struct oci_process *p = s->process;
		uint16_t rows = p->has_console_size ? (uint16_t)p->console_height : 0;
		uint16_t cols = p->has_console_size ? (uint16_t)p->console_width : 0;
		return console_send_pty(o->console_socket, rows, cols, fd, err);
	}
	if (!foreground || !isatty(0))
		return error_set(err, EINVAL,
				 "`process.terminal` is true: a terminal needs --console-socket "
				 "(or a foreground run on a terminal)");
	if (console_take_caller(0, fd, saved, err) < 0)
		return -1;
	*raw = true;
	return 0;
}

/* create's work; *child gets the Sentry's pid. A foreground run with
 * `terminal: true` may take the caller's terminal: *raw is then set and
 * *saved is what to restore when the program ends. */
static int create(const struct oci_create_opts *o, bool own_session, pid_t *child,
		  struct termios *saved, bool *raw, struct error **err)
{
	if (oci_id_validate(o->id, err) < 0)
		return -1;
	const char *bundle = o->bundle ? o->bundle : ".";
	cleanup_free char *cfgpath = NULL;
	if (asprintf(&cfgpath, "%s/config.json", bundle) < 0)
		return error_set(err, ENOMEM, "create");
	struct oci_spec *s = NULL;
	if (oci_spec_load(cfgpath, &s, err) < 0)
		return -1;
	struct oci_state *st = NULL;
	int rc = -1, lock = -1, netns_back = -1;
	pid_t pid = -1;
	bool made_dir = false;
	cleanup_free char *fifo = NULL, *json = NULL;
	cleanup_close int tty_fd = -1;
	*raw = false;
	if (oci_state_new(s, o->id, bundle, &st, err) < 0 || validate(s, st, err) < 0 ||
	    oci_spec_check(s, err) < 0)
		goto out;
	if (host_terminal(o, s, !own_session, &tty_fd, saved, raw, err) < 0) {
		error_wrap(err, "create `%s`", o->id);
		goto out;
	}
	/* the Sentry leads a session, so the host terminal can be its own
	 * (window size changes reach it as SIGWINCH) */
	if (o->console_socket && tty_fd >= 0)
		own_session = true;
	/* a pod's container joins its sandbox's Sentry, through its socket */
	if (oci_pod_join(o->root, s, o->id, st, err) < 0)
		goto out;
	if (!st->control_socket &&
	    !(st->control_socket = state_file(o->root, o->id, CONTROL_SOCKET_NAME))) {
		error_set(err, ENOMEM, "create `%s`", o->id);
		goto out;
	}
	if (oci_state_create_dir(o->root, o->id, err) < 0)
		goto out;
	made_dir = true;
	if (oci_state_lock(o->root, o->id, &lock, err) < 0 || oci_state_save(o->root, st, err) < 0)
		goto out;
	fifo = state_file(o->root, o->id, "exec.fifo");
	if (!fifo || mkfifo(fifo, 0600) < 0) {
		error_set(err, errno, "create `%s`: exec.fifo", o->id);
		goto out;
	}
	/* the Sentry starts in its network namespace, so the prestart hooks
	 * that set it up (Docker's) find it there; we go back to ours */
	if (!st->sandbox_id && sandbox_netns_enter(s, o->network, &netns_back, err) < 0)
		goto out;
	fflush(NULL);
	pid = st->sandbox_id ? fork() : sandbox_fork_pidns();
	if (pid != 0) {
		sandbox_netns_leave(netns_back);
		netns_back = -1;
	}
	if (pid < 0) {
		error_set(err, errno, "create `%s`: fork the Sentry", o->id);
		goto out;
	}
	if (pid == 0) {
		close(lock);
		if (netns_back >= 0)
			close(netns_back);
		if (own_session)
			setsid();
		if (tty_fd >= 0 && o->console_socket)
			release_stdio();
		if (st->sandbox_id)
			oci_pod_container_child(o, s, st, tty_fd);
		sentry_child(o, s, st, tty_fd);
	}
	st->pid = pid;
	st->pid_start_time = oci_pid_start_time(pid);
	if (cgroup_sandbox_create(s, o->root, o->id, o->systemd_cgroup, pid, &st->cgroup_path,
				  err) < 0 ||
	    set_oom_score_adj(s, pid, err) < 0)
		goto out;
	st->status = OCI_STATUS_CREATED;
	if (oci_state_save(o->root, st, err) < 0)
		goto out;
	if (o->pid_file && oci_write_pid_file(o->pid_file, pid, err) < 0)
		goto out;
	json = oci_state_hook_json(st, OCI_STATUS_CREATED);
	if (oci_hooks_run(s, OCI_HOOK_PRESTART, json, err) < 0 ||
	    oci_hooks_run(s, OCI_HOOK_CREATE_RUNTIME, json, err) < 0 ||
	    oci_hooks_run(s, OCI_HOOK_CREATE_CONTAINER, json, err) < 0)
		goto out;
	*child = pid;
	rc = 0;
out:
	if (rc < 0) {
		if (pid > 0)
			kill_wait(pid);
		cgroup_sandbox_remove(st ? st->cgroup_path : NULL, NULL);
		if (*raw)
			console_restore(0, saved);
		*raw = false;
		if (made_dir)
			oci_state_delete(o->root, o->id, NULL);
	}
	if (lock >= 0)
		close(lock);
	oci_state_free(st);
	oci_spec_free(s);
	return rc;
}

int oci_container_create(const struct oci_create_opts *o, struct error **err)
{
	pid_t pid;
	struct termios saved;
	bool raw;
	return create(o, true, &pid, &saved, &raw, err);
}

static int load_spec(const struct oci_state *st, struct oci_spec **s, struct error **err)
{
	cleanup_free char *p = NULL;
	if (asprintf(&p, "%s/config.json", st->bundle) < 0)
		return error_set(err, ENOMEM, "load config.json");
	return oci_spec_load(p, s, err);
}

int oci_container_start(const char *root, const char *id, struct error **err)
{
	cleanup_close int lock = -1;
	if (oci_state_lock(root, id, &lock, err) < 0)
		return -1;
	struct oci_state *st = NULL;
	struct oci_spec *s = NULL;
	int rc = -1;
	cleanup_free char *fifo = NULL, *json = NULL;
	cleanup_close int fd = -1;
	if (oci_state_load(root, id, &st, err) < 0)
		return -1;
	enum oci_status live = oci_state_status(st);
	if (live != OCI_STATUS_CREATED) {
		error_set(err, EINVAL, "container `%s` is %s, not created", id,
			  oci_status_name(live));
		goto out;
	}
	if (load_spec(st, &s, err) < 0)
		goto out;
	fifo = state_file(root, id, "exec.fifo");
	fd = fifo ? open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd < 0) {
		error_set(err, errno, "start `%s`: exec.fifo", id);
		goto out;
	}
	/* the Sentry process's open completes now; wait for its byte */
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = poll(&p, 1, 100);
		char c;
		if (n > 0 && read(fd, &c, 1) == 1)
			break;
		if (kill(st->pid, 0) < 0 || oci_state_status(st) == OCI_STATUS_STOPPED) {
			error_set(err, ESRCH, "start `%s`: the Sentry process is gone", id);
			goto out;
		}
	}
	unlink(fifo);
	st->status = OCI_STATUS_RUNNING;
	if (oci_state_save(root, st, err) < 0)
		goto out;
	json = oci_state_hook_json(st, OCI_STATUS_RUNNING);
	struct error *herr = NULL;
	if (oci_hooks_run(s, OCI_HOOK_POSTSTART, json, &herr) < 0) {
		/* runc kills the container when poststart fails */
		if (err)
			*err = herr;
		else
			error_free(herr);
		kill(st->pid, SIGKILL);
		goto out;
	}
	rc = 0;
out:
	oci_spec_free(s);
	oci_state_free(st);
	return rc;
}

/* The sandbox's host cgroup goes once the Sentry is gone. */
static void remove_cgroup(const char *root, const char *id)
{
	struct oci_state *st = NULL;
	struct error *err = NULL;
	if (oci_state_load(root, id, &st, NULL) == 0 &&
	    cgroup_sandbox_remove(st->cgroup_path, &err) < 0) {
		char *t = error_text(err);
		log_warn("%s", t ? t : "remove the cgroup");
		free(t);
		error_free(err);
	}
	oci_state_free(st);
}

static volatile pid_t forward_to;

static void forward(int sig, siginfo_t *si, void *uc)
{
	/* signals from the terminal reach the Sentry too (same process group) */
	if (forward_to > 0 && si->si_code <= 0)
		kill(forward_to, sig);
}

static void poststop(const char *root, const char *id)
{
	struct oci_state *st = NULL;
	struct oci_spec *s = NULL;
	struct error *err = NULL;
	if (oci_state_load(root, id, &st, NULL) == 0 && load_spec(st, &s, NULL) == 0) {
		cleanup_free char *json = oci_state_hook_json(st, OCI_STATUS_STOPPED);
		if (oci_hooks_run(s, OCI_HOOK_POSTSTOP, json, &err) < 0) {
			char *t = error_text(err);
			log_warn("%s", t ? t : "poststop hook failed");
			free(t);
			error_free(err);
		}
	}
	oci_spec_free(s);
	oci_state_free(st);
}

int oci_container_run(const struct oci_create_opts *o, bool detach, struct error **err)
{
	pid_t pid;
	struct termios saved;
	bool raw;
	if (create(o, detach, &pid, &saved, &raw, err) < 0)
		return -1;
	if (!detach) {
		forward_to = pid;
		struct sigaction sa = {.sa_sigaction = forward,
				       .sa_flags = SA_SIGINFO | SA_RESTART};
		sigemptyset(&sa.sa_mask);
		int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaction(sigs[i], &sa, NULL);
	}
	if (oci_container_start(o->root, o->id, err) < 0) {
		kill_wait(pid);
		if (raw)
			console_restore(0, &saved);
		oci_state_delete(o->root, o->id, NULL);
		return -1;
	}
	if (detach)
		return 0;
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (raw)
		console_restore(0, &saved);
	forward_to = 0;
	remove_cgroup(o->root, o->id);
	poststop(o->root, o->id);
	oci_state_delete(o->root, o->id, NULL);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int oci_signal_from_name(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
	    {"HUP", SIGHUP},	   {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
	    {"TRAP", SIGTRAP},	   {"ABRT", SIGABRT}, {"BUS", SIGBUS},	   {"FPE", SIGFPE},
	    {"KILL", SIGKILL},	   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
	    {"PIPE", SIGPIPE},	   {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
	    {"CONT", SIGCONT},	   {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
	    {"TTOU", SIGTTOU},	   {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
	    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
	    {"PWR", SIGPWR},	   {"SYS", SIGSYS},
	};
	if (!name || !*name)
		return -1;
	char *end;
	long n = strtol(name, &end, 10);
	if (!*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcasecmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return -1;
}

int oci_container_kill(const char *root, const char *id, int sig, struct error **err)
{
	struct oci_state *st = NULL;
	if (oci_state_load(root, id, &st, err) < 0)
		return -1;
	enum oci_status live = oci_state_status(st);
	int rc = 0;
	if (live != OCI_STATUS_CREATED && live != OCI_STATUS_RUNNING && live != OCI_STATUS_PAUSED)
		rc = error_set(err, EINVAL, "container `%s` is %s: cannot kill it", id,
			       oci_status_name(live));
	else if (st->sandbox_id && live != OCI_STATUS_CREATED)
		rc = control_client_call(
		    st, json_pack("{s:s,s:i}", "type", "signal", "signal", sig), NULL, 0, NULL,
		    err); /* to the container's init in the Sentry */
	else if (kill(st->pid, sig) < 0)
		rc = error_set(err, errno, "kill `%s` (pid %d)", id, (int)st->pid);
	oci_state_free(st);
	return rc;
}

/* Waits until pid (with that start time) is gone; timeout_ms < 0: forever. */
static int wait_gone(pid_t pid, uint64_t start, int timeout_ms)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0 && start && oci_pid_start_time(pid) != start) {
		close(pfd);
		return 0;
	}
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		int n;
		while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
			;
		close(pfd);
		return n > 0 ? 0 : -1;
	}
	for (int waited = 0; timeout_ms < 0 || waited < timeout_ms; waited += 20) {
		if (kill(pid, 0) < 0 || oci_pid_start_time(pid) != start)
			return 0;
		usleep(20000);
	}
	return -1;
}

/* runc: a forced delete of a container that does not exist, or whose
 * create died before writing its state, removes what is left and succeeds
 * (clients call it to clean up after a failed create). */
static int delete_missing(const char *root, const char *id, struct error **err)
{
	if (!err || !*err || (*err)->status != ENOENT)
		return -1;
	error_free(*err);
	*err = NULL;
	return oci_state_delete(root, id, err);
}

int oci_container_delete(const char *root, const char *id, bool force, struct error **err)
{
	cleanup_close int lock = -1;
	if (oci_state_lock(root, id, &lock, err) < 0)
		return force ? delete_missing(root, id, err) : -1;
	struct oci_state *st = NULL;
	if (oci_state_load(root, id, &st, err) < 0)
		return force ? delete_missing(root, id, err) : -1;
	enum oci_status live = oci_state_status(st);
	int rc = 0;
	if ((live == OCI_STATUS_RUNNING || live == OCI_STATUS_PAUSED) && !force) {
		rc = error_set(err, EBUSY, "container `%s` is %s: stop it first or use --force", id,
			       oci_status_name(live));
		goto out;
	}
	if (live == OCI_STATUS_CREATED || live == OCI_STATUS_RUNNING || live == OCI_STATUS_PAUSED) {
		/* runc deletes a created container without --force */
		if (st->sandbox_id && live != OCI_STATUS_CREATED)
			control_client_call(st,
					    json_pack("{s:s,s:b,s:i}", "type", "signal", "all", 1,
						      "signal", SIGKILL),
					    NULL, 0, NULL, NULL);
		kill(st->pid, SIGKILL);
		if (wait_gone(st->pid, st->pid_start_time, 5000) < 0) {
			rc = error_set(err, ETIMEDOUT, "delete `%s`: pid %d did not exit", id,
				       (int)st->pid);
			goto out;
		}
	}
	/* --force must always get rid of the container: a cgroup that will
	 * not go is reported, not a reason to keep the state. */
	struct error *cgerr = NULL;
	if (cgroup_sandbox_remove(st->cgroup_path, &cgerr) < 0) {
		char *t = error_text(cgerr);
		if (!force) {
			rc = error_set(err, EBUSY, "delete `%s`: %s", id, t ? t : "cgroup");
			free(t);
			error_free(cgerr);
			goto out;
		}
		log_warn("delete `%s`: %s", id, t ? t : "cgroup");
		free(t);
		error_free(cgerr);
	}
	poststop(root, id);
	rc = oci_state_delete(root, id, err);
out:
	oci_state_free(st);
	return rc;
}

int oci_container_wait(const char *root, const char *id, struct error **err)
{
	struct oci_state *st = NULL;
	if (oci_state_load(root, id, &st, err) < 0)
		return -1;
	if (oci_state_status(st) != OCI_STATUS_STOPPED)
		wait_gone(st->pid, st->pid_start_time, -1);
	oci_state_free(st);
	cleanup_free char *exitf = state_file(root, id, "exit");
	FILE *f = exitf ? fopen(exitf, "re") : NULL;
	int status = 255;
	if (f) {
		if (fscanf(f, "%d", &status) != 1)
			status = 255;
		fclose(f);
	}
	return status;
}
