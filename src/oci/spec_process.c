/* config.json `process` and exec's process.json: one parser for both. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lib/cleanup.h"
#include "oci/json_util.h"
#include "oci/spec_internal.h"

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},		  {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},	  {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},	  {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},	  {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},	  {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},	  {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},	  {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

void oci_process_free(struct oci_process *p)
{
	if (!p)
		return;
	free(p->user.additional_gids);
	free(p->user.username);
	oci_strv_free(p->args);
	oci_strv_free(p->env);
	free(p->cwd);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(p);
}

static int parse_user(json_t *j, const char *parent, struct oci_user *u, struct error **err)
{
	char path[256];
	json_t *o, *gids;
	oj_path(path, sizeof(path), parent, "user");
	if (oj_object(j, parent, "user", &o, err) < 0)
		return -1;
	if (!o)
		return 0;
	uint64_t x = 0;
	bool has;
	if (oj_uint64(o, path, "uid", UINT32_MAX, &x, &has, err) < 0)
		return -1;
	u->uid = (uint32_t)x;
	x = 0;
	if (oj_uint64(o, path, "gid", UINT32_MAX, &x, &has, err) < 0)
		return -1;
	u->gid = (uint32_t)x;
	if (oj_uint64(o, path, "umask", 07777, &x, &u->has_umask, err) < 0)
		return -1;
	if (u->has_umask)
		u->umask = (uint32_t)x;
	if (oj_string(o, path, "username", false, &u->username, err) < 0)
		return -1;
	if (oj_array(o, path, "additionalGids", &gids, err) < 0)
		return -1;
	size_t n = json_array_size(gids);
	if (!n)
		return 0;
	if (!(u->additional_gids = calloc(n, sizeof(uint32_t))))
		return error_set(err, ENOMEM, "`%s.additionalGids`", path);
	for (size_t i = 0; i < n; i++) {
		uint64_t g;
		if (oj_num_to_uint64(json_array_get(gids, i), &g) < 0 || g > UINT32_MAX)
			return error_set(err, 0, "`%s.additionalGids[%zu]` must be a gid (0..%u)",
					 path, i, UINT32_MAX);
		u->additional_gids[i] = (uint32_t)g;
	}
	u->n_additional_gids = n;
	return 0;
}

static int parse_cap_set(json_t *o, const char *parent, const char *key, uint64_t *mask,
			 struct error **err)
{
	char **names = NULL;
	size_t n = 0;
	if (oj_strv(o, parent, key, &names, &n, err) < 0)
		return -1;
	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		int c = oci_cap_from_name(names[i]);
		if (c >= 0)
			*mask |= 1ULL << c;
	}
	oci_strv_free(names);
	return 0;
}

static int parse_caps(json_t *j, const char *parent, struct oci_process *p, struct error **err)
{
	char path[256];
	json_t *o;
	oj_path(path, sizeof(path), parent, "capabilities");
	if (oj_object(j, parent, "capabilities", &o, err) < 0)
		return -1;
	if (!o)
		return 0;
	p->has_caps = true;
	if (parse_cap_set(o, path, "bounding", &p->caps.bounding, err) < 0 ||
	    parse_cap_set(o, path, "effective", &p->caps.effective, err) < 0 ||
	    parse_cap_set(o, path, "inheritable", &p->caps.inheritable, err) < 0 ||
	    parse_cap_set(o, path, "permitted", &p->caps.permitted, err) < 0 ||
	    parse_cap_set(o, path, "ambient", &p->caps.ambient, err) < 0)
		return -1;
	return 0;
}

static int rlimit_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		if (strcmp(rlimit_names[i].name, name) == 0)
			return rlimit_names[i].resource;
	return -1;
}

static int parse_rlimits(json_t *j, const char *parent, struct oci_process *p, struct error **err)
{
	json_t *a;
	if (oj_array(j, parent, "rlimits", &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(p->rlimits = calloc(n, sizeof(*p->rlimits))))
		return error_set(err, ENOMEM, "`%s.rlimits`", parent);
	for (size_t i = 0; i < n; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s.rlimits[%zu]", parent, i);
		json_t *e = json_array_get(a, i);
		if (!json_is_object(e))
			return error_set(err, 0, "`%s` must be an object", path);
		cleanup_free char *type = NULL;
		if (oj_string(e, path, "type", true, &type, err) < 0)
			return -1;
		struct oci_rlimit *r = &p->rlimits[i];
		if ((r->resource = rlimit_from_name(type)) < 0)
			return error_set(err, 0, "`%s.type`: unknown rlimit `%s`", path, type);
		for (size_t k = 0; k < i; k++)
			if (p->rlimits[k].resource == r->resource)
				return error_set(err, 0, "`%s.type`: `%s` given twice", path, type);
		bool has_soft, has_hard;
		if (oj_uint64(e, path, "soft", UINT64_MAX, &r->soft, &has_soft, err) < 0 ||
		    oj_uint64(e, path, "hard", UINT64_MAX, &r->hard, &has_hard, err) < 0)
			return -1;
		if (!has_soft || !has_hard)
			return error_set(err, 0, "`%s` needs `soft` and `hard`", path);
		if (r->soft > r->hard)
			return error_set(err, 0, "`%s`: soft limit is above the hard limit", path);
		p->n_rlimits = i + 1;
	}
	return 0;
}

static int parse_process(json_t *j, const char *parent, struct oci_process *p, struct error **err)
{
	char path[256];
	json_t *cs;
	if (oj_bool(j, parent, "terminal", &p->terminal, NULL, err) < 0)
		return -1;
	if (oj_object(j, parent, "consoleSize", &cs, err) < 0)
		return -1;
	if (cs) {
		uint64_t h = 0, w = 0;
		oj_path(path, sizeof(path), parent, "consoleSize");
		if (oj_uint64(cs, path, "height", UINT32_MAX, &h, NULL, err) < 0 ||
		    oj_uint64(cs, path, "width", UINT32_MAX, &w, NULL, err) < 0)
			return -1;
		p->has_console_size = true;
		p->console_height = (uint32_t)h;
		p->console_width = (uint32_t)w;
	}
	if (parse_user(j, parent, &p->user, err) < 0)
		return -1;
	if (oj_strv(j, parent, "args", &p->args, &p->n_args, err) < 0)
		return -1;
	if (p->n_args == 0)
		return error_set(err, 0, "`%s` must be a non-empty array",
				 oj_path(path, sizeof(path), parent, "args"));
	if (oj_strv(j, parent, "env", &p->env, &p->n_env, err) < 0)
		return -1;
	if (oj_string(j, parent, "cwd", false, &p->cwd, err) < 0)
		return -1;
	if (!p->cwd && !(p->cwd = strdup("/")))
		return error_set(err, ENOMEM, "`%s.cwd`", parent);
	if (p->cwd[0] != '/')
		return error_set(err, 0, "`%s` must be an absolute path",
				 oj_path(path, sizeof(path), parent, "cwd"));
	if (parse_caps(j, parent, p, err) < 0 || parse_rlimits(j, parent, p, err) < 0)
		return -1;
	if (oj_bool(j, parent, "noNewPrivileges", &p->no_new_privileges, NULL, err) < 0)
		return -1;
	int64_t oom = 0;
	if (oj_int64(j, parent, "oomScoreAdj", -1000, 1000, &oom, &p->has_oom_score_adj, err) < 0)
		return -1;
	p->oom_score_adj = (int)oom;
	if (oj_string(j, parent, "apparmorProfile", false, &p->apparmor_profile, err) < 0 ||
	    oj_string(j, parent, "selinuxLabel", false, &p->selinux_label, err) < 0)
		return -1;
	return 0;
}

int oci_process_from_json(json_t *j, const char *parent, struct oci_process **out,
			  struct error **err)
{
	if (!json_is_object(j))
		return error_set(err, 0, "`%s` must be an object", *parent ? parent : "process");
	struct oci_process *p = calloc(1, sizeof(*p));
	if (!p)
		return error_set(err, ENOMEM, "`%s`", parent);
	if (parse_process(j, parent, p, err) < 0) {
		oci_process_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int oci_process_parse(const char *buf, size_t len, const char *name, struct oci_process **out,
		      struct error **err)
{
	json_t *j = oj_loads(buf, len, err);
	if (!j)
		return error_wrap(err, "%s", name);
	/* process.json fields are top-level: name them as in config.json's
	 * `process` so messages read the same. */
	int rc = oci_process_from_json(j, "process", out, err);
	json_decref(j);
	if (rc < 0)
		return error_wrap(err, "%s", name);
	return 0;
}

int oci_process_load(const char *path, struct oci_process **out, struct error **err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	if (oj_read_file(path, 16 << 20, &buf, &len, err) < 0)
		return -1;
	return oci_process_parse(buf, len, path, out, err);
}
