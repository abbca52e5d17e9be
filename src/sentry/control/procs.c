/* signal and ps over the control socket: the sandbox's processes as the
 * host sees them through the CLI. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "sentry/control/control.h"
#include "sentry/kernel/container.h"
#include "sentry/kernel/task.h"
#include "sentry/mm/mm.h"

json_t *control_status_json(int st)
{
	if (WIFSIGNALED(st))
		return json_pack("{s:i}", "signal", WTERMSIG(st));
	return json_pack("{s:i}", "exit", WEXITSTATUS(st));
}

/* Each live process once (the first task of its thread list stands for it). */
#define for_each_process(p, t)                                                                     \
	for (struct task *t = all_tasks; t; t = t->all_next)                                       \
		if ((p = t->proc) && t == p->threads && !p->zombie)

/* signal {"signal": S} with "pid": N, or "all": every process of the
 * container, or neither: the container's init (for a container that
 * joined; the sandbox's first one is signalled through the host). */
void control_signal(struct conn *c, json_t *req)
{
	json_t *sv = json_object_get(req, "signal"), *pv = json_object_get(req, "pid");
	int sig = json_is_integer(sv) ? (int)json_integer_value(sv) : -1;
	if (sig < 1 || sig > NSIG_LINUX) {
		control_reply_error(c, EINVAL, "signal: `signal` must be 1..%d", NSIG_LINUX);
		return;
	}
	struct container *ctr;
	if (control_container_of(c, req, &ctr) < 0)
		return;
	struct process *p;
	if (json_is_true(json_object_get(req, "all"))) {
		for_each_process(p, t) if (p->container == ctr) signal_kill_proc(p, sig, NULL);
		control_reply(c, json_object());
		return;
	}
	pid_t pid = json_is_integer(pv) ? (pid_t)json_integer_value(pv) : ctr ? ctr->init : 0;
	p = pid > 0 ? process_by_pid(pid) : NULL;
	if (!p || p->zombie) {
		control_reply_error(c, ESRCH, "signal: no process %d", (int)pid);
		return;
	}
	int e = signal_kill_proc(p, sig, NULL);
	if (e < 0)
		control_reply_error(c, -e, "signal %d to %d", sig, (int)pid);
	else
		control_reply(c, json_object());
}

/* The command line (argv joined by spaces, at most 4 KiB) or, when its
 * memory cannot be read, the command name. */
static json_t *cmdline(struct task *t)
{
	char buf[4096];
	long n = 0;
	if (t->mm && t->plat && t->mm->arg_end > t->mm->arg_start) {
		uint64_t len = t->mm->arg_end - t->mm->arg_start;
		n = plat_read(t->plat->as, t->mm->arg_start, buf,
			      len < sizeof(buf) ? (size_t)len : sizeof(buf));
	}
	json_t *s = NULL;
	if (n > 0) {
		while (n > 0 && buf[n - 1] == 0)
			n--;
		for (long i = 0; i < n; i++)
			if (buf[i] == 0)
				buf[i] = ' ';
		s = n > 0 ? json_stringn(buf, (size_t)n) : NULL; /* NULL if not UTF-8 */
	}
	return s ? s : json_stringn(t->comm, strnlen(t->comm, sizeof(t->comm)));
}

void control_ps(struct conn *c, json_t *req)
{
	struct container *ctr;
	if (control_container_of(c, req, &ctr) < 0)
		return;
	json_t *list = json_array();
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	int64_t now = now_ns();
	struct process *p;
	for_each_process(p, t) if (p->container == ctr)
	{
		int64_t start = wall.tv_sec - (now - p->start_ns) / 1000000000LL;
		json_array_append_new(
		    list, json_pack("{s:i,s:i,s:i,s:I,s:I,s:o}", "pid", (int)p->pid, "ppid",
				    p->parent ? (int)p->parent->pid : 0, "uid", (int)p->creds.ruid,
				    "start", (json_int_t)start, "cpu_ns",
				    (json_int_t)process_cpu_ns(p), "cmd", cmdline(t)));
	}
	control_reply(c, json_pack("{s:o}", "processes", list));
}
