/* cgroup v2: one directory in the unified tree. OCI's v1-style values are
 * converted as runc converts them (shares -> weight, memory+swap -> swap). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/cgroup_internal.h"

static int write_limit(const char *dir, const char *file, int64_t v, struct error **err)
{
	char buf[32];
	if (v < 0)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return cg_write(dir, file, buf, err);
}

static int apply_memory(const char *dir, const struct oci_resources *r, struct error **err)
{
	if (r->has_memory_reservation && r->memory_reservation >= 0 &&
	    write_limit(dir, "memory.low", r->memory_reservation, err) < 0)
		return -1;
	if (r->has_memory_limit && write_limit(dir, "memory.max", r->memory_limit, err) < 0)
		return -1;
	if (!r->has_memory_swap || r->memory_swap == 0)
		return 0;
	/* OCI's swap is memory+swap; v2's memory.swap.max is swap alone. */
	int64_t swap = -1;
	if (r->memory_swap > 0) {
		if (!r->has_memory_limit || r->memory_limit <= 0)
			return error_set(err, EINVAL,
					 "`linux.resources.memory.swap` needs a memory limit");
		swap = r->memory_swap - r->memory_limit;
	}
	char p[4096];
	snprintf(p, sizeof(p), "%s/memory.swap.max", dir);
	if (access(p, F_OK) < 0)
		return 0; /* no swap accounting on this kernel */
	return write_limit(dir, "memory.swap.max", swap, err);
}

int cgroup_v2_apply(struct cgroup *cg, const struct oci_resources *r, struct error **err)
{
	const char *dir = cg->v2_dir;
	if (!dir)
		return error_set(err, ENOENT, "no cgroup2 directory");
	if (apply_memory(dir, r, err) < 0)
		return -1;
	if (r->has_cpu_shares && r->cpu_shares) {
		uint64_t s = r->cpu_shares < 2	      ? 2
			     : r->cpu_shares > 262144 ? 262144
						      : r->cpu_shares;
		char buf[32];
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)(1 + ((s - 2) * 9999) / 262142));
		if (cg_write(dir, "cpu.weight", buf, err) < 0)
			return -1;
	}
	if ((r->has_cpu_quota && r->cpu_quota) || (r->has_cpu_period && r->cpu_period)) {
		char buf[64];
		int n = r->has_cpu_quota && r->cpu_quota > 0
			    ? snprintf(buf, sizeof(buf), "%lld", (long long)r->cpu_quota)
			    : snprintf(buf, sizeof(buf), "max");
		if (r->has_cpu_period && r->cpu_period)
			snprintf(buf + n, sizeof(buf) - (size_t)n, " %llu",
				 (unsigned long long)r->cpu_period);
		if (cg_write(dir, "cpu.max", buf, err) < 0)
			return -1;
	}
	if (r->cpu_cpus && *r->cpu_cpus && cg_write(dir, "cpuset.cpus", r->cpu_cpus, err) < 0)
		return -1;
	if (r->cpu_mems && *r->cpu_mems && cg_write(dir, "cpuset.mems", r->cpu_mems, err) < 0)
		return -1;
	if (r->has_pids_limit &&
	    write_limit(dir, "pids.max", r->pids_limit > 0 ? r->pids_limit : -1, err) < 0)
		return -1;
	return 0;
}

int cgroup_v2_stats(struct cgroup *cg, struct cgroup_stats *st)
{
	const char *dir = cg->v2_dir;
	if (!dir || access(dir, F_OK) < 0) {
		errno = ENOENT;
		return -1;
	}
	cg_read_u64(dir, "memory.current", &st->memory_usage);
	cg_read_u64(dir, "memory.peak", &st->memory_max_usage);
	cg_read_u64(dir, "memory.max", &st->memory_limit);
	cg_read_key(dir, "memory.events", "oom_kill", &st->oom_kills);
	cg_read_u64(dir, "pids.current", &st->pids_current);
	if (cg_read_u64(dir, "pids.max", &st->pids_limit) == 0 && st->pids_limit == UINT64_MAX)
		st->pids_limit = 0;
	uint64_t us;
	if (cg_read_key(dir, "cpu.stat", "usage_usec", &us) == 0)
		st->cpu_usage_ns = us * 1000;
	if (cg_read_key(dir, "cpu.stat", "user_usec", &us) == 0)
		st->cpu_user_ns = us * 1000;
	if (cg_read_key(dir, "cpu.stat", "system_usec", &us) == 0)
		st->cpu_system_ns = us * 1000;
	return 0;
}

int cgroup_v2_freeze(struct cgroup *cg, bool frozen, struct error **err)
{
	const char *dir = cg->v2_dir;
	if (!dir)
		return error_set(err, ENOENT, "no cgroup2 directory");
	if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	/* cgroup.events says when every task has stopped (or resumed). */
	for (int i = 0; i < 400; i++) {
		uint64_t state;
		if (cg_read_key(dir, "cgroup.events", "frozen", &state) < 0)
			return error_set(err, errno, "read `%s/cgroup.events`", dir);
		if (state == (frozen ? 1 : 0))
			return 0;
		nanosleep(&(struct timespec){0, i < 10 ? 1000000L : 5000000L}, NULL);
	}
	if (frozen)
		cg_write(dir, "cgroup.freeze", "0", NULL);
	return error_set(err, ETIMEDOUT, "`%s` did not %s", dir, frozen ? "freeze" : "thaw");
}
