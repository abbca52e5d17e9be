/* cvisor update [-r FILE|-] [--memory N ...] ID: new linux.resources for a
 * live container. They go to its host cgroup and are merged into
 * ROOT/ID/resources.json, the container's current resources (first taken
 * from config.json). Flags override the file, as in runc. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "lib/cleanup.h"
#include "oci/json_util.h"
#include "oci/state.h"
#include "sandbox/cgroup.h"

/* "256m", "1G", "1048576", "-1" as runc's RAMInBytes reads them. */
static int parse_bytes(const char *s, json_int_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (v == -1 && !*end) {
		*out = -1;
		return 0;
	}
	const char *units = "bkmgtp";
	const char *u = *end ? strchr(units, end[0] | 0x20) : units;
	if (v < 0 || !u || (*end && end[1] && !((end[1] | 0x20) == 'b' && !end[2])))
		return -1;
	for (long i = 0; i < u - units; i++) {
		if (v > INT64_MAX / 1024)
			return -1;
		v *= 1024;
	}
	*out = v;
	return 0;
}

static int parse_int(const char *s, json_int_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

/* Sets upd[group][key] (creating the group). */
static void set(json_t *upd, const char *group, const char *key, json_t *v)
{
	json_t *g = json_object_get(upd, group);
	if (!json_is_object(g)) {
		g = json_object();
		json_object_set_new(upd, group, g);
	}
	json_object_set_new(g, key, v);
}

static json_t *read_resources(const char *file, struct error **err)
{
	json_t *j = oj_load_object(file, err);
	if (!j)
		error_wrap(err, "update");
	return j;
}

/* The saved resources: ROOT/ID/resources.json, else config.json's. */
static json_t *saved_resources(const char *root, const struct oci_state *st)
{
	cleanup_free char *p = NULL, *cfg = NULL;
	json_t *j = NULL;
	if (asprintf(&p, "%s/%s/resources.json", root, st->id) >= 0)
		j = json_load_file(p, 0, NULL);
	if (!j && asprintf(&cfg, "%s/config.json", st->bundle) >= 0) {
		json_t *c = json_load_file(cfg, 0, NULL);
		j = json_incref(json_object_get(json_object_get(c, "linux"), "resources"));
		json_decref(c);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

static int save_resources(const char *root, const struct oci_state *st, json_t *upd,
			  struct error **err)
{
	json_t *j = saved_resources(root, st);
	cleanup_free char *p = NULL, *tmp = NULL;
	int rc = 0;
	if (json_object_update_recursive(j, upd) < 0 ||
	    asprintf(&p, "%s/%s/resources.json", root, st->id) < 0 ||
	    asprintf(&tmp, "%s.tmp", p) < 0)
		rc = error_set(err, ENOMEM, "update: save resources");
	else if (json_dump_file(j, tmp, JSON_INDENT(2)) < 0 || rename(tmp, p) < 0)
		rc = error_set(err, errno, "update: write `%s`", p);
	json_decref(j);
	return rc;
}

static int apply(const char *root, const char *id, json_t *upd, struct error **err)
{
	cleanup_free char *text = json_dumps(upd, JSON_COMPACT);
	if (!text)
		return error_set(err, ENOMEM, "update");
	struct oci_resources r;
	if (oci_resources_parse(text, strlen(text), "update", &r, err) < 0)
		return -1;
	cleanup_close int lock = -1;
	struct oci_state *st = NULL;
	struct cgroup *cg = NULL;
	int rc = -1;
	if (oci_state_lock(root, id, &lock, err) == 0 && oci_state_load(root, id, &st, err) == 0) {
		if (oci_state_status(st) == OCI_STATUS_STOPPED)
			error_set(err, EINVAL, "container `%s` is stopped", id);
		else if (!st->cgroup_path)
			error_set(err, ENOENT, "container `%s` has no cgroup", id);
		else if (cgroup_open(st->cgroup_path, &cg, err) == 0 &&
			 cgroup_apply(cg, &r, err) == 0)
			rc = save_resources(root, st, upd, err);
	}
	cgroup_free(cg);
	oci_state_free(st);
	oci_resources_clear(&r);
	return rc;
}

int cmd_update(struct cli_globals *g, int argc, char **argv, struct error **err)
{
	enum {
		O_MEM = 256,
		O_RES,
		O_SWAP,
		O_SHARES,
		O_QUOTA,
		O_PERIOD,
		O_CPUS,
		O_MEMS,
		O_PIDS
	};
	static const struct option opts[] = {
	    {"resources", required_argument, 0, 'r'},
	    {"memory", required_argument, 0, O_MEM},
	    {"memory-reservation", required_argument, 0, O_RES},
	    {"memory-swap", required_argument, 0, O_SWAP},
	    {"cpu-shares", required_argument, 0, O_SHARES},
	    {"cpu-quota", required_argument, 0, O_QUOTA},
	    {"cpu-period", required_argument, 0, O_PERIOD},
	    {"cpuset-cpus", required_argument, 0, O_CPUS},
	    {"cpuset-mems", required_argument, 0, O_MEMS},
	    {"pids-limit", required_argument, 0, O_PIDS},
	    {0, 0, 0, 0},
	};
	static const struct {
		int opt;
		const char *group, *key;
		bool bytes;
	} fields[] = {
	    {O_MEM, "memory", "limit", true}, {O_RES, "memory", "reservation", true},
	    {O_SWAP, "memory", "swap", true}, {O_SHARES, "cpu", "shares", false},
	    {O_QUOTA, "cpu", "quota", false}, {O_PERIOD, "cpu", "period", false},
	    {O_PIDS, "pids", "limit", false},
	};
	const char *file = NULL;
	json_t *flags = json_object();
	int c, rc = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
		if (c == 'r') {
			file = optarg;
			continue;
		}
		if (c == O_CPUS || c == O_MEMS) {
			set(flags, "cpu", c == O_CPUS ? "cpus" : "mems", json_string(optarg));
			continue;
		}
		size_t i = 0;
		while (i < sizeof(fields) / sizeof(fields[0]) && fields[i].opt != c)
			i++;
		json_int_t v;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			error_set(err, EINVAL, "update: bad option");
			goto out;
		}
		if ((fields[i].bytes ? parse_bytes(optarg, &v) : parse_int(optarg, &v)) < 0) {
			const struct option *o = opts;
			while (o->val != c)
				o++;
			error_set(err, EINVAL, "update: --%s: bad value `%s`", o->name, optarg);
			goto out;
		}
		set(flags, fields[i].group, fields[i].key, json_integer(v));
	}
	if (optind != argc - 1) {
		error_set(err, EINVAL, "usage: cvisor update [-r FILE|-] [--memory N ...] ID");
		goto out;
	}
	json_t *upd = file ? read_resources(file, err) : json_object();
	if (!upd)
		goto out;
	if (json_object_update_recursive(upd, flags) == 0)
		rc = apply(g->root, argv[optind], upd, err);
	else
		error_set(err, ENOMEM, "update");
	json_decref(upd);
out:
	json_decref(flags);
	return rc;
}
