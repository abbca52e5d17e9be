/* The container's cgroup on the host, for cgroup v1, v2 and the hybrid
 * layout (v1 controllers plus a controller-less cgroup2 at
 * /sys/fs/cgroup/unified, as on Debian hosts booted that way).
 *
 * Contract: a struct cgroup names one cgroup path ("/cvisor/ID") and the
 * directory it has in every hierarchy we use; cgroup_create() makes those
 * directories, cgroup_open() finds existing ones. Resources are enforced by
 * v1 controllers in v1 and hybrid mode, by the cgroup2 tree in v2 mode; in
 * hybrid mode the unified directory only tracks processes. Paths from
 * config.json never climb out of the hierarchy (`..` is refused). Functions
 * take `struct error **` and return negative on failure. */
#ifndef CVISOR_SANDBOX_CGROUP_H
#define CVISOR_SANDBOX_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/error.h"
#include "oci/spec.h"

enum cgroup_mode {
	CGROUP_NONE, /* no cgroup file system mounted */
	CGROUP_V1,
	CGROUP_V2,
	CGROUP_HYBRID,
};

/* v1 controllers we place the container in. */
enum cgroup_v1_ctl {
	CG1_CPU,
	CG1_CPUACCT,
	CG1_CPUSET,
	CG1_MEMORY,
	CG1_PIDS,
	CG1_FREEZER,
	CG1_DEVICES,
	CG1_BLKIO,
	CG1_SYSTEMD, /* name=systemd: tracking only */
	CG1_N,
};

struct cgroup {
	enum cgroup_mode mode;
	char *path;	     /* "/cvisor/ID": absolute within each hierarchy */
	char *v2_dir;	     /* full directory in the cgroup2 tree, or NULL */
	char *v1_dir[CG1_N]; /* full directory per v1 controller, NULL if unmounted */
};

struct cgroup_stats {
	uint64_t memory_usage, memory_max_usage, memory_limit; /* bytes */
	uint64_t pids_current, pids_limit;		       /* limit 0 = unlimited */
	uint64_t cpu_usage_ns, cpu_user_ns, cpu_system_ns;
	uint64_t oom_kills; /* processes the kernel's OOM killer took so far */
};

/* How this host mounts cgroups (reads /proc/self/mountinfo). */
enum cgroup_mode cgroup_detect(void);
const char *cgroup_mode_name(enum cgroup_mode m);

/* The cgroup path for a container: cgroupsPath if given, else
 * "/cvisor/ID". A systemd-style "slice:prefix:name" becomes
 * "/a.slice/a-b.slice/prefix-name.scope". A relative path is kept relative
 * (it is resolved against the runtime's own cgroup, as runc does). */
int cgroup_path_for(const char *cgroups_path, const char *id, char **out, struct error **err);

/* Makes the cgroup in every hierarchy (parents as needed; cpuset parents
 * get cpus/mems copied; v2 ancestors get the controllers enabled). An
 * existing cgroup is reused, as runc does for pods. */
int cgroup_create(const char *path, struct cgroup **out, struct error **err);
/* The cgroup's directories, without creating anything. */
int cgroup_open(const char *path, struct cgroup **out, struct error **err);
void cgroup_free(struct cgroup *cg);

/* Writes memory/cpu/pids limits of linux.resources; absent fields are left
 * alone. */
int cgroup_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err);
int cgroup_add_pid(struct cgroup *cg, pid_t pid, struct error **err);
/* The pids in the cgroup; caller frees *out. */
int cgroup_pids(struct cgroup *cg, pid_t **out, size_t *n, struct error **err);
int cgroup_stats(struct cgroup *cg, struct cgroup_stats *st, struct error **err);
/* One `cvisor events --stats` line for container id: runc's
 * {"type":"stats","id":...,"data":{"cpu":...,"memory":...,"pids":...}}.
 * Values beyond int64 (an unlimited v2 limit) print as INT64_MAX. Caller
 * frees. */
char *cgroup_stats_event_json(const char *id, const struct cgroup_stats *st);
/* Freezes (true) or thaws (false), waiting until the kernel is done. */
int cgroup_freeze(struct cgroup *cg, bool frozen, struct error **err);
/* Sends sig to every process in the cgroup (frozen meanwhile so none
 * forks away; cgroup.kill for SIGKILL on v2). */
int cgroup_kill(struct cgroup *cg, int sig, struct error **err);
/* Removes the cgroup's directories, retrying while processes drain
 * (EBUSY). A missing directory is success. */
int cgroup_remove(struct cgroup *cg, struct error **err);

/* At `create`: the cgroup named by linux.cgroupsPath (if none:
 * "/cvisor/ID", with systemd "system.slice:cvisor:ID"; under a state root
 * other than the default, the root's hash joins the id), made in every hierarchy,
 * linux.resources written, pid (the Sentry process, before it starts
 * stubs or a Gofer) moved in. *path gets the cgroup path for state.json,
 * or NULL when the host has no cgroup file system and the spec asks for no
 * resources. */
int cgroup_sandbox_create(const struct oci_spec *s, const char *root, const char *id, bool systemd,
			  pid_t pid, char **path, struct error **err);
/* At `delete`: kills whatever is left in the cgroup, then removes it. A
 * NULL path or a missing cgroup is success. */
int cgroup_sandbox_remove(const char *path, struct error **err);
/* The cgroup of container id under the state root (state.json's). */
int cgroup_sandbox_open(const char *root, const char *id, struct cgroup **out, struct error **err);

#endif
