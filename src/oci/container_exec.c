/* `exec`: a new process in a running container; see container_control.h.
 *
 * The process is what --process gives, or the container's own process
 * (config.json) with the program, env, cwd, user and capabilities the flags
 * change, as runc does. The CLI's fds 0-2 go along; the Sentry answers the
 * exec with the process's pid, then a second connection waits for it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/container.h"
#include "oci/console.h"
#include "oci/container_control.h"
#include "oci/container_client.h"
#include "oci/json_util.h"
#include "oci/spec.h"
#include "oci/state.h"

/* KEY=VALUE into env, replacing an entry with the same key. */
static int env_set(char ***env, size_t *n, const char *kv)
{
	size_t klen = strcspn(kv, "=");
	for (size_t i = 0; i < *n; i++)
		if (strncmp((*env)[i], kv, klen) == 0 && (*env)[i][klen] == '=') {
			char *d = strdup(kv);
			if (!d)
				return -1;
			free((*env)[i]);
			(*env)[i] = d;
			return 0;
		}
	char **v = realloc(*env, (*n + 2) * sizeof(*v));
	if (!v)
		return -1;
	*env = v;
	if (!(v[*n] = strdup(kv)))
		return -1;
	v[++*n] = NULL;
	return 0;
}

/* The process to run: --process, or config.json's changed by the flags. */
static int load_process(const struct oci_exec_opts *o, const struct oci_state *st,
			struct oci_process **out, struct error **err)
{
	if (o->process_file)
		return oci_process_load(o->process_file, out, err);
	cleanup_free char *cfg = NULL;
	if (asprintf(&cfg, "%s/config.json", st->bundle) < 0)
		return error_set(err, ENOMEM, "exec");
	struct oci_spec *s = NULL;
	if (oci_spec_load(cfg, &s, err) < 0)
		return -1;
	struct oci_process *p = s->process;
	s->process = NULL;
	oci_spec_free(s);
	if (!p)
		return error_set(err, EINVAL, "exec: config.json has no `process`");
	oci_strv_free(p->args);
	for (p->n_args = 0; o->args && o->args[p->n_args];)
		p->n_args++;
	p->args = calloc(p->n_args + 1, sizeof(char *));
	for (size_t i = 0; p->args && i < p->n_args; i++)
		if (!(p->args[i] = strdup(o->args[i]))) {
			oci_strv_free(p->args);
			p->args = NULL;
		}
	p->terminal = false; /* the container's terminal is not the exec's */
	*out = p;
	return p->args ? 0 : error_set(err, ENOMEM, "exec");
}

static json_t *request(const struct oci_exec_opts *o, struct oci_process *p, struct error **err)
{
	for (char **e = o->env; e && *e; e++)
		if (env_set(&p->env, &p->n_env, *e) < 0)
			return error_set(err, ENOMEM, "exec"), NULL;
	if (o->has_user) {
		p->user.uid = o->uid;
		p->user.gid = o->has_gid ? o->gid : 0;
	}
	for (char **c = o->caps; c && *c; c++) {
		int cap = oci_cap_from_name(*c);
		if (cap < 0)
			return error_set(err, EINVAL, "exec: unknown capability `%s`", *c), NULL;
		p->has_caps = true;
		uint64_t bit = 1ULL << cap;
		p->caps.effective |= bit;
		p->caps.permitted |= bit;
		p->caps.inheritable |= bit;
		p->caps.bounding |= bit;
	}
	if (o->no_new_privs)
		p->no_new_privileges = true;
	json_t *proc = oci_process_json(p, o->cwd, o->gids, o->n_gids);
	if (!proc)
		return error_set(err, ENOMEM, "exec"), NULL;
	return json_pack("{s:s,s:o}", "type", "exec", "process", proc);
}

json_t *oci_process_json(const struct oci_process *p, const char *cwd, const uint32_t *gids,
			 size_t n_gids)
{
	json_t *groups = json_array(), *rlimits = json_array();
	for (size_t i = 0; i < p->user.n_additional_gids; i++)
		json_array_append_new(groups, json_integer(p->user.additional_gids[i]));
	for (size_t i = 0; i < n_gids; i++)
		json_array_append_new(groups, json_integer(gids[i]));
	for (size_t i = 0; i < p->n_rlimits; i++)
		json_array_append_new(rlimits,
				      json_pack("{s:i,s:I,s:I}", "resource", p->rlimits[i].resource,
						"soft", (json_int_t)p->rlimits[i].soft, "hard",
						(json_int_t)p->rlimits[i].hard));
	json_t *proc = json_pack(
	    "{s:o,s:o,s:s,s:{s:I,s:I,s:o},s:b,s:o}", "args", oj_strv_json(p->args, p->n_args),
	    "env", oj_strv_json(p->env, p->n_env), "cwd", cwd ? cwd : (p->cwd ? p->cwd : "/"),
	    "user", "uid", (json_int_t)p->user.uid, "gid", (json_int_t)p->user.gid,
	    "additionalGids", groups, "noNewPrivileges", p->no_new_privileges, "rlimits", rlimits);
	if (proc && p->user.has_umask)
		json_object_set_new(json_object_get(proc, "user"), "umask",
				    json_integer(p->user.umask));
	if (proc && p->has_caps) {
		uint64_t eff, perm, inh; /* as the program holds them after execve */
		oci_caps_after_exec(&p->caps, p->user.uid == 0, &eff, &perm, &inh);
		json_object_set_new(proc, "caps",
				    json_pack("{s:I,s:I,s:I,s:I}", "effective", (json_int_t)eff,
					      "permitted", (json_int_t)perm, "inheritable",
					      (json_int_t)inh, "bounding",
					      (json_int_t)p->caps.bounding));
	}
	return proc;
}

