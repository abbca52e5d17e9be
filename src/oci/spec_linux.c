/* config.json `linux`: namespaces, id mappings, resources, sysctl, cgroups
 * path, masked and read-only paths, devices; seccomp is kept as raw JSON for
 * the seccomp module to read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "oci/json_util.h"
#include "oci/spec_internal.h"

static const char *const ns_names[OCI_NS_NTYPES] = {
    [OCI_NS_PID] = "pid",	[OCI_NS_NETWORK] = "network", [OCI_NS_MOUNT] = "mount",
    [OCI_NS_IPC] = "ipc",	[OCI_NS_UTS] = "uts",	      [OCI_NS_USER] = "user",
    [OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
};

const char *oci_ns_type_name(enum oci_ns_type t)
{
	return (unsigned)t < OCI_NS_NTYPES ? ns_names[t] : "?";
}

void oci_linux_clear(struct oci_linux *l)
{
	for (size_t i = 0; l->namespaces && i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	oci_resources_clear(&l->resources);
	oj_kv_free(l->sysctl, l->n_sysctl);
	free(l->cgroups_path);
	oci_strv_free(l->masked_paths);
	oci_strv_free(l->readonly_paths);
	free(l->seccomp_json);
	for (size_t i = 0; l->devices && i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
	free(l->rootfs_propagation);
	free(l->mount_label);
	memset(l, 0, sizeof(*l));
}

/* Checks that element i of an array is an object, naming it in the error. */
static json_t *array_object(json_t *a, size_t i, char *path, size_t size, const char *parent,
			    struct error **err)
{
	/* Paths are short; the check only tells gcc truncation was considered. */
	if (snprintf(path, size, "%s[%zu]", parent, i) >= (int)size)
		path[size - 1] = 0;
	json_t *e = json_array_get(a, i);
	if (!json_is_object(e)) {
		error_set(err, 0, "`%s` must be an object", path);
		return NULL;
	}
	return e;
}

