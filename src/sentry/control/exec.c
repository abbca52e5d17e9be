/* exec and wait over the control socket.
 *
 * An exec'd process is a child of an internal reaper, as in runsc: a
 * process with no threads and pid 0 (so its getppid() is 0), which never
 * takes a signal. When a child of the reaper exits, its wait status is
 * recorded (or handed straight to the connections waiting for it) and the
 * process is freed; its own children go to init as usual. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oci/json_util.h"
#include "oci/spec.h"
#include "sentry/control/control.h"
#include "sentry/fs/devpts/devpts.h"
#include "sentry/fs/fdtable.h"
#include "sentry/fs/host/hoststdio.h"
#include "sentry/fs/vfs.h"
#include "sentry/kernel/container.h"
#include "sentry/kernel/internal.h"
#include "sentry/kernel/task.h"
#include "sentry/loader/exec.h"
#include "sentry/mm/mm.h"

static struct process reaper;
static struct sighand reaper_sighand;
static struct waiter reaper_waiter;
static int reap_pending;

/* Statuses of exec'd processes nobody has waited for yet (the oldest are
 * forgotten past EXITED_MAX). */
#define EXITED_MAX 256
static struct {
	pid_t pid;
	int status;
} exited[EXITED_MAX];
static unsigned n_exited, exited_next;

static void reaper_notify(struct waiter *w)
{
	(void)w;
	reap_pending = 1; /* not here: the exiting process is still in use */
}

void control_reaper_init(void)
{
	reaper.refs = 1;
	reaper.sighand = &reaper_sighand;
	reaper_sighand.refs = 1;
	reaper_sighand.act[SIGCHLD].flags = SA_NOCLDSTOP;
	reaper.exiting = 1; /* signal_send() queues nothing to it */
	waitq_add(&reaper.child_wait, &reaper_waiter, NULL, 0);
	reaper_waiter.notify = reaper_notify;
}

static void record(pid_t pid, int st)
{
	if (control_exited(pid, st))
		return;
	exited[exited_next].pid = pid;
	exited[exited_next].status = st;
	exited_next = (exited_next + 1) % EXITED_MAX;
	if (n_exited < EXITED_MAX)
		n_exited++;
}

void control_reap(void)
{
	if (!reap_pending)
		return;
	reap_pending = 0;
	struct process *next;
	for (struct process *c = reaper.children; c; c = next) {
		next = c->sibling;
		if (!c->zombie)
			continue;
		pid_t pid = c->pid;
		int st = c->exit_code;
		process_free(c);
		record(pid, st);
	}
}

/* exec's user and capabilities (JSON checked by the caller's parser; at
 * most 64 groups are taken, so creds_set cannot fail). */
static void set_creds(struct creds *c, uint64_t uid, uint64_t gid, json_t *groups, json_t *caps)
{
	uint32_t g[64];
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(groups, i, v)
	{
		if (json_is_integer(v) && json_integer_value(v) >= 0 && n < 64)
			g[n++] = (uint32_t)json_integer_value(v);
	}
	const uint64_t set[4] = {(uint64_t)json_integer_value(json_object_get(caps, "effective")),
				 (uint64_t)json_integer_value(json_object_get(caps, "permitted")),
				 (uint64_t)json_integer_value(json_object_get(caps, "inheritable")),
				 (uint64_t)json_integer_value(json_object_get(caps, "bounding"))};
	creds_set(c, (uint32_t)uid, (uint32_t)gid, g, n, json_is_object(caps) ? set : NULL);
}

/* A new process of container ctr (NULL: the sandbox's first), child of
 * the reaper, with the container's root and cwd, init's rlimits, the
 * terminal term (if any) as 0, 1 and 2, and the host fds given at first,
 * first + 1, ...; *out is its only task. The container's first process
 * becomes its init. */
static int new_process(struct container *ctr, int *fds, int nfds, int first, struct file *term,
		       struct task **out)
{
	struct process *init = process_by_pid(1);
	if (!init || init->zombie || init->exiting || !init->threads)
		return -ESRCH;
	if (nr_tasks >= pid_max_tasks)
		return -EAGAIN;
	struct plat_thread *pt;
	int e = plat_as_new(&pt);
	if (e)
		return e;
	struct mm *mm = mm_new();
	struct fd_table *files = fdt_new();
	struct fs_context *fs = fs_context_copy(ctr ? ctr->fs : init->threads->fs);
	if (!mm || !files || !fs)
		return -ENOMEM;
	for (int i = 0; i < nfds; i++) {
		e = hoststdio_install(files, first + i, fds[i]);
		fds[i] = -1;
		if (e)
			return e;
	}
	for (int i = 0; term && i < 3; i++)
		if (fdt_install_at(files, i, file_get(term), 0, 1024) < 0)
			return -EMFILE;
	pid_t pid;
	if ((e = task_start_init(pt, mm, files, fs, &pid)))
		return e;
	struct task *t = task_by_tid(pid);
	process_add_child(&reaper, t->proc);
	memcpy(t->proc->rlim, init->rlim, sizeof(init->rlim));
	t->proc->oom_score_adj = init->oom_score_adj;
	t->proc->container = container_get(ctr);
	if (ctr && !ctr->init)
		ctr->init = pid;
	*out = t;
	return 0;
}

/* process.rlimits: [{"resource": RLIMIT_*, "soft", "hard"}] over the ones
 * the process inherited. */