int oci_process_fds(int *fds, int tty, int null, int n_preserve)
{
	int n = 0;
	if (tty >= 0)
		fds[n++] = tty;
	else
		for (int i = 0; i < 3; i++)
			fds[n++] = fcntl(i, F_GETFD) >= 0 ? i : null;
	for (int i = 0; i < n_preserve; i++)
		fds[n++] = 3 + i;
	return n;
}

/* The status of a wait's reply: recv's result r and the reply. A Sentry
 * that went away took every process with it, as SIGKILL would. */
int oci_wait_status(int r, json_t *reply)
{
	if (r == 2)
		return 128 + SIGKILL;
	if (r < 0)
		return -1;
	json_t *sig = json_object_get(reply, "signal");
	if (json_is_integer(sig))
		return 128 + (int)json_integer_value(sig);
	return (int)json_integer_value(json_object_get(reply, "exit"));
}

static volatile sig_atomic_t pending_sigs;
static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static void on_signal(int sig)
{
	pending_sigs |= 1 << sig;
}

int oci_wait_forwarding(const struct oci_state *st, int fd, pid_t pid, struct error **err)
{
	sigset_t block, old;
	sigemptyset(&block);
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		sigaddset(&block, forwarded[i]);
		sigaction(forwarded[i], &sa, NULL);
	}
	/* signals arrive only inside ppoll, so none is lost before it */
	sigprocmask(SIG_BLOCK, &block, &old);
	int rc = -1;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int n = ppoll(&p, 1, NULL, &old);
		int sigs = pending_sigs;
		pending_sigs = 0;
		for (int s = 1; s < 32; s++)
			if (sigs & (1 << s))
				control_client_call(st,
						    json_pack("{s:s,s:i,s:i}", "type", "signal",
							      "pid", (int)pid, "signal", s),
						    NULL, 0, NULL, NULL);
		if (n < 0 && errno == EINTR)
			continue;
		json_t *reply = NULL;
		int r = control_client_recv(fd, &reply, err);
		rc = oci_wait_status(r, reply);
		json_decref(reply);
		break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* --detach: a waiter process keeps the wait and exits with the status. */
static int detach_waiter(const struct oci_exec_opts *o, int fd, struct error **err)
{
	pid_t w = fork();
	if (w < 0)
		return error_set(err, errno, "exec: fork the waiter");
	if (w == 0) {
		int null = open("/dev/null", O_RDWR);
		for (int i = 0; i < 3 && null >= 0; i++)
			dup2(null, i);
		setsid();
		json_t *reply = NULL;
		int r;
		while ((r = control_client_recv(fd, &reply, NULL)) == 1)
			;
		r = oci_wait_status(r, reply);
		_exit(r < 0 ? 255 : r);
	}
	close(fd);
	return o->pid_file ? oci_write_pid_file(o->pid_file, w, err) : 0;
}

int oci_container_exec(const struct oci_exec_opts *o, struct error **err)
{
	struct oci_state *st = NULL;
	if (oci_control_state(o->root, o->id, 1u << OCI_STATUS_RUNNING, "exec into", &st, err) < 0)
		return -1;
	struct oci_process *p = NULL;
	json_t *req = NULL;
	int rc = -1, fd = -1;
	cleanup_close int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (load_process(o, st, &p, err) < 0)
		goto out;
	bool tty = o->tty || p->terminal;
	if (tty && !o->console_socket) {
		rc = error_set(err, EINVAL, "exec: a terminal needs --console-socket");
		goto out;
	}
	if (!p->args || !p->args[0]) {
		rc = error_set(err, EINVAL, "exec: no program to run");
		goto out;
	}
	if (!(req = request(o, p, err)))
		goto out;
	/* with a terminal, the slave of a host pty whose master the client
	 * gets */
	cleanup_close int slave = -1;
	if (tty) {
		uint16_t rows = p->has_console_size ? (uint16_t)p->console_height : 0;
		uint16_t cols = p->has_console_size ? (uint16_t)p->console_width : 0;
		if (console_send_pty(o->console_socket, rows, cols, &slave, err) < 0)
			goto out;
		json_object_set_new(req, "tty", json_true());
	}
	int fds[3 + OCI_MAX_PRESERVE_FDS];
	int nfds = oci_process_fds(fds, slave, null, o->preserve_fds);
	json_t *reply = NULL;
	rc = control_client_call(st, req, fds, nfds, &reply, err);
	req = NULL;
	if (rc < 0)
		goto out;
	pid_t pid = (pid_t)json_integer_value(json_object_get(reply, "pid"));
	json_decref(reply);
	rc = -1;
	fd = control_client_send(st, json_pack("{s:s,s:i}", "type", "wait", "pid", pid), NULL, 0,
				 err);
	if (fd < 0)
		goto out;
	if (o->detach) {
		rc = detach_waiter(o, fd, err);
		fd = -1;
		goto out;
	}
	if (o->pid_file && oci_write_pid_file(o->pid_file, getpid(), err) < 0)
		goto out;
	rc = oci_wait_forwarding(st, fd, pid, err);
out:
	if (fd >= 0)
		close(fd);
	json_decref(req);
	oci_process_free(p);
	oci_state_free(st);
	return rc;
}
