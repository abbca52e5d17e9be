/* cvisor events [--stats] [--interval DURATION] ID: the container's cgroup
 * statistics as runc prints them: one stats object with --stats, else one
 * every interval (default 5s) until the container stops, plus an
 * {"type":"oom"} object whenever the kernel's OOM killer struck. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cli.h"
#include "oci/state.h"
#include "sandbox/cgroup.h"

/* A Go duration as runc takes it ("5s", "500ms", "1m"), or plain seconds. */
static int parse_interval(const char *s, struct timespec *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	double scale = 1;
	if (strcmp(end, "ms") == 0)
		scale = 1e-3;
	else if (strcmp(end, "m") == 0)
		scale = 60;
	else if (strcmp(end, "h") == 0)
		scale = 3600;
	else if (*end && strcmp(end, "s") != 0)
		return -1;
	v *= scale;
	if (v > 86400.0 * 365)
		return -1;
	out->tv_sec = (time_t)v;
	out->tv_nsec = (long)((v - (double)out->tv_sec) * 1e9);
	return 0;
}

static int print_stats(struct cgroup *cg, const char *id, struct cgroup_stats *st,
		       struct error **err)
{
	if (cgroup_stats(cg, st, err) < 0)
		return -1;
	char *json = cgroup_stats_event_json(id, st);
	if (!json)
		return error_set(err, ENOMEM, "events");
	printf("%s\n", json);
	free(json);
	return fflush(stdout) == 0 ? 0 : error_set(err, errno, "events: write");
}

static bool running(const char *root, const char *id)
{
	struct oci_state *st = NULL;
	if (oci_state_load(root, id, &st, NULL) < 0)
		return false;
	bool live = oci_state_status(st) != OCI_STATUS_STOPPED;
	oci_state_free(st);
	return live;
}

int cmd_events(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	static const struct option opts[] = {
	    {"stats", no_argument, 0, 's'},
	    {"interval", required_argument, 0, 'i'},
	    {0, 0, 0, 0},
	};
	bool once = false;
	struct timespec every = {5, 0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 's')
			once = true;
		else if (c == 'i' && parse_interval(optarg, &every) == 0)
			continue;
		else if (c == 'i')
			return error_set(err, EINVAL, "events: bad --interval `%s`", optarg);
		else
			return error_set(err, EINVAL, "events: bad option");
	}
	if (optind != argc - 1)
		return error_set(err, EINVAL,
				 "usage: cvisor events [--stats] [--interval 5s] CONTAINER-ID");
	const char *id = argv[optind];
	struct cgroup *cg;
	if (cgroup_sandbox_open(g->root, id, &cg, err) < 0)
		return -1;
	struct cgroup_stats st;
	int rc = print_stats(cg, id, &st, err);
	uint64_t ooms = st.oom_kills;
	while (rc == 0 && !once) {
		nanosleep(&every, NULL);
		if (!running(g->root, id))
			break;
		if ((rc = print_stats(cg, id, &st, err)) == 0 && st.oom_kills > ooms) {
			printf("{\"type\":\"oom\",\"id\":\"%s\"}\n",
			       id); /* ids are [A-Za-z0-9_+.-] */
			fflush(stdout);
		}
		ooms = st.oom_kills;
	}
	cgroup_free(cg);
	return rc;
}