static int set_rlimits(struct process *p, json_t *rlimits)
{
	json_t *r;
	size_t i;
	json_array_foreach(rlimits, i, r)
	{
		json_t *res = json_object_get(r, "resource");
		uint64_t soft, hard;
		if (!json_is_integer(res) || json_integer_value(res) < 0 ||
		    json_integer_value(res) >= 16 ||
		    oj_num_to_uint64(json_object_get(r, "soft"), &soft) ||
		    oj_num_to_uint64(json_object_get(r, "hard"), &hard) || soft > hard)
			return -EINVAL;
		p->rlim[json_integer_value(res)] = (struct linux_rlimit){soft, hard};
	}
	return 0;
}

void control_spawn(struct conn *c, json_t *req, int *fds, int nfds, struct container *ctr)
{
	struct error *err = NULL;
	json_t *proc = NULL, *user = NULL, *groups = NULL, *caps = NULL, *rlimits = NULL;
	char **args = NULL, **env = NULL, *cwd = NULL;
	size_t nargs = 0, nenv = 0;
	uint64_t uid = 0, gid = 0, umask = 022;
	bool has_umask = false;
	if (oj_object(req, "", "process", &proc, &err) < 0 || !proc ||
	    oj_strv(proc, "process", "args", &args, &nargs, &err) < 0 ||
	    oj_strv(proc, "process", "env", &env, &nenv, &err) < 0 ||
	    oj_string(proc, "process", "cwd", false, &cwd, &err) < 0 ||
	    oj_object(proc, "process", "user", &user, &err) < 0 ||
	    (user &&
	     (oj_uint64(user, "process.user", "uid", UINT32_MAX, &uid, NULL, &err) < 0 ||
	      oj_uint64(user, "process.user", "gid", UINT32_MAX, &gid, NULL, &err) < 0 ||
	      oj_array(user, "process.user", "additionalGids", &groups, &err) < 0 ||
	      oj_uint64(user, "process.user", "umask", 0777, &umask, &has_umask, &err) < 0)) ||
	    oj_object(proc, "process", "caps", &caps, &err) < 0 ||
	    oj_array(proc, "process", "rlimits", &rlimits, &err) < 0) {
		char *text = error_text(err);
		control_reply_error(c, EINVAL, "%s", text ? text : "bad `process`");
		free(text);
		goto out;
	}
	if (!args || !nargs) {
		control_reply_error(c, EINVAL, "`process.args` must not be empty");
		goto out;
	}
	static char *no_env[] = {NULL};
	/* with a terminal: the first host fd, the slave of the client's pty,
	 * bridged to a sandbox pty that is the process's stdio and controlling
	 * tty; the fds after it (--preserve-fds) are 3, 4, ... */
	struct file *term = NULL;
	int e = 0, first = 0;
	if (json_is_true(json_object_get(req, "tty"))) {
		if (nfds < 1) {
			control_reply_error(c, EINVAL, "exec: a terminal needs its fd");
			goto out;
		}
		term = devpts_bridge_new(fds[0], &e);
		fds[0] = -1; /* the bridge has it, or closed it */
		if (!term) {
			control_reply_error(c, -e, "exec: terminal: %s", strerror(-e));
			goto out;
		}
		fds++;
		nfds--;
		first = 3;
	}
	struct task *t = NULL;
	e = new_process(ctr, fds, nfds, first, term, &t);
	if (!e && term)
		e = devpts_set_ctty(term, t->proc->sid, t->proc->pgid);
	if (term)
		file_put(term);
	if (e) {
		control_reply_error(c, -e, "exec: create the process: %s", strerror(-e));
		goto out;
	}
	set_creds(&t->proc->creds, uid, gid, groups, caps);
	t->proc->creds.no_new_privs = json_is_true(json_object_get(proc, "noNewPrivileges"));
	if (has_umask)
		t->fs->umask = (uint32_t)umask;
	long r = set_rlimits(t->proc, rlimits);
	if (r < 0)
		control_reply_error(c, EINVAL, "exec: `process.rlimits`: bad resource or limits");
	if (r == 0 && cwd) {
		struct walk_result w;
		r = vfs_walk(t, AT_FDCWD, cwd, WALK_DIR, &w);
		if (r == 0) {
			fs_context_set_cwd(t->fs, w.mnt, w.d);
			walk_result_put(&w);
		} else {
			control_reply_error(c, (int)-r, "exec: cwd `%s`: %s", cwd,
					    strerror((int)-r));
		}
	}
	if (r == 0 && (r = exec_search(t, args, env ? env : no_env)) < 0)
		control_reply_error(c, (int)-r, "exec `%s`: %s", args[0], strerror((int)-r));
	if (r < 0) {
		signal_kill_proc(t->proc, SIGKILL, NULL); /* it never ran; reaped as usual */
		goto out;
	}
	control_reply(c, json_pack("{s:i}", "pid", (int)t->proc->pid));
out:
	error_free(err);
	oci_strv_free(args);
	oci_strv_free(env);
	free(cwd);
}

void control_exec(struct conn *c, json_t *req, int *fds, int nfds)
{
	struct container *ctr = NULL;
	if (control_container_of(c, req, &ctr) == 0)
		control_spawn(c, req, fds, nfds, ctr);
}

void control_wait(struct conn *c, json_t *req)
{
	json_t *v = json_object_get(req, "pid");
	pid_t pid = json_is_integer(v) ? (pid_t)json_integer_value(v) : -1;
	for (unsigned i = 0; i < n_exited; i++) {
		unsigned k = (exited_next + EXITED_MAX - 1 - i) % EXITED_MAX;
		if (exited[k].pid == pid && pid > 0) {
			exited[k].pid = 0; /* a status is given once */
			control_reply(c, control_status_json(exited[k].status));
			return;
		}
	}
	for (struct process *p = reaper.children; p; p = p->sibling)
		if (p->pid == pid) {
			control_park(c, pid);
			return;
		}
	control_reply_error(c, ESRCH, "wait: no exec'd process %d", (int)pid);
}