static int parse_namespaces(json_t *j, struct oci_linux *l, struct error **err)
{
	json_t *a;
	if (oj_array(j, "linux", "namespaces", &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(l->namespaces = calloc(n, sizeof(*l->namespaces))))
		return error_set(err, ENOMEM, "`linux.namespaces`");
	for (size_t i = 0; i < n; i++) {
		char path[64];
		json_t *e = array_object(a, i, path, sizeof(path), "linux.namespaces", err);
		if (!e)
			return -1;
		cleanup_free char *type = NULL;
		if (oj_string(e, path, "type", true, &type, err) < 0)
			return -1;
		struct oci_namespace *ns = &l->namespaces[i];
		ns->type = OCI_NS_NTYPES;
		for (int t = 0; t < OCI_NS_NTYPES; t++)
			if (strcmp(type, ns_names[t]) == 0)
				ns->type = (enum oci_ns_type)t;
		if (ns->type == OCI_NS_NTYPES)
			return error_set(err, 0, "`%s.type`: unknown namespace `%s`", path, type);
		for (size_t k = 0; k < i; k++)
			if (l->namespaces[k].type == ns->type)
				return error_set(err, 0, "`%s.type`: namespace `%s` given twice",
						 path, type);
		l->n_namespaces = i + 1;
		if (oj_string(e, path, "path", false, &ns->path, err) < 0)
			return -1;
		if (ns->path && ns->path[0] != '/')
			return error_set(err, 0, "`%s.path` must be an absolute path", path);
	}
	return 0;
}

static int parse_mappings(json_t *j, const char *key, struct oci_id_mapping **out, size_t *nout,
			  struct error **err)
{
	json_t *a;
	char parent[64];
	snprintf(parent, sizeof(parent), "linux.%s", key);
	if (oj_array(j, "linux", key, &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(*out = calloc(n, sizeof(**out))))
		return error_set(err, ENOMEM, "`%s`", parent);
	*nout = n;
	for (size_t i = 0; i < n; i++) {
		char path[64];
		json_t *e = array_object(a, i, path, sizeof(path), parent, err);
		if (!e)
			return -1;
		uint64_t c = 0, h = 0, s = 0;
		bool hc, hh, hs;
		if (oj_uint64(e, path, "containerID", UINT32_MAX, &c, &hc, err) < 0 ||
		    oj_uint64(e, path, "hostID", UINT32_MAX, &h, &hh, err) < 0 ||
		    oj_uint64(e, path, "size", UINT32_MAX, &s, &hs, err) < 0)
			return -1;
		if (!hc || !hh || !hs)
			return error_set(err, 0, "`%s` needs `containerID`, `hostID` and `size`",
					 path);
		if (s == 0 || c + s - 1 > UINT32_MAX || h + s - 1 > UINT32_MAX)
			return error_set(err, 0, "`%s.size` is out of range", path);
		(*out)[i] = (struct oci_id_mapping){(uint32_t)c, (uint32_t)h, (uint32_t)s};
	}
	return 0;
}

static int parse_device_rules(json_t *res, const char *p, struct oci_resources *r,
			      struct error **err)
{
	json_t *a;
	char parent[64];
	oj_path(parent, sizeof(parent), p, "devices");
	if (oj_array(res, p, "devices", &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(r->devices = calloc(n, sizeof(*r->devices))))
		return error_set(err, ENOMEM, "`%s`", parent);
	r->n_devices = n;
	for (size_t i = 0; i < n; i++) {
		char path[96];
		json_t *e = array_object(a, i, path, sizeof(path), parent, err);
		if (!e)
			return -1;
		struct oci_device_rule *d = &r->devices[i];
		bool has_allow;
		if (oj_bool(e, path, "allow", &d->allow, &has_allow, err) < 0)
			return -1;
		if (!has_allow)
			return error_set(err, 0, "`%s.allow` is required", path);
		cleanup_free char *type = NULL, *access = NULL;
		if (oj_string(e, path, "type", false, &type, err) < 0 ||
		    oj_string(e, path, "access", false, &access, err) < 0)
			return -1;
		d->type = 'a';
		if (type && (strlen(type) != 1 || !strchr("acb", type[0])))
			return error_set(err, 0, "`%s.type` must be `a`, `c` or `b`", path);
		if (type)
			d->type = type[0];
		d->major = d->minor = -1;
		if (oj_int64(e, path, "major", -1, INT32_MAX, &d->major, NULL, err) < 0 ||
		    oj_int64(e, path, "minor", -1, INT32_MAX, &d->minor, NULL, err) < 0)
			return -1;
		const char *acc = access ? access : "rwm";
		if (strlen(acc) > 3 || strspn(acc, "rwm") != strlen(acc))
			return error_set(err, 0, "`%s.access` must be made of `r`, `w`, `m`", path);
		strcpy(d->access, acc);
	}
	return 0;
}

/* A LinuxResources object found at p ("linux.resources", or "" for the
 * file of `update -r`). */
static int resources_from_json(json_t *res, const char *p, struct oci_resources *r,
			       struct error **err)
{
	json_t *mem, *cpu, *pids;
	char m[64], c[64], pp[64];
	oj_path(m, sizeof(m), p, "memory");
	oj_path(c, sizeof(c), p, "cpu");
	oj_path(pp, sizeof(pp), p, "pids");
	if (oj_object(res, p, "memory", &mem, err) < 0 || oj_object(res, p, "cpu", &cpu, err) < 0 ||
	    oj_object(res, p, "pids", &pids, err) < 0)
		return -1;
	if (oj_int64(mem, m, "limit", -1, INT64_MAX, &r->memory_limit, &r->has_memory_limit, err) <
		0 ||
	    oj_int64(mem, m, "reservation", -1, INT64_MAX, &r->memory_reservation,
		     &r->has_memory_reservation, err) < 0 ||
	    oj_int64(mem, m, "swap", -1, INT64_MAX, &r->memory_swap, &r->has_memory_swap, err) < 0)
		return -1;
	if (r->has_memory_limit && r->has_memory_swap && r->memory_limit > 0 &&
	    r->memory_swap > 0 && r->memory_swap < r->memory_limit)
		return error_set(err, 0, "`%s.swap` must not be below `%s.limit`", m, m);
	if (oj_uint64(cpu, c, "shares", UINT64_MAX, &r->cpu_shares, &r->has_cpu_shares, err) < 0 ||
	    oj_int64(cpu, c, "quota", -1, INT64_MAX, &r->cpu_quota, &r->has_cpu_quota, err) < 0 ||
	    oj_uint64(cpu, c, "period", UINT64_MAX, &r->cpu_period, &r->has_cpu_period, err) < 0 ||
	    oj_string(cpu, c, "cpus", false, &r->cpu_cpus, err) < 0 ||
	    oj_string(cpu, c, "mems", false, &r->cpu_mems, err) < 0)
		return -1;
	if (r->has_cpu_period && r->cpu_period != 0 &&
	    (r->cpu_period < 1000 || r->cpu_period > 1000000))
		return error_set(err, 0, "`%s.period` must be within 1000..1000000", c);
	if (oj_int64(pids, pp, "limit", INT64_MIN, INT64_MAX, &r->pids_limit, &r->has_pids_limit,
		     err) < 0)
		return -1;
	return parse_device_rules(res, p, r, err);
}

static int parse_resources(json_t *j, struct oci_linux *l, struct error **err)
{
	json_t *res;
	if (oj_object(j, "linux", "resources", &res, err) < 0)
		return -1;
	if (!res)
		return 0;
	l->has_resources = true;
	return resources_from_json(res, "linux.resources", &l->resources, err);
}

void oci_resources_clear(struct oci_resources *r)
{
	free(r->cpu_cpus);
	free(r->cpu_mems);
	free(r->devices);
	memset(r, 0, sizeof(*r));
}

int oci_resources_parse(const char *buf, size_t len, const char *name, struct oci_resources *out,
			struct error **err)
{
	memset(out, 0, sizeof(*out));
	json_t *j = oj_loads(buf, len, err);
	int rc = -1;
	if (!j)
		rc = -1;
	else if (!json_is_object(j))
		error_set(err, EINVAL, "must be a JSON object");
	else
		rc = resources_from_json(j, "", out, err);
	json_decref(j);
	if (rc < 0) {
		oci_resources_clear(out);
		return error_wrap(err, "%s", name);
	}
	return 0;
}

static int parse_devices(json_t *j, struct oci_linux *l, struct error **err)
{
	json_t *a;
	if (oj_array(j, "linux", "devices", &a, err) < 0)
		return -1;
	size_t n = json_array_size(a);
	if (!n)
		return 0;
	if (!(l->devices = calloc(n, sizeof(*l->devices))))
		return error_set(err, ENOMEM, "`linux.devices`");
	l->n_devices = n;
	for (size_t i = 0; i < n; i++) {
		char path[64];
		json_t *e = array_object(a, i, path, sizeof(path), "linux.devices", err);
		if (!e)
			return -1;
		struct oci_device *d = &l->devices[i];
		cleanup_free char *type = NULL;
		if (oj_string(e, path, "path", true, &d->path, err) < 0 ||
		    oj_string(e, path, "type", true, &type, err) < 0)
			return -1;
		if (d->path[0] != '/')
			return error_set(err, 0, "`%s.path` must be an absolute path", path);
		if (strlen(type) != 1 || !strchr("cbup", type[0]))
			return error_set(err, 0, "`%s.type` must be `c`, `b`, `u` or `p`", path);
		d->type = type[0];
		bool hmaj = false, hmin = false;
		uint64_t x = 0;
		if (oj_int64(e, path, "major", 0, INT32_MAX, &d->major, &hmaj, err) < 0 ||
		    oj_int64(e, path, "minor", 0, INT32_MAX, &d->minor, &hmin, err) < 0)
			return -1;
		if (d->type != 'p' && (!hmaj || !hmin))
			return error_set(err, 0, "`%s` needs `major` and `minor`", path);
		if (oj_uint64(e, path, "fileMode", 07777, &x, &d->has_file_mode, err) < 0)
			return -1;
		d->file_mode = (uint32_t)x;
		if (oj_uint64(e, path, "uid", UINT32_MAX, &x, &d->has_uid, err) < 0)
			return -1;
		d->uid = d->has_uid ? (uint32_t)x : 0;
		if (oj_uint64(e, path, "gid", UINT32_MAX, &x, &d->has_gid, err) < 0)
			return -1;
		d->gid = d->has_gid ? (uint32_t)x : 0;
	}
	return 0;
}

int oci_linux_from_json(json_t *j, struct oci_linux *l, struct error **err)
{
	if (!json_is_object(j))
		return error_set(err, 0, "`linux` must be an object");
	if (parse_namespaces(j, l, err) < 0 ||
	    parse_mappings(j, "uidMappings", &l->uid_mappings, &l->n_uid_mappings, err) < 0 ||
	    parse_mappings(j, "gidMappings", &l->gid_mappings, &l->n_gid_mappings, err) < 0 ||
	    parse_resources(j, l, err) < 0 ||
	    oj_strmap(j, "linux", "sysctl", &l->sysctl, &l->n_sysctl, err) < 0 ||
	    oj_string(j, "linux", "cgroupsPath", false, &l->cgroups_path, err) < 0 ||
	    oj_strv(j, "linux", "maskedPaths", &l->masked_paths, &l->n_masked_paths, err) < 0 ||
	    oj_strv(j, "linux", "readonlyPaths", &l->readonly_paths, &l->n_readonly_paths, err) <
		0 ||
	    parse_devices(j, l, err) < 0 ||
	    oj_string(j, "linux", "rootfsPropagation", false, &l->rootfs_propagation, err) < 0 ||
	    oj_string(j, "linux", "mountLabel", false, &l->mount_label, err) < 0)
		return -1;
	json_t *sec;
	if (oj_object(j, "linux", "seccomp", &sec, err) < 0)
		return -1;
	if (sec)
		oj_reals_to_ints(sec);
	if (sec && !(l->seccomp_json = json_dumps(sec, JSON_COMPACT)))
		return error_set(err, ENOMEM, "`linux.seccomp`");
	return 0;
}
