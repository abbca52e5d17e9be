/* ps, pause, resume and kill --all through the control socket; see
 * container_control.h. */
#include "oci/container_control.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "oci/container.h"
#include "oci/container_client.h"
#include "oci/state.h"

int oci_control_state(const char *root, const char *id, unsigned mask, const char *what,
		      struct oci_state **st, struct error **err)
{
	if (oci_state_load(root, id, st, err) < 0)
		return -1;
	enum oci_status live = oci_state_status(*st);
	if (mask & (1u << live))
		return 0;
	oci_state_free(*st);
	*st = NULL;
	return error_set(err, EINVAL, "container `%s` is %s: cannot %s it", id,
			 oci_status_name(live), what);
}

static int by_pid(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return (int)(json_integer_value(json_object_get(x, "pid")) -
		     json_integer_value(json_object_get(y, "pid")));
}

static void print_row(FILE *out, json_t *p)
{
	uid_t uid = (uid_t)json_integer_value(json_object_get(p, "uid"));
	struct passwd *pw = getpwuid(uid);
	time_t start = (time_t)json_integer_value(json_object_get(p, "start"));
	struct tm tm;
	char stime[16];
	localtime_r(&start, &tm);
	strftime(stime, sizeof(stime), "%H:%M", &tm);
	long long cpu = json_integer_value(json_object_get(p, "cpu_ns")) / 1000000000LL;
	char name[32];
	if (pw)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "%u", (unsigned)uid);
	fprintf(out, "%-8s %5lld %5lld  0 %5s %02lld:%02lld:%02lld %s\n", name,
		(long long)json_integer_value(json_object_get(p, "pid")),
		(long long)json_integer_value(json_object_get(p, "ppid")), stime, cpu / 3600,
		cpu / 60 % 60, cpu % 60, json_string_value(json_object_get(p, "cmd")));
}

int oci_container_ps(const char *root, const char *id, bool json, FILE *out, struct error **err)
{
	struct oci_state *st = NULL;
	unsigned live = 1u << OCI_STATUS_RUNNING | 1u << OCI_STATUS_PAUSED;
	if (oci_control_state(root, id, live, "list the processes of", &st, err) < 0)
		return -1;
	json_t *reply = NULL;
	int rc = control_client_call(st, json_pack("{s:s}", "type", "ps"), NULL, 0, &reply, err);
	oci_state_free(st);
	if (rc < 0)
		return -1;
	json_t *list = json_object_get(reply, "processes");
	size_t n = json_array_size(list);
	json_t **v = calloc(n + 1, sizeof(*v));
	if (!v) {
		json_decref(reply);
		return error_set(err, ENOMEM, "ps");
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(list, i);
	qsort(v, n, sizeof(*v), by_pid);
	if (json) {
		fputc('[', out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%lld", i ? "," : "",
				(long long)json_integer_value(json_object_get(v[i], "pid")));
		fputs("]\n", out);
	} else {
		fprintf(out, "UID        PID  PPID  C STIME TIME     CMD\n");
		for (size_t i = 0; i < n; i++)
			print_row(out, v[i]);
	}
	free(v);
	json_decref(reply);
	return 0;
}

int oci_container_pause(const char *root, const char *id, bool pause, struct error **err)
{
	cleanup_close int lock = -1;
	if (oci_state_lock(root, id, &lock, err) < 0)
		return -1;
	struct oci_state *st = NULL;
	enum oci_status from = pause ? OCI_STATUS_RUNNING : OCI_STATUS_PAUSED;
	if (oci_control_state(root, id, 1u << from, pause ? "pause" : "resume", &st, err) < 0)
		return -1;
	int rc = control_client_call(st, json_pack("{s:s}", "type", pause ? "pause" : "resume"),
				     NULL, 0, NULL, err);
	if (rc == 0) {
		st->status = pause ? OCI_STATUS_PAUSED : OCI_STATUS_RUNNING;
		rc = oci_state_save(root, st, err);
	}
	oci_state_free(st);
	return rc;
}

int oci_container_kill_all(const char *root, const char *id, int sig, struct error **err)
{
	struct oci_state *st = NULL;
	unsigned live =
	    1u << OCI_STATUS_CREATED | 1u << OCI_STATUS_RUNNING | 1u << OCI_STATUS_PAUSED;
	if (oci_control_state(root, id, live, "kill", &st, err) < 0)
		return -1;
	int rc;
	/* SIGKILL ends the whole sandbox at once, paused or not; before start
	 * there is only the held program, which the Sentry's signal reaches */
	if (sig == SIGKILL || oci_state_status(st) == OCI_STATUS_CREATED)
		rc = oci_container_kill(root, id, sig, err);
	else
		rc = control_client_call(
		    st, json_pack("{s:s,s:b,s:i}", "type", "signal", "all", 1, "signal", sig), NULL,
		    0, NULL, err);
	oci_state_free(st);
	return rc;
}
