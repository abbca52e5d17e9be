/* The whole sandbox's host cgroup: made and filled at `create`, emptied
 * and removed at `delete`. See cgroup.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/log.h"
#include "oci/state.h"
#include "sandbox/cgroup.h"

/* The path when config.json names none. Under another state root than
 * the default, the same id may be a different container (parallel test
 * runs): the root's hash keeps their cgroups apart. */
static char *default_path(const char *root, const char *id, bool systemd)
{
	char *p = NULL;
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *c = root; c && *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	bool dflt = !root || strcmp(root, OCI_STATE_DEFAULT_ROOT) == 0;
	int n;
	if (systemd) /* runc's default there: system.slice:runc:ID */
		n = dflt ? asprintf(&p, "system.slice:cvisor:%s", id)
			 : asprintf(&p, "system.slice:cvisor-%08x:%s", h, id);
	else
		n = dflt ? asprintf(&p, "/cvisor/%s", id) : asprintf(&p, "/cvisor/%08x-%s", h, id);
	return n < 0 ? NULL : p;
}

int cgroup_sandbox_create(const struct oci_spec *s, const char *root, const char *id, bool systemd,
			  pid_t pid, char **path, struct error **err)
{
	*path = NULL;
	const char *cp = s->linux_.cgroups_path;
	cleanup_free char *dflt = NULL;
	if (!cp || !*cp) {
		if (!(dflt = default_path(root, id, systemd)))
			return error_set(err, ENOMEM, "cgroup path");
		cp = dflt;
	}
	cleanup_free char *p = NULL;
	if (cgroup_path_for(cp, id, &p, err) < 0)
		return -1;
	const struct oci_resources *r = s->linux_.has_resources ? &s->linux_.resources : NULL;
	if (cgroup_detect() == CGROUP_NONE) {
		if (r)
			return error_set(err, ENOTSUP,
					 "`linux.resources`: no cgroup file system is mounted");
		log_warn("no cgroup file system is mounted: the sandbox runs without one");
		return 0;
	}
	struct cgroup *cg;
	if (cgroup_create(p, &cg, err) < 0)
		return -1;
	if ((r && cgroup_apply(cg, r, err) < 0) || cgroup_add_pid(cg, pid, err) < 0) {
		cgroup_remove(cg, NULL);
		cgroup_free(cg);
		return -1;
	}
	cgroup_free(cg);
	*path = p;
	p = NULL;
	return 0;
}

int cgroup_sandbox_remove(const char *path, struct error **err)
{
	if (!path)
		return 0;
	struct cgroup *cg;
	if (cgroup_open(path, &cg, err) < 0)
		return -1;
	/* A crashed Sentry can leave its stubs or its Gofer behind. */
	pid_t *pids = NULL;
	size_t n = 0;
	if (cgroup_pids(cg, &pids, &n, NULL) == 0 && n)
		cgroup_kill(cg, SIGKILL, NULL);
	free(pids);
	int rc = cgroup_remove(cg, err);
	cgroup_free(cg);
	return rc;
}

int cgroup_sandbox_open(const char *root, const char *id, struct cgroup **out, struct error **err)
{
	struct oci_state *st = NULL;
	if (oci_state_load(root, id, &st, err) < 0)
		return -1;
	int rc = 0;
	if (!st->cgroup_path)
		rc = error_set(err, ENOENT, "container `%s` has no cgroup", id);
	else
		rc = cgroup_open(st->cgroup_path, out, err);
	oci_state_free(st);
	return rc;
}
